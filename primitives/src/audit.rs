//! The audit trail's vocabulary and its hash chain.
//!
//! Every consent change, emergency access, record change and reported read of a patient's data
//! becomes an [`AuditEntry`] in that patient's trail. The chain keeps, per patient, only a
//! [`TrailHead`]: the last sequence number and the running hash
//!
//! ```text
//! h_0 = [0u8; 32]
//! h_n = blake2_256(h_{n-1} ‖ SCALE(entry_n))      (entry_n.seq = n, n = 1, 2, …)
//! ```
//!
//! The entries themselves travel in events. Whoever holds the events rebuilds the trail with
//! [`rebuild_trail`] and checks it against the chain's head with [`verify_trail`]: an entry
//! altered, dropped, added or moved changes the result.

use alloc::vec::Vec;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::DispatchError;

use crate::{
	Categories, Category, DenyId, EmergencyAccessId, GrantId, Hash32, Moment, OrganisationId,
	PatientId, Purpose, Purposes, RecordId,
};

/// One read of a patient's data off chain, as the reading organisation reports it to the audit
/// pallet (`report_access`'s parameters; one element of `report_access_batch`).
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
pub struct AccessReport {
	/// Whose data was read.
	pub patient: PatientId,
	/// Which category of it.
	pub category: Category,
	/// For which purpose.
	pub purpose: Purpose,
	/// The grant or emergency access the reader relied on.
	pub basis: ConsentRef,
	/// The record read, if one record was (it must be the patient's, of `category`).
	pub record: Option<RecordId>,
}

/// What happened, in an audit entry. Each maps to a FHIR AuditEvent `type`/`subtype` and
/// `action` (see `docs/pallets/audit.md`).
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
pub enum AuditAction {
	/// A consent grant was given.
	ConsentGranted,
	/// A consent grant was revoked.
	ConsentRevoked,
	/// A deny rule was added.
	DenyAdded,
	/// A deny rule was removed.
	DenyRemoved,
	/// A practitioner broke the glass.
	EmergencyAccessOpened,
	/// An emergency access was reviewed.
	EmergencyAccessReviewed,
	/// A record was anchored.
	RecordAnchored,
	/// A record was amended: a new version superseded it.
	RecordAmended,
	/// A record was marked entered-in-error.
	RecordEnteredInError,
	/// A record's data key was destroyed (crypto-shredding).
	RecordErased,
	/// An organisation reported reading the patient's data off chain.
	AccessReported,
	/// A practitioner enrolled the patient (`subject`: the controller account).
	PatientEnrolled,
	/// The patient moved to a new controller key (`subject`: the new key).
	ControllerRotated,
	/// A guardian was appointed, or its appointment changed (`subject`: the guardian;
	/// `categories`: the consent categories it manages).
	GuardianAppointed,
	/// A guardian was removed or resigned (`subject`: the guardian).
	GuardianRemoved,
	/// The emergency-access policy changed (`categories`: those break-glass may open; none
	/// if break-glass is not allowed).
	EmergencyPolicySet,
	/// The patient set how many recovery guardians must approve a new key.
	RecoveryThresholdSet,
	/// A recovery guardian approved moving the patient to a new key (`subject`: that key).
	RecoveryApproved,
	/// Recovery guardians reached the threshold: the move to `subject` is scheduled, and
	/// the patient may cancel it until it is due.
	RecoveryScheduled,
	/// The patient cancelled a pending recovery.
	RecoveryCancelled,
	/// The patient's controller key was recovered (`subject`: the new key).
	ControllerRecovered,
}

/// The outcome an audit entry records.
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
pub enum AuditOutcome {
	/// A change the chain made (a grant, an anchor, …).
	Success,
	/// A reported access that the chain's consent decision permits.
	Permitted,
	/// A reported access that the chain's consent decision denies: recorded all the same, and
	/// flagged.
	Denied,
}

