//! In-app notices: the escalation steps delivered to a user, newest first, read or unread.
//!
//! A notice is written when the dispatcher marks an outbox row delivered (`delivery.rs`), once
//! per (user, outbox row). A user sees only the notices of organisations where they still
//! hold a role, so a revoked membership hides the other office's cases again.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rejestr_domain::case::CaseNumber;
use rejestr_scheduler::ObligationKind;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::audit::truncate_to_micros;
use crate::entity::{case, notice, obligation, outbox};
use crate::{Session, Store, StoreError};

/// Notices shown on one page.
pub const NOTICES_PER_PAGE: u64 = 50;

/// One notice as the notices page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeView {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub read: bool,
    pub organisation_slug: String,
    pub organisation_name: String,
    pub case_number: CaseNumber,
    pub kind: ObligationKind,
    /// The step key: `50%`, `100%`, `overdue+2d`, …
    pub step: String,
    /// The step went out late (the service was down when it was due).
    pub late: bool,
    pub start: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
}

/// The organisations whose notices the session may see.
fn visible_orgs(session: &Session) -> Vec<i64> {
    session
        .memberships
        .iter()
        .map(|m| m.organisation_id)
        .collect()
}

impl Store {
    /// How many of the user's visible notices are unread (for the navigation).
    pub async fn unread_notices(&self, session: &Session) -> Result<u64, StoreError> {
        Ok(notice::Entity::find()
            .filter(notice::Column::UserId.eq(session.user.id))
            .filter(notice::Column::ReadAt.is_null())
            .filter(notice::Column::OrganisationId.is_in(visible_orgs(session)))
            .count(&self.db)
            .await?)
    }

    /// A page (1-based) of the user's notices, newest first, and how many there are in all.
    pub async fn notices(
        &self,
        session: &Session,
        page: u64,
    ) -> Result<(Vec<NoticeView>, u64), StoreError> {
        let query = notice::Entity::find()
            .filter(notice::Column::UserId.eq(session.user.id))
            .filter(notice::Column::OrganisationId.is_in(visible_orgs(session)));
        let total = query.clone().count(&self.db).await?;
        let rows = query
            .order_by_desc(notice::Column::Id)
            .offset(page.saturating_sub(1) * NOTICES_PER_PAGE)
            .limit(NOTICES_PER_PAGE)
            .all(&self.db)
            .await?;
        // One query per table for the whole page, not per notice.
        let steps: HashMap<i64, outbox::Model> = outbox::Entity::find()
            .filter(outbox::Column::Id.is_in(rows.iter().map(|n| n.outbox_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
        let obligations: HashMap<i64, obligation::Model> = obligation::Entity::find()
            .filter(obligation::Column::Id.is_in(steps.values().map(|s| s.obligation_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
        let cases: HashMap<i64, case::Model> = case::Entity::find()
            .filter(case::Column::Id.is_in(rows.iter().map(|n| n.case_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            let (Some(step), Some(found), Some(membership)) = (
                steps.get(&row.outbox_id),
                cases.get(&row.case_id),
                session
                    .memberships
                    .iter()
                    .find(|m| m.organisation_id == row.organisation_id),
            ) else {
                continue;
            };
            let Some(o) = obligations.get(&step.obligation_id) else {
                continue;
            };
            let Some(kind) = ObligationKind::parse(&o.kind) else {
                continue;
            };
            views.push(NoticeView {
                id: row.id,
                created_at: row.created_at,
                read: row.read_at.is_some(),
                organisation_slug: membership.organisation_slug.clone(),
                organisation_name: membership.organisation_name.clone(),
                case_number: CaseNumber::new(u32::try_from(found.seq).unwrap_or(0), found.year)
                    .map_err(|_| StoreError::corrupt("cases", found.id, "number"))?,
                kind,
                step: step.step.clone(),
                late: step.late,
                start: o.start_at,
                deadline: o.deadline,
            });
        }
        Ok((views, total))
    }

    /// Marks one of the user's notices read; `Ok(false)` when it is not theirs (or unknown).
    pub async fn mark_notice_read(
        &self,
        session: &Session,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mine = notice::Entity::find_by_id(id)
            .filter(notice::Column::UserId.eq(session.user.id))
            .one(&self.db)
            .await?;
        let Some(row) = mine else {
            return Ok(false);
        };
        if row.read_at.is_none() {
            notice::Entity::update_many()
                .col_expr(
                    notice::Column::ReadAt,
                    Expr::value(Some(truncate_to_micros(now))),
                )
                .filter(notice::Column::Id.eq(row.id))
                .filter(notice::Column::ReadAt.is_null())
                .exec(&self.db)
                .await?;
        }
        Ok(true)
    }

    /// Marks all the user's unread notices read; returns how many.
    pub async fn mark_all_notices_read(
        &self,
        session: &Session,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let result = notice::Entity::update_many()
            .col_expr(
                notice::Column::ReadAt,
                Expr::value(Some(truncate_to_micros(now))),
            )
            .filter(notice::Column::UserId.eq(session.user.id))
            .filter(notice::Column::ReadAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected)
    }
}
