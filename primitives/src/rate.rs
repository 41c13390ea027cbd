//! Per-period caps (enrolments per organisation, key changes per patient, break-glass per
//! practitioner): how many times something happened in the current period of chain time.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::Moment;

/// How many times something happened in the current period of chain time: the state of a
/// per-period cap (enrolments per organisation, key changes per patient, break-glass per
/// practitioner).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct RateCounter {
	/// When the current period began (ms).
	pub start: Moment,
	/// How many times it happened since.
	pub count: u32,
}

impl RateCounter {
	/// Counts one more at `now` if fewer than `max` happened in the `period` (ms) that holds
	/// `now`; a new period starts when the last one is over. Whether it was counted.
	pub fn try_count(&mut self, now: Moment, period: Moment, max: u32) -> bool {
		if now >= self.start.saturating_add(period) || now < self.start {
			*self = RateCounter { start: now, count: 0 };
		}
		if self.count >= max {
			return false;
		}
		self.count = self.count.saturating_add(1);
		true
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_rate_counter_caps_each_period_and_starts_over() {
		let mut counter = RateCounter::default();
		assert!(counter.try_count(1_000, 100, 2));
		assert!(counter.try_count(1_050, 100, 2));
		assert!(!counter.try_count(1_099, 100, 2));
		assert_eq!(counter, RateCounter { start: 1_000, count: 2 });
		assert!(counter.try_count(1_100, 100, 2));
		assert_eq!(counter, RateCounter { start: 1_100, count: 1 });
		assert!(!RateCounter::default().try_count(5, 100, 0));
	}
}
