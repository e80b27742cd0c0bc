//! Assessments: the engine's proposal (facts in, assessment out, rule set) kept beside the
//! IOD's decision and, where they differ, the written justification (accountability).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("assessments")
                    .col(big_pk_auto("id"))
                    .col(big_integer("case_id"))
                    .col(big_integer("organisation_id"))
                    .col(string("rule_set"))
                    .col(text("facts"))
                    .col(text("assessment"))
                    .col(string("engine_classification"))
                    .col(string("engine_risk"))
                    .col(boolean("engine_notify_sa"))
                    .col(boolean("engine_notify_subjects"))
                    .col(string("final_classification"))
                    .col(string("final_risk"))
                    .col(boolean("final_notify_sa"))
                    .col(boolean("final_notify_subjects"))
                    .col(text_null("justification"))
                    .col(string("decided_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("assessments", "case_id")
                            .to("cases", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("assessments_case_idx")
                    .table("assessments")
                    .col("case_id")
                    .col("id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("assessments").to_owned())
            .await
    }
}
