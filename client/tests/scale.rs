//! Each pair of types `scale::convert` moves between: a `medchain-primitives` value becomes the
//! generated type and comes back equal; bytes that do not fit are refused, not guessed at.

use medchain_client::{
	runtime::runtime_types::{
		bounded_collections::bounded_vec::BoundedVec, medchain_primitives as generated,
	},
	scale::convert,
	AccountId, Error,
};
use medchain_primitives::{
	AccessReport, Action, Actions, Categories, Category, ConsentRef, GrantTerms, Grantee, Hash32,
	NewRecord, Purpose, Purposes,
};

fn round_trip<P, G>(value: P)
where
	P: codec::Encode + codec::Decode + PartialEq + std::fmt::Debug,
	G: codec::Encode + codec::Decode,
{
	let generated: G = convert(&value).expect("converts to the generated type");
	let back: P = convert(&generated).expect("and back");
	assert_eq!(back, value);
}

#[test]
fn every_converted_type_round_trips() {
	for category in Category::ALL {
		round_trip::<Category, generated::sets::Category>(*category);
	}
	for purpose in Purpose::ALL {
		round_trip::<Purpose, generated::sets::Purpose>(*purpose);
	}
	round_trip::<Categories, generated::sets::Categories>(Categories::ALL);
	round_trip::<Hash32, medchain_client::BlockHash>(Hash32::repeat_byte(0xab));
	for grantee in [Grantee::Practitioner(AccountId::from([7; 32])), Grantee::Organisation(3)] {
		round_trip::<GrantTerms<AccountId>, generated::consent::GrantTerms<AccountId>>(
			GrantTerms {
				grantee,
				categories: Categories::of(&[Category::LabResults, Category::Imaging]),
				purposes: Purposes::of(&[Purpose::Treatment]),
				actions: Actions::of(&[Action::Read, Action::Append]),
				valid_from: 1_700_000_000_000,
				valid_until: Some(1_700_086_400_000),
			},
		);
	}
	// The lists of `anchor_many` and `report_access_batch`: a bounded vector is a vector's bytes.
	let record = NewRecord {
		patient: 7,
		category: Category::LabResults,
		purpose: Purpose::Treatment,
		content_hash: Hash32::repeat_byte(1),
		locator: Hash32::repeat_byte(2),
		basis: Some(ConsentRef::Grant(3)),
	};
	round_trip::<Vec<NewRecord>, BoundedVec<generated::records::NewRecord>>(vec![
		record,
		NewRecord { basis: None, ..record },
	]);
	let report = AccessReport {
		patient: 7,
		category: Category::Imaging,
		purpose: Purpose::Emergency,
		basis: ConsentRef::Emergency(4),
		record: Some(9),
	};
	round_trip::<Vec<AccessReport>, BoundedVec<generated::audit::AccessReport>>(vec![
		report,
		AccessReport { basis: ConsentRef::Grant(5), record: None, ..report },
	]);
}

#[test]
fn bytes_that_do_not_fit_are_refused() {
	// A variant index the generated enum does not have.
	let err = convert::<u8, generated::sets::Category>(&200).err().expect("no category 200");
	assert!(
		matches!(err, Error::Conversion { ref reason, .. } if reason.contains("does not decode as")),
		"{err}"
	);
	// Bytes left over: a u32 is not one category.
	let err = convert::<u32, generated::sets::Category>(&5).err().expect("3 bytes left over");
	assert!(
		matches!(err, Error::Conversion { ref reason, .. } if reason.contains("left 3 bytes unread")),
		"{err}"
	);
}
