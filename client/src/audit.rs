//! A patient's audit trail read from the chain, and proved complete.
//!
//! The chain keeps, per patient, only the trail's head (`audit_trailHead`): the last sequence
//! number, the running hash and `last_block`, the block whose events hold the last entry. Each
//! entry travels in an `Audit.EntryRecorded` event carrying the running hash after it and
//! `previous_block`, the block of the entry before. [`export`] walks that chain of blocks
//! backwards from the head, reading the events of those blocks only: its cost grows with the
//! patient's entries, not with the chain's length (two RPC calls per block that holds one of
//! them, `chain_getBlockHash` and `state_getStorage` of `System.Events`, plus three in all).
//! It then rebuilds the hash chain ([`medchain_primitives::audit`]) and compares it with the
//! hash recorded with every entry and with the head: an export that does not prove itself
//! complete is an error naming the first sequence number that diverges ([`Divergence`]).
//!
//! [`verify`] checks an export again, offline, against a head the auditor trusts (the chain's,
//! or one given). [`to_ndjson`] and [`from_ndjson`] write and read the export as NDJSON;
//! `medchain_fhir::export_to_bundle` as a FHIR Bundle of AuditEvent resources.
//!
//! Reading a block's events needs that block's state: an export of entries older than the
//! node's state pruning window (256 blocks by default) needs an archive node
//! (`--state-pruning archive`), and says so ([`ExportError::Pruned`]).

use std::collections::BTreeMap;

use codec::Decode;
use medchain_primitives::{audit::AuditEntry, Hash32, PatientId, TrailHead};
use serde::Serialize;
use subxt::rpcs::{client::RpcClient, rpc_params};

use crate::{client::request, runtime, scale::convert, AccountId, BlockHash, Error};

pub use medchain_primitives::export::{compare, verify, Divergence, ExportHeader};

/// A patient's trail, every entry in order, with where it was taken
/// (`medchain_primitives::export::Export` with medchain's accounts).
pub type Export = medchain_primitives::export::Export<AccountId>;
/// One entry of an export: the entry, the block whose events hold it, and the running hash
/// the chain recorded after it. One NDJSON line.
pub type ExportedEntry = medchain_primitives::export::ExportedEntry<AccountId>;

/// How much an export read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportReads {
	/// Blocks whose events were read: those that hold one of the patient's entries.
	pub blocks: u32,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
	/// Talking to the node failed.
	#[error(transparent)]
	Client(#[from] Error),
	/// The node no longer has block `block`'s state (its events): it prunes state older than
	/// its window. Export from an archive node.
	#[error("block #{block}'s state is pruned on this node: export from a node started with --state-pruning archive")]
	Pruned { block: u32 },
	/// The chain has no block `block` (the trail head names a block the node does not have).
	#[error("the node has no block #{block}")]
	NoBlock { block: u32 },
	/// Block `block`'s events do not decode with the runtime metadata this client was built
	/// from.
	#[error("block #{block}'s events do not decode with this client's runtime metadata: {reason}")]
	Undecodable { block: u32, reason: String },
	/// The entry that should be in block `block` (where the entry after it, or the head, says)
	/// is not.
	#[error(
		"entry {seq} of patient {patient} is not in block #{block}, where the chain says it is"
	)]
	Missing { patient: PatientId, seq: u64, block: u32 },
	/// Entries `1..=seq` lead to no block: they were recorded at genesis, or by a runtime
	/// before 103 whose events did not say the block of the entry before.
	#[error("entries 1 to {seq} of patient {patient} were recorded before runtime 103 (or at genesis): no block leads to them")]
	BeforeBlockLinks { patient: PatientId, seq: u64 },
	/// What the node returned does not prove itself: the rebuilt hash chain diverges.
	#[error("the chain's trail does not verify: {0}")]
	Diverged(Divergence),
}

/// The storage key of `System.Events`.
fn events_key() -> String {
	let mut key = sp_crypto_hashing::twox_128(b"System").to_vec();
	key.extend_from_slice(&sp_crypto_hashing::twox_128(b"Events"));
	format!("0x{}", hex::encode(key))
}

/// An entry as an `EntryRecorded` event carried it.
struct Recorded {
	entry: AuditEntry<AccountId>,
	head: Hash32,
	previous_block: u32,
}

