//! What other pallets ask of patients, through [`PatientRegistry`].

use crate::{pallet::*, Patient, MAX_WARDS_SEEN};
use medchain_primitives::{
	EmergencyPolicy, Moment, OrganisationId, PatientActor, PatientId, PatientRegistry,
	PatientStanding,
};

impl<T: Config> Pallet<T> {
	/// The patient `patient`, if enrolled.
	pub fn patient(patient: PatientId) -> Option<Patient<T::AccountId>> {
		Patients::<T>::get(patient)
	}
}

impl<T: Config> PatientRegistry<T::AccountId> for Pallet<T> {
	fn patient_of(who: &T::AccountId) -> Option<PatientId> {
		PatientOf::<T>::get(who)
	}

	fn standing(who: &T::AccountId, now: Moment) -> Option<PatientStanding> {
		if let Some(patient) = PatientOf::<T>::get(who) {
			let organisation = Patients::<T>::get(patient)?.enrolled_by;
			return Some(PatientStanding::Controller { patient, organisation });
		}
		WardsOf::<T>::get(who)
			.filter(|w| w.count > 0 && w.until.map_or(true, |until| now < until))?;
		// The first of its wards (in storage order) whose appointment is in force, among at
		// most `MAX_WARDS_SEEN`: an account that guards more, all of the first ones expired,
		// signs again once one of those is renewed or removed.
		GuardianOf::<T>::iter_key_prefix(who)
			.take(MAX_WARDS_SEEN as usize)
			.find(|ward| Guardians::<T>::get(ward, who).is_some_and(|g| g.in_force(now)))
			.and_then(|ward| {
				let organisation = Patients::<T>::get(ward)?.enrolled_by;
				Some(PatientStanding::Guardian { ward, organisation })
			})
	}

	fn is_enrolled(patient: PatientId) -> bool {
		Patients::<T>::contains_key(patient)
	}

	fn actor_for(patient: PatientId, who: &T::AccountId, now: Moment) -> Option<PatientActor> {
		let record = Patients::<T>::get(patient)?;
		Self::actor(patient, &record, who, now).ok()
	}

	fn enrolling_organisation(patient: PatientId) -> Option<OrganisationId> {
		Patients::<T>::get(patient).map(|r| r.enrolled_by)
	}

	fn emergency_policy(patient: PatientId) -> Option<EmergencyPolicy> {
		Patients::<T>::get(patient).map(|r| r.emergency_policy)
	}
}
