//! `OperationOutcome`: the shape of every error (and warning) a FHIR API returns.

use serde::{Deserialize, Serialize};

/// How bad an issue is (R4 `issue.severity`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
	Fatal,
	Error,
	Warning,
	Information,
}

/// What kind of issue (R4 `issue.code`, the IssueType value set: those a gateway uses).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IssueType {
	Invalid,
	Structure,
	Required,
	Value,
	Security,
	Login,
	Forbidden,
	Suppressed,
	Processing,
	NotSupported,
	Duplicate,
	NotFound,
	Deleted,
	TooLong,
	CodeInvalid,
	Conflict,
	Transient,
	Exception,
	Timeout,
	Throttled,
	Incomplete,
	Informational,
}

/// One issue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Issue {
	pub severity: Severity,
	pub code: IssueType,
	/// What happened and what to do, for a person.
	pub diagnostics: String,
	/// The JSON paths (FHIRPath-like, `$.subject`) at fault, if any.
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	pub expression: Vec<String>,
	/// A machine-readable detail (`medchain` codes such as `consent.NoGrant`).
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub details: Option<Details>,
}

/// `issue.details`: a code from medchain's code system.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Details {
	pub coding: Vec<DetailCoding>,
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub text: Option<String>,
}

/// A coding of `issue.details`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetailCoding {
	pub system: String,
	pub code: String,
}

/// The code system of medchain's outcome details (`denied.NoGrant`, `chain.Unavailable` …).
pub const OUTCOME_SYSTEM: &str = "urn:medchain:outcome";

/// An R4 OperationOutcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "resourceType")]
pub struct OperationOutcome {
	pub issue: Vec<Issue>,
}

impl OperationOutcome {
	/// One error issue of `code`, saying `diagnostics`, with medchain's `detail` code.
	pub fn error(code: IssueType, detail: &str, diagnostics: impl Into<String>) -> Self {
		Self {
			issue: vec![Issue {
				severity: Severity::Error,
				code,
				diagnostics: diagnostics.into(),
				expression: Vec::new(),
				details: Some(Details {
					coding: vec![DetailCoding {
						system: OUTCOME_SYSTEM.into(),
						code: detail.into(),
					}],
					text: None,
				}),
			}],
		}
	}

	/// The same, pointing at `path` in the request's body.
	pub fn at(mut self, path: impl Into<String>) -> Self {
		if let Some(issue) = self.issue.first_mut() {
			issue.expression.push(path.into());
		}
		self
	}

	/// An informational outcome (a success with something to say: a pending write).
	pub fn information(detail: &str, diagnostics: impl Into<String>) -> Self {
		let mut outcome = Self::error(IssueType::Informational, detail, diagnostics);
		outcome.issue[0].severity = Severity::Information;
		outcome
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn an_outcome_is_written_as_r4_says() {
		let o = OperationOutcome::error(IssueType::Forbidden, "denied.NoGrant", "no grant")
			.at("$.subject");
		assert_eq!(
			serde_json::to_value(&o).unwrap(),
			serde_json::json!({
				"resourceType": "OperationOutcome",
				"issue": [{
					"severity": "error", "code": "forbidden", "diagnostics": "no grant",
					"expression": ["$.subject"],
					"details": { "coding": [{ "system": OUTCOME_SYSTEM, "code": "denied.NoGrant" }] },
				}],
			})
		);
	}
}
