//! # Admission pallet
//!
//! Who may transact on medchain, what, and how much. medchain charges no fees — patients and
//! practitioners hold no tokens — so the chain needs another answer to spam: only registered
//! accounts may sign transactions, each only the calls its roles need, and each principal and
//! each organisation only a bounded share of the chain per window of blocks.
//!
//! ## Overview
//!
//! [`CheckAdmission`] is a transaction extension that takes the place of `frame_system`'s
//! `CheckNonce` (it keeps its identifier and its encoding, so wallets sign for it unchanged):
//! it checks the nonce, and for a signed transaction, at pool validation and again when the
//! transaction is applied:
//! 1. the runtime admits the signer ([`Config::Admit`]: an active practitioner, an
//!    organisation's admin, a patient, a guardian in force, a council member, a validator, an
//!    invited practitioner) — otherwise the transaction is invalid with
//!    `InvalidTransaction::BadSigner` ("Invalid signing address"), before it enters the pool;
//! 2. the runtime permits this call to the signer's roles — otherwise
//!    `InvalidTransaction::Custom(`[`CALL_NOT_PERMITTED`]`)`;
//! 3. the transaction is at most [`Config::MaxTransactionLength`] bytes — otherwise
//!    `Custom(`[`TRANSACTION_TOO_LONG`]`)`;
//! 4. its *principal* (the patient, whatever key it signs with; otherwise the account) stays
//!    within [`Config::AccountBudget`] in this window of [`Config::WindowLength`] blocks —
//!    counting its transactions already applied, those ahead of it in the pool (by nonce),
//!    and the bytes and weight applied — otherwise `Custom(`[`RATE_LIMITED`]`)`;
//! 5. its *organisation* (the practitioner's or admin's organisation; the organisation that
//!    enrolled the patient, or the guardian's latest ward) stays within
//!    [`Config::OrganisationBudget`] — otherwise `Custom(`[`ORGANISATION_RATE_LIMITED`]`)`.
//!    Accounts an organisation mints (the patients it enrols, their guardians) share its
//!    budget, so minting accounts buys no larger share of the chain.
//!
//! A refused transaction changes nothing and can be sent again in a later window. Unsigned
//! transactions and inherents pass untouched (the pallets that accept them validate them).
//!
//! ## State
//!
//! One [`Usage`] entry per principal and per organisation that transacted in a window, keyed
//! by the window: entries of past windows are removed in `on_idle`, a bounded number per
//! block, so the state holds about one window's worth.

#![cfg_attr(not(feature = "std"), no_std)]
// Checked arithmetic in the chain's code (tests may overflow on purpose): docs/development.md.
#![cfg_attr(not(test), warn(clippy::arithmetic_side_effects))]

pub mod benchmarking;
mod extension;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame::prelude::*;
use medchain_primitives::{OrganisationId, PatientId};
use scale_info::TypeInfo;

pub use extension::CheckAdmission;
pub use pallet::*;
pub use weights::WeightInfo;

/// The `InvalidTransaction::Custom` code of a transaction whose principal used up its budget
/// for the current window.
pub const RATE_LIMITED: u8 = 1;
/// The code of a transaction calling what none of its signer's roles may call.
pub const CALL_NOT_PERMITTED: u8 = 2;
/// The code of a transaction longer than `MaxTransactionLength`.
pub const TRANSACTION_TOO_LONG: u8 = 3;
/// The code of a transaction whose organisation used up its budget for the current window.
pub const ORGANISATION_RATE_LIMITED: u8 = 4;

/// Usage records removed by `on_idle` in one block at most.
pub const MAX_CLEARED_PER_BLOCK: u32 = 256;

/// Whose budget a transaction is counted against.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum Principal<AccountId> {
	/// An account: a practitioner, an admin, a guardian, a council member, a validator.
	Account(AccountId),
	/// A patient, whichever controller key it signs with (rotating keys gives no fresh budget).
	Patient(PatientId),
	/// An organisation: all its practitioners and admin, and the accounts it minted.
	Organisation(OrganisationId),
}

/// How much one principal, or one organisation, may use of the chain per window.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Budget {
	/// Transactions applied (and, for a principal, waiting in the pool).
	pub transactions: u32,
	/// Bytes of transactions applied.
	pub bytes: u32,
	/// Weight (ref-time) of transactions applied, as declared.
	pub weight: u64,
}

/// What a principal or organisation used in one window.
pub type UsageOf = Budget;

/// How the runtime sees a signer: whom it is counted against.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Standing<AccountId> {
	/// Its own budget.
	pub principal: Principal<AccountId>,
	/// The organisation whose budget it shares, if it belongs to one.
	pub organisation: Option<OrganisationId>,
}

/// Why the runtime does not admit a transaction.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Refusal {
	/// The signer is not a registered account.
	NotAdmitted,
	/// None of the signer's roles may make this call.
	CallNotPermitted,
}

