//! The PatientRegistry other pallets ask: who acts for a patient, and when.

use frame::testing_prelude::*;
use medchain_primitives::{PatientActor, PatientRegistry, PatientStanding};

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
		assert_eq!(
			actor(EXPIRED_GUARDIAN, EXPIRED_AT - 1),
			Some(PatientActor::Guardian(full_scope()))
		);
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
fn patients_and_guardians_in_force_have_standing_until_removed_or_expired() {
	with_world(|| {
		let standing = |who, now| <Registry as PatientRegistry<u64>>::standing(&who, now);
		assert_eq!(
			standing(PATIENT, NOW),
			Some(PatientStanding::Controller { patient: 0, organisation: HOSPITAL })
		);
		assert_eq!(
			standing(OTHER_PATIENT, NOW),
			Some(PatientStanding::Controller { patient: 1, organisation: LAB })
		);
		assert_eq!(
			standing(GUARDIAN, NOW),
			Some(PatientStanding::Guardian { ward: 0, organisation: HOSPITAL })
		);
		assert_eq!(
			standing(NARROW_GUARDIAN, NOW),
			Some(PatientStanding::Guardian { ward: 0, organisation: HOSPITAL })
		);
		assert_eq!(standing(STRANGER, NOW), None);
		assert_eq!(standing(PHYSICIAN, NOW), None);
		assert_eq!(standing(HOSPITAL_ADMIN, NOW), None);
		// L-5: a guardian whose appointments all expired has no standing.
		assert_eq!(
			standing(EXPIRED_GUARDIAN, EXPIRED_AT - 1),
			Some(PatientStanding::Guardian { ward: 0, organisation: HOSPITAL })
		);
		assert_eq!(standing(EXPIRED_GUARDIAN, EXPIRED_AT), None);
		assert_ok!(Patients::remove_guardian(RuntimeOrigin::signed(PATIENT), 0, NARROW_GUARDIAN));
		assert_eq!(standing(NARROW_GUARDIAN, NOW), None);
	});
}
