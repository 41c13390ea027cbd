// Measured on: 2 cores (AMD EPYC), 24 GiB RAM, Debian GNU/Linux 12 (bookworm).
// Node: medchain-node a5b491d, release profile, --features storage-benchmark; state: the load benchmark chain: 1000000 grants in genesis, 4000 patients, 60000 records anchored, 1201 MiB of database.

//! The database weights of the medchain node: the time to read and to write one item of the
//! chain's state in its database (ParityDb), measured on a chain's state by the node's
//! `benchmark storage` command. Do not edit: regenerate with `scripts/bench.sh storage`
//! (docs/development.md#weights).
//!
//! Generator: frame-benchmarking-cli 64.0.0, 2026-12-04 (Y/M/D); chain `medchain development` at block
//! Number(14); state version 1; warm-ups 1; writes
//! committed in batches of 20000 (each batch's commit computes the state root);
//! trie cache off (every read goes to the database).
//! The weight is the *Average* × 1.1 + 0 ns.
//! Host: `vm`, CPU `AMD EPYC`.
//!
//! Command:
//!     /root/.cache/medchain/target/release/medchain-node
//!     benchmark
//!     storage
//!     --chain
//!     /root/.cache/medchain/bench-state/load-spec.json
//!     --base-path
//!     /root/.cache/medchain/bench-state/db
//!     --database
//!     paritydb
//!     --state-version
//!     1
//!     --batch-size
//!     20000
//!     --mul
//!     1.1
//!     --header
//!     /tmp/storage-header
//!     --template-path
//!     .maintain/db-weight-template.hbs
//!     --weight-path
//!     runtime/src/weights/paritydb_weights.rs

#![cfg_attr(rustfmt, rustfmt_skip)]

use frame_support::{
	parameter_types,
	weights::{constants, RuntimeDbWeight},
};

parameter_types! {
	/// The runtime's `DbWeight` (`configs/system.rs`): what a call's benchmarked reads and
	/// writes are charged.
	pub const ParityDbWeight: RuntimeDbWeight = RuntimeDbWeight {
		// Time to read one item.
		//
		// Nanoseconds: min 1_292, max 8_586_963,
		// average 9_898, median 8_753, standard deviation 39954.37;
		// percentiles 75th 9_795, 95th 12_048, 99th 14_752.
		// Values read: average 58 bytes, 99th percentile 122, max 606_156.
		read: 10_888 * constants::WEIGHT_REF_TIME_PER_NANOS,

		// Time to write one item.
		//
		// Nanoseconds: min 22_318, max 47_465,
		// average 31_132, median 30_371, standard deviation 4952.9;
		// percentiles 75th 32_467, 95th 41_275, 99th 43_625.
		// Values written: average 58 bytes, 99th percentile 60, max 88.
		write: 34_246 * constants::WEIGHT_REF_TIME_PER_NANOS,
	};
}

#[cfg(test)]
mod tests {
	use super::ParityDbWeight as W;
	use frame_support::weights::constants;

	/// A generated weight between 1 µs and 1 ms: anything else is a broken measurement.
	#[test]
	fn measured_weights_are_plausible() {
		for weight in [W::get().reads(1).ref_time(), W::get().writes(1).ref_time()] {
			assert!(weight >= constants::WEIGHT_REF_TIME_PER_MICROS, "{weight}");
			assert!(weight <= constants::WEIGHT_REF_TIME_PER_MILLIS, "{weight}");
		}
	}
}
