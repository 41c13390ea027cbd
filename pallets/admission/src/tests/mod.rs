//! Tests of the `CheckAdmission` extension: who is admitted, what it may call, and the budgets
//! of principals and organisations, in the pool and in blocks; and the cleanup of old usage.

use frame::{
	deps::sp_runtime::{
		traits::{DispatchTransaction, TransactionExtension, TxBaseImplication},
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	},
	testing_prelude::*,
};

use frame::deps::frame_support::dispatch::{DispatchClass, DispatchInfo};

use crate::{
	mock::*, Budget, CheckAdmission, OldestWindow, OperationalUsage, Principal, Usage,
	CALL_NOT_PERMITTED, OPERATIONAL_PRIORITY, PRIORITY_SCALE, RATE_LIMITED, TRANSACTION_TOO_HEAVY,
	TRANSACTION_TOO_LONG,
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

/// What a transaction that does not fit this window gets in a block: the author skips it, and
/// it waits in the pool.
fn waits() -> Result<(), TransactionValidityError> {
	Err(TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources))
}

/// A remark as if it were an operational call (council, break-glass).
fn operational_info(call: &RuntimeCall) -> DispatchInfo {
	DispatchInfo { class: DispatchClass::Operational, ..call.get_dispatch_info() }
}

/// Applying `who`'s next operational transaction in a block.
fn apply_operational(who: u64) -> Result<(), TransactionValidityError> {
	let call = remark(0);
	let nonce = System::account_nonce(who);
	CheckAdmission::<Test>::from(nonce)
		.dispatch_transaction(
			RuntimeOrigin::signed(who),
			call.clone(),
			&operational_info(&call),
			100,
			0,
		)
		.map(|result| assert!(result.is_ok(), "dispatch failed: {result:?}"))
}

