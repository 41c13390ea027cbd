//! Signed HTTP requests: RFC 9421 HTTP Message Signatures made with a chain account's key, the
//! scheme a medchain gateway authenticates every request by (docs/gateway.md, "Signed
//! requests", has it byte by byte with an example).
//!
//! - **Covered components**: `"@method" "@authority" "@path" "@query"`, `"content-digest"` (RFC
//!   9530, `sha-256`) when the request has a body, and every `medchain-*` header the request
//!   carries (the purpose of use, the access ticket, break-glass).
//! - **Parameters**: `created` and `expires` (seconds since the epoch; at most
//!   [`MAX_LIFETIME_SECS`] apart), `nonce` (16 to 64 characters, never reused: the gateway
//!   remembers each until it expires) and `keyid`, the signer's account in SS58. No `alg`: the
//!   key id names an sr25519 key, and the signature is its 64 bytes.
//! - **Label**: `medchain`. The signature is over the signature base of RFC 9421 §2.5, as bytes
//!   (UTF-8), with no prefix.
//!
//! No password and no shared secret: the gateway learns who asks from the signature alone, and
//! asks the chain what that account may see.

use base64::{engine::general_purpose::STANDARD, Engine as _};
use sfv::{BareItem, Dictionary, KeyRef, ListEntry, ListSerializer, Parser, StringRef};
use sha2::{Digest, Sha256};

use crate::{AccountId, MedchainConfig};

/// The label of medchain's signature in `Signature-Input` and `Signature`.
pub const LABEL: &str = "medchain";
/// The longest a signature may be valid for (`expires - created`), in seconds.
pub const MAX_LIFETIME_SECS: u64 = 300;
/// How far ahead of the verifier's clock `created` may be, in seconds (clocks drift).
pub const MAX_SKEW_SECS: u64 = 30;

/// Why a request's signature was not accepted. Each says what the client has to change.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
	#[error("the request is not signed: send Signature-Input and Signature headers (label `medchain`, RFC 9421)")]
	Missing,
	#[error("the signature headers do not parse: {0}")]
	Malformed(String),
	#[error("the signature does not cover {0}: sign it too")]
	NotCovered(String),
	#[error("the signature lacks the `{0}` parameter")]
	MissingParameter(&'static str),
	#[error("the signature expired at {expires} (now {now}): sign the request again")]
	Expired { expires: u64, now: u64 },
	#[error(
		"the signature was created in the future ({created}, now {now}): check the client's clock"
	)]
	NotYetValid { created: u64, now: u64 },
	#[error("the signature is valid for {0} s, more than the {MAX_LIFETIME_SECS} s allowed")]
	TooLong(u64),
	#[error("the nonce must be 16 to 64 characters")]
	BadNonce,
	#[error("keyid {0:?} is not an SS58 account")]
	BadKeyId(String),
	#[error("the body does not match its Content-Digest")]
	DigestMismatch,
	#[error("the signature does not verify with the key of {0}")]
	BadSignature(String),
	#[error("the signer is not an sr25519 key: medchain signs requests with sr25519")]
	NotSr25519,
}

/// What is signed of a request. Header names in lower case.
#[derive(Clone, Debug)]
pub struct RequestParts<'a> {
	pub method: &'a str,
	/// `host[:port]` as the client addressed it.
	pub authority: &'a str,
	/// The path, as sent (percent-encoded).
	pub path: &'a str,
	/// The query without its `?`, if any.
	pub query: Option<&'a str>,
	/// The request's headers (lower-case names) that may be covered: `content-digest` and every
	/// `medchain-*` one. Others are ignored.
	pub headers: Vec<(&'a str, &'a str)>,
}

/// The `Content-Digest` header of a body (RFC 9530): `sha-256=:<base64>:`.
pub fn content_digest(body: &[u8]) -> String {
	format!("sha-256=:{}:", STANDARD.encode(Sha256::digest(body)))
}

/// A verified signature: who signed, and until when it holds (the nonce must be remembered
/// until then).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
	pub signer: AccountId,
	pub created: u64,
	pub expires: u64,
	pub nonce: String,
}

/// The headers that sign a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureHeaders {
	pub signature_input: String,
	pub signature: String,
}

fn covered_components(parts: &RequestParts<'_>) -> Vec<String> {
	let mut covered: Vec<String> = ["@method", "@authority", "@path", "@query"]
		.iter()
		.map(|s| (*s).to_owned())
		.collect();
	let mut headers: Vec<&str> = parts
		.headers
		.iter()
		.map(|(name, _)| *name)
		.filter(|name| *name == "content-digest" || name.starts_with("medchain-"))
		.collect();
	headers.sort_unstable();
	headers.dedup();
	covered.extend(headers.into_iter().map(str::to_owned));
	covered
}

