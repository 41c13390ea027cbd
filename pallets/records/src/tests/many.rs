//! anchor_many: many records in one transaction, each anchored as `anchor` anchors it, under the
//! basis it names; all or nothing.

use codec::{Decode, Encode};
use frame::testing_prelude::*;
use medchain_primitives::{
	Action, AuditAction, Category, ConsentRef, PatientId, Purpose, RecordStatus,
};

use super::*;
use crate::{Anchors, Call, Error, Event, NewRecord, PatientRecords, WeightInfo};

/// Lab results of `patient` for Treatment with hash `hash(n)`, under `basis`.
fn lab_record(patient: PatientId, n: u8, basis: Option<ConsentRef>) -> NewRecord {
	NewRecord {
		patient,
		category: Category::LabResults,
		purpose: Purpose::Treatment,
		content_hash: hash(n),
		locator: locator(),
		basis,
	}
}

/// The grant the consent double says lets the lab technician append lab results of `P2`.
const LAB_GRANT_P2: ConsentRef = ConsentRef::Grant(6);

fn lab_may_append_to_both() {
	lab_may_append();
	permit(
		P2,
		LAB_TECHNICIAN,
		Category::LabResults,
		Purpose::Treatment,
		Action::Append,
		LAB_GRANT_P2,
	);
}

fn many(who: u64, records: Vec<NewRecord>) -> DispatchResultWithPostInfo {
	Records::anchor_many(
		RuntimeOrigin::signed(who),
		BoundedVec::try_from(records).expect("within the mock's MaxAnchorsPerCall"),
	)
}

#[test]
fn a_practitioner_anchors_records_of_several_patients_each_under_its_grant() {
	with_world(|| {
		lab_may_append_to_both();
		let records = vec![
			lab_record(P, 1, Some(LAB_GRANT)),
			lab_record(P2, 2, Some(LAB_GRANT_P2)),
			lab_record(P, 3, Some(LAB_GRANT)),
		];
		let post = many(LAB_TECHNICIAN, records.clone()).unwrap();
		assert_eq!(post.actual_weight, Some(<() as WeightInfo>::anchor_many(3)));

		// Each as `anchor` anchors it: its id, its index entry, its audit entry, its event.
		for (record_id, record) in (0..).zip(&records) {
			let stored = Anchors::<Test>::get(record_id).expect("anchored");
			assert_eq!(
				(stored.patient, stored.content_hash, stored.author, stored.author_org),
				(record.patient, record.content_hash, LAB_TECHNICIAN, Some(LAB))
			);
			assert_eq!(
				(stored.category, stored.purpose, stored.locator, stored.created_at),
				(Category::LabResults, Purpose::Treatment, locator(), NOW)
			);
			assert_eq!(stored.status, RecordStatus::Current);
			assert!(PatientRecords::<Test>::contains_key(record.patient, record_id));
			System::assert_has_event(
				Event::RecordAnchored {
					record_id,
					patient: record.patient,
					content_hash: record.content_hash,
					author: LAB_TECHNICIAN,
					author_org: Some(LAB),
				}
				.into(),
			);
		}
		System::assert_last_event(
			Event::RecordAnchored {
				record_id: 2,
				patient: P,
				content_hash: hash(3),
				author: LAB_TECHNICIAN,
				author_org: Some(LAB),
			}
			.into(),
		);
		let trail: Vec<_> = audited()
			.into_iter()
			.map(|e| (e.patient, e.action, e.record, e.consent))
			.collect();
		assert_eq!(
			trail,
			vec![
				(P, AuditAction::RecordAnchored, Some(0), Some(LAB_GRANT)),
				(P2, AuditAction::RecordAnchored, Some(1), Some(LAB_GRANT_P2)),
				(P, AuditAction::RecordAnchored, Some(2), Some(LAB_GRANT)),
			]
		);
		assert_eq!(crate::NextRecordId::<Test>::get(), 3);
	});
}

