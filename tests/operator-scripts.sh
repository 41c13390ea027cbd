#!/usr/bin/env bash
# Tests the operator key scripts (security review M-12): validator-keys.sh never makes the
# admin account the session key and never takes a secret from argv; consortium-spec.sh refuses
# a wrong operator entry by name (its admin as its session key among them). Needs the built node ($MEDCHAIN_NODE).
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$MEDCHAIN_ROOT"
KEYS=scripts/validator-keys.sh
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
fails=0
ok() { echo "ok: $1"; }
bad() { echo "FAILED: $1" >&2; fails=$((fails + 1)); }
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
# expect_refused <name> <stderr pattern> <command…>
expect_refused() {
  local name="$1" pattern="$2"; shift 2
  if "$@" > "$WORK/out" 2> "$WORK/err"; then bad "$name: accepted"; return; fi
  if grep -q -- "$pattern" "$WORK/err"; then ok "$name"; else bad "$name: error was: $(cat "$WORK/err")"; fi
}

# 1. A new session secret and a new, separate admin key.
if bash $KEYS --chain local --base-path "$WORK/v1" --admin-secret-out "$WORK/admin1" > "$WORK/v1.json" 2> "$WORK/err"; then
  admin="$(field "$WORK/v1.json" admin)"; aura="$(field "$WORK/v1.json" aura)"; grandpa="$(field "$WORK/v1.json" grandpa)"
  [ "$admin" != "$aura" ] && [ "$admin" != "$grandpa" ] && ok "admin differs from the session keys" || bad "admin equals a session key: $(cat "$WORK/v1.json")"
  [ "$(stat -c %a "$WORK/admin1")" = 600 ] && [ "$(stat -c %a "$WORK/v1/validator-secret")" = 600 ] \
    && ok "secrets written 0600" || bad "secret file modes"
  [ "$(ls "$WORK"/v1/chains/*/keystore | wc -l)" = 2 ] && ok "aura and gran keys in the keystore" || bad "keystore: $(ls "$WORK"/v1/chains/*/keystore)"
  grep -q "$(cut -c1-20 < "$WORK/admin1")" -r "$WORK/v1" && bad "the admin secret is on the validator's base path" || ok "the admin secret is not in the base path"
  [[ "$(field "$WORK/v1.json" peerId)" =~ ^12D3 ]] && ok "peer id printed" || bad "peer id"
else
  bad "validator-keys with --admin-secret-out: $(cat "$WORK/err")"
fi

# 2. The session secret read from stdin and from a file gives the same keys; --admin kept.
printf 'bottom drive obey lake curtain smoke basket hold race lonely fit walk//medchain-test\n' > "$WORK/secret"
alice=5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY
if bash $KEYS --chain local --base-path "$WORK/v2" --admin "$alice" --secret-file - < "$WORK/secret" > "$WORK/v2.json" 2> "$WORK/err" \
  && bash $KEYS --chain local --base-path "$WORK/v3" --admin "$alice" --secret-file "$WORK/secret" > "$WORK/v3.json" 2>> "$WORK/err"; then
  [ "$(field "$WORK/v2.json" aura)" = "$(field "$WORK/v3.json" aura)" ] && ok "stdin and file give the same keys" || bad "stdin and file differ"
  [ "$(field "$WORK/v2.json" admin)" = "$alice" ] && ok "--admin is printed as given" || bad "admin: $(cat "$WORK/v2.json")"
  [ ! -e "$WORK/v2/validator-secret" ] && ok "a given secret is not written again" || bad "validator-secret written for a given secret"
  # A validator restored from its backed-up secret on a new server keeps its authorised peer id
  # (issue 31: a restored validator got a new node key and could not rejoin).
  [ "$(field "$WORK/v2.json" peerId)" = "$(field "$WORK/v3.json" peerId)" ] && ok "the secret restores the node's peer id" || bad "peer ids differ: $(cat "$WORK/v2.json" "$WORK/v3.json")"
  [ "$(field "$WORK/v1.json" peerId)" != "$(field "$WORK/v2.json" peerId)" ] && ok "another secret, another peer id" || bad "two secrets, one peer id"
  # A node key already there is kept (an existing validator's authorised peer id).
  before="$(field "$WORK/v3.json" peerId)"
  bash $KEYS --chain local --base-path "$WORK/v3" --admin "$alice" --secret-file "$WORK/v1/validator-secret" > "$WORK/v3b.json" 2>> "$WORK/err" \
    && [ "$(field "$WORK/v3b.json" peerId)" = "$before" ] && ok "an existing node key is kept" || bad "node key replaced: $(cat "$WORK/v3b.json")"
