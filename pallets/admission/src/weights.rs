//! Weights of pallet-admission.
//!
//! HOW THESE WERE OBTAINED: not yet by running the benchmark on reference hardware. The weight
//! is the storage reads and writes of the check (the admission rule's registry reads at their
//! worst, the account's nonce, the principal's and the organisation's usage read and written),
//! priced with the database weights, plus a compute allowance. Regenerate with
//! `frame-omni-bencher v1 benchmark pallet --runtime <medchain wasm built with
//! --features runtime-benchmarks> --pallet pallet_admission --extrinsic '*'` and replace this
//! file with its output.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame::{deps::frame_support::weights::RuntimeDbWeight, weights_prelude::*};

/// Weight functions needed for pallet-admission.
pub trait WeightInfo {
	/// `CheckAdmission` on one signed transaction (its nonce check included).
	fn check_admission() -> Weight;
	/// One usage record of a past window removed by `on_idle`.
	fn clear_usage_record() -> Weight;
}

fn check_admission(db: RuntimeDbWeight) -> Weight {
	// Admission: up to 8 registry reads (practitioner, organisation, admin index, invitation,
	// patient, guardian summary, council, validators); the account; two usage entries read and
	// written; the account's nonce written.
	Weight::from_parts(20_000_000, 11 * 3_600).saturating_add(db.reads(11)).saturating_add(db.writes(3))
}

fn clear_usage_record(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(2_000_000, 0).saturating_add(db.writes(1))
}

/// Weights for pallet-admission using the database weights of the runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn check_admission() -> Weight {
		check_admission(T::DbWeight::get())
	}
	fn clear_usage_record() -> Weight {
		clear_usage_record(T::DbWeight::get())
	}
}

/// For tests: the same formula with RocksDB's database weights.
impl WeightInfo for () {
	fn check_admission() -> Weight {
		check_admission(RocksDbWeight::get())
	}
	fn clear_usage_record() -> Weight {
		clear_usage_record(RocksDbWeight::get())
	}
}
