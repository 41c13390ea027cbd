//! Weights of pallet-records.
//!
//! HOW THESE WERE OBTAINED: not yet by running the benchmarks on reference hardware. Each
//! weight is the storage reads and writes the call makes itself (counted from the code and
//! its benchmark in `benchmarking.rs`), priced with the database weights, plus a compute
//! allowance and the proof size of the items read. The consent decision and the audit entry
//! are added by the calls from `AccessPolicy::check_access_weight` and
//! `AuditSink::record_weight`. Regenerate with `frame-omni-bencher v1 benchmark pallet
//! --runtime <medchain wasm built with --features runtime-benchmarks> --pallet pallet_records
//! --extrinsic '*'` (see docs/development.md) and replace this file with its output.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame::{deps::frame_support::weights::RuntimeDbWeight, weights_prelude::*};

/// Weight functions needed for pallet-records.
pub trait WeightInfo {
	fn anchor() -> Weight;
	fn amend() -> Weight;
	fn mark_entered_in_error() -> Weight;
	fn erase() -> Weight;
	fn anchor_batch() -> Weight;
}

/// A record anchor with a locator of up to 256 bytes.
const ANCHOR_PROOF: u64 = 3_600 + 256;
/// A registry item read through the providers or patients pallet.
const REGISTRY_PROOF: u64 = 3_600;

fn anchor(db: RuntimeDbWeight) -> Weight {
	// patient enrolled, patient_of, practitioner + organisation, next id; record, index, next id.
	Weight::from_parts(30_000_000, 4 * REGISTRY_PROOF)
		.saturating_add(db.reads(5))
		.saturating_add(db.writes(3))
}
fn amend(db: RuntimeDbWeight) -> Weight {
	// the old record, author side (2), then anchor's reads; new record, index, next id, old.
	Weight::from_parts(40_000_000, ANCHOR_PROOF + 6 * REGISTRY_PROOF)
		.saturating_add(db.reads(8))
		.saturating_add(db.writes(4))
}
fn change_status(db: RuntimeDbWeight) -> Weight {
	// the record, author side (practitioner + organisation, admin); the record.
	Weight::from_parts(25_000_000, ANCHOR_PROOF + 3 * REGISTRY_PROOF)
		.saturating_add(db.reads(4))
		.saturating_add(db.writes(1))
}
fn anchor_batch(db: RuntimeDbWeight) -> Weight {
	// practitioner + organisation (or admin), next id; batch, next id.
	Weight::from_parts(25_000_000, 3 * REGISTRY_PROOF)
		.saturating_add(db.reads(4))
		.saturating_add(db.writes(2))
}

/// Weights for pallet-records using the database weights of the runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn anchor() -> Weight {
		anchor(T::DbWeight::get())
	}
	fn amend() -> Weight {
		amend(T::DbWeight::get())
	}
	fn mark_entered_in_error() -> Weight {
		change_status(T::DbWeight::get())
	}
	fn erase() -> Weight {
		change_status(T::DbWeight::get())
	}
	fn anchor_batch() -> Weight {
		anchor_batch(T::DbWeight::get())
	}
}

/// For tests: the same formulas with RocksDB's database weights.
impl WeightInfo for () {
	fn anchor() -> Weight {
		anchor(RocksDbWeight::get())
	}
	fn amend() -> Weight {
		amend(RocksDbWeight::get())
	}
	fn mark_entered_in_error() -> Weight {
		change_status(RocksDbWeight::get())
	}
	fn erase() -> Weight {
		change_status(RocksDbWeight::get())
	}
	fn anchor_batch() -> Weight {
		anchor_batch(RocksDbWeight::get())
	}
}
