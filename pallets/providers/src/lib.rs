//! # Providers pallet
//!
//! The organisations of the medchain consortium (hospitals, clinics, labs, pharmacies,
//! insurers, research institutes, regulators) and the practitioners who act for them.
//!
//! ## Overview
//!
//! - Governance ([`Config::GovernanceOrigin`]: Root on development chains, the consortium
//!   council on production ones) registers an organisation with its kind, the hash of the
//!   license it checked, and an admin account; it suspends and reinstates organisations.
//! - An organisation's admin account adds and removes its practitioners, each with a
//!   [`Role`]. A practitioner belongs to exactly one organisation.
//! - A practitioner is *active* while its organisation is active. Suspending an organisation
//!   deactivates all of its practitioners at once, in O(1): the status is read through the
//!   organisation, never copied into each practitioner.
//!
//! Other pallets ask through [`medchain_primitives::ProviderRegistry`], which [`Pallet`]
//! implements; they never read this pallet's storage.
//!
//! Registered accounts (admins and practitioners) exist on chain because this pallet provides
//! for them (`frame_system::inc_providers`): medchain's accounts hold no tokens.
//!
//! ## Calls
//!
//! - [`Pallet::register_organisation`], [`Pallet::suspend_organisation`],
//!   [`Pallet::reinstate_organisation`]: governance.
//! - [`Pallet::add_practitioner`], [`Pallet::remove_practitioner`]: an organisation's admin.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod types;
pub mod weights;

use alloc::vec::Vec;
use frame::prelude::*;
use medchain_primitives::{
	ActivePractitioner, Hash32, OrganisationId, OrganisationKind, ProviderRegistry, Role,
};

pub use pallet::*;
pub use types::{Membership, Organisation, OrganisationStatus};
pub use weights::WeightInfo;

