//! # medchain-fhir
//!
//! medchain in FHIR R4, in one crate shared by the client, the CLI and the gateway, without
//! subxt (it builds for wasm too):
//!
//! - a `Consent` resource ↔ the grant it says (`GrantTerms` of a patient): this module;
//! - an `AuditEvent` (IHE BALP shape) ↔ an audit entry, and a Bundle of them ↔ an export of a
//!   patient's trail: [`audit_event`];
//! - a `Provenance` ↔ a record anchor: [`provenance`];
//! - which medchain category a clinical resource is (the gateway's table), and the purposes of
//!   use a request names: [`resources`];
//! - a resource's canonical bytes (RFC 8785 JSON) and fingerprint: [`canonical`];
//! - `OperationOutcome`, the shape of every error a FHIR API returns: [`outcome`].
//!
//! Each mapping reads only what it wrote, exactly (round-trip tests), and refuses the rest with
//! the JSON path at fault ([`Unmappable`]). The JSON shape is checked against R4's by typed
//! readers of the fields each mapping uses (serde structs, not a full FHIR model: see
//! docs/client.md, "FHIR", for the build cost that decided it).
//!
//! ## Consent
//!
//! The mapping is docs/pallets/consent.md's ("FHIR Consent mapping"), with these code systems:
//!
//! | Consent | medchain |
//! |---|---|
//! | `status` | `active` only (an inactive or draft Consent grants nothing) |
//! | `patient.identifier` (`urn:medchain:patient`) | the `PatientId` |
//! | `provision.type` | `permit` (a deny provision is a deny rule, not a grant) |
//! | `provision.period.start` / `.end` | `valid_from` / `valid_until`, instants with a time zone (ms; end exclusive) |
//! | `provision.actor[0].reference.identifier` | `urn:medchain:account` (SS58) → a practitioner; `urn:medchain:organisation` (id) → an organisation |
//! | `provision.action[].coding` (`http://terminology.hl7.org/CodeSystem/consentaction`) | `access` → Read, `correct` → Append, `disclose` → Share |
//! | `provision.purpose[]` (`http://terminology.hl7.org/CodeSystem/v3-ActReason`) | TREAT, HPAYMT, HOPERAT, HRESCH, PUBHLTH, ETREAT → Treatment … Emergency |
//! | `provision.class[]` (`urn:medchain:category`) | the categories, by the chain's names (`LabResults`) |
//! | `provision.securityLabel[]` (`urn:medchain:category`) | the sensitive categories the grant names on purpose |
//!
//! A resource that does not map is refused with the JSON path of the field at fault
//! ([`Unmappable`]): an unknown code or system, a missing period, more than one actor, nested
//! provisions or data references (which the chain cannot express). Nothing is guessed.

use chrono::{DateTime, SecondsFormat, Utc};
use medchain_primitives::{
	Action, Actions, Categories, Category, GrantTerms, Grantee, Moment, PatientId, Purpose,
	Purposes,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub mod audit_event;
pub mod canonical;
pub mod outcome;
pub mod provenance;
pub mod resources;

/// An account on medchain (SS58, prefix 42): subxt's `AccountId32`, without subxt.
pub type AccountId = subxt_utils_accountid32::AccountId32;
/// A patient's exported trail, with medchain's accounts.
pub type Export = medchain_primitives::export::Export<AccountId>;
/// One entry of an export.
pub type ExportedEntry = medchain_primitives::export::ExportedEntry<AccountId>;
pub use medchain_primitives::export::ExportHeader;
/// A record anchor as it stands in state.
pub type AnchorRecord = medchain_primitives::export::AnchorRecord<AccountId>;

pub use audit_event::{
	audit_event_to_entry, bundle_json_to_export, bundle_to_export, entry_to_audit_event,
	export_to_bundle, export_to_bundle_json,
};
pub use provenance::{anchor_to_provenance, provenance_to_anchor};

/// The code system of medchain's categories (`LabResults` …).
pub const CATEGORY_SYSTEM: &str = "urn:medchain:category";
/// The identifier system of patients (`PatientId`).
pub const PATIENT_SYSTEM: &str = "urn:medchain:patient";
/// The identifier system of accounts (SS58).
pub const ACCOUNT_SYSTEM: &str = "urn:medchain:account";
/// The identifier system of organisations (`OrganisationId`).
pub const ORGANISATION_SYSTEM: &str = "urn:medchain:organisation";
/// FHIR's consent actions.
pub const ACTION_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/consentaction";
/// HL7 v3 purposes of use.
pub const PURPOSE_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
const SCOPE_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/consentscope";
const CATEGORY_LOINC: &str = "http://loinc.org";

/// Text in a typed model: borrowed from the JSON being read where it can be (no allocation per
/// field of a long export), or owned.
type Text<'a> = std::borrow::Cow<'a, str>;

/// A Consent that does not say a grant medchain can make: where, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct Unmappable {
	/// The JSON path of the field at fault (`$.provision.purpose[1].code`).
	pub path: String,
	/// What is wrong with it.
	pub reason: String,
}

