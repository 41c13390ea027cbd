//! Versioning (issue "forkless runtime upgrades"): a transaction signed for one runtime must
//! not dispatch as something else under another. `runtime/call-encoding.txt` records, for the
//! current `transaction_version`, the encoding of every call (pallet and call index, and the
//! shape of its arguments as SCALE encodes them) and of the transaction extensions. This test
//! fails if a recorded call's encoding changed, or a recorded call is gone, or the extensions
//! changed, while `transaction_version` stayed the same; and, to keep the record current, if
//! anything else differs from it (a new call, a bumped version). After a deliberate change:
//!
//! ```sh
//! MEDCHAIN_BLESS=1 cargo test -p medchain-runtime --lib call_encoding
//! ```
//!
//! rewrites the record (refused while a change needs a bump). See docs/development.md,
//! "Versions".

use std::collections::{BTreeMap, HashMap};

use scale_info::{form::PortableForm, PortableRegistry, TypeDef};

use crate::{RuntimeCall, TxExtension, VERSION};

const RECORD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/call-encoding.txt");

/// The shape of a type as SCALE encodes it: names and docs left out, indices of variants kept,
/// a recursive type referred to by the order it was first met. A call held in a call (a council
/// motion, sudo) is `call`: each call's encoding has its own entry, so a call added elsewhere
/// (which leaves every transaction signed before it decoding as it did) does not read as a
/// change of every call that can hold one.
struct Shapes<'a> {
	registry: &'a PortableRegistry,
	open: HashMap<u32, usize>,
	/// The runtime's call type (`RuntimeCall`).
	call: Option<u32>,
}

impl Shapes<'_> {
	fn shape(&mut self, id: u32) -> String {
		if Some(id) == self.call {
			return "call".into();
		}
		if let Some(n) = self.open.get(&id) {
			return format!("#{n}");
		}
		let n = self.open.len();
		self.open.insert(id, n);
		let ty = self
			.registry
			.resolve(id)
			.unwrap_or_else(|| panic!("type {id} is in the registry"));
		let shape = match &ty.type_def {
			TypeDef::Composite(c) => format!("{{{}}}", self.fields(&c.fields)),
			TypeDef::Variant(v) => {
				let mut variants: Vec<_> = v.variants.iter().collect();
				variants.sort_by_key(|v| v.index);
				let parts: Vec<String> = variants
					.iter()
					.map(|v| format!("{}({})", v.index, self.fields(&v.fields)))
					.collect();
				format!("<{}>", parts.join("|"))
			},
			TypeDef::Sequence(s) => format!("[{}]", self.shape(s.type_param.id)),
			TypeDef::Array(a) => format!("[{};{}]", self.shape(a.type_param.id), a.len),
			TypeDef::Tuple(t) => {
				let parts: Vec<String> = t.fields.iter().map(|f| self.shape(f.id)).collect();
				format!("({})", parts.join(","))
			},
			TypeDef::Primitive(p) => format!("{p:?}").to_lowercase(),
			TypeDef::Compact(c) => format!("compact({})", self.shape(c.type_param.id)),
			TypeDef::BitSequence(b) => format!(
				"bits({},{})",
				self.shape(b.bit_store_type.id),
				self.shape(b.bit_order_type.id)
			),
		};
		self.open.remove(&id);
		shape
	}

	fn fields(&mut self, fields: &[scale_info::Field<PortableForm>]) -> String {
		fields.iter().map(|f| self.shape(f.ty.id)).collect::<Vec<_>>().join(",")
	}
}

fn digest(shape: &str) -> String {
	sp_core::hexdisplay::HexDisplay::from(&sp_io::hashing::blake2_128(shape.as_bytes())).to_string()
}

/// `name → "pallet.call digest"` for every call, and one line for the extensions.
fn current() -> BTreeMap<String, String> {
	let mut registry = scale_info::Registry::new();
	let call = registry.register_type(&scale_info::meta_type::<RuntimeCall>()).id;
	let extension = registry.register_type(&scale_info::meta_type::<TxExtension>()).id;
	let registry: PortableRegistry = registry.into();
	let mut shapes = Shapes { registry: &registry, open: HashMap::new(), call: Some(call) };
	let mut entries = BTreeMap::new();
	let TypeDef::Variant(pallets) = &registry.resolve(call).expect("RuntimeCall").type_def else {
		panic!("RuntimeCall is an enum")
	};
	for pallet in &pallets.variants {
		let pallet_call = pallet.fields[0].ty.id;
		let TypeDef::Variant(calls) =
			&registry.resolve(pallet_call).expect("a pallet's Call").type_def
		else {
			panic!("a pallet's Call is an enum")
		};
		for c in &calls.variants {
			// The call as it is encoded: its pallet's index, its own, its arguments'.
			let shape = format!("{}.{}:{}", pallet.index, c.index, shapes.fields(&c.fields));
			entries.insert(
				format!("{}.{}", pallet.name, c.name),
				format!("{}.{} {}", pallet.index, c.index, digest(&shape)),
			);
		}
	}
	// The extensions: which (by identifier, in order) and what they put in a transaction.
	let ids: Vec<String> = {
		use sp_runtime::traits::TransactionExtension;
		TxExtension::metadata().into_iter().map(|m| m.identifier.to_string()).collect()
	};
	let shape = format!("{}:{}", ids.join(","), shapes.shape(extension));
	entries.insert("(transaction extensions)".into(), digest(&shape));
	entries
}

