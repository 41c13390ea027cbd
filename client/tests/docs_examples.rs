//! docs/client.md's examples, run in order against a dev node (`build.rs` collects them).

use medchain_client::testing::DevNode;

async fn examples(url: &str) -> Result<(), medchain_client::Error> {
	include!(concat!(env!("OUT_DIR"), "/docs_examples.rs"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_examples_of_docs_client_md_run_against_a_dev_node() {
	let node = DevNode::start().await;
	examples(&node.url).await.expect("every example of docs/client.md succeeds");
}
