//! `medchain-p2p-probe`: a peer of its own for medchain's network tests.
//!
//! It dials one node with an identity of its choosing — a fresh one (an outsider), or the key
//! of a node governance authorised — and asks it, over the node's own request-response
//! protocols, for what a syncing peer or a light client asks: blocks with their bodies, state,
//! a storage proof, a remote runtime call, a warp-sync proof. It prints one JSON object saying,
//! for each, whether the node answered, and whether the node kept the connection. It does not
//! judge: the test that runs it does (`zombienet/faults/p2p-gate.js`).
//!
//! ```text
//! medchain-p2p-probe --peer /ip4/127.0.0.1/tcp/30333/p2p/12D3Koo… --genesis 0x…  # a fresh identity
//! medchain-p2p-probe --peer /ip4/127.0.0.1/tcp/30333/ws/p2p/12D3Koo… …          # over WebSocket
//! medchain-p2p-probe … --node-key <64 hex digits>                               # a given one
//! medchain-p2p-probe --node-key <hex> --print-peer-id                           # its peer id
//! ```
//!
//! Messages are those of polkadot-sdk's `sc-network-sync` (`api.v1.proto`) and
//! `sc-network-light` (`light.v1.proto`), written out here with prost: those crates keep their
//! generated types private.

use std::time::Duration;

use clap::Parser;
use codec::Encode;
use futures::StreamExt;
use litep2p::{
	config::ConfigBuilder,
	crypto::ed25519,
	protocol::request_response::{
		Config as RequestResponseConfig, ConfigBuilder as RequestResponseConfigBuilder,
		DialOptions, RequestResponseEvent, RequestResponseHandle,
	},
	transport::{tcp::config::Config as TcpConfig, websocket::config::Config as WebSocketConfig},
	types::multiaddr::{Multiaddr, Protocol},
	Litep2p, Litep2pEvent, PeerId, ProtocolName,
};
use serde_json::{json, Value};

#[derive(Parser)]
#[command(name = "medchain-p2p-probe", about, version)]
struct Args {
	/// The node to probe: its address, ending in `/p2p/<peer id>`.
	#[arg(long, required_unless_present = "print_peer_id")]
	peer: Option<Multiaddr>,
	/// The chain's genesis hash (0x and 64 hex digits): the protocols are named after it.
	#[arg(long, required_unless_present = "print_peer_id")]
	genesis: Option<String>,
	/// The probe's ed25519 node key (64 hex digits, as `medchain-node --node-key` takes it);
	/// a fresh one if absent.
	#[arg(long)]
	node_key: Option<String>,
	/// Print the peer id of `--node-key` and stop.
	#[arg(long)]
	print_peer_id: bool,
	/// How long to wait for each answer, in seconds.
	#[arg(long, default_value_t = 10)]
	timeout: u64,
}

/// `sc-network-sync`'s block request (`api.v1.BlockRequest`).
#[derive(Clone, PartialEq, prost::Message)]
struct BlockRequest {
	#[prost(uint32, tag = "1")]
	fields: u32,
	#[prost(oneof = "FromBlock", tags = "2, 3")]
	from_block: Option<FromBlock>,
	#[prost(int32, tag = "5")]
	direction: i32,
	#[prost(uint32, tag = "6")]
	max_blocks: u32,
	#[prost(bool, tag = "7")]
	support_multiple_justifications: bool,
}

#[derive(Clone, PartialEq, prost::Oneof)]
enum FromBlock {
	#[prost(bytes, tag = "2")]
	Hash(Vec<u8>),
	#[prost(bytes, tag = "3")]
	Number(Vec<u8>),
}

/// `sc-network-sync`'s block response: only the count of blocks is read.
#[derive(Clone, PartialEq, prost::Message)]
struct BlockResponse {
	#[prost(message, repeated, tag = "1")]
	blocks: Vec<BlockData>,
}

#[derive(Clone, PartialEq, prost::Message)]
struct BlockData {
	#[prost(bytes, tag = "1")]
	hash: Vec<u8>,
	#[prost(bytes, repeated, tag = "3")]
	body: Vec<Vec<u8>>,
}

/// `sc-network-sync`'s state request (`api.v1.StateRequest`).
#[derive(Clone, PartialEq, prost::Message)]
struct StateRequest {
	#[prost(bytes, tag = "1")]
	block: Vec<u8>,
	#[prost(bytes, repeated, tag = "2")]
	start: Vec<Vec<u8>>,
	#[prost(bool, tag = "3")]
	no_proof: bool,
}

/// `sc-network-light`'s request (`api.v1.light.Request`).
#[derive(Clone, PartialEq, prost::Message)]
struct LightRequest {
	#[prost(oneof = "LightRequestKind", tags = "1, 2")]
	request: Option<LightRequestKind>,
}

#[derive(Clone, PartialEq, prost::Oneof)]
enum LightRequestKind {
	#[prost(message, tag = "1")]
	RemoteCall(RemoteCallRequest),
	#[prost(message, tag = "2")]
	RemoteRead(RemoteReadRequest),
}

