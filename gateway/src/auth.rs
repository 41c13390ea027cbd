//! Who is asking: every request but `/metadata`, `/openapi.json` and the probes is signed with
//! a chain account's key (RFC 9421, `medchain_client::httpsig`), at most once (the nonce is
//! remembered until the signature expires), and says its purpose of use.
//!
//! **When the nonce is remembered**: a request that changes something (POST, PUT, DELETE) has
//! its nonce committed before the handler acts. A read (GET, HEAD) changes nothing until it
//! serves: its nonce goes to a [`DeferredNonce`] that [`claim_nonce`] put on the request, and is
//! committed together with the read's report when one is served (one commit, not two:
//! `Outbox::push_with_nonce`), or by [`claim_nonce`] before any other answer leaves. Either way
//! no answer leaves before its nonce is durable, and of two requests with the same nonce only
//! one is answered: the other, even if both were decided at once, gets 401 `replayed` and
//! nothing is reported for it.
//!
//! Reads also carry the reader's **access ticket** (`Medchain-Ticket`), writes the writer's
//! **write attestation** (`Medchain-Write`), erasures the requester's **erase attestations**
//! (`Medchain-Erase`): base64 of the SCALE encoding of the attestation and its signature
//! (docs/gateway.md, "Signed requests"). The gateway checks them here and relays them to the
//! chain, which checks them again: the gateway cannot act in anyone's name without them.

use std::sync::{Arc, Mutex};

use axum::{
	body::Bytes,
	extract::{FromRequest, Request, State},
	http::{header, HeaderMap, Method},
	middleware::Next,
	response::{IntoResponse, Response},
};
use base64::{engine::general_purpose::STANDARD, Engine as _};
use codec::Decode;
use medchain_client::httpsig::{self, RequestParts, SignatureError};
use medchain_primitives::{
	attestation::{AccessTicket, EraseAttestation, WriteAttestation},
	Hash32, Moment, Purpose,
};
use subxt::utils::MultiSignature;

use crate::{chain::AccountId, error::ApiError, store::Nonce, AppState};

/// The purpose header: a FHIR PurposeOfUse (v3 ActReason) code, bare or `system|code`.
pub const PURPOSE_HEADER: &str = "medchain-purpose";
/// The break-glass flag: `?1` (an RFC 8941 boolean) when the reader relies on an open
/// emergency access.
pub const BREAK_GLASS_HEADER: &str = "medchain-break-glass";
pub const TICKET_HEADER: &str = "medchain-ticket";
pub const WRITE_HEADER: &str = "medchain-write";
pub const ERASE_HEADER: &str = "medchain-erase";

/// A request whose signature verified: who signed it, for which purpose, and its body.
#[derive(Debug)]
pub struct Signed {
	pub signer: AccountId,
	pub purpose: Option<Purpose>,
	pub break_glass: bool,
	pub headers: HeaderMap,
	pub body: Bytes,
	/// A read's nonce, not yet remembered (see the module's documentation).
	deferred: Option<DeferredNonce>,
}

/// Where a read's nonce waits to be remembered: with the read's report, or by [`claim_nonce`].
#[derive(Clone, Debug, Default)]
pub struct DeferredNonce(Arc<Mutex<Option<Nonce>>>);

impl DeferredNonce {
	fn put(&self, nonce: Nonce) {
		if let Ok(mut slot) = self.0.lock() {
			*slot = Some(nonce);
		}
	}

	fn take(&self) -> Option<Nonce> {
		self.0.lock().ok().and_then(|mut slot| slot.take())
	}
}

/// The answer to a request whose nonce was already used.
pub fn replayed() -> ApiError {
	ApiError::unauthenticated(
		"replayed",
		"this signed request was already received (its nonce is used): sign each request anew",
	)
}

/// Middleware: gives each request a [`DeferredNonce`], and remembers a nonce still waiting
/// there once the handler has answered, before the answer leaves: if it was used already, the
/// answer is 401 `replayed` instead.
pub async fn claim_nonce(
	State(state): State<AppState>,
	mut request: Request,
	next: Next,
) -> Response {
	let slot = DeferredNonce::default();
	request.extensions_mut().insert(slot.clone());
	let response = next.run(request).await;
	let Some(nonce) = slot.take() else {
		return response;
	};
	match state.store.remember_nonce(&nonce.signer, &nonce.nonce, nonce.expires).await {
		Ok(true) => response,
		Ok(false) => replayed().into_response(),
		Err(e) => ApiError::from(e).into_response(),
	}
}

fn now_ms() -> Moment {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_millis() as Moment)
		.unwrap_or(0)
}

impl FromRequest<AppState> for Signed {
	type Rejection = ApiError;

