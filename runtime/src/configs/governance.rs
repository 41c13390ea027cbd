//! Governance: the consortium council.
//!
//! The council is a `pallet-collective` whose members `pallet-membership` keeps (one seat per
//! member organisation). The chain's governance origin is a 2/3 majority of the council
//! (`Council::propose` with threshold ⌈2n/3⌉, then `vote` and `close`), or Root. Root exists
//! only where a sudo key is set: the `dev` and `local` presets; the `consortium` preset has no
//! sudo key, so there the council alone governs.

use frame_support::{
	parameter_types,
	traits::{ChangeMembers, EitherOfDiverse, InitializeMembers},
	weights::Weight,
};
use frame_system::EnsureRoot;
use sp_runtime::Perbill;

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
	/// No deposits: the consortium holds no tokens; only members propose.
	type Consideration = ();
}

/// Governance authorises runtime upgrades (by code hash; anyone then applies the code); it holds
/// no other of Root's powers.
impl pallet_upgrades::Config for Runtime {
	type UpgradeOrigin = GovernanceOrigin;
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
