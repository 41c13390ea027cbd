//! # Patients pallet
//!
//! Pseudonymous patient identity for medchain: who a patient is on chain (an id and a
//! controller key, never a name), who may act for it, and how it gets its key back.
//!
//! ## Overview
//!
//! - A practitioner of an active organisation enrols a patient: a controller account, a salted
//!   *identity commitment* (a 32-byte hash of the identity proof it checked; the chain never
//!   sees what was hashed) and, optionally, the public half of the patient's *recovery key*
//!   (derived from a secret the patient keeps). The same identity commitment cannot be
//!   enrolled twice; an organisation enrols at most `MaxEnrolmentsPerPeriod` patients per
//!   `RatePeriod`.
//! - The patient rotates its controller key at will ([`Pallet::rotate_key`]), at most
//!   `MaxKeyChangesPerPeriod` times (with new guardian appointments) per `RatePeriod`.
//! - The patient appoints guardians (parents, caregivers, legal proxies), each with a
//!   [`GuardianScope`] (which consent categories it manages, whether it may appoint others, set
//!   the emergency policy, approve recovery) and an optional expiry. A guardian that may
//!   appoint hands on at most its own scope and expiry, and never recovery power: only the
//!   patient makes a recovery guardian. Removing a guardian removes those it appointed.
//! - Recovery to a new key, two ways:
//!   - the patient's recovery guardians vote for a new controller ([`Pallet::approve_recovery`],
//!     one vote each, which only that guardian changes); when the votes for one account reach
//!     the patient's threshold, the move is scheduled, the patient may cancel it for
//!     `RecoveryDelay` ([`Pallet::cancel_recovery`]), and then a recovery guardian completes it
//!     ([`Pallet::complete_recovery`]);
//!   - a practitioner of the enrolling organisation presents the patient's signature, by its
//!     recovery key, of the move ([`Pallet::recover_with_secret`]); the secret never leaves
//!     the patient, and the signature names the new controller, so it cannot be redirected.
//! - The emergency-access policy says whether, and for which categories, break-glass access
//!   is allowed (by default: allowed, for the non-sensitive categories). Sensitive categories
//!   must be named twice, and a guardian opens no category beyond its consent scope.
//! - Every change of who controls the patient or may act for it is appended to the patient's
//!   audit trail ([`medchain_primitives::AuditSink`]), in the same transaction.
//!
//! Other pallets ask through [`medchain_primitives::PatientRegistry`], which [`Pallet`]
//! implements. Controllers and guardians exist on chain because this pallet provides for them
//! (`frame_system::inc_providers`): medchain's accounts hold no tokens. The reference is never
//! released, so no account is reaped (its nonce never restarts) and nothing an account holds
//! can block its removal or the patient's recovery.
//!
//! For integrators — the FHIR mapping, every call with the runtime's bounds, the authorisation
//! matrix, the RPC methods and examples that a test runs: `docs/pallets/patients.md`.

#![cfg_attr(not(feature = "std"), no_std)]
// Checked arithmetic in the chain's code (tests may overflow on purpose): docs/development.md.
#![cfg_attr(not(test), warn(clippy::arithmetic_side_effects))]

extern crate alloc;

mod benchmarking;
mod enrolment;
mod guardians;
#[cfg(test)]
mod mock;
mod recovery;
mod registry;
#[cfg(test)]
mod tests;
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod try_state;
pub mod types;
pub mod weights;

use alloc::vec::Vec;
use frame::{prelude::*, traits::Time};
use medchain_primitives::{
	AuditEvent, AuditSink, Categories, EmergencyPolicy, GuardianScope, Hash32, Moment,
	OrganisationId, PatientId, ProviderRegistry, RateCounter,
};

pub use pallet::*;
pub use types::{
	recovery_payload, Guardianship, Patient, PendingRecovery, RecoveryKey, RecoveryMethod,
	ScheduledRecovery, Wards, RECOVERY_DOMAIN,
};
pub use weights::WeightInfo;

