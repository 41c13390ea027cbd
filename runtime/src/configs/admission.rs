//! Admission: who may sign transactions on a chain without fees, which calls, and how much of
//! the chain each principal and each organisation may use.
//!
//! Roles come from the registries (providers, patients, council, validator set, session keys);
//! [`permits`] says which calls each role needs. Budgets are per window of 10 blocks (a
//! minute): a principal may use about a tenth of a window's weight, an organisation (with the
//! patients it enrolled and their guardians) a quarter of its weight and bytes, so no single
//! member of the consortium can crowd the others out.

use frame_support::{
	parameter_types,
	traits::{Contains, Time},
};
use medchain_primitives::{PatientRegistry, PatientStanding, ProviderRegistry};
use pallet_admission::{Admit, Budget, Principal, Refusal, Standing};

use crate::{
	configs::{RuntimeBlockLength, RuntimeBlockWeights},
	AccountId, BlockNumber, CouncilMembership, Patients, Providers, Runtime, RuntimeCall,
	Timestamp, ValidatorSet,
};

/// What an account is, for admission.
#[derive(Clone, Copy, Default, Debug)]
pub struct Roles {
	pub practitioner: bool,
	pub organisation_admin: bool,
	pub patient: bool,
	pub guardian: bool,
	pub invitee: bool,
	pub council: bool,
	/// In the validator set (from the next session on).
	pub validator: bool,
	/// Has registered session keys.
	pub has_session_keys: bool,
}

impl Roles {
	fn any(&self) -> bool {
		self.practitioner
			|| self.organisation_admin
			|| self.patient
			|| self.guardian
			|| self.invitee
			|| self.council
			|| self.validator
			|| self.has_session_keys
	}

	/// A role in the care of patients (every domain call is the domain pallets' to authorise).
	fn in_care(&self) -> bool {
		self.practitioner || self.organisation_admin || self.patient || self.guardian
	}

	/// An operator of the consortium's infrastructure.
	fn operator(&self) -> bool {
		self.organisation_admin || self.validator || self.council
	}
}

/// Which calls `roles` may sign. Every pallet with calls is named, so that a new one needs a
/// decision.
pub fn permits(roles: &Roles, call: &RuntimeCall) -> bool {
	use frame_system::Call as System;
	use pallet_session::Call as Session;
	match call {
		// Free bytes on chain: only for operators' liveness probes (and BaseCallFilter caps
		// their length).
		RuntimeCall::System(System::remark { .. } | System::remark_with_event { .. }) => {
			roles.council || roles.validator
		},
		// The rest need Root (refused at dispatch) or an authorised upgrade.
		RuntimeCall::System(_) => roles.operator(),
		RuntimeCall::Timestamp(_) => false,
		// Session keys only for members of the validator set; a member may not drop its keys
		// (governance removes it first), a former one may.
		RuntimeCall::Session(Session::set_keys { .. }) => roles.validator,
		RuntimeCall::Session(Session::purge_keys { .. }) => {
			roles.has_session_keys && !roles.validator
		},
		RuntimeCall::Session(_) => false,
		RuntimeCall::Grandpa(_) => roles.validator || roles.has_session_keys,
		// No token transfers: balances only keep development accounts alive.
		RuntimeCall::Balances(_) => false,
		RuntimeCall::Sudo(_) => roles.operator(),
		RuntimeCall::Council(_)
		| RuntimeCall::CouncilMembership(_)
		| RuntimeCall::ValidatorSet(_)
		| RuntimeCall::Upgrades(_) => roles.council,
		RuntimeCall::NodeAuthorization(_) => roles.organisation_admin || roles.validator,
		RuntimeCall::Providers(
			pallet_providers::Call::accept_invitation { .. }
			| pallet_providers::Call::decline_invitation { .. },
		) => true,
		RuntimeCall::Providers(_)
		| RuntimeCall::Patients(_)
		| RuntimeCall::Consent(_)
		| RuntimeCall::Records(_)
		| RuntimeCall::Audit(_) => roles.in_care(),
	}
}

