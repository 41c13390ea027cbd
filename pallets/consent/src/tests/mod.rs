//! Tests of pallet-consent, one file per call or concern. Every test runs in the small world
//! of [`crate::mock`] and checks the pallet's invariants at its end.

mod audit;
mod authorisation;
mod cleanup;
mod decision;
mod deny;
mod emergency;
mod grant;
mod properties;
mod revoke;

use medchain_primitives::{
	Action, Actions, Categories, Category, GrantTerms, Grantee, Moment, Purpose, Purposes,
};

use crate::mock::*;

/// `PATIENT` grants `grantee` LabResults for Treatment, Read, from now for a day.
pub fn grant_lab_results(grantee: Grantee<u64>) -> frame::prelude::DispatchResultWithPostInfo {
	grant_as(
		PATIENT,
		grantee,
		Category::LabResults.into(),
		Action::Read.into(),
		now(),
		Some(now() + DAY),
	)
}

/// `who` grants `grantee` `categories` for Treatment with `actions` over the period.
pub fn grant_as(
	who: u64,
	grantee: Grantee<u64>,
	categories: Categories,
	actions: Actions,
	valid_from: Moment,
	valid_until: Option<Moment>,
) -> frame::prelude::DispatchResultWithPostInfo {
	Consent::grant(
		RuntimeOrigin::signed(who),
		P,
		GrantTerms {
			grantee,
			categories,
			purposes: Purpose::Treatment.into(),
			actions,
			valid_from,
			valid_until,
		},
		categories.intersection(Categories::SENSITIVE),
	)
}

/// The decision for `accessor` reading LabResults for Treatment now.
pub fn read_lab_results(accessor: u64) -> medchain_primitives::Decision {
	Consent::check_access(P, &accessor, Category::LabResults, Purpose::Treatment, Action::Read)
}

pub fn treatment() -> Purposes {
	Purpose::Treatment.into()
}
