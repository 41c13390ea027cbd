//! Drift caught by a test, not a review: every error of medchain's pallets (as the runtime's
//! metadata describes it) is named on its pallet's page in `docs/pallets/`. (Code review 2026-12,
//! §4.4: pages missed errors the calls return.)

use scale_info::{form::PortableForm, PortableRegistry, Registry, TypeDef, TypeInfo};

use crate::Runtime;

/// The variant names of a pallet's `Error` type.
fn errors<E: TypeInfo + 'static>() -> Vec<String> {
	let mut registry = Registry::new();
	let id = registry.register_type(&scale_info::meta_type::<E>());
	let portable: PortableRegistry = registry.into();
	let ty = portable.resolve(id.id).expect("registered");
	match &ty.type_def {
		TypeDef::<PortableForm>::Variant(v) => v
			.variants
			.iter()
			.map(|v| v.name.clone())
			// FRAME's own marker variant, not an error anyone meets.
			.filter(|n| n != "__Ignore")
			.collect(),
		_ => panic!("a pallet's Error is an enum"),
	}
}

fn page(name: &str) -> String {
	let path = format!("{}/../docs/pallets/{name}.md", env!("CARGO_MANIFEST_DIR"));
	std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every error is on the page, as a word (`` `NoAppendGrant` `` or in an `Errors:` list).
fn check(pallet: &str, page_name: &str, names: Vec<String>) {
	let text = page(page_name);
	let missing: Vec<&String> = names
		.iter()
		.filter(|n| {
			!text.match_indices(n.as_str()).any(|(i, _)| {
				let before = text[..i].chars().next_back().unwrap_or(' ');
				let after = text[i + n.len()..].chars().next().unwrap_or(' ');
				!before.is_alphanumeric() && !after.is_alphanumeric()
			})
		})
		.collect();
	assert!(
		missing.is_empty(),
		"docs/pallets/{page_name}.md does not name these errors of {pallet}: {missing:?}"
	);
}

#[test]
fn every_pallet_error_is_on_its_page() {
	check("providers", "providers", errors::<pallet_providers::Error<Runtime>>());
	check("patients", "patients", errors::<pallet_patients::Error<Runtime>>());
	check("consent", "consent", errors::<pallet_consent::Error<Runtime>>());
	check("records", "records", errors::<pallet_records::Error<Runtime>>());
	check("audit", "audit", errors::<pallet_audit::Error<Runtime>>());
	check("upgrades", "governance", errors::<pallet_upgrades::Error<Runtime>>());
	check("validator-set", "governance", errors::<pallet_validator_set::Error<Runtime>>());
}
