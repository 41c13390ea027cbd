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
  # zombienet stops its nodes; this catches a run that was killed before it could.
  pkill -f -- "--base-path $DIR" 2>/dev/null || true
  pkill -f -- "$DIR/" 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT

timeout --kill-after=30 "${ZOMBIENET_TIMEOUT:-900}" \
  "$ZOMBIENET" --provider native --dir "$DIR" --force test "$TEST"
