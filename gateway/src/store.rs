//! The gateway's database: SQLite (embedded, the default) or PostgreSQL, through one query
//! layer (sqlx's `Any` driver) and versioned migrations per backend (`migrations/`). Every
//! query here runs unchanged on both; the test suite runs on both.
//!
//! Nothing is lost on a crash: a write's version and the outbox item that anchors it are one
//! transaction; a served read's report is in the outbox before the response leaves.
//!
//! **Group commit.** Every signed request writes its nonce, every served read its report row:
//! two small writes a read. Each in a transaction of its own is two commits (two fsyncs) a
//! read, and SQLite writes one transaction at a time. So these small writes go to one writer
//! task, which takes every one waiting and commits them in one transaction; each request is
//! answered once the commit that holds its row is durable (as before, only sooner under load).
//! A batch that fails is applied again one write at a time, so each request gets its own
//! answer.

use sqlx::{any::AnyPoolOptions, AnyConnection, AnyPool, Row};
use tokio::sync::{mpsc, oneshot};

/// A query from constant parts only (the column lists below): audited, no input in it.
macro_rules! sql {
	($($part:tt)*) => {
		sqlx::AssertSqlSafe(format!($($part)*))
	};
}

/// What failed in the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	#[error("database: {0}")]
	Db(#[from] sqlx::Error),
	#[error("database migration: {0}")]
	Migrate(#[from] sqlx::migrate::MigrateError),
	#[error("unsupported database URL {0:?}: use sqlite:… or postgres://…")]
	Url(String),
	/// Another request changed the resource first (its version is not the one read).
	#[error("resource {0} changed concurrently")]
	Conflict(String),
	/// The task that commits the small writes is gone (the gateway is shutting down).
	#[error("the database writer has stopped")]
	WriterStopped,
}

/// Which database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
	Sqlite,
	Postgres,
}

/// A version's state on the way to the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionStatus {
	/// Stored, not yet anchored: never served as verified.
	Pending,
	/// Anchored: `record_id` is its record.
	Anchored,
	/// The chain would not anchor it (`refusal` says why): never served.
	Refused,
	/// Its data key was destroyed (crypto-shredding): gone for good.
	Erased,
}

impl VersionStatus {
	fn as_str(self) -> &'static str {
		match self {
			Self::Pending => "pending",
			Self::Anchored => "anchored",
			Self::Refused => "refused",
			Self::Erased => "erased",
		}
	}

	fn parse(s: &str) -> Self {
		match s {
			"anchored" => Self::Anchored,
			"refused" => Self::Refused,
			"erased" => Self::Erased,
			_ => Self::Pending,
		}
	}
}

/// A resource's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceRow {
	pub resource_type: String,
	pub id: String,
	pub patient: u64,
	/// The category's index (`medchain_primitives::Category as u8`).
	pub category: u8,
	pub current_version: u32,
	pub deleted: bool,
	pub last_updated: i64,
	pub effective: Option<i64>,
}

/// A version's row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionRow {
	pub resource_type: String,
	pub id: String,
	pub version: u32,
	pub locator: [u8; 32],
	pub content_hash: [u8; 32],
	pub ciphertext: Option<Vec<u8>>,
	pub wrapped_key: Option<Vec<u8>>,
	pub kek_id: String,
	pub status: VersionStatus,
	pub record_id: Option<u64>,
	/// The writer's account (SS58).
	pub writer: String,
	pub purpose: u8,
	pub created_at: i64,
	pub refusal: Option<String>,
}

/// A new version to store.
#[derive(Clone, Debug)]
pub struct NewVersion {
	pub resource: ResourceRow,
	pub version: VersionRow,
}

/// An outbox item: what the chain must learn (SCALE-encoded by the caller).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxRow {
	pub seq: i64,
	pub kind: String,
	pub payload: Vec<u8>,
	pub created_at: i64,
	pub attempts: i32,
	pub in_flight: Option<Vec<u8>>,
	pub valid_until: Option<i64>,
}

/// The database.
#[derive(Clone, Debug)]
pub struct Store {
	pool: AnyPool,
	backend: Backend,
	/// The group-commit writer's queue.
	small_writes: mpsc::Sender<SmallWrite>,
}

