//! A connection to a medchain node: calls submitted and followed, reads at a named block.
//!
//! - **Reconnecting**: the connection is subxt's reconnecting RPC client; a node that restarts
//!   under a running client is reached again by itself, requests time out
//!   ([`ClientOptions::request_timeout`]) rather than hang.
//! - **Checked at connect**: the code generated from `client/metadata/medchain.scale` must fit
//!   the node's runtime, or [`Client::connect`] fails with [`Error::Metadata`] naming both
//!   runtime versions.
//! - **Any signer**: [`Client::submit`] takes any subxt `Signer` (a [`Keypair`](crate::Keypair),
//!   a remote or hardware one); [`Client::prepare`] hands out the payload for a signature made
//!   elsewhere (a browser wallet, an HSM) and [`Prepared::submit`] takes the signature back.
//! - **Nonces handed out here**: per signer, in order, without asking the node each time;
//!   at most [`ClientOptions::max_in_flight`] transactions of one signer in the pool at once
//!   (the chain's admission lets no more in); a nonce the pool calls stale or future makes the
//!   signer's count resynchronise from the node and the transaction be signed again.
//! - **Reads at a named block** ([`At`]): the best block, the last finalised one, or a hash;
//!   every answer that depends on it says which block it is from ([`Read`]).

use std::{
	collections::HashMap,
	sync::{Arc, Mutex as StdMutex},
	time::Duration,
};

use medchain_primitives::{
	AccessQuestion, Action, BatchId, Category, Decision, Hash32, PatientId, Purpose, RecordId,
	RecordVerification, TrailHead,
};
use serde::de::DeserializeOwned;
use subxt::{
	config::RpcConfigFor,
	rpcs::{
		client::{ReconnectingRpcClient, RpcClient},
		methods::LegacyRpcMethods,
		rpc_params,
	},
	transactions::{Payload, Signer, TransactionStatus},
	utils::MultiSignature,
	OnlineClient,
};
use tokio::sync::{Mutex, OwnedSemaphorePermit, Semaphore};

use crate::{runtime, scale::convert, AccountId, BlockHash, Error, MedchainConfig};

/// The spec version of the runtime whose metadata `client/metadata/medchain.scale` holds (a
/// test checks it against the runtime).
pub const GENERATED_FOR_SPEC_VERSION: u32 = 112;

/// The number of block `hash` (`chain_getHeader`).
pub(crate) async fn block_number(rpc: &RpcClient, hash: BlockHash) -> Result<u32, Error> {
	Ok(header(rpc, Some(hash)).await?.number)
}

/// Block `hash`, or the best block (`None`), from its header (`chain_getHeader`): its number,
/// and its hash computed as the node computes it (BLAKE2b-256 of the SCALE-encoded header).
pub(crate) async fn header(rpc: &RpcClient, hash: Option<BlockHash>) -> Result<BlockRef, Error> {
	let legacy = LegacyRpcMethods::<RpcConfigFor<MedchainConfig>>::new(rpc.clone());
	let header = legacy
		.chain_get_header(hash)
		.await
		.map_err(|e| Error::Rpc { method: "chain_getHeader".into(), reason: e.to_string() })?
		.ok_or_else(|| Error::Rpc {
			method: "chain_getHeader".into(),
			reason: match hash {
				Some(hash) => format!("no block {hash:?}"),
				None => "the node has no best block".into(),
			},
		})?;
	let number = u32::try_from(header.number).map_err(|_| Error::Conversion {
		what: "a block number".into(),
		reason: format!("{} does not fit 32 bits", header.number),
	})?;
	let hash = BlockHash::from(sp_crypto_hashing::blake2_256(&codec::Encode::encode(&header)));
	Ok(BlockRef { number, hash })
}

/// Which block a read is at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum At {
	/// The node's best block: the newest state, which a re-organisation may still replace.
	#[default]
	Best,
	/// The last block GRANDPA finalised: final, a few seconds older.
	Finalised,
	/// That block.
	Hash(BlockHash),
}

impl From<BlockHash> for At {
	fn from(hash: BlockHash) -> Self {
		At::Hash(hash)
	}
}

/// A block, named both ways.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BlockRef {
	pub number: u32,
	pub hash: BlockHash,
}

/// An answer, with the block it is from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Read<T> {
	pub value: T,
	pub at: BlockRef,
}