else
  bad "validator-keys with --secret-file: $(cat "$WORK/err")"
fi

# 3. Refusals.
expect_refused "--suri is refused" "is refused" bash $KEYS --chain local --base-path "$WORK/r1" --admin "$alice" --suri "//Alice"
expect_refused "no admin named" "admin account" bash $KEYS --chain local --base-path "$WORK/r2"
session="$(field "$WORK/v2.json" aura)"
expect_refused "admin equal to the session key" "must not be the validator's session key" \
  bash $KEYS --chain local --base-path "$WORK/r3" --admin "$session" --secret-file "$WORK/secret"
expect_refused "an admin that is no address" "not an ss58 address" bash $KEYS --chain local --base-path "$WORK/r4" --admin nonsense
expect_refused "an admin given as a secret" "not an ss58 address" bash $KEYS --chain local --base-path "$WORK/r6" --admin //Alice
touch "$WORK/exists"
expect_refused "an existing admin secret file is not overwritten" "refusing to overwrite" \
  bash $KEYS --chain local --base-path "$WORK/r5" --admin-secret-out "$WORK/exists"

# 4. consortium-spec.sh (medchain-node consortium-spec): refusals name the operator and the field
#    and print nothing; separate keys give a raw spec whose genesis holds the operators.
# op FILE ADMIN-FROM [FIELD=VALUE …]: an operator entry from validator-keys' output FILE, its
# admin taken from the field ADMIN-FROM (admin, aura), kind Hospital, then FIELD=VALUE set.
op() { python3 - "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["kind"] = "Hospital"; d["admin"] = d[sys.argv[2]]
d["licenseHash"] = "0x" + "ab" * 32
for kv in sys.argv[3:]:
    k, v = kv.split("=", 1)
    if v == "<none>": del d[k]
    else: d[k] = v
print(json.dumps(d))
PY
}
spec_refused() {
  local name="$1" pattern="$2"; shift 2
  echo "[$*]" > "$WORK/ops.json"
  expect_refused "consortium-spec: $name" "$pattern" bash scripts/consortium-spec.sh "$WORK/ops.json"
  [ ! -s "$WORK/out" ] || bad "consortium-spec: $name: printed a spec"
}
# The template's first placeholder key (//medchain-consortium-operator-0), as ss58.
placeholder="$("$MEDCHAIN_NODE" key inspect --scheme sr25519 --output-type json //medchain-consortium-operator-0 | python3 -c 'import json,sys; print(json.load(sys.stdin)["ss58Address"])')"
spec_refused "admin equal to aura" "operator 0: the admin account is its session key" "$(op "$WORK/v1.json" aura)"
spec_refused "an unknown kind" 'operator 0: unknown variant `Hopsital`, expected one of `Hospital`' "$(op "$WORK/v1.json" admin kind=Hopsital)"
spec_refused "a missing peer id" 'operator 0: missing field `peerId`' "$(op "$WORK/v1.json" admin peerId='<none>')"
spec_refused "a missing licence hash" 'operator 0: missing field `licenseHash`' "$(op "$WORK/v1.json" admin licenseHash='<none>')"
spec_refused "a bad peer id" 'operator 0: peerId "12D3KooWnope" is not a node'"'"'s peer id' "$(op "$WORK/v1.json" admin peerId=12D3KooWnope)"
spec_refused "an aura key that is no address" 'operator 0: aura "//Alice" is not an ss58 address' "$(op "$WORK/v1.json" admin aura=//Alice)"
spec_refused "a placeholder key" "operator 0: a placeholder key of the consortium template" "$(op "$WORK/v1.json" admin aura="$placeholder")"
spec_refused "two operators with one admin" "operator 1: its admin account is an earlier operator's too" "$(op "$WORK/v1.json" admin),$(op "$WORK/v1.json" admin)"
spec_refused "no operator" "names no operator" ""
echo "[$(op "$WORK/v1.json" admin)]" > "$WORK/good.json"
if bash scripts/consortium-spec.sh "$WORK/good.json" > "$WORK/spec.json" 2> "$WORK/err"; then
  python3 -c "import json,sys; json.load(open(sys.argv[1]))['genesis']['raw']" "$WORK/spec.json" && ok "consortium-spec with separate keys" || bad "spec not raw"
  "$MEDCHAIN_NODE" consortium-spec --plain "$WORK/good.json" > "$WORK/plain.json" 2> "$WORK/err"
  if python3 - "$WORK/plain.json" "$WORK/v1.json" <<'PY'