/// The most small writes in one commit.
const GROUP_COMMIT_MAX: usize = 256;

/// A small write, queued for the group-commit writer with where its answer goes.
#[derive(Debug)]
enum SmallWrite {
	/// A signed request's nonce: answers whether it was new.
	Nonce { nonce: Nonce, done: oneshot::Sender<Result<bool, StoreError>> },
	/// An outbox item: answers its sequence number.
	Enqueue {
		kind: String,
		payload: Vec<u8>,
		now: i64,
		done: oneshot::Sender<Result<i64, StoreError>>,
	},
	/// A read's nonce and its report, in one commit: the report is queued only if the nonce
	/// is new. Answers its sequence number, or `None` for a replay.
	NonceAndEnqueue {
		nonce: Nonce,
		kind: String,
		payload: Vec<u8>,
		now: i64,
		done: oneshot::Sender<Result<Option<i64>, StoreError>>,
	},
}

/// A signed request's nonce, remembered until its signature expires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nonce {
	/// The signer's account (SS58).
	pub signer: String,
	pub nonce: String,
	/// When the signature expires (ms since the Unix epoch): the nonce is kept until then.
	pub expires: i64,
}

impl Nonce {
	/// Inserts it: whether it was new.
	async fn insert(&self, conn: &mut AnyConnection) -> Result<bool, sqlx::Error> {
		let inserted = sqlx::query(
			"INSERT INTO nonces (signer, nonce, expires) VALUES ($1, $2, $3) \
			 ON CONFLICT (signer, nonce) DO NOTHING",
		)
		.bind(&self.signer)
		.bind(&self.nonce)
		.bind(self.expires)
		.execute(&mut *conn)
		.await?
		.rows_affected();
		Ok(inserted == 1)
	}
}

/// What a small write gave.
enum Written {
	Nonce(bool),
	Seq(i64),
	/// The report's sequence number; `None`: the nonce was used, nothing queued.
	Reported(Option<i64>),
}

impl SmallWrite {
	async fn apply(&self, conn: &mut AnyConnection) -> Result<Written, sqlx::Error> {
		match self {
			SmallWrite::Nonce { nonce, .. } => Ok(Written::Nonce(nonce.insert(conn).await?)),
			SmallWrite::Enqueue { kind, payload, now, .. } => {
				Ok(Written::Seq(insert_outbox(conn, kind, payload, *now).await?))
			},
			SmallWrite::NonceAndEnqueue { nonce, kind, payload, now, .. } => {
				if !nonce.insert(conn).await? {
					return Ok(Written::Reported(None));
				}
				Ok(Written::Reported(Some(insert_outbox(conn, kind, payload, *now).await?)))
			},
		}
	}

	/// Answers the request (which may have gone: then nobody waits).
	fn answer(self, written: Result<Written, StoreError>) {
		match self {
			SmallWrite::Nonce { done, .. } => {
				let _ = done.send(written.and_then(|w| match w {
					Written::Nonce(new) => Ok(new),
					_ => Err(StoreError::WriterStopped),
				}));
			},
			SmallWrite::Enqueue { done, .. } => {
				let _ = done.send(written.and_then(|w| match w {
					Written::Seq(seq) => Ok(seq),
					_ => Err(StoreError::WriterStopped),
				}));
			},
			SmallWrite::NonceAndEnqueue { done, .. } => {
				let _ = done.send(written.and_then(|w| match w {
					Written::Reported(seq) => Ok(seq),
					_ => Err(StoreError::WriterStopped),
				}));
			},
		}
	}
}

/// Adds an item to the outbox: its sequence number.
async fn insert_outbox(
	conn: &mut AnyConnection,
	kind: &str,
	payload: &[u8],
	now: i64,
) -> Result<i64, sqlx::Error> {
	let row = sqlx::query(
		"INSERT INTO outbox (kind, payload, created_at, attempts) VALUES ($1, $2, $3, 0) \
		 RETURNING seq",
	)
	.bind(kind)
	.bind(payload.to_vec())
	.bind(now)
	.fetch_one(&mut *conn)
	.await?;
	row.try_get::<i64, _>("seq")
}

