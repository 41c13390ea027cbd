//! Invariants of the consent pallet, checked by `try-runtime` and after every test.
//!
//! - every id in a (patient, grantee) index names a grant of that patient and grantee, once,
//!   that is not revoked; no index is empty;
//! - every grant that has not ended is in the index of its (patient, grantee);
//! - a grant to a practitioner records the organisation it was given under, and no other does;
//! - every grant id is below `NextGrantId`, and the cleanup cursor is at most `NextGrantId`;
//! - stored sets carry no unknown bit;
//! - deny rule ids are unique within a patient's rules;
//! - every emergency access id is below `NextEmergencyAccessId`; an open-access entry names an
//!   access of that patient and practitioner;
//! - every open emergency access holds one of its patient's places in `PatientEmergencies`
//!   (so `MaxOpenEmergencyAccessesPerPatient` bounds the open accesses).
//!
//! These iterate over whole maps: for try-runtime and tests only, never in a call or hook.

use alloc::{
	collections::{btree_map::BTreeMap, btree_set::BTreeSet},
	vec::Vec,
};

use frame::deps::sp_runtime::TryRuntimeError;
use frame::{prelude::*, traits::Time};

use medchain_primitives::{Grantee, Moment, PatientId};

use crate::{
	CleanupCursor, Config, Denies, EmergencyAccesses, EmergencyCleanupCursor, Grants,
	GrantsByGrantee, NextEmergencyAccessId, NextGrantId, OpenEmergency, Pallet, PatientEmergencies,
};

impl<T: Config> Pallet<T> {
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next = NextGrantId::<T>::get();
		ensure!(CleanupCursor::<T>::get() <= next, "the cleanup cursor is past NextGrantId");
		let mut indexed = BTreeSet::new();
		let now = T::Time::now();
		for (patient, grantee, ids) in GrantsByGrantee::<T>::iter() {
			ensure!(!ids.is_empty(), "an empty grant index is stored");
			for id in ids {
				ensure!(indexed.insert(id), "a grant id is indexed twice");
				let grant = Grants::<T>::get(id).ok_or("an indexed grant does not exist")?;
				ensure!(
					grant.patient == patient && grant.terms.grantee == grantee,
					"a grant is indexed under another patient or grantee"
				);
				ensure!(grant.revoked_at.is_none(), "a revoked grant is indexed");
			}
		}
		for (id, grant) in Grants::<T>::iter() {
			ensure!(id < next, "a grant id is not below NextGrantId");
			ensure!(
				grant.has_ended(now) || indexed.contains(&id),
				"a grant that has not ended is missing from its index"
			);
			ensure!(
				matches!(grant.terms.grantee, Grantee::Practitioner(_))
					== grant.organisation.is_some(),
				"a grant's organisation does not match its grantee"
			);
			ensure!(
				grant.terms.categories.is_known()
					&& grant.terms.purposes.is_known()
					&& grant.terms.actions.is_known(),
				"a grant carries an unknown bit"
			);
		}
		for (_, denies) in Denies::<T>::iter() {
			let ids: BTreeSet<u32> = denies.rules.iter().map(|r| r.id).collect();
			ensure!(ids.len() == denies.rules.len(), "two deny rules of a patient share an id");
			ensure!(
				denies.rules.iter().all(|r| r.categories.is_known() && r.purposes.is_known()),
				"a deny rule carries an unknown bit"
			);
		}
		let next_access = NextEmergencyAccessId::<T>::get();
		ensure!(
			EmergencyCleanupCursor::<T>::get() <= next_access,
			"the emergency cleanup cursor is past NextEmergencyAccessId"
		);
		let mut open_ends: BTreeMap<PatientId, Vec<Moment>> = BTreeMap::new();
		for (id, access) in EmergencyAccesses::<T>::iter() {
			ensure!(id < next_access, "an emergency access id is not below NextEmergencyAccessId");
			ensure!(access.categories.is_known(), "an emergency access carries an unknown bit");
			if access.is_open(now) {
				open_ends.entry(access.patient).or_default().push(access.until);
			}
		}
		// Every open access holds one of its patient's places (the cap cannot be passed).
		for (patient, mut ends) in open_ends {
			let mut held: Vec<Moment> = PatientEmergencies::<T>::get(patient).into_inner();
			for end in ends.drain(..) {
				let i = held
					.iter()
					.position(|h| *h == end)
					.ok_or("an open emergency access holds no place of its patient's")?;
				held.swap_remove(i);
			}
		}
		for (patient, practitioner, id) in OpenEmergency::<T>::iter() {
			let access =
				EmergencyAccesses::<T>::get(id).ok_or("an open-access entry names no access")?;
			ensure!(
				access.patient == patient && access.practitioner == practitioner,
				"an open-access entry names another patient's or practitioner's access"
			);
		}
		Ok(())
	}
}
