//! Benchmarks of pallet-providers (FRAME benchmarking v2). Each measures the worst case of its
//! call: the organisation exists with `MaxPractitionersPerOrganisation - 1` practitioners
//! (the count is a number, so the size of the organisation does not change the cost).

// Set-up code, never on a chain's dispatch path: it may compute freely.
#![allow(clippy::arithmetic_side_effects)]
#![cfg(feature = "runtime-benchmarks")]

use frame::benchmarking::prelude::*;
use medchain_primitives::{Hash32, OrganisationKind, Role};

use crate::*;

fn governance<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

/// An organisation with its admin, as governance registers it.
fn organisation<T: Config>() -> Result<(OrganisationId, T::AccountId), BenchmarkError> {
	let admin: T::AccountId = account("admin", 0, 0);
	let id = Pallet::<T>::do_register_organisation(
		admin.clone(),
		OrganisationKind::Hospital,
		Hash32::repeat_byte(1),
	)
	.map_err(|_| BenchmarkError::Stop("registering the organisation failed"))?;
	Ok((id, admin))
}

/// An account the organisation's `admin` invited as a physician.
fn invited<T: Config>(admin: &T::AccountId) -> Result<T::AccountId, BenchmarkError> {
	let practitioner: T::AccountId = account("practitioner", 0, 0);
	Pallet::<T>::invite_practitioner(
		RawOrigin::Signed(admin.clone()).into(),
		practitioner.clone(),
		Role::Physician,
	)
	.map_err(|_| BenchmarkError::Stop("inviting the practitioner failed"))?;
	Ok(practitioner)
}

/// A practitioner of `organisation`.
fn member<T: Config>(organisation: OrganisationId) -> Result<T::AccountId, BenchmarkError> {
	let practitioner: T::AccountId = account("practitioner", 0, 0);
	Pallet::<T>::do_add_practitioner(organisation, practitioner.clone(), Role::Nurse)
		.map_err(|_| BenchmarkError::Stop("adding the practitioner failed"))?;
	Ok(practitioner)
}

