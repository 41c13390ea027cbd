//! The chains `medchain-node` knows by name; any other `--chain` value is a JSON file.

use medchain_runtime::WASM_BINARY;
use sc_service::ChainType;
use sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};

/// A medchain chain specification.
pub type ChainSpec = sc_service::GenericChainSpec;

fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"this node was built without the runtime's wasm (SKIP_WASM_BUILD was set): rebuild it \
		 without SKIP_WASM_BUILD, e.g. with scripts/build.sh"
			.to_string()
	})
}

fn properties() -> sc_service::Properties {
	let mut p = sc_service::Properties::new();
	// Balances only keep accounts alive on medchain; the symbol is for wallets' displays.
	p.insert("tokenSymbol".into(), "MED".into());
	p.insert("tokenDecimals".into(), 12.into());
	p.insert("ss58Format".into(), 42.into());
	p
}

/// `--dev`: one validator (Alice), temporary by default.
pub fn development() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("medchain development")
		.with_id("medchain_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// `--chain local`: four validators (Alice, Bob, Charlie, Dave) on one machine.
pub fn local_testnet() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("medchain local testnet")
		.with_id("medchain_local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// `--chain consortium`: the template of a real network — four operators' validators and
/// council seats, no sudo, and node permissioning on (`"permissioned": true`: only the peer ids
/// governance authorised may connect). Its keys are public placeholders and it authorises no
/// node yet: `medchain-node consortium-spec` builds a network's spec from its operators' keys.
pub fn consortium_template() -> Result<ChainSpec, String> {
	consortium(None)
}

/// A consortium chain: the genesis `patch` (see
/// [`medchain_runtime::genesis_config_presets::consortium_genesis`]), or the template's.
pub fn consortium(patch: Option<serde_json::Value>) -> Result<ChainSpec, String> {
	let mut properties = properties();
	properties.insert("permissioned".into(), true.into());
	let builder = ChainSpec::builder(wasm_binary()?, None)
		.with_name("medchain consortium")
		.with_id("medchain_consortium")
		.with_chain_type(ChainType::Live)
		.with_properties(properties);
	Ok(match patch {
		Some(patch) => builder.with_genesis_config_patch(patch),
		None => builder.with_genesis_config_preset_name(
			medchain_runtime::genesis_config_presets::CONSORTIUM_PRESET,
		),
	}
	.build())
}
