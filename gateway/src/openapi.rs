//! What the API says of itself: the FHIR CapabilityStatement (`GET /fhir/metadata`) and an
//! OpenAPI 3.1 document (`GET /openapi.json`), built with utoipa's model of OpenAPI.

use medchain_fhir::resources::RESOURCE_TYPES;
use serde_json::{json, Value};
use utoipa::openapi::{
	path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem},
	request_body::RequestBodyBuilder,
	schema::{AdditionalProperties, ArrayBuilder, ObjectBuilder, Type},
	ComponentsBuilder, ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder, Ref,
	RefOr, Required, ResponseBuilder, ResponsesBuilder, Schema,
};

use crate::{Config, FHIR_JSON};

/// The CapabilityStatement: the types, interactions and search parameters this server offers,
/// and how it is secured.
pub fn capability_statement(config: &Config) -> Value {
	let _ = config;
	let interactions: Vec<Value> =
		["read", "vread", "update", "delete", "history-instance", "create", "search-type"]
			.iter()
			.map(|c| json!({ "code": c }))
			.collect();
	let resources: Vec<Value> = RESOURCE_TYPES
		.iter()
		.map(|t| {
			json!({
				"type": t,
				"versioning": "versioned",
				"readHistory": true,
				"updateCreate": false,
				"conditionalCreate": false,
				"conditionalUpdate": false,
				"conditionalDelete": "not-supported",
				"interaction": interactions,
				"searchParam": [
					{ "name": "patient", "type": "reference", "documentation": "the patient's medchain id (required)" },
					{ "name": "date", "type": "date", "documentation": "the resource's clinical date, with ge, gt, le, lt, eq" },
				],
			})
		})
		.collect();
	json!({
		"resourceType": "CapabilityStatement",
		"status": "active",
		"date": "2026-12-06",
		"kind": "instance",
		"software": { "name": "medchain-gateway", "version": env!("CARGO_PKG_VERSION") },
		"implementation": { "description": "a provider's FHIR store: every read decided by the medchain network's consent and reported on the patient's audit trail in the reader's name; every write anchored in the writer's name" },
		"fhirVersion": "4.0.1",
		"format": ["json"],
		"rest": [{
			"mode": "server",
			"security": {
				"cors": false,
				"description": "Every request is signed with a medchain account's sr25519 key (HTTP Message Signatures, RFC 9421, label `medchain`), states its purpose of use (Medchain-Purpose) and, for a read, carries the reader's signed access ticket (Medchain-Ticket); a write its writer's attestation (Medchain-Write); a delete the requester's erase attestations (Medchain-Erase). See docs/gateway.md.",
			},
			"resource": resources,
		}],
	})
}

fn fhir_content(schema: &str) -> utoipa::openapi::Content {
	ContentBuilder::new().schema(Some(Ref::from_schema_name(schema))).build()
}

fn response(description: &str, schema: &str) -> utoipa::openapi::Response {
	ResponseBuilder::new()
		.description(description)
		.content(FHIR_JSON, fhir_content(schema))
		.build()
}

fn header(name: &str, required: bool, description: &str) -> utoipa::openapi::path::Parameter {
	ParameterBuilder::new()
		.name(name)
		.parameter_in(ParameterIn::Header)
		.required(if required { Required::True } else { Required::False })
		.description(Some(description))
		.schema(Some(ObjectBuilder::new().schema_type(Type::String)))
		.build()
}

fn path_param(
	name: &str,
	description: &str,
	enum_values: Option<&[&str]>,
) -> utoipa::openapi::path::Parameter {
	let mut schema = ObjectBuilder::new().schema_type(Type::String);
	if let Some(values) = enum_values {
		schema = schema.enum_values(Some(values.iter().copied()));
	}
	ParameterBuilder::new()
		.name(name)
		.parameter_in(ParameterIn::Path)
		.required(Required::True)
		.description(Some(description))
		.schema(Some(schema))
		.build()
}

fn query(
	name: &str,
	required: bool,
	description: &str,
	ty: Type,
) -> utoipa::openapi::path::Parameter {
	ParameterBuilder::new()
		.name(name)
		.parameter_in(ParameterIn::Query)
		.required(if required { Required::True } else { Required::False })
		.description(Some(description))
		.schema(Some(ObjectBuilder::new().schema_type(ty)))
		.build()
}

/// The headers every signed request carries.
fn signed_headers() -> Vec<utoipa::openapi::path::Parameter> {
	vec![
		header("Signature-Input", true, "RFC 9421 signature parameters, label `medchain` (docs/gateway.md)"),
		header("Signature", true, "RFC 9421 signature, label `medchain`: the sr25519 signature of the signature base"),
		header("Medchain-Purpose", false, "the purpose of use: TREAT, HPAYMT, HOPERAT, HRESCH, PUBHLTH or ETREAT (required for reads and writes)"),
	]
}