/// How a [`Client`] behaves.
#[derive(Clone, Debug)]
pub struct ClientOptions {
	/// How long one request may take before it fails with [`Error::Timeout`].
	pub request_timeout: Duration,
	/// The most transactions of one signer in the pool at once (the chain's admission
	/// `MaxInFlight`, 16): more wait their turn in the client.
	pub max_in_flight: usize,
	/// Whether to check at connect that the generated code fits the node's runtime.
	pub check_metadata: bool,
}

impl Default for ClientOptions {
	fn default() -> Self {
		Self { request_timeout: Duration::from_secs(30), max_in_flight: 16, check_metadata: true }
	}
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
	/// The transaction's hash.
	pub tx_hash: BlockHash,
	/// The transaction's events (decode them with `events.find_first::<runtime::…::events::…>()`).
	pub events: subxt::extrinsics::ExtrinsicEvents<MedchainConfig>,
}

impl std::fmt::Debug for Submitted {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.debug_struct("Submitted")
			.field("block_hash", &self.block_hash)
			.field("block_number", &self.block_number)
			.field("tx_hash", &self.tx_hash)
			.finish_non_exhaustive()
	}
}

/// What an operator looks at first: heights, peers, runtime.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainStatus {
	/// The chain's name (from the chain spec).
	pub chain: String,
	/// The genesis block's hash, whole: what an operator publishes and a new node checks.
	pub genesis_hash: BlockHash,
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

/// One signer's nonces: the next to hand out (`None`: ask the node), and its places in the pool.
struct Slot {
	next: Mutex<Option<u64>>,
	in_flight: Arc<Semaphore>,
}

/// A nonce handed out, with the signer's place in the pool it holds until the transaction is
/// included or refused. Dropped unused (a signature that never came), it makes the signer's
/// count resynchronise: later nonces would wait behind the gap.
struct Ticket {
	nonce: u64,
	slot: Arc<Slot>,
	used: bool,
	_permit: OwnedSemaphorePermit,
}

impl Drop for Ticket {
	fn drop(&mut self) {
		if !self.used {
			if let Ok(mut next) = self.slot.next.try_lock() {
				*next = None;
			}
		}
	}
}

struct Inner {
	api: OnlineClient<MedchainConfig>,
	rpc: RpcClient,
	legacy: LegacyRpcMethods<RpcConfigFor<MedchainConfig>>,
	url: String,
	options: ClientOptions,
	slots: StdMutex<HashMap<[u8; 32], Arc<Slot>>>,
}

/// A connection to one medchain node, over WebSocket. Cheap to clone: clones share the
/// connection and the signers' nonces.
#[derive(Clone)]
pub struct Client {
	inner: Arc<Inner>,
}

/// A transaction prepared for a signature made elsewhere: [`Prepared::payload`] is what the
/// signer signs (a browser wallet, an HSM); [`Prepared::submit`] takes the signature back and
/// submits. It holds the signer's nonce and its place in the pool until then.
pub struct Prepared<'call, Call> {
	client: Client,
	account: AccountId,
	signable: subxt::transactions::SignableTransaction<
		'call,
		MedchainConfig,
		subxt::client::OnlineClientAtBlockImpl<MedchainConfig>,
		Call,
	>,
	ticket: Ticket,
}

impl<Call: Payload> Prepared<'_, Call> {
	/// The bytes to sign (the transaction's signer payload).
	pub fn payload(&self) -> Result<Vec<u8>, Error> {
		Ok(self.signable.signer_payload()?)
	}

	/// The nonce the transaction carries.
	pub fn nonce(&self) -> u64 {
		self.ticket.nonce
	}

	/// Submits the transaction with `signature` (the signer's over [`Prepared::payload`]) and
	/// follows it until `wait`, as [`Client::submit`] does.
	pub async fn submit(
		mut self,
		signature: MultiSignature,
		wait: Wait,
	) -> Result<Submitted, Error> {
		let tx = self.signable.sign_with_account_and_signature(&self.account, &signature)?;
		self.ticket.used = true;
		let client = self.client.clone();
		let outcome = client.follow(&tx, wait).await;
		client.settle(&self.ticket, &outcome).await;
		outcome
	}
}

/// subxt's reconnecting connection with every request bounded by the request timeout. While
/// that connection re-establishes a lost one it holds new requests until it is back, however
/// long that takes (subxt-rpcs 0.51): a node that stays down must be a named failure
/// ([`ErrorClass::Unavailable`](crate::ErrorClass)) within the timeout, not a wait without end.
struct Bounded {
	inner: ReconnectingRpcClient,
	limit: Duration,
}

