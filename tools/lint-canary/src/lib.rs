//! See Cargo.toml: with the `canary` feature this crate breaks a workspace lint on purpose.

/// Whether the canary is in (always compiles).
pub fn present() -> bool {
	true
}

/// clippy::needless_bool: the lint the canary expects to stop the build.
#[cfg(feature = "canary")]
pub fn bites(x: bool) -> bool {
	if x {
		true
	} else {
		false
	}
}
