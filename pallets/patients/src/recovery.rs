//! Recovery of a patient who lost its controller key: its recovery guardians' votes, and the
//! patient's signature by its recovery key presented by its enrolling organisation.

use crate::{
	pallet::*, recovery_payload, Patient, PendingRecovery, RecoveryKey, RecoveryMethod,
	ScheduledRecovery,
};
use frame::{
	deps::{
		sp_core::sr25519,
		sp_runtime::traits::{Verify, Zero},
	},
	prelude::*,
	traits::Time,
};
use medchain_primitives::{Agent, AuditAction, AuditEvent, Moment, PatientId, ProviderRegistry};

impl<T: Config> Pallet<T> {
	/// Records `who`'s vote to move `patient` (whose record is `record`) to `new_controller`,
	/// drops the votes of guardians no longer in force, and schedules the move when the votes
	/// for it reach the threshold.
	pub(crate) fn do_approve_recovery(
		patient: PatientId,
		record: &Patient<T::AccountId>,
		who: &T::AccountId,
		new_controller: T::AccountId,
		now: Moment,
	) -> DispatchResult {
		let mut pending = PendingRecoveries::<T>::get(patient)
			.unwrap_or(PendingRecovery { votes: BoundedVec::new(), scheduled: None });
		match pending.votes.iter_mut().find(|(voter, _)| voter == who) {
			Some((_, choice)) if *choice == new_controller => {
				return Err(Error::<T>::AlreadyApproved.into())
			},
			Some((_, choice)) => *choice = new_controller.clone(),
			None => pending
				.votes
				.try_push((who.clone(), new_controller.clone()))
				.map_err(|_| Error::<T>::TooManyGuardians)?,
		}
		// Votes of guardians removed or expired since do not count, and are dropped.
		pending
			.votes
			.retain(|(voter, _)| Self::is_recovery_guardian(patient, voter, now));
		let approvals = Self::votes_for(&pending, &new_controller);
		Self::audit(AuditEvent {
			subject: Some(new_controller.clone()),
			..AuditEvent::new(patient, AuditAction::RecoveryApproved, Agent::Account(who.clone()))
		})?;
		Self::deposit_event(Event::RecoveryApproved {
			patient,
			guardian: who.clone(),
			new_controller: new_controller.clone(),
			approvals,
		});
		let already =
			pending.scheduled.as_ref().is_some_and(|s| s.new_controller == new_controller);
		if approvals >= record.recovery_threshold && !already {
			let due = now.saturating_add(T::RecoveryDelay::get());
			pending.scheduled =
				Some(ScheduledRecovery { new_controller: new_controller.clone(), due });
			Self::audit(AuditEvent {
				subject: Some(new_controller.clone()),
				..AuditEvent::new(
					patient,
					AuditAction::RecoveryScheduled,
					Agent::Account(who.clone()),
				)
			})?;
			Self::deposit_event(Event::RecoveryScheduled { patient, new_controller, due });
		}
		PendingRecoveries::<T>::insert(patient, pending);
		Ok(())
	}

	/// How many votes of `pending` for `new_controller` are of recovery guardians in force.
	pub(crate) fn votes_in_force_for(
		patient: PatientId,
		pending: &PendingRecovery<T::AccountId, T::MaxGuardians>,
		new_controller: &T::AccountId,
		now: Moment,
	) -> u32 {
		pending
			.votes
			.iter()
			.filter(|(voter, choice)| {
				choice == new_controller && Self::is_recovery_guardian(patient, voter, now)
			})
			.count() as u32
	}

