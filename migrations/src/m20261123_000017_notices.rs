//! In-app notices: when the dispatcher delivers an escalation step, each recipient with an
//! account gets a notice. `UNIQUE (user_id, outbox_id)`: a repeated delivery (at least once)
//! never shows a notice twice.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("notices")
                    .col(big_pk_auto("id"))
                    .col(big_integer("user_id"))
                    .col(big_integer("outbox_id"))
                    .col(big_integer("organisation_id"))
                    .col(big_integer("case_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("read_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("notices", "user_id")
                            .to("users", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("notices", "outbox_id")
                            .to("outbox", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("notices_user_outbox_key")
                    .table("notices")
                    .col("user_id")
                    .col("outbox_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The navigation counts a user's unread notices on every page.
        manager
            .create_index(
                Index::create()
                    .name("notices_user_unread_idx")
                    .table("notices")
                    .col("user_id")
                    .col("read_at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("notices").to_owned())
            .await
    }
}
