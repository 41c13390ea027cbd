//! Benchmarks of pallet-admission (FRAME benchmarking v2): the `CheckAdmission` extension on the
//! runtime's costliest admitted signer (its standing looked up through every registry, its
//! principal's and its groups' usage read and written), and the removal of one past usage
//! record.

// Set-up code, never on a chain's dispatch path: it may compute freely.
#![allow(clippy::arithmetic_side_effects)]
#![cfg(feature = "runtime-benchmarks")]

use frame::{
	benchmarking::prelude::*,
	deps::{
		frame_support::dispatch::{DispatchInfo, GetDispatchInfo, PostDispatchInfo},
		sp_runtime::traits::{AsSystemOriginSigner, DispatchTransaction, Dispatchable},
	},
};

use crate::*;

extern crate alloc;

/// What the runtime must provide for the benchmark: the signer and call whose admission costs
/// the most (the most lookups, the most budgets).
pub trait BenchmarkHelper<AccountId, Call> {
	fn admitted_worst_case() -> (AccountId, Call);
}

#[benchmarks(where
	T::RuntimeCall: Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo> + From<frame_system::Call<T>> + GetDispatchInfo,
	<T::RuntimeCall as Dispatchable>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone + From<frame_system::RawOrigin<T::AccountId>>,
)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn check_admission() {
		let (who, call) = T::BenchmarkHelper::admitted_worst_case();
		let info = call.get_dispatch_info();
		let nonce = frame_system::Pallet::<T>::account_nonce(&who);
		let extension = CheckAdmission::<T>::from(nonce);

		#[block]
		{
			extension
				.test_run(RawOrigin::Signed(who.clone()).into(), &call, &info, 0, 0, |_| {
					Ok(Default::default())
				})
				.expect("admitted")
				.expect("dispatched");
		}

		assert_eq!(frame_system::Pallet::<T>::account_nonce(&who), nonce + One::one());
	}

	#[benchmark]
	fn clear_usage_record() {
		let window = Pallet::<T>::window_start(frame_system::Pallet::<T>::block_number());
		Usage::<T>::insert(window, Principal::Organisation(0), Budget::default());
		let later = window.saturating_add(T::WindowLength::get().max(One::one()));
		let one = T::DbWeight::get()
			.reads_writes(1, 1)
			.saturating_add(T::WeightInfo::clear_usage_record());

		#[block]
		{
			Pallet::<T>::clear_old_windows(later, one);
		}

		assert_eq!(Usage::<T>::iter_prefix(window).count(), 0);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
