//! # Records pallet
//!
//! Fingerprints of medical records, anchored on chain; the records themselves (encrypted) stay
//! in each provider's own store.
//!
//! ## Overview
//!
//! - **Anchor**: a practitioner (or an organisation's admin) whose consent decision permits
//!   Append on the category, for the purpose given, anchors a record's content hash for a
//!   patient with an opaque 32-byte locator into its store. The patient may anchor its own
//!   records (and is then not charged for a consent check it does not need).
//! - **Versions**: `amend` anchors a new version that supersedes the current one. Nothing is
//!   overwritten: the old version becomes `Superseded` and points to its successor, the new
//!   one to its predecessor, so the history can be walked both ways.
//! - **Entered in error** and **erasure**: the record's author (or its organisation's admin)
//!   marks a version as created in error — an amendment in error gives the version it replaced
//!   back its place as `Current` — or attests that it destroyed the data key
//!   (crypto-shredding): status `Erased`, locator zeroed, hash kept (it identifies nothing).
//! - **Many at once**: `anchor_many` anchors up to [`Config::MaxAnchorsPerCall`] records (a
//!   lab's results of the night, each for its patient) in one transaction, each as `anchor`
//!   anchors it, under the grant or emergency access each names: one signature and one
//!   transaction's overhead for all of them, one O(1) consent check each.
//! - **Batches**: one extrinsic anchors the Merkle root of up to [`Config::MaxBatchSize`]
//!   records of one organisation; `medchain-merkle` computes roots and proofs and verifies a
//!   record's membership.
//! - **Verification**: [`Pallet::verify`] (runtime API `RecordsApi::verify`, RPC
//!   `records_verify`) tells whether a content hash is the one anchored for a record.
//! - **Per-patient index**: `PatientRecords` (patient, record) → (), read in pages by prefix;
//!   never a growing vector in one storage value.
//!
//! Every anchor, amendment, entered-in-error mark and erasure is appended to the patient's
//! audit trail ([`medchain_primitives::AuditSink`]) in the same transaction.
//!
//! For integrators — the FHIR mapping, every call with the runtime's bounds, the authorisation
//! matrix, the RPC methods and examples that a test runs: `docs/pallets/records.md`.

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

use frame::{
	deps::sp_runtime::traits::{IdentifyAccount, Verify},
	prelude::*,
	traits::Time,
};
use medchain_primitives::{
	attestation::{self, AttestedErase, AttestedWrite, WRITE_WINDOW},
	AccessPolicy, Action, Agent, AttestationLedger, AttestationTimeError, AttestationUse,
	AuditAction, AuditEvent, AuditSink, BatchId, Category, ConsentRef, Decision, DenyReason,
	Hash32, MerkleProof, Moment, OrganisationId, PatientId, PatientRegistry, ProviderRegistry,
	Purpose, RecordChecks, RecordId, RecordRegistry, RecordStatus, RecordVerification,
};

/// Who on a record's author side may act: any practitioner of its organisation (to amend), or
/// only its own author (to mark or erase); the organisation's admin and, for its own records,
/// the patient, always.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum AuthorSide {
	Organisation,
	Author,
}

