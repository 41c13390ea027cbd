//! The domain pallets composed: consent decides what records accepts, every change and every
//! reported read lands in the patient's audit trail, and the trail rebuilt from the block's
//! events matches the chain's head.

use frame_support::{assert_noop, assert_ok, traits::UnfilteredDispatchable};
use medchain_primitives::{
	verify_trail, Action, Actions, AuditAction, AuditEntry, AuditOutcome, Categories, Category,
	ConsentRef, GrantTerms, Grantee, Hash32, NewRecord, Purpose, RecordStatus, RecordVerification,
};
use sp_core::Pair as _;
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::{AliceStash, Dave, Eve, Ferdie, One, Two};

use super::build_preset;
use crate::{
	AccountId, Audit, Consent, Records, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System,
};

const NOW: u64 = 1_700_000_000_000;
use medchain_primitives::time::DAY;
/// Patient //One's id in the demo world.
const ONE: u64 = 0;
/// Patient //Two's id in the demo world.
const TWO: u64 = 1;

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
		terms: GrantTerms {
			grantee,
			categories: Category::LabResults.into(),
			purposes: Purpose::Treatment.into(),
			actions,
			valid_from: NOW,
			valid_until: Some(NOW + DAY),
		},
		sensitive: Categories::NONE,
	})
}

fn entries_of(patient: u64) -> Vec<AuditEntry<AccountId>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Audit(pallet_audit::Event::EntryRecorded { entry, .. })
				if entry.event.patient == patient =>
			{
				Some(entry)
			},
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
			Records::anchor(
				signed(Ferdie),
				ONE,
				Category::LabResults,
				Purpose::Treatment,
				content_hash,
				Hash32::repeat_byte(0x1c)
			),
			pallet_records::Error::<Runtime>::NoAppendGrant
		);
		// //One lets Ferdie (the lab's technician) append lab results, and the hospital read
		// them and share them with its practitioners.
		assert_ok!(grant(Grantee::Practitioner(Ferdie.to_account_id()), Action::Append.into())
			.dispatch_bypass_filter(signed(One)));
		assert_ok!(Records::anchor(
			signed(Ferdie),
			ONE,
			Category::LabResults,
			Purpose::Treatment,
			content_hash,
			Hash32::repeat_byte(0x1c)
		));
		assert_ok!(grant(Grantee::Organisation(0), Actions::of(&[Action::Read, Action::Share]))
			.dispatch_bypass_filter(signed(One)));

		// Eve (hospital physician) reports reading it under grant 1; Alice//stash, a nurse of
		// the same hospital, under the same grant for Medications, which it does not cover:
		// recorded, flagged. Dave (the clinic's admin) may not name a grant that is not his.
		let report = |who| {
			Audit::report_access(
				signed(who),
				ONE,
				Category::LabResults,
				Purpose::Treatment,
				ConsentRef::Grant(1),
				Some(0),
			)
		};
		assert_ok!(report(Eve));
		assert_ok!(Audit::report_access(
			signed(AliceStash),
			ONE,
			Category::Medications,
			Purpose::Treatment,
			ConsentRef::Grant(1),
			None
		));
		assert_noop!(report(Dave), pallet_audit::Error::<Runtime>::UnrelatedBasis);
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
		assert_eq!(
			Records::verify(0, content_hash),
			RecordVerification::Matches { status: RecordStatus::Current }
		);
		let mut flipped = result.clone();
		flipped[0] ^= 1;
		assert!(!Records::verify(0, sp_io::hashing::blake2_256(&flipped).into()).matches());
	});
}

#[test]
fn anchoring_many_checks_each_record_under_the_grant_it_names_with_the_real_consent_pallet() {
	in_dev_world(|| {
		// //One lets Ferdie (the lab's technician) append lab results (grant 0), and the
		// hospital read them (grant 1: no Append). //Two grants nothing.
		assert_ok!(grant(Grantee::Practitioner(Ferdie.to_account_id()), Action::Append.into())
			.dispatch_bypass_filter(signed(One)));
		assert_ok!(grant(Grantee::Organisation(0), Action::Read.into())
			.dispatch_bypass_filter(signed(One)));
		let record = |patient, basis: Option<u64>, n| NewRecord {
			patient,
			category: Category::LabResults,
			purpose: Purpose::Treatment,
			content_hash: Hash32::repeat_byte(n),
			locator: Hash32::repeat_byte(0x1c),
			basis: basis.map(ConsentRef::Grant),
		};
		let many = |who, records: Vec<NewRecord>| {
			Records::anchor_many(signed(who), records.try_into().expect("within the bound"))
		};
		let no_grant = || pallet_records::Error::<Runtime>::NoAppendGrant;
		// //One's grant named for //Two's record; a grant without Append; a grant that names
		// someone else (Eve is a physician of the hospital, not Ferdie).
		assert_noop!(
			many(Ferdie, vec![record(ONE, Some(0), 1), record(TWO, Some(0), 2)]),
			no_grant()
		);
		assert_noop!(many(Eve, vec![record(ONE, Some(1), 1)]), no_grant());
		assert_noop!(many(Eve, vec![record(ONE, Some(0), 1)]), no_grant());

		assert_ok!(many(Ferdie, vec![record(ONE, Some(0), 1), record(ONE, Some(0), 2)]));
		let entries = entries_of(ONE);
		let anchored: Vec<_> = entries
			.iter()
			.filter(|e| e.event.action == AuditAction::RecordAnchored)
			.map(|e| (e.event.record, e.event.consent))
			.collect();
		assert_eq!(
			anchored,
			vec![(Some(0), Some(ConsentRef::Grant(0))), (Some(1), Some(ConsentRef::Grant(0)))]
		);
		assert_eq!(verify_trail(ONE, entries, &Audit::trail_head(ONE)), Ok(()));
		assert!(Records::verify(1, Hash32::repeat_byte(2)).matches());

		// Revoked, the grant permits nothing more.
		assert_ok!(Consent::revoke(signed(One), 0));
		assert_noop!(many(Ferdie, vec![record(ONE, Some(0), 3)]), no_grant());
		// //One anchors its own records without a basis, not //Two's.
		assert_ok!(many(One, vec![record(ONE, None, 4)]));
		assert_noop!(
			many(One, vec![record(ONE, None, 5), record(TWO, None, 6)]),
			pallet_records::Error::<Runtime>::BasisRequired
		);
	});
}

