//! `docs/weights.md` is generated from the weights this runtime charges: each medchain call's
//! `WeightInfo`, with the runtime's database weights, at the parameters that matter (one item,
//! the most the runtime allows). Tables copied by hand into the docs drifted from the generated
//! weights (code review 2026-12, §4.4); this test fails when the page is not what the weights
//! say, and `MEDCHAIN_BLESS=1 cargo test -p medchain-runtime --lib weights_doc` rewrites it
//! (after `scripts/bench.sh`).

use frame_support::{traits::Get, weights::Weight};

use crate::Runtime;

const PAGE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/weights.md");

/// A weight's compute and database time, in µs (ref-time is in picoseconds).
fn micros(weight: Weight) -> String {
	format!("{:.1}", weight.ref_time() as f64 / 1_000_000.0)
}

/// One table row: the call, the parameter it is charged at, the weight.
struct Row(&'static str, String, Weight);

fn table(out: &mut String, title: &str, source: &str, rows: Vec<Row>) {
	out.push_str(&format!("\n## {title}\n\nFrom [`{source}`](../{source}).\n\n"));
	out.push_str("| weight function | at | µs | proof bytes |\n|---|---|---|---|\n");
	for Row(call, at, weight) in rows {
		out.push_str(&format!(
			"| `{call}` | {at} | {} | {} |\n",
			micros(weight),
			weight.proof_size()
		));
	}
}

fn render() -> String {
	use pallet_admission::WeightInfo as _;
	use pallet_audit::WeightInfo as _;
	use pallet_consent::WeightInfo as _;
	use pallet_patients::WeightInfo as _;
	use pallet_providers::WeightInfo as _;
	use pallet_records::WeightInfo as _;
	use pallet_upgrades::WeightInfo as _;
	use pallet_validator_set::WeightInfo as _;

	type Admission = pallet_admission::weights::SubstrateWeight<Runtime>;
	type Audit = pallet_audit::weights::SubstrateWeight<Runtime>;
	type Consent = pallet_consent::weights::SubstrateWeight<Runtime>;
	type Patients = pallet_patients::weights::SubstrateWeight<Runtime>;
	type Providers = pallet_providers::weights::SubstrateWeight<Runtime>;
	type Records = pallet_records::weights::SubstrateWeight<Runtime>;
	type Upgrades = pallet_upgrades::weights::SubstrateWeight<Runtime>;
	type ValidatorSet = pallet_validator_set::weights::SubstrateWeight<Runtime>;

	let max_grants_read: u32 =
		2 * <<Runtime as pallet_consent::Config>::MaxGrantsPerGrantee as Get<u32>>::get();
	let max_anchors = <Runtime as pallet_records::Config>::MaxAnchorsPerCall::get();
	let max_reports = <Runtime as pallet_audit::Config>::MaxReportsPerBatch::get();
	let max_attested_reads = <Runtime as pallet_audit::Config>::MaxAttestedReadsPerCall::get();
	let max_attested_writes = <Runtime as pallet_records::Config>::MaxAttestedWritesPerCall::get();
	let max_served = medchain_primitives::attestation::MAX_RECORDS_PER_READ;
	let max_guardians = <Runtime as pallet_patients::Config>::MaxGuardians::get();
	let max_validators = <Runtime as pallet_validator_set::Config>::MaxValidators::get();
	let one = || "—".to_string();
	let at = |name: &str, n: u32| format!("{name} = {n}");

	let mut out = String::from(
		"# Weights\n\n\
		 What this runtime charges for each of medchain's calls: the weight its benchmark \
		 generated (`scripts/bench.sh`, on this project's machine: the header of each \
		 `weights.rs` says which), with the database's measured read and write \
		 (`runtime/src/weights/paritydb_weights.rs`), in µs of the block's 2 s; and the proof size. \
		 A call with a parameter is shown at one item and at the most the runtime allows. \
		 **Generated** by `runtime/src/tests/weights_doc.rs` from the runtime's weights — do not \
		 edit; `MEDCHAIN_BLESS=1 cargo test -p medchain-runtime --lib weights_doc` rewrites it \
		 after the weights change. How calls are charged, and what the figures mean for \
		 capacity: [performance.md](performance.md).\n",
	);

	let base = <Runtime as frame_system::Config>::BlockWeights::get()
		.get(frame_support::dispatch::DispatchClass::Normal)
		.base_extrinsic;
	table(
		&mut out,
		"Every signed transaction",
		"pallets/admission/src/weights.rs",
		vec![
			Row("base extrinsic", one(), base),
			Row("CheckAdmission (check_admission)", one(), Admission::check_admission()),
			Row("clear_usage_record (on_idle, each)", one(), Admission::clear_usage_record()),
		],
	);
	table(
		&mut out,
		"Providers",
		"pallets/providers/src/weights.rs",
		vec![
			Row("register_organisation", one(), Providers::register_organisation()),
			Row("suspend_organisation", one(), Providers::suspend_organisation()),
			Row("reinstate_organisation", one(), Providers::reinstate_organisation()),
			Row("invite_practitioner", one(), Providers::invite_practitioner()),
			Row("cancel_invitation", one(), Providers::cancel_invitation()),
			Row("accept_invitation", one(), Providers::accept_invitation()),
			Row("decline_invitation", one(), Providers::decline_invitation()),
			Row("remove_practitioner", one(), Providers::remove_practitioner()),
			Row("leave_organisation", one(), Providers::leave_organisation()),
			Row("force_remove_practitioner", one(), Providers::force_remove_practitioner()),
			Row("propose_admin", one(), Providers::propose_admin()),
			Row("accept_admin", one(), Providers::accept_admin()),
			Row("force_set_admin", one(), Providers::force_set_admin()),
		],
	);
	table(
		&mut out,
		"Patients",
		"pallets/patients/src/weights.rs",
		vec![
			Row("enrol_patient", one(), Patients::enrol_patient()),
			Row("rotate_key", one(), Patients::rotate_key()),
			Row("add_guardian(g)", at("g", max_guardians), Patients::add_guardian(max_guardians)),
			Row(
				"remove_guardian(g)",
				at("g", max_guardians),
				Patients::remove_guardian(max_guardians),
			),
			Row("set_emergency_policy", one(), Patients::set_emergency_policy()),
			Row("set_recovery_threshold", one(), Patients::set_recovery_threshold()),
			Row(
				"approve_recovery(g)",
				at("g", max_guardians),
				Patients::approve_recovery(max_guardians),
			),
			Row("cancel_recovery", one(), Patients::cancel_recovery()),
			Row(
				"complete_recovery(g)",
				at("g", max_guardians),
				Patients::complete_recovery(max_guardians),
			),
			Row("recover_with_secret", one(), Patients::recover_with_secret()),
		],
	);
	table(
		&mut out,
		"Consent",
		"pallets/consent/src/weights.rs",
		vec![
			Row("grant (index full)", one(), Consent::grant()),
			Row("grant_with_room", one(), Consent::grant_with_room()),
			Row("revoke", one(), Consent::revoke()),
			Row("add_deny", one(), Consent::add_deny()),
			Row("remove_deny", one(), Consent::remove_deny()),
			Row("break_glass", one(), Consent::break_glass()),
			Row("review_emergency", one(), Consent::review_emergency()),
			Row("check_access (a decision, worst case)", one(), Consent::check_access()),
			Row("check_access_under (one basis)", one(), Consent::check_access_under()),
			Row("cleanup_grant (on_idle, each)", one(), Consent::cleanup_grant()),
			Row(
				"cleanup_emergency_access (on_idle, each)",
				one(),
				Consent::cleanup_emergency_access(),
			),
		],
	);
	table(
		&mut out,
		"Records",
		"pallets/records/src/weights.rs",
		vec![
			Row("anchor(g)", at("g", 1), Records::anchor(1)),
			Row("anchor(g)", at("g", max_grants_read), Records::anchor(max_grants_read)),
			Row("anchor_by_patient", one(), Records::anchor_by_patient()),
			Row("amend(g)", at("g", 1), Records::amend(1)),
			Row("amend(g)", at("g", max_grants_read), Records::amend(max_grants_read)),
			Row("amend_by_patient", one(), Records::amend_by_patient()),
			Row("mark_entered_in_error", one(), Records::mark_entered_in_error()),
			Row("erase", one(), Records::erase()),
			Row("anchor_batch", one(), Records::anchor_batch()),
			Row("anchor_many(n)", at("n", 1), Records::anchor_many(1)),
			Row("anchor_many(n)", at("n", max_anchors), Records::anchor_many(max_anchors)),
			Row("anchor_many_by_patient(n)", at("n", 1), Records::anchor_many_by_patient(1)),
			Row(
				"anchor_many_by_patient(n)",
				at("n", max_anchors),
				Records::anchor_many_by_patient(max_anchors),
			),
			Row("anchor_attested(n)", at("n", 1), Records::anchor_attested(1)),
			Row(
				"anchor_attested(n)",
				at("n", max_attested_writes),
				Records::anchor_attested(max_attested_writes),
			),
			Row("erase_attested(n)", at("n", 1), Records::erase_attested(1)),
			Row(
				"erase_attested(n)",
				at("n", max_attested_writes),
				Records::erase_attested(max_attested_writes),
			),
		],
	);
	table(
		&mut out,
		"Audit",
		"pallets/audit/src/weights.rs",
		vec![
			Row("record (an entry appended by another pallet)", one(), Audit::record()),
			Row("report_access", one(), Audit::report_access()),
			Row("report_access_batch(n)", at("n", 1), Audit::report_access_batch(1)),
			Row(
				"report_access_batch(n)",
				at("n", max_reports),
				Audit::report_access_batch(max_reports),
			),
			Row("report_attested(r, s)", "r = 1, s = 1".into(), Audit::report_attested(1, 1)),
			Row(
				"report_attested(r, s)",
				format!("r = {max_attested_reads}, s = 1"),
				Audit::report_attested(max_attested_reads, 1),
			),
			Row(
				"report_attested(r, s)",
				format!("r = 1, s = {max_served}"),
				Audit::report_attested(1, max_served),
			),
			Row("prune_attestations(n) (on_idle)", at("n", 512), Audit::prune_attestations(512)),
			Row("rewrite_trail (migration, each)", one(), Audit::rewrite_trail()),
		],
	);
	table(
		&mut out,
		"Validator set and upgrades",
		"pallets/validator-set/src/weights.rs",
		vec![
			Row("add_validator", one(), ValidatorSet::add_validator()),
			Row("remove_validator", one(), ValidatorSet::remove_validator()),
			Row("rotate_session(v)", at("v", 4), ValidatorSet::rotate_session(4)),
			Row(
				"rotate_session(v)",
				at("v", max_validators),
				ValidatorSet::rotate_session(max_validators),
			),
			Row("upgrades.authorize_upgrade", one(), Upgrades::authorize_upgrade()),
			Row("upgrades.cancel_authorized_upgrade", one(), Upgrades::cancel_authorized_upgrade()),
		],
	);
	out
}

#[test]
fn the_weights_page_is_what_the_runtime_charges() {
	let rendered = render();
	let page = std::fs::read_to_string(PAGE).unwrap_or_default();
	if rendered != page {
		if std::env::var("MEDCHAIN_BLESS").is_ok() {
			std::fs::write(PAGE, rendered).expect("writes docs/weights.md");
		} else {
			panic!(
				"docs/weights.md is not what the runtime's weights say: run MEDCHAIN_BLESS=1 \
				 cargo test -p medchain-runtime --lib weights_doc, and commit the page with the \
				 weights"
			);
		}
	}
}
