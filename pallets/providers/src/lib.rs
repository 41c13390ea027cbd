//! # Providers pallet
//!
//! The organisations of the medchain consortium (hospitals, clinics, labs, pharmacies,
//! insurers, research institutes, regulators) and the practitioners who act for them.
//!
//! ## Overview
//!
//! - Governance ([`Config::GovernanceOrigin`]: Root on development chains, the consortium
//!   council on production ones) registers an organisation with its kind, the hash of the
//!   license it checked, and an admin account; it suspends and reinstates organisations, and
//!   can remove any practitioner.
//! - Membership takes two steps: an organisation's admin **invites** an account with a
//!   [`Role`], and the account **accepts** (it signs; nobody is made a practitioner without
//!   agreeing). A practitioner belongs to exactly one organisation, and may **leave** it; its
//!   admin may remove it. An organisation's admin account is never a practitioner (of any
//!   organisation), so that every account acts for one organisation in one capacity.
//! - A practitioner is *active* while its organisation is active. Suspending an organisation
//!   deactivates all of its practitioners at once, in O(1): the status is read through the
//!   organisation, never copied into each practitioner. A membership records when it began
//!   ([`Membership::since`]): consents given to an earlier membership do not carry over.
//!
//! Other pallets ask through [`medchain_primitives::ProviderRegistry`], which [`Pallet`]
//! implements; they never read this pallet's storage.
//!
//! ## Accounts
//!
//! medchain's accounts hold no tokens: registered accounts exist on chain because this pallet
//! provides for them (`frame_system::inc_providers`) when they are first given a role or an
//! invitation. The reference is never released, so no account is ever reaped: its nonce never
//! starts again at 0 (which would let anyone replay its old transactions), and nothing the
//! account does to itself (such as taking a consumer reference) can block its removal.
//!
//! ## Calls
//!
//! - [`Pallet::register_organisation`], [`Pallet::suspend_organisation`],
//!   [`Pallet::reinstate_organisation`], [`Pallet::force_remove_practitioner`]: governance.
//! - [`Pallet::invite_practitioner`], [`Pallet::cancel_invitation`],
//!   [`Pallet::remove_practitioner`]: an organisation's admin.
//! - [`Pallet::accept_invitation`], [`Pallet::decline_invitation`]: the invited account.
//! - [`Pallet::leave_organisation`]: a practitioner.
//! - [`Pallet::propose_admin`] (the admin) and [`Pallet::accept_admin`] (the proposed account):
//!   an organisation's admin key is handed on in two steps; [`Pallet::force_set_admin`]
//!   (governance) replaces a lost or compromised one at once.
//!
//! For integrators — the FHIR mapping, every call with the runtime's bounds, the authorisation
//! matrix, the RPC methods and examples that a test runs: `docs/pallets/providers.md`.

#![cfg_attr(not(feature = "std"), no_std)]
// Checked arithmetic in the chain's code (tests may overflow on purpose): docs/development.md.
#![cfg_attr(not(test), warn(clippy::arithmetic_side_effects))]

extern crate alloc;

mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod try_state;
pub mod types;
pub mod weights;

use alloc::vec::Vec;
use frame::{prelude::*, traits::Time};
use medchain_primitives::{
	ActivePractitioner, Hash32, Moment, OrganisationId, OrganisationKind, ProviderRegistry, Role,
};

pub use pallet::*;
pub use types::{AdminProposal, Invitation, Membership, Organisation, OrganisationStatus};
pub use weights::WeightInfo;

#[frame::pallet]
pub mod pallet {
	use super::*;

	/// The version of this pallet's storage layout: a change to the layout raises it and comes
	/// with a migration (docs/development.md, "Migrations").
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Who registers, suspends and reinstates organisations, and force-removes
		/// practitioners.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The chain's clock (pallet-timestamp): invitations lapse by it, memberships are
		/// dated by it.
		type Time: Time<Moment = Moment>;

		/// The most practitioners one organisation may have. Bounds
		/// [`Organisation::practitioners`]; a large hospital needs thousands.
		#[pallet::constant]
		type MaxPractitionersPerOrganisation: Get<u32>;

		/// The most open invitations one organisation may have at once. Bounds the
		/// [`Invitations`] of each organisation.
		#[pallet::constant]
		type MaxOpenInvitations: Get<u32>;

		/// How long an invitation, or a proposal of a new admin account, stays open (ms).
		#[pallet::constant]
		type InvitationLifetime: Get<Moment>;

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

