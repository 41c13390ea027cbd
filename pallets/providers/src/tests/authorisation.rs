//! The authorisation matrix: for every call, which actor succeeds and which gets which error.
//!
//! Actors: governance (Root), the organisation's admin, a practitioner of the same
//! organisation, a practitioner of another organisation, another organisation's admin, and a
//! stranger. (Patients and guardians are strangers to this pallet: it knows none.)

use frame::testing_prelude::*;
use medchain_primitives::{OrganisationKind, Role};

use crate::{mock::*, Error};

// "The" organisation is the hospital.
medchain_primitives::authorisation_matrix! {
	Governance => root,
	OrgAdmin => HOSPITAL_ADMIN,
	PractitionerSameOrg => PHYSICIAN,
	PractitionerOtherOrg => LAB_TECHNICIAN,
	OtherOrgAdmin => LAB_ADMIN,
	Stranger => STRANGER,
}

#[test]
fn only_governance_registers_organisations() {
	check(
		|| {},
		|o| Providers::register_organisation(o, 30, OrganisationKind::Pharmacy, license(5)),
		|a| match a {
			Governance => Ok(()),
			_ => Err(DispatchError::BadOrigin),
		},
	);
}

#[test]
fn only_governance_suspends_organisations() {
	check(
		|| {},
		|o| Providers::suspend_organisation(o, HOSPITAL),
		|a| match a {
			Governance => Ok(()),
			_ => Err(DispatchError::BadOrigin),
		},
	);
}

#[test]
fn only_governance_reinstates_organisations() {
	check(
		|| {
			assert_ok!(Providers::suspend_organisation(RuntimeOrigin::root(), HOSPITAL));
		},
		|o| Providers::reinstate_organisation(o, HOSPITAL),
		|a| match a {
			Governance => Ok(()),
			_ => Err(DispatchError::BadOrigin),
		},
	);
}

#[test]
fn only_an_organisations_admin_invites_its_practitioners() {
	// "The" organisation is the one of the signer: another admin invites to its own organisation.
	check(
		|| {},
		|o| Providers::invite_practitioner(o, 40, Role::Auditor),
		|a| match a {
			OrgAdmin | OtherOrgAdmin => Ok(()),
			Governance => Err(DispatchError::BadOrigin),
			PractitionerSameOrg | PractitionerOtherOrg | Stranger => {
				Err(Error::<Test>::NotOrganisationAdmin.into())
			},
		},
	);
}

#[test]
fn only_the_inviting_admin_cancels_an_invitation() {
	check(
		|| {
			assert_ok!(Providers::invite_practitioner(
				RuntimeOrigin::signed(HOSPITAL_ADMIN),
				40,
				Role::Auditor
			));
		},
		|o| Providers::cancel_invitation(o, 40),
		|a| match a {
			OrgAdmin => Ok(()),
			Governance => Err(DispatchError::BadOrigin),
			OtherOrgAdmin => Err(Error::<Test>::NoInvitation.into()),
			PractitionerSameOrg | PractitionerOtherOrg | Stranger => {
				Err(Error::<Test>::NotOrganisationAdmin.into())
			},
		},
	);
}

#[test]
fn only_the_invited_account_accepts_or_declines() {
	let invited = || {
		assert_ok!(Providers::invite_practitioner(
			RuntimeOrigin::signed(HOSPITAL_ADMIN),
			STRANGER,
			Role::Auditor
		));
	};
	let expected = |a| match a {
		Stranger => Ok(()),
		Governance => Err(DispatchError::BadOrigin),
		_ => Err(Error::<Test>::NoInvitation.into()),
	};
	check(invited, |o| Providers::accept_invitation(o, HOSPITAL), expected);
	check(invited, |o| Providers::decline_invitation(o, HOSPITAL), expected);
}

#[test]
fn only_the_practitioners_admin_removes_it() {
	check(
		|| {},
		|o| Providers::remove_practitioner(o, NURSE),
		|a| match a {
			OrgAdmin => Ok(()),
			Governance => Err(DispatchError::BadOrigin),
			OtherOrgAdmin => Err(Error::<Test>::NotPractitionerOfOrganisation.into()),
			PractitionerSameOrg | PractitionerOtherOrg | Stranger => {
				Err(Error::<Test>::NotOrganisationAdmin.into())
			},
		},
	);
}

#[test]
fn only_a_practitioner_leaves_and_only_its_own_organisation() {
	check(
		|| {},
		|o| Providers::leave_organisation(o),
		|a| match a {
			PractitionerSameOrg | PractitionerOtherOrg => Ok(()),
			Governance => Err(DispatchError::BadOrigin),
			OrgAdmin | OtherOrgAdmin | Stranger => Err(Error::<Test>::NotPractitioner.into()),
		},
	);
}

#[test]
fn only_governance_force_removes_a_practitioner() {
	check(
		|| {},
		|o| Providers::force_remove_practitioner(o, NURSE),
		|a| match a {
			Governance => Ok(()),
			_ => Err(DispatchError::BadOrigin),
		},
	);
}

#[test]
fn only_an_organisations_admin_proposes_its_next_admin() {
	// "The" organisation is the signer's: another admin proposes for its own organisation.
	check(
		|| {},
		|o| Providers::propose_admin(o, 40),
		|a| match a {
			OrgAdmin | OtherOrgAdmin => Ok(()),
			Governance => Err(DispatchError::BadOrigin),
			PractitionerSameOrg | PractitionerOtherOrg | Stranger => {
				Err(Error::<Test>::NotOrganisationAdmin.into())
			},
		},
	);
}

#[test]
fn only_the_proposed_account_accepts_an_admin_proposal() {
	check(
		|| {
			assert_ok!(Providers::propose_admin(RuntimeOrigin::signed(HOSPITAL_ADMIN), STRANGER));
		},
		|o| Providers::accept_admin(o, HOSPITAL),
		|a| match a {
			Stranger => Ok(()),
			Governance => Err(DispatchError::BadOrigin),
			_ => Err(Error::<Test>::NoAdminProposal.into()),
		},
	);
}

#[test]
fn only_governance_forces_an_admin() {
	check(
		|| {},
		|o| Providers::force_set_admin(o, HOSPITAL, 40),
		|a| match a {
			Governance => Ok(()),
			_ => Err(DispatchError::BadOrigin),
		},
	);
}
