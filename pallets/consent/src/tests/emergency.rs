//! break_glass, review_emergency, and what an open emergency access permits.

use frame::testing_prelude::*;
use medchain_primitives::{
	AccessPolicy, Action, Categories, Category, ConsentRef, Decision, DenyReason, EmergencyPolicy,
	PatientId, Purpose, Purposes, Role,
};

use super::*;
use crate::{
	EmergencyAccess, EmergencyAccesses, EmergencyBars, Error, Event, JustificationCode, Review,
	ReviewOutcome, Reviewer,
};

fn break_glass(categories: Categories) -> DispatchResult {
	Consent::break_glass(
		RuntimeOrigin::signed(PHYSICIAN),
		P,
		JustificationCode::PatientUnconscious,
		categories,
	)
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
		assert_eq!(
			emergency_read(Category::Allergies),
			Decision::PermitEmergency { access_id: 0, until: NOW + DAY }
		);
		assert!(Consent::check_access(
			P,
			&PHYSICIAN,
			Category::Allergies,
			Purpose::Emergency,
			Action::Append
		)
		.is_permit());
		// Not another category, purpose or action, and not another practitioner.
		assert_eq!(emergency_read(Category::Diagnoses), Decision::EmergencyOnly);
		assert_eq!(
			Consent::check_access(
				P,
				&PHYSICIAN,
				Category::Allergies,
				Purpose::Treatment,
				Action::Read
			),
			Decision::EmergencyOnly
		);
		assert!(!Consent::check_access(
			P,
			&PHYSICIAN,
			Category::Allergies,
			Purpose::Emergency,
			Action::Share
		)
		.is_permit());
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
		assert_ok!(Consent::add_deny(
			RuntimeOrigin::signed(PATIENT),
			P,
			None,
			Category::Allergies.into(),
			Purposes::ALL
		));
		assert_eq!(
			emergency_read(Category::Allergies),
			Decision::Deny(DenyReason::DeniedByPatient)
		);
	});
}

