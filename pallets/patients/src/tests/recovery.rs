//! set_recovery_threshold, approve_recovery, cancel_recovery, complete_recovery,
//! recover_with_secret.

use frame::testing_prelude::*;
use medchain_primitives::{AuditAction, Categories, GuardianScope};

use crate::{
	mock::*, Error, Event, PatientOf, PendingRecoveries, RecoveryMethod, ScheduledRecovery,
};

#[test]
fn a_patient_sets_its_recovery_threshold() {
	with_world(|| {
		assert_ok!(Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 2));
		System::assert_last_event(Event::RecoveryThresholdSet { patient: 0, threshold: 2 }.into());
		assert_eq!(Patients::patient(0).unwrap().recovery_threshold, 2);
		assert_eq!(last_audited().unwrap().action, AuditAction::RecoveryThresholdSet);
		assert_noop!(
			Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 6),
			Error::<Test>::ThresholdTooHigh
		);
		assert_noop!(
			Patients::set_recovery_threshold(RuntimeOrigin::signed(GUARDIAN), 1),
			Error::<Test>::NotPatient
		);
	});
}

/// A second recovery guardian with full scope, so that a threshold of 2 can be met.
fn second_recovery_guardian() -> u64 {
	assert_ok!(Patients::add_guardian(RuntimeOrigin::signed(PATIENT), 0, 300, full_scope(), None));
	300
}

#[test]
fn guardians_recover_the_key_after_the_delay() {
	with_world(|| {
		let second = second_recovery_guardian();
		assert_ok!(Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 2));
		let new = 400;

		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, new));
		System::assert_last_event(
			Event::RecoveryApproved {
				patient: 0,
				guardian: GUARDIAN,
				new_controller: new,
				approvals: 1,
			}
			.into(),
		);
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(second), 0, new));
		let due = NOW + DAY;
		System::assert_last_event(
			Event::RecoveryScheduled { patient: 0, new_controller: new, due }.into(),
		);
		assert_eq!(
			PendingRecoveries::<Test>::get(0).unwrap().scheduled,
			Some(ScheduledRecovery { new_controller: new, due })
		);
		// Scheduled, not moved: the patient may still cancel.
		assert_eq!(Patients::patient(0).unwrap().controller, PATIENT);
		assert_noop!(
			Patients::complete_recovery(RuntimeOrigin::signed(GUARDIAN), 0),
			Error::<Test>::RecoveryNotDue
		);

		set_now(due);
		assert_ok!(Patients::complete_recovery(RuntimeOrigin::signed(second), 0));
		System::assert_last_event(
			Event::PatientRecovered {
				patient: 0,
				old_controller: PATIENT,
				new_controller: new,
				by: RecoveryMethod::Guardians,
			}
			.into(),
		);
		assert_eq!(Patients::patient(0).unwrap().controller, new);
		assert_eq!(PatientOf::<Test>::get(new), Some(0));
		assert_eq!(PatientOf::<Test>::get(PATIENT), None);
		assert!(!PendingRecoveries::<Test>::contains_key(0));
		let trail: Vec<_> = audited().into_iter().map(|e| e.action).collect();
		assert_eq!(
			trail[trail.len() - 4..],
			[
				AuditAction::RecoveryApproved,
				AuditAction::RecoveryApproved,
				AuditAction::RecoveryScheduled,
				AuditAction::ControllerRecovered
			]
		);
		assert_eq!(last_audited().unwrap().subject, Some(new));
	});
}

#[test]
fn the_patient_cancels_a_recovery_it_did_not_ask_for() {
	with_world(|| {
		assert_ok!(Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 1));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, 400));
		assert_ok!(Patients::cancel_recovery(RuntimeOrigin::signed(PATIENT)));
		System::assert_last_event(Event::RecoveryCancelled { patient: 0 }.into());
		assert_eq!(last_audited().unwrap().action, AuditAction::RecoveryCancelled);
		set_now(NOW + DAY);
		assert_noop!(
			Patients::complete_recovery(RuntimeOrigin::signed(GUARDIAN), 0),
			Error::<Test>::NoRecoveryScheduled
		);
		assert_noop!(
			Patients::cancel_recovery(RuntimeOrigin::signed(PATIENT)),
			Error::<Test>::NoPendingRecovery
		);
		assert_noop!(
			Patients::cancel_recovery(RuntimeOrigin::signed(GUARDIAN)),
			Error::<Test>::NotPatient
		);
	});
}

