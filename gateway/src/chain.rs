//! The gateway's side of the chain: the consent decisions and anchor checks every read waits
//! for (batched: one round trip answers every request in flight), and the transactions that
//! relay what the gateway's users signed (anchors, read reports, erasures).
//!
//! Nothing here decides: the chain does. If it cannot be asked, the answer is
//! [`ChainError::Unavailable`] and the gateway fails closed.
//!
//! **Answers are the best block's.** Each round first asks which block is best; a question
//! already answered at that block (the same reader, patient, category, purpose and action, or
//! the same record and hash) takes that answer again instead of asking the node: the chain's
//! answer at a block is a function of that block's state (its clock included), so it is the
//! answer the node would give. A new best block starts afresh; a revocation, an expiry or an
//! erasure is seen at the first block that has it, as without the memory. Duplicates within a
//! round are asked once.
//!
//! **Several relayers.** The gateway may relay through several keys (`relayer_key_file`, one a
//! line): each transaction is signed by the next in turn, so that the gateway's traffic is
//! shared among their admission budgets (each key is an account, counted in its
//! organisation's staff budget with the others: issue 30's caps are the organisation's). A
//! transaction refused because its relayer cannot send (not admitted, out of budget) is sent
//! again, by the next.

use std::{
	collections::{HashMap, HashSet},
	sync::{
		atomic::{AtomicUsize, Ordering},
		Arc,
	},
	time::Duration,
};

use codec::Encode;

use medchain_client::{
	At, Client, ClientOptions, Error as ClientError, ErrorClass, Keypair, Read, Submitted, Wait,
};
use medchain_primitives::{
	attestation::{AttestedRead, AttestedWrite},
	AccessQuestion, Decision, Hash32, PatientActor, PatientId, RecordId, RecordVerification,
};
use subxt::utils::MultiSignature;
use tokio::sync::{mpsc, oneshot};

pub use medchain_client::AccountId;

/// Why the chain gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
	/// The node cannot be reached or did not answer in time: reads fail closed (503), writes
	/// wait in the outbox.
	#[error("the medchain node is unavailable: {0}")]
	Unavailable(String),
	/// The chain refused a relayed transaction (its named error). Nothing changed.
	#[error("the chain refused: {0}")]
	Refused(ClientError),
	/// The chain and the gateway disagree (a runtime the gateway was not built for).
	#[error("the chain's answer makes no sense to this gateway: {0}")]
	Inconsistent(String),
}

impl From<ClientError> for ChainError {
	fn from(e: ClientError) -> Self {
		match e.class() {
			ErrorClass::Unavailable | ErrorClass::Rejected => {
				ChainError::Unavailable(e.to_string())
			},
			ErrorClass::Refused => ChainError::Refused(e),
			ErrorClass::BadInput | ErrorClass::Inconsistent => {
				ChainError::Inconsistent(e.to_string())
			},
		}
	}
}

/// One read's question: the consent decision for it, and the anchor of what it would serve.
#[derive(Clone, Debug)]
pub struct ReadQuestion {
	pub question: AccessQuestion<AccountId>,
	/// The record and the hash of the bytes the gateway holds, if one record is read.
	pub anchor: Option<(RecordId, Hash32)>,
}

/// The chain's answer to a [`ReadQuestion`], at one block.
#[derive(Clone, Debug)]
pub struct ReadAnswer {
	pub decision: Decision,
	pub verification: Option<RecordVerification>,
	/// The block the answer is from.
	pub block: u32,
}

type Pending = (ReadQuestion, oneshot::Sender<Result<ReadAnswer, String>>);

/// The gateway's connection to the chain.
#[derive(Clone)]
pub struct Chain {
	client: Client,
	relayers: Arc<[Keypair]>,
	/// Which relayer signs next (taken modulo their number).
	turn: Arc<AtomicUsize>,
	/// Transactions each relayer sent, by its place in `relayer_key_file`.
	relayed: Option<prometheus::IntCounterVec>,
	questions: mpsc::Sender<Pending>,
}

