//! Governed runtime upgrades: the council authorises a runtime by its code hash, anyone applies
//! it; the council reaches no other of Root's calls (issue "forkless runtime upgrades").

use frame_support::{assert_ok, traits::UnfilteredDispatchable};
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::{Alice, Ferdie};
use sp_runtime::{
	traits::{BlakeTwo256, Hash as _},
	transaction_validity::{InvalidTransaction, TransactionValidityError},
	DispatchError,
};

use super::{
	admission::{apply, signed, start_block, validate},
	build_preset,
	governance::motion,
};
use crate::{
	configs::governance::CouncilCollective, genesis_config_presets::CONSORTIUM_PRESET, AccountId,
	CouncilMembership, Hash, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System,
	UncheckedExtrinsic,
};

/// The runtime this test build embeds (as the node does): the compact, compressed wasm.
fn wasm() -> &'static [u8] {
	crate::WASM_BINARY
		.expect("a test build embeds the runtime's wasm (not built with SKIP_WASM_BUILD)")
}

fn authorise(code_hash: Hash) -> RuntimeCall {
	RuntimeCall::Upgrades(pallet_upgrades::Call::authorize_upgrade { code_hash })
}

fn apply_upgrade(code: &[u8]) -> UncheckedExtrinsic {
	UncheckedExtrinsic::new_bare(RuntimeCall::System(
		frame_system::Call::apply_authorized_upgrade { code: code.to_vec() },
	))
}

fn authorised() -> Option<Hash> {
	System::authorized_upgrade().map(|a| *a.code_hash())
}

/// What the council's motion dispatches with when every seat voted aye.
fn whole_council() -> RuntimeOrigin {
	pallet_collective::RawOrigin::<AccountId, CouncilCollective>::Members(4, 4).into()
}

/// The test externalities of the consortium preset, able to read a wasm runtime's version
/// (as a node's executor does for `frame_system`'s version check).
fn consortium() -> sp_io::TestExternalities {
	let mut ext = build_preset(CONSORTIUM_PRESET);
	ext.register_extension(sp_core::traits::ReadRuntimeVersionExt::new(
		sc_executor::WasmExecutor::<sp_io::SubstrateHostFunctions>::builder().build(),
	));
	ext
}

#[test]
fn two_thirds_of_the_council_authorise_an_upgrade_and_fewer_cannot() {
	consortium().execute_with(|| {
		System::set_block_number(1);
		let seats: Vec<AccountId> = CouncilMembership::members().into_inner();
		let code_hash = BlakeTwo256::hash(wasm());
		// One seat signing directly, and a motion of two of four: not governance.
		assert_eq!(
			authorise(code_hash)
				.dispatch_bypass_filter(RuntimeOrigin::signed(seats[0].clone()))
				.map_err(|e| e.error),
			Err(DispatchError::BadOrigin)
		);
		assert_eq!(
			motion(&seats[..2], 2, authorise(code_hash)),
			Some(Err(DispatchError::BadOrigin))
		);
		assert_eq!(authorised(), None);
		// Three of four.
		assert_eq!(motion(&seats[..3], 3, authorise(code_hash)), Some(Ok(())));
		assert_eq!(authorised(), Some(code_hash));
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::System(frame_system::Event::UpgradeAuthorized {
				code_hash,
				check_version: true
			})));
	});
}

#[test]
fn the_council_reaches_no_other_root_call() {
	let root_only: Vec<RuntimeCall> = vec![
		RuntimeCall::System(frame_system::Call::set_code { code: wasm().to_vec() }),
		RuntimeCall::System(frame_system::Call::set_code_without_checks { code: wasm().to_vec() }),
		RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash: Hash::zero() }),
		RuntimeCall::System(frame_system::Call::authorize_upgrade_without_checks {
			code_hash: Hash::zero(),
		}),
		RuntimeCall::System(frame_system::Call::set_storage {
			items: vec![(b"key".to_vec(), b"value".to_vec())],
		}),
		RuntimeCall::System(frame_system::Call::kill_storage { keys: vec![b"key".to_vec()] }),
		RuntimeCall::System(frame_system::Call::kill_prefix { prefix: b"k".to_vec(), subkeys: 1 }),
		RuntimeCall::System(frame_system::Call::set_heap_pages { pages: 1 }),
		RuntimeCall::Balances(pallet_balances::Call::force_set_balance {
			who: Ferdie.to_account_id().into(),
			new_free: 1_000_000_000_000,
		}),
		RuntimeCall::Council(pallet_collective::Call::set_members {
			new_members: vec![Ferdie.to_account_id()],
			prime: None,
			old_count: 4,
		}),
		RuntimeCall::Grandpa(pallet_grandpa::Call::note_stalled {
			delay: 1,
			best_finalized_block_number: 0,
		}),
	];
	consortium().execute_with(|| {
		System::set_block_number(1);
		for call in root_only {
			let name = format!("{call:?}").chars().take(60).collect::<String>();
			assert_eq!(
				call.dispatch_bypass_filter(whole_council()).map_err(|e| e.error),
				Err(DispatchError::BadOrigin),
				"the whole council dispatched {name}…"
			);
		}
		assert_eq!(authorised(), None);
	});
}

#[test]
fn anyone_applies_the_authorised_code_and_only_that() {
	consortium().execute_with(|| {
		start_block(1);
		// Before any authorisation, the code is not even valid in the pool.
		assert_eq!(
			validate(apply_upgrade(wasm())),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Call))
		);
		assert_ok!(authorise(BlakeTwo256::hash(wasm())).dispatch_bypass_filter(whole_council()));
		// Unsigned: valid for the authorised code, for no other.
		assert_eq!(validate(apply_upgrade(wasm())), Ok(()));
		let mut other = wasm().to_vec();
		other.push(0);
		assert_eq!(
			validate(apply_upgrade(&other)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Call))
		);
	});
	// Signed, even by a council member, it is far longer than a signed transaction may be: the
	// code travels unsigned.
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		start_block(1);
		assert_ok!(crate::Upgrades::authorize_upgrade(
			RuntimeOrigin::root(),
			BlakeTwo256::hash(wasm())
		));
		let apply = RuntimeCall::System(frame_system::Call::apply_authorized_upgrade {
			code: wasm().to_vec(),
		});
		assert_eq!(
			validate(signed(Alice, 0, apply)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(
				pallet_admission::TRANSACTION_TOO_LONG
			)))
		);
	});
}

#[test]
fn a_runtime_that_is_not_newer_is_rejected_and_the_authorisation_used_up() {
	consortium().execute_with(|| {
		start_block(1);
		let code_hash = BlakeTwo256::hash(wasm());
		assert_ok!(authorise(code_hash).dispatch_bypass_filter(whole_council()));
		// The running runtime's own wasm: same spec_version, so frame_system's version check
		// (which governance cannot turn off) rejects it.
		assert_eq!(apply(apply_upgrade(wasm())), Ok(Ok(())));
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::System(frame_system::Event::RejectedInvalidAuthorizedUpgrade {
				code_hash,
				error: frame_system::Error::<Runtime>::SpecVersionNeedsToIncrease.into(),
			})));
		assert!(!System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::System(frame_system::Event::CodeUpdated { .. })
		)));
		assert_eq!(authorised(), None);
	});
}

#[test]
fn the_dev_chain_keeps_sudo_as_root() {
	// Root (sudo, dev and local only) authorises through the same call.
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		assert_ok!(crate::Upgrades::authorize_upgrade(RuntimeOrigin::root(), Hash::repeat_byte(1)));
		assert_eq!(authorised(), Some(Hash::repeat_byte(1)));
	});
}
