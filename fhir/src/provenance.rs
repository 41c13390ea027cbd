//! A record anchor ↔ a FHIR R4 `Provenance` (docs/pallets/records.md's "FHIR mapping").
//!
//! | Provenance | anchor |
//! |---|---|
//! | `id` | `record-{id}` |
//! | `target[0].identifier` (`urn:medchain:record`) | the record id |
//! | `recorded` | `created_at` (ms) |
//! | `activity` (v3 DataOperation) | `CREATE`; `UPDATE` for an amendment |
//! | `reason[]` (v3 ActReason) | `purpose` |
//! | `agent[0]` (type `author`): `who` / `onBehalfOf` | `author` (`urn:medchain:account`) / `author_org` (`urn:medchain:organisation`) |
//! | `entity[]` role `source`, `what.identifier` (`urn:medchain:content-hash`) | `content_hash` |
//! | `entity[]` role `revision`, `what.identifier` (`urn:medchain:record`) | `supersedes`: the version it amends |
//! | `extension` `urn:medchain:anchor`: `patient`, `category`, `status` | the patient, the category, where the record stands |

use medchain_primitives::{Category, Hash32, Purpose, RecordStatus};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
	audit_event::RECORD_SYSTEM, category_name, find_extension, identifier_value, instant, name_of,
	parsed, rfc3339, to_json, typed, unmappable, CodeableConcept, Coding, Extension, Reference,
	Text, Unmappable, ACCOUNT_SYSTEM, CATEGORY_SYSTEM, ORGANISATION_SYSTEM, PURPOSE_SYSTEM,
};
use crate::AnchorRecord;

/// The identifier system of content hashes (BLAKE2b-256 of the stored bytes, 0x-hex).
pub const CONTENT_HASH_SYSTEM: &str = "urn:medchain:content-hash";
/// The extension carrying the anchor's patient, category and status.
pub const ANCHOR_EXTENSION: &str = "urn:medchain:anchor";
const DATA_OPERATION: &str = "http://terminology.hl7.org/CodeSystem/v3-DataOperation";
const PARTICIPANT: &str = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

/// A record anchor as a FHIR R4 Provenance.
pub fn anchor_to_provenance(anchor: &AnchorRecord) -> Value {
	let mut entity = vec![Entity {
		role: "source".into(),
		what: Some(Reference::to(CONTENT_HASH_SYSTEM, format!("{:?}", anchor.content_hash))),
	}];
	if let Some(previous) = anchor.supersedes {
		entity.push(Entity {
			role: "revision".into(),
			what: Some(Reference::to(RECORD_SYSTEM, previous.to_string())),
		});
	}
	to_json(&ProvenanceR4 {
		resource_type: "Provenance".into(),
		id: Some(format!("record-{}", anchor.id).into()),
		extension: vec![Extension {
			url: ANCHOR_EXTENSION.into(),
			extension: vec![
				Extension::with_string("patient", anchor.patient.to_string()),
				Extension {
					url: "category".into(),
					value_coding: Some(Coding::of(CATEGORY_SYSTEM, category_name(anchor.category))),
					..Default::default()
				},
				Extension::with_code("status", name_of(&anchor.status)),
			],
			..Default::default()
		}],
		target: vec![Reference::to(RECORD_SYSTEM, anchor.id.to_string())],
		recorded: rfc3339(anchor.created_at).into(),
		activity: Some(CodeableConcept::of(
			DATA_OPERATION,
			if anchor.supersedes.is_some() { "UPDATE" } else { "CREATE" },
		)),
		reason: vec![CodeableConcept::of(PURPOSE_SYSTEM, super::purpose_code(anchor.purpose))],
		agent: vec![Agent {
			kind: Some(CodeableConcept::of(PARTICIPANT, "author")),
			who: Some(Reference::to(ACCOUNT_SYSTEM, anchor.author.to_string())),
			on_behalf_of: anchor
				.author_org
				.map(|org| Reference::to(ORGANISATION_SYSTEM, org.to_string())),
		}],
		entity,
	})
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct Agent<'a> {
	#[serde(borrow, rename = "type", default, skip_serializing_if = "Option::is_none")]
	kind: Option<CodeableConcept<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Option::is_none")]
	who: Option<Reference<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Option::is_none")]
	on_behalf_of: Option<Reference<'a>>,
}

