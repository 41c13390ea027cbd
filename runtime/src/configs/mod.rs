//! One `Config` implementation per file.

mod balances;
mod consensus;
mod consent;
mod patients;
mod providers;
mod sudo;
mod system;

pub use system::{RuntimeBlockLength, RuntimeBlockWeights};