	async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
		let (parts, body) = request.into_parts();
		let limit = state.config.max_body_bytes;
		let body = axum::body::to_bytes(body, limit).await.map_err(|_| {
			let mut e = ApiError::new(
				axum::http::StatusCode::PAYLOAD_TOO_LARGE,
				medchain_fhir::outcome::IssueType::TooLong,
				"too-large",
				format!("the body is larger than {limit} bytes: send less"),
			);
			e.retry_after = None;
			e
		})?;
		let host = parts
			.headers
			.get(header::HOST)
			.and_then(|h| h.to_str().ok())
			.or_else(|| parts.uri.authority().map(|a| a.as_str()))
			.unwrap_or_default();
		let authority = state.config.public_authority.as_deref().unwrap_or(host);
		let mut covered = Vec::new();
		for (name, value) in &parts.headers {
			let name = name.as_str();
			if name == "content-digest" || name.starts_with("medchain-") {
				let value = value.to_str().map_err(|_| {
					ApiError::bad_request(
						"header",
						format!("the {name} header is not visible ASCII"),
					)
				})?;
				covered.push((name, value));
			}
		}
		let request_parts = RequestParts {
			method: parts.method.as_str(),
			authority,
			path: parts.uri.path(),
			query: parts.uri.query(),
			headers: covered,
		};
		let header_str = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
		let now = now_ms() / 1_000;
		let verified = httpsig::verify(
			&request_parts,
			header_str("signature-input"),
			header_str("signature"),
			&body,
			now,
		)
		.map_err(signature_error)?;
		let nonce = Nonce {
			signer: verified.signer.to_string(),
			nonce: verified.nonce,
			expires: (verified.expires as i64).saturating_mul(1_000),
		};
		// A read's nonce waits for the read's answer; anything else's is remembered now, before
		// the handler acts (and so is a read's on a router without `claim_nonce`).
		let slot = parts.extensions.get::<DeferredNonce>();
		let deferred = match slot {
			Some(slot) if parts.method == Method::GET || parts.method == Method::HEAD => {
				slot.put(nonce);
				Some(slot.clone())
			},
			_ => {
				if !state.store.remember_nonce(&nonce.signer, &nonce.nonce, nonce.expires).await? {
					return Err(replayed());
				}
				None
			},
		};
		let purpose = match header_str(PURPOSE_HEADER) {
			None => None,
			Some(text) => Some(medchain_fhir::resources::purpose_of_use(text).ok_or_else(|| {
				ApiError::bad_request(
					"purpose",
					format!("{PURPOSE_HEADER}: {text:?} is not a purpose of use (TREAT, HPAYMT, HOPERAT, HRESCH, PUBHLTH, ETREAT)"),
				)
			})?),
		};
		let break_glass = matches!(header_str(BREAK_GLASS_HEADER), Some("?1"));
		Ok(Signed {
			signer: verified.signer,
			purpose,
			break_glass,
			headers: parts.headers,
			body,
			deferred,
		})
	}
}

fn signature_error(e: SignatureError) -> ApiError {
	let detail = match &e {
		SignatureError::Missing => "unsigned",
		SignatureError::Expired { .. } => "signature-expired",
		SignatureError::DigestMismatch => "digest-mismatch",
		SignatureError::BadSignature(_) => "bad-signature",
		_ => "bad-signature-parameters",
	};
	ApiError::unauthenticated(detail, e.to_string())
}

impl Signed {
	/// The read's nonce if it still waits to be remembered: whoever takes it must remember it
	/// before answering (the read's report does, in the same commit).
	pub fn take_nonce(&self) -> Option<Nonce> {
		self.deferred.as_ref().and_then(DeferredNonce::take)
	}

	/// The purpose the request names, required.
	pub fn purpose(&self) -> Result<Purpose, ApiError> {
		self.purpose.ok_or_else(|| {
			ApiError::bad_request(
				"purpose",
				format!("say why: send a {PURPOSE_HEADER} header (TREAT, HPAYMT, HOPERAT, HRESCH, PUBHLTH or ETREAT)"),
			)
		})
	}

	fn attestation<T: Decode>(
		&self,
		header: &str,
		what: &str,
	) -> Result<Option<(T, MultiSignature)>, ApiError> {
		let Some(value) = self.headers.get(header) else { return Ok(None) };
		let bad = |why: String| ApiError::bad_request(header, format!("{header}: {why}"));
		let bytes =
			STANDARD.decode(value.as_bytes()).map_err(|e| bad(format!("not base64: {e}")))?;
		let decoded = <(T, MultiSignature)>::decode(&mut &bytes[..])
			.map_err(|e| bad(format!("not a SCALE-encoded {what} and signature: {e}")))?;
		Ok(Some(decoded))
	}