	/// Each practitioner's organisation, role and start (a practitioner belongs to one
	/// organisation).
	#[pallet::storage]
	pub type Practitioners<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Membership, OptionQuery>;

	/// Open invitations: (invited account, organisation) → role and expiry. At most
	/// `MaxOpenInvitations` per organisation.
	// Twox64Concat on the organisation: ids are assigned by the chain.
	#[pallet::storage]
	pub type Invitations<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		OrganisationId,
		Invitation,
		OptionQuery,
	>;

	/// Open proposals of a new admin account, by organisation (at most one each).
	// Twox64Concat: organisation ids are assigned by the chain.
	#[pallet::storage]
	pub type AdminProposals<T: Config> =
		StorageMap<_, Twox64Concat, OrganisationId, AdminProposal<T::AccountId>, OptionQuery>;

	/// The organisation whose admin proposed each account as its next admin (the reverse of
	/// `AdminProposals`): what lets the account sign its acceptance.
	#[pallet::storage]
	pub type ProposedAdminOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, OrganisationId, OptionQuery>;

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
		/// An organisation's admin invited an account to join as a practitioner.
		PractitionerInvited {
			organisation: OrganisationId,
			practitioner: T::AccountId,
			role: Role,
			expires_at: Moment,
		},
		/// An invitation was withdrawn by the admin or declined by the invited account.
		InvitationClosed { organisation: OrganisationId, practitioner: T::AccountId },
		/// An invited account accepted: it is a practitioner of the organisation.
		PractitionerAdded { organisation: OrganisationId, practitioner: T::AccountId, role: Role },
		/// A practitioner was removed by its organisation's admin or by governance.
		PractitionerRemoved { organisation: OrganisationId, practitioner: T::AccountId },
		/// A practitioner left its organisation.
		PractitionerLeft { organisation: OrganisationId, practitioner: T::AccountId },
		/// An organisation's admin proposed the account that should take over as its admin;
		/// the account accepts before `expires_at`.
		AdminProposed { organisation: OrganisationId, proposed: T::AccountId, expires_at: Moment },
		/// The organisation's admin account changed: accepted by the proposed account, or set by
		/// governance. The old account no longer administers anything.
		AdminChanged {
			organisation: OrganisationId,
			old_admin: T::AccountId,
			new_admin: T::AccountId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// This account already administers an organisation; choose another admin account.
		AdminAlreadyAssigned,
		/// This account is a practitioner; an organisation's admin account must be one that
		/// acts for nobody else. Use another account (or have it leave its organisation).
		AdminIsPractitioner,
		/// This account is an organisation's admin account, which cannot also be a
		/// practitioner; invite the person's own staff account.
		AccountIsAdmin,
		/// A license hash of all zeros names no document; give the hash of the license
		/// governance checked.
		NoLicenseHash,
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
		/// This account is already a practitioner (here or elsewhere); it must leave there
		/// first.
		AlreadyPractitioner,
		/// This account is not a practitioner of the signer's organisation.
		NotPractitionerOfOrganisation,
		/// The signer is not a practitioner of any organisation.
		NotPractitioner,
		/// The organisation has `MaxPractitionersPerOrganisation` practitioners; remove one first.
		TooManyPractitioners,
		/// The organisation has `MaxOpenInvitations` open invitations; cancel one first.
		TooManyInvitations,
		/// The organisation has already invited this account and the invitation is open.
		AlreadyInvited,
		/// The organisation has not invited this account (or the invitation was closed).
		NoInvitation,
		/// The invitation has lapsed; ask the organisation's admin for a new one.
		InvitationExpired,
		/// Every organisation id has been used.
		OrganisationIdsExhausted,
		/// No open proposal makes the signer this organisation's admin: the admin proposes
		/// (`propose_admin`) before the account accepts.
		NoAdminProposal,
		/// The proposal has lapsed; the admin must propose the account again.
		AdminProposalExpired,
		/// This account is already proposed as another organisation's admin; it accepts or lets
		/// that proposal lapse first.
		AlreadyProposedAdmin,
	}

