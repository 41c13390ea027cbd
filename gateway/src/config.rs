//! The gateway's configuration: one TOML file, every value overridable by an environment
//! variable `MEDCHAIN_GATEWAY_<FIELD>` (nested fields joined by `__`:
//! `MEDCHAIN_GATEWAY_KEK__FILE`). Defaults suit a gateway beside a development node.

use std::{net::SocketAddr, path::PathBuf};

use figment::{
	providers::{Env, Format, Serialized, Toml},
	Figment,
};
use serde::{Deserialize, Serialize};

/// Where the key-encryption key comes from: 64 hex digits in a file, or in an environment
/// variable. (A KMS or an HSM plugs in behind `envelope::KeyEncryptionKey`.)
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct KekConfig {
	/// A file holding the key (mode 0600).
	pub file: Option<PathBuf>,
	/// An environment variable holding it.
	pub env: Option<String>,
	/// The key's name, stored beside every data key it wraps.
	pub id: String,
}

/// The gateway's configuration.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Config {
	/// The address the FHIR API listens on.
	pub listen: SocketAddr,
	/// The authority (`host:port`) clients address and sign (`@authority`); default: the
	/// request's `Host`. Set it behind a proxy that rewrites `Host`.
	pub public_authority: Option<String>,
	/// The medchain node (WebSocket).
	pub node: String,
	/// The database: `sqlite://path?mode=rwc` (default) or `postgres://user@host/db`.
	pub database: String,
	/// The most database connections.
	pub max_connections: u32,
	/// The gateway's own chain keys (they relay anchors, reports and erasures, and pay for
	/// them): a file holding their secret URIs, one a line (blank lines and lines starting
	/// with `#` are skipped). Register each account as a practitioner (role Admin) of the
	/// organisation the gateway serves. Transactions are signed by each in turn, so several
	/// keys share the gateway's traffic among their admission budgets.
	pub relayer_key_file: PathBuf,
	/// The key-encryption key.
	pub kek: KekConfig,
	/// The largest request body accepted, in bytes.
	pub max_body_bytes: usize,
	/// How long a write waits to be anchored before it is answered `202 Accepted` (pending).
	pub write_ack_timeout_ms: u64,
	/// The most outbox items one transaction carries.
	pub outbox_batch: usize,
	/// The most transactions of one kind (anchors, reports, erasures) on their way at once.
	pub outbox_in_flight: usize,
	/// How often the outbox is drained when idle, in ms.
	pub outbox_interval_ms: u64,
	/// The most consent questions asked of the chain in one call.
	pub decision_batch: usize,
	/// The page size of searches (and the most records one reported read names: 32).
	pub page_size: u32,
	/// `text` or `json` logs.
	pub log_format: String,
}

impl Default for Config {
	fn default() -> Self {
		Self {
			listen: "127.0.0.1:8080"
				.parse()
				.unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 8080))),
			public_authority: None,
			node: "ws://127.0.0.1:9944".into(),
			database: "sqlite://medchain-gateway.db?mode=rwc".into(),
			max_connections: 8,
			relayer_key_file: PathBuf::from("gateway.key"),
			kek: KekConfig {
				file: Some(PathBuf::from("gateway.kek")),
				env: None,
				id: "local-1".into(),
			},
			max_body_bytes: 1 << 20,
			write_ack_timeout_ms: 15_000,
			outbox_batch: 64,
			outbox_in_flight: 4,
			outbox_interval_ms: 200,
			decision_batch: 256,
			page_size: 32,
			log_format: "text".into(),
		}
	}
}

impl Config {
	/// The defaults, then `file` (if given), then the environment.
	pub fn load(file: Option<&std::path::Path>) -> Result<Self, figment::Error> {
		let mut figment = Figment::from(Serialized::defaults(Config::default()));
		if let Some(file) = file {
			figment = figment.merge(Toml::file_exact(file));
		}
		let config: Config =
			figment.merge(Env::prefixed("MEDCHAIN_GATEWAY_").split("__")).extract()?;
		config.check().map_err(figment::Error::from)?;
		Ok(config)
	}

