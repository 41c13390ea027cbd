//! enrol_patient.

use frame::testing_prelude::*;
use medchain_primitives::{AuditAction, EmergencyPolicy, RateCounter};

use crate::{
	mock::*, Enrolments, Error, Event, IdentityCommitments, NextPatientId, Patient, PatientOf,
};

#[test]
fn a_practitioner_enrols_a_patient_for_its_organisation() {
	with_world(|| {
		let controller = 300;
		assert_ok!(Patients::enrol_patient(
			RuntimeOrigin::signed(LAB_TECHNICIAN),
			controller,
			identity(9),
			Some([10; 32])
		));
		System::assert_last_event(
			Event::PatientEnrolled { patient: 2, controller, organisation: LAB }.into(),
		);
		assert_eq!(
			Patients::patient(2),
			Some(Patient {
				controller,
				enrolled_by: LAB,
				identity_commitment: identity(9),
				recovery_key: Some([10; 32]),
				guardians: 0,
				recovery_threshold: 0,
				emergency_policy: EmergencyPolicy::default(),
				key_changes: RateCounter::default(),
			})
		);
		let entry = last_audited().unwrap();
		assert_eq!(
			(entry.patient, entry.action, entry.subject, entry.organisation),
			(2, AuditAction::PatientEnrolled, Some(controller), Some(LAB))
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
			Patients::enrol_patient(RuntimeOrigin::signed(PHYSICIAN), 300, identity(1), None),
			Error::<Test>::IdentityAlreadyEnrolled
		);
	});
}

#[test]
fn an_account_controls_one_patient() {
	with_world(|| {
		assert_noop!(
			Patients::enrol_patient(
				RuntimeOrigin::signed(PHYSICIAN),
				OTHER_PATIENT,
				identity(9),
				None
			),
			Error::<Test>::AccountAlreadyPatient
		);
	});
}

#[test]
fn a_practitioner_of_a_suspended_organisation_enrols_no_one() {
	with_world(|| {
		suspend(HOSPITAL);
		assert_noop!(
			Patients::enrol_patient(RuntimeOrigin::signed(PHYSICIAN), 300, identity(9), None),
			Error::<Test>::NotActivePractitioner
		);
	});
}

#[test]
fn patient_ids_do_not_wrap() {
	with_world(|| {
		NextPatientId::<Test>::put(u64::MAX);
		assert_noop!(
			Patients::enrol_patient(RuntimeOrigin::signed(PHYSICIAN), 300, identity(9), None),
			Error::<Test>::PatientIdsExhausted
		);
		NextPatientId::<Test>::put(2);
	});
}

#[test]
fn genesis_enrols_the_demo_patients() {
	with_world(|| {
		assert_eq!(
			Patients::patient(0).map(|p| (p.controller, p.enrolled_by)),
			Some((PATIENT, HOSPITAL))
		);
		assert_eq!(
			Patients::patient(1).map(|p| (p.controller, p.enrolled_by)),
			Some((OTHER_PATIENT, LAB))
		);
		assert!(crate::Patients::<Test>::contains_key(0));
	});
}

#[test]
fn an_identity_commitment_of_zeros_is_refused() {
	with_world(|| {
		assert_noop!(
			Patients::enrol_patient(
				RuntimeOrigin::signed(PHYSICIAN),
				300,
				Default::default(),
				None
			),
			Error::<Test>::NoIdentityCommitment
		);
	});
}

#[test]
fn an_organisation_enrols_at_most_the_maximum_per_period() {
	// H-2: every enrolled controller is an account that may sign; minting them is capped.
	with_world(|| {
		for n in 0..3u8 {
			assert_ok!(Patients::enrol_patient(
				RuntimeOrigin::signed(PHYSICIAN),
				300 + n as u64,
				identity(20 + n),
				None
			));
		}
		assert_noop!(
			Patients::enrol_patient(RuntimeOrigin::signed(PHYSICIAN), 310, identity(30), None),
			Error::<Test>::TooManyEnrolments
		);
		// Another organisation is not held back; the next period admits the hospital again.
		assert_ok!(Patients::enrol_patient(
			RuntimeOrigin::signed(LAB_TECHNICIAN),
			311,
			identity(31),
			None
		));
		set_now(NOW + DAY);
		assert_ok!(Patients::enrol_patient(
			RuntimeOrigin::signed(PHYSICIAN),
			310,
			identity(30),
			None
		));
		assert_eq!(Enrolments::<Test>::get(HOSPITAL), RateCounter { start: NOW + DAY, count: 1 });
	});
}