impl Chain {
	/// Connects to `url`, relaying through `relayers` in turn (at least one); questions are
	/// asked `batch` at a time at most. `answers` counts each question's answer by where it
	/// came from (`chain`, `block-memory`); `relayed` each relayer's transactions.
	pub async fn connect(
		url: &str,
		relayers: Vec<Keypair>,
		batch: usize,
		answers: prometheus::IntCounterVec,
		relayed: Option<prometheus::IntCounterVec>,
	) -> Result<Self, ChainError> {
		if relayers.is_empty() {
			return Err(ChainError::Inconsistent("no relayer key".into()));
		}
		let options =
			ClientOptions { request_timeout: Duration::from_secs(10), ..Default::default() };
		let client = Client::connect_with(url, options).await?;
		let (questions, rx) = mpsc::channel::<Pending>(batch.saturating_mul(8).max(64));
		tokio::spawn(answer_questions(client.clone(), rx, batch.max(1), answers));
		Ok(Self {
			client,
			relayers: relayers.into(),
			turn: Arc::new(AtomicUsize::new(0)),
			relayed,
			questions,
		})
	}

	/// The client, for what the gateway reads directly.
	pub fn client(&self) -> &Client {
		&self.client
	}

	/// The relayers' accounts, in turn order.
	pub fn relayers(&self) -> Vec<AccountId> {
		self.relayers.iter().map(|k| AccountId::from(k.public_key())).collect()
	}

	/// The relayers the chain would not take as relayers now (no active provider's account),
	/// by place and account: a gateway says so at start, and keeps relaying through the others.
	pub async fn relayers_not_providers(&self) -> Result<Vec<(usize, AccountId)>, ChainError> {
		let mut refused = Vec::new();
		for (i, account) in self.relayers().into_iter().enumerate() {
			if self.client.provider_organisation_of(&account).await?.is_none() {
				refused.push((i, account));
			}
		}
		Ok(refused)
	}

	/// The relayer to sign the next transaction, and its place; counted.
	fn next_relayer(&self) -> (usize, &Keypair) {
		let i = self.turn.fetch_add(1, Ordering::Relaxed) % self.relayers.len();
		if let Some(relayed) = &self.relayed {
			relayed.with_label_values(&[&i.to_string()]).inc();
		}
		(i, &self.relayers[i])
	}

	/// A relayed transaction's failure: one the relayer caused (its key is no provider's
	/// account) is not the users' — their items wait (`Unavailable`) and go again by the next
	/// relayer, and the log names the key to fix.
	fn relay_error(i: usize, relayer: &Keypair, e: ClientError) -> ChainError {
		if e.is_dispatch("records", "NotActiveProvider") || e.is_dispatch("audit", "NotAProvider") {
			let account = AccountId::from(relayer.public_key());
			tracing::error!(relayer = i, %account, "a relayer key is not an active provider's account: register it (docs/gateway.md, Keys) or remove it from relayer_key_file");
			return ChainError::Unavailable(format!(
				"relayer {i} ({account}) is not an active provider's account"
			));
		}
		e.into()
	}

	/// The chain's genesis hash (what attestations are bound to).
	pub fn genesis(&self) -> Hash32 {
		Hash32::from(self.client.genesis_hash().0)
	}

	/// The decision (and anchor check) for one read, asked with every other read in flight.
	pub async fn ask(&self, question: ReadQuestion) -> Result<ReadAnswer, ChainError> {
		let (tx, rx) = oneshot::channel();
		self.questions
			.send((question, tx))
			.await
			.map_err(|_| ChainError::Unavailable("the gateway is shutting down".into()))?;
		rx.await
			.map_err(|_| ChainError::Unavailable("the question was dropped".into()))?
			.map_err(ChainError::Unavailable)
	}

	/// Who `who` is for `patient` at the best block: the patient, a guardian in force, or
	/// neither (a reader who is no provider reads only as one of these).
	pub async fn actor_for(
		&self,
		patient: PatientId,
		who: &AccountId,
	) -> Result<Option<PatientActor>, ChainError> {
		Ok(self.client.actor_for(patient, who, At::Best).await?.value)
	}

