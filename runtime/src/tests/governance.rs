//! Governance: a 2/3 majority of the consortium council, or Root where a sudo key is set.

use codec::Encode;
use frame_support::{assert_ok, dispatch::GetDispatchInfo, traits::UnfilteredDispatchable};
use medchain_primitives::{Hash32, OrganisationKind, ProviderRegistry};
use sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Ferdie};

use super::{build_patch, build_preset};
use crate::{
	configs::governance::CouncilMotionDuration,
	genesis_config_presets::{
		self, consortium_genesis, Authority, ConsortiumError, ConsortiumOperator,
	},
	AccountId, Council, CouncilMembership, Providers, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeOrigin, System,
};

fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

fn register(admin: &AccountId) -> RuntimeCall {
	RuntimeCall::Providers(pallet_providers::Call::register_organisation {
		admin: admin.clone(),
		kind: OrganisationKind::Pharmacy,
		license_hash: Hash32::repeat_byte(9),
	})
}

/// `members[0]` proposes `call` with `threshold`, `members` vote aye, then it is closed.
/// Returns the result of executing the call, if it was executed.
pub(super) fn motion(
	members: &[AccountId],
	threshold: u32,
	call: RuntimeCall,
) -> Option<frame_support::dispatch::DispatchResult> {
	let length = call.encode().len() as u32;
	let weight = call.get_dispatch_info().call_weight;
	let hash = sp_runtime::traits::BlakeTwo256::hash_of(&call);
	assert_ok!(Council::propose(signed(&members[0]), threshold, Box::new(call), length));
	let index =
		pallet_collective::ProposalCount::<Runtime, pallet_collective::Instance1>::get() - 1;
	for member in members {
		assert_ok!(Council::vote(signed(member), hash, index, true));
	}
	System::set_block_number(System::block_number() + CouncilMotionDuration::get() + 1);
	assert_ok!(Council::close(signed(&members[0]), hash, index, weight, length));
	System::events().into_iter().rev().find_map(|r| match r.event {
		RuntimeEvent::Council(pallet_collective::Event::Executed { result, .. }) => Some(result),
		_ => None,
	})
}

use sp_runtime::traits::Hash as _;

#[test]
fn two_thirds_of_the_council_register_an_organisation_and_a_half_cannot() {
	build_preset(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		let seats: Vec<AccountId> = CouncilMembership::members().into_inner();
		assert_eq!(seats.len(), 4);
		// A fresh account: an organisation's admin acts for no one else (not a practitioner).
		let pharmacy = AccountId::from([9u8; 32]);
		// Two of four: the motion passes the council but is not the governance origin.
		let half = motion(&seats[..2], 2, register(&pharmacy));
		assert_eq!(half, Some(Err(sp_runtime::DispatchError::BadOrigin)));
		assert_eq!(Providers::administered_by(&pharmacy), None);
		// Three of four (≥ 2/3): the organisation is registered.
		let two_thirds = motion(&seats[..3], 3, register(&pharmacy));
		assert_eq!(two_thirds, Some(Ok(())));
		assert!(Providers::administered_by(&pharmacy).is_some());
	});
}

#[test]
fn a_single_member_or_a_stranger_is_not_governance() {
	build_preset(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		let pharmacy = AccountId::from([9u8; 32]);
		assert_eq!(
			Providers::register_organisation(
				signed(&Bob.to_account_id()),
				pharmacy.clone(),
				OrganisationKind::Pharmacy,
				Hash32::repeat_byte(9)
			),
			Err(sp_runtime::DispatchError::BadOrigin)
		);
		// A non-member cannot even propose.
		assert!(Council::propose(
			signed(&Ferdie.to_account_id()),
			1,
			Box::new(register(&pharmacy)),
			100
		)
		.is_err());
		// Root (the dev/local sudo) still is.
		assert_ok!(Providers::register_organisation(
			RuntimeOrigin::root(),
			pharmacy,
			OrganisationKind::Pharmacy,
			Hash32::repeat_byte(9)
		));
	});
}