pub use pallet::*;
pub use types::{Anchor, BatchAnchor, Locator, NewRecord, SelfAnchorCount};
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

		/// Who is a patient.
		type Patients: PatientRegistry<Self::AccountId>;

		/// The consent decision: may this account append to this patient's record?
		type Policy: AccessPolicy<Self::AccountId>;

		/// The patient's audit trail.
		type Audit: AuditSink<Self::AccountId>;

		/// The chain's clock (pallet-timestamp).
		type Time: Time<Moment = Moment>;

		/// The most records one batch anchor may hold.
		#[pallet::constant]
		type MaxBatchSize: Get<u32>;

		/// The most records one `anchor_many` may anchor.
		#[pallet::constant]
		type MaxAnchorsPerCall: Get<u32>;

		/// The most records (new ones and new versions) a patient may anchor itself per
		/// `SelfAnchorPeriod`: what a patient's own app needs, not a way to grow every node's
		/// state for free (security review 2026-12, N-4).
		#[pallet::constant]
		type MaxSelfAnchorsPerPeriod: Get<u32>;

		/// The period of `MaxSelfAnchorsPerPeriod` (ms).
		#[pallet::constant]
		type SelfAnchorPeriod: Get<Moment>;

		/// The most records a patient may anchor itself in all (anchors are never removed).
		#[pallet::constant]
		type MaxSelfAnchors: Get<u32>;

		/// The most writes (and erasures) one `anchor_attested` (`erase_attested`) may relay.
		#[pallet::constant]
		type MaxAttestedWritesPerCall: Get<u32>;

		/// A signature over an attestation (the runtime's `MultiSignature`), checked against
		/// the account it names.
		type Signature: Verify<Signer = Self::Signer> + Parameter;

		/// What signs: a key whose account is an account of this chain.
		type Signer: IdentifyAccount<AccountId = Self::AccountId>;

		/// The chain's memory of the attestations it used (the audit pallet's).
		type Attestations: AttestationLedger;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Benchmarks: the state of the pallets it meets (practitioners, patients and the consent decision at its worst case), built by the runtime.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: medchain_primitives::benchmarking::BenchmarkWorld<Self::AccountId>;

		/// Benchmarks: keys that sign write and erase attestations.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkSigner: medchain_primitives::benchmarking::BenchmarkSigner<
			Self::AccountId,
			Self::Signature,
		>;
	}

	/// The id the next record anchor gets.
	#[pallet::storage]
	pub type NextRecordId<T> = StorageValue<_, RecordId, ValueQuery>;

	/// Record anchors by id, every version of every record.
	// Twox64Concat: ids are assigned sequentially by the chain.
	#[pallet::storage]
	pub type Anchors<T: Config> =
		StorageMap<_, Twox64Concat, RecordId, Anchor<T::AccountId>, OptionQuery>;

	/// Each patient's records, one key per record: read a patient's records in pages by key
	/// prefix (polkadot.js: `api.query.records.patientRecords.entriesPaged`).
	// Twox64Concat on both: ids are assigned by the chain.
	#[pallet::storage]
	pub type PatientRecords<T> =
		StorageDoubleMap<_, Twox64Concat, PatientId, Twox64Concat, RecordId, (), OptionQuery>;

	/// The id the next batch anchor gets.
	#[pallet::storage]
	pub type NextBatchId<T> = StorageValue<_, BatchId, ValueQuery>;

	/// What each patient anchored itself: in the current period, and in all.
	// Twox64Concat: patient ids are assigned by the chain.
	#[pallet::storage]
	pub type SelfAnchors<T> = StorageMap<_, Twox64Concat, PatientId, SelfAnchorCount, ValueQuery>;

	/// Batch anchors by id.
	// Twox64Concat: ids are assigned sequentially by the chain.
	#[pallet::storage]
	pub type Batches<T: Config> =
		StorageMap<_, Twox64Concat, BatchId, BatchAnchor<T::AccountId>, OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A record was anchored for a patient. (Its category is in the patient's audit entry,
		/// not repeated here.)
		RecordAnchored {
			record_id: RecordId,
			patient: PatientId,
			content_hash: Hash32,
			author: T::AccountId,
			author_org: Option<OrganisationId>,
		},
		/// A new version of a record was anchored; the old one is superseded.
		RecordAmended {
			record_id: RecordId,
			supersedes: RecordId,
			patient: PatientId,
			content_hash: Hash32,
			author: T::AccountId,
		},
		/// A record version was marked as created in error.
		RecordEnteredInError { record_id: RecordId, patient: PatientId, by: T::AccountId },
		/// The author's side attested that it destroyed the record's data key.
		RecordErased { record_id: RecordId, patient: PatientId, by: T::AccountId },
		/// A batch of an organisation's records was anchored by its Merkle root.
		BatchAnchored {
			batch_id: BatchId,
			organisation: OrganisationId,
			category: Category,
			merkle_root: Hash32,
			count: u32,
			author: T::AccountId,
		},
		/// A writer's attestation was relayed: `record_id` anchored in `writer`'s name
		/// (`repeated`: it had been relayed before, and made `record_id` then).
		WriteAttested {
			attestation: Hash32,
			record_id: RecordId,
			writer: T::AccountId,
			repeated: bool,
		},
		/// An erase attestation was relayed: `record_id` erased in `by`'s name (`repeated`: it
		/// had been relayed before).
		EraseAttested { attestation: Hash32, record_id: RecordId, by: T::AccountId, repeated: bool },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No patient has this id.
		UnknownPatient,
		/// The signer is not an active practitioner, nor the admin of an active organisation,
		/// nor the patient.
		NotActiveProvider,
		/// No consent in force lets the signer append this category of the patient's data for
		/// this purpose: ask the patient for a grant with the Append action.
		NoAppendGrant,
		/// A deny rule of the patient forbids this; only the patient can lift it.
		DeniedByPatient,
		/// A content hash of all zeros is the hash of nothing; give the record's BLAKE2b-256.
		NoContentHash,
		/// A Merkle root of all zeros commits to no batch; give the batch's root.
		NoMerkleRoot,
		/// No record has this id.
		UnknownRecord,
		/// Only the record's author side may change it: its author or its organisation's admin
		/// (marking and erasing), a practitioner of its organisation (amending), the patient
		/// for its own records.
		NotRecordAuthor,
		/// Only the current version of a record can be amended or marked entered-in-error;
		/// follow `superseded_by` to the current one.
		NotCurrent,
		/// The record is erased already.
		AlreadyErased,
		/// A batch must hold at least one record.
		EmptyBatch,
		/// A batch holds at most `MaxBatchSize` records; split it.
		BatchTooLarge,
		/// Every record or batch id has been used.
		IdsExhausted,
		/// A record anchored with `anchor_many` by anyone but its patient names what permits
		/// it (`basis`: the grant or emergency access `consent_checkAccess` answered with).
		BasisRequired,
		/// The patient anchored `MaxSelfAnchorsPerPeriod` records itself in this period; go on
		/// in the next one (or have a provider anchor them).
		TooManySelfAnchorsInPeriod,
		/// The patient anchored `MaxSelfAnchors` records itself, the most it may: its providers
		/// anchor what it has to add.
		SelfAnchorQuotaReached,
		/// The signature does not verify with the key of the account the attestation names.
		BadAttestationSignature,
		/// The attestation was signed longer ago than `WRITE_WINDOW`: sign it again.
		AttestationTooOld,
		/// The attestation was signed in the future (past the allowed clock skew).
		AttestationFromTheFuture,
		/// A new version's patient, category or purpose is not its record's.
		AttestationMismatch,
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
		/// Anchor a record for a patient.
		///
		/// The origin must be signed by the patient, or by an active practitioner (or an
		/// active organisation's admin) whom the consent decision permits to Append
		/// `category` of the patient's data for `purpose` (a grant, or an open emergency
		/// access for the purpose Emergency).
		///
		/// - `content_hash`: the record's fingerprint (BLAKE2b-256 of the stored bytes; not all
		///   zeros).
		/// - `locator`: where the author keeps it: 32 opaque bytes, no PII.
		///
		/// Emits [`Event::RecordAnchored`]; appends `RecordAnchored` to the patient's trail.
		/// Errors: [`Error::NoContentHash`], [`Error::UnknownPatient`],
		/// [`Error::NotActiveProvider`], [`Error::NoAppendGrant`], [`Error::DeniedByPatient`],
		/// [`Error::IdsExhausted`].
		///
		/// ## Complexity
		/// O(G) in the grants G the consent decision reads (at most
		/// `AccessPolicy::max_grants_read`): charged for the most, refunded to what it read;
		/// O(1), with no decision, when the patient anchors.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::anchor(T::Policy::max_grants_read()))]
		pub fn anchor(
			origin: OriginFor<T>,
			patient: PatientId,
			category: Category,
			purpose: Purpose,
			content_hash: Hash32,
			locator: Locator,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			ensure!(!content_hash.is_zero(), Error::<T>::NoContentHash);
			let appender = Self::ensure_may_append(patient, &who, category, purpose)?;
			Self::anchor_new(
				&who,
				&appender,
				NewRecord { patient, category, purpose, content_hash, locator, basis: None },
			)?;
			Ok(Self::actual_weight(
				&appender,
				T::WeightInfo::anchor_by_patient(),
				T::WeightInfo::anchor,
			))
		}

		/// Amend a record: anchor a new version that supersedes the current one. The old
		/// version stays, `Superseded`, pointing to the new one.
		///
		/// The origin must be signed by the record's author side (an active practitioner or
		/// the admin of the organisation that anchored it, or the patient for its own
		/// records), who must still be permitted to Append the record's category for its
		/// purpose.
		///
		/// Emits [`Event::RecordAmended`]; appends `RecordAmended` (naming the new version) to
		/// the patient's trail.
		/// Errors: [`Error::NoContentHash`], [`Error::UnknownRecord`], [`Error::NotCurrent`],
		/// [`Error::NotRecordAuthor`], and those of [`Pallet::anchor`]'s consent check.
		///
		/// ## Complexity
		/// O(G), as [`Pallet::anchor`]; O(1) for the patient.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::amend(T::Policy::max_grants_read()))]
		pub fn amend(
			origin: OriginFor<T>,
			record_id: RecordId,
			content_hash: Hash32,
			locator: Locator,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			ensure!(!content_hash.is_zero(), Error::<T>::NoContentHash);
			let mut old = Anchors::<T>::get(record_id).ok_or(Error::<T>::UnknownRecord)?;
			ensure!(old.status == RecordStatus::Current, Error::<T>::NotCurrent);
			Self::ensure_author_side(&old, &who, AuthorSide::Organisation)?;
			let (patient, category, purpose) = (old.patient, old.category, old.purpose);
			let appender = Self::ensure_may_append(patient, &who, category, purpose)?;
			let new_id = Self::store_version(
				&who,
				&appender,
				NewRecord { patient, category, purpose, content_hash, locator, basis: None },
				Some(record_id),
			)?;
			old.status = RecordStatus::Superseded;
			old.superseded_by = Some(new_id);
			Anchors::<T>::insert(record_id, old);
			Self::deposit_event(Event::RecordAmended {
				record_id: new_id,
				supersedes: record_id,
				patient,
				content_hash,
				author: who,
			});
			Ok(Self::actual_weight(
				&appender,
				T::WeightInfo::amend_by_patient(),
				T::WeightInfo::amend,
			))
		}

		/// Mark the current version of a record as created in error. If it amended an earlier
		/// version, that version is `Current` again (the amendment was the error).
		///
		/// The origin must be signed by the record's author (an active practitioner of its
		/// organisation, or the patient for its own records) or the admin of its organisation
		/// while that organisation is active (a suspended organisation's admin may not: security
		/// review 2026-12, N-5).
		///
		/// Emits [`Event::RecordEnteredInError`]; appends `RecordEnteredInError` to the trail.
		/// Errors: [`Error::UnknownRecord`], [`Error::NotCurrent`], [`Error::NotRecordAuthor`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(2)]
		pub fn mark_entered_in_error(origin: OriginFor<T>, record_id: RecordId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = Anchors::<T>::get(record_id).ok_or(Error::<T>::UnknownRecord)?;
			ensure!(record.status == RecordStatus::Current, Error::<T>::NotCurrent);
			if let Some(previous) = record.supersedes {
				Anchors::<T>::mutate(previous, |older| {
					// An erased (or otherwise retired) predecessor stays as it is.
					if let Some(older) = older.as_mut().filter(|o| {
						o.status == RecordStatus::Superseded && o.superseded_by == Some(record_id)
					}) {
						older.status = RecordStatus::Current;
						older.superseded_by = None;
					}
				});
			}
			Self::change_status(record, record_id, &who, RecordStatus::EnteredInError)?;
			Ok(())
		}

		/// Attest that the author's side destroyed the key of a record version's encrypted
		/// data (crypto-shredding, e.g. for a GDPR erasure request). The status becomes
		/// `Erased` and the locator is zeroed; the hash stays. Erase each version that should
		/// be erased. (The anchoring extrinsic keeps the locator in its block: see
		/// `docs/security.md`.)
		///
		/// The origin must be signed by the record's author (an active practitioner of its
		/// organisation, or the patient for its own records) or the admin of its organisation
		/// while that organisation is active (a suspended organisation's admin may not: security
		/// review 2026-12, N-5).
		///
		/// Emits [`Event::RecordErased`]; appends `RecordErased` to the trail.
		/// Errors: [`Error::UnknownRecord`], [`Error::AlreadyErased`],
		/// [`Error::NotRecordAuthor`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(3)]
		pub fn erase(origin: OriginFor<T>, record_id: RecordId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Anchors::<T>::get(record_id).ok_or(Error::<T>::UnknownRecord)?;
			ensure!(record.status != RecordStatus::Erased, Error::<T>::AlreadyErased);
			record.locator = Locator::zero();
			Self::change_status(record, record_id, &who, RecordStatus::Erased)
		}

		/// Anchor a batch of the signer's organisation's records (a lab's night run) by the
		/// Merkle root of their content hashes (`medchain-merkle`: RFC 9162 over BLAKE2b-256).
		/// A record's membership is then shown with a proof against `merkle_root` and
		/// `count`.
		///
		/// The origin must be signed by an active practitioner, or the admin of an active
		/// organisation.
		///
		/// A batch names no patient (the chain does not learn whose records it holds), so it
		/// appends to no patient's trail: its event is its record.
		///
		/// Emits [`Event::BatchAnchored`].
		/// Errors: [`Error::NotActiveProvider`], [`Error::NoMerkleRoot`], [`Error::EmptyBatch`],
		/// [`Error::BatchTooLarge`], [`Error::IdsExhausted`].
		///
		/// ## Complexity
		/// O(1), whatever `count`.
		#[pallet::call_index(4)]
		pub fn anchor_batch(
			origin: OriginFor<T>,
			merkle_root: Hash32,
			count: u32,
			category: Category,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let organisation =
				Self::active_organisation_of(&who).ok_or(Error::<T>::NotActiveProvider)?;
			ensure!(!merkle_root.is_zero(), Error::<T>::NoMerkleRoot);
			ensure!(count > 0, Error::<T>::EmptyBatch);
			ensure!(count <= T::MaxBatchSize::get(), Error::<T>::BatchTooLarge);
			let batch_id = NextBatchId::<T>::get();
			let next = batch_id.checked_add(1).ok_or(Error::<T>::IdsExhausted)?;
			Batches::<T>::insert(
				batch_id,
				BatchAnchor {
					organisation,
					author: who.clone(),
					category,
					merkle_root,
					count,
					anchored_at: T::Time::now(),
				},
			);
			NextBatchId::<T>::put(next);
			Self::deposit_event(Event::BatchAnchored {
				batch_id,
				organisation,
				category,
				merkle_root,
				count,
				author: who,
			});
			Ok(())
		}

		/// Anchor many records in one transaction (a lab's results of the night, each for its
		/// patient), each as [`Pallet::anchor`] anchors it: its own record id, its patient's
		/// index entry and audit entry, its [`Event::RecordAnchored`]. One signature and one
		/// transaction's overhead for all of them. All or nothing: one refused record fails the
		/// call, and none is anchored.
		///
		/// Each record names what permits the signer to append it (`basis`): a grant or an open
		/// emergency access, checked now as the consent decision checks that one basis (its
		/// patient's deny rules included; Append of the record's category for its purpose).
		/// The chain does not search the patient's grants for one, so that each record's check
		/// is O(1). `basis: None` is the patient's own record, signed by the patient.
		///
		/// Emits [`Event::RecordAnchored`] and appends `RecordAnchored` to its patient's trail,
		/// for each record, in order.
		/// Errors: [`Error::EmptyBatch`], [`Error::BasisRequired`], and those of
		/// [`Pallet::anchor`] ([`Error::NoContentHash`], [`Error::UnknownPatient`],
		/// [`Error::NotActiveProvider`], [`Error::NoAppendGrant`] — the basis does not permit
		/// it —, [`Error::DeniedByPatient`], [`Error::IdsExhausted`]): the first refused
		/// record's. More than `MaxAnchorsPerCall` records do not decode.
		///
		/// ## Complexity
		/// O(n) in the records, n ≤ `MaxAnchorsPerCall`, each with one consent check under one
		/// basis (O(1): its patient's deny rules, at most `MaxDenyRules`, and one grant or
		/// access). Charged as a provider's; refunded to the patient's path when every record
		/// is the signer's own.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::anchor_many(records.len() as u32))]
		pub fn anchor_many(
			origin: OriginFor<T>,
			records: BoundedVec<NewRecord, T::MaxAnchorsPerCall>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			ensure!(!records.is_empty(), Error::<T>::EmptyBatch);
			let count = records.len() as u32;
			let mut decided = false;
			for record in records {
				ensure!(!record.content_hash.is_zero(), Error::<T>::NoContentHash);
				let appender = Self::ensure_may_append_under(&record, &who)?;
				decided |= appender.basis.is_some();
				Self::anchor_new(&who, &appender, record)?;
			}
			let used = if decided {
				T::WeightInfo::anchor_many(count)
			} else {
				T::WeightInfo::anchor_many_by_patient(count)
			};
			Ok(PostDispatchInfo { actual_weight: Some(used), pays_fee: Pays::Yes })
		}
		/// Anchor records written through a provider's gateway **in their writers' names**:
		/// each is the writer's signed write attestation, the gateway's locator and the basis
		/// `consent_checkAccess` gave the writer (docs/gateway.md, "Writes").
		///
		/// The origin (the relaying gateway's key) must be an active practitioner or an active
		/// organisation's admin. For each write the chain checks the writer's signature over
		/// `WRITE_CONTEXT ‖ genesis hash ‖ SCALE(attestation)`, that it was signed within
		/// `WRITE_WINDOW` (and not in the future), then anchors it exactly as the writer's own
		/// `anchor_many` (a new record) or `amend` (`supersedes`: a new version of a current
		/// record on the writer's side) would, the writer as author. An attestation already used
		/// is skipped and its record said in [`Event::WriteAttested`]: relaying it again is safe.
		///
		/// All or nothing: one refused write fails the call.
		/// Emits [`Event::RecordAnchored`] or [`Event::RecordAmended`], and
		/// [`Event::WriteAttested`], per write.
		/// Errors: [`Error::NotActiveProvider`] (the relayer), [`Error::EmptyBatch`],
		/// [`Error::BadAttestationSignature`], [`Error::AttestationTooOld`],
		/// [`Error::AttestationFromTheFuture`], [`Error::AttestationMismatch`] (an amendment
		/// whose patient, category or purpose is not its record's), and those of `anchor_many`
		/// and `amend` for the writer.
		///
		/// ## Complexity
		/// O(n) in the writes, n ≤ `MaxAttestedWritesPerCall`, each one signature check and one
		/// consent check under one basis.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::anchor_attested(writes.len() as u32))]
		pub fn anchor_attested(
			origin: OriginFor<T>,
			writes: BoundedVec<
				AttestedWrite<T::AccountId, T::Signature>,
				T::MaxAttestedWritesPerCall,
			>,
		) -> DispatchResult {
			let relayer = ensure_signed(origin)?;
			ensure!(!writes.is_empty(), Error::<T>::EmptyBatch);
			ensure!(
				Self::active_organisation_of(&relayer).is_some(),
				Error::<T>::NotActiveProvider
			);
			let genesis = Self::genesis();
			for write in writes {
				let AttestedWrite { attestation: a, signature, locator, basis } = write;
				ensure!(!a.content_hash.is_zero(), Error::<T>::NoContentHash);
				let payload = a.payload(&genesis);
				ensure!(
					signature.verify(&payload[..], &a.writer),
					Error::<T>::BadAttestationSignature
				);
				let id = attestation::id_of(&payload);
				if let AttestationUse::Used(record) = Self::check_attestation(&id, a.created)? {
					Self::deposit_event(Event::WriteAttested {
						attestation: id,
						record_id: record.unwrap_or_default(),
						writer: a.writer,
						repeated: true,
					});
					continue;
				}
				let record = NewRecord {
					patient: a.patient,
					category: a.category,
					purpose: a.purpose,
					content_hash: a.content_hash,
					locator,
					basis,
				};
				let record_id = match a.supersedes {
					None => {
						let appender = Self::ensure_may_append_under(&record, &a.writer)?;
						Self::anchor_new(&a.writer, &appender, record)?
					},
					Some(old_id) => Self::amend_under(&a.writer, old_id, record)?,
				};
				T::Attestations::remember(&id, a.created, WRITE_WINDOW, Some(record_id));
				Self::deposit_event(Event::WriteAttested {
					attestation: id,
					record_id,
					writer: a.writer,
					repeated: false,
				});
			}
			Ok(())
		}

		/// Erase records through a provider's gateway **in their requesters' names**: each is
		/// the requester's signed erase attestation, checked as [`Pallet::anchor_attested`]
		/// checks a write's, then the record erased as the requester's own [`Pallet::erase`]
		/// would. An attestation already used is skipped.
		///
		/// All or nothing. Emits [`Event::RecordErased`] and [`Event::EraseAttested`] per
		/// erasure. Errors: [`Error::NotActiveProvider`] (the relayer), [`Error::EmptyBatch`],
		/// [`Error::BadAttestationSignature`], [`Error::AttestationTooOld`],
		/// [`Error::AttestationFromTheFuture`], and those of `erase` for the requester.
		///
		/// ## Complexity
		/// O(n) in the erasures, n ≤ `MaxAttestedWritesPerCall`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::erase_attested(erasures.len() as u32))]
		pub fn erase_attested(
			origin: OriginFor<T>,
			erasures: BoundedVec<
				AttestedErase<T::AccountId, T::Signature>,
				T::MaxAttestedWritesPerCall,
			>,
		) -> DispatchResult {
			let relayer = ensure_signed(origin)?;
			ensure!(!erasures.is_empty(), Error::<T>::EmptyBatch);
			ensure!(
				Self::active_organisation_of(&relayer).is_some(),
				Error::<T>::NotActiveProvider
			);
			let genesis = Self::genesis();
			for erasure in erasures {
				let AttestedErase { attestation: a, signature } = erasure;
				let payload = a.payload(&genesis);
				ensure!(signature.verify(&payload[..], &a.by), Error::<T>::BadAttestationSignature);
				let id = attestation::id_of(&payload);
				let repeated =
					matches!(Self::check_attestation(&id, a.created)?, AttestationUse::Used(_));
				if !repeated {
					let mut record =
						Anchors::<T>::get(a.record).ok_or(Error::<T>::UnknownRecord)?;
					ensure!(record.status != RecordStatus::Erased, Error::<T>::AlreadyErased);
					record.locator = Locator::zero();
					Self::change_status(record, a.record, &a.by, RecordStatus::Erased)?;
					T::Attestations::remember(&id, a.created, WRITE_WINDOW, Some(a.record));
				}
				Self::deposit_event(Event::EraseAttested {
					attestation: id,
					record_id: a.record,
					by: a.by,
					repeated,
				});
			}
			Ok(())
		}
	}
}

