//! The validator set: governance adds and removes validators, which take effect through
//! pallet-session's rotations (keys are queued one session ahead); the floor holds.

use codec::Encode;
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_core::{proof_of_possession::ProofOfPossessionGenerator, Pair as _};
use sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

use super::build_preset;
use crate::{
	configs::SessionPeriod, AccountId, Runtime, RuntimeOrigin, Session, SessionKeys, System,
	ValidatorSet,
};

fn run_to(block: u32) {
	while System::block_number() < block {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		// The validator set drives the rotations.
		ValidatorSet::on_initialize(next);
	}
}

fn aura_authorities() -> Vec<sp_consensus_aura::sr25519::AuthorityId> {
	pallet_aura::Authorities::<Runtime>::get().into_inner()
}

/// Eve's session keys and the proof that she holds them, as `author_rotateKeysWithOwner` makes.
fn eve_keys() -> (SessionKeys, Vec<u8>) {
	let owner = Sr25519Keyring::Eve.to_account_id().encode();
	let mut aura = Sr25519Keyring::Eve.pair();
	let mut grandpa = Ed25519Keyring::Eve.pair();
	let proof =
		(aura.generate_proof_of_possession(&owner), grandpa.generate_proof_of_possession(&owner))
			.encode();
	let keys = SessionKeys { aura: aura.public().into(), grandpa: grandpa.public().into() };
	(keys, proof)
}

#[test]
fn a_validator_added_by_governance_authors_from_the_second_rotation_and_leaves_likewise() {
	build_preset(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		let eve: AccountId = Sr25519Keyring::Eve.to_account_id();
		let eve_aura: sp_consensus_aura::sr25519::AuthorityId = Sr25519Keyring::Eve.public().into();
		let period = SessionPeriod::get();
		assert_eq!(Session::validators().len(), 4);

		// Governance adds her; then (only then) she registers her keys.
		let (keys, proof) = eve_keys();
		assert_noop!(
			Session::set_keys(RuntimeOrigin::signed(eve.clone()), keys.clone(), proof.clone()),
			pallet_session::Error::<Runtime>::NoAssociatedValidatorId
		);
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), eve.clone()));
		assert_ok!(Session::set_keys(RuntimeOrigin::signed(eve.clone()), keys.clone(), proof));
		assert_eq!(Session::load_keys(&eve), Some(keys.clone()));

		// First rotation: Eve's keys are queued, she is not a validator yet.
		run_to(period);
		assert_eq!(Session::current_index(), 1);
		assert!(!Session::validators().contains(&eve));
		assert!(pallet_session::QueuedKeys::<Runtime>::get().iter().any(|(v, _)| *v == eve));
		// Second rotation: Eve validates; Aura and GRANDPA have her keys.
		run_to(2 * period);
		assert!(Session::validators().contains(&eve));
		assert!(aura_authorities().contains(&eve_aura));
		assert_eq!(aura_authorities().len(), 5);

		// Governance removes her: gone from the second rotation on.
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), eve.clone()));
		run_to(3 * period);
		assert!(Session::validators().contains(&eve));
		run_to(4 * period);
		assert!(!Session::validators().contains(&eve));
		assert!(!aura_authorities().contains(&eve_aura));
		assert_eq!(aura_authorities().len(), 4);
	});
}

#[test]
fn the_set_never_goes_below_its_floor_and_only_governance_changes_it() {
	build_preset(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		assert_eq!(ValidatorSet::floor(), 3);
		let dave = Sr25519Keyring::Dave.to_account_id();
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		assert_noop!(
			ValidatorSet::add_validator(
				RuntimeOrigin::signed(dave.clone()),
				Sr25519Keyring::Eve.to_account_id()
			),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), dave));
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), charlie),
			pallet_validator_set::Error::<Runtime>::TooFewValidators
		);
	});
}

#[test]
fn keys_without_a_valid_proof_are_refused() {
	build_preset(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		let (keys, _) = eve_keys();
		// A proof made for another owner.
		let ferdie = Sr25519Keyring::Ferdie.to_account_id();
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), ferdie.clone()));
		let (_, proof) = eve_keys();
		assert_noop!(
			Session::set_keys(RuntimeOrigin::signed(ferdie), keys, proof),
			pallet_session::Error::<Runtime>::InvalidProof
		);
	});
}

#[test]
fn only_validators_register_session_keys_and_nothing_blocks_a_practitioners_removal() {
	// C-1 (review test 1): any admitted account set session keys, took a consumer reference,
	// and could then no longer be removed.
	build_preset(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		let eve = Sr25519Keyring::Eve.to_account_id();
		let (keys, proof) = eve_keys();
		assert_noop!(
			Session::set_keys(RuntimeOrigin::signed(eve.clone()), keys, proof),
			pallet_session::Error::<Runtime>::NoAssociatedValidatorId
		);
		// Whatever consumer reference it holds, its admin removes it.
		assert_ok!(frame_system::Pallet::<Runtime>::inc_consumers(&eve));
		assert_ok!(crate::Providers::remove_practitioner(RuntimeOrigin::signed(Sr25519Keyring::Alice.to_account_id()), eve.clone()));
		assert_eq!(<crate::Providers as medchain_primitives::ProviderRegistry<AccountId>>::active_practitioner(&eve), None);
	});
}

