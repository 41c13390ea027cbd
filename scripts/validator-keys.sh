#!/usr/bin/env bash
# Creates a validator's keys and puts them into its node's keystore.
#
#   scripts/validator-keys.sh --chain <spec.json|local|consortium> --base-path <dir> [--suri <secret>]
#
# - Without --suri, generates a new secret phrase and writes it to <dir>/validator-secret
#   (mode 0600): BACK IT UP OFFLINE, then delete it from the server.
# - Inserts the Aura key (sr25519, key type "aura") and the GRANDPA key (ed25519, "gran")
#   derived from the secret into <dir>'s keystore for that chain.
# - Creates the node's network key if it has none (its peer id is what governance authorises).
# - Prints what the consortium needs from this operator, as JSON:
#   {"admin": …, "aura": …, "grandpa": …, "peerId": …}  (the admin account is the sr25519
#   account of the same secret; use another secret with --suri for a separate admin key).
# Uses the built medchain-node ($MEDCHAIN_NODE, see scripts/env.sh).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

CHAIN="" BASE="" SURI=""
while [ $# -gt 0 ]; do
  case "$1" in
    --chain) CHAIN="$2"; shift 2 ;;
    --base-path) BASE="$2"; shift 2 ;;
    --suri) SURI="$2"; shift 2 ;;
    *) echo "validator-keys: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$CHAIN" ] && [ -n "$BASE" ] || { echo "usage: $0 --chain <spec> --base-path <dir> [--suri <secret>]" >&2; exit 2; }
[ -x "$MEDCHAIN_NODE" ] || { echo "validator-keys: build the node first (scripts/build.sh)" >&2; exit 1; }
NODE="$MEDCHAIN_NODE"
mkdir -p "$BASE"

if [ -z "$SURI" ]; then
  SURI="$("$NODE" key generate --scheme sr25519 --words 24 --output-type json | python3 -c 'import json,sys; print(json.load(sys.stdin)["secretPhrase"])')"
  (umask 077; printf '%s\n' "$SURI" > "$BASE/validator-secret")
  echo "validator-keys: new secret phrase in $BASE/validator-secret — back it up offline, then delete it" >&2
fi

"$NODE" key insert --chain "$CHAIN" --base-path "$BASE" --scheme sr25519 --suri "$SURI" --key-type aura
"$NODE" key insert --chain "$CHAIN" --base-path "$BASE" --scheme ed25519 --suri "$SURI" --key-type gran

# The network key: kept if there is one already.
PEER_ID="$("$NODE" key generate-node-key --chain "$CHAIN" --base-path "$BASE" 2>&1 >/dev/null | tail -n 1 || true)"
if ! [[ "$PEER_ID" =~ ^12D3 ]]; then
  KEYFILE="$(find "$BASE" -path '*network/secret_ed25519' | head -n 1)"
  PEER_ID="$("$NODE" key inspect-node-key --file "$KEYFILE")"
fi

inspect() { "$NODE" key inspect --scheme "$1" --output-type json "$SURI" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ss58Address"])'; }
SR="$(inspect sr25519)"
ED="$(inspect ed25519)"
printf '{"admin": "%s", "aura": "%s", "grandpa": "%s", "peerId": "%s"}\n' "$SR" "$SR" "$ED" "$PEER_ID"
