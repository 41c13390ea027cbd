//! Audit export speed, in entries per second (docs/performance.md, "Audit export").
//!
//! ```sh
//! cargo run --release -p medchain-client --features testing --example export_bench
//! MEDCHAIN_BENCH_NODE=0 cargo run --release -p medchain-client --features testing --example export_bench
//! ```
//!
//! 1. **In memory**: a 10,000-entry trail over 5,000 blocks of a 20,000-block chain
//!    (`testing::MemoryChain`: real SCALE events, real hash chain, served over the JSON-RPC
//!    interface in process): the exporter's own cost (walk, decode, rebuild and check), and
//!    writing and reading NDJSON and the FHIR Bundle.
//! 2. **A dev node** (`medchain-node --dev`, unless `MEDCHAIN_BENCH_NODE=0`): a patient's trail
//!    of `MEDCHAIN_BENCH_ENTRIES` entries (default 10,000: reported reads, 64 a transaction),
//!    built first, then exported over WebSocket: what an auditor sees, RPC round trips included.
//!
//! Each timed step runs `MEDCHAIN_BENCH_RUNS` times (default 5); the table gives the median.

use std::{
	sync::Arc,
	time::{Duration, Instant},
};

use medchain_client::{
	audit, fhir, keys, runtime,
	testing::{DevNode, MemoryChain},
	AccountId, Wait,
};
use medchain_primitives::{
	AccessReport, Action, Actions, Categories, Category, ConsentRef, GrantTerms, Grantee, Hash32,
	Purpose, Purposes,
};

