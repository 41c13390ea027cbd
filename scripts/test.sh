#!/usr/bin/env bash
# Runs every test of the project; what CI runs (.ci/run).
#   scripts/test.sh             set-up, format, build and unit tests (linted as they compile), end-to-end tests, zombienet tests
#   scripts/test.sh --unit      only the workspace's cargo tests
# Each step prints how long it took; the run ends with one line 'N passed, N failed'.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MEDCHAIN_ROOT"

ONLY_UNIT=0
for arg in "$@"; do
  case "$arg" in
    --unit) ONLY_UNIT=1 ;;
    *) echo "test: unknown option $arg (known: --unit)" >&2; exit 2 ;;
  esac
done

passed=0; failed=0; failures=()
step() {
  local name="$1"; shift
  local start=$SECONDS
  echo "::: $name"
  if "$@"; then
    passed=$((passed + 1)); echo "::: $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "::: $name: FAILED ($((SECONDS - start)) s)"
  fi
}

step "setup" bash scripts/setup.sh
. "$MEDCHAIN_CACHE/env"
# The tree in rustfmt.toml's style (fix with `cargo fmt --all`).
step "format" cargo fmt --all -- --check
# The workspace's lints ([workspace.lints], and the pallets' checked arithmetic), every warning an
# error, checked while the workspace's own crates compile in the build and test steps below:
# clippy's driver wraps rustc for workspace members (dependencies are compiled by rustc alone),
# as `cargo clippy` does, so that no second check-mode pass over every dependency is needed.
# Every target is covered: libraries and binaries (build), their tests and examples (unit
# tests), the pallets with runtime-benchmarks (benchmarks as tests). (docs/development.md)
RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver || true)"
[ -x "$RUSTC_WORKSPACE_WRAPPER" ] || { echo "test: clippy-driver not found: install clippy (rustup component add clippy)" >&2; exit 1; }
export RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
# One build of the whole workspace (node, runtime wasm, pallets) with the features every
# later step uses (the client's `testing`, which its and the CLI's tests turn on), so that
# nothing compiles twice.
step "build" cargo build --workspace --locked --features medchain-client/testing
# The lints bite: a crate that breaks one on purpose (tools/lint-canary, feature `canary`) must
# fail to build with the wrapper above. If it builds, the lints stopped being checked.
lint_canary() {
  local out
  if out="$(cargo build --locked -p lint-canary --features canary 2>&1)"; then
    echo "the lint canary built: the workspace's lints are not checked any more" >&2; return 1
  fi
  grep -q "needless_bool" <<<"$out" || { echo "$out" >&2; return 1; }
}
step "lints bite (canary)" lint_canary
step "unit tests" cargo test --workspace --locked
# Every benchmark run once as a test (impl_benchmark_test_suite!): each pallet's against its mock,
# the runtime's own (runtime/src/benchmarks/: GRANDPA's report, node authorisation, session keys)
# on the `development` preset. One cargo invocation, so that the pallets and the runtime share one
# build of the runtime-benchmarks feature set (~9.5 min cold, seconds warm); native only (the wasm
# of a benchmarking runtime is scripts/bench.sh's, not a test's). The filter keeps the
# benchmarks: the unit tests ran in the step above.
bench_args=()
for manifest in pallets/*/Cargo.toml; do
  bench_args+=(-p "$(sed -n 's/^name = "\(.*\)"/\1/p' "$manifest" | head -n 1)")
done
step "benchmarks as tests" env SKIP_WASM_BUILD=1 cargo test --locked "${bench_args[@]}" \
  -p medchain-runtime --features runtime-benchmarks --lib benchmarks::
# The gateway's tests ran on SQLite with the unit tests; again on PostgreSQL, against a
# throwaway server this step starts and stops (Debian's package).
gateway_on_postgres() {
  local url rc=0
  url="$(bash scripts/postgres.sh start)" || return 1
  # `--workspace`: the unit-test step's feature set, so the test binary it built runs again
  # as it is (with `-p medchain-gateway` alone the gateway and its dependencies compiled once
  # more: 3 of this step's 5 minutes on a cold cache).
  MEDCHAIN_TEST_POSTGRES_URL="$url" cargo test --workspace --locked --test gateway || rc=$?
  bash scripts/postgres.sh stop
  return "$rc"
}
[ "$ONLY_UNIT" = 1 ] || step "gateway tests on PostgreSQL" gateway_on_postgres
unset RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS

if [ "$ONLY_UNIT" = 0 ]; then
  if [ -x "$MEDCHAIN_NODE" ]; then
    step "operator key scripts" bash tests/operator-scripts.sh
    step "end-to-end tests (polkadot.js)" node --test --test-concurrency=1 tests/e2e/
    # The load benchmark, small, so that it cannot rot (no speed is asserted: every accepted
    # transaction must be finalised and every decision right).
    step "load benchmark (smoke)" node tests/load/load.js --smoke
    # A peer's tool against the gateway's published OpenAPI document.
    step "gateway: schemathesis" bash scripts/gateway-schemathesis.sh
    # The patient portal in headless Chromium against a dev node.
    step "patient portal (Chromium)" bash scripts/portal.sh test
    # (zombienet/four-validators.zndsl's checks open the upgrade test, on its four validators.)
    step "zombienet: one and two validators down" bash zombienet/run.sh zombienet/faults.zndsl
    step "zombienet: a validator joins and leaves" bash zombienet/run.sh zombienet/validator-set.zndsl
    step "zombienet: an unauthorised node is refused" bash zombienet/run.sh zombienet/permissioned.zndsl
    step "zombienet: the council upgrades the runtime" bash zombienet/upgrade.sh
  else
    failed=$((failed + 1)); failures+=("node binary missing: $MEDCHAIN_NODE")
  fi
fi

echo
[ "$failed" = 0 ] || printf 'failed: %s\n' "${failures[@]}"
echo "steps: $passed passed, $failed failed"
[ "$failed" = 0 ]