#[derive(Clone, PartialEq, prost::Message)]
struct RemoteCallRequest {
	#[prost(bytes, required, tag = "2")]
	block: Vec<u8>,
	#[prost(string, required, tag = "3")]
	method: String,
	#[prost(bytes, required, tag = "4")]
	data: Vec<u8>,
}

#[derive(Clone, PartialEq, prost::Message)]
struct RemoteReadRequest {
	#[prost(bytes, required, tag = "2")]
	block: Vec<u8>,
	#[prost(bytes, repeated, tag = "3")]
	keys: Vec<Vec<u8>>,
}

/// `BlockAttributes` HEADER (1) | BODY (2), as `sc-network-common` puts them in `fields`: the
/// top byte.
const HEADER_AND_BODY: u32 = (1 | 2) << 24;

/// The storage key of `System::Number`, which every medchain chain has.
fn system_number_key() -> Vec<u8> {
	use sp_crypto_hashing::twox_128;
	[twox_128(b"System"), twox_128(b"Number")].concat()
}

/// One request-response protocol the probe speaks.
struct Probe {
	/// What the test calls it.
	label: &'static str,
	handle: RequestResponseHandle,
	request: Vec<u8>,
}

fn protocol(name: String, label: &'static str, request: Vec<u8>) -> (RequestResponseConfig, Probe) {
	let (config, handle) = RequestResponseConfigBuilder::new(ProtocolName::from(name))
		.with_max_size(16 * 1024 * 1024)
		.build();
	(config, Probe { label, handle, request })
}

fn parse_hex32(what: &str, hex_text: &str) -> Result<[u8; 32], String> {
	let bytes = hex::decode(hex_text.trim_start_matches("0x"))
		.map_err(|e| format!("{what} is not hex: {e}"))?;
	bytes.try_into().map_err(|_| format!("{what} is not 32 bytes"))
}

fn keypair(node_key: Option<&str>) -> Result<ed25519::Keypair, String> {
	match node_key {
		None => Ok(ed25519::Keypair::generate()),
		Some(hex_text) => {
			let secret = ed25519::SecretKey::try_from_bytes(parse_hex32("--node-key", hex_text)?)
				.map_err(|e| format!("--node-key is not an ed25519 secret: {e}"))?;
			Ok(ed25519::Keypair::from(secret))
		},
	}
}

/// Waits for the answer to the one request `probe` sent to `peer`, driving the network
/// meanwhile; says what it got.
async fn answer(
	litep2p: &mut Litep2p,
	probe: &mut Probe,
	peer: PeerId,
	timeout: Duration,
) -> Value {
	let sent = probe
		.handle
		.send_request(peer, probe.request.clone(), DialOptions::Reject)
		.await;
	if let Err(e) = sent {
		return json!({ "answered": false, "detail": format!("not sent: {e:?}") });
	}
	let deadline = tokio::time::sleep(timeout);
	tokio::pin!(deadline);
	loop {
		tokio::select! {
			event = probe.handle.next() => match event {
				Some(RequestResponseEvent::ResponseReceived { response, .. }) => {
					let detail = match probe.label {
						"block" => BlockResponse::decode_from(&response)
							.map(|r| format!("{} blocks, {} with a body", r.blocks.len(), r.blocks.iter().filter(|b| !b.body.is_empty()).count()))
							.unwrap_or_else(|e| format!("{} bytes ({e})", response.len())),
						_ => format!("{} bytes", response.len()),
					};
					return json!({ "answered": true, "bytes": response.len(), "detail": detail });
				},
				Some(RequestResponseEvent::RequestFailed { error, .. }) => {
					return json!({ "answered": false, "detail": format!("{error:?}") });
				},
				Some(_) => continue,
				None => return json!({ "answered": false, "detail": "protocol closed" }),
			},
			_ = litep2p.next_event() => continue,
			_ = &mut deadline => return json!({ "answered": false, "detail": "no answer in time" }),
		}
	}
}

impl BlockResponse {
	fn decode_from(bytes: &[u8]) -> Result<Self, prost::DecodeError> {
		<Self as prost::Message>::decode(bytes)
	}
}

