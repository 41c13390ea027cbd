//! Benchmarks of polkadot-sdk's `pallet-session` calls, `set_keys` and `purge_keys`: upstream
//! measures them only in a crate that needs a staking runtime (`pallet-session-benchmarking`),
//! so here they are measured in medchain's, for one of the validator set's members (only they
//! may hold keys: `configs/validators.rs::ValidatorOf`), with real keys and a real proof of
//! possession (the keys are made in the benchmark host's keystore, as a validator's node makes
//! them with `author_rotateKeys`).
//!
//! `set_keys` is measured replacing the keys a validator already holds: each old key's owner
//! entry removed and the new one written (five writes), against four for a first registration
//! (which also takes a consumer reference on the account): rotating keys is both the costlier
//! and the usual case.

use alloc::vec::Vec;
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_system::RawOrigin;
use pallet_session::{Call, NextKeys};

/// The benchmarks' handle on the pallet.
pub struct Pallet<T: Config>(core::marker::PhantomData<T>);

/// What the benchmarks need from the runtime: a validator, and fresh keys with their proof.
pub trait Config: pallet_session::Config {
	/// An account that may hold session keys and holds some (a genesis validator).
	fn validator() -> Option<Self::AccountId>;
	/// New keys of every kind the runtime uses, and the proof that `owner` holds them.
	fn new_keys(owner: &Self::AccountId) -> (Self::Keys, Vec<u8>);
	/// The validator id `account` registers keys as.
	fn validator_id(account: &Self::AccountId) -> Option<Self::ValidatorId>;
}

impl Config for crate::Runtime {
	fn validator() -> Option<crate::AccountId> {
		pallet_session::Validators::<crate::Runtime>::get().first().cloned()
	}
	fn new_keys(owner: &crate::AccountId) -> (crate::SessionKeys, Vec<u8>) {
		let generated = crate::SessionKeys::generate(&owner.encode(), None);
		(generated.keys, generated.proof.encode())
	}
	fn validator_id(account: &crate::AccountId) -> Option<crate::AccountId> {
		use sp_runtime::traits::Convert;
		crate::configs::ValidatorOf::convert(account.clone())
	}
}

/// A validator holding keys, and its id.
fn validator<T: Config>() -> Result<(T::AccountId, T::ValidatorId), BenchmarkError> {
	let account = T::validator().ok_or(BenchmarkError::Stop("no validator in the genesis"))?;
	let id = T::validator_id(&account).ok_or(BenchmarkError::Stop("the validator has no id"))?;
	if !NextKeys::<T>::contains_key(&id) {
		return Err(BenchmarkError::Stop("the genesis validator holds no keys"));
	}
	Ok((account, id))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A validator's keys replaced by new ones (each checked against its proof).
	#[benchmark]
	fn set_keys() -> Result<(), BenchmarkError> {
		let (account, id) = validator::<T>()?;
		let (keys, proof) = T::new_keys(&account);

		#[extrinsic_call]
		_(RawOrigin::Signed(account), keys.clone(), proof);

		assert!(NextKeys::<T>::get(&id) == Some(keys));
		Ok(())
	}

	/// A validator's keys removed.
	#[benchmark]
	fn purge_keys() -> Result<(), BenchmarkError> {
		let (account, id) = validator::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(account));

		assert!(!NextKeys::<T>::contains_key(&id));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::benchmarks::new_test_ext(), crate::Runtime);
}
