//! One `Config` implementation per file.

mod admission;
mod audit;
mod balances;
pub mod consensus;
mod consent;
pub mod governance;
mod node_authorization;
mod patients;
mod providers;
mod records;
mod sudo;
mod system;
pub mod validators;

pub use system::{RuntimeBlockLength, RuntimeBlockWeights, MAX_REMARK_LEN};
pub use validators::SessionPeriod;
