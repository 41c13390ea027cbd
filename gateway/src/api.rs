//! The FHIR R4 REST API: `/fhir/{type}` (create, search), `/fhir/{type}/{id}` (read, update,
//! delete), `_history` and vread, `/fhir/metadata`, `/openapi.json`, the probes and `/metrics`.
//!
//! Every read is one path (read, vread, history and search alike; a practitioner of another
//! organisation reading through its own gateway will take it too): the reader's signed ticket
//! must name what is read; the version must open (its data key, its binding) and hash to what
//! the chain anchored; the chain's consent decision must permit the reader, for the purpose the
//! request names, now; and the read is queued for the patient's trail, in the reader's name,
//! before the response leaves.

use std::time::Duration;

use axum::{
	extract::{MatchedPath, RawQuery, Request, State},
	http::{header, HeaderMap, HeaderValue, StatusCode},
	middleware::{self, Next},
	response::{IntoResponse, Response},
	routing::get,
	Json, Router,
};
use chrono::{DateTime, SecondsFormat, Utc};
use codec::Encode;
use futures::future::join_all;
use medchain_fhir::{
	canonical,
	outcome::{IssueType, OperationOutcome},
	resources::{self, Classified},
};
use medchain_primitives::{
	attestation::{
		AccessTicket, AttestedErase, AttestedRead, AttestedWrite, ServedRecord, MAX_CLOCK_SKEW,
		WRITE_WINDOW,
	},
	AccessQuestion, Action, Category, ConsentRef, Decision, DenyReason, Hash32, PatientActor,
	Purpose, RecordVerification,
};
use serde_json::{json, Value};
use subxt::utils::MultiSignature;

use crate::{
	auth::{self, Signed},
	chain::{AccountId, ReadQuestion},
	envelope::{self, Binding},
	error::ApiError,
	outbox::{Item, Outcome},
	store::{NewVersion, ResourceRow, VersionRow, VersionStatus},
	AppState, FHIR_JSON,
};

/// Path parameters, whose rejection (an id that is not UTF-8 once percent-decoded …) is an
/// OperationOutcome like every other error.
pub struct Path<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for Path<T>
where
	T: serde::de::DeserializeOwned + Send,
	S: Send + Sync,
{
	type Rejection = ApiError;

	async fn from_request_parts(
		parts: &mut axum::http::request::Parts,
		state: &S,
	) -> Result<Self, Self::Rejection> {
		axum::extract::Path::<T>::from_request_parts(parts, state)
			.await
			.map(|axum::extract::Path(value)| Path(value))
			.map_err(|e| {
				ApiError::bad_request("path", format!("the URL's path does not read: {e}"))
			})
	}
}

/// The API's routes.
pub fn router(state: AppState) -> Router {
	Router::new()
		.route("/fhir/metadata", get(metadata))
		.route("/openapi.json", get(openapi))
		.route("/healthz", get(|| async { "ok" }))
		.route("/readyz", get(ready))
		.route("/metrics", get(metrics))
		.route("/fhir/_status/{type}/{id}/{vid}", get(write_status))
		.route("/fhir/{type}", get(search).post(create))
		.route("/fhir/{type}/{id}", get(read).put(update).delete(delete))
		.route("/fhir/{type}/{id}/_history", get(history))
		.route("/fhir/{type}/{id}/_history/{vid}", get(vread))
		.fallback(|| async {
			ApiError::new(
				StatusCode::NOT_FOUND,
				IssueType::NotSupported,
				"no-such-route",
				"no such path: the FHIR API is under /fhir (see /fhir/metadata and /openapi.json)",
			)
		})
		.method_not_allowed_fallback(|| async {
			ApiError::new(
				StatusCode::METHOD_NOT_ALLOWED,
				IssueType::NotSupported,
				"method-not-allowed",
				"this path does not take that method: see /openapi.json",
			)
		})
		.layer(middleware::from_fn_with_state(state.clone(), auth::claim_nonce))
		.layer(middleware::from_fn_with_state(state.clone(), count))
		.layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
			ApiError::internal("panic", "the gateway failed on this request; nothing was changed")
				.into_response()
		}))
		.layer(tower_http::trace::TraceLayer::new_for_http())
		.with_state(state)
}

/// Counts each request by its route (the pattern, never the path: no ids) and status.
async fn count(State(state): State<AppState>, request: Request, next: Next) -> Response {
	let route = request
		.extensions()
		.get::<MatchedPath>()
		.map(|p| p.as_str().to_owned())
		.unwrap_or_else(|| "unmatched".into());
	let method = request.method().as_str().to_owned();
	let response = next.run(request).await;
	state
		.metrics
		.requests
		.with_label_values(&[&format!("{method} {route}"), response.status().as_str()])
		.inc();
	response
}

fn fhir_json(status: StatusCode, body: &Value) -> Response {
	let mut response = (status, Json(body)).into_response();
	response
		.headers_mut()
		.insert(header::CONTENT_TYPE, HeaderValue::from_static(FHIR_JSON));
	response
}

