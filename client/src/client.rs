//! A connection to a medchain node: calls submitted and followed, RPCs typed.

use medchain_primitives::{
	AccessQuestion, Action, BatchId, Category, Decision, Hash32, PatientId, Purpose, RecordId,
	RecordVerification, TrailHead,
};
use serde::de::DeserializeOwned;
use subxt::{
	rpcs::{client::RpcClient, rpc_params},
	transactions::{Payload, TransactionStatus},
	OnlineClient,
};

use crate::{AccountId, BlockHash, Error, Keypair, MedchainConfig};

/// The number of block `hash` (`chain_getHeader`).
pub(crate) async fn block_number(rpc: &RpcClient, hash: BlockHash) -> Result<u32, Error> {
	let method = "chain_getHeader";
	let header: serde_json::Value = request(rpc, method, rpc_params![hash]).await?;
	header
		.get("number")
		.and_then(|n| n.as_str())
		.and_then(|n| u32::from_str_radix(n.trim_start_matches("0x"), 16).ok())
		.ok_or_else(|| Error::Rpc { method: method.into(), reason: format!("no block {hash:?}") })
}

/// How long [`Client::submit`] follows a transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
	/// Until a block that includes it is imported (best chain): a few seconds; the block may
	/// still be retracted.
	InBlock,
	/// Until that block is finalised by GRANDPA: what an audit or a payment waits for.
	Finalised,
}

/// A transaction that was included and dispatched successfully.
#[non_exhaustive]
pub struct Submitted {
	/// The block that includes it.
	pub block_hash: BlockHash,
	/// That block's number.
	pub block_number: u32,
	/// The transaction's events (decode them with `events.find_first::<runtime::…::events::…>()`).
	pub events: subxt::extrinsics::ExtrinsicEvents<MedchainConfig>,
}

impl std::fmt::Debug for Submitted {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.debug_struct("Submitted")
			.field("block_hash", &self.block_hash)
			.field("block_number", &self.block_number)
			.finish_non_exhaustive()
	}
}

/// What an operator looks at first: heights, peers, runtime.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainStatus {
	/// The chain's name (from the chain spec).
	pub chain: String,
	/// The best block's number.
	pub best: u32,
	/// The last finalised block's number.
	pub finalised: u32,
	/// Connected peers.
	pub peers: u64,
	/// Whether the node is still syncing.
	pub syncing: bool,
	/// The validators of the current session (SS58).
	pub validators: Vec<String>,
	/// The runtime's spec version.
	pub spec_version: u32,
	/// The runtime's transaction version.
	pub transaction_version: u32,
}

/// A connection to one medchain node, over WebSocket.
#[derive(Clone)]
pub struct Client {
	api: OnlineClient<MedchainConfig>,
	rpc: RpcClient,
	url: String,
}

impl Client {
	/// Connects to the node at `url` (`ws://` or `wss://`). Fails with [`Error::Connect`]
	/// naming the URL if nothing answers there.
	pub async fn connect(url: &str) -> Result<Self, Error> {
		let connect =
			|e: &dyn std::fmt::Display| Error::Connect { url: url.into(), reason: e.to_string() };
		let rpc = RpcClient::from_insecure_url(url).await.map_err(|e| connect(&e))?;
		let config = subxt::PolkadotConfig::builder().use_historic_types(false).build();
		let api = OnlineClient::from_rpc_client_with_config(config, rpc.clone())
			.await
			.map_err(|e| connect(&e))?;
		Ok(Self { api, rpc, url: url.into() })
	}

	/// The node's address, as given to [`Client::connect`].
	pub fn url(&self) -> &str {
		&self.url
	}

	/// subxt's client, for everything this crate does not wrap (storage, constants, blocks).
	pub fn api(&self) -> &OnlineClient<MedchainConfig> {
		&self.api
	}

	/// The node's raw JSON-RPC client.
	pub fn rpc(&self) -> &RpcClient {
		&self.rpc
	}

