//! Working on a case: state changes with their reasons, and notes. Each change and its
//! audit event are one transaction.

use chrono::{DateTime, Utc};
use rejestr_domain::case::{CaseAction, CaseNumber, CaseState, RejectReason, transition};
use rejestr_domain::role::Permission;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit::{self, AuditEntry, truncate_to_micros};
use crate::entity::{case, case_note};
use crate::{OrgScope, Store, StoreError};

pub const NOTE_MAX_CHARS: usize = 10_000;

/// A note as the case page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub author: String,
    pub created_at: DateTime<Utc>,
    pub body: String,
}

pub(crate) fn actor(scope: &OrgScope) -> String {
    format!("user:{}", scope.user().email)
}

/// The case `number` of the scope's organisation, or `NotFound`.
pub(crate) async fn find_case(
    db: &impl ConnectionTrait,
    scope: &OrgScope,
    number: CaseNumber,
) -> Result<case::Model, StoreError> {
    case::Entity::find()
        .filter(case::Column::OrganisationId.eq(scope.organisation_id()))
        .filter(case::Column::Year.eq(number.year))
        .filter(case::Column::Seq.eq(i64::from(number.seq)))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

impl Store {
    /// Applies `action` to the case if the domain's state machine allows it.
    pub async fn change_state(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
        action: &CaseAction,
        now: DateTime<Utc>,
    ) -> Result<CaseState, StoreError> {
        scope.require(Permission::ChangeCases)?;
        let now = truncate_to_micros(now);
        let txn = self.begin_write().await?;
        let found = find_case(&txn, scope, number).await?;
        let from: CaseState = found.state.parse().map_err(|_| {
            StoreError::corrupt("cases", found.id, format!("state {}", found.state))
        })?;
        let to = transition(from, action).map_err(StoreError::Transition)?;
        if let CaseAction::Reject {
            reason: RejectReason::DuplicateOf(original),
        } = action
        {
            let exists = case::Entity::find()
                .filter(case::Column::OrganisationId.eq(scope.organisation_id()))
                .filter(case::Column::Year.eq(original.year))
                .filter(case::Column::Seq.eq(i64::from(original.seq)))
                .one(&txn)
                .await?
                .is_some_and(|c| c.id != found.id);
            if !exists {
                return Err(StoreError::InvalidInput(format!(
                    "there is no other case {original} to be a duplicate of"
                )));
            }
        }
        if to == CaseState::Rejected {
            crate::obligations::close_assess_reminder(&txn, found.id, "not_required", now).await?;
        }
        case::Entity::update_many()
            .col_expr(case::Column::State, Expr::value(to.as_str()))
            .col_expr(case::Column::UpdatedAt, Expr::value(now))
            .filter(case::Column::Id.eq(found.id))
            .exec(&txn)
            .await?;
        let (reason, duplicate_of) = match action {
            CaseAction::Close { reason } | CaseAction::Reopen { reason } => {
                (Some(reason.clone()), None)
            }
            CaseAction::Reject {
                reason: RejectReason::NotAnIncident(reason),
            } => (Some(reason.clone()), None),
            CaseAction::Reject {
                reason: RejectReason::DuplicateOf(original),
            } => (None, Some(original.to_string())),
            _ => (None, None),
        };
        audit::append(
            &txn,
            AuditEntry {
                organisation_id: scope.organisation_id(),
                case_id: Some(found.id),
                at: now,
                actor: &actor(scope),
                action: "case.state_changed",
                data: json!({
                    "from": from.as_str(),
                    "to": to.as_str(),
                    "reason": reason,
                    "duplicate_of": duplicate_of,
                }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(to)
    }

    /// Adds a note to the case.
    pub async fn add_note(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        scope.require(Permission::ChangeCases)?;
        let body = body.trim();
        if body.is_empty() || body.chars().count() > NOTE_MAX_CHARS {
            return Err(StoreError::InvalidInput(format!(
                "a note has 1 to {NOTE_MAX_CHARS} characters"
            )));
        }
        let now = truncate_to_micros(now);
        let txn = self.begin_write().await?;
        let found = find_case(&txn, scope, number).await?;
        let note = case_note::Entity::insert(case_note::ActiveModel {
            case_id: Set(found.id),
            organisation_id: Set(scope.organisation_id()),
            author: Set(scope.user().display_name.clone()),
            created_at: Set(now),
            body: Set(body.to_owned()),
            ..Default::default()
        })
        .exec_with_returning(&txn)
        .await?;
        case::Entity::update_many()
            .col_expr(case::Column::UpdatedAt, Expr::value(now))
            .filter(case::Column::Id.eq(found.id))
            .exec(&txn)
            .await?;
        audit::append(
            &txn,
            AuditEntry {
                organisation_id: scope.organisation_id(),
                case_id: Some(found.id),
                at: now,
                actor: &actor(scope),
                action: "case.note_added",
                data: json!({
                    "note_id": note.id,
                    "body_sha256": hex::encode(Sha256::digest(body.as_bytes())),
                }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Moves the start of the 72-hour clock (`aware_at`), with the reason; audited.
    pub async fn set_aware_at(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
        aware_at: DateTime<Utc>,
        justification: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        scope.require(Permission::ChangeCases)?;
        let justification = justification.trim();
        if justification.is_empty() {
            return Err(StoreError::InvalidInput(
                "moving aware_at needs a justification".to_owned(),
            ));
        }
        if aware_at > now + chrono::Duration::minutes(5) {
            return Err(StoreError::InvalidInput(
                "aware_at cannot lie in the future".to_owned(),
            ));
        }
        let (aware_at, now) = (truncate_to_micros(aware_at), truncate_to_micros(now));
        let txn = self.begin_write().await?;
        let found = find_case(&txn, scope, number).await?;
        if found.aware_at == aware_at {
            return Ok(());
        }
        crate::obligations::restart_clocks(&txn, found.id, aware_at, now).await?;
        case::Entity::update_many()
            .col_expr(case::Column::AwareAt, Expr::value(aware_at))
            .col_expr(case::Column::UpdatedAt, Expr::value(now))
            .filter(case::Column::Id.eq(found.id))
            .exec(&txn)
            .await?;
        audit::append(
            &txn,
            AuditEntry {
                organisation_id: scope.organisation_id(),
                case_id: Some(found.id),
                at: now,
                actor: &actor(scope),
                action: "case.aware_at_changed",
                data: json!({
                    "from": found.aware_at.to_rfc3339(),
                    "to": aware_at.to_rfc3339(),
                    "justification": justification,
                }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    pub(crate) async fn notes_of(
        &self,
        organisation_id: i64,
        case_id: i64,
    ) -> Result<Vec<Note>, StoreError> {
        Ok(case_note::Entity::find()
            .filter(case_note::Column::CaseId.eq(case_id))
            .filter(case_note::Column::OrganisationId.eq(organisation_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|n| Note {
                author: n.author,
                created_at: n.created_at,
                body: n.body,
            })
            .collect())
    }
}