impl Bounded {
	fn late(&self, what: &str) -> subxt::rpcs::Error {
		subxt::rpcs::Error::Client(
			format!(
				"no answer to {what} within {} s (the node is down or the connection is being re-established)",
				self.limit.as_secs()
			)
			.into(),
		)
	}
}

impl subxt::rpcs::client::RpcClientT for Bounded {
	fn request_raw<'a>(
		&'a self,
		method: &'a str,
		params: Option<Box<subxt::rpcs::client::RawValue>>,
	) -> subxt::rpcs::client::RawRpcFuture<'a, Box<subxt::rpcs::client::RawValue>> {
		Box::pin(async move {
			tokio::time::timeout(
				self.limit,
				subxt::rpcs::client::RpcClientT::request_raw(&self.inner, method, params),
			)
			.await
			.map_err(|_| self.late(method))?
		})
	}

	fn subscribe_raw<'a>(
		&'a self,
		sub: &'a str,
		params: Option<Box<subxt::rpcs::client::RawValue>>,
		unsub: &'a str,
	) -> subxt::rpcs::client::RawRpcFuture<'a, subxt::rpcs::client::RawRpcSubscription> {
		Box::pin(async move {
			tokio::time::timeout(
				self.limit,
				subxt::rpcs::client::RpcClientT::subscribe_raw(&self.inner, sub, params, unsub),
			)
			.await
			.map_err(|_| self.late(sub))?
		})
	}
}

impl Client {
	/// Connects to the node at `url` (`ws://` or `wss://`) with the default
	/// [`ClientOptions`]. Fails with [`Error::Connect`] naming the URL if nothing answers there
	/// within the request timeout, or with [`Error::Metadata`] if the node runs a runtime this
	/// client was not generated for.
	pub async fn connect(url: &str) -> Result<Self, Error> {
		Self::connect_with(url, ClientOptions::default()).await
	}

	/// [`Client::connect`] with `options`.
	pub async fn connect_with(url: &str, options: ClientOptions) -> Result<Self, Error> {
		let connect =
			|e: &dyn std::fmt::Display| Error::Connect { url: url.into(), reason: e.to_string() };
		use subxt::rpcs::client::reconnecting_rpc_client::ExponentialBackoff;
		let reconnecting = ReconnectingRpcClient::builder()
			.retry_policy(ExponentialBackoff::from_millis(50).max_delay(Duration::from_secs(3)))
			.request_timeout(options.request_timeout)
			.connection_timeout(options.request_timeout)
			.build(url);
		// The first connection is retried by the policy forever: bound it.
		let reconnecting = tokio::time::timeout(options.request_timeout, reconnecting)
			.await
			.map_err(|_| connect(&"no answer within the request timeout"))?
			.map_err(|e| connect(&e))?;
		let rpc = RpcClient::new(Bounded { inner: reconnecting, limit: options.request_timeout });
		let config = subxt::PolkadotConfig::builder().use_historic_types(false).build();
		// The legacy backend (`author_submitAndWatchExtrinsic`, `state_*`, `chain_*`): each
		// request and each transaction's watch stands alone, so they carry on over a
		// connection that was re-established. subxt's default also follows the chain with one
		// `chainHead_v1_follow` subscription for the client's life, which ends with the
		// connection and is not followed again: every later submission failed after a node
		// restart (`chainHead_follow stream ended unexpectedly`).
		let backend = subxt::backend::LegacyBackend::<MedchainConfig>::builder().build(rpc.clone());
		let api = OnlineClient::from_backend_with_config(config, Arc::new(backend))
			.await
			.map_err(|e| connect(&e))?;
		let legacy = LegacyRpcMethods::new(rpc.clone());
		let client = Self {
			inner: Arc::new(Inner {
				api,
				rpc,
				legacy,
				url: url.into(),
				options,
				slots: StdMutex::new(HashMap::new()),
			}),
		};
		if client.inner.options.check_metadata {
			client.check_metadata().await?;
		}
		Ok(client)
	}

