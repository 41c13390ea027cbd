//! One `Config` implementation per file.

mod balances;
mod consensus;
mod sudo;
mod system;

pub use system::{RuntimeBlockLength, RuntimeBlockWeights};
