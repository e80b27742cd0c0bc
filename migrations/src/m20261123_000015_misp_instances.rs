//! The MISP instance an organisation pushes its shared cases to (URL and API key), set by the
//! IOD or the administrator in the organisation's settings.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("misp_instances")
                    .col(big_integer("organisation_id").primary_key())
                    .col(string_len("url", 500))
                    .col(string_len("api_key", 200))
                    .col(boolean("verify_tls").default(true))
                    .col(string("updated_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("misp_instances", "organisation_id")
                            .to("organisations", "id"),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("misp_instances").to_owned())
            .await
    }
}
