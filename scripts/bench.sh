#!/usr/bin/env bash
# Regenerates the runtime's weights by running every benchmark in the medchain runtime on this
# machine (issue "measured weights"; docs/development.md, docs/performance.md).
#
#   scripts/bench.sh [pallet ...]      # default: every pallet of runtime/src/benchmarks.rs
#   scripts/bench.sh overhead          # the block and extrinsic base weights
#   scripts/bench.sh storage           # the database weights (see below; not with pallets)
#   BENCH_STEPS=50 BENCH_REPEAT=20     # the defaults (polkadot-sdk's)
#
# 1. installs the pinned frame-omni-bencher into the build cache, once;
# 2. builds the runtime with `runtime-benchmarks` in a target directory of its own (so that the
#    node's embedded runtime is never a benchmarking build);
# 3. runs each pallet's benchmarks on the wasm runtime (compiled execution) over the `development`
#    preset and writes the weights from one template per kind: medchain's pallets to
#    pallets/<name>/src/weights.rs (.maintain/pallet-weight-template.hbs), polkadot-sdk's to
#    runtime/src/weights/<pallet>.rs (.maintain/runtime-weight-template.hbs). The machine and the
#    command are in each file's header.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MEDCHAIN_ROOT"
medchain_require_setup bench

header="$(mktemp)"
trap 'rm -f "$header"' EXIT
machine="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(. /etc/os-release && echo "$PRETTY_NAME")"

if [ "${1:-}" = storage ]; then
  # The database weights (runtime/src/weights/paritydb_weights.rs, the runtime's DbWeight): the
  # time to read and to write one item of a grown chain's state in the node's database, by
  # the node's `benchmark storage` (frame-benchmarking-cli; the node's `storage-benchmark`
  # feature, release profile: the native code operators run, without the production
  # profile's hour of LTO). The state: the load benchmark's chain (tests/load/load.js) with
  # BENCH_STORAGE_GRANTS grants in its genesis (default 1 000 000) and BENCH_STORAGE_SECONDS
  # (default 60) of practitioners anchoring 100 records a transaction on top, kept in
  # $MEDCHAIN_CACHE/bench-state (made once; delete it to make it again).
  echo "bench: building the node with benchmark storage (release profile)"
  # frame-benchmarking-cli's test runtime serves only `--mode validate-block` (a parachain's
  # proof of validity): not built (the wasm builder cannot find it in the workspace's metadata,
  # where it is an optional dependency).
  SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1 \
    cargo build --locked --release -p medchain-node --features storage-benchmark
  node_bin="$CARGO_TARGET_DIR/release/medchain-node"
  state="$MEDCHAIN_CACHE/bench-state"
  if ! [ -d "$state/db" ]; then
    echo "bench: making the state to measure in $state"
    rm -rf "$state.tmp"
    MEDCHAIN_NODE="$node_bin" node tests/load/load.js \
      --genesis-grants "${BENCH_STORAGE_GRANTS:-1000000}" --phases anchor_many \
      --rate 1000 --seconds "${BENCH_STORAGE_SECONDS:-60}" --keep "$state.tmp" \
      --json "$header.json" >&2
    node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1])); console.log(`the load benchmark chain: ${r.options.genesisGrants} grants in genesis, ${r.options.patients} patients, ${r.state.records} records anchored, ${(r.state.databaseBytes / 1048576).toFixed(0)} MiB of database`)' \
      "$header.json" >"$state.tmp/about"
    rm -f "$header.json"
    mv "$state.tmp" "$state"
  fi
  echo "// Measured on: $machine." >"$header"
  echo "// Node: medchain-node $(git rev-parse --short HEAD), release profile, --features storage-benchmark; state: $(cat "$state/about")." >>"$header"
  # Each read and each write of every key of the state (the trie cache off: every read reaches
  # the database, as a cold block's would), written in batches of 20 000 (about what a full
  # block writes) whose commit computes the state root. The weight: the average × 1.1
  # (polkadot's margin).
  "$node_bin" benchmark storage \
    --chain "$state/load-spec.json" --base-path "$state/db" --database paritydb \
    --state-version 1 --batch-size 20000 --mul 1.1 \
    --header "$header" --template-path .maintain/db-weight-template.hbs \
    --weight-path runtime/src/weights/paritydb_weights.rs
  cargo fmt --all
  echo "bench: done; review the diff, run scripts/test.sh and commit the weights."
  exit 0
fi

