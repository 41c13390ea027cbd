#!/usr/bin/env bash
# Takes a fresh Debian machine to one that builds, runs and tests medchain. Idempotent:
# every step checks whether it is already done, so a second run takes seconds.
#
#   scripts/setup.sh            # as root, or as a user with sudo
#
# What it does:
#   1. Debian packages the build needs (clang/libclang for bindgen, protoc, lld for wasm links).
#   2. A wasm toolchain for the runtime. Where `rustup target add wasm32v1-none` works (a machine
#      with internet), that is all. Where rustup cannot download (a registry-only network), it
#      builds the `wasm32v1-none` core/alloc libraries from Debian's `rust-web-src` with Debian's
#      `rustc-web` and installs them into that toolchain, linked into rustup as `debian-web`
#      (see docs/development.md, "The wasm toolchain"). The chosen toolchain is written to
#      ~/.cache/medchain/env, which scripts/env.sh reads.
#      MEDCHAIN_DEBIAN_WASM=1 takes the Debian path even where rustup could download.
#   3. The JavaScript test dependencies (polkadot.js, zombienet), pinned in tests/package-lock.json.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${MEDCHAIN_CACHE:-$HOME/.cache/medchain}"
mkdir -p "$CACHE"
ENV_FILE="$CACHE/env"

log() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
die() { printf '\033[1;31msetup: error:\033[0m %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "not root and no sudo: run this script as root, or install the packages listed in docs/development.md by hand."
  SUDO="sudo"
fi

command -v cargo >/dev/null && command -v rustup >/dev/null \
  || die "rustup and cargo are missing: install rustup (https://rustup.rs), then run this script again."

# ---------------------------------------------------------------------------------------------
# 1. Debian packages
# ---------------------------------------------------------------------------------------------
# zstd: the runtime releases in runtime/releases/ are zstd-compressed (zombienet/upgrade.sh).
# jq: scripts/test.sh reads cargo's JSON report of the test executables it built.
APT_PKGS=(clang libclang-dev protobuf-compiler pkg-config make curl zstd jq)
missing_pkgs() {
  local p out=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || out+=("$p"); done
  echo "${out[@]:-}"
}
apt_install() {
  local missing
  missing="$(missing_pkgs "$@")"
  [ -z "$missing" ] && return 0
  log "installing Debian packages: $missing"
  if [ ! -f "$CACHE/apt-updated" ]; then $SUDO apt-get update -qq && touch "$CACHE/apt-updated"; fi
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
}
command -v apt-get >/dev/null || die "this script knows Debian/Ubuntu (apt-get); on another system install: ${APT_PKGS[*]}, a wasm32v1-none Rust target and Node.js ≥ 18."
apt_install "${APT_PKGS[@]}"

# ---------------------------------------------------------------------------------------------
# 2. The wasm toolchain for the runtime
# ---------------------------------------------------------------------------------------------
write_env() { printf '%s\n' "$@" > "$ENV_FILE"; }

# MEDCHAIN_DEBIAN_WASM=1 forces the Debian path (to test it where rustup could download).
if [ "${MEDCHAIN_DEBIAN_WASM:-0}" != 1 ] && rustup target list --installed 2>/dev/null | grep -qx 'wasm32v1-none'; then
  log "wasm32v1-none target present in rustup's default toolchain"
  write_env "# written by scripts/setup.sh" "unset WASM_BUILD_TOOLCHAIN"
elif [ "${MEDCHAIN_DEBIAN_WASM:-0}" != 1 ] && rustup target add wasm32v1-none >/dev/null 2>&1; then
  log "added wasm32v1-none with rustup"
  write_env "# written by scripts/setup.sh" "unset WASM_BUILD_TOOLCHAIN"
else
  log "rustup cannot add wasm32v1-none here: using Debian's rustc-web for the runtime's wasm"
  apt_install rustc-web cargo-web rust-web-src lld-22
  [ -x /usr/bin/rust-lld ] || die "/usr/bin/rust-lld is missing although lld-22 is installed; check 'dpkg -L lld-22'."
  if ! rustup toolchain list | grep -q '^debian-web'; then
    rustup toolchain link debian-web /usr
  fi
  SYSROOT_LIB=/usr/lib/rustlib/wasm32v1-none/lib
  STAMP="$SYSROOT_LIB/.medchain-rustc-stamp"
  WANT="$(/usr/bin/rustc -vV)"
  if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ] || ! ls "$SYSROOT_LIB"/libcore-*.rlib >/dev/null 2>&1; then
    log "building core/alloc for wasm32v1-none from Debian's rust sources (~1 min)"
    WORK="$(mktemp -d)"
    trap 'rm -rf "$WORK"' EXIT
    mkdir -p "$WORK/src"
    cat > "$WORK/Cargo.toml" <<'TOML'
