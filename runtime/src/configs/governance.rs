//! Governance: the consortium council.
//!
//! The council is a `pallet-collective` whose members `pallet-membership` keeps (one seat per
//! member organisation). The chain's governance origin is a 2/3 majority of the council
//! (`Council::propose` with threshold ⌈2n/3⌉, then `vote` and `close`), or Root. Root exists
//! only where a sudo key is set: the `dev` and `local` presets; the `consortium` preset has no
//! sudo key, so there the council alone governs.

use frame_support::{
	parameter_types,
	traits::{
		ChangeMembers, Consideration, EitherOfDiverse, InitializeMembers, MaybeConsideration,
	},
	weights::Weight,
	Blake2_128Concat,
};
use frame_system::EnsureRoot;
use sp_runtime::{DispatchError, Perbill};

use crate::{
	configs::RuntimeBlockWeights, AccountId, BlockNumber, Council, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeOrigin, DAYS,
};

/// The council's instance of pallet-collective.
pub type CouncilCollective = pallet_collective::Instance1;
/// The council membership's instance of pallet-membership.
pub type CouncilMembershipInstance = pallet_membership::Instance1;

/// The governance origin: Root (sudo, `dev`/`local` only), or at least 2/3 of the council.
pub type GovernanceOrigin = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>,
>;

/// Who may stop what governance started but has not happened (an authorised runtime upgrade
/// not yet applied): Root, or a third of the council. Stopping is safer than starting.
pub type StopOrigin = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 1, 3>,
>;

/// The most motions one council member may have open (of `CouncilMaxProposals` for all): no
/// member can take every slot and hold up the others' urgent motions (security review 2026-12,
/// N-10). A closed motion's slot is its proposer's again once the motion's cost is released
/// (`council.releaseProposalCost(hash)`, anyone may send it) or the motion is killed.
pub const MAX_OPEN_MOTIONS_PER_MEMBER: u32 = 10;

/// How many motion slots each council member holds ([`MotionSlot`]s not yet released).
#[frame_support::storage_alias]
pub type MotionSlots = StorageMap<
	CouncilMotionSlots,
	Blake2_128Concat,
	AccountId,
	u32,
	frame_support::storage::types::ValueQuery,
>;

/// pallet-collective's consideration of a proposal, used as a per-member cap: a member takes a
/// slot when it proposes a motion (refused with the council's `TooManyProposals` past
/// [`MAX_OPEN_MOTIONS_PER_MEMBER`]) and gives it back when the motion's cost is released or the
/// motion is killed. No tokens are held: medchain's accounts have none.
#[derive(
	Clone,
	PartialEq,
	Eq,
	Debug,
	codec::Encode,
	codec::Decode,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
)]
pub struct MotionSlot;

impl MotionSlot {
	fn give_back(who: &AccountId) {
		MotionSlots::mutate_exists(who, |held| {
			*held = held.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0);
		});
	}
}

