//! Tests of the `CheckAdmission` extension: who is admitted, what it may call, and the budgets
//! of principals and organisations, in the pool and in blocks; and the cleanup of old usage.

use frame::{
	deps::sp_runtime::{
		traits::{DispatchTransaction, TransactionExtension, TxBaseImplication},
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	},
	testing_prelude::*,
};

use crate::{
	mock::*, Budget, CheckAdmission, OldestWindow, Principal, Usage, CALL_NOT_PERMITTED,
	ORGANISATION_RATE_LIMITED, RATE_LIMITED, TRANSACTION_TOO_LONG,
};

fn remark(bytes: usize) -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: vec![0; bytes] })
}

/// Pool validation only (changes nothing) of `who`'s transaction with `nonce` and `len`.
fn validate_call(
	who: u64,
	nonce: u32,
	call: RuntimeCall,
	len: usize,
) -> Result<(), TransactionValidityError> {
	CheckAdmission::<Test>::from(nonce)
		.validate_only(
			RuntimeOrigin::signed(who),
			&call,
			&call.get_dispatch_info(),
			len,
			TransactionSource::External,
			0,
		)
		.map(|_| ())
}

fn validate(who: u64, nonce: u32) -> Result<(), TransactionValidityError> {
	validate_call(who, nonce, remark(0), 100)
}

/// Applying `who`'s next transaction (of `len` bytes) in a block: validate, prepare, dispatch.
fn apply_len(who: u64, len: usize) -> Result<(), TransactionValidityError> {
	let call = remark(0);
	let nonce = System::account_nonce(who);
	CheckAdmission::<Test>::from(nonce)
		.dispatch_transaction(
			RuntimeOrigin::signed(who),
			call.clone(),
			&call.get_dispatch_info(),
			len,
			0,
		)
		.map(|result| assert!(result.is_ok(), "dispatch failed: {result:?}"))
}

fn apply(who: u64) -> Result<(), TransactionValidityError> {
	apply_len(who, 100)
}

fn refused(code: u8) -> Result<(), TransactionValidityError> {
	Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(code)))
}

#[test]
fn a_registered_account_is_admitted_and_a_stranger_is_not() {
	new_test_ext().execute_with(|| {
		assert_eq!(validate(MEMBER, 0), Ok(()));
		assert_eq!(
			validate(STRANGER, 0),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadSigner))
		);
		assert_eq!(apply(STRANGER), Err(InvalidTransaction::BadSigner.into()));
		assert_eq!(Usage::<Test>::iter().count(), 0);
	});
}

#[test]
fn a_call_none_of_the_signers_roles_may_make_is_refused() {
	new_test_ext().execute_with(|| {
		let call = RuntimeCall::System(frame_system::Call::remark_with_event { remark: vec![] });
		assert_eq!(validate_call(MEMBER, 0, call, 100), refused(CALL_NOT_PERMITTED));
	});
}

#[test]
fn a_transaction_longer_than_the_limit_is_refused() {
	// H-2: one account filled a block with a single 3.7 MiB remark.
	new_test_ext().execute_with(|| {
		assert_eq!(validate_call(MEMBER, 0, remark(0), 500), Ok(()));
		assert_eq!(validate_call(MEMBER, 0, remark(0), 501), refused(TRANSACTION_TOO_LONG));
	});
}

#[test]
fn the_nonce_is_checked_as_frame_system_checks_it() {
	new_test_ext().execute_with(|| {
		assert_ok!(apply(MEMBER));
		assert_eq!(System::account_nonce(MEMBER), 1);
		assert_eq!(
			validate(MEMBER, 0),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))
		);
		let call = remark(0);
		let (valid, _, _) = CheckAdmission::<Test>::from(2)
			.validate(
				RuntimeOrigin::signed(MEMBER),
				&call,
				&call.get_dispatch_info(),
				10,
				(),
				&TxBaseImplication(()),
				TransactionSource::External,
			)
			.unwrap();
		assert_eq!(valid.provides, vec![(MEMBER, 2u32).encode()]);
		assert_eq!(valid.requires, vec![(MEMBER, 1u32).encode()]);
	});
}

#[test]
fn unsigned_and_root_origins_pass_untouched() {
	new_test_ext().execute_with(|| {
		let call = remark(0);
		for origin in [RuntimeOrigin::none(), RuntimeOrigin::root()] {
			let (_, val, _) = CheckAdmission::<Test>::from(0)
				.validate(
					origin,
					&call,
					&call.get_dispatch_info(),
					0,
					(),
					&TxBaseImplication(()),
					TransactionSource::External,
				)
				.expect("not the extension's to refuse");
			assert!(val.is_none());
		}
	});
}

