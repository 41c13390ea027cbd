//! A test runtime with a small world: a hospital (0) and a lab (1) with an admin and a
//! practitioner each, a clock, and patient 0 (controller [`PATIENT`], enrolled by the
//! hospital) with a full-scope guardian, an allergies-only guardian and an expired guardian.
//! The registries are mocks: the consent pallet only sees them through their traits.

use core::cell::RefCell;

use frame::{deps::sp_runtime::BuildStorage, testing_prelude::*, traits::Time};
use medchain_primitives::{
	ActivePractitioner, AuditEvent, AuditSink, Categories, Category, EmergencyPolicy,
	GuardianScope, Moment, OrganisationId, OrganisationKind, PatientActor, PatientId,
	PatientRegistry, PatientStanding, ProviderRegistry, Role,
};

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

pub const HOSPITAL: OrganisationId = 0;
pub const LAB: OrganisationId = 1;
pub const HOSPITAL_ADMIN: u64 = 10;
pub const LAB_ADMIN: u64 = 20;
/// A physician of the hospital (the patient's enrolling organisation).
pub const PHYSICIAN: u64 = 11;
/// A technician of the lab.
pub const LAB_TECHNICIAN: u64 = 21;
/// Another technician of the lab.
pub const LAB_TECHNICIAN_2: u64 = 22;
/// A billing clerk of the hospital: not a clinical role.
pub const HOSPITAL_CLERK: u64 = 13;
/// Patient 0's controller.
pub const PATIENT: u64 = 100;
pub const P: PatientId = 0;
/// Guardian of patient 0 for every category.
pub const GUARDIAN: u64 = 200;
/// Guardian of patient 0 for allergies only.
pub const NARROW_GUARDIAN: u64 = 201;
/// Guardian of patient 0 whose appointment has ended.
pub const EXPIRED_GUARDIAN: u64 = 202;
/// Guardian of patient 0 appointed for key recovery only: no consent categories.
pub const RECOVERY_GUARDIAN: u64 = 203;
pub const STRANGER: u64 = 99;

/// The clock at the start of every test (ms).
pub const NOW: Moment = 1_000 * DAY;
pub const HOUR: Moment = 3_600_000;
pub const DAY: Moment = 24 * HOUR;

thread_local! {
	static CLOCK: RefCell<Moment> = const { RefCell::new(NOW) };
	static SUSPENDED: RefCell<Vec<OrganisationId>> = const { RefCell::new(Vec::new()) };
	static POLICY: RefCell<EmergencyPolicy> = RefCell::new(EmergencyPolicy::default());
	/// The controller benchmarks made patient 0's.
	static BENCHMARK_PATIENT: RefCell<Option<u64>> = const { RefCell::new(None) };
	/// Practitioners made by benchmarks: (account, organisation).
	static MORE_PRACTITIONERS: RefCell<Vec<(u64, OrganisationId)>> = const { RefCell::new(Vec::new()) };
	/// What the pallet sent to the audit trail.
	static AUDITED: RefCell<Vec<AuditEvent<u64>>> = const { RefCell::new(Vec::new()) };
	/// Practitioners who changed organisation: (account, organisation, joined at).
	static MOVED: RefCell<Vec<(u64, OrganisationId, Moment)>> = const { RefCell::new(Vec::new()) };
}

/// `who` leaves its organisation and joins `organisation` as a physician, now.
pub fn move_practitioner(who: u64, organisation: OrganisationId) {
	let since = now();
	MOVED.with(|m| {
		let mut moved = m.borrow_mut();
		moved.retain(|(a, _, _)| *a != who);
		moved.push((who, organisation, since));
	});
}

/// What the pallet sent to the audit trail, oldest first.
pub fn audited() -> Vec<AuditEvent<u64>> {
	AUDITED.with(|a| a.borrow().clone())
}

/// An audit sink that remembers what it was sent.
pub struct MockAudit;
impl AuditSink<u64> for MockAudit {
	fn record(event: AuditEvent<u64>) -> Result<u64, DispatchError> {
		AUDITED.with(|a| {
			a.borrow_mut().push(event);
			Ok(a.borrow().len() as u64)
		})
	}
}

pub fn set_now(now: Moment) {
	CLOCK.with(|c| *c.borrow_mut() = now);
}
pub fn now() -> Moment {
	CLOCK.with(|c| *c.borrow())
}
pub fn suspend(organisation: OrganisationId) {
	SUSPENDED.with(|s| s.borrow_mut().push(organisation));
}
pub fn set_emergency_policy(policy: EmergencyPolicy) {
	POLICY.with(|p| *p.borrow_mut() = policy);
}

pub struct MockTime;
impl Time for MockTime {
	type Moment = Moment;
	fn now() -> Moment {
		now()
	}
}

