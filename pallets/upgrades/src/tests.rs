//! The authorisation matrix of `authorize_upgrade`, and what `frame_system` then accepts.

use frame::testing_prelude::*;

use crate::mock::*;

fn hash(code: &[u8]) -> H256 {
	<Test as frame_system::Config>::Hashing::hash(code)
}

/// The runtime's code in state (`:code`).
#[cfg(not(feature = "runtime-benchmarks"))]
fn running_code() -> Option<Vec<u8>> {
	frame::deps::sp_io::storage::get(frame::deps::sp_core::storage::well_known_keys::CODE)
		.map(|code| code.to_vec())
}

fn authorised() -> Option<H256> {
	System::authorized_upgrade().map(|a| *a.code_hash())
}

#[test]
fn governance_authorises_an_upgrade_with_version_checks() {
	new_test_ext().execute_with(|| {
		let code_hash = hash(b"runtime v2");
		assert_ok!(Upgrades::authorize_upgrade(RuntimeOrigin::signed(GOVERNANCE), code_hash));
		System::assert_last_event(
			frame_system::Event::UpgradeAuthorized { code_hash, check_version: true }.into(),
		);
		assert_eq!(authorised(), Some(code_hash));
	});
}

#[test]
fn a_later_authorisation_replaces_an_earlier_one() {
	new_test_ext().execute_with(|| {
		assert_ok!(Upgrades::authorize_upgrade(
			RuntimeOrigin::signed(GOVERNANCE),
			hash(b"bad runtime")
		));
		assert_ok!(Upgrades::authorize_upgrade(
			RuntimeOrigin::signed(GOVERNANCE),
			hash(b"fixed runtime")
		));
		assert_eq!(authorised(), Some(hash(b"fixed runtime")));
		// The replaced code is no longer accepted.
		assert_noop!(
			System::apply_authorized_upgrade(RuntimeOrigin::none(), b"bad runtime".to_vec()),
			frame_system::Error::<Test>::Unauthorized
		);
	});
}

#[test]
fn no_one_else_authorises_an_upgrade() {
	new_test_ext().execute_with(|| {
		let code_hash = hash(b"runtime v2");
		for origin in [RuntimeOrigin::signed(2), RuntimeOrigin::none(), RuntimeOrigin::root()] {
			assert_noop!(Upgrades::authorize_upgrade(origin, code_hash), DispatchError::BadOrigin);
		}
		assert_eq!(authorised(), None);
	});
}

#[test]
fn governance_has_no_other_root_power() {
	new_test_ext().execute_with(|| {
		// Governance's origin is not Root: frame_system's own Root calls refuse it.
		let governance = RuntimeOrigin::signed(GOVERNANCE);
		assert_noop!(
			System::authorize_upgrade(governance.clone(), hash(b"x")),
			DispatchError::BadOrigin
		);
		assert_noop!(
			System::authorize_upgrade_without_checks(governance.clone(), hash(b"x")),
			DispatchError::BadOrigin
		);
		assert_noop!(System::set_code(governance.clone(), b"x".to_vec()), DispatchError::BadOrigin);
		assert_noop!(System::set_storage(governance, vec![]), DispatchError::BadOrigin);
	});
}

#[test]
fn only_the_authorised_code_applies() {
	new_test_ext().execute_with(|| {
		let v101 = code("medchain", 101);
		// Nothing authorised yet.
		assert_noop!(
			System::apply_authorized_upgrade(RuntimeOrigin::none(), v101.clone()),
			frame_system::Error::<Test>::NothingAuthorized
		);
		assert_ok!(Upgrades::authorize_upgrade(RuntimeOrigin::signed(GOVERNANCE), hash(&v101)));
		// Other code: refused, the authorisation stays.
		assert_noop!(
			System::apply_authorized_upgrade(RuntimeOrigin::none(), code("medchain", 102)),
			frame_system::Error::<Test>::Unauthorized
		);
		assert_eq!(authorised(), Some(hash(&v101)));
	});
}

