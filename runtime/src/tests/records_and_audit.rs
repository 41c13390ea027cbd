//! The domain pallets composed: consent decides what records accepts, every change and every
//! reported read lands in the patient's audit trail, and the trail rebuilt from the block's
//! events matches the chain's head.

use frame_support::{assert_noop, assert_ok, traits::UnfilteredDispatchable};
use medchain_primitives::{
	verify_trail, Action, Actions, AuditAction, AuditEntry, AuditOutcome, Categories, Category,
	ConsentRef, Grantee, Hash32, Purpose, RecordStatus, RecordVerification,
};
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::{Dave, Eve, Ferdie, One, Two};

use super::build_preset;
use crate::{AccountId, Audit, Consent, Records, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System};

const NOW: u64 = 1_700_000_000_000;
const DAY: u64 = 24 * 60 * 60 * 1000;
/// Patient //One's id in the demo world.
const ONE: u64 = 0;

fn signed(who: sp_keyring::Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.to_account_id())
}

fn in_dev_world(test: impl FnOnce()) {
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Runtime>::put(NOW);
		test();
	});
}

fn grant(grantee: Grantee<AccountId>, actions: Actions) -> RuntimeCall {
	RuntimeCall::Consent(pallet_consent::Call::grant {
		patient: ONE,
		grantee,
		categories: Category::LabResults.into(),
		sensitive: Categories::NONE,
		purposes: Purpose::Treatment.into(),
		actions,
		valid_from: NOW,
		valid_until: Some(NOW + DAY),
	})
}

fn entries_of(patient: u64) -> Vec<AuditEntry<AccountId>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Audit(pallet_audit::Event::EntryRecorded { entry, .. }) if entry.event.patient == patient =>
				Some(entry),
			_ => None,
		})
		.collect()
}

#[test]
fn a_lab_result_and_a_reported_read_land_in_the_trail_and_it_rebuilds_from_events() {
	in_dev_world(|| {
		let result = b"an encrypted FHIR Observation".to_vec();
		let content_hash: Hash32 = sp_io::hashing::blake2_256(&result).into();

		// Without a grant, the lab cannot anchor.
		assert_noop!(
			Records::anchor(signed(Ferdie), ONE, Category::LabResults, Purpose::Treatment, content_hash, b"lab/1".to_vec()),
			pallet_records::Error::<Runtime>::NoAppendGrant
		);
		// //One lets Ferdie (the lab's technician) append lab results, and the hospital read
		// them and share them with its practitioners.
		assert_ok!(grant(Grantee::Practitioner(Ferdie.to_account_id()), Action::Append.into()).dispatch_bypass_filter(signed(One)));
		assert_ok!(Records::anchor(signed(Ferdie), ONE, Category::LabResults, Purpose::Treatment, content_hash, b"lab/1".to_vec()));
		assert_ok!(grant(Grantee::Organisation(0), Actions::of(&[Action::Read, Action::Share])).dispatch_bypass_filter(signed(One)));

		// Eve (hospital physician) reports reading it under grant 1; Dave (the clinic's
		// admin) reports a read with no grant: recorded, flagged.
		let report = |who| Audit::report_access(signed(who), ONE, Category::LabResults, Purpose::Treatment, ConsentRef::Grant(1), Some(0));
		assert_ok!(report(Eve));
		assert_ok!(report(Dave));
		// //Two is a patient, not a provider.
		assert_noop!(report(Two), pallet_audit::Error::<Runtime>::NotAProvider);

		let entries = entries_of(ONE);
		let actions: Vec<_> = entries.iter().map(|e| (e.event.action, e.event.outcome)).collect();
		assert_eq!(
			actions,
			vec![
				(AuditAction::ConsentGranted, AuditOutcome::Success),
				(AuditAction::RecordAnchored, AuditOutcome::Success),
				(AuditAction::ConsentGranted, AuditOutcome::Success),
				(AuditAction::AccessReported, AuditOutcome::Permitted),
				(AuditAction::AccessReported, AuditOutcome::Denied),
			]
		);
		let head = Audit::trail_head(ONE);
		assert_eq!(head.last_seq, 5);
		assert_eq!(verify_trail(ONE, entries.clone(), &head), Ok(()));
		let mut tampered = entries;
		tampered[4].event.outcome = AuditOutcome::Permitted;
		assert!(verify_trail(ONE, tampered, &head).is_err());

		// Anyone can check the bytes against the anchor.
		assert_eq!(Records::verify(0, content_hash), RecordVerification::Matches { status: RecordStatus::Current });
		let mut flipped = result.clone();
		flipped[0] ^= 1;
		assert!(!Records::verify(0, sp_io::hashing::blake2_256(&flipped).into()).matches());
	});
}

#[test]
fn a_change_the_trail_cannot_record_does_not_happen() {
	in_dev_world(|| {
		pallet_audit::Trails::<Runtime>::insert(
			ONE,
			medchain_primitives::TrailHead { last_seq: u64::MAX, head: Hash32::repeat_byte(1) },
		);
		let result = grant(Grantee::Organisation(1), Action::Read.into()).dispatch_bypass_filter(signed(One));
		assert_eq!(result.map_err(|e| e.error), Err(pallet_audit::Error::<Runtime>::TrailExhausted.into()));
		assert_eq!(pallet_consent::NextGrantId::<Runtime>::get(), 0);
		assert!(pallet_consent::Grants::<Runtime>::get(0).is_none());
	});
}

#[test]
fn a_reported_read_is_checked_against_the_named_grant_with_the_real_consent_pallet() {
	in_dev_world(|| {
		assert_ok!(grant(Grantee::Practitioner(Eve.to_account_id()), Action::Read.into()).dispatch_bypass_filter(signed(One)));
		let report = |grant_id| Audit::report_access(signed(Eve), ONE, Category::LabResults, Purpose::Treatment, ConsentRef::Grant(grant_id), None);
		assert_ok!(report(0));
		assert_ok!(Consent::revoke(signed(One), 0));
		assert_ok!(report(0));
		let outcomes: Vec<_> = entries_of(ONE)
			.into_iter()
			.filter(|e| e.event.action == AuditAction::AccessReported)
			.map(|e| e.event.outcome)
			.collect();
		assert_eq!(outcomes, vec![AuditOutcome::Permitted, AuditOutcome::Denied]);
	});
}