fn unmappable(path: impl Into<String>, reason: impl Into<String>) -> Unmappable {
	Unmappable { path: path.into(), reason: reason.into() }
}

/// `value` read as the typed model `T` of an R4 resource `what`, or the JSON path at fault.
fn typed<'de, T: Deserialize<'de>>(value: &'de Value, what: &str) -> Result<T, Unmappable> {
	serde_path_to_error::deserialize(value).map_err(|e| path_error(e, what))
}

/// A typed reader's error as the JSON path at fault and why.
fn path_error(e: serde_path_to_error::Error<serde_json::Error>, what: &str) -> Unmappable {
	let at = e.path().to_string();
	let path = if at == "." { "$".to_owned() } else { format!("$.{at}") };
	unmappable(path, format!("not an R4 {what} resource: {}", e.inner()))
}

/// A typed model as JSON: strings, numbers, vectors and options, which always serialise.
fn to_json<T: Serialize>(model: &T) -> Value {
	serde_json::to_value(model).unwrap_or_default()
}

/// A grant as FHIR sees it: the patient and the terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentGrant {
	pub patient: PatientId,
	pub terms: GrantTerms<AccountId>,
	/// Sensitive categories the grant names on purpose (`provision.securityLabel`).
	pub sensitive: Categories,
}

/// `purpose` ↔ its v3 ActReason code.
pub fn purpose_code(purpose: Purpose) -> &'static str {
	match purpose {
		Purpose::Treatment => "TREAT",
		Purpose::Payment => "HPAYMT",
		Purpose::Operations => "HOPERAT",
		Purpose::Research => "HRESCH",
		Purpose::PublicHealth => "PUBHLTH",
		Purpose::Emergency => "ETREAT",
	}
}

/// `action` ↔ its FHIR consent action code.
pub fn action_code(action: Action) -> &'static str {
	match action {
		Action::Read => "access",
		Action::Append => "correct",
		Action::Share => "disclose",
	}
}

fn category_name(category: Category) -> String {
	name_of(&category)
}

/// A value of the chain's by its name in the chain's serde shape (`"LabResults"`,
/// `"RecordAnchored"`).
fn name_of<T: Serialize>(value: &T) -> String {
	serde_json::to_value(value)
		.ok()
		.and_then(|v| v.as_str().map(String::from))
		.unwrap_or_default()
}

/// `text` parsed as a `T`, or what it is not, at `path`.
/// (`path` is made only for an error: the readers run once per entry of a long export.)
fn parsed<T: std::str::FromStr>(
	path: impl FnOnce() -> String,
	text: &str,
	what: &str,
) -> Result<T, Unmappable> {
	text.parse().map_err(|_| unmappable(path(), format!("{text:?} is not {what}")))
}

/// The value of `reference.identifier`, which must be in `system`.
fn identifier_value<'a>(
	path: impl Fn() -> String,
	reference: Option<&'a Reference<'_>>,
	system: &str,
) -> Result<&'a str, Unmappable> {
	let identifier = reference
		.and_then(|r| r.identifier.as_ref())
		.ok_or_else(|| unmappable(format!("{}.identifier", path()), "missing"))?;
	if identifier.system.as_deref() != Some(system) {
		return Err(unmappable(
			format!("{}.identifier.system", path()),
			format!("must be {system:?}"),
		));
	}
	identifier
		.value
		.as_deref()
		.ok_or_else(|| unmappable(format!("{}.identifier.value", path()), "missing"))
}

