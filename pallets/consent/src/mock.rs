//! The test runtime: the consent pallet over the shared test world
//! ([`medchain_primitives::testing`]): a hospital, a lab and an insurer with their admins and
//! practitioners, a clock, and patient [`P`] (controller [`PATIENT`], enrolled by the hospital)
//! with a full-scope guardian, an allergies-only guardian, a recovery-only guardian and an
//! expired guardian. The registries are doubles: the consent pallet only sees them through
//! their traits.

use frame::{deps::sp_runtime::BuildStorage, testing_prelude::*};
pub use medchain_primitives::testing::*;
use medchain_primitives::Moment;

use crate as pallet_consent;

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test {
		System: frame_system,
		Consent: pallet_consent,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

parameter_types! {
	pub const MaxGrantsPerGrantee: u32 = 4;
	pub const MaxDenyRules: u32 = 3;
	pub const MaxGrantDuration: Moment = 30 * DAY;
	pub const GrantRetention: Moment = HOUR;
	pub const EmergencyAccessDuration: Moment = DAY;
	pub const MaxEmergencyAccessesPerPeriod: u32 = 2;
	pub const EmergencyRatePeriod: Moment = HOUR;
	pub const EmergencyBarDuration: Moment = 30 * DAY;
	pub const EmergencyRetention: Moment = 7 * DAY;
	pub const MaxEmergencyAccessesPerOrganisation: u32 = 3;
	pub const MinEmergencyTenure: Moment = DAY;
	pub const MaxOpenEmergencyAccessesPerPatient: u32 = 2;
	pub const MaxGrantsPerPeriod: u32 = 12;
	pub const GrantRatePeriod: Moment = DAY;
}

impl pallet_consent::Config for Test {
	type Providers = MockProviders;
	type Patients = MockPatients;
	type Time = MockTime;
	type MaxGrantsPerGrantee = MaxGrantsPerGrantee;
	type MaxDenyRules = MaxDenyRules;
	type MaxGrantDuration = MaxGrantDuration;
	type GrantRetention = GrantRetention;
	type EmergencyAccessDuration = EmergencyAccessDuration;
	type MaxEmergencyAccessesPerPeriod = MaxEmergencyAccessesPerPeriod;
	type EmergencyRatePeriod = EmergencyRatePeriod;
	type MaxEmergencyAccessesPerOrganisation = MaxEmergencyAccessesPerOrganisation;
	type MinEmergencyTenure = MinEmergencyTenure;
	type MaxOpenEmergencyAccessesPerPatient = MaxOpenEmergencyAccessesPerPatient;
	type MaxGrantsPerPeriod = MaxGrantsPerPeriod;
	type GrantRatePeriod = GrantRatePeriod;
	type EmergencyBarDuration = EmergencyBarDuration;
	type EmergencyRetention = EmergencyRetention;
	type GovernanceOrigin = EnsureRoot<u64>;
	type Audit = MockAudit;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkWorld;
}

pub fn new_test_ext() -> TestState {
	reset();
	let storage = RuntimeGenesisConfig { system: Default::default() }
		.build_storage()
		.expect("the mock's genesis is valid");
	let mut ext = TestState::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` in the small world, then checks the pallet's invariants.
pub fn with_world(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Consent::do_try_state().expect("invariants hold after the test");
	});
}
