//! A client of a medchain gateway's FHIR API (feature `gateway`): every request signed
//! (RFC 9421, [`crate::httpsig`]) with the caller's key, reads with an access ticket, writes
//! with a write attestation, deletes with erase attestations ([`crate::attest`]): what
//! `medchain fhir …` runs, and how a service calls a gateway.

use std::time::{SystemTime, UNIX_EPOCH};

use medchain_fhir::{canonical, resources};
use medchain_primitives::{Categories, Category, Hash32, PatientId, Purpose, RecordId};
use serde_json::Value;
use subxt::transactions::Signer;

use crate::{attest, httpsig, Error, MedchainConfig};

/// A gateway's answer: the status, its FHIR body (a resource, a Bundle or an
/// OperationOutcome) and the headers that matter.
#[derive(Clone, Debug)]
pub struct Answer {
	pub status: u16,
	pub body: Value,
	pub location: Option<String>,
	pub etag: Option<String>,
}

impl Answer {
	/// Whether the status is 2xx.
	pub fn is_success(&self) -> bool {
		(200..300).contains(&self.status)
	}

	/// The diagnostics of an OperationOutcome body, joined.
	pub fn diagnostics(&self) -> String {
		self.body["issue"]
			.as_array()
			.map(|issues| {
				issues
					.iter()
					.filter_map(|i| i["diagnostics"].as_str())
					.collect::<Vec<_>>()
					.join("; ")
			})
			.unwrap_or_default()
	}
}

/// A connection to one gateway, signing as `signer`, for the chain whose genesis is `genesis`.
pub struct GatewayClient<S> {
	base: reqwest::Url,
	signer: S,
	genesis: Hash32,
	http: reqwest::Client,
}

fn purpose_code(purpose: Purpose) -> &'static str {
	medchain_fhir::purpose_code(purpose)
}

impl<S: Signer<MedchainConfig>> GatewayClient<S> {
	/// A client of the gateway at `base` (`http://host:port`), signing as `signer`.
	pub fn new(base: &str, signer: S, genesis: Hash32) -> Result<Self, Error> {
		let base = reqwest::Url::parse(base)
			.map_err(|e| Error::Input(format!("{base} is not a gateway URL: {e}")))?;
		let http = reqwest::Client::builder()
			.timeout(std::time::Duration::from_secs(60))
			.build()
			.map_err(|e| Error::Input(format!("no HTTP client: {e}")))?;
		Ok(Self { base, signer, genesis, http })
	}

	/// Sends `method path?query` with `headers` (lower-case `medchain-*`) and `body`, signed.
	pub async fn send(
		&self,
		method: &str,
		path_and_query: &str,
		mut headers: Vec<(String, String)>,
		body: Option<Vec<u8>>,
	) -> Result<Answer, Error> {
		let url = self
			.base
			.join(path_and_query)
			.map_err(|e| Error::Input(format!("{path_and_query}: {e}")))?;
		let authority = match url.port() {
			Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
			None => url.host_str().unwrap_or_default().to_owned(),
		};
		if let Some(body) = &body {
			headers.push(("content-digest".into(), httpsig::content_digest(body)));
		}
		let parts = httpsig::RequestParts {
			method,
			authority: &authority,
			path: url.path(),
			query: url.query(),
			headers: headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect(),
		};
		let created =
			SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
		let nonce = hex::encode(attest::nonce()?);
		let signed = httpsig::sign(&parts, &self.signer, created, 60, &nonce)
			.map_err(|e| Error::Key(e.to_string()))?;
		let method = reqwest::Method::from_bytes(method.as_bytes())
			.map_err(|e| Error::Input(format!("{method}: {e}")))?;
		let mut request = self
			.http
			.request(method, url.clone())
			.header("signature-input", signed.signature_input)
			.header("signature", signed.signature)
			.header("accept", "application/fhir+json");
		for (name, value) in &headers {
			request = request.header(name.as_str(), value.as_str());
		}
		if let Some(body) = body {
			request = request.header("content-type", "application/fhir+json").body(body);
		}
		let response = request
			.send()
			.await
			.map_err(|e| Error::Connect { url: self.base.to_string(), reason: e.to_string() })?;
		let status = response.status().as_u16();
		let header = |name: &str| {
			response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
		};
		let (location, etag) =
			(header("location").or_else(|| header("content-location")), header("etag"));
		let bytes = response
			.bytes()
			.await
			.map_err(|e| Error::Connect { url: self.base.to_string(), reason: e.to_string() })?;
		let body = if bytes.is_empty() {
			Value::Null
		} else {
			serde_json::from_slice(&bytes).unwrap_or(Value::Null)
		};
		Ok(Answer { status, body, location, etag })
	}

	/// Creates `resource` (JSON) for `purpose`: its content fingerprinted and attested by the
	/// signer, anchored in its name.
	pub async fn create(&self, resource: &Value, purpose: Purpose) -> Result<Answer, Error> {
		self.write("POST", None, resource, purpose, None).await
	}

	/// A new version of `resource_type/id`, superseding `record` (the current version's).
	pub async fn update(
		&self,
		id: &str,
		resource: &Value,
		purpose: Purpose,
		record: RecordId,
	) -> Result<Answer, Error> {
		self.write("PUT", Some(id), resource, purpose, Some(record)).await
	}

