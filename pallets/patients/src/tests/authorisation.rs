//! The authorisation matrix: for every call, which actor succeeds and which gets which error.
//!
//! Actors: governance (Root), an organisation's admin, a practitioner of the enrolling
//! organisation, a practitioner of another organisation, the patient, another patient, a
//! guardian in scope, a guardian out of scope, an expired guardian, a stranger.

use frame::testing_prelude::*;

use crate::{mock::*, Error};

medchain_primitives::authorisation_matrix! {
	Governance => root,
	OrgAdmin => HOSPITAL_ADMIN,
	PractitionerSameOrg => PHYSICIAN,
	PractitionerOtherOrg => LAB_TECHNICIAN,
	Patient => PATIENT,
	OtherPatient => OTHER_PATIENT,
	GuardianInScope => GUARDIAN,
	GuardianOutOfScope => NARROW_GUARDIAN,
	ExpiredGuardian => EXPIRED_GUARDIAN,
	Stranger => STRANGER,
}

fn err(e: Error<Test>) -> Result<(), DispatchError> {
	Err(e.into())
}

#[test]
fn enrol_patient() {
	check(
		|| {},
		|o| Patients::enrol_patient(o, 300, identity(9), None),
		|a| match a {
			PractitionerSameOrg | PractitionerOtherOrg => Ok(()),
			Governance => Err(DispatchError::BadOrigin),
			_ => err(Error::NotActivePractitioner),
		},
	);
}

#[test]
fn rotate_key() {
	check(
		|| {},
		|o| Patients::rotate_key(o, 300),
		|a| match a {
			Patient | OtherPatient => Ok(()),
			Governance => Err(DispatchError::BadOrigin),
			_ => err(Error::NotPatient),
		},
	);
}

#[test]
fn add_guardian() {
	check(
		|| {},
		|o| Patients::add_guardian(o, 0, 300, narrow_scope(), None),
		|a| match a {
			Patient | GuardianInScope => Ok(()),
			GuardianOutOfScope => err(Error::GuardianScopeExceeded),
			Governance => Err(DispatchError::BadOrigin),
			_ => err(Error::NotPatientOrGuardian),
		},
	);
}

#[test]
fn remove_guardian() {
	// The guardian being removed is the out-of-scope one: it may resign.
	check(
		|| {},
		|o| Patients::remove_guardian(o, 0, NARROW_GUARDIAN),
		|a| match a {
			Patient | GuardianOutOfScope => Ok(()),
			Governance => Err(DispatchError::BadOrigin),
			_ => err(Error::NotPatientOrGuardian),
		},
	);
}

#[test]
fn set_emergency_policy() {
	check(
		|| {},
		|o| {
			Patients::set_emergency_policy(
				o,
				0,
				medchain_primitives::EmergencyPolicy {
					allowed: false,
					categories: Default::default(),
				},
				Default::default(),
			)
		},
		|a| match a {
			Patient | GuardianInScope => Ok(()),
			GuardianOutOfScope => err(Error::GuardianScopeExceeded),
			Governance => Err(DispatchError::BadOrigin),
			_ => err(Error::NotPatientOrGuardian),
		},
	);
}

#[test]
fn set_recovery_threshold() {
	check(
		|| {},
		|o| Patients::set_recovery_threshold(o, 1),
		|a| match a {
			// Each patient sets its own.
			Patient | OtherPatient => Ok(()),
			Governance => Err(DispatchError::BadOrigin),
			_ => err(Error::NotPatient),
		},
	);
}

#[test]
fn approve_recovery() {
	check(
		|| {
			assert_ok!(Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 2));
		},
		|o| Patients::approve_recovery(o, 0, 400),
		|a| match a {
			GuardianInScope => Ok(()),
			Governance => Err(DispatchError::BadOrigin),
			_ => err(Error::NotRecoveryGuardian),
		},
	);
}

#[test]
fn cancel_recovery() {
	check(
		|| {
			assert_ok!(Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 2));
			assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, 400));
		},
		|o| Patients::cancel_recovery(o),
		|a| match a {
			Patient => Ok(()),
			OtherPatient => err(Error::NoPendingRecovery),
			Governance => Err(DispatchError::BadOrigin),
			_ => err(Error::NotPatient),
		},
	);
}

#[test]
fn complete_recovery() {
	check(
		|| {
			assert_ok!(Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 1));
			assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, 400));
			set_now(NOW + DAY);
		},
		|o| Patients::complete_recovery(o, 0),
		|a| match a {
			GuardianInScope => Ok(()),
			Governance => Err(DispatchError::BadOrigin),
			_ => err(Error::NotRecoveryGuardian),
		},
	);
}

#[test]
fn recover_with_secret() {
	check(
		|| {},
		|o| Patients::recover_with_secret(o, 0, 400, None, recovery_proof(secret(), 0, 400, None)),
		|a| match a {
			PractitionerSameOrg => Ok(()),
			PractitionerOtherOrg => err(Error::NotEnrollingOrganisation),
			Governance => Err(DispatchError::BadOrigin),
			_ => err(Error::NotActivePractitioner),
		},
	);
}