#[test]
fn the_patient_anchors_its_own_records_without_a_basis_and_pays_for_no_check() {
	with_world(|| {
		let records = vec![lab_record(P, 1, None), lab_record(P, 2, None)];
		let call =
			Call::<Test>::anchor_many { records: BoundedVec::try_from(records.clone()).unwrap() };
		let declared =
			<Call<Test> as frame::prelude::GetDispatchInfo>::get_dispatch_info(&call).call_weight;
		assert_eq!(declared, <() as WeightInfo>::anchor_many(2));

		let post = many(PATIENT, records).unwrap();
		assert_eq!(post.actual_weight, Some(<() as WeightInfo>::anchor_many_by_patient(2)));
		System::assert_last_event(
			Event::RecordAnchored {
				record_id: 1,
				patient: P,
				content_hash: hash(2),
				author: PATIENT,
				author_org: None,
			}
			.into(),
		);
		assert_eq!(last_audited().unwrap().consent, None);
		assert_eq!(PatientRecords::<Test>::iter_key_prefix(P).count(), 2);
	});
}

#[test]
fn errors() {
	with_world(|| {
		lab_may_append_to_both();
		let granted = lab_record(P, 1, Some(LAB_GRANT));
		assert_noop!(plain(many(LAB_TECHNICIAN, vec![])), Error::<Test>::EmptyBatch);
		assert_noop!(
			plain(many(LAB_TECHNICIAN, vec![NewRecord { content_hash: hash(0), ..granted }])),
			Error::<Test>::NoContentHash
		);
		assert_noop!(
			plain(many(LAB_TECHNICIAN, vec![NewRecord { patient: UNKNOWN_PATIENT, ..granted }])),
			Error::<Test>::UnknownPatient
		);
		// A provider names what permits it; only the patient anchors without a basis.
		assert_noop!(
			plain(many(LAB_TECHNICIAN, vec![lab_record(P, 1, None)])),
			Error::<Test>::BasisRequired
		);
		assert_noop!(
			plain(many(PATIENT_2, vec![lab_record(P, 1, None)])),
			Error::<Test>::BasisRequired
		);
		assert_noop!(plain(many(STRANGER, vec![granted])), Error::<Test>::NotActiveProvider);
		assert_noop!(
			plain(many(LAB_TECHNICIAN, vec![NewRecord { category: Category::Imaging, ..granted }])),
			Error::<Test>::NoAppendGrant
		);
		deny(P, LAB_TECHNICIAN);
		assert_noop!(plain(many(LAB_TECHNICIAN, vec![granted])), Error::<Test>::DeniedByPatient);
	});
}

#[test]
fn one_refused_record_anchors_none_of_them() {
	with_world(|| {
		lab_may_append();
		// The first record is permitted, the second (P2: no grant to the lab) is not.
		let records = vec![lab_record(P, 1, Some(LAB_GRANT)), lab_record(P2, 2, Some(LAB_GRANT))];
		assert_noop!(plain(many(LAB_TECHNICIAN, records)), Error::<Test>::NoAppendGrant);
		// The patient's own record beside another patient's.
		let records = vec![lab_record(P, 1, None), lab_record(P2, 2, None)];
		assert_noop!(plain(many(PATIENT, records)), Error::<Test>::BasisRequired);
		assert_eq!(crate::NextRecordId::<Test>::get(), 0);
	});
}

