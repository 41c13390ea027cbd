//! The cursor of the audit pallet's background rewrite. Its call parameters
//! ([`medchain_primitives::AccessReport`]) and what it stores (`TrailHead`) are the primitives'.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use medchain_primitives::PatientId;
use scale_info::TypeInfo;

/// Where the background rewrite of trail heads has got to (`crate::migrations`).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum RewriteCursor {
	/// Nothing rewritten yet.
	Start,
	/// Every head up to this patient's (in storage key order) has been rewritten.
	After(PatientId),
}
