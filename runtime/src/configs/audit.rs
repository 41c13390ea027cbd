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
	/// Reads one `report_attested` may relay (each about 170 bytes: 64 fit the 16 KiB a
	/// transaction may take).
	type MaxAttestedReadsPerCall = ConstU32<64>;
	type Signature = crate::Signature;
	type Signer = <crate::Signature as sp_runtime::traits::Verify>::Signer;
	type WeightInfo = pallet_audit::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::BenchmarkWorld;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkSigner = crate::benchmarks::BenchmarkWorld;
}