/// The runtime's admission rule: whether `who` may sign `call`, and whom it is counted against.
pub trait Admit<AccountId, Call> {
	fn admit(who: &AccountId, call: &Call) -> Result<Standing<AccountId>, Refusal>;
}

#[frame::pallet]
pub mod pallet {
	use super::*;

	/// The version of this pallet's storage layout: a change to the layout raises it and comes
	/// with a migration (docs/development.md, "Migrations").
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Who may sign what, and whom each transaction is counted against.
		type Admit: Admit<Self::AccountId, Self::RuntimeCall>;

		/// The length of a window, in blocks (at least 1).
		#[pallet::constant]
		type WindowLength: Get<BlockNumberFor<Self>>;

		/// The longest signed transaction, in bytes.
		#[pallet::constant]
		type MaxTransactionLength: Get<u32>;

		/// What one principal may use per window.
		#[pallet::constant]
		type AccountBudget: Get<Budget>;

		/// What one organisation (with the accounts it minted) may use per window.
		#[pallet::constant]
		type OrganisationBudget: Get<Budget>;

		/// The weight of the extension's check, and of `on_idle`'s cleanup.
		type WeightInfo: WeightInfo;

		/// Benchmarks: an account the runtime admits.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// What each principal and organisation used, by window (the first block of the window).
	// Twox64Concat on the window: block numbers are not chosen by users.
	#[pallet::storage]
	pub type Usage<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		Blake2_128Concat,
		Principal<T::AccountId>,
		UsageOf,
		ValueQuery,
	>;

	/// The oldest window that may still hold usage records: `on_idle` clears from there.
	#[pallet::storage]
	pub type OldestWindow<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Removes the usage records of windows before the current one, at most
		/// [`MAX_CLEARED_PER_BLOCK`] and within the weight left.
		fn on_idle(n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::clear_old_windows(n, remaining)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(n: BlockNumberFor<T>) -> Result<(), frame::try_runtime::TryRuntimeError> {
			Self::do_try_state(n)
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The first block of the window `block` is in.
	pub fn window_start(block: BlockNumberFor<T>) -> BlockNumberFor<T> {
		let length = T::WindowLength::get().max(One::one());
		block.saturating_sub(block.checked_rem(&length).unwrap_or_default())
	}

	/// What `principal` used in the window of `block`.
	pub fn usage_at(principal: &Principal<T::AccountId>, block: BlockNumberFor<T>) -> UsageOf {
		Usage::<T>::get(Self::window_start(block), principal)
	}

	/// How many more transactions `principal` may have applied in the window of the next block.
	pub fn remaining(principal: &Principal<T::AccountId>) -> u32 {
		let next = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		T::AccountBudget::get()
			.transactions
			.saturating_sub(Self::usage_at(principal, next).transactions)
	}

	/// Clears usage records of windows before the one of block `n`, within `remaining`.
	pub(crate) fn clear_old_windows(n: BlockNumberFor<T>, remaining: Weight) -> Weight {
		let base = T::DbWeight::get().reads_writes(1, 1);
		let per_record = T::WeightInfo::clear_usage_record();
		let current = Self::window_start(n);
		let oldest = OldestWindow::<T>::get();
		if oldest >= current || remaining.any_lt(base.saturating_add(per_record)) {
			return T::DbWeight::get().reads(1);
		}
		let fits = remaining
			.saturating_sub(base)
			.ref_time()
			.checked_div(per_record.ref_time().max(1))
			.unwrap_or(0);
		let limit = (fits as u32).min(MAX_CLEARED_PER_BLOCK);
		let result = Usage::<T>::clear_prefix(oldest, limit, None);
		if result.maybe_cursor.is_none() {
			let next = oldest.saturating_add(T::WindowLength::get().max(One::one()));
			OldestWindow::<T>::put(next.min(current));
		}
		base.saturating_add(per_record.saturating_mul(result.backend.max(result.unique).into()))
	}

	/// Invariants: no usage record is older than `OldestWindow`, and none exceeds its budget
	/// by more than one transaction's worth (the check admits a transaction that fits).
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state(
		n: BlockNumberFor<T>,
	) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		let oldest = OldestWindow::<T>::get();
		ensure!(oldest <= Self::window_start(n), "OldestWindow is ahead of the current window");
		for (window, principal, usage) in Usage::<T>::iter() {
			ensure!(window >= oldest, "a usage record is older than OldestWindow");
			let budget = match principal {
				Principal::Organisation(_) => T::OrganisationBudget::get(),
				_ => T::AccountBudget::get(),
			};
			ensure!(
				usage.transactions <= budget.transactions,
				"a principal went over its transaction budget"
			);
			ensure!(usage.bytes <= budget.bytes, "a principal went over its byte budget");
			ensure!(usage.weight <= budget.weight, "a principal went over its weight budget");
		}
		Ok(())
	}
}
