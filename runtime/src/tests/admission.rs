//! Token-free, permissioned transactions with real signed extrinsics through `Executive`: who
//! gets into the pool, which calls each role may sign, and the budgets (H-2, M-4, M-6, L-5, L-6
//! of the security review).

use codec::Encode as _;
use frame_support::{assert_ok, traits::Get as _};
use medchain_primitives::{Category, Purpose, Role};
use sp_core::{sr25519, Pair};
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Eve, One};
use sp_runtime::{
	generic::Era,
	traits::Header as _,
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	ApplyExtrinsicResult,
};

use super::build_preset;
use crate::{
	AccountId, Executive, Header, Runtime, RuntimeCall, RuntimeOrigin, SignedPayload, System,
	TxExtension, UncheckedExtrinsic,
};

fn remark(bytes: usize) -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: vec![b'x'; bytes] })
}

/// A cheap call only a patient makes: set its guardian-recovery threshold to 0.
fn patient_call() -> RuntimeCall {
	RuntimeCall::Patients(pallet_patients::Call::set_recovery_threshold { threshold: 0 })
}

pub fn signed_by(pair: &sr25519::Pair, nonce: u32, call: RuntimeCall) -> UncheckedExtrinsic {
	let extension: TxExtension = (
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(Era::Immortal),
		pallet_admission::CheckAdmission::from(nonce),
		frame_system::CheckWeight::new(),
		frame_system::WeightReclaim::new(),
	);
	let payload = SignedPayload::new(call.clone(), extension.clone()).expect("payload");
	let signature = payload.using_encoded(|bytes| pair.sign(bytes));
	let who: AccountId = pair.public().into();
	UncheckedExtrinsic::new_signed(call, who.into(), signature.into(), extension)
}

pub fn signed(who: Sr25519Keyring, nonce: u32, call: RuntimeCall) -> UncheckedExtrinsic {
	signed_by(&who.pair(), nonce, call)
}

/// `pair`'s next transaction (at its account's nonce).
fn next(pair: &sr25519::Pair, call: RuntimeCall) -> UncheckedExtrinsic {
	let who: AccountId = pair.public().into();
	signed_by(pair, System::account_nonce(&who), call)
}

/// Pool validation, as the node does it: on a throw-away copy of the state.
pub fn validate(tx: UncheckedExtrinsic) -> Result<(), TransactionValidityError> {
	let parent = System::block_hash(System::block_number());
	let mut result = Ok(());
	frame_support::storage::with_transaction(|| {
		result =
			Executive::validate_transaction(TransactionSource::External, tx, parent).map(|_| ());
		sp_runtime::TransactionOutcome::Rollback(Ok::<_, sp_runtime::DispatchError>(()))
	})
	.expect("rolls back");
	result
}

/// Starts block `number` (as the node does before applying extrinsics).
pub fn start_block(number: u32) {
	let parent = System::block_hash(number - 1);
	Executive::initialize_block(&Header::new(
		number,
		Default::default(),
		Default::default(),
		parent,
		Default::default(),
	));
	// The timestamp inherent's effect (kept within Aura's slot 0: this block has no slot digest).
	pallet_timestamp::Pallet::<Runtime>::set_timestamp(number.into());
}

pub fn apply(tx: UncheckedExtrinsic) -> ApplyExtrinsicResult {
	Executive::apply_extrinsic(tx)
}

fn custom(code: u8) -> TransactionValidityError {
	TransactionValidityError::Invalid(InvalidTransaction::Custom(code))
}

fn fresh(seed: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(&format!("//{seed}"), None).unwrap()
}

fn account(pair: &sr25519::Pair) -> AccountId {
	pair.public().into()
}

#[test]
fn a_strangers_transaction_is_rejected_at_validation() {
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(
			validate(signed(Sr25519Keyring::Two, 0, patient_call())),
			Ok(()),
			"//Two is a patient"
		);
		// An account that is nobody: refused before its nonce or any balance is looked at.
		let tx = signed_by(&fresh("nobody"), 0, remark(1));
		assert_eq!(
			validate(tx),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadSigner))
		);
	});
}

