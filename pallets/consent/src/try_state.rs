//! Invariants of the consent pallet, checked by `try-runtime` and after every test.
//!
//! - every id in a (patient, grantee) index names a grant of that patient and grantee, once;
//! - every grant is in the index of its (patient, grantee);
//! - every grant id is below `NextGrantId`, and the cleanup cursor is at most `NextGrantId`;
//! - deny rule ids are unique within a patient's rules.
//!
//! These iterate over whole maps: for try-runtime and tests only, never in a call or hook.

use alloc::collections::btree_set::BTreeSet;

use frame::deps::sp_runtime::TryRuntimeError;
use frame::prelude::*;

use crate::{CleanupCursor, Config, Denies, Grants, GrantsByGrantee, NextGrantId, Pallet};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_try_state() -> Result<(), TryRuntimeError> {
		let next = NextGrantId::<T>::get();
		ensure!(CleanupCursor::<T>::get() <= next, "the cleanup cursor is past NextGrantId");
		let mut indexed = BTreeSet::new();
		for (patient, grantee, ids) in GrantsByGrantee::<T>::iter() {
			for id in ids {
				ensure!(indexed.insert(id), "a grant id is indexed twice");
				let grant = Grants::<T>::get(id).ok_or("an indexed grant does not exist")?;
				ensure!(
					grant.patient == patient && grant.grantee == grantee,
					"a grant is indexed under another patient or grantee"
				);
			}
		}
		for (id, _) in Grants::<T>::iter() {
			ensure!(id < next, "a grant id is not below NextGrantId");
			ensure!(indexed.contains(&id), "a grant is missing from its index");
		}
		for (_, denies) in Denies::<T>::iter() {
			let ids: BTreeSet<u32> = denies.rules.iter().map(|r| r.id).collect();
			ensure!(ids.len() == denies.rules.len(), "two deny rules of a patient share an id");
		}
		Ok(())
	}
}
