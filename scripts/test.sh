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
# The test targets (and the examples) of the whole workspace, built once; the test executables
# are listed from cargo's own report of what it built.
LOGS="$(mktemp -d -t medchain-test-XXXXXX)"
trap 'rm -rf "$LOGS"' EXIT
test_build() {
  cargo test --workspace --locked --no-run --message-format=json-render-diagnostics >"$LOGS/build.json" || return 1
  jq -r 'select(.reason == "compiler-artifact" and .profile.test and .executable != null)
         | [.executable, (.manifest_path | rtrimstr("/Cargo.toml")), .target.name] | @tsv' \
    "$LOGS/build.json" | sort -k3 >"$LOGS/tests.tsv"
  [ -s "$LOGS/tests.tsv" ] || { echo "test: cargo reported no test executable" >&2; return 1; }
}
step "unit tests: build" test_build

# Steps that run at once, each in the background with its output kept and printed whole when
# all of them have ended (in the order they were started), each still counted as a step. Most
# of the tests below wait on their own dev nodes' 6-second blocks, not on the CPU: run one after
# another they took 25 of a cold run's 75 minutes. (docs/development.md, "The test command")
lane_ids=(); lane_pids=()
lane() {
  local id="$1"; shift
  (
    passed=0; failed=0; failures=()
    "$@" || true
    printf '%s\n' "$passed" "$failed" "${failures[@]}" >"$LOGS/$id.result"
  ) >"$LOGS/$id.log" 2>&1 &
  lane_ids+=("$id"); lane_pids+=($!)
  echo "::: (started in the background: $id)"
}
join_lanes() {
  local k id n
  for k in "${!lane_ids[@]}"; do
    id="${lane_ids[$k]}"
    wait "${lane_pids[$k]}" || true
    echo "::: (the output of $id)"
    cat "$LOGS/$id.log"
    if [ -f "$LOGS/$id.result" ]; then
      mapfile -t n <"$LOGS/$id.result"
      passed=$((passed + n[0])); failed=$((failed + n[1])); failures+=("${n[@]:2}")
    else
      failed=$((failed + 1)); failures+=("$id: ended before it reported")
    fi
  done
  lane_ids=(); lane_pids=()
}

# Every test executable at once (what cargo test runs one after another), each from its
# package's directory as cargo runs it; each one's output printed whole, then the doc tests.
unit_tests() {
  local exe dir name i=0 rc=0 pids=()
  while IFS=$'\t' read -r exe dir name; do
    (cd "$dir" && CARGO_MANIFEST_DIR="$dir" "$exe") >"$LOGS/unit.$i.log" 2>&1 &
    pids+=($!); i=$((i + 1))
  done <"$LOGS/tests.tsv"
  i=0
  while IFS=$'\t' read -r exe dir name; do
    echo "     Running $name (${exe#"$CARGO_TARGET_DIR"/})"
    if ! wait "${pids[$i]}"; then rc=1; echo "test: $name FAILED"; fi
    cat "$LOGS/unit.$i.log"; i=$((i + 1))
  done <"$LOGS/tests.tsv"
  cargo test --workspace --locked --doc || rc=1
  return "$rc"
}
# Every benchmark run once as a test (impl_benchmark_test_suite!): each pallet's against its mock,
# the runtime's own (runtime/src/benchmarks/: GRANDPA's report, node authorisation, session keys)
# on the `development` preset. One cargo invocation, so that the pallets and the runtime share one
# build of the runtime-benchmarks feature set (~9.5 min cold, seconds warm); native only (the wasm
# of a benchmarking runtime is scripts/bench.sh's, not a test's). The filter keeps the
# benchmarks: the unit tests run in their own step. At a lower priority than the dev nodes of
# the tests beside it: its compilation is the CPU's, their blocks are on a clock.
bench_args=()
for manifest in pallets/*/Cargo.toml; do
  bench_args+=(-p "$(sed -n 's/^name = "\(.*\)"/\1/p' "$manifest" | head -n 1)")
done
benchmarks() {
  SKIP_WASM_BUILD=1 nice -n 10 cargo test --locked "${bench_args[@]}" \
    -p medchain-runtime --features runtime-benchmarks --lib benchmarks::
}
# The gateway's tests ran on SQLite with the unit tests; again on PostgreSQL (the same test
# executable), against a throwaway server this step starts and stops (Debian's package).
gateway_on_postgres() {
  local url exe dir rc=0
  IFS=$'\t' read -r exe dir _ < <(awk -F'\t' '$3 == "gateway" && $2 ~ /\/gateway$/' "$LOGS/tests.tsv")
  [ -x "$exe" ] || { echo "test: the gateway's test executable is not among those built" >&2; return 1; }
  url="$(bash scripts/postgres.sh start)" || return 1
  (cd "$dir" && CARGO_MANIFEST_DIR="$dir" MEDCHAIN_TEST_POSTGRES_URL="$url" "$exe") || rc=$?
  bash scripts/postgres.sh stop
  return "$rc"
}
lane "unit tests" step "unit tests" unit_tests
lane "benchmarks as tests" step "benchmarks as tests" benchmarks
[ "$ONLY_UNIT" = 1 ] || lane "gateway tests on PostgreSQL" step "gateway tests on PostgreSQL" gateway_on_postgres
join_lanes
unset RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS

# Two lanes at once: the tests against dev nodes, and the zombienet networks.
against_dev_nodes() {
  step "operator key scripts" bash tests/operator-scripts.sh
  step "end-to-end tests (polkadot.js)" node --test --test-concurrency=1 tests/e2e/
  # The load benchmark, small, so that it cannot rot (no speed is asserted: every accepted
  # transaction must be finalised and every decision right).
  step "load benchmark (smoke)" node tests/load/load.js --smoke
  # A peer's tool against the gateway's published OpenAPI document.
  step "gateway: schemathesis" bash scripts/gateway-schemathesis.sh
  # The patient portal in headless Chromium against a dev node.
  step "patient portal (Chromium)" bash scripts/portal.sh test
}
zombienet_networks() {
  # (zombienet/four-validators.zndsl's checks open the upgrade test, on its four validators.)
  step "zombienet: one and two validators down" bash zombienet/run.sh zombienet/faults.zndsl
  step "zombienet: a validator joins and leaves" bash zombienet/run.sh zombienet/validator-set.zndsl
  step "zombienet: an unauthorised node is refused" bash zombienet/run.sh zombienet/permissioned.zndsl
  step "zombienet: the council upgrades the runtime" bash zombienet/upgrade.sh
}
# The runtime with the try-runtime feature (the TryRuntime API that try-runtime-cli runs against
# a live chain's state before a release is proposed): a second feature set of its dependency
# tree, so checked (not built) beside the lanes, whose steps wait on blocks, at a lower priority.
try_runtime() {
  SKIP_WASM_BUILD=1 nice -n 10 cargo check --locked -p medchain-runtime --features try-runtime
}
if [ "$ONLY_UNIT" = 0 ]; then
  if [ -x "$MEDCHAIN_NODE" ]; then
    lane "tests against dev nodes" against_dev_nodes
    lane "zombienet" zombienet_networks
    lane "try-runtime" step "runtime with try-runtime compiles" try_runtime
    join_lanes
  else
    failed=$((failed + 1)); failures+=("node binary missing: $MEDCHAIN_NODE")
  fi
fi

echo
[ "$failed" = 0 ] || printf 'failed: %s\n' "${failures[@]}"
echo "steps: $passed passed, $failed failed"
[ "$failed" = 0 ]
