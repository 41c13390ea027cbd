//! add_guardian, remove_guardian.

use frame::testing_prelude::*;
use medchain_primitives::{AuditAction, Categories, Category, GuardianScope, PatientRegistry};

use crate::{mock::*, Error, Event, Guardians, Guardianship, WardsOf};

#[test]
fn a_patient_appoints_a_guardian_with_a_scope_and_an_expiry() {
	with_world(|| {
		let until = Some(NOW + 1_000);
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(PATIENT),
			0,
			300,
			narrow_scope(),
			until
		));
		System::assert_last_event(
			Event::GuardianAdded {
				patient: 0,
				guardian: 300,
				scope: narrow_scope(),
				valid_until: until,
				appointed_by: None,
			}
			.into(),
		);
		assert_eq!(
			Guardians::<Test>::get(0, 300),
			Some(Guardianship { scope: narrow_scope(), valid_until: until, appointed_by: None })
		);
		assert_eq!(Patients::patient(0).unwrap().guardians, 4);
		assert!(System::account_exists(&300));
		let entry = last_audited().unwrap();
		assert_eq!(
			(entry.action, entry.subject, entry.categories),
			(AuditAction::GuardianAppointed, Some(300), narrow_scope().consent_categories)
		);
	});
}

#[test]
fn appointing_again_changes_the_appointment_without_counting_twice() {
	with_world(|| {
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(PATIENT),
			0,
			NARROW_GUARDIAN,
			full_scope(),
			None
		));
		assert_eq!(Guardians::<Test>::get(0, NARROW_GUARDIAN).unwrap().scope, full_scope());
		assert_eq!(Patients::patient(0).unwrap().guardians, 3);
	});
}

#[test]
fn a_guardian_who_may_appoint_hands_on_at_most_its_scope() {
	with_world(|| {
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(GUARDIAN),
			0,
			300,
			narrow_scope(),
			None
		));
		assert_eq!(Guardians::<Test>::get(0, 300).unwrap().appointed_by, Some(GUARDIAN));
		// The narrow guardian may not appoint at all.
		assert_noop!(
			Patients::add_guardian(
				RuntimeOrigin::signed(NARROW_GUARDIAN),
				0,
				301,
				narrow_scope(),
				None
			),
			Error::<Test>::GuardianScopeExceeded
		);
		// A guardian that may appoint but only for allergies cannot hand on lab results.
		let appointer = GuardianScope {
			consent_categories: Category::Allergies.into(),
			may_appoint: true,
			..Default::default()
		};
		assert_ok!(Patients::add_guardian(RuntimeOrigin::signed(PATIENT), 0, 302, appointer, None));
		let wider = GuardianScope {
			consent_categories: Categories::of(&[Category::Allergies, Category::LabResults]),
			..Default::default()
		};
		assert_noop!(
			Patients::add_guardian(RuntimeOrigin::signed(302), 0, 303, wider, None),
			Error::<Test>::GuardianScopeExceeded
		);
	});
}

#[test]
fn only_the_patient_changes_an_existing_appointment() {
	with_world(|| {
		// GUARDIAN may appoint, but may not narrow (or otherwise change) another appointment.
		assert_noop!(
			Patients::add_guardian(
				RuntimeOrigin::signed(GUARDIAN),
				0,
				NARROW_GUARDIAN,
				Default::default(),
				None
			),
			Error::<Test>::AlreadyGuardian
		);
		assert_noop!(
			Patients::add_guardian(
				RuntimeOrigin::signed(GUARDIAN),
				0,
				GUARDIAN,
				narrow_scope(),
				None
			),
			Error::<Test>::AlreadyGuardian
		);
	});
}

#[test]
fn a_guardian_appoints_no_further_than_its_own_expiry() {
	with_world(|| {
		let appointer = GuardianScope { may_recover: false, ..full_scope() };
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(PATIENT),
			0,
			300,
			appointer,
			Some(NOW + 100)
		));
		assert_noop!(
			Patients::add_guardian(RuntimeOrigin::signed(300), 0, 301, narrow_scope(), None),
			Error::<Test>::InvalidGuardianExpiry
		);
		assert_noop!(
			Patients::add_guardian(
				RuntimeOrigin::signed(300),
				0,
				301,
				narrow_scope(),
				Some(NOW + 101)
			),
			Error::<Test>::InvalidGuardianExpiry
		);
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(300),
			0,
			301,
			narrow_scope(),
			Some(NOW + 100)
		));
	});
}

