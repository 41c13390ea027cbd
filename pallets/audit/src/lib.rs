//! # Audit pallet
//!
//! The tamper-evident audit trail of every patient: every consent change, emergency access,
//! record change and reported read, as a hash chain.
//!
//! ## Overview
//!
//! - Other pallets append through [`medchain_primitives::AuditSink`] (implemented by this
//!   pallet), in the same transaction as the change they audit: if the entry cannot be
//!   appended, the change fails too.
//! - Organisations **report** the reads they made off chain ([`Pallet::report_access`], or
//!   many at once with [`Pallet::report_access_batch`]), naming the grant or emergency access
//!   they relied on, which must be one given to them (or their organisation) for that patient:
//!   an organisation cannot write into the trail of a patient it has no consent relation with.
//!   The chain re-checks that basis now and records the outcome: `Permitted`, or `Denied` — a
//!   report the chain would deny (the grant expired, was revoked, does not cover the read) is
//!   still recorded, and flagged with [`Event::AccessReportFlagged`].
//! - **State per patient is O(1)**: a [`TrailHead`], the last sequence number and the running
//!   hash `h_n = blake2_256(h_{n-1} ‖ SCALE(entry_n))` with `h_0` all zeros. The entries
//!   travel in [`Event::EntryRecorded`]; whoever holds the events rebuilds a trail and checks
//!   it against the head with [`medchain_primitives::audit::verify_trail`].
//! - [`Pallet::trail_head`] is what `AuditApi::trail_head` (RPC `audit_trailHead`) answers.
//!
//! For integrators — the FHIR mapping, every call with the runtime's bounds, the authorisation
//! matrix, the RPC methods and examples that a test runs: `docs/pallets/audit.md`.

#![cfg_attr(not(feature = "std"), no_std)]
// Checked arithmetic in the chain's code (tests may overflow on purpose): docs/development.md.
#![cfg_attr(not(test), warn(clippy::arithmetic_side_effects))]

extern crate alloc;

mod benchmarking;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod try_state;
pub mod types;
pub mod weights;

use frame::{
	deps::{
		frame_support::weights::WeightMeter,
		sp_runtime::traits::{IdentifyAccount, Verify},
	},
	prelude::*,
	traits::Time,
};
use medchain_primitives::{
	attestation::{
		self, AttestedRead, MAX_CLOCK_SKEW, MAX_RECORDS_PER_READ, MAX_TICKET_LIFETIME,
		READ_REPORT_WINDOW,
	},
	audit::next_head,
	time::HOUR,
	AccessPolicy, Action, Agent, AttestationLedger, AttestationTimeError, AttestationUse,
	AuditAction, AuditEntry, AuditEvent, AuditOutcome, AuditSink, Decision, DenyReason, Hash32,
	Moment, OrganisationId, PatientActor, PatientId, PatientRegistry, ProviderRegistry,
	RecordRegistry, TrailHead,
};

pub use medchain_primitives::AccessReport;
pub use pallet::*;
pub use types::RewriteCursor;
pub use weights::WeightInfo;

#[frame::pallet]
pub mod pallet {
	use super::*;

	/// The version of this pallet's storage layout: a change to the layout raises it and comes
	/// with a migration (docs/development.md, "Migrations").
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Who is an active practitioner or organisation.
		type Providers: ProviderRegistry<Self::AccountId>;

		/// Who is a patient.
		type Patients: PatientRegistry<Self::AccountId>;

		/// The consent decision a reported read is re-checked against.
		type Policy: AccessPolicy<Self::AccountId>;

		/// The anchored records a report may name.
		type Records: RecordRegistry;

		/// The chain's clock (pallet-timestamp): every entry is timed by it.
		type Time: Time<Moment = Moment>;

		/// The most reads one `report_access_batch` may report: a longer list does not decode.
		#[pallet::constant]
		type MaxReportsPerBatch: Get<u32>;

		/// The most reads one `report_attested` may relay: a longer list does not decode.
		#[pallet::constant]
		type MaxAttestedReadsPerCall: Get<u32>;

		/// A signature over an attestation (the runtime's `MultiSignature`), checked against
		/// the account it names.
		type Signature: Verify<Signer = Self::Signer> + Parameter;

