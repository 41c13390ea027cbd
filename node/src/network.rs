//! The node's network, with every request-response protocol behind the authorised-peer gate.
//!
//! On a permissioned chain only the peers governance authorised may be served anything
//! (security review 2026-12, N-2). Making the block-announce set reserved-only
//! ([`crate::permissioning`]) keeps outsiders out of sync's gossip, but sc-network answers the
//! request-response protocols — blocks, state, warp-sync proofs, light-client reads and remote
//! runtime calls — for any peer that connects. polkadot-sdk (stable2609: sc-network 0.60,
//! sc-service 0.62) has no hook to gate connections or those protocols: every handler is made
//! inside `sc_service::build_network`, which adds it to a network configuration whose
//! protocols cannot be reached from outside. So the node builds its network itself:
//! [`build_network`] is `sc_service::build_network` (with `build_polkadot_syncing_strategy`,
//! `build_network_advanced` and the network future it spawns) as sc-service 0.62.0 writes it,
//! with two differences:
//!
//! 1. each request-response protocol's incoming requests go through a [`Gate`] before its
//!    handler sees them: a request from a peer that is not authorised (in the best block's
//!    state, as [`crate::permissioning::enforce`] reads it) is refused unread, and the peer is
//!    reported with a fatal reputation change, which bans it;
//! 2. IPFS (`--ipfs-server`, Bitswap) is not offered: the node refuses to start with it.
//!
//! On a chain that is not permissioned (`dev`, `local`) the gate is open. Keep this file in step
//! with sc-service when polkadot-sdk is upgraded (docs/security.md, N-2).

use std::{
	collections::HashSet,
	sync::{Arc, RwLock},
};

use futures::{pin_mut, FutureExt, StreamExt};
use medchain_runtime::opaque::Block;
use sc_client_api::{BlockBackend, BlockchainEvents};
use sc_consensus::ImportQueue as _;
use sc_network::service::traits::NetworkBlock as _;
use sc_network::{
	config::{FullNetworkConfiguration, IncomingRequest, OutgoingResponse},
	service::traits::{NetworkBackend, RequestResponseConfig as _},
	NetworkWorker, PeerId, ReputationChange,
};
use sc_network_common::role::Roles;
use sc_network_light::light_client_requests::handler::LightClientRequestHandler;
use sc_network_sync::{
	block_request_handler::BlockRequestHandler,
	engine::SyncingEngine,
	service::network::NetworkServiceProvider,
	state_request_handler::StateRequestHandler,
	strategy::polkadot::{PolkadotSyncingStrategy, PolkadotSyncingStrategyConfig},
	warp_request_handler::RequestHandler as WarpSyncRequestHandler,
	SyncingService, WarpSyncConfig,
};
use sc_service::{error::Error as ServiceError, Configuration, SpawnTaskHandle, TaskManager};
use sc_utils::mpsc::{tracing_unbounded, TracingUnboundedSender};
use sp_blockchain::HeaderBackend as _;
use sp_runtime::traits::Block as BlockT;

use crate::service::{FullClient, TransactionPool};

type Hash = <Block as BlockT>::Hash;

/// How many requests of one protocol may wait at its gate: as many as its handler's own queue.
const GATE_QUEUE: usize = 64;

/// Who may be served the request-response protocols: everyone (a chain that is not
/// permissioned), or the authorised peers of the best block.
#[derive(Clone)]
pub struct Gate {
	/// `None`: open. `Some(set)`: only these peers; empty until the node has read the chain's
	/// authorised nodes (fail closed).
	authorised: Arc<RwLock<Option<HashSet<PeerId>>>>,
}

impl Gate {
	/// A gate that lets every peer through (a chain that is not permissioned).
	pub fn open() -> Self {
		Self { authorised: Arc::new(RwLock::new(None)) }
	}

	/// A gate that lets nobody through until [`Gate::authorise`] names the authorised peers.
	pub fn closed() -> Self {
		Self { authorised: Arc::new(RwLock::new(Some(HashSet::new()))) }
	}

	/// From now on, only `peers` are served.
	pub fn authorise(&self, peers: HashSet<PeerId>) {
		// A poisoned lock means a writer panicked: keep the set that was last written.
		let mut authorised = self.authorised.write().unwrap_or_else(|e| e.into_inner());
		*authorised = Some(peers);
	}