	#[pallet::genesis_config]
	#[derive(frame::prelude::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Organisations registered at genesis: (admin, kind, license hash). They get ids 0, 1,
		/// 2 … in this order.
		pub organisations: Vec<(T::AccountId, OrganisationKind, Hash32)>,
		/// Practitioners at genesis: (account, organisation id, role). (At genesis nobody can
		/// sign an acceptance: the chain spec's authors vouch for these.)
		pub practitioners: Vec<(T::AccountId, OrganisationId, Role)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (admin, kind, license_hash) in &self.organisations {
				Pallet::<T>::do_register_organisation(admin.clone(), *kind, *license_hash)
					.expect("genesis organisations are valid: distinct admins, not practitioners");
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

	#[pallet::call(weight = <T as Config>::WeightInfo)]
	impl<T: Config> Pallet<T> {
		/// Register an organisation of the consortium.
		///
		/// The origin must be [`Config::GovernanceOrigin`].
		///
		/// - `admin`: the account that will manage the organisation's practitioners; it must
		///   neither administer another organisation nor be a practitioner.
		/// - `kind`: what kind of provider it is.
		/// - `license_hash`: the hash of the license or accreditation governance checked (not
		///   all zeros).
		///
		/// The organisation gets the next free id and starts active.
		///
		/// Emits [`Event::OrganisationRegistered`].
		/// Errors: [`Error::AdminAlreadyAssigned`], [`Error::AdminIsPractitioner`],
		/// [`Error::NoLicenseHash`], [`Error::OrganisationIdsExhausted`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(0)]
		pub fn register_organisation(
			origin: OriginFor<T>,
			admin: T::AccountId,
			kind: OrganisationKind,
			license_hash: Hash32,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			ensure!(!license_hash.is_zero(), Error::<T>::NoLicenseHash);
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
		/// O(1), whatever the number of practitioners.
		#[pallet::call_index(1)]
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
		/// O(1).
		#[pallet::call_index(2)]
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

		/// Invite an account to join the signer's organisation as a practitioner with `role`.
		/// The account becomes a practitioner only when it accepts
		/// ([`Pallet::accept_invitation`]), within `InvitationLifetime`. Inviting an account
		/// again after its invitation lapsed renews it.
		///
		/// The origin must be signed by an organisation's admin account; the organisation must
		/// be active.
		///
		/// - `practitioner`: the staff member's own account; not an organisation's admin, not
		///   already a practitioner of this organisation.
		/// - `role`: its role in the organisation.
		///
		/// Emits [`Event::PractitionerInvited`].
		/// Errors: [`Error::NotOrganisationAdmin`], [`Error::OrganisationSuspended`],
		/// [`Error::AccountIsAdmin`], [`Error::AlreadyPractitioner`],
		/// [`Error::AlreadyInvited`], [`Error::TooManyInvitations`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(3)]
		pub fn invite_practitioner(
			origin: OriginFor<T>,
			practitioner: T::AccountId,
			role: Role,
		) -> DispatchResult {
			let admin = ensure_signed(origin)?;
			let organisation = AdminOf::<T>::get(&admin).ok_or(Error::<T>::NotOrganisationAdmin)?;
			ensure!(!AdminOf::<T>::contains_key(&practitioner), Error::<T>::AccountIsAdmin);
			ensure!(
				Practitioners::<T>::get(&practitioner).map(|m| m.organisation)
					!= Some(organisation),
				Error::<T>::AlreadyPractitioner
			);
			let now = T::Time::now();
			let renewal = match Invitations::<T>::get(&practitioner, organisation) {
				Some(open) if now < open.expires_at => {
					return Err(Error::<T>::AlreadyInvited.into())
				},
				Some(_) => true,
				None => false,
			};
			Organisations::<T>::try_mutate(organisation, |org| {
				let org = org.as_mut().ok_or(Error::<T>::UnknownOrganisation)?;
				ensure!(
					org.status == OrganisationStatus::Active,
					Error::<T>::OrganisationSuspended
				);
				if !renewal {
					ensure!(
						org.invitations < T::MaxOpenInvitations::get(),
						Error::<T>::TooManyInvitations
					);
					org.invitations =
						org.invitations.checked_add(1).ok_or(Error::<T>::TooManyInvitations)?;
				}
				Ok::<_, DispatchError>(())
			})?;
			let expires_at = now.saturating_add(T::InvitationLifetime::get());
			// The invited account must exist to sign its acceptance.
			frame_system::Pallet::<T>::inc_providers(&practitioner);
			Invitations::<T>::insert(&practitioner, organisation, Invitation { role, expires_at });
			Self::deposit_event(Event::PractitionerInvited {
				organisation,
				practitioner,
				role,
				expires_at,
			});
			Ok(())
		}

		/// Withdraw an invitation of the signer's organisation (open or lapsed).
		///
		/// The origin must be signed by the organisation's admin account.
		///
		/// Emits [`Event::InvitationClosed`].
		/// Errors: [`Error::NotOrganisationAdmin`], [`Error::NoInvitation`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(4)]
		pub fn cancel_invitation(
			origin: OriginFor<T>,
			practitioner: T::AccountId,
		) -> DispatchResult {
			let admin = ensure_signed(origin)?;
			let organisation = AdminOf::<T>::get(&admin).ok_or(Error::<T>::NotOrganisationAdmin)?;
			Self::close_invitation(&practitioner, organisation)?;
			Self::deposit_event(Event::InvitationClosed { organisation, practitioner });
			Ok(())
		}

		/// Accept an organisation's invitation: the signer becomes its practitioner, with the
		/// role it was invited for.
		///
		/// The origin must be signed by the invited account, which must not be a practitioner
		/// (it leaves its organisation first) nor an organisation's admin.
		///
		/// Emits [`Event::PractitionerAdded`].
		/// Errors: [`Error::NoInvitation`], [`Error::InvitationExpired`],
		/// [`Error::AlreadyPractitioner`], [`Error::AccountIsAdmin`],
		/// [`Error::OrganisationSuspended`], [`Error::TooManyPractitioners`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(5)]
		pub fn accept_invitation(
			origin: OriginFor<T>,
			organisation: OrganisationId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let invitation =
				Invitations::<T>::get(&who, organisation).ok_or(Error::<T>::NoInvitation)?;
			ensure!(T::Time::now() < invitation.expires_at, Error::<T>::InvitationExpired);
			ensure!(!AdminOf::<T>::contains_key(&who), Error::<T>::AccountIsAdmin);
			Self::close_invitation(&who, organisation)?;
			Self::do_add_practitioner(organisation, who.clone(), invitation.role)?;
			Self::deposit_event(Event::PractitionerAdded {
				organisation,
				practitioner: who,
				role: invitation.role,
			});
			Ok(())
		}

		/// Decline an organisation's invitation (open or lapsed).
		///
		/// The origin must be signed by the invited account.
		///
		/// Emits [`Event::InvitationClosed`].
		/// Errors: [`Error::NoInvitation`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(6)]
		pub fn decline_invitation(
			origin: OriginFor<T>,
			organisation: OrganisationId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::close_invitation(&who, organisation)?;
			Self::deposit_event(Event::InvitationClosed { organisation, practitioner: who });
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
		/// O(1). Nothing the practitioner did can make it fail.
		#[pallet::call_index(7)]
		pub fn remove_practitioner(
			origin: OriginFor<T>,
			practitioner: T::AccountId,
		) -> DispatchResult {
			let admin = ensure_signed(origin)?;
			let organisation = AdminOf::<T>::get(&admin).ok_or(Error::<T>::NotOrganisationAdmin)?;
			ensure!(
				Practitioners::<T>::get(&practitioner).map(|m| m.organisation)
					== Some(organisation),
				Error::<T>::NotPractitionerOfOrganisation
			);
			Self::end_membership(&practitioner, organisation);
			Self::deposit_event(Event::PractitionerRemoved { organisation, practitioner });
			Ok(())
		}

		/// Leave the signer's organisation (even a suspended one).
		///
		/// The origin must be signed by a practitioner.
		///
		/// Emits [`Event::PractitionerLeft`].
		/// Errors: [`Error::NotPractitioner`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(8)]
		pub fn leave_organisation(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let membership = Practitioners::<T>::get(&who).ok_or(Error::<T>::NotPractitioner)?;
			Self::end_membership(&who, membership.organisation);
			Self::deposit_event(Event::PractitionerLeft {
				organisation: membership.organisation,
				practitioner: who,
			});
			Ok(())
		}

		/// Remove any practitioner from its organisation: for an organisation that will not
		/// (or, suspended, should not be trusted to) remove it.
		///
		/// The origin must be [`Config::GovernanceOrigin`].
		///
		/// Emits [`Event::PractitionerRemoved`].
		/// Errors: [`Error::NotPractitioner`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(9)]
		pub fn force_remove_practitioner(
			origin: OriginFor<T>,
			practitioner: T::AccountId,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let membership =
				Practitioners::<T>::get(&practitioner).ok_or(Error::<T>::NotPractitioner)?;
			Self::end_membership(&practitioner, membership.organisation);
			Self::deposit_event(Event::PractitionerRemoved {
				organisation: membership.organisation,
				practitioner,
			});
			Ok(())
		}

		/// Propose the account that should take over as the signer's organisation's admin. The
		/// change happens when that account accepts ([`Pallet::accept_admin`]) within
		/// `InvitationLifetime`; until then the signer stays the admin. A new proposal replaces
		/// the organisation's open one. Allowed while the organisation is suspended, so that a
		/// suspended organisation can replace its admin key.
		///
		/// The origin must be signed by an organisation's admin account.
		///
		/// - `proposed`: the new admin account; it must administer no organisation, be no
		///   practitioner, and not be proposed by another organisation.
		///
		/// Emits [`Event::AdminProposed`].
		/// Errors: [`Error::NotOrganisationAdmin`], [`Error::AdminAlreadyAssigned`],
		/// [`Error::AdminIsPractitioner`], [`Error::AlreadyProposedAdmin`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(10)]
		pub fn propose_admin(origin: OriginFor<T>, proposed: T::AccountId) -> DispatchResult {
			let admin = ensure_signed(origin)?;
			let organisation = AdminOf::<T>::get(&admin).ok_or(Error::<T>::NotOrganisationAdmin)?;
			Self::ensure_may_administer(&proposed)?;
			ensure!(
				ProposedAdminOf::<T>::get(&proposed).map_or(true, |org| org == organisation),
				Error::<T>::AlreadyProposedAdmin
			);
			if let Some(earlier) = AdminProposals::<T>::get(organisation) {
				ProposedAdminOf::<T>::remove(&earlier.account);
			}
			let expires_at = T::Time::now().saturating_add(T::InvitationLifetime::get());
			// The proposed account must exist to sign its acceptance.
			frame_system::Pallet::<T>::inc_providers(&proposed);
			AdminProposals::<T>::insert(
				organisation,
				AdminProposal { account: proposed.clone(), expires_at },
			);
			ProposedAdminOf::<T>::insert(&proposed, organisation);
			Self::deposit_event(Event::AdminProposed { organisation, proposed, expires_at });
			Ok(())
		}

		/// Accept an organisation admin's proposal: the signer becomes the organisation's admin
		/// and the old admin account administers nothing from now on.
		///
		/// The origin must be signed by the proposed account, which must still administer no
		/// organisation and be no practitioner.
		///
		/// Emits [`Event::AdminChanged`].
		/// Errors: [`Error::NoAdminProposal`], [`Error::AdminProposalExpired`],
		/// [`Error::AdminAlreadyAssigned`], [`Error::AdminIsPractitioner`],
		/// [`Error::UnknownOrganisation`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(11)]
		pub fn accept_admin(origin: OriginFor<T>, organisation: OrganisationId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let proposal = AdminProposals::<T>::get(organisation)
				.filter(|p| p.account == who)
				.ok_or(Error::<T>::NoAdminProposal)?;
			ensure!(T::Time::now() < proposal.expires_at, Error::<T>::AdminProposalExpired);
			let old_admin = Self::do_set_admin(organisation, &who)?;
			Self::deposit_event(Event::AdminChanged { organisation, old_admin, new_admin: who });
			Ok(())
		}

		/// Replace an organisation's admin account at once: for a lost or compromised key.
		/// The old account administers nothing from now on; an open proposal is dropped.
		///
		/// The origin must be [`Config::GovernanceOrigin`].
		///
		/// - `new_admin`: it must administer no organisation and be no practitioner.
		///
		/// Emits [`Event::AdminChanged`].
		/// Errors: [`Error::UnknownOrganisation`], [`Error::AdminAlreadyAssigned`],
		/// [`Error::AdminIsPractitioner`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(12)]
		pub fn force_set_admin(
			origin: OriginFor<T>,
			organisation: OrganisationId,
			new_admin: T::AccountId,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let old_admin = Self::do_set_admin(organisation, &new_admin)?;
			Self::deposit_event(Event::AdminChanged { organisation, old_admin, new_admin });
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

	/// Ensures `who` may become an organisation's admin: it administers none and is no
	/// practitioner.
	fn ensure_may_administer(who: &T::AccountId) -> DispatchResult {
		ensure!(!AdminOf::<T>::contains_key(who), Error::<T>::AdminAlreadyAssigned);
		ensure!(!Practitioners::<T>::contains_key(who), Error::<T>::AdminIsPractitioner);
		Ok(())
	}

	/// Makes `new_admin` the admin of `organisation` in place of its admin, dropping any open
	/// proposal; gives the old admin. The old account keeps the provider reference it was
	/// given (accounts are never reaped).
	fn do_set_admin(
		organisation: OrganisationId,
		new_admin: &T::AccountId,
	) -> Result<T::AccountId, DispatchError> {
		Self::ensure_may_administer(new_admin)?;
		let old_admin = Organisations::<T>::try_mutate(organisation, |org| {
			let org = org.as_mut().ok_or(Error::<T>::UnknownOrganisation)?;
			Ok::<_, DispatchError>(core::mem::replace(&mut org.admin, new_admin.clone()))
		})?;
		if let Some(proposal) = AdminProposals::<T>::take(organisation) {
			ProposedAdminOf::<T>::remove(&proposal.account);
		}
		frame_system::Pallet::<T>::inc_providers(new_admin);
		AdminOf::<T>::remove(&old_admin);
		AdminOf::<T>::insert(new_admin, organisation);
		Ok(old_admin)
	}

	fn do_register_organisation(
		admin: T::AccountId,
		kind: OrganisationKind,
		license_hash: Hash32,
	) -> Result<OrganisationId, DispatchError> {
		Self::ensure_may_administer(&admin)?;
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
				invitations: 0,
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
		ensure!(!AdminOf::<T>::contains_key(&practitioner), Error::<T>::AccountIsAdmin);
		Organisations::<T>::try_mutate(organisation, |org| {
			let org = org.as_mut().ok_or(Error::<T>::UnknownOrganisation)?;
			ensure!(org.status == OrganisationStatus::Active, Error::<T>::OrganisationSuspended);
			ensure!(
				org.practitioners < T::MaxPractitionersPerOrganisation::get(),
				Error::<T>::TooManyPractitioners
			);
			org.practitioners =
				org.practitioners.checked_add(1).ok_or(Error::<T>::TooManyPractitioners)?;
			Ok::<_, DispatchError>(())
		})?;
		frame_system::Pallet::<T>::inc_providers(&practitioner);
		Practitioners::<T>::insert(
			practitioner,
			Membership { organisation, role, since: T::Time::now() },
		);
		Ok(())
	}

	/// Ends `practitioner`'s membership of `organisation`. Cannot fail: the account keeps
	/// the provider reference this pallet gave it (see the crate docs), so nothing the
	/// account holds stands in the way.
	fn end_membership(practitioner: &T::AccountId, organisation: OrganisationId) {
		Practitioners::<T>::remove(practitioner);
		Organisations::<T>::mutate(organisation, |org| {
			if let Some(org) = org {
				org.practitioners = org.practitioners.saturating_sub(1);
			}
		});
	}

	/// Removes `organisation`'s invitation of `who`, freeing its slot.
	fn close_invitation(who: &T::AccountId, organisation: OrganisationId) -> DispatchResult {
		Invitations::<T>::take(who, organisation).ok_or(Error::<T>::NoInvitation)?;
		Organisations::<T>::mutate(organisation, |org| {
			if let Some(org) = org {
				org.invitations = org.invitations.saturating_sub(1);
			}
		});
		Ok(())
	}

	/// The organisation `organisation`, if registered.
	pub fn organisation(organisation: OrganisationId) -> Option<Organisation<T::AccountId>> {
		Organisations::<T>::get(organisation)
	}
}

impl<T: Config> ProviderRegistry<T::AccountId> for Pallet<T> {
	fn active_practitioner(who: &T::AccountId) -> Option<ActivePractitioner> {
		let Membership { organisation, role, since } = Practitioners::<T>::get(who)?;
		let kind = Self::active_organisation(organisation)?;
		Some(ActivePractitioner { organisation, role, kind, since })
	}

	fn active_organisation(organisation: OrganisationId) -> Option<OrganisationKind> {
		Organisations::<T>::get(organisation)
			.filter(|org| org.status == OrganisationStatus::Active)
			.map(|org| org.kind)
	}

	fn administered_by(who: &T::AccountId) -> Option<OrganisationId> {
		AdminOf::<T>::get(who)
	}

	fn invited_by(who: &T::AccountId) -> Option<OrganisationId> {
		// One read: any invitation, open or lapsed, lets the account accept or decline it
		// (accepting a lapsed one fails with `InvitationExpired`).
		Invitations::<T>::iter_prefix(who).next().map(|(organisation, _)| organisation)
	}

	fn admin_proposed_to(who: &T::AccountId) -> Option<OrganisationId> {
		ProposedAdminOf::<T>::get(who)
	}
}
