//! The durable outbox: what the chain must learn — a write's anchor, a served read's report,
//! an erasure — is written to the database in the same transaction as the change it follows
//! (or before the response leaves), and delivered from there, batched, by one worker per kind,
//! with several transactions of a kind on their way at once (`outbox_in_flight`).
//!
//! **Exactly once.** An item leaves the outbox only once a block includes the transaction that
//! carries it. A crash between sending and recording puts it back to waiting at the next start
//! ([`Store::outbox_reset_in_flight`](crate::store::Store::outbox_reset_in_flight)); sending it
//! again is safe because the chain takes each attestation once: a repeated one is skipped and
//! reported as such (with the record it made, for a write), never appended twice.
//!
//! A batch the chain refuses is retried one item at a time, so that one refused item (a write
//! whose grant was revoked meanwhile) does not hold back the others; a refused item is final:
//! its write is marked refused (never served), its erasure undone, its report dropped (and
//! counted). While the chain cannot be reached, items wait, and are retried with back-off.

use std::{collections::HashMap, sync::Arc, time::Duration};

use codec::{Decode, Encode};
use medchain_primitives::{
	attestation::{AttestedErase, AttestedRead, AttestedWrite},
	RecordId,
};
use subxt::utils::MultiSignature;
use tokio::sync::{mpsc, oneshot, watch, Mutex, Notify, Semaphore};

use crate::{
	chain::{AccountId, Chain, ChainError},
	metrics::Metrics,
	store::{OutboxRow, Store},
};

/// One thing the chain must learn.
#[derive(Clone, Debug, Encode, Decode)]
pub enum Item {
	/// Anchor a write (its locator names the stored version). `basis_known`: false for a
	/// write accepted while the chain could not be asked; its basis is asked before sending.
	Anchor { write: AttestedWrite<AccountId, MultiSignature>, basis_known: bool },
	/// Append a served read to a patient's trail.
	Report(AttestedRead<AccountId, MultiSignature>),
	/// Erase a resource's records, then shred it here.
	Erase {
		resource_type: String,
		id: String,
		erasures: Vec<AttestedErase<AccountId, MultiSignature>>,
	},
}

impl Item {
	/// The outbox `kind` column.
	pub fn kind(&self) -> &'static str {
		match self {
			Item::Anchor { .. } => "anchor",
			Item::Report(_) => "report",
			Item::Erase { .. } => "erase",
		}
	}
}

/// How an item ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
	/// The write is anchored as this record.
	Anchored(RecordId),
	/// The read is on the patient's trail.
	Reported,
	/// The resource's records are erased on chain and its keys destroyed here.
	Erased,
	/// The chain refused it, for good (its words).
	Refused(String),
}

const KINDS: [&str; 3] = ["anchor", "report", "erase"];

/// The outbox and its workers.
#[derive(Clone)]
pub struct Outbox {
	store: Store,
	chain: Chain,
	metrics: Arc<Metrics>,
	batch: usize,
	in_flight: usize,
	interval: Duration,
	wake: Arc<Notify>,
	waiters: Arc<Mutex<HashMap<i64, oneshot::Sender<Outcome>>>>,
}

impl Outbox {
	pub fn new(
		store: Store,
		chain: Chain,
		metrics: Arc<Metrics>,
		batch: usize,
		in_flight: usize,
		interval: Duration,
	) -> Self {
		Self {
			store,
			chain,
			metrics,
			batch: batch.max(1),
			in_flight: in_flight.max(1),
			interval,
			wake: Arc::new(Notify::new()),
			waiters: Arc::new(Mutex::new(HashMap::new())),
		}
	}

	/// Queues `item` on its own (a read's report); gives its sequence number.
	pub async fn push(&self, item: &Item, now: i64) -> Result<i64, crate::store::StoreError> {
		let seq = self.store.enqueue(item.kind(), &item.encode(), now).await?;
		self.wake.notify_waiters();
		Ok(seq)
	}

	/// Queues a read's report with the read's nonce, in one commit: its sequence number, or
	/// `None` (nothing queued) if the nonce was already used.
	pub async fn push_with_nonce(
		&self,
		item: &Item,
		nonce: crate::store::Nonce,
		now: i64,
	) -> Result<Option<i64>, crate::store::StoreError> {
		let seq = self
			.store
			.remember_nonce_and_enqueue(nonce, item.kind(), &item.encode(), now)
			.await?;
		if seq.is_some() {
			self.wake.notify_waiters();
		}
		Ok(seq)
	}

	/// Tells the workers something is waiting.
	pub fn wake(&self) {
		self.wake.notify_waiters();
	}

	/// Waits up to `timeout` for item `seq` to end; `None` if it has not by then (it stays
	/// queued and ends later). Register before the item can end: call it right after queueing.
	pub async fn wait(&self, seq: i64, timeout: Duration) -> Option<Outcome> {
		let (tx, rx) = oneshot::channel();
		self.waiters.lock().await.insert(seq, tx);
		self.wake();
		let outcome = tokio::time::timeout(timeout, rx).await.ok().and_then(Result::ok);
		self.waiters.lock().await.remove(&seq);
		outcome
	}

