//! # medchain-gateway
//!
//! A provider's FHIR store whose every read the chain decides and every write the chain
//! anchors, in the name of the person who asked (docs/gateway.md):
//!
//! - [`api`]: the FHIR R4 REST subset (create, read, vread, history, update, search by patient
//!   and date, delete), `/metadata` (CapabilityStatement) and `/openapi.json`;
//! - [`auth`]: signed requests (RFC 9421) and the attestations a read, a write or an erasure
//!   carries;
//! - [`chain`]: the consent decisions and anchor checks (batched), and the relayed
//!   transactions;
//! - [`envelope`]: each version encrypted under its own data key, wrapped by a key-encryption
//!   key, bound to what it is;
//! - [`store`]: SQLite or PostgreSQL, one query layer, versioned migrations;
//! - [`outbox`]: what the chain must learn (anchors, read reports, erasures), delivered exactly
//!   once across crashes;
//! - [`metrics`]: Prometheus counters and gauges, no personal data.

pub mod api;
pub mod auth;
pub mod chain;
pub mod config;
pub mod envelope;
pub mod error;
pub mod metrics;
pub mod openapi;
pub mod outbox;
pub mod server;
pub mod store;

use std::sync::Arc;

pub use config::Config;

/// FHIR's JSON media type.
pub const FHIR_JSON: &str = "application/fhir+json";

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
	pub config: Arc<Config>,
	pub store: store::Store,
	pub chain: chain::Chain,
	pub kek: Arc<dyn envelope::KeyEncryptionKey>,
	pub outbox: outbox::Outbox,
	pub metrics: Arc<metrics::Metrics>,
}
