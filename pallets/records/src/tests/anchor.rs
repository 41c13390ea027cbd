//! anchor: who may anchor what, and what is stored, indexed and audited.

use frame::testing_prelude::*;
use medchain_primitives::{
	Action, Agent, AuditAction, AuditEvent, AuditOutcome, Category, ConsentRef, Purpose,
	RecordStatus,
};

use super::*;
use crate::{Anchor, Anchors, Error, Event, PatientRecords};

#[test]
fn a_practitioner_with_an_append_grant_anchors_a_record() {
	with_world(|| {
		lab_may_append();
		assert_ok!(anchor_as(LAB_TECHNICIAN));
		System::assert_last_event(
			Event::RecordAnchored {
				record_id: 0,
				patient: P,
				content_hash: hash(1),
				author: LAB_TECHNICIAN,
				author_org: Some(LAB),
			}
			.into(),
		);
		assert_eq!(
			Anchors::<Test>::get(0),
			Some(Anchor {
				patient: P,
				category: Category::LabResults,
				purpose: Purpose::Treatment,
				content_hash: hash(1),
				author: LAB_TECHNICIAN,
				author_org: Some(LAB),
				created_at: NOW,
				locator: locator(),
				supersedes: None,
				superseded_by: None,
				status: RecordStatus::Current,
			})
		);
		assert!(PatientRecords::<Test>::contains_key(P, 0));
		assert_eq!(
			last_audited(),
			Some(AuditEvent {
				patient: P,
				action: AuditAction::RecordAnchored,
				actor: Agent::Account(LAB_TECHNICIAN),
				organisation: Some(LAB),
				categories: Category::LabResults.into(),
				purposes: Purpose::Treatment.into(),
				outcome: AuditOutcome::Success,
				record: Some(0),
				consent: Some(LAB_GRANT),
				subject: None,
			})
		);
	});
}

#[test]
fn the_patient_anchors_its_own_records_without_a_grant() {
	with_world(|| {
		assert_ok!(anchor_as(PATIENT));
		let record = Anchors::<Test>::get(0).unwrap();
		assert_eq!((record.author, record.author_org), (PATIENT, None));
		assert_eq!(last_audited().unwrap().consent, None);
		// But not another patient's.
		assert_noop!(
			Records::anchor(
				RuntimeOrigin::signed(PATIENT_2),
				P,
				Category::LabResults,
				Purpose::Treatment,
				hash(1),
				locator()
			),
			Error::<Test>::NotActiveProvider
		);
	});
}

#[test]
fn an_emergency_access_lets_a_practitioner_anchor_for_the_purpose_emergency() {
	with_world(|| {
		permit(
			P,
			PHYSICIAN,
			Category::Allergies,
			Purpose::Emergency,
			Action::Append,
			ConsentRef::Emergency(3),
		);
		assert_ok!(Records::anchor(
			RuntimeOrigin::signed(PHYSICIAN),
			P,
			Category::Allergies,
			Purpose::Emergency,
			hash(9),
			locator()
		));
		assert_eq!(last_audited().unwrap().consent, Some(ConsentRef::Emergency(3)));
	});
}

#[test]
fn ids_are_sequential_and_each_patient_has_its_index() {
	with_world(|| {
		lab_may_append();
		permit(
			P2,
			LAB_TECHNICIAN,
			Category::LabResults,
			Purpose::Treatment,
			Action::Append,
			ConsentRef::Grant(6),
		);
		assert_ok!(anchor_as(LAB_TECHNICIAN));
		assert_ok!(Records::anchor(
			RuntimeOrigin::signed(LAB_TECHNICIAN),
			P2,
			Category::LabResults,
			Purpose::Treatment,
			hash(2),
			locator()
		));
		assert_ok!(anchor_as(LAB_TECHNICIAN));
		let mut of_p: Vec<_> = PatientRecords::<Test>::iter_key_prefix(P).collect();
		of_p.sort();
		assert_eq!(of_p, vec![0, 2]);
		assert_eq!(PatientRecords::<Test>::iter_key_prefix(P2).collect::<Vec<_>>(), vec![1]);
	});
}

#[test]
fn without_an_append_grant_for_that_category_and_purpose_anchoring_fails() {
	with_world(|| {
		assert_noop!(anchor_as(LAB_TECHNICIAN), Error::<Test>::NoAppendGrant);
		// A Read grant is not enough; nor an Append grant for another category or purpose.
		permit(
			P,
			LAB_TECHNICIAN,
			Category::LabResults,
			Purpose::Treatment,
			Action::Read,
			ConsentRef::Grant(1),
		);
		permit(
			P,
			LAB_TECHNICIAN,
			Category::Imaging,
			Purpose::Treatment,
			Action::Append,
			ConsentRef::Grant(2),
		);
		permit(
			P,
			LAB_TECHNICIAN,
			Category::LabResults,
			Purpose::Research,
			Action::Append,
			ConsentRef::Grant(3),
		);
		assert_noop!(anchor_as(LAB_TECHNICIAN), Error::<Test>::NoAppendGrant);
		// A revoked grant no longer works.
		lab_may_append();
		assert_ok!(anchor_as(LAB_TECHNICIAN));
		withdraw(LAB_GRANT);
		assert_noop!(anchor_as(LAB_TECHNICIAN), Error::<Test>::NoAppendGrant);
	});
}