#[test]
fn a_basis_permits_only_what_it_covers_for_whom_it_names() {
	with_world(|| {
		lab_may_append();
		permit(
			P,
			PHYSICIAN,
			Category::LabResults,
			Purpose::Treatment,
			Action::Append,
			ConsentRef::Grant(8),
		);
		permit(
			P,
			LAB_TECHNICIAN_2,
			Category::LabResults,
			Purpose::Treatment,
			Action::Read,
			ConsentRef::Grant(9),
		);
		permit(
			P,
			LAB_TECHNICIAN,
			Category::LabResults,
			Purpose::Emergency,
			Action::Append,
			ConsentRef::Emergency(4),
		);
		let refused = [
			// Another practitioner's grant.
			(LAB_TECHNICIAN, lab_record(P, 1, Some(ConsentRef::Grant(8)))),
			// P's grant named for P2's record.
			(LAB_TECHNICIAN, lab_record(P2, 1, Some(LAB_GRANT))),
			// A Read grant for an Append.
			(LAB_TECHNICIAN_2, lab_record(P, 1, Some(ConsentRef::Grant(9)))),
			// An emergency access for another purpose than Emergency.
			(LAB_TECHNICIAN, lab_record(P, 1, Some(ConsentRef::Emergency(4)))),
			// A grant for another purpose.
			(
				LAB_TECHNICIAN,
				NewRecord { purpose: Purpose::Research, ..lab_record(P, 1, Some(LAB_GRANT)) },
			),
			// A grant that does not exist, and a deny rule named as if it permitted.
			(LAB_TECHNICIAN, lab_record(P, 1, Some(ConsentRef::Grant(999)))),
			(LAB_TECHNICIAN, lab_record(P, 1, Some(ConsentRef::Deny(0)))),
		];
		for (who, record) in refused {
			assert_noop!(plain(many(who, vec![record])), Error::<Test>::NoAppendGrant);
		}
		// The emergency access permits its own purpose.
		let emergency = NewRecord {
			purpose: Purpose::Emergency,
			..lab_record(P, 1, Some(ConsentRef::Emergency(4)))
		};
		assert_ok!(many(LAB_TECHNICIAN, vec![emergency]));
		assert_eq!(last_audited().unwrap().consent, Some(ConsentRef::Emergency(4)));
		// A revoked grant permits nothing.
		withdraw(LAB_GRANT);
		assert_noop!(
			plain(many(LAB_TECHNICIAN, vec![lab_record(P, 2, Some(LAB_GRANT))])),
			Error::<Test>::NoAppendGrant
		);
	});
}

#[test]
fn more_records_than_the_bound_do_not_decode() {
	let max = <Test as crate::Config>::MaxAnchorsPerCall::get() as usize;
	let records = vec![lab_record(P, 1, None); max + 1];
	// The call as a client would encode it: the bound is checked before any record is decoded.
	let mut encoded = Call::<Test>::anchor_many {
		records: BoundedVec::try_from(records[..max].to_vec()).unwrap(),
	}
	.encode();
	assert!(Call::<Test>::decode(&mut &encoded[..]).is_ok());
	encoded.truncate(1);
	encoded.extend(records.encode());
	assert!(Call::<Test>::decode(&mut &encoded[..]).is_err());
}

#[test]
fn a_patient_anchors_a_bounded_number_of_its_own_records() {
	// N-4 (security review 2026-12): one patient could add ~1 GB of permanent state a day with
	// its own anchor_many. The mock allows 6 a day and 10 in all, by any call.
	with_world(|| {
		let own = |n: u8| lab_record(P, n, None);
		assert_ok!(many(PATIENT, vec![own(1), own(2), own(3), own(4)]));
		assert_ok!(plain(Records::anchor(
			RuntimeOrigin::signed(PATIENT),
			P,
			Category::LabResults,
			Purpose::Treatment,
			hash(5),
			locator(),
		)));
		assert_ok!(plain(Records::amend(RuntimeOrigin::signed(PATIENT), 4, hash(6), locator())));
		assert_noop!(many(PATIENT, vec![own(7)]), Error::<Test>::TooManySelfAnchorsInPeriod);
		assert_eq!(crate::SelfAnchors::<Test>::get(P).total, 6);
		// What providers anchor for the patient does not count.
		lab_may_append();
		assert_ok!(anchor_as(LAB_TECHNICIAN));
		// Another patient has its own quota.
		assert_ok!(many(PATIENT_2, vec![lab_record(P2, 8, None)]));

		set_now(NOW + DAY);
		assert_ok!(many(PATIENT, vec![own(9), own(10), own(11), own(12)]));
		// Ten in all: the quota is reached, whatever the period.
		assert_noop!(many(PATIENT, vec![own(13)]), Error::<Test>::SelfAnchorQuotaReached);
		set_now(NOW + 100 * DAY);
		assert_noop!(many(PATIENT, vec![own(13)]), Error::<Test>::SelfAnchorQuotaReached);
	});
}
