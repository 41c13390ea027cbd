//! The audit pallet's call parameters, and the cursor of its background rewrite (it stores
//! `TrailHead`s, from the primitives).

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use medchain_primitives::{Category, ConsentRef, PatientId, Purpose, RecordId};
use scale_info::TypeInfo;

/// One read of a patient's data off chain, as the reading organisation reports it.
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
pub struct AccessReport {
	/// Whose data was read.
	pub patient: PatientId,
	/// Which category of it.
	pub category: Category,
	/// For which purpose.
	pub purpose: Purpose,
	/// The grant or emergency access the reader relied on.
	pub basis: ConsentRef,
	/// The record read, if one record was (it must be the patient's, of `category`).
	pub record: Option<RecordId>,
}

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