/// Who appends a record and on what basis: what a call needs from the consent check.
struct Appender {
	/// The organisation it acts for; `None` for the patient.
	organisation: Option<OrganisationId>,
	/// The grant or emergency access that permits it; `None` for the patient.
	basis: Option<ConsentRef>,
	/// The grants the consent decision read (what the call's weight grows with).
	grants_read: u32,
}

impl<T: Config> Pallet<T> {
	/// The organisation `who` acts for if it is an active practitioner or the admin of an
	/// active organisation.
	fn active_organisation_of(who: &T::AccountId) -> Option<OrganisationId> {
		T::Providers::active_practitioner(who)
			.map(|p| p.organisation)
			.or_else(|| T::Providers::active_admin_of(who))
	}

	/// Ensures `who` may append `category` of `patient`'s data for `purpose`: it is the
	/// patient, or the consent decision permits it. Says for which organisation it acts, what
	/// permits it, and what the decision read.
	fn ensure_may_append(
		patient: PatientId,
		who: &T::AccountId,
		category: Category,
		purpose: Purpose,
	) -> Result<Appender, DispatchError> {
		ensure!(T::Patients::is_enrolled(patient), Error::<T>::UnknownPatient);
		if T::Patients::patient_of(who) == Some(patient) {
			return Ok(Appender { organisation: None, basis: None, grants_read: 0 });
		}
		let decided = T::Policy::check_access(patient, who, category, purpose, Action::Append);
		Self::appender(decided.decision, who, decided.grants_read)
	}

