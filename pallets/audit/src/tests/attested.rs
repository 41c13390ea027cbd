//! report_attested: reads relayed by a gateway, appended in the reader's name only under the
//! reader's signature over what it asked for; each ticket once; nothing else.

use frame::{deps::sp_runtime::testing::TestSignature, testing_prelude::*};
use medchain_primitives::{
	attestation::{
		AccessTicket, AttestedRead, ServedRecord, MAX_RECORDS_PER_READ, MAX_TICKET_LIFETIME,
		READ_REPORT_WINDOW,
	},
	time::MINUTE,
	Agent, AuditAction, AuditOutcome, Categories, DenyReason,
};

use super::*;
use crate::{Error, PrunedUntil, UsedAttestations};

/// The gateway's key: a practitioner of the hospital.
const GATEWAY: u64 = NURSE;

fn ticket(reader: u64, record: Option<RecordId>) -> AccessTicket<u64> {
	AccessTicket {
		reader,
		patient: P,
		purpose: Purpose::Treatment,
		categories: Category::LabResults.into(),
		record,
		created: now(),
		expires: now() + MINUTE,
		nonce: [7; 16],
	}
}

fn signed_by(signer: u64, ticket: &AccessTicket<u64>) -> TestSignature {
	MockSigner::sign(signer, &ticket.payload(&crate::Pallet::<Test>::genesis()))
}

fn read(
	ticket: AccessTicket<u64>,
	signature: TestSignature,
	served: Vec<ServedRecord>,
) -> AttestedRead<u64, TestSignature> {
	AttestedRead { ticket, signature, served: served.try_into().expect("within the bound") }
}

fn lab(basis: Option<ConsentRef>) -> ServedRecord {
	ServedRecord { record: LAB_RECORD, category: Category::LabResults, basis }
}

/// The physician's read of P's lab result, signed by the physician.
pub(super) fn physicians_read() -> AttestedRead<u64, TestSignature> {
	let t = ticket(PHYSICIAN, None);
	let s = signed_by(PHYSICIAN, &t);
	read(t, s, vec![lab(Some(READ_GRANT))])
}

fn relay(by: u64, reads: Vec<AttestedRead<u64, TestSignature>>) -> DispatchResultWithPostInfo {
	Audit::report_attested(RuntimeOrigin::signed(by), reads.try_into().expect("within the bound"))
}

#[test]
fn a_read_is_appended_in_the_readers_name_not_the_gateways() {
	with_world(|| {
		physician_may_read();
		let r = physicians_read();
		let id = medchain_primitives::attestation::id_of(
			&r.ticket.payload(&crate::Pallet::<Test>::genesis()),
		);
		assert_ok!(relay(GATEWAY, vec![r]));
		let entries = entries_from_events(P);
		assert_eq!(entries.len(), 1);
		let e = &entries[0].event;
		assert_eq!(e.action, AuditAction::AccessReported);
		assert_eq!(e.actor, Agent::Account(PHYSICIAN));
		assert_eq!(e.organisation, Some(HOSPITAL));
		assert_eq!(
			(e.outcome, e.record, e.consent),
			(AuditOutcome::Permitted, Some(LAB_RECORD), Some(READ_GRANT))
		);
		System::assert_last_event(
			crate::Event::ReadAttested {
				ticket: id,
				reader: PHYSICIAN,
				patient: P,
				entries: 1,
				repeated: false,
			}
			.into(),
		);
	});
}

#[test]
fn a_ticket_is_used_once_and_relaying_it_again_appends_nothing() {
	with_world(|| {
		physician_may_read();
		assert_ok!(relay(GATEWAY, vec![physicians_read()]));
		assert_ok!(relay(GATEWAY, vec![physicians_read()]));
		assert_eq!(entries_from_events(P).len(), 1);
		assert!(matches!(
			System::events().last().map(|e| e.event.clone()),
			Some(RuntimeEvent::Audit(crate::Event::ReadAttested {
				repeated: true,
				entries: 0,
				..
			}))
		));
	});
}