/// An extension (with the value types the mappings write), or one with nested extensions.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
struct Extension<'a> {
	#[serde(borrow)]
	url: Text<'a>,
	#[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
	extension: Vec<Extension<'a>>,
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	value_string: Option<Text<'a>>,
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	value_code: Option<Text<'a>>,
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	value_coding: Option<Coding<'a>>,
	#[serde(skip_serializing_if = "Option::is_none")]
	value_unsigned_int: Option<u32>,
}

impl<'a> Extension<'a> {
	/// `{url, valueString}`.
	fn with_string(url: &'a str, value: String) -> Self {
		Extension { url: url.into(), value_string: Some(value.into()), ..Default::default() }
	}

	/// `{url, valueCode}`.
	fn with_code(url: &'a str, value: String) -> Self {
		Extension { url: url.into(), value_code: Some(value.into()), ..Default::default() }
	}

	/// `{url, valueUnsignedInt}`.
	fn with_unsigned(url: &'a str, value: u32) -> Self {
		Extension { url: url.into(), value_unsigned_int: Some(value), ..Default::default() }
	}
}

/// The extension with `url` among `extensions` (at `path`), and its index.
fn find_extension<'a, 'b>(
	path: &str,
	extensions: &'a [Extension<'b>],
	url: &str,
) -> Result<(usize, &'a Extension<'b>), Unmappable> {
	extensions
		.iter()
		.enumerate()
		.find(|(_, e)| e.url == url)
		.ok_or_else(|| unmappable(path, format!("no {url} extension")))
}

impl Extension<'_> {
	/// The nested extension `name` (`path`: this extension's).
	fn part(&self, path: &str, name: &str) -> Result<&Self, Unmappable> {
		self.extension
			.iter()
			.find(|e| e.url == name)
			.ok_or_else(|| unmappable(format!("{path}.extension"), format!("no {name:?}")))
	}

	/// The nested extension `name`'s `valueString`.
	fn string(&self, path: &str, name: &str) -> Result<&str, Unmappable> {
		self.part(path, name)?
			.value_string
			.as_deref()
			.ok_or_else(|| unmappable(format!("{path}.extension({name}).valueString"), "missing"))
	}

	/// The nested extension `name`'s `valueUnsignedInt`.
	fn unsigned(&self, path: &str, name: &str) -> Result<u32, Unmappable> {
		self.part(path, name)?.value_unsigned_int.ok_or_else(|| {
			unmappable(format!("{path}.extension({name}).valueUnsignedInt"), "missing")
		})
	}
}

fn category_by_name(name: &str) -> Option<Category> {
	by_name(name)
}

/// A value of the chain's (a unit variant) by its name in the chain's serde shape, read
/// straight from the text.
fn by_name<'de, T: Deserialize<'de>>(name: &'de str) -> Option<T> {
	use serde::de::IntoDeserializer;
	T::deserialize(IntoDeserializer::<serde::de::value::Error>::into_deserializer(name)).ok()
}

/// A coding: `{system, code, display}`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
struct Coding<'a> {
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	system: Option<Text<'a>>,
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	code: Option<Text<'a>>,
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	display: Option<Text<'a>>,
}

impl<'a> Coding<'a> {
	/// `{system, code}`.
	fn of(system: &'a str, code: impl Into<Text<'a>>) -> Self {
		Coding { system: Some(system.into()), code: Some(code.into()), display: None }
	}
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
struct CodeableConcept<'a> {
	#[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
	coding: Vec<Coding<'a>>,
}

impl<'a> CodeableConcept<'a> {
	/// A concept of one coding.
	fn of(system: &'a str, code: impl Into<Text<'a>>) -> Self {
		CodeableConcept { coding: vec![Coding::of(system, code)] }
	}
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
struct Identifier<'a> {
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	system: Option<Text<'a>>,
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	value: Option<Text<'a>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
struct Reference<'a> {
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	identifier: Option<Identifier<'a>>,
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	reference: Option<Text<'a>>,
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	display: Option<Text<'a>>,
}

impl<'a> Reference<'a> {
	/// A reference by identifier: `{identifier: {system, value}}`.
	fn to(system: &'a str, value: impl Into<Text<'a>>) -> Self {
		Reference {
			identifier: Some(Identifier { system: Some(system.into()), value: Some(value.into()) }),
			..Default::default()
		}
	}
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
struct Period<'a> {
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	start: Option<Text<'a>>,
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	end: Option<Text<'a>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
struct Actor<'a> {
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	role: Option<CodeableConcept<'a>>,
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	reference: Option<Reference<'a>>,
}

