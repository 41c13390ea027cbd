//! Chain-spec presets: the genesis state of each kind of medchain network.
//!
//! - `dev` ([`sp_genesis_builder::DEV_RUNTIME_PRESET`]): one validator (Alice), Alice as sudo.
//!   What `medchain-node --dev` runs.
//! - `local` ([`sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET`]): four validators (Alice,
//!   Bob, Charlie, Dave), Alice as sudo. What `--chain local` and the zombienet tests run.
//! - `consortium` ([`CONSORTIUM_PRESET`]): the template of a real network. Four operator
//!   organisations, each running a validator and holding a council seat; **no sudo key** (the
//!   council's 2/3 majority governs); no demo patients. Its keys are placeholders derived from
//!   public seeds, which operators replace with their own (`scripts/consortium-spec.sh`,
//!   `docs/operators.md`).
//!
//! `dev` and `local` hold the same demo world, with the four admins as the council (see [`demo_organisations`], [`demo_practitioners`],
//! [`demo_patients`]): Alice's hospital (organisation 0), Bob's lab (1), Charlie's insurer (2)
//! and Dave's clinic (3), administered by those accounts; a few practitioners; two patients.
//!
//! Every key here is a well-known development key: never use these presets for a network that
//! holds anything of value.

use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use medchain_primitives::{Hash32, OrganisationId, OrganisationKind, Role};
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

use crate::{
	AccountId, BalancesConfig, CouncilMembershipConfig, NodeAuthorizationConfig, PatientsConfig,
	ProvidersConfig, RuntimeGenesisConfig, SessionConfig, SessionKeys, SudoConfig,
	ValidatorSetConfig, UNIT,
};

/// The name of the consortium template preset.
pub const CONSORTIUM_PRESET: &str = "consortium";

/// What each development account is given so that it exists (medchain charges no fees).
const DEV_ENDOWMENT: u128 = 1_000 * UNIT;

/// A validator: its account (its id in the validator set) and its session keys, Aura (sr25519)
/// to author and GRANDPA (ed25519) to finalise.
pub struct Authority {
	pub account: AccountId,
	pub aura: AuraId,
	pub grandpa: GrandpaId,
}

impl Authority {
	/// The genesis entry of pallet-session: (account, validator id, keys).
	fn session_entry(&self) -> (AccountId, AccountId, SessionKeys) {
		(
			self.account.clone(),
			self.account.clone(),
			SessionKeys { aura: self.aura.clone(), grandpa: self.grandpa.clone() },
		)
	}
}

/// A development validator: `//Name` as its sr25519 Aura key and its ed25519 GRANDPA key,
/// which is what `medchain-node --alice` (and `--bob` …) puts in the keystore.
pub fn dev_authority(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> Authority {
	Authority {
		account: aura.to_account_id(),
		aura: aura.public().into(),
		grandpa: grandpa.public().into(),
	}
}

/// The validators of the `dev` preset.
pub fn dev_authorities() -> Vec<Authority> {
	vec![dev_authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice)]
}

