//! Builds the runtime's wasm blob (WASM_BINARY) with substrate-wasm-builder.
//!
//! Where the target directory lies outside the workspace (`CARGO_TARGET_DIR`, as the project's
//! scripts set it), `WASM_BUILD_WORKSPACE_HINT` must point at the workspace root; the scripts
//! set that too. `SKIP_WASM_BUILD=1` skips the wasm for commands that do not need it.
#[cfg(feature = "std")]
fn main() {
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

#[cfg(not(feature = "std"))]
fn main() {}