#[test]
fn an_enrolled_patient_transacts_with_no_balance() {
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		let patient = One.to_account_id();
		assert_eq!(pallet_balances::Pallet::<Runtime>::free_balance(&patient), 0);
		let deny = RuntimeCall::Consent(pallet_consent::Call::add_deny {
			patient: 0,
			grantee: None,
			categories: Category::Genomics.into(),
			purposes: Purpose::Research.into(),
		});
		assert_eq!(validate(signed(One, 0, deny.clone())), Ok(()));
		start_block(1);
		assert_eq!(apply(signed(One, 0, deny)), Ok(Ok(())));
		assert_eq!(System::account_nonce(&patient), 1);
		assert_eq!(pallet_balances::Pallet::<Runtime>::free_balance(&patient), 0);
	});
}

#[test]
fn each_role_signs_only_the_calls_it_needs() {
	// M-4: patients could claim nodes, add unbounded connections, set session keys and write
	// free remarks.
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		let not_permitted = Err(custom(pallet_admission::CALL_NOT_PERMITTED));
		let connect =
			RuntimeCall::NodeAuthorization(pallet_node_authorization::Call::add_connections {
				node: sp_core::OpaquePeerId(vec![1; 38]),
				connections: vec![],
			});
		assert_eq!(validate(signed(One, 0, connect.clone())), not_permitted);
		assert_eq!(validate(signed(Eve, 0, connect.clone())), not_permitted, "a practitioner");
		assert_eq!(validate(signed(Alice, 0, connect.clone())), Ok(()), "an organisation's admin");
		// A suspended organisation's admin runs no nodes (N-5, security review 2026-12): //Bob
		// administers the lab (and is no validator on the dev chain).
		assert_eq!(validate(signed(Bob, 0, connect.clone())), Ok(()), "the lab's admin");
		assert_ok!(crate::Providers::suspend_organisation(RuntimeOrigin::root(), 1));
		assert_eq!(validate(signed(Bob, 0, connect)), not_permitted, "suspended");
		assert_eq!(validate(signed(One, 0, remark(5))), not_permitted);
		let keys = RuntimeCall::Session(pallet_session::Call::set_keys {
			keys: crate::SessionKeys {
				aura: Alice.public().into(),
				grandpa: sp_keyring::Ed25519Keyring::Alice.public().into(),
			},
			proof: vec![],
		});
		assert_eq!(validate(signed(One, 0, keys.clone())), not_permitted);
		assert_eq!(validate(signed(Eve, 0, keys)), not_permitted);
		let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death {
			dest: Eve.to_account_id().into(),
			value: 1,
		});
		assert_eq!(validate(signed(Alice, 0, transfer)), not_permitted);
	});
}

#[test]
fn the_largest_anchor_many_is_a_transaction_admission_takes() {
	// MaxAnchorsPerCall is bounded by the transaction length admission allows, not only by
	// weight: a call the pool refuses for its length would be a bound nobody can use.
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		let record = medchain_primitives::NewRecord {
			patient: u64::MAX,
			category: Category::LabResults,
			purpose: Purpose::Treatment,
			content_hash: medchain_primitives::Hash32::repeat_byte(1),
			locator: medchain_primitives::Hash32::repeat_byte(2),
			basis: Some(medchain_primitives::ConsentRef::Grant(u64::MAX)),
		};
		let most: u32 = <Runtime as pallet_records::Config>::MaxAnchorsPerCall::get();
		let call = RuntimeCall::Records(pallet_records::Call::anchor_many {
			records: vec![record; most as usize].try_into().expect("MaxAnchorsPerCall records"),
		});
		let xt = signed(Eve, 0, call);
		let max = <Runtime as pallet_admission::Config>::MaxTransactionLength::get() as usize;
		assert!(xt.encoded_size() <= max, "{} bytes", xt.encoded_size());
		assert!(validate(xt).is_ok());
	});
}

