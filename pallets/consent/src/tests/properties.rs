//! Property tests of the decision: against a model of the rules, a request is permitted
//! exactly when a grant in force covers it and no deny rule does. So a revoked, expired,
//! not-yet-valid, denied or out-of-scope request is never permitted, and a matching active
//! grant always is.

use frame::testing_prelude::*;
use medchain_primitives::{
	Action, Actions, Categories, Category, GrantTerms, Grantee, Moment, Purpose, Purposes,
};
use proptest::prelude::*;

use super::*;

#[derive(Clone, Debug)]
struct GrantSpec {
	categories: u16,
	purposes: u8,
	actions: u8,
	starts_in: Moment,
	lasts: Moment,
	revoked_after: Option<Moment>,
}

#[derive(Clone, Debug)]
struct DenySpec {
	everyone: bool,
	categories: u16,
	purposes: u8,
}

fn grant_spec() -> impl Strategy<Value = GrantSpec> {
	(
		1u16..(1 << 14),
		1u8..(1 << 6),
		1u8..8,
		0..(2 * HOUR),
		1..(3 * HOUR),
		proptest::option::of(0..(3 * HOUR)),
	)
		.prop_map(|(categories, purposes, actions, starts_in, lasts, revoked_after)| GrantSpec {
			categories,
			purposes,
			actions,
			starts_in,
			lasts,
			revoked_after,
		})
}

fn deny_spec() -> impl Strategy<Value = DenySpec> {
	(any::<bool>(), 1u16..(1 << 14), 1u8..(1 << 6))
		.prop_map(|(everyone, categories, purposes)| DenySpec { everyone, categories, purposes })
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(200))]

	#[test]
	fn permitted_exactly_when_a_grant_in_force_covers_and_no_deny_does(
		grants in proptest::collection::vec(grant_spec(), 0..4),
		denies in proptest::collection::vec(deny_spec(), 0..3),
		category in 0usize..14,
		purpose in 0usize..6,
		action in 0usize..3,
		asked_at in 0..(6 * HOUR),
	) {
		let category = Category::ALL[category];
		let purpose = Purpose::ALL[purpose];
		let action = Action::ALL[action];
		with_world(|| {
			// The grants, each granted at NOW and revoked later if the spec says so.
			for g in &grants {
				let categories = Categories::from_bits(g.categories).unwrap();
				assert_ok!(Consent::grant(RuntimeOrigin::signed(PATIENT), P, GrantTerms { grantee: Grantee::Practitioner(LAB_TECHNICIAN), categories, purposes: Purposes::from_bits(g.purposes).unwrap(), actions: Actions::from_bits(g.actions).unwrap(), valid_from: NOW + g.starts_in, valid_until: Some(NOW + g.starts_in + g.lasts) }, categories.intersection(Categories::SENSITIVE)));
			}
			for d in &denies {
				let grantee = (!d.everyone).then_some(Grantee::Organisation(LAB));
				assert_ok!(Consent::add_deny(
					RuntimeOrigin::signed(PATIENT),
					P,
					grantee,
					Categories::from_bits(d.categories).unwrap(),
					Purposes::from_bits(d.purposes).unwrap(),
				));
			}
			// Revocations happen in time order.
			let mut revocations: Vec<(Moment, u64)> = grants
				.iter()
				.enumerate()
				.filter_map(|(i, g)| g.revoked_after.map(|r| (NOW + r, i as u64)))
				.collect();
			revocations.sort();
			let ask = NOW + asked_at;
			for (at, id) in &revocations {
				if *at <= ask {
					set_now(*at);
					assert_ok!(Consent::revoke(RuntimeOrigin::signed(PATIENT), *id));
				}
			}
			set_now(ask);

			let covered_by_grant = grants.iter().any(|g| {
				let from = NOW + g.starts_in;
				let until = from + g.lasts;
				let revoked = g.revoked_after.is_some_and(|r| NOW + r <= ask);
				!revoked && from <= ask && ask < until
					&& Categories::from_bits(g.categories).unwrap().contains(category)
					&& Purposes::from_bits(g.purposes).unwrap().contains(purpose)
					&& Actions::from_bits(g.actions).unwrap().contains(action)
			});
			let denied = denies.iter().any(|d| {
				Categories::from_bits(d.categories).unwrap().contains(category)
					&& Purposes::from_bits(d.purposes).unwrap().contains(purpose)
			});
			let decision = Consent::check_access(P, &LAB_TECHNICIAN, category, purpose, action);
			assert_eq!(decision.is_permit(), covered_by_grant && !denied, "{decision:?}");
		});
	}
}
