//! `medchain`: consent, records and audit jobs from a terminal or a script (docs/cli.md).
//!
//! Exit codes (what scripts rely on): 0 done; 1 the chain refused the transaction (a named
//! error, nothing changed); 2 the command line is wrong; 3 no node answered or an RPC failed;
//! 4 a check said no (access not permitted, bytes that do not match their anchor); 5 bad input
//! (a file, a key).

mod batch;
mod fhir_cmd;
mod governance_cmd;

use std::{path::PathBuf, process::ExitCode, time::Duration};

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use medchain_client::{
	audit, fhir, fingerprint,
	keys::{self, KeySource},
	AccountId, Client, Error, Keypair, Wait,
};
use medchain_primitives::{
	Action, Actions, Categories, Category, GrantTerms, Grantee, Hash32, PatientId, Purpose,
	Purposes, RecordId, RecordVerification, TrailHead,
};
use serde::de::DeserializeOwned;
use serde_json::json;

#[derive(Parser)]
#[command(name = "medchain", version, about = "medchain's command-line tool", long_about = None)]
struct Cli {
	/// The node's WebSocket address.
	#[arg(long, global = true, env = "MEDCHAIN_URL", default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// Machine output: one JSON document on stdout, no progress bars.
	#[arg(long, global = true)]
	json: bool,
	/// Wait for finality instead of inclusion in a block.
	#[arg(long, global = true)]
	finalised: bool,
	#[command(flatten)]
	key: KeyArgs,
	#[command(subcommand)]
	command: Command,
}

/// Where the signing key comes from (never the command line itself).
#[derive(Args)]
struct KeyArgs {
	/// A file holding the signer's secret URI (phrase, hex seed or `//Dev` key).
	#[arg(long, global = true, value_name = "FILE")]
	key_file: Option<PathBuf>,
	/// An environment variable holding it.
	#[arg(long, global = true, value_name = "VAR")]
	key_env: Option<String>,
	/// Read it from standard input.
	#[arg(long, global = true)]
	key_stdin: bool,
}

#[derive(Subcommand)]
enum Command {
	/// The chain: heights, peers, validators, runtime.
	#[command(subcommand)]
	Chain(ChainCommand),
	/// Consent grants and the access decision.
	#[command(subcommand)]
	Consent(ConsentCommand),
	/// Record anchors: fingerprints of documents kept off chain.
	#[command(subcommand)]
	Records(RecordsCommand),
	/// Audit trails.
	#[command(subcommand)]
	Audit(AuditCommand),
	/// The council's motions: open, vote, close, see what is open; apply an authorised upgrade.
	#[command(subcommand)]
	Governance(governance_cmd::GovernanceCommand),
	/// A gateway's FHIR API, each request signed with your key.
	Fhir {
		/// The gateway's address.
		#[arg(long, env = "MEDCHAIN_GATEWAY", default_value = "http://127.0.0.1:8080")]
		gateway: String,
		#[command(subcommand)]
		command: fhir_cmd::FhirCommand,
	},
}

#[derive(Subcommand)]
enum ChainCommand {
	/// Best and finalised heights, peers, validators, runtime version.
	Status,
}