#[test]
fn the_consortium_preset_has_a_council_and_no_sudo() {
	build_preset(genesis_config_presets::CONSORTIUM_PRESET).execute_with(|| {
		System::set_block_number(1);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		let operators = genesis_config_presets::consortium_operators();
		let seats = CouncilMembership::members().into_inner();
		let mut admins: Vec<AccountId> = operators.iter().map(|o| o.admin.clone()).collect();
		admins.sort();
		assert_eq!(seats, admins);
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
		for (id, operator) in operators.iter().enumerate() {
			assert_eq!(Providers::administered_by(&operator.admin), Some(id as u32));
		}
		// No demo patients.
		assert_eq!(pallet_patients::NextPatientId::<Runtime>::get(), 0);
		// The council governs.
		let newcomer = Alice.to_account_id();
		assert_eq!(motion(&seats[..3], 3, register(&newcomer)), Some(Ok(())));
		assert!(Providers::administered_by(&newcomer).is_some());
	});
}

/// A consortium operator whose keys are those of `//{seed}//admin`, `//{seed}` (Aura, GRANDPA)
/// and whose node's peer id is `node` (opaque bytes).
fn operator(seed: &str, kind: OrganisationKind, node: u8) -> ConsortiumOperator {
	use sp_core::{ed25519, sr25519, Pair};
	let sr = sr25519::Pair::from_string(&format!("//{seed}"), None).unwrap().public();
	let ed = ed25519::Pair::from_string(&format!("//{seed}"), None).unwrap().public();
	let admin = sr25519::Pair::from_string(&format!("//{seed}//admin"), None).unwrap().public();
	ConsortiumOperator {
		admin: admin.into(),
		kind,
		licence: Hash32::repeat_byte(node),
		authority: Authority { account: sr.into(), aura: sr.into(), grandpa: ed.into() },
		node: Some(sp_core::OpaquePeerId(vec![node; 38])),
	}
}

#[test]
fn a_consortium_genesis_holds_its_operators_and_nothing_else() {
	let operators = [
		operator("north", OrganisationKind::Hospital, 1),
		operator("south", OrganisationKind::Lab, 2),
	];
	let patch = consortium_genesis(&operators).expect("two operators with their own keys");
	build_patch(patch).execute_with(|| {
		System::set_block_number(1);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		let mut admins: Vec<AccountId> = operators.iter().map(|o| o.admin.clone()).collect();
		admins.sort();
		assert_eq!(CouncilMembership::members().into_inner(), admins);
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 2);
		assert_eq!(pallet_validator_set::MinimumValidators::<Runtime>::get(), 2);
		for (id, o) in operators.iter().enumerate() {
			assert_eq!(Providers::administered_by(&o.admin), Some(id as u32));
			let node = o.node.clone().unwrap();
			assert_eq!(
				pallet_node_authorization::Owners::<Runtime>::get(&node),
				Some(o.admin.clone())
			);
		}
		assert_eq!(Providers::active_organisation(1), Some(OrganisationKind::Lab));
		assert_eq!(pallet_patients::NextPatientId::<Runtime>::get(), 0);
	});
}

#[test]
fn a_consortium_genesis_refuses_what_would_make_an_unsafe_chain() {
	let north = || operator("north", OrganisationKind::Hospital, 1);
	let south = || operator("south", OrganisationKind::Lab, 2);
	assert_eq!(consortium_genesis(&[]), Err(ConsortiumError::NoOperators));
	// The template's keys (its admins are its Aura keys, refused first), under a fresh admin.
	let mut placeholders = genesis_config_presets::consortium_operators();
	assert_eq!(
		consortium_genesis(&placeholders[..1]),
		Err(ConsortiumError::AdminIsSessionKey { operator: 0 })
	);
	let template_keys = ConsortiumOperator { admin: north().admin, ..placeholders.remove(1) };
	assert_eq!(
		consortium_genesis(&[south(), template_keys]),
		Err(ConsortiumError::PlaceholderKey { operator: 1 })
	);
	let admin_is_aura = ConsortiumOperator { admin: north().authority.account, ..north() };
	assert_eq!(
		consortium_genesis(&[south(), admin_is_aura]),
		Err(ConsortiumError::AdminIsSessionKey { operator: 1 })
	);
	let shared_grandpa = ConsortiumOperator {
		authority: Authority { grandpa: north().authority.grandpa, ..south().authority },
		..south()
	};
	assert_eq!(
		consortium_genesis(&[north(), shared_grandpa]),
		Err(ConsortiumError::Duplicate { operator: 1, what: "GRANDPA key" })
	);
	let shared_node = ConsortiumOperator { node: north().node, ..south() };
	assert_eq!(
		consortium_genesis(&[north(), shared_node]),
		Err(ConsortiumError::Duplicate { operator: 1, what: "node (peer id)" })
	);
	let too_many: Vec<_> = (0..65)
		.map(|n| operator(&format!("op{n}"), OrganisationKind::Clinic, n as u8))
		.collect();
	assert_eq!(consortium_genesis(&too_many), Err(ConsortiumError::TooManyOperators { max: 64 }));
}