#[test]
fn each_guardian_changes_only_its_own_vote() {
	// L-2: one guardian voting for another key no longer wipes the others' votes.
	with_world(|| {
		let second = second_recovery_guardian();
		assert_ok!(Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 2));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, 400));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(second), 0, 401));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(second), 0, 402));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(second), 0, 401));
		let votes = PendingRecoveries::<Test>::get(0).unwrap().votes.to_vec();
		assert_eq!(votes, vec![(GUARDIAN, 400), (second, 401)]);
		// GUARDIAN changes its mind: now both vote 401, which reaches the threshold.
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, 401));
		System::assert_last_event(
			Event::RecoveryScheduled { patient: 0, new_controller: 401, due: NOW + DAY }.into(),
		);
	});
}

#[test]
fn a_scheduled_recovery_completes_only_if_still_approved() {
	with_world(|| {
		let second = second_recovery_guardian();
		assert_ok!(Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 2));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, 400));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(second), 0, 400));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(second), 0, 401));
		set_now(NOW + DAY);
		assert_noop!(
			Patients::complete_recovery(RuntimeOrigin::signed(GUARDIAN), 0),
			Error::<Test>::RecoveryNoLongerApproved
		);
	});
}

#[test]
fn a_guardian_votes_once_for_the_same_key() {
	with_world(|| {
		let _ = second_recovery_guardian();
		assert_ok!(Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 2));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, 400));
		assert_noop!(
			Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, 400),
			Error::<Test>::AlreadyApproved
		);
	});
}

#[test]
fn votes_of_guardians_removed_since_no_longer_count() {
	with_world(|| {
		let second = second_recovery_guardian();
		let third = 301;
		let recovery_only = GuardianScope {
			consent_categories: Categories::NONE,
			may_recover: true,
			..Default::default()
		};
		assert_ok!(Patients::remove_guardian(RuntimeOrigin::signed(PATIENT), 0, NARROW_GUARDIAN));
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(PATIENT),
			0,
			third,
			recovery_only,
			None
		));
		assert_ok!(Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 2));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, 400));
		assert_ok!(Patients::remove_guardian(RuntimeOrigin::signed(PATIENT), 0, GUARDIAN));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(second), 0, 400));
		// GUARDIAN's vote went with it: one vote, nothing scheduled.
		let pending = PendingRecoveries::<Test>::get(0).unwrap();
		assert_eq!((pending.votes.to_vec(), pending.scheduled), (vec![(second, 400)], None));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(third), 0, 400));
		assert!(PendingRecoveries::<Test>::get(0).unwrap().scheduled.is_some());
	});
}

#[test]
fn a_guardian_cannot_make_sock_puppet_recovery_guardians() {
	// H-1: with threshold 3, GUARDIAN (full scope) appointed 301 and 302 with recovery power
	// and the three of them moved the key to the attacker's 400 without the others.
	with_world(|| {
		assert_ok!(Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 3));
		let puppet = GuardianScope { may_recover: true, ..Default::default() };
		assert_noop!(
			Patients::add_guardian(RuntimeOrigin::signed(GUARDIAN), 0, 301, puppet, None),
			Error::<Test>::GuardianScopeExceeded
		);
		// Appointed without recovery power, they cannot vote.
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(GUARDIAN),
			0,
			301,
			Default::default(),
			None
		));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, 400));
		assert_noop!(
			Patients::approve_recovery(RuntimeOrigin::signed(301), 0, 400),
			Error::<Test>::NotRecoveryGuardian
		);
		assert_eq!(Patients::patient(0).unwrap().controller, PATIENT);
	});
}

