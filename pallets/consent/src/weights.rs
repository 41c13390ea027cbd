//! Weights of pallet-consent.
//!
//! HOW THESE WERE OBTAINED: not yet by running the benchmarks on reference hardware. Each
//! weight is the storage reads and writes the call makes (counted from the code and its
//! benchmark in `benchmarking.rs`, at the worst case of its bounds), priced with the database
//! weights, plus a compute allowance and the proof size of the items read. Regenerate them with
//! `frame-omni-bencher v1 benchmark pallet --runtime <medchain wasm built with
//! --features runtime-benchmarks> --pallet pallet_consent --extrinsic '*'` (see
//! docs/development.md) and replace this file with its output.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame::{deps::frame_support::weights::RuntimeDbWeight, weights_prelude::*};

/// Weight functions needed for pallet-consent.
pub trait WeightInfo {
	/// At its worst: the (patient, grantee) index is full, and each of its grants is read to
	/// drop those that ended.
	fn grant() -> Weight;
	fn revoke() -> Weight;
	fn add_deny() -> Weight;
	fn remove_deny() -> Weight;
	/// One grant examined (and removed) by the `on_idle` cleanup.
	fn cleanup_grant() -> Weight;
	/// One emergency access examined (and removed) by the `on_idle` cleanup.
	fn cleanup_emergency_access() -> Weight;
	/// One access decision at its bounds (for the pallets that ask `AccessPolicy`).
	fn check_access() -> Weight;
	/// One decision under a named grant or emergency access, at its bounds.
	fn check_access_under() -> Weight;
	fn break_glass() -> Weight;
	fn review_emergency() -> Weight;
}

/// A grant: patient id, grantee, sets, period, signer, revocation.
const GRANT_PROOF: u64 = 3_700;
/// The grant index of one (patient, grantee): up to 64 ids of 8 bytes.
const INDEX_PROOF: u64 = 3_600 + 64 * 8;
/// A patient's deny rules: up to 32 rules of ~50 bytes.
const DENIES_PROOF: u64 = 3_600 + 32 * 50;
/// A registry item read through the providers or patients pallet.
const REGISTRY_PROOF: u64 = 3_600;

fn grant(db: RuntimeDbWeight, g: u32) -> Weight {
	// patient record + guardian (actor), enrolling org or grantee check, index, next id; the
	// index's grants when it is full.
	Weight::from_parts(40_000_000 + 2_000_000 * g as u64, 3 * REGISTRY_PROOF + INDEX_PROOF + g as u64 * GRANT_PROOF)
		.saturating_add(db.reads(6 + g as u64))
		.saturating_add(db.writes(3))
}
fn revoke(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(30_000_000, GRANT_PROOF + 2 * REGISTRY_PROOF)
		.saturating_add(db.reads(3))
		.saturating_add(db.writes(1))
}
fn deny(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(35_000_000, DENIES_PROOF + 2 * REGISTRY_PROOF)
		.saturating_add(db.reads(3))
		.saturating_add(db.writes(1))
}
fn cleanup_grant(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(20_000_000, GRANT_PROOF + INDEX_PROOF)
		.saturating_add(db.reads(2))
		.saturating_add(db.writes(2))
}
fn check_access_under(db: RuntimeDbWeight) -> Weight {
	// patient, practitioner + organisation, denies, one grant or access.
	Weight::from_parts(30_000_000, 3 * REGISTRY_PROOF + DENIES_PROOF + GRANT_PROOF)
		.saturating_add(db.reads(5))
}
fn check_access(db: RuntimeDbWeight) -> Weight {
	// patient, practitioner + organisation, denies, two indexes and up to 2 × 64 grants, policy.
	Weight::from_parts(60_000_000, 5 * REGISTRY_PROOF + DENIES_PROOF + 2 * INDEX_PROOF + 128 * GRANT_PROOF)
		.saturating_add(db.reads(8 + 128))
}

fn break_glass(db: RuntimeDbWeight) -> Weight {
	// practitioner + organisation, patient + policy, bar, open access, rate, next id; access,
	// open index, rate, bar, next id.
	Weight::from_parts(40_000_000, 6 * REGISTRY_PROOF + GRANT_PROOF)
		.saturating_add(db.reads(9))
		.saturating_add(db.writes(5))
}
fn review_emergency(db: RuntimeDbWeight) -> Weight {
	Weight::from_parts(30_000_000, GRANT_PROOF + 2 * REGISTRY_PROOF)
		.saturating_add(db.reads(3))
		.saturating_add(db.writes(2))
}

/// Weights for pallet-consent using the database weights of the runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn grant() -> Weight {
		grant(T::DbWeight::get(), 64)
	}
	fn revoke() -> Weight {
		revoke(T::DbWeight::get())
	}
	fn add_deny() -> Weight {
		deny(T::DbWeight::get())
	}
	fn remove_deny() -> Weight {
		deny(T::DbWeight::get())
	}
	fn cleanup_grant() -> Weight {
		cleanup_grant(T::DbWeight::get())
	}
	fn check_access() -> Weight {
		check_access(T::DbWeight::get())
	}
	fn check_access_under() -> Weight {
		check_access_under(T::DbWeight::get())
	}
	fn cleanup_emergency_access() -> Weight {
		cleanup_grant(T::DbWeight::get())
	}
	fn break_glass() -> Weight {
		break_glass(T::DbWeight::get())
	}
	fn review_emergency() -> Weight {
		review_emergency(T::DbWeight::get())
	}
}

/// For tests: the same formulas with RocksDB's database weights.
impl WeightInfo for () {
	fn grant() -> Weight {
		grant(RocksDbWeight::get(), 64)
	}
	fn revoke() -> Weight {
		revoke(RocksDbWeight::get())
	}
	fn add_deny() -> Weight {
		deny(RocksDbWeight::get())
	}
	fn remove_deny() -> Weight {
		deny(RocksDbWeight::get())
	}
	fn cleanup_grant() -> Weight {
		cleanup_grant(RocksDbWeight::get())
	}
	fn check_access() -> Weight {
		check_access(RocksDbWeight::get())
	}
	fn check_access_under() -> Weight {
		check_access_under(RocksDbWeight::get())
	}
	fn cleanup_emergency_access() -> Weight {
		cleanup_grant(RocksDbWeight::get())
	}
	fn break_glass() -> Weight {
		break_glass(RocksDbWeight::get())
	}
	fn review_emergency() -> Weight {
		review_emergency(RocksDbWeight::get())
	}
}
