//! `medchain records …`: anchors of documents kept off chain, one or a folder at a time, and
//! their verification.

use std::path::PathBuf;

use clap::Subcommand;
use medchain_client::{fhir, fingerprint, Client, Keypair, Wait};
use medchain_primitives::{Category, Hash32, PatientId, Purpose, RecordId, RecordVerification};
use serde_json::json;

use crate::{input, named, read, refused, Failure, Output};

#[derive(Subcommand)]
pub enum RecordsCommand {
	/// Anchor a document: its BLAKE2b-256 fingerprint, for a patient.
	Anchor {
		file: PathBuf,
		#[arg(long)]
		patient: PatientId,
		#[arg(long, value_parser = named::<Category>)]
		category: Category,
		#[arg(long, value_parser = named::<Purpose>, default_value = "Treatment")]
		purpose: Purpose,
		/// Where the provider's store keeps the (encrypted) document: its 32-byte id, 0x-hex.
		#[arg(long)]
		locator: Hash32,
	},
	/// Anchor every document of a folder in Merkle batches (`anchor_batch`), writing
	/// `<document>.proof.json` next to each. A re-run skips what has a proof; an interrupted run,
	/// run again, anchors nothing twice and misses nothing.
	Batch {
		dir: PathBuf,
		#[arg(long, value_parser = named::<Category>)]
		category: Category,
		/// At most this many documents a batch (default and limit: the chain's maximum).
		#[arg(long)]
		max: Option<u32>,
	},
	/// Check a document against its batch proof. Exit 0 if the chain confirms it, 4 if not.
	VerifyProof { file: PathBuf, proof: PathBuf },
	/// Check a document against its anchor. Exit 0 if it matches, 4 if not.
	Verify {
		file: PathBuf,
		#[arg(long)]
		record: RecordId,
	},
	/// Write a record's anchor as a FHIR R4 Provenance resource (to stdout). Exit 4 if no record
	/// has this id.
	Provenance {
		#[arg(long)]
		record: RecordId,
	},
}

pub async fn run(
	command: RecordsCommand,
	client: &Client,
	signer: Option<&Keypair>,
	wait: Wait,
	out: &Output,
) -> Result<(), Failure> {
	let signer = || signer.ok_or_else(|| input("no signing key".into()));
	match command {
		RecordsCommand::Anchor { file, patient, category, purpose, locator } => {
			let content_hash = fingerprint(&read(&file)?);
			let anchored = out
				.waiting(
					&format!("anchoring {}", file.display()),
					client.anchor(
						signer()?,
						patient,
						category,
						purpose,
						content_hash,
						locator,
						wait,
					),
				)
				.await;
			let (record_id, submitted) = anchored?;
			out.done(
				format!(
					"record {record_id}: {} ({content_hash:?}) anchored in block #{}",
					file.display(),
					submitted.block_number
				),
				json!({
					"recordId": record_id,
					"contentHash": content_hash,
					"locator": locator,
					"block": submitted.block_number,
				}),
			);
		},
		RecordsCommand::Batch { dir, category, max } => {
			let report =
				crate::batch::run(&client, signer()?, &dir, category, max, wait, out.json).await?;
			out.done(
				format!(
					"{}: {} anchored in {} batches ({:?}), {} resumed, {} already anchored",
					dir.display(),
					report.anchored,
					report.batches.len(),
					report.batches,
					report.resumed,
					report.skipped
				),
				json!(report),
			);
		},
		RecordsCommand::VerifyProof { file, proof } => {
			let content_hash = fingerprint(&read(&file)?);
			let p = crate::batch::read_proof(&proof)?;
			if p.content_hash != content_hash {
				return Err(refused(format!(
					"{} does not match {}: it changed since it was anchored",
					file.display(),
					proof.display()
				)));
			}
			let confirmed =
				client.verify_in_batch(p.batch_id, content_hash, p.index, &p.path, None).await?;
			out.done(
				format!(
					"{}: leaf {} of batch {}, confirmed by the chain",
					file.display(),
					p.index,
					p.batch_id
				),
				json!({ "batchId": p.batch_id, "index": p.index, "confirmed": confirmed }),
			);
			if !confirmed {
				return Err(refused(format!(
					"the chain does not confirm {} in batch {}: the proof is for another root",
					file.display(),
					p.batch_id
				)));
			}
		},
		RecordsCommand::Verify { file, record } => {
			let content_hash = fingerprint(&read(&file)?);
			let verification = client.verify(record, content_hash, None).await?;
			out.done(format!("{verification:?}"), json!(verification));
			match verification {
				RecordVerification::Matches { .. } => {},
				RecordVerification::Mismatch { .. } => {
					return Err(refused(format!(
						"{} does not match record {record}: it changed since it was anchored",
						file.display()
					)))
				},
				RecordVerification::UnknownRecord => {
					return Err(refused(format!("record {record} is not anchored")))
				},
			}
		},
		RecordsCommand::Provenance { record } => {
			let Some(anchor) = client.anchor_of(record).await? else {
				return Err(refused(format!("record {record} is not anchored")));
			};
			// FHIR's JSON whichever the output mode.
			println!("{}", fhir::anchor_to_provenance(&anchor));
		},
	}
	Ok(())
}
