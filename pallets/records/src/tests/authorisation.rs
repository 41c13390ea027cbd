//! The authorisation matrix: for every call, which actor succeeds and which gets which error.
//!
//! Actors: governance (Root), the patient, another patient, the lab technician whom the
//! patient granted Append on LabResults (the author of the record the calls act on), the
//! lab's admin (no grant of its own), a practitioner of another organisation, the lab
//! technician once the lab is suspended, a stranger.

use frame::testing_prelude::*;
use medchain_primitives::Category;

use super::*;
use crate::Error;

medchain_primitives::authorisation_matrix! {
	Governance => root,
	Patient => PATIENT,
	OtherPatient => PATIENT_2,
	GrantedPractitioner => LAB_TECHNICIAN,
	AdminOfItsOrganisation => LAB_ADMIN,
	PractitionerOtherOrg => PHYSICIAN,
	PractitionerSuspendedOrg => { suspend(LAB); LAB_TECHNICIAN },
	Stranger => STRANGER,
}

type Expected = Result<(), DispatchError>;

fn err(e: Error<Test>) -> Expected {
	Err(e.into())
}
const BAD_ORIGIN: Expected = Err(DispatchError::BadOrigin);

#[test]
fn anchor() {
	check(
		lab_result,
		|o| {
			plain(Records::anchor(
				o,
				P,
				Category::LabResults,
				Purpose::Treatment,
				hash(2),
				locator(),
			))
		},
		|actor| match actor {
			Governance => BAD_ORIGIN,
			Patient => Ok(()),
			OtherPatient => err(Error::NotActiveProvider),
			GrantedPractitioner => Ok(()),
			AdminOfItsOrganisation => err(Error::NoAppendGrant),
			PractitionerOtherOrg => err(Error::NoAppendGrant),
			PractitionerSuspendedOrg => err(Error::NotActiveProvider),
			Stranger => err(Error::NotActiveProvider),
		},
	);
}

/// `anchor_many` with one lab result of `P`, under `basis`.
fn anchor_many(o: RuntimeOrigin, basis: Option<medchain_primitives::ConsentRef>) -> Expected {
	let record = crate::NewRecord {
		patient: P,
		category: Category::LabResults,
		purpose: Purpose::Treatment,
		content_hash: hash(2),
		locator: locator(),
		basis,
	};
	plain(Records::anchor_many(o, BoundedVec::try_from(vec![record]).unwrap()))
}

#[test]
fn anchor_many_under_the_lab_grant() {
	check(
		lab_result,
		|o| anchor_many(o, Some(LAB_GRANT)),
		|actor| match actor {
			Governance => BAD_ORIGIN,
			// The grant is the lab technician's: the patient anchors its own without one.
			Patient => err(Error::NotActiveProvider),
			OtherPatient => err(Error::NotActiveProvider),
			GrantedPractitioner => Ok(()),
			AdminOfItsOrganisation => err(Error::NoAppendGrant),
			PractitionerOtherOrg => err(Error::NoAppendGrant),
			PractitionerSuspendedOrg => err(Error::NotActiveProvider),
			Stranger => err(Error::NotActiveProvider),
		},
	);
}

#[test]
fn anchor_many_without_a_basis() {
	check(
		lab_result,
		|o| anchor_many(o, None),
		|actor| match actor {
			Governance => BAD_ORIGIN,
			Patient => Ok(()),
			OtherPatient
			| GrantedPractitioner
			| AdminOfItsOrganisation
			| PractitionerOtherOrg
			| PractitionerSuspendedOrg
			| Stranger => err(Error::BasisRequired),
		},
	);
}

#[test]
fn amend() {
	check(
		lab_result,
		|o| plain(Records::amend(o, 0, hash(2), locator())),
		|actor| match actor {
			Governance => BAD_ORIGIN,
			Patient => err(Error::NotRecordAuthor),
			OtherPatient => err(Error::NotRecordAuthor),
			GrantedPractitioner => Ok(()),
			// On the author's side, but the patient granted the technician, not the admin.
			AdminOfItsOrganisation => err(Error::NoAppendGrant),
			PractitionerOtherOrg => err(Error::NotRecordAuthor),
			PractitionerSuspendedOrg => err(Error::NotRecordAuthor),
			Stranger => err(Error::NotRecordAuthor),
		},
	);
}

/// mark_entered_in_error and erase have the same matrix: the author's side only.
fn author_side_matrix(call: impl Fn(RuntimeOrigin) -> DispatchResult) {
	check(lab_result, call, |actor| match actor {
		Governance => BAD_ORIGIN,
		Patient => err(Error::NotRecordAuthor),
		OtherPatient => err(Error::NotRecordAuthor),
		GrantedPractitioner => Ok(()),
		AdminOfItsOrganisation => Ok(()),
		PractitionerOtherOrg => err(Error::NotRecordAuthor),
		PractitionerSuspendedOrg => err(Error::NotRecordAuthor),
		Stranger => err(Error::NotRecordAuthor),
	});
}

#[test]
fn mark_entered_in_error() {
	author_side_matrix(|o| Records::mark_entered_in_error(o, 0));
}

#[test]
fn erase() {
	author_side_matrix(|o| Records::erase(o, 0));
}

#[test]
fn anchor_batch() {
	check(
		lab_result,
		|o| Records::anchor_batch(o, hash(3), 10, Category::LabResults),
		|actor| match actor {
			Governance => BAD_ORIGIN,
			Patient => err(Error::NotActiveProvider),
			OtherPatient => err(Error::NotActiveProvider),
			GrantedPractitioner => Ok(()),
			AdminOfItsOrganisation => Ok(()),
			PractitionerOtherOrg => Ok(()),
			PractitionerSuspendedOrg => err(Error::NotActiveProvider),
			Stranger => err(Error::NotActiveProvider),
		},
	);
}

#[test]
fn a_record_the_patient_anchored_is_changed_by_the_patient_only() {
	for (actor, outcome) in [
		(Patient, Ok(())),
		(OtherPatient, err(Error::NotRecordAuthor)),
		(GrantedPractitioner, err(Error::NotRecordAuthor)),
		(AdminOfItsOrganisation, err(Error::NotRecordAuthor)),
		(Stranger, err(Error::NotRecordAuthor)),
	] {
		for call in 0..3 {
			with_world(|| {
				lab_may_append();
				assert_ok!(anchor_as(PATIENT));
				let o = origin(actor);
				let result = match call {
					0 => plain(Records::amend(o, 0, hash(2), locator())),
					1 => Records::mark_entered_in_error(o, 0),
					_ => Records::erase(o, 0),
				};
				assert_eq!(result, outcome, "{actor:?}, call {call}");
			});
		}
	}
}
