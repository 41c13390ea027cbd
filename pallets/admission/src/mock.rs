//! A test runtime. Accounts below 100 are admitted: 1–9 practitioners of organisation 0,
//! 10 and 11 two keys of patient 7 (enrolled by organisation 0), 50–59 practitioners of
//! organisation 1, 60 a council member of no organisation. `remark_with_event` is a call no
//! role may make. Budgets: 3 transactions, 1 000 bytes per principal; 5 transactions,
//! 10 000 bytes per organisation; windows of 10 blocks; transactions of at most 500 bytes.

use frame::{deps::sp_runtime::BuildStorage, testing_prelude::*};

use crate::{self as pallet_admission, Admit, Budget, Principal, Refusal, Standing};

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

pub const MEMBER: u64 = 1;
pub const COLLEAGUE: u64 = 2;
pub const PATIENT_KEY: u64 = 10;
pub const PATIENT_NEW_KEY: u64 = 11;
pub const OTHER_ORG_MEMBER: u64 = 50;
pub const COUNCILLOR: u64 = 60;
pub const STRANGER: u64 = 100;
pub const WINDOW: u64 = 10;

/// The mock's admission rule (see the module docs).
pub struct Rule;
impl Admit<u64, RuntimeCall> for Rule {
	fn admit(who: &u64, call: &RuntimeCall) -> Result<Standing<u64>, Refusal> {
		let standing = match *who {
			1..=9 => Standing { principal: Principal::Account(*who), organisation: Some(0) },
			PATIENT_KEY | PATIENT_NEW_KEY => {
				Standing { principal: Principal::Patient(7), organisation: Some(0) }
			},
			50..=59 => Standing { principal: Principal::Account(*who), organisation: Some(1) },
			0..=99 => Standing { principal: Principal::Account(*who), organisation: None },
			_ => return Err(Refusal::NotAdmitted),
		};
		if matches!(call, RuntimeCall::System(frame_system::Call::remark_with_event { .. })) {
			return Err(Refusal::CallNotPermitted);
		}
		Ok(standing)
	}
}

parameter_types! {
	pub const WindowLength: u64 = WINDOW;
	pub const MaxTransactionLength: u32 = 500;
	pub const AccountBudget: Budget = Budget { transactions: 3, bytes: 1_000, weight: 1_000_000_000_000 };
	pub const OrganisationBudget: Budget = Budget { transactions: 5, bytes: 10_000, weight: 1_000_000_000_000 };
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
	type Admit = Rule;
	type WindowLength = WindowLength;
	type MaxTransactionLength = MaxTransactionLength;
	type AccountBudget = AccountBudget;
	type OrganisationBudget = OrganisationBudget;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelper;
}

pub fn new_test_ext() -> TestState {
	let storage = RuntimeGenesisConfig { system: Default::default() }
		.build_storage()
		.expect("the mock's genesis is valid");
	let mut ext = TestState::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		// Registered accounts exist (their pallets provide for them).
		for who in (1..=11).chain(50..=60) {
			System::inc_providers(&who);
		}
	});
	ext
}
