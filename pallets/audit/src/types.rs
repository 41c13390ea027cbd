//! The audit pallet's call parameters (it stores only `TrailHead`s, from the primitives).

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use medchain_primitives::{Category, ConsentRef, PatientId, Purpose, RecordId};
use scale_info::TypeInfo;

/// One read of a patient's data off chain, as the reading organisation reports it.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
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
