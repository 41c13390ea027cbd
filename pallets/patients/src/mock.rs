//! The test runtime: the patients pallet over the shared test world's providers, clock and
//! audit sink ([`medchain_primitives::testing`]: a hospital and a lab with their admins and
//! practitioners); its own genesis holds patient 0 (controller [`PATIENT`], enrolled by the
//! hospital) and patient 1 (enrolled by the lab), and [`with_world`] gives patient 0 three
//! guardians through the pallet's own calls: one with full scope, one with a narrow scope, one
//! whose appointment has expired.

use frame::{deps::sp_runtime::BuildStorage, testing_prelude::*};
use medchain_primitives::{Hash32, Moment};

use frame::deps::sp_core::{sr25519, Pair};

#[cfg(feature = "runtime-benchmarks")]
use medchain_primitives::testing::MockBenchmarkWorld;
pub use medchain_primitives::testing::{
	audited, full_scope, last_audited, narrow_scope, set_now, suspend, MockAudit, MockProviders,
	MockTime, DAY, EXPIRED_GUARDIAN, GUARDIAN, HOSPITAL, HOSPITAL_ADMIN, LAB, LAB_TECHNICIAN,
	NARROW_GUARDIAN, PATIENT, PHYSICIAN, STRANGER,
};

use crate::{self as pallet_patients, RecoveryKey};

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test {
		System: frame_system,
		Patients: pallet_patients,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// Patient 1's controller (enrolled by the lab).
pub const OTHER_PATIENT: u64 = 101;

/// The clock after set-up (ms): this pallet keeps its own patients and guardians, and its tests
/// their own times (not the shared world's `testing::NOW`).
pub const NOW: Moment = 1_000_000;
/// When [`EXPIRED_GUARDIAN`]'s appointment ended (in this pallet's world).
pub const EXPIRED_AT: Moment = 500_000;

/// The secret patient 0 keeps (its recovery card), and the key pair derived from it.
pub fn secret() -> [u8; 32] {
	[0x5e; 32]
}
pub fn recovery_pair(secret: [u8; 32]) -> sr25519::Pair {
	sr25519::Pair::from_seed(&secret)
}
pub fn recovery_key(secret: [u8; 32]) -> RecoveryKey {
	recovery_pair(secret).public().0
}
/// The patient's signature, by the key of `secret`, of moving `patient` from its present
/// controller to `new_controller` with `next` as its next recovery key.
pub fn recovery_proof(
	secret: [u8; 32],
	patient: u64,
	new_controller: u64,
	next: Option<RecoveryKey>,
) -> [u8; 64] {
	let current = crate::Patients::<Test>::get(patient).map(|p| p.controller).unwrap_or_default();
	recovery_proof_from(secret, patient, current, new_controller, next)
}
/// The patient's signature, by the key of `secret`, of moving `patient` from `current` to
/// `new_controller` with `next` as its next recovery key.
pub fn recovery_proof_from(
	secret: [u8; 32],
	patient: u64,
	current: u64,
	new_controller: u64,
	next: Option<RecoveryKey>,
) -> [u8; 64] {
	let genesis = System::block_hash(0);
	recovery_pair(secret)
		.sign(&crate::recovery_payload(&genesis, patient, &current, &new_controller, &next))
		.0
}
pub fn identity(n: u8) -> Hash32 {
	Hash32::repeat_byte(n)
}

parameter_types! {
	pub const MaxGuardians: u32 = 5;
	pub const RecoveryDelay: Moment = DAY;
	pub const RatePeriod: Moment = DAY;
	pub const MaxEnrolmentsPerPeriod: u32 = 3;
	pub const MaxKeyChangesPerPeriod: u32 = 6;
}

impl pallet_patients::Config for Test {
	type Providers = MockProviders;
	type Time = MockTime;
	type Audit = MockAudit;
	type MaxGuardians = MaxGuardians;
	type RecoveryDelay = RecoveryDelay;
	type RatePeriod = RatePeriod;
	type MaxEnrolmentsPerPeriod = MaxEnrolmentsPerPeriod;
	type MaxKeyChangesPerPeriod = MaxKeyChangesPerPeriod;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkWorld;
}

/// Genesis only: the two patients, no guardians.
pub fn new_test_ext() -> TestState {
	// The providers, and the audit double's record of what was sent to it, start afresh.
	medchain_primitives::testing::reset();
	set_now(0);
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		patients: pallet_patients::GenesisConfig {
			patients: vec![
				(PATIENT, HOSPITAL, identity(1), Some(recovery_key(secret()))),
				(OTHER_PATIENT, LAB, identity(2), None),
			],
		},
	}
	.build_storage()
	.expect("the mock's genesis is valid");
	let mut ext = TestState::new(storage);
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` in the small world (guardians appointed by the patient through the pallet's
/// own calls, clock at [`NOW`]), then checks the pallet's invariants.
pub fn with_world(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		set_now(EXPIRED_AT - 1);
		let patient = RuntimeOrigin::signed(PATIENT);
		assert_ok!(Patients::add_guardian(patient.clone(), 0, GUARDIAN, full_scope(), None));
		assert_ok!(Patients::add_guardian(
			patient.clone(),
			0,
			NARROW_GUARDIAN,
			narrow_scope(),
			None
		));
		assert_ok!(Patients::add_guardian(
			patient,
			0,
			EXPIRED_GUARDIAN,
			full_scope(),
			Some(EXPIRED_AT)
		));
		// Forget what the set-up audited (and start the clock at NOW).
		medchain_primitives::testing::reset();
		set_now(NOW);
		test();
		Patients::do_try_state().expect("invariants hold after the test");
	});
}