	/// Signs `call` with `signer` (the next nonce the node's pool expects, mortal for 32 blocks
	/// from the last finalised block), submits it and
	/// follows it until `wait`. A call the chain refused to dispatch fails with
	/// [`Error::Dispatch`] (`records.NoAppendGrant: …`); one the pool refused (a bad nonce, an
	/// account admission does not let in) with [`Error::Invalid`]; either way nothing changed.
	pub async fn submit<Call: Payload>(
		&self,
		call: &Call,
		signer: &Keypair,
		wait: Wait,
	) -> Result<Submitted, Error> {
		let params = self.params(signer).await?;
		let at = self.api.at_current_block().await?;
		let mut progress =
			at.transactions().sign_and_submit_then_watch(call, signer, params).await?;
		while let Some(status) = progress.next().await {
			let included = match status? {
				TransactionStatus::InBestBlock(block) if wait == Wait::InBlock => block,
				TransactionStatus::InFinalizedBlock(block) => block,
				TransactionStatus::Error { message } | TransactionStatus::Invalid { message } => {
					return Err(Error::Invalid(message))
				},
				TransactionStatus::Dropped { message } => return Err(Error::Dropped(message)),
				_ => continue,
			};
			let block_hash = included.block_hash();
			let events = included.wait_for_success().await.map_err(Error::from_events)?;
			let block_number = self.block_number(block_hash).await?;
			return Ok(Submitted { block_hash, block_number, events });
		}
		Err(Error::Dropped("the node stopped reporting on the transaction".into()))
	}

	/// Signs `call` with `signer` as [`Client::submit`] does and hands it to the node's pool,
	/// without following it: returns the transaction's hash once the pool accepted it. For many
	/// transactions of one signer in flight at once (their nonces follow each other); one the
	/// pool refused is [`Error::Invalid`]. Not followed, a transaction the pool drops later
	/// (past its limits) is not reported: it is never included, and the signer's later
	/// transactions wait behind its nonce — use [`Client::submit`] where that matters.
	pub async fn submit_to_pool<Call: Payload>(
		&self,
		call: &Call,
		signer: &Keypair,
	) -> Result<BlockHash, Error> {
		let params = self.params(signer).await?;
		let at = self.api.at_current_block().await?;
		at.transactions()
			.sign_and_submit(call, signer, params)
			.await
			.map_err(|e| match e {
				subxt::error::ExtrinsicError::ErrorSubmittingTransaction(e) => {
					Error::Invalid(e.to_string())
				},
				other => other.into(),
			})
	}

	/// The transaction's parameters: the nonce the node's pool expects next
	/// (`system_accountNextIndex` counts what waits in the pool), not the one in the finalised
	/// state subxt would read, so that a signer's transactions follow each other without waiting
	/// for finality; mortal for 32 blocks.
	async fn params(
		&self,
		signer: &Keypair,
	) -> Result<subxt::config::DefaultExtrinsicParams<MedchainConfig>, Error> {
		let signer_account = AccountId::from(signer.public_key());
		let nonce: u64 = self
			.request("system_accountNextIndex", rpc_params![signer_account.to_string()])
			.await?;
		Ok(subxt::config::DefaultExtrinsicParamsBuilder::<MedchainConfig>::new()
			.mortal(32)
			.nonce(nonce)
			.build())
	}

	/// The number of block `hash`.
	pub async fn block_number(&self, hash: BlockHash) -> Result<u32, Error> {
		block_number(&self.rpc, hash).await
	}

	/// The hash of the best block.
	pub async fn best_hash(&self) -> Result<BlockHash, Error> {
		self.request("chain_getBlockHash", rpc_params![]).await
	}

	/// A constant of the runtime at the best block (`runtime::constants().records()
	/// .max_anchors_per_call()` …): its value in the metadata of the runtime that block runs.
	pub async fn constant<A: subxt::constants::Address>(
		&self,
		address: A,
	) -> Result<A::Target, Error> {
		let at = self.api().at_block(self.best_hash().await?).await?;
		Ok(at.constants().entry(address)?)
	}

	/// The hash of the last finalised block.
	pub async fn finalised_hash(&self) -> Result<BlockHash, Error> {
		self.request("chain_getFinalizedHead", rpc_params![]).await
	}

	/// `consent_checkAccess`: may `accessor` do `action` on `category` of `patient`'s data
	/// for `purpose`, at block `at` (default: the best block)?
	pub async fn check_access(
		&self,
		patient: PatientId,
		accessor: &AccountId,
		category: Category,
		purpose: Purpose,
		action: Action,
		at: Option<BlockHash>,
	) -> Result<Decision, Error> {
		self.request(
			"consent_checkAccess",
			rpc_params![patient, accessor.to_string(), category, purpose, action, at],
		)
		.await
	}

