//! Delivering outbox rows. A dispatcher claims rows for a while (PostgreSQL: `FOR UPDATE SKIP
//! LOCKED`, SQLite: `BEGIN IMMEDIATE`), sends them, and marks them delivered. A dispatcher that
//! dies after claiming leaves the claim to expire, and the row is sent by the next one: at
//! least once, and the message carries the outbox id so a receiver can drop a repeat.
//!
//! Marking a step delivered also gives each recipient with an account an in-app notice, in the
//! same transaction; `UNIQUE (user_id, outbox_id)` keeps a repeated delivery from showing it
//! twice.

use chrono::{DateTime, Duration, Utc};
use rejestr_domain::case::CaseNumber;
use rejestr_domain::role::Role;
use rejestr_scheduler::ObligationKind;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, ExprTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement,
};

use crate::audit::truncate_to_micros;
use crate::entity::{case, membership, notice, obligation, organisation, outbox, user};
use crate::{Store, StoreError};

/// How long a claim protects a row from other dispatchers.
pub const CLAIM_FOR: Duration = Duration::minutes(5);
/// After this many failures the row stays undelivered and shows as such to the IOD.
pub const MAX_ATTEMPTS: i32 = 8;

/// One notice to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub outbox_id: i64,
    pub organisation_name: String,
    pub organisation_slug: String,
    pub case_number: CaseNumber,
    pub kind: ObligationKind,
    pub step: String,
    pub late: bool,
    /// When the obligation's clock started (awareness or the report).
    pub start: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    /// (name, e-mail)
    pub recipients: Vec<(String, String)>,
    /// The recipients' accounts (none when the notice goes to the organisation's IOD contact
    /// only): each gets an in-app notice once the step is delivered.
    pub recipient_users: Vec<i64>,
    pub webhook_url: Option<String>,
    /// Signs the webhook post (HMAC-SHA256) when the organisation has one.
    pub webhook_secret: Option<String>,
}

/// The delivery columns of an outbox-like table: rows waiting (`delivered_at` null, fewer
/// than [`MAX_ATTEMPTS`] failures) and not claimed by another dispatcher.
pub(crate) struct Queue<C> {
    pub table: &'static str,
    /// The extra readiness condition, as SQL (PostgreSQL path) and as a sea-orm condition.
    pub ready_sql: &'static str,
    pub ready: Condition,
    pub id: C,
    pub delivered_at: C,
    pub claimed_until: C,
    pub attempts: C,
    pub last_error: C,
}

/// Claims up to `limit` waiting rows of a queue for [`CLAIM_FOR`] and returns their ids.
/// PostgreSQL skips rows other dispatchers hold (`FOR UPDATE SKIP LOCKED`); SQLite serialises
/// writers with `BEGIN IMMEDIATE`. The claim commits before anything is sent.
pub(crate) async fn claim<E>(
    txn: sea_orm::DatabaseTransaction,
    queue: Queue<E::Column>,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<i64>, StoreError>
where
    E: EntityTrait,
{
    let now = truncate_to_micros(now);
    let ids: Vec<i64> = if txn.get_database_backend() == DbBackend::Postgres {
        txn.query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!(
                "SELECT id FROM {} WHERE {} AND delivered_at IS NULL AND attempts < $1 \
                 AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED",
                queue.table, queue.ready_sql
            ),
            [MAX_ATTEMPTS.into(), now.into(), (limit as i64).into()],
        ))
        .await?
        .into_iter()
        .filter_map(|row| row.try_get::<i64>("", "id").ok())
        .collect()
    } else {
        E::find()
            .select_only()
            .column(queue.id)
            .filter(queue.ready)
            .filter(queue.delivered_at.is_null())
            .filter(queue.attempts.lt(MAX_ATTEMPTS))
            .filter(
                queue
                    .claimed_until
                    .is_null()
                    .or(queue.claimed_until.lt(now)),
            )
            .order_by_asc(queue.id)
            .limit(limit)
            .into_tuple::<i64>()
            .all(&txn)
            .await?
    };
    if !ids.is_empty() {
        E::update_many()
            .col_expr(queue.claimed_until, Expr::value(Some(now + CLAIM_FOR)))
            .filter(queue.id.is_in(ids.iter().copied()))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(ids)
}

