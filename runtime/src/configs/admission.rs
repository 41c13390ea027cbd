//! Admission: who may sign transactions on a chain without fees, which calls, and how much of
//! the chain each principal and each organisation may use.
//!
//! Roles come from the registries (providers, patients, council, validator set, session keys);
//! [`permits`] says which calls each role needs. Budgets are per window of 10 blocks (a
//! minute), shares of the window's room for ordinary transactions (75 % of each block): an
//! account a tenth, a patient (with its guardians) a fiftieth, an organisation's staff a
//! quarter, the patients of one organisation an eighth and all patients a quarter, so that no
//! single member of the consortium, and no patient, can crowd the others out. Operational calls
//! (council, break-glass) have budgets of their own in the block's operational reserve.

use frame_support::{
	dispatch::DispatchClass,
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
	/// Administers an organisation (active or suspended).
	pub organisation_admin: bool,
	/// Administers an active organisation: the powers a suspended organisation's admin loses.
	pub active_admin: bool,
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
		self.active_admin || self.validator || self.council
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
		// A suspended organisation's admin runs no nodes (security review 2026-12, N-5).
		RuntimeCall::NodeAuthorization(_) => roles.active_admin || roles.validator,
		RuntimeCall::Providers(
			pallet_providers::Call::accept_invitation { .. }
			| pallet_providers::Call::decline_invitation { .. }
			| pallet_providers::Call::accept_admin { .. },
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
		let invited = Providers::invited_by(who).or_else(|| Providers::admin_proposed_to(who));
		let patient = Patients::standing(who, Timestamp::now());
		let roles = Roles {
			practitioner: practitioner.is_some(),
			organisation_admin: administers.is_some(),
			active_admin: administers
				.is_some_and(|org| Providers::active_organisation(org).is_some()),
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
		// Staff count as themselves in their organisation's group; a patient's keys and the
		// guardians whose ward it is count as the patient, in the patients' groups, never in an
		// organisation's staff group (security review 2026-12, N-1).
		let staff_of = practitioner.map(|p| p.organisation).or(administers);
		Ok(match (staff_of, patient) {
			(Some(organisation), _) => Standing {
				principal: Principal::Account(who.clone()),
				organisation: Some(organisation),
			},
			(
				None,
				Some(
					PatientStanding::Controller { patient: ward, organisation }
					| PatientStanding::Guardian { ward, organisation },
				),
			) => Standing { principal: Principal::Patient(ward), organisation: Some(organisation) },
			(None, None) => {
				Standing { principal: Principal::Account(who.clone()), organisation: invited }
			},
		})
	}
}

/// Blocks per admission window.
const WINDOW: u32 = 10;

parameter_types! {
	pub const WindowLength: BlockNumber = WINDOW as BlockNumber;
	/// The longest signed transaction of anyone: room for a batch of 128 anchors or a council
	/// motion, not for bulk data.
	pub const MaxTransactionLength: u32 = 16 * 1024;
	/// A principal has at most 16 transactions waiting in the pool; its largest transaction is
	/// a sixteenth of its budget (an account's: 16 KiB and ~94 ms of weight).
	pub const MaxInFlight: u32 = 16;
	/// Per account principal and window: 64 transactions, 256 KiB, a tenth of the window's
	/// ordinary weight.
	pub AccountBudget: Budget = Budget {
		transactions: 64,
		bytes: 256 * 1024,
		weight: window_weight(DispatchClass::Normal) / 10,
	};
	/// Per patient (with its guardians) and window: 32 transactions, 64 KiB, a fiftieth of the
	/// window's ordinary weight — a patient's app's grants, revocations and own records, with
	/// room to spare; its largest transaction is 4 KiB (about 48 records of its own in one
	/// `anchor_many`).
	pub PatientBudget: Budget = Budget {
		transactions: 32,
		bytes: 64 * 1024,
		weight: window_weight(DispatchClass::Normal) / 50,
	};
	/// Per organisation's staff and admin, together, and window: a quarter of the window's
	/// ordinary bytes and weight.
	pub OrganisationBudget: Budget = Budget {
		transactions: u32::MAX,
		bytes: window_length(DispatchClass::Normal) / 4,
		weight: window_weight(DispatchClass::Normal) / 4,
	};
	/// Per organisation's enrolled patients and their guardians, together: an eighth.
	pub OrganisationPatientsBudget: Budget = Budget {
		transactions: u32::MAX,
		bytes: window_length(DispatchClass::Normal) / 8,
		weight: window_weight(DispatchClass::Normal) / 8,
	};
	/// Every patient and guardian together: a quarter. Whatever patients do, staff keep three
	/// quarters of the ordinary room.
	pub AllPatientsBudget: Budget = Budget {
		transactions: u32::MAX,
		bytes: window_length(DispatchClass::Normal) / 4,
		weight: window_weight(DispatchClass::Normal) / 4,
	};
	/// Per principal and window, operational calls (council votes and motions, break-glass):
	/// 16 transactions, 64 KiB, a tenth of the window's operational reserve.
	pub OperationalBudget: Budget = Budget {
		transactions: 16,
		bytes: 64 * 1024,
		weight: window_weight(DispatchClass::Operational) / 10,
	};
	/// Per organisation's staff, together, operational calls: a quarter of the reserve.
	pub OrganisationOperationalBudget: Budget = Budget {
		transactions: u32::MAX,
		bytes: window_length(DispatchClass::Operational) / 4,
		weight: window_weight(DispatchClass::Operational) / 4,
	};
}

/// A window's room for `class`: ordinary transactions' share of the blocks (75 %), or the
/// operational reserve (the other 25 %).
fn window_weight(class: DispatchClass) -> u64 {
	let weights = RuntimeBlockWeights::get();
	let normal = weights.get(DispatchClass::Normal).max_total.unwrap_or(weights.max_block);
	let per_block = match class {
		DispatchClass::Normal => normal,
		_ => weights.max_block.saturating_sub(normal),
	};
	per_block.ref_time().saturating_mul(WINDOW.into())
}

/// A window's bytes for `class`, as [`window_weight`].
fn window_length(class: DispatchClass) -> u32 {
	let length = RuntimeBlockLength::get();
	let normal = *length.max.get(DispatchClass::Normal);
	let per_block = match class {
		DispatchClass::Normal => normal,
		_ => length.max.get(DispatchClass::Operational).saturating_sub(normal),
	};
	per_block.saturating_mul(WINDOW)
}

#[cfg(feature = "runtime-benchmarks")]
pub struct AdmissionBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_admission::benchmarking::BenchmarkHelper<AccountId, RuntimeCall>
	for AdmissionBenchmarkHelper
{
	/// A guardian of `MAX_WARDS_SEEN` patients whose appointments, in the order the registry
	/// reads them, have all expired but the last: it is looked up through every registry, its
	/// wards' appointments are read to the last, and its ward's three budgets (the patient, the
	/// organisation's patients, all patients) are read and written.
	fn admitted_worst_case() -> (AccountId, RuntimeCall) {
		use medchain_primitives::{benchmarking::BenchmarkWorld as _, OrganisationKind, Role};
		let enroller: AccountId = frame_benchmarking::account("enroller", 0, 0);
		let organisation = crate::benchmarks::BenchmarkWorld::make_active_practitioner(
			&enroller,
			OrganisationKind::Hospital,
			Role::Physician,
		);
		let guardian: AccountId = frame_benchmarking::account("guardian", 0, 0);
		for i in 0..pallet_patients::MAX_WARDS_SEEN {
			let controller: AccountId = frame_benchmarking::account("ward", i, 0);
			let ward = crate::benchmarks::BenchmarkWorld::make_patient(&controller, organisation);
			Patients::add_guardian(
				crate::RuntimeOrigin::signed(controller),
				ward,
				guardian.clone(),
				Default::default(),
				None,
			)
			.expect("benchmark set-up: a patient appoints a guardian");
		}
		let now = Timestamp::now();
		let wards: alloc::vec::Vec<_> =
			pallet_patients::GuardianOf::<Runtime>::iter_key_prefix(&guardian).collect();
		for ward in wards.iter().take(wards.len().saturating_sub(1)) {
			pallet_patients::Guardians::<Runtime>::mutate(ward, &guardian, |appointment| {
				if let Some(appointment) = appointment {
					appointment.valid_until = Some(now);
				}
			});
		}
		let call = RuntimeCall::Patients(pallet_patients::Call::cancel_recovery {});
		(guardian, call)
	}
}

impl pallet_admission::Config for Runtime {
	type Admit = AdmissionRule;
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
	type WeightInfo = pallet_admission::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AdmissionBenchmarkHelper;
}
