//! Resource versions encrypted at rest, by the envelope pattern of the AWS Encryption SDK.
//!
//! - Each version has its own **data key** (256 bits from the OS's generator): the version is
//!   sealed with XChaCha20-Poly1305 under it (a random 192-bit nonce, safe to draw at random).
//! - The data key is stored only **wrapped** by a key-encryption key (KEK) behind
//!   [`KeyEncryptionKey`]: a local key (a file or an environment variable) today; a KMS or an
//!   HSM implements the same trait.
//! - Both the sealed version and its wrapped key are bound to **what they are**: the resource
//!   type, id, version and the anchor's locator are their associated data, so a row moved to
//!   another resource, version or record fails to open ([`Error::Tampered`]) instead of serving
//!   the wrong patient's data.
//! - **Crypto-shredding**: destroying a version's wrapped key makes its ciphertext unreadable
//!   for good, whatever copies of the database exist.

use chacha20poly1305::{
	aead::{Aead, AeadCore, KeyInit, OsRng, Payload},
	XChaCha20Poly1305, XNonce,
};
use zeroize::Zeroizing;

/// What went wrong sealing or opening.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
	/// The ciphertext, its key or what they are bound to was changed: the version is never
	/// served.
	#[error("the stored data does not open: changed, or moved from another resource or version")]
	Tampered,
	/// The key-encryption key is not the one that wrapped this data key.
	#[error(
		"the data key was wrapped by key-encryption key {stored:?}, this gateway has {ours:?}"
	)]
	WrongKek { stored: String, ours: String },
	/// The key-encryption key could not be loaded.
	#[error("key-encryption key: {0}")]
	Kek(String),
}

/// What a sealed version is bound to (its associated data).
#[derive(Clone, Copy, Debug)]
pub struct Binding<'a> {
	pub resource_type: &'a str,
	pub id: &'a str,
	pub version: u32,
	/// The record anchor's locator: how the chain's record points at this version.
	pub locator: &'a [u8; 32],
}

impl Binding<'_> {
	/// `medchain-gateway/v1 ‖ 0 ‖ type ‖ 0 ‖ id ‖ 0 ‖ version (u32 BE) ‖ locator`: a type or id
	/// cannot run into the next field (neither holds a NUL).
	fn associated_data(&self, purpose: &[u8]) -> Vec<u8> {
		let mut aad = Vec::with_capacity(64 + self.resource_type.len() + self.id.len());
		aad.extend_from_slice(b"medchain-gateway/v1");
		aad.push(0);
		aad.extend_from_slice(purpose);
		aad.push(0);
		aad.extend_from_slice(self.resource_type.as_bytes());
		aad.push(0);
		aad.extend_from_slice(self.id.as_bytes());
		aad.push(0);
		aad.extend_from_slice(&self.version.to_be_bytes());
		aad.extend_from_slice(self.locator);
		aad
	}
}

/// A key-encryption key: wraps and unwraps data keys. Implement it for a KMS or an HSM.
pub trait KeyEncryptionKey: Send + Sync + 'static {
	/// The key's name, stored beside every data key it wraps (rotation finds them by it).
	fn id(&self) -> &str;
	/// `data_key` wrapped, bound to `aad`.
	fn wrap(&self, data_key: &[u8; 32], aad: &[u8]) -> Result<Vec<u8>, Error>;
	/// A wrapped data key back, if `aad` is what it was bound to.
	fn unwrap(&self, wrapped: &[u8], aad: &[u8]) -> Result<Zeroizing<[u8; 32]>, Error>;
}

/// A key-encryption key held by the gateway itself (256 bits, from a file or the environment):
/// data keys are wrapped with XChaCha20-Poly1305 under it.
pub struct LocalKek {
	id: String,
	cipher: XChaCha20Poly1305,
}

impl LocalKek {
	/// The key `key` (32 bytes), named `id`.
	pub fn new(id: impl Into<String>, key: &[u8; 32]) -> Self {
		Self { id: id.into(), cipher: XChaCha20Poly1305::new(key.into()) }
	}

	/// A key written as 64 hex digits (a file's content, or an environment variable's value;
	/// surrounding white space ignored).
	pub fn from_hex(id: impl Into<String>, text: &str) -> Result<Self, Error> {
		let mut key = Zeroizing::new([0u8; 32]);
		hex::decode_to_slice(text.trim(), key.as_mut_slice())
			.map_err(|e| Error::Kek(format!("not 64 hex digits: {e}")))?;
		Ok(Self::new(id, &key))
	}

	/// A new random key, as 64 hex digits (`medchain-gateway init-kek` writes it).
	pub fn generate_hex() -> Zeroizing<String> {
		let key = XChaCha20Poly1305::generate_key(&mut OsRng);
		Zeroizing::new(hex::encode(key))
	}
}

impl KeyEncryptionKey for LocalKek {
	fn id(&self) -> &str {
		&self.id
	}

	fn wrap(&self, data_key: &[u8; 32], aad: &[u8]) -> Result<Vec<u8>, Error> {
		seal_with(&self.cipher, data_key, aad)
	}

	fn unwrap(&self, wrapped: &[u8], aad: &[u8]) -> Result<Zeroizing<[u8; 32]>, Error> {
		let plain = Zeroizing::new(open_with(&self.cipher, wrapped, aad)?);
		let key: [u8; 32] = plain.as_slice().try_into().map_err(|_| Error::Tampered)?;
		Ok(Zeroizing::new(key))
	}
}