	/// Fails with [`Error::Metadata`] unless the code generated from
	/// `client/metadata/medchain.scale` fits the runtime of the best block (its pallets and
	/// runtime APIs, compared by hash).
	pub async fn check_metadata(&self) -> Result<(), Error> {
		let at = self.inner.api.at_block(self.best_hash().await?).await?;
		if runtime::is_codegen_valid_for(at.metadata_ref()) {
			return Ok(());
		}
		Err(Error::Metadata {
			expected: GENERATED_FOR_SPEC_VERSION,
			found: at.spec_version(),
			reason:
				"its pallets or runtime APIs differ from the ones this client was generated for"
					.into(),
		})
	}

	/// The node's address, as given to [`Client::connect`].
	pub fn url(&self) -> &str {
		&self.inner.url
	}

	/// subxt's client, for everything this crate does not wrap (storage, constants, blocks).
	pub fn api(&self) -> &OnlineClient<MedchainConfig> {
		&self.inner.api
	}

	/// The node's raw JSON-RPC client.
	pub fn rpc(&self) -> &RpcClient {
		&self.inner.rpc
	}

	/// The chain's genesis hash (what signed requests and attestations are bound to).
	pub fn genesis_hash(&self) -> BlockHash {
		self.inner.api.genesis_hash()
	}

	/// `what` within the request timeout, or [`Error::Timeout`].
	async fn timed<R>(
		&self,
		what: &str,
		future: impl std::future::Future<Output = Result<R, Error>>,
	) -> Result<R, Error> {
		let limit = self.inner.options.request_timeout;
		tokio::time::timeout(limit, future)
			.await
			.map_err(|_| Error::Timeout { what: what.into(), seconds: limit.as_secs() })?
	}

	fn slot(&self, account: &AccountId) -> Arc<Slot> {
		let mut slots = self.inner.slots.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		slots
			.entry(account.0)
			.or_insert_with(|| {
				Arc::new(Slot {
					next: Mutex::new(None),
					in_flight: Arc::new(Semaphore::new(self.inner.options.max_in_flight.max(1))),
				})
			})
			.clone()
	}

	/// The next nonce of `account` and a place in the pool: waits while the signer has
	/// `max_in_flight` transactions in flight.
	async fn ticket(&self, account: &AccountId) -> Result<Ticket, Error> {
		let slot = self.slot(account);
		let permit = slot
			.in_flight
			.clone()
			.acquire_owned()
			.await
			.map_err(|_| Error::Input("the client is shutting down".into()))?;
		let mut next = slot.next.lock().await;
		let nonce = match *next {
			Some(n) => n,
			None => {
				self.timed("system_accountNextIndex", async {
					self.inner.legacy.system_account_next_index(account).await.map_err(|e| {
						Error::Rpc {
							method: "system_accountNextIndex".into(),
							reason: e.to_string(),
						}
					})
				})
				.await?
			},
		};
		*next = Some(nonce.saturating_add(1));
		drop(next);
		Ok(Ticket { nonce, slot: slot.clone(), used: false, _permit: permit })
	}

	/// After a transaction with `ticket`'s nonce ended: a nonce the pool refused (stale,
	/// future) or a transaction it never took makes the signer's count resynchronise.
	async fn settle(&self, ticket: &Ticket, outcome: &Result<Submitted, Error>) {
		let resync = match outcome {
			Ok(_) | Err(Error::Dispatch { .. }) | Err(Error::Failed(_)) => false,
			Err(_) => true,
		};
		if resync {
			*ticket.slot.next.lock().await = None;
		}
	}

	/// The transaction's parameters: `nonce`, mortal for 32 blocks from block `at` (the last
	/// finalised one: a transaction stays valid across a re-organisation of the best chain).
	fn params(
		nonce: u64,
		at: &subxt::client::ClientAtBlock<
			MedchainConfig,
			subxt::client::OnlineClientAtBlockImpl<MedchainConfig>,
		>,
	) -> subxt::config::DefaultExtrinsicParams<MedchainConfig> {
		subxt::config::DefaultExtrinsicParamsBuilder::<MedchainConfig>::new()
			.mortal_from_unchecked(32, at.block_number(), at.block_hash())
			.nonce(nonce)
			.build()
	}

