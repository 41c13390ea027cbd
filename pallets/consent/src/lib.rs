//! # Consent pallet
//!
//! Who may see what of a patient's data, for which purpose, until when — decided on chain.
//!
//! ## Overview
//!
//! - A patient (or a guardian whose scope covers the categories) **grants** an organisation or
//!   a practitioner a set of categories, purposes and actions (Read, Append, Share) for a
//!   period of chain time (milliseconds of pallet-timestamp). A grant names the sensitive
//!   categories (MentalHealth, SexualHealth, Genomics, Billing) it covers a second time,
//!   explicitly, or is refused: "everything" never includes them by accident.
//! - **Revocation** is immediate; the grant stays readable with its revocation time.
//! - **Deny rules** (for one grantee or everyone) override every grant they cover.
//! - **Expiry** is checked at every decision against the current timestamp, never by trusting
//!   cleanup. Ended grants are removed lazily in `on_idle`, a bounded number per block, once
//!   they have been ended for [`Config::GrantRetention`].
//! - **Break-glass**: an active physician or nurse of a hospital or clinic opens emergency
//!   access with a justification code, within the patient's emergency policy, for a fixed
//!   duration (24 h in the runtime), at most `MaxEmergencyAccessesPerPeriod` times per period;
//!   a prominent event goes to the patient, and the access stays unreviewed until the patient,
//!   a guardian whose scope covers it or governance reviews it. A review `Unjustified` ends the
//!   access and bars that practitioner from breaking the glass for that patient for
//!   `EmergencyBarDuration`. Ended accesses are removed after `EmergencyRetention`.
//! - The **decision** [`Pallet::check_access`] (also [`medchain_primitives::AccessPolicy`]) is
//!   pure, and costs O(grants the patient gave that grantee + its organisation + the
//!   patient's deny rules), all bounded by this pallet's constants.
//!
//! Organisations act on a grant to them through their admin account; their practitioners act
//! on it only if it includes [`Action::Share`]. A grant to a practitioner is acted on by that
//! practitioner while it works, in the same membership, for the organisation it worked for when
//! the grant was given, and that organisation is active; an emergency access likewise.
//!
//! The grant index of a (patient, grantee) holds only grants that have not ended: a revoked
//! grant leaves it at once, an expired one when the index is full or at cleanup, so nobody can
//! fill a patient's slots with grants that no longer count.
//!
//! For integrators — the FHIR mapping, every call with the runtime's bounds, the authorisation
//! matrix, the RPC methods and examples that a test runs: `docs/pallets/consent.md`.

#![cfg_attr(not(feature = "std"), no_std)]
// Checked arithmetic in the chain's code (tests may overflow on purpose): docs/development.md.
#![cfg_attr(not(test), warn(clippy::arithmetic_side_effects))]

extern crate alloc;

pub mod benchmarking;
mod cleanup;
mod decision;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod try_state;
pub mod types;
pub mod weights;

use frame::{prelude::*, traits::Time};
use medchain_primitives::{
	Actions, Agent, AuditAction, AuditEvent, AuditSink, Categories, ConsentRef, DenyId,
	EmergencyAccessId, GrantId, GrantTerms, Grantee, Moment, OrganisationId, PatientActor,
	PatientId, PatientRegistry, ProviderRegistry, Purpose, Purposes, RateCounter,
};

