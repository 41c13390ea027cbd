#!/usr/bin/env bash
# Builds a consortium's chain spec from its operators' public keys: `medchain-node
# consortium-spec`, which parses every key, peer id and organisation kind with the runtime's
# own types and builds the genesis with the runtime's own function.
#
#   scripts/consortium-spec.sh operators.json > medchain-consortium.raw.json
#
# operators.json: one entry per operator, in order (organisation ids 0, 1, …):
#   [{"name": "St Mary's", "kind": "Hospital", "admin": "<ss58>", "aura": "<ss58>",
#     "grandpa": "<ss58>", "peerId": "12D3KooW…", "licenseHash": "0x…"}, …]
# ("kind": an organisation kind, e.g. Hospital, Lab, Insurer; "licenseHash" (required): the 32-byte hash of
# the licence document, optional; "name" is for you, it does not go on chain.)
# Each operator's admin holds a council seat and administers its organisation; its aura and
# grandpa keys (scripts/validator-keys.sh prints them) make its node a validator (its session
# keys at genesis; the validator set's floor is min(3, operators)); its peerId is authorised
# to connect (owned by its admin). No sudo.
# Refuses a placeholder key of the template, an operator whose admin account is its session
# (aura or grandpa) key, and two operators sharing a key or a node.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

OPERATORS="${1:?usage: $0 operators.json > spec.raw.json}"
[ -x "$MEDCHAIN_NODE" ] || { echo "consortium-spec: build the node first (scripts/build.sh)" >&2; exit 1; }
exec "$MEDCHAIN_NODE" consortium-spec "$OPERATORS"
