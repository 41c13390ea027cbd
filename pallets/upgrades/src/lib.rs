//! # Upgrades pallet
//!
//! Forkless runtime upgrades, governed by the consortium.
//!
//! ## Overview
//!
//! A consortium chain has no sudo key, and `frame_system`'s upgrade calls need `Root`. This
//! pallet gives the consortium's governance (the runtime's [`Config::UpgradeOrigin`]: a 2/3
//! majority of the council) exactly one of Root's powers, nothing more:
//!
//! 1. **authorise**: [`Pallet::authorize_upgrade`] records the BLAKE2b-256 hash of a runtime's
//!    wasm (the `compact.compressed` blob operators built and checked from the reviewed
//!    source) as the one upgrade the chain will accept, with version checks on
//!    (`frame_system::Pallet::do_authorize_upgrade(hash, true)`); `frame_system` emits
//!    `UpgradeAuthorized`. A later authorisation replaces an earlier one; an authorisation is
//!    used up when its code is applied.
//! 2. **apply**: anyone then submits the code with `System::apply_authorized_upgrade(code)`, as
//!    an unsigned transaction (the code is far larger than a signed transaction may be; the
//!    transaction is valid only if the code's hash is the authorised one). `frame_system` checks
//!    that the code is a runtime of the same `spec_name` with a higher `spec_version`
//!    (otherwise `RejectedInvalidAuthorizedUpgrade`, and the authorisation is gone), stores it
//!    (`CodeUpdated`), and the next block runs the new runtime, starting with its migrations.
//!
//! There is no `authorize_upgrade_without_checks` for governance: an upgrade always keeps
//! the chain's `spec_name` and raises its `spec_version`.

#![cfg_attr(not(feature = "std"), no_std)]
// Checked arithmetic in the chain's code (tests may overflow on purpose): docs/development.md.
#![cfg_attr(not(test), warn(clippy::arithmetic_side_effects))]

pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use frame::prelude::*;

pub use pallet::*;
pub use weights::WeightInfo;

#[frame::pallet]
pub mod pallet {
	use super::*;

	/// The version of this pallet's storage layout (it stores nothing of its own; declared, as
	/// every medchain pallet's is, so that a future layout comes with a migration).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Who authorises an upgrade: the consortium's governance.
		type UpgradeOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Authorises the runtime whose wasm hashes (BLAKE2b-256) to `code_hash` as the chain's
		/// next runtime, replacing any earlier authorisation. Anyone may then apply it with
		/// `System::apply_authorized_upgrade`; it must keep the `spec_name` and raise the
		/// `spec_version`.
		///
		/// Origin: [`Config::UpgradeOrigin`]. Emits `frame_system::Event::UpgradeAuthorized`.
		#[pallet::call_index(0)]
		#[pallet::weight((T::WeightInfo::authorize_upgrade(), DispatchClass::Operational))]
		pub fn authorize_upgrade(origin: OriginFor<T>, code_hash: T::Hash) -> DispatchResult {
			T::UpgradeOrigin::ensure_origin(origin)?;
			frame_system::Pallet::<T>::do_authorize_upgrade(code_hash, true);
			Ok(())
		}
	}
}
