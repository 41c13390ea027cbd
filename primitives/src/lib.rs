//! # medchain primitives
//!
//! The small vocabulary medchain's pallets share, and the traits through which they meet. A
//! pallet never reads another pallet's storage: the runtime wires, say, the consent pallet's
//! `ProviderRegistry` to the providers pallet.
//!
//! - Who: [`OrganisationKind`], [`Role`], [`OrganisationId`], [`PatientId`].
//! - What and why: [`Category`]/[`Categories`], [`Purpose`]/[`Purposes`],
//!   [`Action`]/[`Actions`]. The sets are bit sets, so a grant or a policy costs a few bytes and
//!   a check is a mask; a set never carries bits that name nothing (decoding refuses them).
//! - Traits: [`ProviderRegistry`] (is this account an active practitioner, of which
//!   organisation and role), [`PatientRegistry`] (is this a patient, who may act for it and
//!   within which scope), [`AccessPolicy`] (the consent decision) and [`AuditSink`] (append
//!   to a patient's audit trail).
//! - Records: [`RecordId`], [`RecordStatus`], [`RecordVerification`] ([`records`]).
//! - The audit trail's entries and hash chain, and the function that rebuilds and checks a
//!   trail from its entries ([`audit`]).
//!
//! No storage, no personal data: ids, hashes and bit sets only.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod audit;
pub mod records;
#[cfg(feature = "testing")]
pub mod testing;

pub use audit::{
	rebuild_trail, verify_trail, Agent, AuditAction, AuditEntry, AuditEvent, AuditOutcome,
	AuditSink, ConsentRef, TrailError, TrailHead,
};
pub use records::{BatchId, RecordId, RecordStatus, RecordVerification};

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// A timestamp: milliseconds since the Unix epoch, as pallet-timestamp keeps it.
pub type Moment = u64;

/// An organisation's id, assigned by the providers pallet at registration.
pub type OrganisationId = u32;

/// A patient's pseudonymous id, assigned by the patients pallet at enrolment. It survives key
/// rotation and recovery; it identifies no one off chain.
pub type PatientId = u64;

/// A 32-byte hash: a commitment, a fingerprint, an attestation.
pub type Hash32 = sp_core::H256;

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

