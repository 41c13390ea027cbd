//! propose_admin, accept_admin, force_set_admin: an organisation's admin key can be replaced
//! (security review 2026-12, N-5).

use frame::testing_prelude::*;
use medchain_primitives::{ProviderRegistry, Role};

use crate::{mock::*, AdminOf, AdminProposal, AdminProposals, Error, Event, ProposedAdminOf};

/// A fresh account that the hospital's admin may hand its key on to.
const NEW_ADMIN: u64 = 15;

#[test]
fn an_admin_hands_its_key_on_in_two_steps() {
	with_world(|| {
		assert_ok!(Providers::propose_admin(RuntimeOrigin::signed(HOSPITAL_ADMIN), NEW_ADMIN));
		let expires_at = NOW + 7 * DAY;
		System::assert_last_event(
			Event::AdminProposed { organisation: HOSPITAL, proposed: NEW_ADMIN, expires_at }.into(),
		);
		assert_eq!(
			AdminProposals::<Test>::get(HOSPITAL),
			Some(AdminProposal { account: NEW_ADMIN, expires_at })
		);
		assert_eq!(Providers::admin_proposed_to(&NEW_ADMIN), Some(HOSPITAL));
		// Until the proposed account accepts, the old key is the admin.
		assert_eq!(Providers::administered_by(&HOSPITAL_ADMIN), Some(HOSPITAL));
		assert_eq!(Providers::administered_by(&NEW_ADMIN), None);

		assert_ok!(Providers::accept_admin(RuntimeOrigin::signed(NEW_ADMIN), HOSPITAL));
		System::assert_last_event(
			Event::AdminChanged {
				organisation: HOSPITAL,
				old_admin: HOSPITAL_ADMIN,
				new_admin: NEW_ADMIN,
			}
			.into(),
		);
		assert_eq!(Providers::administered_by(&NEW_ADMIN), Some(HOSPITAL));
		assert_eq!(Providers::organisation(HOSPITAL).map(|o| o.admin), Some(NEW_ADMIN));
		assert_eq!(AdminProposals::<Test>::get(HOSPITAL), None);
		assert_eq!(ProposedAdminOf::<Test>::get(NEW_ADMIN), None);
		// The old key administers nothing any more.
		assert_eq!(AdminOf::<Test>::get(HOSPITAL_ADMIN), None);
		assert_noop!(
			Providers::invite_practitioner(RuntimeOrigin::signed(HOSPITAL_ADMIN), 40, Role::Nurse),
			Error::<Test>::NotOrganisationAdmin
		);
		assert_ok!(Providers::invite_practitioner(
			RuntimeOrigin::signed(NEW_ADMIN),
			40,
			Role::Nurse
		));
	});
}

#[test]
fn only_the_proposed_account_accepts_and_only_before_the_proposal_lapses() {
	with_world(|| {
		assert_noop!(
			Providers::accept_admin(RuntimeOrigin::signed(NEW_ADMIN), HOSPITAL),
			Error::<Test>::NoAdminProposal
		);
		assert_ok!(Providers::propose_admin(RuntimeOrigin::signed(HOSPITAL_ADMIN), NEW_ADMIN));
		assert_noop!(
			Providers::accept_admin(RuntimeOrigin::signed(STRANGER), HOSPITAL),
			Error::<Test>::NoAdminProposal
		);
		assert_noop!(
			Providers::accept_admin(RuntimeOrigin::signed(NEW_ADMIN), LAB),
			Error::<Test>::NoAdminProposal
		);
		set_now(NOW + 7 * DAY);
		assert_noop!(
			Providers::accept_admin(RuntimeOrigin::signed(NEW_ADMIN), HOSPITAL),
			Error::<Test>::AdminProposalExpired
		);
	});
}

#[test]
fn a_new_proposal_replaces_the_open_one() {
	with_world(|| {
		assert_ok!(Providers::propose_admin(RuntimeOrigin::signed(HOSPITAL_ADMIN), NEW_ADMIN));
		assert_ok!(Providers::propose_admin(RuntimeOrigin::signed(HOSPITAL_ADMIN), 16));
		assert_eq!(ProposedAdminOf::<Test>::get(NEW_ADMIN), None);
		assert_noop!(
			Providers::accept_admin(RuntimeOrigin::signed(NEW_ADMIN), HOSPITAL),
			Error::<Test>::NoAdminProposal
		);
		assert_ok!(Providers::accept_admin(RuntimeOrigin::signed(16), HOSPITAL));
	});
}

