//! Tests of the `CheckAdmission` extension: who is admitted, and the rate limit.

use frame::{
	deps::sp_runtime::{
		traits::{DispatchTransaction, TransactionExtension, TxBaseImplication},
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	},
	testing_prelude::*,
};

use crate::{mock::*, CheckAdmission, Usage, RATE_LIMITED};

fn remark() -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: vec![] })
}

/// Pool validation only (changes nothing).
fn validate(origin: RuntimeOrigin) -> Result<(), TransactionValidityError> {
	let call = remark();
	CheckAdmission::<Test>::new()
		.validate_only(origin, &call, &call.get_dispatch_info(), 0, TransactionSource::External, 0)
		.map(|_| ())
}

/// Applying the transaction in a block: validate, prepare, dispatch.
fn apply(origin: RuntimeOrigin) -> Result<(), TransactionValidityError> {
	let call = remark();
	CheckAdmission::<Test>::new()
		.dispatch_transaction(origin, call.clone(), &call.get_dispatch_info(), 0, 0)
		.map(|result| assert!(result.is_ok(), "dispatch failed: {result:?}"))
}

const RATE_LIMITED_ERROR: TransactionValidityError =
	TransactionValidityError::Invalid(InvalidTransaction::Custom(RATE_LIMITED));

#[test]
fn a_registered_account_is_admitted_and_a_stranger_is_not() {
	new_test_ext().execute_with(|| {
		assert_eq!(validate(RuntimeOrigin::signed(MEMBER)), Ok(()));
		assert_eq!(
			validate(RuntimeOrigin::signed(STRANGER)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadSigner))
		);
		assert_eq!(apply(RuntimeOrigin::signed(STRANGER)), Err(InvalidTransaction::BadSigner.into()));
		assert!(Usage::<Test>::get(STRANGER).is_none());
	});
}

#[test]
fn unsigned_and_root_origins_pass_untouched() {
	new_test_ext().execute_with(|| {
		let call = remark();
		for origin in [RuntimeOrigin::none(), RuntimeOrigin::root()] {
			let (_, val, _) = CheckAdmission::<Test>::new()
				.validate(origin, &call, &call.get_dispatch_info(), 0, (), &TxBaseImplication(()), TransactionSource::External)
				.expect("not the extension's to refuse");
			assert!(val.is_none());
		}
	});
}

#[test]
fn the_rate_limit_bites_at_n_plus_one_and_lifts_in_the_next_window() {
	new_test_ext().execute_with(|| {
		System::set_block_number(12);
		for n in 1..=MAX_PER_WINDOW {
			assert_eq!(apply(RuntimeOrigin::signed(MEMBER)), Ok(()), "transaction {n}");
		}
		assert_eq!(Admission::remaining(&MEMBER), 0);
		// N + 1: refused in the pool and in a block, whatever the block of the window.
		assert_eq!(validate(RuntimeOrigin::signed(MEMBER)), Err(RATE_LIMITED_ERROR));
		System::set_block_number(19);
		assert_eq!(apply(RuntimeOrigin::signed(MEMBER)), Err(RATE_LIMITED_ERROR));
		// Another account has its own allowance.
		assert_eq!(apply(RuntimeOrigin::signed(OTHER_MEMBER)), Ok(()));
		// The next window (blocks 20–29) starts afresh.
		System::set_block_number(20);
		assert_eq!(Admission::remaining(&MEMBER), MAX_PER_WINDOW);
		assert_eq!(apply(RuntimeOrigin::signed(MEMBER)), Ok(()));
		assert_eq!(Usage::<Test>::get(MEMBER).map(|u| (u.start, u.count)), Some((20, 1)));
	});
}

#[test]
fn validation_alone_counts_nothing() {
	new_test_ext().execute_with(|| {
		for _ in 0..(2 * MAX_PER_WINDOW) {
			assert_eq!(validate(RuntimeOrigin::signed(MEMBER)), Ok(()));
		}
		assert!(Usage::<Test>::get(MEMBER).is_none());
	});
}

#[test]
fn windows_start_at_multiples_of_the_length() {
	new_test_ext().execute_with(|| {
		assert_eq!(Admission::window_start(0), 0);
		assert_eq!(Admission::window_start(9), 0);
		assert_eq!(Admission::window_start(10), 10);
		assert_eq!(Admission::window_start(25), 20);
	});
}
