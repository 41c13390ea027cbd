//! Guardianship: appointing guardians and removing them, with those they appointed, and the
//! indexes that say in O(1) whom an account guards (`GuardianOf`, `WardsOf`).

use crate::{pallet::*, Guardianship, Patient, Wards};
use alloc::vec::Vec;
use frame::{prelude::*, traits::Time};
use medchain_primitives::{
	Agent, AuditAction, AuditEvent, Categories, EmergencyPolicy, GuardianScope, Moment,
	PatientActor, PatientId,
};

impl<T: Config> Pallet<T> {
	/// Stores `appointment` of `guardian` for `patient` (whose record is `record`), made by
	/// `by`. A new guardian counts against the patient's key changes and its `MaxGuardians`, and
	/// is indexed; a `changed` appointment first removes the guardians the old one appointed
	/// (they were given within the old scope).
	pub(crate) fn do_appoint(
		patient: PatientId,
		record: &Patient<T::AccountId>,
		guardian: &T::AccountId,
		appointment: Guardianship<T::AccountId>,
		changed: bool,
		by: &T::AccountId,
	) -> DispatchResult {
		let valid_until = appointment.valid_until;
		if changed {
			// The patient changes an appointment: what it handed on goes with the old one.
			Self::remove_appointees(patient, guardian, by)?;
		} else {
			match &appointment.appointed_by {
				None => Self::count_key_change(patient)?,
				Some(_) => Self::count_guardian_appointment(patient)?,
			}
			Patients::<T>::try_mutate(patient, |record| {
				let record = record.as_mut().ok_or(Error::<T>::UnknownPatient)?;
				ensure!(record.guardians < T::MaxGuardians::get(), Error::<T>::TooManyGuardians);
				record.guardians =
					record.guardians.checked_add(1).ok_or(Error::<T>::TooManyGuardians)?;
				Ok::<_, DispatchError>(())
			})?;
			frame_system::Pallet::<T>::inc_providers(guardian);
			GuardianOf::<T>::insert(guardian, patient, ());
			WardsOf::<T>::mutate(guardian, |wards| {
				*wards = Some(match *wards {
					None => {
						Wards { count: 1, until: valid_until, organisation: record.enrolled_by }
					},
					Some(w) => Wards {
						count: w.count.saturating_add(1),
						until: w.until.zip(valid_until).map(|(a, b)| a.max(b)),
						organisation: record.enrolled_by,
					},
				});
			});
		}
		if changed {
			WardsOf::<T>::mutate(guardian, |wards| {
				if let Some(w) = wards {
					w.until = w.until.zip(valid_until).map(|(a, b)| a.max(b));
				}
			});
		}
		Guardians::<T>::insert(patient, guardian, appointment);
		Ok(())
	}

	/// Counts a guardian appointed by another guardian of `patient` against its own cap.
	fn count_guardian_appointment(patient: PatientId) -> DispatchResult {
		let now = T::Time::now();
		GuardianAppointments::<T>::try_mutate(patient, |counter| -> DispatchResult {
			ensure!(
				counter.try_count(now, T::RatePeriod::get(), T::MaxKeyChangesPerPeriod::get()),
				Error::<T>::TooManyGuardianAppointments
			);
			Ok(())
		})
	}

	/// Removes `guardian` of `patient` (at the request of `by`): its appointment, its index
	/// entries, its vote on a pending recovery; audits and announces it.
	pub(crate) fn do_remove_guardian(
		patient: PatientId,
		guardian: &T::AccountId,
		by: &T::AccountId,
	) -> DispatchResult {
		Guardians::<T>::remove(patient, guardian);
		GuardianOf::<T>::remove(guardian, patient);
		WardsOf::<T>::mutate_exists(guardian, |wards| {
			if let Some(w) = wards {
				w.count = w.count.saturating_sub(1);
				if w.count == 0 {
					*wards = None;
				}
			}
		});
		Patients::<T>::mutate(patient, |record| {
			if let Some(record) = record {
				record.guardians = record.guardians.saturating_sub(1);
			}
		});
		PendingRecoveries::<T>::mutate_exists(patient, |pending| {
			if let Some(p) = pending {
				p.votes.retain(|(voter, _)| voter != guardian);
				if p.votes.is_empty() {
					*pending = None;
				}
			}
		});
		Self::audit(AuditEvent {
			subject: Some(guardian.clone()),
			..AuditEvent::new(patient, AuditAction::GuardianRemoved, Agent::Account(by.clone()))
		})?;
		Self::deposit_event(Event::GuardianRemoved { patient, guardian: guardian.clone() });
		Ok(())
	}

	/// Removes the guardians `appointer` appointed for `patient`, and theirs, transitively.
	/// Reads the patient's guardians (at most `MaxGuardians`) once per generation removed.
	pub(crate) fn remove_appointees(
		patient: PatientId,
		appointer: &T::AccountId,
		by: &T::AccountId,
	) -> DispatchResult {
		let mut appointers: Vec<T::AccountId> = alloc::vec![appointer.clone()];
		// Each round removes at least one guardian, so at most MaxGuardians rounds.
		while !appointers.is_empty() {
			let appointees: Vec<T::AccountId> = Guardians::<T>::iter_prefix(patient)
				.filter(|(_, g)| g.appointed_by.as_ref().is_some_and(|a| appointers.contains(a)))
				.map(|(account, _)| account)
				.collect();
			for appointee in &appointees {
				Self::do_remove_guardian(patient, appointee, by)?;
			}
			appointers = appointees;
		}
		Ok(())
	}
}

