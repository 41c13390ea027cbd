//! Every change is sent to the audit trail, with who, what and which consent object; and the
//! decision under a named grant or emergency access (what the audit pallet re-checks).

use frame::testing_prelude::*;
use medchain_primitives::{
	Action, Agent, AuditAction, AuditEvent, AuditOutcome, Categories, Category, ConsentRef,
	Decision, DenyReason, Grantee, Purpose, Purposes,
};

use super::*;
use crate::{JustificationCode, ReviewOutcome};

fn entry(
	action: AuditAction,
	actor: Agent<u64>,
	organisation: Option<u32>,
	categories: Categories,
	purposes: Purposes,
	consent: ConsentRef,
) -> AuditEvent<u64> {
	AuditEvent {
		patient: P,
		action,
		actor,
		organisation,
		categories,
		purposes,
		outcome: AuditOutcome::Success,
		record: None,
		consent: Some(consent),
		subject: None,
	}
}

#[test]
fn every_consent_change_is_audited_in_order() {
	with_world(|| {
		let labs: Categories = Category::LabResults.into();
		assert_ok!(grant_lab_results(Grantee::Practitioner(LAB_TECHNICIAN)));
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(GUARDIAN), 0));
		assert_ok!(Consent::add_deny(RuntimeOrigin::signed(PATIENT), P, None, labs, treatment()));
		assert_ok!(Consent::remove_deny(RuntimeOrigin::signed(PATIENT), P, 0));
		assert_ok!(Consent::break_glass(
			RuntimeOrigin::signed(PHYSICIAN),
			P,
			JustificationCode::PatientUnconscious,
			Category::Allergies.into()
		));
		assert_ok!(Consent::review_emergency(RuntimeOrigin::root(), 0, ReviewOutcome::Justified));
		let emergency: Purposes = Purpose::Emergency.into();
		assert_eq!(
			audited(),
			vec![
				entry(
					AuditAction::ConsentGranted,
					Agent::Account(PATIENT),
					None,
					labs,
					treatment(),
					ConsentRef::Grant(0)
				),
				entry(
					AuditAction::ConsentRevoked,
					Agent::Account(GUARDIAN),
					None,
					labs,
					treatment(),
					ConsentRef::Grant(0)
				),
				entry(
					AuditAction::DenyAdded,
					Agent::Account(PATIENT),
					None,
					labs,
					treatment(),
					ConsentRef::Deny(0)
				),
				entry(
					AuditAction::DenyRemoved,
					Agent::Account(PATIENT),
					None,
					labs,
					treatment(),
					ConsentRef::Deny(0)
				),
				entry(
					AuditAction::EmergencyAccessOpened,
					Agent::Account(PHYSICIAN),
					Some(HOSPITAL),
					Category::Allergies.into(),
					emergency,
					ConsentRef::Emergency(0)
				),
				entry(
					AuditAction::EmergencyAccessReviewed,
					Agent::Governance,
					None,
					Category::Allergies.into(),
					emergency,
					ConsentRef::Emergency(0)
				),
			]
		);
	});
}

#[test]
fn a_failed_call_audits_nothing() {
	with_world(|| {
		assert_noop!(
			Consent::revoke(RuntimeOrigin::signed(STRANGER), 0),
			crate::Error::<Test>::UnknownGrant
		);
		assert_noop!(
			grant_as(
				STRANGER,
				Grantee::Organisation(LAB),
				Category::LabResults.into(),
				Action::Read.into(),
				NOW,
				Some(NOW + DAY)
			),
			crate::Error::<Test>::NotPatientOrGuardian
		);
		assert!(audited().is_empty());
	});
}

fn read_under(basis: ConsentRef, accessor: u64) -> Decision {
	Consent::decide_under(
		basis,
		P,
		&accessor,
		Category::LabResults,
		Purpose::Treatment,
		Action::Read,
		now(),
	)
}