fn env_number(name: &str, default: u64) -> u64 {
	std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The median of `runs` timings of `step`.
async fn median<T, F: std::future::Future<Output = T>>(
	runs: u64,
	mut step: impl FnMut() -> F,
) -> (Duration, T) {
	let mut times = Vec::new();
	let mut last = None;
	for _ in 0..runs.max(1) {
		let start = Instant::now();
		let out = step().await;
		times.push(start.elapsed());
		last = Some(out);
	}
	times.sort();
	(times[times.len() / 2], last.expect("at least one run"))
}

fn row(what: &str, entries: usize, time: Duration) {
	let rate = entries as f64 / time.as_secs_f64();
	println!("| {what} | {entries} | {:.1} ms | {rate:.0} |", time.as_secs_f64() * 1e3);
}

async fn in_memory(runs: u64) {
	let chain = Arc::new(MemoryChain::with_trail(7, 20_000, 5_000, 2));
	let (time, export) = median(runs, || async {
		let (export, _) =
			audit::export(&chain.rpc(), 7, chain.tip_hash(), audit::Unlinked::Refuse, |_, _| {})
				.await
				.expect("the trail proves itself");
		export
	})
	.await;
	let n = export.entries.len();
	println!("\nIn memory: {n} entries over 5,000 of 20,000 blocks, {runs} runs, median\n");
	println!("| step | entries | time | entries/s |\n|---|---|---|---|");
	row("export (walk, decode, rebuild, check)", n, time);
	let calls = chain.total_calls() / runs.max(1) as usize;
	let (time, text) = median(runs, || async { audit::to_ndjson(&export) }).await;
	row("write NDJSON", n, time);
	let (time, ()) = median(runs, || async {
		let read = audit::from_ndjson(&text).expect("reads");
		audit::verify(&read, &export.header.trail).expect("verifies");
	})
	.await;
	row("read NDJSON and verify", n, time);
	let (time, bundle) = median(runs, || async { fhir::export_to_bundle_json(&export) }).await;
	row("write the FHIR Bundle", n, time);
	let (time, ()) = median(runs, || async {
		let read = fhir::bundle_json_to_export(&bundle).expect("reads");
		audit::verify(&read, &export.header.trail).expect("verifies");
	})
	.await;
	row("read the FHIR Bundle and verify", n, time);
	println!(
		"\nRPC calls a run: {calls}; NDJSON {} bytes ({} a line); the Bundle {} bytes",
		text.len(),
		text.len() / (n + 1),
		bundle.len()
	);
}

async fn on_a_dev_node(runs: u64, target: u64) {
	let node = DevNode::start().await;
	let client = node.client().await.expect("connects");
	let eve = keys::from_secret("//Eve").expect("a dev key");
	let patient_key =
		keys::from_secret(&format!("//bench-export-{}", std::process::id())).expect("a key");
	let (patient, _) = client
		.enrol_patient(
			&eve,
			&AccountId::from(patient_key.public_key()),
			Hash32::repeat_byte(1),
			Wait::InBlock,
		)
		.await
		.expect("Eve enrols a patient");
	let now = client.now().await.expect("the chain's clock");
	let terms = GrantTerms {
		grantee: Grantee::Practitioner(AccountId::from(eve.public_key())),
		categories: Categories::of(&[Category::LabResults]),
		purposes: Purposes::of(&[Purpose::Treatment]),
		actions: Actions::of(&[Action::Read]),
		valid_from: now,
		valid_until: Some(now + 24 * 60 * 60 * 1000),
	};
	let (grant, _) = client
		.grant(&patient_key, patient, &terms, Categories::NONE, Wait::InBlock)
		.await
		.expect("the patient grants Eve");
	let per_call = u64::from(client.max_reports_per_batch().await.expect("MaxReportsPerBatch"));
	let report = AccessReport {
		patient,
		category: Category::LabResults,
		purpose: Purpose::Treatment,
		basis: ConsentRef::Grant(grant),
		record: None,
	};
	// Build the trail: Eve's report batches, into the pool as fast as admission lets them in
	// (her budget per 10-block window), until the trail holds `target` entries.
	let start = Instant::now();
	let trail_length = || {
		let client = client.clone();
		async move { client.trail_head(patient, None).await.expect("head").last_seq }
	};
	let base = trail_length().await;
	let goal = target.saturating_sub(base);
	// Entries submitted in report batches, and when the trail last grew.
	let (mut queued, mut last_growth, mut grown) = (0u64, Instant::now(), 0u64);
	loop {
		let recorded = trail_length().await - base;
		if recorded >= goal {
			break;
		}
		if recorded > grown {
			(grown, last_growth) = (recorded, Instant::now());
		}
		// A batch the pool dropped: after a minute without growth, submit what is missing again.
		if last_growth.elapsed() > Duration::from_secs(60) && queued > recorded {
			eprintln!("\nno growth for a minute: resubmitting {} entries", queued - recorded);
			(queued, last_growth) = (recorded, Instant::now());
		}
		if queued < goal && queued - recorded < 16 * per_call {
			let n = per_call.min(goal - queued);
			let reports = vec![report; n as usize];
			let call = runtime::tx()
				.audit()
				.report_access_batch(medchain_client::scale::convert(&reports).expect("converts"));
			match client.submit_to_pool(&call, &eve).await {
				Ok(_) => queued += n,
				// Admission's budget for this window is spent: wait for the next one.
				Err(_) => tokio::time::sleep(Duration::from_secs(6)).await,
			}
		} else {
			tokio::time::sleep(Duration::from_secs(2)).await;
		}
		eprint!(
			"\rtrail: {} of {target} entries ({:.0} s)   ",
			base + recorded,
			start.elapsed().as_secs_f64()
		);
	}
	eprintln!();
	let at = client.best_hash().await.expect("best");
	let (time, (export, reads)) = median(runs, || async {
		client
			.export_trail(patient, at, audit::Unlinked::Refuse, |_, _| {})
			.await
			.expect("the trail proves itself")
	})
	.await;
	let n = export.entries.len();
	println!(
		"\nA dev node (WebSocket, one connection): {n} entries over {} blocks, built in {:.0} s; {runs} runs, median\n",
		reads.blocks,
		start.elapsed().as_secs_f64()
	);
	println!("| step | entries | time | entries/s |\n|---|---|---|---|");
	row("export (walk, decode, rebuild, check)", n, time);
	let (time, ()) = median(runs, || async {
		let (chain, _) = client
			.export_trail(patient, at, audit::Unlinked::Refuse, |_, _| {})
			.await
			.expect("the trail proves itself");
		audit::compare(&export, &chain).expect("verifies");
	})
	.await;
	row("verify against the chain (re-export, compare)", n, time);
}

#[tokio::main]
async fn main() {
	let runs = env_number("MEDCHAIN_BENCH_RUNS", 5);
	in_memory(runs).await;
	if env_number("MEDCHAIN_BENCH_NODE", 1) != 0 {
		on_a_dev_node(runs, env_number("MEDCHAIN_BENCH_ENTRIES", 10_000)).await;
	}
}
