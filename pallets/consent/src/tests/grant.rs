//! grant.

use codec::Encode;
use frame::testing_prelude::*;
use medchain_primitives::{
	Action, Actions, Categories, Category, GrantTerms, Grantee, Purpose, Purposes,
};

use super::*;
use crate::{Error, Event, Grant, Grants, GrantsByGrantee, NextGrantId};

#[test]
fn a_patient_grants_a_lab_read_access_to_lab_results() {
	with_world(|| {
		assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
		let terms = GrantTerms {
			grantee: Grantee::Organisation(LAB),
			categories: Category::LabResults.into(),
			purposes: treatment(),
			actions: Action::Read.into(),
			valid_from: NOW,
			valid_until: Some(NOW + DAY),
		};
		System::assert_last_event(
			Event::ConsentGranted {
				grant_id: 0,
				patient: P,
				terms: terms.clone(),
				granted_by: PATIENT,
			}
			.into(),
		);
		assert_eq!(
			Grants::<Test>::get(0),
			Some(Grant {
				patient: P,
				terms,
				granted_by: PATIENT,
				granted_at: NOW,
				organisation: None,
				revoked_at: None,
			})
		);
		assert_eq!(GrantsByGrantee::<Test>::get(P, Grantee::Organisation(LAB)).to_vec(), vec![0]);
		assert_eq!(NextGrantId::<Test>::get(), 1);
	});
}

/// Grouping the terms into one type changed no byte in storage: a stored grant encodes as its
/// fields did one by one, so grants stored before decode unchanged and need no migration.
#[test]
fn a_stored_grant_encodes_as_its_fields_did_before_they_were_grouped() {
	let grant = Grant {
		patient: P,
		terms: GrantTerms {
			grantee: Grantee::Practitioner(PHYSICIAN),
			categories: Category::LabResults.into(),
			purposes: treatment(),
			actions: Action::Read.into(),
			valid_from: NOW,
			valid_until: Some(NOW + DAY),
		},
		granted_by: PATIENT,
		granted_at: NOW,
		organisation: Some(HOSPITAL),
		revoked_at: None,
	};
	let flat = (
		P,
		Grantee::<u64>::Practitioner(PHYSICIAN),
		Categories::from(Category::LabResults),
		treatment(),
		Actions::from(Action::Read),
		NOW,
		Some(NOW + DAY),
		PATIENT,
		NOW,
		Some(HOSPITAL),
		None::<u64>,
	);
	assert_eq!(grant.encode(), flat.encode());
}

#[test]
fn a_guardian_grants_within_its_scope() {
	with_world(|| {
		assert_ok!(grant_as(
			NARROW_GUARDIAN,
			Grantee::Practitioner(PHYSICIAN),
			Category::Allergies.into(),
			Action::Read.into(),
			NOW,
			Some(NOW + DAY)
		));
		assert_eq!(Grants::<Test>::get(0).unwrap().granted_by, NARROW_GUARDIAN);
		assert_noop!(
			grant_as(
				NARROW_GUARDIAN,
				Grantee::Practitioner(PHYSICIAN),
				Categories::of(&[Category::Allergies, Category::Diagnoses]),
				Action::Read.into(),
				NOW,
				Some(NOW + DAY)
			),
			Error::<Test>::GuardianScopeExceeded
		);
	});
}

#[test]
fn a_grant_names_something() {
	with_world(|| {
		assert_noop!(
			grant_as(
				PATIENT,
				Grantee::Organisation(LAB),
				Categories::NONE,
				Action::Read.into(),
				NOW,
				Some(NOW + DAY)
			),
			Error::<Test>::NoCategories
		);
		assert_noop!(
			Consent::grant(
				RuntimeOrigin::signed(PATIENT),
				P,
				GrantTerms {
					grantee: Grantee::Organisation(LAB),
					categories: Category::LabResults.into(),
					purposes: Purposes::NONE,
					actions: Action::Read.into(),
					valid_from: NOW,
					valid_until: Some(NOW + DAY)
				},
				Categories::NONE
			),
			Error::<Test>::NoPurposes
		);
		assert_noop!(
			grant_as(
				PATIENT,
				Grantee::Organisation(LAB),
				Category::LabResults.into(),
				Actions::NONE,
				NOW,
				Some(NOW + DAY)
			),
			Error::<Test>::NoActions
		);
	});
}

