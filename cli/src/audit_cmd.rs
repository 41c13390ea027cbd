//! `medchain audit …`: a patient's trail head, its export proved complete, and an export
//! checked again.

use std::path::PathBuf;

use clap::Subcommand;
use medchain_client::{audit, fhir, Client};
use medchain_primitives::{Hash32, PatientId};
use serde_json::json;

use crate::{input, read, refused, Failure, Output};

/// How an audit export is written.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
	/// A header line, then one entry a line.
	Ndjson,
	/// A FHIR R4 Bundle of AuditEvent resources (IHE BALP shape).
	Fhir,
}

#[derive(Subcommand)]
pub enum AuditCommand {
	/// A patient's trail head: its last sequence number and running hash.
	Head {
		#[arg(long)]
		patient: PatientId,
	},
	/// Every entry of a patient's trail, in order, read from the blocks that hold them and
	/// proved complete against the trail head (at the last finalised block, or --best). Exit 4,
	/// naming the first divergent entry, if the chain's entries do not prove its head.
	Export {
		#[arg(long)]
		patient: PatientId,
		#[arg(long, value_enum, default_value = "ndjson")]
		format: ExportFormat,
		/// Write to this file instead of stdout.
		#[arg(long, value_name = "FILE")]
		out: Option<PathBuf>,
		/// Export at the best block instead of the last finalised one.
		#[arg(long, conflicts_with = "at")]
		best: bool,
		/// Export at this block (its hash): the file another tool exported there, exactly.
		#[arg(long, value_name = "HASH")]
		at: Option<medchain_client::BlockHash>,
		/// Find entries recorded before runtime 103, which no block links to, by reading every
		/// block below them (two RPC calls a block, down to the trail's first entry).
		#[arg(long)]
		scan_unlinked: bool,
	},
	/// Check an export (NDJSON or FHIR) again: offline against --head and --seq, or against the
	/// chain's trail at the export's block. Exit 4, naming the first divergent entry, if it
	/// does not verify.
	Verify {
		export: PathBuf,
		/// The trail head to check against (0x-hex), e.g. from `audit head`: no node is asked.
		#[arg(long, requires = "seq")]
		head: Option<Hash32>,
		/// The head's last sequence number (with --head).
		#[arg(long, requires = "head")]
		seq: Option<u64>,
		/// Against the chain: re-read entries recorded before runtime 103 by scanning the
		/// blocks below them (as `audit export --scan-unlinked`).
		#[arg(long, conflicts_with = "head")]
		scan_unlinked: bool,
	},
}

/// Reads an audit export, NDJSON or a FHIR Bundle.
pub(crate) fn read_export(path: &PathBuf) -> Result<audit::Export, Failure> {
	let bytes = read(path)?;
	let text = std::str::from_utf8(&bytes)
		.map_err(|e| input(format!("{}: not UTF-8: {e}", path.display())))?;
	// One JSON document with a `resourceType` is a Bundle; NDJSON is several documents.
	#[derive(serde::Deserialize)]
	struct Resource {
		#[serde(rename = "resourceType")]
		resource_type: Option<serde::de::IgnoredAny>,
	}
	let is_resource = serde_json::from_str::<Resource>(text)
		.ok()
		.is_some_and(|r| r.resource_type.is_some());
	if is_resource {
		fhir::bundle_json_to_export(text).map_err(|e| input(format!("{}: {e}", path.display())))
	} else {
		audit::from_ndjson(text).map_err(|e| input(format!("{}: {e}", path.display())))
	}
}

/// Reports a verification: done, or exit 4 naming the first divergent entry.
pub(crate) fn verified(
	out: &Output,
	path: &std::path::Path,
	export: &audit::Export,
	result: Result<(), audit::Divergence>,
	against: &str,
) -> Result<(), Failure> {
	let h = &export.header;
	match result {
		Ok(()) => {
			out.done(
				format!(
					"{}: patient {}, {} entries, verified against {against}",
					path.display(),
					h.patient,
					export.entries.len()
				),
				json!({ "patient": h.patient, "entries": export.entries.len(), "verified": true }),
			);
			Ok(())
		},
		Err(divergence) => {
			if out.json {
				println!(
					"{}",
					json!({ "patient": h.patient, "verified": false, "divergentSeq": divergence.seq() })
				);
			}
			Err(refused(format!(
				"{}: does not verify against {against}: {divergence}",
				path.display()
			)))
		},
	}
}