fn rfc3339(ms: i64) -> String {
	DateTime::<Utc>::from_timestamp_millis(ms)
		.map(|at| at.to_rfc3339_opts(SecondsFormat::Millis, true))
		.unwrap_or_default()
}

/// The stored content as served: with its id, version, time and record.
fn served(
	resource_type: &str,
	id: &str,
	v: &VersionRow,
	content: &[u8],
) -> Result<Value, ApiError> {
	let mut resource: Value = serde_json::from_slice(content)
		.map_err(|_| ApiError::internal("integrity", "a stored version is not JSON"))?;
	let Value::Object(fields) = &mut resource else {
		return Err(ApiError::internal("integrity", "a stored version is not a JSON object"));
	};
	fields.insert("id".into(), json!(id));
	let meta = fields.entry("meta").or_insert_with(|| json!({}));
	meta["versionId"] = json!(v.version.to_string());
	meta["lastUpdated"] = json!(rfc3339(v.created_at));
	if let Some(record) = v.record_id {
		let mut tags = meta.get("tag").and_then(Value::as_array).cloned().unwrap_or_default();
		tags.push(json!({ "system": "urn:medchain:record", "code": record.to_string() }));
		meta["tag"] = Value::Array(tags);
	}
	debug_assert!(fields.get("resourceType").and_then(Value::as_str) == Some(resource_type));
	Ok(resource)
}

fn known_type(resource_type: &str) -> Result<(), ApiError> {
	if resources::RESOURCE_TYPES.contains(&resource_type) {
		Ok(())
	} else {
		Err(ApiError::new(
			StatusCode::NOT_FOUND,
			IssueType::NotSupported,
			"unknown-type",
			format!(
				"{resource_type} is not a type this gateway stores ({})",
				resources::RESOURCE_TYPES.join(", ")
			),
		))
	}
}

fn category_of(row: &ResourceRow) -> Result<Category, ApiError> {
	Category::ALL
		.get(usize::from(row.category))
		.copied()
		.ok_or_else(|| ApiError::internal("integrity", "a stored resource names no known category"))
}

/// What a read of one version needs to be served: its bytes, opened and hashed.
struct Opened {
	version: VersionRow,
	content: Vec<u8>,
	hash: Hash32,
}

/// Opens a version (its data key, its binding), or says why it is not served.
fn open(state: &AppState, row: &ResourceRow, v: VersionRow) -> Result<Opened, ApiError> {
	match v.status {
		VersionStatus::Erased => return Err(ApiError::gone(&format!("{}/{}", row.resource_type, row.id))),
		VersionStatus::Refused => return Err(ApiError::not_found(&format!("{}/{}", row.resource_type, row.id))),
		VersionStatus::Pending => {
			return Err(ApiError::conflict(
				"pending",
				format!(
					"version {} is not anchored on the chain yet, so it is not served: retry once it is (GET /fhir/_status/{}/{}/{})",
					v.version, row.resource_type, row.id, v.version
				),
			))
		},
		VersionStatus::Anchored => {},
	}
	let integrity = |state: &AppState, why: &str| {
		state.metrics.integrity_failures.inc();
		// The resource's type and id locate the row for its operator; they say nothing of
		// its patient or content.
		tracing::error!(alert = "integrity", resource_type = %row.resource_type, id = %row.id, version = v.version, reason = why, "a stored version failed its integrity check and was not served");
		ApiError::internal(
			"integrity",
			"this version failed the gateway's integrity check and is not served; its operator is alerted",
		)
	};
	let (Some(ciphertext), Some(wrapped_key)) = (v.ciphertext.clone(), v.wrapped_key.clone())
	else {
		return Err(integrity(state, "no ciphertext or key"));
	};
	let binding = Binding {
		resource_type: &row.resource_type,
		id: &row.id,
		version: v.version,
		locator: &v.locator,
	};
	let sealed = envelope::Sealed { ciphertext, wrapped_key, kek_id: v.kek_id.clone() };
	let content = envelope::open(&*state.kek, binding, &sealed)
		.map_err(|e| integrity(state, &e.to_string()))?;
	let hash = canonical::fingerprint(&content);
	if hash.0 != v.content_hash {
		return Err(integrity(state, "content does not hash to its stored fingerprint"));
	}
	Ok(Opened { version: v, content, hash })
}

/// Why the chain's decision does not let the reader read, in words that say what to do.
fn denied(reason: DenyReason) -> ApiError {
	let (detail, words) = match reason {
		DenyReason::UnknownPatient => ("denied.UnknownPatient", "the chain knows no such patient"),
		DenyReason::NotActiveProvider => (
			"denied.NotActiveProvider",
			"the signer is neither an active practitioner nor the patient or one of its guardians",
		),
		DenyReason::DeniedByPatient => ("denied.DeniedByPatient", "the patient's deny rule covers this request"),
		DenyReason::NoGrant => (
			"denied.NoGrant",
			"no consent of the patient covers this request (the category, the purpose, this reader): ask the patient for one",
		),
	};
	ApiError::forbidden(detail, format!("the chain denies it: {words}"))
}