	/// Whether `peer` may be served.
	pub fn allows(&self, peer: &PeerId) -> bool {
		let authorised = self.authorised.read().unwrap_or_else(|e| e.into_inner());
		authorised.as_ref().is_none_or(|set| set.contains(peer))
	}

	/// Puts `config`'s incoming requests behind the gate: the network hands them to a task of
	/// the gate's, which passes the authorised peers' on to the protocol's handler and refuses
	/// the others' (refused, banned, never read).
	fn guard<N: GatedBackend>(
		&self,
		mut config: N::RequestResponseProtocolConfig,
		spawn: &SpawnTaskHandle,
	) -> N::RequestResponseProtocolConfig {
		let name = config.protocol_name().to_string();
		let Some(handler) = N::inbound_queue(&mut config).take() else {
			// A protocol that only sends requests: nothing comes in to gate.
			return config;
		};
		let (to_gate, mut requests) = async_channel::bounded::<IncomingRequest>(GATE_QUEUE);
		*N::inbound_queue(&mut config) = Some(to_gate);
		let gate = self.clone();
		spawn.spawn("request-gate", Some("networking"), async move {
			while let Some(request) = requests.next().await {
				if gate.allows(&request.peer) {
					if handler.send(request).await.is_err() {
						// The handler has stopped: the node is stopping.
						return;
					}
				} else {
					log::debug!(
						target: "permissioning",
						"refused a request of {name} from {}: not an authorised node",
						request.peer
					);
					let _ = request.pending_response.send(OutgoingResponse {
						result: Err(()),
						reputation_changes: vec![ReputationChange::new_fatal(
							"not an authorised node",
						)],
						sent_feedback: None,
					});
				}
			}
		});
		config
	}
}

/// A network backend whose request-response configuration gives up its incoming-request
/// channel, so that [`Gate::guard`] can put itself in front of it. Both of sc-network's
/// backends are.
pub trait GatedBackend: NetworkBackend<Block, Hash> {
	/// The channel on which the network hands a protocol's incoming requests to its handler.
	fn inbound_queue(
		config: &mut Self::RequestResponseProtocolConfig,
	) -> &mut Option<async_channel::Sender<IncomingRequest>>;
}

impl GatedBackend for sc_network::Litep2pNetworkBackend {
	fn inbound_queue(
		config: &mut Self::RequestResponseProtocolConfig,
	) -> &mut Option<async_channel::Sender<IncomingRequest>> {
		&mut config.inbound_queue
	}
}

impl GatedBackend for NetworkWorker<Block, Hash> {
	fn inbound_queue(
		config: &mut Self::RequestResponseProtocolConfig,
	) -> &mut Option<async_channel::Sender<IncomingRequest>> {
		&mut config.inbound_queue
	}
}

/// What [`build_network`] gives back: what `sc_service::build_network` gives, but Bitswap.
pub type Network = (
	Arc<dyn sc_network::service::traits::NetworkService>,
	TracingUnboundedSender<sc_rpc::system::Request<Block>>,
	sc_network_transactions::TransactionsHandlerController<Hash>,
	Arc<SyncingService<Block>>,
);

