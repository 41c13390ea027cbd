//! `medchain fhir …` (the binary) against a real gateway and dev node: a lab result written,
//! read, searched and deleted from a terminal, and the exit codes a script relies on (docs/cli.md,
//! "FHIR through a gateway").

use std::{
	process::{Command, Output},
	sync::Arc,
};

use medchain_client::{keys, testing::DevNode, AccountId, Keypair, Wait};
use medchain_gateway::{envelope::LocalKek, server, Config};
use medchain_primitives::{
	Action, Actions, Categories, Category, GrantTerms, Grantee, Purpose, Purposes,
};
use serde_json::{json, Value};

fn key(secret: &str) -> Keypair {
	keys::from_secret(secret).expect("a dev key")
}

/// `medchain --url URL --json --key-env MEDCHAIN_TEST_KEY fhir --gateway GATEWAY ARGS…`,
/// signed by `signer`.
fn fhir(url: &str, gateway: &str, signer: &str, args: &[&str]) -> Output {
	Command::new(env!("CARGO_BIN_EXE_medchain"))
		.args(["--url", url, "--json", "--key-env", "MEDCHAIN_TEST_KEY", "fhir", "--gateway"])
		.arg(gateway)
		.args(args)
		.env("MEDCHAIN_TEST_KEY", signer)
		.env_remove("MEDCHAIN_URL")
		.env_remove("MEDCHAIN_GATEWAY")
		.output()
		.expect("the medchain binary runs")
}

/// What the gateway answered (the `--json` document), the command having succeeded.
fn answered(output: &Output) -> Value {
	assert!(output.status.success(), "failed: {}", String::from_utf8_lossy(&output.stderr));
	serde_json::from_slice(&output.stdout).expect("--json prints one JSON document")
}

fn stderr(output: &Output) -> String {
	String::from_utf8_lossy(&output.stderr).trim_end().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_result_written_read_searched_and_deleted_from_a_terminal() {
	let node = DevNode::start().await;
	let chain = node.client().await.expect("the node answers");
	let url = node.url.as_str();
	// //One (patient 0) lets //Eve read and add lab results for treatment.
	let now = chain.now().await.expect("a clock");
	let terms = GrantTerms {
		grantee: Grantee::Practitioner(AccountId::from(key("//Eve").public_key())),
		categories: Category::LabResults.into(),
		purposes: Purposes::NONE.union(Purpose::Treatment.into()),
		actions: Actions::NONE.union(Action::Read.into()).union(Action::Append.into()),
		valid_from: now,
		valid_until: Some(now + 86_400_000),
	};
	chain
		.grant(&key("//One"), 0, &terms, Categories::NONE, Wait::InBlock)
		.await
		.expect("granted");

	let dir = std::env::temp_dir().join(format!("medchain-cli-fhir-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).expect("a directory");
	let config = Config {
		listen: "127.0.0.1:0".parse().expect("an address"),
		node: node.url.clone(),
		database: format!("sqlite://{}?mode=rwc", dir.join("gw.db").display()),
		write_ack_timeout_ms: 30_000,
		outbox_interval_ms: 100,
		..Config::default()
	};
	let gateway = server::start(
		config,
		Arc::new(LocalKek::new("cli-test", &[9; 32])),
		vec![key("//Alice//stash")],
		true,
	)
	.await
	.expect("the gateway starts");
	let base = gateway.base();
	let file = dir.join("glucose.json");
	let glucose = json!({
		"resourceType": "Observation",
		"status": "final",
		"category": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory" }] }],
		"code": { "coding": [{ "system": "http://loinc.org", "code": "2345-7", "display": "Glucose" }] },
		"subject": { "identifier": { "system": "urn:medchain:patient", "value": "0" } },
		"effectiveDateTime": "2026-12-06T09:30:00Z",
		"valueQuantity": { "value": 5.4, "unit": "mmol/L" },
	});
	std::fs::write(&file, glucose.to_string()).expect("the resource file");
	let file = file.to_str().expect("UTF-8");

	// Written in //Eve's name, acknowledged once anchored.
	let created = answered(&fhir(url, &base, "//Eve", &["create", file, "--purpose", "Treatment"]));
	assert_eq!(created["status"], 201, "{created}");
	let id = created["body"]["id"].as_str().expect("the new resource's id").to_owned();

	let read = ["read", "Observation", id.as_str(), "--patient", "0", "--purpose", "Treatment"];
	let got = answered(&fhir(url, &base, "//Eve", &read));
	assert_eq!(got["status"], 200, "{got}");
	assert_eq!(got["body"]["valueQuantity"]["value"], 5.4);

	let found = answered(&fhir(
		url,
		&base,
		"//Eve",
		&[
			"search",
			"Observation",
			"--patient",
			"0",
			"--purpose",
			"Treatment",
			"--date",
			"ge2026-12-01",
		],
	));
	assert_eq!(found["status"], 200, "{found}");
	let ids: Vec<&str> = found["body"]["entry"]
		.as_array()
		.expect("a searchset")
		.iter()
		.filter_map(|e| e["resource"]["id"].as_str())
		.collect();
	assert_eq!(ids, vec![id.as_str()]);

	// A practitioner without a grant is refused: exit 4, the chain's words.
	let refused = fhir(url, &base, "//Ferdie", &read);
	assert_eq!(refused.status.code(), Some(4), "{}", stderr(&refused));
	assert!(
		stderr(&refused).starts_with("medchain: the gateway answered 403"),
		"{}",
		stderr(&refused)
	);
	// A resource type the gateway does not hold is refused by clap, before anything is sent.
	let unknown = fhir(
		url,
		&base,
		"//Eve",
		&["read", "Patient", &id, "--patient", "0", "--purpose", "Treatment"],
	);
	assert_eq!(unknown.status.code(), Some(2), "{}", stderr(&unknown));

	// Deleted: erased on chain, its keys destroyed; reading it again is 410 Gone, exit 4.
	let deleted =
		answered(&fhir(url, &base, "//Eve", &["delete", "Observation", &id, "--patient", "0"]));
	assert_eq!(deleted["status"], 204, "{deleted}");
	let gone = fhir(url, &base, "//Eve", &read);
	assert_eq!(gone.status.code(), Some(4), "{}", stderr(&gone));
	assert!(stderr(&gone).starts_with("medchain: the gateway answered 410"), "{}", stderr(&gone));

	gateway.shutdown().await;
	let _ = std::fs::remove_dir_all(&dir);
}