/// medchain's admission rule (see the module docs).
pub struct AdmissionRule;
impl Admit<AccountId, RuntimeCall> for AdmissionRule {
	fn admit(who: &AccountId, call: &RuntimeCall) -> Result<Standing<AccountId>, Refusal> {
		let practitioner = Providers::active_practitioner(who);
		let administers = Providers::administered_by(who);
		let invited = Providers::invited_by(who);
		let patient = Patients::standing(who, Timestamp::now());
		let roles = Roles {
			practitioner: practitioner.is_some(),
			organisation_admin: administers.is_some(),
			patient: matches!(patient, Some(PatientStanding::Controller { .. })),
			guardian: matches!(patient, Some(PatientStanding::Guardian { .. })),
			invitee: invited.is_some(),
			council: CouncilMembership::contains(who),
			validator: ValidatorSet::contains(who),
			has_session_keys: pallet_session::NextKeys::<Runtime>::contains_key(who),
		};
		if !roles.any() {
			return Err(Refusal::NotAdmitted);
		}
		if !permits(&roles, call) {
			return Err(Refusal::CallNotPermitted);
		}
		let principal = match patient {
			Some(PatientStanding::Controller { patient, .. }) => Principal::Patient(patient),
			_ => Principal::Account(who.clone()),
		};
		let organisation = practitioner.map(|p| p.organisation).or(administers).or(match patient {
			Some(
				PatientStanding::Controller { organisation, .. }
				| PatientStanding::Guardian { organisation },
			) => Some(organisation),
			None => invited,
		});
		Ok(Standing { principal, organisation })
	}
}

/// Blocks per admission window.
const WINDOW: u32 = 10;

parameter_types! {
	pub const WindowLength: BlockNumber = WINDOW as BlockNumber;
	/// The longest signed transaction: room for a batch of 64 reports or a council motion,
	/// not for bulk data.
	pub const MaxTransactionLength: u32 = 16 * 1024;
	/// Per principal and window: 64 transactions, 256 KiB, a tenth of the window's weight for
	/// ordinary transactions.
	pub AccountBudget: Budget = Budget {
		transactions: 64,
		bytes: 256 * 1024,
		weight: normal_weight_per_window() / 10,
	};
	/// Per organisation (with the accounts it minted) and window: a quarter of the window's
	/// bytes and weight for ordinary transactions.
	pub OrganisationBudget: Budget = Budget {
		transactions: u32::MAX,
		bytes: normal_length_per_window() / 4,
		weight: normal_weight_per_window() / 4,
	};
}

fn normal_weight_per_window() -> u64 {
	let weights = RuntimeBlockWeights::get();
	let normal = weights
		.get(frame_support::dispatch::DispatchClass::Normal)
		.max_total
		.unwrap_or(weights.max_block);
	normal.ref_time().saturating_mul(WINDOW.into())
}

fn normal_length_per_window() -> u32 {
	let normal = *RuntimeBlockLength::get()
		.max
		.get(frame_support::dispatch::DispatchClass::Normal);
	normal.saturating_mul(WINDOW)
}

#[cfg(feature = "runtime-benchmarks")]
pub struct AdmissionBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_admission::benchmarking::BenchmarkHelper<AccountId> for AdmissionBenchmarkHelper {
	fn admitted_account() -> AccountId {
		// A validator: it may make the remark the benchmark signs, and is looked up through
		// every registry on the way.
		let who: AccountId = frame_benchmarking::account("validator", 0, 0);
		let _ = ValidatorSet::add_validator(crate::RuntimeOrigin::root(), who.clone());
		who
	}
}

impl pallet_admission::Config for Runtime {
	type Admit = AdmissionRule;
	type WindowLength = WindowLength;
	type MaxTransactionLength = MaxTransactionLength;
	type AccountBudget = AccountBudget;
	type OrganisationBudget = OrganisationBudget;
	type WeightInfo = pallet_admission::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AdmissionBenchmarkHelper;
}
