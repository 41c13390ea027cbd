//! The node's JSON-RPC methods beyond the ones Substrate's service always offers:
//! `system_accountNextIndex`, and medchain's runtime APIs (`consent_checkAccess`,
//! `consent_checkAccessBatch`, `records_verify`, `records_verifyInBatch`, `audit_trailHead`),
//! each answering at the best block or at the block hash given as the last parameter.

use std::sync::Arc;

use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::ErrorObjectOwned, RpcModule};
use medchain_primitives::{
	AccessQuestion, AccessQuestions, Action, BatchId, Category, Decision, Hash32, MerkleProof,
	PatientId, Purpose, RecordId, RecordVerification, TrailHead, MAX_ACCESS_QUESTIONS,
};
use medchain_runtime::{opaque::Block, AccountId, Nonce};
use pallet_audit_runtime_api::AuditApi;
use pallet_consent_runtime_api::ConsentApi;
use pallet_records_runtime_api::RecordsApi;
use sc_transaction_pool_api::TransactionPool;
use sp_api::{ApiError, ApiExt, ApiRef, ProvideRuntimeApi};
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};
use sp_runtime::traits::Block as BlockT;

/// What the RPC methods need from the node.
pub struct FullDeps<C, P> {
	/// The client, to call runtime APIs and read state.
	pub client: Arc<C>,
	/// The transaction pool, for `system_accountNextIndex`.
	pub pool: Arc<P>,
}

/// The error code of a runtime API call that failed (e.g. an unknown block hash).
const RUNTIME_ERROR: i32 = 1;

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(RUNTIME_ERROR, "the runtime could not answer", Some(e.to_string()))
}

/// The error code of a method the runtime at the block asked about does not have (it predates
/// the method: its runtime API is of an older version).
const NOT_IN_THIS_RUNTIME: i32 = 2;

fn proof_too_long(len: usize) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(
		jsonrpsee::types::error::INVALID_PARAMS_CODE,
		"a batch proof has at most 32 hashes",
		Some(format!("got {len}")),
	)
}

fn too_many_questions(len: usize) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(
		jsonrpsee::types::error::INVALID_PARAMS_CODE,
		format!("a batch holds at most {MAX_ACCESS_QUESTIONS} questions"),
		Some(format!("got {len}")),
	)
}

/// `consent_*`: the consent pallet's decision.
#[rpc(server)]
pub trait ConsentRpc<BlockHash> {
	/// May `accessor` do `action` on `category` of `patient`'s data for `purpose`? Answered
	/// with the chain's state and time at block `at` (default: the best block).
	///
	/// Parameters: patient id (number), accessor (SS58 address), category (`"LabResults"` …),
	/// purpose (`"Treatment"` …), action (`"Read"`, `"Append"`, `"Share"`), optional block hash.
	/// Answer: `{"Permit": {"grantId", "until"}}`, `{"PermitEmergency": {"accessId", "until"}}`,
	/// `{"Deny": reason}` or `"EmergencyOnly"`.
	#[method(name = "consent_checkAccess", blocking)]
	fn check_access(
		&self,
		patient: PatientId,
		accessor: AccountId,
		category: Category,
		purpose: Purpose,
		action: Action,
		at: Option<BlockHash>,
	) -> RpcResult<Decision>;