	async fn tell(&self, seq: i64, outcome: Outcome) {
		if let Some(tx) = self.waiters.lock().await.remove(&seq) {
			let _ = tx.send(outcome);
		}
	}

	/// Starts one worker per kind; they stop when `shutdown` turns true, after draining what
	/// they can within `drain` (graceful shutdown).
	pub async fn start(
		&self,
		shutdown: watch::Receiver<bool>,
		drain: Duration,
	) -> Result<Vec<tokio::task::JoinHandle<()>>, crate::store::StoreError> {
		let reset = self.store.outbox_reset_in_flight().await?;
		if reset > 0 {
			tracing::info!(
				items = reset,
				"outbox items left in flight by a crash are queued again"
			);
		}
		Ok(KINDS
			.iter()
			.map(|kind| {
				let outbox = self.clone();
				let shutdown = shutdown.clone();
				tokio::spawn(async move { outbox.run(kind, shutdown, drain).await })
			})
			.collect())
	}

	/// One kind's worker: claims up to `batch` waiting items at a time and delivers each claim
	/// in its own transaction, with up to `in_flight` of them on their way at once (the
	/// client numbers one signer's transactions, so a block can include several). Claimed items
	/// are marked in flight before the next claim is read, so no item is in two transactions.
	async fn run(self, kind: &'static str, mut shutdown: watch::Receiver<bool>, drain: Duration) {
		let permits = Arc::new(Semaphore::new(self.in_flight));
		let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Result<(), String>>();
		let mut backoff = Duration::from_millis(500);
		let mut deadline: Option<tokio::time::Instant> = None;
		loop {
			if *shutdown.borrow() && deadline.is_none() {
				deadline = Some(tokio::time::Instant::now() + drain);
			}
			// What the deliveries since the last claim found: the chain unavailable holds the
			// next claim back (with back-off); a delivery that got through resets it.
			let mut unavailable = None;
			while let Ok(result) = done_rx.try_recv() {
				match result {
					Ok(()) => backoff = Duration::from_millis(500),
					Err(why) => unavailable = Some(why),
				}
			}
			if let Some(why) = unavailable {
				tracing::warn!(kind, reason = %why, "outbox: the chain is unavailable; retrying");
				tokio::select! {
					_ = tokio::time::sleep(backoff) => {},
					_ = shutdown.changed() => {},
				}
				backoff = (backoff * 2).min(Duration::from_secs(15));
				continue;
			}
			let permit = tokio::select! {
				permit = permits.clone().acquire_owned() => match permit {
					Ok(permit) => permit,
					Err(_) => return,
				},
				_ = shutdown.changed(), if deadline.is_none() => continue,
			};
			let rows = match self.store.outbox_ready(kind, self.batch as u32).await {
				Ok(rows) => rows,
				Err(e) => {
					tracing::error!(error = %e, kind, "outbox: database failure");
					drop(permit);
					tokio::time::sleep(backoff).await;
					continue;
				},
			};
			if rows.is_empty() {
				drop(permit);
				if deadline.is_some() {
					break;
				}
				tokio::select! {
					_ = self.wake.notified() => {},
					_ = tokio::time::sleep(self.interval) => {},
					_ = shutdown.changed() => {},
				}
				continue;
			}
			if deadline.is_some_and(|d| tokio::time::Instant::now() >= d) {
				tracing::warn!(kind, waiting = rows.len(), "outbox: shutting down with items still queued; they are delivered at the next start");
				break;
			}
			let seqs: Vec<i64> = rows.iter().map(|r| r.seq).collect();
			if let Err(e) = self.store.outbox_sending(&seqs, &[0; 32], 0).await {
				tracing::error!(error = %e, kind, "outbox: database failure");
				drop(permit);
				tokio::time::sleep(backoff).await;
				continue;
			}
			let (outbox, done) = (self.clone(), done_tx.clone());
			tokio::spawn(async move {
				let result = outbox.deliver(&rows).await;
				if let Err(why) = &result {
					let _ = outbox.store.outbox_retry(&seqs, why).await;
				}
				drop(permit);
				let _ = done.send(result);
			});
		}
		// Shutting down: wait (within the drain time) for the transactions on their way; any
		// still unsettled stay in flight in the database and are sent again at the next start.
		let left =
			deadline.map_or(drain, |d| d.saturating_duration_since(tokio::time::Instant::now()));
		let all = u32::try_from(self.in_flight).unwrap_or(u32::MAX);
		if tokio::time::timeout(left, permits.acquire_many(all)).await.is_err() {
			tracing::warn!(kind, "outbox: shutting down with transactions on their way; their items are sent again at the next start");
		}
	}