/// The basis a read or write relies on, from the chain's decision: a grant, an emergency
/// access (only with the break-glass flag), or the signer acting for the patient (`None`).
async fn basis(
	state: &AppState,
	signed: &Signed,
	patient: u64,
	category: Category,
	action: Action,
	decision: Decision,
) -> Result<Option<ConsentRef>, ApiError> {
	let outcome = |o: &str| state.metrics.decisions.with_label_values(&[o]).inc();
	match (decision, signed.break_glass) {
		(Decision::Permit { grant_id, .. }, false) => {
			outcome("permit");
			Ok(Some(ConsentRef::Grant(grant_id)))
		},
		(Decision::PermitEmergency { access_id, .. }, true) => {
			outcome("emergency");
			Ok(Some(ConsentRef::Emergency(access_id)))
		},
		(Decision::PermitEmergency { .. }, false) => {
			outcome("deny");
			Err(ApiError::forbidden(
				"break-glass-flag",
				format!(
					"only an emergency access permits this: say so with {}: ?1",
					auth::BREAK_GLASS_HEADER
				),
			))
		},
		(_, true) => {
			outcome("deny");
			Err(ApiError::forbidden(
				"no-emergency-access",
				"break-glass works only while the chain has an open emergency access of this practitioner for this patient, with purpose ETREAT: open one (consent.breakGlass) first",
			))
		},
		(Decision::EmergencyOnly, false) => {
			outcome("deny");
			Err(ApiError::forbidden(
				"denied.NoGrant",
				"no consent covers this; in an emergency, open an emergency access on the chain (consent.breakGlass) and retry with purpose ETREAT and the break-glass flag",
			))
		},
		(Decision::Deny(DenyReason::NotActiveProvider), false) => {
			match state.chain.actor_for(patient, &signed.signer).await? {
				Some(PatientActor::Patient) => {
					outcome("patient");
					Ok(None)
				},
				Some(PatientActor::Guardian(scope))
					if action == Action::Read && scope.consent_categories.contains(category) =>
				{
					outcome("guardian");
					Ok(None)
				},
				_ => {
					outcome("deny");
					Err(denied(DenyReason::NotActiveProvider))
				},
			}
		},
		(Decision::Deny(reason), false) => {
			outcome("deny");
			Err(denied(reason))
		},
	}
}

/// The one read path: checks what `ticket` asks for against each version, asks the chain about
/// all of them in one round, and gives those that may be served (with the basis of each).
/// `strict`: a read of one thing fails as a whole (an error says why); a search leaves out what
/// it may not serve.
async fn read_path(
	state: &AppState,
	signed: &Signed,
	ticket: &AccessTicket<AccountId>,
	items: Vec<(ResourceRow, VersionRow)>,
	strict: bool,
) -> Result<Vec<(ResourceRow, Opened, Option<ConsentRef>)>, ApiError> {
	let purpose = signed.purpose()?;
	if ticket.purpose != purpose {
		return Err(ApiError::forbidden(
			"ticket-mismatch",
			"the access ticket names another purpose than the request",
		));
	}
	let mut candidates = Vec::new();
	for (row, version) in items {
		let category = category_of(&row)?;
		let fits = ticket.patient == row.patient
			&& ticket.categories.contains(category)
			&& ticket.record.is_none_or(|r| Some(r) == version.record_id);
		if !fits {
			if strict {
				return Err(ApiError::forbidden(
					"ticket-mismatch",
					"the access ticket does not name this (its patient, category or record): make one that does",
				));
			}
			continue;
		}
		match open(state, &row, version) {
			Ok(opened) => candidates.push((row, category, opened)),
			Err(e) if strict => return Err(e),
			Err(_) => {},
		}
	}
	let started = std::time::Instant::now();
	let answers = join_all(candidates.iter().map(|(row, category, opened)| {
		state.chain.ask(ReadQuestion {
			question: AccessQuestion {
				patient: row.patient,
				accessor: signed.signer,
				category: *category,
				purpose,
				action: Action::Read,
			},
			anchor: opened.version.record_id.map(|r| (r, opened.hash)),
		})
	}))
	.await;
	state.metrics.decision_round_trip.observe(started.elapsed().as_secs_f64());
	let mut out = Vec::new();
	for ((row, category, opened), answer) in candidates.into_iter().zip(answers) {
		let answer = answer?;
		match answer.verification {
			Some(RecordVerification::Matches { status }) => {
				if status == medchain_primitives::RecordStatus::Erased {
					if strict {
						return Err(ApiError::gone(&format!("{}/{}", row.resource_type, row.id)));
					}
					continue;
				}
			},
			_ => {
				state.metrics.integrity_failures.inc();
				tracing::error!(alert = "integrity", resource_type = %row.resource_type, id = %row.id, version = opened.version.version, "a stored version does not match its anchor on the chain and was not served");
				if strict {
					return Err(ApiError::internal(
						"integrity",
						"this version does not match its anchor on the chain and is not served; its operator is alerted",
					));
				}
				continue;
			},
		}
		match basis(state, signed, row.patient, category, Action::Read, answer.decision).await {
			Ok(basis) => out.push((row, opened, basis)),
			Err(e) if strict => return Err(e),
			Err(_) => {},
		}
	}
	Ok(out)
}

