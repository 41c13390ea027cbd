//! `medchain governance` against a dev node, whose council is the four demo organisations'
//! admins (Alice, Bob, Charlie, Dave): a motion opened, voted, closed and executed; what a
//! non-seat and a motion whose call fails get.

use std::process::{Command, Output};

use medchain_client::{keys, runtime, testing::DevNode, AccountId};
use serde_json::Value;

fn medchain(url: &str, key: Option<&str>, args: &[&str]) -> Output {
	let mut command = Command::new(env!("CARGO_BIN_EXE_medchain"));
	command
		.arg("--url")
		.arg(url)
		.arg("--json")
		.args(args)
		.env_remove("MEDCHAIN_URL");
	match key {
		Some(secret) => command
			.env("MEDCHAIN_TEST_KEY", secret)
			.args(["--key-env", "MEDCHAIN_TEST_KEY"]),
		None => command.env_remove("MEDCHAIN_TEST_KEY"),
	};
	command.output().expect("the medchain binary runs")
}

fn ok(output: &Output) -> Value {
	assert!(output.status.success(), "failed: {}", String::from_utf8_lossy(&output.stderr));
	serde_json::from_slice(&output.stdout).expect("one JSON document")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_motion_is_opened_voted_closed_and_executed() {
	let node = DevNode::start().await;
	let url = node.url.as_str();
	let pharmacy_admin =
		AccountId::from(keys::from_secret("//Pharmacy").expect("key").public_key()).to_string();
	let opened = ok(&medchain(
		url,
		Some("//Alice"),
		&[
			"governance",
			"propose",
			"register-organisation",
			"--admin",
			&pharmacy_admin,
			"--kind",
			"Pharmacy",
			"--license-hash",
			"0x1111111111111111111111111111111111111111111111111111111111111111",
		],
	));
	assert_eq!(opened["threshold"], 3, "⌈2·4/3⌉ of the four seats");
	let motion = opened["motion"].as_str().expect("a motion hash").to_owned();
	let status = ok(&medchain(url, None, &["governance", "status"]));
	assert_eq!(status["motions"][0]["call"], "Providers.register_organisation");
	assert_eq!(status["motions"][0]["ayes"].as_array().map(Vec::len), Some(1));
	for seat in ["//Bob", "//Charlie"] {
		ok(&medchain(url, Some(seat), &["governance", "vote", "--motion", &motion]));
	}
	let closed = ok(&medchain(url, Some("//Alice"), &["governance", "close", "--motion", &motion]));
	assert_eq!(closed["executed"], true);
	let client = node.client().await.expect("the node answers");
	let at = client
		.api()
		.at_block(client.best_hash().await.expect("best"))
		.await
		.expect("at");
	let organisation = at
		.storage()
		.entry(runtime::storage().providers().organisations())
		.expect("entry")
		.fetch((4,))
		.await
		.expect("the new organisation")
		.decode()
		.expect("decodes");
	assert_eq!(organisation.admin.to_string(), pharmacy_admin);

	// Not a seat: refused, exit 1, nothing opened.
	let eve = medchain(
		url,
		Some("//Eve"),
		&["governance", "propose", "suspend-organisation", "--organisation", "4"],
	);
	assert_eq!(eve.status.code(), Some(1));
	// A motion whose call fails once passed: withdrawing an upgrade nobody authorised (a third of
	// the seats: 2 of 4).
	let cancel = ok(&medchain(url, Some("//Alice"), &["governance", "propose", "cancel-upgrade"]));
	assert_eq!(cancel["threshold"], 2);
	let motion = cancel["motion"].as_str().expect("a motion hash").to_owned();
	ok(&medchain(url, Some("//Bob"), &["governance", "vote", "--motion", &motion]));
	let failed = medchain(url, Some("//Alice"), &["governance", "close", "--motion", &motion]);
	assert_eq!(failed.status.code(), Some(1));
	assert!(
		String::from_utf8_lossy(&failed.stderr).contains("NothingAuthorized"),
		"{}",
		String::from_utf8_lossy(&failed.stderr)
	);
	// No such motion: bad input, exit 5.
	let none = medchain(url, Some("//Alice"), &["governance", "vote", "--motion", &motion]);
	assert_eq!(none.status.code(), Some(5));
}
