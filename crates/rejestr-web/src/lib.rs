//! rejestr-web
