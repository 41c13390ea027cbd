//! What the providers pallet stores.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use medchain_primitives::{Hash32, Moment, OrganisationKind, Role};
use scale_info::TypeInfo;

/// Whether an organisation may act on the chain.
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
	/// How many of its invitations are open (at most `MaxOpenInvitations`).
	pub invitations: u32,
}

/// A practitioner's membership of its (one) organisation.
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
pub struct Membership {
	/// The organisation it belongs to.
	pub organisation: medchain_primitives::OrganisationId,
	/// Its role there.
	pub role: Role,
	/// When it joined (ms of chain time).
	pub since: Moment,
}

/// An organisation's invitation to an account to join it as a practitioner.
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
pub struct Invitation {
	/// The role it would have.
	pub role: Role,
	/// When the invitation lapses (ms of chain time, exclusive).
	pub expires_at: Moment,
}

/// An organisation admin's proposal of the account that should take over as its admin.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct AdminProposal<AccountId> {
	/// The proposed admin account.
	pub account: AccountId,
	/// When the proposal lapses (ms of chain time, exclusive).
	pub expires_at: Moment,
}
