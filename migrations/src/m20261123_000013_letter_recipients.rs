//! Mail merge of the letter to data subjects (art. 34): the recipients of one letter version,
//! each a row that is printed as its own letter and, when it has an e-mail address, sent once.
//! The row is its own outbox entry: queued, claimed by a dispatcher for a while, delivered
//! once, or failed with the error shown to the IOD.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("letter_recipients")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organisation_id"))
                    .col(big_integer("case_id"))
                    .col(big_integer("document_id"))
                    .col(integer("position"))
                    .col(string("name"))
                    .col(text_null("address"))
                    .col(string_null("email"))
                    .col(string("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(string_null("subject"))
                    .col(text_null("body"))
                    .col(string_null("sha256"))
                    .col(timestamp_with_time_zone_null("queued_at"))
                    .col(timestamp_with_time_zone_null("delivered_at"))
                    .col(timestamp_with_time_zone_null("claimed_until"))
                    .col(integer("attempts").default(0))
                    .col(text_null("last_error"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("letter_recipients", "document_id")
                            .to("documents", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("letter_recipients_position_key")
                    .table("letter_recipients")
                    .col("document_id")
                    .col("position")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("letter_recipients_queue_idx")
                    .table("letter_recipients")
                    .col("queued_at")
                    .col("delivered_at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("letter_recipients").to_owned())
            .await
    }
}