#[test]
fn a_named_grant_permits_only_what_it_covers_for_whom_it_names() {
	with_world(|| {
		// 0: to the technician; 1: to the lab, without Share; 2: to the lab, with Share.
		assert_ok!(grant_lab_results(Grantee::Practitioner(LAB_TECHNICIAN)));
		assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
		assert_ok!(grant_as(
			PATIENT,
			Grantee::Organisation(LAB),
			Category::LabResults.into(),
			Actions::of(&[Action::Read, Action::Share]),
			NOW,
			Some(NOW + DAY)
		));
		let permit = |grant_id| Decision::Permit { grant_id, until: Some(NOW + DAY) };
		let no_grant = Decision::Deny(DenyReason::NoGrant);
		assert_eq!(read_under(ConsentRef::Grant(0), LAB_TECHNICIAN), permit(0));
		assert_eq!(read_under(ConsentRef::Grant(0), LAB_TECHNICIAN_2), no_grant);
		assert_eq!(read_under(ConsentRef::Grant(1), LAB_TECHNICIAN), no_grant);
		assert_eq!(read_under(ConsentRef::Grant(1), LAB_ADMIN), permit(1));
		assert_eq!(read_under(ConsentRef::Grant(2), LAB_TECHNICIAN_2), permit(2));
		assert_eq!(read_under(ConsentRef::Grant(2), PHYSICIAN), no_grant);
		// Another category, action, an unknown grant, a deny rule's id: no.
		assert_eq!(
			Consent::decide_under(
				ConsentRef::Grant(0),
				P,
				&LAB_TECHNICIAN,
				Category::Imaging,
				Purpose::Treatment,
				Action::Read,
				NOW
			),
			no_grant
		);
		assert_eq!(
			Consent::decide_under(
				ConsentRef::Grant(0),
				P,
				&LAB_TECHNICIAN,
				Category::LabResults,
				Purpose::Treatment,
				Action::Append,
				NOW
			),
			no_grant
		);
		assert_eq!(read_under(ConsentRef::Grant(9), LAB_TECHNICIAN), no_grant);
		assert_eq!(read_under(ConsentRef::Deny(0), LAB_TECHNICIAN), no_grant);
		// Revoked, expired; a stranger; a deny rule.
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(PATIENT), 0));
		assert_eq!(read_under(ConsentRef::Grant(0), LAB_TECHNICIAN), no_grant);
		assert_eq!(
			read_under(ConsentRef::Grant(2), STRANGER),
			Decision::Deny(DenyReason::NotActiveProvider)
		);
		assert_ok!(Consent::add_deny(
			RuntimeOrigin::signed(PATIENT),
			P,
			Some(Grantee::Organisation(LAB)),
			Categories::ALL,
			Purposes::ALL
		));
		assert_eq!(
			read_under(ConsentRef::Grant(2), LAB_TECHNICIAN_2),
			Decision::Deny(DenyReason::DeniedByPatient)
		);
		set_now(NOW + DAY);
		assert_eq!(
			read_under(ConsentRef::Grant(1), LAB_ADMIN),
			Decision::Deny(DenyReason::DeniedByPatient)
		);
	});
}

#[test]
fn a_named_emergency_access_permits_its_practitioner_emergency_reads_while_open() {
	with_world(|| {
		assert_ok!(Consent::break_glass(
			RuntimeOrigin::signed(PHYSICIAN),
			P,
			JustificationCode::PatientUnconscious,
			Category::LabResults.into()
		));
		let emergency_read = |who| {
			Consent::decide_under(
				ConsentRef::Emergency(0),
				P,
				&who,
				Category::LabResults,
				Purpose::Emergency,
				Action::Read,
				now(),
			)
		};
		assert_eq!(
			emergency_read(PHYSICIAN),
			Decision::PermitEmergency { access_id: 0, until: NOW + DAY }
		);
		assert_eq!(emergency_read(LAB_TECHNICIAN), Decision::Deny(DenyReason::NoGrant));
		assert_eq!(
			read_under(ConsentRef::Emergency(0), PHYSICIAN),
			Decision::Deny(DenyReason::NoGrant)
		);
		set_now(NOW + DAY);
		assert_eq!(emergency_read(PHYSICIAN), Decision::Deny(DenyReason::NoGrant));
	});
}
