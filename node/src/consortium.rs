//! `medchain-node consortium-spec operators.json`: the chain spec of a consortium, from its
//! operators' public keys.
//!
//! operators.json lists one entry per operator, in the order their organisations get their ids
//! (0, 1, …): `{"name": "St Mary's", "kind": "Hospital", "admin": "<ss58>", "aura": "<ss58>",
//! "grandpa": "<ss58>", "peerId": "12D3KooW…", "licenseHash": "0x…"}` — what
//! `scripts/validator-keys.sh` prints, with the organisation's kind. `kind` is an
//! [`OrganisationKind`]; `licenseHash` (required) the 32-byte hash of the licence document;
//! `name` is for the people reading the file and does not go on chain. The genesis itself is
//! the runtime's ([`consortium_genesis`]), which refuses what would make an unsafe chain.

use std::{path::PathBuf, str::FromStr};

use medchain_primitives::{Hash32, OrganisationKind};
use medchain_runtime::{
	genesis_config_presets::{consortium_genesis, Authority, ConsortiumOperator},
	AccountId,
};
use sc_network::PeerId;
use serde::Deserialize;
use sp_core::{crypto::Ss58Codec, ed25519, sr25519, OpaquePeerId};

use crate::chain_spec;

/// Build a consortium's chain spec from its operators' public keys (printed raw, to stdout).
#[derive(Debug, clap::Args)]
pub struct ConsortiumSpecCmd {
	/// The operators' JSON file (see docs/operators.md, "The chain spec").
	pub operators: PathBuf,

	/// Print the plain spec (the genesis as a readable patch) instead of the raw one.
	#[arg(long)]
	pub plain: bool,
}

/// One entry of operators.json, as written.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
	kind: OrganisationKind,
	admin: String,
	aura: String,
	grandpa: String,
	peer_id: String,
	/// Required: the hash of the licence document governance checked (no placeholder is made
	/// up for a real chain).
	license_hash: Hash32,
}

impl ConsortiumSpecCmd {
	/// The chain spec, as JSON; or the message that says what is wrong with operators.json.
	pub fn run(&self) -> Result<String, String> {
		let file = self.operators.display();
		let text = std::fs::read_to_string(&self.operators)
			.map_err(|e| format!("consortium-spec: cannot read {file}: {e}"))?;
		let entries: Vec<serde_json::Value> = serde_json::from_str(&text)
			.map_err(|e| format!("consortium-spec: {file} is not a JSON list of operators: {e}"))?;
		let operators = entries
			.into_iter()
			.enumerate()
			.map(|(i, value)| {
				operator(value).map_err(|e| format!("consortium-spec: operator {i}: {e}"))
			})
			.collect::<Result<Vec<_>, _>>()?;
		let patch = consortium_genesis(&operators).map_err(|e| format!("consortium-spec: {e}"))?;
		chain_spec::consortium(Some(patch))?.as_json(!self.plain)
	}
}

/// An operator of the file, its keys and peer id parsed by their own types.
fn operator(value: serde_json::Value) -> Result<ConsortiumOperator, String> {
	let entry: Entry = serde_json::from_value(value).map_err(|e| e.to_string())?;
	let admin = AccountId::from_ss58check(&entry.admin)
		.map_err(|_| format!("admin {:?} is not an ss58 address", entry.admin))?;
	let aura = sr25519::Public::from_ss58check(&entry.aura)
		.map_err(|_| format!("aura {:?} is not an ss58 address", entry.aura))?;
	let grandpa = ed25519::Public::from_ss58check(&entry.grandpa)
		.map_err(|_| format!("grandpa {:?} is not an ss58 address", entry.grandpa))?;
	// A node's peer id names its ed25519 network key (`key inspect-node-key` prints it); the
	// type alone would also take any short inline multihash.
	let peer = PeerId::from_str(&entry.peer_id)
		.ok()
		.filter(|peer| peer.into_ed25519().is_some())
		.ok_or_else(|| format!("peerId {:?} is not a node's peer id", entry.peer_id))?;
	let licence = entry.license_hash;
	if licence == Hash32::zero() {
		return Err("licenseHash is all zeros: give the hash of the licence document".into());
	}
	Ok(ConsortiumOperator {
		admin,
		kind: entry.kind,
		licence,
		// A validator's account (its id in the validator set) is its Aura key's account.
		authority: Authority {
			account: AccountId::from(aura.0),
			aura: aura.into(),
			grandpa: grandpa.into(),
		},
		node: Some(OpaquePeerId(peer.to_bytes())),
	})
}
