//! `medchain`: consent, records and audit jobs from a terminal or a script (docs/cli.md).
//!
//! Exit codes (what scripts rely on): 0 done; 1 the chain refused the transaction (a named
//! error, nothing changed); 2 the command line is wrong; 3 no node answered or an RPC failed;
//! 4 a check said no (access not permitted, bytes that do not match their anchor); 5 bad input
//! (a file, a key).

mod audit_cmd;
mod batch;
mod consent_cmd;
mod fhir_cmd;
mod governance_cmd;
mod records_cmd;

use std::{path::PathBuf, process::ExitCode, time::Duration};

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use medchain_client::{
	audit, fhir,
	keys::{self, KeySource},
	Client, Error, Keypair, Wait,
};
use medchain_primitives::TrailHead;
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
	Consent(consent_cmd::ConsentCommand),
	/// Record anchors: fingerprints of documents kept off chain.
	#[command(subcommand)]
	Records(records_cmd::RecordsCommand),
	/// Audit trails.
	#[command(subcommand)]
	Audit(audit_cmd::AuditCommand),
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

pub(crate) fn read(path: &PathBuf) -> Result<Vec<u8>, Failure> {
	std::fs::read(path).map_err(|e| input(format!("cannot read {}: {e}", path.display())))
}

async fn run(cli: Cli) -> Result<(), Failure> {
	let out = Output { json: cli.json };
	let wait = if cli.finalised { Wait::Finalised } else { Wait::InBlock };
	// The key is read before the node is asked anything: a bad key fails fast.
	let signs = matches!(
		cli.command,
		Command::Consent(
			consent_cmd::ConsentCommand::Grant { .. }
				| consent_cmd::ConsentCommand::Revoke { .. }
				| consent_cmd::ConsentCommand::Import { .. }
				| consent_cmd::ConsentCommand::Deny { .. }
				| consent_cmd::ConsentCommand::RemoveDeny { .. }
		) | Command::Records(
			records_cmd::RecordsCommand::Anchor { .. } | records_cmd::RecordsCommand::Batch { .. }
		) | Command::Fhir { .. }
	) || matches!(&cli.command, Command::Governance(g) if governance_cmd::signs(g));
	// So is a FHIR resource that does not map: refused before anything is asked or submitted.
	let imported = match &cli.command {
		Command::Consent(consent_cmd::ConsentCommand::Import { file }) => {
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
	if let Command::Audit(audit_cmd::AuditCommand::Verify {
		export,
		head: Some(head),
		seq: Some(seq),
		..
	}) = &cli.command
	{
		let read = audit_cmd::read_export(export)?;
		let trusted = TrailHead { last_seq: *seq, head: *head, last_block: 0 };
		return audit_cmd::verified(
			&out,
			export,
			&read,
			audit::verify(&read, &trusted),
			"the given head",
		);
	}
	let signer = if signs { Some(cli.key.load()?) } else { None };
	let signer = || signer.as_ref().ok_or_else(|| input("no signing key".into()));
	let connecting = out.spinner(&format!("connecting to {}", cli.url));
	let client = Client::connect(&cli.url).await;
	connecting.finish_and_clear();
	let client = client?;
	match cli.command {
		Command::Consent(command) => {
			return consent_cmd::run(command, &client, signer().ok(), imported, wait, &out).await;
		},
		Command::Records(command) => {
			return records_cmd::run(command, &client, signer().ok(), wait, &out).await;
		},
		Command::Audit(command) => return audit_cmd::run(command, &client, &out).await,
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
	use medchain_primitives::{Action, Category, Purpose};

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
