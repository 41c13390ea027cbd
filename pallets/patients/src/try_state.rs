//! Invariants of the patients pallet, checked by `try-runtime` and after every test.
//!
//! - `PatientOf` and `Patients` agree both ways: each patient's controller maps back to it,
//!   and each controller entry names a patient with that controller (so a rotated key maps
//!   back to one patient, and the old key to none);
//! - each identity commitment maps to the patient that holds it, and every patient's
//!   commitment is indexed;
//! - each patient's guardian count equals its guardians and is within `MaxGuardians`; no
//!   guardian is the patient's own controller; guardians belong to enrolled patients;
//! - a guardian appointed by a guardian names a guardian of the same patient, and carries no
//!   recovery power;
//! - each account's `WardsOf` counts exactly its guardianships, and its `until` is no earlier
//!   than any of them ends;
//! - stored category sets carry no unknown bit;
//! - a pending recovery belongs to an enrolled patient, has at least one vote, and each vote
//!   is by a guardian of the patient;
//! - every patient id is below `NextPatientId`.
//!
//! These iterate over whole maps: for try-runtime and tests only, never in a call or hook.

use alloc::collections::btree_map::BTreeMap;

use frame::deps::sp_runtime::TryRuntimeError;
use frame::prelude::*;

use crate::{
	Config, GuardianOf, Guardians, IdentityCommitments, NextPatientId, Pallet, PatientOf, Patients,
	PendingRecoveries, WardsOf,
};

impl<T: Config> Pallet<T> {
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next = NextPatientId::<T>::get();
		for (id, patient) in Patients::<T>::iter() {
			ensure!(id < next, "a patient id is not below NextPatientId");
			ensure!(
				PatientOf::<T>::get(&patient.controller) == Some(id),
				"a patient's controller does not map back to it"
			);
			ensure!(
				IdentityCommitments::<T>::get(patient.identity_commitment) == Some(id),
				"a patient's identity commitment is not indexed to it"
			);
			ensure!(
				patient.guardians <= T::MaxGuardians::get(),
				"more guardians than MaxGuardians"
			);
			ensure!(
				!Guardians::<T>::contains_key(id, &patient.controller),
				"a patient's controller is its own guardian"
			);
			ensure!(
				patient.emergency_policy.categories.is_known(),
				"an emergency policy names an unknown category"
			);
		}
		for (controller, id) in PatientOf::<T>::iter() {
			ensure!(
				Patients::<T>::get(id).map(|p| p.controller) == Some(controller),
				"a controller entry names a patient with another controller"
			);
		}
		for (commitment, id) in IdentityCommitments::<T>::iter() {
			ensure!(
				Patients::<T>::get(id).map(|p| p.identity_commitment) == Some(commitment),
				"an identity commitment names a patient with another commitment"
			);
		}
		let mut counted: BTreeMap<u64, u32> = BTreeMap::new();
		let mut wards: BTreeMap<T::AccountId, (u32, Option<u64>)> = BTreeMap::new();
		for (id, guardian, appointment) in Guardians::<T>::iter() {
			ensure!(
				GuardianOf::<T>::contains_key(&guardian, id),
				"a guardian is missing from GuardianOf"
			);
			ensure!(appointment.scope.is_known(), "a guardian's scope names an unknown category");
			if let Some(appointer) = &appointment.appointed_by {
				ensure!(
					Guardians::<T>::contains_key(id, appointer),
					"a guardian outlived the guardian that appointed it"
				);
				ensure!(!appointment.scope.may_recover, "a guardian handed on recovery power");
			}
			let entry = wards.entry(guardian).or_insert((0, Some(0)));
			entry.0 = entry.0.saturating_add(1);
			entry.1 = entry.1.zip(appointment.valid_until).map(|(a, b)| a.max(b));
		}
		for (guardian, summary) in WardsOf::<T>::iter() {
			let (count, until) = wards.get(&guardian).copied().unwrap_or((0, Some(0)));
			ensure!(summary.count == count && count > 0, "WardsOf miscounts a guardian's patients");
			let covers = match (summary.until, until) {
				(None, _) => true,
				(Some(_), None) => false,
				(Some(a), Some(b)) => a >= b,
			};
			ensure!(covers, "WardsOf ends before one of the guardian's appointments");
		}
		ensure!(
			wards.keys().all(|guardian| WardsOf::<T>::contains_key(guardian)),
			"a guardian is missing from WardsOf"
		);
		for (guardian, id, ()) in GuardianOf::<T>::iter() {
			ensure!(
				Guardians::<T>::contains_key(id, &guardian),
				"GuardianOf names a guardianship that does not exist"
			);
		}
		for (id, _, _) in Guardians::<T>::iter() {
			let n = counted.entry(id).or_default();
			*n = n.checked_add(1).ok_or("guardian count overflows")?;
		}
		for (id, n) in &counted {
			ensure!(
				Patients::<T>::get(id).map(|p| p.guardians) == Some(*n),
				"a patient's guardian count differs from its guardians (or it is not enrolled)"
			);
		}
		for (id, patient) in Patients::<T>::iter() {
			ensure!(
				patient.guardians == counted.get(&id).copied().unwrap_or(0),
				"a patient's guardian count differs from its guardians"
			);
		}
		for (id, pending) in PendingRecoveries::<T>::iter() {
			ensure!(Patients::<T>::contains_key(id), "a pending recovery of an unknown patient");
			ensure!(!pending.votes.is_empty(), "a pending recovery without votes");
			ensure!(
				pending.votes.iter().all(|(voter, _)| Guardians::<T>::contains_key(id, voter)),
				"a recovery vote of an account that is not the patient's guardian"
			);
		}
		Ok(())
	}
}
