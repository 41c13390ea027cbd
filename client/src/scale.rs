//! `medchain-primitives`' types and the types subxt generates from the metadata are two Rust
//! spellings of the same SCALE encoding: the runtime's types *are* `medchain-primitives`' types.
//! [`convert`] moves a value from one to the other through its bytes, so that an app works with
//! the primitives (their helpers, their serde shapes, the audit hash chain) and hands subxt the
//! generated type. A value whose bytes the other type does not take back exactly is refused
//! ([`Error::Conversion`]); `tests/scale.rs` checks each pair the client converts.

use codec::{Decode, Encode};

use crate::Error;

/// `value`, re-read as a `B` from its SCALE bytes; every byte must be used.
pub fn convert<A: Encode, B: Decode>(value: &A) -> Result<B, Error> {
	let bytes = value.encode();
	let mut input = &bytes[..];
	let converted = B::decode(&mut input).map_err(|e| Error::Conversion {
		what: std::any::type_name::<A>().into(),
		reason: format!("does not decode as {}: {e}", std::any::type_name::<B>()),
	})?;
	if !input.is_empty() {
		return Err(Error::Conversion {
			what: std::any::type_name::<A>().into(),
			reason: format!(
				"left {} bytes unread decoding as {}",
				input.len(),
				std::any::type_name::<B>()
			),
		});
	}
	Ok(converted)
}
