//! What the records pallet stores.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
pub use medchain_primitives::NewRecord;
use medchain_primitives::{
	Category, Hash32, Moment, OrganisationId, PatientId, Purpose, RateCounter, RecordId,
	RecordStatus,
};
use scale_info::TypeInfo;

/// An opaque pointer into the author's record store: 32 bytes that mean something only to
/// the author's store (a random id, or a keyed hash of its object key), never a path, a name
/// or any personal data. Fixed-size so that nothing else fits.
pub type Locator = Hash32;

/// The anchor of one version of one record (after FHIR DocumentReference and Provenance).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Anchor<AccountId> {
	/// Whose record.
	pub patient: PatientId,
	/// What kind of data.
	pub category: Category,
	/// The purpose under which it was authored (and under which it is amended).
	pub purpose: Purpose,
	/// The fingerprint of the record as its author stores it (by convention BLAKE2b-256 of
	/// the encrypted bytes; see `docs/pallets/records.md`).
	pub content_hash: Hash32,
	/// Who anchored it.
	pub author: AccountId,
	/// The organisation the author acted for; `None` if the patient anchored it.
	pub author_org: Option<OrganisationId>,
	/// When (ms of chain time).
	pub created_at: Moment,
	/// Where the author keeps it; zeroed when the record is erased (the anchoring
	/// extrinsic keeps it in its block: a locator must mean nothing outside the author's store).
	pub locator: Locator,
	/// The version this one replaces, if it is an amendment.
	pub supersedes: Option<RecordId>,
	/// The version that replaced this one, if it was amended.
	pub superseded_by: Option<RecordId>,
	/// Where it stands.
	pub status: RecordStatus,
}

/// The anchor of a batch of records of one organisation: the root of their Merkle tree
/// (`medchain-merkle`).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct BatchAnchor<AccountId> {
	/// The organisation whose records they are.
	pub organisation: OrganisationId,
	/// Who anchored it.
	pub author: AccountId,
	/// What kind of data the records are.
	pub category: Category,
	/// The Merkle root of the records' content hashes, in the batch's order.
	pub merkle_root: Hash32,
	/// How many records the batch holds.
	pub count: u32,
	/// When (ms of chain time).
	pub anchored_at: Moment,
}

/// What a patient anchored itself (records pallet's `SelfAnchors`): the state of its quotas.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct SelfAnchorCount {
	/// In the current period (`MaxSelfAnchorsPerPeriod`).
	pub period: RateCounter,
	/// In all (`MaxSelfAnchors`).
	pub total: u32,
}
