//! The `CheckAdmission` transaction extension.

use codec::{Decode, DecodeWithMemTracking, Encode};
use frame::{
	deps::{
		frame_support::dispatch::DispatchInfo,
		frame_system::CheckNonce,
		sp_runtime::{
			traits::{AsSystemOriginSigner, DispatchInfoOf, Dispatchable, PostDispatchInfoOf},
			transaction_validity::{TransactionSource, TransactionValidityError},
			DispatchResult,
		},
	},
	prelude::*,
	transaction::{InvalidTransaction, TransactionExtension, ValidTransaction, ValidateResult},
};
use scale_info::TypeInfo;

use crate::{
	Admit, Budget, Config, Pallet, Principal, Refusal, Usage, WeightInfo, CALL_NOT_PERMITTED,
	ORGANISATION_RATE_LIMITED, RATE_LIMITED, TRANSACTION_TOO_LONG,
};

/// Checks the nonce of a signed transaction (as `frame_system::CheckNonce` does, whose place
/// and identifier it takes), and admits it only from a registered account, for a call its
/// roles may make, within its principal's and its organisation's budgets. See the crate docs.
///
/// It carries the transaction's nonce (compact-encoded, like `CheckNonce`): the nonce tells how
/// many of the signer's transactions are ahead of this one in the pool, which the budget counts.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckAdmission<T: Config>(#[codec(compact)] pub T::Nonce);

impl<T: Config> CheckAdmission<T> {
	/// The extension of a transaction with `nonce`.
	pub fn from(nonce: T::Nonce) -> Self {
		Self(nonce)
	}
}

impl<T: Config> core::fmt::Debug for CheckAdmission<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckAdmission(nonce {:?})", self.0)
	}
}

/// What `validate` found, for `prepare` to record.
pub struct Admitted<AccountId> {
	who: AccountId,
	principal: Principal<AccountId>,
	organisation: Option<Principal<AccountId>>,
	spent: Budget,
}

/// Whether `used` plus `more` stays within `budget`.
fn fits(used: Budget, more: Budget, budget: Budget) -> bool {
	used.transactions.saturating_add(more.transactions) <= budget.transactions
		&& used.bytes.saturating_add(more.bytes) <= budget.bytes
		&& used.weight.saturating_add(more.weight) <= budget.weight
}

fn add(used: Budget, more: Budget) -> Budget {
	Budget {
		transactions: used.transactions.saturating_add(more.transactions),
		bytes: used.bytes.saturating_add(more.bytes),
		weight: used.weight.saturating_add(more.weight),
	}
}

impl<T: Config> TransactionExtension<T::RuntimeCall> for CheckAdmission<T>
where
	T::RuntimeCall: Dispatchable<Info = DispatchInfo>,
	<T::RuntimeCall as Dispatchable>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
{
	/// The identifier of the nonce check it replaces: wallets (polkadot.js, subxt) fill it in.
	const IDENTIFIER: &'static str = "CheckNonce";
	type Implicit = ();
	type Val = Option<Admitted<T::AccountId>>;
	type Pre = Option<Weight>;

	fn weight(&self, _call: &T::RuntimeCall) -> Weight {
		T::WeightInfo::check_admission()
	}

	fn validate(
		&self,
		origin: <T::RuntimeCall as Dispatchable>::RuntimeOrigin,
		call: &T::RuntimeCall,
		info: &DispatchInfoOf<T::RuntimeCall>,
		len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Encode,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		let Some(who) = origin.as_system_origin_signer() else {
			return Ok((ValidTransaction::default(), None, origin));
		};
		// Before the nonce: a stranger is told it is not admitted, not that it cannot pay.
		let standing = T::Admit::admit(who, call).map_err(|refusal| match refusal {
			Refusal::NotAdmitted => InvalidTransaction::BadSigner,
			Refusal::CallNotPermitted => InvalidTransaction::Custom(CALL_NOT_PERMITTED),
		})?;
		let len = u32::try_from(len).unwrap_or(u32::MAX);
		if len > T::MaxTransactionLength::get() {
			return Err(InvalidTransaction::Custom(TRANSACTION_TOO_LONG).into());
		}
		let nonce = CheckNonce::<T>::validate_nonce_for_account(who, self.0)?;

		// In the pool and in a block alike, the transaction is for the block being built.
		let window = Pallet::<T>::window_start(frame_system::Pallet::<T>::block_number());
		let spent = Budget { transactions: 1, bytes: len, weight: info.total_weight().ref_time() };
		// The signer's transactions ahead of this one in the pool count as well (in a block,
		// there are none: the nonce is the account's).
		let account_nonce = frame_system::Account::<T>::get(who).nonce;
		let ahead: u32 = self.0.saturating_sub(account_nonce).try_into().unwrap_or(u32::MAX);
		let pending = Budget { transactions: ahead, ..Default::default() };
		let used = add(Usage::<T>::get(window, &standing.principal), pending);
		if !fits(used, spent, T::AccountBudget::get()) {
			return Err(InvalidTransaction::Custom(RATE_LIMITED).into());
		}
		let organisation = standing.organisation.map(Principal::Organisation);
		if let Some(organisation) = &organisation {
			if !fits(Usage::<T>::get(window, organisation), spent, T::OrganisationBudget::get()) {
				return Err(InvalidTransaction::Custom(ORGANISATION_RATE_LIMITED).into());
			}
		}

		let validity = ValidTransaction {
			provides: nonce.provides,
			requires: nonce.requires,
			..Default::default()
		};
		let admitted =
			Admitted { who: who.clone(), principal: standing.principal, organisation, spent };
		Ok((validity, Some(admitted), origin))
	}

	fn prepare(
		self,
		val: Self::Val,
		_origin: &<T::RuntimeCall as Dispatchable>::RuntimeOrigin,
		call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		let Some(admitted) = val else {
			// Not signed: nothing was checked, and the check's weight is refunded.
			return Ok(Some(self.weight(call)));
		};
		CheckNonce::<T>::prepare_nonce_for_account(&admitted.who, self.0)?;
		let window = Pallet::<T>::window_start(frame_system::Pallet::<T>::block_number());
		Usage::<T>::mutate(window, &admitted.principal, |used| *used = add(*used, admitted.spent));
		if let Some(organisation) = &admitted.organisation {
			Usage::<T>::mutate(window, organisation, |used| *used = add(*used, admitted.spent));
		}
		Ok(None)
	}

	fn post_dispatch_details(
		pre: Self::Pre,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_post_info: &PostDispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_result: &DispatchResult,
	) -> Result<Weight, TransactionValidityError> {
		Ok(pre.unwrap_or_default())
	}
}
