//! What the consent pallet stores.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::prelude::{BoundedVec, Get};
use medchain_primitives::{
	Actions, Categories, Category, Grantee, Moment, PatientId, Purpose, Purposes,
};
use scale_info::TypeInfo;

/// A consent grant, shaped after FHIR Consent (see `docs/pallets/consent.md`).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Grant<AccountId> {
	/// Whose data.
	pub patient: PatientId,
	/// Who may act on it.
	pub grantee: Grantee<AccountId>,
	/// Which categories of data.
	pub categories: Categories,
	/// For which purposes.
	pub purposes: Purposes,
	/// Which actions (Read, Append, Share).
	pub actions: Actions,
	/// From when (ms, inclusive).
	pub valid_from: Moment,
	/// Until when (ms, exclusive); `None`: no end (only Treatment grants to the enrolling
	/// organisation).
	pub valid_until: Option<Moment>,
	/// The patient's controller or the guardian who granted it.
	pub granted_by: AccountId,
	/// When it was revoked, if it was.
	pub revoked_at: Option<Moment>,
}

impl<AccountId> Grant<AccountId> {
	/// Whether the grant is in force at `now`: not revoked, started, not ended.
	pub fn in_force(&self, now: Moment) -> bool {
		self.revoked_at.is_none() && self.valid_from <= now && self.valid_until.map_or(true, |u| now < u)
	}

	/// Whether the grant is in force at `now` and covers this request.
	pub fn covers(
		&self,
		category: Category,
		purpose: Purpose,
		action: medchain_primitives::Action,
		now: Moment,
	) -> bool {
		self.in_force(now) &&
			self.categories.contains(category) &&
			self.purposes.contains(purpose) &&
			self.actions.contains(action)
	}

	/// When the grant stopped being usable (revoked or ended), if it did.
	pub fn ended_at(&self) -> Option<Moment> {
		match (self.revoked_at, self.valid_until) {
			(Some(r), Some(u)) => Some(r.min(u)),
			(r, u) => r.or(u),
		}
	}
}

/// A deny rule: overrides every grant it covers.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct DenyRule<AccountId> {
	/// Its id within the patient's rules.
	pub id: u32,
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
	pub next_id: u32,
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
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
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
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum ReviewOutcome {
	/// The emergency access was justified.
	Justified,
	/// It was not: the access ends at once (if still open) and stays on record as such.
	Unjustified,
}

/// A break-glass emergency access.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct EmergencyAccess<AccountId> {
	/// Whose data.
	pub patient: PatientId,
	/// Who opened it.
	pub practitioner: AccountId,
	/// For which organisation (a hospital or clinic).
	pub organisation: medchain_primitives::OrganisationId,
	/// Which categories it covers (within the patient's emergency policy).
	pub categories: Categories,
	/// Why.
	pub justification: JustificationCode,
	/// When it was opened (ms).
	pub opened_at: Moment,
	/// When it ends (ms, exclusive).
	pub until: Moment,
	/// The review, once done: `None` while unreviewed.
	pub review: Option<ReviewOutcome>,
}

impl<AccountId> EmergencyAccess<AccountId> {
	/// Whether it permits `category` at `now`.
	pub fn covers(&self, category: Category, now: Moment) -> bool {
		now < self.until && self.categories.contains(category)
	}
}
