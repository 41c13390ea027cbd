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
		Session::on_initialize(next);
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
	let proof = (aura.generate_proof_of_possession(&owner), grandpa.generate_proof_of_possession(&owner)).encode();
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

		let (keys, proof) = eve_keys();
		assert_ok!(Session::set_keys(RuntimeOrigin::signed(eve.clone()), keys.clone(), proof));
		assert_eq!(Session::load_keys(&eve), Some(keys.clone()));
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), eve.clone()));

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
			ValidatorSet::add_validator(RuntimeOrigin::signed(dave.clone()), Sr25519Keyring::Eve.to_account_id()),
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
		let (_, proof) = eve_keys();
		assert!(Session::set_keys(RuntimeOrigin::signed(ferdie), keys, proof).is_err());
	});
}
