//! Drafted documents: versions, and the frozen text of what was sent.

use chrono::{DateTime, Utc};
use rejestr_domain::case::CaseNumber;
use rejestr_domain::role::Permission;
use rejestr_scheduler::ObligationKind;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit::{self, AuditEntry, truncate_to_micros};
use crate::casework::{actor, find_case};
use crate::entity::{case, document, obligation};
use crate::obligations::fulfil_in;
use crate::{Fulfilment, OrgScope, Store, StoreError};

/// One saved version of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRecord {
    pub kind: String,
    pub phase: String,
    pub locale: String,
    pub version: i32,
    /// The IOD's fields, as JSON.
    pub fields: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub sent: Option<SentDocument>,
}

/// What was sent: the exact text, its SHA-256, how and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentDocument {
    pub at: DateTime<Utc>,
    pub channel: String,
    pub reference: Option<String>,
    pub text: String,
    pub sha256: String,
    /// The earlier sent document this one supplements (a supplementary PUODO notification).
    pub supplements: Option<(String, i32)>,
}

/// A version to save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDraft {
    pub kind: String,
    pub phase: String,
    pub locale: String,
    pub fields: String,
}

/// How a version was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispatch {
    pub channel: String,
    pub reference: Option<String>,
    /// Required when the obligation's deadline has passed (art. 33(1)).
    pub delay_reasons: Option<String>,
    /// The exact rendering that was sent.
    pub text: String,
    /// For a supplement: the kind whose latest sent version it supplements.
    pub supplements_kind: Option<String>,
}

fn record(model: document::Model, supplements: Option<(String, i32)>) -> DocumentRecord {
    let sent = match (
        model.state.as_str(),
        model.sent_at,
        model.rendered_text,
        model.sha256,
    ) {
        ("sent", Some(at), Some(text), Some(sha256)) => Some(SentDocument {
            at,
            channel: model.channel.unwrap_or_default(),
            reference: model.reference,
            text,
            sha256,
            supplements,
        }),
        _ => None,
    };
    DocumentRecord {
        kind: model.kind,
        phase: model.phase,
        locale: model.locale,
        version: model.version,
        fields: model.fields,
        created_by: model.created_by,
        created_at: model.created_at,
        sent,
    }
}

/// A saved version of a document of the case — `(kind, phase, version)` — or `NotFound`.
pub(crate) async fn document_version(
    db: &impl sea_orm::ConnectionTrait,
    scope: &OrgScope,
    number: CaseNumber,
    (kind, phase, version): (&str, &str, i32),
) -> Result<(case::Model, document::Model), StoreError> {
    let found = find_case(db, scope, number).await?;
    let doc = document::Entity::find()
        .filter(document::Column::CaseId.eq(found.id))
        .filter(document::Column::Kind.eq(kind))
        .filter(document::Column::Phase.eq(phase))
        .filter(document::Column::Version.eq(version))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok((found, doc))
}

