//! Which medchain category a clinical resource is, whose it is, and when it happened: what a
//! gateway needs of a resource to ask the chain about it (docs/gateway.md, "Categories").
//!
//! | resource type | category |
//! |---|---|
//! | `Observation` | by `category` (`http://terminology.hl7.org/CodeSystem/observation-category`): `laboratory` → LabResults, `imaging` → Imaging, `procedure` → Procedures, `vital-signs`, `exam`, `survey`, `social-history`, `activity`, `therapy` → Encounters |
//! | `DiagnosticReport` | by `category` (v2-0074 diagnostic service sections): `RAD`, `CT`, `MR`, `NMR`, `NMS`, `US`, `CUS`, `OUS`, `RUS`, `VUS`, `XRC`, `RX` → Imaging; `GE` → Genomics; any other section (`LAB`, `CH`, `HM`, `MB`, `PAT` …) → LabResults; LOINC `LP29684-5` (radiology) → Imaging, `LP7839-6` (pathology) → LabResults |
//! | `Condition` | Diagnoses |
//! | `MedicationRequest`, `MedicationStatement`, `MedicationAdministration`, `MedicationDispense` | Medications |
//! | `Immunization` | Immunizations |
//! | `AllergyIntolerance` | Allergies |
//! | `Procedure` | Procedures |
//! | `ImagingStudy` | Imaging |
//! | `Encounter` | Encounters |
//! | `DocumentReference` | ClinicalNotes |
//! | `Claim`, `ExplanationOfBenefit`, `Coverage` | Billing |
//!
//! **Sensitivity labels win.** A resource whose `meta.security` carries an HL7 sensitivity code
//! (`http://terminology.hl7.org/CodeSystem/v3-ActCode`) is of the sensitive category that code
//! names, whatever its type: `PSY`, `PSYTHPN`, `BH`, `ETH`, `SUD` → MentalHealth; `SEX`, `STD`,
//! `HIV`, `SDV` → SexualHealth; `GDIS` → Genomics. A resource that names two sensitive
//! categories is refused: the chain files a record under one.
//!
//! An Observation or DiagnosticReport without a category the table knows is refused with the
//! path to fix (`$.category`): nothing is filed under a guessed category.
//!
//! **Whose**: `subject` (or `patient` for the types that name it so: AllergyIntolerance,
//! Immunization, Claim, ExplanationOfBenefit; `beneficiary` for Coverage) must reference the
//! patient by its medchain id: `{"identifier": {"system": "urn:medchain:patient", "value":
//! "7"}}` or `{"reference": "Patient/7"}`.

use medchain_primitives::{Category, PatientId, Purpose};
use serde::Deserialize;

use crate::{unmappable, Coding, Unmappable, PATIENT_SYSTEM};

/// The resource types a gateway stores, each with what decides its category.
pub const RESOURCE_TYPES: &[&str] = &[
	"AllergyIntolerance",
	"Claim",
	"Condition",
	"Coverage",
	"DiagnosticReport",
	"DocumentReference",
	"Encounter",
	"ExplanationOfBenefit",
	"ImagingStudy",
	"Immunization",
	"MedicationAdministration",
	"MedicationDispense",
	"MedicationRequest",
	"MedicationStatement",
	"Observation",
	"Procedure",
];

const OBSERVATION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
const DIAGNOSTIC_SECTION: &str = "http://terminology.hl7.org/CodeSystem/v2-0074";
const LOINC: &str = "http://loinc.org";
/// HL7 v3 ActCode: the sensitivity codes of `meta.security`.
pub const ACT_CODE: &str = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

/// The category of a resource type whose category does not depend on its content.
pub fn fixed_category(resource_type: &str) -> Option<Category> {
	Some(match resource_type {
		"Condition" => Category::Diagnoses,
		"MedicationRequest"
		| "MedicationStatement"
		| "MedicationAdministration"
		| "MedicationDispense" => Category::Medications,
		"Immunization" => Category::Immunizations,
		"AllergyIntolerance" => Category::Allergies,
		"Procedure" => Category::Procedures,
		"ImagingStudy" => Category::Imaging,
		"Encounter" => Category::Encounters,
		"DocumentReference" => Category::ClinicalNotes,
		"Claim" | "ExplanationOfBenefit" | "Coverage" => Category::Billing,
		_ => return None,
	})
}

