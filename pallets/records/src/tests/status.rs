//! mark_entered_in_error and erase.

use frame::testing_prelude::*;
use medchain_primitives::{Agent, AuditAction, RecordStatus, Role};

use super::*;
use crate::{Anchors, Error, Event};

#[test]
fn the_author_side_marks_a_record_entered_in_error() {
	with_world(|| {
		let id = lab_result();
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(LAB_ADMIN), id));
		System::assert_last_event(
			Event::RecordEnteredInError { record_id: id, patient: P, by: LAB_ADMIN }.into(),
		);
		let record = Anchors::<Test>::get(id).unwrap();
		assert_eq!((record.status, record.content_hash), (RecordStatus::EnteredInError, hash(1)));
		let audited = last_audited().unwrap();
		assert_eq!(
			(audited.action, audited.actor, audited.organisation, audited.record),
			(AuditAction::RecordEnteredInError, Agent::Account(LAB_ADMIN), Some(LAB), Some(id))
		);
	});
}

#[test]
fn marking_needs_the_current_version_and_the_author_side() {
	with_world(|| {
		let id = lab_result();
		assert_noop!(
			Records::mark_entered_in_error(RuntimeOrigin::signed(LAB_TECHNICIAN), 99),
			Error::<Test>::UnknownRecord
		);
		assert_noop!(
			Records::mark_entered_in_error(RuntimeOrigin::signed(PHYSICIAN), id),
			Error::<Test>::NotRecordAuthor
		);
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(LAB_TECHNICIAN), id));
		assert_noop!(
			Records::mark_entered_in_error(RuntimeOrigin::signed(LAB_TECHNICIAN), id),
			Error::<Test>::NotCurrent
		);
	});
}

#[test]
fn erasing_keeps_the_hash_and_drops_the_locator() {
	with_world(|| {
		let id = lab_result();
		assert_ok!(Records::erase(RuntimeOrigin::signed(LAB_TECHNICIAN), id));
		System::assert_last_event(
			Event::RecordErased { record_id: id, patient: P, by: LAB_TECHNICIAN }.into(),
		);
		let record = Anchors::<Test>::get(id).unwrap();
		assert_eq!(record.status, RecordStatus::Erased);
		assert_eq!(record.content_hash, hash(1));
		assert!(record.locator.is_zero());
		assert_eq!(last_audited().unwrap().action, AuditAction::RecordErased);
		assert_noop!(
			Records::erase(RuntimeOrigin::signed(LAB_TECHNICIAN), id),
			Error::<Test>::AlreadyErased
		);
	});
}

#[test]
fn any_version_can_be_erased_and_the_history_stays_linked() {
	with_world(|| {
		let v1 = lab_result();
		assert_ok!(Records::amend(RuntimeOrigin::signed(LAB_TECHNICIAN), v1, hash(2), locator()));
		assert_ok!(Records::erase(RuntimeOrigin::signed(LAB_TECHNICIAN), v1));
		assert_eq!(Anchors::<Test>::get(v1).unwrap().superseded_by, Some(v1 + 1));
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(LAB_TECHNICIAN), v1 + 1));
		assert_ok!(Records::erase(RuntimeOrigin::signed(LAB_TECHNICIAN), v1 + 1));
	});
}

#[test]
fn a_suspended_organisations_admin_neither_erases_nor_flags() {
	// N-5 (security review 2026-12): governance's only lever against a compromised admin key was
	// to suspend the organisation, and the admin kept erasing and flagging its records.
	with_world(|| {
		let id = lab_result();
		suspend(LAB);
		for who in [LAB_TECHNICIAN, LAB_ADMIN] {
			assert_noop!(
				Records::erase(RuntimeOrigin::signed(who), id),
				Error::<Test>::NotRecordAuthor
			);
			assert_noop!(
				Records::mark_entered_in_error(RuntimeOrigin::signed(who), id),
				Error::<Test>::NotRecordAuthor
			);
		}
	});
}

#[test]
fn an_active_organisations_admin_erases_its_records() {
	with_world(|| {
		let id = lab_result();
		assert_ok!(Records::erase(RuntimeOrigin::signed(LAB_ADMIN), id));
	});
}

#[test]
fn erase_errors() {
	with_world(|| {
		let id = lab_result();
		assert_noop!(
			Records::erase(RuntimeOrigin::signed(LAB_TECHNICIAN), 99),
			Error::<Test>::UnknownRecord
		);
		for outsider in [PHYSICIAN, HOSPITAL_ADMIN, PATIENT, STRANGER] {
			assert_noop!(
				Records::erase(RuntimeOrigin::signed(outsider), id),
				Error::<Test>::NotRecordAuthor
			);
		}
		assert_noop!(Records::erase(RuntimeOrigin::none(), id), DispatchError::BadOrigin);
	});
}

#[test]
fn only_the_author_or_its_admin_marks_or_erases() {
	// L-1: any practitioner of the authoring organisation, a billing clerk included, could
	// flag or erase every record of it.
	with_world(|| {
		let id = lab_result();
		let clerk = 23;
		join(clerk, LAB, Role::Billing);
		assert_noop!(
			Records::erase(RuntimeOrigin::signed(clerk), id),
			Error::<Test>::NotRecordAuthor
		);
		assert_noop!(
			Records::mark_entered_in_error(RuntimeOrigin::signed(clerk), id),
			Error::<Test>::NotRecordAuthor
		);
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(LAB_TECHNICIAN), id));
	});
}

#[test]
fn an_amendment_entered_in_error_restores_the_version_it_replaced() {
	// L-9: marking the latest amendment left no version Current.
	with_world(|| {
		let v1 = lab_result();
		assert_ok!(Records::amend(RuntimeOrigin::signed(LAB_TECHNICIAN), v1, hash(2), locator()));
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(LAB_TECHNICIAN), v1 + 1));
		let restored = Anchors::<Test>::get(v1).unwrap();
		assert_eq!((restored.status, restored.superseded_by), (RecordStatus::Current, None));
		// It can be amended again.
		assert_ok!(Records::amend(RuntimeOrigin::signed(LAB_TECHNICIAN), v1, hash(3), locator()));
	});
}

#[test]
fn an_amendment_entered_in_error_can_be_erased_and_keeps_its_history() {
	// Found by the runtime fuzzer: erasing an amendment that was entered in error broke the
	// invariant that links versions (the amendment's predecessor no longer points to it).
	with_world(|| {
		let v1 = lab_result();
		assert_ok!(Records::amend(RuntimeOrigin::signed(LAB_TECHNICIAN), v1, hash(2), locator()));
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(LAB_TECHNICIAN), v1 + 1));
		assert_ok!(Records::erase(RuntimeOrigin::signed(LAB_TECHNICIAN), v1 + 1));
		let erased = Anchors::<Test>::get(v1 + 1).unwrap();
		assert_eq!((erased.status, erased.supersedes), (RecordStatus::Erased, Some(v1)));
		assert_eq!(Anchors::<Test>::get(v1).unwrap().status, RecordStatus::Current);
		// with_world checks every invariant of the pallet once the test's calls are done.
	});
}
