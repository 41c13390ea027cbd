//! Runtime tests: every genesis preset builds, and sets the authorities it promises.

use frame_support::traits::Get;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::BuildStorage;

use crate::{genesis_config_presets, Runtime, RuntimeGenesisConfig};

/// Builds the genesis state of preset `name` exactly as the node does: the runtime's default
/// genesis config patched with the preset's JSON.
pub(crate) fn build_preset(name: &str) -> sp_io::TestExternalities {
	let patch = genesis_config_presets::get_preset(&PresetId::from(name))
		.unwrap_or_else(|| panic!("preset {name} is not offered"));
	build_patch(serde_json::from_slice(&patch).unwrap())
}

/// The genesis state of a genesis config `patch`, as a node builds it.
fn build_patch(patch: serde_json::Value) -> sp_io::TestExternalities {
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	json_patch(&mut config, patch);
	let config: RuntimeGenesisConfig = serde_json::from_value(config)
		.unwrap_or_else(|e| panic!("the patch does not fit RuntimeGenesisConfig: {e}"));
	config.build_storage().unwrap().into()
}

/// RFC 7386 merge patch, which is how a preset applies to the default config.
fn json_patch(target: &mut serde_json::Value, patch: serde_json::Value) {
	match (target, patch) {
		(serde_json::Value::Object(t), serde_json::Value::Object(p)) => {
			for (k, v) in p {
				if v.is_null() {
					t.remove(&k);
				} else {
					json_patch(t.entry(k).or_insert(serde_json::Value::Null), v);
				}
			}
		},
		(t, p) => *t = p,
	}
}

/// Every medchain pallet's invariants (`do_try_state`, what `try_state` runs in a try-runtime
/// build) at block `n`.
fn invariants(
	n: crate::BlockNumber,
) -> [(&'static str, Result<(), sp_runtime::TryRuntimeError>); 7] {
	[
		("providers", pallet_providers::Pallet::<Runtime>::do_try_state()),
		("patients", pallet_patients::Pallet::<Runtime>::do_try_state()),
		("consent", pallet_consent::Pallet::<Runtime>::do_try_state()),
		("records", pallet_records::Pallet::<Runtime>::do_try_state()),
		("audit", pallet_audit::Pallet::<Runtime>::do_try_state()),
		("admission", pallet_admission::Pallet::<Runtime>::do_try_state(n)),
		("validator set", pallet_validator_set::Pallet::<Runtime>::do_try_state()),
	]
}

fn aura_authorities() -> Vec<AuraId> {
	pallet_aura::Authorities::<Runtime>::get().into_inner()
}

fn grandpa_authorities() -> Vec<(GrandpaId, u64)> {
	pallet_grandpa::Pallet::<Runtime>::grandpa_authorities()
}

fn aura(k: Sr25519Keyring) -> AuraId {
	k.public().into()
}

fn grandpa(k: Ed25519Keyring) -> GrandpaId {
	k.public().into()
}

#[test]
fn presets_offered_are_dev_local_and_consortium() {
	assert_eq!(
		genesis_config_presets::preset_names(),
		vec![
			PresetId::from(DEV_RUNTIME_PRESET),
			PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET),
			PresetId::from(genesis_config_presets::CONSORTIUM_PRESET),
		]
	);
	assert!(genesis_config_presets::get_preset(&PresetId::from("no-such-preset")).is_none());
}

#[test]
fn dev_preset_has_alice_as_the_only_authority_and_sudo() {
	build_preset(DEV_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(aura_authorities(), vec![aura(Sr25519Keyring::Alice)]);
		assert_eq!(grandpa_authorities(), vec![(grandpa(Ed25519Keyring::Alice), 1)]);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
	});
}

#[test]
fn local_preset_has_four_authorities() {
	build_preset(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		let names = [
			(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		];
		assert_eq!(aura_authorities(), names.iter().map(|(s, _)| aura(*s)).collect::<Vec<_>>());
		assert_eq!(
			grandpa_authorities(),
			names.iter().map(|(_, e)| (grandpa(*e), 1)).collect::<Vec<_>>()
		);
	});
}

#[test]
fn dev_accounts_exist_at_genesis_so_they_can_sign() {
	for preset in [DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET] {
		build_preset(preset).execute_with(|| {
			for k in [Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Ferdie] {
				assert!(
					frame_system::Pallet::<Runtime>::account_exists(&k.to_account_id()),
					"{k:?} does not exist in {preset}"
				);
			}
		});
	}
}

#[test]
fn block_limits_are_consistent() {
	let weights =
		<crate::configs::RuntimeBlockWeights as Get<frame_system::limits::BlockWeights>>::get();
	weights.clone().validate().expect("block weights are valid");
	let length =
		<crate::configs::RuntimeBlockLength as Get<frame_system::limits::BlockLength>>::get();
	let normal = *length.max.get(frame_support::dispatch::DispatchClass::Normal);
	let operational = *length.max.get(frame_support::dispatch::DispatchClass::Operational);
	assert!(normal < operational, "normal transactions must leave room for operational ones");
}

#[test]
fn presets_register_the_demo_organisations_practitioners_and_patients() {
	use medchain_primitives::{OrganisationKind, PatientRegistry, ProviderRegistry, Role};
	type Providers = pallet_providers::Pallet<Runtime>;
	type Patients = pallet_patients::Pallet<Runtime>;

	for preset in [DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET] {
		build_preset(preset).execute_with(|| {
			let admins = [
				(Sr25519Keyring::Alice, OrganisationKind::Hospital),
				(Sr25519Keyring::Bob, OrganisationKind::Lab),
				(Sr25519Keyring::Charlie, OrganisationKind::Insurer),
				(Sr25519Keyring::Dave, OrganisationKind::Clinic),
			];
			for (id, (admin, kind)) in admins.into_iter().enumerate() {
				assert_eq!(
					Providers::administered_by(&admin.to_account_id()),
					Some(id as u32),
					"{preset}"
				);
				assert_eq!(Providers::active_organisation(id as u32), Some(kind), "{preset}");
			}
			let eve = Providers::active_practitioner(&Sr25519Keyring::Eve.to_account_id()).unwrap();
			assert_eq!((eve.organisation, eve.role), (0, Role::Physician));
			let ferdie =
				Providers::active_practitioner(&Sr25519Keyring::Ferdie.to_account_id()).unwrap();
			assert_eq!((ferdie.organisation, ferdie.kind), (1, OrganisationKind::Lab));

			assert_eq!(Patients::patient_of(&Sr25519Keyring::One.to_account_id()), Some(0));
			assert_eq!(Patients::enrolling_organisation(0), Some(0));
			assert_eq!(Patients::patient_of(&Sr25519Keyring::Two.to_account_id()), Some(1));
			assert_eq!(Patients::enrolling_organisation(1), Some(3));
			// Patients exist on chain without any balance.
			assert!(frame_system::Pallet::<Runtime>::account_exists(
				&Sr25519Keyring::One.to_account_id()
			));
		});
	}
}

mod admission;
mod client_metadata;
mod docs_errors;
mod fuzz;
mod governance;
mod migrations;
mod records_and_audit;
mod upgrades;
mod validators;
mod versioning;
mod weights_doc;
