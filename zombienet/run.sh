#!/usr/bin/env bash
# Runs one zombienet test against the built medchain-node, with the native provider.
#   zombienet/run.sh zombienet/four-validators.zndsl
# The network's nodes are torn down by zombienet at the end; a hard time limit (ZOMBIENET_TIMEOUT,
# default 900 s) stops everything this script started should zombienet hang.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$MEDCHAIN_ROOT"

TEST="${1:?usage: zombienet/run.sh <test.zndsl>}"
ZOMBIENET="$MEDCHAIN_ROOT/tests/node_modules/.bin/zombienet"
[ -x "$ZOMBIENET" ] || { echo "zombienet: not installed; run scripts/setup.sh first." >&2; exit 1; }
[ -x "$MEDCHAIN_NODE" ] || { echo "zombienet: $MEDCHAIN_NODE is not built; run scripts/build.sh first." >&2; exit 1; }
export MEDCHAIN_NODE

DIR="$(mktemp -d -t medchain-zombienet-XXXXXX)"
cleanup() {
  # zombienet stops its nodes; this catches a run that was killed before it could, and the
  # nodes a fault script restarted (zombienet does not know them). A node flushes its database
  # when told to stop: wait for it (up to 10 s, then kill it) before removing its files, or
  # `rm` races the files it still writes.
  pkill -f -- "--base-path $DIR" 2>/dev/null || true
  pkill -f -- "$DIR/" 2>/dev/null || true
  if ! nodes_gone; then
    pkill -KILL -f -- "$DIR/" 2>/dev/null || true
    nodes_gone || true
  fi
  rm -rf "$DIR"
}
# True once no process works in the network's directory (within 10 s).
nodes_gone() {
  for _ in $(seq 50); do
    pgrep -f -- "$DIR/" >/dev/null 2>&1 || return 0
    sleep 0.2
  done
  return 1
}
trap cleanup EXIT

timeout --kill-after=30 "${ZOMBIENET_TIMEOUT:-900}" \
  "$ZOMBIENET" --provider native --dir "$DIR" --force test "$TEST"