OMNI_VERSION=0.28.0 # the frame-omni-bencher of polkadot-sdk stable2609 (frame-benchmarking-cli 64)
TOOLS="$MEDCHAIN_CACHE/tools"
OMNI="$TOOLS/bin/frame-omni-bencher"
if ! [ -x "$OMNI" ] || ! "$OMNI" --version 2>/dev/null | grep -q "$OMNI_VERSION"; then
  echo "bench: installing frame-omni-bencher $OMNI_VERSION into $TOOLS (once; ~30 min on 2 cores)"
  # Without the workspace hint: the bencher builds a test runtime of its own with wasm-builder,
  # which must not look for it in medchain's workspace.
  env -u WASM_BUILD_WORKSPACE_HINT cargo install --locked --root "$TOOLS" frame-omni-bencher --version "$OMNI_VERSION"
fi

BENCH_TARGET="$MEDCHAIN_CACHE/target-bench"
echo "bench: building the runtime with runtime-benchmarks (target directory: $BENCH_TARGET)"
CARGO_TARGET_DIR="$BENCH_TARGET" cargo build --locked -p medchain-runtime --features runtime-benchmarks
WASM="$BENCH_TARGET/debug/wbuild/medchain-runtime/medchain_runtime.wasm"
[ -f "$WASM" ] || { echo "bench: no runtime at $WASM" >&2; exit 1; }

pallets=("$@")
if [ ${#pallets[@]} -eq 0 ]; then
  mapfile -t pallets < <(sed -n 's/^\t\[\([a-z_]*\), .*\]$/\1/p' runtime/src/benchmarks.rs)
fi

{
  echo "// Measured on: $machine."
  echo "// Runtime: medchain-runtime $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- runtime pallets primitives || echo ' (with uncommitted changes)'), wasm built by $(rustc --version | cut -d' ' -f1-2) in release, --features runtime-benchmarks."
} >"$header"

mkdir -p runtime/src/weights
failed=()
for pallet in "${pallets[@]}"; do
  if [ "$pallet" = overhead ]; then
    # An empty block, and a block of remarks signed by Alice (a validator and council member,
    # whom admission lets remark). Admission lets one account sign 64 transactions a window:
    # the block holds 60 (the average over 60 transactions, 100 blocks).
    echo "bench: overhead -> runtime/src/weights/{block,extrinsic}_weights.rs"
    if "$OMNI" v1 benchmark overhead \
      --runtime "$WASM" --genesis-builder-preset development \
      --warmup 10 --repeat "${BENCH_OVERHEAD_REPEAT:-100}" --max-ext-per-block 60 \
      --header "$header" --weight-path runtime/src/weights; then
      # The runtime reaches these crates through frame-support.
      sed -i -e 's/use sp_core::parameter_types;/use frame_support::parameter_types;/' \
        -e 's/use sp_weights::/use frame_support::weights::/' \
        runtime/src/weights/block_weights.rs runtime/src/weights/extrinsic_weights.rs
    else
      failed+=(overhead)
    fi
    continue
  fi
  case "$pallet" in
    pallet_admission | pallet_providers | pallet_patients | pallet_consent | pallet_records | pallet_audit | pallet_validator_set | pallet_upgrades)
      dir="pallets/$(echo "${pallet#pallet_}" | tr _ -)"
      output="$dir/src/weights.rs"
      template=.maintain/pallet-weight-template.hbs ;;
    *)
      output="runtime/src/weights/$pallet.rs"
      template=.maintain/runtime-weight-template.hbs ;;
  esac
  echo "bench: $pallet -> $output"
  "$OMNI" v1 benchmark pallet \
    --runtime "$WASM" \
    --genesis-builder-preset development \
    --pallet "$pallet" --extrinsic '*' \
    --steps "${BENCH_STEPS:-50}" --repeat "${BENCH_REPEAT:-20}" \
    --wasm-execution compiled \
    --header "$header" --template "$template" \
    --output "$output" \
    --no-storage-info || failed+=("$pallet")
  if [ "$pallet" = pallet_grandpa ]; then
    # Its WeightInfo also takes staking's nominators per validator (0 here, not a component).
    sed -i 's/fn report_equivocation(v: u32, )/fn report_equivocation(v: u32, _max_nominators_per_validator: u32, )/' "$output"
  fi
done
# The generated files in the tree's style (rustfmt.toml; `cargo fmt --check` is a test step).
cargo fmt --all
if [ ${#failed[@]} -gt 0 ]; then
  echo "bench: FAILED: ${failed[*]} (their weights files are unchanged)" >&2
  exit 1
fi
echo "bench: done; review the diff, run scripts/test.sh and commit the weights."
