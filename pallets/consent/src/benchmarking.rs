//! Benchmarks of pallet-consent (FRAME benchmarking v2), each at the worst case of its bounds.

// Set-up code, never on a chain's dispatch path: it may compute freely.
#![allow(clippy::arithmetic_side_effects)]
#![cfg(feature = "runtime-benchmarks")]

use frame::benchmarking::prelude::*;
use medchain_primitives::benchmarking::BenchmarkWorld;
use medchain_primitives::{Action, Category, Decision, OrganisationKind, Role};

use crate::*;

/// Moves the clock forward to `at` if it is earlier.
fn advance_clock_to<T: Config>(at: Moment) {
	if T::Time::now() < at {
		T::BenchmarkHelper::set_time(at);
	}
}

fn assert_last_event<T: Config>(event: Event<T>) {
	let event: <T as frame_system::Config>::RuntimeEvent = event.into();
	frame_system::Pallet::<T>::assert_last_event(event);
}

/// An enrolled patient, its controller, and an active lab practitioner as grantee.
fn world<T: Config>() -> (PatientId, T::AccountId, T::AccountId, OrganisationId) {
	let practitioner: T::AccountId = account("practitioner", 0, 0);
	let organisation = T::BenchmarkHelper::make_active_practitioner(
		&practitioner,
		OrganisationKind::Lab,
		Role::LabTechnician,
	);
	let controller: T::AccountId = account("patient", 0, 0);
	let patient = T::BenchmarkHelper::make_patient(&controller, organisation);
	(patient, controller, practitioner, organisation)
}

/// The terms the benchmarks grant: everything, from `now` for a second.
fn everything<T: Config>(grantee: Grantee<T::AccountId>, now: Moment) -> GrantTerms<T::AccountId> {
	GrantTerms {
		grantee,
		categories: Categories::ALL,
		purposes: Purposes::ALL,
		actions: Actions::ALL,
		valid_from: now,
		valid_until: Some(now + 1_000),
	}
}

/// The last event is the grant the benchmarks give: [`everything`].
fn assert_granted_everything<T: Config>(
	grant_id: GrantId,
	patient: PatientId,
	grantee: Grantee<T::AccountId>,
	granted_by: T::AccountId,
	now: Moment,
) {
	assert_last_event::<T>(Event::ConsentGranted {
		grant_id,
		patient,
		terms: everything::<T>(grantee, now),
		granted_by,
	});
}

/// Fills the index of (patient, grantee) with `n` grants in force that cover nothing a
/// benchmark asks for (Imaging, Research, Read).
fn fill_grants<T: Config>(
	patient: PatientId,
	grantee: &Grantee<T::AccountId>,
	by: &T::AccountId,
	n: u32,
) {
	let now = T::Time::now();
	for _ in 0..n {
		Pallet::<T>::grant(
			RawOrigin::Signed(by.clone()).into(),
			patient,
			GrantTerms {
				grantee: grantee.clone(),
				categories: Category::Imaging.into(),
				purposes: Purpose::Research.into(),
				actions: Action::Read.into(),
				valid_from: now,
				valid_until: Some(now + 1_000),
			},
			Categories::NONE,
		)
		.expect("benchmark set-up: grant");
	}
}

