//! What the patients pallet stores.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::prelude::{BoundedVec, Get};
use medchain_primitives::{EmergencyPolicy, GuardianScope, Hash32, Moment, OrganisationId};
use scale_info::TypeInfo;

/// An enrolled patient. Pseudonymous: the commitments are salted hashes whose preimages stay
/// with the enrolling organisation (identity) and the patient (recovery).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Patient<AccountId> {
	/// The account that acts as the patient now (rotated by the patient, replaced by recovery).
	pub controller: AccountId,
	/// The organisation whose practitioner enrolled the patient.
	pub enrolled_by: OrganisationId,
	/// A salted hash of the identity proof the enrolling organisation checked.
	pub identity_commitment: Hash32,
	/// `blake2_256(RECOVERY_DOMAIN ‖ secret)` of a secret the patient keeps; the enrolling
	/// organisation can recover the patient's key by presenting the secret.
	pub recovery_commitment: Hash32,
	/// How many guardians the patient has (at most `MaxGuardians`).
	pub guardians: u32,
	/// How many recovery guardians must approve a new controller; 0 = no guardian recovery.
	pub recovery_threshold: u32,
	/// Whether, and for which categories, break-glass emergency access is allowed.
	pub emergency_policy: EmergencyPolicy,
}

/// A guardian's appointment for one patient.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Guardianship {
	/// What the guardian may do.
	pub scope: GuardianScope,
	/// When the appointment ends (ms, exclusive); `None` = until removed.
	pub valid_until: Option<Moment>,
}

impl Guardianship {
	/// Whether the appointment is in force at `now`.
	pub fn in_force(&self, now: Moment) -> bool {
		self.valid_until.map_or(true, |until| now < until)
	}
}

/// A recovery to a new controller that guardians are approving.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxGuardians))]
pub struct PendingRecovery<AccountId, MaxGuardians: Get<u32>> {
	/// The account that becomes the controller once enough guardians approve.
	pub new_controller: AccountId,
	/// The guardians that approved it.
	pub approvals: BoundedVec<AccountId, MaxGuardians>,
}

/// How a patient's controller key was recovered.
#[derive(
	Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum RecoveryMethod {
	/// The patient's recovery guardians reached its threshold.
	Guardians,
	/// The enrolling organisation presented the recovery secret.
	EnrollingOrganisation,
}

/// The domain separator of recovery commitments:
/// `recovery_commitment = blake2_256(RECOVERY_DOMAIN ‖ secret)`, with `secret` 32 bytes.
pub const RECOVERY_DOMAIN: &[u8] = b"medchain/patients/recovery/v1";

/// The recovery commitment of `secret`.
pub fn recovery_commitment(secret: &Hash32) -> Hash32 {
	let mut preimage = alloc::vec::Vec::with_capacity(RECOVERY_DOMAIN.len() + 32);
	preimage.extend_from_slice(RECOVERY_DOMAIN);
	preimage.extend_from_slice(secret.as_bytes());
	Hash32::from(frame::hashing::blake2_256(&preimage))
}