/// R4 `Consent.provision` (every field, so that a well-formed one always parses; those the
/// chain cannot express are refused by name).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Provision<'a> {
	#[serde(borrow, rename = "type", skip_serializing_if = "Option::is_none")]
	kind: Option<Text<'a>>,
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	period: Option<Period<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
	actor: Vec<Actor<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
	action: Vec<CodeableConcept<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
	security_label: Vec<Coding<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
	purpose: Vec<Coding<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
	class: Vec<Coding<'a>>,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	code: Vec<Value>,
	#[serde(skip_serializing_if = "Option::is_none")]
	data_period: Option<Value>,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	data: Vec<Value>,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	provision: Vec<Value>,
}

/// R4 `Consent`: the elements the mapping writes, and reads (others are allowed on reading
/// and ignored).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Consent<'a> {
	#[serde(borrow)]
	resource_type: Text<'a>,
	#[serde(borrow, default, skip_serializing_if = "Option::is_none")]
	id: Option<Text<'a>>,
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	status: Option<Text<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Option::is_none")]
	scope: Option<CodeableConcept<'a>>,
	#[serde(borrow, default, skip_serializing_if = "Vec::is_empty")]
	category: Vec<CodeableConcept<'a>>,
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	patient: Option<Reference<'a>>,
	#[serde(borrow, skip_serializing_if = "Option::is_none")]
	provision: Option<Provision<'a>>,
}

/// Reads a FHIR R4 Consent resource (JSON) as the grant it says.
pub fn consent_to_grant(resource: &Value) -> Result<ConsentGrant, Unmappable> {
	let consent: Consent = typed(resource, "Consent")?;
	if consent.resource_type != "Consent" {
		return Err(unmappable(
			"$.resourceType",
			format!("{:?} is not \"Consent\"", consent.resource_type),
		));
	}
	match consent.status.as_deref() {
		Some("active") => {},
		Some(other) => {
			return Err(unmappable(
				"$.status",
				format!("{other:?}: only an active Consent grants access"),
			))
		},
		None => return Err(unmappable("$.status", "missing")),
	}
	let patient = consent
		.patient
		.as_ref()
		.and_then(|p| p.identifier.as_ref())
		.ok_or_else(|| unmappable("$.patient.identifier", "missing"))?;
	if patient.system.as_deref() != Some(PATIENT_SYSTEM) {
		return Err(unmappable(
			"$.patient.identifier.system",
			format!("must be {PATIENT_SYSTEM:?} (a medchain patient id)"),
		));
	}
	let patient: PatientId = patient
		.value
		.as_deref()
		.and_then(|v| v.parse().ok())
		.ok_or_else(|| unmappable("$.patient.identifier.value", "not a patient id"))?;
	let p = consent.provision.ok_or_else(|| unmappable("$.provision", "missing"))?;
	match p.kind.as_deref() {
		Some("permit") => {},
		Some("deny") => {
			return Err(unmappable(
				"$.provision.type",
				"a deny provision is a deny rule (consent deny), not a grant",
			))
		},
		_ => return Err(unmappable("$.provision.type", "must be \"permit\"")),
	}
	for (field, present) in [
		("provision", !p.provision.is_empty()),
		("code", !p.code.is_empty()),
		("data", !p.data.is_empty()),
		("dataPeriod", p.data_period.is_some()),
	] {
		if present {
			return Err(unmappable(
				format!("$.provision.{field}"),
				"the chain cannot express it (a grant covers categories, purposes and actions)",
			));
		}
	}
	let period = p.period.as_ref().ok_or_else(|| unmappable("$.provision.period", "missing"))?;
	let valid_from = instant("$.provision.period.start", period.start.as_deref())?;
	let valid_until = match period.end.as_deref() {
		Some(end) => Some(instant("$.provision.period.end", Some(end))?),
		None => None,
	};
	let grantee = match p.actor.as_slice() {
		[actor] => grantee(actor)?,
		[] => return Err(unmappable("$.provision.actor", "missing: who is given access")),
		_ => return Err(unmappable("$.provision.actor[1]", "a grant has one grantee")),
	};
	let mut actions = Actions::NONE;
	for (i, concept) in p.action.iter().enumerate() {
		for (j, coding) in concept.coding.iter().enumerate() {
			let path = format!("$.provision.action[{i}].coding[{j}]");
			expect_system(&path, coding, ACTION_SYSTEM)?;
			let action = Action::ALL
				.iter()
				.find(|a| Some(action_code(**a)) == coding.code.as_deref())
				.ok_or_else(|| unknown_code(&path, coding))?;
			actions = actions.union((*action).into());
		}
	}
	if actions.is_empty() {
		return Err(unmappable("$.provision.action", "missing: what the grantee may do"));
	}
	let mut purposes = Purposes::NONE;
	for (i, coding) in p.purpose.iter().enumerate() {
		let path = format!("$.provision.purpose[{i}]");
		expect_system(&path, coding, PURPOSE_SYSTEM)?;
		let purpose = Purpose::ALL
			.iter()
			.find(|x| Some(purpose_code(**x)) == coding.code.as_deref())
			.ok_or_else(|| unknown_code(&path, coding))?;
		purposes = purposes.union((*purpose).into());
	}
	if purposes.is_empty() {
		return Err(unmappable("$.provision.purpose", "missing: for which purposes"));
	}
	let categories = category_set("$.provision.class", &p.class)?;
	if categories.is_empty() {
		return Err(unmappable("$.provision.class", "missing: which categories of data"));
	}
	let sensitive = category_set("$.provision.securityLabel", &p.security_label)?;
	Ok(ConsentGrant {
		patient,
		terms: GrantTerms { grantee, categories, purposes, actions, valid_from, valid_until },
		sensitive,
	})
}

