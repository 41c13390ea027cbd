//! Tests of pallet-records, one file per call or concern. Every test runs in the shared small
//! world (`medchain_primitives::testing`) and checks the pallet's invariants at its end.

mod amend;
mod anchor;
mod attested;
mod authorisation;
mod batch;
mod many;
mod status;
mod verify;

use frame::testing_prelude::*;
use medchain_primitives::{Action, Category, ConsentRef, Hash32, Purpose, RecordId};

use crate::mock::*;

/// The grant the consent double says lets the lab technician append lab results of `P`.
pub const LAB_GRANT: ConsentRef = ConsentRef::Grant(5);

/// A content hash.
pub fn hash(n: u8) -> Hash32 {
	Hash32::repeat_byte(n)
}

/// Patient `P` lets the lab technician append LabResults for Treatment.
pub fn lab_may_append() {
	permit(P, LAB_TECHNICIAN, Category::LabResults, Purpose::Treatment, Action::Append, LAB_GRANT);
}

/// A call's outcome without its post-dispatch information.
pub fn plain(result: frame::prelude::DispatchResultWithPostInfo) -> DispatchResult {
	result.map(|_| ()).map_err(|e| e.error)
}

/// The locator every test anchors with: 32 opaque bytes.
pub fn locator() -> crate::Locator {
	crate::Locator::repeat_byte(0x1c)
}

/// `who` anchors LabResults of `P` for Treatment with hash `hash(1)`.
pub fn anchor_as(who: u64) -> DispatchResult {
	Records::anchor(
		RuntimeOrigin::signed(who),
		P,
		Category::LabResults,
		Purpose::Treatment,
		hash(1),
		locator(),
	)
	.map(|_| ())
	.map_err(|e| e.error)
}

/// The lab technician anchors a lab result of `P` (with the grant it needs); gives its id.
pub fn lab_result() -> RecordId {
	lab_may_append();
	let id = crate::NextRecordId::<Test>::get();
	assert_ok!(anchor_as(LAB_TECHNICIAN));
	id
}
