//! report_access: a reported read, re-checked against its basis, recorded Permitted or Denied.

use frame::testing_prelude::*;
use medchain_primitives::{
	Agent, AuditAction, AuditEntry, AuditEvent, AuditOutcome, DenyReason, Purpose,
};

use super::*;
use crate::Error;

fn reported(
	who: u64,
	org: u32,
	outcome: AuditOutcome,
	basis: ConsentRef,
	record: Option<RecordId>,
) -> AuditEvent<u64> {
	AuditEvent {
		patient: P,
		action: AuditAction::AccessReported,
		actor: Agent::Account(who),
		organisation: Some(org),
		categories: Category::LabResults.into(),
		purposes: Purpose::Treatment.into(),
		outcome,
		record,
		consent: Some(basis),
		subject: None,
	}
}

#[test]
fn a_permitted_read_is_recorded_as_permitted() {
	with_world(|| {
		physician_may_read();
		assert_ok!(report_as(PHYSICIAN));
		let entry = AuditEntry {
			seq: 1,
			at: NOW,
			event: reported(
				PHYSICIAN,
				HOSPITAL,
				AuditOutcome::Permitted,
				READ_GRANT,
				Some(LAB_RECORD),
			),
		};
		assert_eq!(entries_from_events(P), vec![entry]);
		assert_eq!(Audit::trail_head(P).last_seq, 1);
		// No flag.
		assert!(!System::events()
			.iter()
			.any(|e| matches!(e.event, RuntimeEvent::Audit(Event::AccessReportFlagged { .. }))));
	});
}

#[test]
fn a_read_the_chain_would_deny_is_recorded_and_flagged() {
	with_world(|| {
		physician_may_read();
		// The nurse's own grant covers imaging, not lab results.
		let imaging = ConsentRef::Grant(6);
		permit(P, NURSE, Category::Imaging, Purpose::Treatment, Action::Read, imaging);
		assert_ok!(Audit::report_access(
			RuntimeOrigin::signed(NURSE),
			P,
			Category::LabResults,
			Purpose::Treatment,
			imaging,
			Some(LAB_RECORD)
		));
		System::assert_last_event(
			Event::AccessReportFlagged {
				patient: P,
				seq: 1,
				reporter: NURSE,
				organisation: HOSPITAL,
				reason: DenyReason::NoGrant,
			}
			.into(),
		);
		assert_eq!(
			entries_from_events(P)[0].event,
			reported(NURSE, HOSPITAL, AuditOutcome::Denied, imaging, Some(LAB_RECORD))
		);
	});
}

#[test]
fn a_report_must_name_the_reporters_own_basis() {
	// L-8: any provider could append Denied entries to any patient's trail by naming any basis.
	with_world(|| {
		physician_may_read();
		// The physician's grant, named by the nurse; a grant that does not exist; a deny rule.
		assert_noop!(report_as(NURSE), Error::<Test>::UnrelatedBasis);
		for basis in [ConsentRef::Grant(99), ConsentRef::Emergency(3), ConsentRef::Deny(0)] {
			assert_noop!(
				Audit::report_access(
					RuntimeOrigin::signed(PHYSICIAN),
					P,
					Category::LabResults,
					Purpose::Treatment,
					basis,
					None
				),
				Error::<Test>::UnrelatedBasis
			);
		}
		// The physician's grant for P, named for another patient.
		assert_noop!(
			Audit::report_access(
				RuntimeOrigin::signed(PHYSICIAN),
				P2,
				Category::LabResults,
				Purpose::Treatment,
				READ_GRANT,
				None
			),
			Error::<Test>::UnrelatedBasis
		);
		assert_eq!(Audit::trail_head(P2).last_seq, 0);
	});
}

