//! Benchmark of the `CheckAdmission` extension (FRAME benchmarking v2): an admitted signer
//! with transactions left in its window.

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

/// What the runtime must provide for the benchmark: an account `Admitted` contains.
pub trait BenchmarkHelper<AccountId> {
	fn admitted_account() -> AccountId;
}

#[benchmarks(where
	T::RuntimeCall: Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo> + From<frame_system::Call<T>> + GetDispatchInfo,
	<T::RuntimeCall as Dispatchable>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone + From<frame_system::RawOrigin<T::AccountId>>,
)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn check_admission() {
		let who = T::BenchmarkHelper::admitted_account();
		let call: T::RuntimeCall = frame_system::Call::remark { remark: alloc::vec![] }.into();
		let info = call.get_dispatch_info();
		let extension = CheckAdmission::<T>::new();

		#[block]
		{
			extension
				.test_run(RawOrigin::Signed(who.clone()).into(), &call, &info, 0, 0, |_| Ok(Default::default()))
				.expect("admitted")
				.expect("dispatched");
		}

		assert_eq!(Usage::<T>::get(&who).map(|u| u.count), Some(1));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
