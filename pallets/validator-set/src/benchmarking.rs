//! Benchmarks of pallet-validator-set (FRAME benchmarking v2), with the set one short of
//! full (add) or full (remove).

// Set-up code, never on a chain's dispatch path: it may compute freely.
#![allow(clippy::arithmetic_side_effects)]
#![cfg(feature = "runtime-benchmarks")]

use frame::benchmarking::prelude::*;

use crate::*;

/// What the runtime provides for the benchmarks: session keys for an account, so that it
/// counts towards the floor and a rotation hands its keys on.
pub trait BenchmarkHelper<AccountId> {
	/// Registers session keys (any keys, unique to `who`) for `who`.
	fn register_keys(who: &AccountId);
}

/// A set of `n` validators, each with session keys.
fn fill<T: Config>(n: u32) {
	let mut set: Vec<T::AccountId> = (0..n).map(|i| account("validator", i, 0)).collect();
	set.iter().for_each(T::BenchmarkHelper::register_keys);
	set.sort();
	Validators::<T>::put(BoundedVec::try_from(set).expect("n ≤ MaxValidators"));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_validator() -> Result<(), BenchmarkError> {
		fill::<T>(T::MaxValidators::get() - 1);
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let newcomer: T::AccountId = account("newcomer", 0, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, newcomer.clone());

		assert!(Validators::<T>::get().contains(&newcomer));
		Ok(())
	}

	#[benchmark]
	fn remove_validator() -> Result<(), BenchmarkError> {
		fill::<T>(T::MaxValidators::get());
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let leaving: T::AccountId = account("validator", 0, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, leaving.clone());

		assert!(!Validators::<T>::get().contains(&leaving));
		Ok(())
	}

	/// A rotation with a full set.
	#[benchmark]
	fn rotate_session(v: Linear<1, { T::MaxValidators::get() }>) {
		fill::<T>(v);
		let at = T::SessionPeriod::get().max(One::one());

		#[block]
		{
			Pallet::<T>::on_initialize(at);
		}
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