#[test]
fn the_basis_is_rechecked_now_revoked_or_denied_grants_are_flagged() {
	with_world(|| {
		physician_may_read();
		assert_ok!(report_as(PHYSICIAN));
		withdraw(READ_GRANT);
		assert_ok!(report_as(PHYSICIAN));
		physician_may_read();
		deny(P, PHYSICIAN);
		assert_ok!(report_as(PHYSICIAN));
		System::assert_last_event(
			Event::AccessReportFlagged {
				patient: P,
				seq: 3,
				reporter: PHYSICIAN,
				organisation: HOSPITAL,
				reason: DenyReason::DeniedByPatient,
			}
			.into(),
		);
		let outcomes: Vec<_> = entries_from_events(P).iter().map(|e| e.event.outcome).collect();
		assert_eq!(
			outcomes,
			vec![AuditOutcome::Permitted, AuditOutcome::Denied, AuditOutcome::Denied]
		);
	});
}

#[test]
fn an_emergency_read_under_break_glass_is_permitted() {
	with_world(|| {
		let access = ConsentRef::Emergency(2);
		permit(P, PHYSICIAN, Category::Allergies, Purpose::Emergency, Action::Read, access);
		assert_ok!(Audit::report_access(
			RuntimeOrigin::signed(PHYSICIAN),
			P,
			Category::Allergies,
			Purpose::Emergency,
			access,
			None
		));
		let entry = &entries_from_events(P)[0];
		assert_eq!(
			(entry.event.outcome, entry.event.consent),
			(AuditOutcome::Permitted, Some(access))
		);
	});
}

#[test]
fn a_suspended_organisations_admin_still_reports_and_is_flagged() {
	with_world(|| {
		physician_may_read();
		let hospital_grant = ConsentRef::Grant(7);
		permit(
			P,
			HOSPITAL_ADMIN,
			Category::LabResults,
			Purpose::Treatment,
			Action::Read,
			hospital_grant,
		);
		suspend(HOSPITAL);
		assert_noop!(report_as(PHYSICIAN), Error::<Test>::NotAProvider);
		assert_ok!(Audit::report_access(
			RuntimeOrigin::signed(HOSPITAL_ADMIN),
			P,
			Category::LabResults,
			Purpose::Treatment,
			hospital_grant,
			Some(LAB_RECORD)
		));
		System::assert_last_event(
			Event::AccessReportFlagged {
				patient: P,
				seq: 1,
				reporter: HOSPITAL_ADMIN,
				organisation: HOSPITAL,
				reason: DenyReason::NotActiveProvider,
			}
			.into(),
		);
	});
}

#[test]
fn errors() {
	with_world(|| {
		physician_may_read();
		add_record(41, P2, Category::LabResults);
		add_record(42, P, Category::Imaging);
		assert_noop!(report_as(STRANGER), Error::<Test>::NotAProvider);
		assert_noop!(report_as(PATIENT), Error::<Test>::NotAProvider);
		assert_noop!(
			Audit::report_access(
				RuntimeOrigin::signed(PHYSICIAN),
				UNKNOWN_PATIENT,
				Category::LabResults,
				Purpose::Treatment,
				READ_GRANT,
				None
			),
			Error::<Test>::UnknownPatient
		);
		let with_record = |record| {
			Audit::report_access(
				RuntimeOrigin::signed(PHYSICIAN),
				P,
				Category::LabResults,
				Purpose::Treatment,
				READ_GRANT,
				Some(record),
			)
		};
		assert_noop!(with_record(43), Error::<Test>::UnknownRecord);
		assert_noop!(with_record(41), Error::<Test>::RecordMismatch);
		assert_noop!(with_record(42), Error::<Test>::RecordMismatch);
		assert_noop!(
			Audit::report_access(
				RuntimeOrigin::none(),
				P,
				Category::LabResults,
				Purpose::Treatment,
				READ_GRANT,
				None
			),
			DispatchError::BadOrigin
		);
		crate::Trails::<Test>::insert(
			P,
			medchain_primitives::TrailHead {
				last_seq: u64::MAX,
				head: medchain_primitives::Hash32::repeat_byte(1),
				last_block: 1,
			},
		);
		assert_noop!(report_as(PHYSICIAN), Error::<Test>::TrailExhausted);
	});
}
