//! The gateway's capacity (docs/performance.md, "Gateway"): a benchmark, not a test.
//!
//! Starts a dev node and a gateway (SQLite, or PostgreSQL with `--postgres URL`) on this
//! machine, has //One grant //Eve, writes lab results through the gateway (`--single` writes one
//! after another, then `--resources` writes `concurrency` at a time: the outbox batches them,
//! up to `--in-flight` transactions at once), then reads them back with `concurrency` readers for `seconds`: consent-checked by the
//! chain, verified against the anchors, reported. Prints reads/s and writes/s with p50 and p99.
//!
//! `cargo run --release -p medchain-gateway --example gateway_bench -- [--seconds 30]
//!  [--concurrency 64] [--resources 200] [--single 5] [--in-flight 4] [--relayers 1]
//!  [--write-concurrency N] [--postgres URL] [--no-drain]`
//! (`--in-flight`: the gateway's `outbox_in_flight`, relayed transactions of a kind at once;
//! `--relayers K`: the gateway relays through K keys in turn — //Alice//stash and K − 1
//! `//RelayerN` accounts the hospital's admin registers first; `--write-concurrency`: writes
//! in flight at once, a new one as soon as one is answered (default `--concurrency`);
//! `--no-drain`: stop once the reads are measured, without waiting for their reports to reach
//! the chain). It also prints how many questions the node answered and how many were the best
//! block's answers taken again, and the reports a second that reached the trail.