#[frame::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Who registers, suspends and reinstates organisations.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The most practitioners one organisation may have. Bounds
		/// [`Organisation::practitioners`]; a large hospital needs thousands.
		#[pallet::constant]
		type MaxPractitionersPerOrganisation: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// The id the next registered organisation gets.
	#[pallet::storage]
	pub type NextOrganisationId<T> = StorageValue<_, OrganisationId, ValueQuery>;

	/// Registered organisations by id.
	// Twox64Concat: ids are assigned sequentially by the chain, not chosen by users.
	#[pallet::storage]
	pub type Organisations<T: Config> =
		StorageMap<_, Twox64Concat, OrganisationId, Organisation<T::AccountId>, OptionQuery>;

	/// The organisation each admin account administers (an account administers at most one).
	#[pallet::storage]
	pub type AdminOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, OrganisationId, OptionQuery>;

	/// Each practitioner's organisation and role (a practitioner belongs to one organisation).
	#[pallet::storage]
	pub type Practitioners<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Membership, OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance registered an organisation.
		OrganisationRegistered {
			organisation: OrganisationId,
			admin: T::AccountId,
			kind: OrganisationKind,
			license_hash: Hash32,
		},
		/// Governance suspended an organisation: its practitioners are inactive.
		OrganisationSuspended { organisation: OrganisationId },
		/// Governance reinstated a suspended organisation: its practitioners are active again.
		OrganisationReinstated { organisation: OrganisationId },
		/// An organisation's admin added a practitioner.
		PractitionerAdded { organisation: OrganisationId, practitioner: T::AccountId, role: Role },
		/// An organisation's admin removed a practitioner.
		PractitionerRemoved { organisation: OrganisationId, practitioner: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// This account already administers an organisation; choose another admin account.
		AdminAlreadyAssigned,
		/// No organisation has this id; check the id in `OrganisationRegistered` events.
		UnknownOrganisation,
		/// The organisation is suspended; governance must reinstate it before it can act.
		OrganisationSuspended,
		/// The organisation is already suspended.
		OrganisationAlreadySuspended,
		/// The organisation is not suspended, so there is nothing to reinstate.
		OrganisationNotSuspended,
		/// The signer administers no organisation; only an organisation's admin account may
		/// manage its practitioners.
		NotOrganisationAdmin,
		/// This account is already a practitioner (here or elsewhere); remove it there first.
		AlreadyPractitioner,
		/// This account is not a practitioner of the signer's organisation.
		NotPractitionerOfOrganisation,
		/// The organisation has `MaxPractitionersPerOrganisation` practitioners; remove one first.
		TooManyPractitioners,
		/// Every organisation id has been used.
		OrganisationIdsExhausted,
	}

	#[pallet::genesis_config]
	#[derive(frame::prelude::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Organisations registered at genesis: (admin, kind, license hash). They get ids 0, 1,
		/// 2 … in this order.
		pub organisations: Vec<(T::AccountId, OrganisationKind, Hash32)>,
		/// Practitioners at genesis: (account, organisation id, role).
		pub practitioners: Vec<(T::AccountId, OrganisationId, Role)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (admin, kind, license_hash) in &self.organisations {
				Pallet::<T>::do_register_organisation(admin.clone(), *kind, *license_hash)
					.expect("genesis organisations are valid: distinct admins");
			}
			for (practitioner, organisation, role) in &self.practitioners {
				Pallet::<T>::do_add_practitioner(*organisation, practitioner.clone(), *role)
					.expect("genesis practitioners are valid: known organisations, no duplicates");
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), frame::try_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register an organisation of the consortium.
		///
		/// The origin must be [`Config::GovernanceOrigin`].
		///
		/// - `admin`: the account that will manage the organisation's practitioners; it must
		///   not administer another organisation.
		/// - `kind`: what kind of provider it is.
		/// - `license_hash`: the hash of the license or accreditation governance checked.
		///
		/// The organisation gets the next free id and starts active.
		///
		/// Emits [`Event::OrganisationRegistered`].
		/// Errors: [`Error::AdminAlreadyAssigned`], [`Error::OrganisationIdsExhausted`].
		///
		/// ## Complexity
		/// O(1): 2 reads (next id, admin index), 4 writes (organisation, admin index, next id,
		/// admin's account providers).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_organisation())]
		pub fn register_organisation(
			origin: OriginFor<T>,
			admin: T::AccountId,
			kind: OrganisationKind,
			license_hash: Hash32,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let organisation = Self::do_register_organisation(admin.clone(), kind, license_hash)?;
			Self::deposit_event(Event::OrganisationRegistered {
				organisation,
				admin,
				kind,
				license_hash,
			});
			Ok(())
		}

		/// Suspend an organisation: none of its practitioners is active until it is
		/// reinstated. Their memberships are kept.
		///
		/// The origin must be [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::OrganisationSuspended`].
		/// Errors: [`Error::UnknownOrganisation`], [`Error::OrganisationAlreadySuspended`].
		///
		/// ## Complexity
		/// O(1), whatever the number of practitioners: 1 read, 1 write.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::suspend_organisation())]
		pub fn suspend_organisation(
			origin: OriginFor<T>,
			organisation: OrganisationId,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::change_status(
				organisation,
				OrganisationStatus::Active,
				OrganisationStatus::Suspended,
				Error::<T>::OrganisationAlreadySuspended,
			)?;
			Self::deposit_event(Event::OrganisationSuspended { organisation });
			Ok(())
		}

		/// Reinstate a suspended organisation: its practitioners are active again.
		///
		/// The origin must be [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::OrganisationReinstated`].
		/// Errors: [`Error::UnknownOrganisation`], [`Error::OrganisationNotSuspended`].
		///
		/// ## Complexity
		/// O(1): 1 read, 1 write.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::reinstate_organisation())]
		pub fn reinstate_organisation(
			origin: OriginFor<T>,
			organisation: OrganisationId,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::change_status(
				organisation,
				OrganisationStatus::Suspended,
				OrganisationStatus::Active,
				Error::<T>::OrganisationNotSuspended,
			)?;
			Self::deposit_event(Event::OrganisationReinstated { organisation });
			Ok(())
		}

		/// Add a practitioner to the signer's organisation.
		///
		/// The origin must be signed by an organisation's admin account; the organisation must
		/// be active.
		///
		/// - `practitioner`: the staff member's account; it must not be a practitioner yet.
		/// - `role`: its role in the organisation.
		///
		/// Emits [`Event::PractitionerAdded`].
		/// Errors: [`Error::NotOrganisationAdmin`], [`Error::OrganisationSuspended`],
		/// [`Error::AlreadyPractitioner`], [`Error::TooManyPractitioners`].
		///
		/// ## Complexity
		/// O(1): 3 reads (admin index, organisation, practitioner), 3 writes (practitioner,
		/// organisation's count, the practitioner's account providers).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::add_practitioner())]
		pub fn add_practitioner(
			origin: OriginFor<T>,
			practitioner: T::AccountId,
			role: Role,
		) -> DispatchResult {
			let admin = ensure_signed(origin)?;
			let organisation = AdminOf::<T>::get(&admin).ok_or(Error::<T>::NotOrganisationAdmin)?;
			Self::do_add_practitioner(organisation, practitioner.clone(), role)?;
			Self::deposit_event(Event::PractitionerAdded { organisation, practitioner, role });
			Ok(())
		}

		/// Remove a practitioner from the signer's organisation. Allowed while the
		/// organisation is suspended, so that it can clean up.
		///
		/// The origin must be signed by the admin account of the practitioner's organisation.
		///
		/// Emits [`Event::PractitionerRemoved`].
		/// Errors: [`Error::NotOrganisationAdmin`], [`Error::NotPractitionerOfOrganisation`].
		///
		/// ## Complexity
		/// O(1): 3 reads, 3 writes.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::remove_practitioner())]
		pub fn remove_practitioner(
			origin: OriginFor<T>,
			practitioner: T::AccountId,
		) -> DispatchResult {
			let admin = ensure_signed(origin)?;
			let organisation = AdminOf::<T>::get(&admin).ok_or(Error::<T>::NotOrganisationAdmin)?;
			let membership = Practitioners::<T>::get(&practitioner)
				.filter(|m| m.organisation == organisation)
				.ok_or(Error::<T>::NotPractitionerOfOrganisation)?;
			frame_system::Pallet::<T>::dec_providers(&practitioner)?;
			Practitioners::<T>::remove(&practitioner);
			Organisations::<T>::mutate(membership.organisation, |org| {
				if let Some(org) = org {
					org.practitioners = org.practitioners.saturating_sub(1);
				}
			});
			Self::deposit_event(Event::PractitionerRemoved { organisation, practitioner });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Moves `organisation` from status `from` to `to`, or fails with `not_from`.
	fn change_status(
		organisation: OrganisationId,
		from: OrganisationStatus,
		to: OrganisationStatus,
		not_from: Error<T>,
	) -> DispatchResult {
		Organisations::<T>::try_mutate(organisation, |org| {
			let org = org.as_mut().ok_or(Error::<T>::UnknownOrganisation)?;
			ensure!(org.status == from, not_from);
			org.status = to;
			Ok(())
		})
	}

	fn do_register_organisation(
		admin: T::AccountId,
		kind: OrganisationKind,
		license_hash: Hash32,
	) -> Result<OrganisationId, DispatchError> {
		ensure!(!AdminOf::<T>::contains_key(&admin), Error::<T>::AdminAlreadyAssigned);
		let organisation = NextOrganisationId::<T>::get();
		let next = organisation.checked_add(1).ok_or(Error::<T>::OrganisationIdsExhausted)?;
		frame_system::Pallet::<T>::inc_providers(&admin);
		Organisations::<T>::insert(
			organisation,
			Organisation {
				admin: admin.clone(),
				kind,
				license_hash,
				status: OrganisationStatus::Active,
				practitioners: 0,
			},
		);
		AdminOf::<T>::insert(admin, organisation);
		NextOrganisationId::<T>::put(next);
		Ok(organisation)
	}

	fn do_add_practitioner(
		organisation: OrganisationId,
		practitioner: T::AccountId,
		role: Role,
	) -> DispatchResult {
		ensure!(!Practitioners::<T>::contains_key(&practitioner), Error::<T>::AlreadyPractitioner);
		Organisations::<T>::try_mutate(organisation, |org| {
			let org = org.as_mut().ok_or(Error::<T>::UnknownOrganisation)?;
			ensure!(org.status == OrganisationStatus::Active, Error::<T>::OrganisationSuspended);
			ensure!(
				org.practitioners < T::MaxPractitionersPerOrganisation::get(),
				Error::<T>::TooManyPractitioners
			);
			org.practitioners = org.practitioners.checked_add(1).ok_or(Error::<T>::TooManyPractitioners)?;
			Ok::<_, DispatchError>(())
		})?;
		frame_system::Pallet::<T>::inc_providers(&practitioner);
		Practitioners::<T>::insert(practitioner, Membership { organisation, role });
		Ok(())
	}

	/// The organisation `organisation`, if registered.
	pub fn organisation(organisation: OrganisationId) -> Option<Organisation<T::AccountId>> {
		Organisations::<T>::get(organisation)
	}
}