fn render(version: u32, entries: &BTreeMap<String, String>) -> String {
	let mut out = format!(
		"# The encoding of every call and of the transaction extensions at transaction_version {version}.\n\
		 # Written by `MEDCHAIN_BLESS=1 cargo test -p medchain-runtime --lib call_encoding`; checked by\n\
		 # runtime/src/tests/versioning.rs (docs/development.md, \"Versions\").\n\
		 transaction_version {version}\n"
	);
	for (name, line) in entries {
		out.push_str(&format!("{name} {line}\n"));
	}
	out
}

fn parse(text: &str) -> (u32, BTreeMap<String, String>) {
	let mut version = None;
	let mut entries = BTreeMap::new();
	for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
		if let Some(v) = line.strip_prefix("transaction_version ") {
			version = Some(v.trim().parse().expect("a number"));
		} else if let Some(rest) = line.strip_prefix("(transaction extensions) ") {
			entries.insert("(transaction extensions)".to_string(), rest.to_string());
		} else {
			let (name, rest) = line.split_once(' ').expect("name, then encoding");
			entries.insert(name.to_string(), rest.to_string());
		}
	}
	(version.expect("a transaction_version line"), entries)
}

/// What changed that needs a `transaction_version` bump: recorded entries that differ or are
/// gone.
fn needing_a_bump(
	recorded: &BTreeMap<String, String>,
	now: &BTreeMap<String, String>,
) -> Vec<String> {
	recorded
		.iter()
		.filter(|(name, line)| now.get(*name) != Some(line))
		.map(|(name, line)| match now.get(name) {
			Some(new) => format!("{name}: {line} -> {new}"),
			None => format!("{name}: gone"),
		})
		.collect()
}

#[test]
fn call_encoding_changes_only_with_a_transaction_version_bump() {
	let now = current();
	let text = std::fs::read_to_string(RECORD).unwrap_or_default();
	let (recorded_version, recorded) =
		if text.is_empty() { (0, BTreeMap::new()) } else { parse(&text) };
	let changed = needing_a_bump(&recorded, &now);
	assert!(
		changed.is_empty() || VERSION.transaction_version > recorded_version,
		"calls changed their encoding with transaction_version still {recorded_version}: a transaction \
		 signed for the running runtime would decode as something else after the upgrade. Bump \
		 transaction_version in runtime/src/lib.rs, then bless (see this file's docs).\n  {}",
		changed.join("\n  ")
	);
	let rendered = render(VERSION.transaction_version, &now);
	if rendered != text {
		if std::env::var("MEDCHAIN_BLESS").is_ok() {
			std::fs::write(RECORD, rendered).expect("writes the record");
		} else {
			let added: Vec<&String> = now.keys().filter(|k| !recorded.contains_key(*k)).collect();
			panic!(
				"runtime/call-encoding.txt is out of date (new calls: {added:?}; recorded version \
				 {recorded_version}, now {}): run MEDCHAIN_BLESS=1 cargo test -p medchain-runtime --lib call_encoding",
				VERSION.transaction_version
			);
		}
	}
}

#[test]
fn the_check_sees_a_changed_argument_and_a_moved_call() {
	let now = current();
	let mut recorded = now.clone();
	assert!(needing_a_bump(&recorded, &now).is_empty());
	// A call's argument changed type: its digest differs.
	let grant = recorded.get_mut("Consent.grant").expect("Consent.grant is a call");
	grant.replace_range(grant.len() - 4.., "0000");
	// A call gone (renamed or removed).
	recorded.insert("Records.anchor_v0".into(), "13.99 00".into());
	let changed = needing_a_bump(&recorded, &now);
	assert_eq!(changed.len(), 2, "{changed:?}");
	// The shapes tell encodings apart, not names: two different argument lists differ.
	let mut registry = scale_info::Registry::new();
	let a = registry.register_type(&scale_info::meta_type::<(u32, u64)>()).id;
	let b = registry.register_type(&scale_info::meta_type::<(u64, u32)>()).id;
	let c = registry.register_type(&scale_info::meta_type::<codec::Compact<u32>>()).id;
	let registry: PortableRegistry = registry.into();
	let mut shapes = Shapes { registry: &registry, open: HashMap::new(), call: None };
	assert_eq!(shapes.shape(a), "(u32,u64)");
	assert_ne!(shapes.shape(a), shapes.shape(b));
	assert_eq!(shapes.shape(c), "compact(u32)");
}
