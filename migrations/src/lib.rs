//! Schema migrations of Rejestr72.
//!
//! One set of migrations serves SQLite and PostgreSQL: they are written with the SeaQuery
//! schema DSL, and raw SQL appears only inside a `match` on the backend. The rules for writing
//! a new one are in `migrations/README.md` (expand, then contract; never edit a landed file).

pub use sea_orm_migration::MigratorTrait;
use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261123_000002_sessions;
mod m20261123_000003_case_notes;
mod m20261123_000004_api_tokens;
mod m20261123_000005_inbox_index;
mod m20261123_000006_reporter_user;
mod m20261123_000007_assessments;
mod m20261123_000008_second_factor;
mod m20261123_000009_obligations;
mod m20261123_000010_outbox_delivery;
mod m20261123_000011_webhooks;
mod m20261123_000012_documents;
mod m20261123_000013_letter_recipients;
mod m20261123_000014_case_indicators;
mod m20261123_000015_misp_instances;
mod m20261123_000016_escalation_ladder;
mod m20261123_000017_notices;
mod m20261123_000018_digests;

/// The ordered list of every migration the service knows.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261123_000002_sessions::Migration),
            Box::new(m20261123_000003_case_notes::Migration),
            Box::new(m20261123_000004_api_tokens::Migration),
            Box::new(m20261123_000005_inbox_index::Migration),
            Box::new(m20261123_000006_reporter_user::Migration),
            Box::new(m20261123_000007_assessments::Migration),
            Box::new(m20261123_000008_second_factor::Migration),
            Box::new(m20261123_000009_obligations::Migration),
            Box::new(m20261123_000010_outbox_delivery::Migration),
            Box::new(m20261123_000011_webhooks::Migration),
            Box::new(m20261123_000012_documents::Migration),
            Box::new(m20261123_000013_letter_recipients::Migration),
            Box::new(m20261123_000014_case_indicators::Migration),
            Box::new(m20261123_000015_misp_instances::Migration),
            Box::new(m20261123_000016_escalation_ladder::Migration),
            Box::new(m20261123_000017_notices::Migration),
            Box::new(m20261123_000018_digests::Migration),
        ]
    }
}
