//! Benchmarks of pallet-records (FRAME benchmarking v2), each at the worst case of its bounds.
//! In a runtime they include what the call does through other pallets: a practitioner's
//! anchor or amendment pays the consent decision at its most expensive for the `g` grants it
//! reads (every deny rule examined, `g` grants that do not permit it, then the practitioner's
//! open emergency access, which does), and every call its audit entry.

// Set-up code, never on a chain's dispatch path: it may compute freely.
#![allow(clippy::arithmetic_side_effects)]
#![cfg(feature = "runtime-benchmarks")]

use frame::benchmarking::prelude::*;
use medchain_primitives::benchmarking::{BenchmarkSigner, BenchmarkWorld};
use medchain_primitives::{
	attestation::{EraseAttestation, WriteAttestation},
	OrganisationKind, Role,
};

/// A time late enough for attestations (the runtime's clock stands at 0 at genesis).
const NOW: Moment = 1_800_000_000_000;

/// The relaying gateway's key: a practitioner (role Admin) of the writers' hospital.
fn relayer<T: Config>() -> T::AccountId {
	let relayer: T::AccountId = account("gateway", 0, 0);
	T::BenchmarkHelper::make_active_practitioner(&relayer, OrganisationKind::Hospital, Role::Admin);
	relayer
}

fn nonce(i: u32) -> [u8; 16] {
	let mut nonce = [0u8; 16];
	nonce[..4].copy_from_slice(&i.to_le_bytes());
	nonce
}

use crate::*;

fn assert_last_event<T: Config>(event: Event<T>) {
	let event: <T as frame_system::Config>::RuntimeEvent = event.into();
	frame_system::Pallet::<T>::assert_last_event(event);
}

/// The purpose every benchmark anchors for: the one whose decision reads the most.
const PURPOSE: Purpose = Purpose::Emergency;

/// An enrolled patient (and its controller), and a hospital physician the consent decision
/// permits to Append at the highest cost for `grants_read` grants read.
fn world<T: Config>(grants_read: u32) -> (PatientId, T::AccountId, T::AccountId, OrganisationId) {
	let practitioner: T::AccountId = account("practitioner", 0, 0);
	let organisation = T::BenchmarkHelper::make_active_practitioner(
		&practitioner,
		OrganisationKind::Hospital,
		Role::Physician,
	);
	let controller: T::AccountId = account("patient", 0, 0);
	let patient = T::BenchmarkHelper::make_patient(&controller, organisation);
	T::BenchmarkHelper::make_worst_case_access(patient, &practitioner, grants_read);
	(patient, controller, practitioner, organisation)
}

fn locator() -> Locator {
	Locator::repeat_byte(7)
}

/// A lab result of `patient` for [`Pallet::anchor_many`], under `basis`.
fn new_record(patient: PatientId, basis: Option<ConsentRef>) -> NewRecord {
	NewRecord {
		patient,
		category: Category::LabResults,
		purpose: PURPOSE,
		content_hash: Hash32::repeat_byte(2),
		locator: locator(),
		basis,
	}
}

