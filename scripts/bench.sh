#!/usr/bin/env bash
# Regenerates the runtime's weights by running every benchmark in the medchain runtime on this
# machine (issue "measured weights"; docs/development.md, docs/performance.md).
#
#   scripts/bench.sh [pallet ...]      # default: every pallet of runtime/src/benchmarks.rs
#   scripts/bench.sh overhead          # the block and extrinsic base weights
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

header="$(mktemp)"
trap 'rm -f "$header"' EXIT
{
  echo "// Measured on: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(. /etc/os-release && echo "$PRETTY_NAME")."
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
done
# The generated files in the tree's style (rustfmt.toml; `cargo fmt --check` is a test step).
cargo fmt --all
if [ ${#failed[@]} -gt 0 ]; then
  echo "bench: FAILED: ${failed[*]} (their weights files are unchanged)" >&2
  exit 1
fi
echo "bench: done; review the diff, run scripts/test.sh and commit the weights."
