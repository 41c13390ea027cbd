//! The validator set, its sessions, and what happens to a validator that misbehaves.
//!
//! Sessions last [`SessionPeriod`] blocks. ValidatorSet rotates them from its `on_initialize`
//! (charging what the rotation costs, so the block still carries transactions); at each
//! rotation pallet-session asks ValidatorSet for the next validators and queues their keys;
//! queued keys become Aura's and GRANDPA's authorities at the rotation after. A validator added
//! by governance therefore authors and votes from the second rotation after the change (within
//! two sessions).
//!
//! Only members of the validator set may register session keys ([`ValidatorOf`]; admission
//! lets only them sign `set_keys`): keys take a consumer reference on the account and write
//! state, which no other account needs.
//!
//! Misbehaviour: a GRANDPA equivocation (two votes in one round) is reported by any node that
//! sees it (an unsigned extrinsic checked against the offender's key-ownership proof, kept by
//! pallet-session's historical module); pallet-offences hands the offence to
//! [`DisableOffenders`], which disables the offender in pallet-session at once (it neither
//! authors nor votes for the rest of the session, up to a third of the set). Removing it is
//! governance's decision.

use frame_support::{parameter_types, traits::ConstU32, weights::Weight};
use sp_runtime::{
	traits::{Convert, OpaqueKeys},
	Perbill,
};
use sp_staking::{
	offence::{OffenceDetails, OffenceSeverity, OnOffenceHandler},
	SessionIndex,
};

use crate::{
	AccountId, Balances, BlockNumber, Runtime, RuntimeEvent, Session, SessionKeys, ValidatorSet,
};

parameter_types! {
	/// One minute: long enough to be cheap, short enough that a validator joins or leaves
	/// within two minutes of governance's decision.
	pub const SessionPeriod: BlockNumber = 10;
	pub const SessionOffset: BlockNumber = 0;
}

/// A validator's id is its account, for members of the validator set only: no one else may
/// register session keys (C-1).
pub struct ValidatorOf;
impl Convert<AccountId, Option<AccountId>> for ValidatorOf {
	fn convert(who: AccountId) -> Option<AccountId> {
		<ValidatorSet as frame_support::traits::Contains<AccountId>>::contains(&who).then_some(who)
	}
}

/// pallet-session never ends a session by itself: ValidatorSet rotates them
/// (`SessionRotation`), with the rotation's own weight.
pub struct RotatedByValidatorSet;
impl pallet_session::ShouldEndSession<BlockNumber> for RotatedByValidatorSet {
	fn should_end_session(_now: BlockNumber) -> bool {
		false
	}
}

/// How many past sessions' validator sets the chain keeps for key-ownership proofs: as many as
/// GRANDPA maps set ids to (`MaxSetIdSessionEntries`, a day); an equivocation older than that
/// cannot be reported anyway.
pub const HISTORY_DEPTH: SessionIndex = 1_440;
/// The most old sessions' roots one rotation removes: more than the one a rotation adds, so a
/// backlog (a chain that ran before pruning existed) drains, each rotation at a bounded cost.
pub const MAX_PRUNED_PER_ROTATION: SessionIndex = 8;

