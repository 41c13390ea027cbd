//! Membership: invite_practitioner, cancel_invitation, accept_invitation, decline_invitation,
//! remove_practitioner, leave_organisation, force_remove_practitioner.

use frame::testing_prelude::*;
use medchain_primitives::{ProviderRegistry, Role};

use crate::{
	mock::*, Error, Event, Invitation, Invitations, Membership, Organisations, Practitioners,
};

const PHARMACIST: u64 = 13;

#[test]
fn an_admin_invites_and_the_account_accepts() {
	with_world(|| {
		assert_ok!(Providers::invite_practitioner(
			RuntimeOrigin::signed(HOSPITAL_ADMIN),
			PHARMACIST,
			Role::Pharmacist
		));
		let expires_at = NOW + 7 * DAY;
		System::assert_last_event(
			Event::PractitionerInvited {
				organisation: HOSPITAL,
				practitioner: PHARMACIST,
				role: Role::Pharmacist,
				expires_at,
			}
			.into(),
		);
		assert_eq!(
			Invitations::<Test>::get(PHARMACIST, HOSPITAL),
			Some(Invitation { role: Role::Pharmacist, expires_at })
		);
		// Invited, not yet a practitioner: it acts for nobody.
		assert_eq!(Practitioners::<Test>::get(PHARMACIST), None);
		assert_eq!(Providers::active_practitioner(&PHARMACIST), None);
		assert_eq!(Providers::invited_by(&PHARMACIST), Some(HOSPITAL));
		// It exists on chain, so that it can sign its acceptance.
		assert!(System::account_exists(&PHARMACIST));

		set_now(NOW + DAY);
		assert_ok!(Providers::accept_invitation(RuntimeOrigin::signed(PHARMACIST), HOSPITAL));
		System::assert_last_event(
			Event::PractitionerAdded {
				organisation: HOSPITAL,
				practitioner: PHARMACIST,
				role: Role::Pharmacist,
			}
			.into(),
		);
		assert_eq!(
			Practitioners::<Test>::get(PHARMACIST),
			Some(Membership { organisation: HOSPITAL, role: Role::Pharmacist, since: NOW + DAY })
		);
		assert_eq!(Invitations::<Test>::get(PHARMACIST, HOSPITAL), None);
		let hospital = Organisations::<Test>::get(HOSPITAL).unwrap();
		assert_eq!((hospital.practitioners, hospital.invitations), (3, 0));
	});
}

#[test]
fn nobody_becomes_a_practitioner_without_accepting() {
	// M-1: the admin of another organisation cannot be enrolled as staff, and an account
	// cannot be taken by an organisation it did not agree to join.
	with_world(|| {
		assert_noop!(
			Providers::invite_practitioner(
				RuntimeOrigin::signed(HOSPITAL_ADMIN),
				LAB_ADMIN,
				Role::Nurse
			),
			Error::<Test>::AccountIsAdmin
		);
		// The lab invites the hospital's physician: nothing changes until the physician
		// leaves the hospital and accepts.
		assert_ok!(Providers::invite_practitioner(
			RuntimeOrigin::signed(LAB_ADMIN),
			PHYSICIAN,
			Role::Researcher
		));
		assert_eq!(Providers::active_practitioner(&PHYSICIAN).unwrap().organisation, HOSPITAL);
		assert_noop!(
			Providers::accept_invitation(RuntimeOrigin::signed(PHYSICIAN), LAB),
			Error::<Test>::AlreadyPractitioner
		);
		// Nobody else can accept on its behalf.
		assert_noop!(
			Providers::accept_invitation(RuntimeOrigin::signed(STRANGER), LAB),
			Error::<Test>::NoInvitation
		);
	});
}

#[test]
fn a_practitioner_cannot_be_invited_twice_by_its_own_organisation() {
	with_world(|| {
		assert_noop!(
			Providers::invite_practitioner(
				RuntimeOrigin::signed(HOSPITAL_ADMIN),
				PHYSICIAN,
				Role::Nurse
			),
			Error::<Test>::AlreadyPractitioner
		);
		assert_ok!(Providers::invite_practitioner(
			RuntimeOrigin::signed(HOSPITAL_ADMIN),
			PHARMACIST,
			Role::Pharmacist
		));
		assert_noop!(
			Providers::invite_practitioner(
				RuntimeOrigin::signed(HOSPITAL_ADMIN),
				PHARMACIST,
				Role::Nurse
			),
			Error::<Test>::AlreadyInvited
		);
	});
}

