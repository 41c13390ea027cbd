//! Test doubles for pallets' unit tests (feature `testing`): the registries, the consent
//! policy, the audit sink and the clock ([`MockTime`]), over one small world kept in a
//! thread-local, with `u64` accounts.
//!
//! [`reset`] builds the standard world: a hospital, a lab and an insurer (each with an admin
//! and practitioners), two patients enrolled by the hospital, four guardians of patient [`P`]
//! (full scope, allergies only, recovery only, and one whose appointment has ended), every
//! patient on the default emergency policy, and no permits. Tests then [`permit`], [`suspend`],
//! [`join`], [`set_now`] … and read what was audited with [`audited`].
//!
//! A pallet's mock is then its `Config` and `new_test_ext`: the registries it does not own come
//! from here.

// Set-up code, never on a chain's dispatch path: it may compute freely.
#![allow(clippy::arithmetic_side_effects)]

use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use core::cell::RefCell;

use sp_runtime::DispatchError;

use crate::{
	AccessPolicy, Action, Actions, ActivePractitioner, AuditEvent, AuditSink, Categories, Category,
	ConsentRef, Decided, Decision, DenyReason, EmergencyPolicy, GrantId, GuardianScope, Hash32,
	Moment, OrganisationId, OrganisationKind, PatientActor, PatientId, PatientRegistry,
	PatientStanding, ProviderRegistry, Purpose, Purposes, RecordId, RecordRegistry, Role,
};

pub const HOSPITAL: OrganisationId = 0;
pub const LAB: OrganisationId = 1;
pub const INSURER: OrganisationId = 2;
pub const HOSPITAL_ADMIN: u64 = 10;
/// A physician of the hospital (the patients' enrolling organisation).
pub const PHYSICIAN: u64 = 11;
pub const NURSE: u64 = 12;
/// A billing clerk of the hospital: not a clinical role.
pub const HOSPITAL_CLERK: u64 = 13;
pub const LAB_ADMIN: u64 = 20;
/// A technician of the lab.
pub const LAB_TECHNICIAN: u64 = 21;
/// Another technician of the lab.
pub const LAB_TECHNICIAN_2: u64 = 22;
pub const INSURER_ADMIN: u64 = 30;
pub const CLAIMS_CLERK: u64 = 31;
/// Patient [`P`]'s controller.
pub const PATIENT: u64 = 100;
/// Patient [`P2`]'s controller.
pub const PATIENT_2: u64 = 101;
/// Enrolled by the hospital.
pub const P: PatientId = 0;
/// Enrolled by the hospital.
pub const P2: PatientId = 1;
/// No patient has this id.
pub const UNKNOWN_PATIENT: PatientId = 77;
pub const STRANGER: u64 = 99;
/// Guardian of patient [`P`] with every power, no end.
pub const GUARDIAN: u64 = 200;
/// Guardian of patient [`P`] for allergy consents only.
pub const NARROW_GUARDIAN: u64 = 201;
/// Guardian of patient [`P`] with every power, whose appointment ended a day before [`NOW`].
pub const EXPIRED_GUARDIAN: u64 = 202;
/// Guardian of patient [`P`] for key recovery only: no consent categories.
pub const RECOVERY_GUARDIAN: u64 = 203;

/// The clock at the start of every test (ms).
pub const NOW: Moment = 1_000 * DAY;
pub use crate::time::{DAY, HOUR};

/// Every power a guardian can have.
pub fn full_scope() -> GuardianScope {
	GuardianScope {
		consent_categories: Categories::ALL,
		may_appoint: true,
		may_set_emergency_policy: true,
		may_recover: true,
	}
}

/// Allergy consents only.
pub fn narrow_scope() -> GuardianScope {
	GuardianScope { consent_categories: Category::Allergies.into(), ..Default::default() }
}

