//! The `CheckAdmission` transaction extension.

use codec::{Decode, DecodeWithMemTracking, Encode};
use frame::{
	deps::{
		frame_support::dispatch::{DispatchClass, DispatchInfo},
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
	Admit, Budget, Config, Groups, Lane, Pallet, Principal, Refusal, WeightInfo,
	CALL_NOT_PERMITTED, OPERATIONAL_PRIORITY, RATE_LIMITED, TRANSACTION_TOO_HEAVY,
	TRANSACTION_TOO_LONG,
};

/// Checks the nonce of a signed transaction (as `frame_system::CheckNonce` does, whose place
/// and identifier it takes), and admits it only from a registered account, for a call its
/// roles may make, within its principal's and its groups' budgets. See the crate docs.
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
	groups: Groups<AccountId>,
	lane: Lane,
	spent: Budget,
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
		source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		let Some(who) = origin.as_system_origin_signer() else {
			return Ok((ValidTransaction::default(), None, origin));
		};
		// Before the nonce: a stranger is told it is not admitted, not that it cannot pay.
		let standing = T::Admit::admit(who, call).map_err(|refusal| match refusal {
			Refusal::NotAdmitted => InvalidTransaction::BadSigner,
			Refusal::CallNotPermitted => InvalidTransaction::Custom(CALL_NOT_PERMITTED),
		})?;
		let lane = match info.class {
			DispatchClass::Operational => Lane::Operational,
			_ => Lane::Ordinary,
		};
		let principal = standing.principal.clone();
		let largest = Pallet::<T>::largest_transaction(&principal, lane);
		let len = u32::try_from(len).unwrap_or(u32::MAX);
		if len > largest.bytes {
			return Err(InvalidTransaction::Custom(TRANSACTION_TOO_LONG).into());
		}
		let weight = info.total_weight().ref_time();
		if weight > largest.weight {
			return Err(InvalidTransaction::Custom(TRANSACTION_TOO_HEAVY).into());
		}
		let nonce = CheckNonce::<T>::validate_nonce_for_account(who, self.0)?;
		let spent = Budget { transactions: 1, bytes: len, weight };
		let budget = Pallet::<T>::budget_of(&principal, lane);
		let groups = Pallet::<T>::groups_of(&standing, lane);
		// In the pool and in a block alike, the transaction is for the block being built.
		let block = frame_system::Pallet::<T>::block_number();
		let used = Pallet::<T>::usage_at(&principal, lane, block);

		if source == TransactionSource::InBlock {
			// In a block there is nothing ahead of it (its nonce is the account's): it fits this
			// window of its principal and groups, or waits in the pool for the next window.
			let fits = |who: &Principal<T::AccountId>, used: Budget| {
				used.saturating_add(spent).within(&Pallet::<T>::budget_of(who, lane))
			};
			let groups_fit = groups
				.iter()
				.flatten()
				.all(|group| fits(group, Pallet::<T>::usage_at(group, lane, block)));
			if !fits(&principal, used) || !groups_fit {
				return Err(InvalidTransaction::ExhaustsResources.into());
			}
		} else {
			// In the pool: it and the principal's transactions ahead of it (each counted as large
			// as the largest it may send) fit one window's budget. So a principal's transactions
			// waiting in the pool never hold more than its budget, however many it sends.
			let account_nonce = frame_system::Account::<T>::get(who).nonce;
			let ahead: u32 = self.0.saturating_sub(account_nonce).try_into().unwrap_or(u32::MAX);
			if !largest.saturating_mul(ahead).saturating_add(spent).within(&budget) {
				return Err(InvalidTransaction::Custom(RATE_LIMITED).into());
			}
		}

		// Who used less of its budgets in this window comes first; an operational call before
		// every ordinary one.
		let share_left = groups.iter().flatten().fold(used.share_left(&budget), |share, group| {
			share.min(
				Pallet::<T>::usage_at(group, lane, block)
					.share_left(&Pallet::<T>::budget_of(group, lane)),
			)
		});
		let priority = match lane {
			Lane::Operational => OPERATIONAL_PRIORITY.saturating_add(share_left),
			Lane::Ordinary => share_left,
		};
		let validity = ValidTransaction {
			priority,
			provides: nonce.provides,
			requires: nonce.requires,
			..Default::default()
		};
		let admitted = Admitted { who: who.clone(), principal, groups, lane, spent };
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
		let Admitted { principal, groups, lane, spent, .. } = admitted;
		Pallet::<T>::charge(window, &principal, lane, spent);
		for group in groups.iter().flatten() {
			Pallet::<T>::charge(window, group, lane, spent);
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
