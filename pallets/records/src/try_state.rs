//! Invariants of the records pallet, checked by `try-runtime` and after every test.
//!
//! - every record's patient is enrolled, and the record is in that patient's index;
//! - every index entry names a record of that patient;
//! - every record id is below `NextRecordId`, every batch id below `NextBatchId`;
//! - versions are linked both ways: a `Superseded` record has a successor, every successor
//!   link is answered by the successor's `supersedes`, and every `supersedes` link by the
//!   predecessor's `superseded_by` — unless the amendment was entered in error (its
//!   predecessor was restored, and may have been amended again), and possibly erased since;
//!   versions share patient and category;
//! - an erased record keeps no locator (all zeros); no content hash is all zeros;
//! - a batch holds 1 to `MaxBatchSize` records.
//!
//! These iterate over whole maps: for try-runtime and tests only, never in a call or hook.

use frame::deps::sp_runtime::TryRuntimeError;
use frame::prelude::*;
use medchain_primitives::{PatientRegistry, RecordStatus};

use crate::{Anchors, Batches, Config, NextBatchId, NextRecordId, Pallet, PatientRecords};

impl<T: Config> Pallet<T> {
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next = NextRecordId::<T>::get();
		for (id, record) in Anchors::<T>::iter() {
			ensure!(id < next, "a record id is not below NextRecordId");
			ensure!(T::Patients::is_enrolled(record.patient), "a record's patient is not enrolled");
			ensure!(
				PatientRecords::<T>::contains_key(record.patient, id),
				"a record is missing from its patient's index"
			);
			if record.status == RecordStatus::Superseded {
				ensure!(record.superseded_by.is_some(), "a superseded record has no successor");
			}
			if let Some(successor) = record.superseded_by {
				let newer =
					Anchors::<T>::get(successor).ok_or("a record's successor does not exist")?;
				ensure!(
					newer.supersedes == Some(id),
					"a successor does not point back to its predecessor"
				);
				ensure!(
					newer.patient == record.patient && newer.category == record.category,
					"two versions of a record differ in patient or category"
				);
			}
			if let Some(predecessor) = record.supersedes {
				let older = Anchors::<T>::get(predecessor)
					.ok_or("a record's predecessor does not exist")?;
				// An amendment entered in error gave its predecessor back its place, which may
				// have been amended again since; it may have been erased after that.
				ensure!(
					older.superseded_by == Some(id)
						|| matches!(
							record.status,
							RecordStatus::EnteredInError | RecordStatus::Erased
						),
					"a predecessor does not point to its successor"
				);
			}
			if record.status == RecordStatus::Erased {
				ensure!(record.locator.is_zero(), "an erased record keeps its locator");
			}
			ensure!(!record.content_hash.is_zero(), "a record's content hash is all zeros");
		}
		for (patient, id, ()) in PatientRecords::<T>::iter() {
			let record = Anchors::<T>::get(id).ok_or("an indexed record does not exist")?;
			ensure!(record.patient == patient, "a record is indexed under another patient");
		}
		let next_batch = NextBatchId::<T>::get();
		for (id, batch) in Batches::<T>::iter() {
			ensure!(id < next_batch, "a batch id is not below NextBatchId");
			ensure!(
				batch.count > 0 && batch.count <= T::MaxBatchSize::get(),
				"a batch's count is out of bounds"
			);
		}
		Ok(())
	}
}
