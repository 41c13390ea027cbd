//! A test runtime over the shared test world of `medchain_primitives::testing`: a hospital, a
//! lab and an insurer with an admin and a practitioner each, two patients, a consent double
//! that permits what a test says, and a records double that knows the records a test adds.

use frame::{deps::sp_runtime::BuildStorage, testing_prelude::*};
pub use medchain_primitives::testing::*;

use crate as pallet_audit;

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test {
		System: frame_system,
		Audit: pallet_audit,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

parameter_types! {
	pub const MaxReportsPerBatch: u32 = 8;
	pub const MaxAttestedReadsPerCall: u32 = 4;
}

impl pallet_audit::Config for Test {
	type Providers = MockProviders;
	type Patients = MockPatients;
	type Policy = MockPolicy;
	type Records = MockRecords;
	type Time = MockTime;
	type MaxReportsPerBatch = MaxReportsPerBatch;
	type MaxAttestedReadsPerCall = MaxAttestedReadsPerCall;
	type Signature = frame::deps::sp_runtime::testing::TestSignature;
	type Signer = frame::deps::sp_runtime::testing::UintAuthorityId;
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
		Audit::do_try_state().expect("invariants hold after the test");
	});
}