use std::{
	sync::{
		atomic::{AtomicUsize, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

use medchain_client::{gateway::GatewayClient, keys, testing::DevNode, AccountId, Keypair, Wait};
use medchain_gateway::{envelope::LocalKek, server, Config};
use medchain_primitives::{
	Action, Actions, Categories, Category, GrantTerms, Grantee, Hash32, Purpose,
};
use serde_json::json;

fn arg(name: &str, default: &str) -> String {
	let args: Vec<String> = std::env::args().collect();
	args.iter()
		.position(|a| a == name)
		.and_then(|i| args.get(i + 1).cloned())
		.unwrap_or_else(|| default.to_owned())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
	if sorted.is_empty() {
		return Duration::ZERO;
	}
	let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
	sorted[i.min(sorted.len() - 1)]
}

fn lab(i: usize) -> serde_json::Value {
	json!({
		"resourceType": "Observation",
		"status": "final",
		"category": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory" }] }],
		"code": { "coding": [{ "system": "http://loinc.org", "code": "2345-7" }] },
		"subject": { "reference": "Patient/0" },
		"valueQuantity": { "value": 4.0 + (i % 50) as f64 / 10.0, "unit": "mmol/L" },
		"note": [{ "text": "x".repeat(1500) }],
	})
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
	let seconds: u64 = arg("--seconds", "30").parse().expect("--seconds");
	let concurrency: usize = arg("--concurrency", "64").parse().expect("--concurrency");
	let resources: usize = arg("--resources", "200").parse().expect("--resources");
	let postgres = arg("--postgres", "");
	let in_flight: usize = arg("--in-flight", "4").parse().expect("--in-flight");
	let relayer_count: usize = arg("--relayers", "1").parse().expect("--relayers");
	let write_concurrency: usize = arg("--write-concurrency", &concurrency.to_string())
		.parse()
		.expect("--write-concurrency");
	// The gateway's own log (RUST_LOG, e.g. `medchain_gateway=info`): what the outbox sent.
	let _ = tracing_subscriber::fmt()
		.with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
		.with_writer(std::io::stderr)
		.try_init();
	let node = DevNode::start().await;
	let chain = node.client().await.expect("the node answers");
	let one = keys::from_secret("//One").expect("key");
	let eve: Keypair = keys::from_secret("//Eve").expect("key");
	let now = chain.now().await.expect("clock");
	let terms = GrantTerms {
		grantee: Grantee::Practitioner(AccountId::from(eve.public_key())),
		categories: Category::LabResults.into(),
		purposes: Purpose::Treatment.into(),
		actions: Actions::NONE.union(Action::Read.into()).union(Action::Append.into()),
		valid_from: now,
		valid_until: Some(now + 86_400_000),
	};
	chain
		.grant(&one, 0, &terms, Categories::NONE, Wait::InBlock)
		.await
		.expect("granted");
	// The hospital's relayers: //Alice//stash (a nurse there) and K − 1 more, invited by its
	// admin (//Alice) as Admin staff and accepted with their own keys.
	let mut relayers = vec![keys::from_secret("//Alice//stash").expect("key")];
	if relayer_count > 1 {
		use medchain_client::runtime::{self, runtime_types::medchain_primitives::providers::Role};
		let alice = keys::from_secret("//Alice").expect("key");
		let extra: Vec<Keypair> = (1..relayer_count)
			.map(|i| keys::from_secret(&format!("//Relayer{i}")).expect("key"))
			.collect();
		let invites = extra.iter().map(|k| {
			let tx = runtime::tx()
				.providers()
				.invite_practitioner(AccountId::from(k.public_key()), Role::Admin);
			let (chain, alice) = (&chain, &alice);
			async move { chain.submit(&tx, alice, Wait::InBlock).await }
		});
		for invited in futures::future::join_all(invites).await {
			invited.expect("a relayer invited");
		}
		let accepts = extra.iter().map(|k| {
			let tx = runtime::tx().providers().accept_invitation(0);
			let chain = &chain;
			async move { chain.submit(&tx, k, Wait::InBlock).await }
		});
		for accepted in futures::future::join_all(accepts).await {
			accepted.expect("a relayer registered");
		}
		relayers.extend(extra);
	}
	let dir = std::env::temp_dir().join(format!("medchain-gateway-bench-{}", std::process::id()));
	std::fs::create_dir_all(&dir).expect("temp dir");
	let database = if postgres.is_empty() {
		format!("sqlite://{}/gw.db?mode=rwc", dir.display())
	} else {
		postgres.clone()
	};
	let config = Config {
		listen: "127.0.0.1:0".parse().expect("addr"),
		node: node.url.clone(),
		database,
		max_connections: 16,
		write_ack_timeout_ms: 60_000,
		outbox_interval_ms: 50,
		outbox_in_flight: in_flight,
		..Config::default()
	};
	let running = server::start(config, Arc::new(LocalKek::new("bench", &[7; 32])), relayers, true)
		.await
		.expect("the gateway starts");
	let genesis = Hash32::from(chain.genesis_hash().0);
	let client = Arc::new(GatewayClient::new(&running.base(), eve, genesis).expect("client"));

	// Single writes, one after another: each waits for its own block.
	let singles: usize = arg("--single", "5").parse().expect("--single");
	let mut ids = Vec::new();
	let mut single_latencies = Vec::new();
	for i in 0..singles {
		let t = Instant::now();
		let answer = client.create(&lab(i), Purpose::Treatment).await.expect("sent");
		assert_eq!(answer.status, 201, "{}", answer.body);
		ids.push(answer.body["id"].as_str().expect("id").to_owned());
		single_latencies.push(t.elapsed());
	}
	single_latencies.sort();
	if singles > 0 {
		println!(
			"single writes: {singles} one after another, time to anchor p50 {:?} max {:?}",
			percentile(&single_latencies, 0.5),
			single_latencies.last().copied().unwrap_or_default(),
		);
	}

	// Writes, `write_concurrency` at a time: each acknowledged once anchored in a block; a new
	// one sent as soon as one is answered.
	let started = Instant::now();
	let mut write_latencies = Vec::new();
	let window = Arc::new(tokio::sync::Semaphore::new(write_concurrency.max(1)));
	let handles: Vec<_> = (0..resources)
		.map(|i| {
			let (client, window) = (client.clone(), window.clone());
			let resource = lab(i);
			tokio::spawn(async move {
				let _turn = window.acquire_owned().await.expect("the window");
				let t = Instant::now();
				let answer = client.create(&resource, Purpose::Treatment).await.expect("sent");
				(answer, t.elapsed(), Instant::now())
			})
		})
		.collect();
	// Writes acknowledged in each minute of the run (an admission window is 10 blocks, one
	// minute: a burst within one window's budgets goes faster than a sustained rate).
	let mut per_minute: Vec<usize> = Vec::new();
	for h in handles {
		let (answer, latency, at) = h.await.expect("task");
		assert_eq!(answer.status, 201, "{}", answer.body);
		ids.push(answer.body["id"].as_str().expect("id").to_owned());
		write_latencies.push(latency);
		let minute = (at - started).as_secs() as usize / 60;
		if per_minute.len() <= minute {
			per_minute.resize(minute + 1, 0);
		}
		per_minute[minute] += 1;
	}
	let write_time = started.elapsed();
	write_latencies.sort();
	println!(
		"writes: {resources} anchored in {:.1} s = {:.1} writes/s acknowledged as anchored; time to anchor p50 {:?} p99 {:?} ({write_concurrency} at a time, {relayer_count} relayer(s))",
		write_time.as_secs_f64(),
		resources as f64 / write_time.as_secs_f64(),
		percentile(&write_latencies, 0.5),
		percentile(&write_latencies, 0.99),
	);

	if per_minute.len() > 1 {
		println!("writes acknowledged in each minute of the run: {per_minute:?}");
	}

	// Reads for `seconds`, `concurrency` readers.
	let ids = Arc::new(ids);
	let done = Arc::new(AtomicUsize::new(0));
	let deadline = Instant::now() + Duration::from_secs(seconds);
	let readers: Vec<_> = (0..concurrency)
		.map(|r| {
			let (client, ids, done) = (client.clone(), ids.clone(), done.clone());
			tokio::spawn(async move {
				let mut latencies = Vec::new();
				let mut i = r;
				while Instant::now() < deadline {
					let id = &ids[i % ids.len()];
					let t = Instant::now();
					let answer = client
						.read("Observation", id, None, 0, Purpose::Treatment, false)
						.await
						.expect("sent");
					assert_eq!(answer.status, 200, "{}", answer.body);
					latencies.push(t.elapsed());
					done.fetch_add(1, Ordering::Relaxed);
					i += concurrency;
				}
				latencies
			})
		})
		.collect();
	let started = Instant::now();
	let mut latencies = Vec::new();
	for r in readers {
		latencies.extend(r.await.expect("reader"));
	}
	let elapsed = started.elapsed();
	latencies.sort();
	let reads = done.load(Ordering::Relaxed);
	println!(
		"reads: {reads} in {:.1} s = {:.0} reads/s (consent-checked, verified, queued for the trail); p50 {:?} p99 {:?} ({concurrency} readers)",
		elapsed.as_secs_f64(),
		reads as f64 / elapsed.as_secs_f64(),
		percentile(&latencies, 0.5),
		percentile(&latencies, 0.99),
	);
	let answers =
		|source: &str| running.state.metrics.decision_answers.with_label_values(&[source]).get();
	println!(
		"answers (decisions and anchor checks, writes' included): {} asked of the node, {} from the best block's answers already given",
		answers("chain"),
		answers("block-memory")
	);
	// How long the chain takes to put them all on the trail.
	let delivered = || running.state.metrics.outbox_delivered.with_label_values(&["report"]).get();
	let reported_during = delivered();
	println!(
		"reports on the trail while reading: {reported_during} = {:.1} reports/s",
		reported_during as f64 / elapsed.as_secs_f64()
	);
	let t = Instant::now();
	while !std::env::args().any(|a| a == "--no-drain") {
		let (depth, _) = running.state.store.outbox_depth().await.expect("depth");
		if depth == 0 || t.elapsed() > Duration::from_secs(600) {
			println!(
				"reports: the outbox drained {:.1} s after the reads ended ({depth} left); {:.1} reports/s after the reads",
				t.elapsed().as_secs_f64(),
				(delivered() - reported_during) as f64 / t.elapsed().as_secs_f64()
			);
			break;
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
	running.shutdown().await;
}
