//! Signing keys: from a file, an environment variable or stdin, never from the command line
//! (where `ps` and the shell's history would show them).
//!
//! A key is a secret URI as Substrate's tools write it: a BIP-39 phrase, a `0x`-hex 32-byte seed,
//! either with derivation junctions (`//hospital//1`), or a development key (`//Alice`). One line;
//! surrounding white space is ignored.

use std::{io::Read, path::Path, str::FromStr};

use subxt_signer::{sr25519, SecretUri};

use crate::{Error, Keypair};

/// Where a key comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
	/// A file holding the secret URI (keep it `0600`).
	File(std::path::PathBuf),
	/// An environment variable holding it.
	Env(String),
	/// The first line of standard input.
	Stdin,
}

/// Reads the key from `source`.
pub fn load(source: &KeySource) -> Result<Keypair, Error> {
	let secret = match source {
		KeySource::File(path) => read_file(path)?,
		KeySource::Env(var) => std::env::var(var)
			.map_err(|_| Error::Key(format!("the environment variable {var} is not set")))?,
		KeySource::Stdin => {
			let mut line = String::new();
			std::io::stdin()
				.read_to_string(&mut line)
				.map_err(|e| Error::Key(format!("cannot read standard input: {e}")))?;
			line
		},
	};
	from_secret(&secret)
}

/// A key from its secret URI.
pub fn from_secret(secret: &str) -> Result<Keypair, Error> {
	let secret = secret.trim();
	if secret.is_empty() {
		return Err(Error::Key("the key is empty".into()));
	}
	let uri =
		SecretUri::from_str(secret).map_err(|e| Error::Key(format!("not a secret URI: {e}")))?;
	sr25519::Keypair::from_uri(&uri).map_err(|e| Error::Key(format!("not an sr25519 key: {e}")))
}

fn read_file(path: &Path) -> Result<String, Error> {
	std::fs::read_to_string(path)
		.map_err(|e| Error::Key(format!("cannot read {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_development_key_and_a_phrase_load_and_garbage_is_named() {
		let alice = from_secret(" //Alice\n").expect("a dev key");
		assert_eq!(
			crate::AccountId::from(alice.public_key()).to_string(),
			"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
		);
		assert!(matches!(from_secret(""), Err(Error::Key(m)) if m == "the key is empty"));
		assert!(matches!(from_secret("not a key at all"), Err(Error::Key(_))));
	}

	#[test]
	fn a_key_file_that_is_missing_is_named() {
		let err = load(&KeySource::File("/nonexistent/key".into())).err().expect("no such file");
		assert!(
			err.to_string().starts_with("no signing key: cannot read /nonexistent/key"),
			"{err}"
		);
		let err = load(&KeySource::Env("MEDCHAIN_TEST_UNSET_KEY".into())).err().expect("unset");
		assert_eq!(
			err.to_string(),
			"no signing key: the environment variable MEDCHAIN_TEST_UNSET_KEY is not set"
		);
	}
}
