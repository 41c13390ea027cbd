#!/usr/bin/env bash
# Fuzzes the runtime: random calls from random actors through Executive, every pallet's
# invariants after every block (runtime/src/tests/fuzz.rs; docs/security.md has the figure).
#
#   scripts/fuzz.sh [calls] [seed]      # default: 1000000 calls, seed 1
#
# Prints the run's report (calls, blocks, invariant checks, panics, broken invariants); exits
# non-zero on any finding, printing the calls of the block where it happened. About 250 calls
# a second on 2 cores (dev profile): the rate falls as the state grows (a million calls did not finish in 104 minutes on 2026-11-23).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MEDCHAIN_ROOT"
[ -f "$MEDCHAIN_CACHE/env" ] && . "$MEDCHAIN_CACHE/env"
export MEDCHAIN_FUZZ_CALLS="${1:-1000000}"
export MEDCHAIN_FUZZ_SEED="${2:-1}"
# --workspace: the same feature set as scripts/test.sh builds, so nothing compiles again.
exec cargo test --workspace --locked --lib -- --ignored --exact tests::fuzz::long_fuzz_run --nocapture
