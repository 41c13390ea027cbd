//! `medchain governance …`: the council's routine motions from a terminal, without hand-written
//! polkadot.js (docs/cli.md, "Governance"): open a motion (a seat proposes a call with the
//! governance threshold, ⌈2n/3⌉ of the n seats — ⌈n/3⌉ to withdraw an upgrade — and its aye
//! counts), vote on it, close it once decided, see what is open; and apply an authorised
//! runtime upgrade.

use std::path::PathBuf;

use clap::Subcommand;
use medchain_client::{runtime, AccountId, BlockHash, Client, Keypair, Wait};
use serde_json::json;

use crate::{input, named, Failure, Output};

/// The chain refuses (or would): exit 1, as for a pallet's named error.
fn chain_refused(message: String) -> Failure {
	Failure { code: 1, message }
}

type RuntimeCall = runtime::runtime_types::medchain_runtime::RuntimeCall;

#[derive(Subcommand)]
pub enum GovernanceCommand {
	/// The open motions: each one's hash, index, call, votes and threshold; the upgrade
	/// authorised, if any; the seats.
	Status,
	/// Open a motion (signed by a council seat): the proposer's aye counts.
	#[command(subcommand)]
	Propose(Motion),
	/// Vote on an open motion (signed by a council seat).
	Vote {
		/// The motion's hash (from `governance status` or `propose`).
		#[arg(long)]
		motion: BlockHash,
		/// Vote against.
		#[arg(long)]
		nay: bool,
	},
	/// Close a decided motion: passed, its call is dispatched with the governance origin.
	Close {
		#[arg(long)]
		motion: BlockHash,
	},
	/// Submit the authorised runtime (unsigned: a runtime is megabytes). Refused by the node
	/// unless its hash is the one governance authorised.
	ApplyUpgrade {
		/// The runtime's wasm (as built by scripts/release-runtime.sh).
		wasm: PathBuf,
	},
}

/// What a motion does, once passed.
#[derive(Subcommand)]
pub enum Motion {
	/// Register an organisation: its admin account, kind, and the hash of the licence document
	/// governance checked off chain.
	RegisterOrganisation {
		#[arg(long)]
		admin: AccountId,
		#[arg(long, value_parser = named::<medchain_primitives::OrganisationKind>)]
		kind: medchain_primitives::OrganisationKind,
		#[arg(long)]
		license_hash: BlockHash,
	},
	/// Suspend an organisation (none of its practitioners acts until it is reinstated).
	SuspendOrganisation {
		#[arg(long)]
		organisation: u32,
	},
	/// Reinstate a suspended organisation.
	ReinstateOrganisation {
		#[arg(long)]
		organisation: u32,
	},
	/// Add a validator (effective at the second session rotation).
	AddValidator {
		#[arg(long)]
		validator: AccountId,
	},
	/// Remove a validator (never below the chain's floor).
	RemoveValidator {
		#[arg(long)]
		validator: AccountId,
	},
	/// Authorise a node's peer id to connect (a permissioned chain), owned by an account.
	AuthoriseNode {
		/// The node's peer id (base58: `12D3KooW…`).
		#[arg(long)]
		peer_id: String,
		#[arg(long)]
		owner: AccountId,
	},
	/// Replace an authorised peer id by another (a node's key changed).
	SwapNode {
		#[arg(long)]
		remove: String,
		#[arg(long)]
		add: String,
	},
	/// Authorise the runtime in this wasm file (by the BLAKE2b-256 hash of its code).
	Upgrade { wasm: PathBuf },
	/// Withdraw the authorised upgrade before it is applied (a third of the seats suffices).
	CancelUpgrade,
}

/// A peer id's bytes, as the node-authorization pallet keeps them.
fn peer_id(text: &str) -> Result<Vec<u8>, Failure> {
	bs58::decode(text)
		.into_vec()
		.map_err(|e| input(format!("{text:?} is not a base58 peer id: {e}")))
}

fn code_hash(wasm: &PathBuf) -> Result<(Vec<u8>, BlockHash), Failure> {
	let code =
		std::fs::read(wasm).map_err(|e| input(format!("cannot read {}: {e}", wasm.display())))?;
	let hash = BlockHash::from(sp_crypto_hashing::blake2_256(&code));
	Ok((code, hash))
}

