//! # Validator-set pallet
//!
//! The consortium's validators, as governance decides them, handed to `pallet-session` as its
//! `SessionManager`.
//!
//! ## Overview
//!
//! - [`Pallet::add_validator`] and [`Pallet::remove_validator`] (governance) change
//!   [`Validators`]: the set from the next session rotation on. `pallet-session` queues keys one
//!   session ahead, so a change made during session `i` is queued at the start of session
//!   `i + 1` and authors and votes from session `i + 2` (with 1-minute sessions: within two
//!   minutes).
//! - A validator only authors once its account has registered its session keys
//!   (`Session::set_keys`, which the runtime lets only validators call): an added account
//!   without keys is left out by `pallet-session` until it has them. An added account exists
//!   on chain from then on (this pallet provides for it; the reference is never released), so
//!   it can sign `set_keys` without holding tokens.
//! - The set can never have fewer members *with session keys* than the chain's floor
//!   ([`MinimumValidators`], set at genesis, at least [`Config::MinValidators`]; GRANDPA needs
//!   more than 2/3 of them online) — members without keys do not author, so they do not count
//!   — nor more than [`Config::MaxValidators`] members.
//! - Sessions rotate every [`Config::SessionPeriod`] blocks, driven by this pallet's
//!   `on_initialize` ([`Config::SessionRotation`]) with the weight the rotation costs, so the
//!   first block of a session still carries transactions (pallet-session's own hook would
//!   claim the whole block).
//! - At genesis the set is the configured list, or — if none — the validators `pallet-session`
//!   starts with (its `keys`), so a chain spec names its validators in one place.

#![cfg_attr(not(feature = "std"), no_std)]
// Checked arithmetic in the chain's code (tests may overflow on purpose): docs/development.md.
#![cfg_attr(not(test), warn(clippy::arithmetic_side_effects))]

extern crate alloc;

pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use alloc::vec::Vec;

use frame::{
	deps::frame_support::traits::{ValidatorRegistration, ValidatorSet as SessionValidators},
	prelude::*,
};

/// Starts a new session: what pallet-session's `rotate_session` does.
pub trait SessionRotation {
	/// Rotates the session; gives the weight of any housekeeping it did beyond the rotation
	/// itself (which [`WeightInfo::rotate_session`] measures), such as pruning old sessions.
	fn rotate() -> Weight;
}

impl SessionRotation for () {
	fn rotate() -> Weight {
		Weight::zero()
	}
}