/// The most of a guardian's wards that [`PatientRegistry::standing`] looks at to find one whose
/// appointment is in force (what the runtime's admission check reads, and its benchmark
/// measures).
pub const MAX_WARDS_SEEN: u32 = 4;

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
		/// Who is an active practitioner, of which organisation.
		type Providers: ProviderRegistry<Self::AccountId>;

		/// The chain's clock (pallet-timestamp): guardian appointments expire by it.
		type Time: Time<Moment = Moment>;

		/// The patient's audit trail: every change of who controls the patient or may act for
		/// it is appended to it, in the same transaction.
		type Audit: AuditSink<Self::AccountId>;

		/// The most guardians a patient may have. Bounds recovery votes too.
		#[pallet::constant]
		type MaxGuardians: Get<u32>;

		/// How long the patient may cancel a recovery its guardians approved (ms).
		#[pallet::constant]
		type RecoveryDelay: Get<Moment>;

		/// The period of the caps below (ms).
		#[pallet::constant]
		type RatePeriod: Get<Moment>;

		/// The most patients one organisation may enrol per `RatePeriod`.
		#[pallet::constant]
		type MaxEnrolmentsPerPeriod: Get<u32>;

		/// The most key rotations and new guardian appointments of one patient per
		/// `RatePeriod` (each makes an account that may sign); its guardians' appointments are
		/// capped at as many again, apart.
		#[pallet::constant]
		type MaxKeyChangesPerPeriod: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Benchmarks: the state of the pallets it meets (practitioners), built by the runtime.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: medchain_primitives::benchmarking::BenchmarkWorld<Self::AccountId>;
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
		Guardianship<T::AccountId>,
		OptionQuery,
	>;

	/// The patients each account is a guardian of (the reverse of `Guardians`): what an app
	/// lists for a guardian.
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

	/// What each guardian's appointments add up to: whether it may sign, in O(1).
	#[pallet::storage]
	pub type WardsOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Wards, OptionQuery>;

	/// The recoveries guardians are voting on, per patient.
	#[pallet::storage]
	pub type PendingRecoveries<T: Config> = StorageMap<
		_,
		Twox64Concat,
		PatientId,
		PendingRecovery<T::AccountId, T::MaxGuardians>,
		OptionQuery,
	>;

	/// The guardians that the patient's guardians appointed in the current period (capped by
	/// `MaxKeyChangesPerPeriod`), counted apart from the patient's own key changes, so that a
	/// guardian appointing and dismissing puppets never holds up the patient's `rotate_key`
	/// (security review 2026-12, N-7).
	// Twox64Concat: patient ids are assigned by the chain.
	#[pallet::storage]
	pub type GuardianAppointments<T> =
		StorageMap<_, Twox64Concat, PatientId, RateCounter, ValueQuery>;

	/// Enrolments per organisation in the current period (capped by `MaxEnrolmentsPerPeriod`).
	// Twox64Concat: organisation ids are assigned by the chain.
	#[pallet::storage]
	pub type Enrolments<T> = StorageMap<_, Twox64Concat, OrganisationId, RateCounter, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A practitioner enrolled a patient.
		PatientEnrolled {
			patient: PatientId,
			controller: T::AccountId,
			organisation: OrganisationId,
		},
		/// The patient moved to a new controller key.
		ControllerRotated {
			patient: PatientId,
			old_controller: T::AccountId,
			new_controller: T::AccountId,
		},
		/// A guardian was appointed (or its appointment changed).
		GuardianAdded {
			patient: PatientId,
			guardian: T::AccountId,
			scope: GuardianScope,
			valid_until: Option<Moment>,
			appointed_by: Option<T::AccountId>,
		},
		/// A guardian was removed, resigned, or went with the guardian that appointed it.
		GuardianRemoved { patient: PatientId, guardian: T::AccountId },
		/// The patient's emergency-access policy changed.
		EmergencyPolicySet { patient: PatientId, policy: EmergencyPolicy },
		/// The patient set how many recovery guardians must approve a new key.
		RecoveryThresholdSet { patient: PatientId, threshold: u32 },
		/// A recovery guardian voted to move the patient to `new_controller`; `approvals` of
		/// the patient's recovery guardians in force now vote so.
		RecoveryApproved {
			patient: PatientId,
			guardian: T::AccountId,
			new_controller: T::AccountId,
			approvals: u32,
		},
		/// Recovery guardians reached the threshold: the patient moves to `new_controller`
		/// when a recovery guardian completes it at or after `due`, unless the patient cancels.
		RecoveryScheduled { patient: PatientId, new_controller: T::AccountId, due: Moment },
		/// The patient cancelled the recovery its guardians were voting on.
		RecoveryCancelled { patient: PatientId },
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
		/// An identity commitment of all zeros commits to nothing; give the salted hash of
		/// the identity proof.
		NoIdentityCommitment,
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
		/// A bit of the categories names no category.
		UnknownCategories,
		/// The emergency policy opens sensitive categories (MentalHealth, SexualHealth,
		/// Genomics, Billing) that `sensitive` does not name: name each a second time.
		SensitiveCategoryNotNamed,
		/// The threshold is larger than `MaxGuardians`.
		ThresholdTooHigh,
		/// The patient has not set a recovery threshold, so guardians cannot recover its key.
		GuardianRecoveryDisabled,
		/// The signer is not a recovery guardian of the patient in force.
		NotRecoveryGuardian,
		/// The signer already voted for this new controller.
		AlreadyApproved,
		/// No recovery of this patient is scheduled: its guardians have not reached the
		/// threshold.
		NoRecoveryScheduled,
		/// The scheduled recovery is not due yet: the patient may still cancel it.
		RecoveryNotDue,
		/// The votes for the scheduled recovery no longer reach the threshold (guardians
		/// changed their vote, or were removed); vote again.
		RecoveryNoLongerApproved,
		/// No recovery of this patient is pending.
		NoPendingRecovery,
		/// The signer's organisation did not enrol this patient.
		NotEnrollingOrganisation,
		/// The patient has no recovery key: it can only be recovered by its guardians.
		NoRecoveryKey,
		/// The proof is not the patient's signature, by its recovery key, of this move.
		InvalidRecoveryProof,
		/// The organisation enrolled `MaxEnrolmentsPerPeriod` patients in this period; go on
		/// in the next one.
		TooManyEnrolments,
		/// The patient rotated keys or appointed guardians `MaxKeyChangesPerPeriod` times in
		/// this period; go on in the next one.
		TooManyKeyChanges,
		/// The patient's guardians appointed `MaxKeyChangesPerPeriod` guardians in this period;
		/// go on in the next one, or ask the patient.
		TooManyGuardianAppointments,
		/// The next recovery key must differ from the one that signs this recovery: a used key
		/// is replaced, so that its signatures cannot serve again.
		RecoveryKeyNotReplaced,
		/// The category set of an emergency policy must not be empty when access is allowed.
		EmptyEmergencyCategories,
		/// Every patient id has been used.
		PatientIdsExhausted,
	}

	#[pallet::genesis_config]
	#[derive(frame::prelude::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Patients enrolled at genesis (demo chains only): (controller, enrolling
		/// organisation, identity commitment, recovery key). Ids 0, 1, 2 … in order.
		pub patients: Vec<(T::AccountId, OrganisationId, Hash32, Option<RecoveryKey>)>,
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

	#[pallet::call(weight = <T as Config>::WeightInfo)]
	impl<T: Config> Pallet<T> {
		/// Enrol a patient.
		///
		/// The origin must be signed by a practitioner of an active organisation, which
		/// becomes the patient's enrolling organisation.
		///
		/// - `controller`: the account that will act as the patient; it must not control
		///   another patient.
		/// - `identity_commitment`: a salted hash of the identity proof the practitioner
		///   checked (not all zeros); refused if already enrolled.
		/// - `recovery_key`: the public key (sr25519) the patient derived from the secret it
		///   keeps, or `None` for a patient recovered by its guardians only.
		///
		/// Emits [`Event::PatientEnrolled`]; appends `PatientEnrolled` to the patient's trail.
		/// Errors: [`Error::NotActivePractitioner`], [`Error::NoIdentityCommitment`],
		/// [`Error::IdentityAlreadyEnrolled`], [`Error::AccountAlreadyPatient`],
		/// [`Error::TooManyEnrolments`], [`Error::PatientIdsExhausted`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(0)]
		pub fn enrol_patient(
			origin: OriginFor<T>,
			controller: T::AccountId,
			identity_commitment: Hash32,
			recovery_key: Option<RecoveryKey>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::enrol_patient_by(who, controller, identity_commitment, recovery_key)
		}

		/// Move the signer's patient to a new controller key. A pending guardian recovery is
		/// dropped (the patient evidently has its key).
		///
		/// The origin must be signed by the patient's current controller.
		///
		/// Emits [`Event::ControllerRotated`]; appends `ControllerRotated` to the trail.
		/// Errors: [`Error::NotPatient`], [`Error::AccountAlreadyPatient`],
		/// [`Error::CannotGuardSelf`], [`Error::TooManyKeyChanges`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(1)]
		pub fn rotate_key(origin: OriginFor<T>, new_controller: T::AccountId) -> DispatchResult {
			let old = ensure_signed(origin)?;
			Self::rotate_key_by(old, new_controller)
		}

		/// Appoint a guardian for a patient, or (the patient only) change an appointment.
		///
		/// The origin must be signed by the patient, or by a guardian in force whose scope
		/// allows appointing; such a guardian appoints new guardians only, with at most its own
		/// scope (never recovery power) and an expiry no later than its own. When the patient
		/// changes an appointment, the guardians that guardian appointed are removed (they were
		/// given within the old scope).
		///
		/// - `guardian`: the guardian's account (not the patient's own).
		/// - `scope`: what the guardian may do.
		/// - `valid_until`: when the appointment ends (ms, exclusive), or `None` for until
		///   removed.
		///
		/// Emits [`Event::GuardianAdded`] (and [`Event::GuardianRemoved`] for each guardian
		/// removed with a changed appointment); appends `GuardianAppointed` (and
		/// `GuardianRemoved`) to the trail.
		/// Errors: [`Error::UnknownPatient`], [`Error::NotPatientOrGuardian`],
		/// [`Error::UnknownCategories`], [`Error::GuardianScopeExceeded`],
		/// [`Error::AlreadyGuardian`], [`Error::InvalidGuardianExpiry`],
		/// [`Error::CannotGuardSelf`], [`Error::TooManyGuardians`],
		/// [`Error::TooManyKeyChanges`].
		///
		/// ## Complexity
		/// O(G) in the patient's guardians G ≤ `MaxGuardians` (a changed appointment's
		/// appointees are found among them); charged for `MaxGuardians`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::add_guardian(T::MaxGuardians::get()))]
		pub fn add_guardian(
			origin: OriginFor<T>,
			patient: PatientId,
			guardian: T::AccountId,
			scope: GuardianScope,
			valid_until: Option<Moment>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::add_guardian_by(who, patient, guardian, scope, valid_until)
		}

		/// Remove a guardian, and the guardians it appointed (and theirs). A guardian may also
		/// resign.
		///
		/// The origin must be signed by the patient, or by the guardian itself.
		///
		/// Emits [`Event::GuardianRemoved`] for each guardian removed; appends
		/// `GuardianRemoved` to the trail for each.
		/// Errors: [`Error::UnknownPatient`], [`Error::NotGuardian`],
		/// [`Error::NotPatientOrGuardian`].
		///
		/// ## Complexity
		/// O(G) in the patient's guardians G ≤ `MaxGuardians`; charged for `MaxGuardians`.
		/// Nothing the guardian holds can make it fail.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_guardian(T::MaxGuardians::get()))]
		pub fn remove_guardian(
			origin: OriginFor<T>,
			patient: PatientId,
			guardian: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::remove_guardian_by(who, patient, guardian)
		}

		/// Set whether, and for which categories, practitioners of hospitals and clinics may
		/// open break-glass emergency access to the patient.
		///
		/// The origin must be signed by the patient, or by a guardian in force whose scope
		/// allows setting the emergency policy; a guardian opens no category beyond its
		/// consent scope (it may close any).
		///
		/// - `policy`: allowed or not, and the categories.
		/// - `sensitive`: the sensitive categories of `policy.categories`, named again; must
		///   equal `policy.categories ∩ {MentalHealth, SexualHealth, Genomics, Billing}`.
		///
		/// Emits [`Event::EmergencyPolicySet`]; appends `EmergencyPolicySet` to the trail.
		/// Errors: [`Error::UnknownPatient`], [`Error::NotPatientOrGuardian`],
		/// [`Error::UnknownCategories`], [`Error::SensitiveCategoryNotNamed`],
		/// [`Error::GuardianScopeExceeded`], [`Error::EmptyEmergencyCategories`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(4)]
		pub fn set_emergency_policy(
			origin: OriginFor<T>,
			patient: PatientId,
			policy: EmergencyPolicy,
			sensitive: Categories,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::set_emergency_policy_by(who, patient, policy, sensitive)
		}

		/// Set how many recovery guardians must approve a new controller key; 0 turns guardian
		/// recovery off. A pending recovery is dropped.
		///
		/// The origin must be signed by the patient.
		///
		/// Emits [`Event::RecoveryThresholdSet`]; appends `RecoveryThresholdSet` to the trail.
		/// Errors: [`Error::NotPatient`], [`Error::ThresholdTooHigh`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(5)]
		pub fn set_recovery_threshold(origin: OriginFor<T>, threshold: u32) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::set_recovery_threshold_by(who, threshold)
		}

		/// Vote to move a patient who lost its key to `new_controller`. Each recovery guardian
		/// has one vote, which a new call changes; nobody else's vote moves. When the votes of
		/// recovery guardians in force for one account reach the patient's threshold, the move
		/// is scheduled: the patient may cancel it for `RecoveryDelay`, after which a recovery
		/// guardian completes it ([`Pallet::complete_recovery`]).
		///
		/// The origin must be signed by a guardian in force whose scope allows recovery (only
		/// the patient appoints those).
		///
		/// Emits [`Event::RecoveryApproved`], and [`Event::RecoveryScheduled`] when the
		/// threshold is reached; appends `RecoveryApproved` (and `RecoveryScheduled`) to the
		/// trail.
		/// Errors: [`Error::UnknownPatient`], [`Error::NotRecoveryGuardian`],
		/// [`Error::GuardianRecoveryDisabled`], [`Error::AlreadyApproved`],
		/// [`Error::AccountAlreadyPatient`], [`Error::CannotGuardSelf`].
		///
		/// ## Complexity
		/// O(G) in the patient's guardians G ≤ `MaxGuardians`: the votes are re-checked
		/// against the guardians in force. Charged for `MaxGuardians`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::approve_recovery(T::MaxGuardians::get()))]
		pub fn approve_recovery(
			origin: OriginFor<T>,
			patient: PatientId,
			new_controller: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::approve_recovery_by(who, patient, new_controller)
		}

		/// Cancel the recovery the patient's guardians are voting on (scheduled or not): the
		/// patient still has its key.
		///
		/// The origin must be signed by the patient's controller.
		///
		/// Emits [`Event::RecoveryCancelled`]; appends `RecoveryCancelled` to the trail.
		/// Errors: [`Error::NotPatient`], [`Error::NoPendingRecovery`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(7)]
		pub fn cancel_recovery(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::cancel_recovery_by(who)
		}

		/// Complete a scheduled recovery once it is due: the patient moves to the new
		/// controller, if the votes of its recovery guardians in force still reach the
		/// threshold.
		///
		/// The origin must be signed by a recovery guardian of the patient in force.
		///
		/// Emits [`Event::PatientRecovered`]; appends `ControllerRecovered` to the trail.
		/// Errors: [`Error::UnknownPatient`], [`Error::NotRecoveryGuardian`],
		/// [`Error::NoRecoveryScheduled`], [`Error::RecoveryNotDue`],
		/// [`Error::RecoveryNoLongerApproved`], [`Error::AccountAlreadyPatient`],
		/// [`Error::CannotGuardSelf`].
		///
		/// ## Complexity
		/// O(G) in the patient's guardians G ≤ `MaxGuardians`; charged for `MaxGuardians`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::complete_recovery(T::MaxGuardians::get()))]
		pub fn complete_recovery(origin: OriginFor<T>, patient: PatientId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::complete_recovery_by(who, patient)
		}

		/// Move a patient who lost its key to `new_controller`, on the strength of the
		/// patient's signature by its recovery key (see [`recovery_payload`]). The secret
		/// behind that key never leaves the patient; the signature names this move only, from
		/// the patient's present controller, and the recovery key is replaced by
		/// `new_recovery_key` (another key, or none), so it cannot serve twice.
		///
		/// The origin must be signed by an active practitioner of the organisation that enrolled
		/// the patient (which checks, off chain, that it is the patient who asks).
		///
		/// - `new_controller`: the patient's new key; it must not control a patient or guard
		///   this one.
		/// - `new_recovery_key`: the recovery key for next time (`None`: none); not the current
		///   one.
		/// - `proof`: the sr25519 signature of `recovery_payload(genesis hash, patient, current
		///   controller, new_controller, new_recovery_key)` by the patient's current recovery
		///   key.
		///
		/// Emits [`Event::PatientRecovered`]; appends `ControllerRecovered` to the trail.
		/// Errors: [`Error::NotActivePractitioner`], [`Error::UnknownPatient`],
		/// [`Error::NotEnrollingOrganisation`], [`Error::NoRecoveryKey`],
		/// [`Error::RecoveryKeyNotReplaced`], [`Error::InvalidRecoveryProof`],
		/// [`Error::AccountAlreadyPatient`], [`Error::CannotGuardSelf`].
		///
		/// ## Complexity
		/// O(1): one sr25519 signature check.
		#[pallet::call_index(9)]
		pub fn recover_with_secret(
			origin: OriginFor<T>,
			patient: PatientId,
			new_controller: T::AccountId,
			new_recovery_key: Option<RecoveryKey>,
			proof: [u8; 64],
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::recover_with_secret_by(who, patient, new_controller, new_recovery_key, proof)
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Appends `event` to its patient's audit trail.
	fn audit(event: AuditEvent<T::AccountId>) -> DispatchResult {
		T::Audit::record(event).map(|_| ())
	}
}