#[test]
fn oversized_transactions_and_calls_are_refused() {
	// H-2: one admitted account filled a block with a 3.7 MiB remark. M-4: add_connections
	// stored an unbounded set of blobs at a fixed weight.
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		let max = <Runtime as pallet_admission::Config>::MaxTransactionLength::get() as usize;
		assert_eq!(
			validate(signed(Alice, 0, remark(max))),
			Err(custom(pallet_admission::TRANSACTION_TOO_LONG))
		);
		// Within the length, a remark longer than BaseCallFilter's bound is filtered at dispatch.
		start_block(1);
		let filtered = apply(signed(Alice, 0, remark(crate::configs::MAX_REMARK_LEN + 1))).unwrap();
		assert_eq!(filtered, Err(frame_system::Error::<Runtime>::CallFiltered.into()));
		// Claiming a peer id nobody owns is filtered (N-9): governance names owners.
		let node = sp_core::OpaquePeerId(vec![7; 38]);
		let claim = RuntimeCall::NodeAuthorization(pallet_node_authorization::Call::claim_node {
			node: node.clone(),
		});
		assert_eq!(
			apply(signed(Alice, 1, claim)).unwrap(),
			Err(frame_system::Error::<Runtime>::CallFiltered.into())
		);
		assert_ok!(crate::NodeAuthorization::add_well_known_node(
			RuntimeOrigin::root(),
			node.clone(),
			Alice.to_account_id().into()
		));
		let many = (0..17u8).map(|i| sp_core::OpaquePeerId(vec![i; 38])).collect();
		let add =
			RuntimeCall::NodeAuthorization(pallet_node_authorization::Call::add_connections {
				node,
				connections: many,
			});
		assert_eq!(
			apply(signed(Alice, 2, add)).unwrap(),
			Err(frame_system::Error::<Runtime>::CallFiltered.into())
		);
	});
}

#[test]
fn a_node_gathers_at_most_max_connections_per_node() {
	// M-4, what bounding each call left: add_connections, 16 peer ids a call, call after call
	// grew one node's set (rewritten whole by every call, at a weight measured for a bounded
	// set). The call filter counts what the node holds.
	use crate::configs::{MAX_CONNECTIONS_PER_CALL, MAX_CONNECTIONS_PER_NODE};
	use frame_support::assert_noop;
	use pallet_node_authorization::{AdditionalConnections, Call as Nodes};
	use sp_core::OpaquePeerId;
	use sp_runtime::traits::Dispatchable as _;

	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		let admin = RuntimeOrigin::signed(Alice.to_account_id());
		let node = OpaquePeerId(vec![7; 38]);
		let nodes = |call| RuntimeCall::NodeAuthorization(call);
		assert_ok!(crate::NodeAuthorization::add_well_known_node(
			RuntimeOrigin::root(),
			node.clone(),
			Alice.to_account_id().into()
		));
		// Peer ids from..from + 16, of the longest length the filter lets through.
		let peers = |from: usize| {
			(from..from + MAX_CONNECTIONS_PER_CALL)
				.map(|i| OpaquePeerId((i as u32).to_le_bytes().repeat(32)))
				.collect::<Vec<_>>()
		};
		let add =
			|from| nodes(Nodes::add_connections { node: node.clone(), connections: peers(from) });
		let held = || AdditionalConnections::<Runtime>::get(&node).len();

		for call in 0..MAX_CONNECTIONS_PER_NODE / MAX_CONNECTIONS_PER_CALL {
			assert_ok!(add(call * MAX_CONNECTIONS_PER_CALL).dispatch(admin.clone()));
		}
		assert_eq!(held(), MAX_CONNECTIONS_PER_NODE);

		// One more peer id is refused, and changes nothing.
		let one_more = nodes(Nodes::add_connections {
			node: node.clone(),
			connections: vec![OpaquePeerId(vec![9; 38])],
		});
		assert_noop!(
			one_more.clone().dispatch(admin.clone()),
			frame_system::Error::<Runtime>::CallFiltered
		);
		// So is a call naming none but the node itself, once the node is full: the filter counts
		// the peer ids named, not what the pallet would keep (the bound errs on the safe side).
		assert_noop!(
			nodes(Nodes::add_connections { node: node.clone(), connections: vec![node.clone()] })
				.dispatch(admin.clone()),
			frame_system::Error::<Runtime>::CallFiltered
		);

		// Removing connections makes room again.
		assert_ok!(nodes(Nodes::remove_connections { node: node.clone(), connections: peers(0) })
			.dispatch(admin.clone()));
		assert_eq!(held(), MAX_CONNECTIONS_PER_NODE - MAX_CONNECTIONS_PER_CALL);
		assert_ok!(one_more.dispatch(admin));
		assert_eq!(held(), MAX_CONNECTIONS_PER_NODE - MAX_CONNECTIONS_PER_CALL + 1);
	});
}

