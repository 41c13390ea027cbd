//! Admission: who may sign transactions on a chain without fees, and how often.

use frame_support::{parameter_types, traits::Contains};
use medchain_primitives::{PatientRegistry, ProviderRegistry};

use crate::{AccountId, BlockNumber, CouncilMembership, Patients, Providers, Runtime, ValidatorSet};

/// The accounts that may sign transactions: active practitioners, the admin accounts of
/// registered organisations (a suspended organisation's admin still reports reads and erases
/// records), patients and the guardians they appointed, council members, and validators (who
/// register their session keys).
pub struct RegisteredAccounts;
impl Contains<AccountId> for RegisteredAccounts {
	fn contains(who: &AccountId) -> bool {
		Providers::active_practitioner(who).is_some() ||
			Providers::administered_by(who).is_some() ||
			Patients::is_patient_or_guardian(who) ||
			CouncilMembership::contains(who) ||
			ValidatorSet::contains(who)
	}
}

parameter_types! {
	/// Per account: 64 transactions per window of 10 blocks (one minute). Bulk work has batch
	/// calls (`Records::anchor_batch`, `Audit::report_access_batch`).
	pub const MaxTransactionsPerWindow: u32 = 64;
	pub const WindowLength: BlockNumber = 10;
}

#[cfg(feature = "runtime-benchmarks")]
pub struct AdmissionBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_admission::benchmarking::BenchmarkHelper<AccountId> for AdmissionBenchmarkHelper {
	fn admitted_account() -> AccountId {
		let who: AccountId = frame_benchmarking::account("practitioner", 0, 0);
		Providers::make_active_practitioner(&who, medchain_primitives::OrganisationKind::Lab, medchain_primitives::Role::LabTechnician);
		who
	}
}

impl pallet_admission::Config for Runtime {
	type Admitted = RegisteredAccounts;
	type MaxTransactionsPerWindow = MaxTransactionsPerWindow;
	type WindowLength = WindowLength;
	type WeightInfo = pallet_admission::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AdmissionBenchmarkHelper;
}
