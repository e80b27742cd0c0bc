//! Pure domain types and rules of Rejestr72.
//!
//! This crate knows nothing about HTTP, SQL, serialisation formats or the wall clock: every
//! instant is a parameter. Types validate once when they are built (`parse, don't validate`)
//! and are trusted afterwards.

pub mod case;
pub mod org;
pub mod role;