	/// Ensures `who` may append `record` under the basis it names, or as its patient when it
	/// names none: [`Self::ensure_may_append`] without the search for a grant.
	fn ensure_may_append_under(
		record: &NewRecord,
		who: &T::AccountId,
	) -> Result<Appender, DispatchError> {
		ensure!(T::Patients::is_enrolled(record.patient), Error::<T>::UnknownPatient);
		let Some(basis) = record.basis else {
			ensure!(
				T::Patients::patient_of(who) == Some(record.patient),
				Error::<T>::BasisRequired
			);
			return Ok(Appender { organisation: None, basis: None, grants_read: 0 });
		};
		let decision = T::Policy::check_access_under(
			basis,
			record.patient,
			who,
			record.category,
			record.purpose,
			Action::Append,
		);
		Self::appender(decision, who, 1)
	}

	/// What a consent decision that read `grants_read` grants means for an append by `who`:
	/// the organisation it acts for and the basis that permits it, or the named error.
	fn appender(
		decision: Decision,
		who: &T::AccountId,
		grants_read: u32,
	) -> Result<Appender, DispatchError> {
		let basis = match decision {
			Decision::Permit { grant_id, .. } => ConsentRef::Grant(grant_id),
			Decision::PermitEmergency { access_id, .. } => ConsentRef::Emergency(access_id),
			Decision::Deny(DenyReason::UnknownPatient) => {
				return Err(Error::<T>::UnknownPatient.into())
			},
			Decision::Deny(DenyReason::NotActiveProvider) => {
				return Err(Error::<T>::NotActiveProvider.into())
			},
			Decision::Deny(DenyReason::DeniedByPatient) => {
				return Err(Error::<T>::DeniedByPatient.into())
			},
			Decision::Deny(DenyReason::NoGrant) | Decision::EmergencyOnly => {
				return Err(Error::<T>::NoAppendGrant.into())
			},
		};
		let organisation =
			Self::active_organisation_of(who).ok_or(Error::<T>::NotActiveProvider)?;
		Ok(Appender { organisation: Some(organisation), basis: Some(basis), grants_read })
	}

