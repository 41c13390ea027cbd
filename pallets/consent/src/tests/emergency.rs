//! break_glass, review_emergency, and what an open emergency access permits.

use frame::testing_prelude::*;
use medchain_primitives::{Action, Categories, Category, Decision, DenyReason, EmergencyPolicy, Purpose, Purposes};

use super::*;
use crate::{EmergencyAccess, EmergencyAccesses, Error, Event, JustificationCode, ReviewOutcome};

fn break_glass(categories: Categories) -> DispatchResult {
	Consent::break_glass(RuntimeOrigin::signed(PHYSICIAN), P, JustificationCode::PatientUnconscious, categories)
}

fn emergency_read(category: Category) -> Decision {
	Consent::check_access(P, &PHYSICIAN, category, Purpose::Emergency, Action::Read)
}

#[test]
fn a_hospital_practitioner_breaks_the_glass_and_the_patient_is_told() {
	with_world(|| {
		let categories = Categories::of(&[Category::Allergies, Category::Medications]);
		assert_ok!(break_glass(categories));
		System::assert_last_event(
			Event::EmergencyAccessOpened {
				access_id: 0,
				patient: P,
				practitioner: PHYSICIAN,
				organisation: HOSPITAL,
				categories,
				justification: JustificationCode::PatientUnconscious,
				until: NOW + DAY,
			}
			.into(),
		);
		assert_eq!(
			EmergencyAccesses::<Test>::get(0),
			Some(EmergencyAccess {
				patient: P,
				practitioner: PHYSICIAN,
				organisation: HOSPITAL,
				categories,
				justification: JustificationCode::PatientUnconscious,
				opened_at: NOW,
				until: NOW + DAY,
				review: None,
			})
		);
	});
}

#[test]
fn an_emergency_access_permits_emergency_reads_of_its_categories_for_its_duration() {
	with_world(|| {
		assert_eq!(emergency_read(Category::Allergies), Decision::EmergencyOnly);
		assert_ok!(break_glass(Category::Allergies.into()));
		assert_eq!(emergency_read(Category::Allergies), Decision::PermitEmergency { access_id: 0, until: NOW + DAY });
		assert!(Consent::check_access(P, &PHYSICIAN, Category::Allergies, Purpose::Emergency, Action::Append).is_permit());
		// Not another category, purpose or action, and not another practitioner.
		assert_eq!(emergency_read(Category::Diagnoses), Decision::EmergencyOnly);
		assert_eq!(Consent::check_access(P, &PHYSICIAN, Category::Allergies, Purpose::Treatment, Action::Read), Decision::EmergencyOnly);
		assert!(!Consent::check_access(P, &PHYSICIAN, Category::Allergies, Purpose::Emergency, Action::Share).is_permit());
		set_now(NOW + DAY - 1);
		assert!(emergency_read(Category::Allergies).is_permit());
		set_now(NOW + DAY);
		assert_eq!(emergency_read(Category::Allergies), Decision::EmergencyOnly);
	});
}

#[test]
fn a_deny_rule_overrides_emergency_access_too() {
	with_world(|| {
		assert_ok!(break_glass(Category::Allergies.into()));
		assert_ok!(Consent::add_deny(RuntimeOrigin::signed(PATIENT), P, None, Category::Allergies.into(), Purposes::ALL));
		assert_eq!(emergency_read(Category::Allergies), Decision::Deny(DenyReason::DeniedByPatient));
	});
}

#[test]
fn only_hospitals_and_clinics_break_the_glass() {
	with_world(|| {
		assert_noop!(
			Consent::break_glass(RuntimeOrigin::signed(LAB_TECHNICIAN), P, JustificationCode::LifeThreatening, Category::Allergies.into()),
			Error::<Test>::NotEmergencyProvider
		);
		suspend(HOSPITAL);
		assert_noop!(break_glass(Category::Allergies.into()), Error::<Test>::NotEmergencyProvider);
	});
}

#[test]
fn the_patients_emergency_policy_bounds_break_glass() {
	with_world(|| {
		// The default policy leaves out the sensitive categories.
		assert_noop!(break_glass(Category::MentalHealth.into()), Error::<Test>::EmergencyCategoriesNotAllowed);
		assert_noop!(break_glass(Categories::NONE), Error::<Test>::NoCategories);
		set_emergency_policy(EmergencyPolicy { allowed: false, categories: Categories::NONE });
		assert_noop!(break_glass(Category::Allergies.into()), Error::<Test>::EmergencyAccessNotAllowed);
		assert_noop!(
			Consent::break_glass(RuntimeOrigin::signed(PHYSICIAN), 9, JustificationCode::LifeThreatening, Category::Allergies.into()),
			Error::<Test>::UnknownPatient
		);
	});
}

#[test]
fn the_patient_reviews_an_emergency_access() {
	with_world(|| {
		assert_ok!(break_glass(Category::Allergies.into()));
		assert_ok!(Consent::review_emergency(RuntimeOrigin::signed(PATIENT), 0, ReviewOutcome::Justified));
		System::assert_last_event(
			Event::EmergencyAccessReviewed { access_id: 0, patient: P, outcome: ReviewOutcome::Justified, reviewer: Some(PATIENT) }.into(),
		);
		assert_eq!(EmergencyAccesses::<Test>::get(0).unwrap().review, Some(ReviewOutcome::Justified));
		// Justified: it stays open.
		assert!(emergency_read(Category::Allergies).is_permit());
		assert_noop!(Consent::review_emergency(RuntimeOrigin::root(), 0, ReviewOutcome::Unjustified), Error::<Test>::AlreadyReviewed);
	});
}

#[test]
fn an_unjustified_emergency_access_ends_at_once() {
	with_world(|| {
		assert_ok!(break_glass(Category::Allergies.into()));
		set_now(NOW + HOUR);
		assert_ok!(Consent::review_emergency(RuntimeOrigin::root(), 0, ReviewOutcome::Unjustified));
		System::assert_last_event(
			Event::EmergencyAccessReviewed { access_id: 0, patient: P, outcome: ReviewOutcome::Unjustified, reviewer: None }.into(),
		);
		assert_eq!(EmergencyAccesses::<Test>::get(0).unwrap().until, NOW + HOUR);
		assert_eq!(emergency_read(Category::Allergies), Decision::EmergencyOnly);
	});
}

#[test]
fn reviews_need_a_known_access() {
	with_world(|| {
		assert_noop!(Consent::review_emergency(RuntimeOrigin::signed(PATIENT), 3, ReviewOutcome::Justified), Error::<Test>::UnknownEmergencyAccess);
	});
}
