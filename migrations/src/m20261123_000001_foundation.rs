//! The foundation: organisations, users, memberships, cases with their gap-free numbering,
//! the per-organisation audit chain, and attachments kept outside the case row.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("organisations")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("slug"))
                    .col(string("name"))
                    .col(string("unit_type"))
                    .col(string_null("regon"))
                    .col(text("address"))
                    .col(string("iod_name"))
                    .col(string("iod_email"))
                    .col(string_null("iod_phone"))
                    .col(string("ksc_status"))
                    .col(string_null("csirt"))
                    .col(boolean("allow_anonymous"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(big_pk_auto("id"))
                    .col(string_uniq("email"))
                    .col(string("display_name"))
                    .col(string_null("password_hash"))
                    .col(boolean("active"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("memberships")
                    .col(big_integer("user_id"))
                    .col(big_integer("organisation_id"))
                    .col(string("role"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(
                        Index::create()
                            .col("user_id")
                            .col("organisation_id")
                            .col("role"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("memberships", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("memberships", "organisation_id")
                            .to("organisations", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        // One row per organisation and year; incremented inside the transaction that
        // inserts the case, so numbers are gap-free (a rollback also rolls the counter back).
        manager
            .create_table(
                Table::create()
                    .table("case_counters")
                    .col(big_integer("organisation_id"))
                    .col(integer("year"))
                    .col(integer("last_seq"))
                    .primary_key(Index::create().col("organisation_id").col("year"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("case_counters", "organisation_id")
                            .to("organisations", "id"),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("cases")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organisation_id"))
                    .col(integer("year"))
                    .col(integer("seq"))
                    .col(string("state"))
                    .col(string("classification"))
                    .col(string("source"))
                    .col(text("description"))
                    .col(string("occurred_kind"))
                    .col(timestamp_with_time_zone_null("occurred_from"))
                    .col(timestamp_with_time_zone_null("occurred_to"))
                    .col(timestamp_with_time_zone("discovered_at"))
                    .col(timestamp_with_time_zone("reported_at"))
                    .col(timestamp_with_time_zone("aware_at"))
                    .col(string_null("location"))
                    .col(text("data_categories"))
                    .col(integer_null("subjects_estimate"))
                    .col(string_null("reporter_name"))
                    .col(string_null("reporter_email"))
                    .col(string_null("reporter_phone"))
                    .col(string_null("reporter_unit"))
                    .col(string_null("processor_name"))
                    .col(string_null("processor_contract"))
                    .col(timestamp_with_time_zone_null("processor_aware_at"))
                    .col(string_uniq("follow_token_hash"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("cases", "organisation_id")
                            .to("organisations", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("cases_number_key")
                    .table("cases")
                    .col("organisation_id")
                    .col("year")
                    .col("seq")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("cases_org_state_idx")
                    .table("cases")
                    .col("organisation_id")
                    .col("state")
                    .col("reported_at")
                    .to_owned(),
            )
            .await?;

        // The tamper-evident audit trail: one hash chain per organisation. The two unique
        // indexes make a fork impossible even if a writer forgot to serialise its append.
        manager
            .create_table(
                Table::create()
                    .table("audit_events")
                    .col(big_pk_auto("id"))
                    .col(big_integer("organisation_id"))
                    .col(big_integer("seq"))
                    .col(big_integer_null("case_id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(string("actor"))
                    .col(string("action"))
                    .col(text("data"))
                    .col(binary_len("prev_hash", 32))
                    .col(binary_len("hash", 32))
                    .foreign_key(
                        ForeignKey::create()
                            .from("audit_events", "organisation_id")
                            .to("organisations", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_events_seq_key")
                    .table("audit_events")
                    .col("organisation_id")
                    .col("seq")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_events_prev_hash_key")
                    .table("audit_events")
                    .col("organisation_id")
                    .col("prev_hash")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_events_case_idx")
                    .table("audit_events")
                    .col("case_id")
                    .col("seq")
                    .to_owned(),
            )
            .await?;

        // The head of each chain; locked (PostgreSQL) or written under BEGIN IMMEDIATE (SQLite)
        // by every append, which serialises appends per organisation.
        manager
            .create_table(
                Table::create()
                    .table("audit_heads")
                    .col(big_integer("organisation_id").primary_key())
                    .col(big_integer("seq"))
                    .col(binary_len("hash", 32))
                    .foreign_key(
                        ForeignKey::create()
                            .from("audit_heads", "organisation_id")
                            .to("organisations", "id"),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("attachments")
                    .col(big_pk_auto("id"))
                    .col(big_integer("case_id"))
                    .col(big_integer("organisation_id"))
                    .col(string("filename"))
                    .col(string("content_type"))
                    .col(big_integer("size"))
                    .col(string("sha256"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("attachments", "case_id")
                            .to("cases", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("attachments_case_idx")
                    .table("attachments")
                    .col("case_id")
                    .to_owned(),
            )
            .await?;
        // Content lives in its own table so listing attachments never reads the bytes.
        manager
            .create_table(
                Table::create()
                    .table("attachment_contents")
                    .col(big_integer("attachment_id").primary_key())
                    .col(blob("content"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("attachment_contents", "attachment_id")
                            .to("attachments", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "attachment_contents",
            "attachments",
            "audit_heads",
            "audit_events",
            "cases",
            "case_counters",
            "memberships",
            "users",
            "organisations",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