/// The categories a request for `resource_type` may touch (what a reader's ticket names for a
/// search of that type): one for most, several for Observation and DiagnosticReport.
pub fn categories_of_type(resource_type: &str) -> Vec<Category> {
	let mut out: Vec<Category> = match resource_type {
		"Observation" => vec![
			Category::LabResults,
			Category::Imaging,
			Category::Procedures,
			Category::Encounters,
		],
		"DiagnosticReport" => vec![Category::LabResults, Category::Imaging, Category::Genomics],
		other => fixed_category(other).into_iter().collect(),
	};
	if !out.is_empty() {
		// Any type may carry a sensitivity label.
		out.extend([Category::MentalHealth, Category::SexualHealth, Category::Genomics]);
		out.sort_by_key(|c| *c as u8);
		out.dedup();
	}
	out
}

fn observation_category(code: &str) -> Option<Category> {
	Some(match code {
		"laboratory" => Category::LabResults,
		"imaging" => Category::Imaging,
		"procedure" => Category::Procedures,
		"vital-signs" | "exam" | "survey" | "social-history" | "activity" | "therapy" => {
			Category::Encounters
		},
		_ => return None,
	})
}

fn diagnostic_section(code: &str) -> Category {
	match code {
		"RAD" | "CT" | "MR" | "NMR" | "NMS" | "US" | "CUS" | "OUS" | "RUS" | "VUS" | "XRC"
		| "RX" => Category::Imaging,
		"GE" => Category::Genomics,
		_ => Category::LabResults,
	}
}

fn sensitivity(code: &str) -> Option<Category> {
	Some(match code {
		"PSY" | "PSYTHPN" | "BH" | "ETH" | "SUD" => Category::MentalHealth,
		"SEX" | "STD" | "HIV" | "SDV" => Category::SexualHealth,
		"GDIS" => Category::Genomics,
		_ => return None,
	})
}

#[derive(Debug, Default, Deserialize)]
struct Concept<'a> {
	#[serde(borrow, default)]
	coding: Vec<Coding<'a>>,
}

#[derive(Debug, Default, Deserialize)]
struct Identifier {
	system: Option<String>,
	value: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct PatientReference {
	reference: Option<String>,
	identifier: Option<Identifier>,
}

#[derive(Debug, Default, Deserialize)]
struct Meta<'a> {
	#[serde(borrow, default)]
	security: Vec<Coding<'a>>,
}

#[derive(Debug, Default, Deserialize)]
struct Period {
	start: Option<String>,
}

/// The fields of a resource the gateway reads (any others are kept as they are, unread).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Header<'a> {
	resource_type: String,
	id: Option<String>,
	#[serde(borrow)]
	meta: Option<Meta<'a>>,
	#[serde(borrow, default)]
	category: OneOrMany<Concept<'a>>,
	subject: Option<PatientReference>,
	patient: Option<PatientReference>,
	beneficiary: Option<PatientReference>,
	effective_date_time: Option<String>,
	effective_period: Option<Period>,
	issued: Option<String>,
	recorded_date: Option<String>,
	onset_date_time: Option<String>,
	authored_on: Option<String>,
	occurrence_date_time: Option<String>,
	performed_date_time: Option<String>,
	date: Option<String>,
	created: Option<String>,
	period: Option<Period>,
	started: Option<String>,
}

/// A field that is a list in some resource types and a single value in others (`category`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
	One(T),
	Many(Vec<T>),
}

impl<T> Default for OneOrMany<T> {
	fn default() -> Self {
		OneOrMany::Many(Vec::new())
	}
}

impl<T> OneOrMany<T> {
	fn as_slice(&self) -> &[T] {
		match self {
			OneOrMany::One(one) => core::slice::from_ref(one),
			OneOrMany::Many(many) => many,
		}
	}
}

/// What a gateway needs of a clinical resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classified {
	pub resource_type: String,
	/// The id the resource carries (a create ignores it; an update must match the URL's).
	pub id: Option<String>,
	pub patient: PatientId,
	pub category: Category,
	/// When it happened (ms since the epoch), from the type's clinical date, for searches by
	/// `date`; `None` if it has none.
	pub effective: Option<i64>,
}