	/// The reader's access ticket, checked against who signed the request and when: the
	/// ticket is the reader's, and valid now.
	pub fn ticket(
		&self,
		genesis: &Hash32,
	) -> Result<(AccessTicket<AccountId>, MultiSignature), ApiError> {
		let (ticket, signature) = self
			.attestation::<AccessTicket<AccountId>>(TICKET_HEADER, "access ticket")?
			.ok_or_else(|| {
				ApiError::unauthenticated(
					"no-ticket",
					format!("a read carries the reader's signed access ticket ({TICKET_HEADER}): see docs/gateway.md"),
				)
			})?;
		if ticket.reader != self.signer {
			return Err(ApiError::forbidden(
				"ticket-not-signers",
				"the access ticket is another account's",
			));
		}
		let now = now_ms();
		use medchain_primitives::attestation::{MAX_CLOCK_SKEW, MAX_TICKET_LIFETIME};
		if ticket.expires <= ticket.created || ticket.expires - ticket.created > MAX_TICKET_LIFETIME
		{
			return Err(ApiError::bad_request(
				"ticket-lifetime",
				"an access ticket is valid for at most 5 minutes",
			));
		}
		if ticket.created > now.saturating_add(MAX_CLOCK_SKEW) {
			return Err(ApiError::unauthenticated(
				"ticket-future",
				"the access ticket was made in the future: check the clock",
			));
		}
		if now >= ticket.expires {
			return Err(ApiError::unauthenticated(
				"ticket-expired",
				"the access ticket expired: make a new one",
			));
		}
		verify_signature(&ticket.payload(genesis), &signature, &ticket.reader, TICKET_HEADER)?;
		Ok((ticket, signature))
	}

	/// The writer's attestation, checked: the signer's, and signed by it.
	pub fn write_attestation(
		&self,
		genesis: &Hash32,
	) -> Result<(WriteAttestation<AccountId>, MultiSignature), ApiError> {
		let (attestation, signature) = self
			.attestation::<WriteAttestation<AccountId>>(WRITE_HEADER, "write attestation")?
			.ok_or_else(|| {
				ApiError::unauthenticated(
					"no-write-attestation",
					format!("a write carries the writer's signed attestation ({WRITE_HEADER}): see docs/gateway.md"),
				)
			})?;
		if attestation.writer != self.signer {
			return Err(ApiError::forbidden(
				"attestation-not-signers",
				"the write attestation is another account's",
			));
		}
		verify_signature(
			&attestation.payload(genesis),
			&signature,
			&attestation.writer,
			WRITE_HEADER,
		)?;
		Ok((attestation, signature))
	}

	/// The requester's erase attestations (one per record version), each the signer's.
	pub fn erase_attestations(
		&self,
		genesis: &Hash32,
	) -> Result<Vec<(EraseAttestation<AccountId>, MultiSignature)>, ApiError> {
		let Some(value) = self.headers.get(ERASE_HEADER) else {
			return Err(ApiError::unauthenticated(
				"no-erase-attestation",
				format!("an erasure carries the requester's signed attestations ({ERASE_HEADER}), one per version: see docs/gateway.md"),
			));
		};
		let text = value.to_str().map_err(|_| ApiError::bad_request(ERASE_HEADER, "not ASCII"))?;
		let mut out = Vec::new();
		for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
			let bytes = STANDARD.decode(item).map_err(|e| {
				ApiError::bad_request(ERASE_HEADER, format!("{ERASE_HEADER}: not base64: {e}"))
			})?;
			let (attestation, signature) = <(EraseAttestation<AccountId>, MultiSignature)>::decode(
				&mut &bytes[..],
			)
			.map_err(|e| {
				ApiError::bad_request(
					ERASE_HEADER,
					format!("{ERASE_HEADER}: not an erase attestation: {e}"),
				)
			})?;
			if attestation.by != self.signer {
				return Err(ApiError::forbidden(
					"attestation-not-signers",
					"an erase attestation is another account's",
				));
			}
			verify_signature(
				&attestation.payload(genesis),
				&signature,
				&attestation.by,
				ERASE_HEADER,
			)?;
			out.push((attestation, signature));
		}
		Ok(out)
	}
}

/// Checks an sr25519 signature over `payload` by `who`.
fn verify_signature(
	payload: &[u8],
	signature: &MultiSignature,
	who: &AccountId,
	header: &str,
) -> Result<(), ApiError> {
	let MultiSignature::Sr25519(bytes) = signature else {
		return Err(ApiError::bad_request(header, format!("{header}: sign with sr25519")));
	};
	let ok = subxt_signer::sr25519::verify(
		&subxt_signer::sr25519::Signature(*bytes),
		payload,
		&subxt_signer::sr25519::PublicKey(who.0),
	);
	if ok {
		Ok(())
	} else {
		Err(ApiError::unauthenticated(
			"bad-attestation-signature",
			format!("{header}: the signature does not verify with the key of {who}"),
		))
	}
}

/// The current time in ms (for tickets and writes).
pub fn now() -> Moment {
	now_ms()
}