/// Errors every signed operation may answer.
fn with_errors(responses: ResponsesBuilder) -> ResponsesBuilder {
	responses
		.response("400", response("malformed request", "OperationOutcome"))
		.response(
			"401",
			response("unsigned, badly signed, expired or replayed request", "OperationOutcome"),
		)
		.response(
			"403",
			response(
				"the chain (or the reader's own ticket) does not allow it",
				"OperationOutcome",
			),
		)
		.response("404", response("no such resource or type", "OperationOutcome"))
		.response("413", response("body too large", "OperationOutcome"))
		.response("500", response("the gateway's own fault (integrity alert)", "OperationOutcome"))
		.response(
			"503",
			response(
				"the chain or the database cannot be asked: nothing served, nothing changed",
				"OperationOutcome",
			),
		)
}

fn operation(
	id: &str,
	summary: &str,
	parameters: Vec<utoipa::openapi::path::Parameter>,
	ok: ResponsesBuilder,
) -> utoipa::openapi::path::Operation {
	OperationBuilder::new()
		.operation_id(Some(id))
		.summary(Some(summary))
		.parameters(Some(parameters))
		.responses(with_errors(ok).build())
		.build()
}

fn free_object(description: &str, required: &[&str]) -> Schema {
	let mut object = ObjectBuilder::new()
		.schema_type(Type::Object)
		.description(Some(description))
		.additional_properties(Some(AdditionalProperties::FreeForm(true)));
	for field in required {
		object = object
			.required(*field)
			.property(*field, ObjectBuilder::new().schema_type(Type::String));
	}
	Schema::Object(object.build())
}

