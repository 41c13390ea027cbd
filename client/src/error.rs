//! What can go wrong talking to a node, each failure named.

/// A failure of the client. Every variant says what failed and why in its `Display`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// No node answered at `url`.
	#[error("cannot reach a medchain node at {url}: {reason}")]
	Connect { url: String, reason: String },
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
	/// An RPC method failed.
	#[error("{method} failed: {reason}")]
	Rpc { method: String, reason: String },
	/// A signing key could not be read.
	#[error("no signing key: {0}")]
	Key(String),
	/// A value did not convert between `medchain-primitives`' type and the generated one.
	#[error("{0}")]
	Scale(String),
	/// Anything else subxt reported (decoding, the connection dropping).
	#[error(transparent)]
	Subxt(Box<subxt::Error>),
}

impl Error {
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
);
