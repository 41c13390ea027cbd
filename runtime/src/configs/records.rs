//! Records: anchors authorised by the consent decision, audited in the patient's trail.

use frame_support::{parameter_types, traits::ConstU32};
use medchain_primitives::{time::DAY, Moment};

use crate::{Audit, Consent, Patients, Providers, Runtime, Timestamp};

parameter_types! {
	pub const SelfAnchorPeriod: Moment = DAY;
}

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
	/// A patient anchors at most 100 records of its own a day and 10 000 in all (~2.3 MB of
	/// state at most, where one account could add ~1 GB a day: security review 2026-12, N-4);
	/// a patient's app uploading its own documents stays far inside both.
	type MaxSelfAnchorsPerPeriod = ConstU32<100>;
	type SelfAnchorPeriod = SelfAnchorPeriod;
	type MaxSelfAnchors = ConstU32<10_000>;
	/// Writes (erasures) one `anchor_attested` (`erase_attested`) may relay: about 215 bytes
	/// each, 64 fit the 16 KiB a transaction may take.
	type MaxAttestedWritesPerCall = ConstU32<64>;
	type Signature = crate::Signature;
	type Signer = <crate::Signature as sp_runtime::traits::Verify>::Signer;
	type Attestations = Audit;
	type WeightInfo = pallet_records::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::BenchmarkWorld;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkSigner = crate::benchmarks::BenchmarkWorld;
}