[package]
name = "wasm-sysroot-seed"
version = "0.0.0"
edition = "2021"
[lib]
crate-type = ["cdylib"]
[workspace]
[profile.release]
panic = "abort"
TOML
    cat > "$WORK/src/lib.rs" <<'RS'
#![no_std]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
RS
    # The crate itself may fail to link; only the standard library's rlibs matter.
    (cd "$WORK" && RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Cembed-bitcode=yes" \
      CARGO_TARGET_DIR="$WORK/target" /usr/bin/cargo build -q --release --target wasm32v1-none \
      -Zbuild-std=core,alloc >"$WORK/build.log" 2>&1) || true
    ls "$WORK"/target/wasm32v1-none/release/deps/libcore-*.rlib >/dev/null 2>&1 \
      || { cat "$WORK/build.log" >&2; die "building core for wasm32v1-none failed (log above)"; }
    $SUDO mkdir -p "$SYSROOT_LIB"
    $SUDO rm -f "$SYSROOT_LIB"/lib{core,alloc,compiler_builtins}-*.rlib
    $SUDO cp "$WORK"/target/wasm32v1-none/release/deps/lib{core,alloc,compiler_builtins}-*.rlib "$SYSROOT_LIB/"
    printf '%s' "$WANT" | $SUDO tee "$STAMP" >/dev/null
  else
    log "wasm32v1-none libraries for Debian's rustc already installed"
  fi
  write_env "# written by scripts/setup.sh" "export WASM_BUILD_TOOLCHAIN=debian-web"
fi

# ---------------------------------------------------------------------------------------------
# 3. JavaScript test dependencies
# ---------------------------------------------------------------------------------------------
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_install nodejs npm
fi
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[ "$NODE_MAJOR" -ge 18 ] || die "Node.js $NODE_MAJOR is too old for the tests; install Node.js ≥ 18."
if [ ! -d "$ROOT/tests/node_modules" ] || [ "$ROOT/tests/package-lock.json" -nt "$ROOT/tests/node_modules/.package-lock.json" ]; then
  log "installing JavaScript test dependencies (npm ci)"
  (cd "$ROOT/tests" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
else
  log "JavaScript test dependencies present"
fi

if [ ! -d "$ROOT/portal/node_modules" ] || [ "$ROOT/portal/package-lock.json" -nt "$ROOT/portal/node_modules/.package-lock.json" ]; then
  log "installing the patient portal's dependencies (npm ci)"
  (cd "$ROOT/portal" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
else
  log "patient portal dependencies present"
fi

# ---------------------------------------------------------------------------------------------
# 4. What the tests run against: a browser, a database server, an API fuzzer
# ---------------------------------------------------------------------------------------------
# Debian's Chromium (the portal's tests drive it headless through playwright-core) and
# PostgreSQL (the gateway's tests start a throwaway server of their own: scripts/postgres.sh).
# Both from Debian's archive: the version is Debian 12's (security updates included); the
# tests print the version they ran against.
apt_install chromium postgresql
# schemathesis (PyPI), pinned, in a virtualenv of its own: it fuzzes the gateway against its
# OpenAPI document (scripts/gateway-schemathesis.sh).
SCHEMATHESIS_VERSION=4.32.5
VENV="$CACHE/venv"
if [ ! -x "$VENV/bin/st" ] || ! "$VENV/bin/python" -m pip show schemathesis 2>/dev/null | grep -q "^Version: $SCHEMATHESIS_VERSION$"; then
  command -v python3 >/dev/null || apt_install python3
  python3 -m venv --help >/dev/null 2>&1 || apt_install python3-venv
  log "installing schemathesis $SCHEMATHESIS_VERSION (PyPI) in $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
else
  log "schemathesis $SCHEMATHESIS_VERSION present"
fi

log "done. Build and test with: scripts/test.sh   Run a dev chain with: scripts/run.sh"
