//! # Admission pallet
//!
//! Who may transact on medchain, what, and how much. medchain charges no fees — patients and
//! practitioners hold no tokens — so the chain needs another answer to spam: only registered
//! accounts may sign transactions, each only the calls its roles need, and each *principal*
//! and each *group* only a bounded share of the chain per window of blocks.
//!
//! ## Overview
//!
//! [`CheckAdmission`] is a transaction extension that takes the place of `frame_system`'s
//! `CheckNonce` (it keeps its identifier and its encoding, so wallets sign for it unchanged):
//! it checks the nonce, and for a signed transaction:
//! 1. the runtime admits the signer ([`Config::Admit`]: an active practitioner, an
//!    organisation's admin, a patient, a guardian in force, a council member, a validator, an
//!    invited or proposed account) — otherwise the transaction is invalid with
//!    `InvalidTransaction::BadSigner` ("Invalid signing address"), before it enters the pool;
//! 2. the runtime permits this call to the signer's roles — otherwise
//!    `InvalidTransaction::Custom(`[`CALL_NOT_PERMITTED`]`)`;
//! 3. the transaction fits its principal's *largest transaction*, a `1/MaxInFlight` share of
//!    the principal's budget in bytes and in weight (and at most
//!    [`Config::MaxTransactionLength`]) — otherwise `Custom(`[`TRANSACTION_TOO_LONG`]`)` or
//!    `Custom(`[`TRANSACTION_TOO_HEAVY`]`)`;
//! 4. **in the pool**: the transactions of its principal ahead of it (by nonce), each counted
//!    as large as its principal's largest, and it, fit the principal's budget of one window —
//!    otherwise `Custom(`[`RATE_LIMITED`]`)`. So a principal holds at most one window's budget
//!    (and at most `MaxInFlight` transactions) in the pool, whatever it sends: the pool's room
//!    is shared by principals, not taken by the first;
//! 5. **in a block**: the principal and each of its groups (below) have room left in this
//!    window — otherwise `InvalidTransaction::ExhaustsResources`: the block author skips the
//!    transaction and it waits in the pool, with its later nonces, for the next window; nothing
//!    is dropped.
//!
//! A transaction's *lane* is its dispatch class: operational calls (council votes and motions,
//! break-glass) are counted in budgets of their own ([`Config::OperationalBudget`],
//! [`Config::OrganisationOperationalBudget`]), and have the block's operational reserve, so
//! ordinary traffic at its caps never holds them up; they also come first in the pool
//! ([`OPERATIONAL_PRIORITY`]). Within a lane, a transaction's priority is the share of its
//! budgets its principal and groups have left: who used less comes first, and who used
//! everything is evicted first from a full pool.
//!
//! ## Principals and groups
//!
//! - A **principal** is a patient (whichever of its controller keys signs, *and every guardian
//!   whose ward it is*: keys a patient mints buy it no larger share), or otherwise an account.
//!   Patients have a smaller budget ([`Config::PatientBudget`]) than accounts
//!   ([`Config::AccountBudget`]).
//! - **Groups**: an organisation's staff and admin share [`Config::OrganisationBudget`]; the
//!   patients an organisation enrolled and their guardians share
//!   [`Config::OrganisationPatientsBudget`], and all patients together
//!   [`Config::AllPatientsBudget`]. Patients never count against their organisation's staff,
//!   so no patient can silence a hospital (security review 2026-12, N-1).
//!
//! A refused transaction changes nothing. Unsigned transactions and inherents pass untouched
//! (the pallets that accept them validate them).
//!
//! ## State
//!
//! One [`Usage`] (ordinary lane) or [`OperationalUsage`] entry per principal and group that
//! transacted in a window, keyed by the window: entries of past windows are removed in
//! `on_idle`, as many per block as the weight left allows, so the state holds about one
//! window's worth.

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