/// What the consent double permits: `who` may do `actions` on `categories` of `patient`'s
/// data for `purposes`, on the strength of `basis`.
#[derive(Clone, Debug)]
pub struct Permit {
	pub patient: PatientId,
	pub who: u64,
	pub categories: Categories,
	pub purposes: Purposes,
	pub actions: Actions,
	pub basis: ConsentRef,
}

#[derive(Default)]
struct World {
	now: Moment,
	/// id → (kind, admin, active)
	organisations: BTreeMap<OrganisationId, (OrganisationKind, u64, bool)>,
	/// account → (organisation, role, joined at)
	practitioners: BTreeMap<u64, (OrganisationId, Role, Moment)>,
	/// id → (controller, enrolling organisation)
	patients: BTreeMap<PatientId, (u64, OrganisationId)>,
	/// (patient, guardian) → (scope, end of the appointment)
	guardians: BTreeMap<(PatientId, u64), (GuardianScope, Option<Moment>)>,
	/// Patients whose emergency policy is not the default.
	emergency_policies: BTreeMap<PatientId, EmergencyPolicy>,
	permits: Vec<Permit>,
	/// (patient, who, basis): every basis ever permitted, withdrawn or not.
	bases: Vec<(PatientId, u64, ConsentRef)>,
	/// (patient, who): a deny rule of the patient against who, for everything.
	denies: Vec<(PatientId, u64)>,
	/// record → (patient, category)
	records: BTreeMap<RecordId, (PatientId, Category)>,
	audited: Vec<AuditEvent<u64>>,
	next_grant: GrantId,
}

thread_local! {
	static WORLD: RefCell<World> = RefCell::new(World::default());
}

fn with<R>(f: impl FnOnce(&mut World) -> R) -> R {
	WORLD.with(|w| f(&mut w.borrow_mut()))
}

/// Builds the standard world afresh.
pub fn reset() {
	with(|w| {
		*w = World { now: NOW, ..Default::default() };
		w.organisations
			.insert(HOSPITAL, (OrganisationKind::Hospital, HOSPITAL_ADMIN, true));
		w.organisations.insert(LAB, (OrganisationKind::Lab, LAB_ADMIN, true));
		w.organisations
			.insert(INSURER, (OrganisationKind::Insurer, INSURER_ADMIN, true));
		w.practitioners.insert(PHYSICIAN, (HOSPITAL, Role::Physician, 0));
		w.practitioners.insert(NURSE, (HOSPITAL, Role::Nurse, 0));
		w.practitioners.insert(HOSPITAL_CLERK, (HOSPITAL, Role::Billing, 0));
		w.practitioners.insert(LAB_TECHNICIAN, (LAB, Role::LabTechnician, 0));
		w.practitioners.insert(LAB_TECHNICIAN_2, (LAB, Role::LabTechnician, 0));
		w.practitioners.insert(CLAIMS_CLERK, (INSURER, Role::Billing, 0));
		w.patients.insert(P, (PATIENT, HOSPITAL));
		w.patients.insert(P2, (PATIENT_2, HOSPITAL));
		w.guardians.insert((P, GUARDIAN), (full_scope(), None));
		w.guardians.insert((P, NARROW_GUARDIAN), (narrow_scope(), None));
		let recovery_only = GuardianScope { may_recover: true, ..Default::default() };
		w.guardians.insert((P, RECOVERY_GUARDIAN), (recovery_only, None));
		w.guardians.insert((P, EXPIRED_GUARDIAN), (full_scope(), Some(NOW - DAY)));
		w.next_grant = 1_000;
	})
}

