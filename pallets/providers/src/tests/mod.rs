//! Tests of pallet-providers, one file per call or concern. Every test runs in the small world
//! of [`crate::mock`] and checks the pallet's invariants at its end.

mod admin;
mod authorisation;
mod organisations;
mod practitioners;
mod registry;
