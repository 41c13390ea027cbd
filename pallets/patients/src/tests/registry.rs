//! The PatientRegistry other pallets ask: who acts for a patient, and when.

use frame::testing_prelude::*;
use medchain_primitives::{PatientActor, PatientRegistry};

use crate::mock::*;

type Registry = Patients;

fn actor(who: u64, now: u64) -> Option<PatientActor> {
	<Registry as PatientRegistry<u64>>::actor_for(0, &who, now)
}

#[test]
fn the_controller_acts_as_the_patient() {
	with_world(|| {
		assert_eq!(<Registry as PatientRegistry<u64>>::patient_of(&PATIENT), Some(0));
		assert_eq!(actor(PATIENT, NOW), Some(PatientActor::Patient));
		assert!(<Registry as PatientRegistry<u64>>::is_enrolled(1));
		assert!(!<Registry as PatientRegistry<u64>>::is_enrolled(2));
		assert_eq!(<Registry as PatientRegistry<u64>>::enrolling_organisation(1), Some(LAB));
	});
}

#[test]
fn a_guardian_acts_with_its_scope_while_its_appointment_is_in_force() {
	with_world(|| {
		assert_eq!(actor(GUARDIAN, NOW), Some(PatientActor::Guardian(full_scope())));
		assert_eq!(actor(NARROW_GUARDIAN, NOW), Some(PatientActor::Guardian(narrow_scope())));
		// In force until EXPIRED_AT, exclusive.
		assert_eq!(actor(EXPIRED_GUARDIAN, EXPIRED_AT - 1), Some(PatientActor::Guardian(full_scope())));
		assert_eq!(actor(EXPIRED_GUARDIAN, EXPIRED_AT), None);
		assert_eq!(actor(EXPIRED_GUARDIAN, NOW), None);
	});
}

#[test]
fn strangers_and_other_patients_do_not_act() {
	with_world(|| {
		assert_eq!(actor(STRANGER, NOW), None);
		assert_eq!(actor(OTHER_PATIENT, NOW), None);
		assert_eq!(actor(PHYSICIAN, NOW), None);
		assert_eq!(<Registry as PatientRegistry<u64>>::actor_for(7, &PATIENT, NOW), None);
	});
}

#[test]
fn a_removed_guardian_stops_acting_at_once() {
	with_world(|| {
		assert_ok!(Patients::remove_guardian(RuntimeOrigin::signed(PATIENT), 0, GUARDIAN));
		assert_eq!(actor(GUARDIAN, NOW), None);
	});
}

#[test]
fn patients_and_guardians_are_known_as_such_until_the_guardian_is_removed() {
	with_world(|| {
		let is = |who| <Registry as PatientRegistry<u64>>::is_patient_or_guardian(&who);
		assert!(is(PATIENT) && is(OTHER_PATIENT) && is(GUARDIAN) && is(NARROW_GUARDIAN));
		assert!(!is(STRANGER) && !is(PHYSICIAN) && !is(HOSPITAL_ADMIN));
		assert_ok!(Patients::remove_guardian(RuntimeOrigin::signed(PATIENT), 0, NARROW_GUARDIAN));
		assert!(!is(NARROW_GUARDIAN));
	});
}
