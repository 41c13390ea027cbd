//! For tests and benchmarks (feature `testing`):
//!
//! - [`DevNode`]: `medchain-node --dev --tmp` on free ports, stopped when dropped, as the
//!   polkadot.js end-to-end tests start it (`tests/e2e/lib/devnode.js`);
//! - [`MemoryChain`]: a chain of audit entries served in memory over the JSON-RPC methods the
//!   audit exporter uses, every call counted (a dev node makes a block every 6 s: a trail spread
//!   over thousands of blocks would take hours to build on one).
//!
//! The binary is `$MEDCHAIN_NODE`, else `$CARGO_TARGET_DIR/debug/medchain-node`, else
//! `~/.cache/medchain/target/debug/medchain-node` (what `scripts/build.sh` builds).

use std::{
	net::TcpListener,
	path::PathBuf,
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

use crate::{Client, Error};

/// The dev nodes this process started and has not stopped. A node held in a `static` (one
/// node shared by a test file's tests) is never dropped: these are killed when the process
/// exits instead, so that no node outlives the tests that started it.
static RUNNING: std::sync::Mutex<Vec<u32>> = std::sync::Mutex::new(Vec::new());

extern "C" fn kill_running_nodes() {
	let pids = RUNNING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
	for pid in pids.iter() {
		if let Ok(pid) = libc::pid_t::try_from(*pid) {
			// SAFETY: kill(2) with a pid this process spawned and has not reaped (a reaped one
			// is removed from the list first); no memory is shared with the callee.
			unsafe { libc::kill(pid, libc::SIGKILL) };
		}
	}
}

fn started(pid: u32) {
	static AT_EXIT: std::sync::Once = std::sync::Once::new();
	AT_EXIT.call_once(|| {
		// SAFETY: registers a plain `extern "C" fn()` that only takes a lock and calls kill(2).
		unsafe { libc::atexit(kill_running_nodes) };
	});
	RUNNING.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(pid);
}

fn stopped(pid: u32) {
	RUNNING
		.lock()
		.unwrap_or_else(|poisoned| poisoned.into_inner())
		.retain(|p| *p != pid);
}

/// A running dev node; killed on drop, or when the process exits.
pub struct DevNode {
	child: Child,
	/// Its WebSocket address.
	pub url: String,
	/// Where its log goes.
	pub log: PathBuf,
	/// Its database (`None`: a temporary one, gone when it stops).
	base_path: Option<PathBuf>,
	rpc_port: u16,
}

/// The node binary, or why there is none.
pub fn node_binary() -> Result<PathBuf, String> {
	let home = std::env::var("HOME").unwrap_or_default();
	let candidates: Vec<PathBuf> = [
		std::env::var("MEDCHAIN_NODE").ok().map(PathBuf::from),
		std::env::var("CARGO_TARGET_DIR")
			.ok()
			.map(|dir| PathBuf::from(dir).join("debug").join("medchain-node")),
		Some(PathBuf::from(home).join(".cache/medchain/target/debug/medchain-node")),
	]
	.into_iter()
	.flatten()
	.collect();
	candidates.iter().find(|p| p.is_file()).cloned().ok_or_else(|| {
		format!("medchain-node is not built (looked at {candidates:?}): run scripts/build.sh first")
	})
}

/// A TCP port that was free a moment ago on 127.0.0.1. (Another process may take it before
/// it is used: [`DevNode`] lets the node choose its own ports instead.)
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0")
		.and_then(|l| l.local_addr())
		.map(|a| a.port())
		.expect("the loopback interface hands out a port")
}

/// The port of the node's JSON-RPC server, from its log (`Running JSON-RPC server:
/// addr=127.0.0.1:PORT`), once it says it.
fn rpc_port_in(log: &std::path::Path) -> Option<u16> {
	let text = std::fs::read_to_string(log).ok()?;
	let line = text.lines().find(|l| l.contains("Running JSON-RPC server"))?;
	let addr = line.split("addr=").nth(1)?;
	let first = addr.split(',').next()?;
	first.rsplit(':').next()?.trim().parse().ok()
}

