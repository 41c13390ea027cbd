//! What can go wrong talking to a node: each variant one meaning, and one classification
//! ([`ErrorClass`]) that the CLI's exit codes and a gateway's HTTP statuses both map from.

/// What kind of failure an [`Error`] is: what its caller should do about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorClass {
	/// The chain dispatched the transaction and refused it by its rules (a pallet's named
	/// error). Nothing changed; the same call will be refused again until the state changes.
	/// CLI exit 1; HTTP 403/409/422 by the error.
	Refused,
	/// The node's pool would not take the transaction, or dropped it (a bad nonce, an account
	/// admission does not let in, a budget spent for now). Nothing changed; it may be retried
	/// later. CLI exit 1; HTTP 429/503.
	Rejected,
	/// The node could not be reached or did not answer in time. Nothing is known to have
	/// changed; retry. CLI exit 3; HTTP 503.
	Unavailable,
	/// The caller's input is wrong (a key that cannot be read, a list longer than the chain
	/// allows): it was not sent. CLI exit 5; HTTP 400.
	BadInput,
	/// The chain answered something this client cannot make sense of (a runtime its code was
	/// not generated for, a value that does not convert, a transaction that succeeded without
	/// the event it must emit). A client or deployment fault. CLI exit 6; HTTP 500/502.
	Inconsistent,
}

/// A failure of the client. Every variant says what failed and why in its `Display`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// No node answered at `url`.
	#[error("cannot reach a medchain node at {url}: {reason}")]
	Connect { url: String, reason: String },
	/// The node did not answer `what` within the client's timeout.
	#[error("the node did not answer {what} within {seconds} s")]
	Timeout { what: String, seconds: u64 },
	/// The chain dispatched the transaction and the call failed with the pallet's named error:
	/// `pallet.Error: doc text` (as polkadot.js's `findMetaError` names it). Nothing changed.
	#[error("{pallet}.{error}: {docs}")]
	Dispatch {
		/// The pallet, as polkadot.js names it (`records`, `consent` …).
		pallet: String,
		/// The error's variant (`NoAppendGrant` …).
		error: String,
		/// The error's documentation in the runtime.
		docs: String,
	},
	/// The chain dispatched the transaction and it failed with an error of the runtime that is
	/// not a pallet's (`BadOrigin` …).
	#[error("the call failed: {0}")]
	Failed(String),
	/// A list longer than the runtime allows the call (`MaxAnchorsPerCall`,
	/// `MaxReportsPerBatch`, read from the chain's metadata): the chain would not decode it, so
	/// it was not sent. Nothing changed; split the list.
	#[error("{call} takes at most {max} items, {given} given: split the list")]
	TooMany {
		/// The call, as polkadot.js names it (`records.anchorMany` …).
		call: &'static str,
		/// The runtime's bound.
		max: u32,
		/// The list's length.
		given: usize,
	},
	/// The caller's input cannot be sent as it is (an empty batch …). Nothing was sent.
	#[error("{0}")]
	Input(String),
	/// The transaction pool refused the transaction (bad nonce or signature, an account the
	/// chain does not admit, a call its role may not make, a budget spent).
	#[error("the node refused the transaction: {0}")]
	Invalid(String),
	/// The pool dropped the transaction before a block included it: past its limits a node's
	/// pool drops transactions it had accepted to make room. Nothing changed; submit the call
	/// again ([`Client::submit`](crate::Client::submit) signs it anew: the node bans the dropped
	/// transaction itself for 30 minutes).
	#[error("the transaction was dropped: {0}")]
	Dropped(String),
	/// An RPC method failed (the node answered with an error, or the connection failed).
	#[error("{method} failed: {reason}")]
	Rpc { method: String, reason: String },
	/// A signing key could not be read, or cannot sign what was asked.
	#[error("no signing key: {0}")]
	Key(String),
	/// A value did not convert between `medchain-primitives`' type and the generated one (the
	/// same SCALE bytes expected): the client's generated code and the chain disagree.
	#[error("cannot convert {what}: {reason}")]
	Conversion { what: String, reason: String },
	/// The transaction succeeded but did not emit the event it must (the runtime and this
	/// client disagree). The chain **did** change.
	#[error("the transaction succeeded (block {block:?}) but emitted no {event}")]
	MissingEvent { event: &'static str, block: crate::BlockHash },
	/// The chain's runtime is not the one this client's code was generated for.
	#[error(
		"this client was generated for runtime {expected}, the node runs {found}: {reason} \
		 (update medchain-client, or regenerate client/metadata/medchain.scale)"
	)]
	Metadata { expected: u32, found: u32, reason: String },
	/// Anything else subxt reported (mostly the connection: reading, subscribing).
	#[error(transparent)]
	Subxt(Box<subxt::Error>),
}