pub fn set_now(now: Moment) {
	with(|w| w.now = now)
}
pub fn now() -> Moment {
	with(|w| w.now)
}
/// The clock of the world: what [`now`] says.
pub struct MockTime;
impl frame_support::traits::Time for MockTime {
	type Moment = Moment;
	fn now() -> Moment {
		now()
	}
}
/// Sets `patient`'s emergency-access policy.
pub fn set_emergency_policy(patient: PatientId, policy: EmergencyPolicy) {
	with(|w| w.emergency_policies.insert(patient, policy));
}
/// Suspends an organisation: its practitioners are no longer active.
pub fn suspend(organisation: OrganisationId) {
	with(|w| {
		if let Some(org) = w.organisations.get_mut(&organisation) {
			org.2 = false;
		}
	})
}
/// Removes a practitioner from its organisation.
pub fn remove_practitioner(who: u64) {
	with(|w| w.practitioners.remove(&who));
}
/// Makes `who` a practitioner of `organisation` with `role`, joined now (it leaves any other).
pub fn join(who: u64, organisation: OrganisationId, role: Role) {
	with(|w| {
		let now = w.now;
		w.practitioners.insert(who, (organisation, role, now))
	});
}
/// Enrols `patient` (controller `controller`) at `organisation`, with the default emergency
/// policy.
pub fn enrol(patient: PatientId, controller: u64, organisation: OrganisationId) {
	with(|w| w.patients.insert(patient, (controller, organisation)));
}
/// Makes the consent double permit `who` these actions on these categories of `patient`'s
/// data for these purposes, on the strength of grant `grant_id`.
pub fn permit(
	patient: PatientId,
	who: u64,
	categories: impl Into<Categories>,
	purposes: impl Into<Purposes>,
	actions: impl Into<Actions>,
	basis: ConsentRef,
) {
	let permit = Permit {
		patient,
		who,
		categories: categories.into(),
		purposes: purposes.into(),
		actions: actions.into(),
		basis,
	};
	with(|w| {
		w.bases.push((permit.patient, permit.who, permit.basis));
		w.permits.push(permit)
	})
}
/// Makes `patient` deny `who` everything (a deny rule overrides every permit).
pub fn deny(patient: PatientId, who: u64) {
	with(|w| w.denies.push((patient, who)))
}
/// Withdraws every permit resting on `basis` (a revocation).
pub fn withdraw(basis: ConsentRef) {
	with(|w| w.permits.retain(|p| p.basis != basis))
}
/// Makes [`MockRecords`] know record `record`, of `category` of `patient`'s data.
pub fn add_record(record: RecordId, patient: PatientId, category: Category) {
	with(|w| w.records.insert(record, (patient, category)));
}
/// What was sent to [`MockAudit`], oldest first.
pub fn audited() -> Vec<AuditEvent<u64>> {
	with(|w| w.audited.clone())
}
/// The last thing sent to [`MockAudit`].
pub fn last_audited() -> Option<AuditEvent<u64>> {
	with(|w| w.audited.last().cloned())
}

/// The providers registry.
pub struct MockProviders;
impl ProviderRegistry<u64> for MockProviders {
	fn active_practitioner(who: &u64) -> Option<ActivePractitioner> {
		with(|w| {
			let (organisation, role, since) = *w.practitioners.get(who)?;
			let (kind, _, active) = *w.organisations.get(&organisation)?;
			active.then_some(ActivePractitioner { organisation, role, kind, since })
		})
	}
	fn active_organisation(organisation: OrganisationId) -> Option<OrganisationKind> {
		with(|w| w.organisations.get(&organisation).filter(|o| o.2).map(|o| o.0))
	}
	fn administered_by(who: &u64) -> Option<OrganisationId> {
		with(|w| w.organisations.iter().find(|(_, o)| o.1 == *who).map(|(id, _)| *id))
	}
	fn invited_by(_who: &u64) -> Option<OrganisationId> {
		None
	}
	fn admin_proposed_to(_who: &u64) -> Option<OrganisationId> {
		None
	}
}

