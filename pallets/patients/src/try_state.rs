//! Invariants of the patients pallet, checked by `try-runtime` and after every test.
//!
//! - `PatientOf` and `Patients` agree both ways: each patient's controller maps back to it,
//!   and each controller entry names a patient with that controller (so a rotated key maps
//!   back to one patient, and the old key to none);
//! - each identity commitment maps to the patient that holds it, and every patient's
//!   commitment is indexed;
//! - each patient's guardian count equals its guardians and is within `MaxGuardians`; no
//!   guardian is the patient's own controller; guardians belong to enrolled patients;
//! - a pending recovery belongs to an enrolled patient and has at least one approval;
//! - every patient id is below `NextPatientId`.
//!
//! These iterate over whole maps: for try-runtime and tests only, never in a call or hook.

use alloc::collections::btree_map::BTreeMap;

use frame::deps::sp_runtime::TryRuntimeError;
use frame::prelude::*;

use crate::{
	Config, GuardianOf, Guardians, IdentityCommitments, NextPatientId, Pallet, PatientOf, Patients,
	PendingRecoveries,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_try_state() -> Result<(), TryRuntimeError> {
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
			ensure!(patient.guardians <= T::MaxGuardians::get(), "more guardians than MaxGuardians");
			ensure!(
				!Guardians::<T>::contains_key(id, &patient.controller),
				"a patient's controller is its own guardian"
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
		for (id, guardian, _) in Guardians::<T>::iter() {
			ensure!(GuardianOf::<T>::contains_key(&guardian, id), "a guardian is missing from GuardianOf");
		}
		for (guardian, id, ()) in GuardianOf::<T>::iter() {
			ensure!(Guardians::<T>::contains_key(id, &guardian), "GuardianOf names a guardianship that does not exist");
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
			ensure!(!pending.approvals.is_empty(), "a pending recovery without approvals");
		}
		Ok(())
	}
}
