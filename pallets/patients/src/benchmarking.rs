//! Benchmarks of pallet-patients (FRAME benchmarking v2). Each measures the worst case of its
//! call: calls whose cost grows with the patient's guardians are measured over them.

// Set-up code, never on a chain's dispatch path: it may compute freely.
#![allow(clippy::arithmetic_side_effects)]
#![cfg(feature = "runtime-benchmarks")]

use frame::{
	benchmarking::prelude::*,
	deps::{sp_core::crypto::KeyTypeId, sp_io},
};
use medchain_primitives::{
	benchmarking::BenchmarkWorld, Categories, GuardianScope, Hash32, OrganisationKind, Role,
};

use crate::*;

/// The key type of recovery keys made in benchmarks (in the benchmark's keystore).
const RECOVERY: KeyTypeId = KeyTypeId(*b"mrec");

fn assert_last_event<T: Config>(event: Event<T>) {
	let event: <T as frame_system::Config>::RuntimeEvent = event.into();
	frame_system::Pallet::<T>::assert_last_event(event);
}

fn full_scope() -> GuardianScope {
	GuardianScope {
		consent_categories: Categories::ALL,
		may_appoint: true,
		may_set_emergency_policy: true,
		may_recover: true,
	}
}

/// An active practitioner of a hospital.
fn practitioner<T: Config>() -> (T::AccountId, OrganisationId) {
	let who: T::AccountId = account("practitioner", 0, 0);
	let organisation = T::BenchmarkHelper::make_active_practitioner(
		&who,
		OrganisationKind::Hospital,
		Role::Physician,
	);
	(who, organisation)
}

/// A patient enrolled by `organisation`, with `recovery_key`.
fn patient<T: Config>(
	organisation: OrganisationId,
	recovery_key: Option<RecoveryKey>,
) -> (PatientId, T::AccountId) {
	let controller: T::AccountId = account("patient", 0, 0);
	let id = Pallet::<T>::do_enrol(
		controller.clone(),
		organisation,
		Hash32::repeat_byte(0xb0),
		recovery_key,
	)
	.expect("benchmark set-up: a fresh patient enrols");
	(id, controller)
}

/// `n` recovery guardians with every power for `patient`, appointed by its controller.
fn guardians<T: Config>(
	patient: PatientId,
	controller: &T::AccountId,
	n: u32,
) -> Vec<T::AccountId> {
	(0..n)
		.map(|i| {
			let g: T::AccountId = account("guardian", i, 0);
			Pallet::<T>::add_guardian(
				RawOrigin::Signed(controller.clone()).into(),
				patient,
				g.clone(),
				full_scope(),
				None,
			)
			.expect("benchmark set-up: the patient appoints a guardian");
			g
		})
		.collect()
}

