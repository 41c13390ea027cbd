//! add_validator, remove_validator, the floor and ceiling, and what pallet-session is given.

use frame::testing_prelude::*;
use pallet_session::SessionManager;

use crate::{mock::*, Error, Event, Validators};

fn set() -> Vec<u64> {
	Validators::<Test>::get().into_inner()
}

#[test]
fn genesis_adopts_the_sessions_validators_sorted() {
	with_world(|| assert_eq!(set(), vec![1, 2, 3, 4]));
}

#[test]
fn a_configured_genesis_list_wins() {
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		validator_set: crate::GenesisConfig {
			initial_validators: vec![9, 7, 8, 7, 6],
			minimum_validators: 4,
		},
	}
	.build_storage()
	.unwrap();
	TestState::new(storage).execute_with(|| {
		assert_eq!(set(), vec![6, 7, 8, 9]);
		// This chain's floor is 4, above the constant 3.
		assert_eq!(ValidatorSet::floor(), 4);
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 6),
			Error::<Test>::TooFewValidators
		);
	});
}

#[test]
fn governance_adds_a_validator_for_the_next_session() {
	with_world(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 5));
		System::assert_last_event(Event::ValidatorAdded { validator: 5 }.into());
		assert_eq!(set(), vec![1, 2, 3, 4, 5]);
		assert_eq!(
			<ValidatorSet as SessionManager<u64>>::new_session(2),
			Some(vec![1, 2, 3, 4, 5])
		);
		assert!(<ValidatorSet as Contains<u64>>::contains(&5));
		// The new validator exists on chain, so it can sign `set_keys` without tokens.
		assert!(System::account_exists(&5));
	});
}

#[test]
fn governance_removes_a_validator_but_never_below_the_floor() {
	with_world(|| {
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 2));
		System::assert_last_event(Event::ValidatorRemoved { validator: 2 }.into());
		assert_eq!(<ValidatorSet as SessionManager<u64>>::new_session(2), Some(vec![1, 3, 4]));
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 1),
			Error::<Test>::TooFewValidators
		);
		assert!(!<ValidatorSet as Contains<u64>>::contains(&2));
	});
}

#[test]
fn errors() {
	with_world(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 3),
			Error::<Test>::AlreadyValidator
		);
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), STRANGER),
			Error::<Test>::NotValidator
		);
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 5));
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 6));
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 7),
			Error::<Test>::TooManyValidators
		);
	});
}

#[test]
fn only_governance_changes_the_set() {
	with_world(|| {
		for who in [1, STRANGER] {
			assert_noop!(
				ValidatorSet::add_validator(RuntimeOrigin::signed(who), 5),
				DispatchError::BadOrigin
			);
			assert_noop!(
				ValidatorSet::remove_validator(RuntimeOrigin::signed(who), 1),
				DispatchError::BadOrigin
			);
		}
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::none(), 5),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn the_floor_counts_validators_with_session_keys() {
	// L-10: the floor counted accounts, so keyless members let the real authority set fall
	// below it.
	with_world(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 5));
		purge_keys(5);
		// Four members, three of them with keys after 1 leaves: allowed.
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 1));
		// 2, 3, 4 have keys, 5 has none: removing any keyed one leaves two.
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), 2),
			Error::<Test>::TooFewValidators
		);
		// The keyless one may go.
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 5));
	});
}

#[test]
fn sessions_rotate_at_each_period_and_the_rotation_is_charged_not_the_block() {
	// The first block of each session carried no transactions: pallet-session's own hook
	// claimed the whole block's weight.
	with_world(|| {
		use frame::deps::frame_support::traits::Hooks;
		let mut charged = Weight::zero();
		for n in 1..=25u64 {
			charged = <ValidatorSet as Hooks<u64>>::on_initialize(n);
			if n == 20 {
				assert_eq!(charged, <() as crate::WeightInfo>::rotate_session(4));
			}
		}
		assert_eq!(rotations(), 2, "rotated at blocks 10 and 20");
		assert_eq!(charged, Weight::zero());
		let max = <<Test as frame_system::Config>::BlockWeights as Get<
			frame_system::limits::BlockWeights,
		>>::get()
		.max_block;
		assert!(<() as crate::WeightInfo>::rotate_session(6).all_lt(max / 10));
	});
}
