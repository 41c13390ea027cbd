//! One `Config` implementation per file.

mod admission;
mod audit;
mod balances;
mod consensus;
mod consent;
pub mod governance;
mod patients;
mod providers;
mod records;
mod sudo;
mod system;

pub use system::{RuntimeBlockLength, RuntimeBlockWeights};