#[test]
fn the_rate_limit_bites_at_n_plus_one_and_the_transaction_waits() {
	// M-6: the transaction over budget is not refused as invalid (which made the pool drop it
	// with its later nonces): it exhausts this window, and waits in the pool for the next.
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		let max = <Runtime as pallet_admission::Config>::PatientBudget::get().transactions;
		start_block(1);
		for nonce in 0..max {
			assert_eq!(
				apply(signed(One, nonce, patient_call())),
				Ok(Ok(())),
				"transaction {}",
				nonce + 1
			);
		}
		assert_eq!(apply(signed(One, max, patient_call())), Err(waits()));
		assert_eq!(validate(signed(One, max, patient_call())), Ok(()), "it may wait in the pool");
		// Others are not held back by //One's use.
		assert_eq!(apply(signed(Alice, 0, remark(1))), Ok(Ok(())));
		// The next window (blocks 10–19) admits //One again, in its very first block: the
		// session rotation there no longer takes the whole block.
		for n in 2..=10 {
			Executive::finalize_block();
			start_block(n);
		}
		assert_eq!(pallet_session::CurrentIndex::<Runtime>::get(), 1, "block 10 started a session");
		assert_eq!(apply(signed(One, max, patient_call())), Ok(Ok(())));
	});
}

#[test]
fn a_new_key_does_not_bring_a_fresh_quota() {
	// H-2 (review test 1): 63 transactions, rotate_key to b, then b sent 64 more.
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		let max = <Runtime as pallet_admission::Config>::PatientBudget::get().transactions;
		start_block(1);
		for nonce in 0..max - 1 {
			assert_eq!(apply(signed(One, nonce, patient_call())), Ok(Ok(())));
		}
		let b = fresh("one-new-key");
		let rotate = RuntimeCall::Patients(pallet_patients::Call::rotate_key {
			new_controller: account(&b),
		});
		assert_eq!(apply(signed(One, max - 1, rotate)), Ok(Ok(())));
		assert_eq!(apply(next(&b, patient_call())), Err(waits()));
	});
}

#[test]
fn transactions_waiting_in_the_pool_count() {
	// M-6 (review test): 65 transactions with nonces 0..64 all passed validation. Each one ahead
	// now counts as large as the principal's largest: at most MaxInFlight wait at once.
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		let in_flight = <Runtime as pallet_admission::Config>::MaxInFlight::get();
		for nonce in 0..in_flight {
			assert_eq!(validate(signed(One, nonce, patient_call())), Ok(()), "nonce {nonce}");
		}
		assert_eq!(
			validate(signed(One, in_flight, patient_call())),
			Err(custom(pallet_admission::RATE_LIMITED))
		);
	});
}

/// A transaction that does not fit its window gets this in a block: the author skips it and it
/// waits in the pool.
fn waits() -> TransactionValidityError {
	TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources)
}

