//! Weights of pallet-providers.
//!
//! HOW THESE WERE OBTAINED: not yet by running the benchmarks on reference hardware. Each
//! weight is the storage reads and writes the call makes (counted from the code and its
//! benchmark in `benchmarking.rs`), priced with the database weights, plus a compute
//! allowance of 25 µs of ref-time (20 µs for the governance-only status changes) and the
//! proof size of the items read. These are deliberately generous; regenerate them with
//! `frame-omni-bencher v1 benchmark pallet --runtime <medchain wasm built with
//! --features runtime-benchmarks> --pallet pallet_providers --extrinsic '*'` (see
//! docs/development.md) and replace this file with its output.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame::{deps::frame_support::weights::RuntimeDbWeight, weights_prelude::*};

/// Weight functions needed for pallet-providers.
pub trait WeightInfo {
	fn register_organisation() -> Weight;
	fn suspend_organisation() -> Weight;
	fn reinstate_organisation() -> Weight;
	fn invite_practitioner() -> Weight;
	fn cancel_invitation() -> Weight;
	fn accept_invitation() -> Weight;
	fn decline_invitation() -> Weight;
	fn remove_practitioner() -> Weight;
	fn leave_organisation() -> Weight;
	fn force_remove_practitioner() -> Weight;
}

/// Organisation: admin (32) + kind (1) + hash (32) + status (1) + count (4) + key overhead.
const ORGANISATION_PROOF: u64 = 3_593;
/// A map entry keyed by an account id (Blake2_128Concat) with a small value.
const ACCOUNT_ENTRY_PROOF: u64 = 3_551;
/// frame_system::Account of an account (providers are counted there).
const SYSTEM_ACCOUNT_PROOF: u64 = 3_593;

fn register_organisation(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(25_000_000, ACCOUNT_ENTRY_PROOF + SYSTEM_ACCOUNT_PROOF + 1_489)
		.saturating_add(db.reads(3))
		.saturating_add(db.writes(4))
}

/// Suspend or reinstate: the organisation, read and written.
fn change_status(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(20_000_000, ORGANISATION_PROOF)
		.saturating_add(db.reads(1))
		.saturating_add(db.writes(1))
}

/// Add or remove: admin index, practitioner, organisation, the practitioner's account.
fn membership(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(25_000_000, 2 * ACCOUNT_ENTRY_PROOF + ORGANISATION_PROOF + SYSTEM_ACCOUNT_PROOF)
		.saturating_add(db.reads(4))
		.saturating_add(db.writes(3))
}

/// Weights for pallet-providers using the database weights of the runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_organisation() -> Weight {
		register_organisation(T::DbWeight::get())
	}
	fn suspend_organisation() -> Weight {
		change_status(T::DbWeight::get())
	}
	fn reinstate_organisation() -> Weight {
		change_status(T::DbWeight::get())
	}
	fn invite_practitioner() -> Weight {
		membership(T::DbWeight::get())
	}
	fn cancel_invitation() -> Weight {
		membership(T::DbWeight::get())
	}
	fn accept_invitation() -> Weight {
		membership(T::DbWeight::get()).saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	fn decline_invitation() -> Weight {
		membership(T::DbWeight::get())
	}
	fn remove_practitioner() -> Weight {
		membership(T::DbWeight::get())
	}
	fn leave_organisation() -> Weight {
		membership(T::DbWeight::get())
	}
	fn force_remove_practitioner() -> Weight {
		membership(T::DbWeight::get())
	}
}

/// For tests: the same formulas with RocksDB's database weights.
impl WeightInfo for () {
	fn register_organisation() -> Weight {
		register_organisation(RocksDbWeight::get())
	}
	fn suspend_organisation() -> Weight {
		change_status(RocksDbWeight::get())
	}
	fn reinstate_organisation() -> Weight {
		change_status(RocksDbWeight::get())
	}
	fn invite_practitioner() -> Weight {
		membership(RocksDbWeight::get())
	}
	fn cancel_invitation() -> Weight {
		membership(RocksDbWeight::get())
	}
	fn accept_invitation() -> Weight {
		membership(RocksDbWeight::get()).saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn decline_invitation() -> Weight {
		membership(RocksDbWeight::get())
	}
	fn remove_practitioner() -> Weight {
		membership(RocksDbWeight::get())
	}
	fn leave_organisation() -> Weight {
		membership(RocksDbWeight::get())
	}
	fn force_remove_practitioner() -> Weight {
		membership(RocksDbWeight::get())
	}
}
