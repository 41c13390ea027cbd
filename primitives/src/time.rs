//! Spans of chain time, in the unit of [`Moment`](crate::Moment) (milliseconds of
//! pallet-timestamp): one definition for the runtime's configuration, the pallets' mocks and
//! the tests.

use crate::Moment;

/// One second (ms).
pub const SECOND: Moment = 1_000;
/// One minute (ms).
pub const MINUTE: Moment = 60 * SECOND;
/// One hour (ms).
pub const HOUR: Moment = 60 * MINUTE;
/// One day (ms).
pub const DAY: Moment = 24 * HOUR;
