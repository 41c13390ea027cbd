//! The `ConsentApi` runtime API: the consent pallet's access decision, asked of the runtime at
//! a given block. The node serves it as the JSON-RPC method `consent_checkAccess`.

#![cfg_attr(not(feature = "std"), no_std)]

use codec::Codec;
pub use medchain_primitives::{Action, Category, Decision, DenyReason, PatientId, Purpose};

sp_api::decl_runtime_apis! {
	/// The access decision of medchain's consent pallet.
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
	}
}
