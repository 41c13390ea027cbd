//! check_access: the decision rules, and time passing.

use frame::testing_prelude::*;
use medchain_primitives::{
	AccessPolicy, Action, Actions, Categories, Category, ConsentRef, Decision, DenyReason,
	EmergencyPolicy, Grantee, Purpose, Role,
};

use super::*;

#[test]
fn a_practitioner_grant_permits_that_practitioner_only() {
	with_world(|| {
		assert_ok!(grant_lab_results(Grantee::Practitioner(LAB_TECHNICIAN)));
		assert_eq!(
			read_lab_results(LAB_TECHNICIAN),
			Decision::Permit { grant_id: 0, until: Some(NOW + DAY) }
		);
		assert_eq!(read_lab_results(LAB_TECHNICIAN_2), Decision::Deny(DenyReason::NoGrant));
		assert_eq!(read_lab_results(LAB_ADMIN), Decision::Deny(DenyReason::NoGrant));
	});
}

#[test]
fn an_organisation_grant_reaches_its_practitioners_only_with_share() {
	with_world(|| {
		assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
		assert!(read_lab_results(LAB_ADMIN).is_permit());
		assert_eq!(read_lab_results(LAB_TECHNICIAN), Decision::Deny(DenyReason::NoGrant));
		assert_ok!(grant_as(
			PATIENT,
			Grantee::Organisation(LAB),
			Category::LabResults.into(),
			Actions::of(&[Action::Read, Action::Share]),
			NOW,
			Some(NOW + DAY)
		));
		assert_eq!(
			read_lab_results(LAB_TECHNICIAN),
			Decision::Permit { grant_id: 1, until: Some(NOW + DAY) }
		);
	});
}

#[test]
fn the_request_must_fall_within_the_grant() {
	with_world(|| {
		assert_ok!(grant_lab_results(Grantee::Practitioner(LAB_TECHNICIAN)));
		let decide = |c, p, a| Consent::check_access(P, &LAB_TECHNICIAN, c, p, a);
		assert!(decide(Category::LabResults, Purpose::Treatment, Action::Read).is_permit());
		assert_eq!(
			decide(Category::Imaging, Purpose::Treatment, Action::Read),
			Decision::Deny(DenyReason::NoGrant)
		);
		assert_eq!(
			decide(Category::LabResults, Purpose::Research, Action::Read),
			Decision::Deny(DenyReason::NoGrant)
		);
		assert_eq!(
			decide(Category::LabResults, Purpose::Treatment, Action::Append),
			Decision::Deny(DenyReason::NoGrant)
		);
	});
}

#[test]
fn a_grant_permits_from_its_start_until_its_end_exactly() {
	with_world(|| {
		let (from, until) = (NOW + HOUR, NOW + 2 * HOUR);
		assert_ok!(grant_as(
			PATIENT,
			Grantee::Practitioner(LAB_TECHNICIAN),
			Category::LabResults.into(),
			Action::Read.into(),
			from,
			Some(until)
		));
		set_now(from - 1);
		assert_eq!(read_lab_results(LAB_TECHNICIAN), Decision::Deny(DenyReason::NoGrant));
		set_now(from);
		assert!(read_lab_results(LAB_TECHNICIAN).is_permit());
		set_now(until - 1);
		assert!(read_lab_results(LAB_TECHNICIAN).is_permit());
		// No transaction happens: the end is checked against the clock at each decision.
		set_now(until);
		assert_eq!(read_lab_results(LAB_TECHNICIAN), Decision::Deny(DenyReason::NoGrant));
	});
}

#[test]
fn suspension_of_the_grantee_stops_its_access() {
	with_world(|| {
		assert_ok!(grant_lab_results(Grantee::Practitioner(LAB_TECHNICIAN)));
		suspend(LAB);
		assert_eq!(read_lab_results(LAB_TECHNICIAN), Decision::Deny(DenyReason::NotActiveProvider));
		assert_eq!(read_lab_results(LAB_ADMIN), Decision::Deny(DenyReason::NotActiveProvider));
	});
}

