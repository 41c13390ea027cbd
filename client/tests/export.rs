//! The audit exporter against a chain served over the JSON-RPC interface it uses
//! (`chain_getBlockHash`, `chain_getHeader`, `state_getStorage`, `audit_trailHead`), holding
//! real SCALE-encoded `System.Events` and a real hash chain, with every call counted: a trail of
//! 1,000 entries over 500 blocks of a 2,000-block chain is read from those 500 blocks only.
//! (A dev node makes a block every 6 s: 2,000 blocks would take over three hours. The same
//! exporter against a real node: `cli/tests/cli.rs`.)

use std::sync::Arc;

use medchain_client::{
	audit::{self, Divergence, Export, ExportError},
	testing::MemoryChain,
};
use medchain_primitives::{Hash32, PatientId, TrailHead};

async fn export(
	chain: &Arc<MemoryChain>,
	patient: PatientId,
) -> Result<(Export, u32), ExportError> {
	let mut last = (0, 0);
	let (export, reads) =
		audit::export(&chain.rpc(), patient, chain.tip_hash(), |done, of| last = (done, of))
			.await?;
	assert_eq!(last, (export.entries.len() as u64, export.header.trail.last_seq));
	Ok((export, reads.blocks))
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
	assert_eq!(chain.calls("state_getStorage"), 500);
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
