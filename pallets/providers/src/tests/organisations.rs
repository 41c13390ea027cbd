//! register_organisation, suspend_organisation, reinstate_organisation.

use frame::testing_prelude::*;
use medchain_primitives::OrganisationKind;

use crate::{
	mock::*, AdminOf, Error, Event, NextOrganisationId, Organisation, OrganisationStatus,
	Organisations,
};

#[test]
fn governance_registers_an_organisation_with_the_next_id() {
	with_world(|| {
		let admin = 30;
		assert_ok!(Providers::register_organisation(
			RuntimeOrigin::root(),
			admin,
			OrganisationKind::Insurer,
			license(3)
		));
		System::assert_last_event(
			Event::OrganisationRegistered {
				organisation: 2,
				admin,
				kind: OrganisationKind::Insurer,
				license_hash: license(3),
			}
			.into(),
		);
		assert_eq!(
			Organisations::<Test>::get(2),
			Some(Organisation {
				admin,
				kind: OrganisationKind::Insurer,
				license_hash: license(3),
				status: OrganisationStatus::Active,
				practitioners: 0,
				invitations: 0,
			})
		);
		assert_eq!(AdminOf::<Test>::get(admin), Some(2));
		assert_eq!(NextOrganisationId::<Test>::get(), 3);
		// The admin's account now exists without any balance: the pallet provides for it.
		assert!(System::account_exists(&admin));
	});
}

#[test]
fn an_admin_account_administers_one_organisation_only() {
	with_world(|| {
		assert_noop!(
			Providers::register_organisation(
				RuntimeOrigin::root(),
				HOSPITAL_ADMIN,
				OrganisationKind::Clinic,
				license(4)
			),
			Error::<Test>::AdminAlreadyAssigned
		);
	});
}

#[test]
fn a_practitioner_cannot_be_an_organisations_admin() {
	with_world(|| {
		assert_noop!(
			Providers::register_organisation(
				RuntimeOrigin::root(),
				PHYSICIAN,
				OrganisationKind::Clinic,
				license(4)
			),
			Error::<Test>::AdminIsPractitioner
		);
	});
}

#[test]
fn a_license_hash_of_zeros_is_refused() {
	with_world(|| {
		assert_noop!(
			Providers::register_organisation(
				RuntimeOrigin::root(),
				30,
				OrganisationKind::Clinic,
				Default::default()
			),
			Error::<Test>::NoLicenseHash
		);
	});
}

#[test]
fn organisation_ids_do_not_wrap() {
	with_world(|| {
		NextOrganisationId::<Test>::put(u32::MAX);
		assert_noop!(
			Providers::register_organisation(
				RuntimeOrigin::root(),
				30,
				OrganisationKind::Lab,
				license(3)
			),
			Error::<Test>::OrganisationIdsExhausted
		);
		// Leave the world consistent for the invariants check.
		NextOrganisationId::<Test>::put(2);
	});
}

#[test]
fn governance_suspends_an_active_organisation() {
	with_world(|| {
		assert_ok!(Providers::suspend_organisation(RuntimeOrigin::root(), LAB));
		System::assert_last_event(Event::OrganisationSuspended { organisation: LAB }.into());
		assert_eq!(Organisations::<Test>::get(LAB).unwrap().status, OrganisationStatus::Suspended);
		// Its practitioners keep their membership.
		assert_eq!(Organisations::<Test>::get(LAB).unwrap().practitioners, 1);
	});
}

#[test]
fn suspending_needs_a_known_active_organisation() {
	with_world(|| {
		assert_noop!(
			Providers::suspend_organisation(RuntimeOrigin::root(), 7),
			Error::<Test>::UnknownOrganisation
		);
		assert_ok!(Providers::suspend_organisation(RuntimeOrigin::root(), LAB));
		assert_noop!(
			Providers::suspend_organisation(RuntimeOrigin::root(), LAB),
			Error::<Test>::OrganisationAlreadySuspended
		);
	});
}

#[test]
fn governance_reinstates_a_suspended_organisation() {
	with_world(|| {
		assert_ok!(Providers::suspend_organisation(RuntimeOrigin::root(), HOSPITAL));
		assert_ok!(Providers::reinstate_organisation(RuntimeOrigin::root(), HOSPITAL));
		System::assert_last_event(Event::OrganisationReinstated { organisation: HOSPITAL }.into());
		assert_eq!(
			Organisations::<Test>::get(HOSPITAL).unwrap().status,
			OrganisationStatus::Active
		);
	});
}

#[test]
fn reinstating_needs_a_known_suspended_organisation() {
	with_world(|| {
		assert_noop!(
			Providers::reinstate_organisation(RuntimeOrigin::root(), 7),
			Error::<Test>::UnknownOrganisation
		);
		assert_noop!(
			Providers::reinstate_organisation(RuntimeOrigin::root(), HOSPITAL),
			Error::<Test>::OrganisationNotSuspended
		);
	});
}
