//! What the providers pallet stores.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use medchain_primitives::{Hash32, OrganisationKind, Role};
use scale_info::TypeInfo;

/// Whether an organisation may act on the chain.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum OrganisationStatus {
	/// Its admin and practitioners act for it.
	Active,
	/// Governance suspended it: none of its practitioners is active until it is reinstated.
	Suspended,
}

/// A registered organisation.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Organisation<AccountId> {
	/// The account that manages its practitioners.
	pub admin: AccountId,
	/// What kind of provider it is.
	pub kind: OrganisationKind,
	/// The hash of the license or accreditation document governance checked off chain.
	pub license_hash: Hash32,
	/// Active or suspended.
	pub status: OrganisationStatus,
	/// How many practitioners it has (at most `MaxPractitionersPerOrganisation`).
	pub practitioners: u32,
}

/// A practitioner's membership of its (one) organisation.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Membership {
	/// The organisation it belongs to.
	pub organisation: medchain_primitives::OrganisationId,
	/// Its role there.
	pub role: Role,
}
