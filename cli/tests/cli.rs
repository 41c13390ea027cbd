//! `medchain` (the binary) against a real dev node: each subcommand's success, with the chain's
//! state checked afterwards through the client, and the mistakes a user makes, with the exact
//! message and exit code.

use std::process::{Command, Output};

use medchain_client::{audit, keys, testing::DevNode, AccountId, Keypair, Wait};
use medchain_primitives::{
	audit::AuditAction, Action, Category, Decision, DenyReason, Hash32, Purpose,
};
use serde_json::Value;

fn key(secret: &str) -> Keypair {
	keys::from_secret(secret).expect("a dev key")
}

fn account(key: &Keypair) -> AccountId {
	key.public_key().into()
}

/// Runs `medchain --url URL ARGS…`, the key (if any) in $MEDCHAIN_TEST_KEY.
fn medchain(url: &str, key: Option<&str>, args: &[&str]) -> Output {
	let mut command = Command::new(env!("CARGO_BIN_EXE_medchain"));
	command.arg("--url").arg(url).args(args).env_remove("MEDCHAIN_URL");
	match key {
		Some(secret) => command.env("MEDCHAIN_TEST_KEY", secret),
		None => command.env_remove("MEDCHAIN_TEST_KEY"),
	};
	command.output().expect("the medchain binary runs")
}

fn json(output: &Output) -> Value {
	assert!(output.status.success(), "failed: {}", String::from_utf8_lossy(&output.stderr));
	serde_json::from_slice(&output.stdout).expect("--json prints one JSON document")
}

