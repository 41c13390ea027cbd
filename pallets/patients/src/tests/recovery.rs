//! set_recovery_threshold, approve_recovery, recover_with_secret.

use frame::testing_prelude::*;
use medchain_primitives::{Categories, GuardianScope};

use crate::{mock::*, recovery_commitment, Error, Event, PatientOf, PendingRecoveries, RecoveryMethod};

#[test]
fn a_patient_sets_its_recovery_threshold() {
	with_world(|| {
		assert_ok!(Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 2));
		System::assert_last_event(Event::RecoveryThresholdSet { patient: 0, threshold: 2 }.into());
		assert_eq!(Patients::patient(0).unwrap().recovery_threshold, 2);
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
fn guardians_recover_the_key_when_the_threshold_is_reached() {
	with_world(|| {
		let second = second_recovery_guardian();
		assert_ok!(Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 2));
		let new = 400;

		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, new));
		System::assert_last_event(
			Event::RecoveryApproved { patient: 0, guardian: GUARDIAN, new_controller: new, approvals: 1 }.into(),
		);
		assert_eq!(Patients::patient(0).unwrap().controller, PATIENT);

		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(second), 0, new));
		System::assert_last_event(
			Event::PatientRecovered { patient: 0, old_controller: PATIENT, new_controller: new, by: RecoveryMethod::Guardians }.into(),
		);
		assert_eq!(Patients::patient(0).unwrap().controller, new);
		assert_eq!(PatientOf::<Test>::get(new), Some(0));
		assert_eq!(PatientOf::<Test>::get(PATIENT), None);
		assert!(!PendingRecoveries::<Test>::contains_key(0));
	});
}

#[test]
fn an_approval_for_another_account_starts_over() {
	with_world(|| {
		let second = second_recovery_guardian();
		assert_ok!(Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 2));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, 400));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(second), 0, 401));
		// Not recovered: each account has one approval.
		assert_eq!(Patients::patient(0).unwrap().controller, PATIENT);
		assert_eq!(PendingRecoveries::<Test>::get(0).unwrap().new_controller, 401);
	});
}

#[test]
fn a_guardian_approves_once() {
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
fn approvals_of_guardians_removed_since_no_longer_count() {
	with_world(|| {
		let second = second_recovery_guardian();
		let third = 301;
		let recovery_only = GuardianScope { consent_categories: Categories::NONE, may_recover: true, ..Default::default() };
		assert_ok!(Patients::remove_guardian(RuntimeOrigin::signed(PATIENT), 0, NARROW_GUARDIAN));
		assert_ok!(Patients::add_guardian(RuntimeOrigin::signed(PATIENT), 0, third, recovery_only, None));
		assert_ok!(Patients::set_recovery_threshold(RuntimeOrigin::signed(PATIENT), 2));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(GUARDIAN), 0, 400));
		assert_ok!(Patients::remove_guardian(RuntimeOrigin::signed(PATIENT), 0, GUARDIAN));
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(second), 0, 400));
		// GUARDIAN's approval was dropped: one valid approval, no recovery yet.
		assert_eq!(Patients::patient(0).unwrap().controller, PATIENT);
		assert_eq!(PendingRecoveries::<Test>::get(0).unwrap().approvals.to_vec(), vec![second]);
		assert_ok!(Patients::approve_recovery(RuntimeOrigin::signed(third), 0, 400));
		assert_eq!(Patients::patient(0).unwrap().controller, 400);
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
	});
}

#[test]
fn the_enrolling_organisation_recovers_with_the_secret_which_is_then_replaced() {
	with_world(|| {
		let new = 400;
		let next_secret = identity(0x77);
		assert_ok!(Patients::recover_with_secret(
			RuntimeOrigin::signed(PHYSICIAN),
			0,
			new,
			secret(),
			recovery_commitment(&next_secret)
		));
		System::assert_last_event(
			Event::PatientRecovered { patient: 0, old_controller: PATIENT, new_controller: new, by: RecoveryMethod::EnrollingOrganisation }
				.into(),
		);
		assert_eq!(Patients::patient(0).unwrap().controller, new);
		assert_eq!(Patients::patient(0).unwrap().recovery_commitment, recovery_commitment(&next_secret));
		// The revealed secret is spent.
		assert_noop!(
			Patients::recover_with_secret(RuntimeOrigin::signed(PHYSICIAN), 0, 401, secret(), identity(1)),
			Error::<Test>::RecoverySecretMismatch
		);
	});
}

#[test]
fn recovery_with_a_secret_needs_the_right_secret_and_organisation() {
	with_world(|| {
		assert_noop!(
			Patients::recover_with_secret(RuntimeOrigin::signed(PHYSICIAN), 0, 400, identity(3), identity(4)),
			Error::<Test>::RecoverySecretMismatch
		);
		assert_noop!(
			Patients::recover_with_secret(RuntimeOrigin::signed(LAB_TECHNICIAN), 0, 400, secret(), identity(4)),
			Error::<Test>::NotEnrollingOrganisation
		);
		assert_noop!(
			Patients::recover_with_secret(RuntimeOrigin::signed(PHYSICIAN), 7, 400, secret(), identity(4)),
			Error::<Test>::UnknownPatient
		);
		assert_noop!(
			Patients::recover_with_secret(RuntimeOrigin::signed(PHYSICIAN), 0, OTHER_PATIENT, secret(), identity(4)),
			Error::<Test>::AccountAlreadyPatient
		);
		suspend(HOSPITAL);
		assert_noop!(
			Patients::recover_with_secret(RuntimeOrigin::signed(PHYSICIAN), 0, 400, secret(), identity(4)),
			Error::<Test>::NotActivePractitioner
		);
	});
}

#[test]
fn the_recovery_commitment_is_domain_separated() {
	// A third party can recompute it: blake2_256("medchain/patients/recovery/v1" ‖ secret).
	let mut preimage = b"medchain/patients/recovery/v1".to_vec();
	preimage.extend_from_slice(&[0x5e; 32]);
	assert_eq!(recovery_commitment(&secret()).0, frame::hashing::blake2_256(&preimage));
	assert_ne!(recovery_commitment(&secret()).0, frame::hashing::blake2_256(&[0x5e; 32]));
}
