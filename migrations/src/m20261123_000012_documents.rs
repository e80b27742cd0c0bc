//! Drafted documents of a case (PUODO notification, letters, public notice, CSIRT reports):
//! every saved draft is a version; a sent version keeps the exact text that was sent and its
//! SHA-256, which the audit trail records too.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("documents")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organisation_id"))
                    .col(big_integer("case_id"))
                    .col(string("kind"))
                    .col(string("phase"))
                    .col(string("locale"))
                    .col(integer("version"))
                    .col(text("fields"))
                    .col(string("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(string("state"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(string_null("channel"))
                    .col(string_null("reference"))
                    .col(text_null("rendered_text"))
                    .col(string_null("sha256"))
                    .col(big_integer_null("previous_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("documents", "case_id")
                            .to("cases", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("documents_version_key")
                    .table("documents")
                    .col("case_id")
                    .col("kind")
                    .col("phase")
                    .col("version")
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("documents").to_owned())
            .await
    }
}
