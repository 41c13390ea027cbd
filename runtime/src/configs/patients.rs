//! Patients: enrolled by practitioners (asked through the providers pallet), guardians expire
//! by the chain's timestamp, every change of who acts for a patient goes to its audit trail.

use frame_support::{parameter_types, traits::ConstU32};
use medchain_primitives::{time::DAY, Moment};

use crate::{Audit, Providers, Runtime, Timestamp};

parameter_types! {
	/// A recovery the patient's guardians approved waits a day: the patient may cancel it.
	pub const RecoveryDelay: Moment = DAY;
	pub const RatePeriod: Moment = DAY;
}

impl pallet_patients::Config for Runtime {
	type Providers = Providers;
	type Time = Timestamp;
	type Audit = Audit;
	/// Parents, caregivers and proxies of one patient.
	type MaxGuardians = ConstU32<16>;
	type RecoveryDelay = RecoveryDelay;
	type RatePeriod = RatePeriod;
	/// A large hospital's enrolments in a day.
	type MaxEnrolmentsPerPeriod = ConstU32<10_000>;
	/// Key rotations and new guardians of one patient in a day (each makes an account that
	/// may sign).
	type MaxKeyChangesPerPeriod = ConstU32<20>;
	type WeightInfo = pallet_patients::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::BenchmarkWorld;
}
