//! Aura (authoring), GRANDPA (finality) and the timestamp that drives Aura's slots.

use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU32, ConstU64},
};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;

use crate::{Aura, Runtime, SLOT_DURATION};

/// The most validators a consortium chain is expected to have.
pub type MaxAuthorities = ConstU32<32>;

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = crate::weights::pallet_timestamp::WeightInfo<Runtime>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	/// Validators disabled for an offence author no blocks for the rest of the session.
	type DisabledValidators = crate::Session;
	type MaxAuthorities = MaxAuthorities;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

parameter_types! {
	/// How long an equivocation report stays valid in the pool (blocks): an hour.
	pub const ReportLongevity: u64 = 600;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = crate::RuntimeEvent;
	/// Measured in this runtime by medchain's benchmarks (`runtime/src/benchmarks/grandpa.rs`).
	type WeightInfo = crate::weights::pallet_grandpa::WeightInfo<Runtime>;
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = ConstU32<0>;
	/// GRANDPA set ids mapped to sessions, to check equivocation reports: a day of sessions.
	type MaxSetIdSessionEntries = ConstU64<1_440>;
	/// A validator's key-ownership proof, from pallet-session's historical module.
	type KeyOwnerProof = sp_session::MembershipProof;
	/// Equivocations are reported as offences (see `configs/validators.rs`).
	type EquivocationReportSystem = pallet_grandpa::EquivocationReportSystem<
		Self,
		crate::Offences,
		crate::Historical,
		ReportLongevity,
	>;
}