	/// Anchors `record` (a new record, the first version) by `who`, as `appender` permits it:
	/// stores and indexes it, appends it to its patient's trail and announces it. Gives its
	/// id.
	fn anchor_new(
		who: &T::AccountId,
		appender: &Appender,
		record: NewRecord,
	) -> Result<RecordId, DispatchError> {
		let (patient, content_hash) = (record.patient, record.content_hash);
		let record_id = Self::store_version(who, appender, record, None)?;
		Self::deposit_event(Event::RecordAnchored {
			record_id,
			patient,
			content_hash,
			author: who.clone(),
			author_org: appender.organisation,
		});
		Ok(record_id)
	}

	/// Stores `record` as a current version by `who` — a new record, or the amendment of
	/// `supersedes` — as `appender` permits it (what permits it is `appender`'s, not
	/// `record.basis`), indexes it and appends it to its patient's trail (`RecordAnchored` or
	/// `RecordAmended`). Gives its id.
	fn store_version(
		who: &T::AccountId,
		appender: &Appender,
		record: NewRecord,
		supersedes: Option<RecordId>,
	) -> Result<RecordId, DispatchError> {
		let NewRecord { patient, category, purpose, content_hash, locator, basis: _ } = record;
		let author_org = appender.organisation;
		if author_org.is_none() {
			Self::count_self_anchor(patient)?;
		}
		let record_id = Self::insert(Anchor {
			patient,
			category,
			purpose,
			content_hash,
			author: who.clone(),
			author_org,
			created_at: T::Time::now(),
			locator,
			supersedes,
			superseded_by: None,
			status: RecordStatus::Current,
		})?;
		let action = match supersedes {
			Some(_) => AuditAction::RecordAmended,
			None => AuditAction::RecordAnchored,
		};
		Self::audit(AuditEvent {
			organisation: author_org,
			categories: category.into(),
			purposes: purpose.into(),
			record: Some(record_id),
			consent: appender.basis,
			..AuditEvent::new(patient, action, Agent::Account(who.clone()))
		})?;
		Ok(record_id)
	}

