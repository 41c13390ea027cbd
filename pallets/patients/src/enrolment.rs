//! Enrolment and the controller's key: a patient enrolled by a practitioner of an active
//! organisation, and the patient's own key rotation, each counted against its rate limit.

use crate::{pallet::*, Patient, RecoveryKey};
use frame::{prelude::*, traits::Time};
use medchain_primitives::{
	Agent, AuditAction, AuditEvent, EmergencyPolicy, Hash32, OrganisationId, PatientId,
	ProviderRegistry, RateCounter,
};

impl<T: Config> Pallet<T> {
	/// [`Pallet::enrol_patient`] once its origin is known to be signed by `who`.
	pub(crate) fn enrol_patient_by(
		who: T::AccountId,
		controller: T::AccountId,
		identity_commitment: Hash32,
		recovery_key: Option<RecoveryKey>,
	) -> DispatchResult {
		let practitioner =
			T::Providers::active_practitioner(&who).ok_or(Error::<T>::NotActivePractitioner)?;
		let organisation = practitioner.organisation;
		ensure!(!identity_commitment.is_zero(), Error::<T>::NoIdentityCommitment);
		let now = T::Time::now();
		Enrolments::<T>::try_mutate(organisation, |counter| {
			counter
				.try_count(now, T::RatePeriod::get(), T::MaxEnrolmentsPerPeriod::get())
				.then_some(())
				.ok_or(Error::<T>::TooManyEnrolments)
		})?;
		let patient =
			Self::do_enrol(controller.clone(), organisation, identity_commitment, recovery_key)?;
		Self::audit(AuditEvent {
			organisation: Some(organisation),
			subject: Some(controller.clone()),
			..AuditEvent::new(patient, AuditAction::PatientEnrolled, Agent::Account(who))
		})?;
		Self::deposit_event(Event::PatientEnrolled { patient, controller, organisation });
		Ok(())
	}

	/// [`Pallet::rotate_key`] once its origin is known to be signed by `old`.
	pub(crate) fn rotate_key_by(old: T::AccountId, new_controller: T::AccountId) -> DispatchResult {
		let patient = PatientOf::<T>::get(&old).ok_or(Error::<T>::NotPatient)?;
		Self::count_key_change(patient)?;
		Self::do_move_controller(patient, &old, &new_controller)?;
		Self::audit(AuditEvent {
			subject: Some(new_controller.clone()),
			..AuditEvent::new(patient, AuditAction::ControllerRotated, Agent::Account(old.clone()))
		})?;
		Self::deposit_event(Event::ControllerRotated {
			patient,
			old_controller: old,
			new_controller,
		});
		Ok(())
	}

	/// Stores a new patient record for `controller`, enrolled by `organisation`: its id.
	pub(crate) fn do_enrol(
		controller: T::AccountId,
		organisation: OrganisationId,
		identity_commitment: Hash32,
		recovery_key: Option<RecoveryKey>,
	) -> Result<PatientId, DispatchError> {
		ensure!(
			!IdentityCommitments::<T>::contains_key(identity_commitment),
			Error::<T>::IdentityAlreadyEnrolled
		);
		ensure!(!PatientOf::<T>::contains_key(&controller), Error::<T>::AccountAlreadyPatient);
		let patient = NextPatientId::<T>::get();
		let next = patient.checked_add(1).ok_or(Error::<T>::PatientIdsExhausted)?;
		frame_system::Pallet::<T>::inc_providers(&controller);
		Patients::<T>::insert(
			patient,
			Patient {
				controller: controller.clone(),
				enrolled_by: organisation,
				identity_commitment,
				recovery_key,
				guardians: 0,
				recovery_threshold: 0,
				emergency_policy: EmergencyPolicy::default(),
				key_changes: RateCounter::default(),
			},
		);
		PatientOf::<T>::insert(controller, patient);
		IdentityCommitments::<T>::insert(identity_commitment, patient);
		NextPatientId::<T>::put(next);
		Ok(patient)
	}

	/// Counts a key rotation or a new guardian of `patient` against its cap.
	pub(crate) fn count_key_change(patient: PatientId) -> DispatchResult {
		let now = T::Time::now();
		Patients::<T>::try_mutate(patient, |record| {
			let record = record.as_mut().ok_or(Error::<T>::UnknownPatient)?;
			ensure!(
				record.key_changes.try_count(
					now,
					T::RatePeriod::get(),
					T::MaxKeyChangesPerPeriod::get()
				),
				Error::<T>::TooManyKeyChanges
			);
			Ok(())
		})
	}
}
