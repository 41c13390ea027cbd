//! The `ConsentApi` runtime API: the consent pallet's access decision, asked of the runtime at
//! a given block. The node serves it as the JSON-RPC methods `consent_checkAccess` and
//! (version 2) `consent_checkAccessBatch`; version 3 answers who acts for a patient.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use medchain_primitives::{
	AccessQuestion, AccessQuestions, Action, Category, Decision, DenyReason, PatientActor,
	PatientId, Purpose, MAX_ACCESS_QUESTIONS,
};

sp_api::decl_runtime_apis! {
	/// The access decision of medchain's consent pallet.
	///
	/// Version 2 (runtime 105) adds [`ConsentApi::check_access_batch`]; version 3 (runtime
	/// 111) [`ConsentApi::acts_for`].
	#[api_version(2)]
	pub trait ConsentApi<AccountId: Codec> {
		/// May `accessor` do `action` on `category` of `patient`'s data for `purpose`, at this
		/// block's time? Pure: reads state, changes nothing.
		fn check_access(
			patient: PatientId,
			accessor: AccountId,
			category: Category,
			purpose: Purpose,
			action: Action,
		) -> Decision;

		/// Many questions at once (at most [`MAX_ACCESS_QUESTIONS`], refused when the batch is
		/// decoded), each answered as [`ConsentApi::check_access`] answers it, in the same
		/// order: what a gateway deciding for many readers asks in one call. Pure.
		#[api_version(2)]
		fn check_access_batch(questions: AccessQuestions<AccountId>) -> Vec<Decision>;

		/// Who `who` is for `patient` at this block's time: its controller, a guardian in
		/// force (with its scope), or neither. What a gateway asks of a reader who is no
		/// provider. Pure.
		#[api_version(3)]
		fn acts_for(patient: PatientId, who: AccountId) -> Option<PatientActor>;
	}
}
