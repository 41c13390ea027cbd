//! The authorisation matrix of report_access and report_access_batch: who may report under
//! the physician's grant, and what the trail records (Permitted only for the reader the grant
//! names; a provider the grant does not name may not write into the patient's trail at all).
//!
//! Actors: governance (Root), the patient, the physician the patient granted Read, a nurse of
//! the same hospital (no grant), the hospital's admin, the admin of a suspended organisation,
//! a lab technician (no grant), a stranger.

use frame::testing_prelude::*;
use medchain_primitives::{AuditOutcome, Purpose};

use super::*;
use crate::{AccessReport, Error};

#[derive(Clone, Copy, Debug)]
enum Actor {
	Governance,
	Patient,
	GrantedPhysician,
	NurseWithoutGrant,
	HospitalAdmin,
	AdminOfSuspendedOrg,
	OtherOrgPractitioner,
	Stranger,
}
use Actor::*;

fn origin(actor: Actor) -> RuntimeOrigin {
	let who = match actor {
		Governance => return RuntimeOrigin::root(),
		Patient => PATIENT,
		GrantedPhysician => PHYSICIAN,
		NurseWithoutGrant => NURSE,
		HospitalAdmin => HOSPITAL_ADMIN,
		AdminOfSuspendedOrg => {
			suspend(LAB);
			LAB_ADMIN
		},
		OtherOrgPractitioner => LAB_TECHNICIAN,
		Stranger => STRANGER,
	};
	RuntimeOrigin::signed(who)
}

/// Accepted with this outcome in the trail, or refused with this error.
type Expected = Result<AuditOutcome, DispatchError>;

fn matrix() -> [(Actor, Expected); 8] {
	let not_a_provider = Err(Error::<Test>::NotAProvider.into());
	let unrelated = Err(Error::<Test>::UnrelatedBasis.into());
	[
		(Governance, Err(DispatchError::BadOrigin)),
		(Patient, not_a_provider),
		(GrantedPhysician, Ok(AuditOutcome::Permitted)),
		(NurseWithoutGrant, unrelated),
		(HospitalAdmin, unrelated),
		(AdminOfSuspendedOrg, unrelated),
		(OtherOrgPractitioner, unrelated),
		(Stranger, not_a_provider),
	]
}

fn check(call: impl Fn(RuntimeOrigin) -> DispatchResult) {
	for (actor, expected) in matrix() {
		with_world(|| {
			physician_may_read();
			let result = call(origin(actor)).map(|()| entries_from_events(P)[0].event.outcome);
			assert_eq!(result, expected, "{actor:?}");
		});
	}
}

#[test]
fn report_access() {
	check(|o| {
		Audit::report_access(
			o,
			P,
			Category::LabResults,
			Purpose::Treatment,
			READ_GRANT,
			Some(LAB_RECORD),
		)
	});
}

#[test]
fn report_access_batch() {
	check(|o| {
		Audit::report_access_batch(
			o,
			vec![AccessReport {
				patient: P,
				category: Category::LabResults,
				purpose: Purpose::Treatment,
				basis: READ_GRANT,
				record: Some(LAB_RECORD),
			}],
		)
	});
}
