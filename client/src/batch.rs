//! Batch anchoring: many documents, one Merkle root on chain (`records.anchor_batch`), and for
//! each document a [`Proof`] that it is in the batch, checked by `records_verifyInBatch`.
//! The tree is `medchain-merkle`'s (RFC 9162 over BLAKE2b-256), the chain's.

use medchain_primitives::{BatchId, Category, Hash32};
use serde::{Deserialize, Serialize};

use crate::{runtime, AccountId, BlockHash, Client, Error};

/// That document `content_hash` is leaf `index` of the `count` leaves under `merkle_root`,
/// anchored as batch `batch_id`: what `records batch` writes next to each document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Proof {
	pub batch_id: BatchId,
	pub merkle_root: Hash32,
	pub count: u32,
	pub index: u32,
	pub content_hash: Hash32,
	/// The sibling hashes, leaf to root.
	pub path: Vec<Hash32>,
}

/// The Merkle root of `hashes` (in order), as the chain computes it; `None` for no hashes.
pub fn root(hashes: &[Hash32]) -> Option<Hash32> {
	let leaves: Vec<[u8; 32]> = hashes.iter().map(|h| h.0).collect();
	medchain_merkle::root(&leaves).map(Hash32::from)
}

/// The proofs of every leaf of a batch anchored as `batch_id`: the tree built once, every proof
/// from the same pass (`medchain_merkle::root_and_proofs`, O(n log n)).
pub fn proofs(batch_id: BatchId, hashes: &[Hash32]) -> Result<Vec<Proof>, Error> {
	let leaves: Vec<[u8; 32]> = hashes.iter().map(|h| h.0).collect();
	let count = u32::try_from(hashes.len())
		.map_err(|_| Error::Input("too many documents for one batch".into()))?;
	let (merkle_root, paths) = medchain_merkle::root_and_proofs(&leaves)
		.ok_or_else(|| Error::Input("an empty batch".into()))?;
	let merkle_root = Hash32::from(merkle_root);
	Ok(paths
		.into_iter()
		.zip(hashes)
		.zip(0u32..)
		.map(|((path, content_hash), index)| Proof {
			batch_id,
			merkle_root,
			count,
			index,
			content_hash: *content_hash,
			path: path.into_iter().map(Hash32::from).collect(),
		})
		.collect())
}

impl Client {
	/// The most documents one batch may hold (`Records::MaxBatchSize`).
	pub async fn max_batch_size(&self) -> Result<u32, Error> {
		self.constant(runtime::constants().records().max_batch_size()).await
	}

	/// The id the next batch anchored will get (`Records::NextBatchId`).
	pub async fn next_batch_id(&self) -> Result<BatchId, Error> {
		let at = self.api().at_block(self.best_hash().await?).await?;
		let next = at
			.storage()
			.entry(runtime::storage().records().next_batch_id())?
			.fetch(())
			.await?;
		Ok(next.decode()?)
	}

	/// The batch with `merkle_root` and `category` that `author` anchored with an id of at least
	/// `from`, at block `at` (default: the best): how a run that was interrupted after
	/// submitting finds what it anchored. Reads the batches from `from` to the last.
	pub async fn find_batch(
		&self,
		merkle_root: Hash32,
		category: Category,
		author: &AccountId,
		from: BatchId,
		at: Option<BlockHash>,
	) -> Result<Option<BatchId>, Error> {
		let hash = match at {
			Some(hash) => hash,
			None => self.best_hash().await?,
		};
		let state = self.api().at_block(hash).await?;
		let next = state
			.storage()
			.entry(runtime::storage().records().next_batch_id())?
			.fetch(())
			.await?
			.decode()?;
		let batches = state.storage().entry(runtime::storage().records().batches())?;
		for id in from..next {
			let Some(found) = batches.try_fetch((id,)).await? else { continue };
			let batch = found.decode()?;
			let batch_category: Category = crate::scale::convert(&batch.category)?;
			if batch.merkle_root == merkle_root
				&& batch.author == *author
				&& batch_category == category
			{
				return Ok(Some(id));
			}
		}
		Ok(None)
	}
}
