//! Node permissioning on consortium chains, enforced by the node itself.
//!
//! On a permissioned chain ([`mode`]) the node deals only with the peers governance authorised
//! (pallet-node-authorization's `WellKnownNodes`, plus the `AdditionalConnections` of its own
//! peer id):
//!
//! - from the start: the network is built refusing every peer that is not reserved, and
//!   serving no request-response protocol to anyone ([`crate::network::Gate`]), before it
//!   listens (so there is no moment at which an outsider is served);
//! - then, at every new best block, the authorised peers read from that block's state become
//!   the reserved set, in authorised-only mode, and the peers the gate serves. The reserved set
//!   is set again at every best block, so a peer added some other way (the unsafe RPC
//!   `system_addReservedPeer`) never outlives the next block; the gate serves only the chain's
//!   list.
//!
//! Whatever the node's role or flags (validator or RPC node, offchain workers on or off), it
//! enforces the list: permissioning never depends on an offchain worker being enabled.
//!
//! A node that is not (yet, in the state it has) one of the well-known nodes — a node
//! governance authorised at run time, syncing from genesis — may talk to the well-known nodes
//! and to those its own entry names: whether they accept it is *their* decision, by their
//! up-to-date state. (pallet-node-authorization's own offchain worker would isolate such a
//! node with an empty list, so that it could never sync to the block that authorised it.)

use std::{collections::BTreeSet, collections::HashSet, sync::Arc};

use sc_chain_spec::ChainSpec;
use sc_client_api::HeaderBackend;
use sc_service::ChainType;

use codec::{Decode, Encode};
use futures::StreamExt;
use medchain_runtime::opaque::Block;
use sc_client_api::{BlockchainEvents, StorageProvider};
use sc_network::{NetworkPeers, NetworkStateInfo, PeerId};
use sp_core::{storage::StorageKey, OpaquePeerId};
use sp_io::hashing::{blake2_128, twox_128};
use sp_runtime::traits::Block as BlockT;

/// The runtime's name for pallet-node-authorization.
const PALLET: &[u8] = b"NodeAuthorization";

fn well_known_nodes_key() -> StorageKey {
	StorageKey([twox_128(PALLET), twox_128(b"WellKnownNodes")].concat())
}

fn additional_connections_key(node: &OpaquePeerId) -> StorageKey {
	let encoded = node.encode();
	StorageKey(
		[
			&twox_128(PALLET)[..],
			&twox_128(b"AdditionalConnections"),
			&blake2_128(&encoded),
			&encoded,
		]
		.concat(),
	)
}

/// The peers `local` may keep at block `at`: the well-known nodes but itself, and its own
/// additional connections; and how many entries are not peer ids (authorising nothing).
pub fn authorised_peers<C, B>(
	client: &C,
	at: <Block as BlockT>::Hash,
	local: &PeerId,
) -> sp_blockchain::Result<(HashSet<PeerId>, usize)>
where
	C: StorageProvider<Block, B>,
	B: sc_client_api::Backend<Block>,
{
	let read = |key: StorageKey| -> sp_blockchain::Result<BTreeSet<OpaquePeerId>> {
		match client.storage(at, &key)? {
			None => Ok(BTreeSet::new()),
			Some(data) => BTreeSet::decode(&mut &data.0[..]).map_err(|e| {
				sp_blockchain::Error::Backend(format!("node-authorization state: {e}"))
			}),
		}
	};
	let me = OpaquePeerId(local.to_bytes());
	let mut nodes = read(well_known_nodes_key())?;
	nodes.remove(&me);
	nodes.extend(read(additional_connections_key(&me))?);
	let total = nodes.len();
	let peers: HashSet<PeerId> =
		nodes.into_iter().filter_map(|node| PeerId::from_bytes(&node.0).ok()).collect();
	let not_peer_ids = total - peers.len();
	Ok((peers, not_peer_ids))
}

/// Whether the chain is permissioned: its genesis state authorises nodes
/// (`NodeAuthorization::WellKnownNodes` not empty), or its spec says `"permissioned": true`.
///
/// It fails closed: dropping the spec's property (a re-exported or hand-edited spec) does not
/// open a chain whose genesis authorises nodes; a spec whose property says `false` on such a
/// chain, and a live chain (`chainType: Live`) that is not permissioned, refuse to start.
pub fn mode<C>(client: &C, spec: &dyn ChainSpec) -> Result<bool, sc_service::Error>
where
	C: StorageProvider<Block, sc_service::TFullBackend<Block>> + HeaderBackend<Block>,
{
	let genesis = client.info().genesis_hash;
	let authorises = client
		.storage(genesis, &well_known_nodes_key())
		.map_err(|e| sc_service::Error::Other(format!("reading the genesis state: {e}")))?
		.is_some_and(|data| {
			BTreeSet::<OpaquePeerId>::decode(&mut &data.0[..]).is_ok_and(|nodes| !nodes.is_empty())
		});
	let property = spec.properties().get("permissioned").and_then(|v| v.as_bool());
	match (authorises, property, spec.chain_type()) {
		(true, Some(false), _) => Err(sc_service::Error::Other(
			"the chain spec says \"permissioned\": false, but the chain's genesis authorises \
			 nodes: refusing to run it open. Remove the property (or set it to true)."
				.into(),
		)),
		(false, None | Some(false), ChainType::Live) => Err(sc_service::Error::Other(
			"a live chain must be permissioned: its genesis authorises no node and its spec does \
			 not say \"permissioned\": true. Use the spec `medchain-node consortium-spec` made \
			 (docs/operators.md §2)."
				.into(),
		)),
		(authorises, property, _) => Ok(authorises || property == Some(true)),
	}
}

/// Keeps `network`'s reserved, authorised-only peer set, and the peers `gate` serves, equal to
/// the authorised peers of the best block, from now on.
pub async fn enforce<C, B, N>(client: Arc<C>, network: N, gate: crate::network::Gate)
where
	C: StorageProvider<Block, B> + BlockchainEvents<Block> + sp_blockchain::HeaderBackend<Block>,
	B: sc_client_api::Backend<Block>,
	N: NetworkPeers + NetworkStateInfo,
{
	let local = network.local_peer_id();
	let mut current: Option<(HashSet<PeerId>, usize)> = None;
	let mut apply = |at| match authorised_peers(&*client, at, &local) {
		Ok(read) => {
			let (peers, not_peer_ids) = &read;
			if current.as_ref() != Some(&read) {
				log::info!(
					target: "permissioning",
					"authorised peers: {} (best block {at})",
					peers.len()
				);
				if *not_peer_ids > 0 {
					// An entry governance added with the wrong encoding (for example a peer id's
					// bytes length-prefixed twice): it authorises no node.
					log::warn!(
						target: "permissioning",
						"{not_peer_ids} authorised node entries are not peer ids and authorise nothing"
					);
				}
			}
			gate.authorise(peers.clone());
			// Every best block, changed or not: a reserved peer added by other means goes.
			network.set_authorized_peers(peers.clone());
			network.set_authorized_only(true);
			current = Some(read);
		},
		// The previous set stays in force: never opened on an error.
		Err(e) => {
			log::error!(target: "permissioning", "cannot read the authorised nodes at {at}: {e}")
		},
	};
	apply(client.info().best_hash);
	let mut imports = client.import_notification_stream();
	while let Some(block) = imports.next().await {
		if block.is_new_best {
			apply(block.hash);
		}
	}
}
