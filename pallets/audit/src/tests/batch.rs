//! report_access_batch: many reads in order, all or nothing.

use frame::testing_prelude::*;
use medchain_primitives::{AuditOutcome, Purpose};

use super::*;
use crate::{AccessReport, Error};

fn reports(reports: Vec<AccessReport>) -> BoundedVec<AccessReport, MaxReportsPerBatch> {
	BoundedVec::try_from(reports).expect("within MaxReportsPerBatch")
}

fn read(patient: PatientId, record: Option<RecordId>) -> AccessReport {
	AccessReport {
		patient,
		category: Category::LabResults,
		purpose: Purpose::Treatment,
		basis: READ_GRANT,
		record,
	}
}

#[test]
fn a_batch_appends_one_entry_per_report_in_order() {
	with_world(|| {
		physician_may_read();
		permit(P2, PHYSICIAN, Category::LabResults, Purpose::Treatment, Action::Read, READ_GRANT);
		assert_ok!(Audit::report_access_batch(
			RuntimeOrigin::signed(PHYSICIAN),
			reports(vec![read(P, Some(LAB_RECORD)), read(P2, None), read(P, None)])
		));
		let of_p: Vec<_> = entries_from_events(P).iter().map(|e| (e.seq, e.event.record)).collect();
		assert_eq!(of_p, vec![(1, Some(LAB_RECORD)), (2, None)]);
		assert_eq!(entries_from_events(P2).len(), 1);
		assert_eq!(Audit::trail_head(P).last_seq, 2);
	});
}

#[test]
fn a_batch_records_denied_reads_flagged_among_permitted_ones() {
	with_world(|| {
		physician_may_read();
		// The physician's grant for P2 was revoked.
		permit(P2, PHYSICIAN, Category::LabResults, Purpose::Treatment, Action::Read, READ_GRANT);
		withdraw(READ_GRANT);
		physician_may_read();
		assert_ok!(Audit::report_access_batch(
			RuntimeOrigin::signed(PHYSICIAN),
			reports(vec![read(P, None), read(P2, None)])
		));
		assert_eq!(entries_from_events(P)[0].event.outcome, AuditOutcome::Permitted);
		assert_eq!(entries_from_events(P2)[0].event.outcome, AuditOutcome::Denied);
		System::assert_last_event(
			Event::AccessReportFlagged {
				patient: P2,
				seq: 1,
				reporter: PHYSICIAN,
				organisation: HOSPITAL,
				reason: medchain_primitives::DenyReason::NoGrant,
			}
			.into(),
		);
	});
}

#[test]
fn one_invalid_report_fails_the_whole_batch() {
	with_world(|| {
		physician_may_read();
		assert_noop!(
			Audit::report_access_batch(
				RuntimeOrigin::signed(PHYSICIAN),
				reports(vec![read(P, None), read(UNKNOWN_PATIENT, None)])
			),
			Error::<Test>::UnknownPatient
		);
		assert_eq!(Audit::trail_head(P).last_seq, 0);
	});
}

#[test]
fn errors() {
	with_world(|| {
		physician_may_read();
		assert_noop!(
			Audit::report_access_batch(RuntimeOrigin::signed(PHYSICIAN), reports(vec![])),
			Error::<Test>::EmptyBatch
		);
		assert_ok!(Audit::report_access_batch(
			RuntimeOrigin::signed(PHYSICIAN),
			reports(vec![read(P, None); MaxReportsPerBatch::get() as usize])
		));
		assert_noop!(
			Audit::report_access_batch(
				RuntimeOrigin::signed(STRANGER),
				reports(vec![read(P, None)])
			),
			Error::<Test>::NotAProvider
		);
		assert_noop!(
			Audit::report_access_batch(RuntimeOrigin::none(), reports(vec![read(P, None)])),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn more_reports_than_the_bound_do_not_decode() {
	let max = MaxReportsPerBatch::get() as usize;
	let too_many = vec![read(P, None); max + 1];
	// The call as a client encodes it: the bound is checked before any report is decoded.
	let mut encoded =
		crate::Call::<Test>::report_access_batch { reports: reports(too_many[..max].to_vec()) }
			.encode();
	assert!(crate::Call::<Test>::decode(&mut &encoded[..]).is_ok());
	encoded.truncate(1);
	encoded.extend(too_many.encode());
	assert!(crate::Call::<Test>::decode(&mut &encoded[..]).is_err());
}
