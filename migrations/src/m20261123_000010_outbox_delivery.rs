//! Delivery state of outbox rows: claimed by a dispatcher for a while, delivered once, or
//! retried with back-off after a failure.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            timestamp_with_time_zone_null("delivered_at"),
            timestamp_with_time_zone_null("claimed_until"),
            integer("attempts").default(0).to_owned(),
            text_null("last_error"),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table("outbox")
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("outbox_undelivered_idx")
                    .table("outbox")
                    .col("delivered_at")
                    .col("claimed_until")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("outbox_undelivered_idx")
                    .table("outbox")
                    .to_owned(),
            )
            .await?;
        for column in ["last_error", "attempts", "claimed_until", "delivered_at"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("outbox")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