fn stderr(output: &Output) -> String {
	String::from_utf8_lossy(&output.stderr).trim_end().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_subcommand_against_a_dev_node() {
	let node = DevNode::start().await;
	let client = node.client().await.expect("connects");
	let url = node.url.as_str();
	let patient_secret = format!("//cli-test-{}", std::process::id());
	let patient_key = key(&patient_secret);
	let (patient, _) = client
		.enrol_patient(&key("//Eve"), &account(&patient_key), Hash32::repeat_byte(3), Wait::InBlock)
		.await
		.expect("Eve enrols a patient");
	let patient_arg = patient.to_string();
	let ferdie = account(&key("//Ferdie")).to_string();

	// chain status
	let status = json(&medchain(url, None, &["--json", "chain", "status"]));
	assert_eq!(status["chain"], "medchain development");
	assert!(status["best"].as_u64() >= Some(1), "{status}");

	// consent grant, signed by the patient; the chain then permits the lab.
	let granted = json(&medchain(
		url,
		Some(&patient_secret),
		&[
			"--json",
			"--key-env",
			"MEDCHAIN_TEST_KEY",
			"consent",
			"grant",
			"--patient",
			&patient_arg,
			"--practitioner",
			&ferdie,
			"--categories",
			"LabResults",
			"--purposes",
			"Treatment",
			"--actions",
			"Append,Read",
			"--days",
			"1",
		],
	));
	let grant_id = granted["grantId"].as_u64().expect("a grant id");
	// The chain's decision on //Ferdie doing `action` on `category` for treatment.
	let ferdie_decision = |category: Category, action: Action| {
		let client = &client;
		async move {
			client
				.check_access(
					patient,
					&account(&key("//Ferdie")),
					category,
					Purpose::Treatment,
					action,
					None,
				)
				.await
				.expect("checkAccess")
		}
	};
	let decision = ferdie_decision(Category::LabResults, Action::Append).await;
	assert!(
		matches!(decision, Decision::Permit { grant_id: g, .. } if g == grant_id),
		"{decision:?}"
	);

	// consent import: a FHIR Consent becomes the grant it says; one that does not map is refused
	// with its JSON path, and nothing is submitted.
	let dir = std::env::temp_dir().join(format!("medchain-cli-test-{}", std::process::id()));
	std::fs::create_dir_all(&dir).expect("a temp dir");
	let now_ms = client.now().await.expect("the chain's clock");
	let instant =
		|ms: u64| chrono::DateTime::from_timestamp_millis(ms as i64).expect("a time").to_rfc3339();
	let (start, end) = (instant(now_ms), instant(now_ms + 30 * 24 * 60 * 60 * 1000));
	let consent = |purpose: &str| {
		serde_json::json!({
			"resourceType": "Consent",
			"status": "active",
			"patient": { "identifier": { "system": "urn:medchain:patient", "value": patient_arg } },
			"provision": {
				"type": "permit",
				"period": { "start": start, "end": end },
				"actor": [{ "reference": { "identifier": { "system": "urn:medchain:account", "value": ferdie } } }],
				"action": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/consentaction", "code": "access" }] }],
				"purpose": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": purpose }],
				"class": [{ "system": "urn:medchain:category", "code": "Imaging" }]
			}
		})
	};
	let consent_file = dir.join("consent.json");
	let import = |resource: serde_json::Value| {
		std::fs::write(&consent_file, resource.to_string()).expect("writes");
		medchain(
			url,
			Some(&patient_secret),
			&[
				"--json",
				"--key-env",
				"MEDCHAIN_TEST_KEY",
				"consent",
				"import",
				consent_file.to_str().expect("UTF-8"),
			],
		)
	};
	let bad = import(consent("GOSSIP"));
	assert_eq!(bad.status.code(), Some(5));
	assert_eq!(
		stderr(&bad),
		format!(
			"medchain: {}: $.provision.purpose[0].code: unknown code \"GOSSIP\"",
			consent_file.display()
		)
	);
	assert_eq!(client.grants_of(patient).await.expect("grants").len(), 1, "nothing was submitted");
	let imported = json(&import(consent("TREAT")));
	let imported_id = imported["grantId"].as_u64().expect("a grant id");
	let decision = ferdie_decision(Category::Imaging, Action::Read).await;
	assert!(
		matches!(decision, Decision::Permit { grant_id: g, .. } if g == imported_id),
		"{decision:?}"
	);

	// consent export: the patient's grants as a Bundle of Consents, the imported one among them.
	let bundle = json(&medchain(url, None, &["consent", "export", "--patient", &patient_arg]));
	assert_eq!(bundle["resourceType"], "Bundle");
	assert_eq!(bundle["total"], 2);
	let exported = &bundle["entry"][1]["resource"];
	assert_eq!(exported["id"], format!("grant-{imported_id}"));
	assert_eq!(exported["status"], "active");
	assert_eq!(exported["provision"]["class"][0]["code"], "Imaging");
	assert_eq!(exported["provision"]["purpose"][0]["code"], "TREAT");

	// consent check: exit 0 when permitted, 4 when not.
	let check = |action: &str| {
		medchain(
			url,
			None,
			&[
				"--json",
				"consent",
				"check",
				"--patient",
				&patient_arg,
				"--accessor",
				&ferdie,
				"--category",
				"LabResults",
				"--purpose",
				"Treatment",
				"--action",
				action,
			],
		)
	};
	assert_eq!(check("Append").status.code(), Some(0));
	assert_eq!(check("Share").status.code(), Some(4));

	// records anchor, then verify: the same bytes match, changed bytes do not.
	let file = dir.join("observation.json.enc");
	std::fs::write(&file, b"ciphertext of an Observation").expect("writes");
	let file_arg = file.to_str().expect("a UTF-8 path");
	let locator = format!("0x{}", "ab".repeat(32));
	// //Ferdie anchors the file for a patient (`--json`: machine output).
	let anchor = |patient: &str, json: bool| {
		let mut args = if json { vec!["--json"] } else { vec![] };
		args.extend(["--key-env", "MEDCHAIN_TEST_KEY", "records", "anchor", file_arg]);
		args.extend(["--patient", patient, "--category", "LabResults", "--locator", &locator]);
		medchain(url, Some("//Ferdie"), &args)
	};
	let anchored = json(&anchor(&patient_arg, true));
	let record = anchored["recordId"].as_u64().expect("a record id");
	let expected_hash =
		format!("{:?}", medchain_client::fingerprint(b"ciphertext of an Observation"));
	assert_eq!(anchored["contentHash"], expected_hash);
	let record_arg = record.to_string();
	let verified = json(&medchain(
		url,
		None,
		&["--json", "records", "verify", file_arg, "--record", &record_arg],
	));
	assert_eq!(verified, serde_json::json!({ "Matches": { "status": "Current" } }));
	std::fs::write(&file, b"ciphertext of an Observation, changed").expect("writes");
	let changed = medchain(url, None, &["records", "verify", file_arg, "--record", &record_arg]);
	assert_eq!(changed.status.code(), Some(4));
	assert_eq!(
		stderr(&changed),
		format!(
			"medchain: {file_arg} does not match record {record}: it changed since it was anchored"
		)
	);

	// records batch: five documents, at most two a batch: three batches, a proof next to each.
	let batch_dir = dir.join("batch");
	std::fs::create_dir_all(&batch_dir).expect("a batch dir");
	let document = |i: usize| batch_dir.join(format!("doc-{i}.enc"));
	for i in 0..5 {
		std::fs::write(document(i), format!("ciphertext {i}")).expect("writes");
	}
	let batch_arg = batch_dir.to_str().expect("UTF-8").to_string();
	let run_batch = || {
		json(&medchain(
			url,
			Some("//Ferdie"),
			&[
				"--json",
				"--key-env",
				"MEDCHAIN_TEST_KEY",
				"records",
				"batch",
				&batch_arg,
				"--category",
				"LabResults",
				"--max",
				"2",
			],
		))
	};
	let report = run_batch();
	assert_eq!(
		(report["anchored"].as_u64(), report["batches"].as_array().map(Vec::len)),
		(Some(5), Some(3)),
		"{report}"
	);
	// Run again: nothing to do.
	let again = run_batch();
	assert_eq!(
		(again["anchored"].as_u64(), again["skipped"].as_u64()),
		(Some(0), Some(5)),
		"{again}"
	);
	// verify-proof: confirmed; a changed file, and a proof for another batch, are not.
	let proof_of = |i: usize| format!("{}.proof.json", document(i).display());
	let verify_proof = |i: usize, proof: &str| {
		medchain(
			url,
			None,
			&["records", "verify-proof", document(i).to_str().expect("UTF-8"), proof],
		)
	};
	assert_eq!(verify_proof(0, &proof_of(0)).status.code(), Some(0));
	let mut other: serde_json::Value =
		serde_json::from_slice(&std::fs::read(proof_of(0)).expect("a proof")).expect("JSON");
	other["batchId"] = (other["batchId"].as_u64().expect("an id") + 2).into();
	let other_path = dir.join("other.proof.json");
	std::fs::write(&other_path, other.to_string()).expect("writes");
	let wrong = verify_proof(0, other_path.to_str().expect("UTF-8"));
	assert_eq!(wrong.status.code(), Some(4));
	assert!(stderr(&wrong).ends_with("the proof is for another root"), "{}", stderr(&wrong));
	std::fs::write(document(1), "ciphertext 1, changed").expect("writes");
	let changed = verify_proof(1, &proof_of(1));
	assert_eq!(changed.status.code(), Some(4));
	assert!(stderr(&changed).ends_with("it changed since it was anchored"), "{}", stderr(&changed));

	// An interrupted run: its batch was submitted and anchored, its proofs not written. The
	// next run finds the batch on chain and writes them: nothing is anchored twice or missed.
	for i in 5..7 {
		std::fs::write(document(i), format!("ciphertext {i}")).expect("writes");
	}
	let hashes: Vec<Hash32> = (5..7)
		.map(|i| medchain_client::fingerprint(&std::fs::read(document(i)).expect("reads")))
		.collect();
	let root = medchain_client::batch::root(&hashes).expect("a root");
	let next = client.next_batch_id().await.expect("next batch id");
	let state = serde_json::json!({
		"merkleRoot": root, "category": "LabResults", "nextBatchId": next,
		"documents": [document(5), document(6)], "hashes": hashes,
	});
	std::fs::write(batch_dir.join(".medchain-batch.json"), state.to_string()).expect("writes");
	let (interrupted, _, _) = client
		.anchor_batch(&key("//Ferdie"), root, 2, Category::LabResults, Wait::InBlock)
		.await
		.expect("the interrupted run's batch");
	let resumed = run_batch();
	assert_eq!(resumed["resumed"].as_u64(), Some(2), "{resumed}");
	assert_eq!(resumed["anchored"].as_u64(), Some(0), "{resumed}");
	// The resumed documents are counted once: as resumed, not again as skipped (code review
	// 2026-12: they were counted twice).
	let total = std::fs::read_dir(&batch_dir)
		.expect("the folder")
		.filter_map(Result::ok)
		.filter(|e| {
			let name = e.file_name().to_string_lossy().into_owned();
			!name.ends_with(".proof.json") && !name.starts_with('.')
		})
		.count() as u64;
	assert_eq!(
		resumed["resumed"].as_u64().unwrap_or(0) + resumed["skipped"].as_u64().unwrap_or(0),
		total,
		"{resumed}"
	);
	assert_eq!(resumed["batches"], serde_json::json!([interrupted]));
	assert_eq!(
		client.next_batch_id().await.expect("next batch id"),
		interrupted + 1,
		"nothing anchored twice"
	);
	assert_eq!(verify_proof(6, &proof_of(6)).status.code(), Some(0));

	// audit head: the enrolment, the grant and the anchor are on the patient's trail.
	let head = json(&medchain(url, None, &["--json", "audit", "head", "--patient", &patient_arg]));
	assert!(head["lastSeq"].as_u64() >= Some(3), "{head}");

	// consent revoke; the check now says no. Revoking again: the pallet's error, exit 1.
	let grant_arg = grant_id.to_string();
	let revoke = || {
		medchain(
			url,
			Some(&patient_secret),
			&["--key-env", "MEDCHAIN_TEST_KEY", "consent", "revoke", "--grant", &grant_arg],
		)
	};
	assert!(revoke().status.success());
	assert_eq!(check("Append").status.code(), Some(4));
	// consent export still lists the revoked grant, as inactive (docs/cli.md promises it).
	let after = json(&medchain(url, None, &["consent", "export", "--patient", &patient_arg]));
	let statuses: Vec<(String, String)> = after["entry"]
		.as_array()
		.expect("entries")
		.iter()
		.map(|e| {
			let r = &e["resource"];
			(
				r["id"].as_str().unwrap_or("").to_owned(),
				r["status"].as_str().unwrap_or("").to_owned(),
			)
		})
		.collect();
	assert!(statuses.contains(&(format!("grant-{grant_id}"), "inactive".into())), "{statuses:?}");
	let again = revoke();
	assert_eq!(again.status.code(), Some(1));
	assert!(stderr(&again).starts_with("medchain: consent.AlreadyRevoked: "), "{}", stderr(&again));

	// consent deny: a rule no grant overrides; remove-deny lifts it.
	let deny = json(&medchain(
		url,
		Some(&patient_secret),
		&[
			"--json",
			"--key-env",
			"MEDCHAIN_TEST_KEY",
			"consent",
			"deny",
			"--patient",
			&patient_arg,
			"--practitioner",
			&ferdie,
			"--categories",
			"Imaging",
			"--purposes",
			"Treatment",
		],
	));
	let deny_id = deny["denyId"].as_u64().expect("a deny id").to_string();
	assert_eq!(
		ferdie_decision(Category::Imaging, Action::Read).await,
		Decision::Deny(DenyReason::DeniedByPatient)
	);
	let remove_deny = || {
		medchain(
			url,
			Some(&patient_secret),
			&[
				"--key-env",
				"MEDCHAIN_TEST_KEY",
				"consent",
				"remove-deny",
				"--patient",
				&patient_arg,
				"--deny",
				&deny_id,
			],
		)
	};
	let removed = remove_deny();
	assert!(removed.status.success(), "{}", stderr(&removed));
	let decision = ferdie_decision(Category::Imaging, Action::Read).await;
	assert!(matches!(decision, Decision::Permit { .. }), "{decision:?}");
	let again = remove_deny();
	assert_eq!(again.status.code(), Some(1));
	assert!(
		stderr(&again).starts_with("medchain: consent.UnknownDenyRule: "),
		"{}",
		stderr(&again)
	);

	// records provenance: the anchor as a FHIR Provenance, the same anchor when read back.
	let provenance =
		json(&medchain(url, None, &["records", "provenance", "--record", &record_arg]));
	assert_eq!(provenance["resourceType"], "Provenance");
	assert_eq!(provenance["target"][0]["identifier"]["value"], record_arg);
	let anchor_state = client.anchor_of(record).await.expect("reads").expect("anchored");
	assert_eq!(medchain_client::fhir::provenance_to_anchor(&provenance), Ok(anchor_state));
	let none = medchain(url, None, &["records", "provenance", "--record", "999999"]);
	assert_eq!(none.status.code(), Some(4));
	assert_eq!(stderr(&none), "medchain: record 999999 is not anchored");

	// audit export: every entry of the trail, read from the blocks that hold them, proved
	// complete; the head it ends at is the chain's at the export's block.
	let trail_file = dir.join("trail.ndjson");
	let trail_arg = trail_file.to_str().expect("UTF-8").to_string();
	let exported = json(&medchain(
		url,
		None,
		&["--json", "audit", "export", "--patient", &patient_arg, "--best", "--out", &trail_arg],
	));
	let text = std::fs::read_to_string(&trail_file).expect("the export");
	let export = audit::from_ndjson(&text).expect("reads");
	assert_eq!(exported["entries"].as_u64(), Some(export.entries.len() as u64));
	let blocks: std::collections::BTreeSet<u32> = export.entries.iter().map(|e| e.block).collect();
	assert_eq!(exported["blocksRead"].as_u64(), Some(blocks.len() as u64), "only those blocks");
	assert_eq!(
		client.trail_head(patient, Some(export.header.block_hash)).await.expect("head"),
		export.header.trail
	);
	let actions: Vec<AuditAction> = export.entries.iter().map(|e| e.entry.event.action).collect();
	use AuditAction::*;
	assert_eq!(
		actions,
		[
			PatientEnrolled,
			ConsentGranted,
			ConsentGranted,
			RecordAnchored,
			ConsentRevoked,
			DenyAdded,
			DenyRemoved
		],
		"{text}"
	);

	// audit verify: against the chain, and offline against the head `audit head` gives.
	let verify = |file: &str, offline: bool| {
		let (head, seq) =
			(format!("{:?}", export.header.trail.head), export.header.trail.last_seq.to_string());
		let mut args = vec!["audit", "verify", file];
		if offline {
			args.extend(["--head", head.as_str(), "--seq", seq.as_str()]);
		}
		medchain(url, None, &args)
	};
	let block = export.header.block;
	let ok = verify(&trail_arg, false);
	assert!(ok.status.success(), "{}", stderr(&ok));
	assert_eq!(
		String::from_utf8_lossy(&ok.stdout).trim_end(),
		format!(
			"{trail_arg}: patient {patient}, {} entries, verified against the chain's trail head at block #{block}",
			export.entries.len()
		)
	);
	assert!(verify(&trail_arg, true).status.success());
	// One byte flipped (a digit of entry 2's time): both checks fail, naming entry 2.
	let line_start: usize = text.lines().take(2).map(|l| l.len() + 1).sum();
	let at = line_start + text[line_start..].find("\"at\":").expect("a time") + 5;
	let mut bytes = text.clone().into_bytes();
	bytes[at] = if bytes[at] == b'9' { b'8' } else { bytes[at] + 1 };
	let flipped_file = dir.join("flipped.ndjson");
	std::fs::write(&flipped_file, &bytes).expect("writes");
	let flipped_arg = flipped_file.to_str().expect("UTF-8");
	let against_chain = verify(flipped_arg, false);
	assert_eq!(against_chain.status.code(), Some(4));
	assert_eq!(
		stderr(&against_chain),
		format!("medchain: {flipped_arg}: does not verify against the chain's trail head at block #{block}: entry 2 diverges: its rebuilt hash is not the one the chain recorded with it")
	);
	let offline = verify(flipped_arg, true);
	assert_eq!(offline.status.code(), Some(4));
	assert_eq!(
		stderr(&offline),
		format!("medchain: {flipped_arg}: does not verify against the given head: entry 2 diverges: its rebuilt hash is not the one the chain recorded with it")
	);
	// The FHIR Bundle of AuditEvents verifies as the NDJSON does.
	let bundle_file = dir.join("trail.fhir.json");
	let bundle_arg = bundle_file.to_str().expect("UTF-8").to_string();
	let fhir_export = medchain(
		url,
		None,
		&[
			"audit",
			"export",
			"--patient",
			&patient_arg,
			"--format",
			"fhir",
			"--best",
			"--out",
			&bundle_arg,
		],
	);
	assert!(fhir_export.status.success(), "{}", stderr(&fhir_export));
	let bundle: serde_json::Value =
		serde_json::from_slice(&std::fs::read(&bundle_file).expect("the bundle")).expect("JSON");
	assert_eq!(bundle["entry"][0]["resource"]["resourceType"], "AuditEvent");
	assert_eq!(bundle["entry"][0]["resource"]["id"], format!("patient-{patient}-entry-1"));
	assert!(verify(&bundle_arg, false).status.success());
	// Not an export: named, exit 5.
	let not_export = verify(consent_file.to_str().expect("UTF-8"), true);
	assert_eq!(not_export.status.code(), Some(5));
	assert!(
		stderr(&not_export).contains("$.resourceType: \"Consent\" is not \"Bundle\""),
		"{}",
		stderr(&not_export)
	);

	// Mistakes: no key, an unknown patient, an unknown category.
	let no_key = medchain(url, None, &["consent", "revoke", "--grant", "1"]);
	assert_eq!(no_key.status.code(), Some(5));
	assert_eq!(
		stderr(&no_key),
		"medchain: this command signs a transaction: give the key with --key-file, --key-env or --key-stdin"
	);
	let unknown = anchor("999999", false);
	assert_eq!(unknown.status.code(), Some(1));
	assert!(
		stderr(&unknown).starts_with("medchain: records.UnknownPatient: "),
		"{}",
		stderr(&unknown)
	);
	let bad_name = medchain(
		url,
		None,
		&[
			"consent",
			"check",
			"--patient",
			"0",
			"--accessor",
			&ferdie,
			"--category",
			"Gossip",
			"--purpose",
			"Treatment",
			"--action",
			"Read",
		],
	);
	assert_eq!(bad_name.status.code(), Some(2));
	assert!(stderr(&bad_name).contains("unknown name \"Gossip\""), "{}", stderr(&bad_name));
	// A command-line mistake is one line on stderr (clap's usage block is not printed).
	for wrong in
		[&["consent", "check", "--patient"][..], &["records", "frobnicate"][..], &["--nope"][..]]
	{
		let out = medchain(url, None, wrong);
		assert_eq!(out.status.code(), Some(2), "{wrong:?}");
		let err = stderr(&out);
		assert!(
			err.starts_with("medchain: ") && err.trim_end().lines().count() == 1,
			"{wrong:?}: {err}"
		);
	}
	std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_node_that_is_not_there_exits_3() {
	let port = medchain_client::testing::free_port();
	let url = format!("ws://127.0.0.1:{port}");
	let output = medchain(&url, None, &["chain", "status"]);
	assert_eq!(output.status.code(), Some(3));
	assert!(
		stderr(&output).starts_with(&format!("medchain: cannot reach a medchain node at {url}: ")),
		"{}",
		stderr(&output)
	);
}