/// A chain of `n` guardians below `top`: `top` appoints the first, which appoints the next …
fn appointees<T: Config>(patient: PatientId, top: &T::AccountId, n: u32) {
	let scope = GuardianScope { may_recover: false, ..full_scope() };
	let mut appointer = top.clone();
	for i in 0..n {
		let g: T::AccountId = account("appointee", i, 0);
		Pallet::<T>::add_guardian(
			RawOrigin::Signed(appointer).into(),
			patient,
			g.clone(),
			scope,
			None,
		)
		.expect("benchmark set-up: a guardian appoints another");
		appointer = g;
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn enrol_patient() {
		let (who, organisation) = practitioner::<T>();
		let controller: T::AccountId = account("patient", 0, 0);
		let patient = NextPatientId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(who), controller.clone(), Hash32::repeat_byte(0xb1), Some([2; 32]));

		assert_last_event::<T>(Event::PatientEnrolled { patient, controller, organisation });
	}

	#[benchmark]
	fn rotate_key() {
		let (_, organisation) = practitioner::<T>();
		let (patient, old) = patient::<T>(organisation, None);
		let new: T::AccountId = account("new", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(old.clone()), new.clone());

		assert_last_event::<T>(Event::ControllerRotated {
			patient,
			old_controller: old,
			new_controller: new,
		});
	}

	/// `g`: guardians appointed under the one whose appointment the patient changes (all
	/// removed with it).
	#[benchmark]
	fn add_guardian(g: Linear<0, { T::MaxGuardians::get() - 1 }>) {
		let (_, organisation) = practitioner::<T>();
		let (patient, controller) = patient::<T>(organisation, None);
		let guardian = guardians::<T>(patient, &controller, 1).remove(0);
		appointees::<T>(patient, &guardian, g);
		let scope = GuardianScope { may_appoint: false, ..full_scope() };

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), patient, guardian.clone(), scope, None);

		assert_last_event::<T>(Event::GuardianAdded {
			patient,
			guardian,
			scope,
			valid_until: None,
			appointed_by: None,
		});
	}

	/// `g`: guardians appointed under the one removed (all removed with it).
	#[benchmark]
	fn remove_guardian(g: Linear<0, { T::MaxGuardians::get() - 1 }>) {
		let (_, organisation) = practitioner::<T>();
		let (patient, controller) = patient::<T>(organisation, None);
		let guardian = guardians::<T>(patient, &controller, 1).remove(0);
		appointees::<T>(patient, &guardian, g);

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), patient, guardian.clone());

		assert_eq!(Patients::<T>::get(patient).map(|p| p.guardians), Some(0));
	}

	#[benchmark]
	fn set_emergency_policy() {
		let (_, organisation) = practitioner::<T>();
		let (patient, controller) = patient::<T>(organisation, None);
		let guardian = guardians::<T>(patient, &controller, 1).remove(0);
		let policy = EmergencyPolicy { allowed: true, categories: Categories::ALL };

		#[extrinsic_call]
		_(RawOrigin::Signed(guardian), patient, policy, Categories::SENSITIVE);

		assert_last_event::<T>(Event::EmergencyPolicySet { patient, policy });
	}

	#[benchmark]
	fn set_recovery_threshold() {
		let (_, organisation) = practitioner::<T>();
		let (patient, controller) = patient::<T>(organisation, None);
		let threshold = T::MaxGuardians::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), threshold);

		assert_last_event::<T>(Event::RecoveryThresholdSet { patient, threshold });
	}

	/// `g`: the votes already cast, all re-checked; this one reaches the threshold.
	#[benchmark]
	fn approve_recovery(g: Linear<1, { T::MaxGuardians::get() }>) {
		let (_, organisation) = practitioner::<T>();
		let (patient, controller) = patient::<T>(organisation, None);
		let all = guardians::<T>(patient, &controller, g);
		Pallet::<T>::set_recovery_threshold(RawOrigin::Signed(controller.clone()).into(), g)
			.expect("benchmark set-up: threshold");
		let new: T::AccountId = account("new", 0, 0);
		for other in &all[..all.len() - 1] {
			Pallet::<T>::approve_recovery(
				RawOrigin::Signed(other.clone()).into(),
				patient,
				new.clone(),
			)
			.expect("benchmark set-up: votes");
		}
		let last = all[all.len() - 1].clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(last), patient, new.clone());

		let due = T::Time::now().saturating_add(T::RecoveryDelay::get());
		assert_last_event::<T>(Event::RecoveryScheduled { patient, new_controller: new, due });
	}

	#[benchmark]
	fn cancel_recovery() {
		let (_, organisation) = practitioner::<T>();
		let (patient, controller) = patient::<T>(organisation, None);
		let all = guardians::<T>(patient, &controller, 1);
		Pallet::<T>::set_recovery_threshold(RawOrigin::Signed(controller.clone()).into(), 1)
			.expect("benchmark set-up: threshold");
		Pallet::<T>::approve_recovery(
			RawOrigin::Signed(all[0].clone()).into(),
			patient,
			account("new", 0, 0),
		)
		.expect("benchmark set-up: a vote");

		#[extrinsic_call]
		_(RawOrigin::Signed(controller));

		assert_last_event::<T>(Event::RecoveryCancelled { patient });
	}

	/// `g`: the votes re-counted.
	#[benchmark]
	fn complete_recovery(g: Linear<1, { T::MaxGuardians::get() }>) {
		let (_, organisation) = practitioner::<T>();
		let (patient, controller) = patient::<T>(organisation, None);
		let all = guardians::<T>(patient, &controller, g);
		Pallet::<T>::set_recovery_threshold(RawOrigin::Signed(controller.clone()).into(), g)
			.expect("benchmark set-up: threshold");
		let new: T::AccountId = account("new", 0, 0);
		for voter in &all {
			Pallet::<T>::approve_recovery(
				RawOrigin::Signed(voter.clone()).into(),
				patient,
				new.clone(),
			)
			.expect("benchmark set-up: votes");
		}
		// Due now: the benchmark cannot move the clock, so the schedule is made due.
		PendingRecoveries::<T>::mutate(patient, |p| {
			if let Some(ScheduledRecovery { due, .. }) =
				p.as_mut().and_then(|p| p.scheduled.as_mut())
			{
				*due = T::Time::now();
			}
		});

		#[extrinsic_call]
		_(RawOrigin::Signed(all[0].clone()), patient);

		assert_last_event::<T>(Event::PatientRecovered {
			patient,
			old_controller: controller,
			new_controller: new,
			by: RecoveryMethod::Guardians,
		});
	}

	#[benchmark]
	fn recover_with_secret() {
		let (who, organisation) = practitioner::<T>();
		let key = sp_io::crypto::sr25519_generate(RECOVERY, None);
		let (patient, old) = patient::<T>(organisation, Some(key.0));
		let new: T::AccountId = account("new", 0, 0);
		let next = Some([9; 32]);
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let proof = sp_io::crypto::sr25519_sign(
			RECOVERY,
			&key,
			&recovery_payload(&genesis, patient, &old, &new, &next),
		)
		.expect("benchmark set-up: the keystore signs");

		#[extrinsic_call]
		_(RawOrigin::Signed(who), patient, new.clone(), next, proof.0);

		assert_last_event::<T>(Event::PatientRecovered {
			patient,
			old_controller: old,
			new_controller: new,
			by: RecoveryMethod::EnrollingOrganisation,
		});
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}

/// The set-up other pallets' benchmarks ask for (through the runtime's
/// `medchain_primitives::benchmarking::BenchmarkWorld`).
impl<T: Config> Pallet<T> {
	/// Enrols a patient controlled by `controller`, enrolled by `organisation`.
	pub fn make_patient(controller: &T::AccountId, organisation: OrganisationId) -> PatientId {
		use codec::Encode;
		// A distinct identity commitment per controller.
		let identity = Hash32::from(frame::hashing::blake2_256(&controller.encode()));
		Self::do_enrol(controller.clone(), organisation, identity, None)
			.expect("benchmark set-up: a fresh controller enrols")
	}
}