#[test]
fn strangers_and_unknown_patients_are_denied() {
	with_world(|| {
		assert_eq!(read_lab_results(STRANGER), Decision::Deny(DenyReason::NotActiveProvider));
		assert_eq!(read_lab_results(PATIENT), Decision::Deny(DenyReason::NotActiveProvider));
		assert_eq!(
			Consent::check_access(
				9,
				&PHYSICIAN,
				Category::LabResults,
				Purpose::Treatment,
				Action::Read
			),
			Decision::Deny(DenyReason::UnknownPatient)
		);
	});
}

#[test]
fn without_a_grant_hospital_staff_are_told_emergency_access_is_possible() {
	with_world(|| {
		assert_eq!(read_lab_results(PHYSICIAN), Decision::EmergencyOnly);
		// A lab does not provide emergency care.
		assert_eq!(read_lab_results(LAB_TECHNICIAN), Decision::Deny(DenyReason::NoGrant));
		// The default policy leaves out sensitive categories.
		assert_eq!(
			Consent::check_access(
				P,
				&PHYSICIAN,
				Category::MentalHealth,
				Purpose::Emergency,
				Action::Read
			),
			Decision::Deny(DenyReason::NoGrant)
		);
		set_emergency_policy(P, EmergencyPolicy { allowed: false, categories: Categories::NONE });
		assert_eq!(read_lab_results(PHYSICIAN), Decision::Deny(DenyReason::NoGrant));
	});
}

#[test]
fn the_decision_changes_nothing() {
	with_world(|| {
		assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
		assert_storage_noop!({
			let _ = read_lab_results(LAB_ADMIN);
			let _ = read_lab_results(STRANGER);
		});
	});
}

#[test]
fn a_practitioners_grant_ends_when_it_leaves_the_organisation_it_was_given_under() {
	// M-8: a patient's grant to Dr X at a hospital kept permitting X once X worked for an
	// insurer.
	with_world(|| {
		assert_ok!(grant_lab_results(Grantee::Practitioner(PHYSICIAN)));
		assert!(read_lab_results(PHYSICIAN).is_permit());
		set_now(NOW + 1);
		join(PHYSICIAN, LAB, Role::Physician);
		assert_eq!(read_lab_results(PHYSICIAN), Decision::Deny(DenyReason::NoGrant));
		assert_eq!(
			Consent::check_access_under(
				ConsentRef::Grant(0),
				P,
				&PHYSICIAN,
				Category::LabResults,
				Purpose::Treatment,
				Action::Read
			),
			Decision::Deny(DenyReason::NoGrant)
		);
		// Back at the hospital, it is a new membership: the old grant does not revive.
		set_now(NOW + 2);
		join(PHYSICIAN, HOSPITAL, Role::Physician);
		// (A hospital physician without a grant, new there: not even the glass, for a day.)
		assert_eq!(read_lab_results(PHYSICIAN), Decision::Deny(DenyReason::NoGrant));
		// A grant given in the new membership works.
		assert_ok!(grant_lab_results(Grantee::Practitioner(PHYSICIAN)));
		assert!(read_lab_results(PHYSICIAN).is_permit());
	});
}