#[test]
fn twenty_accounts_cannot_fill_the_pool() {
	// M-6 (security review 2026-12): an account could hold 64 × 16 KiB in the pool against a
	// 256 KiB budget, so about 20 accounts filled sc-transaction-pool's 20 MiB ready pool. Each
	// of 20 council members (accounts of the largest budget) now sends 16 KiB transactions, as
	// many as the pool takes from it: together they hold at most 20 budgets' worth.
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		let budget = <Runtime as pallet_admission::Config>::AccountBudget::get();
		let largest = <Runtime as pallet_admission::Config>::MaxTransactionLength::get();
		let mut held = 0usize;
		for i in 0..20 {
			let member = fresh(&format!("councillor-{i}"));
			assert_ok!(crate::CouncilMembership::add_member(
				RuntimeOrigin::root(),
				account(&member).into()
			));
			let mut nonce = 0;
			loop {
				// A remark padded to the largest length admission takes (it would be filtered at
				// dispatch; the pool does not dispatch).
				let mut tx = signed_by(&member, nonce, remark(0));
				let pad = largest as usize - tx.encoded_size() - 4;
				tx = signed_by(&member, nonce, remark(pad));
				match validate(tx.clone()) {
					Ok(()) => held += tx.encoded_size(),
					Err(e) => {
						assert_eq!(e, custom(pallet_admission::RATE_LIMITED));
						break;
					},
				}
				nonce += 1;
			}
			assert!(nonce > 0 && nonce <= 16, "{nonce} transactions of one account waiting");
		}
		assert!(held <= 20 * budget.bytes as usize, "{held} bytes held");
		// sc-transaction-pool's ready pool takes 20 MiB by default: 20 accounts hold a quarter.
		assert!(held <= 20 * 1024 * 1024 / 4, "{held} bytes held");
	});
}

#[test]
fn one_patient_with_guardian_keys_does_not_silence_its_hospital() {
	// N-1 (security review 2026-12, the review's test): patient 0 (enrolled by the hospital,
	// organisation 0) appoints four fresh guardians; in one window the five send 64 transactions
	// each of anchor_many with 128 bogus records and report_access_batch with 64 bogus reports.
	// Then the hospital's physician must still break the glass and its admin still vote.
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let guardians: Vec<_> = (0..4).map(|i| fresh(&format!("sock-puppet-{i}"))).collect();
		for (nonce, g) in guardians.iter().enumerate() {
			let appoint = RuntimeCall::Patients(pallet_patients::Call::add_guardian {
				patient: 0,
				guardian: account(g),
				scope: medchain_primitives::GuardianScope {
					consent_categories: medchain_primitives::Categories::ALL,
					..Default::default()
				},
				valid_until: None,
			});
			assert_eq!(apply(signed(One, nonce as u32, appoint)), Ok(Ok(())));
		}
		let record = medchain_primitives::NewRecord {
			patient: 0,
			category: Category::LabResults,
			purpose: Purpose::Treatment,
			content_hash: medchain_primitives::Hash32::repeat_byte(1),
			locator: medchain_primitives::Hash32::repeat_byte(2),
			basis: Some(medchain_primitives::ConsentRef::Grant(u64::MAX)),
		};
		let bogus_anchors = RuntimeCall::Records(pallet_records::Call::anchor_many {
			records: vec![record; 128].try_into().unwrap(),
		});
		let report = medchain_primitives::AccessReport {
			patient: 0,
			category: Category::LabResults,
			purpose: Purpose::Treatment,
			basis: medchain_primitives::ConsentRef::Grant(u64::MAX),
			record: None,
		};
		let bogus_reports = RuntimeCall::Audit(pallet_audit::Call::report_access_batch {
			reports: vec![report; 64].try_into().unwrap(),
		});
		let mut applied = 0;
		let keys: Vec<sr25519::Pair> =
			core::iter::once(One.pair()).chain(guardians.iter().cloned()).collect();
		for key in &keys {
			for i in 0..64 {
				let call = if i < 18 { bogus_anchors.clone() } else { bogus_reports.clone() };
				if apply(next(key, call)).is_ok() {
					applied += 1;
				}
			}
		}
		// The five keys are one principal: one patient's budget, not five.
		let patient_budget = <Runtime as pallet_admission::Config>::PatientBudget::get();
		assert!(applied <= patient_budget.transactions, "{applied} applied");
		let hospital_staff = pallet_admission::Principal::Organisation(0);
		assert_eq!(pallet_admission::Usage::<Runtime>::get(0, &hospital_staff).transactions, 0);

		// The physician breaks the glass (an operational call), and the hospital's admin votes.
		pallet_timestamp::Now::<Runtime>::put(2 * medchain_primitives::time::DAY);
		let break_glass = RuntimeCall::Consent(pallet_consent::Call::break_glass {
			patient: 1,
			justification: pallet_consent::JustificationCode::PatientUnconscious,
			categories: Category::Allergies.into(),
		});
		assert_eq!(validate(next(&Eve.pair(), break_glass.clone())), Ok(()));
		assert_eq!(apply(next(&Eve.pair(), break_glass)), Ok(Ok(())));
		let motion = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
		let propose = RuntimeCall::Council(pallet_collective::Call::propose {
			threshold: 3,
			proposal: Box::new(motion),
			length_bound: 100,
		});
		assert_eq!(validate(next(&Alice.pair(), propose.clone())), Ok(()));
		assert_eq!(apply(next(&Alice.pair(), propose)), Ok(Ok(())));
		// And the staff's ordinary work goes on.
		assert_eq!(apply(next(&Alice.pair(), remark(1))), Ok(Ok(())));
	});
}

