//! An audit entry ↔ a FHIR R4 `AuditEvent` in the shape of IHE Basic Audit Log Patterns
//! (BALP): docs/pallets/audit.md's "FHIR AuditEvent mapping", losslessly, so that an export
//! written as a Bundle of AuditEvents is verified as the NDJSON one is.
//!
//! | AuditEvent | audit entry |
//! |---|---|
//! | `id` | `patient-{patient}-entry-{seq}` |
//! | `type`, `subtype[0]`, `action` | the action, by the audit.md table (REST interactions, DICOM codes) |
//! | `subtype[1]` (`urn:medchain:audit-action`) | the action, by the chain's name (several share a DICOM code) |
//! | `recorded` | `at` (ms) |
//! | `outcome` | `0` for Success and Permitted, `8` for Denied |
//! | `purposeOfEvent[]` (v3 ActReason) | `purposes` |
//! | `agent[0]` (`requestor`, type IRCP for a reported read, AUT otherwise) | `actor`: `who.identifier` `urn:medchain:account` (SS58), or `urn:medchain:governance` |
//! | `agent[0].policy[]` | `consent`: `urn:medchain:grant:{id}`, `urn:medchain:emergency:{id}`, `urn:medchain:deny:{id}` |
//! | `agent[1]` (type RESP) | `organisation` (`urn:medchain:organisation`) |
//! | `entity[]` role 1 (Patient) | `patient`; its `securityLabel[]` (`urn:medchain:category`) the `categories` |
//! | `entity[]` role 3 (Report) | `record` (`urn:medchain:record`) |
//! | `entity[]` role 11 (Security User Entity) | `subject` (`urn:medchain:account`) |
//! | `source.observer` | the medchain network |
//! | `extension` `urn:medchain:audit-chain` | `seq`, the outcome by name, the block and the recorded hash |

use medchain_primitives::{
	audit::{Agent, AuditAction, AuditEntry, AuditEvent, AuditOutcome, ConsentRef},
	Categories, Hash32, PatientId, Purpose, Purposes, TrailHead,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
	by_name, category_name, category_set, find_extension, identifier_value, instant, name_of,
	parsed, path_error, rfc3339, to_json, typed, unmappable, CodeableConcept, Coding, Extension,
	Reference, Text, Unmappable, ACCOUNT_SYSTEM, CATEGORY_SYSTEM, ORGANISATION_SYSTEM,
	PATIENT_SYSTEM, PURPOSE_SYSTEM,
};
use crate::{Export, ExportHeader, ExportedEntry};

/// The code system of the chain's audit actions (`RecordAnchored` …).
pub const AUDIT_ACTION_SYSTEM: &str = "urn:medchain:audit-action";
/// The identifier system of records (`RecordId`).
pub const RECORD_SYSTEM: &str = "urn:medchain:record";
/// The identifier system of the consortium's governance (the one value `council`).
pub const GOVERNANCE_SYSTEM: &str = "urn:medchain:governance";
/// The extension carrying what ties an AuditEvent to the chain's hash chain.
pub const AUDIT_CHAIN_EXTENSION: &str = "urn:medchain:audit-chain";
const DCM: &str = "http://dicom.nema.org/resources/ontology/DCM";
const EVENT_TYPE: &str = "http://terminology.hl7.org/CodeSystem/audit-event-type";
const RESTFUL: &str = "http://hl7.org/fhir/restful-interaction";
const PARTICIPATION: &str = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
const OBJECT_ROLE: &str = "http://terminology.hl7.org/CodeSystem/object-role";
const ENTITY_TYPE: &str = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
const SOURCE_TYPE: &str = "http://terminology.hl7.org/CodeSystem/security-source-type";

