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

pub use system::{
	CallShapes, RuntimeBlockLength, RuntimeBlockWeights, MAX_CONNECTIONS_PER_CALL,
	MAX_CONNECTIONS_PER_NODE, MAX_REMARK_LEN,
};
pub use validators::{SessionPeriod, ValidatorOf};