#[derive(Subcommand)]
enum ConsentCommand {
	/// Grant access to a patient's data (signed by the patient or a guardian).
	Grant {
		#[arg(long)]
		patient: PatientId,
		/// The practitioner given access (SS58).
		#[arg(long, conflicts_with = "organisation", required_unless_present = "organisation")]
		practitioner: Option<AccountId>,
		/// The organisation given access (its id).
		#[arg(long)]
		organisation: Option<u32>,
		/// Categories, comma-separated (`LabResults,Medications`).
		#[arg(long, value_delimiter = ',', required = true, value_parser = named::<Category>)]
		categories: Vec<Category>,
		/// Purposes, comma-separated (`Treatment`).
		#[arg(long, value_delimiter = ',', required = true, value_parser = named::<Purpose>)]
		purposes: Vec<Purpose>,
		/// Actions, comma-separated (`Read,Append`).
		#[arg(long, value_delimiter = ',', required = true, value_parser = named::<Action>)]
		actions: Vec<Action>,
		/// Start, ms since the Unix epoch (default: now, by the chain's clock).
		#[arg(long)]
		from: Option<u64>,
		/// End, ms since the Unix epoch (exclusive).
		#[arg(long, conflicts_with = "days")]
		until: Option<u64>,
		/// End, in days from the start.
		#[arg(long)]
		days: Option<u64>,
		/// Sensitive categories the grant names on purpose (they must also be in --categories).
		#[arg(long, value_delimiter = ',', value_parser = named::<Category>)]
		sensitive: Vec<Category>,
	},
	/// Submit the grant a FHIR R4 Consent resource (JSON file) says, signed by the patient. A
	/// resource that does not map is refused with the JSON path at fault; nothing is submitted.
	Import { file: PathBuf },
	/// Write the patient's grants as a FHIR R4 Bundle of Consent resources (to stdout).
	Export {
		#[arg(long)]
		patient: PatientId,
	},
	/// Add a deny rule (signed by the patient or a guardian): no grant overrides it. Without
	/// --practitioner or --organisation it denies everyone.
	Deny {
		#[arg(long)]
		patient: PatientId,
		/// The practitioner denied (SS58).
		#[arg(long, conflicts_with = "organisation")]
		practitioner: Option<AccountId>,
		/// The organisation denied (its id).
		#[arg(long)]
		organisation: Option<u32>,
		/// Categories, comma-separated.
		#[arg(long, value_delimiter = ',', required = true, value_parser = named::<Category>)]
		categories: Vec<Category>,
		/// Purposes, comma-separated.
		#[arg(long, value_delimiter = ',', required = true, value_parser = named::<Purpose>)]
		purposes: Vec<Purpose>,
	},
	/// Remove a deny rule (signed by the patient or a guardian).
	RemoveDeny {
		#[arg(long)]
		patient: PatientId,
		/// The rule's id (from `consent deny`).
		#[arg(long)]
		deny: u32,
	},
	/// Revoke a grant.
	Revoke {
		#[arg(long)]
		grant: u64,
	},
	/// May ACCESSOR do ACTION on CATEGORY of PATIENT's data for PURPOSE? Exit 0 if permitted, 4
	/// if not.
	Check {
		#[arg(long)]
		patient: PatientId,
		#[arg(long)]
		accessor: AccountId,
		#[arg(long, value_parser = named::<Category>)]
		category: Category,
		#[arg(long, value_parser = named::<Purpose>)]
		purpose: Purpose,
		#[arg(long, value_parser = named::<Action>)]
		action: Action,
	},
}

#[derive(Subcommand)]
enum RecordsCommand {
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

/// How an audit export is written.
#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
	/// A header line, then one entry a line.
	Ndjson,
	/// A FHIR R4 Bundle of AuditEvent resources (IHE BALP shape).
	Fhir,
}

#[derive(Subcommand)]
enum AuditCommand {
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

/// A value named as the chain names it (`LabResults`, `Treatment`, `Read`).
pub(crate) fn named<T: DeserializeOwned>(name: &str) -> Result<T, String> {
	serde_json::from_value(serde_json::Value::String(name.into()))
		.map_err(|_| format!("unknown name {name:?}"))
}

/// Why the command failed, and the exit code that says so.
pub(crate) struct Failure {
	pub(crate) code: u8,
	pub(crate) message: String,
}

impl From<Error> for Failure {
	fn from(e: Error) -> Self {
		use medchain_client::ErrorClass;
		let code = match e.class() {
			ErrorClass::Refused | ErrorClass::Rejected => 1,
			ErrorClass::Unavailable => 3,
			ErrorClass::BadInput => 5,
			ErrorClass::Inconsistent => 6,
		};
		Failure { code, message: e.to_string() }
	}
}

pub(crate) fn input(message: String) -> Failure {
	Failure { code: 5, message }
}

pub(crate) fn refused(message: String) -> Failure {
	Failure { code: 4, message }
}

/// What a command prints: a line for people, a JSON document for scripts.
pub(crate) struct Output {
	pub(crate) json: bool,
}

impl Output {
	fn done(&self, human: String, machine: serde_json::Value) {
		if self.json {
			println!("{machine}");
		} else {
			println!("{human}");
		}
	}

	/// Runs `job` with a spinner on stderr saying `what` (none with --json).
	async fn waiting<T>(&self, what: &str, job: impl std::future::Future<Output = T>) -> T {
		let bar = self.spinner(what);
		let result = job.await;
		bar.finish_and_clear();
		result
	}