/// Declares an enum of named flags and the bit set of them (bit `i` = the variant with
/// discriminant `i`). The set encodes as its integer. It *decodes* any integer, so that a call
/// naming an unknown bit reaches the pallet and is refused there with a named error (a decode
/// failure would only reach the sender as a failed transaction-pool check); every call that
/// takes a set checks [`Categories::is_known`] (and its siblings) before using it, and the
/// pallets' `try_state` checks that no stored set carries an unknown bit. JSON (genesis
/// configs, RPC) refuses unknown bits.
macro_rules! flag_set {
	(
		$(#[$enum_meta:meta])* enum $one:ident;
		$(#[$set_meta:meta])* set $set:ident($repr:ty, $repr_name:literal);
		$( $(#[$var_meta:meta])* $variant:ident = $bit:literal ),+ $(,)?
	) => {
		$(#[$enum_meta])*
		#[derive(
			Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Encode, Decode,
			DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Serialize, Deserialize,
		)]
		pub enum $one {
			$( $(#[$var_meta])* $variant = $bit ),+
		}

		impl $one {
			/// Every value, in bit order.
			pub const ALL: &'static [$one] = &[$( $one::$variant ),+];

			/// This value's bit in a set.
			pub const fn bit(self) -> $repr {
				1 << (self as u8)
			}
		}

		$(#[$set_meta])*
		#[derive(
			Clone, Copy, PartialEq, Eq, Default, Debug, Encode, MaxEncodedLen, TypeInfo,
			Serialize, Deserialize,
		)]
		#[serde(try_from = $repr_name, into = $repr_name)]
		pub struct $set($repr);

		impl $set {
			/// The set of every value.
			pub const ALL: $set = $set(0 $( | (1 << $bit) )+);
			/// The empty set.
			pub const NONE: $set = $set(0);

			/// The set with exactly these values.
			pub fn of(values: &[$one]) -> Self {
				Self(values.iter().fold(0, |acc, v| acc | v.bit()))
			}
			/// The set whose bits are `bits`, or `None` if a bit names no value.
			pub const fn from_bits(bits: $repr) -> Option<Self> {
				if bits & !Self::ALL.0 == 0 { Some(Self(bits)) } else { None }
			}
			/// Whether every bit of the set names a value (a decoded set may carry others).
			pub const fn is_known(self) -> bool {
				self.0 & !Self::ALL.0 == 0
			}
			/// The bits of this set.
			pub const fn bits(self) -> $repr {
				self.0
			}
			/// Whether the set is empty.
			pub const fn is_empty(self) -> bool {
				self.0 == 0
			}
			/// Whether `value` is in the set.
			pub const fn contains(self, value: $one) -> bool {
				self.0 & value.bit() != 0
			}
			/// Whether every value of `other` is in this set.
			pub const fn contains_all(self, other: Self) -> bool {
				self.0 & other.0 == other.0
			}
			/// Whether the two sets share a value.
			pub const fn intersects(self, other: Self) -> bool {
				self.0 & other.0 != 0
			}
			/// The values in both sets.
			pub const fn intersection(self, other: Self) -> Self {
				Self(self.0 & other.0)
			}
			/// The values in either set.
			pub const fn union(self, other: Self) -> Self {
				Self(self.0 | other.0)
			}
			/// The values of this set that are not in `other`.
			pub const fn difference(self, other: Self) -> Self {
				Self(self.0 & !other.0)
			}
			/// How many values the set holds.
			pub const fn len(self) -> u32 {
				self.0.count_ones()
			}
			/// The values in the set, in bit order.
			pub fn iter(self) -> impl Iterator<Item = $one> {
				$one::ALL.iter().copied().filter(move |v| self.contains(*v))
			}
		}

		impl From<$one> for $set {
			fn from(value: $one) -> Self {
				Self(value.bit())
			}
		}

		impl From<$set> for $repr {
			fn from(set: $set) -> $repr {
				set.0
			}
		}

		impl TryFrom<$repr> for $set {
			type Error = &'static str;
			fn try_from(bits: $repr) -> Result<Self, Self::Error> {
				Self::from_bits(bits).ok_or(concat!("a bit of this ", stringify!($set), " names no value"))
			}
		}

		impl Decode for $set {
			fn decode<I: codec::Input>(input: &mut I) -> Result<Self, codec::Error> {
				// Any bits: the pallet that receives the set refuses unknown ones by name.
				<$repr>::decode(input).map(Self)
			}
		}

		impl DecodeWithMemTracking for $set {}
	};
}

flag_set! {
	/// A category of medical data, after the FHIR resource families it covers
	/// (see `docs/pallets/` for the mapping).
	enum Category;
	/// A set of [`Category`] values. The last four categories are *sensitive*: never implied by
	/// a shortcut, they must be named one by one (see [`Categories::SENSITIVE`]).
	set Categories(u16, "u16");
	/// Patient, RelatedPerson (no direct identifiers on chain, only the fact of access).
	Demographics = 0,
	/// Encounter, EpisodeOfCare.
	Encounters = 1,
	/// Condition.
	Diagnoses = 2,
	/// MedicationRequest, MedicationStatement, MedicationDispense.
	Medications = 3,
	/// AllergyIntolerance.
	Allergies = 4,
	/// Observation (laboratory), DiagnosticReport.
	LabResults = 5,
	/// ImagingStudy, DiagnosticReport (imaging).
	Imaging = 6,
	/// Procedure.
	Procedures = 7,
	/// Immunization.
	Immunizations = 8,
	/// DocumentReference, Composition (clinical notes).
	ClinicalNotes = 9,
	/// Sensitive: mental health.
	MentalHealth = 10,
	/// Sensitive: sexual and reproductive health.
	SexualHealth = 11,
	/// Sensitive: genomic data.
	Genomics = 12,
	/// Sensitive: Claim, ExplanationOfBenefit, Coverage.
	Billing = 13,
}

impl Category {
	/// Whether this category must always be named explicitly.
	pub const fn is_sensitive(self) -> bool {
		Categories::SENSITIVE.contains(self)
	}
}

impl Categories {
	/// The sensitive categories: MentalHealth, SexualHealth, Genomics, Billing.
	pub const SENSITIVE: Categories = Categories(
		(1 << Category::MentalHealth as u8)
			| (1 << Category::SexualHealth as u8)
			| (1 << Category::Genomics as u8)
			| (1 << Category::Billing as u8),
	);
	/// Every category that is not sensitive: what a "clinical" shortcut may cover.
	pub const CLINICAL: Categories = Categories(Categories::ALL.0 & !Categories::SENSITIVE.0);
}

flag_set! {
	/// Why data is accessed (after FHIR/HL7 v3 PurposeOfUse).
	enum Purpose;
	/// A set of [`Purpose`] values.
	set Purposes(u8, "u8");
	/// TREAT: care of the patient.
	Treatment = 0,
	/// HPAYMT: payment for care.
	Payment = 1,
	/// HOPERAT: healthcare operations.
	Operations = 2,
	/// HRESCH: research.
	Research = 3,
	/// PUBHLTH: public health.
	PublicHealth = 4,
	/// ETREAT: emergency treatment.
	Emergency = 5,
}

flag_set! {
	/// What a grantee may do with the data a grant covers.
	enum Action;
	/// A set of [`Action`] values.
	set Actions(u8, "u8");
	/// Read records.
	Read = 0,
	/// Author new records (anchor them for the patient).
	Append = 1,
	/// Pass the grant on to the grantee organisation's practitioners; without it only the named
	/// grantee acts.
	Share = 2,
}

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

/// How many times something happened in the current period of chain time: the state of a
/// per-period cap (enrolments per organisation, key changes per patient, break-glass per
/// practitioner).
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
)]
pub struct RateCounter {
	/// When the current period began (ms).
	pub start: Moment,
	/// How many times it happened since.
	pub count: u32,
}

impl RateCounter {
	/// Counts one more at `now` if fewer than `max` happened in the `period` (ms) that holds
	/// `now`; a new period starts when the last one is over. Whether it was counted.
	pub fn try_count(&mut self, now: Moment, period: Moment, max: u32) -> bool {
		if now >= self.start.saturating_add(period) || now < self.start {
			*self = RateCounter { start: now, count: 0 };
		}
		if self.count >= max {
			return false;
		}
		self.count = self.count.saturating_add(1);
		true
	}
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
	/// An organisation that invited `who` to join as a practitioner, if one did (and has not
	/// closed the invitation): `who` may then sign the call that accepts or declines it.
	fn invited_by(who: &AccountId) -> Option<OrganisationId>;

	/// Benchmarks of other pallets: make `who` an active practitioner (with `role`) of a new
	/// organisation of `kind`, and return that organisation.
	#[cfg(feature = "runtime-benchmarks")]
	fn make_active_practitioner(
		who: &AccountId,
		kind: OrganisationKind,
		role: Role,
	) -> OrganisationId;
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
	/// It is a guardian in force of at least one patient; `organisation` enrolled the patient
	/// it was most recently appointed for.
	Guardian { organisation: OrganisationId },
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

	/// Benchmarks of other pallets: enrol a patient controlled by `controller`, enrolled by
	/// `organisation`, and return its id.
	#[cfg(feature = "runtime-benchmarks")]
	fn make_patient(controller: &AccountId, organisation: OrganisationId) -> PatientId;
}

/// A consent grant's id, assigned by the consent pallet.
pub type GrantId = u64;

/// An emergency (break-glass) access's id, assigned by the consent pallet.
pub type EmergencyAccessId = u64;

/// A deny rule's id among its patient's rules, assigned by the consent pallet.
pub type DenyId = u32;

/// Who a consent grant or a deny rule names.
#[derive(
	Clone,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
pub enum Grantee<AccountId> {
	/// An organisation: its admin account acts on the grant, and with [`Action::Share`] its
	/// active practitioners too.
	Organisation(OrganisationId),
	/// One practitioner, acting for its organisation.
	Practitioner(AccountId),
}

/// Why an access is denied.
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
pub enum DenyReason {
	/// The patient is not enrolled.
	UnknownPatient,
	/// The accessor is not an active practitioner nor an organisation's admin account.
	NotActiveProvider,
	/// A deny rule of the patient covers the request; deny rules override every grant.
	DeniedByPatient,
	/// No grant in force covers the request (none, expired, not yet valid, revoked, or
	/// another category, purpose or action).
	NoGrant,
}

/// The answer to "may this accessor do this action on this category of this patient's data,
/// for this purpose, now?" In JSON (the `consent_checkAccess` RPC):
/// `{"Permit": {"grantId": 0, "until": 1700000000000}}`,
/// `{"PermitEmergency": {"accessId": 0, "until": …}}`, `{"Deny": "NoGrant"}`, `"EmergencyOnly"`
/// (variant names as in the requests' `"LabResults"`, `"Treatment"`, `"Read"`).
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
#[serde(rename_all_fields = "camelCase")]
pub enum Decision {
	/// Permitted by grant `grant_id`, in force until `until` (ms, exclusive; `None`: no end).
	Permit { grant_id: GrantId, until: Option<Moment> },
	/// Permitted by emergency access `access_id` (break-glass), open until `until`.
	PermitEmergency { access_id: EmergencyAccessId, until: Moment },
	/// Denied, for this reason.
	Deny(DenyReason),
	/// No grant covers it, but the accessor could open break-glass emergency access: it works
	/// for a hospital or clinic and the patient's emergency policy allows the category.
	EmergencyOnly,
}

impl Decision {
	/// Whether the access is permitted (by a grant or by an open emergency access).
	pub fn is_permit(&self) -> bool {
		matches!(self, Self::Permit { .. } | Self::PermitEmergency { .. })
	}
}

/// A consent decision, and what it cost to make.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Decided {
	pub decision: Decision,
	/// The grants it read (one storage read each): what its cost grows with, at most
	/// [`AccessPolicy::max_grants_read`].
	pub grants_read: u32,
}

/// The consent decision, as other pallets (records, audit) ask it.
///
/// Its methods have no weights of their own: a calling pallet's benchmarks run in the
/// runtime, with the decision at its worst case ([`Self::make_worst_case_access`]), so the
/// weight they generate includes it.
pub trait AccessPolicy<AccountId> {
	/// May `accessor` do `action` on `category` of `patient`'s data for `purpose`, now?
	/// Pure: it reads state and changes nothing. Says how many grants it read, so that a
	/// calling pallet charges the decision it made, not the worst one.
	fn check_access(
		patient: PatientId,
		accessor: &AccountId,
		category: Category,
		purpose: Purpose,
		action: Action,
	) -> Decided;

	/// The most grants one [`Self::check_access`] reads (the accessor's and its
	/// organisation's, each index full).
	fn max_grants_read() -> u32;

	/// The same question, answered by one named grant or emergency access only: does `basis`
	/// permit it, now (deny rules still apply)? A [`ConsentRef::Deny`] permits nothing.
	fn check_access_under(
		basis: ConsentRef,
		patient: PatientId,
		accessor: &AccountId,
		category: Category,
		purpose: Purpose,
		action: Action,
	) -> Decision;

	/// Whether `basis` is a grant or an emergency access of `patient` given to `accessor` as
	/// it acts now (to it, or to the organisation it acts for; an emergency access it opened),
	/// whether or not it permits anything any more. What a report of a read may name.
	fn relates(basis: ConsentRef, patient: PatientId, accessor: &AccountId) -> bool;

	/// Benchmarks of other pallets: make a decision on `accessor` (a clinician of a hospital
	/// or clinic) reading or appending any category of `patient`'s data for the purpose
	/// Emergency a permit at the highest cost for `grants_read` grants (at most
	/// [`Self::max_grants_read`]): every deny rule of the patient examined (none applies),
	/// `grants_read` grants naming the accessor or its organisation that do not cover the
	/// purpose, then the open emergency access the accessor holds, which permits it. Returns
	/// that access.
	#[cfg(feature = "runtime-benchmarks")]
	fn make_worst_case_access(
		patient: PatientId,
		accessor: &AccountId,
		grants_read: u32,
	) -> ConsentRef;
}

/// The records pallet's anchors, as other pallets (audit) need to know them.
pub trait RecordRegistry {
	/// The patient and category of record `record`, if it is anchored.
	fn record_subject(record: RecordId) -> Option<(PatientId, Category)>;

	/// Benchmarks of other pallets: anchor a record of `category` for `patient`.
	#[cfg(feature = "runtime-benchmarks")]
	fn make_record(patient: PatientId, category: Category) -> RecordId;
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn sets_decode_unknown_bits_and_say_so() {
		assert_eq!(
			Categories::decode(&mut &(1u16 << 13).encode()[..]),
			Ok(Category::Billing.into())
		);
		assert!(Categories::decode(&mut &(1u16 << 13).encode()[..]).unwrap().is_known());
		// Decoded, so that the pallet refuses it by name; but not known.
		let unknown = Categories::decode(&mut &(1u16 << 14).encode()[..]).unwrap();
		assert!(!unknown.is_known());
		assert!(!Purposes::decode(&mut &(1u8 << 6).encode()[..]).unwrap().is_known());
		assert!(!Actions::decode(&mut &0b1000u8.encode()[..]).unwrap().is_known());
		assert_eq!(Actions::from_bits(0b111), Some(Actions::ALL));
		assert_eq!(Actions::from_bits(0b1000), None);
		// JSON stays strict.
		assert!(serde_json::from_str::<Purposes>("64").is_err());
	}

	#[test]
	fn sets_encode_as_their_integer() {
		let set = Categories::of(&[Category::Demographics, Category::LabResults]);
		assert_eq!(set.encode(), 0b10_0001u16.encode());
		assert_eq!(Categories::max_encoded_len(), 2);
		assert_eq!(serde_json::to_string(&set).unwrap(), "33");
		assert_eq!(serde_json::from_str::<Categories>("33").unwrap(), set);
		assert!(serde_json::from_str::<Categories>("65535").is_err());
	}

	#[test]
	fn sensitive_categories_are_the_last_four_and_never_clinical() {
		let sensitive: Vec<_> = Categories::SENSITIVE.iter().collect();
		assert_eq!(
			sensitive,
			vec![
				Category::MentalHealth,
				Category::SexualHealth,
				Category::Genomics,
				Category::Billing
			]
		);
		assert!(!Categories::CLINICAL.intersects(Categories::SENSITIVE));
		assert_eq!(Categories::CLINICAL.union(Categories::SENSITIVE), Categories::ALL);
		assert_eq!(Categories::ALL.len(), Category::ALL.len() as u32);
	}

	#[test]
	fn set_algebra() {
		let a = Categories::of(&[Category::Diagnoses, Category::Imaging]);
		let b = Categories::of(&[Category::Imaging, Category::Genomics]);
		assert_eq!(a.intersection(b), Category::Imaging.into());
		assert_eq!(a.difference(b), Category::Diagnoses.into());
		assert!(a.union(b).contains_all(a) && a.union(b).contains_all(b));
		assert!(!a.contains_all(b));
		assert!(Categories::NONE.is_empty() && Categories::ALL.contains_all(a));
	}

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

	#[test]
	fn a_rate_counter_caps_each_period_and_starts_over() {
		let mut counter = RateCounter::default();
		assert!(counter.try_count(1_000, 100, 2));
		assert!(counter.try_count(1_050, 100, 2));
		assert!(!counter.try_count(1_099, 100, 2));
		assert_eq!(counter, RateCounter { start: 1_000, count: 2 });
		assert!(counter.try_count(1_100, 100, 2));
		assert_eq!(counter, RateCounter { start: 1_100, count: 1 });
		assert!(!RateCounter::default().try_count(5, 100, 0));
	}

	#[test]
	fn only_hospitals_and_clinics_provide_emergency_care() {
		assert!(OrganisationKind::Hospital.provides_emergency_care());
		assert!(OrganisationKind::Clinic.provides_emergency_care());
		assert!(!OrganisationKind::Lab.provides_emergency_care());
		assert!(!OrganisationKind::Insurer.provides_emergency_care());
	}
}