impl Error {
	/// What kind of failure this is.
	pub fn class(&self) -> ErrorClass {
		match self {
			Error::Dispatch { .. } | Error::Failed(_) => ErrorClass::Refused,
			Error::Invalid(_) | Error::Dropped(_) => ErrorClass::Rejected,
			Error::Connect { .. } | Error::Timeout { .. } | Error::Rpc { .. } | Error::Subxt(_) => {
				ErrorClass::Unavailable
			},
			Error::TooMany { .. } | Error::Input(_) | Error::Key(_) => ErrorClass::BadInput,
			Error::Conversion { .. } | Error::MissingEvent { .. } | Error::Metadata { .. } => {
				ErrorClass::Inconsistent
			},
		}
	}

	/// The error a failed dispatch reported, by name where the runtime has one.
	pub(crate) fn from_events(e: subxt::error::TransactionEventsError) -> Self {
		use subxt::error::{DispatchError, TransactionEventsError};
		match e {
			TransactionEventsError::ExtrinsicFailed(DispatchError::Module(module)) => {
				match module.details() {
					Ok(details) => Error::Dispatch {
						pallet: lower_first(details.pallet.name()),
						error: details.variant.name.clone(),
						docs: details.variant.docs.join(" "),
					},
					Err(_) => Error::Failed(module.to_string()),
				}
			},
			TransactionEventsError::ExtrinsicFailed(other) => Error::Failed(other.to_string()),
			other => Error::Subxt(Box::new(other.into())),
		}
	}

	/// Whether this is the pallet's error `pallet.error` (`"records"`, `"NoAppendGrant"`).
	pub fn is_dispatch(&self, pallet: &str, error: &str) -> bool {
		matches!(self, Error::Dispatch { pallet: p, error: e, .. } if p == pallet && e == error)
	}

	/// Whether the pool refused the transaction for its nonce (stale or future): the nonce
	/// manager resynchronises and signs it again.
	pub fn is_nonce_problem(&self) -> bool {
		matches!(self, Error::Invalid(m) if m.contains("Stale") || m.contains("Future")
			|| m.contains("Priority is too low") || m.contains("already imported"))
	}

	/// Whether the pool refused the transaction because the signer has too much in flight
	/// (admission's `RATE_LIMITED`, custom error 1): it may be sent again once some of the
	/// signer's transactions are included.
	pub fn is_rate_limited(&self) -> bool {
		matches!(self, Error::Invalid(m) if m.contains("Custom error: 1") || m.contains("Custom(1)"))
	}
}

/// `Records` → `records`, as polkadot.js names a pallet.
fn lower_first(name: &str) -> String {
	let mut chars = name.chars();
	chars
		.next()
		.map(|c| c.to_lowercase().chain(chars).collect())
		.unwrap_or_default()
}

macro_rules! from_subxt {
	($($error:ty),* $(,)?) => {$(
		impl From<$error> for Error {
			fn from(e: $error) -> Self {
				Error::Subxt(Box::new(e.into()))
			}
		}
	)*};
}

from_subxt!(
	subxt::Error,
	subxt::error::OnlineClientAtBlockError,
	subxt::error::TransactionProgressError,
	subxt::error::TransactionStatusError,
	subxt::error::ExtrinsicError,
	subxt::error::EventsError,
	subxt::error::StorageError,
	subxt::error::StorageValueError,
	subxt::error::BlocksError,
	subxt::error::ConstantError,
	subxt::error::RuntimeApiError,
);

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn each_kind_of_failure_has_one_class() {
		let refused =
			Error::Dispatch { pallet: "records".into(), error: "X".into(), docs: "".into() };
		assert_eq!(refused.class(), ErrorClass::Refused);
		assert_eq!(Error::Invalid("Custom error: 1".into()).class(), ErrorClass::Rejected);
		assert!(Error::Invalid("Custom error: 1".into()).is_rate_limited());
		assert!(Error::Invalid("Transaction is outdated (Stale)".into()).is_nonce_problem());
		assert_eq!(
			Error::Timeout { what: "x".into(), seconds: 1 }.class(),
			ErrorClass::Unavailable
		);
		assert_eq!(Error::Input("empty".into()).class(), ErrorClass::BadInput);
		// A transaction that succeeded is never bad input.
		let missing = Error::MissingEvent { event: "RecordAnchored", block: Default::default() };
		assert_eq!(missing.class(), ErrorClass::Inconsistent);
		assert_eq!(
			Error::Conversion { what: "x".into(), reason: "y".into() }.class(),
			ErrorClass::Inconsistent
		);
	}
}
