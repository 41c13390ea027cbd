//! Weights of pallet-audit.
//!
//! HOW THESE WERE OBTAINED: not yet by running the benchmarks on reference hardware. Each
//! weight is the storage reads and writes the call makes itself (counted from the code and
//! its benchmark in `benchmarking.rs`), priced with the database weights, plus a compute
//! allowance (hashing an entry, depositing its event) and the proof size of the items read.
//! The consent decision is added by the calls from `AccessPolicy::check_access_weight`.
//! Regenerate with `frame-omni-bencher v1 benchmark pallet --runtime <medchain wasm built with
//! --features runtime-benchmarks> --pallet pallet_audit --extrinsic '*'` (see
//! docs/development.md) and replace this file with its output.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame::{deps::frame_support::weights::RuntimeDbWeight, weights_prelude::*};

/// Weight functions needed for pallet-audit.
pub trait WeightInfo {
	/// One entry appended through `AuditSink::record` (what other pallets add to their calls).
	fn record() -> Weight;
	fn report_access() -> Weight;
	fn report_access_batch(n: u32) -> Weight;
}

/// A trail head (8 + 32 bytes) under its key.
const TRAIL_PROOF: u64 = 3_600 + 40;
/// A registry item read through another pallet.
const REGISTRY_PROOF: u64 = 3_600;

fn record(db: RuntimeDbWeight) -> Weight {
	// the trail head, hashing an entry of ~150 bytes, the event.
	Weight::from_parts(20_000_000, TRAIL_PROOF).saturating_add(db.reads(1)).saturating_add(db.writes(1))
}
fn one_report(db: RuntimeDbWeight) -> Weight {
	// patient enrolled, record subject, then the entry.
	Weight::from_parts(15_000_000, 2 * REGISTRY_PROOF)
		.saturating_add(db.reads(2))
		.saturating_add(record(db))
}
fn reporter(db: RuntimeDbWeight) -> Weight {
	// practitioner + organisation, or the admin index.
	Weight::from_parts(10_000_000, 3 * REGISTRY_PROOF).saturating_add(db.reads(3))
}

/// Weights for pallet-audit using the database weights of the runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn record() -> Weight {
		record(T::DbWeight::get())
	}
	fn report_access() -> Weight {
		reporter(T::DbWeight::get()).saturating_add(one_report(T::DbWeight::get()))
	}
	fn report_access_batch(n: u32) -> Weight {
		reporter(T::DbWeight::get()).saturating_add(one_report(T::DbWeight::get()).saturating_mul(n.into()))
	}
}

/// For tests: the same formulas with RocksDB's database weights.
impl WeightInfo for () {
	fn record() -> Weight {
		record(RocksDbWeight::get())
	}
	fn report_access() -> Weight {
		reporter(RocksDbWeight::get()).saturating_add(one_report(RocksDbWeight::get()))
	}
	fn report_access_batch(n: u32) -> Weight {
		reporter(RocksDbWeight::get()).saturating_add(one_report(RocksDbWeight::get()).saturating_mul(n.into()))
	}
}
