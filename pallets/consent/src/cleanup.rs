//! The idle cleanup: ended grants and emergency accesses leave storage once their retention is
//! over, a bounded number per block ([`MAX_CLEANUP_PER_BLOCK`]) within the weight `on_idle` has
//! left. Decisions never rely on it: expiry is checked at every decision.

use crate::{pallet::*, weights::WeightInfo};
use frame::{prelude::*, traits::Time};

/// Grants (and, apart, emergency accesses) examined by `on_idle` in one block at most,
/// whatever the weight left.
pub const MAX_CLEANUP_PER_BLOCK: u32 = 64;

impl<T: Config> Pallet<T> {
	/// Cleans up ended grants within `remaining` weight; returns the weight used.
	pub(crate) fn cleanup(remaining: Weight) -> Weight {
		let now = T::Time::now();
		let retention = T::GrantRetention::get();
		let (cursor, used) = Self::sweep(
			remaining,
			T::WeightInfo::cleanup_grant(),
			CleanupCursor::<T>::get(),
			NextGrantId::<T>::get(),
			|grant_id| {
				let Some(grant) = Grants::<T>::get(grant_id) else { return };
				if grant.ended_at().is_some_and(|e| e.saturating_add(retention) <= now) {
					Grants::<T>::remove(grant_id);
					Self::unindex(grant.patient, &grant.terms.grantee, grant_id);
					Self::deposit_event(Event::GrantCleanedUp { grant_id, patient: grant.patient });
				}
			},
		);
		CleanupCursor::<T>::put(cursor);
		used
	}

	/// Cleans up emergency accesses that ended more than `EmergencyRetention` ago, within
	/// `remaining` weight; returns the weight used.
	pub(crate) fn cleanup_emergency(remaining: Weight) -> Weight {
		let now = T::Time::now();
		let retention = T::EmergencyRetention::get();
		let (cursor, used) = Self::sweep(
			remaining,
			T::WeightInfo::cleanup_emergency_access(),
			EmergencyCleanupCursor::<T>::get(),
			NextEmergencyAccessId::<T>::get(),
			|access_id| {
				let Some(access) = EmergencyAccesses::<T>::get(access_id) else { return };
				if access.until.saturating_add(retention) <= now {
					EmergencyAccesses::<T>::remove(access_id);
					OpenEmergency::<T>::mutate_exists(
						access.patient,
						&access.practitioner,
						|open| {
							if *open == Some(access_id) {
								*open = None;
							}
						},
					);
					Self::deposit_event(Event::EmergencyAccessCleanedUp {
						access_id,
						patient: access.patient,
					});
				}
			},
		);
		EmergencyCleanupCursor::<T>::put(cursor);
		used
	}

	/// Visits ids from `cursor` towards `end` with `visit`, each charged `step`, within
	/// `remaining` weight and at most [`MAX_CLEANUP_PER_BLOCK`]; one pass per block at most
	/// (at `end` it starts over from 0 next time). Gives the next cursor and the weight used.
	fn sweep(
		remaining: Weight,
		step: Weight,
		mut cursor: u64,
		end: u64,
		mut visit: impl FnMut(u64),
	) -> (u64, Weight) {
		let mut used = T::DbWeight::get().reads_writes(2, 1);
		if remaining.any_lt(used.saturating_add(step)) {
			return (cursor, Weight::zero());
		}
		let mut examined = 0u32;
		while examined < MAX_CLEANUP_PER_BLOCK && !remaining.any_lt(used.saturating_add(step)) {
			if cursor >= end {
				cursor = 0;
				break;
			}
			visit(cursor);
			used = used.saturating_add(step);
			cursor = cursor.saturating_add(1);
			examined = examined.saturating_add(1);
		}
		(cursor, used)
	}
}