impl<T: Config> Pallet<T> {
	/// [`Pallet::add_guardian`] once its origin is known to be signed by `who`.
	pub(crate) fn add_guardian_by(
		who: T::AccountId,
		patient: PatientId,
		guardian: T::AccountId,
		scope: GuardianScope,
		valid_until: Option<Moment>,
	) -> DispatchResult {
		let record = Patients::<T>::get(patient).ok_or(Error::<T>::UnknownPatient)?;
		let now = T::Time::now();
		let actor = Self::actor(patient, &record, &who, now)?;
		ensure!(scope.is_known(), Error::<T>::UnknownCategories);
		let existing = Guardians::<T>::get(patient, &guardian);
		let appointed_by = match actor {
			PatientActor::Patient => None,
			PatientActor::Guardian(own) => {
				ensure!(own.may_hand_on(&scope), Error::<T>::GuardianScopeExceeded);
				ensure!(existing.is_none(), Error::<T>::AlreadyGuardian);
				let own_until = Guardians::<T>::get(patient, &who).and_then(|g| g.valid_until);
				if let Some(own_until) = own_until {
					ensure!(
						valid_until.is_some_and(|until| until <= own_until),
						Error::<T>::InvalidGuardianExpiry
					);
				}
				Some(who.clone())
			},
		};
		ensure!(valid_until.map_or(true, |until| until > now), Error::<T>::InvalidGuardianExpiry);
		ensure!(guardian != record.controller, Error::<T>::CannotGuardSelf);

		Self::do_appoint(
			patient,
			&record,
			&guardian,
			Guardianship { scope, valid_until, appointed_by: appointed_by.clone() },
			existing.is_some(),
			&who,
		)?;
		Self::audit(AuditEvent {
			categories: scope.consent_categories,
			subject: Some(guardian.clone()),
			..AuditEvent::new(patient, AuditAction::GuardianAppointed, Agent::Account(who))
		})?;
		Self::deposit_event(Event::GuardianAdded {
			patient,
			guardian,
			scope,
			valid_until,
			appointed_by,
		});
		Ok(())
	}

	/// [`Pallet::remove_guardian`] once its origin is known to be signed by `who`.
	pub(crate) fn remove_guardian_by(
		who: T::AccountId,
		patient: PatientId,
		guardian: T::AccountId,
	) -> DispatchResult {
		let record = Patients::<T>::get(patient).ok_or(Error::<T>::UnknownPatient)?;
		ensure!(who == record.controller || who == guardian, Error::<T>::NotPatientOrGuardian);
		ensure!(Guardians::<T>::contains_key(patient, &guardian), Error::<T>::NotGuardian);
		Self::remove_appointees(patient, &guardian, &who)?;
		Self::do_remove_guardian(patient, &guardian, &who)
	}

	/// [`Pallet::set_emergency_policy`] once its origin is known to be signed by `who`.
	pub(crate) fn set_emergency_policy_by(
		who: T::AccountId,
		patient: PatientId,
		policy: EmergencyPolicy,
		sensitive: Categories,
	) -> DispatchResult {
		let mut record = Patients::<T>::get(patient).ok_or(Error::<T>::UnknownPatient)?;
		let actor = Self::actor(patient, &record, &who, T::Time::now())?;
		ensure!(policy.categories.is_known(), Error::<T>::UnknownCategories);
		ensure!(
			policy.categories.intersection(Categories::SENSITIVE) == sensitive,
			Error::<T>::SensitiveCategoryNotNamed
		);
		ensure!(
			!policy.allowed || !policy.categories.is_empty(),
			Error::<T>::EmptyEmergencyCategories
		);
		if let PatientActor::Guardian(scope) = actor {
			let opened = Self::opens(&policy).difference(Self::opens(&record.emergency_policy));
			ensure!(
				scope.may_set_emergency_policy && scope.consent_categories.contains_all(opened),
				Error::<T>::GuardianScopeExceeded
			);
		}
		record.emergency_policy = policy;
		Patients::<T>::insert(patient, record);
		Self::audit(AuditEvent {
			categories: Self::opens(&policy),
			..AuditEvent::new(patient, AuditAction::EmergencyPolicySet, Agent::Account(who))
		})?;
		Self::deposit_event(Event::EmergencyPolicySet { patient, policy });
		Ok(())
	}

	/// The categories `policy` lets break-glass open.
	pub(crate) fn opens(policy: &EmergencyPolicy) -> Categories {
		if policy.allowed {
			policy.categories
		} else {
			Categories::NONE
		}
	}

	/// In whose name `who` acts for the patient whose record is `record`, at `now`.
	pub(crate) fn actor(
		patient: PatientId,
		record: &Patient<T::AccountId>,
		who: &T::AccountId,
		now: Moment,
	) -> Result<PatientActor, Error<T>> {
		if *who == record.controller {
			return Ok(PatientActor::Patient);
		}
		Guardians::<T>::get(patient, who)
			.filter(|g| g.in_force(now))
			.map(|g| PatientActor::Guardian(g.scope))
			.ok_or(Error::<T>::NotPatientOrGuardian)
	}
}
