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
	/// A lab's results of an hour, each for its patient. 84 bytes a record: 128 make a
	/// transaction of ~10.9 KiB, within the 16 KiB admission takes (`MaxTransactionLength`;
	/// `tests::admission`), and ~2 % of a block's weight (docs/performance.md).
	type MaxAnchorsPerCall = ConstU32<128>;
	type WeightInfo = pallet_records::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::BenchmarkWorld;
}