#[test]
fn only_hospitals_and_clinics_break_the_glass() {
	with_world(|| {
		assert_noop!(
			Consent::break_glass(
				RuntimeOrigin::signed(LAB_TECHNICIAN),
				P,
				JustificationCode::LifeThreatening,
				Category::Allergies.into()
			),
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
		assert_noop!(
			break_glass(Category::MentalHealth.into()),
			Error::<Test>::EmergencyCategoriesNotAllowed
		);
		assert_noop!(break_glass(Categories::NONE), Error::<Test>::NoCategories);
		set_emergency_policy(P, EmergencyPolicy { allowed: false, categories: Categories::NONE });
		assert_noop!(
			break_glass(Category::Allergies.into()),
			Error::<Test>::EmergencyAccessNotAllowed
		);
		assert_noop!(
			Consent::break_glass(
				RuntimeOrigin::signed(PHYSICIAN),
				9,
				JustificationCode::LifeThreatening,
				Category::Allergies.into()
			),
			Error::<Test>::UnknownPatient
		);
	});
}

#[test]
fn the_patient_reviews_an_emergency_access() {
	with_world(|| {
		assert_ok!(break_glass(Category::Allergies.into()));
		assert_ok!(Consent::review_emergency(
			RuntimeOrigin::signed(PATIENT),
			0,
			ReviewOutcome::Justified
		));
		System::assert_last_event(
			Event::EmergencyAccessReviewed {
				access_id: 0,
				patient: P,
				outcome: ReviewOutcome::Justified,
				reviewer: Some(PATIENT),
			}
			.into(),
		);
		assert_eq!(
			EmergencyAccesses::<Test>::get(0).unwrap().review,
			Some(Review { outcome: ReviewOutcome::Justified, by: Reviewer::Patient })
		);
		// Justified: it stays open.
		assert!(emergency_read(Category::Allergies).is_permit());
		assert_noop!(
			Consent::review_emergency(RuntimeOrigin::root(), 0, ReviewOutcome::Unjustified),
			Error::<Test>::AlreadyReviewed
		);
	});
}

#[test]
fn an_unjustified_emergency_access_ends_at_once() {
	with_world(|| {
		assert_ok!(break_glass(Category::Allergies.into()));
		set_now(NOW + HOUR);
		assert_ok!(Consent::review_emergency(RuntimeOrigin::root(), 0, ReviewOutcome::Unjustified));
		System::assert_last_event(
			Event::EmergencyAccessReviewed {
				access_id: 0,
				patient: P,
				outcome: ReviewOutcome::Unjustified,
				reviewer: None,
			}
			.into(),
		);
		assert_eq!(EmergencyAccesses::<Test>::get(0).unwrap().until, NOW + HOUR);
		// Ended; and barred, the physician is not offered the glass either.
		assert_eq!(emergency_read(Category::Allergies), Decision::Deny(DenyReason::NoGrant));
	});
}

#[test]
fn reviews_need_a_known_access() {
	with_world(|| {
		assert_noop!(
			Consent::review_emergency(RuntimeOrigin::signed(PATIENT), 3, ReviewOutcome::Justified),
			Error::<Test>::UnknownEmergencyAccess
		);
	});
}

#[test]
fn only_physicians_and_nurses_break_the_glass() {
	// M-5: a billing clerk of a hospital could open 24 h of clinical access to any patient.
	with_world(|| {
		assert_noop!(
			Consent::break_glass(
				RuntimeOrigin::signed(HOSPITAL_CLERK),
				P,
				JustificationCode::LifeThreatening,
				Category::Allergies.into()
			),
			Error::<Test>::NotEmergencyProvider
		);
		// And the decision does not offer it the glass either.
		assert_eq!(
			Consent::check_access(
				P,
				&HOSPITAL_CLERK,
				Category::Allergies,
				Purpose::Emergency,
				Action::Read
			),
			Decision::Deny(DenyReason::NoGrant)
		);
	});
}

#[test]
fn an_unjustified_review_bars_the_practitioner_from_that_patient() {
	// M-5: the same practitioner re-opened a fresh 24 h access right after an Unjustified review.
	with_world(|| {
		assert_ok!(break_glass(Category::Allergies.into()));
		assert_ok!(Consent::review_emergency(
			RuntimeOrigin::signed(PATIENT),
			0,
			ReviewOutcome::Unjustified
		));
		assert_eq!(EmergencyBars::<Test>::get(P, PHYSICIAN), Some(NOW + 30 * DAY));
		assert_noop!(break_glass(Category::Allergies.into()), Error::<Test>::EmergencyAccessBarred);
		set_now(NOW + 30 * DAY);
		assert_ok!(break_glass(Category::Allergies.into()));
		assert_eq!(EmergencyBars::<Test>::get(P, PHYSICIAN), None, "the spent bar is removed");
	});
}

#[test]
fn a_practitioner_has_one_open_access_per_patient() {
	// L-7: a second access made the first one invisible to the decision, yet still usable
	// under report_access.
	with_world(|| {
		assert_ok!(break_glass(Category::Allergies.into()));
		assert_noop!(
			break_glass(Category::Medications.into()),
			Error::<Test>::EmergencyAccessAlreadyOpen
		);
		set_now(NOW + DAY);
		assert_ok!(break_glass(Category::Medications.into()));
	});
}

#[test]
fn a_practitioner_breaks_the_glass_at_most_the_maximum_per_period() {
	with_world(|| {
		// The mock allows 2 an hour; one patient, so the first must end first.
		let end = |id| {
			EmergencyAccesses::<Test>::mutate(id, |a| a.as_mut().unwrap().until = NOW);
			crate::PatientEmergencies::<Test>::remove(P);
		};
		assert_ok!(break_glass(Category::Allergies.into()));
		assert_ok!(Consent::review_emergency(RuntimeOrigin::root(), 0, ReviewOutcome::Justified));
		end(0);
		assert_ok!(break_glass(Category::Allergies.into()));
		end(1);
		assert_noop!(
			break_glass(Category::Allergies.into()),
			Error::<Test>::TooManyEmergencyAccesses
		);
		set_now(NOW + HOUR);
		assert_ok!(break_glass(Category::Allergies.into()));
	});
}

#[test]
fn an_emergency_access_ends_when_its_practitioner_leaves_the_hospital() {
	// M-8: an access opened at a hospital kept permitting after the practitioner moved to an
	// insurer.
	with_world(|| {
		assert_ok!(break_glass(Category::Allergies.into()));
		join(PHYSICIAN, LAB, Role::Physician);
		assert!(!emergency_read(Category::Allergies).is_permit());
		assert!(!Consent::check_access_under(
			ConsentRef::Emergency(0),
			P,
			&PHYSICIAN,
			Category::Allergies,
			Purpose::Emergency,
			Action::Read
		)
		.is_permit());
		// Even back at the hospital: a new membership, not the one it opened the access in.
		set_now(NOW + 1);
		join(PHYSICIAN, HOSPITAL, Role::Physician);
		assert!(!emergency_read(Category::Allergies).is_permit());
	});
}

#[test]
fn a_guardian_reviews_only_what_its_scope_covers_and_the_patient_may_overrule_it() {
	// M-5: a recovery-only guardian marked an access Justified first, and the patient could no
	// longer mark it Unjustified.
	with_world(|| {
		assert_ok!(break_glass(Category::Allergies.into()));
		assert_noop!(
			Consent::review_emergency(
				RuntimeOrigin::signed(RECOVERY_GUARDIAN),
				0,
				ReviewOutcome::Justified
			),
			Error::<Test>::GuardianScopeExceeded
		);
		assert_ok!(Consent::review_emergency(
			RuntimeOrigin::signed(NARROW_GUARDIAN),
			0,
			ReviewOutcome::Justified
		));
		// Another guardian cannot replace a guardian's review; the patient can.
		assert_noop!(
			Consent::review_emergency(
				RuntimeOrigin::signed(GUARDIAN),
				0,
				ReviewOutcome::Unjustified
			),
			Error::<Test>::AlreadyReviewed
		);
		assert_ok!(Consent::review_emergency(
			RuntimeOrigin::signed(PATIENT),
			0,
			ReviewOutcome::Unjustified
		));
		assert_eq!(
			EmergencyAccesses::<Test>::get(0).unwrap().review,
			Some(Review { outcome: ReviewOutcome::Unjustified, by: Reviewer::Patient })
		);
		// Ended, and the physician barred from this patient: not even the glass.
		assert_eq!(emergency_read(Category::Allergies), Decision::Deny(DenyReason::NoGrant));
		// The patient's review is final, even for governance.
		assert_noop!(
			Consent::review_emergency(RuntimeOrigin::root(), 0, ReviewOutcome::Justified),
			Error::<Test>::AlreadyReviewed
		);
	});
}

#[test]
fn overruling_a_guardians_unjustified_lifts_the_bar() {
	with_world(|| {
		assert_ok!(break_glass(Category::Allergies.into()));
		assert_ok!(Consent::review_emergency(
			RuntimeOrigin::signed(GUARDIAN),
			0,
			ReviewOutcome::Unjustified
		));
		assert!(EmergencyBars::<Test>::contains_key(P, PHYSICIAN));
		assert_ok!(Consent::review_emergency(RuntimeOrigin::root(), 0, ReviewOutcome::Justified));
		assert!(!EmergencyBars::<Test>::contains_key(P, PHYSICIAN));
	});
}

#[test]
fn a_practitioner_does_not_review_its_own_access() {
	with_world(|| {
		// GUARDIAN is made a hospital physician: it breaks the glass (a day on), then may not
		// review it.
		join(GUARDIAN, HOSPITAL, Role::Physician);
		set_now(NOW + DAY);
		assert_ok!(Consent::break_glass(
			RuntimeOrigin::signed(GUARDIAN),
			P,
			JustificationCode::LifeThreatening,
			Category::Allergies.into()
		));
		assert_noop!(
			Consent::review_emergency(RuntimeOrigin::signed(GUARDIAN), 0, ReviewOutcome::Justified),
			Error::<Test>::CannotReviewOwnAccess
		);
	});
}

#[test]
fn unknown_category_bits_are_refused_by_name() {
	with_world(|| {
		let unknown: Categories = codec::Decode::decode(&mut &[0, 0x40][..]).unwrap();
		assert_noop!(break_glass(unknown), Error::<Test>::UnknownCategories);
	});
}

/// The glass broken by `who` for `patient`.
fn break_glass_as(who: u64, patient: PatientId) -> DispatchResult {
	Consent::break_glass(
		RuntimeOrigin::signed(who),
		patient,
		JustificationCode::PatientUnconscious,
		Category::Allergies.into(),
	)
}

#[test]
fn an_organisation_breaks_the_glass_at_most_its_cap_per_period() {
	// N-3 (security review 2026-12): an admin that mints practitioners opened emergency access
	// to every patient, 10 an hour per key. The mock lets an organisation open 3 an hour.
	with_world(|| {
		for (i, nurse) in (500..504u64).enumerate() {
			join(nurse, HOSPITAL, Role::Nurse);
			enrol(10 + i as PatientId, 600 + i as u64, HOSPITAL);
		}
		set_now(NOW + DAY);
		for (i, nurse) in (500..503u64).enumerate() {
			assert_ok!(break_glass_as(nurse, 10 + i as PatientId));
		}
		assert_noop!(break_glass_as(503, 13), Error::<Test>::OrganisationEmergencyCapReached);
		// Another organisation's practitioners have their own cap; the next period starts over.
		set_now(NOW + DAY + HOUR);
		assert_ok!(break_glass_as(503, 13));
	});
}

#[test]
fn a_new_member_does_not_break_the_glass() {
	// N-3: a nurse added at `now` broke the glass at once.
	with_world(|| {
		join(500, HOSPITAL, Role::Nurse);
		assert_noop!(break_glass_as(500, P), Error::<Test>::MembershipTooRecent);
		// The decision does not offer it the glass either.
		let ask = || {
			Consent::check_access(P, &500, Category::Allergies, Purpose::Emergency, Action::Read)
		};
		assert_eq!(ask(), Decision::Deny(DenyReason::NoGrant));
		set_now(NOW + DAY);
		assert_eq!(ask(), Decision::EmergencyOnly);
		assert_ok!(break_glass_as(500, P));
	});
}

#[test]
fn a_patient_has_at_most_the_maximum_of_open_accesses() {
	// N-3: the cap on concurrently open accesses is per patient, whoever opens them (2 in the
	// mock).
	with_world(|| {
		set_now(NOW - DAY);
		join(500, HOSPITAL, Role::Nurse);
		join(501, HOSPITAL, Role::Nurse);
		set_now(NOW);
		assert_ok!(break_glass_as(PHYSICIAN, P));
		assert_ok!(break_glass_as(NURSE, P));
		set_now(NOW + DAY - 1);
		assert_noop!(break_glass_as(500, P), Error::<Test>::PatientEmergencyCapReached);
		// Another patient has its own places.
		assert_ok!(break_glass_as(500, P2));
		// An access reviewed Unjustified ends, and gives its place back.
		assert_ok!(Consent::review_emergency(RuntimeOrigin::root(), 1, ReviewOutcome::Unjustified));
		assert_ok!(break_glass_as(501, P));
		assert_noop!(break_glass_as(500, P), Error::<Test>::PatientEmergencyCapReached);
		// Once the physician's access (ending at NOW + DAY) has ended, its place is free too.
		set_now(NOW + DAY);
		assert_ok!(break_glass_as(500, P));
		assert_eq!(crate::PatientEmergencies::<Test>::get(P).len(), 2);
	});
}

#[test]
fn a_barred_practitioner_is_not_offered_the_glass() {
	// consent.md rule 6: `EmergencyOnly` means break_glass is open to this practitioner.
	with_world(|| {
		assert_ok!(break_glass(Category::Allergies.into()));
		assert_ok!(Consent::review_emergency(
			RuntimeOrigin::signed(PATIENT),
			0,
			ReviewOutcome::Unjustified
		));
		assert_eq!(emergency_read(Category::Allergies), Decision::Deny(DenyReason::NoGrant));
		set_now(NOW + 30 * DAY);
		assert_eq!(emergency_read(Category::Allergies), Decision::EmergencyOnly);
	});
}

#[test]
fn break_glass_is_an_operational_call() {
	// So that it has the block's reserved room when ordinary traffic fills the rest.
	use frame::deps::frame_support::dispatch::{DispatchClass, GetDispatchInfo};
	let call = crate::Call::<Test>::break_glass {
		patient: P,
		justification: JustificationCode::PatientUnconscious,
		categories: Category::Allergies.into(),
	};
	assert_eq!(call.get_dispatch_info().class, DispatchClass::Operational);
}
