//! Invariants of the providers pallet, checked by `try-runtime` and after every test.
//!
//! - every practitioner's organisation exists;
//! - each organisation's practitioner count equals the number of practitioners naming it, and
//!   is within `MaxPractitionersPerOrganisation`;
//! - `AdminOf` and `Organisations` agree both ways (each organisation's admin maps back to it);
//! - no admin account is a practitioner;
//! - each organisation's invitation count equals its invitations, within `MaxOpenInvitations`;
//! - every organisation id is below `NextOrganisationId`;
//! - `AdminProposals` and `ProposedAdminOf` agree both ways, and name only organisations that
//!   exist.
//!
//! These iterate over whole maps: for try-runtime and tests only, never in a call or hook.

use alloc::collections::btree_map::BTreeMap;

use frame::deps::sp_runtime::TryRuntimeError;
use frame::prelude::*;

use crate::{
	AdminOf, AdminProposals, Config, Invitations, NextOrganisationId, Organisations, Pallet,
	Practitioners, ProposedAdminOf,
};

impl<T: Config> Pallet<T> {
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut counted: BTreeMap<u32, u32> = BTreeMap::new();
		for (_, membership) in Practitioners::<T>::iter() {
			ensure!(
				Organisations::<T>::contains_key(membership.organisation),
				"a practitioner belongs to an organisation that does not exist"
			);
			let n = counted.entry(membership.organisation).or_default();
			*n = n.checked_add(1).ok_or("practitioner count overflows")?;
		}
		let mut invited: BTreeMap<u32, u32> = BTreeMap::new();
		for (_, organisation, _) in Invitations::<T>::iter() {
			let n = invited.entry(organisation).or_default();
			*n = n.checked_add(1).ok_or("invitation count overflows")?;
		}
		let next = NextOrganisationId::<T>::get();
		for (id, org) in Organisations::<T>::iter() {
			ensure!(id < next, "an organisation id is not below NextOrganisationId");
			ensure!(
				org.practitioners == counted.get(&id).copied().unwrap_or(0),
				"an organisation's practitioner count differs from its practitioners"
			);
			ensure!(
				org.practitioners <= T::MaxPractitionersPerOrganisation::get(),
				"an organisation has more practitioners than MaxPractitionersPerOrganisation"
			);
			ensure!(
				AdminOf::<T>::get(&org.admin) == Some(id),
				"an organisation's admin does not map back to it"
			);
			ensure!(
				org.invitations == invited.get(&id).copied().unwrap_or(0),
				"an organisation's invitation count differs from its invitations"
			);
			ensure!(
				org.invitations <= T::MaxOpenInvitations::get(),
				"an organisation has more invitations than MaxOpenInvitations"
			);
			ensure!(
				!Practitioners::<T>::contains_key(&org.admin),
				"an admin account is a practitioner"
			);
		}
		for (admin, id) in AdminOf::<T>::iter() {
			ensure!(
				Organisations::<T>::get(id).map(|o| o.admin) == Some(admin),
				"AdminOf names an organisation that has another admin"
			);
		}
		for (id, proposal) in AdminProposals::<T>::iter() {
			ensure!(
				Organisations::<T>::contains_key(id),
				"a proposal's organisation does not exist"
			);
			ensure!(
				ProposedAdminOf::<T>::get(&proposal.account) == Some(id),
				"a proposed admin does not map back to its organisation"
			);
		}
		for (account, id) in ProposedAdminOf::<T>::iter() {
			ensure!(
				AdminProposals::<T>::get(id).map(|p| p.account) == Some(account),
				"ProposedAdminOf names an organisation that proposed another account"
			);
		}
		Ok(())
	}
}
