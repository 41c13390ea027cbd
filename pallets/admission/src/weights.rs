//! Weights of pallet-admission.
//!
//! HOW THESE WERE OBTAINED: not yet by running the benchmark on reference hardware. The weight
//! is the storage reads and writes of the check (the admission predicate's registry reads at
//! their worst, the usage entry read and written), priced with the database weights, plus a
//! compute allowance. Regenerate with `frame-omni-bencher v1 benchmark pallet --runtime
//! <medchain wasm built with --features runtime-benchmarks> --pallet pallet_admission
//! --extrinsic '*'` and replace this file with its output.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame::{deps::frame_support::weights::RuntimeDbWeight, weights_prelude::*};

/// Weight functions needed for pallet-admission.
pub trait WeightInfo {
	/// `CheckAdmission` on one signed transaction.
	fn check_admission() -> Weight;
}

fn check_admission(db: RuntimeDbWeight) -> Weight {
	// Admission: up to 7 registry reads (practitioner, organisation, admin index, patient,
	// guardian index, council, validators); usage read and written.
	Weight::from_parts(15_000_000, 8 * 3_600).saturating_add(db.reads(8)).saturating_add(db.writes(1))
}

/// Weights for pallet-admission using the database weights of the runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn check_admission() -> Weight {
		check_admission(T::DbWeight::get())
	}
}

/// For tests: the same formula with RocksDB's database weights.
impl WeightInfo for () {
	fn check_admission() -> Weight {
		check_admission(RocksDbWeight::get())
	}
}
