//! The authorisation matrix: for every call, which actor succeeds and which gets which error.
//!
//! Actors: governance (Root), the patient, a guardian in scope, a guardian out of scope, a
//! recovery-only guardian (no consent categories), an expired guardian, a practitioner of the
//! grantee organisation, a practitioner of another organisation, a billing clerk of a hospital,
//! a practitioner of a suspended organisation, an organisation's admin, a stranger. The calls
//! concern LabResults, which the out-of-scope guardian (allergies only) does not manage.

use frame::testing_prelude::*;
use medchain_primitives::{Category, GrantTerms, Grantee, Purposes};

use super::*;
use crate::Error;

medchain_primitives::authorisation_matrix! {
	Governance => root,
	Patient => PATIENT,
	GuardianInScope => GUARDIAN,
	GuardianOutOfScope => NARROW_GUARDIAN,
	RecoveryGuardian => RECOVERY_GUARDIAN,
	ExpiredGuardian => EXPIRED_GUARDIAN,
	PractitionerOfGrantee => LAB_TECHNICIAN,
	PractitionerOtherOrg => PHYSICIAN,
	HospitalClerk => HOSPITAL_CLERK,
	PractitionerSuspendedOrg => { suspend(HOSPITAL); PHYSICIAN },
	OrgAdmin => LAB_ADMIN,
	Stranger => STRANGER,
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
				GrantTerms {
					grantee: Grantee::Organisation(LAB),
					categories: Category::LabResults.into(),
					purposes: treatment(),
					actions: medchain_primitives::Action::Read.into(),
					valid_from: NOW,
					valid_until: Some(NOW + DAY),
				},
				Default::default(),
			)
			.map(|_| ())
			.map_err(|e| e.error)
		},
		expected,
	);
}

#[test]
fn revoke() {
	check(lab_results_grant, |o| Consent::revoke(o, 0), expected);
}

#[test]
fn add_deny() {
	check(
		|| {},
		|o| Consent::add_deny(o, P, None, Category::LabResults.into(), Purposes::ALL),
		expected,
	);
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
		expected,
	);
}

#[test]
fn break_glass() {
	// Only an active physician or nurse of a hospital or clinic (PHYSICIAN: "other org" here);
	// not its billing clerk, not an organisation's admin.
	check(
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
	check(
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
