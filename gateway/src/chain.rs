//! The gateway's side of the chain: the consent decisions and anchor checks every read waits
//! for (batched: one round trip answers every request in flight), and the transactions that
//! relay what the gateway's users signed (anchors, read reports, erasures).
//!
//! Nothing here decides: the chain does. If it cannot be asked, the answer is
//! [`ChainError::Unavailable`] and the gateway fails closed.

use std::{sync::Arc, time::Duration};

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
	relayer: Arc<Keypair>,
	questions: mpsc::Sender<Pending>,
}

impl Chain {
	/// Connects to `url`, relaying as `relayer`; questions are asked `batch` at a time at most.
	pub async fn connect(url: &str, relayer: Keypair, batch: usize) -> Result<Self, ChainError> {
		let options =
			ClientOptions { request_timeout: Duration::from_secs(10), ..Default::default() };
		let client = Client::connect_with(url, options).await?;
		let (questions, rx) = mpsc::channel::<Pending>(batch.saturating_mul(8).max(64));
		tokio::spawn(answer_questions(client.clone(), rx, batch.max(1)));
		Ok(Self { client, relayer: Arc::new(relayer), questions })
	}

	/// The client, for what the gateway reads directly.
	pub fn client(&self) -> &Client {
		&self.client
	}

	/// The relayer's account.
	pub fn relayer(&self) -> AccountId {
		AccountId::from(self.relayer.public_key())
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
		Ok(self.client.report_attested(&*self.relayer, reads, Wait::InBlock).await?)
	}

	/// Relays writes to be anchored in their writers' names: each write's record, in order.
	pub async fn anchor(
		&self,
		writes: Vec<AttestedWrite<AccountId, MultiSignature>>,
	) -> Result<(Vec<RecordId>, Submitted), ChainError> {
		Ok(self.client.anchor_attested(&*self.relayer, writes, Wait::InBlock).await?)
	}

	/// Relays erasures in their requesters' names.
	pub async fn erase(
		&self,
		erasures: Vec<medchain_primitives::attestation::AttestedErase<AccountId, MultiSignature>>,
	) -> Result<Submitted, ChainError> {
		Ok(self.client.erase_attested(&*self.relayer, erasures, Wait::InBlock).await?)
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

/// Answers questions as they come, as many at a time as are waiting (up to `batch`): one
/// `check_access_batch` and one `verify_batch` call per round, both at the best block.
async fn answer_questions(client: Client, mut rx: mpsc::Receiver<Pending>, batch: usize) {
	while let Some(first) = rx.recv().await {
		let mut round = vec![first];
		while round.len() < batch {
			match rx.try_recv() {
				Ok(next) => round.push(next),
				Err(_) => break,
			}
		}
		let answers = ask_round(&client, &round).await;
		for ((_, reply), answer) in round.into_iter().zip(answers) {
			let _ = reply.send(answer);
		}
	}
}

async fn ask_round(client: &Client, round: &[Pending]) -> Vec<Result<ReadAnswer, String>> {
	let failed = |e: String| round.iter().map(|_| Err(e.clone())).collect();
	let block = match client.block(At::Best).await {
		Ok(block) => block,
		Err(e) => return failed(e.to_string()),
	};
	let questions: Vec<AccessQuestion<AccountId>> =
		round.iter().map(|(q, _)| q.question.clone()).collect();
	let anchors: Vec<(RecordId, Hash32)> = round.iter().filter_map(|(q, _)| q.anchor).collect();
	let at = At::Hash(block.hash);
	let decisions = client.decide_batch(&questions, at);
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
	let mut verifications = verifications.into_iter();
	round
		.iter()
		.zip(decisions)
		.map(|((q, _), decision)| {
			let verification = match q.anchor {
				Some(_) => Some(verifications.next().ok_or("the chain answered too few anchors")?),
				None => None,
			};
			Ok(ReadAnswer { decision, verification, block: block.number })
		})
		.collect()
}