/// Queues the report of what was served, in the reader's name, before the response leaves —
/// with the read's nonce, in one commit: a replayed read (even one decided at the same time as
/// its original) is refused here, and nothing is reported for it.
async fn report(
	state: &AppState,
	signed: &Signed,
	ticket: AccessTicket<AccountId>,
	signature: MultiSignature,
	served: &[(ResourceRow, Opened, Option<ConsentRef>)],
) -> Result<(), ApiError> {
	if served.is_empty() {
		return Ok(());
	}
	let mut records = Vec::new();
	for (row, opened, basis) in served {
		if let Some(record) = opened.version.record_id {
			records.push(ServedRecord { record, category: category_of(row)?, basis: *basis });
		}
	}
	let served = records.try_into().map_err(|_| {
		ApiError::bad_request(
			"too-many",
			"a read serves at most 32 records: ask for fewer (_count)",
		)
	})?;
	let item = Item::Report(AttestedRead { ticket, signature, served });
	let now = auth::now() as i64;
	match signed.take_nonce() {
		Some(nonce) => {
			if state.outbox.push_with_nonce(&item, nonce, now).await?.is_none() {
				return Err(auth::replayed());
			}
		},
		None => {
			state.outbox.push(&item, now).await?;
		},
	}
	Ok(())
}

async fn read(
	State(state): State<AppState>,
	Path((resource_type, id)): Path<(String, String)>,
	signed: Signed,
) -> Result<Response, ApiError> {
	known_type(&resource_type)?;
	let row = resource_row(&state, &resource_type, &id).await?;
	let version = state
		.store
		.version(&resource_type, &id, row.current_version)
		.await?
		.ok_or_else(|| ApiError::not_found(&format!("{resource_type}/{id}")))?;
	serve_one(&state, &signed, row, version).await
}

async fn vread(
	State(state): State<AppState>,
	Path((resource_type, id, vid)): Path<(String, String, String)>,
	signed: Signed,
) -> Result<Response, ApiError> {
	known_type(&resource_type)?;
	let row = resource_row(&state, &resource_type, &id).await?;
	let vid: u32 = vid
		.parse()
		.map_err(|_| ApiError::not_found(&format!("{resource_type}/{id}/_history/{vid}")))?;
	let version = state
		.store
		.version(&resource_type, &id, vid)
		.await?
		.ok_or_else(|| ApiError::not_found(&format!("{resource_type}/{id}/_history/{vid}")))?;
	serve_one(&state, &signed, row, version).await
}

async fn resource_row(
	state: &AppState,
	resource_type: &str,
	id: &str,
) -> Result<ResourceRow, ApiError> {
	let row = state
		.store
		.resource(resource_type, id)
		.await?
		.ok_or_else(|| ApiError::not_found(&format!("{resource_type}/{id}")))?;
	if row.deleted {
		// Erased, or a first version the chain refused (never anchored: never existed).
		let first = state.store.version(resource_type, id, 1).await?;
		if first.is_some_and(|v| v.status == VersionStatus::Refused) {
			return Err(ApiError::not_found(&format!("{resource_type}/{id}")));
		}
		return Err(ApiError::gone(&format!("{resource_type}/{id}")));
	}
	Ok(row)
}

async fn serve_one(
	state: &AppState,
	signed: &Signed,
	row: ResourceRow,
	version: VersionRow,
) -> Result<Response, ApiError> {
	let (ticket, signature) = signed.ticket(&state.chain.genesis())?;
	let served = read_path(state, signed, &ticket, vec![(row, version)], true).await?;
	let Some((row, opened, _)) = served.first() else {
		return Err(ApiError::forbidden("denied", "the chain does not permit this read"));
	};
	let body = served_json(row, opened)?;
	let etag = format!("W/\"{}\"", opened.version.version);
	report(state, signed, ticket, signature, &served).await?;
	let mut response = fhir_json(StatusCode::OK, &body);
	if let Ok(value) = HeaderValue::from_str(&etag) {
		response.headers_mut().insert(header::ETAG, value);
	}
	Ok(response)
}

fn served_json(row: &ResourceRow, opened: &Opened) -> Result<Value, ApiError> {
	served(&row.resource_type, &row.id, &opened.version, &opened.content)
}

