//! Patients, their guardians and their emergency policy, as the patients pallet reports them to
//! the others ([`PatientRegistry`]).

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

use crate::{Categories, Moment, OrganisationId};

/// A patient's pseudonymous id, assigned by the patients pallet at enrolment. It survives key
/// rotation and recovery; it identifies no one off chain.
pub type PatientId = u64;

/// What a guardian may do for a patient.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub struct GuardianScope {
	/// The categories whose consents the guardian may grant, revoke and deny.
	pub consent_categories: Categories,
	/// Whether the guardian may appoint further guardians (with at most its own scope).
	pub may_appoint: bool,
	/// Whether the guardian may set the patient's emergency-access policy.
	pub may_set_emergency_policy: bool,
	/// Whether the guardian's approval counts towards recovering the patient's key.
	pub may_recover: bool,
}

impl GuardianScope {
	/// Whether this scope holds all of `other`.
	pub fn covers(&self, other: &GuardianScope) -> bool {
		self.consent_categories.contains_all(other.consent_categories)
			&& (self.may_appoint || !other.may_appoint)
			&& (self.may_set_emergency_policy || !other.may_set_emergency_policy)
			&& (self.may_recover || !other.may_recover)
	}

	/// Whether a guardian with this scope may appoint another with `other`: it may appoint,
	/// holds all of `other`, and `other` carries no recovery power. Only the patient makes a
	/// recovery guardian: a guardian cannot multiply the approvals that recover a key.
	pub fn may_hand_on(&self, other: &GuardianScope) -> bool {
		self.may_appoint && self.covers(other) && !other.may_recover
	}

	/// Whether every category bit of the scope names a category.
	pub fn is_known(&self) -> bool {
		self.consent_categories.is_known()
	}
}

/// Whether, and for which categories, practitioners of a Hospital or Clinic may open
/// break-glass emergency access to a patient.
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
pub struct EmergencyPolicy {
	/// Whether break-glass access is allowed at all.
	pub allowed: bool,
	/// The categories an emergency access may cover.
	pub categories: Categories,
}

impl Default for EmergencyPolicy {
	/// Emergency access allowed for the clinical categories, never for the sensitive ones: what
	/// a patient has until it says otherwise.
	fn default() -> Self {
		Self { allowed: true, categories: Categories::CLINICAL }
	}
}

/// In whose name an account acts for a patient.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub enum PatientActor {
	/// The patient itself (its current controller key).
	Patient,
	/// A guardian whose appointment is in force, with its scope.
	Guardian(GuardianScope),
}

/// Why an account may sign transactions for patients, as the patients pallet knows it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub enum PatientStanding {
	/// It is `patient`'s controller; `organisation` enrolled the patient.
	Controller { patient: PatientId, organisation: OrganisationId },
	/// It is a guardian in force of `ward` (one of the patients it guards, whose admission
	/// budget its transactions share: a key a patient mints buys it no larger share of the
	/// chain); `organisation` enrolled `ward`.
	Guardian { ward: PatientId, organisation: OrganisationId },
}

/// Who the patients pallet knows, as other pallets need to know it.
pub trait PatientRegistry<AccountId> {
	/// The patient whose current controller key is `who`.
	fn patient_of(who: &AccountId) -> Option<PatientId>;
	/// Whether, and as what, `who` may sign transactions for patients at `now` (ms): as a
	/// patient's controller, or as a guardian whose appointment is in force.
	fn standing(who: &AccountId, now: Moment) -> Option<PatientStanding>;
	/// Whether `patient` is enrolled.
	fn is_enrolled(patient: PatientId) -> bool;
	/// In whose name `who` may act for `patient` at time `now` (ms): as the patient, as a
	/// guardian in force with its scope, or not at all.
	fn actor_for(patient: PatientId, who: &AccountId, now: Moment) -> Option<PatientActor>;
	/// The organisation that enrolled `patient`.
	fn enrolling_organisation(patient: PatientId) -> Option<OrganisationId>;
	/// `patient`'s emergency-access policy.
	fn emergency_policy(patient: PatientId) -> Option<EmergencyPolicy>;
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::Category;

	#[test]
	fn a_guardian_hands_on_at_most_its_own_scope() {
		let full = GuardianScope {
			consent_categories: Categories::ALL,
			may_appoint: true,
			may_set_emergency_policy: true,
			may_recover: true,
		};
		let narrow =
			GuardianScope { consent_categories: Category::Allergies.into(), ..Default::default() };
		assert!(full.covers(&narrow));
		assert!(!narrow.covers(&full));
		assert!(!GuardianScope { may_appoint: false, ..full }.covers(&full));
		// Recovery power is the patient's alone to give.
		assert!(full.may_hand_on(&narrow));
		assert!(!full.may_hand_on(&GuardianScope { may_recover: true, ..narrow }));
		assert!(!GuardianScope { may_appoint: false, ..full }.may_hand_on(&narrow));
	}
}