/// `patient`'s entries among block `block`'s events, by sequence number.
async fn entries_in_block(
	rpc: &RpcClient,
	patient: PatientId,
	block: u32,
) -> Result<BTreeMap<u64, Recorded>, ExportError> {
	let hash: Option<BlockHash> = request(rpc, "chain_getBlockHash", rpc_params![block]).await?;
	let hash = hash.ok_or(ExportError::NoBlock { block })?;
	let bytes: Option<String> =
		match request(rpc, "state_getStorage", rpc_params![events_key(), hash]).await {
			Ok(bytes) => bytes,
			// Substrate's words for state outside the pruning window.
			Err(Error::Rpc { reason, .. }) if reason.contains("discarded") => {
				return Err(ExportError::Pruned { block })
			},
			Err(e) => return Err(e.into()),
		};
	let bytes = hex::decode(bytes.unwrap_or_default().trim_start_matches("0x"))
		.map_err(|e| ExportError::Undecodable { block, reason: e.to_string() })?;
	type Records = Vec<
		runtime::runtime_types::frame_system::EventRecord<
			runtime::runtime_types::medchain_runtime::RuntimeEvent,
			BlockHash,
		>,
	>;
	let records = Records::decode(&mut &bytes[..])
		.map_err(|e| ExportError::Undecodable { block, reason: e.to_string() })?;
	let mut found = BTreeMap::new();
	for record in records {
		use runtime::runtime_types::{
			medchain_runtime::RuntimeEvent, pallet_audit::pallet::Event as AuditEvent,
		};
		let RuntimeEvent::Audit(AuditEvent::EntryRecorded { entry, head, previous_block }) =
			record.event
		else {
			continue;
		};
		let entry: AuditEntry<AccountId> = convert(&entry)?;
		if entry.event.patient == patient {
			found.insert(entry.seq, Recorded { entry, head, previous_block });
		}
	}
	Ok(found)
}

/// Exports `patient`'s trail as it stands at block `at`: every entry, in order, each with its
/// block and recorded hash, checked against the trail head at `at`. `progress` is told, after
/// each entry found, how many were found of how many.
pub async fn export(
	rpc: &RpcClient,
	patient: PatientId,
	at: BlockHash,
	mut progress: impl FnMut(u64, u64),
) -> Result<(Export, ExportReads), ExportError> {
	let trail: TrailHead = request(rpc, "audit_trailHead", rpc_params![patient, at]).await?;
	let block = crate::client::block_number(rpc, at).await?;
	let mut reads = ExportReads::default();
	// Newest first, reversed at the end. The head's count is the chain's word, not yet proved:
	// reserve for it only up to a bound.
	let mut entries = Vec::with_capacity(usize::try_from(trail.last_seq.min(1 << 16)).unwrap_or(0));
	let (mut seq, mut in_block) = (trail.last_seq, trail.last_block);
	// The block whose entries were read last (0: none yet), and those not yet taken.
	let (mut loaded, mut here) = (0u32, BTreeMap::new());
	while seq > 0 {
		if in_block == 0 {
			return Err(ExportError::BeforeBlockLinks { patient, seq });
		}
		if in_block != loaded {
			reads.blocks = reads.blocks.saturating_add(1);
			here = entries_in_block(rpc, patient, in_block).await?;
			loaded = in_block;
		}
		let recorded =
			here.remove(&seq)
				.ok_or(ExportError::Missing { patient, seq, block: in_block })?;
		entries.push(ExportedEntry { entry: recorded.entry, block: in_block, head: recorded.head });
		progress(trail.last_seq.saturating_sub(seq).saturating_add(1), trail.last_seq);
		// Sequence numbers strictly fall: the walk ends whatever the blocks say.
		seq = seq.saturating_sub(1);
		in_block = recorded.previous_block;
	}
	entries.reverse();
	let export = Export {
		header: ExportHeader { medchain_audit_export: 1, patient, block, block_hash: at, trail },
		entries,
	};
	verify(&export, &trail).map_err(ExportError::Diverged)?;
	Ok((export, reads))
}

impl crate::Client {
	/// `patient`'s audit trail at block `at`, proved complete: [`export`].
	pub async fn export_trail(
		&self,
		patient: PatientId,
		at: BlockHash,
		progress: impl FnMut(u64, u64),
	) -> Result<(Export, ExportReads), ExportError> {
		export(self.rpc(), patient, at, progress).await
	}
}

/// Why an NDJSON export does not read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct Unreadable {
	/// The line at fault, from 1.
	pub line: usize,
	pub reason: String,
}

/// The export as NDJSON: the header on the first line, then one entry a line, in order.
pub fn to_ndjson(export: &Export) -> String {
	let mut out = String::new();
	let lines = std::iter::once(serde_json::to_string(&export.header))
		.chain(export.entries.iter().map(serde_json::to_string));
	for line in lines {
		// Serialising these types cannot fail (string keys, no maps with other keys).
		out.push_str(&line.unwrap_or_default());
		out.push('\n');
	}
	out
}