	/// Counts one more record `patient` anchored itself against its quotas (per period and in
	/// all), or fails with the one it would exceed.
	fn count_self_anchor(patient: PatientId) -> DispatchResult {
		let now = T::Time::now();
		SelfAnchors::<T>::try_mutate(patient, |count| {
			ensure!(count.total < T::MaxSelfAnchors::get(), Error::<T>::SelfAnchorQuotaReached);
			ensure!(
				count.period.try_count(
					now,
					T::SelfAnchorPeriod::get(),
					T::MaxSelfAnchorsPerPeriod::get()
				),
				Error::<T>::TooManySelfAnchorsInPeriod
			);
			count.total = count.total.saturating_add(1);
			Ok(())
		})
	}

	/// Ensures `who` is on the author's side of `record`, as `side` requires: the patient for a
	/// record it anchored itself; otherwise the organisation's admin (while the organisation
	/// is active), or an active practitioner of the authoring organisation — any
	/// of them to amend ([`AuthorSide::Organisation`]), only the record's own author to mark or
	/// erase it ([`AuthorSide::Author`]). Gives the organisation it acts for.
	fn ensure_author_side(
		record: &Anchor<T::AccountId>,
		who: &T::AccountId,
		side: AuthorSide,
	) -> Result<Option<OrganisationId>, DispatchError> {
		match record.author_org {
			None => {
				ensure!(
					T::Patients::patient_of(who) == Some(record.patient),
					Error::<T>::NotRecordAuthor
				);
				Ok(None)
			},
			Some(org) => {
				let practitioner_of_org =
					T::Providers::active_practitioner(who).is_some_and(|p| p.organisation == org);
				let may_act = match side {
					AuthorSide::Organisation => practitioner_of_org,
					AuthorSide::Author => practitioner_of_org && record.author == *who,
				};
				let admin_of_org = T::Providers::active_admin_of(who) == Some(org);
				ensure!(may_act || admin_of_org, Error::<T>::NotRecordAuthor);
				Ok(Some(org))
			},
		}
	}