impl Consideration<AccountId, u32> for MotionSlot {
	fn new(who: &AccountId, _open_motions: u32) -> Result<Self, DispatchError> {
		MotionSlots::try_mutate(who, |held| {
			if *held >= MAX_OPEN_MOTIONS_PER_MEMBER {
				return Err(
					pallet_collective::Error::<Runtime, CouncilCollective>::TooManyProposals.into(),
				);
			}
			*held = held.saturating_add(1);
			Ok(MotionSlot)
		})
	}
	fn update(self, _who: &AccountId, _open_motions: u32) -> Result<Self, DispatchError> {
		Ok(self)
	}
	fn drop(self, who: &AccountId) -> Result<(), DispatchError> {
		Self::give_back(who);
		Ok(())
	}
	fn burn(self, who: &AccountId) {
		Self::give_back(who);
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn ensure_successful(who: &AccountId, _open_motions: u32) {
		MotionSlots::remove(who);
	}
}

impl MaybeConsideration<AccountId, u32> for MotionSlot {
	fn is_none(&self) -> bool {
		false
	}
}

parameter_types! {
	/// A motion is open for votes for three days.
	pub const CouncilMotionDuration: BlockNumber = 3 * DAYS;
	pub const CouncilMaxProposals: u32 = 100;
	/// Seats: one per member organisation of a large consortium.
	pub const CouncilMaxMembers: u32 = 64;
	/// A motion may dispatch at most half a block's weight.
	pub MaxProposalWeight: Weight = Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

/// A member who did not vote by the end of a motion counts as a no. (Polkadot-sdk's
/// `PrimeDefaultVote` would count abstentions as the prime's vote, letting one member reach
/// the 2/3 governance origin alone.)
pub struct AbstentionsCountAgainst;
impl pallet_collective::DefaultVote for AbstentionsCountAgainst {
	fn default_vote(_prime: Option<bool>, _yes: u32, _no: u32, _len: u32) -> bool {
		false
	}
}

/// Hands seat changes to the council, and makes sure every new member's account exists (it
/// holds no tokens; the reference is never released) so that it can sign its votes.
pub struct CouncilSeats;
impl ChangeMembers<AccountId> for CouncilSeats {
	fn change_members_sorted(incoming: &[AccountId], outgoing: &[AccountId], new: &[AccountId]) {
		for member in incoming {
			frame_system::Pallet::<Runtime>::inc_providers(member);
		}
		Council::change_members_sorted(incoming, outgoing, new)
	}

	fn set_prime(prime: Option<AccountId>) {
		Council::set_prime(prime)
	}

	fn get_prime() -> Option<AccountId> {
		Council::get_prime()
	}
}
impl InitializeMembers<AccountId> for CouncilSeats {
	fn initialize_members(members: &[AccountId]) {
		for member in members {
			frame_system::Pallet::<Runtime>::inc_providers(member);
		}
		Council::initialize_members(members)
	}
}

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = CouncilMaxProposals;
	type MaxMembers = CouncilMaxMembers;
	/// A member who does not vote counts as voting no, whoever the prime is (L-13).
	#[cfg(not(feature = "runtime-benchmarks"))]
	type DefaultVote = AbstentionsCountAgainst;
	/// In a benchmarking build only: pallet-collective's `close_approved` benchmark passes its
	/// motion with abstentions counted as the prime's aye. The tally's rule costs nothing; the
	/// path measured (approve, execute, remove) is the one the council takes.
	#[cfg(feature = "runtime-benchmarks")]
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = crate::weights::pallet_collective::WeightInfo<Runtime>;
	/// Members change through CouncilMembership, not directly.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxProposalWeight;
	type DisapproveOrigin = GovernanceOrigin;
	type KillOrigin = GovernanceOrigin;
	/// No deposits (the consortium holds no tokens): a slot per open motion, at most
	/// `MAX_OPEN_MOTIONS_PER_MEMBER` per member.
	type Consideration = MotionSlot;
}

/// Governance authorises runtime upgrades (by code hash; anyone then applies the code); it holds
/// no other of Root's powers.
impl pallet_upgrades::Config for Runtime {
	type UpgradeOrigin = GovernanceOrigin;
	type CancelOrigin = StopOrigin;
	type WeightInfo = pallet_upgrades::weights::SubstrateWeight<Runtime>;
}

impl pallet_membership::Config<CouncilMembershipInstance> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = GovernanceOrigin;
	type RemoveOrigin = GovernanceOrigin;
	type SwapOrigin = GovernanceOrigin;
	type ResetOrigin = GovernanceOrigin;
	type PrimeOrigin = GovernanceOrigin;
	type MembershipInitialized = CouncilSeats;
	type MembershipChanged = CouncilSeats;
	type MaxMembers = CouncilMaxMembers;
	type WeightInfo = crate::weights::pallet_membership::WeightInfo<Runtime>;
}