#[test]
fn an_invitation_lapses_and_can_be_renewed() {
	with_world(|| {
		assert_ok!(Providers::invite_practitioner(
			RuntimeOrigin::signed(HOSPITAL_ADMIN),
			PHARMACIST,
			Role::Pharmacist
		));
		set_now(NOW + 7 * DAY);
		assert_noop!(
			Providers::accept_invitation(RuntimeOrigin::signed(PHARMACIST), HOSPITAL),
			Error::<Test>::InvitationExpired
		);
		// Renewing takes no second slot.
		assert_ok!(Providers::invite_practitioner(
			RuntimeOrigin::signed(HOSPITAL_ADMIN),
			PHARMACIST,
			Role::Nurse
		));
		assert_eq!(Organisations::<Test>::get(HOSPITAL).unwrap().invitations, 1);
		assert_ok!(Providers::accept_invitation(RuntimeOrigin::signed(PHARMACIST), HOSPITAL));
		assert_eq!(Practitioners::<Test>::get(PHARMACIST).unwrap().role, Role::Nurse);
	});
}

#[test]
fn an_organisation_has_at_most_the_maximum_of_open_invitations() {
	with_world(|| {
		// The mock allows 2.
		assert_ok!(Providers::invite_practitioner(
			RuntimeOrigin::signed(HOSPITAL_ADMIN),
			13,
			Role::Billing
		));
		assert_ok!(Providers::invite_practitioner(
			RuntimeOrigin::signed(HOSPITAL_ADMIN),
			14,
			Role::Billing
		));
		assert_noop!(
			Providers::invite_practitioner(
				RuntimeOrigin::signed(HOSPITAL_ADMIN),
				15,
				Role::Billing
			),
			Error::<Test>::TooManyInvitations
		);
		// Cancelling one frees its slot.
		assert_ok!(Providers::cancel_invitation(RuntimeOrigin::signed(HOSPITAL_ADMIN), 13));
		System::assert_last_event(
			Event::InvitationClosed { organisation: HOSPITAL, practitioner: 13 }.into(),
		);
		assert_ok!(Providers::invite_practitioner(
			RuntimeOrigin::signed(HOSPITAL_ADMIN),
			15,
			Role::Billing
		));
	});
}

#[test]
fn the_invited_account_may_decline() {
	with_world(|| {
		assert_ok!(Providers::invite_practitioner(
			RuntimeOrigin::signed(HOSPITAL_ADMIN),
			PHARMACIST,
			Role::Pharmacist
		));
		assert_ok!(Providers::decline_invitation(RuntimeOrigin::signed(PHARMACIST), HOSPITAL));
		System::assert_last_event(
			Event::InvitationClosed { organisation: HOSPITAL, practitioner: PHARMACIST }.into(),
		);
		assert_eq!(Organisations::<Test>::get(HOSPITAL).unwrap().invitations, 0);
		assert_noop!(
			Providers::accept_invitation(RuntimeOrigin::signed(PHARMACIST), HOSPITAL),
			Error::<Test>::NoInvitation
		);
		assert_noop!(
			Providers::decline_invitation(RuntimeOrigin::signed(PHARMACIST), HOSPITAL),
			Error::<Test>::NoInvitation
		);
		assert_noop!(
			Providers::cancel_invitation(RuntimeOrigin::signed(HOSPITAL_ADMIN), PHARMACIST),
			Error::<Test>::NoInvitation
		);
	});
}

#[test]
fn an_organisation_has_at_most_the_maximum_of_practitioners() {
	with_world(|| {
		// The mock allows 3; the hospital has 2.
		assert_ok!(hire(HOSPITAL_ADMIN, 13, Role::Billing));
		assert_ok!(Providers::invite_practitioner(
			RuntimeOrigin::signed(HOSPITAL_ADMIN),
			14,
			Role::Billing
		));
		assert_noop!(
			Providers::accept_invitation(RuntimeOrigin::signed(14), HOSPITAL),
			Error::<Test>::TooManyPractitioners
		);
	});
}

