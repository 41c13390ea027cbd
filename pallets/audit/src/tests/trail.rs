//! The hash chain: entries appended through `AuditSink`, the trail head, and a trail rebuilt
//! from events checked against it.

use frame::testing_prelude::*;
use medchain_primitives::{
	audit::next_head, verify_trail, Agent, AuditAction, AuditEntry, AuditEvent, AuditOutcome,
	AuditSink, Categories, Hash32, Purposes, TrailError, TrailHead,
};

use super::*;
use crate::Trails;

fn event(patient: PatientId, action: AuditAction) -> AuditEvent<u64> {
	AuditEvent {
		patient,
		action,
		actor: Agent::Account(PATIENT),
		organisation: None,
		categories: Categories::CLINICAL,
		purposes: Purposes::ALL,
		outcome: AuditOutcome::Success,
		record: None,
		consent: Some(ConsentRef::Grant(1)),
		subject: None,
	}
}

#[test]
fn an_empty_trail_is_seq_zero_and_a_zero_hash() {
	with_world(|| {
		assert_eq!(
			Audit::trail_head(P),
			TrailHead { last_seq: 0, head: Hash32::zero(), last_block: 0 }
		);
		assert!(!Trails::<Test>::contains_key(P));
	});
}

#[test]
fn each_entry_extends_the_chain_by_its_definition() {
	with_world(|| {
		assert_eq!(<Audit as AuditSink<u64>>::record(event(P, AuditAction::ConsentGranted)), Ok(1));
		let first = AuditEntry { seq: 1, at: NOW, event: event(P, AuditAction::ConsentGranted) };
		let mut preimage = [0u8; 32].to_vec();
		preimage.extend(first.encode());
		let h1: Hash32 = frame::hashing::blake2_256(&preimage).into();
		let block1 = System::block_number() as u32;
		assert_eq!(Audit::trail_head(P), TrailHead { last_seq: 1, head: h1, last_block: block1 });
		// The first entry has no previous block.
		System::assert_last_event(
			Event::EntryRecorded { entry: first, head: h1, previous_block: 0 }.into(),
		);

		set_now(NOW + 7);
		System::set_block_number(System::block_number() + 5);
		assert_eq!(<Audit as AuditSink<u64>>::record(event(P, AuditAction::ConsentRevoked)), Ok(2));
		let second =
			AuditEntry { seq: 2, at: NOW + 7, event: event(P, AuditAction::ConsentRevoked) };
		let h2 = next_head(&h1, &second);
		let block2 = System::block_number() as u32;
		assert_eq!(Audit::trail_head(P), TrailHead { last_seq: 2, head: h2, last_block: block2 });
		// The second names the block of the first: a reader walks back block by block.
		System::assert_last_event(
			Event::EntryRecorded { entry: second, head: h2, previous_block: block1 }.into(),
		);
	});
}

#[test]
fn each_patient_has_its_own_trail() {
	with_world(|| {
		assert_ok!(<Audit as AuditSink<u64>>::record(event(P, AuditAction::ConsentGranted)));
		assert_ok!(<Audit as AuditSink<u64>>::record(event(P2, AuditAction::ConsentGranted)));
		assert_ok!(<Audit as AuditSink<u64>>::record(event(P, AuditAction::DenyAdded)));
		assert_eq!(Audit::trail_head(P).last_seq, 2);
		assert_eq!(Audit::trail_head(P2).last_seq, 1);
		assert_ne!(Audit::trail_head(P).head, Audit::trail_head(P2).head);
	});
}

#[test]
fn a_trail_rebuilt_from_events_matches_the_head_and_tampering_does_not() {
	with_world(|| {
		physician_may_read();
		assert_ok!(<Audit as AuditSink<u64>>::record(event(P, AuditAction::ConsentGranted)));
		assert_ok!(report_as(PHYSICIAN));
		assert_ok!(<Audit as AuditSink<u64>>::record(event(P2, AuditAction::ConsentGranted)));
		set_now(NOW + 1);
		withdraw(READ_GRANT);
		assert_ok!(report_as(PHYSICIAN)); // denied (revoked), still recorded
		assert_ok!(<Audit as AuditSink<u64>>::record(event(P, AuditAction::RecordAnchored)));

		let entries = entries_from_events(P);
		let head = Audit::trail_head(P);
		assert_eq!(entries.len(), 4);
		assert_eq!(verify_trail(P, entries.clone(), &head), Ok(()));

		// The flagged report cannot be made to look permitted…
		let mut laundered = entries.clone();
		assert_eq!(laundered[2].event.outcome, AuditOutcome::Denied);
		laundered[2].event.outcome = AuditOutcome::Permitted;
		assert_eq!(verify_trail(P, laundered, &head), Err(TrailError::HashMismatch));
		// …nor dropped, even at the end…
		let mut without_last = entries.clone();
		without_last.pop();
		assert_eq!(
			verify_trail(P, without_last, &head),
			Err(TrailError::LengthMismatch { rebuilt: 3, head: 4 })
		);
		// …nor moved.
		let mut reordered = entries.clone();
		reordered.swap(1, 2);
		assert!(verify_trail(P, reordered, &head).is_err());
	});
}

#[test]
fn a_full_trail_refuses_more_entries() {
	with_world(|| {
		Trails::<Test>::insert(
			P,
			TrailHead { last_seq: u64::MAX, head: Hash32::repeat_byte(1), last_block: 1 },
		);
		assert_noop!(
			<Audit as AuditSink<u64>>::record(event(P, AuditAction::ConsentGranted)),
			crate::Error::<Test>::TrailExhausted
		);
	});
}
