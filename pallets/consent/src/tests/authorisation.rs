//! The authorisation matrix: for every call, which actor succeeds and which gets which error.
//!
//! Actors: governance (Root), the patient, a guardian in scope, a guardian out of scope, a
//! recovery-only guardian (no consent categories), an expired guardian, a practitioner of the
//! grantee organisation, a practitioner of another organisation, a billing clerk of a hospital,
//! a practitioner of a suspended organisation, an organisation's admin, a stranger. The calls
//! concern LabResults, which the out-of-scope guardian (allergies only) does not manage.

use frame::testing_prelude::*;
use medchain_primitives::{Category, Grantee, Purposes};

use super::*;
use crate::Error;

#[derive(Clone, Copy, Debug)]
enum Actor {
	Governance,
	Patient,
	GuardianInScope,
	GuardianOutOfScope,
	RecoveryGuardian,
	ExpiredGuardian,
	PractitionerOfGrantee,
	PractitionerOtherOrg,
	HospitalClerk,
	PractitionerSuspendedOrg,
	OrgAdmin,
	Stranger,
}
use Actor::*;

const ACTORS: [Actor; 12] = [
	Governance,
	Patient,
	GuardianInScope,
	GuardianOutOfScope,
	RecoveryGuardian,
	ExpiredGuardian,
	PractitionerOfGrantee,
	PractitionerOtherOrg,
	HospitalClerk,
	PractitionerSuspendedOrg,
	OrgAdmin,
	Stranger,
];

fn origin(actor: Actor) -> RuntimeOrigin {
	let who = match actor {
		Governance => return RuntimeOrigin::root(),
		Patient => PATIENT,
		GuardianInScope => GUARDIAN,
		GuardianOutOfScope => NARROW_GUARDIAN,
		RecoveryGuardian => RECOVERY_GUARDIAN,
		ExpiredGuardian => EXPIRED_GUARDIAN,
		PractitionerOfGrantee => LAB_TECHNICIAN,
		PractitionerOtherOrg => PHYSICIAN,
		HospitalClerk => HOSPITAL_CLERK,
		PractitionerSuspendedOrg => {
			suspend(HOSPITAL);
			PHYSICIAN
		},
		OrgAdmin => LAB_ADMIN,
		Stranger => STRANGER,
	};
	RuntimeOrigin::signed(who)
}

/// What every call in this file expects: the patient and the guardian in scope may, the
/// out-of-scope guardian is told its scope is exceeded, Root is a bad origin, everyone else
/// is neither patient nor guardian.
fn expected(actor: Actor) -> Result<(), DispatchError> {
	match actor {
		Patient | GuardianInScope => Ok(()),
		GuardianOutOfScope | RecoveryGuardian => Err(Error::<Test>::GuardianScopeExceeded.into()),
		Governance => Err(DispatchError::BadOrigin),
		_ => Err(Error::<Test>::NotPatientOrGuardian.into()),
	}
}

fn check(setup: impl Fn(), call: impl Fn(RuntimeOrigin) -> DispatchResult) {
	check_against(setup, call, expected)
}

fn check_against(
	setup: impl Fn(),
	call: impl Fn(RuntimeOrigin) -> DispatchResult,
	expected: impl Fn(Actor) -> Result<(), DispatchError>,
) {
	for actor in ACTORS {
		with_world(|| {
			setup();
			let origin = origin(actor);
			assert_eq!(call(origin), expected(actor), "{actor:?}");
		});
	}
}

fn lab_results_grant() {
	assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
}

#[test]
fn grant() {
	check(
		|| {},
		|o| {
			Consent::grant(
				o,
				P,
				Grantee::Organisation(LAB),
				Category::LabResults.into(),
				Default::default(),
				treatment(),
				medchain_primitives::Action::Read.into(),
				NOW,
				Some(NOW + DAY),
			)
			.map(|_| ())
			.map_err(|e| e.error)
		},
	);
}

#[test]
fn revoke() {
	check(lab_results_grant, |o| Consent::revoke(o, 0));
}

#[test]
fn add_deny() {
	check(|| {}, |o| Consent::add_deny(o, P, None, Category::LabResults.into(), Purposes::ALL));
}

#[test]
fn remove_deny() {
	check(
		|| {
			assert_ok!(Consent::add_deny(
				RuntimeOrigin::signed(PATIENT),
				P,
				None,
				Category::LabResults.into(),
				Purposes::ALL
			));
		},
		|o| Consent::remove_deny(o, P, 0),
	);
}

#[test]
fn break_glass() {
	// Only an active physician or nurse of a hospital or clinic (PHYSICIAN: "other org" here);
	// not its billing clerk, not an organisation's admin.
	check_against(
		|| {},
		|o| {
			Consent::break_glass(
				o,
				P,
				crate::JustificationCode::PatientUnconscious,
				Category::Allergies.into(),
			)
		},
		|a| match a {
			PractitionerOtherOrg => Ok(()),
			Governance => Err(DispatchError::BadOrigin),
			_ => Err(Error::<Test>::NotEmergencyProvider.into()),
		},
	);
}

#[test]
fn review_emergency() {
	// Governance, the patient, or a guardian in force whose scope covers the access's categories
	// (allergies: the narrow guardian's too); never the practitioner who opened it.
	check_against(
		|| {
			assert_ok!(Consent::break_glass(
				RuntimeOrigin::signed(PHYSICIAN),
				P,
				crate::JustificationCode::LifeThreatening,
				Category::Allergies.into()
			));
		},
		|o| Consent::review_emergency(o, 0, crate::ReviewOutcome::Justified),
		|a| match a {
			Governance | Patient | GuardianInScope | GuardianOutOfScope => Ok(()),
			RecoveryGuardian => Err(Error::<Test>::GuardianScopeExceeded.into()),
			PractitionerOtherOrg | PractitionerSuspendedOrg => {
				Err(Error::<Test>::CannotReviewOwnAccess.into())
			},
			_ => Err(Error::<Test>::NotPatientOrGuardian.into()),
		},
	);
}
