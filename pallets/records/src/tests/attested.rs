//! anchor_attested and erase_attested: writes and erasures relayed by a gateway, made in the
//! writer's (requester's) name only under its signature, each attestation once.

use frame::{deps::sp_runtime::testing::TestSignature, testing_prelude::*};
use medchain_primitives::{
	attestation::{AttestedErase, AttestedWrite, EraseAttestation, WriteAttestation, WRITE_WINDOW},
	time::MINUTE,
	RecordStatus,
};

use super::*;
use crate::{Anchors, Error, Event, NextRecordId};

/// The gateway's key: a practitioner of the lab.
const GATEWAY: u64 = LAB_TECHNICIAN_2;

fn genesis() -> Hash32 {
	crate::Pallet::<Test>::genesis()
}

fn attestation(writer: u64, supersedes: Option<RecordId>, n: u8) -> WriteAttestation<u64> {
	WriteAttestation {
		writer,
		patient: P,
		category: Category::LabResults,
		purpose: Purpose::Treatment,
		content_hash: hash(n),
		supersedes,
		created: now(),
		nonce: [n; 16],
	}
}

fn write(
	a: WriteAttestation<u64>,
	signer: u64,
	basis: Option<ConsentRef>,
) -> AttestedWrite<u64, TestSignature> {
	let signature = MockSigner::sign(signer, &a.payload(&genesis()));
	AttestedWrite { attestation: a, signature, locator: locator(), basis }
}

fn relay(by: u64, writes: Vec<AttestedWrite<u64, TestSignature>>) -> DispatchResult {
	Records::anchor_attested(
		RuntimeOrigin::signed(by),
		writes.try_into().expect("within the bound"),
	)
}

fn relay_erase(by: u64, erasures: Vec<AttestedErase<u64, TestSignature>>) -> DispatchResult {
	Records::erase_attested(
		RuntimeOrigin::signed(by),
		erasures.try_into().expect("within the bound"),
	)
}

fn erasure(by: u64, record: RecordId, signer: u64) -> AttestedErase<u64, TestSignature> {
	let a = EraseAttestation { by, record, created: now(), nonce: [3; 16] };
	let signature = MockSigner::sign(signer, &a.payload(&genesis()));
	AttestedErase { attestation: a, signature }
}

#[test]
fn a_write_is_anchored_in_the_writers_name_and_a_repeat_makes_nothing_new() {
	with_world(|| {
		lab_may_append();
		let id = NextRecordId::<Test>::get();
		let w = write(attestation(LAB_TECHNICIAN, None, 1), LAB_TECHNICIAN, Some(LAB_GRANT));
		let attestation_id =
			medchain_primitives::attestation::id_of(&w.attestation.payload(&genesis()));
		assert_ok!(relay(GATEWAY, vec![w.clone()]));
		let anchor = Anchors::<Test>::get(id).expect("anchored");
		assert_eq!(
			(anchor.author, anchor.author_org, anchor.content_hash),
			(LAB_TECHNICIAN, Some(LAB), hash(1))
		);
		System::assert_last_event(
			Event::WriteAttested {
				attestation: attestation_id,
				record_id: id,
				writer: LAB_TECHNICIAN,
				repeated: false,
			}
			.into(),
		);
		assert_ok!(relay(GATEWAY, vec![w]));
		assert_eq!(NextRecordId::<Test>::get(), id + 1);
		System::assert_last_event(
			Event::WriteAttested {
				attestation: attestation_id,
				record_id: id,
				writer: LAB_TECHNICIAN,
				repeated: true,
			}
			.into(),
		);
	});
}

#[test]
fn a_new_version_is_an_amendment_by_the_writer() {
	with_world(|| {
		let old = lab_result();
		let new = NextRecordId::<Test>::get();
		assert_ok!(relay(
			GATEWAY,
			vec![write(attestation(LAB_TECHNICIAN, Some(old), 2), LAB_TECHNICIAN, Some(LAB_GRANT))]
		));
		assert_eq!(
			Anchors::<Test>::get(old).map(|a| (a.status, a.superseded_by)),
			Some((RecordStatus::Superseded, Some(new)))
		);
		assert_eq!(Anchors::<Test>::get(new).map(|a| a.supersedes), Some(Some(old)));
		// Its patient, category and purpose are the record's.
		let other = WriteAttestation {
			purpose: Purpose::Research,
			..attestation(LAB_TECHNICIAN, Some(new), 3)
		};
		assert_noop!(
			relay(GATEWAY, vec![write(other, LAB_TECHNICIAN, Some(LAB_GRANT))]),
			Error::<Test>::AttestationMismatch
		);
	});
}

#[test]
fn a_gateway_cannot_write_in_anyones_name() {
	with_world(|| {
		lab_may_append();
		// Its own key over the technician's attestation.
		let forged = write(attestation(LAB_TECHNICIAN, None, 1), GATEWAY, Some(LAB_GRANT));
		assert_noop!(relay(GATEWAY, vec![forged]), Error::<Test>::BadAttestationSignature);
		// The content changed after signing.
		let mut changed =
			write(attestation(LAB_TECHNICIAN, None, 1), LAB_TECHNICIAN, Some(LAB_GRANT));
		changed.attestation.content_hash = hash(9);
		assert_noop!(relay(GATEWAY, vec![changed]), Error::<Test>::BadAttestationSignature);
		// A writer without a grant is refused as its own anchor would be.
		let nurse = write(attestation(NURSE, None, 1), NURSE, Some(LAB_GRANT));
		assert_noop!(relay(GATEWAY, vec![nurse]), Error::<Test>::NoAppendGrant);
	});
}

