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
		validator_set: crate::GenesisConfig { initial_validators: vec![9, 7, 8, 7, 6], minimum_validators: 4 },
	}
	.build_storage()
	.unwrap();
	TestState::new(storage).execute_with(|| {
		assert_eq!(set(), vec![6, 7, 8, 9]);
		// This chain's floor is 4, above the constant 3.
		assert_eq!(ValidatorSet::floor(), 4);
		assert_noop!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 6), Error::<Test>::TooFewValidators);
	});
}

#[test]
fn governance_adds_a_validator_for_the_next_session() {
	with_world(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 5));
		System::assert_last_event(Event::ValidatorAdded { validator: 5 }.into());
		assert_eq!(set(), vec![1, 2, 3, 4, 5]);
		assert_eq!(<ValidatorSet as SessionManager<u64>>::new_session(2), Some(vec![1, 2, 3, 4, 5]));
		assert!(<ValidatorSet as Contains<u64>>::contains(&5));
	});
}

#[test]
fn governance_removes_a_validator_but_never_below_the_floor() {
	with_world(|| {
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 2));
		System::assert_last_event(Event::ValidatorRemoved { validator: 2 }.into());
		assert_eq!(<ValidatorSet as SessionManager<u64>>::new_session(2), Some(vec![1, 3, 4]));
		assert_noop!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 1), Error::<Test>::TooFewValidators);
		assert!(!<ValidatorSet as Contains<u64>>::contains(&2));
	});
}

#[test]
fn errors() {
	with_world(|| {
		assert_noop!(ValidatorSet::add_validator(RuntimeOrigin::root(), 3), Error::<Test>::AlreadyValidator);
		assert_noop!(ValidatorSet::remove_validator(RuntimeOrigin::root(), STRANGER), Error::<Test>::NotValidator);
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 5));
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 6));
		assert_noop!(ValidatorSet::add_validator(RuntimeOrigin::root(), 7), Error::<Test>::TooManyValidators);
	});
}

#[test]
fn only_governance_changes_the_set() {
	with_world(|| {
		for who in [1, STRANGER] {
			assert_noop!(ValidatorSet::add_validator(RuntimeOrigin::signed(who), 5), DispatchError::BadOrigin);
			assert_noop!(ValidatorSet::remove_validator(RuntimeOrigin::signed(who), 1), DispatchError::BadOrigin);
		}
		assert_noop!(ValidatorSet::add_validator(RuntimeOrigin::none(), 5), DispatchError::BadOrigin);
	});
}
