//! The plain data a patient's trail is exported as, and the check that proves an export
//! complete against a trail head: what the client writes, the FHIR mapping reads and writes, and
//! an auditor verifies offline (in any build: `no_std` with `alloc`, so in wasm too).

use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::{
	audit::{next_head, AuditEntry, TrailHead},
	Hash32, Moment, OrganisationId, PatientId, Purpose, RecordId, RecordStatus,
};

/// One entry of an export: the entry, the block whose events hold it, and the running hash
/// the chain recorded after it (`EntryRecorded.head`). One NDJSON line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedEntry<AccountId> {
	/// The entry, as the chain recorded it.
	#[serde(flatten)]
	pub entry: AuditEntry<AccountId>,
	/// The block whose events hold it.
	pub block: u32,
	/// `h_seq`: the running hash the chain recorded after this entry.
	pub head: Hash32,
}

/// Where an export was taken: the first NDJSON line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExportHeader {
	/// The format's version (1).
	pub medchain_audit_export: u32,
	/// Whose trail.
	pub patient: PatientId,
	/// The block the export was taken at.
	pub block: u32,
	/// That block's hash.
	pub block_hash: Hash32,
	/// The patient's trail head at that block (`audit_trailHead`).
	pub trail: TrailHead,
}

/// A patient's trail, every entry in order, with where it was taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export<AccountId> {
	pub header: ExportHeader,
	pub entries: Vec<ExportedEntry<AccountId>>,
}

/// Where a trail and the head it is checked against part: the first sequence number that
/// diverges, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Divergence {
	/// Entry `seq` is another patient's.
	ForeignEntry { seq: u64, patient: PatientId },
	/// The entries are not numbered 1, 2, 3, …: `found` came where `seq` should have.
	OutOfSequence { seq: u64, found: u64 },
	/// Entry `seq`'s hash, rebuilt, is not the one recorded with it: the entry (or the hash
	/// recorded with it) was altered.
	Entry { seq: u64 },
	/// The trail ends at `exported`, the head at `head`: entries from `seq` on are missing from
	/// the export (or are extra).
	Length { seq: u64, exported: u64, head: u64 },
	/// As many entries as the head, and each consistent with the hash recorded beside it, but
	/// the last hash is not the head's: entries and recorded hashes were rewritten together.
	/// Only a re-read of the chain's recorded hashes names the first entry that differs.
	Head { seq: u64 },
}

impl Divergence {
	/// The first divergent sequence number.
	pub fn seq(&self) -> u64 {
		match *self {
			Divergence::ForeignEntry { seq, .. }
			| Divergence::OutOfSequence { seq, .. }
			| Divergence::Entry { seq }
			| Divergence::Length { seq, .. }
			| Divergence::Head { seq } => seq,
		}
	}
}

impl core::fmt::Display for Divergence {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match *self {
			Divergence::ForeignEntry { seq, patient } => {
				write!(f, "entry {seq} belongs to patient {patient}'s trail")
			},
			Divergence::OutOfSequence { seq, found } => {
				write!(f, "entry {seq} is missing: entry {found} came in its place")
			},
			Divergence::Entry { seq } => write!(
				f,
				"entry {seq} diverges: its rebuilt hash is not the one the chain recorded with it"
			),
			Divergence::Length { seq, exported, head } => write!(
				f,
				"entry {seq} diverges: the export ends at entry {exported}, the trail head at {head}"
			),
			Divergence::Head { seq } => {
				write!(f, "entry {seq} diverges: the export's last hash is not the trail head's")
			},
		}
	}
}

#[cfg(feature = "std")]
impl std::error::Error for Divergence {}

/// Checks `export` against `trusted`, a head the auditor trusts: every entry the patient's,
/// numbered 1, 2, 3, …, each entry's rebuilt hash the one recorded beside it, as many entries as
/// the head says and the last hash the head's. Returns the first divergence.
pub fn verify<AccountId: codec::Encode>(
	export: &Export<AccountId>,
	trusted: &TrailHead,
) -> Result<(), Divergence> {
	let patient = export.header.patient;
	let (mut seq, mut head) = (0u64, Hash32::zero());
	for exported in &export.entries {
		let entry = &exported.entry;
		let expected = seq.saturating_add(1);
		if entry.event.patient != patient {
			return Err(Divergence::ForeignEntry { seq: expected, patient: entry.event.patient });
		}
		if entry.seq != expected {
			return Err(Divergence::OutOfSequence { seq: expected, found: entry.seq });
		}
		head = next_head(&head, entry);
		if head != exported.head {
			return Err(Divergence::Entry { seq: expected });
		}
		seq = expected;
	}
	if seq != trusted.last_seq {
		return Err(Divergence::Length {
			seq: seq.min(trusted.last_seq).saturating_add(1),
			exported: seq,
			head: trusted.last_seq,
		});
	}
	if head != trusted.head {
		return Err(Divergence::Head { seq });
	}
	Ok(())
}

/// Compares `export` with `chain`, an export of the same trail re-read from the chain (at the
/// same block): the first entry whose bytes or recorded hash differ, whatever the export's own
/// hashes say.
pub fn compare<AccountId: codec::Encode + PartialEq>(
	export: &Export<AccountId>,
	chain: &Export<AccountId>,
) -> Result<(), Divergence> {
	for (mine, theirs) in export.entries.iter().zip(&chain.entries) {
		if mine != theirs {
			return Err(Divergence::Entry { seq: theirs.entry.seq });
		}
	}
	verify(export, &chain.header.trail)
}

/// A record anchor as it stands in state (one version of a record).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnchorRecord<AccountId> {
	pub id: RecordId,
	pub patient: PatientId,
	pub category: crate::Category,
	pub purpose: Purpose,
	pub content_hash: Hash32,
	pub author: AccountId,
	pub author_org: Option<OrganisationId>,
	pub created_at: Moment,
	/// The version this one amends.
	pub supersedes: Option<RecordId>,
	pub status: RecordStatus,
}