/// Who acted.
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
pub enum Agent<AccountId> {
	/// A signed account: the patient, a guardian, a practitioner, an organisation's admin.
	Account(AccountId),
	/// The consortium's governance (e.g. reviewing an emergency access).
	Governance,
}

/// The consent object an audit entry is about, or relied on.
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
pub enum ConsentRef {
	/// A consent grant.
	Grant(GrantId),
	/// A break-glass emergency access.
	Emergency(EmergencyAccessId),
	/// One of the patient's deny rules.
	Deny(DenyId),
}

/// What a pallet reports to the audit trail (after FHIR AuditEvent: `action`, `agent`,
/// `entity`, `purposeOfEvent`, `outcome`). No free text, no personal data: ids and bit sets.
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
pub struct AuditEvent<AccountId> {
	/// Whose trail.
	pub patient: PatientId,
	/// What happened.
	pub action: AuditAction,
	/// Who did it.
	pub actor: Agent<AccountId>,
	/// The organisation the actor acted for, if it acted for one.
	pub organisation: Option<OrganisationId>,
	/// The categories of data concerned.
	pub categories: Categories,
	/// The purposes concerned.
	pub purposes: Purposes,
	/// The outcome.
	pub outcome: AuditOutcome,
	/// The record concerned, if one is.
	pub record: Option<RecordId>,
	/// The grant, emergency access or deny rule concerned or relied on, if one is.
	pub consent: Option<ConsentRef>,
	/// The account a change of who acts for the patient concerns, if one does: the guardian
	/// appointed or removed, the patient's new controller key.
	pub subject: Option<AccountId>,
}

impl<AccountId> AuditEvent<AccountId> {
	/// A successful `action` on `patient`'s data by `actor`, naming nothing else; complete
	/// it with struct update syntax (`AuditEvent { record: Some(id), ..AuditEvent::new(..) }`).
	pub fn new(patient: PatientId, action: AuditAction, actor: Agent<AccountId>) -> Self {
		Self {
			patient,
			action,
			actor,
			organisation: None,
			categories: Categories::NONE,
			purposes: Purposes::NONE,
			outcome: AuditOutcome::Success,
			record: None,
			consent: None,
			subject: None,
		}
	}
}

/// One entry of a patient's audit trail: an [`AuditEvent`], numbered and timed by the chain.
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
pub struct AuditEntry<AccountId> {
	/// Its place in the patient's trail: 1 for the first entry, then one more each time.
	pub seq: u64,
	/// When (ms of chain time).
	pub at: Moment,
	/// What happened.
	pub event: AuditEvent<AccountId>,
}

/// What the chain keeps of a patient's trail: O(1) whatever its length.
///
/// SCALE: `last_seq` u64 LE ‖ `head` 32 bytes ‖ `last_block` u32 LE (44 bytes). Heads written
/// before `last_block` existed (the audit pallet's storage version 0, runtimes up to
/// `spec_version` 102) are the first 40 bytes: [`Decode`] reads such a value, when it is the
/// whole input, as `last_block` 0. That is how a head stored by an older runtime reads after
/// the upgrade, and how a node answers `audit_trailHead` at a block of an older runtime.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
	Encode,
	MaxEncodedLen,
	TypeInfo,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct TrailHead {
	/// The sequence number of the last entry; 0 for an empty trail.
	pub last_seq: u64,
	/// `h_{last_seq}`: the running hash after the last entry; all zeros for an empty trail.
	pub head: Hash32,
	/// The block whose events hold the last entry (`EntryRecorded`, whose `previous_block`
	/// leads to the entry before, and so on): a reader visits only the blocks of this trail.
	/// 0 when no block is known: an empty trail, or a last entry recorded at genesis or before
	/// runtime 103 (then the entries are found by scanning the blocks up to the upgrade).
	pub last_block: u32,
}

