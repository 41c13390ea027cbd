//! add_practitioner, remove_practitioner.

use frame::testing_prelude::*;
use medchain_primitives::Role;

use crate::{mock::*, Error, Event, Membership, Organisations, Practitioners};

#[test]
fn an_admin_adds_a_practitioner_to_its_organisation() {
	with_world(|| {
		let pharmacist = 13;
		assert_ok!(Providers::add_practitioner(RuntimeOrigin::signed(HOSPITAL_ADMIN), pharmacist, Role::Pharmacist));
		System::assert_last_event(
			Event::PractitionerAdded { organisation: HOSPITAL, practitioner: pharmacist, role: Role::Pharmacist }
				.into(),
		);
		assert_eq!(
			Practitioners::<Test>::get(pharmacist),
			Some(Membership { organisation: HOSPITAL, role: Role::Pharmacist })
		);
		assert_eq!(Organisations::<Test>::get(HOSPITAL).unwrap().practitioners, 3);
		assert!(System::account_exists(&pharmacist));
	});
}

#[test]
fn a_practitioner_belongs_to_one_organisation() {
	with_world(|| {
		// Already at the hospital: neither the lab nor the hospital can add it again.
		assert_noop!(
			Providers::add_practitioner(RuntimeOrigin::signed(LAB_ADMIN), PHYSICIAN, Role::Researcher),
			Error::<Test>::AlreadyPractitioner
		);
		assert_noop!(
			Providers::add_practitioner(RuntimeOrigin::signed(HOSPITAL_ADMIN), PHYSICIAN, Role::Nurse),
			Error::<Test>::AlreadyPractitioner
		);
	});
}

#[test]
fn an_organisation_has_at_most_the_maximum_of_practitioners() {
	with_world(|| {
		// The mock allows 3; the hospital has 2.
		assert_ok!(Providers::add_practitioner(RuntimeOrigin::signed(HOSPITAL_ADMIN), 13, Role::Billing));
		assert_noop!(
			Providers::add_practitioner(RuntimeOrigin::signed(HOSPITAL_ADMIN), 14, Role::Billing),
			Error::<Test>::TooManyPractitioners
		);
	});
}

#[test]
fn a_suspended_organisation_adds_no_practitioner() {
	with_world(|| {
		assert_ok!(Providers::suspend_organisation(RuntimeOrigin::root(), LAB));
		assert_noop!(
			Providers::add_practitioner(RuntimeOrigin::signed(LAB_ADMIN), 22, Role::LabTechnician),
			Error::<Test>::OrganisationSuspended
		);
	});
}

#[test]
fn an_admin_removes_its_practitioner() {
	with_world(|| {
		assert_ok!(Providers::remove_practitioner(RuntimeOrigin::signed(HOSPITAL_ADMIN), NURSE));
		System::assert_last_event(
			Event::PractitionerRemoved { organisation: HOSPITAL, practitioner: NURSE }.into(),
		);
		assert_eq!(Practitioners::<Test>::get(NURSE), None);
		assert_eq!(Organisations::<Test>::get(HOSPITAL).unwrap().practitioners, 1);
		// The pallet no longer provides for the account, which had nothing else.
		assert!(!System::account_exists(&NURSE));
	});
}

#[test]
fn a_suspended_organisation_may_still_remove_practitioners() {
	with_world(|| {
		assert_ok!(Providers::suspend_organisation(RuntimeOrigin::root(), LAB));
		assert_ok!(Providers::remove_practitioner(RuntimeOrigin::signed(LAB_ADMIN), LAB_TECHNICIAN));
	});
}

#[test]
fn an_admin_removes_only_its_own_practitioners() {
	with_world(|| {
		assert_noop!(
			Providers::remove_practitioner(RuntimeOrigin::signed(LAB_ADMIN), PHYSICIAN),
			Error::<Test>::NotPractitionerOfOrganisation
		);
		assert_noop!(
			Providers::remove_practitioner(RuntimeOrigin::signed(LAB_ADMIN), STRANGER),
			Error::<Test>::NotPractitionerOfOrganisation
		);
	});
}