		/// What signs: a key whose account is an account of this chain.
		type Signer: IdentifyAccount<AccountId = Self::AccountId>;

		/// Weights of this pallet's calls and of one appended entry.
		type WeightInfo: WeightInfo;

		/// Benchmarks: the state of the pallets it meets (practitioners, patients, the consent decision and records), built by the runtime.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: medchain_primitives::benchmarking::BenchmarkWorld<Self::AccountId>;

		/// Benchmarks: keys that sign access tickets.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkSigner: medchain_primitives::benchmarking::BenchmarkSigner<
			Self::AccountId,
			Self::Signature,
		>;
	}

	/// Each patient's trail head: the last sequence number, the running hash and the block of
	/// the last entry. Absent for a patient with no entry yet (an empty trail: 0, all zeros, 0).
	// Twox64Concat: patient ids are assigned by the chain.
	#[pallet::storage]
	pub type Trails<T> = StorageMap<_, Twox64Concat, PatientId, TrailHead, ValueQuery>;

	/// While trail heads stored by an older runtime are being rewritten in the current layout
	/// (see [`crate::migrations`]): where the rewrite has got to. Absent otherwise.
	#[pallet::storage]
	pub type TrailsToRewrite<T> = StorageValue<_, RewriteCursor, OptionQuery>;

	/// The attestations the chain has used (readers' access tickets; writes and erasures, for
	/// the records pallet), keyed by the hour their window ends, so that each is used once:
	/// with the record a write made. An hour is pruned once it is past (`on_idle`), when every
	/// attestation in it is too old to be taken anyway.
	// Identity: attestation ids are BLAKE2b-256 hashes.
	#[pallet::storage]
	pub type UsedAttestations<T> = StorageDoubleMap<
		_,
		Twox64Concat,
		u64,
		Identity,
		Hash32,
		Option<medchain_primitives::RecordId>,
		OptionQuery,
	>;

	/// The first hour of [`UsedAttestations`] not yet pruned (0 until the first block with a
	/// clock).
	#[pallet::storage]
	pub type PrunedUntil<T> = StorageValue<_, u64, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An entry was appended to a patient's trail; `head` is the trail's hash after it, and
		/// `previous_block` the block whose events hold the trail's entry before it (0 for the
		/// first entry, or when that block is not known: see [`TrailHead::last_block`]).
		EntryRecorded { entry: AuditEntry<T::AccountId>, head: Hash32, previous_block: u32 },
		/// Every trail head stored by an older runtime is now in the current layout (the
		/// background rewrite of [`crate::migrations`] is done).
		TrailsRewritten,
		/// A reported read is one the chain's consent decision denies (entry `seq` of the
		/// patient's trail, outcome `Denied`): for the patient, its guardians and auditors.
		AccessReportFlagged {
			patient: PatientId,
			seq: u64,
			reporter: T::AccountId,
			organisation: OrganisationId,
			reason: DenyReason,
		},
		/// A reader's access ticket was relayed: `entries` reads appended to `patient`'s trail
		/// in `reader`'s name; `repeated`: the ticket had been used already, nothing appended.
		ReadAttested {
			ticket: Hash32,
			reader: T::AccountId,
			patient: PatientId,
			entries: u32,
			repeated: bool,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No patient has this id.
		UnknownPatient,
		/// The signer is neither an active practitioner nor an organisation's admin; only
		/// providers report reads.
		NotAProvider,
		/// No record has this id.
		UnknownRecord,
		/// The record named is not of this patient, or not of this category.
		RecordMismatch,
		/// A batch must report at least one read.
		EmptyBatch,
		/// The basis named is not a grant or emergency access of this patient given to the
		/// signer (or its organisation): a read can only be reported under one's own consent.
		UnrelatedBasis,
		/// The patient's trail has used every sequence number.
		TrailExhausted,
		/// An attested read served nothing: relay only what was served.
		NothingServed,
		/// An access ticket's `expires` is not after its `created`, or more than
		/// `MAX_TICKET_LIFETIME` after it.
		TicketTooLong,
		/// The signature does not verify with the key of the account the attestation names.
		BadAttestationSignature,
		/// The attestation was made longer ago than its window: it cannot be used any more.
		AttestationTooOld,
		/// The attestation was made in the future (past the allowed clock skew).
		AttestationFromTheFuture,
		/// A record relayed under a ticket is not one it asks for (another category, another
		/// record).
		ServedOutsideTicket,
		/// A read with no basis must be the patient's own, or a guardian's whose scope covers
		/// the category.
		NotActingForPatient,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Rewrites trail heads of an older layout while [`TrailsToRewrite`] says so, within
		/// the block's remaining weight (1 read otherwise).
		fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			let mut meter = WeightMeter::with_limit(remaining);
			if meter.try_consume(T::DbWeight::get().reads(1)).is_err() {
				return Weight::zero();
			}
			Self::rewrite_trails(&mut meter);
			if meter.try_consume(T::DbWeight::get().reads(1)).is_ok() {
				Self::prune_attestations(&mut meter);
			}
			meter.consumed()
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), frame::try_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight = <T as Config>::WeightInfo)]
	impl<T: Config> Pallet<T> {
		/// Report a read of a patient's data made off chain.
		///
		/// The origin must be signed by an active practitioner, or by an organisation's admin
		/// (even of a suspended organisation, so that its reads are still reported).
		///
		/// - `basis`: the grant or emergency access relied on: one of this patient's, given to the
		///   signer or its organisation (an emergency access: opened by the signer). The chain
		///   re-checks now whether it permits the signer to Read `category` for `purpose` (deny
		///   rules included).
		/// - `record`: the record read, if one was; it must be the patient's, of `category`.
		///
		/// Appends an `AccessReported` entry with outcome `Permitted` or `Denied` (emits
		/// [`Event::EntryRecorded`]); a denied read also emits [`Event::AccessReportFlagged`].
		/// Errors: [`Error::NotAProvider`], [`Error::UnknownPatient`], [`Error::UnknownRecord`],
		/// [`Error::RecordMismatch`], [`Error::UnrelatedBasis`], [`Error::TrailExhausted`].
		///
		/// ## Complexity
		/// O(1) plus one consent decision under one grant.
		#[pallet::call_index(0)]
		pub fn report_access(
			origin: OriginFor<T>,
			patient: PatientId,
			category: medchain_primitives::Category,
			purpose: medchain_primitives::Purpose,
			basis: medchain_primitives::ConsentRef,
			record: Option<medchain_primitives::RecordId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let organisation = Self::reporting_organisation(&who)?;
			Self::report(
				&who,
				organisation,
				AccessReport { patient, category, purpose, basis, record },
			)
		}

		/// Report many reads at once (e.g. an organisation's reads of the last hour), in
		/// order. All or nothing: one invalid report fails the whole batch.
		///
		/// The origin, each report's checks, entries and events are those of
		/// [`Pallet::report_access`].
		/// Errors: those of `report_access`, and [`Error::EmptyBatch`]. More than
		/// `MaxReportsPerBatch` reports do not decode: the transaction pool refuses the
		/// transaction.
		///
		/// ## Complexity
		/// O(n) in the reports, n ≤ `MaxReportsPerBatch`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::report_access_batch(reports.len() as u32))]
		pub fn report_access_batch(
			origin: OriginFor<T>,
			reports: BoundedVec<AccessReport, T::MaxReportsPerBatch>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!reports.is_empty(), Error::<T>::EmptyBatch);
			let organisation = Self::reporting_organisation(&who)?;
			for report in reports {
				Self::report(&who, organisation, report)?;
			}
			Ok(())
		}
		/// Append reads made through a provider's gateway to the patients' trails **in their
		/// readers' names**: each read is the reader's signed access ticket and what the gateway
		/// served under it (docs/gateway.md, "The reader's name on the trail").
		///
		/// The origin (the relaying gateway's key) must be signed by an active practitioner or
		/// an organisation's admin. For each read the chain checks, before anything is
		/// appended: the reader's signature over the ticket (`ACCESS_TICKET_CONTEXT ‖ genesis
		/// hash ‖ SCALE(ticket)`), that the ticket was made within `READ_REPORT_WINDOW` (and
		/// not in the future), lasts at most `MAX_TICKET_LIFETIME`, and that every record served
		/// lies within it (its patient, one of its categories, its record if it names one).
		/// Then each served record is reported as [`Pallet::report_access`] reports a read, by
		/// the reader: under its basis (re-checked now; a read the chain would deny is recorded
		/// and flagged), or, with no basis, by the patient or a guardian whose scope covers the
		/// category. A ticket already used is skipped (and said so in [`Event::ReadAttested`]),
		/// never appended twice: relaying it again is safe.
		///
		/// All or nothing: one invalid read fails the call.
		/// Emits [`Event::EntryRecorded`] per served record and [`Event::ReadAttested`] per read.
		/// Errors: [`Error::NotAProvider`] (the relayer), [`Error::EmptyBatch`],
		/// [`Error::NothingServed`], [`Error::TicketTooLong`],
		/// [`Error::BadAttestationSignature`], [`Error::AttestationTooOld`],
		/// [`Error::AttestationFromTheFuture`], [`Error::ServedOutsideTicket`],
		/// [`Error::NotActingForPatient`], and those of `report_access` for the reader.
		///
		/// ## Complexity
		/// O(r·s): r reads (at most `MaxAttestedReadsPerCall`), each one signature check and s
		/// served records (at most `MAX_RECORDS_PER_READ`). Charged for the largest s of the
		/// call's reads (known from its arguments: what the block and the relayer's admission
		/// budget count), refunded to the largest s of the reads appended (a repeated ticket
		/// appends nothing).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::report_attested(reads.len() as u32, most_served(reads)))]
		pub fn report_attested(
			origin: OriginFor<T>,
			reads: BoundedVec<AttestedRead<T::AccountId, T::Signature>, T::MaxAttestedReadsPerCall>,
		) -> DispatchResultWithPostInfo {
			let relayer = ensure_signed(origin)?;
			ensure!(!reads.is_empty(), Error::<T>::EmptyBatch);
			Self::reporting_organisation(&relayer)?;
			let genesis = Self::genesis();
			let now = T::Time::now();
			let count = reads.len() as u32;
			let mut most_served = 1u32;
			for read in reads {
				let AttestedRead { ticket, signature, served } = read;
				ensure!(!served.is_empty(), Error::<T>::NothingServed);
				let lifetime = ticket.expires.checked_sub(ticket.created).unwrap_or(0);
				ensure!(lifetime > 0 && lifetime <= MAX_TICKET_LIFETIME, Error::<T>::TicketTooLong);
				let payload = ticket.payload(&genesis);
				ensure!(
					signature.verify(&payload[..], &ticket.reader),
					Error::<T>::BadAttestationSignature
				);
				let id = attestation::id_of(&payload);
				let entries = served.len() as u32;
				if let AttestationUse::Used(_) =
					Self::check_use(&id, ticket.created, READ_REPORT_WINDOW)?
				{
					Self::deposit_event(Event::ReadAttested {
						ticket: id,
						reader: ticket.reader,
						patient: ticket.patient,
						entries: 0,
						repeated: true,
					});
					continue;
				}
				most_served = most_served.max(entries);
				for s in served {
					ensure!(
						ticket.categories.contains(s.category)
							&& ticket.record.map_or(true, |r| r == s.record),
						Error::<T>::ServedOutsideTicket
					);
					Self::report_read(
						&ticket.reader,
						ticket.patient,
						s.category,
						ticket.purpose,
						s.basis,
						Some(s.record),
						now,
					)?;
				}
				Self::remember_use(&id, ticket.created, READ_REPORT_WINDOW, None);
				Self::deposit_event(Event::ReadAttested {
					ticket: id,
					reader: ticket.reader,
					patient: ticket.patient,
					entries,
					repeated: false,
				});
			}
			Ok(Some(T::WeightInfo::report_attested(count, most_served)).into())
		}
	}
}

