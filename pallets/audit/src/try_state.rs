//! Invariants of the audit pallet, checked by `try-runtime` and after every test.
//!
//! - every trail belongs to an enrolled patient;
//! - a stored trail is not empty: its last sequence number is at least 1 and its head is not
//!   the empty trail's all-zero hash;
//! - a trail's last block is not in the future;
//! - once no rewrite is under way, every stored head is in the current layout
//!   (`crate::migrations`).
//!
//! These iterate over the whole map: for try-runtime and tests only, never in a call or hook.

use frame::deps::sp_runtime::TryRuntimeError;
use frame::prelude::*;
use medchain_primitives::{Hash32, PatientRegistry};

use crate::{Config, Pallet, Trails, TrailsToRewrite};

impl<T: Config> Pallet<T> {
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		for (patient, trail) in Trails::<T>::iter() {
			ensure!(T::Patients::is_enrolled(patient), "a trail's patient is not enrolled");
			ensure!(trail.last_seq >= 1, "a stored trail is empty");
			ensure!(trail.head != Hash32::zero(), "a non-empty trail has the empty trail's hash");
			let now: u32 = frame_system::Pallet::<T>::block_number().unique_saturated_into();
			ensure!(trail.last_block <= now, "a trail's last entry is in a future block");
			ensure!(
				TrailsToRewrite::<T>::exists() || Self::head_is_current(patient),
				"a trail head is in an old layout and no rewrite is under way"
			);
		}
		Ok(())
	}
}
