//! The chain's basics: block limits, account type, database weights, and the shapes of calls
//! no one may dispatch ([`CallShapes`]).

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::Contains,
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, Weight},
};
use frame_system::limits::{BlockLength, BlockWeights};
use sp_runtime::Perbill;
use sp_version::RuntimeVersion;

use frame_support::traits::Get;

use crate::{
	weights::{
		block_weights::BlockExecutionWeight, extrinsic_weights::ExtrinsicBaseWeight,
		paritydb_weights::ParityDbWeight,
	},
	AccountId, Balance, Block, Hash, Nonce, PalletInfo, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeOrigin, RuntimeTask, VERSION,
};

/// The share of a block that ordinary (normal-class) transactions may fill; the rest is kept
/// for operational and mandatory extrinsics.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);
/// The largest block, in bytes.
const MAX_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;
/// Two seconds of compute per 6 s block (a third of the slot: time to author, then to import
/// on every other validator).
const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX);

parameter_types! {
	pub const Version: RuntimeVersion = VERSION;

	/// Two seconds of compute per 6 s block; the base weights of a block and of a transaction
	/// measured on this project's machine (`crate::weights::{block_weights, extrinsic_weights}`).
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |weights| {
			weights.base_extrinsic = ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |weights| {
			weights.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.for_class(DispatchClass::Operational, |weights| {
			weights.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			weights.reserved = Some(MAXIMUM_BLOCK_WEIGHT - NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.avg_block_initialization(Perbill::from_percent(10))
		.build_or_panic();
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAX_BLOCK_LENGTH)
		.modify_max_length_for_class(frame_support::dispatch::DispatchClass::Normal, |m| {
			*m = NORMAL_DISPATCH_RATIO * *m
		})
		.build();
	/// The generic Substrate SS58 prefix until the consortium registers its own.
	pub const SS58Prefix: u8 = 42;
}

/// The longest remark anyone may dispatch (operators' liveness probes; no room for data).
#[cfg(not(feature = "runtime-benchmarks"))]
pub const MAX_REMARK_LEN: usize = 256;
/// In a benchmarking build only: pallet-collective's benchmarks make motions of remarks up to
/// 1 024 bytes (the size of the proposal is what a council call's weight grows with).
#[cfg(feature = "runtime-benchmarks")]
pub const MAX_REMARK_LEN: usize = 1024;
/// The most peer ids one `add_connections`/`remove_connections` may name, each at most
/// `MaxPeerIdLength` bytes.
pub const MAX_CONNECTIONS_PER_CALL: usize = 16;
/// The most additional connections one node may gather, call after call (as many as the allow
/// list holds nodes): `add_connections` rewrites the node's whole set, so the set's size is what
/// its benchmarked weight is measured at.
pub const MAX_CONNECTIONS_PER_NODE: usize = 128;

/// How many additional connections `node` holds: the length prefix of its stored set (a
/// `BTreeSet` encodes as a `Vec` does), read without decoding the set.
fn connections_held(node: &sp_core::OpaquePeerId) -> usize {
	use codec::{Compact, Decode};
	let key = pallet_node_authorization::AdditionalConnections::<Runtime>::hashed_key_for(node);
	let mut prefix = [0u8; 5];
	match sp_io::storage::read(&key, &mut prefix, 0) {
		None => 0,
		// A prefix that does not decode counts as full: the call is refused, nothing breaks.
		Some(_) => {
			Compact::<u32>::decode(&mut &prefix[..]).map_or(usize::MAX, |held| held.0 as usize)
		},
	}
}

/// Calls whose arguments are out of bounds, whoever dispatches them (a signed account, a
/// council motion): refused with `frame_system::Error::CallFiltered`. Who may sign which call
/// is admission's (`configs/admission.rs`).
pub struct CallShapes;
impl Contains<RuntimeCall> for CallShapes {
	fn contains(call: &RuntimeCall) -> bool {
		use pallet_node_authorization::Call as Nodes;
		match call {
			// Anyone admitted could claim any number of peer ids nobody owns: free-form data in
			// state (security review 2026-12, N-9). Governance names a node's owner when it
			// authorises the node (`add_well_known_node`); claiming is not needed.
			RuntimeCall::NodeAuthorization(Nodes::claim_node { .. }) => false,
			RuntimeCall::System(
				frame_system::Call::remark { remark }
				| frame_system::Call::remark_with_event { remark },
			) => remark.len() <= MAX_REMARK_LEN,
			RuntimeCall::NodeAuthorization(
				Nodes::add_connections { connections, .. }
				| Nodes::remove_connections { connections, .. },
			) => {
				let max_peer_id: u32 =
					<Runtime as pallet_node_authorization::Config>::MaxPeerIdLength::get();
				connections.len() <= MAX_CONNECTIONS_PER_CALL
					&& connections.iter().all(|peer| peer.0.len() <= max_peer_id as usize)
					&& match call {
						RuntimeCall::NodeAuthorization(Nodes::add_connections { node, .. }) => {
							connections_held(node).saturating_add(connections.len())
								<= MAX_CONNECTIONS_PER_NODE
						},
						_ => true,
					}
			},
			_ => true,
		}
	}
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type BaseCallFilter = CallShapes;
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	/// Block hashes kept for mortal transactions (about 4 hours).
	type BlockHashCount = frame_support::traits::ConstU32<2400>;
	/// Validators run ParityDB (the node is built without RocksDB): its read and write, measured
	/// on a grown chain's state by the node's `benchmark storage` (`scripts/bench.sh storage`).
	type DbWeight = ParityDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = frame_support::traits::ConstU32<16>;
	type SystemWeightInfo = crate::weights::frame_system::WeightInfo<Runtime>;
	/// Measured, not zero: every signed transaction pays for the checks it goes through.
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
}