#[test]
fn a_gateway_cannot_invent_a_read_nor_change_what_was_asked() {
	with_world(|| {
		physician_may_read();
		// The gateway signs in the physician's name with its own key.
		let t = ticket(PHYSICIAN, None);
		let forged = signed_by(GATEWAY, &t);
		assert_noop!(
			relay(GATEWAY, vec![read(t.clone(), forged, vec![lab(Some(READ_GRANT))])]),
			Error::<Test>::BadAttestationSignature
		);
		// The physician's signature over one purpose, the ticket changed to another.
		let signature = signed_by(PHYSICIAN, &t);
		let changed = AccessTicket { purpose: Purpose::Research, ..t.clone() };
		assert_noop!(
			relay(GATEWAY, vec![read(changed, signature.clone(), vec![lab(Some(READ_GRANT))])]),
			Error::<Test>::BadAttestationSignature
		);
		// Served something the ticket does not ask for: another category, another record.
		add_record(41, P, Category::Imaging);
		let imaging =
			ServedRecord { record: 41, category: Category::Imaging, basis: Some(READ_GRANT) };
		assert_noop!(
			relay(GATEWAY, vec![read(t.clone(), signature.clone(), vec![imaging])]),
			Error::<Test>::ServedOutsideTicket
		);
		add_record(42, P, Category::LabResults);
		let one = ticket(PHYSICIAN, Some(LAB_RECORD));
		let one_signed = signed_by(PHYSICIAN, &one);
		let other =
			ServedRecord { record: 42, category: Category::LabResults, basis: Some(READ_GRANT) };
		assert_noop!(
			relay(GATEWAY, vec![read(one, one_signed, vec![other])]),
			Error::<Test>::ServedOutsideTicket
		);
		// Another patient's record under P's ticket.
		add_record(43, P2, Category::LabResults);
		let foreign =
			ServedRecord { record: 43, category: Category::LabResults, basis: Some(READ_GRANT) };
		assert_noop!(
			relay(GATEWAY, vec![read(t, signature, vec![foreign])]),
			Error::<Test>::RecordMismatch
		);
		assert!(entries_from_events(P).is_empty());
	});
}

#[test]
fn times_are_checked_against_the_chains_clock() {
	with_world(|| {
		physician_may_read();
		let sign = |t: AccessTicket<u64>| {
			let s = signed_by(PHYSICIAN, &t);
			read(t, s, vec![lab(Some(READ_GRANT))])
		};
		let base = ticket(PHYSICIAN, None);
		let too_long =
			AccessTicket { expires: base.created + MAX_TICKET_LIFETIME + 1, ..base.clone() };
		assert_noop!(relay(GATEWAY, vec![sign(too_long)]), Error::<Test>::TicketTooLong);
		let backwards = AccessTicket { expires: base.created, ..base.clone() };
		assert_noop!(relay(GATEWAY, vec![sign(backwards)]), Error::<Test>::TicketTooLong);
		let old = AccessTicket {
			created: now() - READ_REPORT_WINDOW - 1,
			expires: now() - READ_REPORT_WINDOW + MINUTE,
			..base.clone()
		};
		assert_noop!(relay(GATEWAY, vec![sign(old)]), Error::<Test>::AttestationTooOld);
		let future = AccessTicket {
			created: now() + 10 * MINUTE,
			expires: now() + 11 * MINUTE,
			..base.clone()
		};
		assert_noop!(relay(GATEWAY, vec![sign(future)]), Error::<Test>::AttestationFromTheFuture);
		// At the window's last moment it is still taken.
		set_now(base.created + READ_REPORT_WINDOW);
		assert_ok!(relay(GATEWAY, vec![sign(base)]));
	});
}

#[test]
fn errors() {
	with_world(|| {
		physician_may_read();
		assert_noop!(relay(GATEWAY, vec![]), Error::<Test>::EmptyBatch);
		assert_noop!(relay(STRANGER, vec![physicians_read()]), Error::<Test>::NotAProvider);
		assert_noop!(relay(PATIENT, vec![physicians_read()]), Error::<Test>::NotAProvider);
		let t = ticket(PHYSICIAN, None);
		let s = signed_by(PHYSICIAN, &t);
		assert_noop!(
			relay(GATEWAY, vec![read(t.clone(), s.clone(), vec![])]),
			Error::<Test>::NothingServed
		);
		// A basis that is not the reader's.
		let lab_grant = ConsentRef::Grant(9);
		permit(
			P,
			LAB_TECHNICIAN,
			Category::LabResults,
			Purpose::Treatment,
			Action::Read,
			lab_grant,
		);
		assert_noop!(
			relay(GATEWAY, vec![read(t.clone(), s.clone(), vec![lab(Some(lab_grant))])]),
			Error::<Test>::UnrelatedBasis
		);
		// No basis: only the patient or a guardian covering the category.
		assert_noop!(
			relay(GATEWAY, vec![read(t, s, vec![lab(None)])]),
			Error::<Test>::NotActingForPatient
		);
		let narrow = ticket(NARROW_GUARDIAN, None);
		let narrow_signed = signed_by(NARROW_GUARDIAN, &narrow);
		assert_noop!(
			relay(GATEWAY, vec![read(narrow, narrow_signed, vec![lab(None)])]),
			Error::<Test>::NotActingForPatient
		);
		let unknown =
			ServedRecord { record: 999, category: Category::LabResults, basis: Some(READ_GRANT) };
		let t = ticket(PHYSICIAN, None);
		let s = signed_by(PHYSICIAN, &t);
		assert_noop!(relay(GATEWAY, vec![read(t, s, vec![unknown])]), Error::<Test>::UnknownRecord);
	});
}

