//! The audit exporter against a chain served over the JSON-RPC interface it uses
//! (`chain_getBlockHash`, `chain_getHeader`, `state_queryStorageAt`, `state_getMetadata`,
//! `audit_trailHead`), holding real SCALE-encoded `System.Events` and a real hash chain, with
//! every call counted: a trail of 1,000 entries over 500 blocks of a 2,000-block chain is read
//! from those 500 blocks only; blocks of an older runtime whose events had another shape are read
//! with that runtime's metadata, and its unlinked entries found by a scan.
//! (A dev node makes a block every 6 s: 2,000 blocks would take over three hours. The same
//! exporter against a real node: `cli/tests/cli.rs`.)

use std::sync::Arc;

use medchain_client::{
	audit::{self, Divergence, Export, ExportError, ExportReads, Unlinked},
	testing::MemoryChain,
};
use medchain_primitives::{Hash32, PatientId, TrailHead};

async fn export(
	chain: &Arc<MemoryChain>,
	patient: PatientId,
) -> Result<(Export, u32), ExportError> {
	let (export, reads) = export_with(chain, patient, Unlinked::Refuse).await?;
	Ok((export, reads.blocks))
}

async fn export_with(
	chain: &Arc<MemoryChain>,
	patient: PatientId,
	unlinked: Unlinked,
) -> Result<(Export, ExportReads), ExportError> {
	let mut last = (0, 0);
	let (export, reads) =
		audit::export(&chain.rpc(), patient, chain.tip_hash(), unlinked, |done, of| {
			last = (done, of)
		})
		.await?;
	assert_eq!(last, (export.entries.len() as u64, export.header.trail.last_seq));
	Ok((export, reads))
}

#[tokio::test]
async fn a_thousand_entries_over_five_hundred_blocks_are_read_from_those_blocks_only() {
	let chain = Arc::new(MemoryChain::with_trail(7, 2_000, 500, 2));
	let (export, blocks) = export(&chain, 7).await.expect("exports");
	assert_eq!(export.entries.len(), 1_000);
	assert_eq!(export.header.trail.last_seq, 1_000);
	assert_eq!(export.header.block, 2_000);
	assert!(export.entries.iter().enumerate().all(|(i, e)| e.entry.seq == i as u64 + 1));
	// The blocks read are exactly those that hold the patient's entries.
	let holding: std::collections::BTreeSet<u32> = export.entries.iter().map(|e| e.block).collect();
	assert_eq!(holding.len(), 500);
	assert_eq!(blocks, 500);
	assert_eq!(chain.calls("state_queryStorageAt"), 500);
	assert_eq!(chain.calls("state_getMetadata"), 0);
	assert_eq!(chain.calls("chain_getBlockHash"), 500);
	assert_eq!(chain.calls("audit_trailHead"), 1);
	assert_eq!(chain.calls("chain_getHeader"), 1);
	assert_eq!(chain.total_calls(), 1_002);
	// It verifies, offline, against the head, and through NDJSON.
	assert_eq!(audit::verify(&export, &chain.head(7)), Ok(()));
	let text = audit::to_ndjson(&export);
	assert_eq!(audit::verify(&audit::from_ndjson(&text).expect("reads"), &chain.head(7)), Ok(()));
}

#[tokio::test]
async fn flipping_one_byte_of_the_export_fails_verify_naming_the_entry() {
	let chain = Arc::new(MemoryChain::with_trail(7, 200, 50, 2));
	let (export, _) = export(&chain, 7).await.expect("exports");
	let text = audit::to_ndjson(&export);
	// Line 42 holds entry 41; flip one digit of its time.
	let line_start: usize = text.lines().take(41).map(|l| l.len() + 1).sum();
	let at = line_start + text[line_start..].find("\"at\":").expect("a time") + 5;
	let mut bytes = text.into_bytes();
	bytes[at] = if bytes[at] == b'9' { b'8' } else { bytes[at] + 1 };
	let tampered = audit::from_ndjson(std::str::from_utf8(&bytes).expect("UTF-8")).expect("reads");
	assert_eq!(audit::verify(&tampered, &chain.head(7)), Err(Divergence::Entry { seq: 41 }));
	assert_eq!(audit::compare(&tampered, &export), Err(Divergence::Entry { seq: 41 }));
}

