//! Tests of pallet-patients, one file per call or concern. Every test runs in the small world
//! of [`crate::mock`] and checks the pallet's invariants at its end.

mod authorisation;
mod emergency_policy;
mod enrol;
mod guardians;
mod recovery;
mod registry;
mod rotate_key;
