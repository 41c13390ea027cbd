//! The client against a real dev node (`medchain-node --dev`): the consent → anchor → audit
//! story, the pallets' named errors, a node that is not there, and docs/client.md's examples
//! (one binary: its tests, each with its own node, run side by side).
//!
//! On the dev chain //Eve is a physician of hospital 0 and //Ferdie a lab technician of lab 1
//! (`runtime/src/genesis_config_presets.rs`).

use medchain_client::{
	keys, runtime, testing::DevNode, AccountId, At, Client, Error, Keypair, Wait,
};
use medchain_primitives::{
	AccessQuestion, AccessReport, Action, Actions, Categories, Category, ConsentRef, Decision,
	DenyReason, GrantTerms, Grantee, Hash32, NewRecord, Purpose, Purposes, RecordStatus,
	RecordVerification, MAX_ACCESS_QUESTIONS,
};

fn key(secret: &str) -> Keypair {
	keys::from_secret(secret).expect("a dev key")
}

fn account(key: &Keypair) -> AccountId {
	key.public_key().into()
}

/// `refused` is the client's refusal of a list one item over `call`'s bound `max`.
fn assert_one_too_many(refused: &Error, call: &str, max: u32) {
	assert!(
		matches!(refused, Error::TooMany { call: c, max: m, given }
			if *c == call && *m == max && *given == max as usize + 1),
		"{refused}"
	);
}

