//! The `AuditApi` runtime API: a patient's audit trail head, asked of the runtime at a given
//! block. The node serves it as the JSON-RPC method `audit_trailHead`.

#![cfg_attr(not(feature = "std"), no_std)]

pub use medchain_primitives::{PatientId, TrailHead};

sp_api::decl_runtime_apis! {
	/// The heads of medchain's audit trails.
	pub trait AuditApi {
		/// `patient`'s trail head: the last sequence number (0: no entry yet) and the running
		/// hash after it (all zeros for an empty trail).
		fn trail_head(patient: PatientId) -> TrailHead;
	}
}
