//! The daily digest: once a Warsaw calendar day, from the configured hour, each person who acts
//! in an organisation (IOD, ASI, head, admin) and has open obligations in any of theirs gets one
//! e-mail listing them.
//!
//! A tick decides it: in one transaction (the scheduler's lock held) it writes one `digests`
//! row per user and day, `UNIQUE (user_id, day)` with `ON CONFLICT DO NOTHING`, and marks the day
//! decided in `digest_days`, so that the rest of the day's ticks cost one lookup. Several
//! replicas and restarts therefore still send one digest a day. The row is then delivered like
//! an outbox row (claimed, sent, marked; a failure retried with back-off). The list is frozen
//! when decided; the time left is computed when the e-mail is written.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use rejestr_domain::case::CaseNumber;
use rejestr_domain::role::Role;
use rejestr_scheduler::{ObligationKind, digest_day};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::{Deserialize, Serialize};

use crate::audit::truncate_to_micros;
use crate::delivery::{Queue, claim, deliver, fail};
use crate::entity::{
    case, digest, digest_day as decided_day, membership, obligation, organisation, user,
};
use crate::obligations::lock_scheduler;
use crate::{Store, StoreError};

/// Most obligations one digest lists (nearest deadlines first); the e-mail says how many more.
pub const DIGEST_MAX_ITEMS: usize = 100;

/// The roles that act on deadlines and so get the digest (auditors and reporters do not).
const ACTING: [Role; 4] = [Role::Iod, Role::Asi, Role::Head, Role::Admin];

/// A digest a tick decided (or would decide, in a dry run).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestDecision {
    /// The Warsaw calendar day, `YYYY-MM-DD`.
    pub day: String,
    pub email: String,
    /// Open obligations listed.
    pub obligations: usize,
}

/// One open obligation in a digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestItem {
    pub organisation_slug: String,
    pub organisation_name: String,
    pub case_number: CaseNumber,
    pub kind: ObligationKind,
    pub deadline: DateTime<Utc>,
}

/// A digest e-mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestMail {
    pub id: i64,
    pub day: String,
    pub to_name: String,
    pub to_email: String,
    pub items: Vec<DigestItem>,
    /// Open obligations beyond [`DIGEST_MAX_ITEMS`], not listed.
    pub more: usize,
}