#[test]
fn sensitive_categories_must_be_named_explicitly() {
	with_world(|| {
		let everything = Categories::ALL;
		// "Everything" without naming the sensitive ones again is refused.
		assert_noop!(
			Consent::grant(
				RuntimeOrigin::signed(PATIENT),
				P,
				GrantTerms {
					grantee: Grantee::Organisation(LAB),
					categories: everything,
					purposes: treatment(),
					actions: Action::Read.into(),
					valid_from: NOW,
					valid_until: Some(NOW + DAY)
				},
				Categories::NONE
			),
			Error::<Test>::SensitiveCategoryNotNamed
		);
		// Naming only some of them is refused too.
		assert_noop!(
			Consent::grant(
				RuntimeOrigin::signed(PATIENT),
				P,
				GrantTerms {
					grantee: Grantee::Organisation(LAB),
					categories: everything,
					purposes: treatment(),
					actions: Action::Read.into(),
					valid_from: NOW,
					valid_until: Some(NOW + DAY)
				},
				Category::Genomics.into()
			),
			Error::<Test>::SensitiveCategoryNotNamed
		);
		// Naming a sensitive category the grant does not cover is refused.
		assert_noop!(
			Consent::grant(
				RuntimeOrigin::signed(PATIENT),
				P,
				GrantTerms {
					grantee: Grantee::Organisation(LAB),
					categories: Category::LabResults.into(),
					purposes: treatment(),
					actions: Action::Read.into(),
					valid_from: NOW,
					valid_until: Some(NOW + DAY)
				},
				Category::Genomics.into()
			),
			Error::<Test>::SensitiveCategoryNotNamed
		);
		assert_ok!(Consent::grant(
			RuntimeOrigin::signed(PATIENT),
			P,
			GrantTerms {
				grantee: Grantee::Organisation(LAB),
				categories: Category::Genomics.into(),
				purposes: treatment(),
				actions: Action::Read.into(),
				valid_from: NOW,
				valid_until: Some(NOW + DAY)
			},
			Category::Genomics.into()
		));
	});
}

#[test]
fn the_period_must_make_sense() {
	with_world(|| {
		let lab = || Grantee::Organisation(LAB);
		assert_noop!(
			grant_as(
				PATIENT,
				lab(),
				Category::LabResults.into(),
				Action::Read.into(),
				NOW + 10,
				Some(NOW + 10)
			),
			Error::<Test>::EndBeforeStart
		);
		assert_noop!(
			grant_as(
				PATIENT,
				lab(),
				Category::LabResults.into(),
				Action::Read.into(),
				NOW - 10,
				Some(NOW)
			),
			Error::<Test>::EndInThePast
		);
		assert_noop!(
			grant_as(
				PATIENT,
				lab(),
				Category::LabResults.into(),
				Action::Read.into(),
				NOW,
				Some(NOW + 30 * DAY + 1)
			),
			Error::<Test>::PeriodTooLong
		);
		assert_ok!(grant_as(
			PATIENT,
			lab(),
			Category::LabResults.into(),
			Action::Read.into(),
			NOW,
			Some(NOW + 30 * DAY)
		));
		// A grant starting later is measured from its start.
		assert_ok!(grant_as(
			PATIENT,
			lab(),
			Category::LabResults.into(),
			Action::Read.into(),
			NOW + DAY,
			Some(NOW + 31 * DAY)
		));
	});
}

