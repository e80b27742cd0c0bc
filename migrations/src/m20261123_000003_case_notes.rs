//! Notes on a case: the IOD's working record (who said what, which decision and why).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("case_notes")
                    .col(big_pk_auto("id"))
                    .col(big_integer("case_id"))
                    .col(big_integer("organisation_id"))
                    .col(string("author"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(text("body"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("case_notes", "case_id")
                            .to("cases", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("case_notes_case_idx")
                    .table("case_notes")
                    .col("case_id")
                    .col("id")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("case_notes").to_owned())
            .await
    }
}
