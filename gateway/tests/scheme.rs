//! The signed-request scheme's example in docs/gateway.md ("Signed requests"), built again here
//! and checked value by value against the document: the ticket's signed payload, the header that
//! carries it, the signature base, and signatures made once with //Alice's key (sr25519
//! signatures are randomised: a fresh one differs and verifies as well).
//!
//! `MEDCHAIN_PRINT_EXAMPLE=1 cargo test -p medchain-gateway --test scheme -- --nocapture`
//! prints fresh values to paste into the document.

use medchain_client::{attest, httpsig, keys, AccountId};
use medchain_primitives::{attestation::AccessTicket, Category, Hash32, Purpose};
use subxt::utils::MultiSignature;

/// The example's chain: a genesis hash of 32 bytes 0x11.
fn genesis() -> Hash32 {
	Hash32::repeat_byte(0x11)
}

fn ticket() -> AccessTicket<AccountId> {
	let alice = keys::from_secret("//Alice").expect("a dev key");
	AccessTicket {
		reader: AccountId::from(alice.public_key()),
		patient: 7,
		purpose: Purpose::Treatment,
		categories: Category::LabResults.into(),
		record: Some(42),
		created: 1_765_015_200_000,
		expires: 1_765_015_260_000,
		nonce: [0xa5; 16],
	}
}

const TICKET_PAYLOAD: &str = "0x6d6564636861696e2f6163636573732d7469636b65742f76311111111111111111111111111111111111111111111111111111111111111111d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d0700000000000000002000012a0000000000000000a11af39a010000608b1bf39a010000a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5";
const TICKET_SIGNATURE: &str = "0x5aebb30cbe9a897c600a59231a45e9dbca7202394ebcad54c22a5e75775fb10fcd136222fc07fcc269f5a27cfeee843838b06157f915781eed019484d0f2d783";
const HTTP_SIGNATURE: &str =
	"CCngHvGqmbr0vNK/BNnLAwrjs9BY1Ycr+2GuE3kCdTf8yCNYcb/NYjhAxqFx/7RIzp0rkQdGNjeNBuBBd7xRjw==";

fn doc() -> String {
	std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/gateway.md"))
		.expect("docs/gateway.md")
}

fn parts<'a>(headers: Vec<(&'a str, &'a str)>) -> httpsig::RequestParts<'a> {
	httpsig::RequestParts {
		method: "GET",
		authority: "gateway.example:8080",
		path: "/fhir/Observation/0b6f1a52-8a3b-4e0f-9e52-1c6b9bb4f3b1",
		query: None,
		headers,
	}
}

#[test]
fn the_documented_example_is_what_the_code_builds() {
	let alice = keys::from_secret("//Alice").expect("a dev key");
	let payload = ticket().payload(&genesis());
	let print = std::env::var("MEDCHAIN_PRINT_EXAMPLE").is_ok();
	let ticket_signature: [u8; 64] = if print {
		match subxt::transactions::Signer::<medchain_client::MedchainConfig>::sign(&alice, &payload)
		{
			MultiSignature::Sr25519(s) => s,
			_ => unreachable!(),
		}
	} else {
		hex::decode(TICKET_SIGNATURE.trim_start_matches("0x"))
			.expect("hex")
			.try_into()
			.expect("64 bytes")
	};
	let header = attest::header_value(&ticket(), &MultiSignature::Sr25519(ticket_signature));
	let headers = vec![("medchain-purpose", "TREAT"), ("medchain-ticket", header.as_str())];
	let created = 1_765_015_200u64;
	let (input, http_signature) = if print {
		let signed =
			httpsig::sign(&parts(headers.clone()), &alice, created, 60, "b1f3c4d9e0a27766")
				.expect("signed");
		(signed.signature_input, signed.signature)
	} else {
		let input = format!(
			"medchain=(\"@method\" \"@authority\" \"@path\" \"@query\" \"medchain-purpose\" \"medchain-ticket\");created={created};expires={};nonce=\"b1f3c4d9e0a27766\";keyid=\"{}\"",
			created + 60,
			AccountId::from(alice.public_key())
		);
		(input, format!("medchain=:{HTTP_SIGNATURE}:"))
	};
	if print {
		println!("ticket payload: 0x{}", hex::encode(&payload));
		println!("ticket signature: 0x{}", hex::encode(ticket_signature));
		println!("Medchain-Ticket: {header}");
		println!("Signature-Input: {input}");
		println!("Signature: {http_signature}");
		return;
	}
	assert_eq!(format!("0x{}", hex::encode(&payload)), TICKET_PAYLOAD);
	assert!(subxt_signer::sr25519::verify(
		&subxt_signer::sr25519::Signature(ticket_signature),
		&payload,
		&alice.public_key()
	));
	let verified =
		httpsig::verify(&parts(headers), Some(&input), Some(&http_signature), b"", created + 10)
			.expect("the documented signature verifies");
	assert_eq!(verified.signer, AccountId::from(alice.public_key()));
	let doc = doc();
	for value in [TICKET_PAYLOAD, TICKET_SIGNATURE, HTTP_SIGNATURE, header.as_str(), input.as_str()]
	{
		assert!(doc.contains(value), "docs/gateway.md does not show {value}");
	}
}
