//! mark_entered_in_error and erase.

use frame::testing_prelude::*;
use medchain_primitives::{Agent, AuditAction, RecordStatus};

use super::*;
use crate::{Anchors, Error, Event};

#[test]
fn the_author_side_marks_a_record_entered_in_error() {
	with_world(|| {
		let id = lab_result();
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(LAB_ADMIN), id));
		System::assert_last_event(Event::RecordEnteredInError { record_id: id, patient: P, by: LAB_ADMIN }.into());
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
		assert_noop!(Records::mark_entered_in_error(RuntimeOrigin::signed(LAB_TECHNICIAN), 99), Error::<Test>::UnknownRecord);
		assert_noop!(Records::mark_entered_in_error(RuntimeOrigin::signed(PHYSICIAN), id), Error::<Test>::NotRecordAuthor);
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(LAB_TECHNICIAN), id));
		assert_noop!(Records::mark_entered_in_error(RuntimeOrigin::signed(LAB_TECHNICIAN), id), Error::<Test>::NotCurrent);
	});
}

#[test]
fn erasing_keeps_the_hash_and_drops_the_locator() {
	with_world(|| {
		let id = lab_result();
		assert_ok!(Records::erase(RuntimeOrigin::signed(LAB_TECHNICIAN), id));
		System::assert_last_event(Event::RecordErased { record_id: id, patient: P, by: LAB_TECHNICIAN }.into());
		let record = Anchors::<Test>::get(id).unwrap();
		assert_eq!(record.status, RecordStatus::Erased);
		assert_eq!(record.content_hash, hash(1));
		assert!(record.locator.is_empty());
		assert_eq!(last_audited().unwrap().action, AuditAction::RecordErased);
		assert_noop!(Records::erase(RuntimeOrigin::signed(LAB_TECHNICIAN), id), Error::<Test>::AlreadyErased);
	});
}

#[test]
fn any_version_can_be_erased_and_the_history_stays_linked() {
	with_world(|| {
		let v1 = lab_result();
		assert_ok!(Records::amend(RuntimeOrigin::signed(LAB_TECHNICIAN), v1, hash(2), vec![]));
		assert_ok!(Records::erase(RuntimeOrigin::signed(LAB_TECHNICIAN), v1));
		assert_eq!(Anchors::<Test>::get(v1).unwrap().superseded_by, Some(v1 + 1));
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(LAB_TECHNICIAN), v1 + 1));
		assert_ok!(Records::erase(RuntimeOrigin::signed(LAB_TECHNICIAN), v1 + 1));
	});
}

#[test]
fn a_suspended_organisations_admin_can_still_erase() {
	with_world(|| {
		let id = lab_result();
		suspend(LAB);
		assert_noop!(Records::erase(RuntimeOrigin::signed(LAB_TECHNICIAN), id), Error::<Test>::NotRecordAuthor);
		assert_ok!(Records::erase(RuntimeOrigin::signed(LAB_ADMIN), id));
	});
}

#[test]
fn erase_errors() {
	with_world(|| {
		let id = lab_result();
		assert_noop!(Records::erase(RuntimeOrigin::signed(LAB_TECHNICIAN), 99), Error::<Test>::UnknownRecord);
		for outsider in [PHYSICIAN, HOSPITAL_ADMIN, PATIENT, STRANGER] {
			assert_noop!(Records::erase(RuntimeOrigin::signed(outsider), id), Error::<Test>::NotRecordAuthor);
		}
		assert_noop!(Records::erase(RuntimeOrigin::none(), id), DispatchError::BadOrigin);
	});
}
