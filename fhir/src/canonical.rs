//! A resource's canonical bytes and fingerprint: what a writer signs and the chain anchors.
//!
//! The content of a resource is the resource without what its server assigns — `id`,
//! `meta.versionId`, `meta.lastUpdated` (and `meta` when nothing else is left in it) —
//! written as RFC 8785 JSON (JCS: keys sorted, no white space, numbers as ECMAScript writes
//! them). Its fingerprint is the BLAKE2b-256 hash of those bytes. A writer computes both before
//! sending (it cannot know the id the server will give), the gateway stores exactly those bytes
//! (encrypted) and a reader can check what it is served against the chain's anchor.

use medchain_primitives::Hash32;
use serde_json::Value;

use crate::{unmappable, Unmappable};

/// The fields a server assigns, left out of the content.
const SERVER_FIELDS: &[&str] = &["versionId", "lastUpdated"];

/// `resource`'s content: without the fields its server assigns.
pub fn content(resource: &Value) -> Result<Value, Unmappable> {
	let Value::Object(fields) = resource else {
		return Err(unmappable("$", "a resource is a JSON object"));
	};
	let mut fields = fields.clone();
	fields.remove("id");
	if let Some(Value::Object(meta)) = fields.get_mut("meta") {
		for field in SERVER_FIELDS {
			meta.remove(*field);
		}
		if meta.is_empty() {
			fields.remove("meta");
		}
	}
	Ok(Value::Object(fields))
}

/// `resource`'s content as RFC 8785 bytes.
pub fn canonical_bytes(resource: &Value) -> Result<Vec<u8>, Unmappable> {
	serde_json_canonicalizer::to_vec(&content(resource)?)
		.map_err(|e| unmappable("$", format!("cannot be written as RFC 8785 JSON: {e}")))
}

/// BLAKE2b-256 of `bytes`: a content hash as the chain anchors it.
pub fn fingerprint(bytes: &[u8]) -> Hash32 {
	Hash32::from(sp_crypto_hashing::blake2_256(bytes))
}

/// `resource`'s canonical bytes and their fingerprint.
pub fn fingerprint_resource(resource: &Value) -> Result<(Vec<u8>, Hash32), Unmappable> {
	let bytes = canonical_bytes(resource)?;
	let hash = fingerprint(&bytes);
	Ok((bytes, hash))
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	#[test]
	fn key_order_white_space_and_server_fields_do_not_change_the_fingerprint() {
		let a = json!({ "resourceType": "Observation", "status": "final", "valueQuantity": { "value": 5.10, "unit": "mmol/L" } });
		let b: Value = serde_json::from_str(
			r#"{ "valueQuantity": {"unit":"mmol/L","value":5.1}, "id": "x1",
			    "meta": {"versionId": "3", "lastUpdated": "2026-12-06T10:00:00Z"},
			    "status":"final", "resourceType":"Observation" }"#,
		)
		.unwrap();
		assert_eq!(fingerprint_resource(&a).unwrap(), fingerprint_resource(&b).unwrap());
		assert_eq!(
			String::from_utf8(canonical_bytes(&a).unwrap()).unwrap(),
			r#"{"resourceType":"Observation","status":"final","valueQuantity":{"unit":"mmol/L","value":5.1}}"#
		);
	}

	#[test]
	fn content_and_labels_do_change_it() {
		let a = json!({ "resourceType": "Observation", "status": "final" });
		let b = json!({ "resourceType": "Observation", "status": "amended" });
		let c = json!({ "resourceType": "Observation", "status": "final",
			"meta": { "security": [{ "system": "x", "code": "HIV" }] } });
		let h = |v: &Value| fingerprint_resource(v).unwrap().1;
		assert_ne!(h(&a), h(&b));
		assert_ne!(h(&a), h(&c));
		assert!(canonical_bytes(&json!("text")).is_err());
	}
}