/// The patients registry: the world's patients, their guardians and emergency policies.
pub struct MockPatients;
impl MockPatients {
	/// `who`'s appointment as a guardian of `patient`, if it is in force at `now`.
	fn guardian_scope(
		w: &World,
		patient: PatientId,
		who: u64,
		now: Moment,
	) -> Option<GuardianScope> {
		let (scope, until) = w.guardians.get(&(patient, who))?;
		until.map_or(true, |until| now < until).then_some(*scope)
	}
}
impl PatientRegistry<u64> for MockPatients {
	fn patient_of(who: &u64) -> Option<PatientId> {
		with(|w| w.patients.iter().find(|(_, p)| p.0 == *who).map(|(id, _)| *id))
	}
	fn is_enrolled(patient: PatientId) -> bool {
		with(|w| w.patients.contains_key(&patient))
	}
	fn standing(who: &u64, now: Moment) -> Option<PatientStanding> {
		with(|w| {
			let controller = w.patients.iter().find(|(_, p)| p.0 == *who);
			if let Some((id, p)) = controller {
				return Some(PatientStanding::Controller { patient: *id, organisation: p.1 });
			}
			let guarded = w
				.patients
				.iter()
				.find(|(id, _)| Self::guardian_scope(w, **id, *who, now).is_some())?;
			Some(PatientStanding::Guardian { ward: *guarded.0, organisation: guarded.1 .1 })
		})
	}
	fn actor_for(patient: PatientId, who: &u64, now: Moment) -> Option<PatientActor> {
		with(|w| {
			let (controller, _) = w.patients.get(&patient)?;
			if controller == who {
				return Some(PatientActor::Patient);
			}
			Self::guardian_scope(w, patient, *who, now).map(PatientActor::Guardian)
		})
	}
	fn enrolling_organisation(patient: PatientId) -> Option<OrganisationId> {
		with(|w| w.patients.get(&patient).map(|p| p.1))
	}
	fn emergency_policy(patient: PatientId) -> Option<EmergencyPolicy> {
		with(|w| {
			w.patients
				.contains_key(&patient)
				.then(|| w.emergency_policies.get(&patient).copied().unwrap_or_default())
		})
	}
}

/// The consent decision: what [`permit`] allowed, for active providers of enrolled patients.
pub struct MockPolicy;
impl MockPolicy {
	fn decide(
		basis: Option<ConsentRef>,
		patient: PatientId,
		accessor: &u64,
		category: Category,
		purpose: Purpose,
		action: Action,
	) -> Decision {
		if !MockPatients::is_enrolled(patient) {
			return Decision::Deny(DenyReason::UnknownPatient);
		}
		let admin_of_active = MockProviders::administered_by(accessor)
			.and_then(MockProviders::active_organisation)
			.is_some();
		if MockProviders::active_practitioner(accessor).is_none() && !admin_of_active {
			return Decision::Deny(DenyReason::NotActiveProvider);
		}
		if with(|w| w.denies.contains(&(patient, *accessor))) {
			return Decision::Deny(DenyReason::DeniedByPatient);
		}
		let found = with(|w| {
			w.permits
				.iter()
				.find(|p| {
					p.patient == patient
						&& p.who == *accessor
						&& p.categories.contains(category)
						&& p.purposes.contains(purpose)
						&& p.actions.contains(action)
						&& basis.map_or(true, |b| b == p.basis)
				})
				.map(|p| p.basis)
		});
		match found {
			Some(ConsentRef::Grant(grant_id)) => Decision::Permit { grant_id, until: None },
			Some(ConsentRef::Emergency(access_id)) => {
				Decision::PermitEmergency { access_id, until: now() + DAY }
			},
			_ => Decision::Deny(DenyReason::NoGrant),
		}
	}
}
/// What the mock's decision says it may read at most.
pub const MAX_GRANTS_READ: u32 = 8;

impl AccessPolicy<u64> for MockPolicy {
	fn check_access(
		patient: PatientId,
		accessor: &u64,
		category: Category,
		purpose: Purpose,
		action: Action,
	) -> Decided {
		let decision = Self::decide(None, patient, accessor, category, purpose, action);
		// The mock's grants are one list; a permit read one grant.
		Decided { decision, grants_read: u32::from(decision.is_permit()) }
	}
	fn max_grants_read() -> u32 {
		MAX_GRANTS_READ
	}
	fn check_access_under(
		basis: ConsentRef,
		patient: PatientId,
		accessor: &u64,
		category: Category,
		purpose: Purpose,
		action: Action,
	) -> Decision {
		Self::decide(Some(basis), patient, accessor, category, purpose, action)
	}
	fn relates(basis: ConsentRef, patient: PatientId, accessor: &u64) -> bool {
		with(|w| w.bases.contains(&(patient, *accessor, basis)))
	}
}

