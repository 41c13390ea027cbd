//! What the consent pallet stores.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::prelude::{BoundedVec, Get};
use medchain_primitives::{
	Categories, Category, DenyId, GrantTerms, Grantee, Moment, OrganisationId, PatientId, Purpose,
	Purposes,
};
use scale_info::TypeInfo;

/// A consent grant, shaped after FHIR Consent (see `docs/pallets/consent.md`).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Grant<AccountId> {
	/// Whose data.
	pub patient: PatientId,
	/// What it permits: grantee, categories, purposes, actions and period, as granted.
	pub terms: GrantTerms<AccountId>,
	/// The patient's controller or the guardian who granted it.
	pub granted_by: AccountId,
	/// When it was granted (ms).
	pub granted_at: Moment,
	/// For a grant to a practitioner: the organisation it worked for when granted. The grant
	/// permits it only while it works there, in the membership it had then.
	pub organisation: Option<OrganisationId>,
	/// When it was revoked, if it was.
	pub revoked_at: Option<Moment>,
}

impl<AccountId> Grant<AccountId> {
	/// Whether the grant is in force at `now`: not revoked, started, not ended.
	pub fn in_force(&self, now: Moment) -> bool {
		self.revoked_at.is_none() && self.terms.in_period(now)
	}

	/// Whether the grant is in force at `now` and covers this request.
	pub fn covers(
		&self,
		category: Category,
		purpose: Purpose,
		action: medchain_primitives::Action,
		now: Moment,
	) -> bool {
		self.in_force(now) && self.terms.names(category, purpose, action)
	}

	/// When the grant stops (or stopped) being usable: revoked or ended, if either.
	pub fn ended_at(&self) -> Option<Moment> {
		match (self.revoked_at, self.terms.valid_until) {
			(Some(r), Some(u)) => Some(r.min(u)),
			(r, u) => r.or(u),
		}
	}

	/// Whether the grant can never permit anything again at or after `now`.
	pub fn has_ended(&self, now: Moment) -> bool {
		self.ended_at().is_some_and(|end| end <= now)
	}
}

/// A deny rule: overrides every grant it covers.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct DenyRule<AccountId> {
	/// Its id within the patient's rules.
	pub id: DenyId,
	/// Whom it denies; `None`: everyone.
	pub grantee: Option<Grantee<AccountId>>,
	/// Which categories.
	pub categories: Categories,
	/// For which purposes.
	pub purposes: Purposes,
}

/// A patient's deny rules.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxRules))]
pub struct DenyRules<AccountId, MaxRules: Get<u32>> {
	/// The id the next rule gets.
	pub next_id: DenyId,
	/// The rules, in the order they were added.
	pub rules: BoundedVec<DenyRule<AccountId>, MaxRules>,
}

impl<AccountId, MaxRules: Get<u32>> Default for DenyRules<AccountId, MaxRules> {
	fn default() -> Self {
		Self { next_id: 0, rules: BoundedVec::new() }
	}
}

/// Why a practitioner broke the glass: a code, never free text.
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
pub enum JustificationCode {
	/// The patient is unconscious.
	PatientUnconscious,
	/// The patient's life is at risk.
	LifeThreatening,
	/// The patient cannot consent (confusion, sedation) and no guardian is reachable.
	PatientCannotConsent,
	/// A declared public-health emergency.
	PublicHealthEmergency,
}

/// What a review found.
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
pub enum ReviewOutcome {
	/// The emergency access was justified.
	Justified,
	/// It was not: the access ends at once (if still open) and stays on record as such.
	Unjustified,
}

/// Who reviewed an emergency access. A guardian's review may be replaced by the patient's or
/// governance's; theirs are final.
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
pub enum Reviewer {
	/// The patient (its controller).
	Patient,
	/// A guardian whose consent scope covers the access's categories.
	Guardian,
	/// The consortium's governance.
	Governance,
}

/// A review of an emergency access.
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
pub struct Review {
	/// What it found.
	pub outcome: ReviewOutcome,
	/// Who found it.
	pub by: Reviewer,
}

/// A break-glass emergency access.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct EmergencyAccess<AccountId> {
	/// Whose data.
	pub patient: PatientId,
	/// Who opened it.
	pub practitioner: AccountId,
	/// For which organisation (a hospital or clinic). It permits its practitioner only while
	/// it works there, in the membership it had when it opened it.
	pub organisation: OrganisationId,
	/// Which categories it covers (within the patient's emergency policy).
	pub categories: Categories,
	/// Why.
	pub justification: JustificationCode,
	/// When it was opened (ms).
	pub opened_at: Moment,
	/// When it ends (ms, exclusive).
	pub until: Moment,
	/// The review, once done: `None` while unreviewed.
	pub review: Option<Review>,
}

impl<AccountId> EmergencyAccess<AccountId> {
	/// Whether it permits `category` at `now`.
	pub fn covers(&self, category: Category, now: Moment) -> bool {
		self.is_open(now) && self.categories.contains(category)
	}

	/// Whether it is still open at `now`.
	pub fn is_open(&self, now: Moment) -> bool {
		now < self.until
	}
}
