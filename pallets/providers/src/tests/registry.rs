//! The ProviderRegistry other pallets ask: suspension deactivates practitioners at once.

use frame::testing_prelude::*;
use medchain_primitives::{ActivePractitioner, OrganisationKind, ProviderRegistry, Role};

use crate::mock::*;

#[test]
fn a_practitioner_of_an_active_organisation_is_active() {
	with_world(|| {
		assert_eq!(
			Providers::active_practitioner(&PHYSICIAN),
			Some(ActivePractitioner {
				organisation: HOSPITAL,
				role: Role::Physician,
				kind: OrganisationKind::Hospital,
				since: NOW
			})
		);
		assert_eq!(Providers::active_organisation(LAB), Some(OrganisationKind::Lab));
		assert_eq!(Providers::administered_by(&LAB_ADMIN), Some(LAB));
	});
}

#[test]
fn strangers_and_admins_are_not_practitioners() {
	with_world(|| {
		assert_eq!(Providers::active_practitioner(&STRANGER), None);
		assert_eq!(Providers::active_practitioner(&HOSPITAL_ADMIN), None);
		assert_eq!(Providers::administered_by(&PHYSICIAN), None);
		assert_eq!(Providers::active_organisation(7), None);
	});
}

#[test]
fn suspension_deactivates_every_practitioner_at_once_and_reinstatement_restores_them() {
	with_world(|| {
		assert_ok!(Providers::suspend_organisation(RuntimeOrigin::root(), HOSPITAL));
		assert_eq!(Providers::active_practitioner(&PHYSICIAN), None);
		assert_eq!(Providers::active_practitioner(&NURSE), None);
		assert_eq!(Providers::active_organisation(HOSPITAL), None);
		// Another organisation is untouched.
		assert!(Providers::active_practitioner(&LAB_TECHNICIAN).is_some());
		// The admin is still the admin (it must be able to clean up).
		assert_eq!(Providers::administered_by(&HOSPITAL_ADMIN), Some(HOSPITAL));

		assert_ok!(Providers::reinstate_organisation(RuntimeOrigin::root(), HOSPITAL));
		assert!(Providers::active_practitioner(&PHYSICIAN).is_some());
		assert!(Providers::active_practitioner(&NURSE).is_some());
	});
}

#[test]
fn a_removed_practitioner_is_not_active() {
	with_world(|| {
		assert_ok!(Providers::remove_practitioner(
			RuntimeOrigin::signed(LAB_ADMIN),
			LAB_TECHNICIAN
		));
		assert_eq!(Providers::active_practitioner(&LAB_TECHNICIAN), None);
	});
}
