//! The authorisation matrix: for every call, which actor succeeds and which gets which error.
//!
//! Actors: governance (Root), the organisation's admin, a practitioner of the same
//! organisation, a practitioner of another organisation, another organisation's admin, and a
//! stranger. (Patients and guardians are strangers to this pallet: it knows none.)

use frame::testing_prelude::*;
use medchain_primitives::{OrganisationKind, Role};

use crate::{mock::*, Error};

#[derive(Clone, Copy, Debug)]
enum Actor {
	Governance,
	OrgAdmin,
	PractitionerSameOrg,
	PractitionerOtherOrg,
	OtherOrgAdmin,
	Stranger,
}
use Actor::*;

const ACTORS: [Actor; 6] =
	[Governance, OrgAdmin, PractitionerSameOrg, PractitionerOtherOrg, OtherOrgAdmin, Stranger];

/// The origin of `actor`, with the hospital as "the" organisation.
fn origin(actor: Actor) -> RuntimeOrigin {
	match actor {
		Governance => RuntimeOrigin::root(),
		OrgAdmin => RuntimeOrigin::signed(HOSPITAL_ADMIN),
		PractitionerSameOrg => RuntimeOrigin::signed(PHYSICIAN),
		PractitionerOtherOrg => RuntimeOrigin::signed(LAB_TECHNICIAN),
		OtherOrgAdmin => RuntimeOrigin::signed(LAB_ADMIN),
		Stranger => RuntimeOrigin::signed(STRANGER),
	}
}

/// Runs `call` as every actor in a fresh world and checks the outcome against `expected`.
fn check(
	call: impl Fn(RuntimeOrigin) -> DispatchResult,
	expected: impl Fn(Actor) -> Result<(), DispatchError>,
) {
	for actor in ACTORS {
		with_world(|| {
			let got = call(origin(actor));
			assert_eq!(got, expected(actor), "{actor:?}");
		});
	}
}

#[test]
fn only_governance_registers_organisations() {
	check(
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
		|o| Providers::suspend_organisation(o, HOSPITAL),
		|a| match a {
			Governance => Ok(()),
			_ => Err(DispatchError::BadOrigin),
		},
	);
}

#[test]
fn only_governance_reinstates_organisations() {
	for actor in ACTORS {
		with_world(|| {
			assert_ok!(Providers::suspend_organisation(RuntimeOrigin::root(), HOSPITAL));
			let got = Providers::reinstate_organisation(origin(actor), HOSPITAL);
			let expected = match actor {
				Governance => Ok(()),
				_ => Err(DispatchError::BadOrigin),
			};
			assert_eq!(got, expected, "{actor:?}");
		});
	}
}

#[test]
fn only_an_organisations_admin_invites_its_practitioners() {
	// "The" organisation is the one of the signer: another admin invites to its own organisation.
	check(
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
	for actor in ACTORS {
		with_world(|| {
			assert_ok!(Providers::invite_practitioner(
				RuntimeOrigin::signed(HOSPITAL_ADMIN),
				40,
				Role::Auditor
			));
			let expected = match actor {
				OrgAdmin => Ok(()),
				Governance => Err(DispatchError::BadOrigin),
				OtherOrgAdmin => Err(Error::<Test>::NoInvitation.into()),
				PractitionerSameOrg | PractitionerOtherOrg | Stranger => {
					Err(Error::<Test>::NotOrganisationAdmin.into())
				},
			};
			assert_eq!(Providers::cancel_invitation(origin(actor), 40), expected, "{actor:?}");
		});
	}
}

#[test]
fn only_the_invited_account_accepts_or_declines() {
	for accept in [true, false] {
		for actor in ACTORS {
			with_world(|| {
				assert_ok!(Providers::invite_practitioner(
					RuntimeOrigin::signed(HOSPITAL_ADMIN),
					STRANGER,
					Role::Auditor
				));
				let got = if accept {
					Providers::accept_invitation(origin(actor), HOSPITAL)
				} else {
					Providers::decline_invitation(origin(actor), HOSPITAL)
				};
				let expected = match actor {
					Stranger => Ok(()),
					Governance => Err(DispatchError::BadOrigin),
					_ => Err(Error::<Test>::NoInvitation.into()),
				};
				assert_eq!(got, expected, "{actor:?} (accept: {accept})");
			});
		}
	}
}

#[test]
fn only_the_practitioners_admin_removes_it() {
	check(
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
		|o| Providers::force_remove_practitioner(o, NURSE),
		|a| match a {
			Governance => Ok(()),
			_ => Err(DispatchError::BadOrigin),
		},
	);
}