// A benchmarking build of frame_system skips the version checks (to measure their worst case).
#[cfg(not(feature = "runtime-benchmarks"))]
#[test]
fn the_authorised_code_applies_if_it_is_a_newer_medchain_runtime() {
	new_test_ext().execute_with(|| {
		let v101 = code("medchain", 101);
		assert_ok!(Upgrades::authorize_upgrade(RuntimeOrigin::signed(GOVERNANCE), hash(&v101)));
		// Anyone applies it: an unsigned transaction.
		assert_ok!(System::apply_authorized_upgrade(RuntimeOrigin::none(), v101.clone()));
		System::assert_last_event(frame_system::Event::CodeUpdated { hash: hash(&v101) }.into());
		assert_eq!(running_code(), Some(v101));
		// Used up.
		assert_eq!(authorised(), None);
	});
}

#[cfg(not(feature = "runtime-benchmarks"))]
#[test]
fn version_checks_that_governance_cannot_turn_off_reject_the_code() {
	let cases = [
		(b"not a runtime".to_vec(), frame_system::Error::<Test>::FailedToExtractRuntimeVersion),
		(code("medchain", 100), frame_system::Error::<Test>::SpecVersionNeedsToIncrease),
		(code("medchain", 99), frame_system::Error::<Test>::SpecVersionNeedsToIncrease),
		(code("another-chain", 101), frame_system::Error::<Test>::InvalidSpecName),
	];
	for (code, error) in cases {
		new_test_ext().execute_with(|| {
			let running = running_code();
			assert_ok!(Upgrades::authorize_upgrade(RuntimeOrigin::signed(GOVERNANCE), hash(&code)));
			// Not the applier's fault: the transaction succeeds, the code is not set, and the
			// authorisation is used up (the council must authorise a fixed runtime).
			assert_ok!(System::apply_authorized_upgrade(RuntimeOrigin::none(), code.clone()));
			System::assert_last_event(
				frame_system::Event::RejectedInvalidAuthorizedUpgrade {
					code_hash: hash(&code),
					error: error.into(),
				}
				.into(),
			);
			assert_eq!(running_code(), running);
			assert_eq!(authorised(), None);
		});
	}
}

#[test]
fn an_authorisation_can_be_withdrawn_before_it_is_applied() {
	// N-11 (security review 2026-12): once authorised, a runtime found defective could only be
	// displaced by authorising another hash, with another 2/3 motion.
	new_test_ext().execute_with(|| {
		let code_hash = hash(b"defective runtime");
		assert_ok!(Upgrades::authorize_upgrade(RuntimeOrigin::signed(GOVERNANCE), code_hash));
		assert_ok!(Upgrades::cancel_authorized_upgrade(RuntimeOrigin::signed(CANCELLER)));
		System::assert_last_event(crate::Event::UpgradeCancelled { code_hash }.into());
		assert_eq!(authorised(), None);
		assert_noop!(
			System::apply_authorized_upgrade(RuntimeOrigin::none(), b"defective runtime".to_vec()),
			frame_system::Error::<Test>::NothingAuthorized
		);
		assert_noop!(
			Upgrades::cancel_authorized_upgrade(RuntimeOrigin::signed(CANCELLER)),
			crate::Error::<Test>::NothingAuthorized
		);
	});
}

#[test]
fn only_the_cancel_origin_withdraws_an_authorisation() {
	new_test_ext().execute_with(|| {
		assert_ok!(Upgrades::authorize_upgrade(RuntimeOrigin::signed(GOVERNANCE), hash(b"v2")));
		for origin in [RuntimeOrigin::signed(2), RuntimeOrigin::none(), RuntimeOrigin::root()] {
			assert_noop!(Upgrades::cancel_authorized_upgrade(origin), DispatchError::BadOrigin);
		}
		assert_eq!(authorised(), Some(hash(b"v2")));
	});
}