	/// Signs `call` with `signer` (the signer's next nonce, from this client's count; mortal
	/// for 32 blocks), submits it and follows it until `wait`. A call the chain refused to
	/// dispatch fails with [`Error::Dispatch`] (`records.NoAppendGrant: …`); one the pool
	/// refused (a bad nonce, an account admission does not let in) with [`Error::Invalid`];
	/// either way nothing changed. A nonce the pool calls stale or future is resynchronised
	/// and the call signed again (twice at most); a signer with too much in the pool waits
	/// its turn in the client, and when the pool still says so, for the next block.
	pub async fn submit<Call: Payload, S: Signer<MedchainConfig>>(
		&self,
		call: &Call,
		signer: &S,
		wait: Wait,
	) -> Result<Submitted, Error> {
		let account = signer.account_id();
		let mut attempt = 0;
		loop {
			let mut ticket = self.ticket(&account).await?;
			let at = self.inner.api.at_current_block().await?;
			let tx = at
				.transactions()
				.create_signable_offline(call, Self::params(ticket.nonce, &at))?
				.sign(signer)?;
			ticket.used = true;
			let outcome = self.follow(&tx, wait).await;
			self.settle(&ticket, &outcome).await;
			drop(ticket);
			match outcome {
				Err(e) if attempt < 2 && e.is_nonce_problem() => attempt += 1,
				Err(e) if attempt < 5 && e.is_rate_limited() => {
					attempt += 1;
					tokio::time::sleep(Duration::from_secs(3)).await;
				},
				other => return other,
			}
		}
	}

	/// Submits `call` unsigned (what the runtime takes without a signature: an authorised
	/// runtime upgrade) and follows it until `wait`.
	pub async fn submit_unsigned<Call: Payload>(
		&self,
		call: &Call,
		wait: Wait,
	) -> Result<Submitted, Error> {
		let at = self.inner.api.at_current_block().await?;
		let tx = at.transactions().create_unsigned(call)?;
		self.follow(&tx, wait).await
	}

