//! # Admission pallet
//!
//! Who may transact on medchain, and how often. medchain charges no fees — patients and
//! practitioners hold no tokens — so the chain needs another answer to spam: only registered
//! accounts may sign transactions, and each of them only so many per window of blocks.
//!
//! ## Overview
//!
//! - [`CheckAdmission`] is a transaction extension. For a signed transaction it checks, at
//!   pool validation and again when the transaction is applied:
//!   1. the signer is in [`Config::Admitted`] (the runtime composes it: active practitioners,
//!      organisation admins, patients and their guardians, council members, validators) —
//!      otherwise the transaction is invalid with [`InvalidTransaction::BadSigner`]
//!      ("Invalid signing address"), before it enters the pool;
//!   2. the signer has had fewer than [`Config::MaxTransactionsPerWindow`] transactions
//!      applied in the current window of [`Config::WindowLength`] blocks — otherwise it is
//!      invalid with `InvalidTransaction::Custom(`[`RATE_LIMITED`]`)`, and can be sent again
//!      in the next window.
//! - Unsigned transactions and inherents pass untouched (the pallets that accept them validate
//!   them). Weight and length limits stay as `CheckWeight` enforces them.
//! - State: one [`Usage`] entry per account that transacted, overwritten each window: bounded
//!   by the number of admitted accounts.

#![cfg_attr(not(feature = "std"), no_std)]

pub mod benchmarking;
mod extension;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use frame::prelude::*;

pub use extension::CheckAdmission;
pub use pallet::*;
pub use weights::WeightInfo;

/// The `InvalidTransaction::Custom` code of a transaction refused because its signer used up
/// its transactions for the current window.
pub const RATE_LIMITED: u8 = 1;

/// How many transactions an account had applied in one window of blocks.
#[derive(
	Clone, Copy, PartialEq, Eq, Default, Debug, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
pub struct UsageWindow<BlockNumber> {
	/// The first block of the window.
	pub start: BlockNumber,
	/// Transactions applied in it.
	pub count: u32,
}

#[frame::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The accounts that may sign transactions.
		type Admitted: Contains<Self::AccountId>;

		/// How many transactions one account may have applied per window.
		#[pallet::constant]
		type MaxTransactionsPerWindow: Get<u32>;

		/// The length of a window, in blocks (at least 1).
		#[pallet::constant]
		type WindowLength: Get<BlockNumberFor<Self>>;

		/// The weight of the extension's check.
		type WeightInfo: WeightInfo;

		/// Benchmarks: an account that `Admitted` contains.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// Each account's transactions in its latest window.
	#[pallet::storage]
	pub type Usage<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, UsageWindow<BlockNumberFor<T>>, OptionQuery>;
}

impl<T: Config> Pallet<T> {
	/// The first block of the window `block` is in.
	pub fn window_start(block: BlockNumberFor<T>) -> BlockNumberFor<T> {
		let length = T::WindowLength::get().max(One::one());
		block.saturating_sub(block % length)
	}

	/// `who`'s usage in the window of `block` (zero if its last one is older).
	pub fn usage_at(who: &T::AccountId, block: BlockNumberFor<T>) -> UsageWindow<BlockNumberFor<T>> {
		let start = Self::window_start(block);
		match Usage::<T>::get(who) {
			Some(usage) if usage.start == start => usage,
			_ => UsageWindow { start, count: 0 },
		}
	}

	/// How many more transactions `who` may have applied in the window of the next block.
	pub fn remaining(who: &T::AccountId) -> u32 {
		let next = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		T::MaxTransactionsPerWindow::get().saturating_sub(Self::usage_at(who, next).count)
	}
}