#[test]
fn an_appointment_cannot_end_in_the_past() {
	with_world(|| {
		assert_noop!(
			Patients::add_guardian(
				RuntimeOrigin::signed(PATIENT),
				0,
				300,
				narrow_scope(),
				Some(NOW)
			),
			Error::<Test>::InvalidGuardianExpiry
		);
	});
}

#[test]
fn a_patient_is_not_its_own_guardian() {
	with_world(|| {
		assert_noop!(
			Patients::add_guardian(
				RuntimeOrigin::signed(PATIENT),
				0,
				PATIENT,
				narrow_scope(),
				None
			),
			Error::<Test>::CannotGuardSelf
		);
	});
}

#[test]
fn a_patient_has_at_most_the_maximum_of_guardians() {
	with_world(|| {
		// The mock allows 5; the world has 3.
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(PATIENT),
			0,
			300,
			narrow_scope(),
			None
		));
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(PATIENT),
			0,
			301,
			narrow_scope(),
			None
		));
		assert_noop!(
			Patients::add_guardian(RuntimeOrigin::signed(PATIENT), 0, 302, narrow_scope(), None),
			Error::<Test>::TooManyGuardians
		);
	});
}

#[test]
fn guardians_are_appointed_for_enrolled_patients_only() {
	with_world(|| {
		assert_noop!(
			Patients::add_guardian(RuntimeOrigin::signed(PATIENT), 7, 300, narrow_scope(), None),
			Error::<Test>::UnknownPatient
		);
	});
}

#[test]
fn a_patient_removes_a_guardian_and_a_guardian_resigns() {
	with_world(|| {
		assert_ok!(Patients::remove_guardian(RuntimeOrigin::signed(PATIENT), 0, GUARDIAN));
		System::assert_last_event(Event::GuardianRemoved { patient: 0, guardian: GUARDIAN }.into());
		assert_eq!(Guardians::<Test>::get(0, GUARDIAN), None);
		assert_eq!(WardsOf::<Test>::get(GUARDIAN), None);
		let entry = last_audited().unwrap();
		assert_eq!((entry.action, entry.subject), (AuditAction::GuardianRemoved, Some(GUARDIAN)));

		assert_ok!(Patients::remove_guardian(
			RuntimeOrigin::signed(NARROW_GUARDIAN),
			0,
			NARROW_GUARDIAN
		));
		assert_eq!(Patients::patient(0).unwrap().guardians, 1);
	});
}

#[test]
fn removing_needs_an_appointed_guardian() {
	with_world(|| {
		assert_noop!(
			Patients::remove_guardian(RuntimeOrigin::signed(PATIENT), 0, 300),
			Error::<Test>::NotGuardian
		);
		assert_noop!(
			Patients::remove_guardian(RuntimeOrigin::signed(PATIENT), 7, GUARDIAN),
			Error::<Test>::UnknownPatient
		);
	});
}

#[test]
fn nothing_a_guardian_holds_can_block_its_removal() {
	// C-1: a guardian with a consumer reference could not be removed.
	with_world(|| {
		assert_ok!(System::inc_consumers(&GUARDIAN));
		assert_ok!(Patients::remove_guardian(RuntimeOrigin::signed(PATIENT), 0, GUARDIAN));
		assert_eq!(<Patients as PatientRegistry<u64>>::actor_for(0, &GUARDIAN, NOW), None);
	});
}

#[test]
fn removing_a_guardian_removes_those_it_appointed() {
	// L-3: sub-guardians outlived their appointer, unknown to the patient.
	with_world(|| {
		let appointer = GuardianScope { may_recover: false, ..full_scope() };
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(GUARDIAN),
			0,
			301,
			appointer,
			None
		));
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(301),
			0,
			302,
			narrow_scope(),
			None
		));
		assert_eq!(Patients::patient(0).unwrap().guardians, 5);
		assert_ok!(Patients::remove_guardian(RuntimeOrigin::signed(PATIENT), 0, GUARDIAN));
		for gone in [GUARDIAN, 301, 302] {
			assert_eq!(
				<Patients as PatientRegistry<u64>>::actor_for(0, &gone, NOW),
				None,
				"{gone}"
			);
		}
		assert_eq!(Patients::patient(0).unwrap().guardians, 2);
		let removed: Vec<_> = audited()
			.into_iter()
			.filter(|e| e.action == AuditAction::GuardianRemoved)
			.filter_map(|e| e.subject)
			.collect();
		assert_eq!(removed, vec![301, 302, GUARDIAN]);
	});
}

