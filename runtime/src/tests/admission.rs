//! Token-free, permissioned transactions: who gets into the pool, and the rate limit, with
//! real signed extrinsics through `Executive`.

use codec::Encode as _;
use sp_core::{sr25519, Pair};
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::{self, Alice, Ferdie, One};
use sp_runtime::{
	generic::Era,
	traits::Header as _,
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	ApplyExtrinsicResult,
};

use super::build_preset;
use crate::{
	Executive, Header, Runtime, RuntimeCall, SignedPayload, System, TxExtension, UncheckedExtrinsic,
};

fn remark() -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: b"hello".to_vec() })
}

fn signed_by(pair: &sr25519::Pair, nonce: u32, call: RuntimeCall) -> UncheckedExtrinsic {
	let extension: TxExtension = (
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(Era::Immortal),
		pallet_admission::CheckAdmission::new(),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		frame_system::WeightReclaim::new(),
	);
	let payload = SignedPayload::new(call.clone(), extension.clone()).expect("payload");
	let signature = payload.using_encoded(|bytes| pair.sign(bytes));
	let who: crate::AccountId = pair.public().into();
	UncheckedExtrinsic::new_signed(call, who.into(), signature.into(), extension)
}

fn signed(who: Sr25519Keyring, nonce: u32, call: RuntimeCall) -> UncheckedExtrinsic {
	signed_by(&who.pair(), nonce, call)
}

/// Pool validation, as the node does it: on a throw-away copy of the state.
fn validate(tx: UncheckedExtrinsic) -> Result<(), TransactionValidityError> {
	let parent = System::block_hash(System::block_number());
	let mut result = Ok(());
	frame_support::storage::with_transaction(|| {
		result = Executive::validate_transaction(TransactionSource::External, tx, parent).map(|_| ());
		sp_runtime::TransactionOutcome::Rollback(Ok::<_, sp_runtime::DispatchError>(()))
	})
	.expect("rolls back");
	result
}

/// Starts block `number` (as the node does before applying extrinsics).
fn start_block(number: u32) {
	let parent = System::block_hash(number - 1);
	Executive::initialize_block(&Header::new(number, Default::default(), Default::default(), parent, Default::default()));
	// The timestamp inherent's effect (kept within Aura's slot 0: this block has no slot digest).
	pallet_timestamp::Pallet::<Runtime>::set_timestamp(number.into());
}

fn apply(tx: UncheckedExtrinsic) -> ApplyExtrinsicResult {
	Executive::apply_extrinsic(tx)
}

#[test]
fn a_strangers_transaction_is_rejected_at_validation() {
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(validate(signed(Sr25519Keyring::Two, 0, remark())), Ok(()), "//Two is a patient");
		// An account that is nobody: refused before its nonce or any balance is looked at.
		let nobody = sr25519::Pair::from_string("//nobody", None).unwrap();
		let tx = signed_by(&nobody, 0, remark());
		assert_eq!(validate(tx), Err(TransactionValidityError::Invalid(InvalidTransaction::BadSigner)));
	});
}

#[test]
fn an_enrolled_patient_transacts_with_no_balance() {
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		let patient = One.to_account_id();
		// //One holds nothing (it is not among the dev accounts with a balance).
		assert_eq!(pallet_balances::Pallet::<Runtime>::free_balance(&patient), 0);
		let revoke_nothing = RuntimeCall::Consent(pallet_consent::Call::add_deny {
			patient: 0,
			grantee: None,
			categories: medchain_primitives::Category::Genomics.into(),
			purposes: medchain_primitives::Purpose::Research.into(),
		});
		assert_eq!(validate(signed(One, 0, revoke_nothing.clone())), Ok(()));
		start_block(1);
		assert_eq!(apply(signed(One, 0, revoke_nothing)), Ok(Ok(())));
		assert_eq!(System::account_nonce(&patient), 1);
		assert_eq!(pallet_balances::Pallet::<Runtime>::free_balance(&patient), 0);
	});
}

#[test]
fn the_rate_limit_bites_at_n_plus_one() {
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		let max: u32 = <Runtime as pallet_admission::Config>::MaxTransactionsPerWindow::get();
		start_block(1);
		for nonce in 0..max {
			assert_eq!(apply(signed(Ferdie, nonce, remark())), Ok(Ok(())), "transaction {}", nonce + 1);
		}
		let limited = TransactionValidityError::Invalid(InvalidTransaction::Custom(pallet_admission::RATE_LIMITED));
		assert_eq!(apply(signed(Ferdie, max, remark())), Err(limited));
		assert_eq!(validate(signed(Ferdie, max, remark())), Err(limited));
		// Others are not held back by Ferdie's use.
		assert_eq!(apply(signed(Alice, 0, remark())), Ok(Ok(())));
		// The next window (blocks 10–19) admits Ferdie again. (Block 10 starts a session: its
		// rotation takes the whole block's weight, so the transaction goes into block 11.)
		for n in 2..=11 {
			Executive::finalize_block();
			start_block(n);
		}
		assert_eq!(apply(signed(Ferdie, max, remark())), Ok(Ok(())));
	});
}