	/// Prepares `call` for `account` to sign elsewhere: the nonce is this client's next for
	/// it (the place is held until [`Prepared::submit`] or until dropped).
	pub async fn prepare<'call, Call: Payload>(
		&self,
		call: &'call Call,
		account: &AccountId,
	) -> Result<Prepared<'call, Call>, Error> {
		let ticket = self.ticket(account).await?;
		let at = self.inner.api.at_current_block().await?;
		let signable = at
			.transactions()
			.create_signable_offline(call, Self::params(ticket.nonce, &at))?;
		Ok(Prepared { client: self.clone(), account: *account, signable, ticket })
	}

	/// Submits a signed transaction and follows it until `wait`.
	async fn follow(
		&self,
		tx: &subxt::transactions::SubmittableTransaction<
			MedchainConfig,
			subxt::client::OnlineClientAtBlockImpl<MedchainConfig>,
		>,
		wait: Wait,
	) -> Result<Submitted, Error> {
		let tx_hash = tx.hash();
		let mut progress = self
			.timed("author_submitAndWatchExtrinsic", async {
				tx.submit_and_watch().await.map_err(|e| match e {
					subxt::error::ExtrinsicError::ErrorSubmittingTransaction(e) => {
						Error::Invalid(e.to_string())
					},
					other => other.into(),
				})
			})
			.await?;
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
			return Ok(Submitted { block_hash, block_number, tx_hash, events });
		}
		Err(Error::Dropped("the node stopped reporting on the transaction".into()))
	}

	/// Signs `call` with `signer` as [`Client::submit`] does and hands it to the node's pool,
	/// without following it: returns the transaction's hash once the pool accepted it. For many
	/// transactions of one signer in flight at once (their nonces follow each other); one the
	/// pool refused is [`Error::Invalid`]. Not followed, a transaction the pool drops later
	/// (past its limits) is not reported: it is never included, and the signer's later
	/// transactions wait behind its nonce — use [`Client::submit`] where that matters.
	pub async fn submit_to_pool<Call: Payload, S: Signer<MedchainConfig>>(
		&self,
		call: &Call,
		signer: &S,
	) -> Result<BlockHash, Error> {
		let account = signer.account_id();
		let mut ticket = self.ticket(&account).await?;
		let at = self.inner.api.at_current_block().await?;
		let tx = at
			.transactions()
			.create_signable_offline(call, Self::params(ticket.nonce, &at))?
			.sign(signer)?;
		ticket.used = true;
		let submitted = tx.submit().await.map_err(|e| match e {
			subxt::error::ExtrinsicError::ErrorSubmittingTransaction(e) => {
				Error::Invalid(e.to_string())
			},
			other => other.into(),
		});
		if submitted.is_err() {
			*ticket.slot.next.lock().await = None;
		}
		submitted
	}

	/// The block `at` names.
	pub async fn block(&self, at: At) -> Result<BlockRef, Error> {
		let hash = match at {
			At::Best => return self.best_block().await,
			At::Finalised => self.finalised_hash().await?,
			At::Hash(hash) => hash,
		};
		Ok(BlockRef { number: self.block_number(hash).await?, hash })
	}

	/// The best block, in one round trip: its header (`chain_getHeader` without a hash), hashed
	/// here as the node hashes it (BLAKE2b-256 of the SCALE-encoded header). Asking for the
	/// hash and then for its header would be two.
	pub async fn best_block(&self) -> Result<BlockRef, Error> {
		self.timed("chain_getHeader", header(&self.inner.rpc, None)).await
	}

	/// The number of block `hash`.
	pub async fn block_number(&self, hash: BlockHash) -> Result<u32, Error> {
		self.timed("chain_getHeader", block_number(&self.inner.rpc, hash)).await
	}

	/// The hash of the best block.
	pub async fn best_hash(&self) -> Result<BlockHash, Error> {
		self.timed("chain_getBlockHash", async {
			self.inner
				.legacy
				.chain_get_block_hash(None)
				.await
				.map_err(|e| Error::Rpc {
					method: "chain_getBlockHash".into(),
					reason: e.to_string(),
				})?
				.ok_or_else(|| Error::Rpc {
					method: "chain_getBlockHash".into(),
					reason: "the node has no best block".into(),
				})
		})
		.await
	}

	/// The hash of the last finalised block.
	pub async fn finalised_hash(&self) -> Result<BlockHash, Error> {
		self.timed("chain_getFinalizedHead", async {
			self.inner.legacy.chain_get_finalized_head().await.map_err(|e| Error::Rpc {
				method: "chain_getFinalizedHead".into(),
				reason: e.to_string(),
			})
		})
		.await
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

	/// A runtime API call at block `at`, its answer converted to `medchain-primitives`' type.
	async fn runtime_api<P, R>(&self, what: &str, payload: P, at: At) -> Result<Read<R>, Error>
	where
		P: subxt::runtime_apis::Payload,
		P::ReturnType: codec::Encode,
		R: codec::Decode,
	{
		let block = self.block(at).await?;
		let value: P::ReturnType = self
			.timed(what, async {
				let client = self.inner.api.at_block(block.hash).await?;
				Ok(client.runtime_apis().call(payload).await?)
			})
			.await?;
		Ok(Read { value: convert(&value)?, at: block })
	}

	/// The consent decision (`ConsentApi::check_access`): may `accessor` do `action` on
	/// `category` of `patient`'s data for `purpose`, at block `at`?
	pub async fn decide(
		&self,
		patient: PatientId,
		accessor: &AccountId,
		category: Category,
		purpose: Purpose,
		action: Action,
		at: At,
	) -> Result<Read<Decision>, Error> {
		let payload = runtime::runtime_apis().consent_api().check_access(
			patient,
			*accessor,
			convert(&category)?,
			convert(&purpose)?,
			convert(&action)?,
		);
		self.runtime_api("ConsentApi_check_access", payload, at).await
	}

	/// Many decisions (`ConsentApi::check_access_batch`, at most
	/// [`medchain_primitives::MAX_ACCESS_QUESTIONS`]) at one block, in order: what a gateway
	/// deciding for many readers asks.
	pub async fn decide_batch(
		&self,
		questions: &[AccessQuestion<AccountId>],
		at: At,
	) -> Result<Read<Vec<Decision>>, Error> {
		if questions.len() > medchain_primitives::MAX_ACCESS_QUESTIONS as usize {
			return Err(Error::TooMany {
				call: "ConsentApi_check_access_batch",
				max: medchain_primitives::MAX_ACCESS_QUESTIONS,
				given: questions.len(),
			});
		}
		let payload = runtime::runtime_apis()
			.consent_api()
			.check_access_batch(convert(&questions.to_vec())?);
		self.runtime_api("ConsentApi_check_access_batch", payload, at).await
	}

	/// `consent_checkAccess`: [`Client::decide`] at `at` (default: the best block), the answer
	/// alone.
	pub async fn check_access(
		&self,
		patient: PatientId,
		accessor: &AccountId,
		category: Category,
		purpose: Purpose,
		action: Action,
		at: Option<BlockHash>,
	) -> Result<Decision, Error> {
		let at = at.map_or(At::Best, At::Hash);
		Ok(self.decide(patient, accessor, category, purpose, action, at).await?.value)
	}

	/// [`Client::decide_batch`] at `at` (default: the best block), the answers alone.
	pub async fn check_access_batch(
		&self,
		questions: &[AccessQuestion<AccountId>],
		at: Option<BlockHash>,
	) -> Result<Vec<Decision>, Error> {
		Ok(self.decide_batch(questions, at.map_or(At::Best, At::Hash)).await?.value)
	}

	/// `RecordsApi::verify`: is `content_hash` the hash anchored for `record`, and what is that
	/// version's status, at `at`?
	pub async fn verify_record(
		&self,
		record: RecordId,
		content_hash: Hash32,
		at: At,
	) -> Result<Read<RecordVerification>, Error> {
		let payload = runtime::runtime_apis().records_api().verify(record, content_hash);
		self.runtime_api("RecordsApi_verify", payload, at).await
	}

	/// [`Client::verify_record`] at `at` (default: the best block), the answer alone.
	pub async fn verify(
		&self,
		record: RecordId,
		content_hash: Hash32,
		at: Option<BlockHash>,
	) -> Result<RecordVerification, Error> {
		Ok(self
			.verify_record(record, content_hash, at.map_or(At::Best, At::Hash))
			.await?
			.value)
	}

	/// `RecordsApi::verify_in_batch`: does `proof` (leaf to root) show that `content_hash` is
	/// leaf `index` of batch `batch`?
	pub async fn verify_in_batch(
		&self,
		batch: BatchId,
		content_hash: Hash32,
		index: u32,
		proof: &[Hash32],
		at: Option<BlockHash>,
	) -> Result<bool, Error> {
		let proof: medchain_primitives::MerkleProof = proof.to_vec().try_into().map_err(|_| {
			Error::Input(format!("a proof of {} hashes is longer than any batch's", proof.len()))
		})?;
		let payload = runtime::runtime_apis().records_api().verify_in_batch(
			batch,
			content_hash,
			index,
			convert(&proof)?,
		);
		Ok(self
			.runtime_api::<_, bool>(
				"RecordsApi_verify_in_batch",
				payload,
				at.map_or(At::Best, At::Hash),
			)
			.await?
			.value)
	}

	/// `AuditApi::trail_head`: `patient`'s audit trail head at `at`.
	pub async fn trail(&self, patient: PatientId, at: At) -> Result<Read<TrailHead>, Error> {
		let payload = runtime::runtime_apis().audit_api().trail_head(patient);
		self.runtime_api("AuditApi_trail_head", payload, at).await
	}

	/// [`Client::trail`] at `at` (default: the best block), the head alone.
	pub async fn trail_head(
		&self,
		patient: PatientId,
		at: Option<BlockHash>,
	) -> Result<TrailHead, Error> {
		Ok(self.trail(patient, at.map_or(At::Best, At::Hash)).await?.value)
	}

	/// Heights, peers, validators, runtime version and the genesis hash.
	pub async fn status(&self) -> Result<ChainStatus, Error> {
		let rpc = |method: &'static str| {
			move |e: subxt::rpcs::Error| Error::Rpc { method: method.into(), reason: e.to_string() }
		};
		let legacy = &self.inner.legacy;
		let chain = legacy.system_chain().await.map_err(rpc("system_chain"))?;
		let health = legacy.system_health().await.map_err(rpc("system_health"))?;
		let best_hash = self.best_hash().await?;
		let best = self.block_number(best_hash).await?;
		let finalised = self.block_number(self.finalised_hash().await?).await?;
		let at = self.inner.api.at_block(best_hash).await?;
		let validators = at
			.storage()
			.entry(crate::runtime::storage().session().validators())?
			.fetch(())
			.await?
			.decode()?
			.into_iter()
			.map(|v| v.to_string())
			.collect();
		Ok(ChainStatus {
			chain,
			genesis_hash: self.genesis_hash(),
			best,
			finalised,
			peers: health.peers as u64,
			syncing: health.is_syncing,
			validators,
			spec_version: at.spec_version(),
			transaction_version: at.transaction_version(),
		})
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

#[allow(unused_imports)]
use rpc_params as _;
