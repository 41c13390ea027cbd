//! The migration harness (issue "forkless runtime upgrades"): what the first block of an
//! upgraded runtime does — the runtime's `Migrations`, then every pallet's `on_runtime_upgrade`
//! (`Executive::execute_on_runtime_upgrade`) — run on state built from every preset, then
//! checked: every pallet's storage at the version its code declares, every medchain pallet's
//! invariants (`do_try_state`), the upgrade's weight within a block, and the audit trails and
//! record anchors reading back as before. A migration is written and tested as
//! docs/development.md ("Migrations") says; this harness is what it must pass.

use frame_support::traits::{GetStorageVersion, OnIdle, PalletInfoAccess, StorageVersion};
use medchain_primitives::{Hash32, PatientId, RecordId, RecordVerification};
use sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};

use super::{build_preset, invariants};
use crate::{
	configs::RuntimeBlockWeights, genesis_config_presets::CONSORTIUM_PRESET, AllPalletsWithSystem,
	BlockNumber, Executive, Runtime, System,
};

/// What clients read back from the audit trails and the record anchors.
#[derive(Debug, PartialEq)]
struct ReadBack {
	/// Every trail head: patient, last sequence number, running hash.
	trails: Vec<(PatientId, u64, Hash32)>,
	/// Every record: its id, fingerprint, and what `records_verify` answers for it.
	anchors: Vec<(RecordId, Hash32, RecordVerification)>,
	/// Every batch: its id, Merkle root and size.
	batches: Vec<(u64, Hash32, u32)>,
}

fn read_back() -> ReadBack {
	let mut trails: Vec<_> = pallet_audit::Trails::<Runtime>::iter()
		.map(|(patient, head)| (patient, head.last_seq, head.head))
		.collect();
	trails.sort();
	let mut anchors: Vec<_> = pallet_records::Anchors::<Runtime>::iter()
		.map(|(id, anchor)| {
			(id, anchor.content_hash, crate::Records::verify(id, anchor.content_hash))
		})
		.collect();
	anchors.sort_by_key(|(id, ..)| *id);
	let mut batches: Vec<_> = pallet_records::Batches::<Runtime>::iter()
		.map(|(id, batch)| (id, batch.merkle_root, batch.count))
		.collect();
	batches.sort();
	ReadBack { trails, anchors, batches }
}

/// Pallets whose on-chain storage version is not the one their code declares.
fn storage_versions_off() -> Vec<(&'static str, StorageVersion, StorageVersion)> {
	let mut off = Vec::new();
	macro_rules! check {
		($($pallet:ty),* $(,)?) => {$(
			let on_chain = <$pallet as GetStorageVersion>::on_chain_storage_version();
			let in_code: StorageVersion = <$pallet as GetStorageVersion>::in_code_storage_version();
			if on_chain != in_code {
				off.push((<$pallet as PalletInfoAccess>::name(), on_chain, in_code));
			}
		)*};
	}
	check!(
		pallet_providers::Pallet<Runtime>,
		pallet_patients::Pallet<Runtime>,
		pallet_consent::Pallet<Runtime>,
		pallet_records::Pallet<Runtime>,
		pallet_audit::Pallet<Runtime>,
		pallet_admission::Pallet<Runtime>,
		pallet_validator_set::Pallet<Runtime>,
		pallet_upgrades::Pallet<Runtime>,
		pallet_balances::Pallet<Runtime>,
		pallet_collective::Pallet<Runtime, pallet_collective::Instance1>,
		pallet_membership::Pallet<Runtime, pallet_membership::Instance1>,
		pallet_grandpa::Pallet<Runtime>,
		pallet_offences::Pallet<Runtime>,
		pallet_session::Pallet<Runtime>,
	);
	off
}

