//! The `RecordsApi` runtime API: record verification, asked of the runtime at a given block.
//! The node serves it as the JSON-RPC methods `records_verify` and `records_verifyInBatch`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use medchain_primitives::{
	BatchId, Hash32, MerkleProof, RecordChecks, RecordId, RecordStatus, RecordVerification,
	MAX_RECORD_CHECKS,
};

sp_api::decl_runtime_apis! {
	/// Verification of medchain's record anchors.
	///
	/// Version 2 (runtime 111): `verify_in_batch` takes a [`MerkleProof`], at most 32 hashes,
	/// bounded when the call's arguments are decoded. Its encoding is a `Vec`'s, so callers of
	/// version 1 need no change. Version 3 (runtime 111) adds [`RecordsApi::verify_batch`].
	#[api_version(2)]
	pub trait RecordsApi {
		/// Whether `content_hash` is the hash anchored for `record_id`, and that version's
		/// status.
		fn verify(record_id: RecordId, content_hash: Hash32) -> RecordVerification;

		/// Whether `proof` (the Merkle audit path, leaf to root) shows that the record with
		/// `content_hash` is leaf `index` of batch `batch_id`, against the batch's anchored
		/// root and count.
		fn verify_in_batch(batch_id: BatchId, content_hash: Hash32, index: u32, proof: MerkleProof) -> bool;

		/// [`RecordsApi::verify`] for each of `checks` (at most [`MAX_RECORD_CHECKS`], refused
		/// when decoded), in order: what a gateway verifying many reads asks in one call.
		#[api_version(3)]
		fn verify_batch(checks: RecordChecks) -> alloc::vec::Vec<RecordVerification>;
	}
}
