//! set_emergency_policy.

use frame::testing_prelude::*;
use medchain_primitives::{
	AuditAction, Categories, Category, EmergencyPolicy, GuardianScope, PatientRegistry,
};

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
		let policy = EmergencyPolicy {
			allowed: true,
			categories: Categories::of(&[Category::Allergies, Category::Medications]),
		};
		assert_ok!(Patients::set_emergency_policy(
			RuntimeOrigin::signed(PATIENT),
			0,
			policy,
			Categories::NONE
		));
		System::assert_last_event(Event::EmergencyPolicySet { patient: 0, policy }.into());
		assert_eq!(<Patients as PatientRegistry<u64>>::emergency_policy(0), Some(policy));
		let entry = last_audited().unwrap();
		assert_eq!(
			(entry.action, entry.categories),
			(AuditAction::EmergencyPolicySet, policy.categories)
		);
	});
}

#[test]
fn a_patient_may_refuse_emergency_access() {
	with_world(|| {
		let policy = EmergencyPolicy { allowed: false, categories: Categories::NONE };
		assert_ok!(Patients::set_emergency_policy(
			RuntimeOrigin::signed(PATIENT),
			0,
			policy,
			Categories::NONE
		));
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
				EmergencyPolicy { allowed: true, categories: Categories::NONE },
				Categories::NONE
			),
			Error::<Test>::EmptyEmergencyCategories
		);
	});
}

#[test]
fn a_guardian_sets_the_policy_only_if_its_scope_says_so() {
	with_world(|| {
		let policy = EmergencyPolicy { allowed: false, categories: Categories::NONE };
		assert_ok!(Patients::set_emergency_policy(
			RuntimeOrigin::signed(GUARDIAN),
			0,
			policy,
			Categories::NONE
		));
		assert_noop!(
			Patients::set_emergency_policy(
				RuntimeOrigin::signed(NARROW_GUARDIAN),
				0,
				policy,
				Categories::NONE
			),
			Error::<Test>::GuardianScopeExceeded
		);
		assert_noop!(
			Patients::set_emergency_policy(
				RuntimeOrigin::signed(EXPIRED_GUARDIAN),
				0,
				policy,
				Categories::NONE
			),
			Error::<Test>::NotPatientOrGuardian
		);
		assert_noop!(
			Patients::set_emergency_policy(
				RuntimeOrigin::signed(PATIENT),
				9,
				policy,
				Categories::NONE
			),
			Error::<Test>::UnknownPatient
		);
	});
}

#[test]
fn sensitive_categories_must_be_named_twice() {
	with_world(|| {
		let all = EmergencyPolicy { allowed: true, categories: Categories::ALL };
		assert_noop!(
			Patients::set_emergency_policy(
				RuntimeOrigin::signed(PATIENT),
				0,
				all,
				Categories::NONE
			),
			Error::<Test>::SensitiveCategoryNotNamed
		);
		assert_noop!(
			Patients::set_emergency_policy(
				RuntimeOrigin::signed(PATIENT),
				0,
				all,
				Category::Genomics.into()
			),
			Error::<Test>::SensitiveCategoryNotNamed
		);
		assert_ok!(Patients::set_emergency_policy(
			RuntimeOrigin::signed(PATIENT),
			0,
			all,
			Categories::SENSITIVE
		));
	});
}

#[test]
fn unknown_category_bits_are_refused_by_name() {
	with_world(|| {
		let unknown = EmergencyPolicy {
			allowed: true,
			categories: codec::Decode::decode(&mut &[0xff, 0xff][..]).unwrap(),
		};
		assert_noop!(
			Patients::set_emergency_policy(
				RuntimeOrigin::signed(PATIENT),
				0,
				unknown,
				Categories::SENSITIVE
			),
			Error::<Test>::UnknownCategories
		);
	});
}

#[test]
fn a_guardian_opens_no_category_beyond_its_consent_scope() {
	// M-3: a guardian allowed to set the policy but managing only allergies opened every
	// category, sensitive ones included, to every hospital's staff.
	with_world(|| {
		let allergies_only = GuardianScope {
			consent_categories: Category::Allergies.into(),
			may_set_emergency_policy: true,
			..Default::default()
		};
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(PATIENT),
			0,
			300,
			allergies_only,
			None
		));
		let mental = EmergencyPolicy {
			allowed: true,
			categories: Categories::CLINICAL.union(Category::MentalHealth.into()),
		};
		assert_noop!(
			Patients::set_emergency_policy(
				RuntimeOrigin::signed(300),
				0,
				mental,
				Category::MentalHealth.into()
			),
			Error::<Test>::GuardianScopeExceeded
		);
		// It may close categories, and reopen those within its scope.
		let fewer = EmergencyPolicy { allowed: true, categories: Category::Demographics.into() };
		assert_ok!(Patients::set_emergency_policy(
			RuntimeOrigin::signed(300),
			0,
			fewer,
			Categories::NONE
		));
		let with_allergies = EmergencyPolicy {
			allowed: true,
			categories: Categories::of(&[Category::Demographics, Category::Allergies]),
		};
		assert_ok!(Patients::set_emergency_policy(
			RuntimeOrigin::signed(300),
			0,
			with_allergies,
			Categories::NONE
		));
		let with_labs = EmergencyPolicy {
			allowed: true,
			categories: Categories::of(&[Category::Demographics, Category::LabResults]),
		};
		assert_noop!(
			Patients::set_emergency_policy(
				RuntimeOrigin::signed(300),
				0,
				with_labs,
				Categories::NONE
			),
			Error::<Test>::GuardianScopeExceeded
		);
		// Turning break-glass off and on again opens what was closed: only within scope.
		let off = EmergencyPolicy { allowed: false, categories: Categories::CLINICAL };
		assert_ok!(Patients::set_emergency_policy(
			RuntimeOrigin::signed(PATIENT),
			0,
			off,
			Categories::NONE
		));
		let on = EmergencyPolicy { allowed: true, categories: Categories::CLINICAL };
		assert_noop!(
			Patients::set_emergency_policy(RuntimeOrigin::signed(300), 0, on, Categories::NONE),
			Error::<Test>::GuardianScopeExceeded
		);
	});
}
