//! verify: does a content hash match a record's anchor?

use medchain_primitives::{RecordStatus, RecordVerification};

use super::*;

#[test]
fn the_anchored_hash_matches_and_one_flipped_bit_does_not() {
	with_world(|| {
		let bytes = b"an encrypted FHIR Observation".to_vec();
		let content_hash: Hash32 = frame::hashing::blake2_256(&bytes).into();
		lab_may_append();
		assert_ok!(Records::anchor(
			RuntimeOrigin::signed(LAB_TECHNICIAN),
			P,
			Category::LabResults,
			Purpose::Treatment,
			content_hash,
			locator()
		));
		assert_eq!(
			Records::verify(0, content_hash),
			RecordVerification::Matches { status: RecordStatus::Current }
		);
		let mut tampered = bytes.clone();
		tampered[3] ^= 1;
		assert_eq!(
			Records::verify(0, frame::hashing::blake2_256(&tampered).into()),
			RecordVerification::Mismatch { status: RecordStatus::Current }
		);
		assert_eq!(Records::verify(1, content_hash), RecordVerification::UnknownRecord);
	});
}

#[test]
fn verification_reports_the_versions_status() {
	with_world(|| {
		let id = lab_result();
		assert_ok!(Records::amend(RuntimeOrigin::signed(LAB_TECHNICIAN), id, hash(2), locator()));
		assert_eq!(
			Records::verify(id, hash(1)),
			RecordVerification::Matches { status: RecordStatus::Superseded }
		);
		assert_ok!(Records::erase(RuntimeOrigin::signed(LAB_TECHNICIAN), id));
		assert_eq!(
			Records::verify(id, hash(1)),
			RecordVerification::Matches { status: RecordStatus::Erased }
		);
		assert_eq!(
			Records::verify(id + 1, hash(2)),
			RecordVerification::Matches { status: RecordStatus::Current }
		);
	});
}