/// Writes a grant as a FHIR R4 Consent resource (`active` unless `revoked`).
pub fn grant_to_consent(grant: &ConsentGrant, id: Option<u64>, revoked: bool) -> Value {
	let terms = &grant.terms;
	let categories = |set: Categories| -> Vec<Coding<'static>> {
		set.iter().map(|c| Coding::of(CATEGORY_SYSTEM, category_name(c))).collect()
	};
	let actor = match &terms.grantee {
		Grantee::Practitioner(who) => Reference::to(ACCOUNT_SYSTEM, who.to_string()),
		Grantee::Organisation(org) => Reference::to(ORGANISATION_SYSTEM, org.to_string()),
	};
	to_json(&Consent {
		resource_type: "Consent".into(),
		id: id.map(|id| format!("grant-{id}").into()),
		status: Some(if revoked { "inactive" } else { "active" }.into()),
		scope: Some(CodeableConcept::of(SCOPE_SYSTEM, "patient-privacy")),
		category: vec![CodeableConcept::of(CATEGORY_LOINC, "59284-0")],
		patient: Some(Reference::to(PATIENT_SYSTEM, grant.patient.to_string())),
		provision: Some(Provision {
			kind: Some("permit".into()),
			period: Some(Period {
				start: Some(rfc3339(terms.valid_from).into()),
				end: terms.valid_until.map(|end| rfc3339(end).into()),
			}),
			actor: vec![Actor {
				role: Some(CodeableConcept::of(
					"http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
					"IRCP",
				)),
				reference: Some(actor),
			}],
			action: terms
				.actions
				.iter()
				.map(|a| CodeableConcept::of(ACTION_SYSTEM, action_code(a)))
				.collect(),
			security_label: categories(grant.sensitive),
			purpose: terms
				.purposes
				.iter()
				.map(|p| Coding::of(PURPOSE_SYSTEM, purpose_code(p)))
				.collect(),
			class: categories(terms.categories),
			..Default::default()
		}),
	})
}

fn grantee(actor: &Actor<'_>) -> Result<Grantee<AccountId>, Unmappable> {
	let path = "$.provision.actor[0].reference.identifier";
	let identifier =
		actor.reference.as_ref().and_then(|r| r.identifier.as_ref()).ok_or_else(|| {
			unmappable(path, "missing: the grantee's medchain account or organisation")
		})?;
	let value = identifier.value.as_deref().unwrap_or_default();
	match identifier.system.as_deref() {
		Some(ACCOUNT_SYSTEM) => {
			value.parse::<AccountId>().map(Grantee::Practitioner).map_err(|_| {
				unmappable(format!("{path}.value"), format!("{value:?} is not an SS58 account"))
			})
		},
		Some(ORGANISATION_SYSTEM) => value.parse().map(Grantee::Organisation).map_err(|_| {
			unmappable(format!("{path}.value"), format!("{value:?} is not an organisation id"))
		}),
		other => Err(unmappable(
			format!("{path}.system"),
			format!("{other:?}: must be {ACCOUNT_SYSTEM:?} or {ORGANISATION_SYSTEM:?}"),
		)),
	}
}

