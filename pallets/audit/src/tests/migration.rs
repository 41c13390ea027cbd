//! The v0 → v1 migration (`crate::migrations`): trail heads of the old 40-byte layout read
//! as before from the upgrade on, are rewritten in the background within each block's weight,
//! and keep their sequence numbers and hashes.

use frame::{
	deps::frame_support::{
		storage::unhashed,
		traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
		weights::WeightMeter,
	},
	testing_prelude::*,
};
use medchain_primitives::{AuditAction, AuditEvent, AuditSink, Hash32, TrailHead};

use super::*;
use crate::{migrations::MigrateToV1, RewriteCursor, Trails, TrailsToRewrite, WeightInfo};

/// Stores `patient`'s head as a runtime before v1 did: last_seq ‖ head, 40 bytes.
fn put_v0(patient: PatientId, last_seq: u64, hash: u8) {
	let v1 = TrailHead { last_seq, head: Hash32::repeat_byte(hash), last_block: 0 };
	unhashed::put_raw(&Trails::<Test>::hashed_key_for(patient), &v1.encode()[..40]);
}

/// A chain at storage version 0 with the v0 heads of the world's two patients.
fn v0_chain() {
	StorageVersion::new(0).put::<crate::Pallet<Test>>();
	put_v0(P, 3, 0xaa);
	put_v0(P2, 1, 0xbb);
}

fn heads() -> Vec<(PatientId, u64, Hash32)> {
	let mut heads: Vec<_> = Trails::<Test>::iter().map(|(p, h)| (p, h.last_seq, h.head)).collect();
	heads.sort();
	heads
}

#[test]
fn old_heads_read_as_before_with_no_block_known() {
	with_world(|| {
		v0_chain();
		assert_eq!(
			Audit::trail_head(P),
			TrailHead { last_seq: 3, head: Hash32::repeat_byte(0xaa), last_block: 0 }
		);
		assert!(!Audit::head_is_current(P));
		// Finish the migration so that the world's invariants hold at the end.
		MigrateToV1::<Test>::on_runtime_upgrade();
		Audit::rewrite_trails(&mut WeightMeter::new());
	});
}

#[test]
fn the_upgrade_starts_the_rewrite_and_sets_version_1_once() {
	with_world(|| {
		v0_chain();
		let before = heads();
		MigrateToV1::<Test>::on_runtime_upgrade();
		assert_eq!(crate::Pallet::<Test>::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(TrailsToRewrite::<Test>::get(), Some(RewriteCursor::Start));
		// Nothing is rewritten at the upgrade itself (O(1)), and everything reads as before.
		assert!(!Audit::head_is_current(P) && !Audit::head_is_current(P2));
		assert_eq!(heads(), before);
		// A second run (version 1 already) does nothing.
		TrailsToRewrite::<Test>::kill();
		MigrateToV1::<Test>::on_runtime_upgrade();
		assert_eq!(TrailsToRewrite::<Test>::get(), None);
		TrailsToRewrite::<Test>::put(RewriteCursor::Start);
		Audit::rewrite_trails(&mut WeightMeter::new());
	});
}

#[test]
fn the_rewrite_goes_as_far_as_the_weight_allows_and_ends_with_an_event() {
	with_world(|| {
		v0_chain();
		let before = heads();
		MigrateToV1::<Test>::on_runtime_upgrade();
		let each = <Test as crate::Config>::WeightInfo::rewrite_trail();
		// Room for one head in this block.
		assert_eq!(Audit::rewrite_trails(&mut WeightMeter::with_limit(each)), 1);
		assert!(matches!(TrailsToRewrite::<Test>::get(), Some(RewriteCursor::After(_))));
		assert_eq!(Audit::head_is_current(P) as u8 + Audit::head_is_current(P2) as u8, 1);
		// No room at all: nothing happens.
		assert_eq!(Audit::rewrite_trails(&mut WeightMeter::with_limit(Weight::zero())), 0);
		// The next block: the other head, then the end of the pass.
		assert_eq!(Audit::rewrite_trails(&mut WeightMeter::with_limit(each.saturating_mul(3))), 1);
		assert_eq!(TrailsToRewrite::<Test>::get(), None);
		System::assert_last_event(crate::Event::TrailsRewritten.into());
		assert!(Audit::head_is_current(P) && Audit::head_is_current(P2));
		assert_eq!(heads(), before);
		// Done: on_idle only looks.
		assert_eq!(Audit::rewrite_trails(&mut WeightMeter::new()), 0);
	});
}

#[test]
fn on_idle_drives_the_rewrite_within_the_remaining_weight() {
	with_world(|| {
		v0_chain();
		MigrateToV1::<Test>::on_runtime_upgrade();
		let read: Weight = <<Test as frame_system::Config>::DbWeight as Get<
			frame::deps::frame_support::weights::RuntimeDbWeight,
		>>::get()
		.reads(1);
		// Less than one read left: nothing, not even the look.
		assert_eq!(<Audit as Hooks<u64>>::on_idle(1, Weight::zero()), Weight::zero());
		assert_eq!(TrailsToRewrite::<Test>::get(), Some(RewriteCursor::Start));
		let used: Weight = <Audit as Hooks<u64>>::on_idle(1, Weight::MAX);
		assert!(used.all_gte(read), "{used:?}");
		assert_eq!(TrailsToRewrite::<Test>::get(), None);
		// Afterwards a block pays one read.
		assert_eq!(<Audit as Hooks<u64>>::on_idle(2, Weight::MAX), read);
	});
}

#[test]
fn a_trail_appended_to_during_the_rewrite_continues_its_chain() {
	with_world(|| {
		v0_chain();
		MigrateToV1::<Test>::on_runtime_upgrade();
		let old = Audit::trail_head(P);
		System::set_block_number(9);
		assert_eq!(
			<Audit as AuditSink<u64>>::record(AuditEvent::new(
				P,
				AuditAction::ConsentGranted,
				medchain_primitives::Agent::Account(PATIENT)
			)),
			Ok(4)
		);
		let new = Audit::trail_head(P);
		assert_eq!(new.last_seq, 4);
		assert_eq!(new.last_block, 9);
		assert!(Audit::head_is_current(P));
		// The entry's event: the block of the entry before is not known (recorded by v0).
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::Audit(crate::Event::EntryRecorded { entry, previous_block: 0, .. })
				if entry.seq == 4 && entry.event.patient == P
		)));
		assert_ne!(new.head, old.head);
		Audit::rewrite_trails(&mut WeightMeter::new());
		assert_eq!(Audit::trail_head(P), new);
	});
}

#[test]
fn try_state_flags_an_old_head_once_no_rewrite_is_under_way() {
	with_world(|| {
		v0_chain();
		assert!(Audit::do_try_state().is_err());
		TrailsToRewrite::<Test>::put(RewriteCursor::Start);
		assert_eq!(Audit::do_try_state(), Ok(()));
		Audit::rewrite_trails(&mut WeightMeter::new());
		assert_eq!(Audit::do_try_state(), Ok(()));
	});
}