pub use cleanup::MAX_CLEANUP_PER_BLOCK;
pub use pallet::*;
pub use types::{
	DenyRule, DenyRules, EmergencyAccess, Grant, JustificationCode, Review, ReviewOutcome, Reviewer,
};
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
		/// Who is an active practitioner or organisation.
		type Providers: ProviderRegistry<Self::AccountId>;

		/// Who is a patient, and who may act for it.
		type Patients: PatientRegistry<Self::AccountId>;

		/// The chain's clock (pallet-timestamp): grants start and end by it.
		type Time: Time<Moment = Moment>;

		/// The most grants one patient may have for one grantee, ended ones awaiting cleanup
		/// included. Bounds the cost of a decision.
		#[pallet::constant]
		type MaxGrantsPerGrantee: Get<u32>;

		/// The most deny rules one patient may have. Bounds the cost of a decision.
		#[pallet::constant]
		type MaxDenyRules: Get<u32>;

		/// The longest period a grant may cover (ms).
		#[pallet::constant]
		type MaxGrantDuration: Get<Moment>;

		/// How long an ended (expired or revoked) grant stays readable before cleanup (ms).
		#[pallet::constant]
		type GrantRetention: Get<Moment>;

		/// How long a break-glass emergency access lasts (ms); 24 hours in the runtime.
		#[pallet::constant]
		type EmergencyAccessDuration: Get<Moment>;

		/// The most emergency accesses one practitioner may open per `EmergencyRatePeriod`.
		#[pallet::constant]
		type MaxEmergencyAccessesPerPeriod: Get<u32>;

		/// The period of `MaxEmergencyAccessesPerPeriod` and
		/// `MaxEmergencyAccessesPerOrganisation` (ms).
		#[pallet::constant]
		type EmergencyRatePeriod: Get<Moment>;

		/// The most emergency accesses the practitioners of one organisation may open, all
		/// together, per `EmergencyRatePeriod`: an admin who mints practitioners gets no larger
		/// share (security review 2026-12, N-3).
		#[pallet::constant]
		type MaxEmergencyAccessesPerOrganisation: Get<u32>;

		/// How long a practitioner must have been a member of its organisation before it may
		/// break the glass (ms): a key an admin has just made cannot.
		#[pallet::constant]
		type MinEmergencyTenure: Get<Moment>;

		/// The most emergency accesses open to one patient at once, whoever opened them.
		#[pallet::constant]
		type MaxOpenEmergencyAccessesPerPatient: Get<u32>;

		/// The most grants one patient (with its guardians) may give per `GrantRatePeriod`:
		/// grants are state every node keeps for up to `MaxGrantDuration + GrantRetention`
		/// (security review 2026-12, N-4).
		#[pallet::constant]
		type MaxGrantsPerPeriod: Get<u32>;

		/// The period of `MaxGrantsPerPeriod` (ms).
		#[pallet::constant]
		type GrantRatePeriod: Get<Moment>;

		/// How long a practitioner whose emergency access was reviewed `Unjustified` may not
		/// break the glass again for that patient (ms).
		#[pallet::constant]
		type EmergencyBarDuration: Get<Moment>;

		/// How long an ended emergency access stays on chain before cleanup (ms): the time the
		/// patient has to review it. Its opening stays in the patient's audit trail.
		#[pallet::constant]
		type EmergencyRetention: Get<Moment>;

		/// Who may review emergency accesses besides the patient and its guardians.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The patient's audit trail: every grant, revocation, deny rule, emergency access and
		/// review is appended to it, in the same transaction.
		type Audit: AuditSink<Self::AccountId>;

		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;

		/// Benchmarks: the state of the pallets it meets (practitioners, patients) and a clock
		/// they can set, built by the runtime.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: medchain_primitives::benchmarking::BenchmarkWorld<Self::AccountId>;
	}

	/// The id the next grant gets.
	#[pallet::storage]
	pub type NextGrantId<T> = StorageValue<_, GrantId, ValueQuery>;

	/// Grants by id.
	// Twox64Concat: ids are assigned sequentially by the chain.
	#[pallet::storage]
	pub type Grants<T: Config> =
		StorageMap<_, Twox64Concat, GrantId, Grant<T::AccountId>, OptionQuery>;

	/// The grants a patient gave a grantee: the index a decision reads.
	#[pallet::storage]
	pub type GrantsByGrantee<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		PatientId,
		Blake2_128Concat,
		Grantee<T::AccountId>,
		BoundedVec<GrantId, T::MaxGrantsPerGrantee>,
		ValueQuery,
	>;

	/// Each patient's deny rules.
	#[pallet::storage]
	pub type Denies<T: Config> = StorageMap<
		_,
		Twox64Concat,
		PatientId,
		DenyRules<T::AccountId, T::MaxDenyRules>,
		ValueQuery,
	>;

	/// The id the next emergency access gets.
	#[pallet::storage]
	pub type NextEmergencyAccessId<T> = StorageValue<_, EmergencyAccessId, ValueQuery>;

	/// Break-glass emergency accesses by id: kept, reviewed or not, as the record of them.
	// Twox64Concat: ids are assigned sequentially by the chain.
	#[pallet::storage]
	pub type EmergencyAccesses<T: Config> =
		StorageMap<_, Twox64Concat, EmergencyAccessId, EmergencyAccess<T::AccountId>, OptionQuery>;

	/// The latest emergency access a practitioner opened to a patient: what a decision reads.
	/// A practitioner has at most one open access per patient (the latest).
	#[pallet::storage]
	pub type OpenEmergency<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		PatientId,
		Blake2_128Concat,
		T::AccountId,
		EmergencyAccessId,
		OptionQuery,
	>;

	/// The next grant id `on_idle` examines for cleanup.
	#[pallet::storage]
	pub type CleanupCursor<T> = StorageValue<_, GrantId, ValueQuery>;

	/// The next emergency access id `on_idle` examines for cleanup.
	#[pallet::storage]
	pub type EmergencyCleanupCursor<T> = StorageValue<_, EmergencyAccessId, ValueQuery>;

	/// Each practitioner's emergency accesses in the current period (capped by
	/// `MaxEmergencyAccessesPerPeriod`).
	#[pallet::storage]
	pub type EmergencyRates<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, RateCounter, ValueQuery>;

	/// Each organisation's emergency accesses in the current period (capped by
	/// `MaxEmergencyAccessesPerOrganisation`).
	// Twox64Concat: organisation ids are assigned by the chain.
	#[pallet::storage]
	pub type OrganisationEmergencyRates<T: Config> =
		StorageMap<_, Twox64Concat, OrganisationId, RateCounter, ValueQuery>;

	/// When each emergency access open to a patient ends (at most
	/// `MaxOpenEmergencyAccessesPerPatient`; ended ones are dropped at the next break-glass).
	// Twox64Concat: patient ids are assigned by the chain.
	#[pallet::storage]
	pub type PatientEmergencies<T: Config> = StorageMap<
		_,
		Twox64Concat,
		PatientId,
		BoundedVec<Moment, T::MaxOpenEmergencyAccessesPerPatient>,
		ValueQuery,
	>;

	/// Each patient's grants in the current period (capped by `MaxGrantsPerPeriod`).
	// Twox64Concat: patient ids are assigned by the chain.
	#[pallet::storage]
	pub type GrantRates<T: Config> =
		StorageMap<_, Twox64Concat, PatientId, RateCounter, ValueQuery>;

	/// Practitioners barred from breaking the glass for a patient after an `Unjustified`
	/// review, until when (ms).
	#[pallet::storage]
	pub type EmergencyBars<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		PatientId,
		Blake2_128Concat,
		T::AccountId,
		Moment,
		OptionQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A patient (or its guardian) granted consent.
		ConsentGranted {
			grant_id: GrantId,
			patient: PatientId,
			terms: GrantTerms<T::AccountId>,
			granted_by: T::AccountId,
		},
		/// A grant was revoked; it permits nothing from now on.
		ConsentRevoked {
			grant_id: GrantId,
			patient: PatientId,
			revoked_by: T::AccountId,
			at: Moment,
		},
		/// A deny rule was added.
		DenyAdded {
			patient: PatientId,
			deny_id: DenyId,
			grantee: Option<Grantee<T::AccountId>>,
			categories: Categories,
			purposes: Purposes,
		},
		/// A deny rule was removed.
		DenyRemoved { patient: PatientId, deny_id: DenyId },
		/// An ended grant was removed from storage after its retention period.
		GrantCleanedUp { grant_id: GrantId, patient: PatientId },
		/// EMERGENCY ACCESS to the patient's data: a practitioner broke the glass. Addressed to
		/// the patient (and its guardians), who should review it.
		EmergencyAccessOpened {
			access_id: EmergencyAccessId,
			patient: PatientId,
			practitioner: T::AccountId,
			organisation: OrganisationId,
			categories: Categories,
			justification: JustificationCode,
			until: Moment,
		},
		/// An emergency access was reviewed (or a guardian's review replaced).
		EmergencyAccessReviewed {
			access_id: EmergencyAccessId,
			patient: PatientId,
			outcome: ReviewOutcome,
			reviewer: Option<T::AccountId>,
		},
		/// An ended emergency access was removed from storage after its retention period.
		EmergencyAccessCleanedUp { access_id: EmergencyAccessId, patient: PatientId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No patient has this id.
		UnknownPatient,
		/// The signer is neither the patient nor one of its guardians in force.
		NotPatientOrGuardian,
		/// The signer is a guardian whose scope does not cover these categories; ask the patient.
		GuardianScopeExceeded,
		/// A grant or deny rule must name at least one category.
		NoCategories,
		/// A grant or deny rule must name at least one purpose.
		NoPurposes,
		/// A grant must allow at least one action.
		NoActions,
		/// A bit of the categories names no category.
		UnknownCategories,
		/// A bit of the purposes names no purpose.
		UnknownPurposes,
		/// A bit of the actions names no action.
		UnknownActions,
		/// The grant covers sensitive categories (MentalHealth, SexualHealth, Genomics, Billing)
		/// that `sensitive` does not name: name each sensitive category a second time.
		SensitiveCategoryNotNamed,
		/// The grant ends before (or when) it starts.
		EndBeforeStart,
		/// The grant would end in the past.
		EndInThePast,
		/// The grant is longer than the runtime's `MaxGrantDuration`; grant a shorter period.
		PeriodTooLong,
		/// Only a Treatment-only grant to the patient's enrolling organisation may be open-ended;
		/// give this grant an end.
		OpenEndedNotAllowed,
		/// The grantee is not an active organisation or practitioner.
		GranteeInactive,
		/// The patient has `MaxGrantsPerGrantee` grants for this grantee; revoke one, or wait
		/// for ended ones to be cleaned up.
		TooManyGrants,
		/// No grant has this id (it may have been cleaned up after ending).
		UnknownGrant,
		/// The grant is already revoked.
		AlreadyRevoked,
		/// The patient has `MaxDenyRules` deny rules; remove one first.
		TooManyDenyRules,
		/// The patient has no deny rule with this id.
		UnknownDenyRule,
		/// Every grant id has been used.
		GrantIdsExhausted,
		/// The signer is not an active physician or nurse of a hospital or clinic; only those
		/// may break the glass.
		NotEmergencyProvider,
		/// The signer already has an open emergency access to this patient.
		EmergencyAccessAlreadyOpen,
		/// The signer opened `MaxEmergencyAccessesPerPeriod` emergency accesses in this period.
		TooManyEmergencyAccesses,
		/// An emergency access the signer opened to this patient was reviewed `Unjustified`:
		/// it may not break the glass for this patient until the bar ends.
		EmergencyAccessBarred,
		/// A practitioner cannot review its own emergency access.
		CannotReviewOwnAccess,
		/// The patient's emergency policy does not allow emergency access.
		EmergencyAccessNotAllowed,
		/// The patient's emergency policy does not allow emergency access to some of these
		/// categories; ask for fewer.
		EmergencyCategoriesNotAllowed,
		/// No emergency access has this id.
		UnknownEmergencyAccess,
		/// The emergency access has been reviewed already (by the patient or governance, or by
		/// a guardian when a guardian reviews again).
		AlreadyReviewed,
		/// Every emergency access id has been used.
		EmergencyAccessIdsExhausted,
		/// The signer's organisation opened `MaxEmergencyAccessesPerOrganisation` emergency
		/// accesses in this period, all its practitioners together; governance is alerted by the
		/// events, and the next period starts within the hour.
		OrganisationEmergencyCapReached,
		/// The patient has `MaxOpenEmergencyAccessesPerPatient` emergency accesses open; they
		/// end within `EmergencyAccessDuration`.
		PatientEmergencyCapReached,
		/// The signer joined its organisation less than `MinEmergencyTenure` ago: a new member
		/// does not break the glass.
		MembershipTooRecent,
		/// The patient gave `MaxGrantsPerPeriod` grants in this period; go on in the next one.
		TooManyGrantsInPeriod,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Removes grants that ended more than `GrantRetention` ago, and emergency accesses
		/// that ended more than `EmergencyRetention` ago, from their cleanup cursors on, within
		/// the weight left and at most [`MAX_CLEANUP_PER_BLOCK`] of each.
		fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			let used = Self::cleanup(remaining);
			used.saturating_add(Self::cleanup_emergency(remaining.saturating_sub(used)))
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), frame::try_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight = <T as Config>::WeightInfo)]
	impl<T: Config> Pallet<T> {
		/// Grant consent.
		///
		/// The origin must be signed by the patient, or by a guardian in force whose scope
		/// covers `terms.categories`.
		///
		/// `terms` ([`GrantTerms`]) is what the grant permits, stored as given:
		/// - `grantee`: an organisation or a practitioner; it must be active.
		/// - `categories`, `purposes`, `actions`: what the grant covers; none may be empty.
		/// - `valid_from`, `valid_until`: the period (ms of chain time; `valid_until` exclusive).
		///   `valid_until` must be after `valid_from` and in the future, and the period at most
		///   `MaxGrantDuration`. `None` (no end) only for a Treatment-only grant to the
		///   patient's enrolling organisation.
		///
		/// `sensitive`: the sensitive categories of `terms.categories`, named again (a
		/// confirmation, not stored); must equal
		/// `categories ∩ {MentalHealth, SexualHealth, Genomics, Billing}`.
		///
		/// Emits [`Event::ConsentGranted`].
		/// Errors: [`Error::UnknownCategories`], [`Error::UnknownPurposes`],
		/// [`Error::UnknownActions`], [`Error::UnknownPatient`], [`Error::NotPatientOrGuardian`],
		/// [`Error::GuardianScopeExceeded`], [`Error::NoCategories`], [`Error::NoPurposes`],
		/// [`Error::NoActions`], [`Error::SensitiveCategoryNotNamed`],
		/// [`Error::EndBeforeStart`], [`Error::EndInThePast`], [`Error::PeriodTooLong`],
		/// [`Error::OpenEndedNotAllowed`], [`Error::GranteeInactive`],
		/// [`Error::TooManyGrantsInPeriod`], [`Error::TooManyGrants`],
		/// [`Error::GrantIdsExhausted`].
		///
		/// At most `MaxGrantsPerPeriod` grants per patient (its guardians' included) per
		/// `GrantRatePeriod`.
		///
		/// ## Complexity
		/// O(G) in the grants of this (patient, grantee), G ≤ `MaxGrantsPerGrantee`: the index
		/// is read and written, and when it is full its ended grants are read and dropped.
		/// Charged for a full index; refunded to O(1) when the index had room.
		#[pallet::call_index(0)]
		pub fn grant(
			origin: OriginFor<T>,
			patient: PatientId,
			terms: GrantTerms<T::AccountId>,
			sensitive: Categories,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let GrantTerms { ref grantee, categories, purposes, actions, valid_from, valid_until } =
				terms;
			Self::ensure_known(categories.union(sensitive), purposes, actions)?;
			let now = T::Time::now();
			Self::ensure_acts_for(patient, &who, categories, now)?;
			ensure!(!categories.is_empty(), Error::<T>::NoCategories);
			ensure!(!purposes.is_empty(), Error::<T>::NoPurposes);
			ensure!(!actions.is_empty(), Error::<T>::NoActions);
			ensure!(
				categories.intersection(Categories::SENSITIVE) == sensitive,
				Error::<T>::SensitiveCategoryNotNamed
			);
			match valid_until {
				Some(until) => {
					ensure!(until > valid_from, Error::<T>::EndBeforeStart);
					ensure!(until > now, Error::<T>::EndInThePast);
					ensure!(
						until.saturating_sub(valid_from.max(now)) <= T::MaxGrantDuration::get(),
						Error::<T>::PeriodTooLong
					);
				},
				None => {
					let enrolling = T::Patients::enrolling_organisation(patient);
					ensure!(
						purposes == Purpose::Treatment.into()
							&& enrolling.is_some_and(|org| *grantee == Grantee::Organisation(org)),
						Error::<T>::OpenEndedNotAllowed
					);
				},
			}
			// A practitioner's grant is tied to the organisation it works for now.
			let organisation = match grantee {
				Grantee::Organisation(org) => {
					ensure!(
						T::Providers::active_organisation(*org).is_some(),
						Error::<T>::GranteeInactive
					);
					None
				},
				Grantee::Practitioner(account) => Some(
					T::Providers::active_practitioner(account)
						.ok_or(Error::<T>::GranteeInactive)?
						.organisation,
				),
			};

			GrantRates::<T>::try_mutate(patient, |rate| {
				rate.try_count(now, T::GrantRatePeriod::get(), T::MaxGrantsPerPeriod::get())
					.then_some(())
					.ok_or(Error::<T>::TooManyGrantsInPeriod)
			})?;
			let grant_id = NextGrantId::<T>::get();
			let next = grant_id.checked_add(1).ok_or(Error::<T>::GrantIdsExhausted)?;
			let pruned = GrantsByGrantee::<T>::try_mutate(patient, grantee, |ids| {
				let full = ids.is_full();
				if full {
					// Room taken by grants that ended is given back.
					ids.retain(|id| Grants::<T>::get(id).is_some_and(|g| !g.has_ended(now)));
				}
				ids.try_push(grant_id).map(|()| full)
			})
			.map_err(|_| Error::<T>::TooManyGrants)?;
			Grants::<T>::insert(
				grant_id,
				Grant {
					patient,
					terms: terms.clone(),
					granted_by: who.clone(),
					granted_at: now,
					organisation,
					revoked_at: None,
				},
			);
			NextGrantId::<T>::put(next);
			Self::audit(AuditEvent {
				categories,
				purposes,
				consent: Some(ConsentRef::Grant(grant_id)),
				..AuditEvent::new(patient, AuditAction::ConsentGranted, Agent::Account(who.clone()))
			})?;
			Self::deposit_event(Event::ConsentGranted {
				grant_id,
				patient,
				terms,
				granted_by: who,
			});
			Ok((!pruned).then(T::WeightInfo::grant_with_room).into())
		}

		/// Revoke a grant, at once. It stays readable, with its revocation time, until cleanup;
		/// its place in the grantee's index is free at once.
		///
		/// The origin must be signed by the patient, or by a guardian in force whose scope
		/// covers the grant's categories.
		///
		/// Emits [`Event::ConsentRevoked`].
		/// Errors: [`Error::UnknownGrant`], [`Error::AlreadyRevoked`],
		/// [`Error::NotPatientOrGuardian`], [`Error::GuardianScopeExceeded`].
		///
		/// ## Complexity
		/// O(G) in the grants of this (patient, grantee), G ≤ `MaxGrantsPerGrantee` (the index
		/// is rewritten).
		#[pallet::call_index(1)]
		pub fn revoke(origin: OriginFor<T>, grant_id: GrantId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut grant = Grants::<T>::get(grant_id).ok_or(Error::<T>::UnknownGrant)?;
			let now = T::Time::now();
			Self::ensure_acts_for(grant.patient, &who, grant.terms.categories, now)?;
			ensure!(grant.revoked_at.is_none(), Error::<T>::AlreadyRevoked);
			grant.revoked_at = Some(now);
			let (patient, categories, purposes) =
				(grant.patient, grant.terms.categories, grant.terms.purposes);
			Self::unindex(patient, &grant.terms.grantee, grant_id);
			Grants::<T>::insert(grant_id, grant);
			Self::audit(AuditEvent {
				categories,
				purposes,
				consent: Some(ConsentRef::Grant(grant_id)),
				..AuditEvent::new(patient, AuditAction::ConsentRevoked, Agent::Account(who.clone()))
			})?;
			Self::deposit_event(Event::ConsentRevoked {
				grant_id,
				patient,
				revoked_by: who,
				at: now,
			});
			Ok(())
		}

		/// Add a deny rule: no grant permits what it covers, for `grantee` (or everyone).
		///
		/// The origin must be signed by the patient, or by a guardian in force whose scope
		/// covers `categories`.
		///
		/// Emits [`Event::DenyAdded`].
		/// Errors: [`Error::UnknownCategories`], [`Error::UnknownPurposes`],
		/// [`Error::UnknownPatient`], [`Error::NotPatientOrGuardian`],
		/// [`Error::GuardianScopeExceeded`], [`Error::NoCategories`], [`Error::NoPurposes`],
		/// [`Error::TooManyDenyRules`].
		///
		/// ## Complexity
		/// O(D) in the patient's deny rules, D ≤ `MaxDenyRules`.
		#[pallet::call_index(2)]
		pub fn add_deny(
			origin: OriginFor<T>,
			patient: PatientId,
			grantee: Option<Grantee<T::AccountId>>,
			categories: Categories,
			purposes: Purposes,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_known(categories, purposes, Actions::NONE)?;
			Self::ensure_acts_for(patient, &who, categories, T::Time::now())?;
			ensure!(!categories.is_empty(), Error::<T>::NoCategories);
			ensure!(!purposes.is_empty(), Error::<T>::NoPurposes);
			let deny_id = Denies::<T>::try_mutate(patient, |denies| {
				let id = denies.next_id;
				denies
					.rules
					.try_push(DenyRule { id, grantee: grantee.clone(), categories, purposes })
					.map_err(|_| Error::<T>::TooManyDenyRules)?;
				// Ids are unique among the rules present: at most MaxDenyRules at once, and
				// wrapping only after 2^32 additions.
				denies.next_id = id.wrapping_add(1);
				Ok::<_, Error<T>>(id)
			})?;
			Self::audit(AuditEvent {
				categories,
				purposes,
				consent: Some(ConsentRef::Deny(deny_id)),
				..AuditEvent::new(patient, AuditAction::DenyAdded, Agent::Account(who))
			})?;
			Self::deposit_event(Event::DenyAdded {
				patient,
				deny_id,
				grantee,
				categories,
				purposes,
			});
			Ok(())
		}

		/// Remove a deny rule.
		///
		/// The origin must be signed by the patient, or by a guardian in force whose scope
		/// covers the rule's categories.
		///
		/// Emits [`Event::DenyRemoved`].
		/// Errors: [`Error::UnknownPatient`], [`Error::UnknownDenyRule`],
		/// [`Error::NotPatientOrGuardian`], [`Error::GuardianScopeExceeded`].
		///
		/// ## Complexity
		/// O(D) in the patient's deny rules, D ≤ `MaxDenyRules`.
		#[pallet::call_index(3)]
		pub fn remove_deny(
			origin: OriginFor<T>,
			patient: PatientId,
			deny_id: DenyId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(T::Patients::is_enrolled(patient), Error::<T>::UnknownPatient);
			let mut denies = Denies::<T>::get(patient);
			let index = denies
				.rules
				.iter()
				.position(|r| r.id == deny_id)
				.ok_or(Error::<T>::UnknownDenyRule)?;
			Self::ensure_acts_for(patient, &who, denies.rules[index].categories, T::Time::now())?;
			let rule = denies.rules.remove(index);
			Denies::<T>::insert(patient, denies);
			Self::audit(AuditEvent {
				categories: rule.categories,
				purposes: rule.purposes,
				consent: Some(ConsentRef::Deny(deny_id)),
				..AuditEvent::new(patient, AuditAction::DenyRemoved, Agent::Account(who))
			})?;
			Self::deposit_event(Event::DenyRemoved { patient, deny_id });
			Ok(())
		}

		/// Break the glass: open emergency access to a patient's data, without consent, for
		/// `EmergencyAccessDuration` (24 hours in the runtime). It permits Read and Append for
		/// the purpose Emergency, on `categories` only, and stays unreviewed until the patient,
		/// a guardian or governance reviews it.
		///
		/// The origin must be signed by an active physician or nurse of a Hospital or Clinic, a
		/// member for at least `MinEmergencyTenure`, with no open emergency access to this
		/// patient, not barred from it by an `Unjustified` review, within
		/// `MaxEmergencyAccessesPerPeriod` this period; its organisation within
		/// `MaxEmergencyAccessesPerOrganisation` this period; the patient with fewer than
		/// `MaxOpenEmergencyAccessesPerPatient` open accesses.
		///
		/// An operational call: it has the block's reserved room and admission's operational
		/// budget, so ordinary traffic at its cap does not hold it up.
		///
		/// - `justification`: why, as a code.
		/// - `categories`: what it covers; within the patient's emergency policy, not empty.
		///
		/// Emits [`Event::EmergencyAccessOpened`], addressed to the patient.
		/// Errors: [`Error::NotEmergencyProvider`], [`Error::UnknownCategories`],
		/// [`Error::UnknownPatient`], [`Error::NoCategories`],
		/// [`Error::EmergencyAccessNotAllowed`], [`Error::EmergencyCategoriesNotAllowed`],
		/// [`Error::MembershipTooRecent`], [`Error::EmergencyAccessBarred`],
		/// [`Error::EmergencyAccessAlreadyOpen`], [`Error::PatientEmergencyCapReached`],
		/// [`Error::TooManyEmergencyAccesses`], [`Error::OrganisationEmergencyCapReached`],
		/// [`Error::EmergencyAccessIdsExhausted`].
		///
		/// ## Complexity
		/// O(1): the patient's open accesses are at most `MaxOpenEmergencyAccessesPerPatient`.
		#[pallet::call_index(4)]
		#[pallet::weight((T::WeightInfo::break_glass(), DispatchClass::Operational))]
		pub fn break_glass(
			origin: OriginFor<T>,
			patient: PatientId,
			justification: JustificationCode,
			categories: Categories,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let practitioner = T::Providers::active_practitioner(&who)
				.filter(|p| p.kind.provides_emergency_care() && p.is_clinical())
				.ok_or(Error::<T>::NotEmergencyProvider)?;
			Self::ensure_known(categories, Purposes::NONE, Actions::NONE)?;
			ensure!(T::Patients::is_enrolled(patient), Error::<T>::UnknownPatient);
			ensure!(!categories.is_empty(), Error::<T>::NoCategories);
			let policy =
				T::Patients::emergency_policy(patient).ok_or(Error::<T>::UnknownPatient)?;
			ensure!(policy.allowed, Error::<T>::EmergencyAccessNotAllowed);
			ensure!(
				policy.categories.contains_all(categories),
				Error::<T>::EmergencyCategoriesNotAllowed
			);
			let now = T::Time::now();
			ensure!(
				now >= practitioner.since.saturating_add(T::MinEmergencyTenure::get()),
				Error::<T>::MembershipTooRecent
			);
			let barred = EmergencyBars::<T>::get(patient, &who);
			ensure!(barred.map_or(true, |until| now >= until), Error::<T>::EmergencyAccessBarred);
			let open = OpenEmergency::<T>::get(patient, &who)
				.and_then(EmergencyAccesses::<T>::get)
				.is_some_and(|access| access.is_open(now));
			ensure!(!open, Error::<T>::EmergencyAccessAlreadyOpen);
			let until = now.saturating_add(T::EmergencyAccessDuration::get());
			PatientEmergencies::<T>::try_mutate(patient, |open| {
				open.retain(|end| now < *end);
				open.try_push(until).map_err(|_| Error::<T>::PatientEmergencyCapReached)
			})?;
			let period = T::EmergencyRatePeriod::get();
			EmergencyRates::<T>::try_mutate(&who, |rate| {
				rate.try_count(now, period, T::MaxEmergencyAccessesPerPeriod::get())
					.then_some(())
					.ok_or(Error::<T>::TooManyEmergencyAccesses)
			})?;
			OrganisationEmergencyRates::<T>::try_mutate(practitioner.organisation, |rate| {
				rate.try_count(now, period, T::MaxEmergencyAccessesPerOrganisation::get())
					.then_some(())
					.ok_or(Error::<T>::OrganisationEmergencyCapReached)
			})?;
			if barred.is_some() {
				// The bar has run out.
				EmergencyBars::<T>::remove(patient, &who);
			}
			let access_id = NextEmergencyAccessId::<T>::get();
			let next = access_id.checked_add(1).ok_or(Error::<T>::EmergencyAccessIdsExhausted)?;
			EmergencyAccesses::<T>::insert(
				access_id,
				EmergencyAccess {
					patient,
					practitioner: who.clone(),
					organisation: practitioner.organisation,
					categories,
					justification,
					opened_at: now,
					until,
					review: None,
				},
			);
			OpenEmergency::<T>::insert(patient, &who, access_id);
			NextEmergencyAccessId::<T>::put(next);
			Self::audit(AuditEvent {
				organisation: Some(practitioner.organisation),
				categories,
				purposes: Purpose::Emergency.into(),
				consent: Some(ConsentRef::Emergency(access_id)),
				..AuditEvent::new(
					patient,
					AuditAction::EmergencyAccessOpened,
					Agent::Account(who.clone()),
				)
			})?;
			Self::deposit_event(Event::EmergencyAccessOpened {
				access_id,
				patient,
				practitioner: who,
				organisation: practitioner.organisation,
				categories,
				justification,
				until,
			});
			Ok(())
		}

		/// Review an emergency access. `Unjustified` ends it at once if still open, and bars its
		/// practitioner from breaking the glass for this patient for `EmergencyBarDuration`.
		///
		/// The origin must be governance, or signed by the patient or by a guardian in force
		/// whose consent scope covers the access's categories, and not by the practitioner who
		/// opened it. A guardian's review may be replaced by the patient's or governance's
		/// (which lifts a bar a guardian's `Unjustified` set, if the outcome is `Justified`);
		/// the patient's and governance's reviews are final.
		///
		/// Emits [`Event::EmergencyAccessReviewed`] (`reviewer` is `None` for governance).
		/// Errors: [`Error::UnknownEmergencyAccess`], [`Error::AlreadyReviewed`],
		/// [`Error::NotPatientOrGuardian`], [`Error::GuardianScopeExceeded`],
		/// [`Error::CannotReviewOwnAccess`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(5)]
		pub fn review_emergency(
			origin: OriginFor<T>,
			access_id: EmergencyAccessId,
			outcome: ReviewOutcome,
		) -> DispatchResult {
			let reviewer = match T::GovernanceOrigin::try_origin(origin) {
				Ok(_) => None,
				Err(origin) => Some(ensure_signed(origin)?),
			};
			let mut access =
				EmergencyAccesses::<T>::get(access_id).ok_or(Error::<T>::UnknownEmergencyAccess)?;
			let now = T::Time::now();
			let by = match &reviewer {
				None => Reviewer::Governance,
				Some(who) => {
					ensure!(*who != access.practitioner, Error::<T>::CannotReviewOwnAccess);
					match T::Patients::actor_for(access.patient, who, now) {
						Some(PatientActor::Patient) => Reviewer::Patient,
						Some(PatientActor::Guardian(scope)) => {
							ensure!(
								scope.consent_categories.contains_all(access.categories),
								Error::<T>::GuardianScopeExceeded
							);
							Reviewer::Guardian
						},
						None => return Err(Error::<T>::NotPatientOrGuardian.into()),
					}
				},
			};
			let previous = access.review;
			ensure!(
				previous.map_or(true, |r| r.by == Reviewer::Guardian && by != Reviewer::Guardian),
				Error::<T>::AlreadyReviewed
			);
			access.review = Some(Review { outcome, by });
			match outcome {
				ReviewOutcome::Unjustified => {
					if access.is_open(now) {
						// It no longer holds one of the patient's open places.
						PatientEmergencies::<T>::mutate(access.patient, |open| {
							if let Some(i) = open.iter().position(|end| *end == access.until) {
								open.remove(i);
							}
						});
					}
					access.until = access.until.min(now);
					let bar = now.saturating_add(T::EmergencyBarDuration::get());
					EmergencyBars::<T>::insert(access.patient, &access.practitioner, bar);
				},
				ReviewOutcome::Justified
					if previous.is_some_and(|r| r.outcome == ReviewOutcome::Unjustified) =>
				{
					EmergencyBars::<T>::remove(access.patient, &access.practitioner)
				},
				ReviewOutcome::Justified => {},
			}
			let (patient, categories) = (access.patient, access.categories);
			EmergencyAccesses::<T>::insert(access_id, access);
			Self::audit(AuditEvent {
				categories,
				purposes: Purpose::Emergency.into(),
				consent: Some(ConsentRef::Emergency(access_id)),
				..AuditEvent::new(
					patient,
					AuditAction::EmergencyAccessReviewed,
					reviewer.clone().map_or(Agent::Governance, Agent::Account),
				)
			})?;
			Self::deposit_event(Event::EmergencyAccessReviewed {
				access_id,
				patient,
				outcome,
				reviewer,
			});
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Appends `event` to its patient's audit trail.
	fn audit(event: AuditEvent<T::AccountId>) -> DispatchResult {
		T::Audit::record(event).map(|_| ())
	}

	/// Ensures every bit of the sets names a value.
	fn ensure_known(
		categories: Categories,
		purposes: Purposes,
		actions: Actions,
	) -> DispatchResult {
		ensure!(categories.is_known(), Error::<T>::UnknownCategories);
		ensure!(purposes.is_known(), Error::<T>::UnknownPurposes);
		ensure!(actions.is_known(), Error::<T>::UnknownActions);
		Ok(())
	}

	/// Drops `grant_id` from the index of (`patient`, `grantee`), and the index if empty.
	fn unindex(patient: PatientId, grantee: &Grantee<T::AccountId>, grant_id: GrantId) {
		GrantsByGrantee::<T>::mutate_exists(patient, grantee, |ids| {
			if let Some(list) = ids {
				list.retain(|id| *id != grant_id);
				if list.is_empty() {
					*ids = None;
				}
			}
		});
	}

	/// Ensures `who` may manage `categories` of `patient`'s consents at `now`.
	fn ensure_acts_for(
		patient: PatientId,
		who: &T::AccountId,
		categories: Categories,
		now: Moment,
	) -> DispatchResult {
		ensure!(T::Patients::is_enrolled(patient), Error::<T>::UnknownPatient);
		match T::Patients::actor_for(patient, who, now) {
			Some(PatientActor::Patient) => Ok(()),
			Some(PatientActor::Guardian(scope)) => {
				ensure!(
					scope.consent_categories.contains_all(categories),
					Error::<T>::GuardianScopeExceeded
				);
				Ok(())
			},
			None => Err(Error::<T>::NotPatientOrGuardian.into()),
		}
	}
}