impl DevNode {
	/// Starts a dev node on a temporary database and waits until it answers RPC and has made
	/// its first block. The node picks its own free ports (no race with other tests).
	pub async fn start() -> DevNode {
		Self::spawn(None, 0).await
	}

	/// Starts a dev node whose database is `base_path`, kept across [`DevNode::restart`].
	pub async fn start_at(base_path: PathBuf) -> DevNode {
		Self::spawn(Some(base_path), 0).await
	}

	async fn spawn(base_path: Option<PathBuf>, rpc_port: u16) -> DevNode {
		let binary = node_binary().unwrap_or_else(|e| panic!("{e}"));
		let log = std::env::temp_dir().join(format!(
			"medchain-dev-node-{}-{}.log",
			std::process::id(),
			Instant::now().elapsed().as_nanos() ^ u128::from(rand_suffix())
		));
		let log_file = std::fs::File::create(&log).expect("a log file in the temp dir");
		let mut command = Command::new(&binary);
		command.args(["--dev", "--no-telemetry", "--no-mdns", "--no-prometheus"]);
		match &base_path {
			Some(path) => command.arg("--base-path").arg(path),
			None => command.arg("--tmp"),
		};
		let child = command
			.args(["--rpc-port", &rpc_port.to_string(), "--port", "0"])
			.stdout(Stdio::null())
			.stderr(log_file)
			.spawn()
			.unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
		started(child.id());
		let mut node = DevNode { child, url: String::new(), log, base_path, rpc_port };
		let deadline = Instant::now() + Duration::from_secs(180);
		loop {
			if let Ok(Some(status)) = node.child.try_wait() {
				panic!("medchain-node exited early ({status}): see {}", node.log.display());
			}
			if node.url.is_empty() {
				if let Some(port) = rpc_port_in(&node.log) {
					node.rpc_port = port;
					node.url = format!("ws://127.0.0.1:{port}");
				}
			}
			if !node.url.is_empty() {
				if let Ok(client) = Client::connect(&node.url).await {
					if client.status().await.is_ok_and(|s| s.best >= 1) {
						return node;
					}
				}
			}
			assert!(
				Instant::now() < deadline,
				"the dev node made no block in 180 s: see {}",
				node.log.display()
			);
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}

	/// Stops the node (as a crash would: SIGKILL).
	pub fn stop(&mut self) {
		stopped(self.child.id());
		let _ = self.child.kill();
		let _ = self.child.wait();
	}

	/// Starts it again on the same database and port (a node restarted under its clients).
	/// Only for a node started with [`DevNode::start_at`].
	pub async fn restart(&mut self) {
		self.stop();
		let base_path = self.base_path.clone().expect("restart needs a node started with start_at");
		let restarted = Self::spawn(Some(base_path), self.rpc_port).await;
		let old = std::mem::replace(self, restarted);
		drop(old);
	}

	/// A client connected to it.
	pub async fn client(&self) -> Result<Client, Error> {
		Client::connect(&self.url).await
	}
}

fn rand_suffix() -> u64 {
	let mut bytes = [0u8; 8];
	let _ = getrandom::fill(&mut bytes);
	u64::from_le_bytes(bytes)
}

impl Drop for DevNode {
	fn drop(&mut self) {
		stopped(self.child.id());
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// A chain held in memory, answering the JSON-RPC methods the audit exporter calls
/// (`chain_getBlockHash`, `chain_getHeader`, `state_queryStorageAt` of `System.Events` and
/// `System.LastRuntimeUpgrade`, `state_getMetadata`, `audit_trailHead`) with real SCALE-encoded
/// events and a real hash chain, and counting every call by method. Serve it with
/// [`MemoryChain::rpc`].
#[derive(Default)]
pub struct MemoryChain {
	events: std::collections::BTreeMap<u32, Vec<u8>>,
	heads:
		std::collections::BTreeMap<medchain_primitives::PatientId, medchain_primitives::TrailHead>,
	by_hash: std::collections::HashMap<String, u32>,
	tip: u32,
	/// Blocks up to this one ran [`MemoryChain::OLDER_SPEC`] (0: none did).
	upgraded_after: u32,
	calls: std::sync::Mutex<std::collections::BTreeMap<String, usize>>,
}

/// The hash of block `number` of a [`MemoryChain`].
pub fn memory_block_hash(number: u32) -> crate::BlockHash {
	crate::BlockHash::from(sp_crypto_hashing::blake2_256(&number.to_le_bytes()))
}

/// The metadata this client was generated from (`client/metadata/medchain.scale`).
const METADATA: &[u8] = include_bytes!("../metadata/medchain.scale");

/// This client's metadata as a runtime before 103 had it: `Audit.EntryRecorded` without its
/// `previous_block` field.
fn older_metadata() -> Vec<u8> {
	use codec::{Decode, Encode};
	use subxt::ext::frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
	let mut prefixed =
		RuntimeMetadataPrefixed::decode(&mut &METADATA[..]).expect("the generated metadata");
	let RuntimeMetadata::V16(metadata) = &mut prefixed.1 else {
		panic!("client/metadata/medchain.scale is not metadata V16")
	};
	let audit = metadata.pallets.iter().find(|p| p.name == "Audit").expect("an Audit pallet");
	let events = audit.event.as_ref().expect("Audit's events").ty.id;
	let ty = metadata
		.types
		.types
		.iter_mut()
		.find(|t| t.id == events)
		.expect("Audit's event type");
	let scale_info::TypeDef::Variant(variants) = &mut ty.ty.type_def else {
		panic!("Audit's events are not an enum")
	};
	let recorded = variants
		.variants
		.iter_mut()
		.find(|v| v.name == "EntryRecorded")
		.expect("EntryRecorded");
	recorded.fields.retain(|f| f.name.as_deref() != Some("previous_block"));
	prefixed.encode()
}

impl MemoryChain {
	/// The spec version [`MemoryChain::with_upgrade`]'s first blocks ran.
	pub const OLDER_SPEC: u32 = 102;

	/// A chain of `blocks` blocks in which `patient` has `per_block` entries (reported reads) in
	/// each of `spread` blocks, evenly apart, and two other patients (`patient + 1`,
	/// `patient + 2`) one entry each in every block.
	pub fn with_trail(
		patient: medchain_primitives::PatientId,
		blocks: u32,
		spread: u32,
		per_block: u32,
	) -> Self {
		Self::with_upgrade(patient, blocks, spread, per_block, 0)
	}

	/// [`MemoryChain::with_trail`] whose blocks `1..=upgraded_after` ran an older runtime
	/// ([`MemoryChain::OLDER_SPEC`]), as runtime 102 did: its `EntryRecorded` events have no
	/// `previous_block` field (so its metadata, served for the blocks it ran, says) and its
	/// trail heads kept no block, so the first entry recorded after the upgrade links to
	/// block 0.
	pub fn with_upgrade(
		patient: medchain_primitives::PatientId,
		blocks: u32,
		spread: u32,
		per_block: u32,
		upgraded_after: u32,
	) -> Self {
		use crate::runtime::runtime_types::{
			frame_system::{EventRecord, Phase},
			medchain_runtime::RuntimeEvent,
			pallet_audit::pallet::Event as AuditPalletEvent,
		};
		use codec::Encode;
		use medchain_primitives::{
			audit::{next_head, Agent, AuditAction, AuditEntry, AuditEvent, AuditOutcome},
			Categories, Category, ConsentRef, Purpose, Purposes, TrailHead,
		};
		let eve = crate::AccountId::from([0xee; 32]);
		let mut heads: std::collections::BTreeMap<_, TrailHead> = Default::default();
		let mut events = std::collections::BTreeMap::new();
		let step = (blocks / spread.max(1)).max(1);
		for block in 1..=blocks {
			let older = block <= upgraded_after;
			let mut records: Vec<Vec<u8>> = Vec::new();
			let mut record = |who, action| {
				let trail = heads.entry(who).or_default();
				let seq = trail.last_seq.saturating_add(1);
				let entry = AuditEntry {
					seq,
					at: u64::from(block).saturating_mul(6_000),
					event: AuditEvent {
						categories: Categories::of(&[Category::LabResults]),
						purposes: Purposes::of(&[Purpose::Treatment]),
						outcome: AuditOutcome::Permitted,
						organisation: Some(1),
						record: Some(seq),
						consent: Some(ConsentRef::Grant(3)),
						..AuditEvent::new(who, action, Agent::Account(eve))
					},
				};
				let head = next_head(&trail.head, &entry);
				let previous_block = trail.last_block;
				// The older runtime's heads kept no block.
				let last_block = if older { 0 } else { block };
				*trail = TrailHead { last_seq: seq, head, last_block };
				let mut encoded = EventRecord {
					phase: Phase::ApplyExtrinsic(u32::try_from(records.len()).unwrap_or(u32::MAX)),
					event: RuntimeEvent::Audit(AuditPalletEvent::EntryRecorded {
						entry: crate::scale::convert(&entry).expect("the same encoding"),
						head,
						previous_block,
					}),
					topics: Vec::<crate::BlockHash>::new(),
				}
				.encode();
				if older {
					// The record ends `previous_block` (4 bytes) ‖ no topics (1 byte): the
					// older runtime's event stops before the block.
					let end = encoded.len().saturating_sub(1);
					encoded.drain(end.saturating_sub(4)..end);
				}
				records.push(encoded);
			};
			record(patient.saturating_add(1), AuditAction::AccessReported);
			if block % step == 0 && block / step <= spread {
				for _ in 0..per_block {
					record(patient, AuditAction::AccessReported);
				}
			}
			record(patient.saturating_add(2), AuditAction::RecordAnchored);
			let mut bytes = codec::Compact(u32::try_from(records.len()).unwrap_or(0)).encode();
			bytes.extend(records.concat());
			events.insert(block, bytes);
		}
		let by_hash = (0..=blocks).map(|n| (format!("{:?}", memory_block_hash(n)), n)).collect();
		Self { events, heads, by_hash, tip: blocks, upgraded_after, calls: Default::default() }
	}

	/// The spec version of the runtime that executed block `block`.
	pub fn spec_of(&self, block: u32) -> u32 {
		if block <= self.upgraded_after {
			Self::OLDER_SPEC
		} else {
			crate::client::GENERATED_FOR_SPEC_VERSION
		}
	}

	/// The last block's hash.
	pub fn tip_hash(&self) -> crate::BlockHash {
		memory_block_hash(self.tip)
	}

	/// The last block's number.
	pub fn tip(&self) -> u32 {
		self.tip
	}

	/// `patient`'s trail head at the last block.
	pub fn head(&self, patient: medchain_primitives::PatientId) -> medchain_primitives::TrailHead {
		self.heads.get(&patient).copied().unwrap_or_default()
	}

	/// Replaces `patient`'s trail head: a node that answers with a head its events do not prove.
	pub fn set_head(
		&mut self,
		patient: medchain_primitives::PatientId,
		head: medchain_primitives::TrailHead,
	) {
		self.heads.insert(patient, head);
	}

	/// Calls made to `method` so far.
	pub fn calls(&self, method: &str) -> usize {
		self.calls.lock().map(|c| c.get(method).copied().unwrap_or(0)).unwrap_or(0)
	}

	/// Calls made so far, all methods.
	pub fn total_calls(&self) -> usize {
		self.calls.lock().map(|c| c.values().sum()).unwrap_or(0)
	}

	/// A JSON-RPC client served by this chain.
	pub fn rpc(self: &std::sync::Arc<Self>) -> subxt::rpcs::client::RpcClient {
		subxt::rpcs::client::RpcClient::new(Served(self.clone()))
	}

	fn answer(
		&self,
		method: &str,
		params: &[serde_json::Value],
	) -> Result<serde_json::Value, String> {
		use serde_json::{json, Value};
		let number = |hash: Option<&Value>| {
			hash.and_then(Value::as_str)
				.and_then(|h| self.by_hash.get(h).copied())
				.ok_or_else(|| format!("{method}: unknown block {hash:?}"))
		};
		Ok(match method {
			"chain_getBlockHash" => {
				match params.first().and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok()) {
					Some(n) if n <= self.tip => json!(memory_block_hash(n)),
					_ => Value::Null,
				}
			},
			"chain_getHeader" => {
				let n = number(params.first())?;
				let zero = format!("0x{}", "00".repeat(32));
				json!({
					"parentHash": n.checked_sub(1).map(memory_block_hash).map_or(zero.clone(), |h| format!("{h:?}")),
					"number": format!("0x{n:x}"),
					"stateRoot": zero,
					"extrinsicsRoot": zero,
					"digest": { "logs": [] },
				})
			},
			"state_queryStorageAt" => {
				use codec::Encode;
				let n = number(params.get(1))?;
				let keys: Vec<String> = params
					.first()
					.and_then(|k| serde_json::from_value(k.clone()).ok())
					.ok_or("a list of keys")?;
				let system = |item: &str| {
					let mut key = sp_crypto_hashing::twox_128(b"System").to_vec();
					key.extend(sp_crypto_hashing::twox_128(item.as_bytes()));
					format!("0x{}", hex::encode(key))
				};
				let changes: Vec<Value> = keys
					.iter()
					.map(|key| {
						let value = if *key == system("Events") {
							Some(self.events.get(&n).cloned().unwrap_or_else(|| vec![0]))
						} else if *key == system("LastRuntimeUpgrade") {
							// `LastRuntimeUpgradeInfo`: the spec version, compact, then its name.
							Some((codec::Compact(self.spec_of(n)), "medchain").encode())
						} else {
							None
						};
						json!([key, value.map(|v| format!("0x{}", hex::encode(v)))])
					})
					.collect();
				json!([{ "block": memory_block_hash(n), "changes": changes }])
			},
			"state_getMetadata" => {
				// The code in block n's state is the runtime that executes block n + 1.
				let n = number(params.first())?;
				let metadata = if self.spec_of(n.saturating_add(1)) == Self::OLDER_SPEC {
					older_metadata()
				} else {
					METADATA.to_vec()
				};
				json!(format!("0x{}", hex::encode(metadata)))
			},
			"audit_trailHead" => {
				let patient = params.first().and_then(Value::as_u64).ok_or("a patient id")?;
				json!(self.head(patient))
			},
			other => return Err(format!("MemoryChain does not serve {other}")),
		})
	}
}

struct Served(std::sync::Arc<MemoryChain>);

impl subxt::rpcs::client::RpcClientT for Served {
	fn request_raw<'a>(
		&'a self,
		method: &'a str,
		params: Option<Box<subxt::rpcs::client::RawValue>>,
	) -> subxt::rpcs::client::RawRpcFuture<'a, Box<subxt::rpcs::client::RawValue>> {
		Box::pin(async move {
			if let Ok(mut calls) = self.0.calls.lock() {
				*calls.entry(method.into()).or_default() += 1;
			}
			let params: Vec<serde_json::Value> =
				params.and_then(|p| serde_json::from_str(p.get()).ok()).unwrap_or_default();
			let fail = |e: String| subxt::rpcs::Error::Client(e.into());
			let answer = self.0.answer(method, &params).map_err(fail)?;
			subxt::rpcs::client::RawValue::from_string(answer.to_string())
				.map_err(|e| fail(e.to_string()))
		})
	}

	fn subscribe_raw<'a>(
		&'a self,
		sub: &'a str,
		_params: Option<Box<subxt::rpcs::client::RawValue>>,
		_unsub: &'a str,
	) -> subxt::rpcs::client::RawRpcFuture<'a, subxt::rpcs::client::RawRpcSubscription> {
		let sub = sub.to_string();
		Box::pin(async move {
			Err(subxt::rpcs::Error::Client(format!("MemoryChain does not serve {sub}").into()))
		})
	}
}