/// nonce ‖ ciphertext ‖ tag.
fn seal_with(cipher: &XChaCha20Poly1305, plain: &[u8], aad: &[u8]) -> Result<Vec<u8>, Error> {
	let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
	let sealed = cipher
		.encrypt(&nonce, Payload { msg: plain, aad })
		.map_err(|_| Error::Tampered)?;
	let mut out = Vec::with_capacity(nonce.len() + sealed.len());
	out.extend_from_slice(&nonce);
	out.extend_from_slice(&sealed);
	Ok(out)
}

fn open_with(cipher: &XChaCha20Poly1305, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, Error> {
	if sealed.len() < 24 {
		return Err(Error::Tampered);
	}
	let (nonce, body) = sealed.split_at(24);
	cipher
		.decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad })
		.map_err(|_| Error::Tampered)
}

/// A version as stored: its ciphertext, its wrapped data key and the KEK that wrapped it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
	pub ciphertext: Vec<u8>,
	pub wrapped_key: Vec<u8>,
	pub kek_id: String,
}

/// Seals `plain` (a version's canonical bytes) under a new data key, wrapped by `kek`.
pub fn seal(
	kek: &dyn KeyEncryptionKey,
	binding: Binding<'_>,
	plain: &[u8],
) -> Result<Sealed, Error> {
	let data_key = Zeroizing::new(<[u8; 32]>::from(XChaCha20Poly1305::generate_key(&mut OsRng)));
	let cipher = XChaCha20Poly1305::new((&*data_key).into());
	let ciphertext = seal_with(&cipher, plain, &binding.associated_data(b"data"))?;
	let wrapped_key = kek.wrap(&data_key, &binding.associated_data(b"key"))?;
	Ok(Sealed { ciphertext, wrapped_key, kek_id: kek.id().to_owned() })
}

/// Opens a sealed version, if it is the one `binding` names and nothing was changed.
pub fn open(
	kek: &dyn KeyEncryptionKey,
	binding: Binding<'_>,
	sealed: &Sealed,
) -> Result<Vec<u8>, Error> {
	if sealed.kek_id != kek.id() {
		return Err(Error::WrongKek { stored: sealed.kek_id.clone(), ours: kek.id().to_owned() });
	}
	let data_key = kek.unwrap(&sealed.wrapped_key, &binding.associated_data(b"key"))?;
	let cipher = XChaCha20Poly1305::new((&*data_key).into());
	open_with(&cipher, &sealed.ciphertext, &binding.associated_data(b"data"))
}

#[cfg(test)]
mod tests {
	use super::*;

	fn kek() -> LocalKek {
		LocalKek::new("test", &[7; 32])
	}

	fn at<'a>(id: &'a str, version: u32, locator: &'a [u8; 32]) -> Binding<'a> {
		Binding { resource_type: "Observation", id, version, locator }
	}

	#[test]
	fn a_sealed_version_opens_where_it_belongs() {
		let sealed = seal(&kek(), at("a", 1, &[1; 32]), b"{\"x\":1}").unwrap();
		assert_ne!(sealed.ciphertext.windows(7).position(|w| w == b"{\"x\":1}"), Some(0));
		assert_eq!(open(&kek(), at("a", 1, &[1; 32]), &sealed).unwrap(), b"{\"x\":1}");
	}

	#[test]
	fn a_version_moved_to_another_resource_version_or_record_does_not_open() {
		let sealed = seal(&kek(), at("a", 1, &[1; 32]), b"data").unwrap();
		assert_eq!(open(&kek(), at("b", 1, &[1; 32]), &sealed), Err(Error::Tampered));
		assert_eq!(open(&kek(), at("a", 2, &[1; 32]), &sealed), Err(Error::Tampered));
		assert_eq!(open(&kek(), at("a", 1, &[2; 32]), &sealed), Err(Error::Tampered));
		let other = Binding { resource_type: "Condition", ..at("a", 1, &[1; 32]) };
		assert_eq!(open(&kek(), other, &sealed), Err(Error::Tampered));
	}

	#[test]
	fn a_changed_byte_or_another_versions_key_does_not_open() {
		let binding = at("a", 1, &[1; 32]);
		let sealed = seal(&kek(), binding, b"data").unwrap();
		for i in 0..sealed.ciphertext.len() {
			let mut bad = sealed.clone();
			bad.ciphertext[i] ^= 1;
			assert_eq!(open(&kek(), binding, &bad), Err(Error::Tampered), "byte {i}");
		}
		let other = seal(&kek(), binding, b"data").unwrap();
		let swapped = Sealed { wrapped_key: other.wrapped_key, ..sealed.clone() };
		assert_eq!(open(&kek(), binding, &swapped), Err(Error::Tampered));
		let wrong_kek = LocalKek::new("test", &[8; 32]);
		assert_eq!(open(&wrong_kek, binding, &sealed), Err(Error::Tampered));
	}

	#[test]
	fn each_version_has_its_own_data_key() {
		let binding = at("a", 1, &[1; 32]);
		let (x, y) = (seal(&kek(), binding, b"d").unwrap(), seal(&kek(), binding, b"d").unwrap());
		assert_ne!(x.wrapped_key, y.wrapped_key);
		assert_ne!(x.ciphertext, y.ciphertext);
	}

	#[test]
	fn a_key_from_hex_round_trips_and_bad_hex_is_named() {
		let text = LocalKek::generate_hex();
		assert_eq!(text.len(), 64);
		assert!(LocalKek::from_hex("k", &format!(" {}\n", *text)).is_ok());
		assert!(matches!(LocalKek::from_hex("k", "zz"), Err(Error::Kek(_))));
	}
}
