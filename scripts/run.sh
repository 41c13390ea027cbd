#!/usr/bin/env bash
# Builds what is missing, then starts a development chain with temporary storage
# (`medchain-node --dev`: Alice authors and finalises every block), the demo hospital's gateway
# beside it (docs/gateway.md) and the patient portal (docs/portal.md).
#   scripts/run.sh [extra medchain-node args]     e.g. scripts/run.sh --rpc-port 9955
# Environment: RPC_PORT (default 9944), P2P_PORT (30333), PROMETHEUS_PORT (9615),
# GATEWAY_PORT (8080), PORTAL_PORT (5173). Ctrl-C stops all three.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MEDCHAIN_ROOT"

RPC_PORT="${RPC_PORT:-9944}"
P2P_PORT="${P2P_PORT:-30333}"
PROMETHEUS_PORT="${PROMETHEUS_PORT:-9615}"
GATEWAY_PORT="${GATEWAY_PORT:-8080}"
PORTAL_PORT="${PORTAL_PORT:-5173}"

port_in_use() { (echo >"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1; }
for spec in "RPC_PORT:$RPC_PORT" "P2P_PORT:$P2P_PORT" "PROMETHEUS_PORT:$PROMETHEUS_PORT" "GATEWAY_PORT:$GATEWAY_PORT" "PORTAL_PORT:$PORTAL_PORT"; do
  var="${spec%%:*}"; port="${spec#*:}"
  if port_in_use "$port"; then
    echo "run: port $port is already in use (another medchain node or gateway?)." >&2
    echo "run: stop that process (e.g. 'pkill medchain-node'), or choose another port: $var=<port> scripts/run.sh" >&2
    exit 1
  fi
done

[ -f "$MEDCHAIN_CACHE/env" ] || bash scripts/setup.sh
bash scripts/build.sh

GATEWAY_BIN="$CARGO_TARGET_DIR/debug/medchain-gateway"
for b in "$MEDCHAIN_NODE" "$GATEWAY_BIN"; do
  [ -x "$b" ] || { echo "run: $b was not built; see the build output above." >&2; exit 1; }
done

work="$(mktemp -d)"
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap stop EXIT INT TERM

"$MEDCHAIN_NODE" --dev --rpc-port "$RPC_PORT" --port "$P2P_PORT" \
  --prometheus-port "$PROMETHEUS_PORT" "$@" & pids+=($!)
WS="ws://127.0.0.1:$RPC_PORT"
for _ in $(seq 1 120); do
  curl -sf -H 'content-type: application/json' -d '{"id":1,"jsonrpc":"2.0","method":"chain_getHeader"}' \
    "http://127.0.0.1:$RPC_PORT" 2>/dev/null | grep -q '"number":"0x[1-9a-f]' && break
  sleep 1
done

# The demo hospital's gateway: it relays with //Alice//stash, a member of the hospital
# (organisation 0); its data in a temporary SQLite database, under a temporary key.
echo "//Alice//stash" > "$work/relayer.key"
"$GATEWAY_BIN" init-kek --out "$work/gateway.kek" >/dev/null
MEDCHAIN_GATEWAY_LISTEN="127.0.0.1:$GATEWAY_PORT" MEDCHAIN_GATEWAY_NODE="$WS" \
MEDCHAIN_GATEWAY_DATABASE="sqlite://$work/gateway.db?mode=rwc" \
MEDCHAIN_GATEWAY_RELAYER_KEY_FILE="$work/relayer.key" MEDCHAIN_GATEWAY_KEK__FILE="$work/gateway.kek" \
RUST_LOG="${RUST_LOG:-info}" "$GATEWAY_BIN" 2>"$work/gateway.log" & pids+=($!)

portal="not started (run scripts/setup.sh for its dependencies)"
if [ -d portal/node_modules ]; then
  (cd portal && npm run --silent build >/dev/null 2>&1) && {
    printf '{"node":"%s"}\n' "$WS" > portal/dist/config.json
    (cd portal && exec npx vite preview --host 127.0.0.1 --port "$PORTAL_PORT" --strictPort >"$work/portal.log" 2>&1) & pids+=($!)
    portal="http://127.0.0.1:$PORTAL_PORT  (sign in as the demo patient One)"
  }
fi

cat <<MSG

  medchain development chain
  ---------------------------
  RPC (WebSocket and HTTP): $WS
  polkadot.js Apps:         https://polkadot.js.org/apps/?rpc=$(printf '%s' "$WS" | sed 's/:/%3A/g; s#/#%2F#g')#/explorer
  Prometheus metrics:       http://127.0.0.1:$PROMETHEUS_PORT/metrics
  Hospital's FHIR gateway:  http://127.0.0.1:$GATEWAY_PORT/fhir   (log: $work/gateway.log)
  Patient portal:           $portal
  Storage is temporary: the chain starts afresh on every run. Stop with Ctrl-C.

MSG
wait -n "${pids[@]}"
