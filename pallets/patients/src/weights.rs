//! Weights of pallet-patients.
//!
//! HOW THESE WERE OBTAINED: not yet by running the benchmarks on reference hardware. Each
//! weight is the storage reads and writes the call makes (counted from the code and its
//! benchmark in `benchmarking.rs`), priced with the database weights, plus a compute
//! allowance of 30 µs of ref-time (and 3 µs per guardian for `approve_recovery`), and the
//! proof size of the items read. These are deliberately generous; regenerate them with
//! `frame-omni-bencher v1 benchmark pallet --runtime <medchain wasm built with
//! --features runtime-benchmarks> --pallet pallet_patients --extrinsic '*'` (see
//! docs/development.md) and replace this file with its output.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame::{deps::frame_support::weights::RuntimeDbWeight, weights_prelude::*};

/// Weight functions needed for pallet-patients.
pub trait WeightInfo {
	fn enrol_patient() -> Weight;
	fn rotate_key() -> Weight;
	fn add_guardian(g: u32) -> Weight;
	fn remove_guardian(g: u32) -> Weight;
	fn set_emergency_policy() -> Weight;
	fn set_recovery_threshold() -> Weight;
	fn approve_recovery(g: u32) -> Weight;
	fn cancel_recovery() -> Weight;
	fn complete_recovery(g: u32) -> Weight;
	fn recover_with_secret() -> Weight;
}

/// The proof size of one storage item read (a bounded value keyed by an account or id).
const ITEM_PROOF: u64 = 3_600;
/// Ref-time allowance for a call's own computation.
const BASE: u64 = 30_000_000;

fn weight(db: RuntimeDbWeight, reads: u64, writes: u64) -> Weight {
	Weight::from_parts(BASE, reads * ITEM_PROOF)
		.saturating_add(db.reads(reads))
		.saturating_add(db.writes(writes))
}

fn approve(db: RuntimeDbWeight, g: u32) -> Weight {
	// Pending recovery, patient, signer's appointment, controller index + one appointment read
	// per approval re-checked; then the move (6 writes) or the pending recovery (1 write).
	let g = g as u64;
	Weight::from_parts(BASE + 3_000_000 * g, (4 + g) * ITEM_PROOF + 32 * g)
		.saturating_add(db.reads(4 + g))
		.saturating_add(db.writes(6))
}

/// Removing the guardians a guardian appointed: one read of each of the patient's `g`
/// guardians per generation (at most `g` generations in all, one removal of 5 writes each).
fn cascade(db: RuntimeDbWeight, g: u32) -> Weight {
	let g = g as u64;
	Weight::from_parts(3_000_000 * g, g * ITEM_PROOF)
		.saturating_add(db.reads(2 * g))
		.saturating_add(db.writes(5 * g))
}

/// Weights for pallet-patients using the database weights of the runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn enrol_patient() -> Weight {
		weight(T::DbWeight::get(), 7, 6)
	}
	fn rotate_key() -> Weight {
		weight(T::DbWeight::get(), 5, 6)
	}
	fn add_guardian(g: u32) -> Weight {
		weight(T::DbWeight::get(), 6, 6).saturating_add(cascade(T::DbWeight::get(), g))
	}
	fn remove_guardian(g: u32) -> Weight {
		weight(T::DbWeight::get(), 3, 5).saturating_add(cascade(T::DbWeight::get(), g))
	}
	fn set_emergency_policy() -> Weight {
		weight(T::DbWeight::get(), 2, 1)
	}
	fn set_recovery_threshold() -> Weight {
		weight(T::DbWeight::get(), 2, 2)
	}
	fn approve_recovery(g: u32) -> Weight {
		approve(T::DbWeight::get(), g)
	}
	fn cancel_recovery() -> Weight {
		weight(T::DbWeight::get(), 2, 1)
	}
	fn complete_recovery(g: u32) -> Weight {
		approve(T::DbWeight::get(), g)
	}
	fn recover_with_secret() -> Weight {
		// An sr25519 verification: ~50 µs of ref-time.
		weight(T::DbWeight::get(), 7, 6).saturating_add(Weight::from_parts(50_000_000, 0))
	}
}

/// For tests: the same formulas with RocksDB's database weights.
impl WeightInfo for () {
	fn enrol_patient() -> Weight {
		weight(RocksDbWeight::get(), 7, 6)
	}
	fn rotate_key() -> Weight {
		weight(RocksDbWeight::get(), 5, 6)
	}
	fn add_guardian(g: u32) -> Weight {
		weight(RocksDbWeight::get(), 6, 6).saturating_add(cascade(RocksDbWeight::get(), g))
	}
	fn remove_guardian(g: u32) -> Weight {
		weight(RocksDbWeight::get(), 3, 5).saturating_add(cascade(RocksDbWeight::get(), g))
	}
	fn set_emergency_policy() -> Weight {
		weight(RocksDbWeight::get(), 2, 1)
	}
	fn set_recovery_threshold() -> Weight {
		weight(RocksDbWeight::get(), 2, 2)
	}
	fn approve_recovery(g: u32) -> Weight {
		approve(RocksDbWeight::get(), g)
	}
	fn cancel_recovery() -> Weight {
		weight(RocksDbWeight::get(), 2, 1)
	}
	fn complete_recovery(g: u32) -> Weight {
		approve(RocksDbWeight::get(), g)
	}
	fn recover_with_secret() -> Weight {
		// An sr25519 verification: ~50 µs of ref-time.
		weight(RocksDbWeight::get(), 7, 6).saturating_add(Weight::from_parts(50_000_000, 0))
	}
}
