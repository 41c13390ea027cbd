//! Organisations and practitioners. Governance is Root (sudo) on the `dev` and `local`
//! presets; the consortium council takes its place in the consortium preset.

use frame_support::traits::ConstU32;
use frame_system::EnsureRoot;

use crate::{AccountId, Runtime};

impl pallet_providers::Config for Runtime {
	type GovernanceOrigin = EnsureRoot<AccountId>;
	/// A large hospital's staff.
	type MaxPractitionersPerOrganisation = ConstU32<10_000>;
	type WeightInfo = pallet_providers::weights::SubstrateWeight<Runtime>;
}
