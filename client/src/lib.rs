//! # medchain-client
//!
//! Typed Rust access to a medchain node, on [subxt](https://docs.rs/subxt):
//!
//! - [`runtime`]: the code subxt generates from medchain's own metadata
//!   (`client/metadata/medchain.scale`): every call of every pallet as a typed payload
//!   (`runtime::tx().records().anchor(…)`), every event and every storage item. A test fails
//!   when the runtime's metadata changed and the file was not regenerated (see
//!   docs/client.md, "Keeping in step with the runtime").
//! - [`Client`]: a connection; [`Client::submit`] signs a call, waits for inclusion or
//!   finality ([`Wait`]) and turns a failed dispatch into [`Error::Dispatch`], the pallet's
//!   named error with its documentation; the RPCs `consent_checkAccess`, `records_verify`,
//!   `records_verifyInBatch` and `audit_trailHead` answer in `medchain-primitives`' types.
//! - [`audit`]: a patient's audit trail exported from the blocks that hold it, proved complete
//!   against the trail head, and verified again offline.
//! - [`batch`]: Merkle batches of documents and their proofs.
//! - [`fhir`]: the `medchain-fhir` crate: FHIR R4 Consent ↔ grant, AuditEvent ↔ entry,
//!   Provenance ↔ anchor, with the JSON path of whatever does not map.
//! - [`httpsig`]: signed HTTP requests (RFC 9421) with a chain key, as a gateway checks them.
//! - [`keys`]: signing keys from a file, an environment variable or stdin, never from argv.
//! - [`scale`]: the bridge between `medchain-primitives`' types and the generated ones (the
//!   same SCALE bytes).
//!
//! ```no_run
//! # async fn example() -> Result<(), medchain_client::Error> {
//! use medchain_client::{Client, Wait};
//! let client = Client::connect("ws://127.0.0.1:9944").await?;
//! let status = client.status().await?;
//! println!("best #{}, finalised #{}", status.best, status.finalised);
//! # Ok(()) }
//! ```

pub mod audit;
pub mod batch;
/// medchain in FHIR R4: the `medchain-fhir` crate (no subxt), re-exported.
pub use medchain_fhir as fhir;
pub mod attest;
#[cfg(feature = "gateway")]
pub mod gateway;
pub mod httpsig;
#[cfg(any(feature = "keys", test))]
pub mod keys;
pub mod scale;
#[cfg(feature = "testing")]
pub mod testing;

mod calls;
mod client;
mod error;

pub use calls::{AnchorRecord, GrantRecord};
pub use client::{
	At, BlockRef, ChainStatus, Client, ClientOptions, Prepared, Read, Submitted, Wait,
	GENERATED_FOR_SPEC_VERSION,
};
pub use error::{Error, ErrorClass};

/// The code subxt generates from `client/metadata/medchain.scale`: `runtime::tx()` (calls),
/// `runtime::storage()`, `runtime::constants()`, `runtime::runtime_apis()`, and each pallet's
/// events (`runtime::records::events::RecordAnchored` …) and types
/// (`runtime::runtime_types::…`).
#[allow(missing_docs, clippy::all)]
// SCALE's own derives besides subxt's (EncodeAsType, DecodeAsType): what `scale::convert` uses.
#[subxt::subxt(
	runtime_metadata_path = "metadata/medchain.scale",
	derive_for_all_types = "::subxt::ext::codec::Encode, ::subxt::ext::codec::Decode"
)]
pub mod runtime {}

/// The chain's configuration for subxt: medchain's accounts, signatures, hashes and headers
/// are those of a Polkadot-shaped chain (sr25519 `MultiSignature`, `MultiAddress<AccountId32, ()>`,
/// BLAKE2-256, u32 block numbers); its transaction extensions are subxt's defaults (medchain's
/// admission check takes the nonce under `CheckNonce`'s name).
pub type MedchainConfig = subxt::PolkadotConfig;

/// An account on medchain (SS58 prefix 42 when printed).
pub type AccountId = subxt::utils::AccountId32;

/// How a call names an account (`MultiAddress::Id(account)`), as the node-authorisation calls take it.
pub type MultiAddress = subxt::utils::MultiAddress<AccountId, ()>;

/// A block hash.
pub type BlockHash = subxt::utils::H256;

/// A signature of a medchain account (sr25519, ed25519 or ECDSA), as transactions carry it.
pub type MultiSignature = subxt::utils::MultiSignature;

/// A key that signs medchain transactions.
pub type Keypair = subxt_signer::sr25519::Keypair;

/// A document's fingerprint on chain: the BLAKE2b-256 hash of its bytes (what `records.anchor`
/// anchors and `records_verify` compares).
pub fn fingerprint(bytes: &[u8]) -> medchain_primitives::Hash32 {
	medchain_primitives::Hash32::from(sp_crypto_hashing::blake2_256(bytes))
}
