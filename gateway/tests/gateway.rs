//! The gateway through its HTTP API, against a dev node: reads decided by the chain and put on
//! the trail in the reader's name, writes anchored in the writer's name, tampering never
//! served, erasure, exactly-once reporting across crashes, failing closed without the chain,
//! and bad input refused with nothing stored.
//!
//! The database is SQLite, or PostgreSQL when `MEDCHAIN_TEST_POSTGRES_URL` names a server
//! (scripts/test.sh starts one and runs this file on both). One dev node is shared by the
//! tests of this file, each working on its own patient data and gateway.

use std::{sync::Arc, time::Duration};

use medchain_client::{
	gateway::{records_in, GatewayClient},
	keys, runtime,
	testing::DevNode,
	AccountId, Client, Keypair, Wait,
};
use medchain_gateway::{
	envelope::LocalKek,
	server::{self, Running},
	Config,
};
use medchain_primitives::{
	Action, Actions, Categories, Category, GrantTerms, Grantee, Hash32, PatientId, Purpose,
	Purposes, RecordStatus,
};
use serde_json::{json, Value};
use tokio::sync::OnceCell;

/// Patient //One (id 0, enrolled by the hospital).
const ONE: PatientId = 0;
const HOSPITAL: u32 = 0;
const INSURER: u32 = 2;

static NODE: OnceCell<DevNode> = OnceCell::const_new();

async fn node() -> &'static DevNode {
	NODE.get_or_init(|| async {
		let dir =
			std::env::temp_dir().join(format!("medchain-gateway-test-node-{}", std::process::id()));
		DevNode::start_at(dir).await
	})
	.await
}

fn key(uri: &str) -> Keypair {
	keys::from_secret(uri).expect("a dev key")
}

fn account(k: &Keypair) -> AccountId {
	AccountId::from(k.public_key())
}

/// A fresh database: a temporary SQLite file, or a fresh PostgreSQL schema-less database.
async fn database(name: &str) -> String {
	match std::env::var("MEDCHAIN_TEST_POSTGRES_URL") {
		Ok(admin) => {
			let db = format!("gw_{}_{}", name.replace('-', "_"), std::process::id());
			let pool = sqlx::postgres::PgPool::connect(&admin)
				.await
				.expect("the test PostgreSQL answers");
			sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {db}")))
				.execute(&pool)
				.await
				.expect("drop");
			sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
				.execute(&pool)
				.await
				.expect("create");
			let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
			format!("{base}/{db}")
		},
		Err(_) => {
			let path =
				std::env::temp_dir().join(format!("medchain-gw-{name}-{}.db", std::process::id()));
			let _ = std::fs::remove_file(&path);
			format!("sqlite://{}?mode=rwc", path.display())
		},
	}
}

fn config(node: &str, database: String) -> Config {
	Config {
		listen: "127.0.0.1:0".parse().expect("an address"),
		node: node.into(),
		database,
		write_ack_timeout_ms: 30_000,
		outbox_interval_ms: 100,
		..Config::default()
	}
}

fn kek() -> Arc<LocalKek> {
	Arc::new(LocalKek::new("test-kek", &[42; 32]))
}

/// The hospital's gateway: its relayer is //Alice//stash, a nurse of the hospital.
async fn gateway(database: String, outbox: bool) -> Running {
	let _ = tracing_subscriber::fmt()
		.with_env_filter(tracing_subscriber::EnvFilter::new("warn,medchain_gateway=info"))
		.with_test_writer()
		.try_init();
	let node = node().await;
	server::start(config(&node.url, database), kek(), vec![key("//Alice//stash")], outbox)
		.await
		.expect("the gateway starts")
}

async fn client_for(g: &Running, who: &str) -> GatewayClient<Keypair> {
	let chain = node().await.client().await.expect("the node answers");
	GatewayClient::new(&g.base(), key(who), Hash32::from(chain.genesis_hash().0)).expect("a client")
}

/// //One grants `grantee` `actions` on `categories` for `purposes`, for a day.
async fn grant(
	grantee: Grantee<AccountId>,
	categories: &[Category],
	purposes: &[Purpose],
	actions: &[Action],
) -> u64 {
	let chain = node().await.client().await.expect("the node answers");
	let now = chain.now().await.expect("a clock");
	let terms = GrantTerms {
		grantee,
		categories: categories.iter().fold(Categories::NONE, |s, c| s.union((*c).into())),
		purposes: purposes.iter().fold(Purposes::NONE, |s, p| s.union((*p).into())),
		actions: actions.iter().fold(Actions::NONE, |s, a| s.union((*a).into())),
		valid_from: now,
		valid_until: Some(now + 86_400_000),
	};
	let sensitive = terms.categories.intersection(Categories::SENSITIVE);
	let (id, _) = chain
		.grant(&key("//One"), ONE, &terms, sensitive, Wait::InBlock)
		.await
		.expect("granted");
	id
}

fn lab_result(value: f64) -> Value {
	json!({
		"resourceType": "Observation",
		"status": "final",
		"category": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory" }] }],
		"code": { "coding": [{ "system": "http://loinc.org", "code": "2345-7", "display": "Glucose" }] },
		"subject": { "identifier": { "system": "urn:medchain:patient", "value": ONE.to_string() } },
		"effectiveDateTime": "2026-12-06T09:30:00Z",
		"valueQuantity": { "value": value, "unit": "mmol/L" },
	})
}

