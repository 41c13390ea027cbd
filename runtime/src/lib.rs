//! # medchain runtime
//!
//! The state transition function of medchain, a permissioned chain on which a consortium of
//! hospitals, labs, pharmacies and insurers shares *who may see what, for which purpose, until
//! when*, fingerprints of records kept in the providers' own stores, and an audit trail.
//!
//! Consensus is Aura (block authoring in 6 s slots) with GRANDPA finality among the
//! consortium's validators. The domain pallets (providers, patients, consent, records, audit)
//! are all in [`Runtime`]; see `docs/`.
//!
//! Layout: one `Config` impl per file under [`configs`], the runtime APIs in [`apis`], the
//! chain-spec presets in [`genesis_config_presets`].

#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

use alloc::vec::Vec;

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
pub mod weights;

#[cfg(test)]
mod tests;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
#[cfg(feature = "std")]
pub use sp_runtime::BuildStorage;

/// Types the node needs without knowing the runtime's extrinsic format.
pub mod opaque {
	use super::*;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as sp_runtime::traits::Hash>::Output;
}

impl_opaque_keys! {
	/// The keys a validator holds in its keystore: Aura to author, GRANDPA to finalise.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// The runtime's version. `spec_version` must grow with every runtime upgrade.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("medchain"),
	impl_name: alloc::borrow::Cow::Borrowed("medchain"),
	authoring_version: 1,
	spec_version: 112,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 3,
	system_version: 1,
};

/// Milliseconds per block: Aura's slot duration. It cannot change once a chain has started.
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
/// Aura's slot duration, in milliseconds.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

/// Blocks per minute, hour and day at the target block time.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
pub const HOURS: BlockNumber = MINUTES * 60;
pub const DAYS: BlockNumber = HOURS * 24;

/// The smallest unit of the chain's balance. medchain charges no transaction fees; balances
/// only keep accounts alive (and, later, back deposits through holds).
pub const UNIT: Balance = 1_000_000_000_000;
/// The minimum balance an account must keep to exist.
pub const EXISTENTIAL_DEPOSIT: Balance = UNIT / 1_000;

/// A signature on a transaction (sr25519, ed25519 or ecdsa).
pub type Signature = MultiSignature;
/// An account: the public key of its signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// An account's balance.
pub type Balance = u128;
/// The number of transactions an account has sent.
pub type Nonce = u32;
/// The hash type of blocks and state.
pub type Hash = sp_core::H256;
/// A block's number.
pub type BlockNumber = u32;
/// The address format of transactions.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The checks every signed transaction goes through. There is no fee payment: medchain's
/// accounts hold no tokens.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	// In the place of frame_system's CheckNonce (and under its identifier, so wallets fill in
	// the nonce as usual): only registered accounts, only the calls their roles need, within
	// their principal's and organisation's budgets — counting what waits in the pool, which
	// takes the nonce. No fees are charged; this and CheckWeight keep blocks from being
	// flooded.
	pallet_admission::CheckAdmission<Runtime>,
	frame_system::CheckWeight<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// An extrinsic as it travels on the wire.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload a transaction's signer signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// The storage migrations this runtime brings, each run once at the upgrade that introduces
/// it (a versioned migration does nothing on a chain already at its target version).
/// docs/development.md, "Migrations"; tested by `tests/migrations.rs`.
type Migrations = (
	// 103: audit trail heads name the block of their last entry (rewritten in the background).
	pallet_audit::migrations::MigrateToV1<Runtime>,
);

/// Dispatches extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	/// Sessions: at each rotation, the validator set's keys become Aura's and GRANDPA's
	/// authorities. Declared before Aura and GRANDPA so that a rotation reaches them in the
	/// same block, and before ValidatorSet, whose genesis adopts the session's validators.
	#[runtime::pallet_index(15)]
	pub type Session = pallet_session;

	/// The validators, as governance decides them; pallet-session's session manager.
	#[runtime::pallet_index(16)]
	pub type ValidatorSet = pallet_validator_set;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	/// Root for the `dev` and `local` presets; the consortium preset sets no sudo key.
	#[runtime::pallet_index(5)]
	pub type Sudo = pallet_sudo;

	/// The consortium council: its 2/3 majority is the chain's governance.
	#[runtime::pallet_index(6)]
	pub type Council = pallet_collective<Instance1>;

	/// The council's seats.
	#[runtime::pallet_index(7)]
	pub type CouncilMembership = pallet_membership<Instance1>;

	/// The peer ids governance authorised (enforced on chains marked permissioned).
	#[runtime::pallet_index(8)]
	pub type NodeAuthorization = pallet_node_authorization;

	/// Organisations of the consortium and their practitioners.
	#[runtime::pallet_index(10)]
	pub type Providers = pallet_providers;

	/// Pseudonymous patients, their keys, guardians and emergency policy.
	#[runtime::pallet_index(11)]
	pub type Patients = pallet_patients;

	/// Consent grants, deny rules, break-glass, and the access decision.
	#[runtime::pallet_index(12)]
	pub type Consent = pallet_consent;

	/// Who may transact (registered accounts), what, and how much (budgets per principal and
	/// organisation). Index 9 is from before Consent existed; its place in this list only
	/// orders the hooks (its `on_idle` runs after Consent's).
	#[runtime::pallet_index(9)]
	pub type Admission = pallet_admission;

	/// Fingerprints of records kept off chain: versions, erasure, batches.
	#[runtime::pallet_index(13)]
	pub type Records = pallet_records;

	/// Every patient's tamper-evident audit trail.
	#[runtime::pallet_index(14)]
	pub type Audit = pallet_audit;

	/// The author of each block (equivocation reports are credited to it).
	#[runtime::pallet_index(17)]
	pub type Authorship = pallet_authorship;

	/// Past sessions' validator sets: key-ownership proofs for equivocation reports.
	#[runtime::pallet_index(18)]
	pub type Historical = pallet_session::historical;

	/// Reported offences (GRANDPA equivocations), handed to the validator set's disabling.
	#[runtime::pallet_index(19)]
	pub type Offences = pallet_offences;

	/// Forkless runtime upgrades, authorised by governance.
	#[runtime::pallet_index(20)]
	pub type Upgrades = pallet_upgrades;
}

/// The runtime makes unsigned extrinsics of its own calls (a GRANDPA equivocation report).
impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<LocalCall> frame_system::offchain::CreateBare<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_bare(call: RuntimeCall) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_bare(call)
	}
}
