//! The command line: `medchain-node [subcommand] [options]`.

use sc_cli::RunCmd;

#[derive(Debug, clap::Parser)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: RunCmd,
}

#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate keys, inspect them, insert them into a node's keystore, and
	/// print a node's peer id (`key inspect-node-key`).
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (JSON) from a built-in chain (`--chain dev|local`).
	/// Deprecated upstream for `export-chain-spec`, which medchain's scripts use; kept because
	/// zombienet calls `build-spec` to make its networks' specs.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export a chain specification (the successor of `build-spec`).
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Build a consortium's chain spec from its operators' public keys (docs/operators.md).
	ConsortiumSpec(crate::consortium::ConsortiumSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Database metadata.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Benchmarks of the node (only `benchmark storage`: the database weights; the pallets'
	/// benchmarks run in the runtime, with frame-omni-bencher: `scripts/bench.sh`).
	#[cfg(feature = "storage-benchmark")]
	#[command(subcommand)]
	Benchmark(BenchmarkCmd),
}

/// `medchain-node benchmark <what>`.
#[cfg(feature = "storage-benchmark")]
#[derive(Debug, clap::Subcommand)]
pub enum BenchmarkCmd {
	/// The time to read and to write one item of a chain's state in the node's database: the
	/// runtime's `DbWeight` (`scripts/bench.sh storage`).
	Storage(frame_benchmarking_cli::StorageCmd),
}