impl<T: Config> ProviderRegistry<T::AccountId> for Pallet<T> {
	fn active_practitioner(who: &T::AccountId) -> Option<ActivePractitioner> {
		let Membership { organisation, role } = Practitioners::<T>::get(who)?;
		let kind = Self::active_organisation(organisation)?;
		Some(ActivePractitioner { organisation, role, kind })
	}

	fn active_organisation(organisation: OrganisationId) -> Option<OrganisationKind> {
		Organisations::<T>::get(organisation)
			.filter(|org| org.status == OrganisationStatus::Active)
			.map(|org| org.kind)
	}

	fn administered_by(who: &T::AccountId) -> Option<OrganisationId> {
		AdminOf::<T>::get(who)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn make_active_practitioner(who: &T::AccountId, kind: OrganisationKind, role: Role) -> OrganisationId {
		// One benchmark organisation, registered on first use.
		let admin: T::AccountId = frame::benchmarking::prelude::account("benchmark-admin", 0, 0);
		let organisation = AdminOf::<T>::get(&admin).unwrap_or_else(|| {
			Self::do_register_organisation(admin, kind, Hash32::zero())
				.expect("benchmark set-up: a fresh admin registers")
		});
		Self::do_add_practitioner(organisation, who.clone(), role)
			.expect("benchmark set-up: a fresh practitioner joins");
		organisation
	}
}
