//! Benchmarks of polkadot-sdk's `pallet-node-authorization`, which has none upstream (its
//! `WeightInfo for ()` charges every call a fixed 50 µs and no proof size, whatever it reads and
//! writes). Each call is measured at its worst case in this runtime: the longest peer ids the
//! pallet and the call filter let through, the fullest allow list (`MaxWellKnownNodes`), and a
//! node holding the most additional connections the call filter lets it gather
//! ([`crate::configs::MAX_CONNECTIONS_PER_NODE`]). The pallet's weights take no arguments, so
//! each is the cost of that worst case, whatever the call's actual size.

use alloc::{collections::BTreeSet, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get, UnfilteredDispatchable};
use frame_system::RawOrigin;
use pallet_node_authorization::{AdditionalConnections, Call, Owners, WellKnownNodes};
use sp_core::OpaquePeerId as PeerId;
use sp_runtime::traits::StaticLookup;

/// The benchmarks' handle on the pallet.
pub struct Pallet<T: Config>(core::marker::PhantomData<T>);

/// What the benchmarks need from the runtime beyond the pallet's configuration: the bounds its
/// call filter sets, and the filter itself (run inside `add_connections`' measurement: it reads
/// how many connections the node holds).
pub trait Config: pallet_node_authorization::Config {
	/// The most peer ids one `add_connections`/`remove_connections` may name.
	const MAX_CONNECTIONS_PER_CALL: u32;
	/// The most additional connections one node may hold.
	const MAX_CONNECTIONS_PER_NODE: u32;
	/// Whether the runtime's call filter lets `call` through.
	fn passes_call_filter(call: &Call<Self>) -> bool;
}

impl Config for crate::Runtime {
	const MAX_CONNECTIONS_PER_CALL: u32 = crate::configs::MAX_CONNECTIONS_PER_CALL as u32;
	const MAX_CONNECTIONS_PER_NODE: u32 = crate::configs::MAX_CONNECTIONS_PER_NODE as u32;
	fn passes_call_filter(call: &Call<Self>) -> bool {
		<crate::configs::CallShapes as frame_support::traits::Contains<crate::RuntimeCall>>::contains(
			&crate::RuntimeCall::NodeAuthorization(call.clone()),
		)
	}
}

/// A peer id of `len` bytes, distinct for each `seed`.
fn peer(seed: u32, len: u32) -> PeerId {
	let mut bytes = Vec::with_capacity(len as usize);
	bytes.extend_from_slice(&seed.to_le_bytes());
	bytes.resize(len as usize, (seed % 251) as u8);
	PeerId(bytes)
}

/// The longest peer id the pallet accepts as a node (`len < MaxPeerIdLength`).
fn longest_node<T: Config>() -> u32 {
	T::MaxPeerIdLength::get().saturating_sub(1)
}

/// The longest peer id the call filter lets `add_connections` name.
fn longest_connection<T: Config>() -> u32 {
	T::MaxPeerIdLength::get()
}

/// An allow list of `count` well-known nodes of the longest ids (seeds from 1 000 000), each
/// owned by an account of its own. Returns the first.
fn allow_list<T: Config>(count: u32) -> PeerId {
	let nodes: Vec<PeerId> = (0..count).map(|i| peer(1_000_000 + i, longest_node::<T>())).collect();
	for (i, node) in nodes.iter().enumerate() {
		Owners::<T>::insert(node, account::<T::AccountId>("owner", i as u32, 0));
	}
	let first = nodes.first().cloned().unwrap_or_else(|| peer(1_000_000, longest_node::<T>()));
	WellKnownNodes::<T>::put(nodes.into_iter().collect::<BTreeSet<_>>());
	first
}

/// `count` additional connections of the longest ids (seeds from `from`).
fn connections<T: Config>(from: u32, count: u32) -> Vec<PeerId> {
	(from..from.saturating_add(count))
		.map(|i| peer(i, longest_connection::<T>()))
		.collect()
}

