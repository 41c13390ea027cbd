//! rotate_key.

use frame::testing_prelude::*;
use medchain_primitives::{AuditAction, PatientRegistry};

use crate::{mock::*, Error, Event, PatientOf, PendingRecoveries};

#[test]
fn a_patient_rotates_to_a_new_key_and_the_old_one_stops_acting() {
	with_world(|| {
		let new = 300;
		assert_ok!(Patients::rotate_key(RuntimeOrigin::signed(PATIENT), new));
		System::assert_last_event(
			Event::ControllerRotated { patient: 0, old_controller: PATIENT, new_controller: new }
				.into(),
		);
		assert_eq!(Patients::patient(0).unwrap().controller, new);
		assert_eq!(PatientOf::<Test>::get(new), Some(0));
		assert_eq!(PatientOf::<Test>::get(PATIENT), None);
		assert_eq!(<Patients as PatientRegistry<u64>>::actor_for(0, &PATIENT, NOW), None);
		// The old key still exists (accounts are never reaped: its nonce never restarts).
		assert!(System::account_exists(&PATIENT));
		let entry = last_audited().unwrap();
		assert_eq!((entry.action, entry.subject), (AuditAction::ControllerRotated, Some(new)));
		// The old key can no longer rotate.
		assert_noop!(
			Patients::rotate_key(RuntimeOrigin::signed(PATIENT), 301),
			Error::<Test>::NotPatient
		);
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
		assert_noop!(
			Patients::rotate_key(RuntimeOrigin::signed(STRANGER), 300),
			Error::<Test>::NotPatient
		);
		assert_noop!(
			Patients::rotate_key(RuntimeOrigin::signed(GUARDIAN), 300),
			Error::<Test>::NotPatient
		);
	});
}

#[test]
fn a_patient_rotates_at_most_the_maximum_per_period() {
	// H-2: a rotation makes a fresh account that may sign; the count is capped per patient.
	with_world(|| {
		// A day after the world's guardians were appointed (each counted).
		set_now(NOW + DAY);
		let mut key = PATIENT;
		for n in 0..6 {
			assert_ok!(Patients::rotate_key(RuntimeOrigin::signed(key), 300 + n));
			key = 300 + n;
		}
		assert_noop!(
			Patients::rotate_key(RuntimeOrigin::signed(key), 400),
			Error::<Test>::TooManyKeyChanges
		);
		set_now(NOW + 2 * DAY);
		assert_ok!(Patients::rotate_key(RuntimeOrigin::signed(key), 400));
	});
}
