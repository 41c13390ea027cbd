//! The Rust client (`client/`, crate medchain-client) generates its typed API at compile time
//! from `client/metadata/medchain.scale`. This test fails when the runtime's metadata is no
//! longer that file: a call, event, error, storage item or type changed and the client was not
//! regenerated (it would encode calls the runtime no longer decodes). After a deliberate change:
//!
//! ```sh
//! MEDCHAIN_BLESS=1 cargo test -p medchain-runtime --lib client_metadata
//! ```
//!
//! rewrites the file; then build the client (`cargo build -p medchain-client`), whose code
//! follows.

use crate::Runtime;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../client/metadata/medchain.scale");

/// The metadata version the client is generated from (what subxt reads best).
const VERSION: u32 = 16;

#[test]
fn the_client_is_generated_from_this_runtime_s_metadata() {
	let metadata = Runtime::metadata_at_version(VERSION).expect("the runtime serves metadata v16");
	let current: &[u8] = &metadata;
	let recorded = std::fs::read(FILE).unwrap_or_default();
	if recorded != current {
		if std::env::var("MEDCHAIN_BLESS").is_ok() {
			std::fs::write(FILE, current).expect("writes client/metadata/medchain.scale");
		} else {
			panic!(
				"client/metadata/medchain.scale ({} bytes) is not this runtime's metadata ({} bytes): \
				 the client's generated API is out of date. Run MEDCHAIN_BLESS=1 cargo test -p \
				 medchain-runtime --lib client_metadata, then build medchain-client.",
				recorded.len(),
				current.len()
			);
		}
	}
}
