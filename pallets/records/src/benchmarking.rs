//! Benchmarks of pallet-records (FRAME benchmarking v2), each at the worst case of its bounds:
//! a practitioner with an Append grant (so the consent decision runs to a permit).

#![cfg(feature = "runtime-benchmarks")]

use frame::benchmarking::prelude::*;
use medchain_primitives::{Actions, Categories, OrganisationKind, Purposes, Role};

use crate::*;

fn assert_last_event<T: Config>(event: Event<T>) {
	let event: <T as frame_system::Config>::RuntimeEvent = event.into();
	frame_system::Pallet::<T>::assert_last_event(event);
}

/// An enrolled patient, and a lab practitioner it granted Append (and Read) on every category
/// for every purpose.
fn world<T: Config>() -> (PatientId, T::AccountId, OrganisationId) {
	let practitioner: T::AccountId = account("practitioner", 0, 0);
	let organisation =
		T::Providers::make_active_practitioner(&practitioner, OrganisationKind::Lab, Role::LabTechnician);
	let controller: T::AccountId = account("patient", 0, 0);
	let patient = T::Patients::make_patient(&controller, organisation);
	T::Policy::make_grant(
		patient,
		&practitioner,
		Categories::ALL,
		Purposes::ALL,
		Actions::of(&[Action::Read, Action::Append]),
	);
	(patient, practitioner, organisation)
}

fn locator() -> Locator {
	Locator::repeat_byte(7)
}

fn anchored<T: Config>(patient: PatientId, by: &T::AccountId) -> RecordId {
	let record_id = NextRecordId::<T>::get();
	Pallet::<T>::anchor(
		RawOrigin::Signed(by.clone()).into(),
		patient,
		Category::LabResults,
		Purpose::Treatment,
		Hash32::repeat_byte(1),
		locator(),
	)
	.expect("benchmark set-up: anchor");
	record_id
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn anchor() {
		let (patient, practitioner, organisation) = world::<T>();
		let record_id = NextRecordId::<T>::get();
		let content_hash = Hash32::repeat_byte(2);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(practitioner.clone()),
			patient,
			Category::LabResults,
			Purpose::Treatment,
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

	#[benchmark]
	fn amend() {
		let (patient, practitioner, _) = world::<T>();
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

	/// An amendment entered in error: the version it replaced is restored too.
	#[benchmark]
	fn mark_entered_in_error() {
		let (patient, practitioner, _) = world::<T>();
		let original = anchored::<T>(patient, &practitioner);
		Pallet::<T>::amend(RawOrigin::Signed(practitioner.clone()).into(), original, Hash32::repeat_byte(5), locator())
			.expect("benchmark set-up: amend");
		let record_id = original + 1;

		#[extrinsic_call]
		_(RawOrigin::Signed(practitioner.clone()), record_id);

		assert_last_event::<T>(Event::RecordEnteredInError { record_id, patient, by: practitioner });
		assert_eq!(Anchors::<T>::get(original).map(|a| a.status), Some(RecordStatus::Current));
	}

	#[benchmark]
	fn erase() {
		let (patient, practitioner, _) = world::<T>();
		let record_id = anchored::<T>(patient, &practitioner);

		#[extrinsic_call]
		_(RawOrigin::Signed(practitioner.clone()), record_id);

		assert_last_event::<T>(Event::RecordErased { record_id, patient, by: practitioner });
	}

	#[benchmark]
	fn anchor_batch() {
		let (_, practitioner, organisation) = world::<T>();
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

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
