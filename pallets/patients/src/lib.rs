//! # Patients pallet
//!
//! Pseudonymous patient identity for medchain: who a patient is on chain (an id and a
//! controller key, never a name), who may act for it, and how it gets its key back.
//!
//! ## Overview
//!
//! - A practitioner of an active organisation enrols a patient: a controller account, a salted
//!   *identity commitment* (a 32-byte hash of the identity proof it checked; the chain never
//!   sees what was hashed) and a *recovery commitment* (the hash of a secret the patient keeps).
//!   The same identity commitment cannot be enrolled twice.
//! - The patient rotates its controller key at will ([`Pallet::rotate_key`]).
//! - The patient appoints guardians (parents, caregivers, legal proxies), each with a
//!   [`GuardianScope`] (which consent categories it manages, whether it may appoint others, set
//!   the emergency policy, approve recovery) and an optional expiry. A guardian that may
//!   appoint hands on at most its own scope and expiry.
//! - Recovery to a new key: by the patient's recovery guardians reaching the threshold the
//!   patient set ([`Pallet::approve_recovery`]), or by a practitioner of the enrolling
//!   organisation presenting the recovery secret ([`Pallet::recover_with_secret`]), which
//!   must then commit to a new secret.
//! - The emergency-access policy says whether, and for which categories, break-glass access
//!   is allowed (by default: allowed, for the non-sensitive categories).
//!
//! Other pallets ask through [`medchain_primitives::PatientRegistry`], which [`Pallet`]
//! implements. Controllers and guardians exist on chain because this pallet provides for them
//! (`frame_system::inc_providers`): medchain's accounts hold no tokens.

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
use frame::{prelude::*, traits::Time};
use medchain_primitives::{
	EmergencyPolicy, GuardianScope, Hash32, Moment, OrganisationId, PatientActor, PatientId,
	PatientRegistry, ProviderRegistry,
};

pub use pallet::*;
pub use types::{
	recovery_commitment, Guardianship, Patient, PendingRecovery, RecoveryMethod, RECOVERY_DOMAIN,
};
pub use weights::WeightInfo;