/// The `InvalidTransaction::Custom` code of a transaction that, with the transactions of its
/// principal ahead of it in the pool, does not fit the principal's budget of one window: send
/// it again once those are in blocks.
pub const RATE_LIMITED: u8 = 1;
/// The code of a transaction calling what none of its signer's roles may call.
pub const CALL_NOT_PERMITTED: u8 = 2;
/// The code of a transaction longer than its principal's largest transaction.
pub const TRANSACTION_TOO_LONG: u8 = 3;
/// Not used since runtime 111: an organisation's budget no longer refuses a transaction at the
/// pool; in a block it makes the transaction wait (`ExhaustsResources`). Kept so that the code
/// means the same to old clients.
pub const ORGANISATION_RATE_LIMITED: u8 = 4;
/// The code of a transaction whose declared weight is more than its principal's largest
/// transaction.
pub const TRANSACTION_TOO_HEAVY: u8 = 5;

/// The pool priority of every operational transaction is at least this: they come before every
/// ordinary one.
pub const OPERATIONAL_PRIORITY: u64 = 1 << 62;
/// The scale of a transaction's share of budget left, in its priority.
pub const PRIORITY_SCALE: u64 = 1_000_000;

/// Whose budget a transaction is counted against: a principal, or a group of principals.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum Principal<AccountId> {
	/// An account: a practitioner, an admin, a council member, a validator, an invitee.
	Account(AccountId),
	/// A patient, whichever controller key it signs with, and the guardians whose ward it is.
	Patient(PatientId),
	/// A group: an organisation's staff and admin.
	Organisation(OrganisationId),
	/// A group: the patients an organisation enrolled, and their guardians.
	PatientsOf(OrganisationId),
	/// A group: every patient and guardian.
	AllPatients,
}

/// Which budgets a transaction is counted in: its dispatch class.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lane {
	/// Normal-class calls: [`Usage`].
	Ordinary,
	/// Operational-class calls (council, break-glass): [`OperationalUsage`].
	Operational,
}

/// How much one principal, or one group, may use of the chain per window.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Budget {
	/// Transactions applied.
	pub transactions: u32,
	/// Bytes of transactions applied.
	pub bytes: u32,
	/// Weight (ref-time) of transactions applied, as declared.
	pub weight: u64,
}

/// What a principal or group used in one window.
pub type UsageOf = Budget;