fn assert_last_event<T: Config>(event: Event<T>) {
	let event: <T as frame_system::Config>::RuntimeEvent = event.into();
	frame_system::Pallet::<T>::assert_last_event(event);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_organisation() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let admin: T::AccountId = account("admin", 0, 0);
		let license_hash = Hash32::repeat_byte(7);
		let organisation = NextOrganisationId::<T>::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, admin.clone(), OrganisationKind::Lab, license_hash);

		assert_last_event::<T>(Event::OrganisationRegistered {
			organisation,
			admin,
			kind: OrganisationKind::Lab,
			license_hash,
		});
		Ok(())
	}

	#[benchmark]
	fn suspend_organisation() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let (organisation, _) = organisation::<T>()?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, organisation);

		assert_last_event::<T>(Event::OrganisationSuspended { organisation });
		Ok(())
	}

	#[benchmark]
	fn reinstate_organisation() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let (organisation, _) = organisation::<T>()?;
		Organisations::<T>::mutate(organisation, |o| {
			if let Some(o) = o {
				o.status = OrganisationStatus::Suspended
			}
		});

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, organisation);

		assert_last_event::<T>(Event::OrganisationReinstated { organisation });
		Ok(())
	}

	#[benchmark]
	fn invite_practitioner() -> Result<(), BenchmarkError> {
		let (organisation, admin) = organisation::<T>()?;
		Organisations::<T>::mutate(organisation, |o| {
			if let Some(o) = o {
				o.invitations = T::MaxOpenInvitations::get().saturating_sub(1)
			}
		});
		let practitioner: T::AccountId = account("practitioner", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), practitioner.clone(), Role::Physician);

		assert!(Invitations::<T>::contains_key(&practitioner, organisation));
		Ok(())
	}

	#[benchmark]
	fn cancel_invitation() -> Result<(), BenchmarkError> {
		let (organisation, admin) = organisation::<T>()?;
		let practitioner = invited::<T>(&admin)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), practitioner.clone());

		assert_last_event::<T>(Event::InvitationClosed { organisation, practitioner });
		Ok(())
	}

	#[benchmark]
	fn accept_invitation() -> Result<(), BenchmarkError> {
		let (organisation, admin) = organisation::<T>()?;
		let practitioner = invited::<T>(&admin)?;
		Organisations::<T>::mutate(organisation, |o| {
			if let Some(o) = o {
				o.practitioners = T::MaxPractitionersPerOrganisation::get().saturating_sub(1)
			}
		});

		#[extrinsic_call]
		_(RawOrigin::Signed(practitioner.clone()), organisation);

		assert_last_event::<T>(Event::PractitionerAdded {
			organisation,
			practitioner,
			role: Role::Physician,
		});
		Ok(())
	}

	#[benchmark]
	fn decline_invitation() -> Result<(), BenchmarkError> {
		let (organisation, admin) = organisation::<T>()?;
		let practitioner = invited::<T>(&admin)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(practitioner.clone()), organisation);

		assert_last_event::<T>(Event::InvitationClosed { organisation, practitioner });
		Ok(())
	}

	#[benchmark]
	fn remove_practitioner() -> Result<(), BenchmarkError> {
		let (organisation, admin) = organisation::<T>()?;
		let practitioner = member::<T>(organisation)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), practitioner.clone());

		assert_last_event::<T>(Event::PractitionerRemoved { organisation, practitioner });
		Ok(())
	}

	#[benchmark]
	fn leave_organisation() -> Result<(), BenchmarkError> {
		let (organisation, _) = organisation::<T>()?;
		let practitioner = member::<T>(organisation)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(practitioner.clone()));

		assert_last_event::<T>(Event::PractitionerLeft { organisation, practitioner });
		Ok(())
	}

	#[benchmark]
	fn force_remove_practitioner() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let (organisation, _) = organisation::<T>()?;
		let practitioner = member::<T>(organisation)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, practitioner.clone());

		assert_last_event::<T>(Event::PractitionerRemoved { organisation, practitioner });
		Ok(())
	}

	#[benchmark]
	fn propose_admin() -> Result<(), BenchmarkError> {
		let (organisation, admin) = organisation::<T>()?;
		// The worst case replaces an open proposal.
		let earlier: T::AccountId = account("earlier", 0, 0);
		Pallet::<T>::propose_admin(RawOrigin::Signed(admin.clone()).into(), earlier)
			.map_err(|_| BenchmarkError::Stop("the first proposal failed"))?;
		let proposed: T::AccountId = account("proposed", 0, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), proposed.clone());

		let expires_at = AdminProposals::<T>::get(organisation).map(|p| p.expires_at).unwrap_or(0);
		assert_last_event::<T>(Event::AdminProposed { organisation, proposed, expires_at });
		Ok(())
	}

	#[benchmark]
	fn accept_admin() -> Result<(), BenchmarkError> {
		let (organisation, admin) = organisation::<T>()?;
		let proposed: T::AccountId = account("proposed", 0, 0);
		Pallet::<T>::propose_admin(RawOrigin::Signed(admin.clone()).into(), proposed.clone())
			.map_err(|_| BenchmarkError::Stop("the proposal failed"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(proposed.clone()), organisation);

		assert_last_event::<T>(Event::AdminChanged {
			organisation,
			old_admin: admin,
			new_admin: proposed,
		});
		Ok(())
	}

	#[benchmark]
	fn force_set_admin() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let (organisation, admin) = organisation::<T>()?;
		// The worst case drops an open proposal.
		let proposed: T::AccountId = account("proposed", 0, 0);
		Pallet::<T>::propose_admin(RawOrigin::Signed(admin.clone()).into(), proposed)
			.map_err(|_| BenchmarkError::Stop("the proposal failed"))?;
		let new_admin: T::AccountId = account("new-admin", 0, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, organisation, new_admin.clone());

		assert_last_event::<T>(Event::AdminChanged { organisation, old_admin: admin, new_admin });
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}

/// The set-up other pallets' benchmarks ask for (through the runtime's
/// `medchain_primitives::benchmarking::BenchmarkWorld`).
impl<T: Config> Pallet<T> {
	/// Makes `who` an active practitioner (with `role`) of an organisation of `kind`, and
	/// returns that organisation.
	pub fn make_active_practitioner(
		who: &T::AccountId,
		kind: OrganisationKind,
		role: Role,
	) -> OrganisationId {
		// One benchmark organisation of each kind, registered on first use.
		let admin: T::AccountId = account("benchmark-admin", kind as u32, 0);
		let organisation = AdminOf::<T>::get(&admin).unwrap_or_else(|| {
			Self::do_register_organisation(admin, kind, Hash32::repeat_byte(1))
				.expect("benchmark set-up: a fresh admin registers")
		});
		Self::do_add_practitioner(organisation, who.clone(), role)
			.expect("benchmark set-up: a fresh practitioner joins");
		organisation
	}
}
