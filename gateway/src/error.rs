//! Every failure the API answers, as an HTTP status and an R4 OperationOutcome that says what
//! to do. Nothing that fails changes anything.

use axum::{
	http::{header, HeaderValue, StatusCode},
	response::{IntoResponse, Response},
	Json,
};
use medchain_fhir::outcome::{IssueType, OperationOutcome};

/// A failed request.
#[derive(Debug)]
pub struct ApiError {
	pub status: StatusCode,
	pub outcome: OperationOutcome,
	/// Seconds to wait before retrying (`Retry-After`), for 503s.
	pub retry_after: Option<u64>,
}

impl ApiError {
	pub fn new(
		status: StatusCode,
		code: IssueType,
		detail: &str,
		message: impl Into<String>,
	) -> Self {
		Self { status, outcome: OperationOutcome::error(code, detail, message), retry_after: None }
	}

	/// 400: the request is malformed.
	pub fn bad_request(detail: &str, message: impl Into<String>) -> Self {
		Self::new(StatusCode::BAD_REQUEST, IssueType::Invalid, detail, message)
	}

	/// 401: who asks is not established (signature missing, bad, expired, replayed).
	pub fn unauthenticated(detail: &str, message: impl Into<String>) -> Self {
		Self::new(StatusCode::UNAUTHORIZED, IssueType::Login, detail, message)
	}

	/// 403: the chain (or the signer's own ticket) does not allow it.
	pub fn forbidden(detail: &str, message: impl Into<String>) -> Self {
		Self::new(StatusCode::FORBIDDEN, IssueType::Forbidden, detail, message)
	}

	/// 404.
	pub fn not_found(what: &str) -> Self {
		Self::new(
			StatusCode::NOT_FOUND,
			IssueType::NotFound,
			"not-found",
			format!("{what} is not stored here: check the type and id"),
		)
	}

	/// 410: erased.
	pub fn gone(what: &str) -> Self {
		Self::new(
			StatusCode::GONE,
			IssueType::Deleted,
			"erased",
			format!("{what} was erased: its data key is destroyed and it can no longer be read"),
		)
	}

	/// 409.
	pub fn conflict(detail: &str, message: impl Into<String>) -> Self {
		Self::new(StatusCode::CONFLICT, IssueType::Conflict, detail, message)
	}

	/// 422: a well-formed resource medchain cannot file.
	pub fn unprocessable(detail: &str, message: impl Into<String>, path: &str) -> Self {
		let mut e =
			Self::new(StatusCode::UNPROCESSABLE_ENTITY, IssueType::Processing, detail, message);
		e.outcome = e.outcome.at(path);
		e
	}

	/// 503: the chain (or the database) cannot be asked: nothing is served, nothing changed.
	pub fn unavailable(detail: &str, message: impl Into<String>) -> Self {
		let mut e =
			Self::new(StatusCode::SERVICE_UNAVAILABLE, IssueType::Transient, detail, message);
		e.retry_after = Some(5);
		e
	}

	/// 500: the gateway's own fault (its store's integrity, its configuration).
	pub fn internal(detail: &str, message: impl Into<String>) -> Self {
		Self::new(StatusCode::INTERNAL_SERVER_ERROR, IssueType::Exception, detail, message)
	}
}

impl IntoResponse for ApiError {
	fn into_response(self) -> Response {
		let mut response = (self.status, Json(self.outcome)).into_response();
		response
			.headers_mut()
			.insert(header::CONTENT_TYPE, HeaderValue::from_static(crate::FHIR_JSON));
		if self.status == StatusCode::PAYLOAD_TOO_LARGE {
			// The rest of the body was not read: the connection cannot carry another request,
			// and a client that pooled it would send its next one into what is left of this.
			response
				.headers_mut()
				.insert(header::CONNECTION, HeaderValue::from_static("close"));
		}
		if let Some(seconds) = self.retry_after {
			if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
				response.headers_mut().insert(header::RETRY_AFTER, value);
			}
		}
		response
	}
}

impl From<crate::store::StoreError> for ApiError {
	fn from(e: crate::store::StoreError) -> Self {
		match e {
			crate::store::StoreError::Conflict(what) => ApiError::conflict(
				"version-conflict",
				format!("{what} was changed by another request: read it again and retry"),
			),
			other => {
				tracing::error!(error = %other, "database failure");
				ApiError::unavailable("database", "the gateway's database did not answer: retry")
			},
		}
	}
}

impl From<crate::chain::ChainError> for ApiError {
	fn from(e: crate::chain::ChainError) -> Self {
		match e {
			crate::chain::ChainError::Unavailable(why) => {
				tracing::warn!(reason = %why, "chain unavailable: failing closed");
				ApiError::unavailable(
					"chain-unavailable",
					"the medchain network cannot be asked now, so nothing is served (fail closed): retry",
				)
			},
			crate::chain::ChainError::Refused(e) => {
				ApiError::forbidden("chain-refused", format!("the chain refused: {e}"))
			},
			crate::chain::ChainError::Inconsistent(why) => {
				tracing::error!(reason = %why, "chain answer inconsistent");
				ApiError::internal(
					"chain-inconsistent",
					"the gateway cannot read the chain's answer: its operator must update it",
				)
			},
		}
	}
}