#[test]
fn only_treatment_grants_to_the_enrolling_organisation_are_open_ended() {
	with_world(|| {
		assert_ok!(grant_as(
			PATIENT,
			Grantee::Organisation(HOSPITAL),
			Category::Diagnoses.into(),
			Action::Read.into(),
			NOW,
			None
		));
		assert_noop!(
			grant_as(
				PATIENT,
				Grantee::Organisation(LAB),
				Category::Diagnoses.into(),
				Action::Read.into(),
				NOW,
				None
			),
			Error::<Test>::OpenEndedNotAllowed
		);
		assert_noop!(
			grant_as(
				PATIENT,
				Grantee::Practitioner(PHYSICIAN),
				Category::Diagnoses.into(),
				Action::Read.into(),
				NOW,
				None
			),
			Error::<Test>::OpenEndedNotAllowed
		);
		assert_noop!(
			Consent::grant(
				RuntimeOrigin::signed(PATIENT),
				P,
				GrantTerms {
					grantee: Grantee::Organisation(HOSPITAL),
					categories: Category::Diagnoses.into(),
					purposes: Purposes::of(&[Purpose::Treatment, Purpose::Research]),
					actions: Action::Read.into(),
					valid_from: NOW,
					valid_until: None
				},
				Categories::NONE
			),
			Error::<Test>::OpenEndedNotAllowed
		);
	});
}

#[test]
fn the_grantee_must_be_active() {
	with_world(|| {
		assert_noop!(grant_lab_results(Grantee::Organisation(7)), Error::<Test>::GranteeInactive);
		assert_noop!(
			grant_lab_results(Grantee::Practitioner(STRANGER)),
			Error::<Test>::GranteeInactive
		);
		suspend(LAB);
		assert_noop!(grant_lab_results(Grantee::Organisation(LAB)), Error::<Test>::GranteeInactive);
		assert_noop!(
			grant_lab_results(Grantee::Practitioner(LAB_TECHNICIAN)),
			Error::<Test>::GranteeInactive
		);
	});
}

#[test]
fn a_patient_gives_one_grantee_a_bounded_number_of_grants() {
	with_world(|| {
		for _ in 0..4 {
			assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
		}
		assert_noop!(grant_lab_results(Grantee::Organisation(LAB)), Error::<Test>::TooManyGrants);
		// Another grantee has its own room.
		assert_ok!(grant_lab_results(Grantee::Practitioner(LAB_TECHNICIAN)));
	});
}

#[test]
fn grants_are_for_enrolled_patients() {
	with_world(|| {
		assert_noop!(
			Consent::grant(
				RuntimeOrigin::signed(PATIENT),
				9,
				GrantTerms {
					grantee: Grantee::Organisation(LAB),
					categories: Category::LabResults.into(),
					purposes: treatment(),
					actions: Action::Read.into(),
					valid_from: NOW,
					valid_until: Some(NOW + DAY)
				},
				Categories::NONE
			),
			Error::<Test>::UnknownPatient
		);
	});
}

#[test]
fn a_grant_to_a_practitioner_records_its_organisation() {
	with_world(|| {
		assert_ok!(grant_lab_results(Grantee::Practitioner(LAB_TECHNICIAN)));
		assert_eq!(Grants::<Test>::get(0).unwrap().organisation, Some(LAB));
	});
}

#[test]
fn ended_and_revoked_grants_do_not_hold_the_patients_slots() {
	// M-7: a guardian filled the index with one-millisecond grants and locked the patient out
	// of granting that lab for the 30 days of retention.
	with_world(|| {
		for _ in 0..4 {
			assert_ok!(grant_as(
				GUARDIAN,
				Grantee::Organisation(LAB),
				Category::Allergies.into(),
				Action::Read.into(),
				NOW,
				Some(NOW + 1)
			));
		}
		set_now(NOW + 2);
		assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
		assert_eq!(GrantsByGrantee::<Test>::get(P, Grantee::Organisation(LAB)).to_vec(), vec![4]);
		// Grants in force do hold their slots; revoking one frees it at once.
		for _ in 0..3 {
			assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
		}
		assert_noop!(grant_lab_results(Grantee::Organisation(LAB)), Error::<Test>::TooManyGrants);
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(PATIENT), 5));
		assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
	});
}