async fn history(
	State(state): State<AppState>,
	Path((resource_type, id)): Path<(String, String)>,
	signed: Signed,
) -> Result<Response, ApiError> {
	known_type(&resource_type)?;
	let row = resource_row(&state, &resource_type, &id).await?;
	let (ticket, signature) = signed.ticket(&state.chain.genesis())?;
	let page = state.config.page_size as usize;
	let versions: Vec<(ResourceRow, VersionRow)> = state
		.store
		.history(&resource_type, &id)
		.await?
		.into_iter()
		.filter(|v| v.status == VersionStatus::Anchored)
		.take(page)
		.map(|v| (row.clone(), v))
		.collect();
	let served = read_path(&state, &signed, &ticket, versions, false).await?;
	if served.is_empty() {
		return Err(ApiError::forbidden(
			"denied",
			"no version of this resource may be served to this reader",
		));
	}
	let entries = served
		.iter()
		.map(|(row, opened, _)| {
			Ok(json!({
				"fullUrl": format!("{}/{}/_history/{}", row.resource_type, row.id, opened.version.version),
				"resource": served_json(row, opened)?,
				"request": { "method": if opened.version.version == 1 { "POST" } else { "PUT" }, "url": format!("{}/{}", row.resource_type, row.id) },
			}))
		})
		.collect::<Result<Vec<Value>, ApiError>>();
	let entries = entries?;
	let body = json!({ "resourceType": "Bundle", "type": "history", "total": entries.len(), "entry": entries });
	report(&state, &signed, ticket, signature, &served).await?;
	Ok(fhir_json(StatusCode::OK, &body))
}