/// A node claimed by `owner`, holding `held` additional connections.
fn claimed_node<T: Config>(owner: &T::AccountId, held: u32) -> PeerId {
	let node = peer(u32::MAX, longest_node::<T>());
	Owners::<T>::insert(&node, owner);
	AdditionalConnections::<T>::insert(
		&node,
		connections::<T>(2_000_000, held).into_iter().collect::<BTreeSet<_>>(),
	);
	node
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A node added to an allow list one short of full.
	#[benchmark]
	fn add_well_known_node() -> Result<(), BenchmarkError> {
		allow_list::<T>(T::MaxWellKnownNodes::get().saturating_sub(1));
		let origin =
			T::AddOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let node = peer(u32::MAX, longest_node::<T>());
		let owner: T::AccountId = account("new owner", 0, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, node.clone(), T::Lookup::unlookup(owner.clone()));

		assert!(WellKnownNodes::<T>::get().contains(&node));
		assert_eq!(Owners::<T>::get(&node), Some(owner));
		Ok(())
	}

	/// A node removed from a full allow list, with its owner and its full set of connections.
	#[benchmark]
	fn remove_well_known_node() -> Result<(), BenchmarkError> {
		let node = allow_list::<T>(T::MaxWellKnownNodes::get());
		AdditionalConnections::<T>::insert(
			&node,
			connections::<T>(0, T::MAX_CONNECTIONS_PER_NODE)
				.into_iter()
				.collect::<BTreeSet<_>>(),
		);
		let origin =
			T::RemoveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, node.clone());

		assert!(!WellKnownNodes::<T>::get().contains(&node));
		assert!(!AdditionalConnections::<T>::contains_key(&node));
		Ok(())
	}

	/// A node of a full allow list swapped for another, its owner and full set of connections
	/// moved.
	#[benchmark]
	fn swap_well_known_node() -> Result<(), BenchmarkError> {
		let remove = allow_list::<T>(T::MaxWellKnownNodes::get());
		AdditionalConnections::<T>::insert(
			&remove,
			connections::<T>(0, T::MAX_CONNECTIONS_PER_NODE)
				.into_iter()
				.collect::<BTreeSet<_>>(),
		);
		let add = peer(u32::MAX, longest_node::<T>());
		let origin =
			T::SwapOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, remove.clone(), add.clone());

		assert!(WellKnownNodes::<T>::get().contains(&add));
		assert!(AdditionalConnections::<T>::contains_key(&add));
		Ok(())
	}

	/// A full allow list replaced by another full one (`len < MaxWellKnownNodes`), each node
	/// with its owner.
	#[benchmark]
	fn reset_well_known_nodes() -> Result<(), BenchmarkError> {
		allow_list::<T>(T::MaxWellKnownNodes::get());
		let nodes: Vec<(PeerId, T::AccountId)> = (0..T::MaxWellKnownNodes::get().saturating_sub(1))
			.map(|i| (peer(3_000_000 + i, longest_node::<T>()), account("reset owner", i, 0)))
			.collect();
		let origin =
			T::ResetOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, nodes.clone());

		assert_eq!(WellKnownNodes::<T>::get().len(), nodes.len());
		Ok(())
	}

	/// A node of the longest id claimed.
	#[benchmark]
	fn claim_node() {
		let caller: T::AccountId = whitelisted_caller();
		let node = peer(u32::MAX, longest_node::<T>());

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), node.clone());

		assert_eq!(Owners::<T>::get(&node), Some(caller));
	}

	/// A claim given up, its full set of connections removed, checked against a full allow
	/// list.
	#[benchmark]
	fn remove_claim() {
		allow_list::<T>(T::MaxWellKnownNodes::get());
		let caller: T::AccountId = whitelisted_caller();
		let node = claimed_node::<T>(&caller, T::MAX_CONNECTIONS_PER_NODE);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), node.clone());

		assert!(!Owners::<T>::contains_key(&node));
		assert!(!AdditionalConnections::<T>::contains_key(&node));
	}

	/// A node handed to another owner.
	#[benchmark]
	fn transfer_node() {
		let caller: T::AccountId = whitelisted_caller();
		let node = claimed_node::<T>(&caller, 0);
		let owner: T::AccountId = account("new owner", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), node.clone(), T::Lookup::unlookup(owner.clone()));

		assert_eq!(Owners::<T>::get(&node), Some(owner));
	}

	/// The most connections one call may name added to a node that holds all but that many:
	/// the call filter's check (it reads how many the node holds) measured with the call.
	#[benchmark]
	fn add_connections() -> Result<(), BenchmarkError> {
		let caller: T::AccountId = whitelisted_caller();
		let per_call = T::MAX_CONNECTIONS_PER_CALL;
		let node = claimed_node::<T>(&caller, T::MAX_CONNECTIONS_PER_NODE.saturating_sub(per_call));
		let call = Call::<T>::add_connections {
			node: node.clone(),
			connections: connections::<T>(0, per_call),
		};
		let origin: T::RuntimeOrigin = RawOrigin::Signed(caller).into();

		#[block]
		{
			if !T::passes_call_filter(&call) {
				return Err(BenchmarkError::Stop("the call filter refuses the worst case"));
			}
			call.dispatch_bypass_filter(origin)?;
		}

		assert_eq!(
			AdditionalConnections::<T>::get(&node).len() as u32,
			T::MAX_CONNECTIONS_PER_NODE
		);
		Ok(())
	}

	/// The most connections one call may name removed from a node that holds the most.
	#[benchmark]
	fn remove_connections() {
		let caller: T::AccountId = whitelisted_caller();
		let node = claimed_node::<T>(&caller, T::MAX_CONNECTIONS_PER_NODE);
		let remove: Vec<PeerId> = connections::<T>(2_000_000, T::MAX_CONNECTIONS_PER_CALL);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), node.clone(), remove);

		assert_eq!(
			AdditionalConnections::<T>::get(&node).len() as u32,
			T::MAX_CONNECTIONS_PER_NODE.saturating_sub(T::MAX_CONNECTIONS_PER_CALL)
		);
	}

	impl_benchmark_test_suite!(Pallet, crate::benchmarks::new_test_ext(), crate::Runtime);
}