/// The call a motion dispatches, and the threshold it needs out of `seats`.
fn motion_call(motion: &Motion, seats: u32) -> Result<(RuntimeCall, u32, String), Failure> {
	use runtime::runtime_types::{
		pallet_node_authorization::pallet::Call as Nodes,
		pallet_providers::pallet::Call as Providers, pallet_upgrades::pallet::Call as Upgrades,
		pallet_validator_set::pallet::Call as Validators,
	};
	let governance = (2 * seats).div_ceil(3);
	let third = seats.div_ceil(3);
	Ok(match motion {
		Motion::RegisterOrganisation { admin, kind, license_hash } => (
			RuntimeCall::Providers(Providers::register_organisation {
				admin: *admin,
				kind: medchain_client::scale::convert(kind)?,
				license_hash: *license_hash,
			}),
			governance,
			format!("register {admin} as the admin of a {kind:?}"),
		),
		Motion::SuspendOrganisation { organisation } => (
			RuntimeCall::Providers(Providers::suspend_organisation { organisation: *organisation }),
			governance,
			format!("suspend organisation {organisation}"),
		),
		Motion::ReinstateOrganisation { organisation } => (
			RuntimeCall::Providers(Providers::reinstate_organisation {
				organisation: *organisation,
			}),
			governance,
			format!("reinstate organisation {organisation}"),
		),
		Motion::AddValidator { validator } => (
			RuntimeCall::ValidatorSet(Validators::add_validator { validator: *validator }),
			governance,
			format!("add validator {validator}"),
		),
		Motion::RemoveValidator { validator } => (
			RuntimeCall::ValidatorSet(Validators::remove_validator { validator: *validator }),
			governance,
			format!("remove validator {validator}"),
		),
		Motion::AuthoriseNode { peer_id: node, owner } => (
			RuntimeCall::NodeAuthorization(Nodes::add_well_known_node {
				node: runtime::runtime_types::sp_core::OpaquePeerId(peer_id(node)?),
				owner: medchain_client::MultiAddress::Id(*owner),
			}),
			governance,
			format!("authorise node {node}, owned by {owner}"),
		),
		Motion::SwapNode { remove, add } => (
			RuntimeCall::NodeAuthorization(Nodes::swap_well_known_node {
				remove: runtime::runtime_types::sp_core::OpaquePeerId(peer_id(remove)?),
				add: runtime::runtime_types::sp_core::OpaquePeerId(peer_id(add)?),
			}),
			governance,
			format!("swap node {remove} for {add}"),
		),
		Motion::Upgrade { wasm } => {
			let (_, hash) = code_hash(wasm)?;
			(
				RuntimeCall::Upgrades(Upgrades::authorize_upgrade { code_hash: hash }),
				governance,
				format!("authorise the runtime {hash:?}"),
			)
		},
		Motion::CancelUpgrade => (
			RuntimeCall::Upgrades(Upgrades::cancel_authorized_upgrade),
			third,
			"withdraw the authorised upgrade".into(),
		),
	})
}

/// The council's seats.
async fn seats(client: &Client) -> Result<Vec<AccountId>, Failure> {
	let at = client
		.api()
		.at_block(client.best_hash().await?)
		.await
		.map_err(medchain_client::Error::from)?;
	let members = at
		.storage()
		.entry(runtime::storage().council().members())
		.map_err(medchain_client::Error::from)?
		.fetch(())
		.await
		.map_err(medchain_client::Error::from)?
		.decode()
		.map_err(medchain_client::Error::from)?;
	Ok(members)
}

/// An open motion: index, threshold, ayes, nays, its call's encoded length.
struct Open {
	index: u32,
	threshold: u32,
	ayes: Vec<AccountId>,
	nays: Vec<AccountId>,
	end: u32,
	call: Option<RuntimeCall>,
	length: u32,
}