	/// Ensures `proof` is the signature, by the recovery key `key`, of the move of `patient`
	/// from `current_controller` to `new_controller` with `new_recovery_key` next (see
	/// [`recovery_payload`]), and that the next key is another key.
	pub(crate) fn check_recovery_proof(
		patient: PatientId,
		key: RecoveryKey,
		current_controller: &T::AccountId,
		new_controller: &T::AccountId,
		new_recovery_key: &Option<RecoveryKey>,
		proof: [u8; 64],
	) -> DispatchResult {
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let payload = recovery_payload(
			&genesis,
			patient,
			current_controller,
			new_controller,
			new_recovery_key,
		);
		ensure!(
			sr25519::Signature::from_raw(proof)
				.verify(&payload[..], &sr25519::Public::from_raw(key)),
			Error::<T>::InvalidRecoveryProof
		);
		ensure!(*new_recovery_key != Some(key), Error::<T>::RecoveryKeyNotReplaced);
		Ok(())
	}

	/// Moves `patient` from controller `old` to `new`, dropping any pending recovery. The old
	/// key keeps the provider reference it was given (accounts are never reaped), so nothing
	/// it holds can stop the move.
	pub(crate) fn do_move_controller(
		patient: PatientId,
		old: &T::AccountId,
		new: &T::AccountId,
	) -> DispatchResult {
		ensure!(!PatientOf::<T>::contains_key(new), Error::<T>::AccountAlreadyPatient);
		ensure!(!Guardians::<T>::contains_key(patient, new), Error::<T>::CannotGuardSelf);
		frame_system::Pallet::<T>::inc_providers(new);
		PatientOf::<T>::remove(old);
		PatientOf::<T>::insert(new, patient);
		Patients::<T>::mutate(patient, |r| {
			if let Some(r) = r {
				r.controller = new.clone()
			}
		});
		PendingRecoveries::<T>::remove(patient);
		Ok(())
	}

	/// How many votes of `pending` are for `new_controller`.
	pub(crate) fn votes_for(
		pending: &PendingRecovery<T::AccountId, T::MaxGuardians>,
		new_controller: &T::AccountId,
	) -> u32 {
		pending.votes.iter().filter(|(_, choice)| choice == new_controller).count() as u32
	}

	/// Whether `who` is a recovery guardian of `patient` in force at `now`.
	pub(crate) fn is_recovery_guardian(
		patient: PatientId,
		who: &T::AccountId,
		now: Moment,
	) -> bool {
		Guardians::<T>::get(patient, who).is_some_and(|g| g.in_force(now) && g.scope.may_recover)
	}
}

impl<T: Config> Pallet<T> {
	/// [`Pallet::set_recovery_threshold`] once its origin is known to be signed by `who`.
	pub(crate) fn set_recovery_threshold_by(who: T::AccountId, threshold: u32) -> DispatchResult {
		let patient = PatientOf::<T>::get(&who).ok_or(Error::<T>::NotPatient)?;
		ensure!(threshold <= T::MaxGuardians::get(), Error::<T>::ThresholdTooHigh);
		Patients::<T>::try_mutate(patient, |record| {
			let record = record.as_mut().ok_or(Error::<T>::UnknownPatient)?;
			record.recovery_threshold = threshold;
			Ok::<_, DispatchError>(())
		})?;
		PendingRecoveries::<T>::remove(patient);
		Self::audit(AuditEvent::new(
			patient,
			AuditAction::RecoveryThresholdSet,
			Agent::Account(who),
		))?;
		Self::deposit_event(Event::RecoveryThresholdSet { patient, threshold });
		Ok(())
	}

	/// [`Pallet::approve_recovery`] once its origin is known to be signed by `who`.
	pub(crate) fn approve_recovery_by(
		who: T::AccountId,
		patient: PatientId,
		new_controller: T::AccountId,
	) -> DispatchResult {
		let record = Patients::<T>::get(patient).ok_or(Error::<T>::UnknownPatient)?;
		let now = T::Time::now();
		ensure!(Self::is_recovery_guardian(patient, &who, now), Error::<T>::NotRecoveryGuardian);
		ensure!(record.recovery_threshold > 0, Error::<T>::GuardianRecoveryDisabled);
		ensure!(!PatientOf::<T>::contains_key(&new_controller), Error::<T>::AccountAlreadyPatient);
		ensure!(
			!Guardians::<T>::contains_key(patient, &new_controller),
			Error::<T>::CannotGuardSelf
		);

		Self::do_approve_recovery(patient, &record, &who, new_controller, now)
	}

