//! rotate_key.

use frame::testing_prelude::*;
use medchain_primitives::PatientRegistry;

use crate::{mock::*, Error, Event, PatientOf, PendingRecoveries};

#[test]
fn a_patient_rotates_to_a_new_key_and_the_old_one_stops_acting() {
	with_world(|| {
		let new = 300;
		assert_ok!(Patients::rotate_key(RuntimeOrigin::signed(PATIENT), new));
		System::assert_last_event(Event::ControllerRotated { patient: 0, old_controller: PATIENT, new_controller: new }.into());
		assert_eq!(Patients::patient(0).unwrap().controller, new);
		assert_eq!(PatientOf::<Test>::get(new), Some(0));
		assert_eq!(PatientOf::<Test>::get(PATIENT), None);
		assert_eq!(<Patients as PatientRegistry<u64>>::actor_for(0, &PATIENT, NOW), None);
		assert!(!System::account_exists(&PATIENT));
		// The old key can no longer rotate.
		assert_noop!(Patients::rotate_key(RuntimeOrigin::signed(PATIENT), 301), Error::<Test>::NotPatient);
	});
}

#[test]
fn rotation_needs_a_fresh_account() {
	with_world(|| {
		assert_noop!(
			Patients::rotate_key(RuntimeOrigin::signed(PATIENT), OTHER_PATIENT),
			Error::<Test>::AccountAlreadyPatient
		);
		assert_noop!(
			Patients::rotate_key(RuntimeOrigin::signed(PATIENT), GUARDIAN),
			Error::<Test>::CannotGuardSelf
		);
	});
}

#[test]
fn rotation_drops_a_pending_recovery() {
	with_world(|| {
		assert_ok!(Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 2));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, 400));
		assert!(PendingRecoveries::<Test>::contains_key(0));
		assert_ok!(Patients::rotate_key(RuntimeOrigin::signed(PATIENT), 300));
		assert!(!PendingRecoveries::<Test>::contains_key(0));
	});
}

#[test]
fn only_a_patient_rotates() {
	with_world(|| {
		assert_noop!(Patients::rotate_key(RuntimeOrigin::signed(STRANGER), 300), Error::<Test>::NotPatient);
		assert_noop!(Patients::rotate_key(RuntimeOrigin::signed(GUARDIAN), 300), Error::<Test>::NotPatient);
	});
}
