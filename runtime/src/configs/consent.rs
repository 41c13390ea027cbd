//! Consent: grants decided against the chain's timestamp, the registries of the providers and
//! patients pallets, governance (the council's 2/3, or Root on dev/local) as a reviewer of emergency accesses, and
//! every change appended to the patient's audit trail.

use frame_support::{parameter_types, traits::ConstU32};
use medchain_primitives::{
	time::{DAY, HOUR},
	Moment,
};

use crate::{Audit, Patients, Providers, Runtime, Timestamp};

parameter_types! {
	/// A grant covers at most two years.
	pub const MaxGrantDuration: Moment = 2 * 365 * DAY;
	/// Ended grants stay readable for 30 days before cleanup.
	pub const GrantRetention: Moment = 30 * DAY;
	/// Break-glass access lasts 24 hours.
	pub const EmergencyAccessDuration: Moment = DAY;
	/// A practitioner opens at most 10 emergency accesses an hour.
	pub const EmergencyRatePeriod: Moment = HOUR;
	/// After an Unjustified review, no break-glass to that patient for 30 days.
	pub const EmergencyBarDuration: Moment = 30 * DAY;
	/// Ended emergency accesses stay on chain 90 days (the time to review them).
	pub const EmergencyRetention: Moment = 90 * DAY;
	/// A practitioner breaks the glass only after a day in its organisation: a key an admin
	/// has just made cannot (security review 2026-12, N-3).
	pub const MinEmergencyTenure: Moment = DAY;
	/// A patient gives at most 100 grants a day (its guardians' included).
	pub const GrantRatePeriod: Moment = DAY;
}

impl pallet_consent::Config for Runtime {
	type Providers = Providers;
	type Patients = Patients;
	type Time = Timestamp;
	/// Grants one patient gives one grantee (ended ones awaiting cleanup included).
	type MaxGrantsPerGrantee = ConstU32<32>;
	type MaxDenyRules = ConstU32<16>;
	type MaxGrantDuration = MaxGrantDuration;
	type GrantRetention = GrantRetention;
	type EmergencyAccessDuration = EmergencyAccessDuration;
	type MaxEmergencyAccessesPerPeriod = ConstU32<10>;
	type EmergencyRatePeriod = EmergencyRatePeriod;
	/// An organisation's practitioners open at most 50 emergency accesses an hour, all
	/// together (a busy emergency department's; the events show each to governance).
	type MaxEmergencyAccessesPerOrganisation = ConstU32<50>;
	type MinEmergencyTenure = MinEmergencyTenure;
	/// At most four accesses open to one patient at once (an emergency team).
	type MaxOpenEmergencyAccessesPerPatient = ConstU32<4>;
	type MaxGrantsPerPeriod = ConstU32<100>;
	type GrantRatePeriod = GrantRatePeriod;
	type EmergencyBarDuration = EmergencyBarDuration;
	type EmergencyRetention = EmergencyRetention;
	type GovernanceOrigin = super::governance::GovernanceOrigin;
	type Audit = Audit;
	type WeightInfo = pallet_consent::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::BenchmarkWorld;
}
