//! A test runtime with a small world: a hospital and a lab (mock provider registry), a clock,
//! and patient 0 (controller [`PATIENT`], enrolled by the hospital) with three guardians:
//! one with full scope, one with a narrow scope, one whose appointment has expired; and
//! patient 1 enrolled by the lab.

use core::cell::RefCell;

use frame::{deps::sp_runtime::BuildStorage, testing_prelude::*, traits::Time};
use medchain_primitives::{
	ActivePractitioner, Categories, Category, GuardianScope, Hash32, Moment, OrganisationId,
	OrganisationKind, ProviderRegistry, Role,
};

use frame::deps::sp_core::{sr25519, Pair};

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

pub const HOSPITAL: OrganisationId = 0;
pub const LAB: OrganisationId = 1;
pub const HOSPITAL_ADMIN: u64 = 10;
/// A physician of the hospital (the enrolling organisation of patient 0).
pub const PHYSICIAN: u64 = 11;
/// A technician of the lab.
pub const LAB_TECHNICIAN: u64 = 21;
/// Patient 0's controller.
pub const PATIENT: u64 = 100;
/// Patient 1's controller (enrolled by the lab).
pub const OTHER_PATIENT: u64 = 101;
/// Guardian of patient 0 with every power, no expiry.
pub const GUARDIAN: u64 = 200;
/// Guardian of patient 0 who manages allergy consents only.
pub const NARROW_GUARDIAN: u64 = 201;
/// Guardian of patient 0 with every power, whose appointment ended at [`EXPIRED_AT`].
pub const EXPIRED_GUARDIAN: u64 = 202;
pub const STRANGER: u64 = 99;

/// The clock of the world after set-up (ms).
pub const NOW: Moment = 1_000_000;
/// When [`EXPIRED_GUARDIAN`]'s appointment ended.
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
/// The patient's signature, by the key of `secret`, of moving `patient` to `new_controller`
/// with `next` as its next recovery key.
pub fn recovery_proof(
	secret: [u8; 32],
	patient: u64,
	new_controller: u64,
	next: Option<RecoveryKey>,
) -> [u8; 64] {
	let genesis = System::block_hash(0);
	recovery_pair(secret)
		.sign(&crate::recovery_payload(&genesis, patient, &new_controller, &next))
		.0
}
pub fn identity(n: u8) -> Hash32 {
	Hash32::repeat_byte(n)
}

pub fn full_scope() -> GuardianScope {
	GuardianScope {
		consent_categories: Categories::ALL,
		may_appoint: true,
		may_set_emergency_policy: true,
		may_recover: true,
	}
}
pub fn narrow_scope() -> GuardianScope {
	GuardianScope { consent_categories: Category::Allergies.into(), ..Default::default() }
}

thread_local! {
	static SUSPENDED: RefCell<Vec<OrganisationId>> = const { RefCell::new(Vec::new()) };
	static CLOCK: RefCell<Moment> = const { RefCell::new(0) };
	/// Hospital physicians made by benchmarks.
	static MORE_PHYSICIANS: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Suspends `organisation` in the mock registry.
pub fn suspend(organisation: OrganisationId) {
	SUSPENDED.with(|s| s.borrow_mut().push(organisation));
}

/// Sets the chain's clock.
pub fn set_now(now: Moment) {
	CLOCK.with(|c| *c.borrow_mut() = now);
}

pub struct MockTime;
impl Time for MockTime {
	type Moment = Moment;
	fn now() -> Moment {
		CLOCK.with(|c| *c.borrow())
	}
}

/// The providers the patients pallet sees: a hospital (0) and a lab (1).
pub struct MockProviders;
impl ProviderRegistry<u64> for MockProviders {
	fn active_practitioner(who: &u64) -> Option<ActivePractitioner> {
		let (organisation, role) = match *who {
			PHYSICIAN => (HOSPITAL, Role::Physician),
			LAB_TECHNICIAN => (LAB, Role::LabTechnician),
			other if MORE_PHYSICIANS.with(|p| p.borrow().contains(&other)) => {
				(HOSPITAL, Role::Physician)
			},
			_ => return None,
		};
		let kind = Self::active_organisation(organisation)?;
		Some(ActivePractitioner { organisation, role, kind, since: 0 })
	}
	fn active_organisation(organisation: OrganisationId) -> Option<OrganisationKind> {
		if SUSPENDED.with(|s| s.borrow().contains(&organisation)) {
			return None;
		}
		match organisation {
			HOSPITAL => Some(OrganisationKind::Hospital),
			LAB => Some(OrganisationKind::Lab),
			_ => None,
		}
	}
	fn administered_by(who: &u64) -> Option<OrganisationId> {
		(*who == HOSPITAL_ADMIN).then_some(HOSPITAL)
	}
	fn invited_by(_who: &u64) -> Option<OrganisationId> {
		None
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn make_active_practitioner(who: &u64, _kind: OrganisationKind, _role: Role) -> OrganisationId {
		MORE_PHYSICIANS.with(|p| p.borrow_mut().push(*who));
		HOSPITAL
	}
}

parameter_types! {
	pub const MaxGuardians: u32 = 5;
	pub const RecoveryDelay: Moment = DAY;
	pub const RatePeriod: Moment = DAY;
	pub const MaxEnrolmentsPerPeriod: u32 = 3;
	pub const MaxKeyChangesPerPeriod: u32 = 6;
}

pub const DAY: Moment = 86_400_000;

impl pallet_patients::Config for Test {
	type Providers = MockProviders;
	type Time = MockTime;
	type Audit = medchain_primitives::testing::MockAudit;
	type MaxGuardians = MaxGuardians;
	type RecoveryDelay = RecoveryDelay;
	type RatePeriod = RatePeriod;
	type MaxEnrolmentsPerPeriod = MaxEnrolmentsPerPeriod;
	type MaxKeyChangesPerPeriod = MaxKeyChangesPerPeriod;
	type WeightInfo = ();
}

pub use medchain_primitives::testing::{audited, last_audited};

/// Genesis only: the two patients, no guardians.
pub fn new_test_ext() -> TestState {
	SUSPENDED.with(|s| s.borrow_mut().clear());
	MORE_PHYSICIANS.with(|p| p.borrow_mut().clear());
	// The audit double's record of what was sent to it starts empty.
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
		set_now(NOW);
		medchain_primitives::testing::reset();
		test();
		Patients::do_try_state().expect("invariants hold after the test");
	});
}