/// Runs the upgrade as an upgraded runtime's first block does, then the idle time of the
/// blocks after it until the background work it started is done, and checks what the module
/// docs say. Returns what the harness found wrong (nothing, for a sound upgrade).
fn upgrade_and_check() -> Vec<String> {
	let mut found = Vec::new();
	let before = read_back();
	let weight = Executive::execute_on_runtime_upgrade();
	if weight.any_gt(RuntimeBlockWeights::get().max_block) {
		found.push(format!("the upgrade weighs {weight:?}, more than a block"));
	}
	// The audit pallet rewrites old trail heads in idle time: a quarter of each block here.
	let mut blocks = 0;
	while pallet_audit::TrailsToRewrite::<Runtime>::exists() && blocks < 1_000 {
		let n = System::block_number() + 1;
		System::set_block_number(n);
		<AllPalletsWithSystem as OnIdle<BlockNumber>>::on_idle(
			n,
			RuntimeBlockWeights::get().max_block / 4,
		);
		blocks += 1;
	}
	if pallet_audit::TrailsToRewrite::<Runtime>::exists() {
		found.push(format!("the audit trails' rewrite is not done after {blocks} blocks"));
	}
	for (pallet, on_chain, in_code) in storage_versions_off() {
		found.push(format!("{pallet}: storage version {on_chain:?} on chain, {in_code:?} in code"));
	}
	for (pallet, result) in invariants(System::block_number()) {
		if let Err(e) = result {
			found.push(format!("{pallet}: invariant broken: {e:?}"));
		}
	}
	if read_back() != before {
		found.push("the audit trails or record anchors read back differently".into());
	}
	found
}

#[test]
fn every_preset_upgrades_cleanly() {
	for preset in [DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET, CONSORTIUM_PRESET] {
		build_preset(preset).execute_with(|| {
			System::set_block_number(1);
			assert_eq!(upgrade_and_check(), Vec::<String>::new(), "preset {preset}");
			// Run again (an upgrade whose migrations already ran): still clean.
			assert_eq!(upgrade_and_check(), Vec::<String>::new(), "preset {preset}, second run");
		});
	}
}

/// The state of a dev chain that ran runtime 102 (the release in `runtime/releases/`): 40
/// patients, 8 practitioners, grants, anchors (single and batched) and reported reads, exported
/// by `node tests/load/load.js --smoke --phases grant,anchor,anchor_practitioner,anchor_batch,report
/// --export-state <file>` (the runtime's code left out).
fn dev_chain_102() -> sp_io::TestExternalities {
	let snapshot: serde_json::Value =
		serde_json::from_str(include_str!("fixtures/dev-chain-102.json"))
			.expect("the snapshot is JSON");
	assert_eq!(
		snapshot["codeHash"], "0x9f2487673b724f182f00bf44bd2b2eac9e87a8d4a01929b7faa1c59aeedb0e3a",
		"the snapshot is of runtime 102"
	);
	let hex = |s: &str| sp_core::bytes::from_hex(s).expect("hex");
	let top = snapshot["top"]
		.as_object()
		.expect("a map of keys to values")
		.iter()
		.map(|(k, v)| (hex(k), hex(v.as_str().expect("a hex value"))))
		.collect();
	sp_io::TestExternalities::new(sp_core::storage::Storage {
		top,
		children_default: Default::default(),
	})
}

#[test]
fn a_dev_chain_of_runtime_102_upgrades_cleanly() {
	dev_chain_102().execute_with(|| {
		// The state is runtime 102's: the audit pallet at storage version 0, its heads 40 bytes.
		assert_eq!(
			<pallet_audit::Pallet<Runtime> as GetStorageVersion>::on_chain_storage_version(),
			StorageVersion::new(0)
		);
		let trails: Vec<_> = pallet_audit::Trails::<Runtime>::iter_keys().collect();
		assert!(trails.len() >= 30, "the snapshot holds trails ({})", trails.len());
		assert!(trails.iter().all(|p| !crate::Audit::head_is_current(*p)));
		assert!(pallet_records::Anchors::<Runtime>::iter_keys().count() >= 60);
		assert!(pallet_records::Batches::<Runtime>::iter_keys().count() >= 3);
		// The upgrade happens in the block after the exported one.
		System::set_block_number(System::block_number() + 1);
		assert_eq!(upgrade_and_check(), Vec::<String>::new());
		assert!(trails.iter().all(|p| crate::Audit::head_is_current(*p)));
		assert!(
			trails.iter().all(|p| crate::Audit::trail_head(*p).last_block == 0),
			"no block is known for entries before 103"
		);
		assert_eq!(upgrade_and_check(), Vec::<String>::new(), "second run");
	});
}

#[test]
fn the_harness_finds_a_pallet_left_at_an_old_storage_version() {
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		System::set_block_number(1);
		// As if the audit pallet's code declared a layout its storage was never migrated to.
		StorageVersion::new(7).put::<pallet_audit::Pallet<Runtime>>();
		let found = upgrade_and_check();
		assert_eq!(found.len(), 1, "{found:?}");
		assert!(found[0].starts_with("Audit: storage version"), "{found:?}");
	});
}
