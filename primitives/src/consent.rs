//! The consent vocabulary: grant, emergency-access and deny-rule ids, who a grant names and on
//! which terms, the decision and the [`AccessPolicy`] through which other pallets ask for it.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

use crate::{
	Action, Actions, Categories, Category, ConsentRef, Moment, OrganisationId, PatientId, Purpose,
	Purposes,
};

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

/// What a consent grant permits: who may act, on which categories of data, for which purposes,
/// with which actions, over which period. The consent pallet's `grant` call takes it, each stored
/// grant holds it and `ConsentGranted` carries it, so the three cannot drift apart; FHIR
/// Consent's `provision` maps onto it field by field (`docs/pallets/consent.md`).
///
/// Its SCALE encoding is its fields in this order, as the grant's were before they were one type.
#[derive(
	Clone,
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
#[serde(rename_all = "camelCase")]
pub struct GrantTerms<AccountId> {
	/// Who may act on it.
	pub grantee: Grantee<AccountId>,
	/// Which categories of data.
	pub categories: Categories,
	/// For which purposes.
	pub purposes: Purposes,
	/// Which actions (Read, Append, Share).
	pub actions: Actions,
	/// From when (ms of chain time, inclusive).
	pub valid_from: Moment,
	/// Until when (ms, exclusive); `None`: no end, which the consent pallet allows only for a
	/// Treatment grant to the patient's enrolling organisation.
	pub valid_until: Option<Moment>,
}

impl<AccountId> GrantTerms<AccountId> {
	/// Whether `now` lies in the period: `valid_from <= now < valid_until`.
	pub fn in_period(&self, now: Moment) -> bool {
		self.valid_from <= now && self.valid_until.map_or(true, |until| now < until)
	}

	/// Whether the terms name this category, purpose and action (the period aside).
	pub fn names(&self, category: Category, purpose: Purpose, action: Action) -> bool {
		self.categories.contains(category)
			&& self.purposes.contains(purpose)
			&& self.actions.contains(action)
	}
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

/// The most questions one batch of access decisions holds
/// (`ConsentApi::check_access_batch`, the `consent_checkAccessBatch` RPC).
pub const MAX_ACCESS_QUESTIONS: u32 = 1024;

/// One question to the access decision: may `accessor` do `action` on `category` of
/// `patient`'s data for `purpose`? In JSON: `{"patient": 7, "accessor": "5Grw…",
/// "category": "LabResults", "purpose": "Treatment", "action": "Read"}`.
#[derive(
	Clone,
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
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessQuestion<AccountId> {
	/// Whose data.
	pub patient: PatientId,
	/// Who would act.
	pub accessor: AccountId,
	/// Which category of data.
	pub category: Category,
	/// For which purpose.
	pub purpose: Purpose,
	/// Which action.
	pub action: Action,
}

/// A batch of access questions, bounded when it is decoded.
pub type AccessQuestions<AccountId> =
	sp_runtime::BoundedVec<AccessQuestion<AccountId>, sp_core::ConstU32<MAX_ACCESS_QUESTIONS>>;

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
/// runtime, with the decision at its worst case (`BenchmarkWorld::make_worst_case_access`), so the
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
}