impl Decode for TrailHead {
	fn decode<I: codec::Input>(input: &mut I) -> Result<Self, codec::Error> {
		let last_seq = u64::decode(input)?;
		let head = Hash32::decode(input)?;
		let last_block = match input.remaining_len()? {
			// A head of storage version 0: it ends here.
			Some(0) => 0,
			_ => u32::decode(input)?,
		};
		Ok(Self { last_seq, head, last_block })
	}
}

impl DecodeWithMemTracking for TrailHead {}

/// The running hash after `entry`, from the hash before it:
/// `blake2_256(previous ‖ SCALE(entry))`.
pub fn next_head<AccountId: Encode>(previous: &Hash32, entry: &AuditEntry<AccountId>) -> Hash32 {
	let mut preimage = Vec::with_capacity(entry.size_hint().saturating_add(32));
	preimage.extend_from_slice(previous.as_bytes());
	entry.encode_to(&mut preimage);
	Hash32::from(sp_crypto_hashing::blake2_256(&preimage))
}

/// Why a rebuilt trail is not the chain's.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TrailError {
	/// Entry `seq` belongs to another patient's trail.
	ForeignEntry { seq: u64 },
	/// The entries are not numbered 1, 2, 3, …: `found` came where `expected` should have.
	OutOfSequence { expected: u64, found: u64 },
	/// The trail rebuilt ends at `rebuilt`, the chain's at `head` (entries are missing at the
	/// end, or more were given than the chain has).
	LengthMismatch { rebuilt: u64, head: u64 },
	/// As many entries as the chain has, but the hash differs: an entry was altered.
	HashMismatch,
}

/// Rebuilds `patient`'s trail head from its entries, in order, checking that they all belong
/// to `patient` and are numbered 1, 2, 3, … with no gap. (Entries do not say which block holds
/// them: the rebuilt head's `last_block` is 0.)
pub fn rebuild_trail<AccountId: Encode>(
	patient: PatientId,
	entries: impl IntoIterator<Item = AuditEntry<AccountId>>,
) -> Result<TrailHead, TrailError> {
	let mut trail = TrailHead::default();
	for entry in entries {
		if entry.event.patient != patient {
			return Err(TrailError::ForeignEntry { seq: entry.seq });
		}
		let expected = trail.last_seq.saturating_add(1);
		if entry.seq != expected {
			return Err(TrailError::OutOfSequence { expected, found: entry.seq });
		}
		trail =
			TrailHead { last_seq: entry.seq, head: next_head(&trail.head, &entry), last_block: 0 };
	}
	Ok(trail)
}

/// Checks that `entries` are exactly `patient`'s trail whose head the chain reports as `head`:
/// complete (nothing missing or extra) and untampered (nothing altered or moved).
pub fn verify_trail<AccountId: Encode>(
	patient: PatientId,
	entries: impl IntoIterator<Item = AuditEntry<AccountId>>,
	head: &TrailHead,
) -> Result<(), TrailError> {
	let rebuilt = rebuild_trail(patient, entries)?;
	if rebuilt.last_seq != head.last_seq {
		return Err(TrailError::LengthMismatch { rebuilt: rebuilt.last_seq, head: head.last_seq });
	}
	if rebuilt.head != head.head {
		return Err(TrailError::HashMismatch);
	}
	Ok(())
}

/// Where pallets send what must be audited. The runtime wires it to the audit pallet; `()`
/// audits nothing (for tests of a pallet alone).
pub trait AuditSink<AccountId> {
	/// Appends `event` to its patient's trail; returns the entry's sequence number. Fails
	/// only if the trail cannot grow (its sequence numbers are exhausted), and then the
	/// change it audits must fail too.
	///
	/// It has no weight of its own: a calling pallet's benchmarks run in the runtime, where
	/// this is the audit pallet, so the weight they generate includes the entries the call
	/// appends.
	fn record(event: AuditEvent<AccountId>) -> Result<u64, DispatchError>;
}

