//! Technical indicators of a case (IP addresses, domains, URLs, hashes, phishing senders) that
//! the IT security officer adds for sharing with a CSIRT or ISAC-JST.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("case_indicators")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organisation_id"))
                    .col(big_integer("case_id"))
                    .col(string("kind"))
                    .col(string_len("value", 2048))
                    .col(text_null("comment"))
                    .col(string("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("case_indicators", "case_id")
                            .to("cases", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("case_indicators_value_key")
                    .table("case_indicators")
                    .col("case_id")
                    .col("kind")
                    .col("value")
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("case_indicators").to_owned())
            .await
    }
}
