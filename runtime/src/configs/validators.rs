//! The validator set and its sessions.
//!
//! Sessions last [`SessionPeriod`] blocks. At each rotation pallet-session asks ValidatorSet
//! for the next validators and queues their keys; queued keys become Aura's and GRANDPA's
//! authorities at the rotation after. A validator added by governance therefore authors and
//! votes from the second rotation after the change (within two sessions).

use frame_support::{parameter_types, traits::ConstU32};
use sp_runtime::traits::{ConvertInto, OpaqueKeys};

use crate::{AccountId, Balances, BlockNumber, Runtime, RuntimeEvent, Session, SessionKeys, ValidatorSet};

parameter_types! {
	/// One minute: long enough to be cheap, short enough that a validator joins or leaves
	/// within two minutes of governance's decision.
	pub const SessionPeriod: BlockNumber = 10;
	pub const SessionOffset: BlockNumber = 0;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type SessionManager = ValidatorSet;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	/// Misbehaviour is not slashed or disabled on a consortium chain: governance removes.
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
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
	type WeightInfo = pallet_validator_set::weights::SubstrateWeight<Runtime>;
}
