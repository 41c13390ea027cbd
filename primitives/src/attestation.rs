//! Attestations: what a person signs so that a gateway may act on the chain in that person's
//! name, and nothing more (docs/gateway.md, "The reader's name on the trail").
//!
//! A provider's gateway holds the records; the people who read and write them are its users.
//! The chain appends a read to a patient's trail, or anchors a record, **in the name of the
//! person who asked** only under that person's signature over what they asked for:
//!
//! - an [`AccessTicket`]: a reader asks for `categories` of `patient`'s data (one `record`, or
//!   any of them) for `purpose`, at `created`, until `expires`, under a random `nonce`;
//! - a [`WriteAttestation`]: a writer asks to anchor a record of `patient` with `content_hash`,
//!   of `category` for `purpose` (superseding `supersedes` for a new version), at `created`.
//!
//! Each is signed as `context ‖ genesis hash ‖ SCALE(attestation)` ([`AccessTicket::payload`],
//! [`WriteAttestation::payload`]): the context keeps a ticket from being taken for a write (or
//! for a transaction), the genesis hash keeps it to one chain. A gateway relays them
//! ([`AttestedRead`], [`AttestedWrite`]); the chain checks the signature, the times, that what
//! the gateway says it served lies within what was asked for, and the signer's own consent, and
//! remembers each attestation it used ([`AttestationLedger`]) so that none is used twice: a
//! gateway alone can neither invent a read or a write nor repeat one.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::{traits::ConstU32, BoundedVec};

use crate::{
	time::{HOUR, MINUTE},
	Categories, Category, ConsentRef, Hash32, Moment, PatientId, Purpose, RecordId,
};

/// What a reader's signature over an [`AccessTicket`] starts with.
pub const ACCESS_TICKET_CONTEXT: &[u8] = b"medchain/access-ticket/v1";
/// What a writer's signature over a [`WriteAttestation`] starts with.
pub const WRITE_CONTEXT: &[u8] = b"medchain/write/v1";
/// What a requester's signature over an [`EraseAttestation`] starts with.
pub const ERASE_CONTEXT: &[u8] = b"medchain/erase/v1";
/// The longest an access ticket may be valid for (`expires - created`).
pub const MAX_TICKET_LIFETIME: Moment = 5 * MINUTE;
/// How long after it was made a read's report is still taken (a gateway's outbox drains within
/// this even after a restart; the chain remembers each ticket this long).
pub const READ_REPORT_WINDOW: Moment = HOUR;
/// How long after it was signed a write may still be anchored (a gateway keeps writes pending
/// while the chain is unreachable, up to this).
pub const WRITE_WINDOW: Moment = 24 * HOUR;
/// How far ahead of the chain's clock an attestation's `created` may be (clocks drift).
pub const MAX_CLOCK_SKEW: Moment = 2 * MINUTE;
/// The most records one reported read may have served (a page of a search).
pub const MAX_RECORDS_PER_READ: u32 = 32;

/// A reader's request, signed by the reader.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct AccessTicket<AccountId> {
	/// Who asks (the signer).
	pub reader: AccountId,
	/// Whose data.
	pub patient: PatientId,
	/// For which purpose (the chain decides under it).
	pub purpose: Purpose,
	/// Which categories the reader asked for (the categories of the resource types it asked
	/// for).
	pub categories: Categories,
	/// The one record asked for, if the reader named one; `None` for a search.
	pub record: Option<RecordId>,
	/// When it was made, and until when a gateway may serve it (ms since the epoch).
	pub created: Moment,
	pub expires: Moment,
	/// Random, never reused by the reader.
	pub nonce: [u8; 16],
}

impl<AccountId: Encode> AccessTicket<AccountId> {
	/// What the reader signs: `ACCESS_TICKET_CONTEXT ‖ genesis ‖ SCALE(self)`.
	pub fn payload(&self, genesis: &Hash32) -> alloc::vec::Vec<u8> {
		signing_payload(ACCESS_TICKET_CONTEXT, genesis, self)
	}

	/// The ticket's id, what the chain remembers it by: BLAKE2b-256 of its payload.
	pub fn id(&self, genesis: &Hash32) -> Hash32 {
		id_of(&self.payload(genesis))
	}
}

/// One record a gateway served under a ticket.
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
pub struct ServedRecord {
	/// The record served (its current or an earlier version).
	pub record: RecordId,
	/// Its category, one of the ticket's.
	pub category: Category,
	/// What permitted the reader: the grant or emergency access `consent_checkAccess` answered
	/// with; `None` when the reader is the patient or a guardian acting for it.
	pub basis: Option<ConsentRef>,
}

/// A read to append to a patient's trail in the reader's name, as a gateway relays it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct AttestedRead<AccountId, Signature> {
	pub ticket: AccessTicket<AccountId>,
	/// The reader's signature over [`AccessTicket::payload`].
	pub signature: Signature,
	/// What was served under it, in order: one trail entry each.
	pub served: BoundedVec<ServedRecord, ConstU32<MAX_RECORDS_PER_READ>>,
}