#[tokio::test(flavor = "multi_thread")]
async fn consent_then_anchor_then_audit_through_the_client() {
	let node = DevNode::start().await;
	let client = node.client().await.expect("connects");
	let (eve, ferdie) = (key("//Eve"), key("//Ferdie"));
	let patient_key = key(&format!("//client-test-{}", std::process::id()));
	let wait = Wait::InBlock;

	let status = client.status().await.expect("status");
	assert_eq!(status.chain, "medchain development");
	assert!(status.best >= 1 && status.finalised <= status.best, "{status:?}");
	assert_eq!(status.validators, vec![account(&key("//Alice")).to_string()]);
	// The best block in one round trip: the hash computed from its header is the node's (the
	// node finds its header by it) and its number is the block's.
	let best = client.best_block().await.expect("the best block");
	assert!(best.number >= status.best, "{best:?} after {status:?}");
	assert_eq!(client.block_number(best.hash).await.expect("the node knows the hash"), best.number);
	assert!(client.block(At::Best).await.expect("the best block").number >= best.number);

	// Eve enrols the patient.
	let (patient, _) = client
		.enrol_patient(&eve, &account(&patient_key), Hash32::repeat_byte(7), wait)
		.await
		.expect("Eve enrols a patient");

	// Without a grant the lab cannot anchor, and the error is the pallet's, by name.
	let document = b"ciphertext of a FHIR Observation (potassium 4.1 mmol/L)";
	let content_hash = medchain_client::fingerprint(document);
	let locator = Hash32::repeat_byte(9);
	let ferdie_anchors = || {
		client.anchor(
			&ferdie,
			patient,
			Category::LabResults,
			Purpose::Treatment,
			content_hash,
			locator,
			wait,
		)
	};
	// Ferdie's question: may it append lab results for treatment?
	let may_ferdie_append = || async {
		client
			.check_access(
				patient,
				&account(&ferdie),
				Category::LabResults,
				Purpose::Treatment,
				Action::Append,
				None,
			)
			.await
			.expect("checkAccess")
	};
	let refused = ferdie_anchors().await.err().expect("no grant, no anchor");
	assert!(refused.is_dispatch("records", "NoAppendGrant"), "{refused}");
	assert!(refused.to_string().starts_with("records.NoAppendGrant: "), "{refused}");
	assert_eq!(may_ferdie_append().await, Decision::Deny(DenyReason::NoGrant));

	// The patient grants Ferdie Append on lab results for treatment, for a day.
	let now = client.now().await.expect("the chain's clock");
	let terms = GrantTerms {
		grantee: Grantee::Practitioner(account(&ferdie)),
		categories: Categories::of(&[Category::LabResults]),
		purposes: Purposes::of(&[Purpose::Treatment]),
		actions: Actions::of(&[Action::Append]),
		valid_from: now,
		valid_until: Some(now + 24 * 60 * 60 * 1000),
	};
	let (grant, submitted) = client
		.grant(&patient_key, patient, &terms, Categories::NONE, wait)
		.await
		.expect("the patient grants");
	let granted = submitted
		.event::<runtime::consent::events::ConsentGranted>()
		.expect("ConsentGranted");
	assert_eq!((granted.grant_id, granted.patient), (grant, patient));
	assert!(matches!(
		may_ferdie_append().await,
		Decision::Permit { grant_id, .. } if grant_id == grant
	));

	// The same questions in one batch get the same answers, in order; a batch over the bound
	// is refused by the node, by its rule.
	let ask = |who: &Keypair, action| AccessQuestion {
		patient,
		accessor: account(who),
		category: Category::LabResults,
		purpose: Purpose::Treatment,
		action,
	};
	let questions =
		[ask(&ferdie, Action::Append), ask(&eve, Action::Append), ask(&ferdie, Action::Read)];
	let answers = client.check_access_batch(&questions, None).await.expect("checkAccessBatch");
	assert_eq!(answers.len(), questions.len());
	for (q, answer) in questions.iter().zip(&answers) {
		let single = client
			.check_access(q.patient, &q.accessor, q.category, q.purpose, q.action, None)
			.await
			.expect("checkAccess");
		assert_eq!(*answer, single, "{q:?}");
	}
	assert!(answers[0].is_permit());
	assert_eq!(answers[2], Decision::Deny(DenyReason::NoGrant));
	let too_many = vec![ask(&ferdie, Action::Read); MAX_ACCESS_QUESTIONS as usize + 1];
	let refused = client.check_access_batch(&too_many, None).await.err().expect("over the bound");
	// Refused before it is sent: the runtime would not decode it.
	assert!(
		matches!(refused, medchain_client::Error::TooMany { max: 1024, given: 1025, .. }),
		"{refused}"
	);

	// Now the anchor goes through; the bytes verify, other bytes do not.
	let (record, submitted) = ferdie_anchors().await.expect("Ferdie anchors");
	assert_eq!(
		client
			.verify(record, content_hash, Some(submitted.block_hash))
			.await
			.expect("verify"),
		RecordVerification::Matches { status: RecordStatus::Current }
	);
	let tampered = medchain_client::fingerprint(b"ciphertext of another Observation");
	assert_eq!(
		client.verify(record, tampered, None).await.expect("verify"),
		RecordVerification::Mismatch { status: RecordStatus::Current }
	);
	assert_eq!(
		client.verify(record + 1_000_000, content_hash, None).await.expect("verify"),
		RecordVerification::UnknownRecord
	);

	// Several results at once, each under the grant: their ids in order, all or none.
	let results: Vec<NewRecord> = [b"sodium 139 mmol/L".as_slice(), b"creatinine 80 umol/L"]
		.iter()
		.map(|r| NewRecord {
			patient,
			category: Category::LabResults,
			purpose: Purpose::Treatment,
			content_hash: medchain_client::fingerprint(r),
			locator,
			basis: Some(ConsentRef::Grant(grant)),
		})
		.collect();
	let uncovered = NewRecord { category: Category::Imaging, ..results[0] };
	let refused = client
		.anchor_many(&ferdie, &[results[0], uncovered], wait)
		.await
		.err()
		.expect("the grant does not cover imaging");
	assert!(refused.is_dispatch("records", "NoAppendGrant"), "{refused}");
	let (ids, _) = client.anchor_many(&ferdie, &results, wait).await.expect("Ferdie anchors two");
	assert_eq!(ids, vec![record + 1, record + 2], "none was anchored by the refused call");
	for (id, result) in ids.iter().zip(&results) {
		assert_eq!(
			client.verify(*id, result.content_hash, None).await.expect("verify"),
			RecordVerification::Matches { status: RecordStatus::Current }
		);
	}

	// More records than one call takes are refused by the client, by name, and not sent.
	let max = client.max_anchors_per_call().await.expect("MaxAnchorsPerCall");
	let refused = client
		.anchor_many(&ferdie, &vec![results[0]; max as usize + 1], wait)
		.await
		.err()
		.expect("over the bound");
	assert_one_too_many(&refused, "records.anchorMany", max);

	// Ferdie reports reading the two results under its grant. The chain checks each read
	// again and records it; the grant lets Ferdie append, not read, so both are flagged.
	let reads: Vec<AccessReport> = ids
		.iter()
		.map(|id| AccessReport {
			patient,
			category: Category::LabResults,
			purpose: Purpose::Treatment,
			basis: ConsentRef::Grant(grant),
			record: Some(*id),
		})
		.collect();
	let reported = client
		.report_access_batch(&ferdie, &reads, wait)
		.await
		.expect("Ferdie reports two reads");
	let flagged = reported
		.events
		.find::<runtime::audit::events::AccessReportFlagged>()
		.collect::<Result<Vec<_>, _>>()
		.expect("the events decode");
	assert_eq!(flagged.len(), 2);
	assert!(flagged.iter().all(|f| f.patient == patient && f.reporter == account(&ferdie)));
	let max = client.max_reports_per_batch().await.expect("MaxReportsPerBatch");
	let refused = client
		.report_access_batch(&ferdie, &vec![reads[0]; max as usize + 1], wait)
		.await
		.err()
		.expect("over the bound");
	assert_one_too_many(&refused, "audit.reportAccessBatch", max);

	// The patient's trail holds the enrolment, the grant, the anchors and the reported reads,
	// in that order.
	let head = client.trail_head(patient, None).await.expect("trail head");
	assert!(head.last_seq >= 5, "{head:?}");
	assert_ne!(head.head, Hash32::zero());

	// The grant revoked, the lab is denied again; a second revoke is refused by name.
	client.revoke(&patient_key, grant, wait).await.expect("the patient revokes");
	assert!(!may_ferdie_append().await.is_permit());
	let again = client.revoke(&patient_key, grant, wait).await.err().expect("revoked already");
	assert!(again.is_dispatch("consent", "AlreadyRevoked"), "{again}");
}

