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

medchain_primitives::authorisation_matrix! {
	Governance => root,
	Patient => PATIENT,
	GrantedPhysician => PHYSICIAN,
	NurseWithoutGrant => NURSE,
	HospitalAdmin => HOSPITAL_ADMIN,
	AdminOfSuspendedOrg => { suspend(LAB); LAB_ADMIN },
	OtherOrgPractitioner => LAB_TECHNICIAN,
	Stranger => STRANGER,
}

/// Accepted with this outcome in the trail, or refused with this error.
type Expected = Result<AuditOutcome, DispatchError>;

/// Who may report under the physician's grant, and with which outcome in the trail.
fn expected(actor: Actor) -> Expected {
	let not_a_provider = Err(Error::<Test>::NotAProvider.into());
	let unrelated = Err(Error::<Test>::UnrelatedBasis.into());
	match actor {
		Governance => Err(DispatchError::BadOrigin),
		Patient | Stranger => not_a_provider,
		GrantedPhysician => Ok(AuditOutcome::Permitted),
		NurseWithoutGrant | HospitalAdmin | AdminOfSuspendedOrg | OtherOrgPractitioner => unrelated,
	}
}

/// Runs the report as every actor after the patient granted the physician Read; a report
/// accepted is compared by the outcome its entry records.
fn check_report(call: impl Fn(RuntimeOrigin) -> DispatchResult) {
	check(
		physician_may_read,
		|o| call(o).map(|()| entries_from_events(P)[0].event.outcome),
		expected,
	);
}

#[test]
fn report_access() {
	check_report(|o| {
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
	check_report(|o| {
		Audit::report_access_batch(
			o,
			BoundedVec::try_from(vec![AccessReport {
				patient: P,
				category: Category::LabResults,
				purpose: Purpose::Treatment,
				basis: READ_GRANT,
				record: Some(LAB_RECORD),
			}])
			.expect("one report is within the bound"),
		)
	});
}

/// Who may relay the physician's signed read (a gateway's key): any provider's account, of any
/// organisation (a read through another organisation's gateway is the same read); the entry is
/// the reader's whoever relays it.
#[test]
fn report_attested() {
	check(
		physician_may_read,
		|o| {
			Audit::report_attested(
				o,
				vec![super::attested::physicians_read()].try_into().expect("one"),
			)
			.map(|_| {
				let e = &entries_from_events(P)[0].event;
				assert_eq!(e.actor, medchain_primitives::Agent::Account(PHYSICIAN));
				e.outcome
			})
			.map_err(|e| e.error)
		},
		|actor| match actor {
			Governance => Err(DispatchError::BadOrigin),
			Patient | Stranger => Err(Error::<Test>::NotAProvider.into()),
			GrantedPhysician | NurseWithoutGrant | HospitalAdmin | AdminOfSuspendedOrg
			| OtherOrgPractitioner => Ok(AuditOutcome::Permitted),
		},
	);
}