	async fn write(
		&self,
		method: &str,
		id: Option<&str>,
		resource: &Value,
		purpose: Purpose,
		supersedes: Option<RecordId>,
	) -> Result<Answer, Error> {
		let classified = resources::classify(resource).map_err(|e| Error::Input(e.to_string()))?;
		let (_, hash) =
			canonical::fingerprint_resource(resource).map_err(|e| Error::Input(e.to_string()))?;
		let (attestation, signature) = attest::write_attestation(
			&self.signer,
			&self.genesis,
			classified.patient,
			classified.category,
			purpose,
			hash,
			supersedes,
		)?;
		let headers = vec![
			("medchain-purpose".into(), purpose_code(purpose).into()),
			("medchain-write".into(), attest::header_value(&attestation, &signature)),
		];
		let body = serde_json::to_vec(resource).map_err(|e| Error::Input(e.to_string()))?;
		let path = match id {
			Some(id) => format!("/fhir/{}/{id}", classified.resource_type),
			None => format!("/fhir/{}", classified.resource_type),
		};
		self.send(method, &path, headers, Some(body)).await
	}

	fn ticket_headers(
		&self,
		patient: PatientId,
		purpose: Purpose,
		categories: Categories,
		record: Option<RecordId>,
		break_glass: bool,
	) -> Result<Vec<(String, String)>, Error> {
		let (ticket, signature) = attest::access_ticket(
			&self.signer,
			&self.genesis,
			patient,
			purpose,
			categories,
			record,
			60_000,
		)?;
		let mut headers = vec![
			("medchain-purpose".into(), purpose_code(purpose).into()),
			("medchain-ticket".into(), attest::header_value(&ticket, &signature)),
		];
		if break_glass {
			headers.push(("medchain-break-glass".into(), "?1".into()));
		}
		Ok(headers)
	}

	/// Reads `resource_type/id` (version `version`, or the current one) of `patient` for
	/// `purpose`: the ticket asks for the categories the type may have.
	pub async fn read(
		&self,
		resource_type: &str,
		id: &str,
		version: Option<u32>,
		patient: PatientId,
		purpose: Purpose,
		break_glass: bool,
	) -> Result<Answer, Error> {
		let categories = categories_of(resource_type)?;
		let headers = self.ticket_headers(patient, purpose, categories, None, break_glass)?;
		let path = match version {
			Some(v) => format!("/fhir/{resource_type}/{id}/_history/{v}"),
			None => format!("/fhir/{resource_type}/{id}"),
		};
		self.send("GET", &path, headers, None).await
	}

	/// `patient`'s resources of `resource_type` for `purpose`, with FHIR `date` parameters
	/// (`ge2026-01-01` …).
	pub async fn search(
		&self,
		resource_type: &str,
		patient: PatientId,
		purpose: Purpose,
		dates: &[String],
		break_glass: bool,
	) -> Result<Answer, Error> {
		let categories = categories_of(resource_type)?;
		let headers = self.ticket_headers(patient, purpose, categories, None, break_glass)?;
		let mut query = form_query(&[("patient", patient.to_string())]);
		for date in dates {
			query.push('&');
			query.push_str(&form_query(&[("date", date.clone())]));
		}
		self.send("GET", &format!("/fhir/{resource_type}?{query}"), headers, None).await
	}

	/// Erases `resource_type/id`: one erase attestation for each of `records` (every anchored
	/// version's record: `_history` lists them in `meta.tag`).
	pub async fn delete(
		&self,
		resource_type: &str,
		id: &str,
		records: &[RecordId],
	) -> Result<Answer, Error> {
		let mut values = Vec::new();
		for record in records {
			let (a, s) = attest::erase_attestation(&self.signer, &self.genesis, *record)?;
			values.push(attest::header_value(&a, &s));
		}
		let headers = vec![("medchain-erase".into(), values.join(", "))];
		self.send("DELETE", &format!("/fhir/{resource_type}/{id}"), headers, None).await
	}
}

fn form_query(pairs: &[(&str, String)]) -> String {
	pairs
		.iter()
		.map(|(k, v)| {
			let v: String = v
				.bytes()
				.map(|b| match b {
					b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
						(b as char).to_string()
					},
					_ => format!("%{b:02X}"),
				})
				.collect();
			format!("{k}={v}")
		})
		.collect::<Vec<_>>()
		.join("&")
}

fn categories_of(resource_type: &str) -> Result<Categories, Error> {
	let categories: Vec<Category> = resources::categories_of_type(resource_type);
	if categories.is_empty() {
		return Err(Error::Input(format!(
			"{resource_type} is not a type a gateway stores ({})",
			resources::RESOURCE_TYPES.join(", ")
		)));
	}
	Ok(categories.into_iter().fold(Categories::NONE, |set, c| set.union(c.into())))
}

/// The record ids an answer's resources carry (`meta.tag` `urn:medchain:record`): those of a
/// resource, or of each entry of a Bundle.
pub fn records_in(body: &Value) -> Vec<RecordId> {
	let of = |resource: &Value| -> Option<RecordId> {
		resource["meta"]["tag"].as_array()?.iter().find_map(|t| {
			(t["system"] == "urn:medchain:record")
				.then(|| t["code"].as_str()?.parse().ok())
				.flatten()
		})
	};
	match body["resourceType"].as_str() {
		Some("Bundle") => body["entry"]
			.as_array()
			.map(|entries| entries.iter().filter_map(|e| of(&e["resource"])).collect())
			.unwrap_or_default(),
		_ => of(body).into_iter().collect(),
	}
}

impl<S: Signer<MedchainConfig>> GatewayClient<S> {
	/// `resource_type/id/_history` of `patient`, read for `purpose`.
	pub async fn send_history(
		&self,
		resource_type: &str,
		id: &str,
		patient: PatientId,
		purpose: Purpose,
	) -> Result<Answer, Error> {
		let categories = categories_of(resource_type)?;
		let headers = self.ticket_headers(patient, purpose, categories, None, false)?;
		self.send("GET", &format!("/fhir/{resource_type}/{id}/_history"), headers, None)
			.await
	}
}