#[test]
fn a_decision_says_how_many_grants_it_read() {
	// What records refunds an anchor to: the grants read, not the most that could be.
	with_world(|| {
		let decided = || {
			<Consent as AccessPolicy<u64>>::check_access(
				P,
				&LAB_TECHNICIAN,
				Category::LabResults,
				Purpose::Treatment,
				Action::Read,
			)
		};
		// No grant: both indexes empty, nothing read.
		assert_eq!(decided().grants_read, 0);
		// One grant that does not cover the request, then one that does: both read.
		assert_ok!(grant_as(
			PATIENT,
			Grantee::Practitioner(LAB_TECHNICIAN),
			Category::Imaging.into(),
			Action::Read.into(),
			NOW,
			Some(NOW + DAY)
		));
		assert_eq!(
			decided(),
			medchain_primitives::Decided {
				decision: Decision::Deny(DenyReason::NoGrant),
				grants_read: 1
			}
		);
		assert_ok!(grant_lab_results(Grantee::Practitioner(LAB_TECHNICIAN)));
		let both = decided();
		assert!(both.decision.is_permit());
		assert_eq!(both.grants_read, 2);
		// An organisation grant without Share is read too, after the practitioner's.
		assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
		let by_admin = <Consent as AccessPolicy<u64>>::check_access(
			P,
			&LAB_ADMIN,
			Category::LabResults,
			Purpose::Treatment,
			Action::Read,
		);
		assert_eq!(by_admin.grants_read, 1);
		assert!(by_admin.decision.is_permit());
		// The bound a caller charges for.
		assert_eq!(
			<Consent as AccessPolicy<u64>>::max_grants_read(),
			2 * <Test as crate::Config>::MaxGrantsPerGrantee::get()
		);
		assert!(both.grants_read <= <Consent as AccessPolicy<u64>>::max_grants_read());
	});
}

#[test]
fn a_batch_answers_each_question_as_check_access_does_in_order() {
	use medchain_primitives::AccessQuestion;
	with_world(|| {
		assert_ok!(grant_lab_results(Grantee::Practitioner(LAB_TECHNICIAN)));
		assert_ok!(Consent::add_deny(
			RuntimeOrigin::signed(PATIENT),
			P,
			Some(Grantee::Practitioner(LAB_TECHNICIAN_2)),
			Category::LabResults.into(),
			treatment()
		));
		let ask = |patient, accessor, category| AccessQuestion {
			patient,
			accessor,
			category,
			purpose: Purpose::Treatment,
			action: Action::Read,
		};
		let questions = vec![
			ask(P, LAB_TECHNICIAN, Category::LabResults),
			ask(P, STRANGER, Category::LabResults),
			ask(9, PHYSICIAN, Category::LabResults),
			ask(P, LAB_TECHNICIAN_2, Category::LabResults),
			ask(P, PHYSICIAN, Category::LabResults),
			ask(P, LAB_TECHNICIAN, Category::Imaging),
			ask(P, LAB_TECHNICIAN, Category::LabResults),
		];
		let answers = Consent::check_access_batch(&questions);
		assert_eq!(
			answers,
			vec![
				Decision::Permit { grant_id: 0, until: Some(NOW + DAY) },
				Decision::Deny(DenyReason::NotActiveProvider),
				Decision::Deny(DenyReason::UnknownPatient),
				Decision::Deny(DenyReason::DeniedByPatient),
				Decision::EmergencyOnly,
				Decision::Deny(DenyReason::NoGrant),
				Decision::Permit { grant_id: 0, until: Some(NOW + DAY) },
			]
		);
		// Each answer is the single question's.
		for (q, answer) in questions.iter().zip(&answers) {
			assert_eq!(
				Consent::check_access(q.patient, &q.accessor, q.category, q.purpose, q.action),
				*answer
			);
		}
		assert_eq!(Consent::check_access_batch(&[]), vec![]);
		assert_storage_noop!({
			let _ = Consent::check_access_batch(&questions);
		});
	});
}

#[test]
fn a_batch_of_questions_is_bounded_when_decoded() {
	use codec::{Decode, Encode};
	use medchain_primitives::{AccessQuestion, AccessQuestions, MAX_ACCESS_QUESTIONS};
	let question = AccessQuestion {
		patient: P,
		accessor: LAB_TECHNICIAN,
		category: Category::LabResults,
		purpose: Purpose::Treatment,
		action: Action::Read,
	};
	let full = vec![question.clone(); MAX_ACCESS_QUESTIONS as usize];
	let decoded = AccessQuestions::<u64>::decode(&mut &full.encode()[..]).expect("at the bound");
	assert_eq!(decoded.len(), full.len());
	let over = vec![question; MAX_ACCESS_QUESTIONS as usize + 1];
	assert!(AccessQuestions::<u64>::decode(&mut &over.encode()[..]).is_err());
}
