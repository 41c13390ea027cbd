//! A dev node for tests (feature `testing`): `medchain-node --dev --tmp` on free ports, stopped
//! when dropped, as the polkadot.js end-to-end tests start it (`tests/e2e/lib/devnode.js`).
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

/// A running dev node; killed on drop.
pub struct DevNode {
	child: Child,
	/// Its WebSocket address.
	pub url: String,
	/// Where its log goes.
	pub log: PathBuf,
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

/// A TCP port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0")
		.and_then(|l| l.local_addr())
		.map(|a| a.port())
		.expect("the loopback interface hands out a port")
}

impl DevNode {
	/// Starts a dev node and waits until it answers RPC and has made its first block.
	pub async fn start() -> DevNode {
		let binary = node_binary().unwrap_or_else(|e| panic!("{e}"));
		let (rpc, p2p, prometheus) = (free_port(), free_port(), free_port());
		let log = std::env::temp_dir().join(format!("medchain-dev-node-{rpc}.log"));
		let log_file = std::fs::File::create(&log).expect("a log file in the temp dir");
		let child = Command::new(&binary)
			.args(["--dev", "--tmp", "--no-telemetry", "--no-mdns"])
			.args(["--rpc-port", &rpc.to_string(), "--port", &p2p.to_string()])
			.args(["--prometheus-port", &prometheus.to_string()])
			.stdout(Stdio::null())
			.stderr(log_file)
			.spawn()
			.unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
		let mut node = DevNode { child, url: format!("ws://127.0.0.1:{rpc}"), log };
		let deadline = Instant::now() + Duration::from_secs(180);
		loop {
			if let Ok(Some(status)) = node.child.try_wait() {
				panic!("medchain-node exited early ({status}): see {}", node.log.display());
			}
			if let Ok(client) = Client::connect(&node.url).await {
				if client.status().await.is_ok_and(|s| s.best >= 1) {
					return node;
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

	/// A client connected to it.
	pub async fn client(&self) -> Result<Client, Error> {
		Client::connect(&self.url).await
	}
}

impl Drop for DevNode {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}
