//! `records batch <dir>`: every document of a folder anchored in Merkle batches, a proof file
//! (`<document>.proof.json`) written next to each, resumable.
//!
//! A run first finishes what an interrupted run left: `.medchain-batch.json` in the folder
//! names the batch it submitted (root, documents, the next batch id before it) but whose proofs
//! it did not write; the chain is asked whether that batch is there (`find_batch`) and its
//! proofs are written, or it is anchored now. Then the documents without a proof file are
//! anchored, at most `max` to a batch, the state file written before each submission and
//! removed after its proofs. So an interrupted run, run again, anchors nothing twice and misses
//! nothing.

use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use medchain_client::{batch, fingerprint, AccountId, Client, Keypair, Wait};
use medchain_primitives::{BatchId, Category, Hash32};
use serde::{Deserialize, Serialize};

use crate::{input, Failure};

/// What a run writes before it submits a batch.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Pending {
	merkle_root: Hash32,
	category: Category,
	next_batch_id: BatchId,
	documents: Vec<PathBuf>,
	hashes: Vec<Hash32>,
}

/// What a run did.
#[derive(Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
	pub batches: Vec<BatchId>,
	pub anchored: usize,
	pub skipped: usize,
	pub resumed: usize,
}

const STATE: &str = ".medchain-batch.json";

/// The proof file of `document`.
pub fn proof_path(document: &Path) -> PathBuf {
	let mut name = document.as_os_str().to_os_string();
	name.push(".proof.json");
	PathBuf::from(name)
}

/// The documents of `dir`, by name: regular files that are not proofs or the state file.
fn documents(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
	let entries =
		std::fs::read_dir(dir).map_err(|e| input(format!("cannot read {}: {e}", dir.display())))?;
	let mut files = Vec::new();
	for entry in entries {
		let path = entry.map_err(|e| input(format!("{}: {e}", dir.display())))?.path();
		let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
		if path.is_file() && !name.ends_with(".proof.json") && name != STATE {
			files.push(path);
		}
	}
	files.sort();
	Ok(files)
}

fn write_json(path: &Path, value: &impl Serialize) -> Result<(), Failure> {
	let text = serde_json::to_vec_pretty(value).map_err(|e| input(e.to_string()))?;
	// Written whole, then renamed: a proof file is either there and complete or not there.
	let partial = path.with_extension("partial");
	std::fs::write(&partial, text)
		.and_then(|()| std::fs::rename(&partial, path))
		.map_err(|e| input(format!("cannot write {}: {e}", path.display())))
}

fn write_proofs(batch_id: BatchId, pending: &Pending) -> Result<(), Failure> {
	for (proof, document) in
		batch::proofs(batch_id, &pending.hashes)?.iter().zip(&pending.documents)
	{
		write_json(&proof_path(document), proof)?;
	}
	Ok(())
}

/// Anchors the documents of `dir` not anchored yet, at most `max` a batch.
pub async fn run(
	client: &Client,
	signer: &Keypair,
	dir: &Path,
	category: Category,
	max: Option<u32>,
	wait: Wait,
	quiet: bool,
) -> Result<Report, Failure> {
	let author = AccountId::from(signer.public_key());
	let chain_max = client.max_batch_size().await?;
	let max = match max {
		Some(0) => return Err(input("--max must be at least 1".into())),
		Some(max) if max > chain_max => {
			return Err(input(format!("--max {max} is above the chain's maximum, {chain_max}")))
		},
		Some(max) => max,
		None => chain_max,
	};
	let mut report = Report::default();
	let mut resumed = std::collections::BTreeSet::new();
	let state = dir.join(STATE);
	if let Ok(text) = std::fs::read(&state) {
		let pending: Pending = serde_json::from_slice(&text)
			.map_err(|e| input(format!("{}: {e}", state.display())))?;
		let found = client
			.find_batch(pending.merkle_root, pending.category, &author, pending.next_batch_id, None)
			.await?;
		let batch_id = match found {
			Some(id) => id,
			None => anchor(client, signer, &pending, wait).await?,
		};
		write_proofs(batch_id, &pending)?;
		std::fs::remove_file(&state).ok();
		report.resumed = pending.documents.len();
		report.batches.push(batch_id);
		resumed = pending.documents.into_iter().collect();
	}
	let mut todo = Vec::new();
	for document in documents(dir)? {
		if resumed.contains(&document) {
			// Counted as resumed above, not again as skipped.
		} else if proof_path(&document).exists() {
			report.skipped += 1;
		} else {
			todo.push(document);
		}
	}
	let bar = if quiet { ProgressBar::hidden() } else { ProgressBar::new(todo.len() as u64) };
	if let Ok(style) =
		ProgressStyle::with_template("{bar:40} {pos}/{len} documents anchored ({eta})")
	{
		bar.set_style(style);
	}
	for chunk in todo.chunks(max as usize) {
		// Read and hashed on every core; one batch's documents in memory at a time.
		use rayon::prelude::*;
		let hashes = chunk
			.par_iter()
			.map(|document| {
				std::fs::read(document)
					.map(|bytes| fingerprint(&bytes))
					.map_err(|e| input(format!("cannot read {}: {e}", document.display())))
			})
			.collect::<Result<Vec<_>, _>>()?;
		let pending = Pending {
			merkle_root: batch::root(&hashes).ok_or_else(|| input("an empty batch".into()))?,
			category,
			next_batch_id: client.next_batch_id().await?,
			documents: chunk.to_vec(),
			hashes,
		};
		write_json(&state, &pending)?;
		let batch_id = anchor(client, signer, &pending, wait).await?;
		write_proofs(batch_id, &pending)?;
		std::fs::remove_file(&state).ok();
		report.anchored += chunk.len();
		report.batches.push(batch_id);
		bar.inc(chunk.len() as u64);
	}
	bar.finish_and_clear();
	Ok(report)
}

async fn anchor(
	client: &Client,
	signer: &Keypair,
	pending: &Pending,
	wait: Wait,
) -> Result<BatchId, Failure> {
	let count =
		u32::try_from(pending.hashes.len()).map_err(|_| input("too many documents".into()))?;
	let (batch_id, _, _) = client
		.anchor_batch(signer, pending.merkle_root, count, pending.category, wait)
		.await?;
	Ok(batch_id)
}

/// Reads a proof file.
pub fn read_proof(path: &Path) -> Result<batch::Proof, Failure> {
	let text =
		std::fs::read(path).map_err(|e| input(format!("cannot read {}: {e}", path.display())))?;
	serde_json::from_slice(&text)
		.map_err(|e| input(format!("{}: not a medchain proof: {e}", path.display())))
}