impl<AccountId> AuditSink<AccountId> for () {
	fn record(_event: AuditEvent<AccountId>) -> Result<u64, DispatchError> {
		Ok(0)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn entry(seq: u64, patient: PatientId, action: AuditAction) -> AuditEntry<u64> {
		AuditEntry {
			seq,
			at: 1_000 * seq,
			event: AuditEvent {
				patient,
				action,
				actor: Agent::Account(7),
				organisation: Some(1),
				categories: Category::LabResults.into(),
				purposes: Purpose::Treatment.into(),
				outcome: AuditOutcome::Success,
				record: Some(seq),
				consent: Some(ConsentRef::Grant(3)),
				subject: None,
			},
		}
	}

	/// A trail of `n` entries for patient 5 with mixed actions, and the head the chain would
	/// hold for it (computed here by the definition, not by `rebuild_trail`).
	fn trail(n: u64) -> (Vec<AuditEntry<u64>>, TrailHead) {
		let actions =
			[AuditAction::ConsentGranted, AuditAction::RecordAnchored, AuditAction::AccessReported];
		let entries: Vec<_> = (1..=n).map(|s| entry(s, 5, actions[(s % 3) as usize])).collect();
		let mut head = [0u8; 32];
		for e in &entries {
			let mut preimage = head.to_vec();
			preimage.extend(e.encode());
			head = sp_crypto_hashing::blake2_256(&preimage);
		}
		(entries, TrailHead { last_seq: n, head: head.into(), last_block: 0 })
	}

	/// The byte layout `docs/pallets/audit.md` documents for third parties.
	#[test]
	fn an_entry_encodes_as_documented() {
		let entry = AuditEntry::<[u8; 32]> {
			seq: 3,
			at: 0x0102,
			event: AuditEvent {
				patient: 7,
				action: AuditAction::AccessReported,
				actor: Agent::Account([0xAA; 32]),
				organisation: Some(1),
				categories: Category::LabResults.into(),
				purposes: Purpose::Treatment.into(),
				outcome: AuditOutcome::Denied,
				record: None,
				consent: Some(ConsentRef::Emergency(9)),
				subject: None,
			},
		};
		let mut expected = Vec::new();
		expected.extend(3u64.to_le_bytes()); // seq
		expected.extend(0x0102u64.to_le_bytes()); // at
		expected.extend(7u64.to_le_bytes()); // patient
		expected.push(10); // action: AccessReported
		expected.push(0); // actor: Account
		expected.extend([0xAA; 32]);
		expected.extend([1, 1, 0, 0, 0]); // organisation: Some(1u32)
		expected.extend((1u16 << 5).to_le_bytes()); // categories: LabResults
		expected.push(1); // purposes: Treatment
		expected.push(2); // outcome: Denied
		expected.push(0); // record: None
		expected.extend([1, 1]); // consent: Some(Emergency(..))
		expected.extend(9u64.to_le_bytes());
		expected.push(0); // subject: None
		assert_eq!(entry.encode(), expected);
		assert_eq!(expected.len(), 79);
		// A change of who acts for the patient names the account it concerns.
		let appointed = AuditEvent::<[u8; 32]> {
			subject: Some([0xBB; 32]),
			..AuditEvent::new(7, AuditAction::GuardianAppointed, Agent::Account([0xAA; 32]))
		};
		let encoded = appointed.encode();
		assert_eq!(encoded[8], 13, "GuardianAppointed is action 13");
		assert_eq!(&encoded[encoded.len() - 33..], &[&[1u8][..], &[0xBB; 32][..]].concat()[..]);
		let governance = Agent::<[u8; 32]>::Governance;
		assert_eq!(governance.encode(), vec![1]);
		assert_eq!(Some(ConsentRef::Deny(4)).encode(), vec![1, 2, 4, 0, 0, 0]);
	}

	#[test]
	fn the_empty_trail_is_seq_zero_and_a_zero_hash() {
		assert_eq!(rebuild_trail::<u64>(5, []), Ok(TrailHead::default()));
		assert_eq!(TrailHead::default().head, Hash32::zero());
	}

	#[test]
	fn an_intact_trail_verifies_against_its_head() {
		for n in [1, 2, 7] {
			let (entries, head) = trail(n);
			assert_eq!(rebuild_trail(5, entries.clone()), Ok(head));
			assert_eq!(verify_trail(5, entries, &head), Ok(()));
		}
	}

	#[test]
	fn altering_any_one_entry_is_detected() {
		let (entries, head) = trail(6);
		for i in 0..entries.len() {
			let alterations: [fn(&mut AuditEntry<u64>); 5] = [
				|e| e.at += 1,
				|e| e.event.actor = Agent::Account(8),
				|e| e.event.outcome = AuditOutcome::Denied,
				|e| e.event.categories = Category::Genomics.into(),
				|e| e.event.record = None,
			];
			for alter in alterations {
				let mut tampered = entries.clone();
				alter(&mut tampered[i]);
				assert_eq!(
					verify_trail(5, tampered, &head),
					Err(TrailError::HashMismatch),
					"entry {i}"
				);
			}
		}
	}

	#[test]
	fn dropping_any_one_entry_is_detected() {
		let (entries, head) = trail(6);
		for i in 0..entries.len() {
			let mut shortened = entries.clone();
			shortened.remove(i);
			let result = verify_trail(5, shortened, &head);
			assert!(
				matches!(
					result,
					Err(TrailError::OutOfSequence { .. }) | Err(TrailError::LengthMismatch { .. })
				),
				"dropping entry {i}: {result:?}"
			);
		}
	}

	#[test]
	fn reordering_entries_is_detected() {
		let (entries, head) = trail(6);
		for i in 0..entries.len() - 1 {
			let mut swapped = entries.clone();
			swapped.swap(i, i + 1);
			assert!(verify_trail(5, swapped, &head).is_err(), "swapping {i} and {}", i + 1);
			// Even with the sequence numbers rewritten to look contiguous, the hash differs.
			let mut renumbered = entries.clone();
			renumbered.swap(i, i + 1);
			renumbered[i].seq = i as u64 + 1;
			renumbered[i + 1].seq = i as u64 + 2;
			assert_eq!(verify_trail(5, renumbered, &head), Err(TrailError::HashMismatch));
		}
	}

	#[test]
	fn an_entry_of_another_patient_or_an_extra_entry_is_detected() {
		let (mut entries, head) = trail(4);
		let mut foreign = entries.clone();
		foreign[2].event.patient = 6;
		assert_eq!(verify_trail(5, foreign, &head), Err(TrailError::ForeignEntry { seq: 3 }));
		entries.push(entry(5, 5, AuditAction::ConsentRevoked));
		assert_eq!(
			verify_trail(5, entries, &head),
			Err(TrailError::LengthMismatch { rebuilt: 5, head: 4 })
		);
	}

	#[test]
	fn a_head_encodes_in_44_bytes_and_a_head_of_storage_version_0_still_decodes() {
		let head =
			TrailHead { last_seq: 7, head: Hash32::repeat_byte(0xab), last_block: 0x0102_0304 };
		let bytes = head.encode();
		assert_eq!(bytes.len(), 44);
		assert_eq!(&bytes[40..], &[4, 3, 2, 1]);
		assert_eq!(TrailHead::decode(&mut &bytes[..]), Ok(head));
		assert_eq!(TrailHead::max_encoded_len(), 44);
		// Version 0: last_seq ‖ head, nothing after.
		let v0 = &bytes[..40];
		assert_eq!(TrailHead::decode(&mut &v0[..]), Ok(TrailHead { last_block: 0, ..head }));
		// Inside a longer input the block is read, and a cut-off one is an error.
		let pair = (head, 9u8).encode();
		assert_eq!(<(TrailHead, u8)>::decode(&mut &pair[..]), Ok((head, 9)));
		assert!(TrailHead::decode(&mut &bytes[..42]).is_err());
	}
}