pub use pallet::*;
pub use weights::WeightInfo;

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
		/// Who changes the set: the consortium's governance.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The fewest validators any chain's set may have; a chain's genesis may set a higher
		/// floor ([`MinimumValidators`]).
		#[pallet::constant]
		type MinValidators: Get<u32>;

		/// The most validators the set may have.
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// `pallet-session`'s current validators: adopted at genesis when no list is given.
		type SessionValidators: SessionValidators<Self::AccountId, ValidatorId = Self::AccountId>;

		/// Which accounts have registered session keys (pallet-session).
		type KeysRegistered: ValidatorRegistration<Self::AccountId>;

		/// Starts a new session (pallet-session's `rotate_session`).
		type SessionRotation: SessionRotation;

		/// A session's length, in blocks: a session starts at every multiple of it.
		#[pallet::constant]
		type SessionPeriod: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Benchmarks: session keys for the validators they add.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// The validators from the next session rotation on, sorted.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// This chain's floor: the set never has fewer validators (at least `MinValidators`). Set
	/// at genesis; no call changes it.
	#[pallet::storage]
	pub type MinimumValidators<T> = StorageValue<_, u32, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame::deps::frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The initial validators; empty: those `pallet-session` starts with.
		pub initial_validators: Vec<T::AccountId>,
		/// This chain's floor (raised to `MinValidators` if lower).
		pub minimum_validators: u32,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let mut initial = if self.initial_validators.is_empty() {
				T::SessionValidators::validators()
			} else {
				self.initial_validators.clone()
			};
			initial.sort();
			initial.dedup();
			let floor = self.minimum_validators.max(T::MinValidators::get());
			// An empty set is a genesis without validators at all (a default config); a chain
			// spec that names validators must name enough.
			assert!(
				initial.is_empty() || initial.len() as u32 >= floor,
				"the genesis validator set is below its minimum"
			);
			MinimumValidators::<T>::put(floor);
			let set: BoundedVec<_, _> = initial
				.try_into()
				.expect("the genesis validator set is larger than MaxValidators");
			Validators::<T>::put(set);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A validator joins the set at the next session rotation (and authors from the
		/// session after it, once its session keys are registered).
		ValidatorAdded { validator: T::AccountId },
		/// A validator leaves the set at the next session rotation.
		ValidatorRemoved { validator: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is a validator already.
		AlreadyValidator,
		/// The account is not a validator.
		NotValidator,
		/// Removing it would leave fewer validators with session keys than this chain's minimum;
		/// add one (and have it register its keys) first.
		TooFewValidators,
		/// The set has `MaxValidators` validators; remove one first.
		TooManyValidators,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// At the first block of each session, rotates the session; charges what a rotation
		/// over the set costs.
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			let period = T::SessionPeriod::get().max(One::one());
			if n.is_zero() || !n.checked_rem(&period).unwrap_or_default().is_zero() {
				return Weight::zero();
			}
			let housekeeping = T::SessionRotation::rotate();
			T::WeightInfo::rotate_session(Validators::<T>::decode_len().unwrap_or(0) as u32)
				.saturating_add(housekeeping)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), frame::try_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight = <T as Config>::WeightInfo)]
	impl<T: Config> Pallet<T> {
		/// Add a validator, from the next session rotation on.
		///
		/// The origin must be governance. The account then registers its session keys
		/// (`Session::set_keys`) to author and vote; it exists on chain from now on, so it can.
		///
		/// Emits [`Event::ValidatorAdded`].
		/// Errors: [`Error::AlreadyValidator`], [`Error::TooManyValidators`].
		///
		/// ## Complexity
		/// O(V) in the validators, V ≤ `MaxValidators`.
		#[pallet::call_index(0)]
		pub fn add_validator(origin: OriginFor<T>, validator: T::AccountId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Validators::<T>::try_mutate(|set| {
				let at = set.binary_search(&validator).err().ok_or(Error::<T>::AlreadyValidator)?;
				set.try_insert(at, validator.clone()).map_err(|_| Error::<T>::TooManyValidators)
			})?;
			frame_system::Pallet::<T>::inc_providers(&validator);
			Self::deposit_event(Event::ValidatorAdded { validator });
			Ok(())
		}

		/// Remove a validator, from the next session rotation on. The members left with
		/// session keys must be at least the chain's floor.
		///
		/// The origin must be governance.
		///
		/// Emits [`Event::ValidatorRemoved`].
		/// Errors: [`Error::NotValidator`], [`Error::TooFewValidators`].
		///
		/// ## Complexity
		/// O(V) in the validators, V ≤ `MaxValidators`: each member's keys are looked up.
		#[pallet::call_index(1)]
		pub fn remove_validator(origin: OriginFor<T>, validator: T::AccountId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Validators::<T>::try_mutate(|set| {
				let at = set.binary_search(&validator).map_err(|_| Error::<T>::NotValidator)?;
				set.remove(at);
				let keyed =
					set.iter().filter(|v| T::KeysRegistered::is_registered(v)).count() as u32;
				ensure!(keyed >= Pallet::<T>::floor(), Error::<T>::TooFewValidators);
				Ok::<_, Error<T>>(())
			})?;
			Self::deposit_event(Event::ValidatorRemoved { validator });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The fewest validators the set may have on this chain.
	pub fn floor() -> u32 {
		MinimumValidators::<T>::get().max(T::MinValidators::get())
	}

	/// Invariants: the set is sorted without duplicates and has at least `floor()` members.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		let set = Validators::<T>::get();
		ensure!(set.windows(2).all(|w| w[0] < w[1]), "the validator set is not sorted and unique");
		ensure!(set.len() as u32 >= Self::floor(), "fewer validators than the minimum");
		Ok(())
	}
}

/// `pallet-session` asks this pallet for the validators of each new session.
impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(_new_index: u32) -> Option<Vec<T::AccountId>> {
		let set = Validators::<T>::get();
		(!set.is_empty()).then(|| set.into_inner())
	}
	fn end_session(_end_index: u32) {}
	fn start_session(_start_index: u32) {}
}

/// The same, for pallet-session's historical module (which keeps each session's set for
/// key-ownership proofs): validators carry no identification beyond their account.
impl<T: Config> pallet_session::historical::SessionManager<T::AccountId, ()> for Pallet<T> {
	fn new_session(new_index: u32) -> Option<Vec<(T::AccountId, ())>> {
		<Self as pallet_session::SessionManager<T::AccountId>>::new_session(new_index)
			.map(|set| set.into_iter().map(|v| (v, ())).collect())
	}
	fn end_session(_end_index: u32) {}
	fn start_session(_start_index: u32) {}
}

/// Whether an account is a validator (of the set from the next rotation on).
impl<T: Config> Contains<T::AccountId> for Pallet<T> {
	fn contains(who: &T::AccountId) -> bool {
		Validators::<T>::get().binary_search(who).is_ok()
	}
}
