#!/usr/bin/env bash
# Builds a consortium's chain spec from the `consortium` template and the operators' keys.
#
#   scripts/consortium-spec.sh operators.json > medchain-consortium.raw.json
#
# operators.json: one entry per operator, in order (organisation ids 0, 1, …):
#   [{"name": "St Mary's", "kind": "Hospital", "admin": "<ss58>", "aura": "<ss58>",
#     "grandpa": "<ss58>", "peerId": "12D3KooW…", "licenseHash": "0x…"}, …]
# ("kind": Hospital, Clinic, Lab, Pharmacy, Insurer, Research, Regulator; "licenseHash": a
# 32-byte hash of the licence document, optional; "name" is for you, it does not go on chain.)
# Each operator's admin holds a council seat and administers its organisation; its aura and
# grandpa keys (scripts/validator-keys.sh prints them) make its node a validator (its session
# keys at genesis; the validator set's floor is min(3, operators)); its peerId is authorised
# to connect (owned by its admin). No sudo.
# Refuses a spec in which a placeholder key of the template would remain, or in which an
# operator's admin account is its session (aura or grandpa) key.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

OPERATORS="${1:?usage: $0 operators.json > spec.raw.json}"
[ -x "$MEDCHAIN_NODE" ] || { echo "consortium-spec: build the node first (scripts/build.sh)" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

"$MEDCHAIN_NODE" build-spec --chain consortium --disable-default-bootnode 2>/dev/null > "$WORK/template.json"
python3 - "$WORK/template.json" "$OPERATORS" "$WORK/plain.json" <<'PY'
import hashlib, json, sys
template, operators_file, out = sys.argv[1:]
spec = json.load(open(template))
operators = json.load(open(operators_file))
if not operators:
    sys.exit("consortium-spec: operators.json lists no operator")
patch = spec["genesis"]["runtimeGenesis"]["patch"]
placeholders = {k["aura"] for _, _, k in patch["session"]["keys"]} | {k["grandpa"] for _, _, k in patch["session"]["keys"]}
kinds = {"Hospital", "Clinic", "Lab", "Pharmacy", "Insurer", "Research", "Regulator"}
for i, op in enumerate(operators):
    for field in ("kind", "admin", "aura", "grandpa", "peerId"):
        if field not in op:
            sys.exit(f"consortium-spec: operator {i} has no {field!r}")
    if op["kind"] not in kinds:
        sys.exit(f"consortium-spec: operator {i}: kind {op['kind']!r} is not one of {sorted(kinds)}")
    if op["admin"] in (op["aura"], op["grandpa"]):
        sys.exit(f"consortium-spec: operator {i}: the admin account is its session key; the admin "
                 "(council seat, staff administration) must be a separate key kept off the server")
# A validator's account (its id in the validator set) is its Aura key's account.
patch["session"]["keys"] = [[op["aura"], op["aura"], {"aura": op["aura"], "grandpa": op["grandpa"]}] for op in operators]
patch["validatorSet"] = {"minimumValidators": min(3, len(operators))}
patch["councilMembership"]["members"] = [op["admin"] for op in operators]
patch["providers"]["organisations"] = [
    [op["admin"], op["kind"], op.get("licenseHash") or "0x" + hashlib.blake2b(
        f"licence of operator {i}".encode(), digest_size=32).hexdigest()]
    for i, op in enumerate(operators)
]
patch["sudo"] = {"key": None}
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
def peer_id_bytes(text):
    n = 0
    for c in text:
        if c not in B58:
            sys.exit(f"consortium-spec: {text!r} is not a base58 peer id")
        n = n * 58 + B58.index(c)
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return list(b"\0" * (len(text) - len(text.lstrip("1"))) + raw)
patch["nodeAuthorization"] = {"nodes": [[peer_id_bytes(op["peerId"]), op["admin"]] for op in operators]}
left = placeholders & set(json.dumps(patch).replace('"', ' ').split())
if left:
    sys.exit(f"consortium-spec: placeholder keys remain: {sorted(left)}")
spec["name"] = "medchain consortium"
json.dump(spec, open(out, "w"), indent=1)
PY
"$MEDCHAIN_NODE" build-spec --chain "$WORK/plain.json" --raw --disable-default-bootnode 2>/dev/null
