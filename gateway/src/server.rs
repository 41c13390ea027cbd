//! A running gateway: the API served on its listener, the outbox's workers, the nonce pruner;
//! stopped gracefully (the outbox drained) or, in tests, killed as a crash would.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use medchain_client::Keypair;
use tokio::{sync::watch, task::JoinHandle};

use crate::{
	chain::Chain, envelope::KeyEncryptionKey, metrics::Metrics, outbox::Outbox, store::Store,
	AppState, Config,
};

/// A gateway serving.
pub struct Running {
	/// Where it listens (the port chosen if the configuration said 0).
	pub addr: SocketAddr,
	pub state: AppState,
	stop: watch::Sender<bool>,
	tasks: Vec<JoinHandle<()>>,
	server: JoinHandle<()>,
}

/// Starts a gateway relaying through `relayers` in turn (at least one). `outbox`: whether to start the outbox's workers (a test holds them back
/// to stand for a crash between serving and reporting).
pub async fn start(
	config: Config,
	kek: Arc<dyn KeyEncryptionKey>,
	relayers: Vec<Keypair>,
	outbox: bool,
) -> anyhow::Result<Running> {
	let store = Store::open(&config.database, config.max_connections).await?;
	let metrics = Arc::new(Metrics::new()?);
	let chain = Chain::connect(
		&config.node,
		relayers,
		config.decision_batch,
		metrics.decision_answers.clone(),
		Some(metrics.relayed.clone()),
	)
	.await
	.map_err(|e| anyhow::anyhow!("{e}: start the node first, or fix `node` ({})", config.node))?;
	match chain.relayers_not_providers().await {
		Ok(refused) if refused.len() == chain.relayers().len() => tracing::error!(
			"no relayer key is an active provider's account: nothing will reach the chain until one is registered (docs/gateway.md, Keys)"
		),
		Ok(refused) => {
			for (line, account) in refused {
				tracing::error!(relayer = line, %account, "a relayer key is not an active provider's account: its transactions go again by the others; register it (docs/gateway.md, Keys) or remove it from relayer_key_file");
			}
		},
		Err(e) => tracing::warn!(error = %e, "could not check the relayer keys"),
	}
	let outbox_ = Outbox::new(
		store.clone(),
		chain.clone(),
		metrics.clone(),
		config.outbox_batch,
		config.outbox_in_flight,
		Duration::from_millis(config.outbox_interval_ms),
	);
	let (stop, stopped) = watch::channel(false);
	let mut tasks = if outbox {
		outbox_.start(stopped.clone(), Duration::from_secs(20)).await?
	} else {
		Vec::new()
	};
	tasks.push({
		let store = store.clone();
		let mut stopped = stopped.clone();
		tokio::spawn(async move {
			loop {
				tokio::select! {
					_ = tokio::time::sleep(Duration::from_secs(60)) => {},
					_ = stopped.changed() => return,
				}
				let _ = store.prune_nonces(crate::auth::now() as i64).await;
			}
		})
	});
	let listener = tokio::net::TcpListener::bind(config.listen)
		.await
		.map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen))?;
	let addr = listener.local_addr()?;
	let state = AppState { config: Arc::new(config), store, chain, kek, outbox: outbox_, metrics };
	let app = crate::api::router(state.clone());
	let mut stopping = stopped.clone();
	let server = tokio::spawn(async move {
		let shutdown = async move {
			let _ = stopping.changed().await;
		};
		if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
			tracing::error!(error = %e, "the API server stopped");
		}
	});
	tracing::info!(%addr, "medchain-gateway serving FHIR R4 at /fhir");
	Ok(Running { addr, state, stop, tasks, server })
}

impl Running {
	/// The API's base address (`http://127.0.0.1:PORT`).
	pub fn base(&self) -> String {
		format!("http://{}", self.addr)
	}

	/// Stops taking requests, drains the outbox (as far as the chain lets it in 20 s), stops.
	pub async fn shutdown(self) {
		let _ = self.stop.send(true);
		let _ = self.server.await;
		for task in self.tasks {
			let _ = task.await;
		}
	}

	/// Stops at once, as a crash would: nothing drained, nothing finished.
	pub fn kill(self) {
		self.server.abort();
		for task in &self.tasks {
			task.abort();
		}
	}
}
