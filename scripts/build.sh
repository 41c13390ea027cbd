#!/usr/bin/env bash
# Builds what is missing of the workspace (node, runtime and its wasm, pallets) into the
# persistent target directory. Incremental: after the first build only changed crates rebuild.
#   scripts/build.sh [extra cargo args]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MEDCHAIN_ROOT"

medchain_require_setup build
echo "build: cargo build --workspace (target directory: $CARGO_TARGET_DIR)"
echo "build: a first build compiles ~800 crates and takes about an hour on 2 cores; later ones take 1-2 minutes."
cargo build --workspace --locked "$@"