pub struct MockProviders;
impl ProviderRegistry<u64> for MockProviders {
	fn active_practitioner(who: &u64) -> Option<ActivePractitioner> {
		let moved = MOVED.with(|m| m.borrow().iter().find(|(a, _, _)| a == who).copied());
		let (organisation, role, since) = match (*who, moved) {
			(_, Some((_, organisation, since))) => (organisation, Role::Physician, since),
			(PHYSICIAN, None) => (HOSPITAL, Role::Physician, 0),
			(HOSPITAL_CLERK, None) => (HOSPITAL, Role::Billing, 0),
			(LAB_TECHNICIAN | LAB_TECHNICIAN_2, None) => (LAB, Role::LabTechnician, 0),
			(other, None) => (
				MORE_PRACTITIONERS
					.with(|p| p.borrow().iter().find(|(a, _)| *a == other).map(|(_, o)| *o))?,
				Role::Physician,
				0,
			),
		};
		let kind = Self::active_organisation(organisation)?;
		Some(ActivePractitioner { organisation, role, kind, since })
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
		match *who {
			HOSPITAL_ADMIN => Some(HOSPITAL),
			LAB_ADMIN => Some(LAB),
			_ => None,
		}
	}
	fn invited_by(_who: &u64) -> Option<OrganisationId> {
		None
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn make_active_practitioner(who: &u64, kind: OrganisationKind, _role: Role) -> OrganisationId {
		let organisation = if kind == OrganisationKind::Hospital { HOSPITAL } else { LAB };
		MORE_PRACTITIONERS.with(|p| p.borrow_mut().push((*who, organisation)));
		organisation
	}
}

pub fn full_scope() -> GuardianScope {
	GuardianScope {
		consent_categories: Categories::ALL,
		may_appoint: true,
		may_set_emergency_policy: true,
		may_recover: true,
	}
}

pub struct MockPatients;
impl PatientRegistry<u64> for MockPatients {
	fn patient_of(who: &u64) -> Option<PatientId> {
		(*who == PATIENT).then_some(P)
	}
	fn is_enrolled(patient: PatientId) -> bool {
		patient == P
	}
	fn standing(who: &u64, now: Moment) -> Option<PatientStanding> {
		match Self::actor_for(P, who, now)? {
			PatientActor::Patient => {
				Some(PatientStanding::Controller { patient: P, organisation: HOSPITAL })
			},
			PatientActor::Guardian(_) => Some(PatientStanding::Guardian { organisation: HOSPITAL }),
		}
	}
	fn actor_for(patient: PatientId, who: &u64, now: Moment) -> Option<PatientActor> {
		if patient != P {
			return None;
		}
		if BENCHMARK_PATIENT.with(|p| *p.borrow() == Some(*who)) {
			return Some(PatientActor::Patient);
		}
		match *who {
			PATIENT => Some(PatientActor::Patient),
			GUARDIAN => Some(PatientActor::Guardian(full_scope())),
			NARROW_GUARDIAN => Some(PatientActor::Guardian(GuardianScope {
				consent_categories: Category::Allergies.into(),
				..Default::default()
			})),
			RECOVERY_GUARDIAN => Some(PatientActor::Guardian(GuardianScope {
				may_recover: true,
				..Default::default()
			})),
			// Its appointment ended before every test's start.
			EXPIRED_GUARDIAN if now < NOW - DAY => Some(PatientActor::Guardian(full_scope())),
			_ => None,
		}
	}
	fn enrolling_organisation(patient: PatientId) -> Option<OrganisationId> {
		(patient == P).then_some(HOSPITAL)
	}
	fn emergency_policy(patient: PatientId) -> Option<EmergencyPolicy> {
		(patient == P).then(|| POLICY.with(|p| *p.borrow()))
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn make_patient(controller: &u64, _organisation: OrganisationId) -> PatientId {
		BENCHMARK_PATIENT.with(|p| *p.borrow_mut() = Some(*controller));
		P
	}
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
	type EmergencyBarDuration = EmergencyBarDuration;
	type EmergencyRetention = EmergencyRetention;
	type GovernanceOrigin = EnsureRoot<u64>;
	type Audit = MockAudit;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockClock;
}

/// Benchmarks set the mock's clock.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockClock;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper for MockClock {
	fn set_time(now: Moment) {
		set_now(now);
	}
}

pub fn new_test_ext() -> TestState {
	set_now(NOW);
	SUSPENDED.with(|s| s.borrow_mut().clear());
	MORE_PRACTITIONERS.with(|p| p.borrow_mut().clear());
	AUDITED.with(|a| a.borrow_mut().clear());
	MOVED.with(|m| m.borrow_mut().clear());
	BENCHMARK_PATIENT.with(|p| *p.borrow_mut() = None);
	set_emergency_policy(EmergencyPolicy::default());
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
