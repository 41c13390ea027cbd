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

use frame::{deps::frame_support::weights::WeightMeter, prelude::*, traits::Time};
use medchain_primitives::{
	audit::next_head, AccessPolicy, Action, Agent, AuditAction, AuditEntry, AuditEvent,
	AuditOutcome, AuditSink, Decision, DenyReason, Hash32, Moment, OrganisationId, PatientId,
	PatientRegistry, ProviderRegistry, RecordRegistry, TrailHead,
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

		/// Weights of this pallet's calls and of one appended entry.
		type WeightInfo: WeightInfo;

		/// Benchmarks: the state of the pallets it meets (practitioners, patients, the consent decision and records), built by the runtime.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: medchain_primitives::benchmarking::BenchmarkWorld<Self::AccountId>;
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
	}
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