/// `date` search prefixes (ge, gt, le, lt, eq) as a range `[from, to)` in ms.
fn date_range(values: &[String]) -> Result<(Option<i64>, Option<i64>), ApiError> {
	let (mut from, mut to) = (None::<i64>, None::<i64>);
	for value in values {
		let (prefix, date) = match value.get(..2) {
			Some(p @ ("ge" | "gt" | "le" | "lt" | "eq")) => (p, &value[2..]),
			_ => ("eq", value.as_str()),
		};
		let start = resources::fhir_date_ms(date).ok_or_else(|| {
			ApiError::bad_request(
				"date",
				format!("date={value}: not a FHIR date (2026, 2026-12, 2026-12-06, or an instant)"),
			)
		})?;
		// The end of the date's precision: a year, a month, a day, or the instant.
		let end = match date.len() {
			4 => resources::fhir_date_ms(&format!("{}", date.parse::<i32>().unwrap_or(0) + 1)),
			7 => {
				let (y, m) =
					(date[..4].parse::<i32>().unwrap_or(0), date[5..].parse::<u32>().unwrap_or(1));
				let (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
				resources::fhir_date_ms(&format!("{y:04}-{m:02}"))
			},
			10 => Some(start + 86_400_000),
			_ => Some(start + 1),
		}
		.unwrap_or(start + 1);
		match prefix {
			"ge" => from = Some(from.map_or(start, |f| f.max(start))),
			"gt" => from = Some(from.map_or(end, |f| f.max(end))),
			"lt" => to = Some(to.map_or(start, |t| t.min(start))),
			"le" => to = Some(to.map_or(end, |t| t.min(end))),
			_ => {
				from = Some(from.map_or(start, |f| f.max(start)));
				to = Some(to.map_or(end, |t| t.min(end)));
			},
		}
	}
	Ok((from, to))
}

async fn search(
	State(state): State<AppState>,
	Path(resource_type): Path<String>,
	RawQuery(query): RawQuery,
	signed: Signed,
) -> Result<Response, ApiError> {
	known_type(&resource_type)?;
	let mut patient = None;
	let mut dates = Vec::new();
	let mut count = state.config.page_size;
	let mut offset = 0u32;
	for (key, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
		match key.as_ref() {
			"patient" | "subject" | "patient:Patient" | "subject:Patient" => {
				let id = value.strip_prefix("Patient/").unwrap_or(&value);
				patient = Some(id.parse::<u64>().map_err(|_| {
					ApiError::bad_request("patient", format!("patient={value}: not a medchain patient id"))
				})?);
			},
			"date" => dates.push(value.into_owned()),
			"_count" => {
				count = value
					.parse::<u32>()
					.map_err(|_| ApiError::bad_request("_count", "_count must be a number"))?
					.clamp(1, state.config.page_size)
			},
			"_offset" => offset = value.parse().map_err(|_| ApiError::bad_request("_offset", "_offset must be a number"))?,
			"_format" => {},
			other => {
				return Err(ApiError::new(
					StatusCode::BAD_REQUEST,
					IssueType::NotSupported,
					"search-parameter",
					format!("search parameter {other:?} is not supported: use patient, date, _count, _offset"),
				))
			},
		}
	}
	let patient = patient.ok_or_else(|| {
		ApiError::bad_request(
			"patient",
			"searches are per patient: add patient=<medchain patient id>",
		)
	})?;
	let (from, to) = date_range(&dates)?;
	let (ticket, signature) = signed.ticket(&state.chain.genesis())?;
	if ticket.record.is_some() {
		return Err(ApiError::forbidden(
			"ticket-mismatch",
			"a search's ticket names no single record",
		));
	}
	let rows = state
		.store
		.search(patient, Some(&resource_type), from, to, count, offset)
		.await?;
	let mut items = Vec::new();
	for row in rows {
		if let Some(v) =
			state.store.version(&row.resource_type, &row.id, row.current_version).await?
		{
			items.push((row, v));
		}
	}
	let found = items.len();
	let served = read_path(&state, &signed, &ticket, items, false).await?;
	let entries = served
		.iter()
		.map(|(row, opened, _)| {
			Ok(json!({
				"fullUrl": format!("{}/{}", row.resource_type, row.id),
				"resource": served_json(row, opened)?,
				"search": { "mode": "match" },
			}))
		})
		.collect::<Result<Vec<Value>, ApiError>>()?;
	let mut links = vec![
		json!({ "relation": "self", "url": format!("{resource_type}?patient={patient}&_count={count}&_offset={offset}") }),
	];
	if found as u32 == count {
		links.push(json!({ "relation": "next", "url": format!("{resource_type}?patient={patient}&_count={count}&_offset={}", offset + count) }));
	}
	let body =
		json!({ "resourceType": "Bundle", "type": "searchset", "link": links, "entry": entries });
	report(&state, &signed, ticket, signature, &served).await?;
	Ok(fhir_json(StatusCode::OK, &body))
}

/// A write's checks common to create and update: the resource parses, names the type of the
/// URL, maps to a patient and category; the writer's attestation says exactly that, for this
/// content, now; and the chain permits the writer to append it.
async fn prepare_write(
	state: &AppState,
	signed: &Signed,
	resource_type: &str,
	supersedes: Option<u64>,
) -> Result<(Classified, Vec<u8>, AttestedWrite<AccountId, MultiSignature>, bool), ApiError> {
	let resource: Value = serde_json::from_slice(&signed.body)
		.map_err(|e| ApiError::bad_request("json", format!("the body is not JSON: {e}")))?;
	let classified = resources::classify(&resource).map_err(|e| {
		let mut error = ApiError::unprocessable("unmappable", e.reason.clone(), &e.path);
		if e.path == "$" {
			error = ApiError::bad_request("structure", format!("{}: {}", e.path, e.reason));
			error.outcome = error.outcome.at("$");
		}
		error
	})?;
	if classified.resource_type != resource_type {
		return Err(ApiError::bad_request(
			"type-mismatch",
			format!("the body is a {}, the URL says {resource_type}", classified.resource_type),
		));
	}
	let purpose: Purpose = signed.purpose()?;
	let (bytes, hash) = canonical::fingerprint_resource(&resource)
		.map_err(|e| ApiError::bad_request("structure", e.to_string()))?;
	let genesis = state.chain.genesis();
	let (attestation, signature) = signed.write_attestation(&genesis)?;
	let expected = (classified.patient, classified.category, purpose, hash, supersedes);
	let said = (
		attestation.patient,
		attestation.category,
		attestation.purpose,
		attestation.content_hash,
		attestation.supersedes,
	);
	if expected != said {
		return Err(ApiError::forbidden(
			"attestation-mismatch",
			format!(
				"the write attestation does not say this write: it names patient {}, {:?}, {:?}, content {:?}, supersedes {:?}; this write is patient {}, {:?}, {:?}, content {:?}, supersedes {:?}",
				said.0, said.1, said.2, said.3, said.4, expected.0, expected.1, expected.2, expected.3, expected.4
			),
		));
	}
	let now = auth::now();
	if attestation.created > now.saturating_add(MAX_CLOCK_SKEW)
		|| now > attestation.created.saturating_add(WRITE_WINDOW)
	{
		return Err(ApiError::unauthenticated(
			"attestation-time",
			"the write attestation is not current: sign it again now",
		));
	}
	let asked = state
		.chain
		.ask(ReadQuestion {
			question: AccessQuestion {
				patient: classified.patient,
				accessor: signed.signer,
				category: classified.category,
				purpose,
				action: Action::Append,
			},
			anchor: None,
		})
		.await;
	// The chain cannot be asked now: the write is kept and anchored (or refused) once it can.
	let (basis, basis_known) = match asked {
		Ok(answer) => (
			basis(
				state,
				signed,
				classified.patient,
				classified.category,
				Action::Append,
				answer.decision,
			)
			.await?,
			true,
		),
		Err(crate::chain::ChainError::Unavailable(why)) => {
			tracing::warn!(reason = %why, "chain unavailable: the write is kept pending");
			(None, false)
		},
		Err(e) => return Err(e.into()),
	};
	let mut locator = [0u8; 32];
	getrandom::fill(&mut locator).map_err(|_| ApiError::internal("random", "no randomness"))?;
	let write = AttestedWrite { attestation, signature, locator: Hash32::from(locator), basis };
	Ok((classified, bytes, write, basis_known))
}

/// Stores a new version (pending) and its anchor in the outbox, then waits for the chain.
async fn store_and_anchor(
	state: &AppState,
	classified: &Classified,
	id: &str,
	version: u32,
	expected: Option<u32>,
	bytes: &[u8],
	write: AttestedWrite<AccountId, MultiSignature>,
	basis_known: bool,
	writer: &AccountId,
) -> Result<Response, ApiError> {
	let binding = Binding {
		resource_type: &classified.resource_type,
		id,
		version,
		locator: &write.locator.0,
	};
	let sealed = envelope::seal(&*state.kek, binding, bytes)
		.map_err(|e| ApiError::internal("encryption", e.to_string()))?;
	let now = auth::now() as i64;
	let new = NewVersion {
		resource: ResourceRow {
			resource_type: classified.resource_type.clone(),
			id: id.into(),
			patient: classified.patient,
			category: classified.category as u8,
			current_version: version,
			deleted: false,
			last_updated: now,
			effective: classified.effective,
		},
		version: VersionRow {
			resource_type: classified.resource_type.clone(),
			id: id.into(),
			version,
			locator: write.locator.0,
			content_hash: write.attestation.content_hash.0,
			ciphertext: Some(sealed.ciphertext),
			wrapped_key: Some(sealed.wrapped_key),
			kek_id: sealed.kek_id,
			status: VersionStatus::Pending,
			record_id: None,
			writer: writer.to_string(),
			purpose: write.attestation.purpose as u8,
			created_at: now,
			refusal: None,
		},
	};
	let item = Item::Anchor { write, basis_known };
	let seq = state.store.put_version(&new, expected, item.kind(), &item.encode()).await?;
	let timeout = Duration::from_millis(state.config.write_ack_timeout_ms);
	let location = format!("{}/{}/_history/{}", classified.resource_type, id, version);
	match state.outbox.wait(seq, timeout).await {
		Some(Outcome::Anchored(record)) => {
			let v = VersionRow {
				status: VersionStatus::Anchored,
				record_id: Some(record),
				..new.version
			};
			let body = served(&classified.resource_type, id, &v, bytes)?;
			let status = if version == 1 { StatusCode::CREATED } else { StatusCode::OK };
			let mut response = fhir_json(status, &body);
			let headers = response.headers_mut();
			if let Ok(value) = HeaderValue::from_str(&format!("/fhir/{location}")) {
				headers.insert(header::LOCATION, value);
			}
			if let Ok(value) = HeaderValue::from_str(&format!("W/\"{version}\"")) {
				headers.insert(header::ETAG, value);
			}
			Ok(response)
		},
		Some(Outcome::Refused(why)) => Err(ApiError::forbidden(
			"anchor-refused",
			format!("the chain refused to anchor this write, so it was not kept: {why}"),
		)),
		_ => {
			let status_url =
				format!("/fhir/_status/{}/{}/{}", classified.resource_type, id, version);
			let outcome = OperationOutcome::information(
				"pending",
				format!("stored, and waiting to be anchored on the chain (it is not served until then): follow {status_url}"),
			);
			let mut response =
				fhir_json(StatusCode::ACCEPTED, &serde_json::to_value(outcome).unwrap_or_default());
			if let Ok(value) = HeaderValue::from_str(&status_url) {
				response.headers_mut().insert(header::CONTENT_LOCATION, value);
			}
			Ok(response)
		},
	}
}

async fn create(
	State(state): State<AppState>,
	Path(resource_type): Path<String>,
	signed: Signed,
) -> Result<Response, ApiError> {
	known_type(&resource_type)?;
	let (classified, bytes, write, known) =
		prepare_write(&state, &signed, &resource_type, None).await?;
	let id = uuid::Uuid::new_v4().to_string();
	store_and_anchor(&state, &classified, &id, 1, None, &bytes, write, known, &signed.signer).await
}

async fn update(
	State(state): State<AppState>,
	Path((resource_type, id)): Path<(String, String)>,
	headers: HeaderMap,
	signed: Signed,
) -> Result<Response, ApiError> {
	known_type(&resource_type)?;
	let row = resource_row(&state, &resource_type, &id).await?;
	if let Some(expected) = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) {
		if expected.trim() != format!("W/\"{}\"", row.current_version) {
			return Err(ApiError::new(
				StatusCode::PRECONDITION_FAILED,
				IssueType::Conflict,
				"version-conflict",
				format!(
					"If-Match {expected} is not the current version W/\"{}\": read it again",
					row.current_version
				),
			));
		}
	}
	let current = state
		.store
		.version(&resource_type, &id, row.current_version)
		.await?
		.ok_or_else(|| ApiError::not_found(&format!("{resource_type}/{id}")))?;
	let Some(record) = current.record_id.filter(|_| current.status == VersionStatus::Anchored)
	else {
		return Err(ApiError::conflict(
			"pending",
			"the current version is not anchored yet: update it once it is",
		));
	};
	let (classified, bytes, write, known) =
		prepare_write(&state, &signed, &resource_type, Some(record)).await?;
	if classified.id.as_deref().is_some_and(|given| given != id) {
		return Err(ApiError::bad_request(
			"id-mismatch",
			format!("the body's id is not {id}, the URL's"),
		));
	}
	if classified.patient != row.patient || classified.category as u8 != row.category {
		return Err(ApiError::unprocessable(
			"patient-or-category-changed",
			"a new version keeps its resource's patient and category: create another resource instead",
			"$",
		));
	}
	let version = row.current_version + 1;
	store_and_anchor(
		&state,
		&classified,
		&id,
		version,
		Some(row.current_version),
		&bytes,
		write,
		known,
		&signed.signer,
	)
	.await
}

