//! Compiles docs/client.md's ```rust blocks, in order, into one block expression
//! (`$OUT_DIR/docs_examples.rs`), the body of an async function returning
//! `Result<(), medchain_client::Error>`, which `tests/dev_node.rs` runs against a dev node:
//! the page's examples compile and run, or the tests fail.
//!
//! It also makes cargo rebuild the client when `metadata/medchain.scale` changes: subxt's
//! `#[subxt(runtime_metadata_path)]` reads that file while compiling, but cargo does not know
//! it, so a re-blessed metadata file (docs/development.md, "Versions") would otherwise leave a
//! client generated from the old one.

use std::{env, fs, path::PathBuf};

fn main() {
	let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
	let page = manifest.join("../docs/client.md");
	println!("cargo:rerun-if-changed={}", page.display());
	println!("cargo:rerun-if-changed={}", manifest.join("metadata/medchain.scale").display());
	let text = fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
	let mut body = String::new();
	let mut block: Option<String> = None;
	for line in text.lines() {
		match (&mut block, line) {
			(None, "```rust") => block = Some(String::new()),
			(Some(code), "```") => {
				body.push_str(code);
				block = None;
			},
			(Some(code), line) => {
				code.push_str(line);
				code.push('\n');
			},
			(None, _) => {},
		}
	}
	assert!(block.is_none(), "docs/client.md: a ```rust block is not closed");
	assert!(!body.is_empty(), "docs/client.md has no ```rust block");
	// One block expression (what `include!` takes), ending in the function's `Ok(())`.
	let body = format!("{{\n{body}Ok(())\n}}\n");
	let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets it")).join("docs_examples.rs");
	fs::write(out, body).expect("writes the examples");
}
