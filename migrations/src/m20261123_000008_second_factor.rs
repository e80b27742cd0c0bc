//! The optional TOTP second factor, enforceable per organisation for the IOD and admin roles.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for (table, column) in [
            ("users", string_null("totp_secret")),
            ("users", big_integer_null("totp_last_step")),
            (
                "organisations",
                boolean("require_second_factor").default(false).to_owned(),
            ),
            (
                "sessions",
                boolean("second_factor_pending").default(false).to_owned(),
            ),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in [
            ("sessions", "second_factor_pending"),
            ("organisations", "require_second_factor"),
            ("users", "totp_last_step"),
            ("users", "totp_secret"),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