#[test]
fn an_admin_or_a_practitioner_cannot_take_over_an_organisation() {
	with_world(|| {
		let propose = |who| Providers::propose_admin(RuntimeOrigin::signed(HOSPITAL_ADMIN), who);
		assert_noop!(propose(LAB_ADMIN), Error::<Test>::AdminAlreadyAssigned);
		assert_noop!(propose(HOSPITAL_ADMIN), Error::<Test>::AdminAlreadyAssigned);
		assert_noop!(propose(LAB_TECHNICIAN), Error::<Test>::AdminIsPractitioner);
		// Proposed by the lab: not by the hospital as well.
		assert_ok!(Providers::propose_admin(RuntimeOrigin::signed(LAB_ADMIN), NEW_ADMIN));
		assert_noop!(propose(NEW_ADMIN), Error::<Test>::AlreadyProposedAdmin);
		// An account that became a practitioner after it was proposed cannot accept.
		assert_ok!(Providers::propose_admin(RuntimeOrigin::signed(HOSPITAL_ADMIN), 16));
		assert_ok!(hire(LAB_ADMIN, 16, Role::LabTechnician));
		assert_noop!(
			Providers::accept_admin(RuntimeOrigin::signed(16), HOSPITAL),
			Error::<Test>::AdminIsPractitioner
		);
	});
}

#[test]
fn a_suspended_organisations_admin_may_hand_its_key_on_but_acts_for_nothing_else() {
	with_world(|| {
		assert_ok!(Providers::suspend_organisation(RuntimeOrigin::root(), HOSPITAL));
		assert_eq!(Providers::administered_by(&HOSPITAL_ADMIN), Some(HOSPITAL));
		// What the other pallets ask before they let an admin erase, flag or run nodes.
		assert_eq!(Providers::active_admin_of(&HOSPITAL_ADMIN), None);
		assert_eq!(Providers::active_admin_of(&LAB_ADMIN), Some(LAB));
		assert_ok!(Providers::propose_admin(RuntimeOrigin::signed(HOSPITAL_ADMIN), NEW_ADMIN));
		assert_ok!(Providers::accept_admin(RuntimeOrigin::signed(NEW_ADMIN), HOSPITAL));
		assert_ok!(Providers::reinstate_organisation(RuntimeOrigin::root(), HOSPITAL));
		assert_eq!(Providers::active_admin_of(&NEW_ADMIN), Some(HOSPITAL));
	});
}

#[test]
fn governance_replaces_a_compromised_admin_key_at_once() {
	with_world(|| {
		// The compromised key proposed an account of its own: governance's change drops it.
		assert_ok!(Providers::propose_admin(RuntimeOrigin::signed(HOSPITAL_ADMIN), 16));
		assert_ok!(Providers::force_set_admin(RuntimeOrigin::root(), HOSPITAL, NEW_ADMIN));
		System::assert_last_event(
			Event::AdminChanged {
				organisation: HOSPITAL,
				old_admin: HOSPITAL_ADMIN,
				new_admin: NEW_ADMIN,
			}
			.into(),
		);
		assert_eq!(Providers::administered_by(&NEW_ADMIN), Some(HOSPITAL));
		assert_eq!(Providers::administered_by(&HOSPITAL_ADMIN), None);
		assert_eq!(AdminProposals::<Test>::get(HOSPITAL), None);
		assert_noop!(
			Providers::accept_admin(RuntimeOrigin::signed(16), HOSPITAL),
			Error::<Test>::NoAdminProposal
		);
		assert_noop!(
			Providers::remove_practitioner(RuntimeOrigin::signed(HOSPITAL_ADMIN), PHYSICIAN),
			Error::<Test>::NotOrganisationAdmin
		);
	});
}

#[test]
fn governance_sets_only_a_free_account_of_a_known_organisation() {
	with_world(|| {
		assert_noop!(
			Providers::force_set_admin(RuntimeOrigin::root(), 7, NEW_ADMIN),
			Error::<Test>::UnknownOrganisation
		);
		assert_noop!(
			Providers::force_set_admin(RuntimeOrigin::root(), HOSPITAL, LAB_ADMIN),
			Error::<Test>::AdminAlreadyAssigned
		);
		assert_noop!(
			Providers::force_set_admin(RuntimeOrigin::root(), HOSPITAL, NURSE),
			Error::<Test>::AdminIsPractitioner
		);
	});
}
