//! Recovery of a patient who lost its controller key: its recovery guardians' votes, and the
//! patient's signature by its recovery key presented by its enrolling organisation.

use crate::{
	pallet::*, recovery_payload, Patient, PendingRecovery, RecoveryKey, ScheduledRecovery,
};
use frame::{
	deps::{
		sp_core::sr25519,
		sp_runtime::traits::{Verify, Zero},
	},
	prelude::*,
};
use medchain_primitives::{Agent, AuditAction, AuditEvent, Moment, PatientId};

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
