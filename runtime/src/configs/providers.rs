//! Organisations and practitioners, admitted and suspended by governance (a 2/3 majority of
//! the consortium council, or Root where a sudo key is set).

use frame_support::traits::ConstU32;

use crate::Runtime;

impl pallet_providers::Config for Runtime {
	type GovernanceOrigin = super::governance::GovernanceOrigin;
	/// A large hospital's staff.
	type MaxPractitionersPerOrganisation = ConstU32<10_000>;
	type WeightInfo = pallet_providers::weights::SubstrateWeight<Runtime>;
}
