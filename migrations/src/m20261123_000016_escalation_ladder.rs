//! Each organisation's escalation ladder and webhook signing secret; the obligation's chosen
//! target and the instant up to which an earlier ladder decided its steps; the processor's
//! duty to notify the controller (art. 33(2)) in the recorded conclusions.
//!
//! The ladder is stored as text (`50:assignee,75:iod_and_head,90:all`, read and checked by
//! `rejestr_scheduler::Ladder::decode`) beside the number of daily overdue reminders and the
//! hours after which an unassessed report reminds the IOD; the defaults are design.md §5.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(table, name, column)` added here, in order (SQLite adds one column per statement).
fn columns() -> Vec<(&'static str, &'static str, ColumnDef)> {
    vec![
        (
            "organisations",
            "escalation_rungs",
            string("escalation_rungs")
                .default("50:assignee,75:iod_and_head,90:all")
                .to_owned(),
        ),
        (
            "organisations",
            "escalation_overdue_days",
            integer("escalation_overdue_days").default(30).to_owned(),
        ),
        (
            "organisations",
            "assess_reminder_hours",
            integer("assess_reminder_hours").default(4).to_owned(),
        ),
        (
            "organisations",
            "webhook_secret",
            string_null("webhook_secret"),
        ),
        ("obligations", "target_hours", integer_null("target_hours")),
        (
            "obligations",
            "decided_until",
            timestamp_with_time_zone_null("decided_until"),
        ),
        (
            "assessments",
            "engine_notify_controller",
            boolean("engine_notify_controller")
                .default(false)
                .to_owned(),
        ),
        (
            "assessments",
            "final_notify_controller",
            boolean("final_notify_controller").default(false).to_owned(),
        ),
        (
            "assessments",
            "controller_deadline_hours",
            integer_null("controller_deadline_hours"),
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, _, mut column) in columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // Changing a ladder recomputes the organisation's open obligations; the digest lists
        // a user's open obligations per organisation by deadline.
        manager
            .create_index(
                Index::create()
                    .name("obligations_org_state_deadline_idx")
                    .table("obligations")
                    .col("organisation_id")
                    .col("state")
                    .col("deadline")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("obligations_org_state_deadline_idx")
                    .table("obligations")
                    .to_owned(),
            )
            .await?;
        for (table, name, _) in columns().into_iter().rev() {
            manager
                .alter_table(Table::alter().table(table).drop_column(name).to_owned())
                .await?;
        }
        Ok(())
    }
}