#[test]
fn the_floor_counts_only_validators_with_session_keys() {
	// L-10 (review test): a keyless account let the floor pass while the authority set shrank.
	build_preset(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		let eve = Sr25519Keyring::Eve.to_account_id();
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), eve));
		assert_ok!(ValidatorSet::remove_validator(
			RuntimeOrigin::root(),
			Sr25519Keyring::Dave.to_account_id()
		));
		// Alice, Bob, Charlie have keys, Eve none: at the floor of 3.
		assert_noop!(
			ValidatorSet::remove_validator(
				RuntimeOrigin::root(),
				Sr25519Keyring::Charlie.to_account_id()
			),
			pallet_validator_set::Error::<Runtime>::TooFewValidators
		);
		run_to(2 * SessionPeriod::get());
		assert_eq!(aura_authorities().len(), 3);
	});
}

#[test]
fn a_validator_added_at_run_time_exists_and_can_register_its_keys() {
	build_preset(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		let stranger_key =
			sp_core::sr25519::Pair::from_string("//brand-new-validator", None).unwrap();
		let brand_new: AccountId = stranger_key.public().into();
		assert!(!frame_system::Pallet::<Runtime>::account_exists(&brand_new));
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), brand_new.clone()));
		assert!(frame_system::Pallet::<Runtime>::account_exists(&brand_new));
	});
}

#[test]
fn a_grandpa_equivocation_is_reported_and_the_offender_disabled() {
	// Known defect: equivocations were not reported, and nobody was disabled.
	use sp_consensus_grandpa::AuthorityId as GrandpaId;
	use sp_core::H256;
	build_preset(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		// A session rotation records the historical root the proof is checked against.
		run_to(SessionPeriod::get());
		let offender = Ed25519Keyring::Alice;
		let set_id = pallet_grandpa::CurrentSetId::<Runtime>::get();
		let vote = |target: H256| {
			let prevote = finality_grandpa::Prevote { target_hash: target, target_number: 5u32 };
			let message = finality_grandpa::Message::Prevote(prevote.clone());
			let payload = sp_consensus_grandpa::localized_payload(1, set_id, &message);
			(prevote, offender.sign(&payload).into())
		};
		let proof = sp_consensus_grandpa::EquivocationProof::new(
			set_id,
			sp_consensus_grandpa::Equivocation::Prevote(finality_grandpa::Equivocation {
				round_number: 1,
				identity: GrandpaId::from(offender.public()),
				first: vote(H256::repeat_byte(1)),
				second: vote(H256::repeat_byte(2)),
			}),
		);
		let key_owner_proof =
			<crate::Historical as frame_support::traits::KeyOwnerProofSystem<_>>::prove((
				sp_consensus_grandpa::KEY_TYPE,
				GrandpaId::from(offender.public()),
			))
			.expect("Alice's GRANDPA key is in the session");
		assert_ok!(crate::Grandpa::report_equivocation_unsigned(
			RuntimeOrigin::none(),
			Box::new(proof),
			key_owner_proof
		));
		let alice = Sr25519Keyring::Alice.to_account_id();
		let index = Session::validators().iter().position(|v| *v == alice).unwrap() as u32;
		assert!(Session::disabled_validators().contains(&index), "the offender is disabled");
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			crate::RuntimeEvent::Offences(pallet_offences::Event::Offence { .. })
		)));
	});
}

#[test]
fn historical_session_roots_older_than_a_day_are_pruned() {
	// N-9 (security review 2026-12): pallet-session's historical module stored a root per
	// session (1 440 a day) and nothing removed them. A chain that ran a day and ten sessions
	// before pruning existed drains its backlog, 8 roots a rotation, charged for it.
	use crate::configs::validators::{RotateSession, HISTORY_DEPTH, MAX_PRUNED_PER_ROTATION};
	use pallet_session::historical::{HistoricalSessions, StoredRange};
	use pallet_validator_set::SessionRotation;
	build_preset(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		let end = HISTORY_DEPTH + 10;
		for i in 0..end {
			HistoricalSessions::<Runtime>::insert(i, (sp_core::H256::repeat_byte(1), 4));
		}
		StoredRange::<Runtime>::put((0, end));
		pallet_session::CurrentIndex::<Runtime>::put(end - 2);
		let weight = RotateSession::rotate();
		let (first, last) = StoredRange::<Runtime>::get().expect("a range");
		assert_eq!(first, MAX_PRUNED_PER_ROTATION);
		assert!(last > end - 1, "the rotation noted its session");
		assert!(!HistoricalSessions::<Runtime>::contains_key(MAX_PRUNED_PER_ROTATION - 1));
		assert!(HistoricalSessions::<Runtime>::contains_key(MAX_PRUNED_PER_ROTATION));
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		assert_eq!(weight, db.reads_writes(1, 1 + u64::from(MAX_PRUNED_PER_ROTATION)));
		// Rotation after rotation, only the sessions older than a day go.
		for _ in 0..10 {
			RotateSession::rotate();
		}
		let (first, last) = StoredRange::<Runtime>::get().expect("a range");
		assert_eq!(last - first, HISTORY_DEPTH, "a day of roots is kept, not more");
	});
}
