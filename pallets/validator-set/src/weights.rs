//! Weights of pallet-validator-set.
//!
//! HOW THESE WERE OBTAINED: not yet by running the benchmarks on reference hardware. Each
//! weight is the storage reads and writes (the set at `MaxValidators` = 32 accounts, their
//! session keys; for a rotation the session's and consensus pallets' items), priced with the
//! database weights, plus a compute allowance. Regenerate with
//! `frame-omni-bencher v1 benchmark pallet --runtime <medchain wasm built with --features
//! runtime-benchmarks> --pallet pallet_validator_set --extrinsic '*'` and replace this file.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame::{deps::frame_support::weights::RuntimeDbWeight, weights_prelude::*};

/// Weight functions needed for pallet-validator-set.
pub trait WeightInfo {
	fn add_validator() -> Weight;
	fn remove_validator() -> Weight;
	/// A session rotation with `v` validators: pallet-session's `rotate_session` (the queued
	/// keys of every validator, Aura's and GRANDPA's authorities).
	fn rotate_session(v: u32) -> Weight;
}

fn change(db: RuntimeDbWeight) -> Weight {
	// The set, each member's session keys (remove), the new member's account (add).
	Weight::from_parts(25_000_000, 32 * (32 + 100) + 100).saturating_add(db.reads(33)).saturating_add(db.writes(2))
}

fn rotate(db: RuntimeDbWeight, v: u32) -> Weight {
	// Session index, queued keys and changed flag, validators, disabled set; per validator its
	// next keys; Aura's and GRANDPA's authorities and GRANDPA's pending change.
	let v = v as u64;
	Weight::from_parts(300_000_000 + 40_000_000 * v, 12_000 + 200 * v)
		.saturating_add(db.reads(10 + v))
		.saturating_add(db.writes(10))
}

/// Weights for pallet-validator-set using the database weights of the runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn add_validator() -> Weight {
		change(T::DbWeight::get())
	}
	fn remove_validator() -> Weight {
		change(T::DbWeight::get())
	}
	fn rotate_session(v: u32) -> Weight {
		rotate(T::DbWeight::get(), v)
	}
}

/// For tests: the same formula with RocksDB's database weights.
impl WeightInfo for () {
	fn add_validator() -> Weight {
		change(RocksDbWeight::get())
	}
	fn remove_validator() -> Weight {
		change(RocksDbWeight::get())
	}
	fn rotate_session(v: u32) -> Weight {
		rotate(RocksDbWeight::get(), v)
	}
}