/// The OpenAPI document of the API.
pub fn document() -> OpenApi {
	let ty = || path_param("type", "a resource type this gateway stores", Some(RESOURCE_TYPES));
	let id = || path_param("id", "the resource's id (assigned at create)", None);
	let vid = || path_param("vid", "a version number", None);
	let mut read_params = signed_headers();
	read_params.push(header("Medchain-Ticket", false, "base64 of SCALE(AccessTicket, MultiSignature): the reader's signed request (required for reads)"));
	read_params.push(header(
		"Medchain-Break-Glass",
		false,
		"`?1` when the reader relies on its open emergency access (purpose ETREAT)",
	));
	let with = |mut base: Vec<utoipa::openapi::path::Parameter>,
	            extra: Vec<utoipa::openapi::path::Parameter>| {
		base.extend(extra);
		base
	};
	let body = RequestBodyBuilder::new()
		.required(Some(Required::True))
		.content(FHIR_JSON, fhir_content("Resource"))
		.build();
	let mut write_params = signed_headers();
	write_params.push(header(
		"Content-Digest",
		true,
		"RFC 9530 sha-256 digest of the body (covered by the signature)",
	));
	write_params.push(header(
		"Medchain-Write",
		true,
		"base64 of SCALE(WriteAttestation, MultiSignature): the writer's signed write",
	));
	let written = || {
		ResponsesBuilder::new()
			.response("201", response("created and anchored in the writer's name", "Resource"))
			.response("200", response("updated and anchored in the writer's name", "Resource"))
			.response(
				"202",
				response(
					"stored, waiting to be anchored (follow Content-Location)",
					"OperationOutcome",
				),
			)
			.response(
				"409",
				response(
					"the current version is not anchored yet, or it changed",
					"OperationOutcome",
				),
			)
			.response("412", response("If-Match is not the current version", "OperationOutcome"))
			.response(
				"422",
				response("a resource medchain cannot file (category, patient)", "OperationOutcome"),
			)
	};
	let mut create = operation(
		"create",
		"create a resource (anchored in the writer's name)",
		with(vec![ty()], write_params.clone()),
		written(),
	);
	create.request_body = Some(RefOr::T(body.clone()));
	let mut update = operation(
		"update",
		"a new version of a resource (anchored as an amendment)",
		with(
			vec![ty(), id(), header("If-Match", false, "the version read: W/\"n\"")],
			write_params,
		),
		written(),
	);
	update.request_body = Some(RefOr::T(body));
	let search = operation(
		"search",
		"a patient's resources of a type (those the reader may see)",
		with(
			vec![
				ty(),
				query("patient", true, "the patient's medchain id", Type::Integer),
				query(
					"date",
					false,
					"the clinical date, with prefix ge, gt, le, lt or eq",
					Type::String,
				),
				query(
					"_count",
					false,
					"page size (at most the configured page, 32)",
					Type::Integer,
				),
				query("_offset", false, "where the page starts", Type::Integer),
			],
			read_params.clone(),
		),
		ResponsesBuilder::new().response("200", response("a searchset Bundle", "Bundle")),
	);
	let read = operation(
		"read",
		"the current version (decided by the chain, reported in the reader's name)",
		with(vec![ty(), id()], read_params.clone()),
		ResponsesBuilder::new()
			.response("200", response("the resource", "Resource"))
			.response("409", response("not anchored yet: not served", "OperationOutcome"))
			.response("410", response("erased", "OperationOutcome")),
	);
	let mut erase_params = signed_headers();
	erase_params.push(header("Medchain-Erase", true, "comma-separated base64 of SCALE(EraseAttestation, MultiSignature), one per anchored version"));
	let delete = operation(
		"delete",
		"erase a resource: the chain records the erasure, its data keys are destroyed",
		with(vec![ty(), id()], erase_params),
		ResponsesBuilder::new()
			.response("204", ResponseBuilder::new().description("erased").build())
			.response("202", response("waiting for the chain", "OperationOutcome"))
			.response("410", response("already erased", "OperationOutcome")),
	);
	let history = operation(
		"history",
		"every version the reader may see",
		with(vec![ty(), id()], read_params.clone()),
		ResponsesBuilder::new()
			.response("200", response("a history Bundle", "Bundle"))
			.response("410", response("erased", "OperationOutcome")),
	);
	let vread = operation(
		"vread",
		"one version",
		with(vec![ty(), id(), vid()], read_params),
		ResponsesBuilder::new()
			.response("200", response("the version", "Resource"))
			.response("409", response("not anchored yet: not served", "OperationOutcome"))
			.response("410", response("erased", "OperationOutcome")),
	);
	let status = operation(
		"writeStatus",
		"where a write stands (its writer only)",
		with(vec![ty(), id(), vid()], signed_headers()),
		ResponsesBuilder::new()
			.response("200", response("pending, anchored or refused", "OperationOutcome")),
	);
	let metadata = OperationBuilder::new()
		.operation_id(Some("capabilities"))
		.summary(Some("the CapabilityStatement"))
		.responses(
			ResponsesBuilder::new()
				.response("200", response("the CapabilityStatement", "Resource"))
				.build(),
		)
		.build();
	let plain = |id: &str, summary: &str| {
		OperationBuilder::new()
			.operation_id(Some(id))
			.summary(Some(summary))
			.responses(
				ResponsesBuilder::new()
					.response(
						"200",
						ResponseBuilder::new()
							.description(summary)
							.content(
								"text/plain",
								ContentBuilder::new()
									.schema(Some(ObjectBuilder::new().schema_type(Type::String)))
									.build(),
							)
							.build(),
					)
					.response("503", response("not ready", "OperationOutcome"))
					.build(),
			)
			.build()
	};
	let paths = PathsBuilder::new()
		.path("/fhir/metadata", PathItem::new(HttpMethod::Get, metadata))
		.path("/fhir/{type}", {
			let mut item = PathItem::new(HttpMethod::Post, create);
			item.get = Some(search);
			item
		})
		.path("/fhir/{type}/{id}", {
			let mut item = PathItem::new(HttpMethod::Get, read);
			item.put = Some(update);
			item.delete = Some(delete);
			item
		})
		.path("/fhir/{type}/{id}/_history", PathItem::new(HttpMethod::Get, history))
		.path("/fhir/{type}/{id}/_history/{vid}", PathItem::new(HttpMethod::Get, vread))
		.path("/fhir/_status/{type}/{id}/{vid}", PathItem::new(HttpMethod::Get, status))
		.path("/healthz", PathItem::new(HttpMethod::Get, plain("health", "alive")))
		.path(
			"/readyz",
			PathItem::new(HttpMethod::Get, plain("ready", "the database and the chain answer")),
		)
		.path("/metrics", PathItem::new(HttpMethod::Get, plain("metrics", "Prometheus metrics")));
	let issue = ObjectBuilder::new()
		.schema_type(Type::Object)
		.required("severity")
		.required("code")
		.property("severity", ObjectBuilder::new().schema_type(Type::String))
		.property("code", ObjectBuilder::new().schema_type(Type::String))
		.property("diagnostics", ObjectBuilder::new().schema_type(Type::String))
		.additional_properties(Some(AdditionalProperties::FreeForm(true)));
	let outcome = ObjectBuilder::new()
		.schema_type(Type::Object)
		.required("resourceType")
		.required("issue")
		.property(
			"resourceType",
			ObjectBuilder::new()
				.schema_type(Type::String)
				.enum_values(Some(["OperationOutcome"])),
		)
		.property("issue", ArrayBuilder::new().items(issue))
		.additional_properties(Some(AdditionalProperties::FreeForm(true)));
	let components = ComponentsBuilder::new()
		.schema("Resource", RefOr::T(free_object("a FHIR R4 resource", &["resourceType"])))
		.schema("Bundle", RefOr::T(free_object("a FHIR R4 Bundle", &["resourceType", "type"])))
		.schema("OperationOutcome", RefOr::T(Schema::Object(outcome.build())))
		.build();
	OpenApiBuilder::new()
		.info(
			InfoBuilder::new()
				.title("medchain gateway: FHIR R4")
				.version(env!("CARGO_PKG_VERSION"))
				.description(Some("A provider's FHIR store whose reads the medchain network decides and records (docs/gateway.md)."))
				.build(),
		)
		.paths(paths)
		.components(Some(components))
		.build()
}
