//! Benchmarks of pallet-patients (FRAME benchmarking v2). Each measures the worst case of its
//! call; `approve_recovery` is measured over the number of approvals re-checked.

#![cfg(feature = "runtime-benchmarks")]

use frame::benchmarking::prelude::*;
use medchain_primitives::{Categories, GuardianScope, Hash32, OrganisationKind, Role};

use crate::*;

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
	let organisation =
		T::Providers::make_active_practitioner(&who, OrganisationKind::Hospital, Role::Physician);
	(who, organisation)
}

/// A patient enrolled by `organisation`, with the recovery secret `[0x5e; 32]`.
fn patient<T: Config>(organisation: OrganisationId) -> (PatientId, T::AccountId) {
	let controller: T::AccountId = account("patient", 0, 0);
	let id = Pallet::<T>::do_enrol(
		controller.clone(),
		organisation,
		Hash32::repeat_byte(0xb0),
		recovery_commitment(&Hash32::repeat_byte(0x5e)),
	)
	.expect("benchmark set-up: a fresh patient enrols");
	(id, controller)
}

/// `n` guardians with full scope for `patient`, appointed by its controller.
fn guardians<T: Config>(patient: PatientId, controller: &T::AccountId, n: u32) -> Vec<T::AccountId> {
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

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn enrol_patient() {
		let (who, organisation) = practitioner::<T>();
		let controller: T::AccountId = account("patient", 0, 0);
		let patient = NextPatientId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(who), controller.clone(), Hash32::repeat_byte(0xb1), Hash32::repeat_byte(2));

		assert_last_event::<T>(Event::PatientEnrolled { patient, controller, organisation });
	}

	#[benchmark]
	fn rotate_key() {
		let (_, organisation) = practitioner::<T>();
		let (patient, old) = patient::<T>(organisation);
		let new: T::AccountId = account("new", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(old.clone()), new.clone());

		assert_last_event::<T>(Event::ControllerRotated { patient, old_controller: old, new_controller: new });
	}

	#[benchmark]
	fn add_guardian() {
		let (_, organisation) = practitioner::<T>();
		let (patient, controller) = patient::<T>(organisation);
		// Appointed by a guardian: the longer path (scope and expiry checks).
		let appointer = guardians::<T>(patient, &controller, 1).remove(0);
		let guardian: T::AccountId = account("new-guardian", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(appointer), patient, guardian.clone(), full_scope(), None);

		assert_last_event::<T>(Event::GuardianAdded {
			patient,
			guardian,
			scope: full_scope(),
			valid_until: None,
		});
	}

	#[benchmark]
	fn remove_guardian() {
		let (_, organisation) = practitioner::<T>();
		let (patient, controller) = patient::<T>(organisation);
		let guardian = guardians::<T>(patient, &controller, 1).remove(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), patient, guardian.clone());

		assert_last_event::<T>(Event::GuardianRemoved { patient, guardian });
	}

	#[benchmark]
	fn set_emergency_policy() {
		let (_, organisation) = practitioner::<T>();
		let (patient, controller) = patient::<T>(organisation);
		let guardian = guardians::<T>(patient, &controller, 1).remove(0);
		let policy = EmergencyPolicy { allowed: true, categories: Categories::ALL };

		#[extrinsic_call]
		_(RawOrigin::Signed(guardian), patient, policy);

		assert_last_event::<T>(Event::EmergencyPolicySet { patient, policy });
	}

	#[benchmark]
	fn set_recovery_threshold() {
		let (_, organisation) = practitioner::<T>();
		let (patient, controller) = patient::<T>(organisation);
		let threshold = T::MaxGuardians::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), threshold);

		assert_last_event::<T>(Event::RecoveryThresholdSet { patient, threshold });
	}

	/// `g`: the approvals already given, all re-checked; the last one completes the recovery.
	#[benchmark]
	fn approve_recovery(g: Linear<1, { T::MaxGuardians::get() }>) {
		let (_, organisation) = practitioner::<T>();
		let (patient, controller) = patient::<T>(organisation);
		let all = guardians::<T>(patient, &controller, g);
		Pallet::<T>::set_recovery_threshold(RawOrigin::Signed(controller.clone()).into(), g)
			.expect("benchmark set-up: threshold");
		let new: T::AccountId = account("new", 0, 0);
		for other in &all[..all.len() - 1] {
			Pallet::<T>::approve_recovery(RawOrigin::Signed(other.clone()).into(), patient, new.clone())
				.expect("benchmark set-up: approvals");
		}
		let last = all[all.len() - 1].clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(last), patient, new.clone());

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
		let (patient, old) = patient::<T>(organisation);
		let new: T::AccountId = account("new", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), patient, new.clone(), Hash32::repeat_byte(0x5e), Hash32::repeat_byte(9));

		assert_last_event::<T>(Event::PatientRecovered {
			patient,
			old_controller: old,
			new_controller: new,
			by: RecoveryMethod::EnrollingOrganisation,
		});
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