/// Gives `patient` `n` deny rules for everyone that cover nothing a benchmark asks for.
fn fill_denies<T: Config>(
	patient: PatientId,
	by: &T::AccountId,
	n: u32,
	category: Category,
	purpose: Purpose,
) {
	for _ in 0..n {
		Pallet::<T>::add_deny(
			RawOrigin::Signed(by.clone()).into(),
			patient,
			None,
			category.into(),
			purpose.into(),
		)
		.expect("benchmark set-up: deny");
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The index is full of grants that ended: each is read, all are dropped.
	#[benchmark]
	fn grant() {
		let (patient, controller, practitioner, _) = world::<T>();
		let grantee = Grantee::Practitioner(practitioner);
		fill_grants::<T>(patient, &grantee, &controller, T::MaxGrantsPerGrantee::get());
		let now = T::Time::now();
		for id in GrantsByGrantee::<T>::get(patient, &grantee) {
			Grants::<T>::mutate(id, |g| {
				if let Some(g) = g {
					g.terms.valid_from = 0;
					g.terms.valid_until = Some(now);
				}
			});
		}
		let grant_id = NextGrantId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(controller.clone()),
			patient,
			everything::<T>(grantee.clone(), now),
			Categories::SENSITIVE,
		);

		assert_granted_everything::<T>(grant_id, patient, grantee, controller, now);
	}

	/// The index has room: nothing is read but the index.
	#[benchmark]
	fn grant_with_room() {
		let (patient, controller, practitioner, _) = world::<T>();
		let grantee = Grantee::Practitioner(practitioner);
		fill_grants::<T>(patient, &grantee, &controller, T::MaxGrantsPerGrantee::get() - 1);
		let now = T::Time::now();
		let grant_id = NextGrantId::<T>::get();

		#[extrinsic_call]
		grant(
			RawOrigin::Signed(controller.clone()),
			patient,
			everything::<T>(grantee.clone(), now),
			Categories::SENSITIVE,
		);

		assert_granted_everything::<T>(grant_id, patient, grantee, controller, now);
	}

	#[benchmark]
	fn revoke() {
		let (patient, controller, practitioner, _) = world::<T>();
		fill_grants::<T>(patient, &Grantee::Practitioner(practitioner), &controller, 1);
		let grant_id = NextGrantId::<T>::get() - 1;

		#[extrinsic_call]
		_(RawOrigin::Signed(controller.clone()), grant_id);

		assert_last_event::<T>(Event::ConsentRevoked {
			grant_id,
			patient,
			revoked_by: controller,
			at: T::Time::now(),
		});
	}

	#[benchmark]
	fn add_deny() {
		let (patient, controller, practitioner, _) = world::<T>();
		fill_denies::<T>(
			patient,
			&controller,
			T::MaxDenyRules::get() - 1,
			Category::Imaging,
			Purpose::Research,
		);
		let grantee = Some(Grantee::Practitioner(practitioner));
		let deny_id = T::MaxDenyRules::get() - 1;

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), patient, grantee.clone(), Categories::ALL, Purposes::ALL);

		assert_last_event::<T>(Event::DenyAdded {
			patient,
			deny_id,
			grantee,
			categories: Categories::ALL,
			purposes: Purposes::ALL,
		});
	}

	#[benchmark]
	fn remove_deny() {
		let (patient, controller, _, _) = world::<T>();
		fill_denies::<T>(
			patient,
			&controller,
			T::MaxDenyRules::get(),
			Category::Imaging,
			Purpose::Research,
		);
		// The last rule: the longest search.
		let deny_id = T::MaxDenyRules::get() - 1;

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), patient, deny_id);

		assert_last_event::<T>(Event::DenyRemoved { patient, deny_id });
	}

	/// One expired grant examined and removed, from a full index.
	#[benchmark]
	fn cleanup_grant() -> Result<(), BenchmarkError> {
		let (patient, controller, practitioner, _) = world::<T>();
		let grantee = Grantee::Practitioner(practitioner);
		fill_grants::<T>(patient, &grantee, &controller, T::MaxGrantsPerGrantee::get());
		let grant_id = NextGrantId::<T>::get() - 1;
		// Revoked at time 0, and the clock past the retention: ended long enough ago.
		advance_clock_to::<T>(T::GrantRetention::get().saturating_add(1));
		Grants::<T>::mutate(grant_id, |g| {
			if let Some(g) = g {
				g.terms.valid_from = 0;
				g.revoked_at = Some(0);
			}
		});
		CleanupCursor::<T>::put(grant_id);
		let one_step =
			T::WeightInfo::cleanup_grant().saturating_add(T::DbWeight::get().reads_writes(2, 1));

		#[block]
		{
			Pallet::<T>::cleanup(one_step);
		}

		ensure!(Grants::<T>::get(grant_id).is_none(), "the expired grant was cleaned up");
		ensure!(
			!GrantsByGrantee::<T>::get(patient, &grantee).contains(&grant_id),
			"and dropped from its index"
		);
		Ok(())
	}

	#[benchmark]
	/// The worst case: a hospital physician asks for an emergency read; every deny rule and
	/// every grant of it and its organisation is examined and none matches; its emergency access
	/// to the patient is read and has ended; then the patient's policy and the physician's bar
	/// are read for `EmergencyOnly`.
	fn check_access() {
		let (patient, controller, _, _) = world::<T>();
		let physician: T::AccountId = account("emergency-physician", 0, 0);
		let organisation = T::BenchmarkHelper::make_active_practitioner(
			&physician,
			OrganisationKind::Hospital,
			Role::Physician,
		);
		let max = T::MaxGrantsPerGrantee::get();
		fill_grants::<T>(patient, &Grantee::Practitioner(physician.clone()), &controller, max);
		fill_grants::<T>(patient, &Grantee::Organisation(organisation), &controller, max);
		fill_denies::<T>(
			patient,
			&controller,
			T::MaxDenyRules::get(),
			Category::Genomics,
			Purpose::Payment,
		);
		advance_clock_to::<T>(T::Time::now().saturating_add(T::MinEmergencyTenure::get()));
		Pallet::<T>::break_glass(
			RawOrigin::Signed(physician.clone()).into(),
			patient,
			JustificationCode::PatientUnconscious,
			Category::Allergies.into(),
		)
		.expect("benchmark set-up: break the glass");
		advance_clock_to::<T>(T::Time::now().saturating_add(T::EmergencyAccessDuration::get()));
		let decision;

		#[block]
		{
			decision = Pallet::<T>::check_access(
				patient,
				&physician,
				Category::Allergies,
				Purpose::Emergency,
				Action::Read,
			);
		}

		// Every rule and every grant was examined; none matched, the access has ended.
		assert_eq!(decision, Decision::EmergencyOnly);
	}

	/// One ended emergency access examined and removed.
	#[benchmark]
	fn cleanup_emergency_access() -> Result<(), BenchmarkError> {
		let (patient, _, _, _) = world::<T>();
		let doctor: T::AccountId = account("emergency-physician", 0, 0);
		T::BenchmarkHelper::make_active_practitioner(
			&doctor,
			OrganisationKind::Hospital,
			Role::Physician,
		);
		// A member long enough to break the glass (the runtime's tenure; the mock's is 0).
		T::BenchmarkHelper::set_time(T::Time::now().saturating_add(T::MinEmergencyTenure::get()));
		Pallet::<T>::break_glass(
			RawOrigin::Signed(doctor).into(),
			patient,
			JustificationCode::LifeThreatening,
			Category::Allergies.into(),
		)
		.expect("benchmark set-up: break glass");
		let access_id = NextEmergencyAccessId::<T>::get() - 1;
		// Ended at time 0, and the clock past the retention.
		EmergencyAccesses::<T>::mutate(access_id, |a| {
			if let Some(a) = a {
				a.until = 0;
			}
		});
		advance_clock_to::<T>(T::EmergencyRetention::get().saturating_add(1));
		EmergencyCleanupCursor::<T>::put(access_id);
		let one_step = T::WeightInfo::cleanup_emergency_access()
			.saturating_add(T::DbWeight::get().reads_writes(2, 1));

		#[block]
		{
			Pallet::<T>::cleanup_emergency(one_step);
		}

		ensure!(
			EmergencyAccesses::<T>::get(access_id).is_none(),
			"the ended access was cleaned up"
		);
		Ok(())
	}

	#[benchmark]
	fn check_access_under() {
		let (patient, controller, practitioner, _) = world::<T>();
		fill_grants::<T>(patient, &Grantee::Practitioner(practitioner.clone()), &controller, 1);
		fill_denies::<T>(
			patient,
			&controller,
			T::MaxDenyRules::get(),
			Category::Genomics,
			Purpose::Payment,
		);
		let grant_id = NextGrantId::<T>::get() - 1;
		let decision;

		#[block]
		{
			decision = Pallet::<T>::decide_under(
				ConsentRef::Grant(grant_id),
				patient,
				&practitioner,
				Category::Imaging,
				Purpose::Research,
				Action::Read,
				T::Time::now(),
			);
		}

		assert!(decision.is_permit());
	}

	/// The worst case: the patient's open accesses one short of the cap, each kept (none has
	/// ended), the practitioner's and its organisation's rates one short too.
	#[benchmark]
	fn break_glass() {
		let (patient, _, _, _) = world::<T>();
		let doctor: T::AccountId = account("emergency-physician", 0, 0);
		let organisation = T::BenchmarkHelper::make_active_practitioner(
			&doctor,
			OrganisationKind::Hospital,
			Role::Physician,
		);
		let now = T::Time::now().saturating_add(T::MinEmergencyTenure::get());
		T::BenchmarkHelper::set_time(now);
		let later = now.saturating_add(T::EmergencyAccessDuration::get());
		let open = alloc::vec![later; T::MaxOpenEmergencyAccessesPerPatient::get() as usize - 1];
		PatientEmergencies::<T>::insert(patient, BoundedVec::truncate_from(open));
		let almost = |max: u32| RateCounter { start: now, count: max.saturating_sub(1) };
		EmergencyRates::<T>::insert(&doctor, almost(T::MaxEmergencyAccessesPerPeriod::get()));
		OrganisationEmergencyRates::<T>::insert(
			organisation,
			almost(T::MaxEmergencyAccessesPerOrganisation::get()),
		);
		let categories = Category::Allergies.into();
		let access_id = NextEmergencyAccessId::<T>::get();
		let until = T::Time::now().saturating_add(T::EmergencyAccessDuration::get());

		#[extrinsic_call]
		_(
			RawOrigin::Signed(doctor.clone()),
			patient,
			JustificationCode::PatientUnconscious,
			categories,
		);

		assert_last_event::<T>(Event::EmergencyAccessOpened {
			access_id,
			patient,
			practitioner: doctor,
			organisation,
			categories,
			justification: JustificationCode::PatientUnconscious,
			until,
		});
	}

	#[benchmark]
	fn review_emergency() {
		let (patient, controller, _, _) = world::<T>();
		let doctor: T::AccountId = account("emergency-physician", 0, 0);
		T::BenchmarkHelper::make_active_practitioner(
			&doctor,
			OrganisationKind::Hospital,
			Role::Physician,
		);
		T::BenchmarkHelper::set_time(T::Time::now().saturating_add(T::MinEmergencyTenure::get()));
		Pallet::<T>::break_glass(
			RawOrigin::Signed(doctor).into(),
			patient,
			JustificationCode::LifeThreatening,
			Category::Allergies.into(),
		)
		.expect("benchmark set-up: break glass");
		let access_id = NextEmergencyAccessId::<T>::get() - 1;

		// Unjustified: the longer path (the access is ended too).
		#[extrinsic_call]
		_(RawOrigin::Signed(controller.clone()), access_id, ReviewOutcome::Unjustified);

		assert_last_event::<T>(Event::EmergencyAccessReviewed {
			access_id,
			patient,
			outcome: ReviewOutcome::Unjustified,
			reviewer: Some(controller),
		});
		assert!(EmergencyBars::<T>::contains_key(
			patient,
			account::<T::AccountId>("emergency-physician", 0, 0)
		));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}

