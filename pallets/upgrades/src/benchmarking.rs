//! Benchmarks of pallet-upgrades (FRAME benchmarking v2).

// Set-up code, never on a chain's dispatch path: it may compute freely.
#![allow(clippy::arithmetic_side_effects)]
#![cfg(feature = "runtime-benchmarks")]
#![allow(deprecated)] // frame_system's `authorized_upgrade` getter: the only way to read it.

use frame::benchmarking::prelude::*;

use crate::*;

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Replacing an earlier authorisation costs what a first one does (one write).
	#[benchmark]
	fn authorize_upgrade() -> Result<(), BenchmarkError> {
		let origin =
			T::UpgradeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let code_hash = T::Hashing::hash(b"a runtime");

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, code_hash);

		let authorised = frame_system::Pallet::<T>::authorized_upgrade()
			.ok_or(BenchmarkError::Stop("nothing authorised"))?;
		assert_eq!(authorised.code_hash(), &code_hash);
		Ok(())
	}

	#[benchmark]
	fn cancel_authorized_upgrade() -> Result<(), BenchmarkError> {
		let origin =
			T::CancelOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let code_hash = T::Hashing::hash(b"a runtime");
		frame_system::Pallet::<T>::do_authorize_upgrade(code_hash, true);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin);

		assert!(frame_system::Pallet::<T>::authorized_upgrade().is_none());
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
