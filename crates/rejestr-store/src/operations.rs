//! What operators watch: the state of the schema (for the readiness probe) and the figures
//! behind the domain gauges (open and overdue obligations, waiting and abandoned deliveries).
//! Everything here only reads, and every figure is counted by the database.

use chrono::{DateTime, Utc};
use rejestr_scheduler::ObligationKind;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Statement,
};
use sea_orm_migration::{MigratorTrait, SchemaManager};

use crate::audit::truncate_to_micros;
use crate::delivery::MAX_ATTEMPTS;
use crate::entity::{letter_recipient, obligation, outbox};
use crate::{Store, StoreError};

/// The name of sea-orm-migration's table of applied migrations.
const MIGRATIONS_TABLE: &str = "seaql_migrations";

/// The counts behind the domain gauges, taken at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationalFigures {
    /// Open (pending or drafted) obligations per kind; every kind is listed, zero included,
    /// so a gauge falls back to zero when the last one closes.
    pub open: Vec<(ObligationKind, u64)>,
    /// Open obligations whose deadline has passed, per kind (every kind listed).
    pub overdue: Vec<(ObligationKind, u64)>,
    /// Escalation notices waiting for delivery (including those retrying after a failure).
    pub outbox_pending: u64,
    /// Escalation notices given up after [`MAX_ATTEMPTS`] failures.
    pub outbox_failed: u64,
    /// Queued e-mails of letters to data subjects waiting for delivery.
    pub letters_pending: u64,
    /// Letter e-mails given up after [`MAX_ATTEMPTS`] failures.
    pub letters_failed: u64,
}

impl Store {
    /// The migrations this version knows that the database has not applied, by name. Empty
    /// when the schema is current. Migrations applied by a newer version (expand, then
    /// contract) are not a problem for this one and are not reported. Creates nothing, so it
    /// can run on every readiness probe.
    pub async fn pending_migrations(&self) -> Result<Vec<String>, StoreError> {
        let manager = SchemaManager::new(&self.db);
        let applied: Vec<String> = if manager.has_table(MIGRATIONS_TABLE).await? {
            let backend = self.db.get_database_backend();
            self.db
                .query_all_raw(Statement::from_string(
                    backend,
                    format!("SELECT version FROM {MIGRATIONS_TABLE}"),
                ))
                .await?
                .into_iter()
                .filter_map(|row| row.try_get::<String>("", "version").ok())
                .collect()
        } else {
            Vec::new()
        };
        Ok(rejestr_migrations::Migrator::migrations()
            .iter()
            .map(|m| m.name().to_owned())
            .filter(|name| !applied.contains(name))
            .collect())
    }

    /// The figures behind the domain gauges at `now`.
    pub async fn operational_figures(
        &self,
        now: DateTime<Utc>,
    ) -> Result<OperationalFigures, StoreError> {
        let now = truncate_to_micros(now);
        let open = self.open_obligations_by_kind(None).await?;
        let overdue = self.open_obligations_by_kind(Some(now)).await?;
        let outbox_waiting = outbox::Entity::find().filter(outbox::Column::DeliveredAt.is_null());
        let outbox_pending = outbox_waiting
            .clone()
            .filter(outbox::Column::Attempts.lt(MAX_ATTEMPTS))
            .count(&self.db)
            .await?;
        let outbox_failed = outbox_waiting
            .filter(outbox::Column::Attempts.gte(MAX_ATTEMPTS))
            .count(&self.db)
            .await?;
        let letters_waiting = letter_recipient::Entity::find()
            .filter(letter_recipient::Column::QueuedAt.is_not_null())
            .filter(letter_recipient::Column::DeliveredAt.is_null());
        let letters_pending = letters_waiting
            .clone()
            .filter(letter_recipient::Column::Attempts.lt(MAX_ATTEMPTS))
            .count(&self.db)
            .await?;
        let letters_failed = letters_waiting
            .filter(letter_recipient::Column::Attempts.gte(MAX_ATTEMPTS))
            .count(&self.db)
            .await?;
        Ok(OperationalFigures {
            open,
            overdue,
            outbox_pending,
            outbox_failed,
            letters_pending,
            letters_failed,
        })
    }

    /// Open obligations per kind; with `overdue_at`, only those whose deadline is before it.
    async fn open_obligations_by_kind(
        &self,
        overdue_at: Option<DateTime<Utc>>,
    ) -> Result<Vec<(ObligationKind, u64)>, StoreError> {
        let mut query = obligation::Entity::find()
            .select_only()
            .column(obligation::Column::Kind)
            .column_as(
                Expr::expr(Func::count(Expr::col(obligation::Column::Id))),
                "n",
            )
            .filter(obligation::Column::State.is_in(["pending", "drafted"]))
            .group_by(obligation::Column::Kind);
        if let Some(at) = overdue_at {
            query = query.filter(obligation::Column::Deadline.lt(at));
        }
        let counted: Vec<(String, i64)> = query.into_tuple().all(&self.db).await?;
        Ok(ObligationKind::ALL
            .iter()
            .map(|kind| {
                let n = counted
                    .iter()
                    .find(|(k, _)| k == kind.as_str())
                    .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0));
                (*kind, n)
            })
            .collect())
    }
}
