//! A patient's audit trail read from the chain, and proved complete.
//!
//! The chain keeps, per patient, only the trail's head (`audit_trailHead`): the last sequence
//! number, the running hash and `last_block`, the block whose events hold the last entry. Each
//! entry travels in an `Audit.EntryRecorded` event carrying the running hash after it and
//! `previous_block`, the block of the entry before. [`export`] walks that chain of blocks
//! backwards from the head, reading the events of those blocks only: its cost grows with the
//! patient's entries, not with the chain's length (two RPC calls per block that holds one of
//! them, `chain_getBlockHash` and `state_queryStorageAt` of `System.Events` with
//! `System.LastRuntimeUpgrade`, plus two in all). It then rebuilds the hash chain ([`medchain_primitives::audit`]) and compares it with the
//! hash recorded with every entry and with the head: an export that does not prove itself
//! complete is an error naming the first sequence number that diverges ([`Divergence`]).
//!
//! **Across runtime upgrades**: each block's events are read as the runtime that executed the
//! block wrote them. `System.LastRuntimeUpgrade`, read with the events, names that runtime's
//! spec version; a block of a runtime other than the one this client was generated for is
//! decoded with that runtime's own metadata (`state_getMetadata` at the block before, once per
//! runtime), so an event that changed shape, or a pallet that moved, still reads. Entries
//! recorded before runtime 103 carry no link to the block of the entry before: with
//! [`Unlinked::Scan`] the export reads the blocks below, newest first, until it has found them.
//!
//! [`verify`] checks an export again, offline, against a head the auditor trusts (the chain's,
//! or one given). [`to_ndjson`] and [`from_ndjson`] write and read the export as NDJSON;
//! `medchain_fhir::export_to_bundle` as a FHIR Bundle of AuditEvent resources.
//!
//! Reading a block's events needs that block's state: an export of entries older than the
//! node's state pruning window (256 blocks by default) needs an archive node
//! (`--state-pruning archive`), and says so ([`ExportError::Pruned`]).

use std::{
	collections::{BTreeMap, HashMap},
	sync::Arc,
};

use codec::Decode;
use medchain_primitives::{audit::AuditEntry, Hash32, PatientId, TrailHead};
use serde::Serialize;
use subxt::{
	config::RpcConfigFor,
	rpcs::{client::RpcClient, methods::LegacyRpcMethods, rpc_params},
};

use crate::{
	client::{request, GENERATED_FOR_SPEC_VERSION},
	runtime,
	scale::convert,
	AccountId, BlockHash, Error, MedchainConfig,
};

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
	/// Blocks whose events were read: those that hold one of the patient's entries, and those
	/// an [`Unlinked::Scan`] read.
	pub blocks: u32,
	/// Of those, the blocks a scan for unlinked entries read.
	pub scanned: u32,
	/// Runtimes other than this client's whose metadata was fetched to read their blocks.
	pub older_runtimes: u32,
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
	/// Block `block`'s events do not decode with the metadata of the runtime that executed it
	/// (this client's own, or the one fetched for an older runtime).
	#[error("block #{block}'s events do not decode with its runtime's metadata: {reason}")]
	Undecodable { block: u32, reason: String },
	/// The entry that should be in block `block` (where the entry after it, or the head, says)
	/// is not.
	#[error(
		"entry {seq} of patient {patient} is not in block #{block}, where the chain says it is"
	)]
	Missing { patient: PatientId, seq: u64, block: u32 },
	/// Entries `1..=seq` lead to no block: they were recorded at genesis, or by a runtime
	/// before 103 whose events did not say the block of the entry before. Export again with
	/// [`Unlinked::Scan`].
	#[error("entries 1 to {seq} of patient {patient} were recorded before runtime 103 (or at genesis): no block leads to them; scan the blocks below for them (medchain audit export --scan-unlinked)")]
	BeforeBlockLinks { patient: PatientId, seq: u64 },
	/// A scan from block `from` down to block 1 did not find entry `seq`: entries `1..=seq`
	/// were recorded at genesis, or the node's blocks do not hold them.
	#[error("entries 1 to {seq} of patient {patient} are in no block from #{from} down to #1")]
	NotFound { patient: PatientId, seq: u64, from: u32 },
	/// What the node returned does not prove itself: the rebuilt hash chain diverges.
	#[error("the chain's trail does not verify: {0}")]
	Diverged(Divergence),
}