/// How the runtime sees a signer: whom it is counted against.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Standing<AccountId> {
	/// Its own budget.
	pub principal: Principal<AccountId>,
	/// For a patient principal, the organisation that enrolled it (its groups are that
	/// organisation's patients and all patients); for an account, the organisation whose
	/// staff it is, if any.
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

		/// The longest signed transaction of any signer, in bytes.
		#[pallet::constant]
		type MaxTransactionLength: Get<u32>;

		/// How many transactions of one principal may wait in the pool at once: a principal's
		/// largest transaction is this share of its budget, so that that many fill it.
		#[pallet::constant]
		type MaxInFlight: Get<u32>;

		/// What one account principal (a practitioner, an admin, a council member, a validator)
		/// may use per window, ordinary lane.
		#[pallet::constant]
		type AccountBudget: Get<Budget>;

		/// What one patient principal (with its guardians) may use per window, ordinary lane.
		#[pallet::constant]
		type PatientBudget: Get<Budget>;

		/// What one organisation's staff and admin may use per window, together, ordinary lane.
		#[pallet::constant]
		type OrganisationBudget: Get<Budget>;

		/// What the patients one organisation enrolled (with their guardians) may use per window,
		/// together, ordinary lane.
		#[pallet::constant]
		type OrganisationPatientsBudget: Get<Budget>;

		/// What every patient and guardian may use per window, together, ordinary lane.
		#[pallet::constant]
		type AllPatientsBudget: Get<Budget>;

		/// What one principal may use per window in the operational lane.
		#[pallet::constant]
		type OperationalBudget: Get<Budget>;

		/// What one organisation's staff and admin may use per window in the operational lane,
		/// together.
		#[pallet::constant]
		type OrganisationOperationalBudget: Get<Budget>;

		/// The weight of the extension's check, and of `on_idle`'s cleanup.
		type WeightInfo: WeightInfo;

		/// Benchmarks: the signer and call whose admission costs the runtime the most.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper<Self::AccountId, Self::RuntimeCall>;
	}

	/// What each principal and group used in the ordinary lane, by window (the first block of
	/// the window).
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

	/// What each principal and group used in the operational lane, by window.
	// Twox64Concat on the window: block numbers are not chosen by users.
	#[pallet::storage]
	pub type OperationalUsage<T: Config> = StorageDoubleMap<
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
		/// Removes the usage records of windows before the current one, within the weight
		/// left.
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

	/// The budget of `principal` (a principal or a group) in `lane`.
	pub fn budget_of(principal: &Principal<T::AccountId>, lane: Lane) -> Budget {
		match (lane, principal) {
			(Lane::Ordinary, Principal::Account(_)) => T::AccountBudget::get(),
			(Lane::Ordinary, Principal::Patient(_)) => T::PatientBudget::get(),
			(Lane::Ordinary, Principal::Organisation(_)) => T::OrganisationBudget::get(),
			(Lane::Ordinary, Principal::PatientsOf(_)) => T::OrganisationPatientsBudget::get(),
			(Lane::Ordinary, Principal::AllPatients) => T::AllPatientsBudget::get(),
			(Lane::Operational, Principal::Account(_) | Principal::Patient(_)) => {
				T::OperationalBudget::get()
			},
			(Lane::Operational, _) => T::OrganisationOperationalBudget::get(),
		}
	}

	/// The largest transaction `principal` may sign in `lane`: a `1/MaxInFlight` share of its
	/// budget's bytes (at most `MaxTransactionLength`) and weight.
	pub fn largest_transaction(principal: &Principal<T::AccountId>, lane: Lane) -> Budget {
		let budget = Self::budget_of(principal, lane);
		let in_flight = T::MaxInFlight::get().max(1);
		Budget {
			transactions: 1,
			bytes: budget
				.bytes
				.checked_div(in_flight)
				.unwrap_or(0)
				.min(T::MaxTransactionLength::get()),
			weight: budget.weight.checked_div(u64::from(in_flight)).unwrap_or(0),
		}
	}

	/// The groups whose budgets a signer of `standing` shares, besides its principal's, in
	/// `lane`: its organisation's staff; or, for a patient, its enrolling organisation's
	/// patients and all patients (ordinary lane only: patients sign no operational call).
	pub fn groups_of(standing: &Standing<T::AccountId>, lane: Lane) -> Groups<T::AccountId> {
		match (&standing.principal, standing.organisation, lane) {
			(Principal::Patient(_), Some(org), Lane::Ordinary) => {
				[Some(Principal::PatientsOf(org)), Some(Principal::AllPatients)]
			},
			(Principal::Patient(_), None, Lane::Ordinary) => [Some(Principal::AllPatients), None],
			(Principal::Patient(_), _, Lane::Operational) => [None, None],
			(_, organisation, _) => [organisation.map(Principal::Organisation), None],
		}
	}

	/// What `principal` used in `lane` in the window of `block`.
	pub fn usage_at(
		principal: &Principal<T::AccountId>,
		lane: Lane,
		block: BlockNumberFor<T>,
	) -> UsageOf {
		let window = Self::window_start(block);
		match lane {
			Lane::Ordinary => Usage::<T>::get(window, principal),
			Lane::Operational => OperationalUsage::<T>::get(window, principal),
		}
	}

	/// Adds `spent` to what `principal` used in `lane` in `window`.
	pub(crate) fn charge(
		window: BlockNumberFor<T>,
		principal: &Principal<T::AccountId>,
		lane: Lane,
		spent: Budget,
	) {
		let add = |used: &mut UsageOf| *used = used.saturating_add(spent);
		match lane {
			Lane::Ordinary => Usage::<T>::mutate(window, principal, add),
			Lane::Operational => OperationalUsage::<T>::mutate(window, principal, add),
		}
	}

	/// How many more ordinary transactions `principal` may have applied in the window of the
	/// next block.
	pub fn remaining(principal: &Principal<T::AccountId>) -> u32 {
		let next = frame_system::Pallet::<T>::block_number().saturating_add(One::one());
		Self::budget_of(principal, Lane::Ordinary)
			.transactions
			.saturating_sub(Self::usage_at(principal, Lane::Ordinary, next).transactions)
	}

	/// Clears usage records of windows before the one of block `n`, both lanes, within
	/// `remaining`: as many as the weight allows.
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
		let limit = u32::try_from(fits).unwrap_or(u32::MAX);
		let ordinary = Usage::<T>::clear_prefix(oldest, limit, None);
		let cleared = ordinary.backend.max(ordinary.unique);
		let mut done = ordinary.maybe_cursor.is_none();
		let mut removed = cleared;
		if done {
			let operational =
				OperationalUsage::<T>::clear_prefix(oldest, limit.saturating_sub(cleared), None);
			removed = removed.saturating_add(operational.backend.max(operational.unique));
			done = operational.maybe_cursor.is_none();
		}
		if done {
			let next = oldest.saturating_add(T::WindowLength::get().max(One::one()));
			OldestWindow::<T>::put(next.min(current));
		}
		base.saturating_add(per_record.saturating_mul(removed.into()))
	}

	/// Invariants: no usage record is older than `OldestWindow`, and none exceeds its budget:
	/// no principal or group is ever charged past its budget in a block.
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state(
		n: BlockNumberFor<T>,
	) -> Result<(), frame::deps::sp_runtime::TryRuntimeError> {
		let oldest = OldestWindow::<T>::get();
		ensure!(oldest <= Self::window_start(n), "OldestWindow is ahead of the current window");
		let ordinary = Usage::<T>::iter().map(|(w, p, u)| (w, p, u, Lane::Ordinary));
		let operational =
			OperationalUsage::<T>::iter().map(|(w, p, u)| (w, p, u, Lane::Operational));
		for (window, principal, usage, lane) in ordinary.chain(operational) {
			ensure!(window >= oldest, "a usage record is older than OldestWindow");
			let budget = Self::budget_of(&principal, lane);
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

/// The groups of a signer (at most two).
pub type Groups<AccountId> = [Option<Principal<AccountId>>; 2];

impl Budget {
	/// `self` and `more` together.
	pub fn saturating_add(self, more: Budget) -> Budget {
		Budget {
			transactions: self.transactions.saturating_add(more.transactions),
			bytes: self.bytes.saturating_add(more.bytes),
			weight: self.weight.saturating_add(more.weight),
		}
	}

	/// `self` taken `n` times.
	pub fn saturating_mul(self, n: u32) -> Budget {
		Budget {
			transactions: self.transactions.saturating_mul(n),
			bytes: self.bytes.saturating_mul(n),
			weight: self.weight.saturating_mul(n.into()),
		}
	}

	/// Whether `self` is within `budget` in every measure.
	pub fn within(&self, budget: &Budget) -> bool {
		self.transactions <= budget.transactions
			&& self.bytes <= budget.bytes
			&& self.weight <= budget.weight
	}

	/// The share of `budget` not used by `self`, in millionths, by its tightest measure.
	pub fn share_left(&self, budget: &Budget) -> u64 {
		let left = |used: u64, total: u64| {
			total
				.saturating_sub(used)
				.saturating_mul(PRIORITY_SCALE)
				.checked_div(total)
				.unwrap_or(0)
		};
		left(self.transactions.into(), budget.transactions.into())
			.min(left(self.bytes.into(), budget.bytes.into()))
			.min(left(self.weight, budget.weight))
	}
}