/// Reads what the gateway needs of `resource` (JSON), or the path to fix.
pub fn classify(resource: &serde_json::Value) -> Result<Classified, Unmappable> {
	let h: Header<'_> = Header::deserialize(resource)
		.map_err(|e| unmappable("$", format!("not a FHIR R4 resource: {e}")))?;
	if !RESOURCE_TYPES.contains(&h.resource_type.as_str()) {
		return Err(unmappable(
			"$.resourceType",
			format!(
				"{:?} is not a type this gateway stores ({})",
				h.resource_type,
				RESOURCE_TYPES.join(", ")
			),
		));
	}
	let mut sensitive = None;
	for (i, label) in h.meta.iter().flat_map(|m| m.security.iter()).enumerate() {
		if label.system.as_deref() != Some(ACT_CODE) {
			continue;
		}
		if let Some(category) = label.code.as_deref().and_then(sensitivity) {
			match sensitive {
				Some(other) if other != category => {
					return Err(unmappable(
						format!("$.meta.security[{i}]"),
						"a resource may carry the sensitivity of one category (mental health, sexual health or genomics), not two",
					))
				},
				_ => sensitive = Some(category),
			}
		}
	}
	let by_type = match h.resource_type.as_str() {
		"Observation" => h
			.category
			.as_slice()
			.iter()
			.flat_map(|c| c.coding.iter())
			.filter(|c| c.system.as_deref() == Some(OBSERVATION_CATEGORY))
			.find_map(|c| c.code.as_deref().and_then(observation_category)),
		"DiagnosticReport" => {
			h.category.as_slice().iter().flat_map(|c| c.coding.iter()).find_map(|c| {
				match (c.system.as_deref(), c.code.as_deref()) {
					(Some(DIAGNOSTIC_SECTION), Some(code)) => Some(diagnostic_section(code)),
					(Some(LOINC), Some("LP29684-5")) => Some(Category::Imaging),
					(Some(LOINC), Some("LP7839-6")) => Some(Category::LabResults),
					_ => None,
				}
			})
		},
		other => fixed_category(other),
	};
	let category = match (sensitive, by_type) {
		(Some(s), _) => s,
		(None, Some(c)) => c,
		(None, None) => {
			return Err(unmappable(
				"$.category",
				format!(
					"a {} needs a category medchain knows ({})",
					h.resource_type,
					if h.resource_type == "Observation" {
						"observation-category laboratory, imaging, procedure, vital-signs, exam, survey, social-history, activity or therapy"
					} else {
						"a v2-0074 diagnostic service section, or LOINC LP29684-5 / LP7839-6"
					}
				),
			))
		},
	};
	let (field, reference) = match h.resource_type.as_str() {
		"AllergyIntolerance" | "Immunization" | "Claim" | "ExplanationOfBenefit" => {
			("patient", h.patient.as_ref())
		},
		"Coverage" => ("beneficiary", h.beneficiary.as_ref()),
		_ => ("subject", h.subject.as_ref()),
	};
	let patient = patient_of(&format!("$.{field}"), reference)?;
	let effective = [
		h.effective_date_time.as_deref(),
		h.effective_period.as_ref().and_then(|p| p.start.as_deref()),
		h.onset_date_time.as_deref(),
		h.recorded_date.as_deref(),
		h.authored_on.as_deref(),
		h.occurrence_date_time.as_deref(),
		h.performed_date_time.as_deref(),
		h.issued.as_deref(),
		h.date.as_deref(),
		h.created.as_deref(),
		h.period.as_ref().and_then(|p| p.start.as_deref()),
		h.started.as_deref(),
	]
	.into_iter()
	.flatten()
	.find_map(fhir_date_ms);
	Ok(Classified { resource_type: h.resource_type, id: h.id, patient, category, effective })
}

fn patient_of(path: &str, reference: Option<&PatientReference>) -> Result<PatientId, Unmappable> {
	let reference = reference.ok_or_else(|| {
		unmappable(path, "missing: whose resource it is (the patient's medchain id)")
	})?;
	if let Some(identifier) = &reference.identifier {
		if identifier.system.as_deref() == Some(PATIENT_SYSTEM) {
			return identifier.value.as_deref().and_then(|v| v.parse().ok()).ok_or_else(|| {
				unmappable(format!("{path}.identifier.value"), "not a medchain patient id")
			});
		}
	}
	if let Some(id) = reference.reference.as_deref().and_then(|r| r.strip_prefix("Patient/")) {
		return id.parse().map_err(|_| {
			unmappable(
				format!("{path}.reference"),
				format!("Patient/{id} is not a medchain patient id"),
			)
		});
	}
	Err(unmappable(
		path,
		format!("must name the patient by {PATIENT_SYSTEM} identifier or as Patient/<id>"),
	))
}