/// Reads an NDJSON export.
pub fn from_ndjson(text: &str) -> Result<Export, Unreadable> {
	let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
	let (_, first) =
		lines.next().ok_or(Unreadable { line: 1, reason: "empty: no header".into() })?;
	let header: ExportHeader = serde_json::from_str(first)
		.map_err(|e| Unreadable { line: 1, reason: format!("not an export header: {e}") })?;
	if header.medchain_audit_export != 1 {
		return Err(Unreadable {
			line: 1,
			reason: format!("format version {} (this tool reads 1)", header.medchain_audit_export),
		});
	}
	let entries = lines
		.map(|(i, line)| {
			serde_json::from_str(line).map_err(|e| Unreadable {
				line: i.saturating_add(1),
				reason: format!("not an audit entry: {e}"),
			})
		})
		.collect::<Result<_, _>>()?;
	Ok(Export { header, entries })
}

#[cfg(test)]
mod tests {
	use super::*;
	use medchain_primitives::audit::next_head;
	use medchain_primitives::audit::{Agent, AuditAction, AuditEvent};

	fn trail(patient: PatientId, n: u64) -> Export {
		let who: AccountId = AccountId::from([1u8; 32]);
		let mut head = Hash32::zero();
		let entries: Vec<ExportedEntry> = (1..=n)
			.map(|seq| {
				let entry = AuditEntry {
					seq,
					at: 1_000 * seq,
					event: AuditEvent::new(
						patient,
						AuditAction::ConsentGranted,
						Agent::Account(who),
					),
				};
				head = next_head(&head, &entry);
				ExportedEntry { entry, block: u32::try_from(seq).unwrap_or(0) * 2, head }
			})
			.collect();
		let trail = TrailHead { last_seq: n, head, last_block: u32::try_from(n).unwrap_or(0) * 2 };
		Export {
			header: ExportHeader {
				medchain_audit_export: 1,
				patient,
				block: 99,
				block_hash: Hash32::repeat_byte(9),
				trail,
			},
			entries,
		}
	}

	#[test]
	fn a_whole_trail_verifies_and_round_trips_through_ndjson() {
		let export = trail(4, 5);
		assert_eq!(verify(&export, &export.header.trail), Ok(()));
		let text = to_ndjson(&export);
		assert_eq!(text.lines().count(), 6);
		assert_eq!(from_ndjson(&text), Ok(export));
	}

	#[test]
	fn each_kind_of_tampering_names_the_first_divergent_entry() {
		let export = trail(4, 5);
		let head = export.header.trail;

		let mut altered = export.clone();
		altered.entries[2].entry.at += 1;
		assert_eq!(verify(&altered, &head), Err(Divergence::Entry { seq: 3 }));

		let mut dropped = export.clone();
		dropped.entries.remove(1);
		assert_eq!(verify(&dropped, &head), Err(Divergence::OutOfSequence { seq: 2, found: 3 }));

		let mut cut = export.clone();
		cut.entries.truncate(3);
		assert_eq!(verify(&cut, &head), Err(Divergence::Length { seq: 4, exported: 3, head: 5 }));

		let mut foreign = export.clone();
		foreign.entries[0].entry.event.patient = 5;
		assert_eq!(verify(&foreign, &head), Err(Divergence::ForeignEntry { seq: 1, patient: 5 }));

		// Entry 2 altered and every hash after it recomputed: consistent in itself, not the head.
		let mut rewritten = export.clone();
		rewritten.entries[1].entry.at += 1;
		let mut h = rewritten.entries[0].head;
		for e in rewritten.entries.iter_mut().skip(1) {
			h = next_head(&h, &e.entry);
			e.head = h;
		}
		assert_eq!(verify(&rewritten, &head), Err(Divergence::Head { seq: 5 }));
		// Against the chain's own re-read, the entry is named.
		assert_eq!(compare(&rewritten, &export), Err(Divergence::Entry { seq: 2 }));
	}

	#[test]
	fn a_line_that_does_not_read_is_named() {
		let text = to_ndjson(&trail(4, 3)).replacen("\"seq\":2", "\"seq\":\"two\"", 1);
		let error = from_ndjson(&text).err().expect("refused");
		assert_eq!(error.line, 3);
		assert!(error.reason.starts_with("not an audit entry"), "{error}");
	}
}
