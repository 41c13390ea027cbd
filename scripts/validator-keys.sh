#!/usr/bin/env bash
# Creates a validator's keys and puts them into its node's keystore.
#
#   scripts/validator-keys.sh --chain <spec.json|local|consortium> --base-path <dir> \
#       (--admin <ss58> | --admin-secret-out <file>) [--secret-file <file>|-]
#
# - The validator's session secret: read from --secret-file (a file, or `-` for stdin), or,
#   without it, a new 24-word phrase written to <dir>/validator-secret (mode 0600): BACK IT UP
#   OFFLINE, then delete it from the server. A secret is never taken from the command line
#   (`--suri` is refused: argv is readable by every user of the machine, through `ps`).
# - Inserts the Aura key (sr25519, key type "aura") and the GRANDPA key (ed25519, "gran")
#   derived from it into <dir>'s keystore for that chain. Only these live on the server.
# - The organisation's admin account (council seat, staff administration) is a different key,
#   never the session key: either the operator's existing account (--admin, kept offline or in
#   a hardware wallet), or a new one whose secret is written to --admin-secret-out (mode 0600;
#   move it off the server). An admin equal to the session key's account is refused.
# - Creates the node's network key if it has none, *derived from the session secret*
#   (ed25519, `<secret>//medchain-node-key`): restoring the backed-up secret on a new server
#   restores the same peer id, which is what governance authorised. A node key already there is
#   kept (a validator keyed before this derivation backs up its `network/secret_ed25519` file,
#   or governance swaps its authorised peer id: docs/operators.md §1).
# - Prints what the consortium needs from this operator, as JSON:
#   {"admin": …, "aura": …, "grandpa": …, "peerId": …}
# Uses the built medchain-node ($MEDCHAIN_NODE, see scripts/env.sh).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

die() { echo "validator-keys: $*" >&2; exit 2; }
usage="usage: $0 --chain <spec> --base-path <dir> (--admin <ss58> | --admin-secret-out <file>) [--secret-file <file>|-]"
CHAIN="" BASE="" SECRET_FILE="" ADMIN="" ADMIN_OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --chain) CHAIN="${2:-}"; shift 2 ;;
    --base-path) BASE="${2:-}"; shift 2 ;;
    --secret-file) SECRET_FILE="${2:-}"; shift 2 ;;
    --admin) ADMIN="${2:-}"; shift 2 ;;
    --admin-secret-out) ADMIN_OUT="${2:-}"; shift 2 ;;
    --suri) die "--suri is refused: a secret on the command line is visible to every user (ps); use --secret-file <file> or --secret-file - (stdin)" ;;
    *) die "unknown argument $1 ($usage)" ;;
  esac
done
[ -n "$CHAIN" ] && [ -n "$BASE" ] || die "$usage"
[ -n "$ADMIN" ] || [ -n "$ADMIN_OUT" ] || die "name the organisation's admin account (--admin <ss58>) or let the script make one (--admin-secret-out <file>): it must not be the validator's session key"
[ -z "$ADMIN" ] || [ -z "$ADMIN_OUT" ] || die "--admin and --admin-secret-out exclude each other"
[ -z "$ADMIN_OUT" ] || [ ! -e "$ADMIN_OUT" ] || die "$ADMIN_OUT exists; refusing to overwrite a secret"
[ -x "$MEDCHAIN_NODE" ] || { echo "validator-keys: build the node first (scripts/build.sh)" >&2; exit 1; }
NODE="$MEDCHAIN_NODE"
mkdir -p "$BASE"