	/// `consent_checkAccessBatch`: many questions (at most
	/// [`medchain_primitives::MAX_ACCESS_QUESTIONS`]) answered in one call, in order, at one
	/// block (default: the best block); what a gateway deciding for many readers asks. Each
	/// answer is the one `check_access` gives. A longer batch, or a block whose runtime
	/// predates the method (before runtime 105), is refused by the node ([`Error::Rpc`]).
	pub async fn check_access_batch(
		&self,
		questions: &[AccessQuestion<AccountId>],
		at: Option<BlockHash>,
	) -> Result<Vec<Decision>, Error> {
		let questions: Vec<AccessQuestion<String>> = questions
			.iter()
			.map(|q| AccessQuestion {
				patient: q.patient,
				accessor: q.accessor.to_string(),
				category: q.category,
				purpose: q.purpose,
				action: q.action,
			})
			.collect();
		self.request("consent_checkAccessBatch", rpc_params![questions, at]).await
	}

	/// `records_verify`: is `content_hash` the hash anchored for `record`?
	pub async fn verify(
		&self,
		record: RecordId,
		content_hash: Hash32,
		at: Option<BlockHash>,
	) -> Result<RecordVerification, Error> {
		self.request("records_verify", rpc_params![record, content_hash, at]).await
	}

	/// `records_verifyInBatch`: does `proof` (leaf to root) show that `content_hash` is leaf
	/// `index` of batch `batch`?
	pub async fn verify_in_batch(
		&self,
		batch: BatchId,
		content_hash: Hash32,
		index: u32,
		proof: &[Hash32],
		at: Option<BlockHash>,
	) -> Result<bool, Error> {
		self.request("records_verifyInBatch", rpc_params![batch, content_hash, index, proof, at])
			.await
	}

	/// `audit_trailHead`: `patient`'s audit trail head at block `at` (default: the best
	/// block).
	pub async fn trail_head(
		&self,
		patient: PatientId,
		at: Option<BlockHash>,
	) -> Result<TrailHead, Error> {
		self.request("audit_trailHead", rpc_params![patient, at]).await
	}

	/// Heights, peers, validators and runtime version.
	pub async fn status(&self) -> Result<ChainStatus, Error> {
		let chain: String = self.request("system_chain", rpc_params![]).await?;
		let health: serde_json::Value = self.request("system_health", rpc_params![]).await?;
		let best_hash = self.best_hash().await?;
		let best = self.block_number(best_hash).await?;
		let finalised = self.block_number(self.finalised_hash().await?).await?;
		let at = self.api.at_block(best_hash).await?;
		let validators = at
			.storage()
			.entry(crate::runtime::storage().session().validators())?
			.fetch(())
			.await?
			.decode()?
			.into_iter()
			.map(|v| v.to_string())
			.collect();
		let version: serde_json::Value =
			self.request("state_getRuntimeVersion", rpc_params![best_hash]).await?;
		let number = |field: &str| {
			version.get(field).and_then(|v| v.as_u64()).and_then(|v| u32::try_from(v).ok())
		};
		Ok(ChainStatus {
			chain,
			best,
			finalised,
			peers: health.get("peers").and_then(|p| p.as_u64()).unwrap_or(0),
			syncing: health.get("isSyncing").and_then(|s| s.as_bool()).unwrap_or(false),
			validators,
			spec_version: number("specVersion").unwrap_or(0),
			transaction_version: number("transactionVersion").unwrap_or(0),
		})
	}

	/// One JSON-RPC request, its answer deserialised.
	async fn request<R: DeserializeOwned>(
		&self,
		method: &str,
		params: subxt::rpcs::client::RpcParams,
	) -> Result<R, Error> {
		request(&self.rpc, method, params).await
	}
}

/// One JSON-RPC request over `rpc`, its answer deserialised; a failure names the method.
pub(crate) async fn request<R: DeserializeOwned>(
	rpc: &RpcClient,
	method: &str,
	params: subxt::rpcs::client::RpcParams,
) -> Result<R, Error> {
	rpc.request(method, params)
		.await
		.map_err(|e| Error::Rpc { method: method.into(), reason: e.to_string() })
}