/// The value of `component` in `parts`, as RFC 9421 §2 defines it.
fn component_value(parts: &RequestParts<'_>, component: &str) -> Option<String> {
	match component {
		"@method" => Some(parts.method.to_owned()),
		"@authority" => Some(parts.authority.to_ascii_lowercase()),
		"@path" => Some(if parts.path.is_empty() { "/".into() } else { parts.path.to_owned() }),
		"@query" => Some(format!("?{}", parts.query.unwrap_or_default())),
		name => {
			let values: Vec<&str> = parts
				.headers
				.iter()
				.filter(|(n, _)| n.eq_ignore_ascii_case(name))
				.map(|(_, v)| v.trim())
				.collect();
			(!values.is_empty()).then(|| values.join(", "))
		},
	}
}

/// `@signature-params`: the inner list of covered components with its parameters, serialized
/// as RFC 8941 says.
fn signature_params(
	covered: &[String],
	created: u64,
	expires: u64,
	nonce: &str,
	keyid: &str,
) -> Result<String, SignatureError> {
	let malformed = |e: sfv::Error| SignatureError::Malformed(e.to_string());
	let key = |k: &'static str| KeyRef::from_str(k).map_err(malformed);
	let int = |v: u64| {
		i64::try_from(v)
			.ok()
			.and_then(|v| sfv::Integer::try_from(v).ok())
			.ok_or_else(|| SignatureError::Malformed("a time out of range".into()))
	};
	let mut list = ListSerializer::new();
	{
		let mut inner = list.inner_list();
		for c in covered {
			inner.bare_item(StringRef::from_str(c).map_err(malformed)?);
		}
		inner
			.finish()
			.parameter(key("created")?, int(created)?)
			.parameter(key("expires")?, int(expires)?)
			.parameter(key("nonce")?, StringRef::from_str(nonce).map_err(malformed)?)
			.parameter(key("keyid")?, StringRef::from_str(keyid).map_err(malformed)?);
	}
	list.finish()
		.ok_or_else(|| SignatureError::Malformed("empty signature parameters".into()))
}

/// The signature base (RFC 9421 §2.5): one line per covered component, then
/// `"@signature-params"`.
fn signature_base(
	parts: &RequestParts<'_>,
	covered: &[String],
	params: &str,
) -> Result<String, SignatureError> {
	let mut base = String::new();
	for component in covered {
		let value = component_value(parts, component)
			.ok_or_else(|| SignatureError::NotCovered(format!("{component} (absent)")))?;
		base.push_str(&format!("\"{component}\": {value}\n"));
	}
	base.push_str(&format!("\"@signature-params\": {params}"));
	Ok(base)
}

/// Signs `parts` with `signer` (an sr25519 key: a [`crate::Keypair`], or any subxt `Signer`
/// such as a remote one), valid from `created` for `lifetime` seconds, under `nonce`.
pub fn sign<S: subxt::transactions::Signer<MedchainConfig>>(
	parts: &RequestParts<'_>,
	signer: &S,
	created: u64,
	lifetime: u64,
	nonce: &str,
) -> Result<SignatureHeaders, SignatureError> {
	let covered = covered_components(parts);
	let keyid = signer.account_id().to_string();
	let expires = created.saturating_add(lifetime.min(MAX_LIFETIME_SECS));
	let params = signature_params(&covered, created, expires, nonce, &keyid)?;
	let base = signature_base(parts, &covered, &params)?;
	let signature = match signer.sign(base.as_bytes()) {
		subxt::utils::MultiSignature::Sr25519(bytes) => bytes,
		_ => return Err(SignatureError::NotSr25519),
	};
	Ok(SignatureHeaders {
		signature_input: format!("{LABEL}={params}"),
		signature: format!("{LABEL}=:{}:", STANDARD.encode(signature)),
	})
}

fn string_param<'d>(
	params: &'d sfv::Parameters,
	name: &'static str,
) -> Result<&'d str, SignatureError> {
	params
		.get(name)
		.and_then(BareItem::as_string)
		.map(|s| s.as_str())
		.ok_or(SignatureError::MissingParameter(name))
}

fn int_param(params: &sfv::Parameters, name: &'static str) -> Result<u64, SignatureError> {
	params
		.get(name)
		.and_then(BareItem::as_integer)
		.and_then(|i| u64::try_from(i64::from(i)).ok())
		.ok_or(SignatureError::MissingParameter(name))
}

