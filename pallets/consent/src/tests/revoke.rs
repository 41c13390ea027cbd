//! revoke.

use frame::testing_prelude::*;
use medchain_primitives::{Action, Category, Decision, DenyReason, Grantee};

use super::*;
use crate::{Error, Event, Grants, GrantsByGrantee};

#[test]
fn revocation_is_immediate_and_the_grant_stays_readable() {
	with_world(|| {
		assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
		assert!(read_lab_results(LAB_ADMIN).is_permit());
		set_now(NOW + 5);
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(PATIENT), 0));
		System::assert_last_event(
			Event::ConsentRevoked { grant_id: 0, patient: P, revoked_by: PATIENT, at: NOW + 5 }
				.into(),
		);
		assert_eq!(Grants::<Test>::get(0).unwrap().revoked_at, Some(NOW + 5));
		assert_eq!(read_lab_results(LAB_ADMIN), Decision::Deny(DenyReason::NoGrant));
		// Its place in the index is free at once; an empty index is not kept (L-7).
		assert!(!GrantsByGrantee::<Test>::contains_key(P, Grantee::Organisation(LAB)));
	});
}

#[test]
fn a_grant_is_revoked_once() {
	with_world(|| {
		assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(PATIENT), 0));
		assert_noop!(
			Consent::revoke(RuntimeOrigin::signed(PATIENT), 0),
			Error::<Test>::AlreadyRevoked
		);
		assert_noop!(
			Consent::revoke(RuntimeOrigin::signed(PATIENT), 9),
			Error::<Test>::UnknownGrant
		);
	});
}

#[test]
fn a_guardian_revokes_within_its_scope() {
	with_world(|| {
		assert_ok!(grant_as(
			PATIENT,
			Grantee::Organisation(LAB),
			Category::Allergies.into(),
			Action::Read.into(),
			NOW,
			Some(NOW + DAY)
		));
		assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
		assert_noop!(
			Consent::revoke(RuntimeOrigin::signed(NARROW_GUARDIAN), 1),
			Error::<Test>::GuardianScopeExceeded
		);
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(NARROW_GUARDIAN), 0));
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(GUARDIAN), 1));
	});
}
