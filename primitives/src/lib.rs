//! # medchain primitives
//!
//! The small vocabulary medchain's pallets share, and the traits through which they meet. A
//! pallet never reads another pallet's storage: the runtime wires, say, the consent pallet's
//! `ProviderRegistry` to the providers pallet.
//!
//! - Who: [`OrganisationKind`], [`Role`], [`OrganisationId`], [`PatientId`].
//! - What and why: [`Category`]/[`Categories`], [`Purpose`]/[`Purposes`],
//!   [`Action`]/[`Actions`]. The sets are bit sets, so a grant or a policy costs a few bytes and
//!   a check is a mask; a set never carries bits that name nothing (decoding refuses them).
//! - Traits: [`ProviderRegistry`] (is this account an active practitioner, of which
//!   organisation and role), [`PatientRegistry`] (is this a patient, who may act for it and
//!   within which scope), [`AccessPolicy`] (the consent decision) and [`AuditSink`] (append
//!   to a patient's audit trail).
//! - Records: [`RecordId`], [`RecordStatus`], [`RecordVerification`] ([`records`]).
//! - The audit trail's entries and hash chain, and the function that rebuilds and checks a
//!   trail from its entries ([`audit`]); a trail's export and its offline check ([`export`]).
//! - Attestations: what a person signs so that a gateway acts on the chain in its name, and
//!   the chain's memory of those it used ([`attestation`], [`AttestationLedger`]).
//!
//! One module per contract, everything re-exported here: [`sets`] (the bit sets), [`providers`],
//! [`patients`], [`consent`], [`records`], [`audit`], and [`rate`] (per-period caps); with the
//! `runtime-benchmarks` feature, `benchmarking` (the set-up benchmarks ask of the runtime).
//!
//! No storage, no personal data: ids, hashes and bit sets only.

#![cfg_attr(not(feature = "std"), no_std)]
// Checked arithmetic in the chain's code (tests may overflow on purpose): docs/development.md.
#![cfg_attr(not(test), warn(clippy::arithmetic_side_effects))]

extern crate alloc;

pub mod attestation;
pub mod audit;
#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
pub mod consent;
pub mod export;
pub mod patients;
pub mod providers;
pub mod rate;
pub mod records;
pub mod sets;
#[cfg(feature = "testing")]
pub mod testing;
pub mod time;

pub use attestation::{AttestationLedger, AttestationTimeError, AttestationUse};
pub use audit::{
	rebuild_trail, verify_trail, AccessReport, Agent, AuditAction, AuditEntry, AuditEvent,
	AuditOutcome, AuditSink, ConsentRef, TrailError, TrailHead,
};
pub use consent::{
	AccessPolicy, AccessQuestion, AccessQuestions, Decided, Decision, DenyId, DenyReason,
	EmergencyAccessId, GrantId, GrantTerms, Grantee, MAX_ACCESS_QUESTIONS,
};
pub use patients::{
	EmergencyPolicy, GuardianScope, PatientActor, PatientId, PatientRegistry, PatientStanding,
};
pub use providers::{ActivePractitioner, OrganisationId, OrganisationKind, ProviderRegistry, Role};
pub use rate::RateCounter;
pub use records::{
	BatchId, MerkleProof, NewRecord, RecordChecks, RecordId, RecordRegistry, RecordStatus,
	RecordVerification, MAX_RECORD_CHECKS,
};
pub use sets::{Action, Actions, Categories, Category, Purpose, Purposes};

/// A timestamp: milliseconds since the Unix epoch, as pallet-timestamp keeps it.
pub type Moment = u64;

/// A 32-byte hash: a commitment, a fingerprint, an attestation.
pub type Hash32 = sp_core::H256;