fn category_set(path: &str, codings: &[Coding<'_>]) -> Result<Categories, Unmappable> {
	let mut set = Categories::NONE;
	for (i, coding) in codings.iter().enumerate() {
		let at = || format!("{path}[{i}]");
		if coding.system.as_deref() != Some(CATEGORY_SYSTEM) {
			expect_system(&at(), coding, CATEGORY_SYSTEM)?;
		}
		let category = coding
			.code
			.as_deref()
			.and_then(category_by_name)
			.ok_or_else(|| unknown_code(&at(), coding))?;
		set = set.union(category.into());
	}
	Ok(set)
}

fn expect_system(path: &str, coding: &Coding<'_>, system: &str) -> Result<(), Unmappable> {
	if coding.system.as_deref() == Some(system) {
		Ok(())
	} else {
		Err(unmappable(
			format!("{path}.system"),
			format!("{:?}: must be {system:?}", coding.system.as_deref().unwrap_or("")),
		))
	}
}

fn unknown_code(path: &str, coding: &Coding<'_>) -> Unmappable {
	unmappable(
		format!("{path}.code"),
		format!("unknown code {:?}", coding.code.as_deref().unwrap_or("")),
	)
}

/// An instant with a time zone (`2026-12-03T10:00:00Z`) as ms since the Unix epoch.
fn instant(path: &str, value: Option<&str>) -> Result<Moment, Unmappable> {
	let value = value.ok_or_else(|| unmappable(path, "missing"))?;
	let at = DateTime::parse_from_rfc3339(value).map_err(|_| {
		unmappable(
			path,
			format!("{value:?} is not an instant with a time zone (2026-12-03T10:00:00Z)"),
		)
	})?;
	Moment::try_from(at.timestamp_millis())
		.map_err(|_| unmappable(path, format!("{value:?} is before 1970")))
}

fn rfc3339(ms: Moment) -> String {
	i64::try_from(ms)
		.ok()
		.and_then(DateTime::<Utc>::from_timestamp_millis)
		.map(|at| at.to_rfc3339_opts(SecondsFormat::Millis, true))
		.unwrap_or_default()
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	fn example() -> Value {
		json!({
			"resourceType": "Consent",
			"id": "lab-results-for-treatment",
			"status": "active",
			"scope": { "coding": [{ "system": SCOPE_SYSTEM, "code": "patient-privacy" }] },
			"category": [{ "coding": [{ "system": CATEGORY_LOINC, "code": "59284-0" }] }],
			"patient": { "identifier": { "system": PATIENT_SYSTEM, "value": "7" } },
			"dateTime": "2026-12-03T09:00:00Z",
			"provision": {
				"type": "permit",
				"period": { "start": "2026-12-03T10:00:00Z", "end": "2027-01-03T10:00:00Z" },
				"actor": [{
					"role": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "IRCP" }] },
					"reference": { "identifier": { "system": ACCOUNT_SYSTEM, "value": "5HpG9w8EBLe5XCrbczpwq5TSXvedjrBGCwqxK1iQ7qUsSWFc" } }
				}],
				"action": [
					{ "coding": [{ "system": ACTION_SYSTEM, "code": "access" }] },
					{ "coding": [{ "system": ACTION_SYSTEM, "code": "correct" }] }
				],
				"purpose": [{ "system": PURPOSE_SYSTEM, "code": "TREAT" }],
				"class": [
					{ "system": CATEGORY_SYSTEM, "code": "LabResults" },
					{ "system": CATEGORY_SYSTEM, "code": "MentalHealth" }
				],
				"securityLabel": [{ "system": CATEGORY_SYSTEM, "code": "MentalHealth" }]
			}
		})
	}

	#[test]
	fn an_example_consent_maps_to_its_grant_and_back() {
		let grant = consent_to_grant(&example()).expect("maps");
		assert_eq!(grant.patient, 7);
		let terms = &grant.terms;
		assert_eq!(
			terms.categories,
			Categories::of(&[Category::LabResults, Category::MentalHealth])
		);
		assert_eq!(grant.sensitive, Categories::of(&[Category::MentalHealth]));
		assert_eq!(terms.purposes, Purposes::of(&[Purpose::Treatment]));
		assert_eq!(terms.actions, Actions::of(&[Action::Read, Action::Append]));
		assert_eq!(terms.valid_from, 1_796_292_000_000);
		assert_eq!(terms.valid_until, Some(1_798_970_400_000));
		assert_eq!(
			terms.grantee,
			Grantee::Practitioner(
				"5HpG9w8EBLe5XCrbczpwq5TSXvedjrBGCwqxK1iQ7qUsSWFc".parse().expect("SS58")
			)
		);
		// Out and in again: the same grant.
		let exported = grant_to_consent(&grant, Some(3), false);
		assert_eq!(exported["id"], "grant-3");
		assert_eq!(exported["provision"]["period"]["start"], "2026-12-03T10:00:00.000Z");
		assert_eq!(consent_to_grant(&exported), Ok(grant));
	}

	#[test]
	fn every_purpose_action_and_category_round_trips() {
		let grant = ConsentGrant {
			patient: 1,
			terms: GrantTerms {
				grantee: Grantee::Organisation(4),
				categories: Categories::ALL,
				purposes: Purposes::ALL,
				actions: Actions::ALL,
				valid_from: 0,
				valid_until: None,
			},
			sensitive: Categories::NONE,
		};
		assert_eq!(consent_to_grant(&grant_to_consent(&grant, None, false)), Ok(grant.clone()));
		let revoked = grant_to_consent(&grant, None, true);
		assert_eq!(revoked["status"], "inactive");
		assert_eq!(
			consent_to_grant(&revoked),
			Err(unmappable("$.status", "\"inactive\": only an active Consent grants access"))
		);
	}

	/// The example with one change at `pointer`.
	fn with(pointer: &str, value: Value) -> Value {
		let mut resource = example();
		*resource.pointer_mut(pointer).expect("the example has the field") = value;
		resource
	}

	#[test]
	fn what_does_not_map_is_refused_with_its_json_path() {
		let refused =
			|resource: Value| consent_to_grant(&resource).err().expect("refused").to_string();
		assert_eq!(
			refused(with("/provision/purpose/0/code", json!("GOSSIP"))),
			"$.provision.purpose[0].code: unknown code \"GOSSIP\""
		);
		assert_eq!(
			refused(with("/provision/class/1/code", json!("Horoscope"))),
			"$.provision.class[1].code: unknown code \"Horoscope\""
		);
		assert_eq!(
			refused(with("/provision/action/1/coding/0/system", json!("http://example.org"))),
			"$.provision.action[1].coding[0].system: \"http://example.org\": must be \"http://terminology.hl7.org/CodeSystem/consentaction\""
		);
		assert_eq!(
			refused(with("/provision/period", json!({ "end": "2027-01-03T10:00:00Z" }))),
			"$.provision.period.start: missing"
		);
		assert_eq!(
			refused(with("/provision/period/start", json!("2026-12-03"))),
			"$.provision.period.start: \"2026-12-03\" is not an instant with a time zone (2026-12-03T10:00:00Z)"
		);
		assert_eq!(
			refused(with("/provision/type", json!("deny"))),
			"$.provision.type: a deny provision is a deny rule (consent deny), not a grant"
		);
		assert_eq!(
			refused(with("/patient/identifier/value", json!("seven"))),
			"$.patient.identifier.value: not a patient id"
		);
		let mut nested = example();
		nested["provision"]["provision"] = json!([{ "type": "deny" }]);
		assert_eq!(
			refused(nested),
			"$.provision.provision: the chain cannot express it (a grant covers categories, purposes and actions)"
		);
		let mut two = example();
		let actor = two["provision"]["actor"][0].clone();
		two["provision"]["actor"] = json!([actor.clone(), actor]);
		assert_eq!(refused(two), "$.provision.actor[1]: a grant has one grantee");
		assert_eq!(
			refused(with("/resourceType", json!("Patient"))),
			"$.resourceType: \"Patient\" is not \"Consent\""
		);
		assert!(refused(with("/provision/actor", json!("everyone")))
			.starts_with("$.provision.actor: not an R4 Consent resource"));
	}
}
