//! The daily digest e-mail. A tick decides it: one row per (user, Warsaw calendar day),
//! `UNIQUE (user_id, day)`, written in the deciding transaction, so several replicas and
//! restarts still send one digest a day. The row is its own outbox entry (claimed, delivered
//! once, or failed with the error). `digest_days` records that a day's digests were decided, so
//! later ticks of that day cost one lookup.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("digests")
                    .col(big_pk_auto("id"))
                    .col(big_integer("user_id"))
                    // YYYY-MM-DD in Europe/Warsaw.
                    .col(string_len("day", 10))
                    // The open obligations when it was decided (JSON), rendered when sent.
                    .col(text("items"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("delivered_at"))
                    .col(timestamp_with_time_zone_null("claimed_until"))
                    .col(integer("attempts").default(0))
                    .col(text_null("last_error"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("digests", "user_id")
                            .to("users", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("digests_user_day_key")
                    .table("digests")
                    .col("user_id")
                    .col("day")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("digests_undelivered_idx")
                    .table("digests")
                    .col("delivered_at")
                    .col("claimed_until")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("digest_days")
                    .col(string_len("day", 10).primary_key())
                    .col(timestamp_with_time_zone("decided_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("digest_days").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("digests").to_owned())
            .await
    }
}
