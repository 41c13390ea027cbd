//! A test runtime: account 1 is governance (`EnsureSignedBy`), Root is not.

use frame::{
	deps::{sp_runtime::BuildStorage, sp_version::RuntimeVersion},
	testing_prelude::*,
};

use crate as pallet_upgrades;

type Block = frame_system::mocking::MockBlock<Test>;

construct_runtime!(
	pub enum Test {
		System: frame_system,
		Upgrades: pallet_upgrades,
	}
);

parameter_types! {
	/// The running runtime: `medchain`, version 100.
	pub MockVersion: RuntimeVersion = runtime_version("medchain", 100);
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type Version = MockVersion;
}

/// A runtime's version, as the wasm of a runtime declares it.
pub fn runtime_version(spec_name: &'static str, spec_version: u32) -> RuntimeVersion {
	RuntimeVersion { spec_name: spec_name.into(), spec_version, ..Default::default() }
}

/// "Code" whose version the test executor reads: a SCALE-encoded `RuntimeVersion` (anything
/// else is not a runtime).
pub fn code(spec_name: &'static str, spec_version: u32) -> Vec<u8> {
	runtime_version(spec_name, spec_version).encode()
}

/// What the node's wasm executor does for `sp_io::misc::runtime_version`, for [`code`].
struct ReadVersion;
impl frame::deps::sp_core::traits::ReadRuntimeVersion for ReadVersion {
	fn read_runtime_version(
		&self,
		wasm_code: &[u8],
		_ext: &mut dyn frame::deps::sp_core::traits::Externalities,
	) -> Result<Vec<u8>, String> {
		RuntimeVersion::decode(&mut &wasm_code[..])
			.map(|version| version.encode())
			.map_err(|_| "not a runtime".into())
	}
}

/// The governance account.
pub const GOVERNANCE: u64 = 1;
/// Who may withdraw an authorisation (in the runtime: a third of the council).
pub const CANCELLER: u64 = 3;

ord_parameter_types! {
	pub const Governance: u64 = GOVERNANCE;
	pub const Canceller: u64 = CANCELLER;
}

impl pallet_upgrades::Config for Test {
	type UpgradeOrigin = EnsureSignedBy<Governance, u64>;
	type CancelOrigin = EnsureSignedBy<Canceller, u64>;
	type WeightInfo = ();
}

pub fn new_test_ext() -> TestState {
	let storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.expect("genesis builds");
	let mut ext = TestState::new(storage);
	ext.register_extension(frame::deps::sp_core::traits::ReadRuntimeVersionExt::new(ReadVersion));
	ext.execute_with(|| System::set_block_number(1));
	ext
}