/// What an action is in FHIR (audit.md's table): `type` (system, code, display), the standard
/// `subtype` if there is one, and `action`.
struct FhirType {
	kind: (&'static str, &'static str, &'static str),
	subtype: Option<(&'static str, &'static str)>,
	action: &'static str,
}

fn fhir_type(action: AuditAction) -> FhirType {
	use AuditAction::*;
	let rest = (EVENT_TYPE, "rest", "RESTful Operation");
	let record = (DCM, "110110", "Patient Record");
	let authentication = (DCM, "110114", "User Authentication");
	let of = |kind, subtype, action| FhirType { kind, subtype, action };
	match action {
		ConsentGranted | PatientEnrolled | GuardianAppointed => {
			of(rest, Some((RESTFUL, "create")), "C")
		},
		ConsentRevoked | DenyAdded | DenyRemoved | EmergencyAccessReviewed | EmergencyPolicySet => {
			of(rest, Some((RESTFUL, "update")), "U")
		},
		GuardianRemoved => of(rest, Some((RESTFUL, "delete")), "D"),
		EmergencyAccessOpened => of((DCM, "110113", "Security Alert"), Some((DCM, "110127")), "E"),
		RecordAnchored => of(record, None, "C"),
		RecordAmended | RecordEnteredInError => of(record, None, "U"),
		RecordErased => of(record, None, "D"),
		AccessReported => of(record, None, "R"),
		ControllerRotated | ControllerRecovered => of(authentication, None, "U"),
		RecoveryThresholdSet | RecoveryApproved | RecoveryScheduled | RecoveryCancelled => {
			of(authentication, None, "E")
		},
	}
}

fn consent_uri(consent: &ConsentRef) -> String {
	match consent {
		ConsentRef::Grant(id) => format!("urn:medchain:grant:{id}"),
		ConsentRef::Emergency(id) => format!("urn:medchain:emergency:{id}"),
		ConsentRef::Deny(id) => format!("urn:medchain:deny:{id}"),
	}
}

/// R4 `AuditEvent`: the elements the mapping writes, and reads back (others are allowed on
/// reading and ignored). Written in this order, `resourceType` first.
#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct AuditEventR4<'a> {
	#[serde(borrow)]
	resource_type: Text<'a>,
	#[serde(borrow, default, skip_serializing_if = "Option::is_none")]
	id: Option<Text<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
	extension: Vec<Extension<'a>>,
	#[serde(borrow, rename = "type")]
	kind: Coding<'a>,
	#[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
	subtype: Vec<Coding<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Option::is_none")]
	action: Option<Text<'a>>,
	#[serde(borrow)]
	recorded: Text<'a>,
	#[serde(borrow, default, skip_serializing_if = "Option::is_none")]
	outcome: Option<Text<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
	purpose_of_event: Vec<CodeableConcept<'a>>,
	#[serde(borrow)]
	agent: Vec<AgentR4<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Option::is_none")]
	source: Option<SourceR4<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
	entity: Vec<EntityR4<'a>>,
}

#[derive(Deserialize, Serialize)]
struct AgentR4<'a> {
	#[serde(borrow, rename = "type", default, skip_serializing_if = "Option::is_none")]
	kind: Option<CodeableConcept<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Option::is_none")]
	who: Option<Reference<'a>>,
	requestor: bool,
	#[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
	policy: Vec<Text<'a>>,
}

#[derive(Deserialize, Serialize)]
struct SourceR4<'a> {
	#[serde(borrow, default, skip_serializing_if = "Option::is_none")]
	observer: Option<Reference<'a>>,
	#[serde(borrow, rename = "type", default, skip_serializing_if = "Vec::is_empty")]
	kind: Vec<Coding<'a>>,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct EntityR4<'a> {
	#[serde(borrow, default, skip_serializing_if = "Option::is_none")]
	what: Option<Reference<'a>>,
	#[serde(borrow, rename = "type", default, skip_serializing_if = "Option::is_none")]
	kind: Option<Coding<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Option::is_none")]
	role: Option<Coding<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
	security_label: Vec<Coding<'a>>,
}

impl<'a> EntityR4<'a> {
	/// An entity `what` of audit-entity-type `kind` in object-role `role`.
	fn of(what: Reference<'a>, kind: &'a str, role: &'a str) -> Self {
		EntityR4 {
			what: Some(what),
			kind: Some(Coding::of(ENTITY_TYPE, kind)),
			role: Some(Coding::of(OBJECT_ROLE, role)),
			security_label: Vec::new(),
		}
	}
}