#[test]
fn guardian_recovery_needs_a_threshold_a_recovery_guardian_and_a_fresh_account() {
	with_world(|| {
		assert_noop!(
			Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, 400),
			Error::<Test>::GuardianRecoveryDisabled
		);
		assert_ok!(Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 1));
		assert_noop!(
			Patients::approve_recovery(RuntimeOrigin::signed(NARROW_GUARDIAN), 0, 400),
			Error::<Test>::NotRecoveryGuardian
		);
		assert_noop!(
			Patients::approve_recovery(RuntimeOrigin::signed(EXPIRED_GUARDIAN), 0, 400),
			Error::<Test>::NotRecoveryGuardian
		);
		assert_noop!(
			Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, OTHER_PATIENT),
			Error::<Test>::AccountAlreadyPatient
		);
		assert_noop!(
			Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 7, 400),
			Error::<Test>::UnknownPatient
		);
		// Moving the key to one of the patient's own guardians is refused.
		assert_noop!(
			Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, NARROW_GUARDIAN),
			Error::<Test>::CannotGuardSelf
		);
		assert_noop!(
			Patients::complete_recovery(RuntimeOrigin::signed(NARROW_GUARDIAN), 0),
			Error::<Test>::NotRecoveryGuardian
		);
	});
}

#[test]
fn nothing_the_patients_key_holds_blocks_its_recovery() {
	// C-1: a thief with the patient's key took a consumer reference (session keys), after
	// which every recovery failed with ConsumerRemaining.
	with_world(|| {
		assert_ok!(System::inc_consumers(&PATIENT));
		let proof = recovery_proof(secret(), 0, 400, None);
		assert_ok!(Patients::recover_with_secret(
			RuntimeOrigin::signed(PHYSICIAN),
			0,
			400,
			None,
			proof
		));
		assert_eq!(Patients::patient(0).unwrap().controller, 400);
	});
	with_world(|| {
		assert_ok!(System::inc_consumers(&PATIENT));
		assert_ok!(Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 1));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, 400));
		set_now(NOW + DAY);
		assert_ok!(Patients::complete_recovery(RuntimeOrigin::signed(GUARDIAN), 0));
		assert_eq!(Patients::patient(0).unwrap().controller, 400);
	});
}

#[test]
fn the_enrolling_organisation_recovers_with_the_patients_signature_and_a_new_key() {
	with_world(|| {
		let new = 400;
		let next = Some(recovery_key([0x77; 32]));
		let proof = recovery_proof(secret(), 0, new, next);
		assert_ok!(Patients::recover_with_secret(
			RuntimeOrigin::signed(PHYSICIAN),
			0,
			new,
			next,
			proof
		));
		System::assert_last_event(
			Event::PatientRecovered {
				patient: 0,
				old_controller: PATIENT,
				new_controller: new,
				by: RecoveryMethod::EnrollingOrganisation,
			}
			.into(),
		);
		assert_eq!(Patients::patient(0).unwrap().controller, new);
		assert_eq!(Patients::patient(0).unwrap().recovery_key, next);
		let entry = last_audited().unwrap();
		assert_eq!(
			(entry.action, entry.subject, entry.organisation),
			(AuditAction::ControllerRecovered, Some(new), Some(HOSPITAL))
		);
		// The proof cannot serve twice: the key it was made with is replaced.
		assert_ok!(Patients::rotate_key(RuntimeOrigin::signed(new), 401));
		assert_noop!(
			Patients::recover_with_secret(RuntimeOrigin::signed(PHYSICIAN), 0, new, next, proof),
			Error::<Test>::InvalidRecoveryProof
		);
	});
}

#[test]
fn a_recovery_proof_cannot_be_redirected_or_reused_after_a_failure() {
	// M-2: the secret was in the calldata; a failed move (or the pool) leaked it, and another
	// practitioner moved the patient to its own key.
	with_world(|| {
		// The patient signs a move to one of its guardians: refused, nothing changes.
		let to_guardian = recovery_proof(secret(), 0, NARROW_GUARDIAN, None);
		assert_noop!(
			Patients::recover_with_secret(
				RuntimeOrigin::signed(PHYSICIAN),
				0,
				NARROW_GUARDIAN,
				None,
				to_guardian
			),
			Error::<Test>::CannotGuardSelf
		);
		// What was seen cannot move the patient anywhere else, nor with another next key.
		assert_noop!(
			Patients::recover_with_secret(
				RuntimeOrigin::signed(PHYSICIAN),
				0,
				666,
				None,
				to_guardian
			),
			Error::<Test>::InvalidRecoveryProof
		);
		assert_noop!(
			Patients::recover_with_secret(
				RuntimeOrigin::signed(PHYSICIAN),
				0,
				NARROW_GUARDIAN,
				Some([6; 32]),
				to_guardian
			),
			Error::<Test>::InvalidRecoveryProof
		);
		// Nor another patient.
		assert_noop!(
			Patients::recover_with_secret(
				RuntimeOrigin::signed(LAB_TECHNICIAN),
				1,
				NARROW_GUARDIAN,
				None,
				to_guardian
			),
			Error::<Test>::NoRecoveryKey
		);
	});
}