#[frame::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Who is an active practitioner, of which organisation.
		type Providers: ProviderRegistry<Self::AccountId>;

		/// The chain's clock (pallet-timestamp): guardian appointments expire by it.
		type Time: Time<Moment = Moment>;

		/// The most guardians a patient may have. Bounds approvals of a recovery too.
		#[pallet::constant]
		type MaxGuardians: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// The id the next enrolled patient gets.
	#[pallet::storage]
	pub type NextPatientId<T> = StorageValue<_, PatientId, ValueQuery>;

	/// Enrolled patients by id.
	// Twox64Concat: ids are assigned sequentially by the chain, not chosen by users.
	#[pallet::storage]
	pub type Patients<T: Config> =
		StorageMap<_, Twox64Concat, PatientId, Patient<T::AccountId>, OptionQuery>;

	/// The patient each controller account acts as (an account controls at most one patient).
	#[pallet::storage]
	pub type PatientOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, PatientId, OptionQuery>;

	/// Enrolled identity commitments, so that one identity is enrolled once.
	#[pallet::storage]
	pub type IdentityCommitments<T: Config> =
		StorageMap<_, Blake2_128Concat, Hash32, PatientId, OptionQuery>;

	/// Guardians by patient.
	#[pallet::storage]
	pub type Guardians<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		PatientId,
		Blake2_128Concat,
		T::AccountId,
		Guardianship,
		OptionQuery,
	>;

	/// The patients each account is a guardian of (the reverse of `Guardians`): who may sign
	/// transactions as a guardian.
	#[pallet::storage]
	pub type GuardianOf<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		PatientId,
		(),
		OptionQuery,
	>;

	/// The recovery guardians are approving, per patient.
	#[pallet::storage]
	pub type PendingRecoveries<T: Config> = StorageMap<
		_,
		Twox64Concat,
		PatientId,
		PendingRecovery<T::AccountId, T::MaxGuardians>,
		OptionQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A practitioner enrolled a patient.
		PatientEnrolled { patient: PatientId, controller: T::AccountId, organisation: OrganisationId },
		/// The patient moved to a new controller key.
		ControllerRotated { patient: PatientId, old_controller: T::AccountId, new_controller: T::AccountId },
		/// A guardian was appointed (or its appointment changed).
		GuardianAdded {
			patient: PatientId,
			guardian: T::AccountId,
			scope: GuardianScope,
			valid_until: Option<Moment>,
		},
		/// A guardian was removed, or resigned.
		GuardianRemoved { patient: PatientId, guardian: T::AccountId },
		/// The patient's emergency-access policy changed.
		EmergencyPolicySet { patient: PatientId, policy: EmergencyPolicy },
		/// The patient set how many recovery guardians must approve a new key.
		RecoveryThresholdSet { patient: PatientId, threshold: u32 },
		/// A recovery guardian approved moving the patient to `new_controller`.
		RecoveryApproved {
			patient: PatientId,
			guardian: T::AccountId,
			new_controller: T::AccountId,
			approvals: u32,
		},
		/// The patient's controller key was recovered.
		PatientRecovered {
			patient: PatientId,
			old_controller: T::AccountId,
			new_controller: T::AccountId,
			by: RecoveryMethod,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The signer is not a practitioner of an active organisation; only those enrol
		/// patients and recover keys.
		NotActivePractitioner,
		/// A patient with this identity commitment is already enrolled; look it up instead of
		/// enrolling it again.
		IdentityAlreadyEnrolled,
		/// This account already controls a patient; use a fresh account.
		AccountAlreadyPatient,
		/// The signer controls no patient.
		NotPatient,
		/// No patient has this id.
		UnknownPatient,
		/// The signer is neither the patient nor one of its guardians in force.
		NotPatientOrGuardian,
		/// The signer is a guardian, but its scope does not allow this; ask the patient.
		GuardianScopeExceeded,
		/// The appointment would end in the past, or after the appointing guardian's own.
		InvalidGuardianExpiry,
		/// The patient has `MaxGuardians` guardians; remove one first.
		TooManyGuardians,
		/// A patient cannot be its own guardian (nor move its key to one of its guardians).
		CannotGuardSelf,
		/// This account is not a guardian of the patient.
		NotGuardian,
		/// This account is already a guardian of the patient; only the patient changes an
		/// existing appointment.
		AlreadyGuardian,
		/// The threshold is larger than `MaxGuardians`.
		ThresholdTooHigh,
		/// The patient has not set a recovery threshold, so guardians cannot recover its key.
		GuardianRecoveryDisabled,
		/// The signer is not a recovery guardian of the patient in force.
		NotRecoveryGuardian,
		/// The signer already approved this recovery.
		AlreadyApproved,
		/// The signer's organisation did not enrol this patient.
		NotEnrollingOrganisation,
		/// The secret does not match the patient's recovery commitment.
		RecoverySecretMismatch,
		/// The category set of an emergency policy must not be empty when access is allowed.
		EmptyEmergencyCategories,
		/// Every patient id has been used.
		PatientIdsExhausted,
	}

	#[pallet::genesis_config]
	#[derive(frame::prelude::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Patients enrolled at genesis (demo chains only): (controller, enrolling
		/// organisation, identity commitment, recovery commitment). Ids 0, 1, 2 … in order.
		pub patients: Vec<(T::AccountId, OrganisationId, Hash32, Hash32)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (controller, organisation, identity, recovery) in &self.patients {
				Pallet::<T>::do_enrol(controller.clone(), *organisation, *identity, *recovery)
					.expect("genesis patients are valid: distinct controllers and identities");
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
		/// Enrol a patient.
		///
		/// The origin must be signed by a practitioner of an active organisation, which
		/// becomes the patient's enrolling organisation.
		///
		/// - `controller`: the account that will act as the patient; it must not control
		///   another patient.
		/// - `identity_commitment`: a salted hash of the identity proof the practitioner
		///   checked; refused if already enrolled.
		/// - `recovery_commitment`: `blake2_256(RECOVERY_DOMAIN ‖ secret)` of a 32-byte secret
		///   the patient keeps (see [`recovery_commitment`]).
		///
		/// Emits [`Event::PatientEnrolled`].
		/// Errors: [`Error::NotActivePractitioner`], [`Error::IdentityAlreadyEnrolled`],
		/// [`Error::AccountAlreadyPatient`], [`Error::PatientIdsExhausted`].
		///
		/// ## Complexity
		/// O(1): 5 reads (practitioner, organisation, identity index, controller index, next
		/// id), 5 writes (patient, both indexes, next id, controller's account).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::enrol_patient())]
		pub fn enrol_patient(
			origin: OriginFor<T>,
			controller: T::AccountId,
			identity_commitment: Hash32,
			recovery_commitment: Hash32,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let practitioner =
				T::Providers::active_practitioner(&who).ok_or(Error::<T>::NotActivePractitioner)?;
			let patient = Self::do_enrol(
				controller.clone(),
				practitioner.organisation,
				identity_commitment,
				recovery_commitment,
			)?;
			Self::deposit_event(Event::PatientEnrolled {
				patient,
				controller,
				organisation: practitioner.organisation,
			});
			Ok(())
		}

		/// Move the signer's patient to a new controller key. A pending guardian recovery is
		/// dropped (the patient evidently has its key).
		///
		/// The origin must be signed by the patient's current controller.
		///
		/// Emits [`Event::ControllerRotated`].
		/// Errors: [`Error::NotPatient`], [`Error::AccountAlreadyPatient`].
		///
		/// ## Complexity
		/// O(1): 3 reads, 6 writes.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::rotate_key())]
		pub fn rotate_key(origin: OriginFor<T>, new_controller: T::AccountId) -> DispatchResult {
			let old = ensure_signed(origin)?;
			let patient = PatientOf::<T>::get(&old).ok_or(Error::<T>::NotPatient)?;
			Self::do_move_controller(patient, &old, &new_controller)?;
			Self::deposit_event(Event::ControllerRotated {
				patient,
				old_controller: old,
				new_controller,
			});
			Ok(())
		}

		/// Appoint a guardian for a patient, or (the patient only) change an appointment.
		///
		/// The origin must be signed by the patient, or by a guardian in force whose scope
		/// allows appointing; such a guardian appoints new guardians only, with at most its own
		/// scope and an expiry no later than its own.
		///
		/// - `guardian`: the guardian's account (not the patient's own).
		/// - `scope`: what the guardian may do.
		/// - `valid_until`: when the appointment ends (ms, exclusive), or `None` for until
		///   removed.
		///
		/// Emits [`Event::GuardianAdded`].
		/// Errors: [`Error::UnknownPatient`], [`Error::NotPatientOrGuardian`],
		/// [`Error::GuardianScopeExceeded`], [`Error::AlreadyGuardian`],
		/// [`Error::InvalidGuardianExpiry`], [`Error::CannotGuardSelf`],
		/// [`Error::TooManyGuardians`].
		///
		/// ## Complexity
		/// O(1): 4 reads, 3 writes.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::add_guardian())]
		pub fn add_guardian(
			origin: OriginFor<T>,
			patient: PatientId,
			guardian: T::AccountId,
			scope: GuardianScope,
			valid_until: Option<Moment>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Patients::<T>::get(patient).ok_or(Error::<T>::UnknownPatient)?;
			let now = T::Time::now();
			match Self::actor(patient, &record, &who, now)? {
				PatientActor::Patient => {},
				PatientActor::Guardian(own) => {
					ensure!(own.may_appoint && own.covers(&scope), Error::<T>::GuardianScopeExceeded);
					ensure!(
						!Guardians::<T>::contains_key(patient, &guardian),
						Error::<T>::AlreadyGuardian
					);
					let own_until = Guardians::<T>::get(patient, &who).and_then(|g| g.valid_until);
					if let Some(own_until) = own_until {
						ensure!(
							valid_until.is_some_and(|until| until <= own_until),
							Error::<T>::InvalidGuardianExpiry
						);
					}
				},
			}
			ensure!(valid_until.map_or(true, |until| until > now), Error::<T>::InvalidGuardianExpiry);
			ensure!(guardian != record.controller, Error::<T>::CannotGuardSelf);

			let appointment = Guardianship { scope, valid_until };
			if !Guardians::<T>::contains_key(patient, &guardian) {
				ensure!(record.guardians < T::MaxGuardians::get(), Error::<T>::TooManyGuardians);
				record.guardians =
					record.guardians.checked_add(1).ok_or(Error::<T>::TooManyGuardians)?;
				frame_system::Pallet::<T>::inc_providers(&guardian);
				Patients::<T>::insert(patient, record);
			}
			Guardians::<T>::insert(patient, &guardian, appointment);
			GuardianOf::<T>::insert(&guardian, patient, ());
			Self::deposit_event(Event::GuardianAdded { patient, guardian, scope, valid_until });
			Ok(())
		}

		/// Remove a guardian. A guardian may also resign.
		///
		/// The origin must be signed by the patient, or by the guardian itself.
		///
		/// Emits [`Event::GuardianRemoved`].
		/// Errors: [`Error::UnknownPatient`], [`Error::NotGuardian`],
		/// [`Error::NotPatientOrGuardian`].
		///
		/// ## Complexity
		/// O(1): 3 reads, 3 writes.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_guardian())]
		pub fn remove_guardian(
			origin: OriginFor<T>,
			patient: PatientId,
			guardian: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Patients::<T>::get(patient).ok_or(Error::<T>::UnknownPatient)?;
			ensure!(
				who == record.controller || who == guardian,
				Error::<T>::NotPatientOrGuardian
			);
			ensure!(Guardians::<T>::contains_key(patient, &guardian), Error::<T>::NotGuardian);
			frame_system::Pallet::<T>::dec_providers(&guardian)?;
			Guardians::<T>::remove(patient, &guardian);
			GuardianOf::<T>::remove(&guardian, patient);
			record.guardians = record.guardians.saturating_sub(1);
			Patients::<T>::insert(patient, record);
			Self::deposit_event(Event::GuardianRemoved { patient, guardian });
			Ok(())
		}

		/// Set whether, and for which categories, practitioners of hospitals and clinics may
		/// open break-glass emergency access to the patient.
		///
		/// The origin must be signed by the patient, or by a guardian in force whose scope
		/// allows setting the emergency policy.
		///
		/// Emits [`Event::EmergencyPolicySet`].
		/// Errors: [`Error::UnknownPatient`], [`Error::NotPatientOrGuardian`],
		/// [`Error::GuardianScopeExceeded`], [`Error::EmptyEmergencyCategories`].
		///
		/// ## Complexity
		/// O(1): 2 reads, 1 write.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_emergency_policy())]
		pub fn set_emergency_policy(
			origin: OriginFor<T>,
			patient: PatientId,
			policy: EmergencyPolicy,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Patients::<T>::get(patient).ok_or(Error::<T>::UnknownPatient)?;
			if let PatientActor::Guardian(scope) = Self::actor(patient, &record, &who, T::Time::now())? {
				ensure!(scope.may_set_emergency_policy, Error::<T>::GuardianScopeExceeded);
			}
			ensure!(
				!policy.allowed || !policy.categories.is_empty(),
				Error::<T>::EmptyEmergencyCategories
			);
			record.emergency_policy = policy;
			Patients::<T>::insert(patient, record);
			Self::deposit_event(Event::EmergencyPolicySet { patient, policy });
			Ok(())
		}

		/// Set how many recovery guardians must approve a new controller key; 0 turns guardian
		/// recovery off. A pending recovery is dropped.
		///
		/// The origin must be signed by the patient.
		///
		/// Emits [`Event::RecoveryThresholdSet`].
		/// Errors: [`Error::NotPatient`], [`Error::ThresholdTooHigh`].
		///
		/// ## Complexity
		/// O(1): 2 reads, 2 writes.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_recovery_threshold())]
		pub fn set_recovery_threshold(origin: OriginFor<T>, threshold: u32) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let patient = PatientOf::<T>::get(&who).ok_or(Error::<T>::NotPatient)?;
			ensure!(threshold <= T::MaxGuardians::get(), Error::<T>::ThresholdTooHigh);
			Patients::<T>::try_mutate(patient, |record| {
				let record = record.as_mut().ok_or(Error::<T>::UnknownPatient)?;
				record.recovery_threshold = threshold;
				Ok::<_, DispatchError>(())
			})?;
			PendingRecoveries::<T>::remove(patient);
			Self::deposit_event(Event::RecoveryThresholdSet { patient, threshold });
			Ok(())
		}

		/// Approve moving a patient who lost its key to `new_controller`. When the approvals
		/// of recovery guardians still in force reach the patient's threshold, the move
		/// happens. An approval for another account than the pending one starts over.
		///
		/// The origin must be signed by a guardian in force whose scope allows recovery.
		///
		/// Emits [`Event::RecoveryApproved`], and [`Event::PatientRecovered`] when the
		/// threshold is reached.
		/// Errors: [`Error::UnknownPatient`], [`Error::NotRecoveryGuardian`],
		/// [`Error::GuardianRecoveryDisabled`], [`Error::AlreadyApproved`],
		/// [`Error::AccountAlreadyPatient`].
		///
		/// ## Complexity
		/// O(G) in the patient's guardians G ≤ `MaxGuardians`: the approvals are re-checked
		/// against the guardians in force. Weight charged for `MaxGuardians`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::approve_recovery(T::MaxGuardians::get()))]
		pub fn approve_recovery(
			origin: OriginFor<T>,
			patient: PatientId,
			new_controller: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = Patients::<T>::get(patient).ok_or(Error::<T>::UnknownPatient)?;
			let now = T::Time::now();
			ensure!(Self::is_recovery_guardian(patient, &who, now), Error::<T>::NotRecoveryGuardian);
			ensure!(record.recovery_threshold > 0, Error::<T>::GuardianRecoveryDisabled);
			ensure!(!PatientOf::<T>::contains_key(&new_controller), Error::<T>::AccountAlreadyPatient);

			let mut pending = PendingRecoveries::<T>::get(patient)
				.filter(|p| p.new_controller == new_controller)
				.unwrap_or_else(|| PendingRecovery {
					new_controller: new_controller.clone(),
					approvals: BoundedVec::new(),
				});
			ensure!(!pending.approvals.contains(&who), Error::<T>::AlreadyApproved);
			// Approvals of guardians removed or expired since they approved no longer count.
			pending.approvals.retain(|g| Self::is_recovery_guardian(patient, g, now));
			pending.approvals.try_push(who.clone()).map_err(|_| Error::<T>::TooManyGuardians)?;
			let approvals = pending.approvals.len() as u32;
			Self::deposit_event(Event::RecoveryApproved {
				patient,
				guardian: who,
				new_controller: new_controller.clone(),
				approvals,
			});

			if approvals >= record.recovery_threshold {
				let old = record.controller;
				Self::do_move_controller(patient, &old, &new_controller)?;
				Self::deposit_event(Event::PatientRecovered {
					patient,
					old_controller: old,
					new_controller,
					by: RecoveryMethod::Guardians,
				});
			} else {
				PendingRecoveries::<T>::insert(patient, pending);
			}
			Ok(())
		}

		/// Move a patient who lost its key to `new_controller`, by presenting the recovery
		/// secret the patient kept. The revealed secret is spent: the call sets
		/// `new_recovery_commitment` in its place.
		///
		/// The origin must be signed by an active practitioner of the organisation that enrolled
		/// the patient (which checks, off chain, that it is the patient who asks).
		///
		/// Emits [`Event::PatientRecovered`].
		/// Errors: [`Error::NotActivePractitioner`], [`Error::UnknownPatient`],
		/// [`Error::NotEnrollingOrganisation`], [`Error::RecoverySecretMismatch`],
		/// [`Error::AccountAlreadyPatient`].
		///
		/// ## Complexity
		/// O(1): one blake2 hash of 61 bytes, 5 reads, 6 writes.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::recover_with_secret())]
		pub fn recover_with_secret(
			origin: OriginFor<T>,
			patient: PatientId,
			new_controller: T::AccountId,
			recovery_secret: Hash32,
			new_recovery_commitment: Hash32,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let practitioner =
				T::Providers::active_practitioner(&who).ok_or(Error::<T>::NotActivePractitioner)?;
			let record = Patients::<T>::get(patient).ok_or(Error::<T>::UnknownPatient)?;
			ensure!(
				record.enrolled_by == practitioner.organisation,
				Error::<T>::NotEnrollingOrganisation
			);
			ensure!(
				recovery_commitment(&recovery_secret) == record.recovery_commitment,
				Error::<T>::RecoverySecretMismatch
			);
			let old = record.controller;
			Self::do_move_controller(patient, &old, &new_controller)?;
			Patients::<T>::mutate(patient, |r| {
				if let Some(r) = r {
					r.recovery_commitment = new_recovery_commitment
				}
			});
			Self::deposit_event(Event::PatientRecovered {
				patient,
				old_controller: old,
				new_controller,
				by: RecoveryMethod::EnrollingOrganisation,
			});
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	fn do_enrol(
		controller: T::AccountId,
		organisation: OrganisationId,
		identity_commitment: Hash32,
		recovery_commitment: Hash32,
	) -> Result<PatientId, DispatchError> {
		ensure!(
			!IdentityCommitments::<T>::contains_key(identity_commitment),
			Error::<T>::IdentityAlreadyEnrolled
		);
		ensure!(!PatientOf::<T>::contains_key(&controller), Error::<T>::AccountAlreadyPatient);
		let patient = NextPatientId::<T>::get();
		let next = patient.checked_add(1).ok_or(Error::<T>::PatientIdsExhausted)?;
		frame_system::Pallet::<T>::inc_providers(&controller);
		Patients::<T>::insert(
			patient,
			Patient {
				controller: controller.clone(),
				enrolled_by: organisation,
				identity_commitment,
				recovery_commitment,
				guardians: 0,
				recovery_threshold: 0,
				emergency_policy: EmergencyPolicy::default(),
			},
		);
		PatientOf::<T>::insert(controller, patient);
		IdentityCommitments::<T>::insert(identity_commitment, patient);
		NextPatientId::<T>::put(next);
		Ok(patient)
	}

	/// Moves `patient` from controller `old` to `new`, dropping any pending recovery.
	fn do_move_controller(patient: PatientId, old: &T::AccountId, new: &T::AccountId) -> DispatchResult {
		ensure!(!PatientOf::<T>::contains_key(new), Error::<T>::AccountAlreadyPatient);
		ensure!(!Guardians::<T>::contains_key(patient, new), Error::<T>::CannotGuardSelf);
		frame_system::Pallet::<T>::dec_providers(old)?;
		frame_system::Pallet::<T>::inc_providers(new);
		PatientOf::<T>::remove(old);
		PatientOf::<T>::insert(new, patient);
		Patients::<T>::mutate(patient, |r| {
			if let Some(r) = r {
				r.controller = new.clone()
			}
		});
		PendingRecoveries::<T>::remove(patient);
		Ok(())
	}

	/// In whose name `who` acts for the patient whose record is `record`, at `now`.
	fn actor(
		patient: PatientId,
		record: &Patient<T::AccountId>,
		who: &T::AccountId,
		now: Moment,
	) -> Result<PatientActor, Error<T>> {
		if *who == record.controller {
			return Ok(PatientActor::Patient)
		}
		Guardians::<T>::get(patient, who)
			.filter(|g| g.in_force(now))
			.map(|g| PatientActor::Guardian(g.scope))
			.ok_or(Error::<T>::NotPatientOrGuardian)
	}

	fn is_recovery_guardian(patient: PatientId, who: &T::AccountId, now: Moment) -> bool {
		Guardians::<T>::get(patient, who).is_some_and(|g| g.in_force(now) && g.scope.may_recover)
	}

	/// The patient `patient`, if enrolled.
	pub fn patient(patient: PatientId) -> Option<Patient<T::AccountId>> {
		Patients::<T>::get(patient)
	}
}