/// Marks a claimed row delivered and releases its claim.
pub(crate) async fn deliver<E: EntityTrait>(
    db: &impl ConnectionTrait,
    queue: &Queue<E::Column>,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    E::update_many()
        .col_expr(
            queue.delivered_at,
            Expr::value(Some(truncate_to_micros(now))),
        )
        .col_expr(
            queue.claimed_until,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(queue.id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a failed attempt on a row: the error (kept for the IOD to see), one more attempt,
/// and a claim that holds the row back for an exponential back-off.
pub(crate) async fn fail<E: EntityTrait>(
    db: &impl ConnectionTrait,
    queue: &Queue<E::Column>,
    id: i64,
    error: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Some(attempts) = E::find()
        .select_only()
        .column(queue.attempts)
        .filter(queue.id.eq(id))
        .into_tuple::<i32>()
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let attempts = attempts + 1;
    let backoff = Duration::minutes(1 << attempts.clamp(0, 10));
    E::update_many()
        .col_expr(queue.attempts, Expr::value(attempts))
        .col_expr(
            queue.last_error,
            Expr::value(Some(error.chars().take(500).collect::<String>())),
        )
        .col_expr(
            queue.claimed_until,
            Expr::value(Some(truncate_to_micros(now + backoff))),
        )
        .filter(queue.id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The escalation outbox: every undelivered row is ready.
fn queue() -> Queue<outbox::Column> {
    Queue {
        table: "outbox",
        ready_sql: "TRUE",
        ready: Condition::all(),
        id: outbox::Column::Id,
        delivered_at: outbox::Column::DeliveredAt,
        claimed_until: outbox::Column::ClaimedUntil,
        attempts: outbox::Column::Attempts,
        last_error: outbox::Column::LastError,
    }
}

fn roles_for(audience: &str) -> &'static [Role] {
    match audience {
        "assignee" => &[Role::Iod],
        "iod_and_head" => &[Role::Iod, Role::Head],
        _ => &[Role::Iod, Role::Asi, Role::Head, Role::Admin],
    }
}

impl Store {
    /// Claims up to `limit` undelivered rows and returns what to send.
    pub async fn claim_deliveries(
        &self,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<Delivery>, StoreError> {
        let ids = claim::<outbox::Entity>(self.begin_write().await?, queue(), now, limit).await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = outbox::Entity::find()
            .filter(outbox::Column::Id.is_in(ids))
            .order_by_asc(outbox::Column::Id)
            .all(&self.db)
            .await?;

        let mut deliveries = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(o) = obligation::Entity::find_by_id(row.obligation_id)
                .one(&self.db)
                .await?
            else {
                continue;
            };
            let Some(found) = case::Entity::find_by_id(row.case_id).one(&self.db).await? else {
                continue;
            };
            let Some(org) = organisation::Entity::find_by_id(row.organisation_id)
                .one(&self.db)
                .await?
            else {
                continue;
            };
            let Some(kind) = ObligationKind::parse(&o.kind) else {
                continue;
            };
            let roles: Vec<&str> = roles_for(&row.audience)
                .iter()
                .map(|r| r.as_str())
                .collect();
            let member_ids: Vec<i64> = membership::Entity::find()
                .filter(membership::Column::OrganisationId.eq(org.id))
                .filter(membership::Column::Role.is_in(roles))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|m| m.user_id)
                .collect();
            let accounts = user::Entity::find()
                .filter(user::Column::Id.is_in(member_ids))
                .filter(user::Column::Active.eq(true))
                .order_by_asc(user::Column::Email)
                .all(&self.db)
                .await?;
            let recipient_users: Vec<i64> = accounts.iter().map(|u| u.id).collect();
            let mut recipients: Vec<(String, String)> = accounts
                .into_iter()
                .map(|u| (u.display_name, u.email))
                .collect();
            // Nobody with an account: the organisation's IOD contact still hears of it.
            if recipients.is_empty() {
                recipients.push((org.iod_name.clone(), org.iod_email.clone()));
            }
            deliveries.push(Delivery {
                outbox_id: row.id,
                organisation_name: org.name,
                organisation_slug: org.slug,
                case_number: CaseNumber::new(u32::try_from(found.seq).unwrap_or(0), found.year)
                    .map_err(|_| StoreError::corrupt("cases", found.id, "number"))?,
                kind,
                step: row.step,
                late: row.late,
                start: o.start_at,
                deadline: o.deadline,
                recipients,
                recipient_users,
                webhook_url: org.webhook_url.clone(),
                webhook_secret: org.webhook_secret.clone(),
            });
        }
        Ok(deliveries)
    }

    /// Marks a step delivered and, in the same transaction, gives each of `recipient_users`
    /// an in-app notice of it (once: a repeated delivery adds none).
    pub async fn mark_delivered(
        &self,
        outbox_id: i64,
        recipient_users: &[i64],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now = truncate_to_micros(now);
        let txn = self.begin_write().await?;
        let Some(row) = outbox::Entity::find_by_id(outbox_id).one(&txn).await? else {
            return Err(StoreError::NotFound);
        };
        if !recipient_users.is_empty() {
            notice::Entity::insert_many(recipient_users.iter().map(|user_id| {
                notice::ActiveModel {
                    user_id: Set(*user_id),
                    outbox_id: Set(row.id),
                    organisation_id: Set(row.organisation_id),
                    case_id: Set(row.case_id),
                    created_at: Set(now),
                    read_at: Set(None),
                    ..Default::default()
                }
            }))
            .on_conflict(
                OnConflict::columns([notice::Column::UserId, notice::Column::OutboxId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        }
        deliver::<outbox::Entity>(&txn, &queue(), outbox_id, now).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Records a failed attempt; the row is retried after an exponential back-off.
    pub async fn mark_failed(
        &self,
        outbox_id: i64,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        fail::<outbox::Entity>(&self.db, &queue(), outbox_id, error, now).await
    }

    /// Counts of outbox rows: (delivered, waiting).
    pub async fn outbox_counts(&self) -> Result<(u64, u64), StoreError> {
        use sea_orm::PaginatorTrait;
        let delivered = outbox::Entity::find()
            .filter(outbox::Column::DeliveredAt.is_not_null())
            .count(&self.db)
            .await?;
        let waiting = outbox::Entity::find()
            .filter(outbox::Column::DeliveredAt.is_null())
            .count(&self.db)
            .await?;
        Ok((delivered, waiting))
    }
}
