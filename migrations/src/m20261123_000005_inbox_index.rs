//! The inbox's order as an index: new reports first, then by awareness (the 72-hour clock),
//! so that a page of the register is read in index order instead of sorting every open case.
//! The expression must stay identical to the ORDER BY in `rejestr-store/src/register.rs`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const INBOX_RANK: &str = "(CASE WHEN state = 'reported' THEN 0 ELSE 1 END)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Expression indexes exist on both SQLite and PostgreSQL with this syntax; SeaQuery's
        // index builder takes columns only.
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "CREATE INDEX cases_inbox_idx ON cases (organisation_id, {INBOX_RANK}, aware_at, id)"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("cases_inbox_idx")
                    .table("cases")
                    .to_owned(),
            )
            .await
    }
}