/// The most records any of `reads` served (at least 1): the `s` a call of them is charged for.
fn most_served<AccountId, Signature>(reads: &[AttestedRead<AccountId, Signature>]) -> u32 {
	reads
		.iter()
		.map(|r| r.served.len() as u32)
		.max()
		.unwrap_or(1)
		.clamp(1, MAX_RECORDS_PER_READ)
}

impl<T: Config> Pallet<T> {
	/// The organisation `who` reports for: its practitioner's organisation if active, else the
	/// organisation it administers.
	fn reporting_organisation(who: &T::AccountId) -> Result<OrganisationId, DispatchError> {
		T::Providers::active_practitioner(who)
			.map(|p| p.organisation)
			.or_else(|| T::Providers::administered_by(who))
			.ok_or_else(|| Error::<T>::NotAProvider.into())
	}

	fn report(
		who: &T::AccountId,
		organisation: OrganisationId,
		report: AccessReport,
	) -> DispatchResult {
		let AccessReport { patient, category, purpose, basis, record } = report;
		ensure!(T::Patients::is_enrolled(patient), Error::<T>::UnknownPatient);
		if let Some(record) = record {
			let subject = T::Records::record_subject(record).ok_or(Error::<T>::UnknownRecord)?;
			ensure!(subject == (patient, category), Error::<T>::RecordMismatch);
		}
		ensure!(T::Policy::relates(basis, patient, who), Error::<T>::UnrelatedBasis);
		let denied = match T::Policy::check_access_under(
			basis,
			patient,
			who,
			category,
			purpose,
			Action::Read,
		) {
			Decision::Permit { .. } | Decision::PermitEmergency { .. } => None,
			Decision::Deny(reason) => Some(reason),
			// Not a permit: the reader had no grant (it could only have broken the glass).
			Decision::EmergencyOnly => Some(DenyReason::NoGrant),
		};
		let seq = Self::append(AuditEvent {
			organisation: Some(organisation),
			categories: category.into(),
			purposes: purpose.into(),
			outcome: if denied.is_some() { AuditOutcome::Denied } else { AuditOutcome::Permitted },
			record,
			consent: Some(basis),
			..AuditEvent::new(patient, AuditAction::AccessReported, Agent::Account(who.clone()))
		})?;
		if let Some(reason) = denied {
			Self::deposit_event(Event::AccessReportFlagged {
				patient,
				seq,
				reporter: who.clone(),
				organisation,
				reason,
			});
		}
		Ok(())
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

	/// Reports one read by `reader` (see [`Pallet::report_attested`]): under `basis` as
	/// [`Pallet::report_access`] does, or with none as the patient or a guardian whose scope
	/// covers `category`.
	fn report_read(
		reader: &T::AccountId,
		patient: PatientId,
		category: medchain_primitives::Category,
		purpose: medchain_primitives::Purpose,
		basis: Option<medchain_primitives::ConsentRef>,
		record: Option<medchain_primitives::RecordId>,
		now: Moment,
	) -> DispatchResult {
		match basis {
			Some(basis) => {
				let organisation = Self::reporting_organisation(reader)?;
				Self::report(
					reader,
					organisation,
					AccessReport { patient, category, purpose, basis, record },
				)
			},
			None => {
				ensure!(T::Patients::is_enrolled(patient), Error::<T>::UnknownPatient);
				if let Some(record) = record {
					let subject =
						T::Records::record_subject(record).ok_or(Error::<T>::UnknownRecord)?;
					ensure!(subject == (patient, category), Error::<T>::RecordMismatch);
				}
				let acts = match T::Patients::actor_for(patient, reader, now) {
					Some(PatientActor::Patient) => true,
					Some(PatientActor::Guardian(scope)) => {
						scope.consent_categories.contains(category)
					},
					None => false,
				};
				ensure!(acts, Error::<T>::NotActingForPatient);
				Self::append(AuditEvent {
					categories: category.into(),
					purposes: purpose.into(),
					outcome: AuditOutcome::Permitted,
					record,
					..AuditEvent::new(
						patient,
						AuditAction::AccessReported,
						Agent::Account(reader.clone()),
					)
				})?;
				Ok(())
			},
		}
	}

	/// The hour whose end prunes an attestation made at `created` with `window`.
	fn bucket(created: Moment, window: Moment) -> u64 {
		created.saturating_add(window) / HOUR
	}

	/// Whether attestation `id` (made at `created`) may be used now within `window`, as the
	/// pallet's named error.
	fn check_use(
		id: &Hash32,
		created: Moment,
		window: Moment,
	) -> Result<AttestationUse, DispatchError> {
		<Self as AttestationLedger>::check(id, created, window).map_err(|e| match e {
			AttestationTimeError::TooOld => Error::<T>::AttestationTooOld.into(),
			AttestationTimeError::FromTheFuture => Error::<T>::AttestationFromTheFuture.into(),
		})
	}

	fn remember_use(
		id: &Hash32,
		created: Moment,
		window: Moment,
		record: Option<medchain_primitives::RecordId>,
	) {
		UsedAttestations::<T>::insert(Self::bucket(created, window), id, record);
	}

	/// Forgets the attestations whose window is over, an hour at a time, within `meter`.
	pub(crate) fn prune_attestations(meter: &mut WeightMeter) {
		let hour_now = T::Time::now() / HOUR;
		let mut cursor = PrunedUntil::<T>::get();
		if cursor == 0 {
			// The first block with a clock: nothing older can be stored.
			if hour_now > 0 && meter.try_consume(T::DbWeight::get().writes(1)).is_ok() {
				PrunedUntil::<T>::put(hour_now);
			}
			return;
		}
		while cursor < hour_now {
			let per_key = T::WeightInfo::prune_attestations(1)
				.saturating_sub(T::WeightInfo::prune_attestations(0));
			let fixed = T::WeightInfo::prune_attestations(0);
			let room = meter.remaining().saturating_sub(fixed);
			let limit =
				room.ref_time().checked_div(per_key.ref_time()).unwrap_or(512).min(512) as u32;
			if limit == 0 {
				return;
			}
			let result = UsedAttestations::<T>::clear_prefix(cursor, limit, None);
			meter.consume(T::WeightInfo::prune_attestations(result.backend));
			if result.maybe_cursor.is_some() {
				return;
			}
			cursor = cursor.saturating_add(1);
			PrunedUntil::<T>::put(cursor);
		}
	}

	/// Appends `event` to its patient's trail at the current time; gives its sequence number.
	fn append(event: AuditEvent<T::AccountId>) -> Result<u64, DispatchError> {
		Trails::<T>::try_mutate(event.patient, |trail| {
			let seq = trail.last_seq.checked_add(1).ok_or(Error::<T>::TrailExhausted)?;
			let entry = AuditEntry { seq, at: T::Time::now(), event };
			let head = next_head(&trail.head, &entry);
			let previous_block = trail.last_block;
			// Block numbers past u32::MAX (800 years of 6 s blocks) would read as u32::MAX.
			let block: u32 = frame_system::Pallet::<T>::block_number().unique_saturated_into();
			*trail = TrailHead { last_seq: seq, head, last_block: block };
			Self::deposit_event(Event::EntryRecorded { entry, head, previous_block });
			Ok(seq)
		})
	}

	/// `patient`'s trail head: what `AuditApi::trail_head` answers.
	///
	/// ## Complexity
	/// O(1): 1 read.
	pub fn trail_head(patient: PatientId) -> TrailHead {
		Trails::<T>::get(patient)
	}
}

impl<T: Config> AuditSink<T::AccountId> for Pallet<T> {
	fn record(event: AuditEvent<T::AccountId>) -> Result<u64, DispatchError> {
		Self::append(event)
	}
}

impl<T: Config> AttestationLedger for Pallet<T> {
	fn check(
		id: &Hash32,
		created: Moment,
		window: Moment,
	) -> Result<AttestationUse, AttestationTimeError> {
		let now = T::Time::now();
		if created > now.saturating_add(MAX_CLOCK_SKEW) {
			return Err(AttestationTimeError::FromTheFuture);
		}
		if now > created.saturating_add(window) {
			return Err(AttestationTimeError::TooOld);
		}
		Ok(match UsedAttestations::<T>::get(Self::bucket(created, window), id) {
			Some(record) => AttestationUse::Used(record),
			None => AttestationUse::Fresh,
		})
	}

	fn remember(
		id: &Hash32,
		created: Moment,
		window: Moment,
		record: Option<medchain_primitives::RecordId>,
	) {
		Self::remember_use(id, created, window, record)
	}
}
