//! A test runtime: Root is governance; the session starts with validators 1–4; at least 3 (the
//! constant floor), at most 6.

use frame::{deps::sp_runtime::BuildStorage, testing_prelude::*};

use crate as pallet_validator_set;

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test {
		System: frame_system,
		ValidatorSet: pallet_validator_set,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// What pallet-session would start with.
pub struct GenesisSession;
impl frame::deps::frame_support::traits::ValidatorSet<u64> for GenesisSession {
	type ValidatorId = u64;
	type ValidatorIdOf = frame::deps::sp_runtime::traits::ConvertInto;
	fn session_index() -> u32 {
		0
	}
	fn validators() -> Vec<u64> {
		vec![4, 2, 3, 1]
	}
}

parameter_types! {
	pub const MinValidators: u32 = 3;
	pub const MaxValidators: u32 = 6;
	pub const SessionPeriod: u64 = 10;
}

thread_local! {
	/// Accounts without session keys (every other account has them).
	static KEYLESS: core::cell::RefCell<Vec<u64>> = const { core::cell::RefCell::new(Vec::new()) };
	/// How many times the session rotated.
	static ROTATIONS: core::cell::Cell<u32> = const { core::cell::Cell::new(0) };
}

/// `who` purges its session keys.
pub fn purge_keys(who: u64) {
	KEYLESS.with(|k| k.borrow_mut().push(who));
}
pub fn rotations() -> u32 {
	ROTATIONS.with(|r| r.get())
}

pub struct Keys;
impl frame::deps::frame_support::traits::ValidatorRegistration<u64> for Keys {
	fn is_registered(who: &u64) -> bool {
		!KEYLESS.with(|k| k.borrow().contains(who))
	}
}

pub struct Rotation;
impl crate::SessionRotation for Rotation {
	fn rotate() -> frame::prelude::Weight {
		ROTATIONS.with(|r| r.set(r.get() + 1));
		frame::prelude::Weight::zero()
	}
}

impl pallet_validator_set::Config for Test {
	type GovernanceOrigin = EnsureRoot<u64>;
	type MinValidators = MinValidators;
	type MaxValidators = MaxValidators;
	type SessionValidators = GenesisSession;
	type KeysRegistered = Keys;
	type SessionRotation = Rotation;
	type SessionPeriod = SessionPeriod;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Keys;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<u64> for Keys {
	fn register_keys(who: &u64) {
		KEYLESS.with(|k| k.borrow_mut().retain(|a| a != who));
	}
}

pub const STRANGER: u64 = 99;

/// The genesis of this world: no list given, so the session's validators are adopted.
pub fn new_test_ext() -> TestState {
	KEYLESS.with(|k| k.borrow_mut().clear());
	ROTATIONS.with(|r| r.set(0));
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		validator_set: pallet_validator_set::GenesisConfig {
			initial_validators: vec![],
			minimum_validators: 0,
		},
	}
	.build_storage()
	.expect("the mock's genesis is valid");
	let mut ext = TestState::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` in that world, then checks the invariants.
pub fn with_world(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		ValidatorSet::do_try_state().expect("invariants hold after the test");
	});
}