async fn open_motions(client: &Client) -> Result<Vec<(BlockHash, Open)>, Failure> {
	use codec::Encode;
	use medchain_client::Error as E;
	let at = client.api().at_block(client.best_hash().await?).await.map_err(E::from)?;
	let storage = at.storage();
	let hashes = storage
		.entry(runtime::storage().council().proposals())
		.map_err(E::from)?
		.fetch(())
		.await
		.map_err(E::from)?
		.decode()
		.map_err(E::from)?;
	let mut out = Vec::new();
	for hash in hashes.0 {
		let voting = storage
			.entry(runtime::storage().council().voting())
			.map_err(E::from)?
			.try_fetch((hash,))
			.await
			.map_err(E::from)?;
		let Some(voting) = voting else { continue };
		let voting = voting.decode().map_err(E::from)?;
		let call = match storage
			.entry(runtime::storage().council().proposal_of())
			.map_err(E::from)?
			.try_fetch((hash,))
			.await
			.map_err(E::from)?
		{
			Some(call) => Some(call.decode().map_err(E::from)?),
			None => None,
		};
		let length = call.as_ref().map_or(0, |c: &RuntimeCall| c.encoded_size() as u32);
		out.push((
			hash,
			Open {
				index: voting.index,
				threshold: voting.threshold,
				ayes: voting.ayes,
				nays: voting.nays,
				end: voting.end,
				call,
				length,
			},
		));
	}
	Ok(out)
}

/// `pallet.call` of a runtime call, for people.
fn name_of(call: &RuntimeCall) -> String {
	let debug = format!("{call:?}");
	// `Providers(register_organisation { … })` → `Providers.register_organisation`.
	let mut parts = debug.splitn(2, '(');
	let pallet = parts.next().unwrap_or_default().to_owned();
	let rest = parts.next().unwrap_or_default();
	let method: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
	format!("{pallet}.{method}")
}

/// A dispatch error by its pallet's and variant's names (`upgrades.NothingAuthorized`).
async fn explain(client: &Client, e: &runtime::runtime_types::sp_runtime::DispatchError) -> String {
	use runtime::runtime_types::sp_runtime::DispatchError;
	if let DispatchError::Module(module) = e {
		if let Ok(at) = client.api().at_current_block().await {
			let metadata = at.metadata_ref();
			if let Some(pallet) = metadata.pallet_by_error_index(module.index) {
				if let Some(variant) = pallet.error_variant_by_index(module.error[0]) {
					return format!("{}.{}", pallet.name(), variant.name);
				}
			}
		}
	}
	format!("{e:?}")
}

/// Whether the command signs (all but `status` and `apply-upgrade`).
pub fn signs(command: &GovernanceCommand) -> bool {
	!matches!(command, GovernanceCommand::Status | GovernanceCommand::ApplyUpgrade { .. })
}