	/// A bar on stderr counting `what` (none with --json); its length is set once known.
	fn counter(&self, what: &str) -> ProgressBar {
		if self.json {
			return ProgressBar::hidden();
		}
		let bar = ProgressBar::new(0).with_message(what.to_string());
		if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} ({elapsed})") {
			bar.set_style(style);
		}
		bar
	}

	/// A spinner on stderr while `what` happens (none with --json).
	fn spinner(&self, what: &str) -> ProgressBar {
		if self.json {
			return ProgressBar::hidden();
		}
		let bar = ProgressBar::new_spinner().with_message(what.to_string());
		if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
			bar.set_style(style);
		}
		bar.enable_steady_tick(Duration::from_millis(120));
		bar
	}
}

impl KeyArgs {
	fn source(&self) -> Result<KeySource, Failure> {
		match (&self.key_file, &self.key_env, self.key_stdin) {
			(Some(file), None, false) => Ok(KeySource::File(file.clone())),
			(None, Some(var), false) => Ok(KeySource::Env(var.clone())),
			(None, None, true) => Ok(KeySource::Stdin),
			(None, None, false) => Err(input(
				"this command signs a transaction: give the key with --key-file, --key-env or --key-stdin"
					.into(),
			)),
			_ => Err(input("give the key one way: --key-file, --key-env or --key-stdin".into())),
		}
	}

	fn load(&self) -> Result<Keypair, Failure> {
		Ok(keys::load(&self.source()?)?)
	}
}

