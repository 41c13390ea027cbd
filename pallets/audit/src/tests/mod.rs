//! Tests of pallet-audit, one file per call or concern. Every test runs in the shared small
//! world (`medchain_primitives::testing`) and checks the pallet's invariants at its end.

mod attested;
mod authorisation;
mod batch;
mod migration;
mod report;
mod trail;

use frame::testing_prelude::*;
use medchain_primitives::{Action, AuditEntry, Category, ConsentRef, PatientId, Purpose, RecordId};

use crate::mock::*;
use crate::Event;

/// The grant the consent double says lets the physician read P's lab results.
pub const READ_GRANT: ConsentRef = ConsentRef::Grant(4);
/// A lab-results record of P.
pub const LAB_RECORD: RecordId = 40;

/// P lets the physician read LabResults for Treatment under [`READ_GRANT`]; record
/// [`LAB_RECORD`] is P's lab result.
pub fn physician_may_read() {
	permit(P, PHYSICIAN, Category::LabResults, Purpose::Treatment, Action::Read, READ_GRANT);
	add_record(LAB_RECORD, P, Category::LabResults);
}

/// `who` reports reading P's lab result under [`READ_GRANT`].
pub fn report_as(who: u64) -> DispatchResult {
	Audit::report_access(
		RuntimeOrigin::signed(who),
		P,
		Category::LabResults,
		Purpose::Treatment,
		READ_GRANT,
		Some(LAB_RECORD),
	)
}

/// The entries of `patient`'s trail, from the events of this test (as an indexer would
/// collect them).
pub fn entries_from_events(patient: PatientId) -> Vec<AuditEntry<u64>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Audit(Event::EntryRecorded { entry, .. })
				if entry.event.patient == patient =>
			{
				Some(entry)
			},
			_ => None,
		})
		.collect()
}