#[test]
fn the_rate_limit_bites_at_n_plus_one_and_lifts_in_the_next_window() {
	new_test_ext().execute_with(|| {
		System::set_block_number(12);
		for n in 1..=3 {
			assert_eq!(apply(MEMBER), Ok(()), "transaction {n}");
		}
		assert_eq!(Admission::remaining(&Principal::Account(MEMBER)), 0);
		assert_eq!(validate(MEMBER, 3), refused(RATE_LIMITED));
		System::set_block_number(19);
		assert_eq!(apply(MEMBER), refused(RATE_LIMITED));
		// Another account has its own allowance.
		assert_eq!(apply(COLLEAGUE), Ok(()));
		// The next window (blocks 20–29) starts afresh.
		System::set_block_number(20);
		assert_eq!(Admission::remaining(&Principal::Account(MEMBER)), 3);
		assert_eq!(apply(MEMBER), Ok(()));
		assert_eq!(
			Usage::<Test>::get(20, Principal::Account(MEMBER)),
			Budget {
				transactions: 1,
				bytes: 100,
				weight: Usage::<Test>::get(20, Principal::Account(MEMBER)).weight
			}
		);
	});
}

#[test]
fn transactions_waiting_in_the_pool_count_against_the_budget() {
	// M-6: validation counted only applied transactions, so one account filled the pool.
	new_test_ext().execute_with(|| {
		for nonce in 0..3 {
			assert_eq!(validate(MEMBER, nonce), Ok(()), "nonce {nonce}");
		}
		assert_eq!(validate(MEMBER, 3), refused(RATE_LIMITED));
		// Validation alone records nothing.
		assert_eq!(Usage::<Test>::iter().count(), 0);
	});
}

#[test]
fn bytes_count_as_well_as_transactions() {
	new_test_ext().execute_with(|| {
		assert_ok!(apply_len(MEMBER, 450));
		assert_ok!(apply_len(MEMBER, 450));
		assert_eq!(apply_len(MEMBER, 101), refused(RATE_LIMITED));
		assert_ok!(apply_len(MEMBER, 100));
	});
}

#[test]
fn a_patient_has_one_budget_whatever_key_it_signs_with() {
	// H-2: rotating to a fresh key gave a fresh quota.
	new_test_ext().execute_with(|| {
		assert_ok!(apply(PATIENT_KEY));
		assert_ok!(apply(PATIENT_KEY));
		assert_ok!(apply(PATIENT_NEW_KEY));
		assert_eq!(apply(PATIENT_NEW_KEY), refused(RATE_LIMITED));
		assert_eq!(Usage::<Test>::get(0, Principal::<u64>::Patient(7)).transactions, 3);
	});
}

#[test]
fn an_organisation_and_the_accounts_it_minted_share_one_budget() {
	// H-2: an organisation minting accounts (patients, staff) got a quota per account.
	new_test_ext().execute_with(|| {
		assert_ok!(apply(MEMBER));
		assert_ok!(apply(MEMBER));
		assert_ok!(apply(COLLEAGUE));
		assert_ok!(apply(PATIENT_KEY));
		assert_ok!(apply(3));
		// Five for organisation 0 in this window: its sixth account is refused.
		assert_eq!(apply(4), refused(ORGANISATION_RATE_LIMITED));
		assert_eq!(validate(4, 0), refused(ORGANISATION_RATE_LIMITED));
		// Another organisation, and an account of none, are not held back.
		assert_ok!(apply(OTHER_ORG_MEMBER));
		assert_ok!(apply(COUNCILLOR));
	});
}

#[test]
fn usage_of_past_windows_is_cleared_within_the_weight_given() {
	// L-5: usage records were never removed.
	let mut ext = new_test_ext();
	ext.execute_with(|| {
		for who in [MEMBER, COLLEAGUE, OTHER_ORG_MEMBER] {
			assert_ok!(apply(who));
		}
		// Three principals and two organisations in window 0.
		assert_eq!(Usage::<Test>::iter_prefix(0).count(), 5);
		// In the same window nothing is cleared.
		Admission::clear_old_windows(9, Weight::MAX);
		assert_eq!(Usage::<Test>::iter_prefix(0).count(), 5);
	});
	// As in a block after those: the records are in the database, not in this block's overlay.
	ext.commit_all().unwrap();
	ext.execute_with(|| {
		// Later, within a weight that fits two records: two go, then the rest.
		let per = <() as crate::WeightInfo>::clear_usage_record();
		let base = <<Test as frame_system::Config>::DbWeight as Get<
			frame::deps::frame_support::weights::RuntimeDbWeight,
		>>::get()
		.reads_writes(1, 1);
		let used = Admission::clear_old_windows(25, base + per * 2);
		assert!(used.all_lte(base + per * 2));
		assert_eq!(Usage::<Test>::iter_prefix(0).count(), 3);
		assert_eq!(OldestWindow::<Test>::get(), 0);
	});
	ext.commit_all().unwrap();
	ext.execute_with(|| {
		Admission::clear_old_windows(25, Weight::MAX);
		assert_eq!(Usage::<Test>::iter_prefix(0).count(), 0);
		assert_eq!(OldestWindow::<Test>::get(), 10);
		Admission::clear_old_windows(26, Weight::MAX);
		assert_eq!(OldestWindow::<Test>::get(), 20);
		Admission::do_try_state(26).unwrap();
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