impl<T: Config> PatientRegistry<T::AccountId> for Pallet<T> {
	fn patient_of(who: &T::AccountId) -> Option<PatientId> {
		PatientOf::<T>::get(who)
	}

	fn is_patient_or_guardian(who: &T::AccountId) -> bool {
		PatientOf::<T>::contains_key(who) || GuardianOf::<T>::iter_prefix(who).next().is_some()
	}

	fn is_enrolled(patient: PatientId) -> bool {
		Patients::<T>::contains_key(patient)
	}

	fn actor_for(patient: PatientId, who: &T::AccountId, now: Moment) -> Option<PatientActor> {
		let record = Patients::<T>::get(patient)?;
		Self::actor(patient, &record, who, now).ok()
	}

	fn enrolling_organisation(patient: PatientId) -> Option<OrganisationId> {
		Patients::<T>::get(patient).map(|r| r.enrolled_by)
	}

	fn emergency_policy(patient: PatientId) -> Option<EmergencyPolicy> {
		Patients::<T>::get(patient).map(|r| r.emergency_policy)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn make_patient(controller: &T::AccountId, organisation: OrganisationId) -> PatientId {
		use codec::Encode;
		// A distinct identity commitment per controller.
		let identity = Hash32::from(frame::hashing::blake2_256(&controller.encode()));
		Self::do_enrol(controller.clone(), organisation, identity, Hash32::zero())
			.expect("benchmark set-up: a fresh controller enrols")
	}
}