/// An exported entry as the typed R4 AuditEvent.
fn audit_event(exported: &ExportedEntry) -> AuditEventR4<'static> {
	let AuditEntry { seq, at, event } = &exported.entry;
	let FhirType { kind: (type_system, type_code, type_display), subtype, action } =
		fhir_type(event.action);
	let mut subtypes = Vec::with_capacity(2);
	if let Some((system, code)) = subtype {
		subtypes.push(Coding::of(system, code));
	}
	subtypes.push(Coding::of(AUDIT_ACTION_SYSTEM, name_of(&event.action)));
	let who = match &event.actor {
		Agent::Account(who) => Reference::to(ACCOUNT_SYSTEM, who.to_string()),
		Agent::Governance => Reference::to(GOVERNANCE_SYSTEM, "council"),
	};
	let role = if event.action == AuditAction::AccessReported { "IRCP" } else { "AUT" };
	let mut agent = vec![AgentR4 {
		kind: Some(CodeableConcept::of(PARTICIPATION, role)),
		who: Some(who),
		requestor: true,
		policy: event.consent.iter().map(|c| consent_uri(c).into()).collect(),
	}];
	if let Some(org) = event.organisation {
		agent.push(AgentR4 {
			kind: Some(CodeableConcept::of(PARTICIPATION, "RESP")),
			who: Some(Reference::to(ORGANISATION_SYSTEM, org.to_string())),
			requestor: false,
			policy: Vec::new(),
		});
	}
	let mut patient =
		EntityR4::of(Reference::to(PATIENT_SYSTEM, event.patient.to_string()), "1", "1");
	patient.security_label = event
		.categories
		.iter()
		.map(|c| Coding::of(CATEGORY_SYSTEM, category_name(c)))
		.collect();
	let mut entity = vec![patient];
	if let Some(record) = event.record {
		entity.push(EntityR4::of(Reference::to(RECORD_SYSTEM, record.to_string()), "2", "3"));
	}
	if let Some(subject) = &event.subject {
		entity.push(EntityR4::of(Reference::to(ACCOUNT_SYSTEM, subject.to_string()), "1", "11"));
	}
	AuditEventR4 {
		resource_type: "AuditEvent".into(),
		id: Some(format!("patient-{}-entry-{seq}", event.patient).into()),
		extension: vec![Extension {
			url: AUDIT_CHAIN_EXTENSION.into(),
			extension: vec![
				Extension::with_string("seq", seq.to_string()),
				Extension::with_code("outcome", name_of(&event.outcome)),
				Extension::with_unsigned("block", exported.block),
				Extension::with_string("head", format!("{:?}", exported.head)),
			],
			..Default::default()
		}],
		kind: Coding {
			system: Some(type_system.into()),
			code: Some(type_code.into()),
			display: Some(type_display.into()),
		},
		subtype: subtypes,
		action: Some(action.into()),
		recorded: rfc3339(*at).into(),
		outcome: Some(if event.outcome == AuditOutcome::Denied { "8" } else { "0" }.into()),
		purpose_of_event: event
			.purposes
			.iter()
			.map(|p| CodeableConcept::of(PURPOSE_SYSTEM, super::purpose_code(p)))
			.collect(),
		agent,
		source: Some(SourceR4 {
			observer: Some(Reference { display: Some("medchain".into()), ..Default::default() }),
			kind: vec![Coding::of(SOURCE_TYPE, "4")],
		}),
		entity,
	}
}

/// An exported entry as a FHIR R4 AuditEvent.
pub fn entry_to_audit_event(exported: &ExportedEntry) -> Value {
	to_json(&audit_event(exported))
}

/// Reads an AuditEvent written by [`entry_to_audit_event`] back as the exported entry; the
/// JSON path of whatever does not map.
pub fn audit_event_to_entry(resource: &Value) -> Result<ExportedEntry, Unmappable> {
	let r: AuditEventR4<'_> = typed(resource, "AuditEvent")?;
	entry_of(&r)
}

