//! Organisations and practitioners, as the providers pallet reports them to the others
//! ([`ProviderRegistry`]).

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

use crate::Moment;

/// An organisation's id, assigned by the providers pallet at registration.
pub type OrganisationId = u32;

/// What kind of provider an organisation is.
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
	Serialize,
	Deserialize,
)]
pub enum OrganisationKind {
	Hospital,
	Clinic,
	Lab,
	Pharmacy,
	Insurer,
	Research,
	Regulator,
}

impl OrganisationKind {
	/// Whether its practitioners may open break-glass emergency access.
	pub fn provides_emergency_care(self) -> bool {
		matches!(self, Self::Hospital | Self::Clinic)
	}
}

/// A practitioner's role within its organisation.
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
	Serialize,
	Deserialize,
)]
pub enum Role {
	Physician,
	Nurse,
	LabTechnician,
	Pharmacist,
	Billing,
	Researcher,
	Auditor,
	Admin,
}

/// An active practitioner, as the providers pallet reports it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct ActivePractitioner {
	/// The organisation it acts for.
	pub organisation: OrganisationId,
	/// Its role there.
	pub role: Role,
	/// What kind of organisation that is.
	pub kind: OrganisationKind,
	/// When (ms of chain time) it joined that organisation: consents and emergency accesses
	/// given to it before then were given to an earlier membership and do not carry over.
	pub since: Moment,
}

impl ActivePractitioner {
	/// Whether its role gives clinical care (and so may break the glass): Physician, Nurse.
	pub fn is_clinical(&self) -> bool {
		matches!(self.role, Role::Physician | Role::Nurse)
	}
}

/// Who the providers pallet knows, as other pallets need to know it.
pub trait ProviderRegistry<AccountId> {
	/// `who`'s organisation, role and organisation kind, if `who` is a practitioner of an
	/// organisation that is active now (a suspended organisation's practitioners are not).
	fn active_practitioner(who: &AccountId) -> Option<ActivePractitioner>;
	/// The kind of `organisation` if it is registered and active.
	fn active_organisation(organisation: OrganisationId) -> Option<OrganisationKind>;
	/// The organisation `who` administers, if any (active or not).
	fn administered_by(who: &AccountId) -> Option<OrganisationId>;
	/// The organisation `who` administers, if it is active: a suspended organisation's admin
	/// keeps only what it needs to clean up (removing its practitioners, handing its admin key
	/// on), not the powers over records and nodes (security review 2026-12, N-5).
	fn active_admin_of(who: &AccountId) -> Option<OrganisationId> {
		Self::administered_by(who).filter(|org| Self::active_organisation(*org).is_some())
	}
	/// An organisation whose admin proposed `who` as its next admin account, if the proposal is
	/// open: `who` may then sign the call that accepts it.
	fn admin_proposed_to(who: &AccountId) -> Option<OrganisationId>;
	/// An organisation that invited `who` to join as a practitioner, if one did (and has not
	/// closed the invitation): `who` may then sign the call that accepts or declines it.
	fn invited_by(who: &AccountId) -> Option<OrganisationId>;
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn only_hospitals_and_clinics_provide_emergency_care() {
		assert!(OrganisationKind::Hospital.provides_emergency_care());
		assert!(OrganisationKind::Clinic.provides_emergency_care());
		assert!(!OrganisationKind::Lab.provides_emergency_care());
		assert!(!OrganisationKind::Insurer.provides_emergency_care());
	}
}
