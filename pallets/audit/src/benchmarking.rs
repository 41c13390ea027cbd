//! Benchmarks of pallet-audit (FRAME benchmarking v2), at the worst case: a trail that exists
//! already, a report naming a record, and a decision under its basis that reads every deny
//! rule and ends in a refusal (the report is recorded and flagged: one event more). In a
//! runtime they include the consent decision.

// Set-up code, never on a chain's dispatch path: it may compute freely.
#![allow(clippy::arithmetic_side_effects)]
#![cfg(feature = "runtime-benchmarks")]

use alloc::vec::Vec;
use frame::benchmarking::prelude::*;
use medchain_primitives::benchmarking::{BenchmarkSigner, BenchmarkWorld};
use medchain_primitives::{
	attestation::{AccessTicket, ServedRecord},
	time::MINUTE,
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

	/// `r` reads relayed, each of another patient, each with `s` records served under one
	/// ticket: each ticket's signature checked, each served record reported by the reader
	/// under its basis (re-checked, refused and flagged: the costliest outcome).
	#[benchmark]
	fn report_attested(
		r: Linear<1, { T::MaxAttestedReadsPerCall::get() }>,
		s: Linear<1, { MAX_RECORDS_PER_READ }>,
	) {
		T::BenchmarkHelper::set_time(1_800_000_000_000);
		let reader = T::BenchmarkSigner::signer(0);
		let organisation = T::BenchmarkHelper::make_active_practitioner(
			&reader,
			OrganisationKind::Hospital,
			Role::Physician,
		);
		let relayer: T::AccountId = account("gateway", 0, 0);
		T::BenchmarkHelper::make_active_practitioner(
			&relayer,
			OrganisationKind::Hospital,
			Role::Admin,
		);
		let genesis = Pallet::<T>::genesis();
		let now = T::Time::now();
		let mut patients = Vec::new();
		let reads: Vec<AttestedRead<T::AccountId, T::Signature>> = (0..r)
			.map(|i| {
				let (patient, basis, first) = patient_of::<T>(i, &reader, organisation);
				patients.push(patient);
				let served: Vec<ServedRecord> = (0..s)
					.map(|j| ServedRecord {
						record: if j == 0 {
							first
						} else {
							T::BenchmarkHelper::make_record(patient, Category::LabResults)
						},
						category: Category::LabResults,
						basis: Some(basis),
					})
					.collect();
				let mut nonce = [0u8; 16];
				nonce[..4].copy_from_slice(&i.to_le_bytes());
				let ticket = AccessTicket {
					reader: reader.clone(),
					patient,
					purpose: Purpose::Treatment,
					categories: Categories::ALL,
					record: None,
					created: now,
					expires: now + MINUTE,
					nonce,
				};
				let signature = T::BenchmarkSigner::sign(&reader, &ticket.payload(&genesis));
				AttestedRead {
					ticket,
					signature,
					served: served.try_into().expect("s is within MAX_RECORDS_PER_READ"),
				}
			})
			.collect();
		let reads = BoundedVec::try_from(reads).expect("r is within MaxAttestedReadsPerCall");

		#[extrinsic_call]
		_(RawOrigin::Signed(relayer), reads);

		for patient in patients {
			assert_eq!(Trails::<T>::get(patient).last_seq, 1 + u64::from(s));
		}
	}

	/// `n` used attestations of an hour whose window is over, pruned in one go.
	#[benchmark]
	fn prune_attestations(n: Linear<0, 512>) {
		let hour = 500_000u64;
		for i in 0..n {
			let mut id = [0u8; 32];
			id[..4].copy_from_slice(&(i + 1).to_le_bytes());
			UsedAttestations::<T>::insert(hour, Hash32::from(id), Some(7u64));
		}
		PrunedUntil::<T>::put(hour);
		T::BenchmarkHelper::set_time((hour + 1) * HOUR);
		let mut meter = frame::deps::frame_support::weights::WeightMeter::new();

		#[block]
		{
			Pallet::<T>::prune_attestations(&mut meter);
		}

		assert_eq!(PrunedUntil::<T>::get(), hour + 1);
		assert_eq!(UsedAttestations::<T>::iter_prefix(hour).count(), 0);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