/// The exported entry an AuditEvent written by [`entry_to_audit_event`] says.
fn entry_of(r: &AuditEventR4<'_>) -> Result<ExportedEntry, Unmappable> {
	if r.resource_type != "AuditEvent" {
		return Err(unmappable(
			"$.resourceType",
			format!("{:?} is not \"AuditEvent\"", r.resource_type),
		));
	}
	let (i, chain) = find_extension("$.extension", &r.extension, AUDIT_CHAIN_EXTENSION)?;
	let at_chain = format!("$.extension[{i}]");
	let seq = parsed(
		|| format!("{at_chain}.extension(seq).valueString"),
		chain.string(&at_chain, "seq")?,
		"a sequence number",
	)?;
	let outcome_name = chain.part(&at_chain, "outcome")?.value_code.as_deref().unwrap_or_default();
	let outcome: AuditOutcome = by_name(outcome_name).ok_or_else(|| {
		unmappable(
			format!("{at_chain}.extension(outcome).valueCode"),
			format!("unknown outcome {outcome_name:?}"),
		)
	})?;
	let block = chain.unsigned(&at_chain, "block")?;
	let head: Hash32 = parsed(
		|| format!("{at_chain}.extension(head).valueString"),
		chain.string(&at_chain, "head")?,
		"a 32-byte hash",
	)?;

	let (j, named) = r
		.subtype
		.iter()
		.enumerate()
		.find(|(_, c)| c.system.as_deref() == Some(AUDIT_ACTION_SYSTEM))
		.ok_or_else(|| unmappable("$.subtype", format!("no {AUDIT_ACTION_SYSTEM} coding")))?;
	let action_name = named.code.as_deref().unwrap_or_default();
	let action: AuditAction = by_name(action_name).ok_or_else(|| {
		unmappable(format!("$.subtype[{j}].code"), format!("unknown action {action_name:?}"))
	})?;
	// The standard codes must say what the chain's name says.
	let FhirType { kind: (type_system, type_code, _), action: action_code, .. } = fhir_type(action);
	if r.kind.system.as_deref() != Some(type_system) || r.kind.code.as_deref() != Some(type_code) {
		return Err(unmappable(
			"$.type",
			format!("not the type of {action_name} ({type_system} {type_code})"),
		));
	}
	if r.action.as_deref() != Some(action_code) {
		return Err(unmappable(
			"$.action",
			format!("not the action of {action_name} ({action_code})"),
		));
	}
	let fhir_outcome = if outcome == AuditOutcome::Denied { "8" } else { "0" };
	if r.outcome.as_deref() != Some(fhir_outcome) {
		return Err(unmappable(
			"$.outcome",
			format!("not the outcome of {outcome_name} ({fhir_outcome})"),
		));
	}
	let at = instant("$.recorded", Some(&r.recorded))?;

	let mut purposes = Purposes::NONE;
	for (k, concept) in r.purpose_of_event.iter().enumerate() {
		for (l, coding) in concept.coding.iter().enumerate() {
			let path = || format!("$.purposeOfEvent[{k}].coding[{l}]");
			if coding.system.as_deref() != Some(PURPOSE_SYSTEM) {
				super::expect_system(&path(), coding, PURPOSE_SYSTEM)?;
			}
			let purpose = Purpose::ALL
				.iter()
				.find(|p| Some(super::purpose_code(**p)) == coding.code.as_deref())
				.ok_or_else(|| super::unknown_code(&path(), coding))?;
			purposes = purposes.union((*purpose).into());
		}
	}

	let requestor = r
		.agent
		.iter()
		.position(|a| a.requestor)
		.ok_or_else(|| unmappable("$.agent", "no requestor: who acted"))?;
	let agent = &r.agent[requestor];
	let who_path = || format!("$.agent[{requestor}].who");
	let identifier = agent
		.who
		.as_ref()
		.and_then(|w| w.identifier.as_ref())
		.ok_or_else(|| unmappable(format!("{}.identifier", who_path()), "missing"))?;
	let actor = match (identifier.system.as_deref(), identifier.value.as_deref()) {
		(Some(GOVERNANCE_SYSTEM), Some("council")) => Agent::Governance,
		(Some(ACCOUNT_SYSTEM), Some(value)) => Agent::Account(parsed(
			|| format!("{}.identifier.value", who_path()),
			value,
			"an SS58 account",
		)?),
		_ => {
			return Err(unmappable(
				format!("{}.identifier", who_path()),
				format!("must be a {ACCOUNT_SYSTEM} account or {GOVERNANCE_SYSTEM} council"),
			))
		},
	};
	let consent = match agent.policy.as_slice() {
		[] => None,
		[uri] => Some(consent_ref(&format!("$.agent[{requestor}].policy[0]"), uri)?),
		_ => {
			return Err(unmappable(
				format!("$.agent[{requestor}].policy[1]"),
				"an entry relies on one consent at most",
			))
		},
	};
	let mut organisation = None;
	for (k, other) in r.agent.iter().enumerate().filter(|(k, _)| *k != requestor) {
		let is_resp = other.kind.as_ref().is_some_and(|c| {
			c.coding.iter().any(|c| {
				c.system.as_deref() == Some(PARTICIPATION) && c.code.as_deref() == Some("RESP")
			})
		});
		if is_resp {
			let path = || format!("$.agent[{k}].who");
			let value = identifier_value(path, other.who.as_ref(), ORGANISATION_SYSTEM)?;
			organisation = Some(parsed(
				|| format!("{}.identifier.value", path()),
				value,
				"an organisation id",
			)?);
		}
	}

	let (mut patient, mut categories, mut record, mut subject) =
		(None::<PatientId>, Categories::NONE, None, None);
	for (k, entity) in r.entity.iter().enumerate() {
		let path = || format!("$.entity[{k}].what");
		match entity.role.as_ref().and_then(|c| {
			(c.system.as_deref() == Some(OBJECT_ROLE))
				.then_some(c.code.as_deref())
				.flatten()
		}) {
			Some("1") => {
				let value = identifier_value(path, entity.what.as_ref(), PATIENT_SYSTEM)?;
				patient =
					Some(parsed(|| format!("{}.identifier.value", path()), value, "a patient id")?);
				categories =
					category_set(&format!("$.entity[{k}].securityLabel"), &entity.security_label)?;
			},
			Some("3") => {
				let value = identifier_value(path, entity.what.as_ref(), RECORD_SYSTEM)?;
				record =
					Some(parsed(|| format!("{}.identifier.value", path()), value, "a record id")?);
			},
			Some("11") => {
				let value = identifier_value(path, entity.what.as_ref(), ACCOUNT_SYSTEM)?;
				subject = Some(parsed(
					|| format!("{}.identifier.value", path()),
					value,
					"an SS58 account",
				)?);
			},
			_ => {},
		}
	}
	let patient =
		patient.ok_or_else(|| unmappable("$.entity", "no entity with role 1 (Patient)"))?;
	Ok(ExportedEntry {
		entry: AuditEntry {
			seq,
			at,
			event: AuditEvent {
				patient,
				action,
				actor,
				organisation,
				categories,
				purposes,
				outcome,
				record,
				consent,
				subject,
			},
		},
		block,
		head,
	})
}