#[test]
fn unknown_bits_are_refused_by_name() {
	with_world(|| {
		fn decode<S: codec::Decode>(bytes: &[u8]) -> S {
			S::decode(&mut &bytes[..]).unwrap()
		}
		let grant = |categories: Categories, purposes: Purposes, actions: Actions| {
			Consent::grant(
				RuntimeOrigin::signed(PATIENT),
				P,
				GrantTerms {
					grantee: Grantee::Organisation(LAB),
					categories,
					purposes,
					actions,
					valid_from: NOW,
					valid_until: Some(NOW + DAY),
				},
				Categories::NONE,
			)
		};
		let lab: Categories = Category::LabResults.into();
		assert_noop!(
			grant(decode(&[0, 0x80]), treatment(), Action::Read.into()),
			Error::<Test>::UnknownCategories
		);
		assert_noop!(
			grant(lab, decode(&[0x40]), Action::Read.into()),
			Error::<Test>::UnknownPurposes
		);
		assert_noop!(grant(lab, treatment(), decode(&[0x08])), Error::<Test>::UnknownActions);
		assert_noop!(
			Consent::add_deny(
				RuntimeOrigin::signed(PATIENT),
				P,
				None,
				decode(&[0xff, 0xff]),
				treatment()
			),
			Error::<Test>::UnknownCategories
		);
	});
}

#[test]
fn a_grant_is_refunded_to_its_path_when_the_index_had_room() {
	// Charged for a full index (its ended grants read and dropped); a grant into an index with
	// room reads none of them.
	with_world(|| {
		let with_room = grant_lab_results(Grantee::Organisation(LAB)).unwrap();
		assert_eq!(with_room.actual_weight, Some(<() as crate::WeightInfo>::grant_with_room()));
		for _ in 0..3 {
			assert_ok!(grant_as(
				GUARDIAN,
				Grantee::Organisation(LAB),
				Category::Allergies.into(),
				Action::Read.into(),
				NOW,
				Some(NOW + 1)
			));
		}
		set_now(NOW + 2);
		// Full: the ended grants are read and dropped; charged in full.
		let pruning = grant_lab_results(Grantee::Organisation(LAB)).unwrap();
		assert_eq!(pruning.actual_weight, None);
	});
}

#[test]
fn a_patient_gives_at_most_the_maximum_of_grants_per_period() {
	// N-4 (security review 2026-12): one patient could add ~92 000 grants a day, each kept up
	// to two years. The mock allows 12 a day, the patient's and its guardians' together, to any
	// grantees.
	with_world(|| {
		let grantees = [PHYSICIAN, NURSE, LAB_TECHNICIAN, LAB_TECHNICIAN_2];
		for i in 0..12 {
			let who = if i % 2 == 0 { PATIENT } else { GUARDIAN };
			assert_ok!(grant_as(
				who,
				Grantee::Practitioner(grantees[i % 4]),
				Category::LabResults.into(),
				Action::Read.into(),
				now(),
				Some(now() + DAY),
			));
		}
		assert_noop!(
			grant_lab_results(Grantee::Organisation(LAB)),
			Error::<Test>::TooManyGrantsInPeriod
		);
		// Another patient has its own quota; the next period starts over.
		assert_ok!(Consent::grant(
			RuntimeOrigin::signed(PATIENT_2),
			P2,
			GrantTerms {
				grantee: Grantee::Organisation(LAB),
				categories: Category::LabResults.into(),
				purposes: Purpose::Treatment.into(),
				actions: Action::Read.into(),
				valid_from: now(),
				valid_until: Some(now() + DAY),
			},
			Categories::NONE,
		));
		set_now(NOW + DAY);
		assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
	});
}
