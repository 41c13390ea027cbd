//! Audit: trails timed by the chain's timestamp; reported reads re-checked by the consent
//! decision against the anchored records.

use frame_support::traits::ConstU32;

use crate::{Consent, Patients, Providers, Records, Runtime, Timestamp};

impl pallet_audit::Config for Runtime {
	type Providers = Providers;
	type Patients = Patients;
	type Policy = Consent;
	type Records = Records;
	type Time = Timestamp;
	/// Reads one `report_access_batch` may report.
	type MaxReportsPerBatch = ConstU32<64>;
	type WeightInfo = pallet_audit::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::BenchmarkWorld;
}
