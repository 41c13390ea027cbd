//! Records: anchors authorised by the consent decision, audited in the patient's trail.

use frame_support::traits::ConstU32;

use crate::{Audit, Consent, Patients, Providers, Runtime, Timestamp};

impl pallet_records::Config for Runtime {
	type Providers = Providers;
	type Patients = Patients;
	type Policy = Consent;
	type Audit = Audit;
	type Time = Timestamp;
	/// A night run of a large lab.
	type MaxBatchSize = ConstU32<100_000>;
	type WeightInfo = pallet_records::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::BenchmarkWorld;
}
