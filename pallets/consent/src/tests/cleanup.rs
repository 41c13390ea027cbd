//! on_idle: ended grants are removed lazily, with bounded weight.

use frame::testing_prelude::*;
use medchain_primitives::Grantee;

use super::*;
use crate::{CleanupCursor, Event, Grants, GrantsByGrantee};

fn idle(weight: Weight) -> Weight {
	Consent::cleanup(weight)
}

#[test]
fn ended_grants_are_removed_after_the_retention_only() {
	with_world(|| {
		assert_ok!(grant_lab_results(Grantee::Organisation(LAB))); // ends NOW + DAY
		assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
		assert_ok!(Consent::revoke(RuntimeOrigin::signed(PATIENT), 1)); // ended NOW
		set_now(NOW + HOUR - 1);
		idle(Weight::MAX);
		assert!(Grants::<Test>::contains_key(1), "still within the retention");
		idle(Weight::MAX); // the next pass starts over
		set_now(NOW + HOUR);
		idle(Weight::MAX);
		assert!(!Grants::<Test>::contains_key(1));
		System::assert_last_event(Event::GrantCleanedUp { grant_id: 1, patient: P }.into());
		assert_eq!(GrantsByGrantee::<Test>::get(P, Grantee::Organisation(LAB)).to_vec(), vec![0]);
		assert!(Grants::<Test>::contains_key(0), "in force: kept");
	});
}

#[test]
fn cleanup_frees_room_in_the_index() {
	with_world(|| {
		for _ in 0..4 {
			assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
		}
		set_now(NOW + DAY + HOUR);
		idle(Weight::MAX);
		assert!(GrantsByGrantee::<Test>::get(P, Grantee::Organisation(LAB)).is_empty());
		assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
	});
}

#[test]
fn cleanup_stays_within_the_weight_it_is_given() {
	with_world(|| {
		for _ in 0..4 {
			assert_ok!(grant_lab_results(Grantee::Organisation(LAB)));
		}
		set_now(NOW + DAY + HOUR);
		assert_eq!(idle(Weight::zero()), Weight::zero());
		let step = <() as crate::WeightInfo>::cleanup_grant();
		let base = <<Test as frame_system::Config>::DbWeight as Get<
			frame::deps::frame_support::weights::RuntimeDbWeight,
		>>::get()
		.reads_writes(2, 1);
		let used = idle(base + step + step);
		assert!(used.all_lte(base + step + step));
		assert_eq!(CleanupCursor::<Test>::get(), 2, "two grants examined");
		assert!(!Grants::<Test>::contains_key(1) && Grants::<Test>::contains_key(2));
	});
}

#[test]
fn cleanup_examines_a_bounded_number_of_grants_per_block() {
	with_world(|| {
		crate::NextGrantId::<Test>::put(1_000);
		idle(Weight::MAX);
		assert_eq!(CleanupCursor::<Test>::get(), crate::MAX_CLEANUP_PER_BLOCK as u64);
		crate::NextGrantId::<Test>::put(0);
		CleanupCursor::<Test>::put(0);
	});
}

#[test]
fn ended_emergency_accesses_are_removed_after_their_retention() {
	with_world(|| {
		assert_ok!(Consent::break_glass(
			RuntimeOrigin::signed(PHYSICIAN),
			P,
			crate::JustificationCode::LifeThreatening,
			Category::Allergies.into()
		));
		// Open for a day, kept for seven more.
		set_now(NOW + DAY + 7 * DAY - 1);
		Consent::cleanup_emergency(Weight::MAX);
		assert!(crate::EmergencyAccesses::<Test>::contains_key(0));
		Consent::cleanup_emergency(Weight::MAX); // the next pass starts over
		set_now(NOW + 8 * DAY);
		Consent::cleanup_emergency(Weight::MAX);
		assert!(!crate::EmergencyAccesses::<Test>::contains_key(0));
		assert!(!crate::OpenEmergency::<Test>::contains_key(P, PHYSICIAN));
		System::assert_last_event(
			Event::EmergencyAccessCleanedUp { access_id: 0, patient: P }.into(),
		);
	});
}