#[tokio::test]
async fn a_node_that_is_not_there_is_named() {
	let port = medchain_client::testing::free_port();
	let url = format!("ws://127.0.0.1:{port}");
	let err = Client::connect(&url).await.err().expect("nothing listens there");
	assert!(
		err.to_string().starts_with(&format!("cannot reach a medchain node at {url}: ")),
		"{err}"
	);
}

async fn examples(url: &str) -> Result<(), medchain_client::Error> {
	include!(concat!(env!("OUT_DIR"), "/docs_examples.rs"))
}

/// docs/client.md's examples, run in order against a dev node (`build.rs` collects them).
#[tokio::test(flavor = "multi_thread")]
async fn the_examples_of_docs_client_md_run_against_a_dev_node() {
	let node = DevNode::start().await;
	examples(&node.url).await.expect("every example of docs/client.md succeeds");
}

/// 200 submissions of one key at once: the client hands out the nonces in order and keeps at
/// most `max_in_flight` in the pool, so every one is included and none fails on its nonce
/// (the chain's admission lets an account 64 transactions a window of 10 blocks: ~4 windows).
#[tokio::test(flavor = "multi_thread")]
async fn two_hundred_submissions_of_one_key_at_once_are_all_included() {
	let node = DevNode::start().await;
	let client = node.client().await.expect("connects");
	let alice = key("//Alice");
	let first = client.next_batch_id().await.expect("next batch id");
	let tasks: Vec<_> = (0..200u32)
		.map(|i| {
			let (client, alice) = (client.clone(), alice.clone());
			tokio::spawn(async move {
				let category: runtime::runtime_types::medchain_primitives::sets::Category =
					medchain_client::scale::convert(&Category::LabResults).expect("converts");
				let mut root = [0u8; 32];
				root[..4].copy_from_slice(&(i + 1).to_le_bytes());
				let call = runtime::tx().records().anchor_batch(root.into(), 1, category);
				client.submit(&call, &alice, Wait::InBlock).await
			})
		})
		.collect();
	for task in tasks {
		task.await.expect("the task ran").expect("included, with its nonce");
	}
	assert_eq!(client.next_batch_id().await.expect("next batch id"), first + 200);
}

/// The node restarts under a running client: the client carries on without a restart of its
/// own (its connection reconnects; a request while the node is down fails, named, and the next
/// one after it is back succeeds).
#[tokio::test(flavor = "multi_thread")]
async fn a_client_carries_on_across_a_node_restart() {
	let dir = std::env::temp_dir().join(format!("medchain-client-restart-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	let mut node = DevNode::start_at(dir.clone()).await;
	let client = Client::connect_with(
		&node.url,
		medchain_client::ClientOptions {
			request_timeout: std::time::Duration::from_secs(5),
			..Default::default()
		},
	)
	.await
	.expect("connects");
	let before = client.status().await.expect("status").best;
	node.stop();
	let down = client.status().await.err().expect("the node is down");
	assert_eq!(down.class(), medchain_client::ErrorClass::Unavailable, "{down}");
	node.restart().await;
	let mut after = None;
	for _ in 0..60 {
		if let Ok(status) = client.status().await {
			after = Some(status.best);
			break;
		}
		tokio::time::sleep(std::time::Duration::from_secs(1)).await;
	}
	let after = after.expect("the same client answers again once the node is back");
	assert!(after >= before, "{after} < {before}");
	// And it still signs and submits.
	let call = runtime::tx().records().anchor_batch(
		[9u8; 32].into(),
		1,
		medchain_client::scale::convert(&Category::LabResults).expect("converts"),
	);
	client
		.submit(&call, &key("//Alice"), Wait::InBlock)
		.await
		.expect("submitted after the restart");
	let _ = std::fs::remove_dir_all(&dir);
}