/// The pool priority of `who`'s next transaction (operational or not).
fn priority(who: u64, operational: bool) -> u64 {
	let call = remark(0);
	let info = if operational { operational_info(&call) } else { call.get_dispatch_info() };
	CheckAdmission::<Test>::from(System::account_nonce(who))
		.validate_only(
			RuntimeOrigin::signed(who),
			&call,
			&info,
			100,
			TransactionSource::External,
			0,
		)
		.expect("admitted")
		.0
		.priority
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
fn a_principal_over_budget_in_a_block_waits_for_the_next_window() {
	// M-6: a transaction over budget was refused as invalid at authoring, and the pool dropped
	// it with its later nonces. It now exhausts the window: the author skips it, it waits.
	new_test_ext().execute_with(|| {
		System::set_block_number(12);
		for n in 1..=3 {
			assert_eq!(apply(MEMBER), Ok(()), "transaction {n}");
		}
		assert_eq!(Admission::remaining(&Principal::Account(MEMBER)), 0);
		System::set_block_number(19);
		assert_eq!(apply(MEMBER), waits());
		// The pool keeps it: nothing is ahead of it, and it fits a window.
		assert_eq!(validate(MEMBER, 3), Ok(()));
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
fn a_principal_holds_at_most_one_windows_budget_in_the_pool() {
	// M-6: an account held 64 × 16 KiB in the pool against a 256 KiB budget, so 20 accounts
	// filled sc-transaction-pool's 20 MiB. Each transaction ahead now counts as large as the
	// principal's largest (1 000 bytes / MaxInFlight 2 = 500): at most 2 wait at once, however
	// small.
	new_test_ext().execute_with(|| {
		assert_eq!(validate_call(MEMBER, 0, remark(0), 10), Ok(()));
		assert_eq!(validate_call(MEMBER, 1, remark(0), 10), Ok(()));
		assert_eq!(validate_call(MEMBER, 2, remark(0), 10), refused(RATE_LIMITED));
		// Validation alone records nothing.
		assert_eq!(Usage::<Test>::iter().count(), 0);
		// Once the first is in a block, one more may wait.
		assert_ok!(apply_len(MEMBER, 10));
		assert_eq!(validate_call(MEMBER, 2, remark(0), 10), Ok(()));
	});
}

#[test]
fn bytes_count_as_well_as_transactions() {
	new_test_ext().execute_with(|| {
		assert_ok!(apply_len(MEMBER, 450));
		assert_ok!(apply_len(MEMBER, 450));
		assert_eq!(apply_len(MEMBER, 101), waits());
		assert_ok!(apply_len(MEMBER, 100));
	});
}

#[test]
fn a_transaction_heavier_than_the_principals_largest_is_refused() {
	// Its largest is a MaxInFlight-th of its weight budget.
	new_test_ext().execute_with(|| {
		let call = remark(0);
		let mut info = call.get_dispatch_info();
		let check = |info: &DispatchInfo| {
			CheckAdmission::<Test>::from(0)
				.validate_only(
					RuntimeOrigin::signed(MEMBER),
					&call,
					info,
					10,
					TransactionSource::External,
					0,
				)
				.map(|_| ())
		};
		info.call_weight = Weight::from_parts(WEIGHT / 2 - info.extension_weight.ref_time(), 0);
		assert_eq!(check(&info), Ok(()));
		info.call_weight = info.call_weight.saturating_add(Weight::from_parts(1, 0));
		assert_eq!(check(&info), refused(TRANSACTION_TOO_HEAVY));
	});
}

#[test]
fn a_patient_its_keys_and_its_guardians_share_one_budget() {
	// H-2: rotating to a fresh key gave a fresh quota. N-1 (security review 2026-12): each
	// guardian a patient appointed was a principal of its own.
	new_test_ext().execute_with(|| {
		assert_ok!(apply(PATIENT_KEY));
		assert_ok!(apply(GUARDIAN));
		assert_eq!(apply(PATIENT_NEW_KEY), waits());
		assert_eq!(Usage::<Test>::get(0, Principal::<u64>::Patient(7)).transactions, 2);
		// A patient's largest transaction is 400 / 2 bytes.
		assert_eq!(validate_call(PATIENT_NEW_KEY, 0, remark(0), 200), Ok(()));
		assert_eq!(
			validate_call(PATIENT_NEW_KEY, 0, remark(0), 201),
			refused(TRANSACTION_TOO_LONG)
		);
	});
}

#[test]
fn patients_never_use_their_organisations_staff_budget() {
	// N-1 (security review 2026-12): a patient with four guardian keys used up its enrolling
	// hospital's budget, and the hospital's staff were refused for most of every window.
	new_test_ext().execute_with(|| {
		assert_ok!(apply(PATIENT_KEY));
		assert_ok!(apply(PATIENT_KEY));
		assert_ok!(apply(OTHER_PATIENT_KEY));
		// Three for organisation 0's patients: the group is full …
		assert_eq!(apply(OTHER_PATIENT_KEY), waits());
		assert_eq!(Usage::<Test>::get(0, Principal::<u64>::PatientsOf(0)).transactions, 3);
		assert_eq!(Usage::<Test>::get(0, Principal::<u64>::AllPatients).transactions, 3);
		// … and the staff's untouched.
		assert_eq!(Usage::<Test>::get(0, Principal::<u64>::Organisation(0)).transactions, 0);
		for who in [MEMBER, COLLEAGUE, 3, 4, 5] {
			assert_ok!(apply(who));
		}
		// Five for organisation 0's staff: its sixth account waits for the next window.
		assert_eq!(apply(6), waits());
		// Another organisation, and an account of none, are not held back.
		assert_ok!(apply(OTHER_ORG_MEMBER));
		assert_ok!(apply(COUNCILLOR));
	});
}

#[test]
fn operational_calls_have_their_own_budgets_and_come_first() {
	// N-1: break-glass and council votes were refused with the rest of an organisation's
	// traffic. They are counted apart, and ahead of ordinary transactions in the pool.
	new_test_ext().execute_with(|| {
		for _ in 0..3 {
			assert_ok!(apply(MEMBER));
		}
		assert_eq!(apply(MEMBER), waits());
		assert_ok!(apply_operational(MEMBER));
		assert_eq!(OperationalUsage::<Test>::get(0, Principal::Account(MEMBER)).transactions, 1);
		assert_eq!(OperationalUsage::<Test>::get(0, Principal::Organisation(0)).transactions, 1);
		let ordinary = priority(COLLEAGUE, false);
		let operational = priority(COLLEAGUE, true);
		assert!(operational >= OPERATIONAL_PRIORITY && ordinary < OPERATIONAL_PRIORITY);
		// The operational lane has budgets too: 2 for the member, 3 for its organisation.
		assert_ok!(apply_operational(MEMBER));
		assert_eq!(apply_operational(MEMBER), waits());
		assert_ok!(apply_operational(COLLEAGUE));
		assert_eq!(apply_operational(3), waits());
	});
}

#[test]
fn who_used_less_of_its_budget_comes_first() {
	new_test_ext().execute_with(|| {
		assert_eq!(priority(MEMBER, false), PRIORITY_SCALE);
		assert_ok!(apply(MEMBER));
		// A third of its transactions used (its tightest measure): two thirds left.
		assert_eq!(priority(MEMBER, false), PRIORITY_SCALE * 2 / 3);
		assert!(priority(COLLEAGUE, false) < PRIORITY_SCALE, "its organisation used one of five");
		assert_eq!(priority(COUNCILLOR, false), PRIORITY_SCALE);
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
		assert_ok!(apply_operational(MEMBER));
		// Three principals and two organisations in window 0, and two operational records.
		assert_eq!(Usage::<Test>::iter_prefix(0).count(), 5);
		assert_eq!(OperationalUsage::<Test>::iter_prefix(0).count(), 2);
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
		assert_eq!(OperationalUsage::<Test>::iter_prefix(0).count(), 0);
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
