//! Storage migrations of the audit pallet (docs/development.md, "Migrations").
//!
//! ## v0 → v1 (runtime 103): trail heads name the block of their last entry
//!
//! A [`TrailHead`] gained `last_block` (and `EntryRecorded` its `previous_block`), so that a
//! reader walks a patient's trail block by block instead of scanning the chain. A v0 head is the
//! first 40 bytes of a v1 head, and reads as one with `last_block` 0 ([`TrailHead`]'s `Decode`),
//! so nothing breaks at the upgrade whatever the number of trails; the stored values are then
//! rewritten in the v1 layout in the background:
//!
//! - [`MigrateToV1`] (in the runtime's `Migrations`): at the upgrade, if the pallet's storage
//!   is at version 0, starts the rewrite ([`TrailsToRewrite`] = `Start`) and sets version 1.
//!   O(1): one read, two writes.
//! - `on_idle`, every block until it is done: rewrites as many heads as the block's remaining
//!   weight allows ([`Pallet::rewrite_trails`]), in key order from the cursor; then removes the
//!   cursor and emits [`Event::TrailsRewritten`]. A head appended to meanwhile is already v1;
//!   rewriting it again changes nothing.
//!
//! The heads' `last_seq` and `head` read back unchanged (checked by `try-runtime`'s
//! post-upgrade hook here, and by the runtime's migration harness on every preset and on a dev
//! chain's snapshot). The blocks of entries recorded before the upgrade are not known: those
//! heads keep `last_block` 0 until their next entry.

use frame::{
	deps::frame_support::{
		migrations::VersionedMigration, storage::unhashed, traits::UncheckedOnRuntimeUpgrade,
		weights::WeightMeter,
	},
	prelude::*,
};
use medchain_primitives::{PatientId, TrailHead};

use crate::{Config, Event, Pallet, RewriteCursor, Trails, TrailsToRewrite, WeightInfo};

/// Starts the v0 → v1 rewrite of the trail heads (see the module docs).
pub struct StartTrailRewrite<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for StartTrailRewrite<T> {
	fn on_runtime_upgrade() -> Weight {
		TrailsToRewrite::<T>::put(RewriteCursor::Start);
		T::DbWeight::get().writes(1)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, frame::try_runtime::TryRuntimeError> {
		use codec::Encode;
		let heads: alloc::vec::Vec<(PatientId, u64, medchain_primitives::Hash32)> =
			Trails::<T>::iter().map(|(p, h)| (p, h.last_seq, h.head)).collect();
		Ok(heads.encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), frame::try_runtime::TryRuntimeError> {
		use codec::Decode;
		let before: alloc::vec::Vec<(PatientId, u64, medchain_primitives::Hash32)> =
			Decode::decode(&mut &state[..]).map_err(|_| "the pre-upgrade state decodes")?;
		ensure!(
			before.len() as u64 == Trails::<T>::iter_keys().count() as u64,
			"as many trails as before"
		);
		for (patient, last_seq, head) in before {
			let now = Trails::<T>::get(patient);
			ensure!(
				now.last_seq == last_seq && now.head == head,
				"a trail head reads back differently"
			);
		}
		ensure!(TrailsToRewrite::<T>::exists(), "the rewrite has started");
		Ok(())
	}
}

/// The audit pallet's v0 → v1 migration, for the runtime's `Migrations`: runs once, at storage
/// version 0, and leaves the pallet at version 1.
pub type MigrateToV1<T> = VersionedMigration<
	0,
	1,
	StartTrailRewrite<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

impl<T: Config> Pallet<T> {
	/// Rewrites trail heads in the current layout, from [`TrailsToRewrite`]'s cursor on, as
	/// many as `meter` allows (each costs `WeightInfo::rewrite_trail`); removes the cursor and
	/// emits [`Event::TrailsRewritten`] after the last. Returns how many it rewrote.
	pub fn rewrite_trails(meter: &mut WeightMeter) -> u32 {
		let Some(mut cursor) = TrailsToRewrite::<T>::get() else { return 0 };
		let each = T::WeightInfo::rewrite_trail();
		let mut rewritten = 0u32;
		while meter.try_consume(each).is_ok() {
			let next = match cursor {
				RewriteCursor::Start => Trails::<T>::iter().next(),
				RewriteCursor::After(patient) => {
					Trails::<T>::iter_from(Trails::<T>::hashed_key_for(patient)).next()
				},
			};
			match next {
				Some((patient, head)) => {
					Trails::<T>::insert(patient, head);
					rewritten = rewritten.saturating_add(1);
					cursor = RewriteCursor::After(patient);
				},
				None => {
					TrailsToRewrite::<T>::kill();
					Self::deposit_event(Event::TrailsRewritten);
					return rewritten;
				},
			}
		}
		TrailsToRewrite::<T>::put(cursor);
		rewritten
	}

	/// Whether `patient`'s stored head is in the current (v1) layout.
	pub fn head_is_current(patient: PatientId) -> bool {
		unhashed::get_raw(&Trails::<T>::hashed_key_for(patient))
			.map_or(true, |raw| raw.len() == TrailHead::max_encoded_len())
	}
}