impl Store {
    /// Saves a new version of a document and returns its number. The obligation the document
    /// serves moves from `pending` to `drafted`.
    pub async fn save_draft(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
        draft: &NewDraft,
        serves: Option<ObligationKind>,
        now: DateTime<Utc>,
    ) -> Result<i32, StoreError> {
        scope.require(Permission::ChangeCases)?;
        serde_json::from_str::<serde_json::Value>(&draft.fields)
            .map_err(|e| StoreError::InvalidInput(format!("fields: {e}")))?;
        let now = truncate_to_micros(now);
        let txn = self.begin_write().await?;
        let found = find_case(&txn, scope, number).await?;
        let last = document::Entity::find()
            .filter(document::Column::CaseId.eq(found.id))
            .filter(document::Column::Kind.eq(&draft.kind))
            .filter(document::Column::Phase.eq(&draft.phase))
            .order_by_desc(document::Column::Version)
            .one(&txn)
            .await?;
        let version = last.map_or(1, |d| d.version + 1);
        document::Entity::insert(document::ActiveModel {
            organisation_id: Set(scope.organisation_id()),
            case_id: Set(found.id),
            kind: Set(draft.kind.clone()),
            phase: Set(draft.phase.clone()),
            locale: Set(draft.locale.clone()),
            version: Set(version),
            fields: Set(draft.fields.clone()),
            created_by: Set(scope.user().email.clone()),
            created_at: Set(now),
            state: Set("draft".to_owned()),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        if let Some(kind) = serves {
            obligation::Entity::update_many()
                .col_expr(obligation::Column::State, Expr::value("drafted"))
                .col_expr(obligation::Column::UpdatedAt, Expr::value(now))
                .filter(obligation::Column::CaseId.eq(found.id))
                .filter(obligation::Column::Kind.eq(kind.as_str()))
                .filter(obligation::Column::State.eq("pending"))
                .exec(&txn)
                .await?;
        }
        audit::append(
            &txn,
            AuditEntry {
                organisation_id: scope.organisation_id(),
                case_id: Some(found.id),
                at: now,
                actor: &actor(scope),
                action: "document.drafted",
                data: json!({"kind": draft.kind, "phase": draft.phase, "locale": draft.locale, "version": version}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(version)
    }

    /// Every version of every document of a case, newest first.
    pub async fn documents(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
    ) -> Result<Vec<DocumentRecord>, StoreError> {
        scope.require(Permission::ReadRegister)?;
        let found = find_case(&self.db, scope, number).await?;
        let rows = document::Entity::find()
            .filter(document::Column::CaseId.eq(found.id))
            .filter(document::Column::OrganisationId.eq(scope.organisation_id()))
            .order_by_desc(document::Column::CreatedAt)
            .order_by_desc(document::Column::Id)
            .all(&self.db)
            .await?;
        let versions: std::collections::HashMap<i64, (String, i32)> = rows
            .iter()
            .map(|r| (r.id, (r.phase.clone(), r.version)))
            .collect();
        Ok(rows
            .into_iter()
            .map(|r| {
                let previous = r.previous_id.and_then(|id| versions.get(&id)).cloned();
                record(r, previous)
            })
            .collect())
    }

    /// Marks a saved version sent: freezes the exact text with its SHA-256, records both in
    /// the audit trail with the channel and the reference, and closes the obligation the
    /// document serves (demanding the reasons for a delay past its deadline).
    #[allow(clippy::too_many_arguments)]
    pub async fn mark_document_sent(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
        kind: &str,
        phase: &str,
        version: i32,
        dispatch: &Dispatch,
        serves: Option<ObligationKind>,
        now: DateTime<Utc>,
    ) -> Result<String, StoreError> {
        scope.require(Permission::ChangeCases)?;
        if dispatch.channel.trim().is_empty() {
            return Err(StoreError::InvalidInput("say how it was sent".to_owned()));
        }
        let now = truncate_to_micros(now);
        let txn = self.begin_write().await?;
        let (found, doc) = document_version(&txn, scope, number, (kind, phase, version)).await?;
        if doc.state == "sent" {
            return Err(StoreError::InvalidInput(
                "this version was already sent".to_owned(),
            ));
        }
        let previous = match &dispatch.supplements_kind {
            Some(previous_kind) => {
                document::Entity::find()
                    .filter(document::Column::CaseId.eq(found.id))
                    .filter(document::Column::Kind.eq(previous_kind))
                    .filter(document::Column::State.eq("sent"))
                    .order_by_desc(document::Column::SentAt)
                    .one(&txn)
                    .await?
            }
            None => None,
        };
        let sha256 = hex::encode(Sha256::digest(dispatch.text.as_bytes()));
        let reference = dispatch
            .reference
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned);
        if let Some(kind) = serves {
            fulfil_in(
                &txn,
                scope,
                &found,
                kind,
                &Fulfilment::Sent {
                    channel: dispatch.channel.trim().to_owned(),
                    reference: reference.clone(),
                    delay_reasons: dispatch.delay_reasons.clone(),
                },
                now,
                false,
            )
            .await?;
        }
        document::Entity::update_many()
            .col_expr(document::Column::State, Expr::value("sent"))
            .col_expr(document::Column::SentAt, Expr::value(Some(now)))
            .col_expr(
                document::Column::Channel,
                Expr::value(Some(dispatch.channel.trim().to_owned())),
            )
            .col_expr(document::Column::Reference, Expr::value(reference.clone()))
            .col_expr(
                document::Column::RenderedText,
                Expr::value(Some(dispatch.text.clone())),
            )
            .col_expr(document::Column::Sha256, Expr::value(Some(sha256.clone())))
            .col_expr(
                document::Column::PreviousId,
                Expr::value(previous.as_ref().map(|p| p.id)),
            )
            .filter(document::Column::Id.eq(doc.id))
            .exec(&txn)
            .await?;
        audit::append(
            &txn,
            AuditEntry {
                organisation_id: scope.organisation_id(),
                case_id: Some(found.id),
                at: now,
                actor: &actor(scope),
                action: "document.sent",
                data: json!({
                    "kind": kind, "phase": phase, "version": version, "locale": doc.locale,
                    "sha256": sha256, "channel": dispatch.channel.trim(), "reference": reference,
                    "supplements": previous.as_ref().map(|p| json!({"phase": p.phase, "version": p.version, "sha256": p.sha256})),
                }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(sha256)
    }
}
