//! enrol_patient.

use frame::testing_prelude::*;
use medchain_primitives::EmergencyPolicy;

use crate::{mock::*, Error, Event, IdentityCommitments, NextPatientId, Patient, PatientOf};

#[test]
fn a_practitioner_enrols_a_patient_for_its_organisation() {
	with_world(|| {
		let controller = 300;
		assert_ok!(Patients::enrol_patient(RuntimeOrigin::signed(LAB_TECHNICIAN), controller, identity(9), identity(10)));
		System::assert_last_event(Event::PatientEnrolled { patient: 2, controller, organisation: LAB }.into());
		assert_eq!(
			Patients::patient(2),
			Some(Patient {
				controller,
				enrolled_by: LAB,
				identity_commitment: identity(9),
				recovery_commitment: identity(10),
				guardians: 0,
				recovery_threshold: 0,
				emergency_policy: EmergencyPolicy::default(),
			})
		);
		assert_eq!(PatientOf::<Test>::get(controller), Some(2));
		assert_eq!(IdentityCommitments::<Test>::get(identity(9)), Some(2));
		assert_eq!(NextPatientId::<Test>::get(), 3);
		// The controller exists without any balance: the pallet provides for it.
		assert!(System::account_exists(&controller));
	});
}

#[test]
fn the_same_identity_is_enrolled_once() {
	with_world(|| {
		assert_noop!(
			Patients::enrol_patient(RuntimeOrigin::signed(PHYSICIAN), 300, identity(1), identity(10)),
			Error::<Test>::IdentityAlreadyEnrolled
		);
	});
}

#[test]
fn an_account_controls_one_patient() {
	with_world(|| {
		assert_noop!(
			Patients::enrol_patient(RuntimeOrigin::signed(PHYSICIAN), OTHER_PATIENT, identity(9), identity(10)),
			Error::<Test>::AccountAlreadyPatient
		);
	});
}

#[test]
fn a_practitioner_of_a_suspended_organisation_enrols_no_one() {
	with_world(|| {
		suspend(HOSPITAL);
		assert_noop!(
			Patients::enrol_patient(RuntimeOrigin::signed(PHYSICIAN), 300, identity(9), identity(10)),
			Error::<Test>::NotActivePractitioner
		);
	});
}

#[test]
fn patient_ids_do_not_wrap() {
	with_world(|| {
		NextPatientId::<Test>::put(u64::MAX);
		assert_noop!(
			Patients::enrol_patient(RuntimeOrigin::signed(PHYSICIAN), 300, identity(9), identity(10)),
			Error::<Test>::PatientIdsExhausted
		);
		NextPatientId::<Test>::put(2);
	});
}

#[test]
fn genesis_enrols_the_demo_patients() {
	with_world(|| {
		assert_eq!(Patients::patient(0).map(|p| (p.controller, p.enrolled_by)), Some((PATIENT, HOSPITAL)));
		assert_eq!(Patients::patient(1).map(|p| (p.controller, p.enrolled_by)), Some((OTHER_PATIENT, LAB)));
		assert!(crate::Patients::<Test>::contains_key(0));
	});
}