#[test]
fn errors() {
	with_world(|| {
		lab_may_append();
		assert_noop!(
			Records::anchor(
				RuntimeOrigin::signed(LAB_TECHNICIAN),
				UNKNOWN_PATIENT,
				Category::LabResults,
				Purpose::Treatment,
				hash(1),
				locator()
			),
			Error::<Test>::UnknownPatient
		);
		assert_noop!(anchor_as(STRANGER), Error::<Test>::NotActiveProvider);
		deny(P, LAB_TECHNICIAN);
		assert_noop!(anchor_as(LAB_TECHNICIAN), Error::<Test>::DeniedByPatient);
		reset();
		lab_may_append();
		assert_noop!(
			Records::anchor(
				RuntimeOrigin::signed(LAB_TECHNICIAN),
				P,
				Category::LabResults,
				Purpose::Treatment,
				Default::default(),
				locator()
			),
			Error::<Test>::NoContentHash
		);
		assert_ok!(anchor_as(LAB_TECHNICIAN));
		crate::NextRecordId::<Test>::put(u64::MAX);
		assert_noop!(anchor_as(LAB_TECHNICIAN), Error::<Test>::IdsExhausted);
		crate::NextRecordId::<Test>::put(1);
		suspend(LAB);
		assert_noop!(anchor_as(LAB_TECHNICIAN), Error::<Test>::NotActiveProvider);
		assert_noop!(
			Records::anchor(
				RuntimeOrigin::none(),
				P,
				Category::LabResults,
				Purpose::Treatment,
				hash(1),
				locator()
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_patient_anchoring_its_own_record_pays_for_no_consent_check() {
	// L-11: the patient's own anchor was charged a full consent decision it never made.
	with_world(|| {
		let declared = <crate::Call<Test> as frame::prelude::GetDispatchInfo>::get_dispatch_info(
			&crate::Call::anchor {
				patient: P,
				category: Category::LabResults,
				purpose: Purpose::Treatment,
				content_hash: hash(1),
				locator: locator(),
			},
		)
		.call_weight;
		let own = Records::anchor(
			RuntimeOrigin::signed(PATIENT),
			P,
			Category::LabResults,
			Purpose::Treatment,
			hash(1),
			locator(),
		)
		.unwrap();
		let charged = own.actual_weight.expect("the patient's anchor reports what it used");
		assert!(charged.all_lte(declared));
		assert_eq!(charged, <() as crate::WeightInfo>::anchor_by_patient());
		// A practitioner's anchor made the decision: charged for the grants it read (the
		// mock's decision reads one to permit), declared for the most it could read.
		lab_may_append();
		let theirs = Records::anchor(
			RuntimeOrigin::signed(LAB_TECHNICIAN),
			P,
			Category::LabResults,
			Purpose::Treatment,
			hash(1),
			locator(),
		)
		.unwrap();
		assert_eq!(theirs.actual_weight, Some(<() as crate::WeightInfo>::anchor(1)));
		assert_eq!(
			declared,
			<() as crate::WeightInfo>::anchor(medchain_primitives::testing::MAX_GRANTS_READ)
		);
	});
}

#[test]
fn the_anchored_event_carries_no_category() {
	// M-10: the category is in the patient's audit entry; the event does not repeat it.
	let event = Event::<Test>::RecordAnchored {
		record_id: 0,
		patient: P,
		content_hash: hash(1),
		author: 1,
		author_org: None,
	};
	let metadata = scale_info::meta_type::<Event<Test>>();
	let registry = {
		let mut r = scale_info::Registry::new();
		r.register_type(&metadata);
		scale_info::PortableRegistry::from(r)
	};
	let names: Vec<String> = registry
		.types
		.iter()
		.filter_map(|t| match &t.ty.type_def {
			scale_info::TypeDef::Variant(v) => Some(v),
			_ => None,
		})
		.flat_map(|v| v.variants.iter())
		.filter(|v| v.name == "RecordAnchored")
		.flat_map(|v| v.fields.iter().filter_map(|f| f.name.clone()))
		.collect();
	assert_eq!(names, ["record_id", "patient", "content_hash", "author", "author_org"]);
	let _ = event;
}
