//! Weights of pallet-validator-set.
//!
//! HOW THESE WERE OBTAINED: not yet by running the benchmarks on reference hardware. Each
//! weight is the storage read and write of the set (at `MaxValidators` = 100 accounts),
//! priced with the database weights, plus a compute allowance. Regenerate with
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
}

fn change(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(20_000_000, 100 * 32 + 100).saturating_add(db.reads(1)).saturating_add(db.writes(1))
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
}

/// For tests: the same formula with RocksDB's database weights.
impl WeightInfo for () {
	fn add_validator() -> Weight {
		change(RocksDbWeight::get())
	}
	fn remove_validator() -> Weight {
		change(RocksDbWeight::get())
	}
}