	/// [`Pallet::cancel_recovery`] once its origin is known to be signed by `who`.
	pub(crate) fn cancel_recovery_by(who: T::AccountId) -> DispatchResult {
		let patient = PatientOf::<T>::get(&who).ok_or(Error::<T>::NotPatient)?;
		PendingRecoveries::<T>::take(patient).ok_or(Error::<T>::NoPendingRecovery)?;
		Self::audit(AuditEvent::new(patient, AuditAction::RecoveryCancelled, Agent::Account(who)))?;
		Self::deposit_event(Event::RecoveryCancelled { patient });
		Ok(())
	}

	/// [`Pallet::complete_recovery`] once its origin is known to be signed by `who`.
	pub(crate) fn complete_recovery_by(who: T::AccountId, patient: PatientId) -> DispatchResult {
		let record = Patients::<T>::get(patient).ok_or(Error::<T>::UnknownPatient)?;
		let now = T::Time::now();
		ensure!(Self::is_recovery_guardian(patient, &who, now), Error::<T>::NotRecoveryGuardian);
		let pending =
			PendingRecoveries::<T>::get(patient).ok_or(Error::<T>::NoRecoveryScheduled)?;
		let scheduled = pending.scheduled.clone().ok_or(Error::<T>::NoRecoveryScheduled)?;
		ensure!(now >= scheduled.due, Error::<T>::RecoveryNotDue);
		let still = Self::votes_in_force_for(patient, &pending, &scheduled.new_controller, now);
		ensure!(
			record.recovery_threshold > 0 && still >= record.recovery_threshold,
			Error::<T>::RecoveryNoLongerApproved
		);
		let old = record.controller;
		Self::do_move_controller(patient, &old, &scheduled.new_controller)?;
		Self::audit(AuditEvent {
			subject: Some(scheduled.new_controller.clone()),
			..AuditEvent::new(patient, AuditAction::ControllerRecovered, Agent::Account(who))
		})?;
		Self::deposit_event(Event::PatientRecovered {
			patient,
			old_controller: old,
			new_controller: scheduled.new_controller,
			by: RecoveryMethod::Guardians,
		});
		Ok(())
	}

	/// [`Pallet::recover_with_secret`] once its origin is known to be signed by `who`.
	pub(crate) fn recover_with_secret_by(
		who: T::AccountId,
		patient: PatientId,
		new_controller: T::AccountId,
		new_recovery_key: Option<RecoveryKey>,
		proof: [u8; 64],
	) -> DispatchResult {
		let practitioner =
			T::Providers::active_practitioner(&who).ok_or(Error::<T>::NotActivePractitioner)?;
		let record = Patients::<T>::get(patient).ok_or(Error::<T>::UnknownPatient)?;
		ensure!(
			record.enrolled_by == practitioner.organisation,
			Error::<T>::NotEnrollingOrganisation
		);
		let key = record.recovery_key.ok_or(Error::<T>::NoRecoveryKey)?;
		Self::check_recovery_proof(
			patient,
			key,
			&record.controller,
			&new_controller,
			&new_recovery_key,
			proof,
		)?;
		let old = record.controller;
		Self::do_move_controller(patient, &old, &new_controller)?;
		Patients::<T>::mutate(patient, |r| {
			if let Some(r) = r {
				r.recovery_key = new_recovery_key
			}
		});
		Self::audit(AuditEvent {
			organisation: Some(practitioner.organisation),
			subject: Some(new_controller.clone()),
			..AuditEvent::new(patient, AuditAction::ControllerRecovered, Agent::Account(who))
		})?;
		Self::deposit_event(Event::PatientRecovered {
			patient,
			old_controller: old,
			new_controller,
			by: RecoveryMethod::EnrollingOrganisation,
		});
		Ok(())
	}
}