/// The extension of a Bundle's `meta` saying where the export was taken.
pub const AUDIT_EXPORT_EXTENSION: &str = "urn:medchain:audit-export";

/// An export as a FHIR R4 Bundle (`collection`) of AuditEvent resources, in trail order; where
/// it was taken (patient, block, the trail head) in `meta.extension` (`urn:medchain:audit-export`).
pub fn export_to_bundle(export: &Export) -> Value {
	to_json(&bundle(export))
}

/// [`export_to_bundle`] as JSON text, written from the typed model without a `Value` tree in
/// between (what `medchain audit export --format fhir` writes).
pub fn export_to_bundle_json(export: &Export) -> String {
	// Strings, numbers, vectors and options: serialising cannot fail.
	serde_json::to_string(&bundle(export)).unwrap_or_default()
}

/// Reads a Bundle written by [`export_to_bundle`] back as the export.
pub fn bundle_to_export(resource: &Value) -> Result<Export, Unmappable> {
	read_bundle(resource)
}

/// Reads a Bundle's JSON text (as [`export_to_bundle_json`] writes it) back as the export,
/// without a `Value` tree in between.
pub fn bundle_json_to_export(text: &str) -> Result<Export, Unmappable> {
	let mut de = serde_json::Deserializer::from_str(text);
	let export = read_bundle(&mut de)?;
	de.end().map_err(|e| unmappable("$", format!("text after the Bundle: {e}")))?;
	Ok(export)
}

/// Reads a Bundle through `de`, each entry mapped as soon as it is parsed (the typed entries
/// of a long trail are never all held at once); the JSON path of the first thing at fault.
fn read_bundle<'de, D>(de: D) -> Result<Export, Unmappable>
where
	D: serde::Deserializer<'de, Error = serde_json::Error>,
{
	use serde::de::DeserializeSeed;
	let refused = std::cell::RefCell::new(None);
	let mut track = serde_path_to_error::Track::new();
	let read = BundleSeed { refused: &refused }
		.deserialize(serde_path_to_error::Deserializer::new(de, &mut track));
	let read = match read {
		Ok(read) => read,
		Err(e) => {
			return Err(refused.into_inner().unwrap_or_else(|| {
				path_error(serde_path_to_error::Error::new(track.path(), e), "Bundle")
			}))
		},
	};
	if read.resource_type.as_deref() != Some("Bundle") {
		return Err(unmappable(
			"$.resourceType",
			format!("{:?} is not \"Bundle\"", read.resource_type.as_deref().unwrap_or_default()),
		));
	}
	let extensions = read.meta.map(|m| m.extension).unwrap_or_default();
	let (i, header) = find_extension("$.meta.extension", &extensions, AUDIT_EXPORT_EXTENSION)?;
	let at = format!("$.meta.extension[{i}]");
	let path = |name: &str| format!("{at}.extension({name}).valueString");
	let header = ExportHeader {
		medchain_audit_export: 1,
		patient: parsed(|| path("patient"), header.string(&at, "patient")?, "a patient id")?,
		block: header.unsigned(&at, "block")?,
		block_hash: parsed(|| path("blockHash"), header.string(&at, "blockHash")?, "a block hash")?,
		trail: TrailHead {
			last_seq: parsed(
				|| path("lastSeq"),
				header.string(&at, "lastSeq")?,
				"a sequence number",
			)?,
			head: parsed(|| path("head"), header.string(&at, "head")?, "a 32-byte hash")?,
			last_block: header.unsigned(&at, "lastBlock")?,
		},
	};
	Ok(Export { header, entries: read.entries })
}

