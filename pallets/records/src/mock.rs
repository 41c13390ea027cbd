//! A test runtime over the shared test world of `medchain_primitives::testing`: a hospital, a
//! lab and an insurer with an admin and a practitioner each, two patients, a consent double
//! that permits what a test says, and an audit sink that remembers what it is sent.

use frame::{deps::sp_runtime::BuildStorage, testing_prelude::*};
pub use medchain_primitives::testing::*;
use medchain_primitives::Moment;

use crate as pallet_records;

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test {
		System: frame_system,
		Records: pallet_records,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

parameter_types! {
	pub const MaxBatchSize: u32 = 1_000;
	pub const MaxAnchorsPerCall: u32 = 4;
	pub const MaxSelfAnchorsPerPeriod: u32 = 6;
	pub const SelfAnchorPeriod: Moment = DAY;
	pub const MaxSelfAnchors: u32 = 10;
}

impl pallet_records::Config for Test {
	type Providers = MockProviders;
	type Patients = MockPatients;
	type Policy = MockPolicy;
	type Audit = MockAudit;
	type Time = MockTime;
	type MaxBatchSize = MaxBatchSize;
	type MaxAnchorsPerCall = MaxAnchorsPerCall;
	type MaxSelfAnchorsPerPeriod = MaxSelfAnchorsPerPeriod;
	type SelfAnchorPeriod = SelfAnchorPeriod;
	type MaxSelfAnchors = MaxSelfAnchors;
	type MaxAttestedWritesPerCall = ConstU32<4>;
	type Signature = frame::deps::sp_runtime::testing::TestSignature;
	type Signer = frame::deps::sp_runtime::testing::UintAuthorityId;
	type Attestations = MockLedger;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkWorld;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkSigner = MockSigner;
}

pub fn new_test_ext() -> TestState {
	reset();
	let storage = RuntimeGenesisConfig { system: Default::default() }
		.build_storage()
		.expect("the mock's genesis is valid");
	let mut ext = TestState::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` in the small world, then checks the pallet's invariants.
pub fn with_world(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Records::do_try_state().expect("invariants hold after the test");
	});
}