/// The storage key of a plain `System` storage value.
fn system_key(item: &str) -> Vec<u8> {
	let mut key = sp_crypto_hashing::twox_128(b"System").to_vec();
	key.extend_from_slice(&sp_crypto_hashing::twox_128(item.as_bytes()));
	key
}

/// An entry as an `EntryRecorded` event carried it.
struct Recorded {
	entry: AuditEntry<AccountId>,
	head: Hash32,
	previous_block: u32,
}

/// What to do with entries no block leads to: those recorded before runtime 103, whose events
/// did not say the block of the entry before (the trail's link, or its head, says block 0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Unlinked {
	/// Fail with [`ExportError::BeforeBlockLinks`], having read only the trail's blocks.
	#[default]
	Refuse,
	/// Read the blocks below, newest first, until the trail's first entry is found: two RPC
	/// calls a block, for every block down to it (a chain that upgraded from runtime 102 at
	/// block N reads up to N blocks once).
	Scan,
}

/// The metadata of each runtime other than the one this client was generated for that an
/// export met, fetched once each (by spec version).
#[derive(Default)]
struct Runtimes(HashMap<u32, Arc<subxt::Metadata>>);

impl Runtimes {
	/// The metadata of runtime `spec`, which executed block `block`: the one whose code is in
	/// the state of the block before (`state_getMetadata` there).
	async fn metadata(
		&mut self,
		legacy: &Legacy,
		spec: u32,
		block: u32,
	) -> Result<Arc<subxt::Metadata>, ExportError> {
		if let Some(metadata) = self.0.get(&spec) {
			return Ok(metadata.clone());
		}
		let parent = block_hash(legacy, block.saturating_sub(1)).await?;
		let bytes = legacy
			.state_get_metadata(Some(parent))
			.await
			.map_err(|e| rpc_error("state_getMetadata", e))?
			.into_raw();
		let metadata = subxt::Metadata::decode_from(&bytes).map_err(|e| {
			ExportError::Undecodable { block, reason: format!("runtime {spec}'s metadata: {e}") }
		})?;
		let metadata = Arc::new(metadata);
		self.0.insert(spec, metadata.clone());
		Ok(metadata)
	}
}

type Legacy = LegacyRpcMethods<RpcConfigFor<MedchainConfig>>;

fn rpc_error(method: &str, e: subxt::rpcs::Error) -> ExportError {
	let reason = e.to_string();
	ExportError::Client(Error::Rpc { method: method.into(), reason })
}

async fn block_hash(legacy: &Legacy, block: u32) -> Result<BlockHash, ExportError> {
	legacy
		.chain_get_block_hash(Some(u64::from(block).into()))
		.await
		.map_err(|e| rpc_error("chain_getBlockHash", e))?
		.ok_or(ExportError::NoBlock { block })
}

/// `patient`'s entries among block `block`'s events, by sequence number, read with the
/// metadata of the runtime that executed the block: `System.Events` and
/// `System.LastRuntimeUpgrade` (whose spec version that is) in one `state_queryStorageAt`.
async fn entries_in_block(
	legacy: &Legacy,
	runtimes: &mut Runtimes,
	patient: PatientId,
	block: u32,
) -> Result<BTreeMap<u64, Recorded>, ExportError> {
	let hash = block_hash(legacy, block).await?;
	let (events_key, upgrade_key) = (system_key("Events"), system_key("LastRuntimeUpgrade"));
	let sets = match legacy
		.state_query_storage_at([&events_key[..], &upgrade_key[..]], Some(hash))
		.await
	{
		Ok(sets) => sets,
		// Substrate's words for state outside the pruning window.
		Err(e) if e.to_string().contains("discarded") => return Err(ExportError::Pruned { block }),
		Err(e) => return Err(rpc_error("state_queryStorageAt", e)),
	};
	let value = |key: &[u8]| {
		sets.iter()
			.flat_map(|set| set.changes.iter())
			.find(|(k, _)| k.0 == key)
			.and_then(|(_, v)| v.as_ref())
			.map(|v| v.0.as_slice())
	};
	let undecodable = |reason: String| ExportError::Undecodable { block, reason };
	// `LastRuntimeUpgradeInfo` starts with the spec version (compact); genesis sets it.
	let spec = value(&upgrade_key)
		.map(|mut bytes| codec::Compact::<u32>::decode(&mut bytes).map(|c| c.0))
		.ok_or_else(|| undecodable("the block's state has no System.LastRuntimeUpgrade".into()))?
		.map_err(|e| undecodable(format!("System.LastRuntimeUpgrade: {e}")))?;
	let bytes = value(&events_key).unwrap_or(&[0]);
	let found = if spec == GENERATED_FOR_SPEC_VERSION {
		entries_by_codegen(bytes, patient)
	} else {
		let metadata = runtimes.metadata(legacy, spec, block).await?;
		entries_by_metadata(bytes, &metadata, patient)
			.map_err(|reason| format!("(runtime {spec}) {reason}"))
	};
	found.map_err(undecodable)
}

