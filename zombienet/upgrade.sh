#!/usr/bin/env bash
# The live runtime upgrade test (zombienet/upgrade.zndsl): four validators start on the previous
# runtime release (runtime/releases/medchain-<spec>.wasm.zst, checked against its recorded hash)
# and the council upgrades them to the runtime this build embeds.
#   zombienet/upgrade.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$MEDCHAIN_ROOT"

RELEASES=runtime/releases
# The previous release and its recorded hash, from the releases' manifest.
read -r release expected < <(python3 - "$RELEASES/releases.json" <<'PY'
import json, sys
manifest = json.load(open(sys.argv[1]))
release = next(r for r in manifest["releases"] if r["name"] == manifest["previous"])
print(release["name"], release["codeHash"])
PY
) || { echo "upgrade: $RELEASES/releases.json names no previous release" >&2; exit 1; }
WORK="$(mktemp -d -t medchain-upgrade-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

zstd -q -d "$RELEASES/$release.wasm.zst" -o "$WORK/previous.wasm"
actual="0x$(python3 -c 'import hashlib,sys; print(hashlib.blake2b(open(sys.argv[1], "rb").read(), digest_size=32).hexdigest())' "$WORK/previous.wasm")"
if [ "$actual" != "$expected" ]; then
  echo "upgrade: $release decompresses to code hash $actual, not the recorded $expected" >&2
  exit 1
fi

# The local chain's plain spec, with the previous release as its runtime: zombienet makes the
# raw spec with the node's `build-spec --raw`, which builds the genesis state with the spec's own runtime.
"$MEDCHAIN_NODE" export-chain-spec --chain local 2>/dev/null | python3 -c '
import json, sys
spec = json.load(sys.stdin)
spec["genesis"]["runtimeGenesis"]["code"] = "0x" + open(sys.argv[1], "rb").read().hex()
json.dump(spec, open(sys.argv[2], "w"))
' "$WORK/previous.wasm" "$WORK/previous-spec.json"

export MEDCHAIN_UPGRADE_SPEC="$WORK/previous-spec.json"
# The upgrade: the runtime this build's node embeds.
export MEDCHAIN_UPGRADE_WASM="$CARGO_TARGET_DIR/debug/wbuild/medchain-runtime/medchain_runtime.wasm"
export MEDCHAIN_UPGRADE_FROM="${release#medchain-}"
# The CLI whose audit export the test runs across the upgrade.
export MEDCHAIN_CLI="${MEDCHAIN_CLI:-$CARGO_TARGET_DIR/debug/medchain}"
bash zombienet/run.sh zombienet/upgrade.zndsl