	/// Relays reads to the patients' trails in their readers' names.
	pub async fn report(
		&self,
		reads: Vec<AttestedRead<AccountId, MultiSignature>>,
	) -> Result<Submitted, ChainError> {
		let (i, relayer) = self.next_relayer();
		self.client
			.report_attested(relayer, reads, Wait::InBlock)
			.await
			.map_err(|e| Self::relay_error(i, relayer, e))
	}

	/// Relays writes to be anchored in their writers' names: each write's record, in order.
	pub async fn anchor(
		&self,
		writes: Vec<AttestedWrite<AccountId, MultiSignature>>,
	) -> Result<(Vec<RecordId>, Submitted), ChainError> {
		let (i, relayer) = self.next_relayer();
		self.client
			.anchor_attested(relayer, writes, Wait::InBlock)
			.await
			.map_err(|e| Self::relay_error(i, relayer, e))
	}

	/// Relays erasures in their requesters' names.
	pub async fn erase(
		&self,
		erasures: Vec<medchain_primitives::attestation::AttestedErase<AccountId, MultiSignature>>,
	) -> Result<Submitted, ChainError> {
		let (i, relayer) = self.next_relayer();
		self.client
			.erase_attested(relayer, erasures, Wait::InBlock)
			.await
			.map_err(|e| Self::relay_error(i, relayer, e))
	}

	/// What permits `attestation`'s writer to append it now: a grant or an emergency access,
	/// or nothing for the patient's own record; refused (as the chain would refuse it) if
	/// nothing does.
	pub async fn append_basis(
		&self,
		attestation: &medchain_primitives::attestation::WriteAttestation<AccountId>,
	) -> Result<Option<medchain_primitives::ConsentRef>, ChainError> {
		use medchain_primitives::{Action, ConsentRef, DenyReason};
		let decision = self
			.ask(ReadQuestion {
				question: AccessQuestion {
					patient: attestation.patient,
					accessor: attestation.writer,
					category: attestation.category,
					purpose: attestation.purpose,
					action: Action::Append,
				},
				anchor: None,
			})
			.await?
			.decision;
		match decision {
			Decision::Permit { grant_id, .. } => Ok(Some(ConsentRef::Grant(grant_id))),
			Decision::PermitEmergency { access_id, .. } => {
				Ok(Some(ConsentRef::Emergency(access_id)))
			},
			Decision::Deny(DenyReason::NotActiveProvider)
				if self.actor_for(attestation.patient, &attestation.writer).await?
					== Some(PatientActor::Patient) =>
			{
				Ok(None)
			},
			other => Err(ChainError::Refused(ClientError::Dispatch {
				pallet: "records".into(),
				error: "NoAppendGrant".into(),
				docs: format!("the chain's decision for this write is {other:?}"),
			})),
		}
	}

	/// The best block's number (readiness, metrics).
	pub async fn best(&self) -> Result<u32, ChainError> {
		Ok(self.client.block(At::Best).await?.number)
	}
}

/// The most answers remembered for one block (questions and anchors each): beyond it, the
/// memory starts afresh.
const REMEMBERED_MAX: usize = 65_536;

/// The chain's answers at one block, by question (SCALE-encoded) and by anchor.
#[derive(Default)]
struct BlockAnswers {
	block: Option<medchain_client::BlockHash>,
	decisions: HashMap<Vec<u8>, Decision>,
	verifications: HashMap<(RecordId, Hash32), RecordVerification>,
}

impl BlockAnswers {
	/// Forgets everything unless the answers are `block`'s.
	fn at(&mut self, block: medchain_client::BlockHash) {
		let full = self.decisions.len().max(self.verifications.len()) >= REMEMBERED_MAX;
		if self.block != Some(block) || full {
			*self = BlockAnswers { block: Some(block), ..Default::default() };
		}
	}
}