	/// Delivers `rows` (one kind) in one transaction; a refused batch item by item. `Err` only
	/// when the chain is unavailable (the rows stay queued).
	async fn deliver(&self, rows: &[OutboxRow]) -> Result<(), String> {
		let mut items = Vec::with_capacity(rows.len());
		for row in rows {
			match Item::decode(&mut &row.payload[..]) {
				Ok(item) => items.push((row.seq, item)),
				Err(e) => {
					tracing::error!(seq = row.seq, error = %e, "outbox: an item does not decode; dropped");
					let _ = self.store.outbox_done(&[row.seq]).await;
				},
			}
		}
		if items.is_empty() {
			return Ok(());
		}
		let started = std::time::Instant::now();
		let result = self.send(&items).await;
		self.metrics.chain_round_trip.observe(started.elapsed().as_secs_f64());
		match result {
			Ok(outcomes) => {
				for ((seq, item), outcome) in items.iter().zip(outcomes) {
					self.settle(*seq, item, outcome).await.map_err(|e| e.to_string())?;
				}
				Ok(())
			},
			Err(ChainError::Unavailable(why)) => Err(why),
			Err(refused) if items.len() > 1 => {
				tracing::info!(reason = %refused, items = items.len(), "outbox: a batch was refused; delivering its items one by one");
				for (seq, item) in &items {
					match self.send(std::slice::from_ref(&(*seq, item.clone()))).await {
						Ok(mut outcomes) => {
							let outcome = outcomes.pop().unwrap_or(Outcome::Reported);
							self.settle(*seq, item, outcome).await.map_err(|e| e.to_string())?;
						},
						Err(ChainError::Unavailable(why)) => return Err(why),
						Err(e) => self
							.settle(*seq, item, Outcome::Refused(e.to_string()))
							.await
							.map_err(|e| e.to_string())?,
					}
				}
				Ok(())
			},
			Err(e) => {
				let (seq, item) = &items[0];
				self.settle(*seq, item, Outcome::Refused(e.to_string()))
					.await
					.map_err(|e| e.to_string())
			},
		}
	}

	/// Sends items of one kind in one transaction: the outcome of each.
	async fn send(&self, items: &[(i64, Item)]) -> Result<Vec<Outcome>, ChainError> {
		match &items[0].1 {
			Item::Anchor { .. } => {
				let mut writes = Vec::new();
				for (_, item) in items {
					if let Item::Anchor { write, basis_known } = item {
						let mut write = write.clone();
						if !basis_known {
							write.basis = self.chain.append_basis(&write.attestation).await?;
						}
						writes.push(write);
					}
				}
				let (records, _) = self.chain.anchor(writes).await?;
				Ok(records.into_iter().map(Outcome::Anchored).collect())
			},
			Item::Report(_) => {
				let reads: Vec<_> = items
					.iter()
					.filter_map(
						|(_, i)| if let Item::Report(r) = i { Some(r.clone()) } else { None },
					)
					.collect();
				self.chain.report(reads).await?;
				Ok(items.iter().map(|_| Outcome::Reported).collect())
			},
			Item::Erase { .. } => {
				let erasures: Vec<_> = items
					.iter()
					.flat_map(|(_, i)| match i {
						Item::Erase { erasures, .. } => erasures.clone(),
						_ => Vec::new(),
					})
					.collect();
				if !erasures.is_empty() {
					self.chain.erase(erasures).await?;
				}
				Ok(items.iter().map(|_| Outcome::Erased).collect())
			},
		}
	}

	/// Records how item `seq` ended, removes it from the outbox and tells whoever waits.
	async fn settle(
		&self,
		seq: i64,
		item: &Item,
		outcome: Outcome,
	) -> Result<(), crate::store::StoreError> {
		let now = crate::auth::now() as i64;
		match (item, &outcome) {
			(Item::Anchor { write, .. }, Outcome::Anchored(record)) => {
				self.store.mark_anchored(&write.locator.0, *record).await?;
				self.metrics.outbox_delivered.with_label_values(&["anchor"]).inc();
			},
			(Item::Anchor { write, .. }, Outcome::Refused(why)) => {
				tracing::warn!(reason = %why, "a write was refused by the chain; it will not be served");
				self.store.mark_refused(&write.locator.0, why).await?;
				self.metrics.outbox_refused.with_label_values(&["anchor"]).inc();
			},
			(Item::Report(_), Outcome::Refused(why)) => {
				tracing::error!(reason = %why, "a read report was refused by the chain and dropped");
				self.metrics.outbox_refused.with_label_values(&["report"]).inc();
			},
			(Item::Report(_), _) => {
				self.metrics.outbox_delivered.with_label_values(&["report"]).inc()
			},
			(Item::Erase { resource_type, id, .. }, Outcome::Erased) => {
				self.store.shred(resource_type, id, now).await?;
				self.metrics.outbox_delivered.with_label_values(&["erase"]).inc();
			},
			(Item::Erase { .. }, Outcome::Refused(why)) => {
				tracing::warn!(reason = %why, "an erasure was refused by the chain; nothing was erased");
				self.metrics.outbox_refused.with_label_values(&["erase"]).inc();
			},
			_ => {},
		}
		self.store.outbox_done(&[seq]).await?;
		self.tell(seq, outcome).await;
		Ok(())
	}
}
