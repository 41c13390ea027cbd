//! amend: a new version supersedes the current one; history is never overwritten and can be
//! walked both ways.

use frame::testing_prelude::*;
use medchain_primitives::{AuditAction, RecordStatus};

use super::*;
use crate::{Anchors, Error, Event, PatientRecords};

fn amend(who: u64, record: RecordId, n: u8) -> DispatchResult {
	plain(Records::amend(RuntimeOrigin::signed(who), record, hash(n), locator()))
}

#[test]
fn amending_anchors_a_new_version_and_supersedes_the_old() {
	with_world(|| {
		let v1 = lab_result();
		set_now(NOW + 5);
		assert_ok!(amend(LAB_TECHNICIAN, v1, 2));
		let v2 = v1 + 1;
		System::assert_last_event(
			Event::RecordAmended {
				record_id: v2,
				supersedes: v1,
				patient: P,
				content_hash: hash(2),
				author: LAB_TECHNICIAN,
			}
			.into(),
		);
		let old = Anchors::<Test>::get(v1).unwrap();
		let new = Anchors::<Test>::get(v2).unwrap();
		// The old version is untouched but for its status and forward link.
		assert_eq!(
			(old.status, old.superseded_by, old.content_hash),
			(RecordStatus::Superseded, Some(v2), hash(1))
		);
		assert_eq!(old.locator, locator());
		assert_eq!(
			(new.status, new.supersedes, new.content_hash, new.created_at),
			(RecordStatus::Current, Some(v1), hash(2), NOW + 5)
		);
		assert_eq!(
			(new.patient, new.category, new.purpose),
			(old.patient, old.category, old.purpose)
		);
		assert!(PatientRecords::<Test>::contains_key(P, v2));
		let audited = last_audited().unwrap();
		assert_eq!(
			(audited.action, audited.record, audited.consent),
			(AuditAction::RecordAmended, Some(v2), Some(LAB_GRANT))
		);
	});
}

#[test]
fn a_chain_of_versions_can_be_walked_both_ways() {
	with_world(|| {
		let v1 = lab_result();
		assert_ok!(amend(LAB_TECHNICIAN, v1, 2));
		assert_ok!(amend(LAB_TECHNICIAN, v1 + 1, 3));
		assert_ok!(amend(LAB_TECHNICIAN, v1 + 2, 4));
		let mut forward = vec![v1];
		while let Some(next) = Anchors::<Test>::get(*forward.last().unwrap()).unwrap().superseded_by
		{
			forward.push(next);
		}
		let mut backward = vec![*forward.last().unwrap()];
		while let Some(previous) =
			Anchors::<Test>::get(*backward.last().unwrap()).unwrap().supersedes
		{
			backward.push(previous);
		}
		backward.reverse();
		assert_eq!(forward, vec![v1, v1 + 1, v1 + 2, v1 + 3]);
		assert_eq!(backward, forward);
		let hashes: Vec<_> = forward
			.iter()
			.map(|id| Anchors::<Test>::get(id).unwrap().content_hash)
			.collect();
		assert_eq!(hashes, vec![hash(1), hash(2), hash(3), hash(4)]);
	});
}

#[test]
fn only_the_current_version_can_be_amended() {
	with_world(|| {
		let v1 = lab_result();
		assert_ok!(amend(LAB_TECHNICIAN, v1, 2));
		assert_noop!(amend(LAB_TECHNICIAN, v1, 3), Error::<Test>::NotCurrent);
		assert_ok!(Records::mark_entered_in_error(RuntimeOrigin::signed(LAB_TECHNICIAN), v1 + 1));
		assert_noop!(amend(LAB_TECHNICIAN, v1 + 1, 3), Error::<Test>::NotCurrent);
	});
}

#[test]
fn errors() {
	with_world(|| {
		let v1 = lab_result();
		assert_noop!(amend(LAB_TECHNICIAN, 99, 2), Error::<Test>::UnknownRecord);
		// Another organisation, even with an Append grant of its own.
		permit(
			P,
			PHYSICIAN,
			medchain_primitives::Category::LabResults,
			medchain_primitives::Purpose::Treatment,
			medchain_primitives::Action::Append,
			medchain_primitives::ConsentRef::Grant(8),
		);
		assert_noop!(amend(PHYSICIAN, v1, 2), Error::<Test>::NotRecordAuthor);
		assert_noop!(amend(PATIENT, v1, 2), Error::<Test>::NotRecordAuthor);
		assert_noop!(
			Records::amend(
				RuntimeOrigin::signed(LAB_TECHNICIAN),
				v1,
				Default::default(),
				locator()
			),
			Error::<Test>::NoContentHash
		);
		// The author's side without a grant in force any more.
		withdraw(LAB_GRANT);
		assert_noop!(amend(LAB_TECHNICIAN, v1, 2), Error::<Test>::NoAppendGrant);
	});
}