/// Answers questions as they come, as many at a time as are waiting (up to `batch`): one
/// `check_access_batch` and one `verify_batch` call per round, both at the best block, for
/// what that block has not answered yet.
async fn answer_questions(
	client: Client,
	mut rx: mpsc::Receiver<Pending>,
	batch: usize,
	answers: prometheus::IntCounterVec,
) {
	let mut remembered = BlockAnswers::default();
	while let Some(first) = rx.recv().await {
		let mut round = vec![first];
		while round.len() < batch {
			match rx.try_recv() {
				Ok(next) => round.push(next),
				Err(_) => break,
			}
		}
		let asked = ask_round(&client, &round, &mut remembered).await;
		let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
		answers.with_label_values(&["chain"]).inc_by(count(asked.asked));
		answers.with_label_values(&["block-memory"]).inc_by(count(asked.remembered));
		for ((_, reply), answer) in round.into_iter().zip(asked.answers) {
			let _ = reply.send(answer);
		}
	}
}

/// A round's answers; of the decisions and anchor checks they hold, how many the node was asked
/// for, and how many were the best block's answers taken again (none if the round failed).
struct Round {
	answers: Vec<Result<ReadAnswer, String>>,
	asked: usize,
	remembered: usize,
}

async fn ask_round(client: &Client, round: &[Pending], remembered: &mut BlockAnswers) -> Round {
	let failed = |e: String| Round {
		answers: round.iter().map(|_| Err(e.clone())).collect(),
		asked: 0,
		remembered: 0,
	};
	let block = match client.block(At::Best).await {
		Ok(block) => block,
		Err(e) => return failed(e.to_string()),
	};
	remembered.at(block.hash);
	// What this block has not answered yet, each once.
	let (mut questions, mut keys, mut anchors) = (Vec::new(), Vec::new(), Vec::new());
	let (mut wanted, mut wanted_anchors) = (HashSet::new(), HashSet::new());
	for (q, _) in round {
		let key = q.question.encode();
		if !remembered.decisions.contains_key(&key) && wanted.insert(key.clone()) {
			questions.push(q.question.clone());
			keys.push(key);
		}
		if let Some(anchor) = q.anchor {
			if !remembered.verifications.contains_key(&anchor) && wanted_anchors.insert(anchor) {
				anchors.push(anchor);
			}
		}
	}
	let asked = questions.len().saturating_add(anchors.len());
	let at = At::Hash(block.hash);
	let decisions = async {
		if questions.is_empty() {
			Ok(Read { value: Vec::new(), at: block })
		} else {
			client.decide_batch(&questions, at).await
		}
	};
	let verifications = async {
		if anchors.is_empty() {
			Ok(Read { value: Vec::new(), at: block })
		} else {
			client.verify_batch(&anchors, at).await
		}
	};
	let (decisions, verifications) = tokio::join!(decisions, verifications);
	let (decisions, verifications) = match (decisions, verifications) {
		(Ok(d), Ok(v)) => (d.value, v.value),
		(Err(e), _) | (_, Err(e)) => return failed(e.to_string()),
	};
	if decisions.len() != keys.len() || verifications.len() != anchors.len() {
		return failed("the chain answered another number of questions than it was asked".into());
	}
	remembered.decisions.extend(keys.into_iter().zip(decisions));
	remembered.verifications.extend(anchors.into_iter().zip(verifications));
	let answers = round
		.iter()
		.map(|(q, _)| {
			let decision = remembered
				.decisions
				.get(&q.question.encode())
				.cloned()
				.ok_or("the chain left a question unanswered")?;
			let verification = match q.anchor {
				Some(anchor) => Some(
					*remembered
						.verifications
						.get(&anchor)
						.ok_or("the chain left an anchor unanswered")?,
				),
				None => None,
			};
			Ok(ReadAnswer { decision, verification, block: block.number })
		})
		.collect();
	// Every question has a decision, and an anchor check if it names a record.
	let anchored = round.iter().filter(|(q, _)| q.anchor.is_some()).count();
	let remembered = round.len().saturating_add(anchored).saturating_sub(asked);
	Round { answers, asked, remembered }
}
