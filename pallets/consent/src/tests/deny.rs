//! add_deny, remove_deny.

use frame::testing_prelude::*;
use medchain_primitives::{Categories, Category, Decision, DenyReason, Grantee, Purposes};

use super::*;
use crate::{Denies, DenyRule, Error, Event};

#[test]
fn a_deny_rule_overrides_every_grant_it_covers() {
	with_world(|| {
		assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
		assert!(read_lab_results(LAB_ADMIN).is_permit());
		assert_ok!(Consent::add_deny(
			RuntimeOrigin::signed(PATIENT),
			P,
			Some(Grantee::Organisation(LAB)),
			Category::LabResults.into(),
			treatment()
		));
		System::assert_last_event(
			Event::DenyAdded {
				patient: P,
				deny_id: 0,
				grantee: Some(Grantee::Organisation(LAB)),
				categories: Category::LabResults.into(),
				purposes: treatment(),
			}
			.into(),
		);
		assert_eq!(read_lab_results(LAB_ADMIN), Decision::Deny(DenyReason::DeniedByPatient));
	});
}

#[test]
fn a_deny_for_everyone_covers_every_accessor() {
	with_world(|| {
		assert_ok!(grant_lab_results(Grantee::Practitioner(PHYSICIAN)));
		assert_ok!(Consent::add_deny(
			RuntimeOrigin::signed(PATIENT),
			P,
			None,
			Category::LabResults.into(),
			Purposes::ALL
		));
		assert_eq!(read_lab_results(PHYSICIAN), Decision::Deny(DenyReason::DeniedByPatient));
		assert_eq!(read_lab_results(LAB_ADMIN), Decision::Deny(DenyReason::DeniedByPatient));
	});
}

#[test]
fn a_deny_of_an_organisation_covers_its_practitioners() {
	with_world(|| {
		assert_ok!(grant_lab_results(Grantee::Practitioner(LAB_TECHNICIAN)));
		assert_ok!(Consent::add_deny(
			RuntimeOrigin::signed(PATIENT),
			P,
			Some(Grantee::Organisation(LAB)),
			Categories::ALL,
			Purposes::ALL
		));
		assert_eq!(read_lab_results(LAB_TECHNICIAN), Decision::Deny(DenyReason::DeniedByPatient));
	});
}

#[test]
fn a_deny_of_other_categories_leaves_the_grant_alone() {
	with_world(|| {
		assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
		assert_ok!(Consent::add_deny(
			RuntimeOrigin::signed(PATIENT),
			P,
			None,
			Category::Genomics.into(),
			Purposes::ALL
		));
		assert!(read_lab_results(LAB_ADMIN).is_permit());
	});
}

#[test]
fn removing_the_rule_restores_the_grant() {
	with_world(|| {
		assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
		assert_ok!(Consent::add_deny(
			RuntimeOrigin::signed(PATIENT),
			P,
			None,
			Category::LabResults.into(),
			Purposes::ALL
		));
		assert_ok!(Consent::remove_deny(RuntimeOrigin::signed(PATIENT), P, 0));
		System::assert_last_event(Event::DenyRemoved { patient: P, deny_id: 0 }.into());
		assert!(Denies::<Test>::get(P).rules.is_empty());
		assert!(read_lab_results(LAB_ADMIN).is_permit());
	});
}

#[test]
fn deny_rules_are_bounded_and_named() {
	with_world(|| {
		for _ in 0..3 {
			assert_ok!(Consent::add_deny(
				RuntimeOrigin::signed(PATIENT),
				P,
				None,
				Category::Imaging.into(),
				Purposes::ALL
			));
		}
		assert_noop!(
			Consent::add_deny(
				RuntimeOrigin::signed(PATIENT),
				P,
				None,
				Category::Imaging.into(),
				Purposes::ALL
			),
			Error::<Test>::TooManyDenyRules
		);
		assert_ok!(Consent::remove_deny(RuntimeOrigin::signed(PATIENT), P, 1));
		// Ids are not reused while the rule list is short.
		assert_ok!(Consent::add_deny(
			RuntimeOrigin::signed(PATIENT),
			P,
			None,
			Category::Imaging.into(),
			Purposes::ALL
		));
		let ids: Vec<u32> =
			Denies::<Test>::get(P).rules.iter().map(|r: &DenyRule<u64>| r.id).collect();
		assert_eq!(ids, vec![0, 2, 3]);
		assert_noop!(
			Consent::remove_deny(RuntimeOrigin::signed(PATIENT), P, 1),
			Error::<Test>::UnknownDenyRule
		);
		assert_noop!(
			Consent::remove_deny(RuntimeOrigin::signed(PATIENT), 9, 0),
			Error::<Test>::UnknownPatient
		);
	});
}

#[test]
fn a_deny_rule_names_something() {
	with_world(|| {
		assert_noop!(
			Consent::add_deny(
				RuntimeOrigin::signed(PATIENT),
				P,
				None,
				Categories::NONE,
				Purposes::ALL
			),
			Error::<Test>::NoCategories
		);
		assert_noop!(
			Consent::add_deny(
				RuntimeOrigin::signed(PATIENT),
				P,
				None,
				Categories::ALL,
				Purposes::NONE
			),
			Error::<Test>::NoPurposes
		);
	});
}

#[test]
fn a_guardian_manages_deny_rules_within_its_scope() {
	with_world(|| {
		assert_ok!(Consent::add_deny(
			RuntimeOrigin::signed(NARROW_GUARDIAN),
			P,
			None,
			Category::Allergies.into(),
			Purposes::ALL
		));
		assert_noop!(
			Consent::add_deny(
				RuntimeOrigin::signed(NARROW_GUARDIAN),
				P,
				None,
				Category::LabResults.into(),
				Purposes::ALL
			),
			Error::<Test>::GuardianScopeExceeded
		);
		assert_ok!(Consent::add_deny(
			RuntimeOrigin::signed(PATIENT),
			P,
			None,
			Category::LabResults.into(),
			Purposes::ALL
		));
		assert_noop!(
			Consent::remove_deny(RuntimeOrigin::signed(NARROW_GUARDIAN), P, 1),
			Error::<Test>::GuardianScopeExceeded
		);
		assert_ok!(Consent::remove_deny(RuntimeOrigin::signed(NARROW_GUARDIAN), P, 0));
	});
}
