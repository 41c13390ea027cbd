#!/usr/bin/env bash
# Fuzzes the runtime: random calls from random actors through Executive, every pallet's
# invariants after every block (runtime/src/tests/fuzz.rs; docs/security.md has the figure).
#
#   scripts/fuzz.sh [calls] [seed] [episode]   # default: 1000000 calls, seed 1, episodes of 20000
#
# The calls run in episodes, each from the fresh demo world: episode k uses seed `seed + k`, so a
# finding (it names its episode's seed) replays alone with `scripts/fuzz.sh <episode> <that seed>`.
# Prints progress, then the run's report (calls, blocks, invariant checks, panics, broken
# invariants); exits non-zero on any finding, printing the calls of the block where it happened.
# About 250-350 calls a second on 2 cores (dev profile); docs/security.md has the measured run.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MEDCHAIN_ROOT"
[ -f "$MEDCHAIN_CACHE/env" ] && . "$MEDCHAIN_CACHE/env"
export MEDCHAIN_FUZZ_CALLS="${1:-1000000}"
export MEDCHAIN_FUZZ_SEED="${2:-1}"
export MEDCHAIN_FUZZ_EPISODE="${3:-20000}"
# --workspace: the same feature set as scripts/test.sh builds, so nothing compiles again.
exec cargo test --workspace --locked --lib -- --ignored --exact tests::fuzz::long_fuzz_run --nocapture