import json, sys
patch = json.load(open(sys.argv[1]))["genesis"]["runtimeGenesis"]["patch"]
keys = json.load(open(sys.argv[2]))
assert patch["councilMembership"]["members"] == [keys["admin"]], patch["councilMembership"]
assert patch["session"]["keys"] == [[keys["aura"], keys["aura"], {"aura": keys["aura"], "grandpa": keys["grandpa"]}]], patch["session"]
assert patch["providers"]["organisations"][0][:2] == [keys["admin"], "Hospital"], patch["providers"]
assert patch["nodeAuthorization"]["nodes"][0][1] == keys["admin"], patch["nodeAuthorization"]
assert patch["sudo"]["key"] is None and patch["validatorSet"]["minimumValidators"] == 1
PY
  then ok "consortium-spec: the genesis holds the operator's seat, validator, organisation and node"
  else bad "consortium-spec: plain genesis: $(cat "$WORK/err")"; fi
else
  bad "consortium-spec with separate keys: $(cat "$WORK/err")"
fi

# 5. upgrade.js (the council's runtime upgrade; the steps themselves run in zombienet/upgrade.zndsl):
#    the hash of a runtime, and refusals before anything is sent.
UP="node scripts/upgrade.js"
printf 'not a runtime' > "$WORK/code.wasm"
if $UP hash "$WORK/code.wasm" > "$WORK/hash.json" 2> "$WORK/err"; then
  expected="$(node -e "const {blake2AsHex}=require('./tests/node_modules/@polkadot/util-crypto'); console.log(blake2AsHex(require('fs').readFileSync(process.argv[1]), 256))" "$WORK/code.wasm")"
  [ "$(field "$WORK/hash.json" codeHash)" = "$expected" ] && ok "upgrade.js hash is BLAKE2b-256 of the file" || bad "upgrade.js hash: $(cat "$WORK/hash.json")"
else
  bad "upgrade.js hash: $(cat "$WORK/err")"
fi
$UP > /dev/null 2>&1; [ $? = 2 ] && ok "upgrade.js without a command exits 2" || bad "upgrade.js usage exit code"
expect_refused "upgrade.js: no runtime file" "no runtime at" $UP hash "$WORK/missing.wasm"
expect_refused "upgrade.js: a seat key is never an argument" "unknown option --suri" $UP propose "$WORK/code.wasm" --suri //Alice
expect_refused "upgrade.js: propose without a key" "no seat key" env -u MEDCHAIN_SEAT_SECRET $UP propose "$WORK/code.wasm"
expect_refused "upgrade.js: a node that is not there" "no node answers at ws://127.0.0.1:1" $UP status --url ws://127.0.0.1:1

echo "operator scripts: $fails failed"
[ "$fails" = 0 ]
