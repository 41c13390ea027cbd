//! `medchain fhir …`: a gateway's FHIR API from a terminal, every request signed with the
//! caller's key (docs/cli.md, "FHIR through a gateway").

use std::path::PathBuf;

use clap::Subcommand;
use medchain_client::{
	gateway::{records_in, Answer, GatewayClient},
	Client, Keypair,
};
use medchain_primitives::{Hash32, PatientId, Purpose};

use crate::{input, named, Failure, Output};

#[derive(Subcommand)]
pub enum FhirCommand {
	/// Create a resource from a FHIR R4 JSON file (anchored in the signer's name).
	Create {
		file: PathBuf,
		/// The purpose of use (`Treatment` …).
		#[arg(long, value_parser = named::<Purpose>)]
		purpose: Purpose,
	},
	/// Read a resource (the current version, or --version).
	Read {
		/// The resource type (`Observation` …).
		#[arg(value_parser = clap::builder::PossibleValuesParser::new(medchain_client::fhir::resources::RESOURCE_TYPES))]
		resource_type: String,
		id: String,
		/// Whose it is (the ticket names the patient).
		#[arg(long)]
		patient: PatientId,
		#[arg(long, value_parser = named::<Purpose>)]
		purpose: Purpose,
		#[arg(long)]
		version: Option<u32>,
		/// Rely on the signer's open emergency access (purpose Emergency).
		#[arg(long)]
		break_glass: bool,
	},
	/// A patient's resources of a type the signer may see.
	Search {
		#[arg(value_parser = clap::builder::PossibleValuesParser::new(medchain_client::fhir::resources::RESOURCE_TYPES))]
		resource_type: String,
		#[arg(long)]
		patient: PatientId,
		#[arg(long, value_parser = named::<Purpose>)]
		purpose: Purpose,
		/// FHIR date parameters (`ge2026-01-01`, `lt2027`), repeatable.
		#[arg(long)]
		date: Vec<String>,
		#[arg(long)]
		break_glass: bool,
	},
	/// Erase a resource: every anchored version erased on chain, its data keys destroyed.
	Delete {
		#[arg(value_parser = clap::builder::PossibleValuesParser::new(medchain_client::fhir::resources::RESOURCE_TYPES))]
		resource_type: String,
		id: String,
		/// Whose it is (to read its history, which names its records).
		#[arg(long)]
		patient: PatientId,
		#[arg(long, value_parser = named::<Purpose>, default_value = "Treatment")]
		purpose: Purpose,
	},
}

/// What the gateway answered, as an exit code: 2xx 0, 403/404/410 4 (the answer is no), 409
/// and 429/503 3 (not now), 400/401/413/422 5 (fix the request), anything else 1.
fn exit_of(answer: &Answer) -> Result<(), Failure> {
	let code = match answer.status {
		200..=299 => return Ok(()),
		403 | 404 | 410 => 4,
		409 | 429 | 503 => 3,
		400 | 401 | 412 | 413 | 422 => 5,
		_ => 1,
	};
	Err(Failure {
		code,
		message: format!("the gateway answered {}: {}", answer.status, answer.diagnostics()),
	})
}

fn print(out: &Output, answer: &Answer) {
	let pretty = serde_json::to_string_pretty(&answer.body).unwrap_or_default();
	if out.json {
		println!(
			"{}",
			serde_json::json!({ "status": answer.status, "location": answer.location, "body": answer.body })
		);
	} else {
		if let Some(location) = &answer.location {
			eprintln!("{} {location}", answer.status);
		}
		println!("{pretty}");
	}
}

pub async fn run(
	command: FhirCommand,
	gateway: &str,
	client: &Client,
	signer: Keypair,
	out: &Output,
) -> Result<(), Failure> {
	let genesis = Hash32::from(client.genesis_hash().0);
	let g = GatewayClient::new(gateway, signer, genesis)?;
	let answer = match command {
		FhirCommand::Create { file, purpose } => {
			let bytes =
				std::fs::read(&file).map_err(|e| input(format!("{}: {e}", file.display())))?;
			let resource: serde_json::Value = serde_json::from_slice(&bytes)
				.map_err(|e| input(format!("{}: not JSON: {e}", file.display())))?;
			g.create(&resource, purpose).await?
		},
		FhirCommand::Read { resource_type, id, patient, purpose, version, break_glass } => {
			g.read(&resource_type, &id, version, patient, purpose, break_glass).await?
		},
		FhirCommand::Search { resource_type, patient, purpose, date, break_glass } => {
			g.search(&resource_type, patient, purpose, &date, break_glass).await?
		},
		FhirCommand::Delete { resource_type, id, patient, purpose } => {
			let history = g.send_history(&resource_type, &id, patient, purpose).await?;
			exit_of(&history)?;
			let records = records_in(&history.body);
			g.delete(&resource_type, &id, &records).await?
		},
	};
	print(out, &answer);
	exit_of(&answer)
}