/// `sc_service::build_network` (sc-service 0.62.0) with the block, state, warp-sync and
/// light-client protocols behind `gate` (see the module docs).
#[allow(clippy::too_many_arguments)]
pub fn build_network<N: GatedBackend>(
	config: &Configuration,
	mut net_config: FullNetworkConfiguration<Block, Hash, N>,
	client: Arc<FullClient>,
	transaction_pool: Arc<TransactionPool>,
	task_manager: &TaskManager,
	import_queue: sc_consensus::DefaultImportQueue<Block>,
	warp_sync_config: WarpSyncConfig<Block>,
	metrics: sc_network::NotificationMetrics,
	gate: &Gate,
) -> Result<Network, ServiceError> {
	if net_config.network_config.ipfs_server {
		return Err(ServiceError::Other(
			"--ipfs-server is not offered by medchain-node: its requests would not pass the \
			 node-permissioning gate"
				.into(),
		));
	}
	let spawn_handle = task_manager.spawn_handle();
	let spawn_essential_handle = task_manager.spawn_essential_handle();
	let network_service_provider = NetworkServiceProvider::new();
	let protocol_id = config.protocol_id();
	let fork_id = config.chain_spec.fork_id();
	let metrics_registry = config.prometheus_config.as_ref().map(|config| &config.registry);
	let genesis_hash = client.info().genesis_hash;

	// Blocks (sc-service: build_default_block_downloader).
	let num_peers_hint = config.network.default_peers_set.in_peers as usize
		+ config.network.default_peers_set.out_peers as usize;
	let block_relay = BlockRequestHandler::new::<N>(
		network_service_provider.handle(),
		&protocol_id,
		fork_id,
		client.clone(),
		num_peers_hint,
	);
	let mut block_server = block_relay.server;
	spawn_handle.spawn("block-request-handler", Some("networking"), async move {
		block_server.run().await;
	});
	net_config.add_request_response_protocol(
		gate.guard::<N>(block_relay.request_response_config, &spawn_handle),
	);

	// State and warp-sync proofs (sc-service: build_polkadot_syncing_strategy).
	if client.requires_full_sync() && net_config.network_config.sync_mode.is_warp() {
		return Err(ServiceError::Other("Warp sync doesn't work for archive nodes".into()));
	}
	let state_request_protocol_name = {
		let num_peer_hint = net_config.network_config.default_peers_set_num_full as usize
			+ net_config.network_config.default_peers_set.reserved_nodes.len();
		let (handler, protocol_config) =
			StateRequestHandler::new::<N>(&protocol_id, fork_id, client.clone(), num_peer_hint);
		let name = protocol_config.protocol_name().clone();
		spawn_handle.spawn("state-request-handler", Some("networking"), handler.run());
		net_config.add_request_response_protocol(gate.guard::<N>(protocol_config, &spawn_handle));
		name
	};
	let warp_sync_protocol_name = match &warp_sync_config {
		WarpSyncConfig::WithProvider(provider) => {
			let (handler, protocol_config) = WarpSyncRequestHandler::new::<_, N>(
				protocol_id.clone(),
				genesis_hash,
				fork_id,
				provider.clone(),
			);
			let name = protocol_config.protocol_name().clone();
			spawn_handle.spawn("warp-sync-request-handler", Some("networking"), handler.run());
			net_config
				.add_request_response_protocol(gate.guard::<N>(protocol_config, &spawn_handle));
			Some(name)
		},
		_ => None,
	};
	let gap_sync_body_policy = sc_service::default_gap_sync_body_policy(config.blocks_pruning);
	let syncing_strategy = Box::new(
		PolkadotSyncingStrategy::new(
			PolkadotSyncingStrategyConfig {
				mode: net_config.network_config.sync_mode,
				max_parallel_downloads: net_config.network_config.max_parallel_downloads,
				max_blocks_per_request: net_config.network_config.max_blocks_per_request,
				min_peers_to_start_warp_sync: net_config
					.network_config
					.min_peers_to_start_warp_sync,
				metrics_registry: metrics_registry.cloned(),
				state_request_protocol_name,
				block_downloader: block_relay.downloader,
				gap_sync_body_policy,
			},
			client.clone(),
			Some(warp_sync_config),
			warp_sync_protocol_name,
		)
		.map_err(|e| ServiceError::Other(e.to_string()))?,
	);

	let (syncing_engine, sync_service, block_announce_config) = SyncingEngine::new(
		Roles::from(&config.role),
		client.clone(),
		metrics_registry,
		metrics.clone(),
		&net_config,
		protocol_id.clone(),
		fork_id,
		Box::new(sp_consensus::block_validation::DefaultBlockAnnounceValidator),
		syncing_strategy,
		network_service_provider.handle(),
		sc_consensus::ImportQueue::service(&import_queue),
		net_config.peer_store_handle(),
	)
	.map_err(|e| ServiceError::Other(e.to_string()))?;
	// The syncing engine is essential: a node that can no longer sync is better shut down.
	spawn_essential_handle.spawn_blocking("syncing", None, syncing_engine.run());
	let sync_service = Arc::new(sync_service);

	// Light-client requests (sc-service: build_network_advanced).
	let (handler, light_config) =
		LightClientRequestHandler::new::<N>(&protocol_id, fork_id, client.clone());
	spawn_handle.spawn("light-client-request-handler", Some("networking"), handler.run());
	net_config.add_request_response_protocol(gate.guard::<N>(light_config, &spawn_handle));

	let (transactions_handler_proto, transactions_config) =
		sc_network_transactions::TransactionsHandlerPrototype::new::<_, Block, N>(
			protocol_id.clone(),
			genesis_hash,
			fork_id,
			metrics.clone(),
			net_config.peer_store_handle(),
		);
	net_config.add_notification_protocol(transactions_config);

	let peer_store = net_config.take_peer_store();
	spawn_handle.spawn(
		"peer-store",
		Some("networking"),
		sc_network::service::traits::PeerStore::run(peer_store),
	);

	let network_params = sc_network::config::Params::<Block, Hash, N> {
		role: config.role,
		executor: {
			let spawn_handle = spawn_handle.clone();
			Box::new(move |fut| {
				spawn_handle.spawn("libp2p-node", Some("networking"), fut);
			})
		},
		network_config: net_config,
		genesis_hash,
		protocol_id,
		fork_id: fork_id.map(ToOwned::to_owned),
		metrics_registry: metrics_registry.cloned(),
		block_announce_config,
		ipfs_config: None,
		notification_metrics: metrics,
	};
	let has_bootnodes = !network_params.network_config.network_config.boot_nodes.is_empty();
	let network_mut = N::new(network_params)?;
	let network = network_mut.network_service().clone();

	let (tx_handler, tx_handler_controller) = transactions_handler_proto.build(
		network.clone(),
		sync_service.clone(),
		Arc::new(sc_service::TransactionPoolAdapter::new(transaction_pool, client.clone())),
		metrics_registry,
	)?;
	spawn_handle.spawn_blocking(
		"network-transactions-handler",
		Some("networking"),
		tx_handler.run(),
	);
	spawn_handle.spawn_blocking(
		"chain-sync-network-service-provider",
		Some("networking"),
		network_service_provider.run(Arc::new(network.clone())),
	);
	spawn_handle.spawn("import-queue", None, {
		let sync_service = sync_service.clone();
		async move { import_queue.run(sync_service.as_ref()).await }
	});

	let (system_rpc_tx, system_rpc_rx) = tracing_unbounded("mpsc_system_rpc", 10_000);
	spawn_handle.spawn(
		"system-rpc-handler",
		Some("networking"),
		sc_service::build_system_rpc_future::<_, _, Hash>(
			config.role,
			network_mut.network_service(),
			sync_service.clone(),
			client.clone(),
			system_rpc_rx,
			has_bootnodes,
		),
	);

	let future = network_future(network_mut, client, sync_service.clone(), config.announce_block);
	// The network worker is essential: if it stops, the node stops.
	spawn_essential_handle.spawn_blocking("network-worker", Some("networking"), future);

	Ok((network, system_rpc_tx, tx_handler_controller, sync_service))
}

