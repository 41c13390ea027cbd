#!/usr/bin/env bash
# Builds a commit's runtime at a fixed location, so that operators who build the same commit
# with the same toolchain get the same bytes wherever their checkout and build cache are: the
# code whose hash the council votes on (docs/operators.md, "Upgrading the runtime").
#
#   scripts/release-runtime.sh [<commit>]     (default: HEAD; the commit, not the working tree)
#
# The wasm's bytes depend on the paths of the build (cargo derives the symbol hashes of the
# wasm build from the path between the target directory and the sources; the linker's layout
# follows them). This script exports the commit with `git archive` to $RELEASE_DIR/src, builds
# with the target directory $RELEASE_DIR/target and a cargo home $RELEASE_DIR/cargo (crates
# copied from this machine's cargo cache, or fetched from crates.io), and prints the wasm's
# file, size and BLAKE2b-256 hash. RELEASE_DIR is /var/tmp/medchain-release: every operator
# uses the same. First run ~20 min on 2 cores (a build of the runtime and its dependencies).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$MEDCHAIN_ROOT"
medchain_require_setup release-runtime

REV="$(git rev-parse --verify "${1:-HEAD}^{commit}")"
RELEASE_DIR=/var/tmp/medchain-release
SRC="$RELEASE_DIR/src"
TARGET="$RELEASE_DIR/target"
HOME_CARGO="$RELEASE_DIR/cargo"

mkdir -p "$RELEASE_DIR" "$HOME_CARGO/registry"
rm -rf "$SRC"
mkdir -p "$SRC"
git archive "$REV" | tar -x -C "$SRC"
# The crates, at a fixed path: the index and the downloaded archives of this machine's cargo
# (sources are unpacked by cargo under $HOME_CARGO).
for part in index cache; do
  if [ ! -d "$HOME_CARGO/registry/$part" ] && [ -d "${CARGO_HOME:-$HOME/.cargo}/registry/$part" ]; then
    cp -r "${CARGO_HOME:-$HOME/.cargo}/registry/$part" "$HOME_CARGO/registry/"
  fi
done

echo "release-runtime: building the runtime of $REV in $SRC (log: $RELEASE_DIR/build.log)" >&2
(
  cd "$SRC"
  env CARGO_HOME="$HOME_CARGO" CARGO_TARGET_DIR="$TARGET" WASM_BUILD_WORKSPACE_HINT="$SRC" \
    WASM_BUILD_RUSTFLAGS="--remap-path-prefix=$HOME_CARGO=/cargo --remap-path-prefix=$SRC=/medchain --remap-path-prefix=$TARGET=/target" \
    cargo build --locked -p medchain-runtime
) >"$RELEASE_DIR/build.log" 2>&1 || { tail -n 30 "$RELEASE_DIR/build.log" >&2; exit 1; }

WASM="$TARGET/debug/wbuild/medchain-runtime/medchain_runtime.wasm"
[ -f "$WASM" ] || { echo "release-runtime: no runtime at $WASM" >&2; exit 1; }
python3 - "$WASM" "$REV" "$(rustc --version)" <<'PY'
import hashlib, json, sys
wasm, rev, toolchain = sys.argv[1:4]
code = open(wasm, "rb").read()
print(json.dumps({
    "file": wasm,
    "bytes": len(code),
    "codeHash": "0x" + hashlib.blake2b(code, digest_size=32).hexdigest(),
    "commit": rev,
    "toolchain": toolchain,
}))
PY