/// Verifies the request's signature at time `now` (seconds since the epoch): the components it
/// must cover, its times, its body's digest and the signature itself. Replays are the caller's
/// to refuse: remember [`Verified::nonce`] of [`Verified::signer`] until [`Verified::expires`].
pub fn verify(
	parts: &RequestParts<'_>,
	signature_input: Option<&str>,
	signature: Option<&str>,
	body: &[u8],
	now: u64,
) -> Result<Verified, SignatureError> {
	let (Some(input), Some(signature)) = (signature_input, signature) else {
		return Err(SignatureError::Missing);
	};
	let malformed = |what: &str| SignatureError::Malformed(what.to_owned());
	let inputs: Dictionary = Parser::new(input)
		.parse()
		.map_err(|e| SignatureError::Malformed(e.to_string()))?;
	let signatures: Dictionary = Parser::new(signature)
		.parse()
		.map_err(|e| SignatureError::Malformed(e.to_string()))?;
	let Some(ListEntry::InnerList(inner)) = inputs.get(LABEL) else {
		return Err(malformed("no `medchain` inner list in Signature-Input"));
	};
	let Some(ListEntry::Item(sig_item)) = signatures.get(LABEL) else {
		return Err(malformed("no `medchain` byte sequence in Signature"));
	};
	let sig_bytes: [u8; 64] = sig_item
		.bare_item
		.as_byte_sequence()
		.and_then(|b| b.try_into().ok())
		.ok_or_else(|| malformed("the signature is not 64 bytes"))?;
	let mut covered = Vec::with_capacity(inner.items.len());
	for item in &inner.items {
		let name = item
			.bare_item
			.as_string()
			.ok_or_else(|| malformed("a covered component is not a string"))?;
		covered.push(name.as_str().to_owned());
	}
	for required in covered_components(parts) {
		if !covered.contains(&required) {
			return Err(SignatureError::NotCovered(required));
		}
	}
	let created = int_param(&inner.params, "created")?;
	let expires = int_param(&inner.params, "expires")?;
	let nonce = string_param(&inner.params, "nonce")?.to_owned();
	let keyid = string_param(&inner.params, "keyid")?.to_owned();
	if created > now.saturating_add(MAX_SKEW_SECS) {
		return Err(SignatureError::NotYetValid { created, now });
	}
	if expires <= now {
		return Err(SignatureError::Expired { expires, now });
	}
	let lifetime = expires.saturating_sub(created);
	if lifetime > MAX_LIFETIME_SECS || expires < created {
		return Err(SignatureError::TooLong(lifetime));
	}
	if !(16..=64).contains(&nonce.len()) {
		return Err(SignatureError::BadNonce);
	}
	let signer: AccountId = keyid.parse().map_err(|_| SignatureError::BadKeyId(keyid.clone()))?;
	if !body.is_empty() || component_value(parts, "content-digest").is_some() {
		let digest = component_value(parts, "content-digest")
			.ok_or_else(|| SignatureError::NotCovered("content-digest (absent)".into()))?;
		if digest != content_digest(body) {
			return Err(SignatureError::DigestMismatch);
		}
	}
	// The base from the parameters as received, re-serialized: what the signer serialized.
	let params = {
		let mut list = ListSerializer::new();
		{
			let mut ser = list.inner_list();
			for item in &inner.items {
				ser.bare_item(&item.bare_item);
			}
			ser.finish().parameters(inner.params.iter());
		}
		list.finish().ok_or_else(|| malformed("empty inner list"))?
	};
	let base = signature_base(parts, &covered, &params)?;
	let public = subxt_signer::sr25519::PublicKey(signer.0);
	let signature = subxt_signer::sr25519::Signature(sig_bytes);
	if !subxt_signer::sr25519::verify(&signature, base.as_bytes(), &public) {
		return Err(SignatureError::BadSignature(keyid));
	}
	Ok(Verified { signer, created, expires, nonce })
}

#[cfg(test)]
mod tests {
	use super::*;

	fn alice() -> crate::Keypair {
		crate::keys::from_secret("//Alice").unwrap()
	}

	fn get<'a>(headers: Vec<(&'a str, &'a str)>) -> RequestParts<'a> {
		RequestParts {
			method: "GET",
			authority: "gateway.example:8443",
			path: "/fhir/Observation/7",
			query: None,
			headers,
		}
	}

	const NONCE: &str = "b1f3c4d9e0a27766";

	#[test]
	fn a_signed_request_verifies_and_names_its_signer() {
		let parts = get(vec![("medchain-purpose", "TREAT")]);
		let h = sign(&parts, &alice(), 1_000, 60, NONCE).unwrap();
		assert_eq!(
			h.signature_input,
			"medchain=(\"@method\" \"@authority\" \"@path\" \"@query\" \"medchain-purpose\");\
			 created=1000;expires=1060;nonce=\"b1f3c4d9e0a27766\";\
			 keyid=\"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\""
		);
		let v = verify(&parts, Some(&h.signature_input), Some(&h.signature), b"", 1_010).unwrap();
		assert_eq!(v.signer, AccountId::from(alice().public_key()));
		assert_eq!((v.created, v.expires, v.nonce.as_str()), (1_000, 1_060, NONCE));
	}