/// Drives the network, announcing imported blocks and telling sync of new best and finalised
/// blocks (sc-service 0.62.0's `build_network_future`, which it does not export).
async fn network_future<N: NetworkBackend<Block, Hash>>(
	network: N,
	client: Arc<FullClient>,
	sync_service: Arc<SyncingService<Block>>,
	announce_imported_blocks: bool,
) {
	let mut imported_blocks = client.import_notification_stream().fuse();
	let mut finalized_blocks = client.finality_notification_stream().fuse();
	let network_run = network.run().fuse();
	pin_mut!(network_run);
	loop {
		futures::select! {
			notification = imported_blocks.next() => {
				let Some(notification) = notification else {
					log::warn!("Block import stream has terminated, shutting down the network future. Ignore if the node is stopping.");
					return;
				};
				if announce_imported_blocks {
					sync_service.announce_block(notification.hash, None);
				}
				if notification.is_new_best {
					sync_service.new_best_block_imported(
						notification.hash,
						*sp_runtime::traits::Header::number(&notification.header),
					);
				}
			}
			notification = finalized_blocks.select_next_some() => {
				sync_service.on_block_finalized(notification.hash, notification.header);
			}
			_ = network_run => {
				log::warn!("`NetworkWorker` has terminated, shutting down the network future. Ignore if the node is stopping.");
				return;
			}
		}
	}
}