/// Reads an audit export, NDJSON or a FHIR Bundle.
fn read_export(path: &PathBuf) -> Result<audit::Export, Failure> {
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
fn verified(
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

fn read(path: &PathBuf) -> Result<Vec<u8>, Failure> {
	std::fs::read(path).map_err(|e| input(format!("cannot read {}: {e}", path.display())))
}

async fn run(cli: Cli) -> Result<(), Failure> {
	let out = Output { json: cli.json };
	let wait = if cli.finalised { Wait::Finalised } else { Wait::InBlock };
	// The key is read before the node is asked anything: a bad key fails fast.
	let signs = matches!(
		cli.command,
		Command::Consent(
			ConsentCommand::Grant { .. }
				| ConsentCommand::Revoke { .. }
				| ConsentCommand::Import { .. }
				| ConsentCommand::Deny { .. }
				| ConsentCommand::RemoveDeny { .. }
		) | Command::Records(RecordsCommand::Anchor { .. } | RecordsCommand::Batch { .. })
			| Command::Fhir { .. }
	) || matches!(&cli.command, Command::Governance(g) if governance_cmd::signs(g));
	// So is a FHIR resource that does not map: refused before anything is asked or submitted.
	let imported = match &cli.command {
		Command::Consent(ConsentCommand::Import { file }) => {
			let text = read(file)?;
			let resource: serde_json::Value = serde_json::from_slice(&text)
				.map_err(|e| input(format!("{}: not JSON: {e}", file.display())))?;
			Some(
				fhir::consent_to_grant(&resource)
					.map_err(|e| input(format!("{}: {e}", file.display())))?,
			)
		},
		_ => None,
	};
	// An export checked against a given head needs no node.
	if let Command::Audit(AuditCommand::Verify {
		export, head: Some(head), seq: Some(seq), ..
	}) = &cli.command
	{
		let read = read_export(export)?;
		let trusted = TrailHead { last_seq: *seq, head: *head, last_block: 0 };
		return verified(&out, export, &read, audit::verify(&read, &trusted), "the given head");
	}
	let signer = if signs { Some(cli.key.load()?) } else { None };
	let signer = || signer.as_ref().ok_or_else(|| input("no signing key".into()));
	let connecting = out.spinner(&format!("connecting to {}", cli.url));
	let client = Client::connect(&cli.url).await;
	connecting.finish_and_clear();
	let client = client?;
	match cli.command {
		Command::Governance(command) => {
			return governance_cmd::run(command, &client, signer().ok(), wait, &out).await;
		},
		Command::Fhir { gateway, command } => {
			let signer = signer()?.clone();
			return fhir_cmd::run(command, &gateway, &client, signer, &out).await;
		},
		Command::Chain(ChainCommand::Status) => {
			let status = client.status().await?;
			out.done(
				format!(
					"{} (genesis {:?}): best #{}, finalised #{}, {} peers{}, {} validators, runtime {} (transactions {})",
					status.chain,
					status.genesis_hash,
					status.best,
					status.finalised,
					status.peers,
					if status.syncing { ", syncing" } else { "" },
					status.validators.len(),
					status.spec_version,
					status.transaction_version
				),
				json!(status),
			);
		},
		Command::Consent(ConsentCommand::Grant {
			patient,
			practitioner,
			organisation,
			categories,
			purposes,
			actions,
			from,
			until,
			days,
			sensitive,
		}) => {
			let grantee = match (practitioner, organisation) {
				(Some(who), _) => Grantee::Practitioner(who),
				(None, Some(org)) => Grantee::Organisation(org),
				(None, None) => return Err(input("name --practitioner or --organisation".into())),
			};
			let valid_from = match from {
				Some(from) => from,
				None => client.now().await?,
			};
			let valid_until = match (until, days) {
				(Some(until), _) => Some(until),
				(None, Some(days)) => Some(
					days.checked_mul(24 * 60 * 60 * 1000)
						.and_then(|ms| valid_from.checked_add(ms))
						.ok_or_else(|| input(format!("--days {days} is too far away")))?,
				),
				(None, None) => None,
			};
			let terms = GrantTerms {
				grantee,
				categories: Categories::of(&categories),
				purposes: Purposes::of(&purposes),
				actions: Actions::of(&actions),
				valid_from,
				valid_until,
			};
			let granted = out
				.waiting(
					"granting",
					client.grant(signer()?, patient, &terms, Categories::of(&sensitive), wait),
				)
				.await;
			let (grant_id, submitted) = granted?;
			out.done(
				format!("grant {grant_id} for patient {patient}, in block #{}", submitted.block_number),
				json!({ "grantId": grant_id, "patient": patient, "terms": terms, "block": submitted.block_number }),
			);
		},
		Command::Consent(ConsentCommand::Import { file }) => {
			let Some(grant) = imported else { return Err(input("nothing imported".into())) };
			let granted = out
				.waiting(
					&format!("granting what {} says", file.display()),
					client.grant(signer()?, grant.patient, &grant.terms, grant.sensitive, wait),
				)
				.await;
			let (grant_id, submitted) = granted?;
			out.done(
				format!(
					"{}: grant {grant_id} for patient {}, in block #{}",
					file.display(),
					grant.patient,
					submitted.block_number
				),
				json!({ "grantId": grant_id, "patient": grant.patient, "terms": grant.terms, "block": submitted.block_number }),
			);
		},
		Command::Consent(ConsentCommand::Export { patient }) => {
			let grants = client.grants_of(patient).await?;
			let entries: Vec<serde_json::Value> = grants
				.iter()
				.map(|g| {
					let grant = fhir::ConsentGrant {
						patient: g.patient,
						sensitive: g.terms.categories.intersection(Categories::SENSITIVE),
						terms: g.terms.clone(),
					};
					json!({ "resource": fhir::grant_to_consent(&grant, Some(g.id), g.revoked) })
				})
				.collect();
			// A Bundle whichever the output mode: it is FHIR's JSON either way.
			println!(
				"{}",
				json!({ "resourceType": "Bundle", "type": "collection", "total": entries.len(), "entry": entries })
			);
		},
		Command::Consent(ConsentCommand::Deny {
			patient,
			practitioner,
			organisation,
			categories,
			purposes,
		}) => {
			let grantee = match (practitioner, organisation) {
				(Some(who), _) => Some(Grantee::Practitioner(who)),
				(None, Some(org)) => Some(Grantee::Organisation(org)),
				(None, None) => None,
			};
			let (categories, purposes) = (Categories::of(&categories), Purposes::of(&purposes));
			let added = out
				.waiting(
					"adding the deny rule",
					client.add_deny(
						signer()?,
						patient,
						grantee.as_ref(),
						categories,
						purposes,
						wait,
					),
				)
				.await;
			let (deny_id, submitted) = added?;
			let whom = match &grantee {
				Some(Grantee::Practitioner(who)) => format!("practitioner {who}"),
				Some(Grantee::Organisation(org)) => format!("organisation {org}"),
				None => "everyone".into(),
			};
			out.done(
				format!(
					"deny rule {deny_id} for patient {patient} ({whom}), in block #{}",
					submitted.block_number
				),
				json!({
					"denyId": deny_id,
					"patient": patient,
					"grantee": grantee,
					"categories": categories,
					"purposes": purposes,
					"block": submitted.block_number,
				}),
			);
		},
		Command::Consent(ConsentCommand::RemoveDeny { patient, deny }) => {
			let removed = out
				.waiting(
					"removing the deny rule",
					client.remove_deny(signer()?, patient, deny, wait),
				)
				.await;
			let submitted = removed?;
			out.done(
				format!(
					"deny rule {deny} of patient {patient} removed, in block #{}",
					submitted.block_number
				),
				json!({ "denyId": deny, "patient": patient, "block": submitted.block_number }),
			);
		},
		Command::Consent(ConsentCommand::Revoke { grant }) => {
			let revoked = out.waiting("revoking", client.revoke(signer()?, grant, wait)).await;
			let submitted = revoked?;
			out.done(
				format!("grant {grant} revoked, in block #{}", submitted.block_number),
				json!({ "grantId": grant, "block": submitted.block_number }),
			);
		},
		Command::Consent(ConsentCommand::Check {
			patient,
			accessor,
			category,
			purpose,
			action,
		}) => {
			let decision =
				client.check_access(patient, &accessor, category, purpose, action, None).await?;
			out.done(format!("{decision:?}"), json!(decision));
			if !decision.is_permit() {
				return Err(refused(String::new()));
			}
		},
		Command::Records(RecordsCommand::Anchor { file, patient, category, purpose, locator }) => {
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
		Command::Records(RecordsCommand::Batch { dir, category, max }) => {
			let report =
				batch::run(&client, signer()?, &dir, category, max, wait, out.json).await?;
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
		Command::Records(RecordsCommand::VerifyProof { file, proof }) => {
			let content_hash = fingerprint(&read(&file)?);
			let p = batch::read_proof(&proof)?;
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
		Command::Records(RecordsCommand::Verify { file, record }) => {
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
		Command::Records(RecordsCommand::Provenance { record }) => {
			let Some(anchor) = client.anchor_of(record).await? else {
				return Err(refused(format!("record {record} is not anchored")));
			};
			// FHIR's JSON whichever the output mode.
			println!("{}", fhir::anchor_to_provenance(&anchor));
		},
		Command::Audit(AuditCommand::Export {
			patient,
			format,
			out: file,
			best,
			at,
			scan_unlinked,
		}) => {
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
		Command::Audit(AuditCommand::Verify { export, scan_unlinked, .. }) => {
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
		Command::Audit(AuditCommand::Head { patient }) => {
			let head = client.trail_head(patient, None).await?;
			out.done(
				format!("patient {patient}: {} entries, head {:?}", head.last_seq, head.head),
				json!(head),
			);
		},
	}
	Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
	let cli = match Cli::try_parse() {
		Ok(cli) => cli,
		Err(e) => return usage_error(e),
	};
	match run(cli).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(Failure { code, message }) => {
			if !message.is_empty() {
				eprintln!("medchain: {message}");
			}
			ExitCode::from(code)
		},
	}
}

/// `--help` and `--version` as clap prints them; any other command-line error as one line on
/// stderr, `medchain: <what is wrong> (see medchain … --help)`, exit 2.
fn usage_error(e: clap::Error) -> ExitCode {
	use clap::error::ErrorKind;
	if matches!(
		e.kind(),
		ErrorKind::DisplayHelp
			| ErrorKind::DisplayVersion
			| ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
	) {
		let _ = e.print();
		return ExitCode::from(
			if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand { 2 } else { 0 },
		);
	}
	let text = e.render().to_string();
	let first = text
		.lines()
		.map(str::trim)
		.find(|l| !l.is_empty())
		.unwrap_or("the command line is wrong")
		.trim_start_matches("error: ");
	eprintln!("medchain: {first} (see --help)");
	ExitCode::from(2)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn names_are_the_chain_s_and_an_unknown_one_is_named() {
		assert_eq!(named::<Category>("LabResults"), Ok(Category::LabResults));
		assert_eq!(named::<Action>("Read"), Ok(Action::Read));
		assert_eq!(named::<Purpose>("Gossip"), Err("unknown name \"Gossip\"".to_string()));
	}

	#[test]
	fn the_command_line_parses() {
		use clap::CommandFactory;
		Cli::command().debug_assert();
	}
}
