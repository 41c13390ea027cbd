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
//! 3. **withdraw**: until it is applied, [`Pallet::cancel_authorized_upgrade`] withdraws the
//!    authorisation ([`Config::CancelOrigin`]: in the runtime a third of the council is enough,
//!    since stopping an upgrade is safer than starting one), for a defect found between the vote
//!    and the switch (security review 2026-12, N-11).
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

		/// Who withdraws an authorisation not yet applied.
		type CancelOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The authorisation of the runtime with `code_hash` was withdrawn before it was
		/// applied: that code is no longer accepted.
		UpgradeCancelled { code_hash: T::Hash },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No upgrade is authorised (none was, or it was applied or withdrawn already).
		NothingAuthorized,
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

		/// Withdraws the authorised upgrade that has not been applied: its code is no longer
		/// accepted by `System::apply_authorized_upgrade`.
		///
		/// Origin: [`Config::CancelOrigin`]. Emits [`Event::UpgradeCancelled`].
		/// Errors: [`Error::NothingAuthorized`].
		///
		/// ## Complexity
		/// O(1).
		#[pallet::call_index(1)]
		#[pallet::weight((T::WeightInfo::cancel_authorized_upgrade(), DispatchClass::Operational))]
		pub fn cancel_authorized_upgrade(origin: OriginFor<T>) -> DispatchResult {
			T::CancelOrigin::ensure_origin(origin)?;
			// frame_system keeps the authorisation in a storage value of its own, with no call
			// or function to remove it but applying the code (and, in a runtime's wasm, none to
			// read its hash): read and removed here by its key. Its encoding is
			// `CodeUpgradeAuthorization`'s: the code hash, then whether versions are checked.
			use frame::deps::frame_support::storage::unhashed;
			let key = authorized_upgrade_key::<T>();
			let (code_hash, _check_version) =
				unhashed::get::<(T::Hash, bool)>(&key).ok_or(Error::<T>::NothingAuthorized)?;
			unhashed::kill(&key);
			Self::deposit_event(Event::UpgradeCancelled { code_hash });
			Ok(())
		}
	}
}

/// The storage key of `frame_system`'s `AuthorizedUpgrade`, under the name the runtime gives
/// `frame_system`.
fn authorized_upgrade_key<T: Config>() -> [u8; 32] {
	use frame::deps::frame_support::traits::PalletInfoAccess;
	frame::deps::frame_support::storage::storage_prefix(
		<frame_system::Pallet<T> as PalletInfoAccess>::name().as_bytes(),
		b"AuthorizedUpgrade",
	)
}