/// An audit sink that remembers what it was sent (see [`audited`]).
pub struct MockAudit;
impl AuditSink<u64> for MockAudit {
	fn record(event: AuditEvent<u64>) -> Result<u64, DispatchError> {
		Ok(with(|w| {
			w.audited.push(event);
			w.audited.len() as u64
		}))
	}
}

/// The records registry: what [`add_record`] added.
pub struct MockRecords;
impl RecordRegistry for MockRecords {
	fn record_subject(record: RecordId) -> Option<(PatientId, Category)> {
		with(|w| w.records.get(&record).copied())
	}
}

/// An attestation ledger that remembers in the test's storage, so that a call that fails
/// forgets what it remembered, as the audit pallet's storage does (what a pallet's mock names as
/// its `Config::Attestations`; the runtime's is the audit pallet).
pub struct MockLedger;

impl MockLedger {
	fn key(id: &Hash32) -> Vec<u8> {
		let mut key = b"medchain:mock-ledger:".to_vec();
		key.extend_from_slice(id.as_bytes());
		key
	}
}
impl crate::AttestationLedger for MockLedger {
	fn check(
		id: &Hash32,
		created: Moment,
		window: Moment,
	) -> Result<crate::AttestationUse, crate::AttestationTimeError> {
		let now = with(|w| w.now);
		if created > now.saturating_add(crate::attestation::MAX_CLOCK_SKEW) {
			return Err(crate::AttestationTimeError::FromTheFuture);
		}
		if now > created.saturating_add(window) {
			return Err(crate::AttestationTimeError::TooOld);
		}
		Ok(match frame_support::storage::unhashed::get::<Option<RecordId>>(&Self::key(id)) {
			Some(record) => crate::AttestationUse::Used(record),
			None => crate::AttestationUse::Fresh,
		})
	}
	fn remember(id: &Hash32, _created: Moment, _window: Moment, record: Option<RecordId>) {
		frame_support::storage::unhashed::put(&Self::key(id), &record);
	}
}

/// Signs attestations in this world: account `i` signs as `1_000 + i`, with
/// `sp_runtime::testing::TestSignature` (valid exactly for its signer and message).
pub struct MockSigner;
impl MockSigner {
	/// `who`'s signature of `payload`.
	pub fn sign(who: u64, payload: &[u8]) -> sp_runtime::testing::TestSignature {
		sp_runtime::testing::TestSignature(who, payload.to_vec())
	}
}
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkSigner<u64, sp_runtime::testing::TestSignature> for MockSigner {
	fn signer(i: u32) -> u64 {
		1_000 + u64::from(i)
	}
	fn sign(who: &u64, payload: &[u8]) -> sp_runtime::testing::TestSignature {
		MockSigner::sign(*who, payload)
	}
}

