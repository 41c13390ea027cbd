//! What the records pallet stores.

use codec::{Decode, Encode, MaxEncodedLen};
use frame::prelude::BoundedVec;
use medchain_primitives::{
	Category, Hash32, Moment, OrganisationId, PatientId, Purpose, RecordId, RecordStatus,
};
use scale_info::TypeInfo;

/// An opaque pointer into the author's record store (a URL path, an object key, a FHIR
/// resource id of the encrypted record): bounded, and never personal data.
pub type Locator<S> = BoundedVec<u8, S>;

/// The anchor of one version of one record (after FHIR DocumentReference and Provenance).
///
/// `L` is the locator type, [`Locator`] bounded by the runtime's `MaxLocatorLen`.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Anchor<AccountId, L> {
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
	/// Where the author keeps it; emptied when the record is erased.
	pub locator: L,
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