fn unlinked(scan: bool) -> audit::Unlinked {
	if scan {
		audit::Unlinked::Scan
	} else {
		audit::Unlinked::Refuse
	}
}

/// An export that failed: a node problem (3) or a trail that does not prove itself (4).
fn export_failure(e: audit::ExportError) -> Failure {
	use audit::ExportError::*;
	match e {
		Client(e) => e.into(),
		e @ (Pruned { .. } | NoBlock { .. } | Undecodable { .. }) => {
			Failure { code: 3, message: e.to_string() }
		},
		e @ (Missing { .. } | BeforeBlockLinks { .. } | NotFound { .. } | Diverged(_)) => {
			refused(e.to_string())
		},
	}
}

pub async fn run(command: AuditCommand, client: &Client, out: &Output) -> Result<(), Failure> {
	match command {
		AuditCommand::Export { patient, format, out: file, best, at, scan_unlinked } => {
			let at = match at {
				Some(hash) => hash,
				None if best => client.best_hash().await?,
				None => client.finalised_hash().await?,
			};
			let bar = out.counter("entries");
			let exported = client
				.export_trail(patient, at, unlinked(scan_unlinked), |done, of| {
					bar.set_length(of);
					bar.set_position(done);
				})
				.await;
			bar.finish_and_clear();
			let (export, reads) = exported.map_err(export_failure)?;
			let text = match format {
				ExportFormat::Ndjson => audit::to_ndjson(&export),
				ExportFormat::Fhir => format!("{}\n", fhir::export_to_bundle_json(&export)),
			};
			match &file {
				Some(path) => std::fs::write(path, text)
					.map_err(|e| input(format!("cannot write {}: {e}", path.display())))?,
				None => print!("{text}"),
			}
			let h = &export.header;
			let mut read_from = format!("{} blocks", reads.blocks);
			if reads.scanned > 0 {
				read_from.push_str(&format!(
					" ({} of them scanned for unlinked entries)",
					reads.scanned
				));
			}
			if reads.older_runtimes > 0 {
				read_from.push_str(&format!(
					", {} older runtime(s) read with their own metadata",
					reads.older_runtimes
				));
			}
			let summary = format!(
				"patient {patient}: {} entries from {read_from}, proved complete against the trail head at block #{} ({:?})",
				export.entries.len(),
				h.block,
				h.trail.head
			);
			// The export itself may be on stdout: the summary goes to stderr, or is the JSON
			// document when the export went to a file.
			match (&file, out.json) {
				(Some(_), true) => println!(
					"{}",
					json!({ "patient": patient, "entries": export.entries.len(), "blocksRead": reads.blocks, "blocksScanned": reads.scanned, "olderRuntimes": reads.older_runtimes, "block": h.block, "blockHash": h.block_hash, "trail": h.trail })
				),
				(_, false) => eprintln!("{summary}"),
				(None, true) => {},
			}
		},
		AuditCommand::Verify { export, scan_unlinked, .. } => {
			let read = read_export(&export)?;
			let h = &read.header;
			let bar = out.counter("entries re-read from the chain");
			let chain = client
				.export_trail(h.patient, h.block_hash, unlinked(scan_unlinked), |done, of| {
					bar.set_length(of);
					bar.set_position(done);
				})
				.await;
			bar.finish_and_clear();
			let (chain, _) = chain.map_err(export_failure)?;
			let against = format!("the chain's trail head at block #{}", h.block);
			verified(&out, &export, &read, audit::compare(&read, &chain), &against)?;
		},
		AuditCommand::Head { patient } => {
			let head = client.trail_head(patient, None).await?;
			out.done(
				format!("patient {patient}: {} entries, head {:?}", head.last_seq, head.head),
				json!(head),
			);
		},
	}
	Ok(())
}