pub async fn run(
	command: GovernanceCommand,
	client: &Client,
	signer: Option<&Keypair>,
	wait: Wait,
	out: &Output,
) -> Result<(), Failure> {
	let seat = || signer.ok_or_else(|| input("no signing key".into()));
	match command {
		GovernanceCommand::Status => {
			let seats = seats(client).await?;
			let motions = open_motions(client).await?;
			let best = client.block(medchain_client::At::Best).await?.number;
			let mut human = format!("{} seats; {} open motions", seats.len(), motions.len());
			let mut list = Vec::new();
			for (hash, m) in &motions {
				let call = m.call.as_ref().map(name_of).unwrap_or_else(|| "(unknown)".into());
				human.push_str(&format!(
					"\n  {hash:?} #{}: {call}: {} aye, {} nay of {} needed; ends at #{} (now #{best})",
					m.index,
					m.ayes.len(),
					m.nays.len(),
					m.threshold,
					m.end
				));
				list.push(json!({
					"motion": format!("{hash:?}"), "index": m.index, "call": call,
					"ayes": m.ayes.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
					"nays": m.nays.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
					"threshold": m.threshold, "end": m.end,
				}));
			}
			out.done(
				human,
				json!({ "seats": seats.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "motions": list, "best": best }),
			);
			Ok(())
		},
		GovernanceCommand::Propose(motion) => {
			let seats = seats(client).await?;
			let signer = seat()?;
			if !seats.contains(&AccountId::from(signer.public_key())) {
				return Err(chain_refused("the signer holds no council seat: only a seat opens a motion (council.NotMember)".into()));
			}
			let (call, threshold, words) = motion_call(&motion, seats.len() as u32)?;
			let length = {
				use codec::Encode;
				call.encoded_size() as u32
			};
			let tx = runtime::tx().council().propose(threshold, call, length);
			let submitted = client.submit(&tx, signer, wait).await?;
			let proposed = submitted.event::<runtime::council::events::Proposed>();
			let executed = submitted.event::<runtime::council::events::Executed>();
			match (proposed, executed) {
				(Ok(p), _) => {
					// pallet-collective does not count the proposer's aye: the seat votes at once.
					let aye = runtime::tx().council().vote(p.proposal_hash, p.proposal_index, true);
					client.submit(&aye, signer, wait).await?;
					out.done(
					format!(
						"motion {:?} (#{}) opened to {words}: {} of {} seats needed; your aye counts — vote with `medchain governance vote --motion {:?}`",
						p.proposal_hash, p.proposal_index, threshold, seats.len(), p.proposal_hash
					),
					json!({ "motion": format!("{:?}", p.proposal_hash), "index": p.proposal_index, "threshold": threshold }),
					)
				},
				(_, Ok(e)) => out.done(
					format!("executed at once (a threshold of 1): {words}: {:?}", e.result),
					json!({ "executed": true }),
				),
				(Err(e), Err(_)) => return Err(e.into()),
			}
			Ok(())
		},
		GovernanceCommand::Vote { motion, nay } => {
			let open = open_motions(client).await?;
			let (_, m) = open.iter().find(|(h, _)| *h == motion).ok_or_else(|| {
				input(format!("no open motion {motion:?}: see `medchain governance status`"))
			})?;
			let tx = runtime::tx().council().vote(motion, m.index, !nay);
			client.submit(&tx, seat()?, wait).await?;
			out.done(
				format!("voted {} on {motion:?}", if nay { "nay" } else { "aye" }),
				json!({ "motion": format!("{motion:?}"), "aye": !nay }),
			);
			Ok(())
		},
		GovernanceCommand::Close { motion } => {
			let open = open_motions(client).await?;
			let (_, m) = open.iter().find(|(h, _)| *h == motion).ok_or_else(|| {
				input(format!("no open motion {motion:?}: see `medchain governance status`"))
			})?;
			// The bound the motion's call may weigh: 10 ms and 256 KiB of proof, 17 times the
			// heaviest governance call's weight (validator_set.remove_validator: 577 µs, 82 KB;
			// docs/weights.md) and under the largest operational transaction admission lets a
			// seat send (a tenth of the window's operational reserve over 16 in flight).
			let bound = runtime::runtime_types::sp_weights::weight_v2::Weight {
				ref_time: 10_000_000_000,
				proof_size: 256 * 1024,
			};
			let tx = runtime::tx().council().close(motion, m.index, bound, m.length);
			let submitted = client.submit(&tx, seat()?, wait).await?;
			match submitted.event::<runtime::council::events::Executed>() {
				Ok(executed) => match executed.result {
					Ok(()) => out.done(
						format!("{motion:?} passed and was executed"),
						json!({ "executed": true, "ok": true }),
					),
					Err(e) => {
						let why = explain(client, &e).await;
						return Err(chain_refused(format!(
							"{motion:?} passed, but its call failed: {why}"
						)));
					},
				},
				Err(_) => out.done(
					format!("{motion:?} closed without passing"),
					json!({ "executed": false }),
				),
			}
			Ok(())
		},
		GovernanceCommand::ApplyUpgrade { wasm } => {
			let (code, hash) = code_hash(&wasm)?;
			let tx = runtime::tx().system().apply_authorized_upgrade(code);
			let submitted = client.submit_unsigned(&tx, wait).await?;
			out.done(
				format!("runtime {hash:?} applied in block #{}", submitted.block_number),
				json!({ "codeHash": format!("{hash:?}"), "block": submitted.block_number }),
			);
			Ok(())
		},
	}
}