async fn run(args: Args) -> Result<Value, String> {
	let keypair = keypair(args.node_key.as_deref())?;
	if args.print_peer_id {
		let peer = PeerId::from_public_key(&keypair.public().into());
		return Ok(json!({ "peerId": peer.to_string() }));
	}
	let address = args.peer.clone().ok_or("--peer is required")?;
	let peer = match address.iter().last() {
		Some(Protocol::P2p(multihash)) => PeerId::from_multihash(multihash)
			.map_err(|_| "the address's /p2p/ part is not a peer id".to_string())?,
		_ => return Err("the address must end in /p2p/<peer id>".into()),
	};
	let genesis = parse_hex32("--genesis", args.genesis.as_deref().unwrap_or_default())?;
	let prefix = hex::encode(genesis);
	let timeout = Duration::from_secs(args.timeout);

	// Blocks 1 to 64 with their bodies, from genesis on (what an outsider syncing the chain
	// asks); the whole state at genesis; a proof of `System::Number` at genesis; a remote call
	// of `Core_version` at genesis; a warp proof from genesis.
	let block = BlockRequest {
		fields: HEADER_AND_BODY,
		from_block: Some(FromBlock::Number(1u32.encode())),
		direction: 0,
		max_blocks: 64,
		support_multiple_justifications: true,
	};
	let state = StateRequest { block: genesis.to_vec(), start: vec![], no_proof: true };
	let read = LightRequest {
		request: Some(LightRequestKind::RemoteRead(RemoteReadRequest {
			block: genesis.to_vec(),
			keys: vec![system_number_key()],
		})),
	};
	let call = LightRequest {
		request: Some(LightRequestKind::RemoteCall(RemoteCallRequest {
			block: genesis.to_vec(),
			method: "Core_version".into(),
			data: vec![],
		})),
	};
	let encode = |m: &dyn Fn(&mut Vec<u8>)| {
		let mut out = Vec::new();
		m(&mut out);
		out
	};
	let (block_config, block_probe) = protocol(
		format!("/{prefix}/sync/2"),
		"block",
		encode(&|out| prost::Message::encode(&block, out).expect("a Vec grows")),
	);
	let (state_config, state_probe) = protocol(
		format!("/{prefix}/state/2"),
		"state",
		encode(&|out| prost::Message::encode(&state, out).expect("a Vec grows")),
	);
	// The light-client protocol serves both questions: two handles of one protocol are not
	// possible, so the read and the call go one after the other on one handle.
	let (light_config, mut light_probe) = protocol(
		format!("/{prefix}/light/2"),
		"light-read",
		encode(&|out| prost::Message::encode(&read, out).expect("a Vec grows")),
	);
	let (warp_config, warp_probe) =
		protocol(format!("/{prefix}/sync/warp"), "warp", genesis.to_vec());

	let config = ConfigBuilder::new()
		.with_keypair(keypair)
		.with_tcp(TcpConfig { listen_addresses: vec![], ..Default::default() })
		.with_websocket(WebSocketConfig { listen_addresses: vec![], ..Default::default() })
		.with_request_response_protocol(block_config)
		.with_request_response_protocol(state_config)
		.with_request_response_protocol(light_config)
		.with_request_response_protocol(warp_config)
		.build();
	let mut litep2p = Litep2p::new(config).map_err(|e| format!("starting the probe: {e:?}"))?;
	let local = *litep2p.local_peer_id();
	litep2p.dial_address(address).await.map_err(|e| format!("dialing: {e:?}"))?;

	// Connected (noise and yamux done), or refused at the transport.
	let connected = tokio::time::timeout(timeout, async {
		loop {
			match litep2p.next_event().await {
				Some(Litep2pEvent::ConnectionEstablished { peer: p, .. }) if p == peer => {
					return Ok(());
				},
				Some(Litep2pEvent::DialFailure { error, .. }) => return Err(format!("{error:?}")),
				Some(Litep2pEvent::ListDialFailures { errors }) => {
					return Err(format!("{errors:?}"))
				},
				Some(_) => continue,
				None => return Err("the probe's network stopped".to_string()),
			}
		}
	})
	.await
	.unwrap_or_else(|_| Err("no connection in time".into()));
	if let Err(reason) = connected {
		return Ok(
			json!({ "localPeerId": local.to_string(), "connected": false, "detail": reason }),
		);
	}

	let mut results = serde_json::Map::new();
	for mut probe in [block_probe, state_probe, warp_probe] {
		let label = probe.label;
		results.insert(label.into(), answer(&mut litep2p, &mut probe, peer, timeout).await);
	}
	results
		.insert("light-read".into(), answer(&mut litep2p, &mut light_probe, peer, timeout).await);
	light_probe.label = "light-call";
	light_probe.request = encode(&|out| prost::Message::encode(&call, out).expect("a Vec grows"));
	results
		.insert("light-call".into(), answer(&mut litep2p, &mut light_probe, peer, timeout).await);

	// Is the connection still open a while later? (A node that refuses a peer bans it, and
	// keeps no connection with it.)
	let kept = tokio::time::timeout(Duration::from_secs(args.timeout), async {
		loop {
			match litep2p.next_event().await {
				Some(Litep2pEvent::ConnectionClosed { peer: p, .. }) if p == peer => return false,
				None => return false,
				Some(_) => continue,
			}
		}
	})
	.await
	.unwrap_or(true);

	Ok(json!({
		"localPeerId": local.to_string(),
		"connected": true,
		"results": results,
		"connectionKept": kept,
	}))
}

#[tokio::main]
async fn main() {
	let args = Args::parse();
	match run(args).await {
		Ok(report) => println!("{report}"),
		Err(e) => {
			eprintln!("medchain-p2p-probe: {e}");
			std::process::exit(2);
		},
	}
}