#[tokio::test]
async fn a_chain_whose_events_do_not_prove_the_head_is_an_error_naming_the_entry() {
	let mut tampered = MemoryChain::with_trail(7, 100, 20, 1);
	// The node answers with a head whose hash is not the trail's.
	let head = tampered.head(7);
	tampered.set_head(7, TrailHead { head: Hash32::repeat_byte(1), ..head });
	let chain = Arc::new(tampered);
	let error = export(&chain, 7).await.err().expect("does not verify");
	assert!(matches!(error, ExportError::Diverged(Divergence::Head { seq: 20 })), "{error}");
	assert_eq!(
		error.to_string(),
		"the chain's trail does not verify: entry 20 diverges: the export's last hash is not the trail head's"
	);
	// A patient with no entries exports an empty trail, reading no block.
	let (empty, blocks) = export(&chain, 99).await.expect("exports");
	assert!(empty.entries.is_empty());
	assert_eq!(blocks, 0);
}

#[tokio::test]
async fn an_export_spans_an_upgrade_reading_each_block_as_its_runtime_wrote_it() {
	// Patient 7: two entries every 4th block of 400; blocks 1..=150 ran the older runtime, whose
	// EntryRecorded had no previous_block (its metadata says so) and whose heads kept no block.
	let chain = Arc::new(MemoryChain::with_upgrade(7, 400, 100, 2, 150));
	assert_eq!(chain.spec_of(150), MemoryChain::OLDER_SPEC);
	let unlinked = (4..=150).step_by(4).count() as u64 * 2;
	let first_linked = 152;

	// Following the links only, the export stops where they end, and says what to do.
	let refused = export_with(&chain, 7, Unlinked::Refuse).await.err().expect("stops");
	assert!(
		matches!(refused, ExportError::BeforeBlockLinks { patient: 7, seq } if seq == unlinked),
		"{refused}"
	);
	assert!(refused.to_string().contains("--scan-unlinked"), "{refused}");
	assert_eq!(chain.calls("state_getMetadata"), 0, "no older block was read");

	// Scanning, every entry is found: those of the older runtime's blocks read with its
	// metadata (fetched once), and the whole trail proves the head.
	let calls_before = chain.calls("state_getMetadata");
	let (export, reads) = export_with(&chain, 7, Unlinked::Scan).await.expect("exports");
	assert_eq!(export.entries.len(), 200);
	assert!(export.entries.iter().enumerate().all(|(i, e)| e.entry.seq == i as u64 + 1));
	assert_eq!(export.entries[0].block, 4);
	assert_eq!(export.entries[unlinked as usize].block, first_linked);
	assert_eq!(audit::verify(&export, &chain.head(7)), Ok(()));
	assert_eq!(reads.older_runtimes, 1);
	assert_eq!(chain.calls("state_getMetadata") - calls_before, 1);
	// The scan starts at the first linked entry's block (already read) and goes down to
	// entry 1's block: 151 down to 4.
	assert_eq!(reads.scanned, first_linked - 4);
	assert_eq!(reads.blocks, (first_linked..=400).step_by(4).count() as u32 + reads.scanned);

	// A patient whose every entry predates the upgrade: the head names no block, the scan
	// starts at the export's own block.
	let chain = Arc::new(MemoryChain::with_upgrade(7, 100, 25, 1, 100));
	let (export, reads) = export_with(&chain, 7, Unlinked::Scan).await.expect("exports");
	assert_eq!(export.entries.len(), 25);
	assert_eq!(reads.scanned, 100 - 4 + 1);
}

#[tokio::test]
async fn a_scan_that_reaches_block_1_without_the_first_entry_names_it() {
	let mut chain = MemoryChain::with_upgrade(7, 60, 10, 1, 60);
	// A head the blocks do not hold: three entries no block has.
	chain.set_head(99, TrailHead { last_seq: 3, head: Hash32::repeat_byte(1), last_block: 0 });
	let chain = Arc::new(chain);
	let error = export_with(&chain, 99, Unlinked::Scan).await.err().expect("not found");
	assert!(matches!(error, ExportError::NotFound { patient: 99, seq: 3, from: 60 }), "{error}");
	assert_eq!(
		error.to_string(),
		"entries 1 to 3 of patient 99 are in no block from #60 down to #1"
	);
}
