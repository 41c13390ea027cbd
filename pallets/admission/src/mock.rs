//! A test runtime: accounts below 100 are admitted, 3 transactions per window of 10 blocks.

use frame::{deps::sp_runtime::BuildStorage, testing_prelude::*};

use crate as pallet_admission;

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test {
		System: frame_system,
		Admission: pallet_admission,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// Registered accounts in this test world.
pub struct Registered;
impl Contains<u64> for Registered {
	fn contains(who: &u64) -> bool {
		*who < 100
	}
}

pub const MEMBER: u64 = 1;
pub const OTHER_MEMBER: u64 = 2;
pub const STRANGER: u64 = 100;
pub const MAX_PER_WINDOW: u32 = 3;
pub const WINDOW: u64 = 10;

parameter_types! {
	pub const MaxTransactionsPerWindow: u32 = MAX_PER_WINDOW;
	pub const WindowLength: u64 = WINDOW;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<u64> for BenchmarkHelper {
	fn admitted_account() -> u64 {
		MEMBER
	}
}

impl pallet_admission::Config for Test {
	type Admitted = Registered;
	type MaxTransactionsPerWindow = MaxTransactionsPerWindow;
	type WindowLength = WindowLength;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelper;
}

pub fn new_test_ext() -> TestState {
	let storage = RuntimeGenesisConfig { system: Default::default() }
		.build_storage()
		.expect("the mock's genesis is valid");
	let mut ext = TestState::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
