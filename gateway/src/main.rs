//! `medchain-gateway`: a provider's FHIR store on medchain (docs/gateway.md).

use std::{path::PathBuf, process::ExitCode, sync::Arc};

use clap::{Parser, Subcommand};
use medchain_gateway::{
	envelope::{KeyEncryptionKey, LocalKek},
	Config,
};

/// A provider's FHIR R4 store: every read decided by the medchain network's consent and
/// reported on the patient's audit trail in the reader's name, every write anchored in the
/// writer's name, every version encrypted at rest.
///
/// Configuration: a TOML file (--config), every value overridable by an environment variable
/// MEDCHAIN_GATEWAY_<FIELD> (nested: MEDCHAIN_GATEWAY_KEK__FILE). Fields: listen,
/// public_authority, node, database, max_connections, relayer_key_file, kek.{file, env, id},
/// max_body_bytes, write_ack_timeout_ms, outbox_batch, outbox_in_flight, outbox_interval_ms,
/// decision_batch, page_size, log_format. See docs/gateway.md, "Deploy".
#[derive(Parser)]
#[command(name = "medchain-gateway", version)]
struct Cli {
	/// The configuration file (TOML).
	#[arg(long, global = true, env = "MEDCHAIN_GATEWAY_CONFIG")]
	config: Option<PathBuf>,
	#[command(subcommand)]
	command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
	/// Serve the FHIR API (the default).
	Serve,
	/// Write a new key-encryption key (64 hex digits) to a file, mode 0600; refuses to
	/// overwrite one.
	InitKek {
		/// Where to write it.
		#[arg(long)]
		out: PathBuf,
	},
	/// Check the configuration and print it (secrets are not in it: they are files).
	CheckConfig,
	/// Print the OpenAPI document.
	Openapi,
}

fn main() -> ExitCode {
	let cli = Cli::parse();
	match run(cli) {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("medchain-gateway: {e:#}");
			ExitCode::FAILURE
		},
	}
}

fn run(cli: Cli) -> anyhow::Result<()> {
	match cli.command.unwrap_or(Command::Serve) {
		Command::InitKek { out } => {
			use std::{fs::OpenOptions, io::Write, os::unix::fs::OpenOptionsExt};
			let key = LocalKek::generate_hex();
			let mut file = OpenOptions::new()
				.write(true)
				.create_new(true)
				.mode(0o600)
				.open(&out)
				.map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out.display()))?;
			file.write_all(format!("{}\n", *key).as_bytes())?;
			println!("wrote a new key-encryption key to {} (back it up: without it nothing stored can be read)", out.display());
			Ok(())
		},
		Command::CheckConfig => {
			let config = Config::load(cli.config.as_deref())?;
			println!("{}", toml::to_string_pretty(&config)?);
			Ok(())
		},
		Command::Openapi => {
			println!("{}", medchain_gateway::openapi::document().to_pretty_json()?);
			Ok(())
		},
		Command::Serve => {
			let config = Config::load(cli.config.as_deref())?;
			init_logs(&config);
			tokio::runtime::Builder::new_multi_thread()
				.enable_all()
				.build()?
				.block_on(serve(config))
		},
	}
}

fn init_logs(config: &Config) {
	use tracing_subscriber::{fmt, EnvFilter};
	let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
	if config.log_format == "json" {
		fmt().json().with_env_filter(filter).init();
	} else {
		fmt().with_env_filter(filter).init();
	}
}

fn load_kek(config: &Config) -> anyhow::Result<Arc<dyn KeyEncryptionKey>> {
	let text = match (&config.kek.file, &config.kek.env) {
		(Some(file), _) => std::fs::read_to_string(file)
			.map_err(|e| anyhow::anyhow!("kek.file {}: {e}", file.display()))?,
		(None, Some(var)) => {
			std::env::var(var).map_err(|_| anyhow::anyhow!("kek.env: {var} is not set"))?
		},
		(None, None) => anyhow::bail!("no key-encryption key configured (kek.file or kek.env)"),
	};
	Ok(Arc::new(LocalKek::from_hex(config.kek.id.clone(), &text)?))
}

async fn serve(config: Config) -> anyhow::Result<()> {
	let kek = load_kek(&config)?;
	let path = &config.relayer_key_file;
	let relayers = std::fs::read_to_string(path)
		.map_err(|e| format!("cannot read it: {e}"))
		.and_then(|text| medchain_gateway::config::relayer_keys(&text))
		.map_err(|e| anyhow::anyhow!("relayer_key_file {}: {e}", path.display()))?;
	let running = medchain_gateway::server::start(config, kek, relayers, true).await?;
	shutdown_signal().await;
	tracing::info!("shutting down: no new requests; draining the outbox");
	running.shutdown().await;
	tracing::info!("stopped");
	Ok(())
}

async fn shutdown_signal() {
	use tokio::signal::unix::{signal, SignalKind};
	let mut term = signal(SignalKind::terminate()).ok();
	tokio::select! {
		_ = tokio::signal::ctrl_c() => {},
		_ = async { match term.as_mut() { Some(t) => { t.recv().await; }, None => std::future::pending().await } } => {},
	}
}
