//! The runtime's benchmarks: every pallet whose calls or hooks users reach, measured in this
//! runtime (its real configuration and the real pallets behind each trait), and the
//! transaction extensions, medchain's admission check included.
//!
//! `scripts/bench.sh` runs them with `frame-omni-bencher` and writes each pallet's `weights.rs`
//! (medchain's pallets) or `runtime/src/weights/<pallet>.rs` (polkadot-sdk's). Three
//! polkadot-sdk pallets have no benchmarks of their calls that run outside a staking runtime,
//! or none that produce their `WeightInfo`, so they are measured by benchmarks of medchain's
//! own, in [`node_authorization`], [`session`] and [`grandpa`] (an equivocation report, whole,
//! and a stalled finality's reset). Not here, and why: `pallet_aura`, `pallet_authorship` and
//! `pallet_offences` have no calls a transaction reaches (an offence's handling is measured
//! inside the equivocation report that makes it). `pallet_collective`'s benchmarks make motions
//! of remarks up to 1 024 bytes and pass one with abstentions counted as the prime's vote: a
//! benchmarking build of the runtime allows both (`configs/system.rs::MAX_REMARK_LEN`,
//! `configs/governance.rs`), never a build a node runs.

mod grandpa;
mod node_authorization;
mod session;

pub(crate) use grandpa::Pallet as GrandpaBench;
pub(crate) use node_authorization::Pallet as NodeAuthorizationBench;
pub(crate) use session::Pallet as SessionBench;

use medchain_primitives::{
	Category, ConsentRef, Moment, OrganisationId, OrganisationKind, PatientId, RecordId, Role,
};

use crate::{AccountId, Consent, Patients, Providers, Records, Runtime};

frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_timestamp, Timestamp]
	[pallet_balances, Balances]
	[pallet_sudo, Sudo]
	[pallet_membership, CouncilMembership]
	[pallet_collective, Council]
	[pallet_admission, Admission]
	[pallet_providers, Providers]
	[pallet_patients, Patients]
	[pallet_consent, Consent]
	[pallet_records, Records]
	[pallet_audit, Audit]
	[pallet_validator_set, ValidatorSet]
	[pallet_upgrades, Upgrades]
	[pallet_node_authorization, NodeAuthorizationBench::<Runtime>]
	[pallet_session, SessionBench::<Runtime>]
	[pallet_grandpa, GrandpaBench::<Runtime>]
);

/// The state the runtime's own benchmarks run on in tests (`impl_benchmark_test_suite!` in
/// [`grandpa`], [`node_authorization`], [`session`]): the `development` preset, as
/// `scripts/bench.sh` runs them, with a keystore for the keys they make.
#[cfg(test)]
pub(crate) fn new_test_ext() -> sp_io::TestExternalities {
	let mut ext = crate::tests::build_preset(sp_genesis_builder::DEV_RUNTIME_PRESET);
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext
}

// frame_system's benchmarks with their default set-up.
impl frame_system_benchmarking::Config for crate::Runtime {}

/// What medchain's pallets' benchmarks ask of the world (`Config::BenchmarkHelper` of patients,
/// consent, records and audit): built in the real pallets, by each owning pallet's benchmark
/// constructor, so that the weights include the real decision and storage.
pub struct BenchmarkWorld;

impl medchain_primitives::benchmarking::BenchmarkWorld<AccountId> for BenchmarkWorld {
	fn make_active_practitioner(
		who: &AccountId,
		kind: OrganisationKind,
		role: Role,
	) -> OrganisationId {
		Providers::make_active_practitioner(who, kind, role)
	}

	fn make_patient(controller: &AccountId, organisation: OrganisationId) -> PatientId {
		Patients::make_patient(controller, organisation)
	}

	fn make_worst_case_access(
		patient: PatientId,
		accessor: &AccountId,
		grants_read: u32,
	) -> ConsentRef {
		Consent::make_worst_case_access(patient, accessor, grants_read)
	}

	fn make_record(patient: PatientId, category: Category) -> RecordId {
		Records::make_record(patient, category)
	}

	/// pallet-timestamp's clock, set directly (no inherent, no slot check).
	fn set_time(now: Moment) {
		pallet_timestamp::Now::<Runtime>::put(now);
	}
}

/// The key type of the benchmarks' signing keys (never a session key's).
const BENCH_KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"bnch");

/// Attestations signed with sr25519 keys generated in the benchmark's keystore (the benchmark
/// CLI and `new_test_ext` register one), as a reader's or writer's wallet signs them.
impl medchain_primitives::benchmarking::BenchmarkSigner<AccountId, crate::Signature>
	for BenchmarkWorld
{
	fn signer(i: u32) -> AccountId {
		let seed = alloc::format!("//medchain-benchmark-signer-{i}");
		let public = sp_io::crypto::sr25519_generate(BENCH_KEY_TYPE, Some(seed.into_bytes()));
		AccountId::from(public)
	}

	fn sign(who: &AccountId, payload: &[u8]) -> crate::Signature {
		let raw: [u8; 32] = *who.as_ref();
		let public = sp_core::sr25519::Public::from_raw(raw);
		let signature = sp_io::crypto::sr25519_sign(BENCH_KEY_TYPE, &public, payload)
			.expect("benchmark set-up: the signer's key is in the keystore");
		crate::Signature::Sr25519(signature)
	}
}