/// The set-up other pallets' benchmarks ask for (through the runtime's
/// `medchain_primitives::benchmarking::BenchmarkWorld`).
impl<T: Config> Pallet<T> {
	/// Makes the decision on `accessor` (an active clinician of a hospital or clinic) reading
	/// or appending any category of `patient`'s data for the purpose Emergency a permit at the
	/// highest cost for `grants_read` grants: every deny rule examined (none applies),
	/// `grants_read` grants naming the accessor or its organisation that do not cover the
	/// purpose, then the accessor's open emergency access, which permits it. Returns that access.
	pub fn make_worst_case_access(
		patient: PatientId,
		accessor: &T::AccountId,
		grants_read: u32,
	) -> ConsentRef {
		let now = T::Time::now();
		let practitioner = T::Providers::active_practitioner(accessor)
			.expect("benchmark set-up: an active practitioner");
		let organisation = practitioner.organisation;
		// Deny rules, all examined, none applying (they name an organisation that does not exist).
		Denies::<T>::mutate(patient, |denies| {
			while (denies.rules.len() as u32) < T::MaxDenyRules::get() {
				let rule = DenyRule {
					id: denies.next_id,
					grantee: Some(Grantee::Organisation(OrganisationId::MAX)),
					categories: Categories::ALL,
					purposes: Purposes::ALL,
				};
				denies.next_id = denies.next_id.saturating_add(1);
				let _ = denies.rules.try_push(rule);
			}
		});
		// Grants that name the accessor (the practitioner's index first, then its
		// organisation's) and cover every purpose but Emergency: each is read and examined.
		let max = T::MaxGrantsPerGrantee::get();
		let to_practitioner = grants_read.min(max);
		let to_organisation = grants_read.saturating_sub(max).min(max);
		for (grantee, n) in [
			(Grantee::Practitioner(accessor.clone()), to_practitioner),
			(Grantee::Organisation(organisation), to_organisation),
		] {
			for _ in 0..n {
				let grant_id = NextGrantId::<T>::get();
				NextGrantId::<T>::put(grant_id.saturating_add(1));
				GrantsByGrantee::<T>::mutate(patient, &grantee, |ids| {
					let _ = ids.try_push(grant_id);
				});
				Grants::<T>::insert(
					grant_id,
					Grant {
						patient,
						terms: GrantTerms {
							grantee: grantee.clone(),
							categories: Categories::ALL,
							purposes: Purposes::ALL.difference(Purpose::Emergency.into()),
							actions: Actions::ALL,
							valid_from: 0,
							valid_until: None,
						},
						granted_by: accessor.clone(),
						granted_at: now,
						organisation: Some(organisation),
						revoked_at: None,
					},
				);
			}
		}
		// The permit: the accessor's open emergency access, read after every grant.
		let access_id = NextEmergencyAccessId::<T>::get();
		NextEmergencyAccessId::<T>::put(access_id.saturating_add(1));
		EmergencyAccesses::<T>::insert(
			access_id,
			EmergencyAccess {
				patient,
				practitioner: accessor.clone(),
				organisation,
				categories: Categories::ALL,
				justification: JustificationCode::LifeThreatening,
				opened_at: now,
				until: now.saturating_add(T::EmergencyAccessDuration::get()),
				review: None,
			},
		);
		OpenEmergency::<T>::insert(patient, accessor, access_id);
		ConsentRef::Emergency(access_id)
	}
}
