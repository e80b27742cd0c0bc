//! Obligations with deadlines, and the outbox of escalation steps. The outbox's unique key
//! `(obligation_id, step)` is what makes every step fire exactly once, across restarts and
//! replicas.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("obligations")
                    .col(big_pk_auto("id"))
                    .col(big_integer("case_id"))
                    .col(big_integer("organisation_id"))
                    .col(string("kind"))
                    .col(string("state"))
                    .col(timestamp_with_time_zone("start_at"))
                    .col(timestamp_with_time_zone("deadline"))
                    .col(timestamp_with_time_zone_null("next_step_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .col(string_null("channel"))
                    .col(string_null("reference"))
                    .col(text_null("delay_reasons"))
                    .col(text_null("not_required_reason"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("obligations", "case_id")
                            .to("cases", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("obligations_case_kind_key")
                    .table("obligations")
                    .col("case_id")
                    .col("kind")
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The tick reads only what is due: cost follows due steps, not cases.
        manager
            .create_index(
                Index::create()
                    .name("obligations_next_step_idx")
                    .table("obligations")
                    .col("next_step_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("outbox")
                    .col(big_pk_auto("id"))
                    .col(big_integer("obligation_id"))
                    .col(big_integer("organisation_id"))
                    .col(big_integer("case_id"))
                    .col(string("step"))
                    .col(string("audience"))
                    .col(timestamp_with_time_zone("due_at"))
                    .col(boolean("late"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("outbox", "obligation_id")
                            .to("obligations", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("outbox_step_key")
                    .table("outbox")
                    .col("obligation_id")
                    .col("step")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("outbox_org_idx")
                    .table("outbox")
                    .col("organisation_id")
                    .col("id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("outbox").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("obligations").to_owned())
            .await
    }
}