/// `patient`'s `EntryRecorded` events among a block's, decoded with the types generated for
/// this client's runtime.
fn entries_by_codegen(
	mut bytes: &[u8],
	patient: PatientId,
) -> Result<BTreeMap<u64, Recorded>, String> {
	type Records = Vec<
		runtime::runtime_types::frame_system::EventRecord<
			runtime::runtime_types::medchain_runtime::RuntimeEvent,
			BlockHash,
		>,
	>;
	let records = Records::decode(&mut bytes).map_err(|e| e.to_string())?;
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
		let entry: AuditEntry<AccountId> = convert(&entry).map_err(|e| e.to_string())?;
		if entry.event.patient == patient {
			found.insert(entry.seq, Recorded { entry, head, previous_block });
		}
	}
	Ok(found)
}

/// `patient`'s `Audit.EntryRecorded` events among a block's, read with the metadata of the
/// runtime that executed the block: every other event is skipped by its type in that metadata,
/// and the event's fields are taken by name (`entry`, `head`, and `previous_block` where that
/// runtime had it: 0 otherwise). An entry must be, byte for byte, an entry as this client
/// encodes it: the hash chain is over those bytes.
fn entries_by_metadata(
	mut bytes: &[u8],
	metadata: &subxt::Metadata,
	patient: PatientId,
) -> Result<BTreeMap<u64, Recorded>, String> {
	use subxt::ext::scale_decode::visitor::{decode_with_visitor, IgnoreVisitor};
	let input = &mut bytes;
	let count = codec::Compact::<u32>::decode(input).map_err(|e| e.to_string())?.0;
	let mut found = BTreeMap::new();
	for index in 0..count {
		runtime::runtime_types::frame_system::Phase::decode(input)
			.map_err(|e| format!("event {index}'s phase: {e}"))?;
		let (pallet, variant) = <(u8, u8)>::decode(input).map_err(|e| e.to_string())?;
		let pallet = metadata
			.pallet_by_event_index(pallet)
			.ok_or_else(|| format!("event {index}: no pallet has event index {pallet}"))?;
		let variant = pallet.event_variant_by_index(variant).ok_or_else(|| {
			format!("event {index}: {} has no event of index {variant}", pallet.name())
		})?;
		let wanted = pallet.name() == "Audit" && variant.name == "EntryRecorded";
		let (mut entry, mut head, mut previous_block) = (None, None, 0u32);
		for field in &variant.fields {
			let start = *input;
			decode_with_visitor(input, field.ty.id, metadata.types(), IgnoreVisitor::new())
				.map_err(|e| format!("{}.{}: {e}", pallet.name(), variant.name))?;
			if !wanted {
				continue;
			}
			let mut raw = &start[..start.len().saturating_sub(input.len())];
			let exact = |e: codec::Error| format!("Audit.EntryRecorded's {:?}: {e}", field.name);
			match field.name.as_deref() {
				Some("entry") => {
					entry = Some(AuditEntry::<AccountId>::decode(&mut raw).map_err(exact)?)
				},
				Some("head") => head = Some(Hash32::decode(&mut raw).map_err(exact)?),
				Some("previous_block") => previous_block = u32::decode(&mut raw).map_err(exact)?,
				_ => continue,
			}
			if !raw.is_empty() {
				return Err(format!(
					"Audit.EntryRecorded's {:?} is encoded differently from this client's",
					field.name
				));
			}
		}
		Vec::<BlockHash>::decode(input).map_err(|e| format!("event {index}'s topics: {e}"))?;
		if !wanted {
			continue;
		}
		let (Some(entry), Some(head)) = (entry, head) else {
			return Err("Audit.EntryRecorded has no `entry` or no `head` field".into());
		};
		if entry.event.patient == patient {
			found.insert(entry.seq, Recorded { entry, head, previous_block });
		}
	}
	if !input.is_empty() {
		return Err(format!("{} bytes after the last event", input.len()));
	}
	Ok(found)
}