#[test]
fn recovery_with_a_proof_needs_the_right_key_and_organisation() {
	with_world(|| {
		let proof = recovery_proof(secret(), 0, 400, None);
		let forged = recovery_proof([3; 32], 0, 400, None);
		assert_noop!(
			Patients::recover_with_secret(RuntimeOrigin::signed(PHYSICIAN), 0, 400, None, forged),
			Error::<Test>::InvalidRecoveryProof
		);
		assert_noop!(
			Patients::recover_with_secret(
				RuntimeOrigin::signed(LAB_TECHNICIAN),
				0,
				400,
				None,
				proof
			),
			Error::<Test>::NotEnrollingOrganisation
		);
		assert_noop!(
			Patients::recover_with_secret(RuntimeOrigin::signed(PHYSICIAN), 7, 400, None, proof),
			Error::<Test>::UnknownPatient
		);
		let to_other = recovery_proof(secret(), 0, OTHER_PATIENT, None);
		assert_noop!(
			Patients::recover_with_secret(
				RuntimeOrigin::signed(PHYSICIAN),
				0,
				OTHER_PATIENT,
				None,
				to_other
			),
			Error::<Test>::AccountAlreadyPatient
		);
		suspend(HOSPITAL);
		assert_noop!(
			Patients::recover_with_secret(RuntimeOrigin::signed(PHYSICIAN), 0, 400, None, proof),
			Error::<Test>::NotActivePractitioner
		);
	});
}

#[test]
fn the_recovery_payload_is_domain_separated_and_names_the_move() {
	// A third party can rebuild it: "medchain/patients/recovery/v3" ‖ SCALE((genesis, patient,
	// current controller, new controller, next key)).
	let genesis = [7u8; 32];
	let payload = crate::recovery_payload(&genesis, 5u64, &8u64, &9u64, &Some([1u8; 32]));
	let mut expected = b"medchain/patients/recovery/v3".to_vec();
	expected.extend([7u8; 32]);
	expected.extend(5u64.to_le_bytes());
	expected.extend(8u64.to_le_bytes());
	expected.extend(9u64.to_le_bytes());
	expected.push(1);
	expected.extend([1u8; 32]);
	assert_eq!(payload, expected);
}

#[test]
fn a_recovery_proof_serves_only_from_the_controller_it_names() {
	// N-6 (security review 2026-12): a proof carried no binding to the controller, and the next
	// key could be the same key: after a successful recovery and a later rotation, anyone
	// holding the proof moved the patient back.
	with_world(|| {
		let recover = |new, next, proof| {
			Patients::recover_with_secret(RuntimeOrigin::signed(PHYSICIAN), 0, new, next, proof)
		};
		let same_key = Some(recovery_key(secret()));
		assert_noop!(
			recover(400, same_key, recovery_proof(secret(), 0, 400, same_key)),
			Error::<Test>::RecoveryKeyNotReplaced
		);
		// A proof made while the patient is at PATIENT, never used; the patient rotates.
		let unused = recovery_proof(secret(), 0, 400, None);
		assert_ok!(Patients::rotate_key(RuntimeOrigin::signed(PATIENT), 401));
		assert_noop!(recover(400, None, unused), Error::<Test>::InvalidRecoveryProof);
		// The review's sequence: recover to C1 (a new recovery key), rotate C1 → C2, replay.
		let next = Some(recovery_key([8; 32]));
		let used = recovery_proof(secret(), 0, 402, next);
		assert_ok!(recover(402, next, used));
		assert_ok!(Patients::rotate_key(RuntimeOrigin::signed(402), 403));
		assert_noop!(recover(402, next, used), Error::<Test>::InvalidRecoveryProof);
		// Signed by the new card, from the present controller, it works.
		assert_ok!(recover(404, None, recovery_proof([8; 32], 0, 404, None)));
	});
}