#[derive(Deserialize, Serialize)]
struct Entity<'a> {
	#[serde(borrow)]
	role: Text<'a>,
	#[serde(borrow, default, skip_serializing_if = "Option::is_none")]
	what: Option<Reference<'a>>,
}

/// R4 `Provenance`: the elements the mapping writes, and reads back (others are allowed on
/// reading and ignored).
#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct ProvenanceR4<'a> {
	#[serde(borrow)]
	resource_type: Text<'a>,
	#[serde(borrow, default, skip_serializing_if = "Option::is_none")]
	id: Option<Text<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
	extension: Vec<Extension<'a>>,
	#[serde(borrow)]
	target: Vec<Reference<'a>>,
	#[serde(borrow)]
	recorded: Text<'a>,
	#[serde(borrow, default, skip_serializing_if = "Option::is_none")]
	activity: Option<CodeableConcept<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
	reason: Vec<CodeableConcept<'a>>,
	#[serde(borrow)]
	agent: Vec<Agent<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
	entity: Vec<Entity<'a>>,
}

/// Reads a Provenance written by [`anchor_to_provenance`] back as the anchor; the JSON path of
/// whatever does not map.
pub fn provenance_to_anchor(resource: &Value) -> Result<AnchorRecord, Unmappable> {
	let p: ProvenanceR4<'_> = typed(resource, "Provenance")?;
	if p.resource_type != "Provenance" {
		return Err(unmappable(
			"$.resourceType",
			format!("{:?} is not \"Provenance\"", p.resource_type),
		));
	}
	let id = match p.target.as_slice() {
		[target] => parsed(
			|| "$.target[0].identifier.value".into(),
			identifier_value(|| "$.target[0]".to_string(), Some(target), RECORD_SYSTEM)?,
			"a record id",
		)?,
		_ => return Err(unmappable("$.target", "an anchor's Provenance targets one record")),
	};
	let (i, ext) = find_extension("$.extension", &p.extension, ANCHOR_EXTENSION)?;
	let at = format!("$.extension[{i}]");
	let patient = parsed(
		|| format!("{at}.extension(patient).valueString"),
		ext.string(&at, "patient")?,
		"a patient id",
	)?;
	let category_path = format!("{at}.extension(category).valueCoding");
	let coding = ext
		.part(&at, "category")?
		.value_coding
		.as_ref()
		.ok_or_else(|| unmappable(&category_path, "missing"))?;
	super::expect_system(&category_path, coding, CATEGORY_SYSTEM)?;
	let category: Category = coding
		.code
		.as_deref()
		.and_then(super::category_by_name)
		.ok_or_else(|| super::unknown_code(&category_path, coding))?;
	let status_name = ext.part(&at, "status")?.value_code.as_deref().unwrap_or_default();
	let status: RecordStatus =
		serde_json::from_value(Value::String(status_name.into())).map_err(|_| {
			unmappable(
				format!("{at}.extension(status).valueCode"),
				format!("unknown status {status_name:?}"),
			)
		})?;
	let created_at = instant("$.recorded", Some(&p.recorded))?;
	let purpose = match p.reason.as_slice() {
		[reason] => match reason.coding.as_slice() {
			[coding] => {
				super::expect_system("$.reason[0].coding[0]", coding, PURPOSE_SYSTEM)?;
				*Purpose::ALL
					.iter()
					.find(|x| Some(super::purpose_code(**x)) == coding.code.as_deref())
					.ok_or_else(|| super::unknown_code("$.reason[0].coding[0]", coding))?
			},
			_ => return Err(unmappable("$.reason[0].coding", "an anchor has one purpose")),
		},
		_ => return Err(unmappable("$.reason", "an anchor has one purpose")),
	};
	let agent = match p.agent.as_slice() {
		[agent] => agent,
		_ => return Err(unmappable("$.agent", "an anchor has one author")),
	};
	let author = parsed(
		|| "$.agent[0].who.identifier.value".into(),
		identifier_value(|| "$.agent[0].who".to_string(), agent.who.as_ref(), ACCOUNT_SYSTEM)?,
		"an SS58 account",
	)?;
	let author_org = match &agent.on_behalf_of {
		Some(org) => Some(parsed(
			|| "$.agent[0].onBehalfOf.identifier.value".into(),
			identifier_value(
				|| "$.agent[0].onBehalfOf".to_string(),
				Some(org),
				ORGANISATION_SYSTEM,
			)?,
			"an organisation id",
		)?),
		None => None,
	};
	let (mut content_hash, mut supersedes) = (None::<Hash32>, None);
	for (k, entity) in p.entity.iter().enumerate() {
		let path = || format!("$.entity[{k}].what");
		match entity.role.as_ref() {
			"source" => {
				content_hash = Some(parsed(
					|| format!("{}.identifier.value", path()),
					identifier_value(path, entity.what.as_ref(), CONTENT_HASH_SYSTEM)?,
					"a 32-byte hash",
				)?)
			},
			"revision" => {
				supersedes = Some(parsed(
					|| format!("{}.identifier.value", path()),
					identifier_value(path, entity.what.as_ref(), RECORD_SYSTEM)?,
					"a record id",
				)?)
			},
			other => {
				return Err(unmappable(
					format!("$.entity[{k}].role"),
					format!("{other:?}: an anchor's entities are its source (the content hash) and the revision it amends"),
				))
			},
		}
	}
	let content_hash =
		content_hash.ok_or_else(|| unmappable("$.entity", "no source entity: the content hash"))?;
	Ok(AnchorRecord {
		id,
		patient,
		category,
		purpose,
		content_hash,
		author,
		author_org,
		created_at,
		supersedes,
		status,
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	fn amendment() -> AnchorRecord {
		AnchorRecord {
			id: 12,
			patient: 7,
			category: Category::LabResults,
			purpose: Purpose::Treatment,
			content_hash: Hash32::from(sp_crypto_hashing::blake2_256(
				b"ciphertext of a FHIR Observation",
			)),
			author: "5HpG9w8EBLe5XCrbczpwq5TSXvedjrBGCwqxK1iQ7qUsSWFc".parse().expect("SS58"),
			author_org: Some(1),
			created_at: 1_796_292_000_000,
			supersedes: Some(11),
			status: RecordStatus::Current,
		}
	}

	#[test]
	fn an_amendment_is_a_revision_provenance_and_reads_back() {
		let anchor = amendment();
		let resource = anchor_to_provenance(&anchor);
		assert_eq!(resource["id"], "record-12");
		assert_eq!(resource["activity"]["coding"][0]["code"], "UPDATE");
		assert_eq!(resource["entity"][1]["role"], "revision");
		assert_eq!(resource["entity"][1]["what"]["identifier"]["value"], "11");
		assert_eq!(resource["agent"][0]["onBehalfOf"]["identifier"]["value"], "1");
		assert_eq!(resource["reason"][0]["coding"][0]["code"], "TREAT");
		assert_eq!(provenance_to_anchor(&resource), Ok(anchor));
	}

	#[test]
	fn a_patient_s_own_first_version_round_trips() {
		for status in [
			RecordStatus::Current,
			RecordStatus::Superseded,
			RecordStatus::EnteredInError,
			RecordStatus::Erased,
		] {
			let anchor = AnchorRecord { supersedes: None, author_org: None, status, ..amendment() };
			let resource = anchor_to_provenance(&anchor);
			assert_eq!(resource["activity"]["coding"][0]["code"], "CREATE");
			assert_eq!(provenance_to_anchor(&resource), Ok(anchor));
		}
	}

	#[test]
	fn what_does_not_map_is_refused_with_its_json_path() {
		let refused = |pointer: &str, value: Value| {
			let mut resource = anchor_to_provenance(&amendment());
			*resource.pointer_mut(pointer).expect("the field is there") = value;
			provenance_to_anchor(&resource).err().expect("refused").to_string()
		};
		assert_eq!(
			refused("/entity/0/what/identifier/value", json!("0x12")),
			"$.entity[0].what.identifier.value: \"0x12\" is not a 32-byte hash"
		);
		assert_eq!(
			refused("/entity/1/role", json!("quotation")),
			"$.entity[1].role: \"quotation\": an anchor's entities are its source (the content hash) and the revision it amends"
		);
		assert_eq!(
			refused("/reason/0/coding/0/code", json!("GOSSIP")),
			"$.reason[0].coding[0].code: unknown code \"GOSSIP\""
		);
		assert_eq!(
			refused("/target/0/identifier/system", json!("urn:example")),
			"$.target[0].identifier.system: must be \"urn:medchain:record\""
		);
		assert_eq!(
			refused("/extension/0/extension/2/valueCode", json!("Lost")),
			"$.extension[0].extension(status).valueCode: unknown status \"Lost\""
		);
	}
}