#[test]
fn a_change_the_trail_cannot_record_does_not_happen() {
	in_dev_world(|| {
		pallet_audit::Trails::<Runtime>::insert(
			ONE,
			medchain_primitives::TrailHead {
				last_seq: u64::MAX,
				head: Hash32::repeat_byte(1),
				last_block: 1,
			},
		);
		let result = grant(Grantee::Organisation(1), Action::Read.into())
			.dispatch_bypass_filter(signed(One));
		assert_eq!(
			result.map_err(|e| e.error),
			Err(pallet_audit::Error::<Runtime>::TrailExhausted.into())
		);
		assert_eq!(pallet_consent::NextGrantId::<Runtime>::get(), 0);
		assert!(pallet_consent::Grants::<Runtime>::get(0).is_none());
	});
}

#[test]
fn a_reported_read_is_checked_against_the_named_grant_with_the_real_consent_pallet() {
	in_dev_world(|| {
		assert_ok!(grant(Grantee::Practitioner(Eve.to_account_id()), Action::Read.into())
			.dispatch_bypass_filter(signed(One)));
		let report = |grant_id| {
			Audit::report_access(
				signed(Eve),
				ONE,
				Category::LabResults,
				Purpose::Treatment,
				ConsentRef::Grant(grant_id),
				None,
			)
		};
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

#[test]
fn changes_of_who_acts_for_a_patient_land_in_its_trail() {
	// M-9 (review test): add_guardian and set_emergency_policy left the trail unchanged.
	in_dev_world(|| {
		let before = Audit::trail_head(ONE).last_seq;
		assert_ok!(crate::Patients::add_guardian(
			signed(One),
			ONE,
			Two.to_account_id(),
			Default::default(),
			None
		));
		assert_ok!(crate::Patients::set_emergency_policy(
			signed(One),
			ONE,
			medchain_primitives::EmergencyPolicy {
				allowed: true,
				categories: Category::Allergies.into()
			},
			Categories::NONE
		));
		assert_eq!(Audit::trail_head(ONE).last_seq, before + 2);
		let actions: Vec<_> =
			entries_of(ONE).into_iter().map(|e| (e.event.action, e.event.subject)).collect();
		assert_eq!(
			actions,
			vec![
				(AuditAction::GuardianAppointed, Some(Two.to_account_id())),
				(AuditAction::EmergencyPolicySet, None)
			]
		);
	});
}

#[test]
fn the_enrolling_organisation_recovers_a_patient_whose_key_holds_a_consumer_reference() {
	// C-1 (review test 2): the patient's key with session keys (a consumer reference) made
	// every recovery fail. (Session keys are refused now; any consumer reference will do.)
	in_dev_world(|| {
		let one = One.to_account_id();
		assert_ok!(frame_system::Pallet::<Runtime>::inc_consumers(&one));
		// //One's recovery card: the demo seed; it signs the move to a new key.
		let seed = sp_io::hashing::blake2_256(b"demo recovery secret: patient One");
		let card = sp_core::sr25519::Pair::from_seed(&seed);
		let new_key = sp_core::sr25519::Pair::from_string("//One-recovered", None).unwrap();
		let new_controller: AccountId = new_key.public().into();
		let genesis = System::block_hash(0);
		let payload = pallet_patients::recovery_payload(
			&genesis,
			ONE,
			&One.to_account_id(),
			&new_controller,
			&None,
		);
		let proof = card.sign(&payload).0;
		assert_ok!(crate::Patients::recover_with_secret(
			signed(Eve),
			ONE,
			new_controller.clone(),
			None,
			proof
		));
		assert_eq!(crate::Patients::patient(ONE).unwrap().controller, new_controller);
	});
}

#[test]
fn the_demo_recovery_keys_are_those_of_the_demo_seeds() {
	for (who, key) in [("One", 0), ("Two", 1)] {
		let seed =
			sp_io::hashing::blake2_256(format!("demo recovery secret: patient {who}").as_bytes());
		let public = sp_core::sr25519::Pair::from_seed(&seed).public();
		assert_eq!(public.0, crate::genesis_config_presets::DEMO_RECOVERY_KEYS[key], "{who}");
	}
}