#[test]
fn the_patient_and_its_guardian_read_their_own_data_without_a_grant() {
	with_world(|| {
		add_record(LAB_RECORD, P, Category::LabResults);
		for (i, reader) in [PATIENT, GUARDIAN].into_iter().enumerate() {
			let t = AccessTicket { nonce: [i as u8; 16], ..ticket(reader, None) };
			let s = signed_by(reader, &t);
			assert_ok!(relay(GATEWAY, vec![read(t, s, vec![lab(None)])]));
		}
		let entries = entries_from_events(P);
		assert_eq!(entries.len(), 2);
		assert_eq!(entries[0].event.actor, Agent::Account(PATIENT));
		assert_eq!(entries[1].event.actor, Agent::Account(GUARDIAN));
		assert!(entries
			.iter()
			.all(|e| e.event.organisation.is_none() && e.event.outcome == AuditOutcome::Permitted));
	});
}

#[test]
fn a_read_whose_grant_was_withdrawn_before_the_report_is_recorded_and_flagged() {
	with_world(|| {
		physician_may_read();
		let r = physicians_read();
		withdraw(READ_GRANT);
		assert_ok!(relay(GATEWAY, vec![r]));
		assert_eq!(entries_from_events(P)[0].event.outcome, AuditOutcome::Denied);
		assert!(System::events().iter().any(|e| matches!(
			e.event,
			RuntimeEvent::Audit(crate::Event::AccessReportFlagged {
				reporter: PHYSICIAN,
				reason: DenyReason::NoGrant,
				..
			})
		)));
	});
}

#[test]
fn one_invalid_read_fails_the_call_and_nothing_is_appended() {
	with_world(|| {
		physician_may_read();
		let good = physicians_read();
		let t = AccessTicket { nonce: [9; 16], ..ticket(PHYSICIAN, None) };
		let forged = signed_by(GATEWAY, &t);
		let bad = read(t, forged, vec![lab(Some(READ_GRANT))]);
		assert_noop!(
			relay(GATEWAY, vec![good.clone(), bad]),
			Error::<Test>::BadAttestationSignature
		);
		// The good one was not remembered either: it is taken on its own.
		assert_ok!(relay(GATEWAY, vec![good]));
		assert_eq!(entries_from_events(P).len(), 1);
	});
}

#[test]
fn used_tickets_are_forgotten_once_their_window_is_over_as_far_as_the_weight_allows() {
	with_world(|| {
		physician_may_read();
		assert_ok!(relay(GATEWAY, vec![physicians_read()]));
		let bucket = (now() + READ_REPORT_WINDOW) / HOUR;
		assert_eq!(UsedAttestations::<Test>::iter_prefix(bucket).count(), 1);
		// The first pass only starts the cursor.
		Audit::on_idle(1, Weight::MAX);
		assert_eq!(PrunedUntil::<Test>::get(), now() / HOUR);
		// With no weight to spare nothing is pruned.
		set_now(now() + 2 * READ_REPORT_WINDOW);
		Audit::on_idle(2, Weight::zero());
		assert_eq!(UsedAttestations::<Test>::iter_prefix(bucket).count(), 1);
		Audit::on_idle(3, Weight::MAX);
		assert_eq!(UsedAttestations::<Test>::iter_prefix(bucket).count(), 0);
		assert_eq!(PrunedUntil::<Test>::get(), now() / HOUR);
		let _ = Categories::NONE;
	});
}

/// A call is charged (before it runs: what the block and the relayer's admission budget count)
/// for its reads and the most records any of them served, not for the most any read may serve;
/// once run, for the reads it appended (a repeated ticket appends nothing).
#[test]
fn a_call_is_charged_for_the_records_its_reads_served() {
	use crate::WeightInfo as _;
	with_world(|| {
		physician_may_read();
		let one = physicians_read();
		let t = ticket(PHYSICIAN, None);
		let s = signed_by(PHYSICIAN, &t);
		let three = read(t, s, vec![lab(Some(READ_GRANT)); 3]);
		let call = crate::Call::<Test>::report_attested {
			reads: vec![one.clone(), three].try_into().expect("within the bound"),
		};
		assert_eq!(call.get_dispatch_info().call_weight, <()>::report_attested(2, 3));
		assert_ne!(<()>::report_attested(2, 3), <()>::report_attested(2, MAX_RECORDS_PER_READ));
		assert_ok!(relay(GATEWAY, vec![one.clone()]));
		let again = relay(GATEWAY, vec![one]).expect("a repeat is skipped");
		assert_eq!(again.actual_weight, Some(<()>::report_attested(1, 1)));
	});
}