	/// Many questions at once, for a gateway deciding for many readers: each answered as
	/// `consent_checkAccess` answers it, at the same block, in the same order.
	///
	/// Parameters: a list of at most 1 024 questions
	/// `{"patient", "accessor", "category", "purpose", "action"}` (as `consent_checkAccess`'s
	/// parameters), optional block hash. Answer: a list of decisions. A longer list is refused
	/// with an invalid-params error; a block whose runtime predates the method (before runtime
	/// 105) with error 2.
	#[method(name = "consent_checkAccessBatch", blocking)]
	fn check_access_batch(
		&self,
		questions: Vec<AccessQuestion<AccountId>>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<Decision>>;
}

/// Serves medchain's RPC methods ([`ConsentRpcServer`], [`RecordsRpcServer`],
/// [`AuditRpcServer`]) from the client's runtime APIs: each method is one runtime API call at
/// the block asked for, or the best block.
pub struct RuntimeRpc<C> {
	client: Arc<C>,
}

impl<C> RuntimeRpc<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block>,
{
	/// Calls the runtime API `call` at block `at` (default: the best block).
	fn at<R>(
		&self,
		at: Option<<Block as BlockT>::Hash>,
		call: impl FnOnce(ApiRef<'_, C::Api>, <Block as BlockT>::Hash) -> Result<R, ApiError>,
	) -> RpcResult<R> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		call(self.client.runtime_api(), at).map_err(runtime_error)
	}
}

impl<C> ConsentRpcServer<<Block as BlockT>::Hash> for RuntimeRpc<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: ConsentApi<Block, AccountId>,
{
	fn check_access(
		&self,
		patient: PatientId,
		accessor: AccountId,
		category: Category,
		purpose: Purpose,
		action: Action,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Decision> {
		self.at(at, |api, at| api.check_access(at, patient, accessor, category, purpose, action))
	}

	fn check_access_batch(
		&self,
		questions: Vec<AccessQuestion<AccountId>>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<Vec<Decision>> {
		// Refused here, before the runtime is asked to decode it.
		let len = questions.len();
		let questions =
			AccessQuestions::try_from(questions).map_err(|_| too_many_questions(len))?;
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let api = self.client.runtime_api();
		let version = api
			.api_version::<dyn ConsentApi<Block, AccountId>>(at)
			.map_err(runtime_error)?
			.unwrap_or(0);
		if version < 2 {
			return Err(ErrorObjectOwned::owned(
				NOT_IN_THIS_RUNTIME,
				"the runtime at this block has no batch decision: ask consent_checkAccess",
				Some(format!("ConsentApi version {version}, the batch needs 2 (runtime 105)")),
			));
		}
		api.check_access_batch(at, questions).map_err(runtime_error)
	}
}

/// `records_*`: verification of record anchors.
#[rpc(server)]
pub trait RecordsRpc<BlockHash> {
	/// Is `content_hash` (0x-hex, 32 bytes) the hash anchored for record `record_id`, at block
	/// `at` (default: the best block)? Answer: `{"Matches": {"status": "Current"}}`,
	/// `{"Mismatch": {"status": …}}` or `"UnknownRecord"`.
	#[method(name = "records_verify", blocking)]
	fn verify(
		&self,
		record_id: RecordId,
		content_hash: Hash32,
		at: Option<BlockHash>,
	) -> RpcResult<RecordVerification>;

	/// Does `proof` (0x-hex hashes, leaf to root, at most 32) show that the record with
	/// `content_hash` is leaf `index` of batch `batch_id`? Answer: `true` or `false`; a longer
	/// proof is refused with an invalid-params error.
	#[method(name = "records_verifyInBatch", blocking)]
	fn verify_in_batch(
		&self,
		batch_id: BatchId,
		content_hash: Hash32,
		index: u32,
		proof: Vec<Hash32>,
		at: Option<BlockHash>,
	) -> RpcResult<bool>;
}

impl<C> RecordsRpcServer<<Block as BlockT>::Hash> for RuntimeRpc<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: RecordsApi<Block>,
{
	fn verify(
		&self,
		record_id: RecordId,
		content_hash: Hash32,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<RecordVerification> {
		self.at(at, |api, at| api.verify(at, record_id, content_hash))
	}

	fn verify_in_batch(
		&self,
		batch_id: BatchId,
		content_hash: Hash32,
		index: u32,
		proof: Vec<Hash32>,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<bool> {
		// Refused here, before the runtime is asked to allocate it (L-12).
		let len = proof.len();
		let proof = MerkleProof::try_from(proof).map_err(|_| proof_too_long(len))?;
		self.at(at, |api, at| api.verify_in_batch(at, batch_id, content_hash, index, proof))
	}
}

/// `audit_*`: the heads of the audit trails.
#[rpc(server)]
pub trait AuditRpc<BlockHash> {
	/// `patient`'s audit trail head at block `at` (default: the best block):
	/// `{"lastSeq": n, "head": "0x…"}` (0 and all zeros for an empty trail).
	#[method(name = "audit_trailHead", blocking)]
	fn trail_head(&self, patient: PatientId, at: Option<BlockHash>) -> RpcResult<TrailHead>;
}

impl<C> AuditRpcServer<<Block as BlockT>::Hash> for RuntimeRpc<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: AuditApi<Block>,
{
	fn trail_head(
		&self,
		patient: PatientId,
		at: Option<<Block as BlockT>::Hash>,
	) -> RpcResult<TrailHead> {
		self.at(at, |api, at| api.trail_head(at, patient))
	}
}

/// The node's RPC methods.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: ConsentApi<Block, AccountId>,
	C::Api: RecordsApi<Block>,
	C::Api: AuditApi<Block>,
	C::Api: BlockBuilder<Block>,
	P: TransactionPool + 'static,
{
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool } = deps;
	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(ConsentRpcServer::into_rpc(RuntimeRpc { client: client.clone() }))?;
	module.merge(RecordsRpcServer::into_rpc(RuntimeRpc { client: client.clone() }))?;
	module.merge(AuditRpcServer::into_rpc(RuntimeRpc { client }))?;
	Ok(module)
}
