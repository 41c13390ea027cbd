//! Organisations and practitioners, admitted and suspended by governance (a 2/3 majority of
//! the consortium council, or Root where a sudo key is set).

use frame_support::{parameter_types, traits::ConstU32};
use medchain_primitives::Moment;

use crate::{Runtime, Timestamp};

parameter_types! {
	/// An invitation stays open for a week.
	pub const InvitationLifetime: Moment = 7 * 24 * 60 * 60 * 1000;
}

impl pallet_providers::Config for Runtime {
	type GovernanceOrigin = super::governance::GovernanceOrigin;
	type Time = Timestamp;
	/// A large hospital's staff.
	type MaxPractitionersPerOrganisation = ConstU32<10_000>;
	/// A large hospital onboarding a department at once.
	type MaxOpenInvitations = ConstU32<256>;
	type InvitationLifetime = InvitationLifetime;
	type WeightInfo = pallet_providers::weights::SubstrateWeight<Runtime>;
}
