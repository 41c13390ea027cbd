//! Benchmarks of pallet-audit (FRAME benchmarking v2), at the worst case: a trail that exists
//! already, a report naming a record, and a decision under its basis that reads every deny
//! rule and ends in a refusal (the report is recorded and flagged: one event more). In a
//! runtime they include the consent decision.

// Set-up code, never on a chain's dispatch path: it may compute freely.
#![allow(clippy::arithmetic_side_effects)]
#![cfg(feature = "runtime-benchmarks")]

use alloc::vec::Vec;
use frame::benchmarking::prelude::*;
use medchain_primitives::benchmarking::BenchmarkWorld;
use medchain_primitives::{
	Categories, Category, ConsentRef, OrganisationKind, Purpose, Purposes, Role,
};

use crate::*;

/// An enrolled patient with one entry in its trail, a hospital physician holding an open
/// emergency access to it (behind full grant indexes and deny rules), and a record of the
/// patient's lab results. Reported for the purpose Treatment, the access permits nothing.
fn world<T: Config>() -> (PatientId, T::AccountId, ConsentRef, medchain_primitives::RecordId) {
	let (practitioner, organisation) = physician::<T>();
	let (patient, basis, record) = patient_of::<T>(0, &practitioner, organisation);
	(patient, practitioner, basis, record)
}

/// A hospital physician, and its organisation.
fn physician<T: Config>() -> (T::AccountId, OrganisationId) {
	let practitioner: T::AccountId = account("practitioner", 0, 0);
	let organisation = T::BenchmarkHelper::make_active_practitioner(
		&practitioner,
		OrganisationKind::Hospital,
		Role::Physician,
	);
	(practitioner, organisation)
}

/// Patient `i` of `organisation` with one entry in its trail, `practitioner`'s open emergency
/// access to it (behind full grant indexes and deny rules), and a record of its lab results.
fn patient_of<T: Config>(
	i: u32,
	practitioner: &T::AccountId,
	organisation: OrganisationId,
) -> (PatientId, ConsentRef, medchain_primitives::RecordId) {
	let controller: T::AccountId = account("patient", i, 0);
	let patient = T::BenchmarkHelper::make_patient(&controller, organisation);
	// A report reads its basis only, not the grant indexes.
	let basis = T::BenchmarkHelper::make_worst_case_access(patient, practitioner, 0);
	let record = T::BenchmarkHelper::make_record(patient, Category::LabResults);
	Pallet::<T>::append(event::<T>(patient, practitioner)).expect("benchmark set-up: first entry");
	(patient, basis, record)
}

fn event<T: Config>(patient: PatientId, actor: &T::AccountId) -> AuditEvent<T::AccountId> {
	AuditEvent {
		patient,
		action: AuditAction::RecordAnchored,
		actor: Agent::Account(actor.clone()),
		organisation: Some(0),
		categories: Categories::ALL,
		purposes: Purposes::ALL,
		outcome: AuditOutcome::Success,
		record: Some(0),
		consent: Some(ConsentRef::Grant(0)),
		subject: Some(actor.clone()),
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// One trail head of the old (v0, 40-byte) layout rewritten by the background migration,
	/// and the end of the pass (the next key read finds nothing, the cursor is removed, the
	/// event emitted): an upper bound for each head of a longer pass.
	#[benchmark]
	fn rewrite_trail() {
		let (patient, ..) = world::<T>();
		let head = Trails::<T>::get(patient);
		let key = Trails::<T>::hashed_key_for(patient);
		frame::deps::frame_support::storage::unhashed::put_raw(&key, &head.encode()[..40]);
		TrailsToRewrite::<T>::put(RewriteCursor::Start);
		let mut meter = frame::deps::frame_support::weights::WeightMeter::new();

		#[block]
		{
			Pallet::<T>::rewrite_trails(&mut meter);
		}

		assert!(Pallet::<T>::head_is_current(patient));
		assert!(!TrailsToRewrite::<T>::exists());
	}

	#[benchmark]
	fn record() {
		let (patient, practitioner, _, _) = world::<T>();
		let event = event::<T>(patient, &practitioner);

		#[block]
		{
			<Pallet<T> as AuditSink<T::AccountId>>::record(event).expect("appends");
		}

		assert_eq!(Trails::<T>::get(patient).last_seq, 2);
	}

	#[benchmark]
	fn report_access() {
		let (patient, practitioner, basis, record_id) = world::<T>();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(practitioner),
			patient,
			Category::LabResults,
			Purpose::Treatment,
			basis,
			Some(record_id),
		);

		assert_eq!(Trails::<T>::get(patient).last_seq, 2);
	}

	/// `n` reports, each of another patient (each a trail, a record and a basis of its own).
	#[benchmark]
	fn report_access_batch(n: Linear<1, { T::MaxReportsPerBatch::get() }>) {
		let (practitioner, organisation) = physician::<T>();
		let reports: Vec<AccessReport> = (0..n)
			.map(|i| {
				let (patient, basis, record_id) = patient_of::<T>(i, &practitioner, organisation);
				AccessReport {
					patient,
					category: Category::LabResults,
					purpose: Purpose::Treatment,
					basis,
					record: Some(record_id),
				}
			})
			.collect();
		let patients: Vec<PatientId> = reports.iter().map(|r| r.patient).collect();
		let reports = BoundedVec::try_from(reports).expect("n is within MaxReportsPerBatch");

		#[extrinsic_call]
		_(RawOrigin::Signed(practitioner), reports);

		for patient in patients {
			assert_eq!(Trails::<T>::get(patient).last_seq, 2);
		}
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