/// The entries of //One's trail, read from the chain (actor, action).
async fn trail() -> Vec<(String, String)> {
	let chain = node().await.client().await.expect("the node answers");
	let at = chain.best_hash().await.expect("a best block");
	let (export, _) = chain
		.export_trail(ONE, at, medchain_client::audit::Unlinked::Refuse, |_, _| {})
		.await
		.expect("the trail exports");
	export
		.entries
		.iter()
		.map(|e| (format!("{:?}", e.entry.event.actor), format!("{:?}", e.entry.event.action)))
		.collect()
}

/// Waits until `pred` holds of the trail (reports arrive through the outbox, in a block).
async fn until_trail(pred: impl Fn(&[(String, String)]) -> bool) -> Vec<(String, String)> {
	for _ in 0..60 {
		let t = trail().await;
		if pred(&t) {
			return t;
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	panic!("the trail never showed what was expected: {:?}", trail().await);
}

/// Waits up to `seconds` for the gateway's outbox to empty; its depth then.
async fn until_outbox_empty(store: &medchain_gateway::store::Store, seconds: u32) -> i64 {
	for _ in 0..seconds {
		if store.outbox_depth().await.expect("depth").0 == 0 {
			break;
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	store.outbox_depth().await.expect("depth").0
}

fn reads_by(t: &[(String, String)], who: &AccountId) -> usize {
	let actor = format!("{:?}", medchain_primitives::Agent::Account(*who));
	t.iter().filter(|(a, action)| *a == actor && action == "AccessReported").count()
}

/// Everything one test needs that the others do not disturb: runs the whole story in order
/// (one dev node, blocks every 6 s: the steps share it).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_record_written_read_revoked_tampered_and_erased_through_the_gateway() {
	let g = gateway(database("story").await, true).await;
	let eve = client_for(&g, "//Eve").await;
	let eve_id = account(&key("//Eve"));
	let grant_id = grant(
		Grantee::Practitioner(eve_id),
		&[Category::LabResults],
		&[Purpose::Treatment],
		&[Action::Read, Action::Append],
	)
	.await;

	// Write: anchored in Eve's name.
	let created = eve.create(&lab_result(5.4), Purpose::Treatment).await.expect("sent");
	assert_eq!(created.status, 201, "{}", created.body);
	let id = created.body["id"].as_str().expect("an id").to_owned();
	let record = records_in(&created.body)[0];
	let chain = node().await.client().await.expect("node");
	let at = chain.api().at_block(chain.best_hash().await.expect("best")).await.expect("at");
	let anchor = at
		.storage()
		.entry(runtime::storage().records().anchors())
		.expect("entry")
		.fetch((record,))
		.await
		.expect("fetched")
		.decode()
		.expect("decoded");
	assert_eq!(anchor.author, eve_id, "anchored in the writer's name, not the gateway's");

	// Read: served, and on the trail as Eve's read.
	let read = eve
		.read("Observation", &id, None, ONE, Purpose::Treatment, false)
		.await
		.expect("sent");
	assert_eq!(read.status, 200, "{}", read.body);
	assert_eq!(read.body["valueQuantity"]["value"], json!(5.4));
	until_trail(|t| reads_by(t, &eve_id) == 1).await;

	// The ticket is Eve's own: another key cannot read on it, and a wrong purpose is refused.
	let research = eve
		.read("Observation", &id, None, ONE, Purpose::Research, false)
		.await
		.expect("sent");
	assert_eq!(research.status, 403, "{}", research.body);

	// Revoked: refused with the chain's reason.
	chain
		.submit(&runtime::tx().consent().revoke(grant_id), &key("//One"), Wait::InBlock)
		.await
		.expect("revoked");
	let refused = eve
		.read("Observation", &id, None, ONE, Purpose::Treatment, false)
		.await
		.expect("sent");
	assert_eq!(refused.status, 403, "{}", refused.body);
	assert!(refused.diagnostics().contains("no consent"), "{}", refused.diagnostics());

	// Tampering: a changed byte of the ciphertext, or another version's row, is never served.
	grant(
		Grantee::Practitioner(eve_id),
		&[Category::LabResults],
		&[Purpose::Treatment],
		&[Action::Read, Action::Append],
	)
	.await;
	let second = eve.create(&lab_result(6.1), Purpose::Treatment).await.expect("sent");
	assert_eq!(second.status, 201, "{}", second.body);
	let other_id = second.body["id"].as_str().expect("an id").to_owned();
	let pool = g.state.store.pool().clone();
	let row: (Vec<u8>,) = sqlx::query_as("SELECT ciphertext FROM versions WHERE id = $1")
		.bind(&id)
		.fetch_one(&pool)
		.await
		.expect("the row");
	let mut changed = row.0.clone();
	let last = changed.len() - 1;
	changed[last] ^= 1;
	sqlx::query("UPDATE versions SET ciphertext = $1 WHERE id = $2")
		.bind(&changed)
		.bind(&id)
		.execute(&pool)
		.await
		.expect("tampered");
	let tampered = eve
		.read("Observation", &id, None, ONE, Purpose::Treatment, false)
		.await
		.expect("sent");
	assert_eq!(tampered.status, 500, "{}", tampered.body);
	sqlx::query("UPDATE versions SET ciphertext = $1 WHERE id = $2")
		.bind(&row.0)
		.bind(&id)
		.execute(&pool)
		.await
		.expect("restored");
	let other: (Vec<u8>, Vec<u8>) =
		sqlx::query_as("SELECT ciphertext, wrapped_key FROM versions WHERE id = $1")
			.bind(&other_id)
			.fetch_one(&pool)
			.await
			.expect("the other row");
	sqlx::query("UPDATE versions SET ciphertext = $1, wrapped_key = $2 WHERE id = $3")
		.bind(&other.0)
		.bind(&other.1)
		.bind(&id)
		.execute(&pool)
		.await
		.expect("swapped");
	let swapped = eve
		.read("Observation", &id, None, ONE, Purpose::Treatment, false)
		.await
		.expect("sent");
	assert_eq!(swapped.status, 500, "{}", swapped.body);
	assert!(g.state.metrics.render().contains("medchain_gateway_integrity_failures_total 2"));

	// Erasure: the other resource (untouched) erased; 410 after; its key gone; Erased on chain.
	let other_record = records_in(&second.body)[0];
	let deleted = eve.delete("Observation", &other_id, &[other_record]).await.expect("sent");
	assert_eq!(deleted.status, 204, "{}", deleted.body);
	let gone = eve
		.read("Observation", &other_id, None, ONE, Purpose::Treatment, false)
		.await
		.expect("sent");
	assert_eq!(gone.status, 410, "{}", gone.body);
	let key_left: (Option<Vec<u8>>,) =
		sqlx::query_as("SELECT wrapped_key FROM versions WHERE id = $1")
			.bind(&other_id)
			.fetch_one(&pool)
			.await
			.expect("the row");
	assert_eq!(key_left.0, None, "the data key is destroyed");
	assert_eq!(
		chain.verify(other_record, Hash32::zero(), None).await.expect("verify"),
		medchain_primitives::RecordVerification::Mismatch { status: RecordStatus::Erased }
	);
	g.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_insurer_reads_claims_under_a_billing_grant_and_nothing_clinical() {
	let g = gateway(database("insurer").await, true).await;
	let clerk = client_for(&g, "//Charlie//stash").await;
	grant(
		Grantee::Organisation(INSURER),
		&[Category::Billing],
		&[Purpose::Payment],
		&[Action::Read, Action::Append, Action::Share],
	)
	.await;
	let claim = json!({
		"resourceType": "Claim",
		"status": "active",
		"use": "claim",
		"patient": { "reference": format!("Patient/{ONE}") },
		"created": "2026-12-06",
		"total": { "value": 120.0, "currency": "EUR" },
	});
	let created = clerk.create(&claim, Purpose::Payment).await.expect("sent");
	assert_eq!(created.status, 201, "{}", created.body);
	let id = created.body["id"].as_str().expect("an id").to_owned();
	let read = clerk
		.read("Claim", &id, None, ONE, Purpose::Payment, false)
		.await
		.expect("sent");
	assert_eq!(read.status, 200, "{}", read.body);
	// A lab result is clinical: the insurer may not write or read one.
	let lab = clerk.create(&lab_result(4.2), Purpose::Payment).await.expect("sent");
	assert_eq!(lab.status, 403, "{}", lab.body);
	let search = clerk
		.search("Observation", ONE, Purpose::Payment, &[], false)
		.await
		.expect("sent");
	assert_eq!(search.status, 200, "{}", search.body);
	assert_eq!(
		search.body["entry"].as_array().map(Vec::len).unwrap_or(0),
		0,
		"nothing clinical served"
	);
	let _ = HOSPITAL;
	g.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_report_is_delivered_exactly_once_across_crashes() {
	let db = database("crash").await;
	let ferdie_id = account(&key("//Ferdie"));
	grant(
		Grantee::Practitioner(ferdie_id),
		&[Category::LabResults],
		&[Purpose::Treatment],
		&[Action::Read, Action::Append],
	)
	.await;
	let g = gateway(db.clone(), true).await;
	let ferdie = client_for(&g, "//Ferdie").await;
	let created = ferdie.create(&lab_result(7.0), Purpose::Treatment).await.expect("sent");
	assert_eq!(created.status, 201, "{}", created.body);
	let id = created.body["id"].as_str().expect("an id").to_owned();
	g.shutdown().await;
	let before = reads_by(&trail().await, &ferdie_id);

	// Crash after serving, before reporting: the outbox holds the report, nothing sent.
	let g = gateway(db.clone(), false).await;
	let ferdie = client_for(&g, "//Ferdie").await;
	let read = ferdie
		.read("Observation", &id, None, ONE, Purpose::Treatment, false)
		.await
		.expect("sent");
	assert_eq!(read.status, 200, "{}", read.body);
	let pool = g.state.store.pool().clone();
	let queued: (Vec<u8>,) = sqlx::query_as("SELECT payload FROM outbox WHERE kind = 'report'")
		.fetch_one(&pool)
		.await
		.expect("queued");
	g.kill();
	// After restart: delivered once.
	let g = gateway(db.clone(), true).await;
	until_trail(|t| reads_by(t, &ferdie_id) == before + 1).await;
	// Crash after sending, before recording it was sent: the same report again is skipped.
	sqlx::query("INSERT INTO outbox (kind, payload, created_at, attempts, in_flight) VALUES ('report', $1, 0, 1, $2)")
		.bind(&queued.0)
		.bind(vec![0u8; 32])
		.execute(&pool)
		.await
		.expect("re-queued");
	g.kill();
	let g = gateway(db, true).await;
	until_outbox_empty(&g.state.store, 30).await;
	tokio::time::sleep(Duration::from_secs(7)).await;
	assert_eq!(reads_by(&trail().await, &ferdie_id), before + 1, "exactly once");
	g.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bad_requests_are_refused_with_an_operation_outcome_and_nothing_is_stored() {
	let g = gateway(database("bad").await, true).await;
	let eve = client_for(&g, "//Eve").await;
	let http = reqwest::Client::new();
	let base = g.base();
	// Unsigned.
	let unsigned = http.get(format!("{base}/fhir/Observation/x")).send().await.expect("sent");
	assert_eq!(unsigned.status().as_u16(), 401);
	let body: Value =
		serde_json::from_slice(&unsigned.bytes().await.expect("a body")).expect("JSON");
	assert_eq!(body["resourceType"], "OperationOutcome");
	// Not JSON, not a stored type, not mappable, too big.
	let not_json = eve
		.send(
			"POST",
			"/fhir/Observation",
			vec![("medchain-purpose".into(), "TREAT".into())],
			Some(b"{oops".to_vec()),
		)
		.await
		.expect("sent");
	assert_eq!(not_json.status, 400, "{}", not_json.body);
	let patient = json!({ "resourceType": "Patient", "name": [{ "family": "X" }] });
	let unknown = eve
		.send(
			"POST",
			"/fhir/Patient",
			vec![("medchain-purpose".into(), "TREAT".into())],
			Some(patient.to_string().into_bytes()),
		)
		.await
		.expect("sent");
	assert_eq!(unknown.status, 404, "{}", unknown.body);
	let mut no_subject = lab_result(1.0);
	no_subject.as_object_mut().expect("an object").remove("subject");
	let unmappable = eve
		.send(
			"POST",
			"/fhir/Observation",
			vec![("medchain-purpose".into(), "TREAT".into())],
			Some(no_subject.to_string().into_bytes()),
		)
		.await
		.expect("sent");
	assert!(matches!(unmappable.status, 401 | 422), "{}", unmappable.body);
	let huge = vec![b' '; 2 << 20];
	let too_big = eve.send("POST", "/fhir/Observation", vec![], Some(huge)).await.expect("sent");
	assert_eq!(too_big.status, 413, "{}", too_big.body);
	// A write without its attestation.
	let bare = eve
		.send(
			"POST",
			"/fhir/Observation",
			vec![("medchain-purpose".into(), "TREAT".into())],
			Some(lab_result(1.0).to_string().into_bytes()),
		)
		.await
		.expect("sent");
	assert_eq!(bare.status, 401, "{}", bare.body);
	let rows: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM versions")
		.fetch_one(g.state.store.pool())
		.await
		.expect("count");
	assert_eq!(rows.0, 0, "nothing stored");
	// Signed requests sent as they are: replayed, expired, signed for another request, signed
	// by a key other than the one named, a body other than the one signed.
	let authority = base.trim_start_matches("http://").to_owned();
	let now = medchain_client::attest::now_ms() / 1000;
	let signed_by = |who: &str, path: &str, created: u64, nonce: &str, digest: Option<&str>| {
		let headers = digest
			.map(|d| vec![("content-digest", d), ("medchain-purpose", "TREAT")])
			.unwrap_or_default();
		medchain_client::httpsig::sign(
			&medchain_client::httpsig::RequestParts {
				method: if digest.is_some() { "POST" } else { "GET" },
				authority: &authority,
				path,
				query: None,
				headers,
			},
			&key(who),
			created,
			60,
			nonce,
		)
		.expect("signed")
	};
	let send = |method: reqwest::Method,
	            path: &str,
	            signed: &medchain_client::httpsig::SignatureHeaders,
	            body: Option<(String, Vec<u8>)>| {
		let mut request = http.request(method, format!("{base}{path}"));
		let mut headers = Vec::new();
		if let Some((digest, body)) = body {
			request = request.body(body);
			headers = vec![
				("content-digest".to_owned(), digest),
				("content-type".to_owned(), "application/fhir+json".to_owned()),
				("medchain-purpose".to_owned(), "TREAT".to_owned()),
			];
		}
		outcome(with_signature(request, signed, headers))
	};
	let path = "/fhir/Observation/never-written";
	let once = signed_by("//Eve", path, now, "replay-test-0001", None);
	let (first, _) = send(reqwest::Method::GET, path, &once, None).await;
	assert_ne!(first, 401, "a fresh signature is accepted (the handler answers)");
	assert_eq!(
		send(reqwest::Method::GET, path, &once, None).await,
		(401, Some("replayed".into())),
		"the same signed bytes again"
	);
	let old = signed_by("//Eve", path, now - 600, "expired-test-0001", None);
	assert_eq!(
		send(reqwest::Method::GET, path, &old, None).await,
		(401, Some("signature-expired".into()))
	);
	let other = signed_by("//Eve", "/fhir/Observation/another", now, "other-path-test-0001", None);
	assert_eq!(
		send(reqwest::Method::GET, path, &other, None).await,
		(401, Some("bad-signature".into())),
		"signed for another path"
	);
	let mut impostor = signed_by("//Ferdie", path, now, "impostor-test-0001", None);
	impostor.signature_input = impostor
		.signature_input
		.replace(&account(&key("//Ferdie")).to_string(), &account(&key("//Eve")).to_string());
	assert_eq!(
		send(reqwest::Method::GET, path, &impostor, None).await,
		(401, Some("bad-signature".into())),
		"Ferdie's signature in Eve's name"
	);
	let body = lab_result(1.0).to_string().into_bytes();
	let digest = medchain_client::httpsig::content_digest(&body);
	let post = signed_by("//Eve", "/fhir/Observation", now, "digest-test-0001", Some(&digest));
	let mut other_body = body.clone();
	other_body[body.len() - 2] = b' ';
	assert_eq!(
		send(reqwest::Method::POST, "/fhir/Observation", &post, Some((digest, other_body))).await,
		(401, Some("digest-mismatch".into())),
		"a body other than the one signed"
	);
	let rows: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM versions")
		.fetch_one(g.state.store.pool())
		.await
		.expect("count");
	assert_eq!(rows.0, 0, "still nothing stored");
	g.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_the_chain_reads_fail_closed_and_writes_wait_to_be_anchored() {
	let db = database("chain-down").await;
	let dir =
		std::env::temp_dir().join(format!("medchain-gateway-test-own-node-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	let mut own = DevNode::start_at(dir).await;
	let chain = Client::connect(&own.url).await.expect("node");
	let eve_id = account(&key("//Eve"));
	let now = chain.now().await.expect("clock");
	let terms = GrantTerms {
		grantee: Grantee::Practitioner(eve_id),
		categories: Category::LabResults.into(),
		purposes: Purpose::Treatment.into(),
		actions: Actions::NONE.union(Action::Read.into()).union(Action::Append.into()),
		valid_from: now,
		valid_until: Some(now + 86_400_000),
	};
	chain
		.grant(&key("//One"), ONE, &terms, Categories::NONE, Wait::InBlock)
		.await
		.expect("granted");
	let mut cfg = config(&own.url, db);
	cfg.write_ack_timeout_ms = 12_000;
	let g = server::start(cfg, kek(), vec![key("//Alice//stash")], true)
		.await
		.expect("starts");
	let genesis = Hash32::from(chain.genesis_hash().0);
	let eve = GatewayClient::new(&g.base(), key("//Eve"), genesis).expect("client");
	let first = eve.create(&lab_result(3.3), Purpose::Treatment).await.expect("sent");
	assert_eq!(first.status, 201, "{}", first.body);
	let id = first.body["id"].as_str().expect("id").to_owned();

	own.stop();
	let read = eve
		.read("Observation", &id, None, ONE, Purpose::Treatment, false)
		.await
		.expect("sent");
	assert_eq!(read.status, 503, "{}", read.body);
	// A write while the chain is down is kept, pending, and not served.
	let pending = eve.create(&lab_result(3.4), Purpose::Treatment).await.expect("sent");
	assert_eq!(pending.status, 202, "{}", pending.body);
	let status_url = pending.location.clone().expect("a status URL");

	own.restart().await;
	let mut ok = false;
	for _ in 0..60 {
		let again = eve
			.read("Observation", &id, None, ONE, Purpose::Treatment, false)
			.await
			.expect("sent");
		if again.status == 200 {
			ok = true;
			break;
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	assert!(ok, "reads are served again once the chain is back");
	// The pending write is anchored once the chain is back.
	let mut anchored = false;
	for _ in 0..60 {
		let status = eve.send("GET", &status_url, vec![], None).await.expect("sent");
		if status.body["issue"][0]["details"]["coding"][0]["code"] == "anchored" {
			anchored = true;
			break;
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	assert!(anchored, "the pending write was anchored after the chain came back");
	g.shutdown().await;
}

/// The `medchain-gateway` binary, run as an operator runs it (a config in the environment,
/// key files), its log read for the address it listens on.
struct Process {
	child: std::process::Child,
	base: String,
}

impl Process {
	fn start(dir: &std::path::Path, node: &str, database: &str) -> Process {
		use std::io::BufRead;
		let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_medchain-gateway"))
			.arg("serve")
			.env("MEDCHAIN_GATEWAY_LISTEN", "127.0.0.1:0")
			.env("MEDCHAIN_GATEWAY_NODE", node)
			.env("MEDCHAIN_GATEWAY_DATABASE", database)
			.env("MEDCHAIN_GATEWAY_RELAYER_KEY_FILE", dir.join("relayer.key"))
			.env("MEDCHAIN_GATEWAY_KEK__FILE", dir.join("gateway.kek"))
			.env("MEDCHAIN_GATEWAY_KEK__ID", "process-test")
			.env("MEDCHAIN_GATEWAY_WRITE_ACK_TIMEOUT_MS", "30000")
			.env("MEDCHAIN_GATEWAY_OUTBOX_INTERVAL_MS", "100")
			.env("MEDCHAIN_GATEWAY_LOG_FORMAT", "json")
			.env("RUST_LOG", "info")
			.stdout(std::process::Stdio::piped())
			.spawn()
			.expect("the gateway binary starts");
		let stdout = child.stdout.take().expect("its stdout");
		let (tx, rx) = std::sync::mpsc::channel();
		std::thread::spawn(move || {
			for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
				let log: Value = serde_json::from_str(&line).unwrap_or_default();
				if let Some(addr) = log["fields"]["addr"].as_str() {
					let _ = tx.send(addr.to_owned());
				}
				println!("gateway: {line}");
			}
		});
		let addr = rx
			.recv_timeout(Duration::from_secs(60))
			.expect("the gateway logs the address it serves");
		Process { child, base: format!("http://{addr}") }
	}

	/// SIGKILL: nothing drained, nothing finished.
	fn kill(mut self) {
		self.child.kill().expect("killed");
		self.child.wait().expect("reaped");
	}

	/// SIGTERM: the graceful stop an operator's service manager asks for; its exit status.
	fn terminate(mut self) -> std::process::ExitStatus {
		let pid = self.child.id().to_string();
		std::process::Command::new("kill")
			.args(["-TERM", &pid])
			.status()
			.expect("kill -TERM");
		self.child.wait().expect("reaped")
	}
}

/// A read's nonce is committed with its report, in one commit: the same signed read sent again,
/// or sent eight times at once, is served and reported once and every other copy is answered
/// 401 `replayed`; a refused read's nonce is remembered too, so its replay is refused even once
/// the chain would permit it (the grant's block is a new best block: nothing answered before it
/// is taken for its answer). The same question at the same block is asked of the node once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_signed_read_is_served_and_reported_once() {
	use medchain_client::{attest, httpsig};
	let db = database("read-once").await;
	let ferdie_key = key("//Ferdie");
	grant(
		Grantee::Practitioner(account(&ferdie_key)),
		&[Category::LabResults],
		&[Purpose::Treatment],
		&[Action::Read, Action::Append],
	)
	.await;
	let g = gateway(db.clone(), true).await;
	let created = client_for(&g, "//Ferdie")
		.await
		.create(&lab_result(4.2), Purpose::Treatment)
		.await
		.expect("sent");
	assert_eq!(created.status, 201, "{}", created.body);
	let id = created.body["id"].as_str().expect("an id").to_owned();
	g.shutdown().await;
	// No outbox workers from here: every report stays queued, and is counted.
	let g = gateway(db, false).await;
	let chain = node().await.client().await.expect("the node answers");
	let genesis = Hash32::from(chain.genesis_hash().0);
	let base = g.base();
	let authority = base.trim_start_matches("http://").to_owned();
	let path = format!("/fhir/Observation/{id}");
	// One signed read (its ticket and signature made once), to send as often as wanted.
	let signed_read = |purpose: Purpose, code: &str, nonce: &str| {
		let (ticket, signature) = attest::access_ticket(
			&ferdie_key,
			&genesis,
			ONE,
			purpose,
			Categories::of(&[Category::LabResults]),
			None,
			120_000,
		)
		.expect("a ticket");
		let headers = vec![
			("medchain-purpose".to_owned(), code.to_owned()),
			("medchain-ticket".to_owned(), attest::header_value(&ticket, &signature)),
		];
		let signed = httpsig::sign(
			&httpsig::RequestParts {
				method: "GET",
				authority: &authority,
				path: &path,
				query: None,
				headers: headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect(),
			},
			&ferdie_key,
			medchain_client::attest::now_ms() / 1000,
			120,
			nonce,
		)
		.expect("signed");
		(headers, signed)
	};
	let http = reqwest::Client::new();
	let send = |(headers, signed): &(Vec<(String, String)>, httpsig::SignatureHeaders)| {
		outcome(with_signature(http.get(format!("{base}{path}")), signed, headers.clone()))
	};
	let replayed = (401, Some("replayed".to_owned()));

	// The same signed read twice: served and reported once.
	let once = signed_read(Purpose::Treatment, "TREAT", "read-once-test-0001");
	assert_eq!(send(&once).await.0, 200);
	assert_eq!(send(&once).await, replayed);
	assert_eq!(outbox_rows(&g.state.store, "report").await, 1);

	// Eight copies at once, decided together: one is served, seven refused, one report.
	let copies = signed_read(Purpose::Treatment, "TREAT", "read-once-test-0002");
	let answers = futures::future::join_all((0..8).map(|_| send(&copies))).await;
	let served = answers.iter().filter(|(status, _)| *status == 200).count();
	assert_eq!(served, 1, "{answers:?}");
	assert!(answers.iter().filter(|a| a.0 != 200).all(|a| *a == replayed), "{answers:?}");
	assert_eq!(outbox_rows(&g.state.store, "report").await, 2);

	// A read the chain refuses: its nonce is remembered all the same, and the replay is refused
	// as a replay once a grant would permit it.
	let research = signed_read(Purpose::Research, "HRESCH", "read-once-test-0003");
	assert_eq!(send(&research).await.0, 403);
	grant(
		Grantee::Practitioner(account(&ferdie_key)),
		&[Category::LabResults],
		&[Purpose::Research],
		&[Action::Read],
	)
	.await;
	assert_eq!(send(&research).await, replayed);
	let fresh = signed_read(Purpose::Research, "HRESCH", "read-once-test-0004");
	assert_eq!(send(&fresh).await.0, 200, "the grant does permit a new request");
	assert_eq!(outbox_rows(&g.state.store, "report").await, 3);

	// The same question again at the same best block is answered from that block's answers,
	// not asked of the node again (tried three times, in case a block is made in between).
	let from = |source: &str| g.state.metrics.decision_answers.with_label_values(&[source]).get();
	let mut remembered = false;
	for attempt in 0..3 {
		let (memory, chain) = (from("block-memory"), from("chain"));
		let again =
			signed_read(Purpose::Research, "HRESCH", &format!("read-once-test-1{attempt:03}"));
		assert_eq!(send(&again).await.0, 200);
		if from("block-memory") == memory + 2 && from("chain") == chain {
			remembered = true;
			break;
		}
	}
	assert!(remembered, "the decision and the anchor check were asked of the node again");
	g.shutdown().await;
}

/// `request` with a signature made elsewhere and `headers`, as they are (a replay is the same
/// request twice).
fn with_signature(
	mut request: reqwest::RequestBuilder,
	signed: &medchain_client::httpsig::SignatureHeaders,
	headers: Vec<(String, String)>,
) -> reqwest::RequestBuilder {
	request = request
		.header("signature-input", &signed.signature_input)
		.header("signature", &signed.signature);
	for (name, value) in headers {
		request = request.header(name, value);
	}
	request
}

/// Sends `request`: its status, and its OperationOutcome's code if it is one.
async fn outcome(request: reqwest::RequestBuilder) -> (u16, Option<String>) {
	let response = request.send().await.expect("sent");
	let status = response.status().as_u16();
	let body: Value =
		serde_json::from_slice(&response.bytes().await.expect("a body")).expect("JSON");
	(status, body["issue"][0]["details"]["coding"][0]["code"].as_str().map(str::to_owned))
}

async fn outbox_rows(store: &medchain_gateway::store::Store, kind: &str) -> i64 {
	let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
		"SELECT COUNT(*) FROM outbox WHERE kind = '{kind}'"
	)))
	.fetch_one(store.pool())
	.await
	.expect("count");
	n
}

fn anchors_by(t: &[(String, String)], who: &AccountId) -> usize {
	let actor = format!("{:?}", medchain_primitives::Agent::Account(*who));
	t.iter().filter(|(a, action)| *a == actor && action == "RecordAnchored").count()
}

/// The gateway's process killed (SIGKILL) after it accepted a write and before the write was
/// anchored, then after it served a read and before the read was on the trail: after each
/// restart the record is anchored once and the read reported once. //Bob//stash (a lab
/// technician) is the practitioner, so that no other test's writes or reads are counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_killed_gateway_process_loses_nothing_and_repeats_nothing() {
	let node = node().await;
	let db = database("sigkill").await;
	let dir = std::env::temp_dir().join(format!("medchain-gw-process-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).expect("a directory");
	std::fs::write(dir.join("relayer.key"), "//Alice//stash\n").expect("the relayer's key");
	std::fs::write(dir.join("gateway.kek"), format!("{}\n", hex::encode([7u8; 32])))
		.expect("a key-encryption key");
	let bob_key = "//Bob//stash";
	let bob = account(&key(bob_key));
	grant(
		Grantee::Practitioner(bob),
		&[Category::LabResults],
		&[Purpose::Treatment],
		&[Action::Read, Action::Append],
	)
	.await;
	let genesis = Hash32::from(node.client().await.expect("the node").genesis_hash().0);
	let before = trail().await;

	// Killed between accepting a write and anchoring it.
	let gateway = Process::start(&dir, &node.url, &db);
	let store = medchain_gateway::store::Store::open(&db, 2)
		.await
		.expect("the gateway's database");
	let writer = GatewayClient::new(&gateway.base, key(bob_key), genesis).expect("a client");
	let write =
		tokio::spawn(async move { writer.create(&lab_result(5.5), Purpose::Treatment).await });
	for _ in 0..300 {
		if outbox_rows(&store, "anchor").await == 1 {
			break;
		}
		tokio::time::sleep(Duration::from_millis(20)).await;
	}
	assert_eq!(outbox_rows(&store, "anchor").await, 1, "the write is accepted and queued");
	gateway.kill();
	let answered = write.await.expect("the writer's task");
	assert!(
		answered.as_ref().map_or(true, |a| a.status != 201),
		"the write was not acknowledged before the kill: {:?}",
		answered.map(|a| a.status)
	);
	assert_eq!(anchors_by(&trail().await, &bob), anchors_by(&before, &bob));
	let gateway = Process::start(&dir, &node.url, &db);
	let t = until_trail(|t| anchors_by(t, &bob) == anchors_by(&before, &bob) + 1).await;
	let bob_client = GatewayClient::new(&gateway.base, key(bob_key), genesis).expect("a client");
	let mut found = None;
	for _ in 0..30 {
		let search = bob_client
			.search("Observation", ONE, Purpose::Treatment, &[], false)
			.await
			.expect("sent");
		assert_eq!(search.status, 200, "{}", search.body);
		if let Some(entries) = search.body["entry"].as_array().filter(|e| !e.is_empty()) {
			assert_eq!(entries.len(), 1, "one resource, written once: {}", search.body);
			found = entries[0]["resource"]["id"].as_str().map(str::to_owned);
			break;
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	let id = found.expect("the write, anchored after the restart, is served");
	// The search served it, so it is a reported read too: on the trail before the next step.
	assert_eq!(until_outbox_empty(&store, 60).await, 0, "the search's report delivered");

	// Killed between serving a read and reporting it.
	let reads = reads_by(&trail().await, &bob);
	let read = bob_client
		.read("Observation", &id, None, ONE, Purpose::Treatment, false)
		.await
		.expect("sent");
	assert_eq!(read.status, 200, "{}", read.body);
	assert_eq!(read.body["valueQuantity"]["value"], 5.5);
	gateway.kill();
	assert_eq!(outbox_rows(&store, "report").await, 1, "killed before the report was settled");
	let gateway = Process::start(&dir, &node.url, &db);
	until_trail(|t| reads_by(t, &bob) == reads + 1).await;
	until_outbox_empty(&store, 60).await;
	// Two more blocks: a repeat would have landed by now.
	tokio::time::sleep(Duration::from_secs(13)).await;
	let after = trail().await;
	assert_eq!(reads_by(&after, &bob), reads + 1, "the read reported exactly once");
	assert_eq!(anchors_by(&after, &bob), anchors_by(&t, &bob), "the write anchored exactly once");
	assert!(gateway.terminate().success(), "a graceful stop exits 0");
	let _ = std::fs::remove_dir_all(&dir);
}

/// A gateway with several relayer keys signs each transaction with the next in turn, and a
/// key that is no provider's account (here //Two, a patient: admitted, but not a relayer to
/// the records pallet) holds back and refuses no write: its transaction goes again by the next
/// key. The anchors are the writer's, whoever relayed them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writes_go_out_through_each_relayer_in_turn_and_a_wrong_key_refuses_nothing() {
	let node = node().await;
	let eve = account(&key("//Eve"));
	grant(
		Grantee::Practitioner(eve),
		&[Category::LabResults],
		&[Purpose::Treatment],
		&[Action::Read, Action::Append],
	)
	.await;
	let mut cfg = config(&node.url, database("relayers").await);
	cfg.write_ack_timeout_ms = 60_000;
	let relayers = vec![key("//Dave//stash"), key("//Two"), key("//Bob")];
	let g = server::start(cfg, kek(), relayers, true).await.expect("the gateway starts");
	assert_eq!(
		g.state.chain.relayers_not_providers().await.expect("asked"),
		vec![(1, account(&key("//Two")))],
		"the key that is no provider's account is named at start"
	);
	let writer = client_for(&g, "//Eve").await;
	let chain = node.client().await.expect("the node answers");
	for value in [6.1, 6.2] {
		let written = writer.create(&lab_result(value), Purpose::Treatment).await.expect("sent");
		assert_eq!(written.status, 201, "{}", written.body);
		let record: u64 = written.body["meta"]["tag"]
			.as_array()
			.and_then(|tags| tags.iter().find(|t| t["system"] == "urn:medchain:record"))
			.and_then(|t| t["code"].as_str())
			.and_then(|c| c.parse().ok())
			.expect("the record's id in meta.tag");
		let anchor = chain.anchor_of(record).await.expect("read").expect("anchored");
		assert_eq!(anchor.author, eve, "anchored in the writer's name");
	}
	let relayed = |i: &str| g.state.metrics.relayed.with_label_values(&[i]).get();
	// The first write by //Dave//stash; the second by //Two (refused: not a provider), then
	// again by //Bob.
	assert_eq!((relayed("0"), relayed("1"), relayed("2")), (1, 1, 1));
	assert_eq!(g.state.metrics.outbox_refused.with_label_values(&["anchor"]).get(), 0);
	assert_eq!(g.state.store.outbox_depth().await.expect("depth").0, 0);
	g.shutdown().await;
}

/// The nonces and outbox rows of concurrent requests are committed together (group commit),
/// and each request still gets its own answer: of a nonce sent twice at once one is new and
/// one a replay, every queued item has a sequence number of its own, and in a batch where
/// some writes fail the others are stored and only the failed ones answer with an error.
#[tokio::test]
async fn concurrent_small_writes_are_committed_together_and_answered_each() {
	use medchain_gateway::store::Store;
	let store = Store::open(&database("group-commit").await, 4).await.expect("the database");

	let nonces: Vec<_> = (0..200)
		.map(|i| {
			let store = store.clone();
			tokio::spawn(async move {
				store.remember_nonce("5Signer", &format!("nonce-{}", i % 100), i64::MAX).await
			})
		})
		.collect();
	let mut new = 0;
	for task in nonces {
		new += usize::from(task.await.expect("the task").expect("remembered"));
	}
	assert_eq!(new, 100, "each of the 100 nonces is new exactly once");

	let enqueued: Vec<_> = (0..200)
		.map(|i| {
			let store = store.clone();
			tokio::spawn(async move { store.enqueue("report", &[i as u8], 1).await })
		})
		.collect();
	let mut seqs = std::collections::BTreeSet::new();
	for task in enqueued {
		seqs.insert(task.await.expect("the task").expect("queued"));
	}
	assert_eq!(seqs.len(), 200, "200 items, 200 sequence numbers");
	assert_eq!(store.outbox_depth().await.expect("depth").0, 200);

	// Every nonce write now fails (its table is gone); the outbox writes queued beside them
	// are stored all the same.
	sqlx::query("DROP TABLE nonces").execute(store.pool()).await.expect("drop");
	let mixed: Vec<_> = (0..100)
		.map(|i| {
			let store = store.clone();
			tokio::spawn(async move {
				if i % 2 == 0 {
					store
						.remember_nonce("5Signer", &format!("late-{i}"), i64::MAX)
						.await
						.err()
						.map(|_| ())
				} else {
					store.enqueue("report", &[1], 1).await.ok().map(|_| ())
				}
			})
		})
		.collect();
	let mut answered = 0;
	for task in mixed {
		answered += usize::from(task.await.expect("the task").is_some());
	}
	assert_eq!(answered, 100, "each nonce write failed on its own, each outbox write was stored");
	assert_eq!(store.outbox_depth().await.expect("depth").0, 250);
}