/// Exports `patient`'s trail as it stands at block `at`: every entry, in order, each with its
/// block and recorded hash, checked against the trail head at `at`. Each block's events are
/// read as the runtime that executed it wrote them (with that runtime's metadata, fetched once
/// per runtime, when it is not the one this client was generated for), so an export spans
/// runtime upgrades. `unlinked` says what to do with entries no block leads to. `progress` is
/// told, after each entry found, how many were found of how many.
pub async fn export(
	rpc: &RpcClient,
	patient: PatientId,
	at: BlockHash,
	unlinked: Unlinked,
	mut progress: impl FnMut(u64, u64),
) -> Result<(Export, ExportReads), ExportError> {
	let legacy = Legacy::new(rpc.clone());
	let mut runtimes = Runtimes::default();
	let trail: TrailHead = request(rpc, "audit_trailHead", rpc_params![patient, at]).await?;
	let block = crate::client::block_number(rpc, at).await?;
	let mut reads = ExportReads::default();
	// Newest first, reversed at the end. The head's count is the chain's word, not yet proved:
	// reserve for it only up to a bound.
	let mut entries = Vec::with_capacity(usize::try_from(trail.last_seq.min(1 << 16)).unwrap_or(0));
	let (mut seq, mut in_block) = (trail.last_seq, trail.last_block);
	// The block whose entries were read last (0: none yet), and those not yet taken.
	let (mut loaded, mut here) = (0u32, BTreeMap::new());
	// Where a scan for unlinked entries started (`None`: following the links).
	let mut scan_from = None;
	while seq > 0 {
		if in_block == 0 {
			if unlinked == Unlinked::Refuse {
				return Err(ExportError::BeforeBlockLinks { patient, seq });
			}
			// The block last read may still hold the entry; else the export's own block.
			in_block = if loaded == 0 { block } else { loaded };
			scan_from = Some(in_block);
		}
		if in_block != loaded {
			reads.blocks = reads.blocks.saturating_add(1);
			if scan_from.is_some() {
				reads.scanned = reads.scanned.saturating_add(1);
			}
			here = entries_in_block(&legacy, &mut runtimes, patient, in_block).await?;
			loaded = in_block;
		}
		let Some(recorded) = here.remove(&seq) else {
			match scan_from {
				None => return Err(ExportError::Missing { patient, seq, block: in_block }),
				Some(from) if in_block <= 1 => {
					return Err(ExportError::NotFound { patient, seq, from })
				},
				Some(_) => {
					in_block = in_block.saturating_sub(1);
					continue;
				},
			}
		};
		entries.push(ExportedEntry { entry: recorded.entry, block: in_block, head: recorded.head });
		progress(trail.last_seq.saturating_sub(seq).saturating_add(1), trail.last_seq);
		// Sequence numbers strictly fall: the walk ends whatever the blocks say.
		seq = seq.saturating_sub(1);
		// A scan goes on downwards from here; the links lead elsewhere.
		if scan_from.is_none() {
			in_block = recorded.previous_block;
		}
	}
	reads.older_runtimes = u32::try_from(runtimes.0.len()).unwrap_or(u32::MAX);
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
		unlinked: Unlinked,
		progress: impl FnMut(u64, u64),
	) -> Result<(Export, ExportReads), ExportError> {
		export(self.rpc(), patient, at, unlinked, progress).await
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