#[test]
fn a_removed_practitioners_old_transactions_do_not_replay() {
	// L-6: removing a practitioner reaped its account and reset its nonce, so its old signed
	// transactions could be replayed once it was added again.
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let x = fresh("new-nurse");
		let invite = RuntimeCall::Providers(pallet_providers::Call::invite_practitioner {
			practitioner: account(&x),
			role: Role::Nurse,
		});
		let accept =
			RuntimeCall::Providers(pallet_providers::Call::accept_invitation { organisation: 0 });
		assert_eq!(apply(next(&Alice.pair(), invite.clone())), Ok(Ok(())));
		let first = next(&x, accept.clone());
		assert_eq!(apply(first.clone()), Ok(Ok(())));
		let leave = next(&x, RuntimeCall::Providers(pallet_providers::Call::leave_organisation {}));
		assert_eq!(apply(leave), Ok(Ok(())));
		assert_eq!(apply(next(&Alice.pair(), invite)), Ok(Ok(())));
		// The old acceptance (nonce 0) is stale: the account kept its nonce.
		assert_eq!(apply(first), Err(TransactionValidityError::Invalid(InvalidTransaction::Stale)));
		assert_eq!(apply(next(&x, accept)), Ok(Ok(())));
	});
}

#[test]
fn an_expired_guardian_is_not_admitted() {
	// L-5: GuardianOf was never cleared on expiry, so expired guardians stayed admitted.
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let guardian = fresh("short-guardian");
		let appoint = RuntimeCall::Patients(pallet_patients::Call::add_guardian {
			patient: 0,
			guardian: account(&guardian),
			scope: Default::default(),
			valid_until: Some(1_000),
		});
		assert_eq!(apply(signed(One, 0, appoint)), Ok(Ok(())));
		let resign = RuntimeCall::Patients(pallet_patients::Call::remove_guardian {
			patient: 0,
			guardian: account(&guardian),
		});
		assert_eq!(validate(next(&guardian, resign.clone())), Ok(()));
		pallet_timestamp::Now::<Runtime>::put(1_000);
		assert_eq!(
			validate(next(&guardian, resign)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadSigner))
		);
	});
}

#[test]
fn usage_records_of_past_windows_are_removed() {
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		assert_eq!(apply(signed(One, 0, patient_call())), Ok(Ok(())));
		assert!(pallet_admission::Usage::<Runtime>::iter_prefix(0).count() > 0);
		for n in 2..=12 {
			Executive::finalize_block();
			start_block(n);
		}
		Executive::finalize_block();
		assert_eq!(pallet_admission::Usage::<Runtime>::iter_prefix(0).count(), 0);
		assert_eq!(pallet_admission::OldestWindow::<Runtime>::get(), 10);
	});
}

#[test]
fn a_council_member_added_at_run_time_can_transact() {
	// Known defect: a member with no other role had no account, so its votes failed with
	// "Inability to pay some fees".
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		let member = fresh("new-councillor");
		assert_ok!(crate::CouncilMembership::add_member(
			RuntimeOrigin::root(),
			account(&member).into()
		));
		assert_eq!(apply(next(&member, remark(8))), Ok(Ok(())));
	});
}
