//! `medchain-node`: hosts the medchain runtime with Aura authoring and GRANDPA finality.
//!
//! No domain logic lives here: the CLI ([`cli`], [`command`]), the built-in chain specs
//! ([`chain_spec`]) and a consortium's ([`consortium`]), the service that wires consensus,
//! networking and RPC ([`service`]), and the JSON-RPC methods ([`rpc`]).

mod chain_spec;
mod cli;
mod command;
mod consortium;
mod network;
mod permissioning;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
