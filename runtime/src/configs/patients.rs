//! Patients: enrolled by practitioners (asked through the providers pallet), guardians expire
//! by the chain's timestamp.

use frame_support::traits::ConstU32;

use crate::{Providers, Runtime, Timestamp};

impl pallet_patients::Config for Runtime {
	type Providers = Providers;
	type Time = Timestamp;
	/// Parents, caregivers and proxies of one patient.
	type MaxGuardians = ConstU32<16>;
	type WeightInfo = pallet_patients::weights::SubstrateWeight<Runtime>;
}
