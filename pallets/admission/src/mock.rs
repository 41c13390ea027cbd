//! A test runtime. Accounts below 100 are admitted: 1–9 staff of organisation 0, 10 and 11 two
//! keys of patient 7 and 12 a guardian whose ward is patient 7, 13 the key of patient 8 (both
//! patients enrolled by organisation 0), 50–59 staff of organisation 1, 60 a council member of
//! no organisation. `remark_with_event` is a call no role may make. Windows of 10 blocks; at
//! most 2 transactions of a principal in the pool (`MaxInFlight`); budgets (transactions,
//! bytes): an account 3 and 1 000, a patient 2 and 400, an organisation's staff 5 and 10 000,
//! an organisation's patients 3, all patients 4, operational 2 per principal and 3 per
//! organisation.

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
pub const GUARDIAN: u64 = 12;
pub const OTHER_PATIENT_KEY: u64 = 13;
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
			PATIENT_KEY | PATIENT_NEW_KEY | GUARDIAN => {
				Standing { principal: Principal::Patient(7), organisation: Some(0) }
			},
			OTHER_PATIENT_KEY => {
				Standing { principal: Principal::Patient(8), organisation: Some(0) }
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

/// The weight budget of every principal and group in the mock: large enough that bytes and
/// transactions bind first, except where a test says otherwise.
pub const WEIGHT: u64 = 1_000_000_000_000;

const fn budget(transactions: u32, bytes: u32) -> Budget {
	Budget { transactions, bytes, weight: WEIGHT }
}

parameter_types! {
	pub const WindowLength: u64 = WINDOW;
	pub const MaxTransactionLength: u32 = 500;
	pub const MaxInFlight: u32 = 2;
	pub const AccountBudget: Budget = budget(3, 1_000);
	pub const PatientBudget: Budget = budget(2, 400);
	pub const OrganisationBudget: Budget = budget(5, 10_000);
	pub const OrganisationPatientsBudget: Budget = budget(3, 10_000);
	pub const AllPatientsBudget: Budget = budget(4, 10_000);
	pub const OperationalBudget: Budget = budget(2, 1_000);
	pub const OrganisationOperationalBudget: Budget = budget(3, 10_000);
}

#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<u64, RuntimeCall> for BenchmarkHelper {
	fn admitted_worst_case() -> (u64, RuntimeCall) {
		// A patient's key: a principal and two groups.
		(PATIENT_KEY, RuntimeCall::System(frame_system::Call::remark { remark: vec![] }))
	}
}

impl pallet_admission::Config for Test {
	type Admit = Rule;
	type WindowLength = WindowLength;
	type MaxTransactionLength = MaxTransactionLength;
	type MaxInFlight = MaxInFlight;
	type AccountBudget = AccountBudget;
	type PatientBudget = PatientBudget;
	type OrganisationBudget = OrganisationBudget;
	type OrganisationPatientsBudget = OrganisationPatientsBudget;
	type AllPatientsBudget = AllPatientsBudget;
	type OperationalBudget = OperationalBudget;
	type OrganisationOperationalBudget = OrganisationOperationalBudget;
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
		for who in (1..=13).chain(50..=60) {
			System::inc_providers(&who);
		}
	});
	ext
}