#[test]
fn a_suspended_organisation_invites_and_admits_nobody() {
	with_world(|| {
		assert_ok!(Providers::invite_practitioner(
			RuntimeOrigin::signed(LAB_ADMIN),
			22,
			Role::LabTechnician
		));
		assert_ok!(Providers::suspend_organisation(RuntimeOrigin::root(), LAB));
		assert_noop!(
			Providers::invite_practitioner(
				RuntimeOrigin::signed(LAB_ADMIN),
				23,
				Role::LabTechnician
			),
			Error::<Test>::OrganisationSuspended
		);
		assert_noop!(
			Providers::accept_invitation(RuntimeOrigin::signed(22), LAB),
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
	});
}

#[test]
fn a_removed_account_is_never_reaped_so_its_nonce_never_restarts() {
	// L-6: a reaped account starts again at nonce 0, and its old transactions replay.
	with_world(|| {
		System::inc_account_nonce(NURSE);
		System::inc_account_nonce(NURSE);
		assert_ok!(Providers::remove_practitioner(RuntimeOrigin::signed(HOSPITAL_ADMIN), NURSE));
		assert!(System::account_exists(&NURSE));
		assert_eq!(System::account_nonce(NURSE), 2);
		// Hired again, it carries on from its nonce.
		assert_ok!(hire(HOSPITAL_ADMIN, NURSE, Role::Nurse));
		assert_eq!(System::account_nonce(NURSE), 2);
	});
}

#[test]
fn nothing_a_practitioner_holds_can_block_its_removal() {
	// C-1: a consumer reference (e.g. session keys) made `dec_providers` fail, so the
	// practitioner stayed active.
	for remove in [
		|| Providers::remove_practitioner(RuntimeOrigin::signed(HOSPITAL_ADMIN), NURSE),
		|| Providers::force_remove_practitioner(RuntimeOrigin::root(), NURSE),
	] {
		with_world(|| {
			assert_ok!(System::inc_consumers(&NURSE));
			assert_ok!(remove());
			assert_eq!(Providers::active_practitioner(&NURSE), None);
		});
	}
}

#[test]
fn a_suspended_organisation_may_still_remove_practitioners() {
	with_world(|| {
		assert_ok!(Providers::suspend_organisation(RuntimeOrigin::root(), LAB));
		assert_ok!(Providers::remove_practitioner(
			RuntimeOrigin::signed(LAB_ADMIN),
			LAB_TECHNICIAN
		));
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

#[test]
fn a_practitioner_leaves_and_may_then_join_another_organisation() {
	with_world(|| {
		assert_ok!(Providers::invite_practitioner(
			RuntimeOrigin::signed(LAB_ADMIN),
			PHYSICIAN,
			Role::Researcher
		));
		assert_ok!(Providers::leave_organisation(RuntimeOrigin::signed(PHYSICIAN)));
		System::assert_last_event(
			Event::PractitionerLeft { organisation: HOSPITAL, practitioner: PHYSICIAN }.into(),
		);
		assert_eq!(Organisations::<Test>::get(HOSPITAL).unwrap().practitioners, 1);
		assert_noop!(
			Providers::leave_organisation(RuntimeOrigin::signed(PHYSICIAN)),
			Error::<Test>::NotPractitioner
		);
		set_now(NOW + DAY);
		assert_ok!(Providers::accept_invitation(RuntimeOrigin::signed(PHYSICIAN), LAB));
		let now = Providers::active_practitioner(&PHYSICIAN).unwrap();
		assert_eq!((now.organisation, now.since), (LAB, NOW + DAY));
	});
}

#[test]
fn a_practitioner_of_a_suspended_organisation_may_leave() {
	with_world(|| {
		assert_ok!(Providers::suspend_organisation(RuntimeOrigin::root(), LAB));
		assert_ok!(Providers::leave_organisation(RuntimeOrigin::signed(LAB_TECHNICIAN)));
	});
}

#[test]
fn governance_removes_any_practitioner() {
	with_world(|| {
		assert_ok!(Providers::force_remove_practitioner(RuntimeOrigin::root(), LAB_TECHNICIAN));
		System::assert_last_event(
			Event::PractitionerRemoved { organisation: LAB, practitioner: LAB_TECHNICIAN }.into(),
		);
		assert_eq!(Providers::active_practitioner(&LAB_TECHNICIAN), None);
		assert_noop!(
			Providers::force_remove_practitioner(RuntimeOrigin::root(), LAB_TECHNICIAN),
			Error::<Test>::NotPractitioner
		);
	});
}
