//! What medchain's pallets' benchmarks ask of the world around them: one trait, the type of
//! each pallet's `Config::BenchmarkHelper`.
//!
//! A benchmark of one pallet needs state another pallet owns (an active practitioner, an
//! enrolled patient, an access at the consent decision's worst case, an anchored record) or a
//! clock it can set. The pallets meet only through the traits of this crate, so that state is
//! built by whoever has every pallet: the runtime, whose implementation calls each owning
//! pallet's `#[cfg(feature = "runtime-benchmarks")]` constructor, and the shared test world
//! ([`crate::testing::MockBenchmarkWorld`]), when the benchmarks run as tests. The production
//! traits ([`crate::ProviderRegistry`], [`crate::PatientRegistry`], [`crate::AccessPolicy`],
//! [`crate::RecordRegistry`]) carry no benchmark code.
//!
//! Pallets whose benchmarks need something outside medchain's domain (session keys, an account
//! admission lets in) have a `BenchmarkHelper` trait of their own: the same idiom, a
//! narrower trait.

use crate::{
	Category, ConsentRef, Moment, OrganisationId, OrganisationKind, PatientId, RecordId, Role,
};

/// The set-up a benchmark of a medchain pallet may ask for.
pub trait BenchmarkWorld<AccountId> {
	/// Makes `who` an active practitioner (with `role`) of an organisation of `kind`, and
	/// returns that organisation.
	fn make_active_practitioner(
		who: &AccountId,
		kind: OrganisationKind,
		role: Role,
	) -> OrganisationId;

	/// Enrols a patient controlled by `controller`, enrolled by `organisation`, and returns its
	/// id.
	fn make_patient(controller: &AccountId, organisation: OrganisationId) -> PatientId;

	/// Makes the consent decision on `accessor` (a clinician of a hospital or clinic) reading or
	/// appending any category of `patient`'s data for the purpose Emergency a permit at the
	/// highest cost for `grants_read` grants (at most [`crate::AccessPolicy::max_grants_read`]):
	/// every deny rule of the patient examined (none applies), `grants_read` grants naming the
	/// accessor or its organisation that do not cover the purpose, then the open emergency
	/// access the accessor holds, which permits it. Returns that access.
	fn make_worst_case_access(
		patient: PatientId,
		accessor: &AccountId,
		grants_read: u32,
	) -> ConsentRef;

	/// Anchors a record of `category` for `patient`, and returns its id.
	fn make_record(patient: PatientId, category: Category) -> RecordId;

	/// Sets the chain's clock (the pallets' `Config::Time`) to `now`: the runtime's stands at 0
	/// at genesis, where nothing has ended long enough to be cleaned up.
	fn set_time(now: Moment);
}

/// Keys that sign attestations in benchmarks (a reader's access ticket, a writer's
/// attestation): the runtime's are sr25519 keys generated in the benchmark's keystore, the test
/// world's sign with `sp_runtime::testing::TestSignature`.
pub trait BenchmarkSigner<AccountId, Signature> {
	/// Account number `i`, whose key signs.
	fn signer(i: u32) -> AccountId;
	/// `who`'s signature of `payload`.
	fn sign(who: &AccountId, payload: &[u8]) -> Signature;
}
