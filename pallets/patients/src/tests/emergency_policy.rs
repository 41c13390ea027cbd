//! set_emergency_policy.

use frame::testing_prelude::*;
use medchain_primitives::{Categories, Category, EmergencyPolicy, PatientRegistry};

use crate::{mock::*, Error, Event};

#[test]
fn a_patient_starts_with_emergency_access_for_clinical_categories_only() {
	with_world(|| {
		let policy = <Patients as PatientRegistry<u64>>::emergency_policy(0).unwrap();
		assert!(policy.allowed);
		assert_eq!(policy.categories, Categories::CLINICAL);
		assert!(!policy.categories.intersects(Categories::SENSITIVE));
	});
}

#[test]
fn a_patient_sets_its_emergency_policy() {
	with_world(|| {
		let policy = EmergencyPolicy { allowed: true, categories: Categories::of(&[Category::Allergies, Category::Medications]) };
		assert_ok!(Patients::set_emergency_policy(RuntimeOrigin::signed(PATIENT), 0, policy));
		System::assert_last_event(Event::EmergencyPolicySet { patient: 0, policy }.into());
		assert_eq!(<Patients as PatientRegistry<u64>>::emergency_policy(0), Some(policy));
	});
}

#[test]
fn a_patient_may_refuse_emergency_access() {
	with_world(|| {
		let policy = EmergencyPolicy { allowed: false, categories: Categories::NONE };
		assert_ok!(Patients::set_emergency_policy(RuntimeOrigin::signed(PATIENT), 0, policy));
		assert!(!<Patients as PatientRegistry<u64>>::emergency_policy(0).unwrap().allowed);
	});
}

#[test]
fn allowed_emergency_access_names_some_category() {
	with_world(|| {
		assert_noop!(
			Patients::set_emergency_policy(
				RuntimeOrigin::signed(PATIENT),
				0,
				EmergencyPolicy { allowed: true, categories: Categories::NONE }
			),
			Error::<Test>::EmptyEmergencyCategories
		);
	});
}

#[test]
fn a_guardian_sets_the_policy_only_if_its_scope_says_so() {
	with_world(|| {
		let policy = EmergencyPolicy { allowed: false, categories: Categories::NONE };
		assert_ok!(Patients::set_emergency_policy(RuntimeOrigin::signed(GUARDIAN), 0, policy));
		assert_noop!(
			Patients::set_emergency_policy(RuntimeOrigin::signed(NARROW_GUARDIAN), 0, policy),
			Error::<Test>::GuardianScopeExceeded
		);
		assert_noop!(
			Patients::set_emergency_policy(RuntimeOrigin::signed(EXPIRED_GUARDIAN), 0, policy),
			Error::<Test>::NotPatientOrGuardian
		);
		assert_noop!(
			Patients::set_emergency_policy(RuntimeOrigin::signed(PATIENT), 9, policy),
			Error::<Test>::UnknownPatient
		);
	});
}
