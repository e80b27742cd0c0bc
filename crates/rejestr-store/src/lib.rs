//! rejestr-store
