//! The vocabulary of record-hash anchoring, shared by the records pallet, its runtime API and
//! clients.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

use crate::{Category, ConsentRef, Hash32, PatientId, Purpose};

/// A record anchor's id, assigned by the records pallet.
pub type RecordId = u64;

/// The most hashes a batch's Merkle proof holds: a batch holds at most 2^32 records.
pub const MAX_PROOF_LEN: u32 = 32;

/// A Merkle audit path, leaf to root, bounded when it is decoded (security review L-12: the
/// runtime API is reachable through `state_call`, where nothing else bounds it).
pub type MerkleProof = sp_runtime::BoundedVec<Hash32, sp_core::ConstU32<MAX_PROOF_LEN>>;

/// A batch anchor's id, assigned by the records pallet.
pub type BatchId = u64;

/// One record of the records pallet's `anchor_many`: what its `anchor` takes, and what permits
/// the signer to append it.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct NewRecord {
	/// Whose record.
	pub patient: PatientId,
	/// What kind of data.
	pub category: Category,
	/// The purpose under which it is authored.
	pub purpose: Purpose,
	/// The record's fingerprint (BLAKE2b-256 of the stored bytes; not all zeros).
	pub content_hash: Hash32,
	/// Where the author keeps it: 32 opaque bytes that mean something only to its store, no
	/// personal data.
	pub locator: Hash32,
	/// The grant or open emergency access that permits the signer to append it (the one
	/// `consent_checkAccess` answers with); `None` for the patient's own record, signed by the
	/// patient.
	pub basis: Option<ConsentRef>,
}

/// Where a record anchor stands in its history (FHIR `DocumentReference.status` /
/// `docStatus`: current, superseded, entered-in-error; plus erasure).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub enum RecordStatus {
	/// The latest version of the record.
	Current,
	/// An amendment replaced it; `superseded_by` names the newer version.
	Superseded,
	/// Its author declared it created in error; it should not be used.
	EnteredInError,
	/// Its author destroyed the key of the encrypted data (crypto-shredding): the data can no
	/// longer be read. The hash stays; it identifies nothing.
	Erased,
}

/// The answer to "do these bytes (this content hash) match record `record_id`?" In JSON (the
/// `records_verify` RPC): `{"Matches": {"status": "Current"}}`,
/// `{"Mismatch": {"status": "Current"}}` or `"UnknownRecord"`.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub enum RecordVerification {
	/// The hash is the anchored one; `status` says whether that version is still current.
	Matches { status: RecordStatus },
	/// The record exists, but its anchored hash is another one.
	Mismatch { status: RecordStatus },
	/// No record has this id.
	UnknownRecord,
}

impl RecordVerification {
	/// Whether the hash matched the anchor.
	pub fn matches(&self) -> bool {
		matches!(self, Self::Matches { .. })
	}
}

/// The records pallet's anchors, as other pallets (audit) need to know them.
pub trait RecordRegistry {
	/// The patient and category of record `record`, if it is anchored.
	fn record_subject(record: RecordId) -> Option<(PatientId, Category)>;
}

/// The most records one `RecordsApi::verify_batch` checks.
pub const MAX_RECORD_CHECKS: u32 = 1024;

/// Records and the hashes to check them against: `RecordsApi::verify_batch`'s argument, bounded
/// when decoded.
pub type RecordChecks =
	sp_runtime::BoundedVec<(RecordId, crate::Hash32), sp_core::ConstU32<MAX_RECORD_CHECKS>>;