	/// Moves `record` (id `record_id`) to `status` at `who`'s request, if `who` is its author
	/// (or its organisation's admin); stores, audits and announces it.
	fn change_status(
		mut record: Anchor<T::AccountId>,
		record_id: RecordId,
		who: &T::AccountId,
		status: RecordStatus,
	) -> DispatchResult {
		let organisation = Self::ensure_author_side(&record, who, AuthorSide::Author)?;
		record.status = status;
		let (patient, category, purpose) = (record.patient, record.category, record.purpose);
		Anchors::<T>::insert(record_id, record);
		let action = match status {
			RecordStatus::Erased => AuditAction::RecordErased,
			_ => AuditAction::RecordEnteredInError,
		};
		Self::audit(AuditEvent {
			organisation,
			categories: category.into(),
			purposes: purpose.into(),
			record: Some(record_id),
			..AuditEvent::new(patient, action, Agent::Account(who.clone()))
		})?;
		let by = who.clone();
		Self::deposit_event(match status {
			RecordStatus::Erased => Event::RecordErased { record_id, patient, by },
			_ => Event::RecordEnteredInError { record_id, patient, by },
		});
		Ok(())
	}

	/// What a call charged for the costliest consent decision actually used: its measured
	/// weight for the grants the decision read, or its own path when the patient acted (no
	/// decision).
	fn actual_weight(
		appender: &Appender,
		by_patient: Weight,
		by_grants_read: fn(u32) -> Weight,
	) -> PostDispatchInfo {
		let used = match appender.basis {
			Some(_) => by_grants_read(appender.grants_read),
			None => by_patient,
		};
		PostDispatchInfo { actual_weight: Some(used), pays_fee: Pays::Yes }
	}

