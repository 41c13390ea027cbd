//! Node permissioning: the peer ids governance authorised, enforced by each node's offchain
//! worker (`set_authorized_nodes(…, authorized_only = true)`): a node then connects only to the
//! other authorised nodes (and its own `additional_connections`).
//!
//! The node runs offchain workers only on chains whose spec declares `"permissioned": true`
//! (the consortium template does): on `dev` and `local`, whose well-known node list is empty,
//! the same worker would cut every node off.

use frame_support::traits::ConstU32;

use crate::{configs::governance::GovernanceOrigin, Runtime, RuntimeEvent};

impl pallet_node_authorization::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// Authorised nodes of the whole consortium (validators and their RPC nodes).
	type MaxWellKnownNodes = ConstU32<128>;
	/// A libp2p peer id (an ed25519 key's multihash is 38 bytes).
	type MaxPeerIdLength = ConstU32<128>;
	type AddOrigin = GovernanceOrigin;
	type RemoveOrigin = GovernanceOrigin;
	type SwapOrigin = GovernanceOrigin;
	type ResetOrigin = GovernanceOrigin;
	/// Measured by medchain's benchmarks of the pallet (it has none upstream), each call at its
	/// worst case: a full allow list, a node holding `MAX_CONNECTIONS_PER_NODE` connections.
	type WeightInfo = crate::weights::pallet_node_authorization::WeightInfo<Runtime>;
}