#[test]
fn errors() {
	with_world(|| {
		lab_may_append();
		let good = || write(attestation(LAB_TECHNICIAN, None, 1), LAB_TECHNICIAN, Some(LAB_GRANT));
		assert_noop!(relay(GATEWAY, vec![]), Error::<Test>::EmptyBatch);
		assert_noop!(relay(STRANGER, vec![good()]), Error::<Test>::NotActiveProvider);
		assert_noop!(relay(PATIENT, vec![good()]), Error::<Test>::NotActiveProvider);
		let old = WriteAttestation {
			created: now() - WRITE_WINDOW - 1,
			..attestation(LAB_TECHNICIAN, None, 1)
		};
		assert_noop!(
			relay(GATEWAY, vec![write(old, LAB_TECHNICIAN, Some(LAB_GRANT))]),
			Error::<Test>::AttestationTooOld
		);
		let future = WriteAttestation {
			created: now() + 10 * MINUTE,
			..attestation(LAB_TECHNICIAN, None, 1)
		};
		assert_noop!(
			relay(GATEWAY, vec![write(future, LAB_TECHNICIAN, Some(LAB_GRANT))]),
			Error::<Test>::AttestationFromTheFuture
		);
		let empty = WriteAttestation {
			content_hash: Hash32::zero(),
			..attestation(LAB_TECHNICIAN, None, 1)
		};
		assert_noop!(
			relay(GATEWAY, vec![write(empty, LAB_TECHNICIAN, Some(LAB_GRANT))]),
			Error::<Test>::NoContentHash
		);
		assert_noop!(
			relay(GATEWAY, vec![write(attestation(LAB_TECHNICIAN, None, 1), LAB_TECHNICIAN, None)]),
			Error::<Test>::BasisRequired
		);
		assert_noop!(
			relay(
				GATEWAY,
				vec![write(
					attestation(LAB_TECHNICIAN, Some(999), 1),
					LAB_TECHNICIAN,
					Some(LAB_GRANT)
				)]
			),
			Error::<Test>::UnknownRecord
		);
		// One refused write fails the call: nothing anchored, nothing remembered.
		let id = NextRecordId::<Test>::get();
		let bad = write(attestation(NURSE, None, 4), NURSE, Some(LAB_GRANT));
		assert_noop!(relay(GATEWAY, vec![good(), bad]), Error::<Test>::NoAppendGrant);
		assert_ok!(relay(GATEWAY, vec![good()]));
		assert_eq!(NextRecordId::<Test>::get(), id + 1);
	});
}

#[test]
fn the_patient_writes_its_own_record_through_a_gateway() {
	with_world(|| {
		let id = NextRecordId::<Test>::get();
		assert_ok!(relay(GATEWAY, vec![write(attestation(PATIENT, None, 1), PATIENT, None)]));
		assert_eq!(
			Anchors::<Test>::get(id).map(|a| (a.author, a.author_org)),
			Some((PATIENT, None))
		);
	});
}

#[test]
fn an_erasure_is_the_requesters_and_happens_once() {
	with_world(|| {
		let record = lab_result();
		assert_noop!(
			relay_erase(GATEWAY, vec![erasure(LAB_TECHNICIAN, record, GATEWAY)]),
			Error::<Test>::BadAttestationSignature
		);
		// Not the record's author.
		assert_noop!(
			relay_erase(GATEWAY, vec![erasure(NURSE, record, NURSE)]),
			Error::<Test>::NotRecordAuthor
		);
		assert_noop!(relay_erase(GATEWAY, vec![]), Error::<Test>::EmptyBatch);
		assert_noop!(
			relay_erase(STRANGER, vec![erasure(LAB_TECHNICIAN, record, LAB_TECHNICIAN)]),
			Error::<Test>::NotActiveProvider
		);
		assert_ok!(relay_erase(GATEWAY, vec![erasure(LAB_TECHNICIAN, record, LAB_TECHNICIAN)]));
		assert_eq!(
			Anchors::<Test>::get(record).map(|a| (a.status, a.locator)),
			Some((RecordStatus::Erased, crate::Locator::zero()))
		);
		assert!(matches!(
			System::events().last().map(|e| e.event.clone()),
			Some(RuntimeEvent::Records(Event::EraseAttested { repeated: false, .. }))
		));
		// Relayed again: nothing more, said so.
		assert_ok!(relay_erase(GATEWAY, vec![erasure(LAB_TECHNICIAN, record, LAB_TECHNICIAN)]));
		assert!(matches!(
			System::events().last().map(|e| e.event.clone()),
			Some(RuntimeEvent::Records(Event::EraseAttested { repeated: true, .. }))
		));
	});
}