#[derive(Deserialize, Serialize)]
struct Meta<'a> {
	#[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
	extension: Vec<Extension<'a>>,
}

#[derive(Deserialize, Serialize)]
struct BundleEntry<'a> {
	#[serde(borrow)]
	resource: AuditEventR4<'a>,
}

/// R4 `Bundle` of AuditEvents, the elements the mapping writes.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BundleR4<'a> {
	resource_type: Text<'a>,
	#[serde(rename = "type", skip_serializing_if = "Option::is_none")]
	kind: Option<Text<'a>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	meta: Option<Meta<'a>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	total: Option<u64>,
	entry: Vec<BundleEntry<'a>>,
}

/// A Bundle as it is read: its type and `meta` as they are, its entries already mapped.
struct BundleRead<'a> {
	resource_type: Option<String>,
	meta: Option<Meta<'a>>,
	entries: Vec<ExportedEntry>,
}

/// Reads a Bundle object; the first entry that does not map is left in `refused`.
struct BundleSeed<'r> {
	refused: &'r std::cell::RefCell<Option<Unmappable>>,
}

impl<'de> serde::de::DeserializeSeed<'de> for BundleSeed<'_> {
	type Value = BundleRead<'de>;

	fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
		de.deserialize_map(self)
	}
}

impl<'de> serde::de::Visitor<'de> for BundleSeed<'_> {
	type Value = BundleRead<'de>;

	fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
		f.write_str("a Bundle resource (a JSON object)")
	}

	fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
		let mut read = BundleRead { resource_type: None, meta: None, entries: Vec::new() };
		while let Some(key) = map.next_key::<Text<'de>>()? {
			match &*key {
				"resourceType" => read.resource_type = Some(map.next_value()?),
				"meta" => read.meta = map.next_value()?,
				"entry" => {
					read.entries = map.next_value_seed(EntriesSeed { refused: self.refused })?
				},
				_ => {
					map.next_value::<serde::de::IgnoredAny>()?;
				},
			}
		}
		Ok(read)
	}
}

/// Reads `Bundle.entry`, mapping each entry as it is parsed.
struct EntriesSeed<'r> {
	refused: &'r std::cell::RefCell<Option<Unmappable>>,
}

impl<'de> serde::de::DeserializeSeed<'de> for EntriesSeed<'_> {
	type Value = Vec<ExportedEntry>;

	fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
		de.deserialize_seq(self)
	}
}

impl<'de> serde::de::Visitor<'de> for EntriesSeed<'_> {
	type Value = Vec<ExportedEntry>;

	fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
		f.write_str("a list of Bundle entries")
	}

	fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
		use serde::de::Error as _;
		let mut entries = Vec::with_capacity(seq.size_hint().unwrap_or(0));
		while let Some(entry) = seq.next_element::<BundleEntry<'de>>()? {
			match entry_of(&entry.resource) {
				Ok(mapped) => entries.push(mapped),
				Err(u) => {
					let k = entries.len();
					let refused = Unmappable {
						path: u.path.replacen('$', &format!("$.entry[{k}].resource"), 1),
						reason: u.reason,
					};
					let message = refused.to_string();
					*self.refused.borrow_mut() = Some(refused);
					return Err(A::Error::custom(message));
				},
			}
		}
		Ok(entries)
	}
}

fn bundle(export: &Export) -> BundleR4<'static> {
	let h = &export.header;
	BundleR4 {
		resource_type: "Bundle".into(),
		kind: Some("collection".into()),
		meta: Some(Meta {
			extension: vec![Extension {
				url: AUDIT_EXPORT_EXTENSION.into(),
				extension: vec![
					Extension::with_string("patient", h.patient.to_string()),
					Extension::with_unsigned("block", h.block),
					Extension::with_string("blockHash", format!("{:?}", h.block_hash)),
					Extension::with_string("lastSeq", h.trail.last_seq.to_string()),
					Extension::with_string("head", format!("{:?}", h.trail.head)),
					Extension::with_unsigned("lastBlock", h.trail.last_block),
				],
				..Default::default()
			}],
		}),
		total: Some(export.entries.len() as u64),
		entry: export
			.entries
			.iter()
			.map(|e| BundleEntry { resource: audit_event(e) })
			.collect(),
	}
}

