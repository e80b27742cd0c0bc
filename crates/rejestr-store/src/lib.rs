//! Storage for Rejestr72 on sea-orm: SQLite embedded by default, PostgreSQL in production.
//!
//! The store speaks domain types to its callers; sea-orm entities stay private. Every write
//! that changes a case appends to the organisation's audit chain *in the same transaction*,
//! so the register and its trail can never disagree. Transactions that read, decide and
//! write start with `BEGIN IMMEDIATE` on SQLite (row locks do not exist there) and lock the
//! rows they depend on with `FOR UPDATE` on PostgreSQL.

mod assessments;
mod audit;
mod canonical;
mod casework;
mod db;
mod delivery;
mod digests;
mod documents;
mod entity;
mod error;
mod identity;
mod intake;
mod letters;
mod misp;
mod notices;
mod obligations;
mod operations;
mod org;
mod register;
mod report;
mod settings;
mod sharing;
mod tokens;

pub use assessments::{Conclusion, NewAssessment, RecordedAssessment};
pub use audit::{ChainReport, ChainStatus};
pub use casework::{NOTE_MAX_CHARS, Note};
pub use db::{DatabaseKind, Store};
pub use delivery::{CLAIM_FOR, Delivery, MAX_ATTEMPTS};
pub use digests::{DIGEST_MAX_ITEMS, DigestDecision, DigestItem, DigestMail};
pub use documents::{Dispatch, DocumentRecord, NewDraft, SentDocument};
pub use error::StoreError;
pub use identity::{
    LOCK_FOR, MAX_FAILED_SIGN_INS, Membership, NewUser, OrgScope, SESSION_TTL, Session,
    SignInRecord, User,
};
pub use letters::{
    LetterMail, LetterRecipient, MAX_RECIPIENTS, MailState, NewRecipient, RenderedMail,
};
pub use misp::{MispChange, MispInstance};
pub use notices::{NOTICES_PER_PAGE, NoticeView};
pub use obligations::{FiredStep, Fulfilment, ObligationView};
pub use operations::OperationalFigures;
pub use org::{NewOrganisation, Organisation};
pub use register::{
    AttachmentInfo, CaseDetail, CaseFilter, CasePage, CaseRow, PAGE_SIZE, TimelineEntry,
};
pub use report::{CaseStatus, MyReport, NewAttachment, Receipt};
pub use settings::{Member, OrganisationSettings, WEBHOOK_SECRET_PREFIX, secret_fingerprint};
pub use sharing::{
    DecisionRecord, EXPORT_LIMIT, IndicatorRecord, ObligationRecord, Pushed, RegisterRecord,
    ShareRecord,
};
pub use tokens::{ApiToken, TOKEN_PREFIX};
