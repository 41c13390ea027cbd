//! The `CheckAdmission` transaction extension.

use codec::{Decode, DecodeWithMemTracking, Encode};
use frame::{
	deps::{
		frame_support::dispatch::DispatchInfo,
		sp_runtime::{
			traits::{AsSystemOriginSigner, DispatchInfoOf, Dispatchable},
			transaction_validity::{TransactionSource, TransactionValidityError},
		},
	},
	prelude::*,
	transaction::{InvalidTransaction, TransactionExtension, ValidTransaction, ValidateResult},
};
use scale_info::TypeInfo;

use crate::{Config, Pallet, Usage, UsageWindow, WeightInfo, RATE_LIMITED};

/// Admits signed transactions from registered accounts only, a limited number per window.
/// See the crate docs.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckAdmission<T: Config>(core::marker::PhantomData<fn() -> T>);

impl<T: Config> CheckAdmission<T> {
	/// The extension (it carries no data in the transaction).
	pub fn new() -> Self {
		Self(core::marker::PhantomData)
	}
}

impl<T: Config> Default for CheckAdmission<T> {
	fn default() -> Self {
		Self::new()
	}
}

impl<T: Config> core::fmt::Debug for CheckAdmission<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckAdmission")
	}
}

impl<T: Config> TransactionExtension<T::RuntimeCall> for CheckAdmission<T>
where
	T::RuntimeCall: Dispatchable<Info = DispatchInfo>,
	<T::RuntimeCall as Dispatchable>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
{
	const IDENTIFIER: &'static str = "CheckAdmission";
	type Implicit = ();
	/// The signer and its usage with this transaction counted, to store in `prepare`.
	type Val = Option<(T::AccountId, UsageWindow<BlockNumberFor<T>>)>;
	type Pre = ();

	fn weight(&self, _call: &T::RuntimeCall) -> Weight {
		T::WeightInfo::check_admission()
	}

	fn validate(
		&self,
		origin: <T::RuntimeCall as Dispatchable>::RuntimeOrigin,
		_call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Encode,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		let Some(who) = origin.as_system_origin_signer() else {
			return Ok((ValidTransaction::default(), None, origin))
		};
		if !T::Admitted::contains(who) {
			return Err(InvalidTransaction::BadSigner.into())
		}
		// In the pool and in a block alike, the transaction is for the block being built.
		let block = frame_system::Pallet::<T>::block_number();
		let mut usage = Pallet::<T>::usage_at(who, block);
		if usage.count >= T::MaxTransactionsPerWindow::get() {
			return Err(InvalidTransaction::Custom(RATE_LIMITED).into())
		}
		usage.count = usage.count.saturating_add(1);
		Ok((ValidTransaction::default(), Some((who.clone(), usage)), origin))
	}

	fn prepare(
		self,
		val: Self::Val,
		_origin: &<T::RuntimeCall as Dispatchable>::RuntimeOrigin,
		_call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		if let Some((who, usage)) = val {
			Usage::<T>::insert(who, usage);
		}
		Ok(())
	}
}