fn consent_ref(path: &str, uri: &str) -> Result<ConsentRef, Unmappable> {
	fn id<T: std::str::FromStr>(uri: &str, prefix: &str) -> Option<T> {
		uri.strip_prefix(prefix).and_then(|id| id.parse().ok())
	}
	if let Some(id) = id(uri, "urn:medchain:grant:") {
		Ok(ConsentRef::Grant(id))
	} else if let Some(id) = id(uri, "urn:medchain:emergency:") {
		Ok(ConsentRef::Emergency(id))
	} else if let Some(id) = id(uri, "urn:medchain:deny:") {
		Ok(ConsentRef::Deny(id))
	} else {
		Err(unmappable(path, format!("{uri:?} is not urn:medchain:grant:N, urn:medchain:emergency:N or urn:medchain:deny:N")))
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::AccountId;
	use medchain_primitives::{Category, Purposes};
	use serde_json::json;

	fn eve() -> AccountId {
		"5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw".parse().expect("SS58")
	}

	fn exported(event: AuditEvent<AccountId>) -> ExportedEntry {
		ExportedEntry {
			entry: AuditEntry { seq: 41, at: 1_796_292_000_123, event },
			block: 812,
			head: Hash32::repeat_byte(0x5a),
		}
	}

	/// A denied reported read of lab results, relying on grant 9, for hospital 0.
	fn denied_read() -> ExportedEntry {
		exported(AuditEvent {
			organisation: Some(0),
			categories: Categories::of(&[Category::LabResults, Category::MentalHealth]),
			purposes: Purposes::of(&[Purpose::Treatment, Purpose::Research]),
			outcome: AuditOutcome::Denied,
			record: Some(17),
			consent: Some(ConsentRef::Grant(9)),
			..AuditEvent::new(7, AuditAction::AccessReported, Agent::Account(eve()))
		})
	}

	#[test]
	fn a_denied_read_is_a_balp_shaped_audit_event_and_reads_back() {
		let entry = denied_read();
		let resource = entry_to_audit_event(&entry);
		assert_eq!(resource["id"], "patient-7-entry-41");
		assert_eq!(resource["type"]["code"], "110110");
		assert_eq!(resource["action"], "R");
		assert_eq!(resource["outcome"], "8");
		assert_eq!(resource["recorded"], "2026-12-03T10:00:00.123Z");
		assert_eq!(resource["agent"][0]["policy"][0], "urn:medchain:grant:9");
		assert_eq!(resource["agent"][0]["type"]["coding"][0]["code"], "IRCP");
		assert_eq!(resource["agent"][1]["who"]["identifier"]["value"], "0");
		assert_eq!(resource["entity"][1]["what"]["identifier"]["value"], "17");
		assert_eq!(resource["purposeOfEvent"][1]["coding"][0]["code"], "HRESCH");
		assert_eq!(audit_event_to_entry(&resource), Ok(entry));
	}

	#[test]
	fn every_action_and_outcome_round_trips() {
		for action in [
			AuditAction::ConsentGranted,
			AuditAction::ConsentRevoked,
			AuditAction::DenyAdded,
			AuditAction::DenyRemoved,
			AuditAction::EmergencyAccessOpened,
			AuditAction::EmergencyAccessReviewed,
			AuditAction::RecordAnchored,
			AuditAction::RecordAmended,
			AuditAction::RecordEnteredInError,
			AuditAction::RecordErased,
			AuditAction::AccessReported,
			AuditAction::PatientEnrolled,
			AuditAction::ControllerRotated,
			AuditAction::GuardianAppointed,
			AuditAction::GuardianRemoved,
			AuditAction::EmergencyPolicySet,
			AuditAction::RecoveryThresholdSet,
			AuditAction::RecoveryApproved,
			AuditAction::RecoveryScheduled,
			AuditAction::RecoveryCancelled,
			AuditAction::ControllerRecovered,
		] {
			for outcome in [AuditOutcome::Success, AuditOutcome::Permitted, AuditOutcome::Denied] {
				for actor in [Agent::Account(eve()), Agent::Governance] {
					let entry = exported(AuditEvent {
						outcome,
						subject: Some(eve()),
						consent: Some(ConsentRef::Emergency(3)),
						..AuditEvent::new(2, action, actor)
					});
					assert_eq!(
						audit_event_to_entry(&entry_to_audit_event(&entry)),
						Ok(entry),
						"{action:?} {outcome:?}"
					);
				}
			}
		}
		let deny = exported(AuditEvent {
			consent: Some(ConsentRef::Deny(4)),
			..AuditEvent::new(2, AuditAction::DenyAdded, Agent::Account(eve()))
		});
		assert_eq!(audit_event_to_entry(&entry_to_audit_event(&deny)), Ok(deny));
	}

	#[test]
	fn an_export_is_a_bundle_and_reads_back() {
		let mut second = denied_read();
		second.entry.seq = 42;
		let export = Export {
			header: ExportHeader {
				medchain_audit_export: 1,
				patient: 7,
				block: 900,
				block_hash: Hash32::repeat_byte(3),
				trail: TrailHead { last_seq: 42, head: Hash32::repeat_byte(4), last_block: 812 },
			},
			entries: vec![denied_read(), second],
		};
		let bundle = export_to_bundle(&export);
		assert_eq!(bundle["type"], "collection");
		assert_eq!(bundle["total"], 2);
		assert_eq!(bundle["entry"][1]["resource"]["id"], "patient-7-entry-42");
		assert_eq!(bundle_to_export(&bundle), Ok(export.clone()));
		let mut broken = bundle.clone();
		broken["entry"][1]["resource"]["action"] = json!("D");
		assert_eq!(
			bundle_to_export(&broken).err().expect("refused").to_string(),
			"$.entry[1].resource.action: not the action of AccessReported (R)"
		);
		// As text: the same resource, `resourceType` first, and back without a `Value` tree.
		let text = export_to_bundle_json(&export);
		assert!(text.starts_with(r#"{"resourceType":"Bundle","type":"collection","#), "{text}");
		assert_eq!(serde_json::from_str::<Value>(&text).expect("JSON"), bundle);
		assert_eq!(bundle_json_to_export(&text), Ok(export));
		let at_fault = text.replacen(r#""requestor":true"#, r#""requestor":"yes""#, 2);
		assert!(
			bundle_json_to_export(&at_fault)
				.err()
				.expect("refused")
				.to_string()
				.starts_with("$.entry[0].resource.agent[0].requestor: not an R4 Bundle resource"),
			"the path of the first field at fault"
		);
		assert_eq!(
			bundle_json_to_export(&format!("{text}{{}}")).err().expect("refused").path,
			"$",
			"text after the Bundle"
		);
	}

	#[test]
	fn what_does_not_map_is_refused_with_its_json_path() {
		let refused = |change: &dyn Fn(&mut Value)| {
			let mut resource = entry_to_audit_event(&denied_read());
			change(&mut resource);
			audit_event_to_entry(&resource).err().expect("refused").to_string()
		};
		assert_eq!(
			refused(&|r| r["action"] = json!("C")),
			"$.action: not the action of AccessReported (R)"
		);
		assert_eq!(
			refused(&|r| r["outcome"] = json!("0")),
			"$.outcome: not the outcome of Denied (8)"
		);
		assert_eq!(
			refused(&|r| r["subtype"][0]["code"] = json!("Gossip")),
			"$.subtype[0].code: unknown action \"Gossip\""
		);
		assert_eq!(
			refused(&|r| r["purposeOfEvent"][0]["coding"][0]["code"] = json!("GOSSIP")),
			"$.purposeOfEvent[0].coding[0].code: unknown code \"GOSSIP\""
		);
		assert_eq!(
			refused(&|r| r["agent"][0]["policy"][0] = json!("urn:example:9")),
			"$.agent[0].policy[0]: \"urn:example:9\" is not urn:medchain:grant:N, urn:medchain:emergency:N or urn:medchain:deny:N"
		);
		assert_eq!(
			refused(&|r| r["recorded"] = json!("yesterday")),
			"$.recorded: \"yesterday\" is not an instant with a time zone (2026-12-03T10:00:00Z)"
		);
		assert_eq!(
			refused(&|r| r["resourceType"] = json!("Consent")),
			"$.resourceType: \"Consent\" is not \"AuditEvent\""
		);
		assert!(refused(&|r| r["agent"] = json!("Eve"))
			.starts_with("$.agent: not an R4 AuditEvent resource: invalid type: string \"Eve\""));
	}
}