/// A FHIR date, dateTime or instant (`2026`, `2026-12`, `2026-12-06`, `2026-12-06T10:00:00Z`)
/// as ms since the epoch at its start, UTC.
pub fn fhir_date_ms(text: &str) -> Option<i64> {
	use chrono::{DateTime, NaiveDate};
	if let Ok(at) = DateTime::parse_from_rfc3339(text) {
		return Some(at.timestamp_millis());
	}
	let date = match text.len() {
		4 => NaiveDate::parse_from_str(&format!("{text}-01-01"), "%Y-%m-%d").ok(),
		7 => NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").ok(),
		10 => NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
		_ => None,
	}?;
	Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

/// The chain's purpose for a FHIR PurposeOfUse code (HL7 v3 ActReason: `TREAT`, `HPAYMT`,
/// `HOPERAT`, `HRESCH`, `PUBHLTH`, `ETREAT`), given bare or as `system|code`.
pub fn purpose_of_use(text: &str) -> Option<Purpose> {
	let code = match text.split_once('|') {
		Some((system, code)) if system == crate::PURPOSE_SYSTEM => code,
		Some(_) => return None,
		None => text,
	};
	Purpose::ALL.iter().copied().find(|p| crate::purpose_code(*p) == code.trim())
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	fn observation(category: &str) -> serde_json::Value {
		json!({
			"resourceType": "Observation",
			"status": "final",
			"category": [{ "coding": [{ "system": OBSERVATION_CATEGORY, "code": category }] }],
			"code": { "text": "glucose" },
			"subject": { "identifier": { "system": PATIENT_SYSTEM, "value": "7" } },
			"effectiveDateTime": "2026-12-06T10:00:00Z",
		})
	}

	#[test]
	fn each_type_has_its_category_and_observations_go_by_theirs() {
		let lab = classify(&observation("laboratory")).unwrap();
		assert_eq!((lab.patient, lab.category), (7, Category::LabResults));
		assert_eq!(lab.effective, Some(1_796_551_200_000));
		assert_eq!(classify(&observation("imaging")).unwrap().category, Category::Imaging);
		assert_eq!(classify(&observation("vital-signs")).unwrap().category, Category::Encounters);
		let claim = json!({ "resourceType": "Claim", "patient": { "reference": "Patient/9" }, "created": "2026-11" });
		let claim = classify(&claim).unwrap();
		assert_eq!((claim.patient, claim.category), (9, Category::Billing));
		let report = json!({
			"resourceType": "DiagnosticReport",
			"category": [{ "coding": [{ "system": DIAGNOSTIC_SECTION, "code": "CT" }] }],
			"subject": { "reference": "Patient/3" },
		});
		assert_eq!(classify(&report).unwrap().category, Category::Imaging);
		for t in RESOURCE_TYPES {
			assert!(!categories_of_type(t).is_empty(), "{t}");
		}
	}

	#[test]
	fn a_sensitivity_label_wins_and_two_are_refused() {
		let mut lab = observation("laboratory");
		lab["meta"] = json!({ "security": [{ "system": ACT_CODE, "code": "HIV" }] });
		assert_eq!(classify(&lab).unwrap().category, Category::SexualHealth);
		lab["meta"] = json!({ "security": [
			{ "system": ACT_CODE, "code": "HIV" }, { "system": ACT_CODE, "code": "PSY" },
		] });
		assert_eq!(classify(&lab).unwrap_err().path, "$.meta.security[1]");
	}

	#[test]
	fn what_cannot_be_filed_is_refused_with_the_path_to_fix() {
		let unknown = json!({ "resourceType": "Patient", "id": "x" });
		assert_eq!(classify(&unknown).unwrap_err().path, "$.resourceType");
		assert_eq!(classify(&observation("mystery")).unwrap_err().path, "$.category");
		let mut nobody = observation("laboratory");
		nobody.as_object_mut().unwrap().remove("subject");
		assert_eq!(classify(&nobody).unwrap_err().path, "$.subject");
		let mut wrong = observation("laboratory");
		wrong["subject"] = json!({ "reference": "Patient/abc" });
		assert_eq!(classify(&wrong).unwrap_err().path, "$.subject.reference");
		assert_eq!(classify(&json!([1, 2])).unwrap_err().path, "$");
	}

	#[test]
	fn purposes_of_use_by_code_or_system_and_code() {
		assert_eq!(purpose_of_use("TREAT"), Some(Purpose::Treatment));
		assert_eq!(
			purpose_of_use("http://terminology.hl7.org/CodeSystem/v3-ActReason|HPAYMT"),
			Some(Purpose::Payment)
		);
		assert_eq!(purpose_of_use("other|TREAT"), None);
		assert_eq!(purpose_of_use("SHOPPING"), None);
	}
}
