//! Prometheus metrics (`GET /metrics`): requests by route and status, consent decisions by
//! outcome, integrity alerts, the outbox's depth and age, chain round trips. Labels are routes,
//! statuses and kinds only: no patient, account, resource id or content.

use prometheus::{
	Encoder, Gauge, Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
	TextEncoder,
};

/// The gateway's metrics.
pub struct Metrics {
	registry: Registry,
	pub requests: IntCounterVec,
	pub decisions: IntCounterVec,
	pub integrity_failures: IntCounter,
	pub outbox_delivered: IntCounterVec,
	pub outbox_refused: IntCounterVec,
	pub outbox_depth: IntGauge,
	pub outbox_oldest_seconds: Gauge,
	pub chain_round_trip: Histogram,
	pub decision_round_trip: Histogram,
	pub decision_answers: IntCounterVec,
	pub relayed: IntCounterVec,
}

impl Metrics {
	pub fn new() -> Result<Self, prometheus::Error> {
		let registry = Registry::new_custom(Some("medchain_gateway".into()), None)?;
		let requests = IntCounterVec::new(
			Opts::new("requests_total", "FHIR API requests by route and HTTP status"),
			&["route", "status"],
		)?;
		let decisions = IntCounterVec::new(
			Opts::new(
				"decisions_total",
				"the chain's consent decisions on reads and writes, by outcome",
			),
			&["outcome"],
		)?;
		let integrity_failures = IntCounter::new(
			"integrity_failures_total",
			"stored versions that did not open or did not match their anchor (never served)",
		)?;
		let outbox_delivered = IntCounterVec::new(
			Opts::new("outbox_delivered_total", "outbox items a block included, by kind"),
			&["kind"],
		)?;
		let outbox_refused = IntCounterVec::new(
			Opts::new("outbox_refused_total", "outbox items the chain refused for good, by kind"),
			&["kind"],
		)?;
		let outbox_depth = IntGauge::new("outbox_depth", "items waiting in the outbox")?;
		let outbox_oldest_seconds =
			Gauge::new("outbox_oldest_seconds", "age of the oldest item in the outbox")?;
		let buckets = vec![
			0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
		];
		let chain_round_trip = Histogram::with_opts(
			HistogramOpts::new(
				"chain_round_trip_seconds",
				"relayed transactions, from sending to inclusion",
			)
			.buckets(buckets.clone()),
		)?;
		let decision_round_trip = Histogram::with_opts(
			HistogramOpts::new(
				"decision_round_trip_seconds",
				"consent decisions and anchor checks, one batched call",
			)
			.buckets(buckets),
		)?;
		let decision_answers = IntCounterVec::new(
			Opts::new(
				"decision_answers_total",
				"answers to reads' questions (decisions and anchor checks), by where they came from: the chain, or the best block's answers already given (block-memory)",
			),
			&["source"],
		)?;
		let relayed = IntCounterVec::new(
			Opts::new(
				"relayed_transactions_total",
				"transactions relayed (anchors, reports, erasures), by the relayer key's place in relayer_key_file (0 = the first line)",
			),
			&["relayer"],
		)?;
		registry.register(Box::new(relayed.clone()))?;
		registry.register(Box::new(decision_answers.clone()))?;
		registry.register(Box::new(requests.clone()))?;
		registry.register(Box::new(decisions.clone()))?;
		registry.register(Box::new(integrity_failures.clone()))?;
		registry.register(Box::new(outbox_delivered.clone()))?;
		registry.register(Box::new(outbox_refused.clone()))?;
		registry.register(Box::new(outbox_depth.clone()))?;
		registry.register(Box::new(outbox_oldest_seconds.clone()))?;
		registry.register(Box::new(chain_round_trip.clone()))?;
		registry.register(Box::new(decision_round_trip.clone()))?;
		Ok(Self {
			registry,
			requests,
			decisions,
			integrity_failures,
			outbox_delivered,
			outbox_refused,
			outbox_depth,
			outbox_oldest_seconds,
			chain_round_trip,
			decision_round_trip,
			decision_answers,
			relayed,
		})
	}

	/// The metrics in Prometheus's text format.
	pub fn render(&self) -> String {
		let mut out = Vec::new();
		let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
		String::from_utf8(out).unwrap_or_default()
	}
}