async fn delete(
	State(state): State<AppState>,
	Path((resource_type, id)): Path<(String, String)>,
	signed: Signed,
) -> Result<Response, ApiError> {
	known_type(&resource_type)?;
	let _row = resource_row(&state, &resource_type, &id).await?;
	let genesis = state.chain.genesis();
	let attested = signed.erase_attestations(&genesis)?;
	let mut records: Vec<u64> = state
		.store
		.history(&resource_type, &id)
		.await?
		.into_iter()
		.filter(|v| v.status == VersionStatus::Anchored)
		.filter_map(|v| v.record_id)
		.collect();
	records.sort_unstable();
	let mut named: Vec<u64> = attested.iter().map(|(a, _)| a.record).collect();
	named.sort_unstable();
	named.dedup();
	if named != records {
		return Err(ApiError::bad_request(
			"erase-attestations",
			format!("sign one erase attestation for each anchored version's record: {records:?} (given {named:?})"),
		));
	}
	let now = auth::now();
	if attested.iter().any(|(a, _)| {
		a.created > now.saturating_add(MAX_CLOCK_SKEW)
			|| now > a.created.saturating_add(WRITE_WINDOW)
	}) {
		return Err(ApiError::unauthenticated(
			"attestation-time",
			"an erase attestation is not current: sign it again now",
		));
	}
	let item = Item::Erase {
		resource_type: resource_type.clone(),
		id: id.clone(),
		erasures: attested
			.into_iter()
			.map(|(attestation, signature)| AttestedErase { attestation, signature })
			.collect(),
	};
	let seq = state.outbox.push(&item, now as i64).await?;
	match state
		.outbox
		.wait(seq, Duration::from_millis(state.config.write_ack_timeout_ms))
		.await
	{
		Some(Outcome::Erased) => Ok(StatusCode::NO_CONTENT.into_response()),
		Some(Outcome::Refused(why)) => Err(ApiError::forbidden(
			"erase-refused",
			format!("the chain refused the erasure, so nothing was erased: {why}"),
		)),
		_ => {
			let outcome = OperationOutcome::information(
				"erase-pending",
				"the erasure waits for the chain; the resource is shredded here once the chain records it",
			);
			Ok(fhir_json(StatusCode::ACCEPTED, &serde_json::to_value(outcome).unwrap_or_default()))
		},
	}
}

