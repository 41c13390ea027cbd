//! What the patients pallet stores, and the recovery proof clients compute.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::prelude::{BoundedVec, Get};
use medchain_primitives::{
	EmergencyPolicy, GuardianScope, Hash32, Moment, OrganisationId, PatientId, RateCounter,
};
use scale_info::TypeInfo;

/// The public key (sr25519) of a patient's recovery key: the key pair a patient derives from
/// the secret it keeps (a recovery card), whose signature lets its enrolling organisation move
/// it to a new controller key (see [`recovery_payload`]).
pub type RecoveryKey = [u8; 32];

/// An enrolled patient. Pseudonymous: the identity commitment is a salted hash whose preimage
/// stays with the enrolling organisation; the recovery key is a public key whose secret stays
/// with the patient.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Patient<AccountId> {
	/// The account that acts as the patient now (rotated by the patient, replaced by recovery).
	pub controller: AccountId,
	/// The organisation whose practitioner enrolled the patient.
	pub enrolled_by: OrganisationId,
	/// A salted hash of the identity proof the enrolling organisation checked.
	pub identity_commitment: Hash32,
	/// The patient's recovery key, if it has one: a signature by it lets the enrolling
	/// organisation recover the patient's controller ([`crate::Pallet::recover_with_secret`]).
	pub recovery_key: Option<RecoveryKey>,
	/// How many guardians the patient has (at most `MaxGuardians`).
	pub guardians: u32,
	/// How many recovery guardians must approve a new controller; 0 = no guardian recovery.
	pub recovery_threshold: u32,
	/// Whether, and for which categories, break-glass emergency access is allowed.
	pub emergency_policy: EmergencyPolicy,
	/// Key rotations and new guardian appointments in the current period (capped by
	/// `MaxKeyChangesPerPeriod`).
	pub key_changes: RateCounter,
}

/// A guardian's appointment for one patient.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Guardianship<AccountId> {
	/// What the guardian may do.
	pub scope: GuardianScope,
	/// When the appointment ends (ms, exclusive); `None` = until removed.
	pub valid_until: Option<Moment>,
	/// The guardian that appointed it; `None` if the patient did. Removing a guardian (or the
	/// patient changing its appointment) removes the guardians it appointed.
	pub appointed_by: Option<AccountId>,
}

impl<AccountId> Guardianship<AccountId> {
	/// Whether the appointment is in force at `now`.
	pub fn in_force(&self, now: Moment) -> bool {
		self.valid_until.map_or(true, |until| now < until)
	}
}

/// What an account's guardianships add up to: enough for the chain to tell in O(1) whether it
/// may sign transactions as a guardian.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Wards {
	/// How many patients it is appointed for (in force or expired, until removed).
	pub count: u32,
	/// The latest end of those appointments (`None`: one has no end). Not lowered when an
	/// appointment is removed, so it may outlast them; never earlier than the truth.
	pub until: Option<Moment>,
	/// The enrolling organisation of the patient it was most recently appointed for.
	pub organisation: OrganisationId,
}

/// A recovery to a new controller that the patient's recovery guardians are voting on.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxGuardians))]
pub struct PendingRecovery<AccountId, MaxGuardians: Get<u32>> {
	/// Each voting guardian's choice of new controller: one vote per guardian, which only
	/// that guardian changes.
	pub votes: BoundedVec<(AccountId, AccountId), MaxGuardians>,
	/// The move the threshold was reached for, and from when it may be completed.
	pub scheduled: Option<ScheduledRecovery<AccountId>>,
}

/// A move to a new controller that recovery guardians approved: it may be completed from
/// `due` on, unless the patient cancels it first.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct ScheduledRecovery<AccountId> {
	/// The account that becomes the controller.
	pub new_controller: AccountId,
	/// From when (ms of chain time).
	pub due: Moment,
}

/// How a patient's controller key was recovered.
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
pub enum RecoveryMethod {
	/// The patient's recovery guardians reached its threshold, and the delay passed.
	Guardians,
	/// The enrolling organisation presented the patient's signature by its recovery key.
	EnrollingOrganisation,
}

/// The domain separator of recovery proofs (v3: the payload names the controller the move is
/// from).
pub const RECOVERY_DOMAIN: &[u8] = b"medchain/patients/recovery/v3";

/// The bytes a patient signs with its recovery key to move from `current_controller` to
/// `new_controller` (and to `new_recovery_key` for the next recovery) on the chain whose
/// genesis hash is `genesis`:
/// `RECOVERY_DOMAIN ‖ SCALE((genesis, patient, current_controller, new_controller,
/// new_recovery_key))`.
///
/// The signature names the move, so whoever sees it (in the pool, in a block, after a failed
/// attempt) can only make that same move, and only while the patient is still at
/// `current_controller`: once the patient's key changes (by this recovery, a rotation or
/// another recovery) it serves no more. A successful recovery also replaces the recovery key
/// it was made with (the next key must differ), so nothing it signed can serve again (security
/// review 2026-12, N-6).
pub fn recovery_payload<Hash: Encode, AccountId: Encode>(
	genesis: &Hash,
	patient: PatientId,
	current_controller: &AccountId,
	new_controller: &AccountId,
	new_recovery_key: &Option<RecoveryKey>,
) -> alloc::vec::Vec<u8> {
	let mut payload = RECOVERY_DOMAIN.to_vec();
	(genesis, patient, current_controller, new_controller, new_recovery_key)
		.encode_to(&mut payload);
	payload
}