/// The stored form of a digest's list (the `items` column).
#[derive(Debug, Serialize, Deserialize)]
struct StoredItems {
    items: Vec<StoredItem>,
    more: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredItem {
    org: String,
    org_name: String,
    case: String,
    kind: String,
    deadline: DateTime<Utc>,
}

fn queue() -> Queue<digest::Column> {
    Queue {
        table: "digests",
        ready_sql: "TRUE",
        ready: Condition::all(),
        id: digest::Column::Id,
        delivered_at: digest::Column::DeliveredAt,
        claimed_until: digest::Column::ClaimedUntil,
        attempts: digest::Column::Attempts,
        last_error: digest::Column::LastError,
    }
}

impl Store {
    /// Decides the daily digests at `now`: from `hour`:00 Warsaw time, once per day, one per
    /// person with open obligations. Returns the digests decided (with `dry_run`, those that
    /// would be, and nothing is written).
    pub async fn decide_digests(
        &self,
        now: DateTime<Utc>,
        hour: u32,
        dry_run: bool,
    ) -> Result<Vec<DigestDecision>, StoreError> {
        let Some(day) = digest_day(now, hour) else {
            return Ok(Vec::new());
        };
        let day = day.format("%Y-%m-%d").to_string();
        let now = truncate_to_micros(now);
        let txn = self.begin_write().await?;
        lock_scheduler(&txn).await?;
        if decided_day::Entity::find_by_id(day.clone())
            .one(&txn)
            .await?
            .is_some()
        {
            return Ok(Vec::new());
        }
        // Who acts where.
        let acting: Vec<&str> = ACTING.iter().map(|r| r.as_str()).collect();
        let mut orgs_of: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for m in membership::Entity::find()
            .filter(membership::Column::Role.is_in(acting))
            .all(&txn)
            .await?
        {
            let orgs = orgs_of.entry(m.user_id).or_default();
            if !orgs.contains(&m.organisation_id) {
                orgs.push(m.organisation_id);
            }
        }
        // Each organisation's open obligations, nearest deadline first.
        let mut org_ids: Vec<i64> = orgs_of.values().flatten().copied().collect();
        org_ids.sort_unstable();
        org_ids.dedup();
        let mut open_of: HashMap<i64, (Vec<StoredItem>, usize)> = HashMap::new();
        for org_id in org_ids {
            let Some(org) = organisation::Entity::find_by_id(org_id).one(&txn).await? else {
                continue;
            };
            let open = obligation::Entity::find()
                .filter(obligation::Column::OrganisationId.eq(org_id))
                .filter(obligation::Column::State.is_in(["pending", "drafted"]))
                .order_by_asc(obligation::Column::Deadline)
                .order_by_asc(obligation::Column::Id)
                .limit(DIGEST_MAX_ITEMS as u64 + 1)
                .all(&txn)
                .await?;
            if open.is_empty() {
                continue;
            }
            let total = if open.len() > DIGEST_MAX_ITEMS {
                let n = obligation::Entity::find()
                    .filter(obligation::Column::OrganisationId.eq(org_id))
                    .filter(obligation::Column::State.is_in(["pending", "drafted"]))
                    .count(&txn)
                    .await?;
                usize::try_from(n).unwrap_or(usize::MAX)
            } else {
                open.len()
            };
            let numbers: HashMap<i64, String> = case::Entity::find()
                .filter(case::Column::Id.is_in(open.iter().map(|o| o.case_id)))
                .all(&txn)
                .await?
                .into_iter()
                .filter_map(|c| {
                    let number = CaseNumber::new(u32::try_from(c.seq).ok()?, c.year).ok()?;
                    Some((c.id, number.to_string()))
                })
                .collect();
            let items = open
                .into_iter()
                .take(DIGEST_MAX_ITEMS)
                .filter_map(|o| {
                    Some(StoredItem {
                        org: org.slug.clone(),
                        org_name: org.name.clone(),
                        case: numbers.get(&o.case_id)?.clone(),
                        kind: o.kind,
                        deadline: o.deadline,
                    })
                })
                .collect();
            open_of.insert(org_id, (items, total));
        }
        let users: HashMap<i64, user::Model> = user::Entity::find()
            .filter(user::Column::Id.is_in(orgs_of.keys().copied()))
            .filter(user::Column::Active.eq(true))
            .all(&txn)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        let mut decided = Vec::new();
        for (user_id, orgs) in &orgs_of {
            let Some(account) = users.get(user_id) else {
                continue;
            };
            let mut items: Vec<StoredItem> = Vec::new();
            let mut total = 0;
            for org_id in orgs {
                if let Some((org_items, org_total)) = open_of.get(org_id) {
                    items.extend(org_items.iter().cloned());
                    total += org_total;
                }
            }
            if total == 0 {
                continue;
            }
            items.sort_by(|a, b| (a.deadline, &a.org, &a.case).cmp(&(b.deadline, &b.org, &b.case)));
            items.truncate(DIGEST_MAX_ITEMS);
            let listed = items.len();
            let stored = StoredItems {
                items,
                more: total.saturating_sub(listed),
            };
            if !dry_run {
                let inserted = digest::Entity::insert(digest::ActiveModel {
                    user_id: Set(*user_id),
                    day: Set(day.clone()),
                    items: Set(serde_json::to_string(&stored)
                        .map_err(|e| StoreError::InvalidInput(e.to_string()))?),
                    created_at: Set(now),
                    delivered_at: Set(None),
                    claimed_until: Set(None),
                    attempts: Set(0),
                    last_error: Set(None),
                    ..Default::default()
                })
                .on_conflict(
                    OnConflict::columns([digest::Column::UserId, digest::Column::Day])
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
                if inserted == 0 {
                    continue;
                }
            }
            decided.push(DigestDecision {
                day: day.clone(),
                email: account.email.clone(),
                obligations: total,
            });
        }
        if dry_run {
            txn.rollback().await?;
            return Ok(decided);
        }
        decided_day::Entity::insert(decided_day::ActiveModel {
            day: Set(day),
            decided_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(decided_day::Column::Day)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        txn.commit().await?;
        Ok(decided)
    }

    /// Claims up to `limit` undelivered digests and returns them to send.
    pub async fn claim_digests(
        &self,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<DigestMail>, StoreError> {
        let ids = claim::<digest::Entity>(self.begin_write().await?, queue(), now, limit).await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = digest::Entity::find()
            .filter(digest::Column::Id.is_in(ids))
            .order_by_asc(digest::Column::Id)
            .all(&self.db)
            .await?;
        let mut mails = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(account) = user::Entity::find_by_id(row.user_id).one(&self.db).await? else {
                continue;
            };
            let stored: StoredItems = serde_json::from_str(&row.items)
                .map_err(|_| StoreError::corrupt("digests", row.id, "items"))?;
            let items = stored
                .items
                .into_iter()
                .map(|i| {
                    Some(DigestItem {
                        organisation_slug: i.org,
                        organisation_name: i.org_name,
                        case_number: i.case.parse().ok()?,
                        kind: ObligationKind::parse(&i.kind)?,
                        deadline: i.deadline,
                    })
                })
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| StoreError::corrupt("digests", row.id, "items"))?;
            mails.push(DigestMail {
                id: row.id,
                day: row.day,
                to_name: account.display_name,
                to_email: account.email,
                items,
                more: stored.more,
            });
        }
        Ok(mails)
    }

    pub async fn mark_digest_delivered(
        &self,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        deliver::<digest::Entity>(&self.db, &queue(), id, now).await
    }

    /// Records a failed attempt; the digest is retried after an exponential back-off.
    pub async fn mark_digest_failed(
        &self,
        id: i64,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        fail::<digest::Entity>(&self.db, &queue(), id, error, now).await
    }

    /// Counts of digests: (delivered, waiting).
    pub async fn digest_counts(&self) -> Result<(u64, u64), StoreError> {
        let delivered = digest::Entity::find()
            .filter(digest::Column::DeliveredAt.is_not_null())
            .count(&self.db)
            .await?;
        let waiting = digest::Entity::find()
            .filter(digest::Column::DeliveredAt.is_null())
            .count(&self.db)
            .await?;
        Ok((delivered, waiting))
    }
}