#[test]
fn the_council_authorises_nodes_on_the_consortium_chain() {
	build_preset(genesis_config_presets::CONSORTIUM_PRESET).execute_with(|| {
		System::set_block_number(1);
		let seats = CouncilMembership::members().into_inner();
		// The template authorises no node yet (consortium-spec.sh fills in the operators').
		assert!(pallet_node_authorization::WellKnownNodes::<Runtime>::get().is_empty());
		let node = sp_core::OpaquePeerId(vec![0, 36, 8, 1, 18, 32, 7, 7, 7]);
		let authorise =
			RuntimeCall::NodeAuthorization(pallet_node_authorization::Call::add_well_known_node {
				node: node.clone(),
				owner: seats[0].clone().into(),
			});
		// One member alone is not governance.
		assert_eq!(
			authorise.clone().dispatch_bypass_filter(signed(&seats[0])).map_err(|e| e.error),
			Err(sp_runtime::DispatchError::BadOrigin)
		);
		assert_eq!(motion(&seats[..3], 3, authorise), Some(Ok(())));
		assert!(pallet_node_authorization::WellKnownNodes::<Runtime>::get().contains(&node));
		assert_eq!(
			pallet_node_authorization::Owners::<Runtime>::get(&node),
			Some(seats[0].clone())
		);
	});
}

#[test]
fn a_member_who_does_not_vote_counts_against_even_with_a_prime() {
	// L-13: with PrimeDefaultVote, abstentions took the prime's vote, so one prime member could
	// reach the 2/3 governance origin alone.
	build_preset(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		let seats: Vec<AccountId> = CouncilMembership::members().into_inner();
		assert_ok!(CouncilMembership::set_prime(RuntimeOrigin::root(), seats[0].clone().into()));
		// A fresh account: an organisation's admin acts for no one else (not a practitioner).
		let pharmacy = AccountId::from([9u8; 32]);
		// Only the prime votes; the motion closes after its duration.
		let lone = motion(&seats[..1], 3, register(&pharmacy));
		assert_eq!(lone, None, "not executed");
		assert_eq!(Providers::administered_by(&pharmacy), None);
	});
}

#[test]
fn a_member_holds_at_most_ten_open_motions() {
	// N-10 (security review 2026-12): one member proposed motions up to the council's 100 slots,
	// and every other member's motion failed with TooManyProposals.
	use crate::configs::governance::{MotionSlots, MAX_OPEN_MOTIONS_PER_MEMBER};
	build_preset(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let remark = |n: u32| {
			RuntimeCall::System(frame_system::Call::remark { remark: n.to_le_bytes().to_vec() })
		};
		let propose = |who: &AccountId, n: u32| {
			let call = remark(n);
			let length = call.encode().len() as u32;
			Council::propose(signed(who), 3, Box::new(call), length)
		};
		for n in 0..MAX_OPEN_MOTIONS_PER_MEMBER {
			assert_ok!(propose(&alice, n));
		}
		assert_eq!(MotionSlots::get(&alice), MAX_OPEN_MOTIONS_PER_MEMBER);
		assert_eq!(
			propose(&alice, 99).map_err(|e| e.error),
			Err(
				pallet_collective::Error::<Runtime, pallet_collective::Instance1>::TooManyProposals
					.into()
			)
		);
		// Another member's urgent motion still gets a slot.
		assert_ok!(propose(&bob, 1_000));
		// A motion disapproved (or closed) gives its slot back once its cost is released.
		let hash = sp_runtime::traits::BlakeTwo256::hash_of(&remark(0));
		assert_ok!(Council::disapprove_proposal(RuntimeOrigin::root(), hash));
		assert_ok!(Council::release_proposal_cost(signed(&bob), hash));
		assert_eq!(MotionSlots::get(&alice), MAX_OPEN_MOTIONS_PER_MEMBER - 1);
		assert_ok!(propose(&alice, 99));
	});
}