phrase() { "$NODE" key generate --scheme sr25519 --words 24 --output-type json | python3 -c 'import json,sys; print(json.load(sys.stdin)["secretPhrase"])'; }
# Secrets reach the node's key commands as a *file path* (their --suri reads a file it names),
# never as an argument: a private temporary directory holds them while the script runs.
PRIVATE="$(umask 077; mktemp -d)"
trap 'rm -rf "$PRIVATE"' EXIT
SECRET="$PRIVATE/validator"
if [ -n "$SECRET_FILE" ]; then
  if [ "$SECRET_FILE" = - ]; then (umask 077; cat > "$SECRET"); else
    [ -r "$SECRET_FILE" ] || die "cannot read $SECRET_FILE"
    (umask 077; cat "$SECRET_FILE" > "$SECRET")
  fi
  [ -n "$(tr -d '[:space:]' < "$SECRET")" ] || die "the secret is empty"
else
  (umask 077; phrase > "$BASE/validator-secret"; cp "$BASE/validator-secret" "$SECRET")
  echo "validator-keys: new secret phrase in $BASE/validator-secret — back it up offline, then delete it" >&2
fi

"$NODE" key insert --chain "$CHAIN" --base-path "$BASE" --scheme sr25519 --key-type aura --suri "$SECRET"
"$NODE" key insert --chain "$CHAIN" --base-path "$BASE" --scheme ed25519 --key-type gran --suri "$SECRET"

# The network key: kept if there is one already; otherwise derived from the session secret, so
# that the secret alone restores the node's peer id. `generate-node-key` names the key's path
# (in `Generating key in "…"`, or `… already exists in "…"`); a key it just made is replaced by
# the derived one.
OUT="$("$NODE" key generate-node-key --chain "$CHAIN" --base-path "$BASE" 2>&1 >/dev/null || true)"
KEYFILE="$(printf '%s\n' "$OUT" | sed -n 's/.*in "\(.*secret_ed25519\)".*/\1/p' | head -n 1)"
[ -n "$KEYFILE" ] && [ -f "$KEYFILE" ] || die "no node key file: $OUT"
if printf '%s' "$OUT" | grep -q '^Generating key'; then
  (umask 077; printf '%s//medchain-node-key' "$(tr -d '\n' < "$SECRET")" > "$PRIVATE/node")
  SEED="$("$NODE" key inspect --scheme ed25519 --output-type json "$PRIVATE/node" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["secretSeed"][2:])')"
  [ ${#SEED} = 64 ] || die "could not derive the node key from the secret"
  (umask 077; printf '%s' "$SEED" > "$KEYFILE")
fi
PEER_ID="$("$NODE" key inspect-node-key --file "$KEYFILE")"

# inspect <scheme> <uri or file> <field>
inspect() { "$NODE" key inspect --scheme "$1" --output-type json "$2" | python3 -c "import json,sys; print(json.load(sys.stdin)['$3'])"; }
SR="$(inspect sr25519 "$SECRET" ss58Address)"
ED="$(inspect ed25519 "$SECRET" ss58Address)"

if [ -n "$ADMIN_OUT" ]; then
  (umask 077; phrase > "$ADMIN_OUT")
  ADMIN="$(inspect sr25519 "$ADMIN_OUT" ss58Address)"
  echo "validator-keys: new admin secret phrase in $ADMIN_OUT — move it off this server (it holds a council seat)" >&2
else
  # An ss58 address (a public key), never a secret: `key inspect` of an address prints no
  # secret fields.
  ADMIN_PUB="$("$NODE" key inspect --scheme sr25519 --output-type json "$ADMIN" 2>/dev/null \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); assert "publicKeyUri" in d; print(d["publicKey"])' 2>/dev/null)" \
    || die "--admin $ADMIN is not an ss58 address"
  for scheme in sr25519 ed25519; do
    [ "$ADMIN_PUB" != "$(inspect "$scheme" "$SECRET" publicKey)" ] \
      || die "the admin account must not be the validator's session key (that key sits on the server, in the keystore)"
  done
fi

printf '{"admin": "%s", "aura": "%s", "grandpa": "%s", "peerId": "%s"}\n' "$ADMIN" "$SR" "$ED" "$PEER_ID"
