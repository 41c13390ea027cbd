#!/usr/bin/env bash
# The patient portal: `scripts/portal.sh build` builds it into portal/dist (static files any web
# server serves beside a node); `scripts/portal.sh serve [NODE_URL]` builds it and serves it on
# http://127.0.0.1:5173 for the node at NODE_URL (default ws://127.0.0.1:9944);
# `scripts/portal.sh test` runs its tests: the unit checks in Node, then the pages in headless
# Chromium against a dev node of their own (docs/portal.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"
PORTAL="$ROOT/portal"
log() { printf '\033[1mportal:\033[0m %s\n' "$*"; }

[ -d "$PORTAL/node_modules" ] || { echo "portal.sh: run scripts/setup.sh first (npm ci in portal/)" >&2; exit 1; }

build() {
  log "type-checking and building portal/dist"
  (cd "$PORTAL" && npm run --silent build >/dev/null && npm run --silent build:test >/dev/null)
}

case "${1:-test}" in
  build)
    build
    ;;
  serve)
    build
    node="${2:-ws://127.0.0.1:9944}"
    printf '{"node":"%s"}\n' "$node" > "$PORTAL/dist/config.json"
    log "serving http://127.0.0.1:5173 for the node at $node (Ctrl-C stops)"
    cd "$PORTAL" && exec npx vite preview --host 127.0.0.1 --port 5173 --strictPort
    ;;
  test)
    build
    NODE_BIN="${MEDCHAIN_NODE:-$CARGO_TARGET_DIR/debug/medchain-node}"
    CLI_BIN="${MEDCHAIN_CLI:-$CARGO_TARGET_DIR/debug/medchain}"
    [ -x "$NODE_BIN" ] || { echo "portal.sh: $NODE_BIN is not built: run scripts/build.sh" >&2; exit 1; }
    work="$(mktemp -d)"
    trap 'kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
    "$NODE_BIN" --dev --tmp --no-telemetry --no-mdns --no-prometheus --rpc-port 0 --port 0 \
      2>"$work/node.log" & node_pid=$!
    port=""
    for _ in $(seq 1 120); do
      port="$(sed -n 's/.*Running JSON-RPC server: addr=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/node.log" | head -n 1)"
      [ -n "$port" ] && grep -q "Imported #1" "$work/node.log" && break
      sleep 1
    done
    [ -n "$port" ] || { echo "portal.sh: the dev node did not start (see its log below)" >&2; tail -20 "$work/node.log" >&2; exit 1; }
    log "dev node on ws://127.0.0.1:$port; Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')"
    (cd "$PORTAL" && MEDCHAIN_PORTAL_NODE="ws://127.0.0.1:$port" MEDCHAIN_CLI="$CLI_BIN" \
      node --test --test-concurrency=1 ${PORTAL_TEST_PATTERN:+--test-name-pattern="$PORTAL_TEST_PATTERN"} tests/)
    ;;
  *)
    echo "usage: scripts/portal.sh build | serve [NODE_URL] | test" >&2
    exit 2
    ;;
esac
