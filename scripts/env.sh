# Sourced by the project's scripts: the build environment in one place.
#
# - CARGO_TARGET_DIR: one persistent target directory outside the checkout
#   (~/.cache/medchain/target unless you set it), so every clone on this machine, CI's
#   included, reuses the ~800 compiled dependencies.
# - WASM_BUILD_WORKSPACE_HINT: with the target directory outside the workspace, the wasm
#   builder needs to be told where the workspace (and its Cargo.lock) is.
# - WASM_BUILD_TOOLCHAIN: chosen by scripts/setup.sh (rustup's own wasm target, or Debian's
#   rustc-web where rustup cannot download); see ~/.cache/medchain/env.
MEDCHAIN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MEDCHAIN_CACHE="${MEDCHAIN_CACHE:-$HOME/.cache/medchain}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$MEDCHAIN_CACHE/target}"
export WASM_BUILD_WORKSPACE_HINT="$MEDCHAIN_ROOT"
# Keep the build machine's paths ($HOME, the checkout, the build cache) out of the runtime's
# wasm. (That alone does not make the wasm independent of where it was built: a release's
# runtime, whose hash operators compare, is built by scripts/release-runtime.sh at a fixed
# location.)
export WASM_BUILD_RUSTFLAGS="--remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo --remap-path-prefix=$MEDCHAIN_ROOT=/medchain --remap-path-prefix=$CARGO_TARGET_DIR=/target"
# shellcheck disable=SC1091
[ -f "$MEDCHAIN_CACHE/env" ] && . "$MEDCHAIN_CACHE/env"
MEDCHAIN_NODE="$CARGO_TARGET_DIR/debug/medchain-node"
export MEDCHAIN_ROOT MEDCHAIN_CACHE MEDCHAIN_NODE

# Stops a script (named $1) that needs the toolchain on a machine that was never set up.
medchain_require_setup() {
  if [ ! -f "$MEDCHAIN_CACHE/env" ]; then
    echo "$1: the toolchain has not been set up on this machine: run scripts/setup.sh first." >&2
    exit 1
  fi
}
