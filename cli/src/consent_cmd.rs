//! `medchain consent …`: grants (given, imported from FHIR, exported, revoked), denials, and the
//! access decision.

use std::path::PathBuf;

use clap::Subcommand;
use medchain_client::{fhir, AccountId, Client, Keypair, Wait};
use medchain_primitives::{
	Action, Actions, Categories, Category, GrantTerms, Grantee, PatientId, Purpose, Purposes,
};
use serde_json::json;

use crate::{input, named, refused, Failure, Output};

#[derive(Subcommand)]
pub enum ConsentCommand {
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

pub async fn run(
	command: ConsentCommand,
	client: &Client,
	signer: Option<&Keypair>,
	imported: Option<fhir::ConsentGrant>,
	wait: Wait,
	out: &Output,
) -> Result<(), Failure> {
	let signer = || signer.ok_or_else(|| input("no signing key".into()));
	match command {
		ConsentCommand::Grant {
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
		} => {
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
		ConsentCommand::Import { file } => {
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
		ConsentCommand::Export { patient } => {
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
		ConsentCommand::Deny { patient, practitioner, organisation, categories, purposes } => {
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
		ConsentCommand::RemoveDeny { patient, deny } => {
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
		ConsentCommand::Revoke { grant } => {
			let revoked = out.waiting("revoking", client.revoke(signer()?, grant, wait)).await;
			let submitted = revoked?;
			out.done(
				format!("grant {grant} revoked, in block #{}", submitted.block_number),
				json!({ "grantId": grant, "block": submitted.block_number }),
			);
		},
		ConsentCommand::Check { patient, accessor, category, purpose, action } => {
			let decision =
				client.check_access(patient, &accessor, category, purpose, action, None).await?;
			out.done(format!("{decision:?}"), json!(decision));
			if !decision.is_permit() {
				return Err(refused(String::new()));
			}
		},
	}
	Ok(())
}