	/// Values that parse but make no sense.
	fn check(&self) -> Result<(), String> {
		if self.page_size == 0
			|| self.page_size > medchain_primitives::attestation::MAX_RECORDS_PER_READ
		{
			return Err(format!(
				"page_size must be 1 to {} (the most records one reported read names)",
				medchain_primitives::attestation::MAX_RECORDS_PER_READ
			));
		}
		if self.outbox_batch == 0 || self.outbox_in_flight == 0 || self.decision_batch == 0 {
			return Err(
				"outbox_batch, outbox_in_flight and decision_batch must be at least 1".into()
			);
		}
		if self.kek.file.is_none() && self.kek.env.is_none() {
			return Err("kek needs a file or an env (the key-encryption key)".into());
		}
		Ok(())
	}
}

/// The relayer keys in `text` (a `relayer_key_file`): one secret URI a line, blank lines and
/// `#` comments skipped; at least one. An error names the line (never the secret).
pub fn relayer_keys(text: &str) -> Result<Vec<medchain_client::Keypair>, String> {
	let mut keys = Vec::new();
	for (n, line) in text.lines().enumerate() {
		let line = line.trim();
		if line.is_empty() || line.starts_with('#') {
			continue;
		}
		let key =
			medchain_client::keys::from_secret(line).map_err(|e| format!("line {}: {e}", n + 1))?;
		keys.push(key);
	}
	if keys.is_empty() {
		return Err("no key in it (one secret URI a line)".into());
	}
	Ok(keys)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn relayer_keys_are_one_a_line_and_a_bad_line_is_named_without_its_secret() {
		let keys = relayer_keys("# the gateway's relayers\n//Alice//stash\n\n  //Relayer1  \n")
			.expect("two keys");
		let accounts: Vec<_> =
			keys.iter().map(|k| medchain_client::AccountId::from(k.public_key())).collect();
		assert_eq!(accounts.len(), 2);
		assert_eq!(
			accounts[0],
			medchain_client::AccountId::from(
				medchain_client::keys::from_secret("//Alice//stash").expect("key").public_key()
			)
		);
		assert_ne!(accounts[0], accounts[1]);
		let bad = relayer_keys("//Alice//stash\nzebra-quartz-4711\n").map(|_| ()).unwrap_err();
		assert!(bad.starts_with("line 2:"), "{bad}");
		assert!(!bad.contains("zebra-quartz"), "the secret is not repeated: {bad}");
		assert!(relayer_keys("# nothing\n\n").is_err());
	}

	#[test]
	fn a_file_and_the_environment_override_the_defaults_and_nonsense_is_refused() {
		figment::Jail::expect_with(|jail| {
			jail.create_file(
				"gw.toml",
				"listen = \"0.0.0.0:9000\"\n[kek]\nid = \"k2\"\nfile = \"k\"\n",
			)?;
			jail.set_env("MEDCHAIN_GATEWAY_DATABASE", "postgres://gw@localhost/gw");
			jail.set_env("MEDCHAIN_GATEWAY_KEK__ID", "k3");
			let c = Config::load(Some(std::path::Path::new("gw.toml")))?;
			assert_eq!(c.listen.port(), 9000);
			assert_eq!(c.database, "postgres://gw@localhost/gw");
			assert_eq!(c.kek.id, "k3");
			jail.set_env("MEDCHAIN_GATEWAY_PAGE_SIZE", "500");
			assert!(Config::load(Some(std::path::Path::new("gw.toml"))).is_err());
			jail.create_file("bad.toml", "lisen = 1\n")?;
			assert!(Config::load(Some(std::path::Path::new("bad.toml"))).is_err());
			Ok(())
		});
	}
}
