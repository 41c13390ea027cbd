//! anchor_batch, and proving a record's membership against the anchored root.

use frame::testing_prelude::*;
use medchain_primitives::Category;

use super::*;
use crate::{BatchAnchor, Batches, Error, Event};

fn contents(n: usize) -> Vec<[u8; 32]> {
	(0..n).map(|i| frame::hashing::blake2_256(&(i as u64).to_le_bytes())).collect()
}

#[test]
fn a_lab_anchors_a_batch_by_its_merkle_root() {
	with_world(|| {
		let records = contents(5);
		let root = medchain_merkle::root(&records).unwrap();
		assert_ok!(Records::anchor_batch(
			RuntimeOrigin::signed(LAB_TECHNICIAN),
			root.into(),
			5,
			Category::LabResults
		));
		System::assert_last_event(
			Event::BatchAnchored {
				batch_id: 0,
				organisation: LAB,
				category: Category::LabResults,
				merkle_root: root.into(),
				count: 5,
				author: LAB_TECHNICIAN,
			}
			.into(),
		);
		assert_eq!(
			Batches::<Test>::get(0),
			Some(BatchAnchor {
				organisation: LAB,
				author: LAB_TECHNICIAN,
				category: Category::LabResults,
				merkle_root: root.into(),
				count: 5,
				anchored_at: NOW,
			})
		);
		// A batch concerns no single patient: nothing goes to a trail.
		assert!(audited().is_empty());
	});
}

#[test]
fn every_record_of_a_batch_verifies_and_others_do_not() {
	with_world(|| {
		for (batch_id, n) in [(0u64, 6usize), (1, 7)] {
			let records = contents(n);
			let root = medchain_merkle::root(&records).unwrap();
			assert_ok!(Records::anchor_batch(
				RuntimeOrigin::signed(LAB_ADMIN),
				root.into(),
				n as u32,
				Category::LabResults
			));
			for (i, content) in records.iter().enumerate() {
				let proof: Vec<Hash32> = medchain_merkle::proof(&records, i)
					.unwrap()
					.into_iter()
					.map(Hash32::from)
					.collect();
				let proof = medchain_primitives::MerkleProof::try_from(proof).unwrap();
				assert!(Records::verify_in_batch(
					batch_id,
					(*content).into(),
					i as u32,
					proof.clone()
				));
				let mut flipped = *content;
				flipped[0] ^= 1;
				assert!(!Records::verify_in_batch(
					batch_id,
					flipped.into(),
					i as u32,
					proof.clone()
				));
				assert!(!Records::verify_in_batch(
					batch_id,
					(*content).into(),
					(i as u32 + 1) % n as u32,
					proof.clone()
				));
				assert!(!Records::verify_in_batch(
					batch_id + 5,
					(*content).into(),
					i as u32,
					proof
				));
			}
		}
	});
}

#[test]
fn a_proof_longer_than_a_batch_can_have_does_not_decode() {
	// L-12: the runtime API took an unbounded proof, reachable through `state_call`; it is
	// refused while its arguments decode, before the runtime allocates it.
	use codec::{Decode, Encode};
	let too_long = vec![hash(0); 33].encode();
	assert!(medchain_primitives::MerkleProof::decode(&mut &too_long[..]).is_err());
	let longest = vec![hash(0); 32].encode();
	assert!(medchain_primitives::MerkleProof::decode(&mut &longest[..]).is_ok());
}

#[test]
fn errors() {
	with_world(|| {
		let root = hash(7);
		assert_noop!(
			Records::anchor_batch(RuntimeOrigin::signed(STRANGER), root, 1, Category::LabResults),
			Error::<Test>::NotActiveProvider
		);
		assert_noop!(
			Records::anchor_batch(RuntimeOrigin::signed(PATIENT), root, 1, Category::LabResults),
			Error::<Test>::NotActiveProvider
		);
		assert_noop!(
			Records::anchor_batch(
				RuntimeOrigin::signed(LAB_TECHNICIAN),
				root,
				0,
				Category::LabResults
			),
			Error::<Test>::EmptyBatch
		);
		assert_noop!(
			Records::anchor_batch(
				RuntimeOrigin::signed(LAB_TECHNICIAN),
				root,
				MaxBatchSize::get() + 1,
				Category::LabResults
			),
			Error::<Test>::BatchTooLarge
		);
		assert_ok!(Records::anchor_batch(
			RuntimeOrigin::signed(LAB_TECHNICIAN),
			root,
			MaxBatchSize::get(),
			Category::LabResults
		));
		crate::NextBatchId::<Test>::put(u64::MAX);
		assert_noop!(
			Records::anchor_batch(
				RuntimeOrigin::signed(LAB_TECHNICIAN),
				root,
				1,
				Category::LabResults
			),
			Error::<Test>::IdsExhausted
		);
		crate::NextBatchId::<Test>::put(1);
		suspend(LAB);
		assert_noop!(
			Records::anchor_batch(RuntimeOrigin::signed(LAB_ADMIN), root, 1, Category::LabResults),
			Error::<Test>::NotActiveProvider
		);
	});
}
