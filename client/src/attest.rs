//! Attestations: what a person signs so that a gateway acts on the chain in that person's name
//! (an access ticket for a read, a write attestation, an erase attestation), and the calls a
//! gateway relays them with (`medchain_primitives::attestation` has the payloads byte by
//! byte).

use base64::{engine::general_purpose::STANDARD, Engine as _};
use codec::Encode;
use medchain_primitives::{
	attestation::{
		AccessTicket, AttestedErase, AttestedRead, AttestedWrite, EraseAttestation,
		WriteAttestation, MAX_TICKET_LIFETIME,
	},
	Categories, Category, Hash32, Moment, PatientActor, PatientId, Purpose, RecordId,
	RecordVerification,
};
use subxt::{transactions::Signer, utils::MultiSignature};

use crate::{
	runtime, scale::convert, AccountId, At, Client, Error, MedchainConfig, Read, Submitted, Wait,
};

/// A random 16-byte nonce.
pub fn nonce() -> Result<[u8; 16], Error> {
	let mut nonce = [0u8; 16];
	getrandom::fill(&mut nonce).map_err(|e| Error::Key(format!("no randomness: {e}")))?;
	Ok(nonce)
}

/// The time now, in ms since the epoch.
pub fn now_ms() -> Moment {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_millis() as Moment)
		.unwrap_or(0)
}

/// An access ticket of `signer`'s for `categories` of `patient`'s data (one `record`, or any)
/// for `purpose`, valid from now for `lifetime` ms (at most five minutes), signed.
pub fn access_ticket<S: Signer<MedchainConfig>>(
	signer: &S,
	genesis: &Hash32,
	patient: PatientId,
	purpose: Purpose,
	categories: Categories,
	record: Option<RecordId>,
	lifetime: Moment,
) -> Result<(AccessTicket<AccountId>, MultiSignature), Error> {
	let created = now_ms();
	let ticket = AccessTicket {
		reader: signer.account_id(),
		patient,
		purpose,
		categories,
		record,
		created,
		expires: created.saturating_add(lifetime.clamp(1, MAX_TICKET_LIFETIME)),
		nonce: nonce()?,
	};
	let signature = signer.sign(&ticket.payload(genesis));
	Ok((ticket, signature))
}

/// A write attestation of `signer`'s: a record of `patient` with `content_hash`, of
/// `category`, for `purpose` (a new version of `supersedes`, if given), signed now.
pub fn write_attestation<S: Signer<MedchainConfig>>(
	signer: &S,
	genesis: &Hash32,
	patient: PatientId,
	category: Category,
	purpose: Purpose,
	content_hash: Hash32,
	supersedes: Option<RecordId>,
) -> Result<(WriteAttestation<AccountId>, MultiSignature), Error> {
	let attestation = WriteAttestation {
		writer: signer.account_id(),
		patient,
		category,
		purpose,
		content_hash,
		supersedes,
		created: now_ms(),
		nonce: nonce()?,
	};
	let signature = signer.sign(&attestation.payload(genesis));
	Ok((attestation, signature))
}

/// An erase attestation of `signer`'s for `record`, signed now.
pub fn erase_attestation<S: Signer<MedchainConfig>>(
	signer: &S,
	genesis: &Hash32,
	record: RecordId,
) -> Result<(EraseAttestation<AccountId>, MultiSignature), Error> {
	let attestation =
		EraseAttestation { by: signer.account_id(), record, created: now_ms(), nonce: nonce()? };
	let signature = signer.sign(&attestation.payload(genesis));
	Ok((attestation, signature))
}

/// An attestation and its signature as a gateway's header carries them: base64 of their SCALE
/// encoding.
pub fn header_value<T: Encode>(attestation: &T, signature: &MultiSignature) -> String {
	STANDARD.encode((attestation, signature).encode())
}

impl Client {
	/// `audit.report_attested`, signed by the relaying `relayer`: reads to append to patients'
	/// trails in their readers' names.
	pub async fn report_attested<S: Signer<MedchainConfig>>(
		&self,
		relayer: &S,
		reads: Vec<AttestedRead<AccountId, MultiSignature>>,
		wait: Wait,
	) -> Result<Submitted, Error> {
		let call = runtime::tx().audit().report_attested(convert(&reads)?);
		self.submit(&call, relayer, wait).await
	}

	/// `records.anchor_attested`, signed by the relaying `relayer`: writes to anchor in their
	/// writers' names. Gives each write's record (the one made now, or, for a write relayed
	/// before, the one made then), in order.
	pub async fn anchor_attested<S: Signer<MedchainConfig>>(
		&self,
		relayer: &S,
		writes: Vec<AttestedWrite<AccountId, MultiSignature>>,
		wait: Wait,
	) -> Result<(Vec<RecordId>, Submitted), Error> {
		let count = writes.len();
		let call = runtime::tx().records().anchor_attested(convert(&writes)?);
		let submitted = self.submit(&call, relayer, wait).await?;
		let records = submitted
			.events
			.find::<runtime::records::events::WriteAttested>()
			.map(|e| e.map(|e| e.record_id))
			.collect::<Result<Vec<_>, _>>()
			.map_err(|e| Error::Conversion {
				what: "WriteAttested".into(),
				reason: e.to_string(),
			})?;
		if records.len() != count {
			return Err(Error::MissingEvent {
				event: "WriteAttested",
				block: submitted.block_hash,
			});
		}
		Ok((records, submitted))
	}

	/// `records.erase_attested`, signed by the relaying `relayer`.
	pub async fn erase_attested<S: Signer<MedchainConfig>>(
		&self,
		relayer: &S,
		erasures: Vec<AttestedErase<AccountId, MultiSignature>>,
		wait: Wait,
	) -> Result<Submitted, Error> {
		let call = runtime::tx().records().erase_attested(convert(&erasures)?);
		self.submit(&call, relayer, wait).await
	}

	/// `RecordsApi::verify_batch`: [`Client::verify_record`] for many records at one block.
	pub async fn verify_batch(
		&self,
		items: &[(RecordId, Hash32)],
		at: At,
	) -> Result<Read<Vec<RecordVerification>>, Error> {
		let block = self.block(at).await?;
		let client = self.api().at_block(block.hash).await?;
		let payload = runtime::runtime_apis().records_api().verify_batch(convert(&items.to_vec())?);
		let value: Vec<runtime::runtime_types::medchain_primitives::records::RecordVerification> =
			client.runtime_apis().call(payload).await?;
		Ok(Read { value: convert(&value)?, at: block })
	}

	/// Who `who` is for `patient` at `at`: its controller, a guardian in force (with its
	/// scope), or neither (`ConsentApi::acts_for`).
	pub async fn actor_for(
		&self,
		patient: PatientId,
		who: &AccountId,
		at: At,
	) -> Result<Read<Option<PatientActor>>, Error> {
		let block = self.block(at).await?;
		let client = self.api().at_block(block.hash).await?;
		let payload = runtime::runtime_apis().consent_api().acts_for(patient, *who);
		let value: Option<runtime::runtime_types::medchain_primitives::patients::PatientActor> =
			client.runtime_apis().call(payload).await?;
		Ok(Read { value: convert(&value)?, at: block })
	}
}