async fn write_status(
	State(state): State<AppState>,
	Path((resource_type, id, vid)): Path<(String, String, String)>,
	signed: Signed,
) -> Result<Response, ApiError> {
	known_type(&resource_type)?;
	let vid: u32 = vid.parse().map_err(|_| ApiError::not_found("that version"))?;
	let v = state
		.store
		.version(&resource_type, &id, vid)
		.await?
		.ok_or_else(|| ApiError::not_found(&format!("{resource_type}/{id}/_history/{vid}")))?;
	if v.writer != signed.signer.to_string() {
		return Err(ApiError::forbidden(
			"not-writer",
			"only its writer may follow a write's status",
		));
	}
	let (detail, words) = match v.status {
		VersionStatus::Pending => ("pending", "waiting to be anchored on the chain".to_owned()),
		VersionStatus::Anchored => {
			("anchored", format!("anchored as record {}", v.record_id.unwrap_or_default()))
		},
		VersionStatus::Refused => {
			("refused", format!("the chain refused it: {}", v.refusal.unwrap_or_default()))
		},
		VersionStatus::Erased => ("erased", "erased".to_owned()),
	};
	let mut response = fhir_json(
		StatusCode::OK,
		&serde_json::to_value(OperationOutcome::information(detail, words)).unwrap_or_default(),
	);
	if v.status == VersionStatus::Anchored {
		if let Ok(value) =
			HeaderValue::from_str(&format!("/fhir/{resource_type}/{id}/_history/{vid}"))
		{
			response.headers_mut().insert(header::LOCATION, value);
		}
	}
	Ok(response)
}

async fn metadata(State(state): State<AppState>) -> Response {
	fhir_json(StatusCode::OK, &crate::openapi::capability_statement(&state.config))
}

async fn openapi() -> Response {
	let mut response = Json(crate::openapi::document()).into_response();
	response
		.headers_mut()
		.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
	response
}

async fn metrics(State(state): State<AppState>) -> Response {
	if let Ok((depth, oldest)) = state.store.outbox_depth().await {
		state.metrics.outbox_depth.set(depth);
		let age = oldest.map_or(0.0, |o| ((auth::now() as i64 - o).max(0) as f64) / 1_000.0);
		state.metrics.outbox_oldest_seconds.set(age);
	}
	([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render()).into_response()
}

async fn ready(State(state): State<AppState>) -> Result<&'static str, ApiError> {
	state.store.ping().await?;
	state.chain.best().await?;
	Ok("ready")
}