/// Applies `writes` in one transaction: every result, or the error that rolled them all back.
async fn apply_together(
	pool: &AnyPool,
	writes: &[SmallWrite],
) -> Result<Vec<Written>, sqlx::Error> {
	let mut tx = pool.begin().await?;
	let mut written = Vec::with_capacity(writes.len());
	for write in writes {
		written.push(write.apply(&mut tx).await?);
	}
	tx.commit().await?;
	Ok(written)
}

/// The group-commit writer: until every [`Store`] is dropped, takes all the small writes
/// waiting (up to [`GROUP_COMMIT_MAX`]) and commits them together.
async fn group_commit(pool: AnyPool, mut queue: mpsc::Receiver<SmallWrite>) {
	let mut writes = Vec::with_capacity(GROUP_COMMIT_MAX);
	while queue.recv_many(&mut writes, GROUP_COMMIT_MAX).await > 0 {
		match apply_together(&pool, &writes).await {
			Ok(written) => {
				for (write, written) in writes.drain(..).zip(written) {
					write.answer(Ok(written));
				}
			},
			// One write's failure must not be the others': each in a transaction of its own
			// (a nonce and its report stay together), its own answer.
			Err(_) => {
				for write in writes.drain(..) {
					let written = async {
						let mut tx = pool.begin().await?;
						let written = write.apply(&mut tx).await?;
						tx.commit().await?;
						Ok::<_, sqlx::Error>(written)
					}
					.await;
					write.answer(written.map_err(StoreError::from));
				}
			},
		}
	}
}

fn fixed<const N: usize>(bytes: Vec<u8>) -> Result<[u8; N], sqlx::Error> {
	bytes.try_into().map_err(|b: Vec<u8>| {
		sqlx::Error::Decode(format!("a {N}-byte column holds {} bytes", b.len()).into())
	})
}

fn resource_row(row: &sqlx::any::AnyRow) -> Result<ResourceRow, sqlx::Error> {
	Ok(ResourceRow {
		resource_type: row.try_get("resource_type")?,
		id: row.try_get("id")?,
		patient: row.try_get::<i64, _>("patient")? as u64,
		category: row.try_get::<i32, _>("category")? as u8,
		current_version: row.try_get::<i32, _>("current_version")? as u32,
		deleted: row.try_get::<i32, _>("deleted")? != 0,
		last_updated: row.try_get("last_updated")?,
		effective: row.try_get("effective")?,
	})
}

fn version_row(row: &sqlx::any::AnyRow) -> Result<VersionRow, sqlx::Error> {
	Ok(VersionRow {
		resource_type: row.try_get("resource_type")?,
		id: row.try_get("id")?,
		version: row.try_get::<i32, _>("version")? as u32,
		locator: fixed(row.try_get("locator")?)?,
		content_hash: fixed(row.try_get("content_hash")?)?,
		ciphertext: row.try_get("ciphertext")?,
		wrapped_key: row.try_get("wrapped_key")?,
		kek_id: row.try_get("kek_id")?,
		status: VersionStatus::parse(&row.try_get::<String, _>("status")?),
		record_id: row.try_get::<Option<i64>, _>("record_id")?.map(|r| r as u64),
		writer: row.try_get("writer")?,
		purpose: row.try_get::<i32, _>("purpose")? as u8,
		created_at: row.try_get("created_at")?,
		refusal: row.try_get("refusal")?,
	})
}

const VERSION_COLUMNS: &str = "resource_type, id, version, locator, content_hash, ciphertext, \
	wrapped_key, kek_id, status, record_id, writer, purpose, created_at, refusal";
const RESOURCE_COLUMNS: &str =
	"resource_type, id, patient, category, current_version, deleted, last_updated, effective";