fn anchored<T: Config>(patient: PatientId, by: &T::AccountId) -> RecordId {
	let record_id = NextRecordId::<T>::get();
	Pallet::<T>::anchor(
		RawOrigin::Signed(by.clone()).into(),
		patient,
		Category::LabResults,
		PURPOSE,
		Hash32::repeat_byte(1),
		locator(),
	)
	.expect("benchmark set-up: anchor");
	record_id
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `g`: the grants the consent decision reads.
	#[benchmark]
	fn anchor(g: Linear<0, { T::Policy::max_grants_read() }>) {
		let (patient, _, practitioner, organisation) = world::<T>(g);
		let record_id = NextRecordId::<T>::get();
		let content_hash = Hash32::repeat_byte(2);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(practitioner.clone()),
			patient,
			Category::LabResults,
			PURPOSE,
			content_hash,
			locator(),
		);

		assert_last_event::<T>(Event::RecordAnchored {
			record_id,
			patient,
			content_hash,
			author: practitioner,
			author_org: Some(organisation),
		});
	}

	/// The patient anchors its own record: no consent decision.
	#[benchmark]
	fn anchor_by_patient() {
		let (patient, controller, _, _) = world::<T>(0);
		let record_id = NextRecordId::<T>::get();
		let content_hash = Hash32::repeat_byte(2);

		#[extrinsic_call]
		anchor(
			RawOrigin::Signed(controller.clone()),
			patient,
			Category::LabResults,
			PURPOSE,
			content_hash,
			locator(),
		);

		assert_last_event::<T>(Event::RecordAnchored {
			record_id,
			patient,
			content_hash,
			author: controller,
			author_org: None,
		});
	}

	/// `g`: the grants the consent decision reads.
	#[benchmark]
	fn amend(g: Linear<0, { T::Policy::max_grants_read() }>) {
		let (patient, _, practitioner, _) = world::<T>(g);
		let old = anchored::<T>(patient, &practitioner);
		let content_hash = Hash32::repeat_byte(3);

		#[extrinsic_call]
		_(RawOrigin::Signed(practitioner.clone()), old, content_hash, locator());

		assert_last_event::<T>(Event::RecordAmended {
			record_id: old + 1,
			supersedes: old,
			patient,
			content_hash,
			author: practitioner,
		});
	}

	/// The patient amends its own record: no consent decision.
	#[benchmark]
	fn amend_by_patient() {
		let (patient, controller, _, _) = world::<T>(0);
		let old = anchored::<T>(patient, &controller);
		let content_hash = Hash32::repeat_byte(3);

		#[extrinsic_call]
		amend(RawOrigin::Signed(controller.clone()), old, content_hash, locator());

		assert_last_event::<T>(Event::RecordAmended {
			record_id: old + 1,
			supersedes: old,
			patient,
			content_hash,
			author: controller,
		});
	}

	/// An amendment entered in error: the version it replaced is restored too.
	#[benchmark]
	fn mark_entered_in_error() {
		let (patient, _, practitioner, _) = world::<T>(0);
		let original = anchored::<T>(patient, &practitioner);
		Pallet::<T>::amend(
			RawOrigin::Signed(practitioner.clone()).into(),
			original,
			Hash32::repeat_byte(5),
			locator(),
		)
		.expect("benchmark set-up: amend");
		let record_id = original + 1;

		#[extrinsic_call]
		_(RawOrigin::Signed(practitioner.clone()), record_id);

		assert_last_event::<T>(Event::RecordEnteredInError {
			record_id,
			patient,
			by: practitioner,
		});
		assert_eq!(Anchors::<T>::get(original).map(|a| a.status), Some(RecordStatus::Current));
	}

	#[benchmark]
	fn erase() {
		let (patient, _, practitioner, _) = world::<T>(0);
		let record_id = anchored::<T>(patient, &practitioner);

		#[extrinsic_call]
		_(RawOrigin::Signed(practitioner.clone()), record_id);

		assert_last_event::<T>(Event::RecordErased { record_id, patient, by: practitioner });
	}

	#[benchmark]
	fn anchor_batch() {
		let (_, _, practitioner, organisation) = world::<T>(0);
		let merkle_root = Hash32::repeat_byte(4);
		let count = T::MaxBatchSize::get();
		let batch_id = NextBatchId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(practitioner.clone()), merkle_root, count, Category::LabResults);

		assert_last_event::<T>(Event::BatchAnchored {
			batch_id,
			organisation,
			category: Category::LabResults,
			merkle_root,
			count,
			author: practitioner,
		});
	}

	/// `n`: the records. A practitioner anchors one record for each of `n` patients (each an
	/// audit trail and an index of its own), each under the basis it names, each check at its
	/// costliest: every deny rule of its patient examined, then the practitioner's open
	/// emergency access, which permits it.
	#[benchmark]
	fn anchor_many(n: Linear<1, { T::MaxAnchorsPerCall::get() }>) {
		let practitioner: T::AccountId = account("practitioner", 0, 0);
		let organisation = T::BenchmarkHelper::make_active_practitioner(
			&practitioner,
			OrganisationKind::Hospital,
			Role::Physician,
		);
		let records: Vec<NewRecord> = (0..n)
			.map(|i| {
				let patient =
					T::BenchmarkHelper::make_patient(&account("patient", i, 0), organisation);
				let basis = T::BenchmarkHelper::make_worst_case_access(patient, &practitioner, 0);
				new_record(patient, Some(basis))
			})
			.collect();
		let last = records.last().map(|r| r.patient).expect("n is at least 1");
		let records = BoundedVec::try_from(records).expect("n is within MaxAnchorsPerCall");
		let first = NextRecordId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(practitioner.clone()), records);

		assert_eq!(NextRecordId::<T>::get(), first + RecordId::from(n));
		assert_last_event::<T>(Event::RecordAnchored {
			record_id: first + RecordId::from(n) - 1,
			patient: last,
			content_hash: Hash32::repeat_byte(2),
			author: practitioner,
			author_org: Some(organisation),
		});
	}

	/// `n`: the records. The patient anchors `n` records of its own: no consent check. At most
	/// what a patient may anchor itself in a period: a larger call fails, and changes nothing.
	#[benchmark]
	fn anchor_many_by_patient(
		n: Linear<1, { T::MaxAnchorsPerCall::get().min(T::MaxSelfAnchorsPerPeriod::get()) }>,
	) {
		let (patient, controller, _, _) = world::<T>(0);
		let records = BoundedVec::try_from(alloc::vec![new_record(patient, None); n as usize])
			.expect("n is within MaxAnchorsPerCall");
		let first = NextRecordId::<T>::get();

		#[extrinsic_call]
		anchor_many(RawOrigin::Signed(controller.clone()), records);

		assert_eq!(NextRecordId::<T>::get(), first + RecordId::from(n));
		assert_last_event::<T>(Event::RecordAnchored {
			record_id: first + RecordId::from(n) - 1,
			patient,
			content_hash: Hash32::repeat_byte(2),
			author: controller,
			author_org: None,
		});
	}

	/// `n` writes relayed, each the amendment of a record of another patient (the costlier
	/// path: the old version read and rewritten), each its writer's signature checked and its
	/// consent check at its costliest under its basis.
	#[benchmark]
	fn anchor_attested(n: Linear<1, { T::MaxAttestedWritesPerCall::get() }>) {
		T::BenchmarkHelper::set_time(NOW);
		let writer = T::BenchmarkSigner::signer(0);
		let organisation = T::BenchmarkHelper::make_active_practitioner(
			&writer,
			OrganisationKind::Hospital,
			Role::Physician,
		);
		let relayer = relayer::<T>();
		let genesis = Pallet::<T>::genesis();
		let writes: Vec<AttestedWrite<T::AccountId, T::Signature>> = (0..n)
			.map(|i| {
				let patient =
					T::BenchmarkHelper::make_patient(&account("patient", i, 0), organisation);
				let basis = T::BenchmarkHelper::make_worst_case_access(patient, &writer, 0);
				let old = anchored::<T>(patient, &writer);
				let attestation = WriteAttestation {
					writer: writer.clone(),
					patient,
					category: Category::LabResults,
					purpose: PURPOSE,
					content_hash: Hash32::repeat_byte(3),
					supersedes: Some(old),
					created: NOW,
					nonce: nonce(i),
				};
				let signature = T::BenchmarkSigner::sign(&writer, &attestation.payload(&genesis));
				AttestedWrite { attestation, signature, locator: locator(), basis: Some(basis) }
			})
			.collect();
		let writes = BoundedVec::try_from(writes).expect("n is within MaxAttestedWritesPerCall");
		let first = NextRecordId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(relayer), writes);

		assert_eq!(NextRecordId::<T>::get(), first + RecordId::from(n));
	}

	/// `n` erasures relayed, each of a record of another patient by its author.
	#[benchmark]
	fn erase_attested(n: Linear<1, { T::MaxAttestedWritesPerCall::get() }>) {
		T::BenchmarkHelper::set_time(NOW);
		let writer = T::BenchmarkSigner::signer(0);
		let organisation = T::BenchmarkHelper::make_active_practitioner(
			&writer,
			OrganisationKind::Hospital,
			Role::Physician,
		);
		let relayer = relayer::<T>();
		let genesis = Pallet::<T>::genesis();
		let mut records = Vec::new();
		let erasures: Vec<AttestedErase<T::AccountId, T::Signature>> = (0..n)
			.map(|i| {
				let patient =
					T::BenchmarkHelper::make_patient(&account("patient", i, 0), organisation);
				T::BenchmarkHelper::make_worst_case_access(patient, &writer, 0);
				let record = anchored::<T>(patient, &writer);
				records.push(record);
				let attestation =
					EraseAttestation { by: writer.clone(), record, created: NOW, nonce: nonce(i) };
				let signature = T::BenchmarkSigner::sign(&writer, &attestation.payload(&genesis));
				AttestedErase { attestation, signature }
			})
			.collect();
		let erasures =
			BoundedVec::try_from(erasures).expect("n is within MaxAttestedWritesPerCall");

		#[extrinsic_call]
		_(RawOrigin::Signed(relayer), erasures);

		for record in records {
			assert_eq!(Anchors::<T>::get(record).map(|a| a.status), Some(RecordStatus::Erased));
		}
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}

/// The set-up other pallets' benchmarks ask for (through the runtime's
/// `medchain_primitives::benchmarking::BenchmarkWorld`).
impl<T: Config> Pallet<T> {
	/// Anchors a record of `category` for `patient`.
	pub fn make_record(patient: PatientId, category: Category) -> RecordId {
		let author = account::<T::AccountId>("author", 0, 0);
		Self::insert(Anchor {
			patient,
			category,
			purpose: Purpose::Treatment,
			content_hash: Hash32::repeat_byte(1),
			author,
			author_org: None,
			created_at: T::Time::now(),
			locator: Locator::repeat_byte(2),
			supersedes: None,
			superseded_by: None,
			status: RecordStatus::Current,
		})
		.unwrap_or_default()
	}
}