#[test]
fn changing_an_appointment_removes_the_guardians_it_appointed() {
	with_world(|| {
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(GUARDIAN),
			0,
			301,
			narrow_scope(),
			None
		));
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(PATIENT),
			0,
			GUARDIAN,
			narrow_scope(),
			None
		));
		assert_eq!(Guardians::<Test>::get(0, 301), None);
		assert_eq!(Guardians::<Test>::get(0, GUARDIAN).unwrap().scope, narrow_scope());
	});
}

#[test]
fn a_patient_appoints_at_most_the_maximum_of_new_guardians_per_period() {
	with_world(|| {
		// The mock allows 6 key changes a day; the world's 3 guardians were appointed the
		// day before.
		set_now(NOW + DAY);
		for n in 0..2 {
			assert_ok!(Patients::add_guardian(
				RuntimeOrigin::signed(PATIENT),
				0,
				300 + n,
				narrow_scope(),
				None
			));
		}
		for n in 0..2 {
			assert_ok!(Patients::remove_guardian(RuntimeOrigin::signed(PATIENT), 0, 300 + n));
		}
		for n in 2..6 {
			assert_ok!(Patients::rotate_key(
				RuntimeOrigin::signed(if n == 2 { PATIENT } else { 400 + n - 1 }),
				400 + n
			));
		}
		assert_noop!(
			Patients::add_guardian(RuntimeOrigin::signed(405), 0, 310, narrow_scope(), None),
			Error::<Test>::TooManyKeyChanges
		);
		// Changing an existing appointment makes no new account: not counted.
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(405),
			0,
			NARROW_GUARDIAN,
			full_scope(),
			None
		));
	});
}

#[test]
fn unknown_category_bits_in_a_scope_are_refused_by_name() {
	with_world(|| {
		let scope = GuardianScope {
			consent_categories: codec::Decode::decode(&mut &[0, 0x80][..]).unwrap(),
			..Default::default()
		};
		assert_noop!(
			Patients::add_guardian(RuntimeOrigin::signed(PATIENT), 0, 300, scope, None),
			Error::<Test>::UnknownCategories
		);
	});
}

#[test]
fn a_guardian_cannot_hold_up_the_patients_key_rotation() {
	// N-7 (security review 2026-12): a guardian that may appoint appointed a puppet, the puppet
	// resigned, 20 times, and the patient's rotate_key failed with TooManyKeyChanges for the
	// rest of the day. The mock caps at 6 a day; the patient used 3 in the set-up.
	with_world(|| {
		for puppet in 500..506u64 {
			assert_ok!(Patients::add_guardian(
				RuntimeOrigin::signed(GUARDIAN),
				0,
				puppet,
				GuardianScope::default(),
				None
			));
			assert_ok!(Patients::remove_guardian(RuntimeOrigin::signed(puppet), 0, puppet));
		}
		// The guardians' appointments have their own cap …
		assert_noop!(
			Patients::add_guardian(
				RuntimeOrigin::signed(GUARDIAN),
				0,
				506,
				GuardianScope::default(),
				None
			),
			Error::<Test>::TooManyGuardianAppointments
		);
		// … and the patient's own key changes are untouched by them.
		assert_ok!(Patients::rotate_key(RuntimeOrigin::signed(PATIENT), 300));
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(300),
			0,
			506,
			GuardianScope::default(),
			None
		));
		set_now(NOW + DAY);
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(GUARDIAN),
			0,
			507,
			GuardianScope::default(),
			None
		));
	});
}

#[test]
fn a_guardian_signs_in_its_wards_name_and_only_while_an_appointment_is_in_force() {
	// N-1 (security review 2026-12): a patient's guardians were principals of their own; now
	// the registry names the ward whose admission budget a guardian shares. L-5: a guardian
	// whose only appointment expired stayed admitted.
	with_world(|| {
		assert_eq!(
			Patients::standing(&GUARDIAN, NOW),
			Some(medchain_primitives::PatientStanding::Guardian {
				ward: 0,
				organisation: HOSPITAL
			})
		);
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(PATIENT),
			0,
			600,
			GuardianScope::default(),
			Some(NOW + 1_000)
		));
		// A later open-ended appointment for another patient, then removed: the ward's own,
		// expired appointment does not keep it signing.
		assert_ok!(Patients::add_guardian(
			RuntimeOrigin::signed(OTHER_PATIENT),
			1,
			600,
			GuardianScope::default(),
			None
		));
		assert_ok!(Patients::remove_guardian(RuntimeOrigin::signed(OTHER_PATIENT), 1, 600));
		assert!(Patients::standing(&600, NOW).is_some());
		assert_eq!(Patients::standing(&600, NOW + 1_000), None);
	});
}