impl Store {
	/// Opens the database at `url` (`sqlite:path?mode=rwc`, `sqlite::memory:`,
	/// `postgres://user@host/db`) and brings its schema up to date.
	pub async fn open(url: &str, max_connections: u32) -> Result<Self, StoreError> {
		sqlx::any::install_default_drivers();
		let backend = if url.starts_with("sqlite:") {
			Backend::Sqlite
		} else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
			Backend::Postgres
		} else {
			return Err(StoreError::Url(url.into()));
		};
		// One connection for an in-memory SQLite database: each would be its own database.
		let max = if url.contains(":memory:") { 1 } else { max_connections.max(1) };
		let pool = AnyPoolOptions::new().max_connections(max).connect(url).await?;
		if backend == Backend::Sqlite {
			// Concurrent readers beside one writer, durable at each commit.
			sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
			sqlx::query("PRAGMA busy_timeout = 5000").execute(&pool).await?;
		}
		match backend {
			Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&pool).await?,
			Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&pool).await?,
		}
		let (small_writes, queue) = mpsc::channel(4 * GROUP_COMMIT_MAX);
		tokio::spawn(group_commit(pool.clone(), queue));
		Ok(Self { pool, backend, small_writes })
	}

	/// Queues a small write for the group-commit writer and waits for its commit.
	async fn small_write<T>(
		&self,
		write: impl FnOnce(oneshot::Sender<Result<T, StoreError>>) -> SmallWrite,
	) -> Result<T, StoreError> {
		let (done, answer) = oneshot::channel();
		self.small_writes
			.send(write(done))
			.await
			.map_err(|_| StoreError::WriterStopped)?;
		answer.await.map_err(|_| StoreError::WriterStopped)?
	}

	/// Which database this is.
	pub fn backend(&self) -> Backend {
		self.backend
	}

	/// Stores a new version of a resource (creating the resource with version 1) and the outbox
	/// item that anchors it, in one transaction. `expected` is the version the writer read
	/// (`None` for a create): if another write came first, nothing is stored
	/// ([`StoreError::Conflict`]).
	pub async fn put_version(
		&self,
		new: &NewVersion,
		expected: Option<u32>,
		outbox_kind: &str,
		outbox_payload: &[u8],
	) -> Result<i64, StoreError> {
		let (r, v) = (&new.resource, &new.version);
		let mut tx = self.pool.begin().await?;
		let changed = match expected {
			None => sqlx::query(sql!(
				"INSERT INTO resources ({RESOURCE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
				 ON CONFLICT (resource_type, id) DO NOTHING"
			))
			.bind(&r.resource_type)
			.bind(&r.id)
			.bind(r.patient as i64)
			.bind(i32::from(r.category))
			.bind(r.current_version as i32)
			.bind(i32::from(r.deleted))
			.bind(r.last_updated)
			.bind(r.effective)
			.execute(&mut *tx)
			.await?
			.rows_affected(),
			Some(previous) => sqlx::query(
				"UPDATE resources SET current_version = $1, category = $2, last_updated = $3, \
				 effective = $4, deleted = $5 \
				 WHERE resource_type = $6 AND id = $7 AND current_version = $8",
			)
			.bind(r.current_version as i32)
			.bind(i32::from(r.category))
			.bind(r.last_updated)
			.bind(r.effective)
			.bind(0i32)
			.bind(&r.resource_type)
			.bind(&r.id)
			.bind(previous as i32)
			.execute(&mut *tx)
			.await?
			.rows_affected(),
		};
		if changed != 1 {
			return Err(StoreError::Conflict(format!("{}/{}", r.resource_type, r.id)));
		}
		sqlx::query(sql!(
			"INSERT INTO versions ({VERSION_COLUMNS}) \
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
		))
		.bind(&v.resource_type)
		.bind(&v.id)
		.bind(v.version as i32)
		.bind(v.locator.to_vec())
		.bind(v.content_hash.to_vec())
		.bind(v.ciphertext.clone())
		.bind(v.wrapped_key.clone())
		.bind(&v.kek_id)
		.bind(v.status.as_str())
		.bind(v.record_id.map(|r| r as i64))
		.bind(&v.writer)
		.bind(i32::from(v.purpose))
		.bind(v.created_at)
		.bind(v.refusal.clone())
		.execute(&mut *tx)
		.await?;
		let seq = insert_outbox(&mut tx, outbox_kind, outbox_payload, v.created_at).await?;
		tx.commit().await?;
		Ok(seq)
	}

	/// Queues an item for the chain on its own (a read's report, an erasure): durable when
	/// this returns (group commit).
	pub async fn enqueue(&self, kind: &str, payload: &[u8], now: i64) -> Result<i64, StoreError> {
		self.small_write(|done| SmallWrite::Enqueue {
			kind: kind.into(),
			payload: payload.to_vec(),
			now,
			done,
		})
		.await
	}

	/// The resource `resource_type/id`, if stored (deleted ones too).
	pub async fn resource(
		&self,
		resource_type: &str,
		id: &str,
	) -> Result<Option<ResourceRow>, StoreError> {
		let row = sqlx::query(sql!(
			"SELECT {RESOURCE_COLUMNS} FROM resources WHERE resource_type = $1 AND id = $2"
		))
		.bind(resource_type)
		.bind(id)
		.fetch_optional(&self.pool)
		.await?;
		Ok(row.as_ref().map(resource_row).transpose()?)
	}

	/// One version of a resource.
	pub async fn version(
		&self,
		resource_type: &str,
		id: &str,
		version: u32,
	) -> Result<Option<VersionRow>, StoreError> {
		let row = sqlx::query(sql!(
			"SELECT {VERSION_COLUMNS} FROM versions \
			 WHERE resource_type = $1 AND id = $2 AND version = $3"
		))
		.bind(resource_type)
		.bind(id)
		.bind(version as i32)
		.fetch_optional(&self.pool)
		.await?;
		Ok(row.as_ref().map(version_row).transpose()?)
	}

	/// The version whose anchor points at `locator`.
	pub async fn version_by_locator(
		&self,
		locator: &[u8; 32],
	) -> Result<Option<VersionRow>, StoreError> {
		let row = sqlx::query(sql!("SELECT {VERSION_COLUMNS} FROM versions WHERE locator = $1"))
			.bind(locator.to_vec())
			.fetch_optional(&self.pool)
			.await?;
		Ok(row.as_ref().map(version_row).transpose()?)
	}

	/// Every version of a resource, newest first.
	pub async fn history(
		&self,
		resource_type: &str,
		id: &str,
	) -> Result<Vec<VersionRow>, StoreError> {
		let rows = sqlx::query(sql!(
			"SELECT {VERSION_COLUMNS} FROM versions WHERE resource_type = $1 AND id = $2 \
			 ORDER BY version DESC"
		))
		.bind(resource_type)
		.bind(id)
		.fetch_all(&self.pool)
		.await?;
		Ok(rows.iter().map(version_row).collect::<Result<_, _>>()?)
	}

	/// A patient's resources (not deleted), of `resource_type` if given, with an effective date
	/// in `[from, to)` if given; newest first, `limit` from `offset`.
	pub async fn search(
		&self,
		patient: u64,
		resource_type: Option<&str>,
		from: Option<i64>,
		to: Option<i64>,
		limit: u32,
		offset: u32,
	) -> Result<Vec<ResourceRow>, StoreError> {
		let rows = sqlx::query(sql!(
			"SELECT {RESOURCE_COLUMNS} FROM resources \
			 WHERE patient = $1 AND deleted = $2 \
			   AND ($3 IS NULL OR resource_type = $3) \
			   AND ($4 IS NULL OR effective >= $4) \
			   AND ($5 IS NULL OR effective < $5) \
			 ORDER BY last_updated DESC, resource_type, id LIMIT $6 OFFSET $7"
		))
		.bind(patient as i64)
		.bind(0i32)
		.bind(resource_type)
		.bind(from)
		.bind(to)
		.bind(i64::from(limit))
		.bind(i64::from(offset))
		.fetch_all(&self.pool)
		.await?;
		Ok(rows.iter().map(resource_row).collect::<Result<_, _>>()?)
	}

	/// The version at `locator` is anchored as `record_id`.
	pub async fn mark_anchored(
		&self,
		locator: &[u8; 32],
		record_id: u64,
	) -> Result<(), StoreError> {
		sqlx::query(
			"UPDATE versions SET status = $1, record_id = $2 WHERE locator = $3 AND status = $4",
		)
		.bind(VersionStatus::Anchored.as_str())
		.bind(record_id as i64)
		.bind(locator.to_vec())
		.bind(VersionStatus::Pending.as_str())
		.execute(&self.pool)
		.await?;
		Ok(())
	}

	/// The chain refused to anchor the version at `locator`: it is never served, and its
	/// resource goes back to the version before it (or is gone, if it was the first).
	pub async fn mark_refused(&self, locator: &[u8; 32], why: &str) -> Result<(), StoreError> {
		let mut tx = self.pool.begin().await?;
		let row = sqlx::query(sql!("SELECT {VERSION_COLUMNS} FROM versions WHERE locator = $1"))
			.bind(locator.to_vec())
			.fetch_optional(&mut *tx)
			.await?;
		let Some(v) = row.as_ref().map(version_row).transpose()? else { return Ok(()) };
		sqlx::query(
			"UPDATE versions SET status = $1, refusal = $2, ciphertext = NULL, wrapped_key = NULL \
			 WHERE locator = $3",
		)
		.bind(VersionStatus::Refused.as_str())
		.bind(why)
		.bind(locator.to_vec())
		.execute(&mut *tx)
		.await?;
		if v.version == 1 {
			sqlx::query("UPDATE resources SET deleted = $1 WHERE resource_type = $2 AND id = $3 AND current_version = 1")
				.bind(1i32)
				.bind(&v.resource_type)
				.bind(&v.id)
				.execute(&mut *tx)
				.await?;
		} else {
			sqlx::query(
				"UPDATE resources SET current_version = $1 \
				 WHERE resource_type = $2 AND id = $3 AND current_version = $4",
			)
			.bind(v.version as i32 - 1)
			.bind(&v.resource_type)
			.bind(&v.id)
			.bind(v.version as i32)
			.execute(&mut *tx)
			.await?;
		}
		tx.commit().await?;
		Ok(())
	}

	/// Crypto-shreds a resource: every version's data key and ciphertext destroyed and the
	/// resource marked deleted, in one transaction (after the chain recorded the erasure).
	pub async fn shred(&self, resource_type: &str, id: &str, now: i64) -> Result<(), StoreError> {
		let mut tx = self.pool.begin().await?;
		sqlx::query(
			"UPDATE versions SET ciphertext = NULL, wrapped_key = NULL, status = $1 \
			 WHERE resource_type = $2 AND id = $3",
		)
		.bind(VersionStatus::Erased.as_str())
		.bind(resource_type)
		.bind(id)
		.execute(&mut *tx)
		.await?;
		sqlx::query(
			"UPDATE resources SET deleted = $1, last_updated = $2 WHERE resource_type = $3 AND id = $4",
		)
		.bind(1i32)
		.bind(now)
		.bind(resource_type)
		.bind(id)
		.execute(&mut *tx)
		.await?;
		tx.commit().await?;
		Ok(())
	}

	/// Puts every item left in flight by a crash back to waiting: delivering it again is safe
	/// (the chain takes each attestation once and says so).
	pub async fn outbox_reset_in_flight(&self) -> Result<u64, StoreError> {
		Ok(sqlx::query(
			"UPDATE outbox SET in_flight = NULL, valid_until = NULL WHERE in_flight IS NOT NULL",
		)
		.execute(&self.pool)
		.await?
		.rows_affected())
	}

	/// Up to `limit` outbox items of `kind` not in flight, oldest first.
	pub async fn outbox_ready(&self, kind: &str, limit: u32) -> Result<Vec<OutboxRow>, StoreError> {
		let rows = sqlx::query(
			"SELECT seq, kind, payload, created_at, attempts, in_flight, valid_until FROM outbox \
			 WHERE kind = $1 AND in_flight IS NULL ORDER BY seq LIMIT $2",
		)
		.bind(kind)
		.bind(i64::from(limit))
		.fetch_all(&self.pool)
		.await?;
		rows.iter().map(outbox_row).collect::<Result<_, _>>().map_err(Into::into)
	}

	/// The items left in flight (a crash between submitting and recording the outcome).
	pub async fn outbox_in_flight(&self) -> Result<Vec<OutboxRow>, StoreError> {
		let rows = sqlx::query(
			"SELECT seq, kind, payload, created_at, attempts, in_flight, valid_until FROM outbox \
			 WHERE in_flight IS NOT NULL ORDER BY seq",
		)
		.fetch_all(&self.pool)
		.await?;
		rows.iter().map(outbox_row).collect::<Result<_, _>>().map_err(Into::into)
	}

	/// Items `seqs` are carried by transaction `tx_hash`, which no block after `valid_until`
	/// can include. Recorded before the transaction is sent.
	pub async fn outbox_sending(
		&self,
		seqs: &[i64],
		tx_hash: &[u8; 32],
		valid_until: u64,
	) -> Result<(), StoreError> {
		let mut tx = self.pool.begin().await?;
		for seq in seqs {
			sqlx::query(
				"UPDATE outbox SET in_flight = $1, valid_until = $2, attempts = attempts + 1 \
				 WHERE seq = $3",
			)
			.bind(tx_hash.to_vec())
			.bind(valid_until as i64)
			.bind(*seq)
			.execute(&mut *tx)
			.await?;
		}
		tx.commit().await?;
		Ok(())
	}

	/// Items `seqs` are back to waiting (their transaction was never included), with why.
	pub async fn outbox_retry(&self, seqs: &[i64], why: &str) -> Result<(), StoreError> {
		let mut tx = self.pool.begin().await?;
		for seq in seqs {
			sqlx::query("UPDATE outbox SET in_flight = NULL, valid_until = NULL, last_error = $1 WHERE seq = $2")
				.bind(why)
				.bind(*seq)
				.execute(&mut *tx)
				.await?;
		}
		tx.commit().await?;
		Ok(())
	}

	/// Items `seqs` are delivered: gone from the outbox.
	pub async fn outbox_done(&self, seqs: &[i64]) -> Result<(), StoreError> {
		let mut tx = self.pool.begin().await?;
		for seq in seqs {
			sqlx::query("DELETE FROM outbox WHERE seq = $1")
				.bind(*seq)
				.execute(&mut *tx)
				.await?;
		}
		tx.commit().await?;
		Ok(())
	}

	/// The outbox's depth and the creation time of its oldest item (metrics).
	pub async fn outbox_depth(&self) -> Result<(i64, Option<i64>), StoreError> {
		let row = sqlx::query("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox")
			.fetch_one(&self.pool)
			.await?;
		Ok((row.try_get("n")?, row.try_get("oldest")?))
	}

	/// Remembers `nonce` of `signer` until `expires`: `false` if it was already seen (a replay).
	/// Durable when this returns (group commit).
	pub async fn remember_nonce(
		&self,
		signer: &str,
		nonce: &str,
		expires: i64,
	) -> Result<bool, StoreError> {
		let nonce = Nonce { signer: signer.into(), nonce: nonce.into(), expires };
		self.small_write(|done| SmallWrite::Nonce { nonce, done }).await
	}

	/// Remembers `nonce` and queues an item with it, in one commit, if the nonce is new: the
	/// item's sequence number, or `None` (nothing queued) if the nonce was already seen. What a
	/// served read does: its nonce and its report, one commit. Durable when this returns.
	pub async fn remember_nonce_and_enqueue(
		&self,
		nonce: Nonce,
		kind: &str,
		payload: &[u8],
		now: i64,
	) -> Result<Option<i64>, StoreError> {
		self.small_write(|done| SmallWrite::NonceAndEnqueue {
			nonce,
			kind: kind.into(),
			payload: payload.to_vec(),
			now,
			done,
		})
		.await
	}

	/// Forgets the nonces that expired before `now`.
	pub async fn prune_nonces(&self, now: i64) -> Result<u64, StoreError> {
		Ok(sqlx::query("DELETE FROM nonces WHERE expires < $1")
			.bind(now)
			.execute(&self.pool)
			.await?
			.rows_affected())
	}

	/// Whether the database answers (readiness).
	pub async fn ping(&self) -> Result<(), StoreError> {
		sqlx::query("SELECT 1").execute(&self.pool).await?;
		Ok(())
	}

	/// The raw pool, for tests that tamper with rows.
	#[doc(hidden)]
	pub fn pool(&self) -> &AnyPool {
		&self.pool
	}
}

fn outbox_row(row: &sqlx::any::AnyRow) -> Result<OutboxRow, sqlx::Error> {
	Ok(OutboxRow {
		seq: row.try_get("seq")?,
		kind: row.try_get("kind")?,
		payload: row.try_get("payload")?,
		created_at: row.try_get("created_at")?,
		attempts: row.try_get("attempts")?,
		in_flight: row.try_get("in_flight")?,
		valid_until: row.try_get("valid_until")?,
	})
}
