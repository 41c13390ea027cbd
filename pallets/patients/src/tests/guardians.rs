//! add_guardian, remove_guardian.

use frame::testing_prelude::*;
use medchain_primitives::{Categories, Category, GuardianScope};

use crate::{mock::*, Error, Event, Guardians, Guardianship};

#[test]
fn a_patient_appoints_a_guardian_with_a_scope_and_an_expiry() {
	with_world(|| {
		let until = Some(NOW + 1_000);
		assert_ok!(Patients::add_guardian(RuntimeOrigin::signed(PATIENT), 0, 300, narrow_scope(), until));
		System::assert_last_event(
			Event::GuardianAdded { patient: 0, guardian: 300, scope: narrow_scope(), valid_until: until }.into(),
		);
		assert_eq!(Guardians::<Test>::get(0, 300), Some(Guardianship { scope: narrow_scope(), valid_until: until }));
		assert_eq!(Patients::patient(0).unwrap().guardians, 4);
		assert!(System::account_exists(&300));
	});
}

#[test]
fn appointing_again_changes_the_appointment_without_counting_twice() {
	with_world(|| {
		assert_ok!(Patients::add_guardian(RuntimeOrigin::signed(PATIENT), 0, NARROW_GUARDIAN, full_scope(), None));
		assert_eq!(Guardians::<Test>::get(0, NARROW_GUARDIAN).unwrap().scope, full_scope());
		assert_eq!(Patients::patient(0).unwrap().guardians, 3);
	});
}

#[test]
fn a_guardian_who_may_appoint_hands_on_at_most_its_scope() {
	with_world(|| {
		assert_ok!(Patients::add_guardian(RuntimeOrigin::signed(GUARDIAN), 0, 300, narrow_scope(), None));
		// The narrow guardian may not appoint at all.
		assert_noop!(
			Patients::add_guardian(RuntimeOrigin::signed(NARROW_GUARDIAN), 0, 301, narrow_scope(), None),
			Error::<Test>::GuardianScopeExceeded
		);
		// A guardian that may appoint but only for allergies cannot hand on lab results.
		let appointer = GuardianScope { consent_categories: Category::Allergies.into(), may_appoint: true, ..Default::default() };
		assert_ok!(Patients::add_guardian(RuntimeOrigin::signed(PATIENT), 0, 302, appointer, None));
		let wider = GuardianScope { consent_categories: Categories::of(&[Category::Allergies, Category::LabResults]), ..Default::default() };
		assert_noop!(
			Patients::add_guardian(RuntimeOrigin::signed(302), 0, 303, wider, None),
			Error::<Test>::GuardianScopeExceeded
		);
	});
}

#[test]
fn only_the_patient_changes_an_existing_appointment() {
	with_world(|| {
		// GUARDIAN may appoint, but may not narrow (or otherwise change) another appointment.
		assert_noop!(
			Patients::add_guardian(RuntimeOrigin::signed(GUARDIAN), 0, NARROW_GUARDIAN, Default::default(), None),
			Error::<Test>::AlreadyGuardian
		);
		assert_noop!(
			Patients::add_guardian(RuntimeOrigin::signed(GUARDIAN), 0, GUARDIAN, narrow_scope(), None),
			Error::<Test>::AlreadyGuardian
		);
	});
}

#[test]
fn a_guardian_appoints_no_further_than_its_own_expiry() {
	with_world(|| {
		assert_ok!(Patients::add_guardian(RuntimeOrigin::signed(PATIENT), 0, 300, full_scope(), Some(NOW + 100)));
		assert_noop!(
			Patients::add_guardian(RuntimeOrigin::signed(300), 0, 301, narrow_scope(), None),
			Error::<Test>::InvalidGuardianExpiry
		);
		assert_noop!(
			Patients::add_guardian(RuntimeOrigin::signed(300), 0, 301, narrow_scope(), Some(NOW + 101)),
			Error::<Test>::InvalidGuardianExpiry
		);
		assert_ok!(Patients::add_guardian(RuntimeOrigin::signed(300), 0, 301, narrow_scope(), Some(NOW + 100)));
	});
}

#[test]
fn an_appointment_cannot_end_in_the_past() {
	with_world(|| {
		assert_noop!(
			Patients::add_guardian(RuntimeOrigin::signed(PATIENT), 0, 300, narrow_scope(), Some(NOW)),
			Error::<Test>::InvalidGuardianExpiry
		);
	});
}

#[test]
fn a_patient_is_not_its_own_guardian() {
	with_world(|| {
		assert_noop!(
			Patients::add_guardian(RuntimeOrigin::signed(PATIENT), 0, PATIENT, narrow_scope(), None),
			Error::<Test>::CannotGuardSelf
		);
	});
}

#[test]
fn a_patient_has_at_most_the_maximum_of_guardians() {
	with_world(|| {
		// The mock allows 5; the world has 3.
		assert_ok!(Patients::add_guardian(RuntimeOrigin::signed(PATIENT), 0, 300, narrow_scope(), None));
		assert_ok!(Patients::add_guardian(RuntimeOrigin::signed(PATIENT), 0, 301, narrow_scope(), None));
		assert_noop!(
			Patients::add_guardian(RuntimeOrigin::signed(PATIENT), 0, 302, narrow_scope(), None),
			Error::<Test>::TooManyGuardians
		);
	});
}

#[test]
fn guardians_are_appointed_for_enrolled_patients_only() {
	with_world(|| {
		assert_noop!(
			Patients::add_guardian(RuntimeOrigin::signed(PATIENT), 7, 300, narrow_scope(), None),
			Error::<Test>::UnknownPatient
		);
	});
}

#[test]
fn a_patient_removes_a_guardian_and_a_guardian_resigns() {
	with_world(|| {
		assert_ok!(Patients::remove_guardian(RuntimeOrigin::signed(PATIENT), 0, GUARDIAN));
		System::assert_last_event(Event::GuardianRemoved { patient: 0, guardian: GUARDIAN }.into());
		assert_eq!(Guardians::<Test>::get(0, GUARDIAN), None);
		assert!(!System::account_exists(&GUARDIAN));

		assert_ok!(Patients::remove_guardian(RuntimeOrigin::signed(NARROW_GUARDIAN), 0, NARROW_GUARDIAN));
		assert_eq!(Patients::patient(0).unwrap().guardians, 1);
	});
}

#[test]
fn removing_needs_an_appointed_guardian() {
	with_world(|| {
		assert_noop!(Patients::remove_guardian(RuntimeOrigin::signed(PATIENT), 0, 300), Error::<Test>::NotGuardian);
		assert_noop!(Patients::remove_guardian(RuntimeOrigin::signed(PATIENT), 7, GUARDIAN), Error::<Test>::UnknownPatient);
	});
}