/// Starts a new session (pallet-session's rotation), and forgets session roots older than
/// [`HISTORY_DEPTH`], at most [`MAX_PRUNED_PER_ROTATION`] at a time: pallet-session's historical
/// module stores one per session and removes none by itself (security review 2026-12, N-9).
pub struct RotateSession;
impl pallet_validator_set::SessionRotation for RotateSession {
	fn rotate() -> Weight {
		Session::rotate_session();
		let range = pallet_session::historical::StoredRange::<Runtime>::get();
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		let Some((first, last)) = range else { return db.reads(1) };
		let up_to = last
			.saturating_sub(HISTORY_DEPTH)
			.min(first.saturating_add(MAX_PRUNED_PER_ROTATION));
		if up_to <= first {
			return db.reads(1);
		}
		pallet_session::historical::Pallet::<Runtime>::prune_up_to(up_to);
		// The range read and written, and a root removed per session pruned.
		db.reads_writes(1, 1u64.saturating_add((up_to - first).into()))
	}
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ValidatorOf;
	type ShouldEndSession = RotatedByValidatorSet;
	type NextSessionRotation = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type SessionManager = pallet_session::historical::NoteHistoricalRoot<Runtime, ValidatorSet>;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	/// An offender is disabled at once, up to a third of the set; governance removes it.
	type DisablingStrategy = pallet_session::disabling::UpToLimitDisablingStrategy;
	/// Measured in this runtime by medchain's benchmarks (`runtime/src/benchmarks/session.rs`).
	type WeightInfo = crate::weights::pallet_session::WeightInfo<Runtime>;
	type Currency = Balances;
	/// No deposit for keys: validators hold no tokens.
	type KeyDeposit = frame_support::traits::ConstU128<0>;
}

impl pallet_validator_set::Config for Runtime {
	type GovernanceOrigin = super::governance::GovernanceOrigin;
	/// The absolute floor; the `local` and `consortium` presets set 3 (`minimumValidators`).
	type MinValidators = ConstU32<1>;
	type MaxValidators = super::consensus::MaxAuthorities;
	type SessionValidators = Session;
	type KeysRegistered = Session;
	type SessionRotation = RotateSession;
	type SessionPeriod = SessionPeriod;
	type WeightInfo = pallet_validator_set::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ValidatorSetBenchmarkHelper;
}

/// Benchmarks give each validator they add session keys made of its account's bytes (unique,
/// never used to sign), written where `set_keys` keeps them.
#[cfg(feature = "runtime-benchmarks")]
pub struct ValidatorSetBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_validator_set::benchmarking::BenchmarkHelper<AccountId>
	for ValidatorSetBenchmarkHelper
{
	fn register_keys(who: &AccountId) {
		let raw: [u8; 32] = *who.as_ref();
		let keys = SessionKeys {
			aura: sp_core::sr25519::Public::from_raw(raw).into(),
			grandpa: sp_core::ed25519::Public::from_raw(raw).into(),
		};
		pallet_session::NextKeys::<Runtime>::insert(who, keys);
	}
}

/// What the historical module keeps of each validator: nothing beyond its id (there is no
/// stake to slash).
pub struct NoIdentification;
impl Convert<AccountId, Option<()>> for NoIdentification {
	fn convert(_: AccountId) -> Option<()> {
		Some(())
	}
}

impl pallet_session::historical::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type FullIdentification = ();
	type FullIdentificationOf = NoIdentification;
}

/// Disables the offenders of a reported offence in pallet-session (see the module docs).
///
/// The weight `on_offence` returns is discarded by pallet-offences (polkadot-sdk stable2609);
/// what the handling costs is charged to the report that causes it, whose weight is measured
/// with this handler inside (`runtime/src/benchmarks/grandpa.rs`, every other validator of the
/// session already an offender). So it returns nothing rather than an estimate.
pub struct DisableOffenders;
impl OnOffenceHandler<AccountId, pallet_session::historical::IdentificationTuple<Runtime>, Weight>
	for DisableOffenders
{
	fn on_offence(
		offenders: &[OffenceDetails<
			AccountId,
			pallet_session::historical::IdentificationTuple<Runtime>,
		>],
		slash_fraction: &[Perbill],
		_session: SessionIndex,
	) -> Weight {
		for (details, fraction) in offenders.iter().zip(slash_fraction) {
			Session::report_offence(details.offender.0.clone(), OffenceSeverity(*fraction));
		}
		Weight::zero()
	}
}

impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = pallet_session::historical::IdentificationTuple<Self>;
	type OnOffenceHandler = DisableOffenders;
}

impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, crate::Aura>;
	type EventHandler = ();
}
