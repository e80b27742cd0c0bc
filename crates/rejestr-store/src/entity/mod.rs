//! Entities mirroring the tables of `migrations/` (the migrations are the source of truth).
//! Private to the store: callers get domain types, never sea-orm models.

pub(crate) mod api_token;
pub(crate) mod assessment;
pub(crate) mod attachment;
pub(crate) mod attachment_content;
pub(crate) mod audit_event;
pub(crate) mod case;
pub(crate) mod case_indicator;
pub(crate) mod case_note;
pub(crate) mod digest;
pub(crate) mod digest_day;
pub(crate) mod document;
pub(crate) mod letter_recipient;
pub(crate) mod membership;
pub(crate) mod misp_instance;
pub(crate) mod notice;
pub(crate) mod obligation;
pub(crate) mod organisation;
pub(crate) mod outbox;
pub(crate) mod session;
pub(crate) mod user;