/// The validators of the `local` preset.
pub fn local_authorities() -> Vec<Authority> {
	vec![
		dev_authority(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
		dev_authority(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		dev_authority(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		dev_authority(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
	]
}

/// The development accounts that exist at genesis.
fn dev_accounts() -> Vec<AccountId> {
	[
		Sr25519Keyring::Alice,
		Sr25519Keyring::Bob,
		Sr25519Keyring::Charlie,
		Sr25519Keyring::Dave,
		Sr25519Keyring::Eve,
		Sr25519Keyring::Ferdie,
	]
	.into_iter()
	.map(|k| k.to_account_id())
	.collect()
}

/// A demo hash: `blake2_256(label)`. Demo licenses and commitments only.
fn demo_hash(label: &[u8]) -> Hash32 {
	Hash32::from(sp_io::hashing::blake2_256(label))
}

/// The demo organisations, ids 0 to 3 in this order: (admin, kind, license hash).
pub fn demo_organisations() -> Vec<(AccountId, OrganisationKind, Hash32)> {
	vec![
		(
			Sr25519Keyring::Alice.to_account_id(),
			OrganisationKind::Hospital,
			demo_hash(b"demo license: Alice's hospital"),
		),
		(
			Sr25519Keyring::Bob.to_account_id(),
			OrganisationKind::Lab,
			demo_hash(b"demo license: Bob's lab"),
		),
		(
			Sr25519Keyring::Charlie.to_account_id(),
			OrganisationKind::Insurer,
			demo_hash(b"demo license: Charlie's insurer"),
		),
		(
			Sr25519Keyring::Dave.to_account_id(),
			OrganisationKind::Clinic,
			demo_hash(b"demo license: Dave's clinic"),
		),
	]
}

/// Alice's hospital.
pub const DEMO_HOSPITAL: OrganisationId = 0;
/// Bob's lab.
pub const DEMO_LAB: OrganisationId = 1;
/// Charlie's insurer.
pub const DEMO_INSURER: OrganisationId = 2;
/// Dave's clinic.
pub const DEMO_CLINIC: OrganisationId = 3;

/// The demo practitioners: (account, organisation, role).
/// //Eve is a physician at the hospital, //Ferdie a technician at the lab, and each
/// organisation's `//Name//stash` account works there too.
pub fn demo_practitioners() -> Vec<(AccountId, OrganisationId, Role)> {
	vec![
		(Sr25519Keyring::Eve.to_account_id(), DEMO_HOSPITAL, Role::Physician),
		(Sr25519Keyring::AliceStash.to_account_id(), DEMO_HOSPITAL, Role::Nurse),
		(Sr25519Keyring::Ferdie.to_account_id(), DEMO_LAB, Role::LabTechnician),
		(Sr25519Keyring::BobStash.to_account_id(), DEMO_LAB, Role::LabTechnician),
		(Sr25519Keyring::CharlieStash.to_account_id(), DEMO_INSURER, Role::Billing),
		(Sr25519Keyring::DaveStash.to_account_id(), DEMO_CLINIC, Role::Physician),
	]
}

/// The demo patients' recovery keys: the sr25519 public keys of the seeds
/// `blake2_256("demo recovery secret: patient One")` and `… Two` (what a patient's recovery card
/// holds; a runtime test derives them again).
pub const DEMO_RECOVERY_KEYS: [[u8; 32]; 2] = [
	sp_core::hex2array!("602c09219e8560be2164e2f69c29778fbbff9bc26546265d18caaba83af4a30f"),
	sp_core::hex2array!("9808a71b5d717c37051627d89a22f876bf56e76c39f5c795c6b6f2485628990f"),
];

/// The demo patients, ids 0 and 1: //One enrolled by the hospital, //Two by the clinic.
/// (controller, enrolling organisation, identity commitment, recovery key).
pub fn demo_patients() -> Vec<(AccountId, OrganisationId, Hash32, Option<[u8; 32]>)> {
	vec![
		(
			Sr25519Keyring::One.to_account_id(),
			DEMO_HOSPITAL,
			demo_hash(b"demo identity: patient One"),
			Some(DEMO_RECOVERY_KEYS[0]),
		),
		(
			Sr25519Keyring::Two.to_account_id(),
			DEMO_CLINIC,
			demo_hash(b"demo identity: patient Two"),
			Some(DEMO_RECOVERY_KEYS[1]),
		),
	]
}

fn genesis(authorities: Vec<Authority>, endowed: Vec<AccountId>, root: AccountId) -> Value {
	// The validator set adopts pallet-session's validators; the floor is 3 where there are
	// at least 3 (so that GRANDPA keeps a majority to lose), else what there is.
	let minimum_validators = (authorities.len() as u32).min(3);
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed.into_iter().map(|who| (who, DEV_ENDOWMENT)).collect::<Vec<_>>(),
		},
		session: SessionConfig {
			keys: authorities.iter().map(Authority::session_entry).collect::<Vec<_>>()
		},
		validator_set: ValidatorSetConfig { minimum_validators },
		sudo: SudoConfig { key: Some(root) },
		council_membership: CouncilMembershipConfig {
			members: demo_organisations()
				.into_iter()
				.map(|(admin, _, _)| admin)
				.collect::<Vec<_>>()
				.try_into()
				.expect("4 seats fit"),
		},
		providers: ProvidersConfig {
			organisations: demo_organisations(),
			practitioners: demo_practitioners(),
		},
		patients: PatientsConfig { patients: demo_patients() },
	})
}

/// The `dev` preset: Alice alone authors and finalises.
pub fn development_config_genesis() -> Value {
	genesis(dev_authorities(), dev_accounts(), Sr25519Keyring::Alice.to_account_id())
}

/// The `local` preset: Alice, Bob, Charlie and Dave author and finalise.
pub fn local_config_genesis() -> Value {
	genesis(local_authorities(), dev_accounts(), Sr25519Keyring::Alice.to_account_id())
}

/// An operator of a consortium chain: its organisation (kind, licence hash), whose admin account
/// holds the council seat; its validator's keys; and its node's peer id, authorised to connect
/// and owned by the admin.
pub struct ConsortiumOperator {
	pub admin: AccountId,
	pub kind: OrganisationKind,
	pub licence: Hash32,
	pub authority: Authority,
	pub node: Option<sp_core::OpaquePeerId>,
}

/// Why a list of operators cannot make a consortium chain. (`Display` is the operator's
/// message: `medchain-node consortium-spec` prints it.)
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ConsortiumError {
	/// No operator is listed.
	NoOperators,
	/// More operators than the council has seats.
	TooManyOperators { max: u32 },
	/// Operator `operator`'s admin account is also its Aura or GRANDPA key.
	AdminIsSessionKey { operator: usize },
	/// Operator `operator` uses a key of the template, whose seeds are public.
	PlaceholderKey { operator: usize },
	/// Two operators share an admin account, a session key or a node.
	Duplicate { operator: usize, what: &'static str },
}

impl core::fmt::Display for ConsortiumError {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		match self {
			Self::NoOperators => write!(f, "the list names no operator"),
			Self::TooManyOperators { max } => {
				write!(f, "more operators than the council's {max} seats")
			},
			Self::AdminIsSessionKey { operator } => write!(
				f,
				"operator {operator}: the admin account is its session key; the admin (council \
				 seat, staff administration) must be a separate key kept off the server"
			),
			Self::PlaceholderKey { operator } => write!(
				f,
				"operator {operator}: a placeholder key of the consortium template (public \
				 seed //medchain-consortium-operator-N) is used; give the operator's own keys"
			),
			Self::Duplicate { operator, what } => {
				write!(f, "operator {operator}: its {what} is an earlier operator's too")
			},
		}
	}
}

/// The placeholder keys of the consortium template: (sr25519 admin and Aura key, ed25519
/// GRANDPA key) of `//medchain-consortium-operator-<n>`, n = 0..3, as `medchain-node key
/// inspect` prints them. Public seeds: replace them (`medchain-node consortium-spec`).
/// (A bad hex digit fails the build: `hex2array!` is evaluated at compile time.)
pub const CONSORTIUM_PLACEHOLDER_KEYS: [([u8; 32], [u8; 32]); 4] = [
	(
		sp_core::hex2array!("a64545faf504ed735fa00d7ad6e1015e9d7d4be09e900f1698b23072cc1f477f"),
		sp_core::hex2array!("5dc40be644ca4c4a9f9366f5989a8e7805ec5be40b1f9d3e4e8e4497d45adf80"),
	),
	(
		sp_core::hex2array!("a4dc404903a119f1b25cfb6e4659642ac8e7141f886c4cbfece8fb5cb394660f"),
		sp_core::hex2array!("f389221dd9841ddec2ba938fcec02fa4eb0f9201b9163a79c1c1c7eab7d2a93f"),
	),
	(
		sp_core::hex2array!("a008525789e88868aba26b0bfafc4343219785eb6d420634f082f3b31e427d21"),
		sp_core::hex2array!("1fdd5e3f2f13ce6f36ca1af904f5a13651033e823550d32503a291504f922241"),
	),
	(
		sp_core::hex2array!("e0be27c45176284a0271053a9d3d73dfbc33cc66c7d731d50ae415cc8302a265"),
		sp_core::hex2array!("de6bd9724a62da13c4a6836025debfd2f4f2fb5f64cf5f30b9663c9d9444074f"),
	),
];

/// The placeholder operators of the consortium template: a hospital, a lab, a hospital and
/// an insurer, with no node authorised yet.
pub fn consortium_operators() -> Vec<ConsortiumOperator> {
	let kinds = [
		OrganisationKind::Hospital,
		OrganisationKind::Lab,
		OrganisationKind::Hospital,
		OrganisationKind::Insurer,
	];
	kinds
		.into_iter()
		.zip(CONSORTIUM_PLACEHOLDER_KEYS)
		.enumerate()
		.map(|(n, (kind, (sr, ed)))| ConsortiumOperator {
			admin: AccountId::from(sr),
			kind,
			licence: demo_hash(alloc::format!("placeholder licence {n}").as_bytes()),
			authority: Authority {
				account: AccountId::from(sr),
				aura: sp_core::sr25519::Public::from_raw(sr).into(),
				grandpa: sp_core::ed25519::Public::from_raw(ed).into(),
			},
			node: None,
		})
		.collect()
}

/// The `consortium` template: [`consortium_genesis`] of the placeholder operators.
pub fn consortium_config_genesis() -> Value {
	consortium_patch(&consortium_operators())
}

/// The genesis of a consortium chain run by `operators` (organisation ids 0, 1, … in order):
/// each operator's organisation, administered by its admin account, which holds a council seat;
/// its validator (session keys at genesis; the validator set's floor is min(3, operators)); its
/// node authorised to connect, owned by its admin. No sudo, no balances (admins exist as
/// registered accounts), no demo data.
///
/// Refuses an empty list, more operators than council seats, an admin that is its own Aura or
/// GRANDPA key, a placeholder key of the template, and two operators sharing an admin, a session
/// key or a node.
pub fn consortium_genesis(operators: &[ConsortiumOperator]) -> Result<Value, ConsortiumError> {
	if operators.is_empty() {
		return Err(ConsortiumError::NoOperators);
	}
	let max =
		<crate::configs::governance::CouncilMaxMembers as frame_support::traits::Get<u32>>::get();
	if operators.len() > max as usize {
		return Err(ConsortiumError::TooManyOperators { max });
	}
	for (operator, o) in operators.iter().enumerate() {
		let aura: [u8; 32] = o.authority.aura.clone().into_inner().0;
		let grandpa: [u8; 32] = o.authority.grandpa.clone().into_inner().0;
		let admin: &[u8; 32] = o.admin.as_ref();
		if *admin == aura || *admin == grandpa {
			return Err(ConsortiumError::AdminIsSessionKey { operator });
		}
		let placeholder =
			|k: &[u8; 32]| CONSORTIUM_PLACEHOLDER_KEYS.iter().any(|(sr, ed)| sr == k || ed == k);
		if placeholder(admin) || placeholder(&aura) || placeholder(&grandpa) {
			return Err(ConsortiumError::PlaceholderKey { operator });
		}
		for earlier in &operators[..operator] {
			let what = if earlier.admin == o.admin {
				"admin account"
			} else if earlier.authority.aura == o.authority.aura {
				"Aura key"
			} else if earlier.authority.grandpa == o.authority.grandpa {
				"GRANDPA key"
			} else if o.node.is_some() && earlier.node == o.node {
				"node (peer id)"
			} else {
				continue;
			};
			return Err(ConsortiumError::Duplicate { operator, what });
		}
	}
	Ok(consortium_patch(operators))
}

fn consortium_patch(operators: &[ConsortiumOperator]) -> Value {
	let minimum_validators = (operators.len() as u32).min(3);
	let seats: Vec<AccountId> = operators.iter().map(|o| o.admin.clone()).collect();
	build_struct_json_patch!(RuntimeGenesisConfig {
		session: SessionConfig {
			keys: operators.iter().map(|o| o.authority.session_entry()).collect::<Vec<_>>(),
		},
		validator_set: ValidatorSetConfig { minimum_validators },
		sudo: SudoConfig { key: None },
		node_authorization: NodeAuthorizationConfig {
			nodes: operators
				.iter()
				.filter_map(|o| o.node.clone().map(|node| (node, o.admin.clone())))
				.collect::<Vec<_>>()
		},
		// At most `CouncilMaxMembers` (consortium_genesis checks it; the template has 4).
		council_membership: CouncilMembershipConfig {
			members: frame_support::BoundedVec::truncate_from(seats)
		},
		providers: ProvidersConfig {
			organisations: operators
				.iter()
				.map(|o| (o.admin.clone(), o.kind, o.licence))
				.collect::<Vec<_>>(),
		},
	})
}

/// The JSON patch of the preset named `id`, or `None` for an unknown name.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEV_RUNTIME_PRESET => development_config_genesis(),
		LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		CONSORTIUM_PRESET => consortium_config_genesis(),
		_ => return None,
	};
	// Serialising a `serde_json::Value` cannot fail.
	serde_json::to_vec(&patch).ok()
}

/// The names of the presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(DEV_RUNTIME_PRESET),
		PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(CONSORTIUM_PRESET),
	]
}
