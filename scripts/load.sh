#!/usr/bin/env bash
# The load benchmark (docs/performance.md#capacity): a chain whose genesis holds thousands of
# patients and practitioners, driven open-loop with pre-signed transactions; prints one table.
#
#   scripts/load.sh [--profile dev|production] [options of tests/load/load.js]
#   scripts/load.sh --smoke                      # the small run the test command makes
#
# --profile production builds and measures the node operators run (cargo profile `production`:
# release, fat LTO, one codegen unit; a first build takes over an hour on 2 cores). The default
# measures the dev build that scripts/build.sh makes. Nothing here is a pass/fail on speed: the
# run fails only if a transaction is accepted and never finalised, or a decision is wrong.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MEDCHAIN_ROOT"
medchain_require_setup load

profile=dev
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
case "$profile" in
  dev) bash scripts/build.sh >&2; node="$MEDCHAIN_NODE" ;;
  production)
    cargo build --locked --profile production -p medchain-node >&2
    node="$CARGO_TARGET_DIR/production/medchain-node" ;;
  *) echo "load: unknown profile $profile (dev or production)" >&2; exit 2 ;;
esac
echo "load: $node ($profile build), $(nproc) cores, commit $(git rev-parse --short HEAD)" >&2
MEDCHAIN_NODE="$node" exec node tests/load/load.js "${args[@]}"