/// A writer's request to anchor a record, signed by the writer.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct WriteAttestation<AccountId> {
	/// Who writes (the signer): the record's author.
	pub writer: AccountId,
	/// Whose record.
	pub patient: PatientId,
	/// What kind of data, and the purpose it is written for.
	pub category: Category,
	pub purpose: Purpose,
	/// The record's fingerprint: BLAKE2b-256 of its canonical bytes.
	pub content_hash: Hash32,
	/// The record this is a new version of, if it is one.
	pub supersedes: Option<RecordId>,
	/// When it was signed (ms since the epoch).
	pub created: Moment,
	/// Random, never reused by the writer.
	pub nonce: [u8; 16],
}

impl<AccountId: Encode> WriteAttestation<AccountId> {
	/// What the writer signs: `WRITE_CONTEXT ‖ genesis ‖ SCALE(self)`.
	pub fn payload(&self, genesis: &Hash32) -> alloc::vec::Vec<u8> {
		signing_payload(WRITE_CONTEXT, genesis, self)
	}

	/// The attestation's id: BLAKE2b-256 of its payload.
	pub fn id(&self, genesis: &Hash32) -> Hash32 {
		id_of(&self.payload(genesis))
	}
}

/// A write to anchor in the writer's name, as a gateway relays it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct AttestedWrite<AccountId, Signature> {
	pub attestation: WriteAttestation<AccountId>,
	/// The writer's signature over [`WriteAttestation::payload`].
	pub signature: Signature,
	/// Where the gateway keeps it (32 opaque bytes; the gateway's, not signed).
	pub locator: Hash32,
	/// What permits the writer to append it (the grant or emergency access
	/// `consent_checkAccess` answered with); `None` when the writer is the patient.
	pub basis: Option<ConsentRef>,
}

/// What an erasure's requester signs: erase `record` (crypto-shredded off chain).
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct EraseAttestation<AccountId> {
	/// Who asks: the record's author, or its organisation's admin.
	pub by: AccountId,
	/// The record version whose key was destroyed.
	pub record: RecordId,
	/// When it was signed (ms since the epoch).
	pub created: Moment,
	/// Random, never reused by the signer.
	pub nonce: [u8; 16],
}

impl<AccountId: Encode> EraseAttestation<AccountId> {
	/// What the requester signs: `ERASE_CONTEXT ‖ genesis ‖ SCALE(self)`.
	pub fn payload(&self, genesis: &Hash32) -> alloc::vec::Vec<u8> {
		signing_payload(ERASE_CONTEXT, genesis, self)
	}

	/// The attestation's id: BLAKE2b-256 of its payload.
	pub fn id(&self, genesis: &Hash32) -> Hash32 {
		id_of(&self.payload(genesis))
	}
}

/// An erasure relayed by a gateway.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct AttestedErase<AccountId, Signature> {
	pub attestation: EraseAttestation<AccountId>,
	/// The requester's signature over [`EraseAttestation::payload`].
	pub signature: Signature,
}

/// The id of an attestation whose signed payload is `payload`: its BLAKE2b-256 hash.
pub fn id_of(payload: &[u8]) -> Hash32 {
	Hash32::from(sp_crypto_hashing::blake2_256(payload))
}

fn signing_payload<T: Encode>(context: &[u8], genesis: &Hash32, value: &T) -> alloc::vec::Vec<u8> {
	let capacity = context.len().saturating_add(32).saturating_add(value.size_hint());
	let mut payload = alloc::vec::Vec::with_capacity(capacity);
	payload.extend_from_slice(context);
	payload.extend_from_slice(genesis.as_bytes());
	value.encode_to(&mut payload);
	payload
}

/// Whether an attestation was used already.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AttestationUse {
	/// Never: it may be used now.
	Fresh,
	/// Already, for this record (a write) or for a read (`None`): relaying it again does
	/// nothing.
	Used(Option<RecordId>),
}

/// Why an attestation is not taken, whatever its signature.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AttestationTimeError {
	/// Made longer ago than its window: sign again.
	TooOld,
	/// Made in the future (past the allowed clock skew).
	FromTheFuture,
}

/// The chain's memory of the attestations it used, each kept for its window (implemented by the
/// audit pallet; the records pallet uses it for writes).
pub trait AttestationLedger {
	/// Whether attestation `id`, made at `created`, may be used at `now` within `window`.
	fn check(
		id: &Hash32,
		created: Moment,
		window: Moment,
	) -> Result<AttestationUse, AttestationTimeError>;
	/// Remembers that `id` (made at `created`) was used, for `record` if it was a write.
	fn remember(id: &Hash32, created: Moment, window: Moment, record: Option<RecordId>);
}