	#[test]
	fn a_changed_method_path_query_purpose_or_authority_does_not_verify() {
		let parts = get(vec![("medchain-purpose", "TREAT")]);
		let h = sign(&parts, &alice(), 1_000, 60, NONCE).unwrap();
		let check = |p: RequestParts<'_>| {
			verify(&p, Some(&h.signature_input), Some(&h.signature), b"", 1_010)
		};
		assert!(matches!(
			check(RequestParts { method: "DELETE", ..parts.clone() }),
			Err(SignatureError::BadSignature(_))
		));
		assert!(matches!(
			check(RequestParts { path: "/fhir/Observation/8", ..parts.clone() }),
			Err(SignatureError::BadSignature(_))
		));
		assert!(matches!(
			check(RequestParts { query: Some("x=1"), ..parts.clone() }),
			Err(SignatureError::BadSignature(_))
		));
		assert!(matches!(
			check(RequestParts { authority: "other:8443", ..parts.clone() }),
			Err(SignatureError::BadSignature(_))
		));
		assert!(matches!(
			check(get(vec![("medchain-purpose", "HPAYMT")])),
			Err(SignatureError::BadSignature(_))
		));
		// A medchain header added after signing is not covered.
		assert_eq!(
			check(get(vec![("medchain-purpose", "TREAT"), ("medchain-break-glass", "?1")])),
			Err(SignatureError::NotCovered("medchain-break-glass".into()))
		);
	}

	#[test]
	fn a_body_must_match_its_digest() {
		let body = br#"{"resourceType":"Observation"}"#;
		let digest = content_digest(body);
		let parts = RequestParts { method: "POST", ..get(vec![("content-digest", &digest)]) };
		let h = sign(&parts, &alice(), 1_000, 60, NONCE).unwrap();
		let v = |b: &[u8]| verify(&parts, Some(&h.signature_input), Some(&h.signature), b, 1_010);
		assert!(v(body).is_ok());
		assert_eq!(v(b"{}"), Err(SignatureError::DigestMismatch));
		// A body without a digest is refused.
		let bare = RequestParts { method: "POST", ..get(vec![]) };
		let h = sign(&bare, &alice(), 1_000, 60, NONCE).unwrap();
		assert!(matches!(
			verify(&bare, Some(&h.signature_input), Some(&h.signature), body, 1_010),
			Err(SignatureError::NotCovered(_))
		));
	}

	#[test]
	fn times_nonce_and_headers_are_checked() {
		let parts = get(vec![]);
		let h = sign(&parts, &alice(), 1_000, 60, NONCE).unwrap();
		let at = |now| verify(&parts, Some(&h.signature_input), Some(&h.signature), b"", now);
		assert_eq!(at(1_060), Err(SignatureError::Expired { expires: 1_060, now: 1_060 }));
		assert_eq!(at(900), Err(SignatureError::NotYetValid { created: 1_000, now: 900 }));
		assert!(at(975).is_ok(), "within the clock skew");
		let short = sign(&parts, &alice(), 1_000, 60, "short").unwrap();
		assert_eq!(
			verify(&parts, Some(&short.signature_input), Some(&short.signature), b"", 1_010),
			Err(SignatureError::BadNonce)
		);
		assert_eq!(verify(&parts, None, None, b"", 1_010), Err(SignatureError::Missing));
		assert!(matches!(
			verify(&parts, Some("garbage((("), Some(&h.signature), b"", 1_010),
			Err(SignatureError::Malformed(_))
		));
		// Lifetimes past the maximum are cut to it when signing, refused when verifying.
		let long = h.signature_input.replace("expires=1060", "expires=2000");
		assert_eq!(
			verify(&parts, Some(&long), Some(&h.signature), b"", 1_010),
			Err(SignatureError::TooLong(1_000))
		);
	}

	#[test]
	fn another_key_cannot_sign_in_alices_name() {
		let parts = get(vec![]);
		let bob = crate::keys::from_secret("//Bob").unwrap();
		let h = sign(&parts, &bob, 1_000, 60, NONCE).unwrap();
		let alice_id = AccountId::from(alice().public_key()).to_string();
		let bob_id = AccountId::from(bob.public_key()).to_string();
		let forged = h.signature_input.replace(&bob_id, &alice_id);
		assert_eq!(
			verify(&parts, Some(&forged), Some(&h.signature), b"", 1_010),
			Err(SignatureError::BadSignature(alice_id))
		);
	}
}
