#!/usr/bin/env bash
# Builds what is missing, then starts a single-validator development chain with temporary
# storage (`medchain-node --dev`): Alice authors and finalises every block.
#   scripts/run.sh [extra medchain-node args]     e.g. scripts/run.sh --rpc-port 9955
# Environment: RPC_PORT (default 9944), P2P_PORT (30333), PROMETHEUS_PORT (9615).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MEDCHAIN_ROOT"

RPC_PORT="${RPC_PORT:-9944}"
P2P_PORT="${P2P_PORT:-30333}"
PROMETHEUS_PORT="${PROMETHEUS_PORT:-9615}"

port_in_use() { (echo >"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1; }
for spec in "RPC_PORT:$RPC_PORT" "P2P_PORT:$P2P_PORT" "PROMETHEUS_PORT:$PROMETHEUS_PORT"; do
  var="${spec%%:*}"; port="${spec#*:}"
  if port_in_use "$port"; then
    echo "run: port $port is already in use (another medchain node?)." >&2
    echo "run: stop that process (e.g. 'pkill medchain-node'), or choose another port: $var=<port> scripts/run.sh" >&2
    exit 1
  fi
done

[ -f "$MEDCHAIN_CACHE/env" ] || bash scripts/setup.sh
bash scripts/build.sh

[ -x "$MEDCHAIN_NODE" ] || { echo "run: $MEDCHAIN_NODE was not built; see the build output above." >&2; exit 1; }

WS="ws://127.0.0.1:$RPC_PORT"
cat <<MSG

  medchain development chain
  ---------------------------
  RPC (WebSocket and HTTP): $WS
  polkadot.js Apps:         https://polkadot.js.org/apps/?rpc=$(printf '%s' "$WS" | sed 's/:/%3A/g; s#/#%2F#g')#/explorer
  Prometheus metrics:       http://127.0.0.1:$PROMETHEUS_PORT/metrics
  Storage is temporary: the chain starts afresh on every run. Stop with Ctrl-C.

MSG
exec "$MEDCHAIN_NODE" --dev --rpc-port "$RPC_PORT" --port "$P2P_PORT" \
  --prometheus-port "$PROMETHEUS_PORT" "$@"