/// The benchmarks' set-up, built in this world: what a pallet's mock names as its
/// `Config::BenchmarkHelper` (the runtime builds the same in its real pallets).
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkWorld;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkWorld<u64> for MockBenchmarkWorld {
	fn make_active_practitioner(who: &u64, kind: OrganisationKind, role: Role) -> OrganisationId {
		with(|w| {
			let id = w.organisations.keys().last().map_or(0, |k| k + 1);
			w.organisations.insert(id, (kind, u64::MAX - id as u64, true));
			w.practitioners.insert(*who, (id, role, 0));
			id
		})
	}
	fn make_patient(controller: &u64, organisation: OrganisationId) -> PatientId {
		with(|w| {
			// A benchmark with components sets up again for each value in one test world (the
			// runtime's storage is reset between them, this world is not): a controller keeps
			// the patient it controls, as on chain.
			if let Some((id, _)) = w.patients.iter().find(|(_, (c, _))| c == controller) {
				return *id;
			}
			let id = w.patients.keys().last().map_or(0, |k| k + 1);
			w.patients.insert(id, (*controller, organisation));
			id
		})
	}
	fn make_worst_case_access(patient: PatientId, accessor: &u64, _grants_read: u32) -> ConsentRef {
		let id = with(|w| {
			w.next_grant += 1;
			w.next_grant
		});
		let basis = ConsentRef::Emergency(id);
		permit(patient, *accessor, Categories::ALL, Purposes::ALL, Actions::ALL, basis);
		basis
	}
	fn make_record(patient: PatientId, category: Category) -> RecordId {
		let id = with(|w| w.records.keys().last().map_or(0, |k| k + 1));
		add_record(id, patient, category);
		id
	}
	fn set_time(now: Moment) {
		set_now(now);
	}
}

/// Declares an authorisation matrix: its actors, how each signs, and `check`, which runs a call
/// as every actor, each in a fresh world, and compares each outcome with the matrix's.
///
/// Each actor is `Name => who`: `root` for the Root origin (governance), an account, or a block
/// that prepares the world for that actor and ends with its account (`{ suspend(LAB); LAB_ADMIN }`:
/// run inside the actor's world, before the call). It expands, where the pallet's mock
/// (`RuntimeOrigin`, `with_world`) is in scope, to:
/// - `enum Actor` (and `use Actor::*`), `ACTORS` (every actor, in order);
/// - `origin(actor)`: the actor's origin in the current world;
/// - `check(setup, call, expected)`: for each actor, in `with_world`, `setup()` (what it
///   returns is dropped) then `call(origin(actor))`, asserted equal to `expected(actor)`. `expected` is a `match` over
///   the actors, so a matrix that forgets one does not compile.
///
/// ```ignore
/// medchain_primitives::authorisation_matrix! {
///     Governance => root,
///     Patient => PATIENT,
///     PractitionerSuspendedOrg => { suspend(HOSPITAL); PHYSICIAN },
/// }
///
/// #[test]
/// fn revoke() {
///     check(granted, |o| Consent::revoke(o, 0), |actor| match actor {
///         Patient => Ok(()),
///         Governance => Err(DispatchError::BadOrigin),
///         PractitionerSuspendedOrg => Err(Error::<Test>::NotPatientOrGuardian.into()),
///     });
/// }
/// ```
#[macro_export]
macro_rules! authorisation_matrix {
	(@origin root) => {
		RuntimeOrigin::root()
	};
	(@origin $who:tt) => {
		RuntimeOrigin::signed($who)
	};
	($($(#[$meta:meta])* $actor:ident => $who:tt),+ $(,)?) => {
		/// Who acts in this matrix.
		#[derive(Clone, Copy, Debug, PartialEq, Eq)]
		enum Actor {
			$($(#[$meta])* $actor),+
		}
		#[allow(unused_imports)]
		use Actor::*;

		/// Every actor, in the order they are run.
		const ACTORS: &[Actor] = &[$(Actor::$actor),+];

		/// The actor's origin in the current world (after preparing the world for it).
		fn origin(actor: Actor) -> RuntimeOrigin {
			match actor {
				$(Actor::$actor => $crate::authorisation_matrix!(@origin $who)),+
			}
		}

		/// Runs `call` as every actor, each in a fresh world after `setup`, and asserts the
		/// outcome `expected` gives that actor.
		#[allow(dead_code)]
		fn check<S, R: PartialEq + core::fmt::Debug>(
			setup: impl Fn() -> S,
			call: impl Fn(RuntimeOrigin) -> R,
			expected: impl Fn(Actor) -> R,
		) {
			for &actor in ACTORS {
				with_world(|| {
					let _ = setup();
					assert_eq!(call(origin(actor)), expected(actor), "{actor:?}");
				});
			}
		}
	};
}