	/// The chain's genesis hash: what attestations are bound to.
	fn genesis() -> Hash32 {
		let hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let mut bytes = [0u8; 32];
		let encoded = hash.encode();
		let n = encoded.len().min(32);
		bytes[..n].copy_from_slice(&encoded[..n]);
		Hash32::from(bytes)
	}

	/// Whether a write or erase attestation made at `created` may be used now.
	fn check_attestation(id: &Hash32, created: Moment) -> Result<AttestationUse, DispatchError> {
		T::Attestations::check(id, created, WRITE_WINDOW).map_err(|e| match e {
			AttestationTimeError::TooOld => Error::<T>::AttestationTooOld.into(),
			AttestationTimeError::FromTheFuture => Error::<T>::AttestationFromTheFuture.into(),
		})
	}

	/// [`Pallet::amend`] of `old_id` by `who`, with `record` (its content, locator and basis)
	/// as the new version: the new version's patient, category and purpose must be the old
	/// one's. Gives the new version's id.
	fn amend_under(
		who: &T::AccountId,
		old_id: RecordId,
		record: NewRecord,
	) -> Result<RecordId, DispatchError> {
		let mut old = Anchors::<T>::get(old_id).ok_or(Error::<T>::UnknownRecord)?;
		ensure!(old.status == RecordStatus::Current, Error::<T>::NotCurrent);
		ensure!(
			(old.patient, old.category, old.purpose)
				== (record.patient, record.category, record.purpose),
			Error::<T>::AttestationMismatch
		);
		Self::ensure_author_side(&old, who, AuthorSide::Organisation)?;
		let appender = Self::ensure_may_append_under(&record, who)?;
		let (patient, content_hash) = (record.patient, record.content_hash);
		let new_id = Self::store_version(who, &appender, record, Some(old_id))?;
		old.status = RecordStatus::Superseded;
		old.superseded_by = Some(new_id);
		Anchors::<T>::insert(old_id, old);
		Self::deposit_event(Event::RecordAmended {
			record_id: new_id,
			supersedes: old_id,
			patient,
			content_hash,
			author: who.clone(),
		});
		Ok(new_id)
	}

	/// Stores a new anchor and indexes it under its patient; gives its id.
	fn insert(anchor: Anchor<T::AccountId>) -> Result<RecordId, DispatchError> {
		let record_id = NextRecordId::<T>::get();
		let next = record_id.checked_add(1).ok_or(Error::<T>::IdsExhausted)?;
		PatientRecords::<T>::insert(anchor.patient, record_id, ());
		Anchors::<T>::insert(record_id, anchor);
		NextRecordId::<T>::put(next);
		Ok(record_id)
	}

	/// Appends `event` to its patient's audit trail.
	fn audit(event: AuditEvent<T::AccountId>) -> DispatchResult {
		T::Audit::record(event).map(|_| ())
	}

	/// Whether `content_hash` is the hash anchored for `record_id`, and that version's status:
	/// what `RecordsApi::verify` answers.
	///
	/// ## Complexity
	/// O(1): 1 read.
	pub fn verify(record_id: RecordId, content_hash: Hash32) -> RecordVerification {
		match Anchors::<T>::get(record_id) {
			None => RecordVerification::UnknownRecord,
			Some(anchor) if anchor.content_hash == content_hash => {
				RecordVerification::Matches { status: anchor.status }
			},
			Some(anchor) => RecordVerification::Mismatch { status: anchor.status },
		}
	}

	/// [`Self::verify`] for each of `checks`, in order: what `RecordsApi::verify_batch`
	/// answers.
	///
	/// ## Complexity
	/// O(n): n reads, n ≤ `MAX_RECORD_CHECKS`.
	pub fn verify_batch(checks: RecordChecks) -> Vec<RecordVerification> {
		checks
			.into_iter()
			.map(|(record_id, content_hash)| Self::verify(record_id, content_hash))
			.collect()
	}

	/// Whether `proof` shows that the record with `content_hash` is leaf `index` of batch
	/// `batch_id` (against the batch's anchored root and count): what
	/// `RecordsApi::verify_in_batch` answers.
	///
	/// ## Complexity
	/// O(proof length) hashes, at most `MAX_PROOF_LEN`, and 1 read.
	pub fn verify_in_batch(
		batch_id: BatchId,
		content_hash: Hash32,
		index: u32,
		proof: MerkleProof,
	) -> bool {
		let Some(batch) = Batches::<T>::get(batch_id) else { return false };
		let path: Vec<[u8; 32]> = proof.into_iter().map(|h| h.0).collect();
		medchain_merkle::verify(
			&batch.merkle_root.0,
			&content_hash.0,
			index.into(),
			batch.count.into(),
			&path,
		)
	}
}

impl<T: Config> RecordRegistry for Pallet<T> {
	fn record_subject(record: RecordId) -> Option<(PatientId, Category)> {
		Anchors::<T>::get(record).map(|r| (r.patient, r.category))
	}
}
