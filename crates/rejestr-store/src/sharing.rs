//! The register as records for export and statistics (art. 33(5) documentation), the
//! technical indicators of a case, and the audit of what was shared with whom.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rejestr_domain::case::{CaseNumber, CaseState, Classification, Occurred, ReportSource};
use rejestr_domain::role::Permission;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
};
use serde_json::{Value, json};

use crate::audit::{self, AuditEntry, truncate_to_micros};
use crate::casework::{actor, find_case};
use crate::entity::{assessment, case, case_indicator, document, obligation};
use crate::register::filter_condition;
use crate::{CaseFilter, OrgScope, Store, StoreError};

/// The most records one export returns.
pub const EXPORT_LIMIT: u64 = 200_000;

/// The recorded decision on a case.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionRecord {
    pub classification: String,
    pub risk: String,
    pub notify_sa: bool,
    pub notify_subjects: bool,
    pub decided_at: DateTime<Utc>,
    pub first_assessed_at: DateTime<Utc>,
    /// The Facts v1 and Assessment v1 documents of the latest assessment.
    pub facts: Value,
    pub assessment: Value,
}

/// An obligation of a case, as the register reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObligationRecord {
    pub kind: String,
    pub state: String,
    pub deadline: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub reference: Option<String>,
}

/// A technical indicator of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorRecord {
    pub id: i64,
    pub kind: String,
    pub value: String,
    pub comment: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// One case of the register with what was decided and done.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterRecord {
    pub id: i64,
    pub organisation_id: i64,
    pub number: CaseNumber,
    pub state: CaseState,
    pub classification: Classification,
    pub source: ReportSource,
    pub description: String,
    pub location: Option<String>,
    pub occurred: Occurred,
    pub discovered_at: DateTime<Utc>,
    pub reported_at: DateTime<Utc>,
    pub aware_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub data_categories: Vec<String>,
    pub subjects_estimate: Option<i32>,
    pub reporter_unit: Option<String>,
    pub processor_name: Option<String>,
    pub decision: Option<DecisionRecord>,
    pub obligations: Vec<ObligationRecord>,
    /// From the latest drafted document: the cause (PUODO form 4D) and the measures taken.
    pub cause: Option<String>,
    pub measures: Option<String>,
    pub records_count: Option<u64>,
    pub indicators: Vec<IndicatorRecord>,
}

impl RegisterRecord {
    pub fn obligation(&self, kind: &str) -> Option<&ObligationRecord> {
        self.obligations.iter().find(|o| o.kind == kind)
    }
}

/// What an export shared, for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareRecord {
    /// `stix` or `misp`.
    pub format: String,
    pub tlp: String,
    /// With whom (e.g. "CSIRT NASK", "ISAC-JST").
    pub recipient: String,
    /// The fields the IOD released beyond the defaults.
    pub released: Vec<String>,
    pub sha256: String,
    /// Set when the file was pushed to a MISP instance instead of downloaded.
    pub pushed: Option<Pushed>,
}

/// Where a MISP event was pushed and what the instance answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pushed {
    /// The instance's base URL.
    pub url: String,
    /// The event's id on the instance.
    pub event_id: String,
    /// `created`, or `updated` when the event had been pushed before.
    pub outcome: String,
}

fn share_data(share: &ShareRecord) -> Value {
    let mut data = json!({
        "format": share.format, "tlp": share.tlp, "recipient": share.recipient,
        "released": share.released, "sha256": share.sha256,
    });
    if let Some(pushed) = &share.pushed {
        data["destination"] = json!(pushed.url);
        data["misp_event_id"] = json!(pushed.event_id);
        data["outcome"] = json!(pushed.outcome);
    }
    data
}

fn indicator(model: case_indicator::Model) -> IndicatorRecord {
    IndicatorRecord {
        id: model.id,
        kind: model.kind,
        value: model.value,
        comment: model.comment,
        created_by: model.created_by,
        created_at: model.created_at,
    }
}

impl Store {
    /// The cases matching `filter` (open or closed as it says), oldest first, each with its
    /// decision, obligations and indicators.
    pub async fn register_records(
        &self,
        scope: &OrgScope,
        filter: &CaseFilter,
    ) -> Result<Vec<RegisterRecord>, StoreError> {
        scope.require(Permission::ReadRegister)?;
        let cases = case::Entity::find()
            .filter(filter_condition(scope, filter))
            .order_by_asc(case::Column::ReportedAt)
            .order_by_asc(case::Column::Id)
            .limit(EXPORT_LIMIT)
            .all(&self.db)
            .await?;
        self.records_of(scope, cases).await
    }

    /// One case as a register record.
    pub async fn register_record(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
    ) -> Result<RegisterRecord, StoreError> {
        scope.require(Permission::ReadRegister)?;
        let found = find_case(&self.db, scope, number).await?;
        self.records_of(scope, vec![found])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    async fn records_of(
        &self,
        scope: &OrgScope,
        cases: Vec<case::Model>,
    ) -> Result<Vec<RegisterRecord>, StoreError> {
        let org = scope.organisation_id();
        // One case: its rows only; many: the organisation's rows, grouped here (an IN list of
        // 100,000 ids is worse than one scan).
        let single = (cases.len() == 1).then(|| cases[0].id);
        macro_rules! rows_of {
            ($entity:ident) => {{
                let mut query =
                    $entity::Entity::find().filter($entity::Column::OrganisationId.eq(org));
                if let Some(id) = single {
                    query = query.filter($entity::Column::CaseId.eq(id));
                }
                query
                    .order_by_asc($entity::Column::Id)
                    .all(&self.db)
                    .await?
            }};
        }
        let mut assessments: HashMap<i64, Vec<assessment::Model>> = HashMap::new();
        for row in rows_of!(assessment) {
            assessments.entry(row.case_id).or_default().push(row);
        }
        let mut obligations: HashMap<i64, Vec<ObligationRecord>> = HashMap::new();
        for row in rows_of!(obligation) {
            obligations
                .entry(row.case_id)
                .or_default()
                .push(ObligationRecord {
                    kind: row.kind,
                    state: row.state,
                    deadline: row.deadline,
                    sent_at: row.sent_at,
                    reference: row.reference,
                });
        }
        // The newest document's fields hold the cause and measures the IOD wrote down.
        let mut fields: HashMap<i64, Value> = HashMap::new();
        for row in rows_of!(document) {
            if let Ok(value) = serde_json::from_str::<Value>(&row.fields) {
                fields.insert(row.case_id, value);
            }
        }
        let mut indicators: HashMap<i64, Vec<IndicatorRecord>> = HashMap::new();
        for row in rows_of!(case_indicator) {
            indicators
                .entry(row.case_id)
                .or_default()
                .push(indicator(row));
        }
        cases
            .into_iter()
            .map(|model| {
                let bad = |detail: &str| StoreError::corrupt("cases", model.id, detail);
                let decision = assessments.remove(&model.id).and_then(|rows| {
                    let first = rows.first()?.created_at;
                    let last = rows.last()?;
                    Some(DecisionRecord {
                        classification: last.final_classification.clone(),
                        risk: last.final_risk.clone(),
                        notify_sa: last.final_notify_sa,
                        notify_subjects: last.final_notify_subjects,
                        decided_at: last.created_at,
                        first_assessed_at: first,
                        facts: serde_json::from_str(&last.facts).unwrap_or(Value::Null),
                        assessment: serde_json::from_str(&last.assessment).unwrap_or(Value::Null),
                    })
                });
                let written = fields.remove(&model.id).unwrap_or(Value::Null);
                let text = |key: &str| {
                    written[key]
                        .as_str()
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                };
                let measures = [text("measures_mitigation"), text("measures_recurrence")]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("\n");
                Ok(RegisterRecord {
                    id: model.id,
                    organisation_id: model.organisation_id,
                    number: CaseNumber::new(u32::try_from(model.seq).unwrap_or(0), model.year)
                        .map_err(|_| bad("number"))?,
                    state: model.state.parse().map_err(|_| bad("state"))?,
                    classification: model
                        .classification
                        .parse()
                        .map_err(|_| bad("classification"))?,
                    source: model.source.parse().map_err(|_| bad("source"))?,
                    occurred: Occurred::from_stored(
                        &model.occurred_kind,
                        model.occurred_from,
                        model.occurred_to,
                    )
                    .ok_or_else(|| bad("occurred"))?,
                    description: model.description,
                    location: model.location,
                    discovered_at: model.discovered_at,
                    reported_at: model.reported_at,
                    aware_at: model.aware_at,
                    updated_at: model.updated_at,
                    data_categories: serde_json::from_str(&model.data_categories)
                        .unwrap_or_default(),
                    subjects_estimate: model.subjects_estimate,
                    reporter_unit: model.reporter_unit,
                    processor_name: model.processor_name,
                    decision,
                    obligations: obligations.remove(&model.id).unwrap_or_default(),
                    cause: text("cause"),
                    measures: (!measures.is_empty()).then_some(measures),
                    records_count: written["records_count"].as_u64(),
                    indicators: indicators.remove(&model.id).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Adds an indicator (already validated and normalised by the caller).
    pub async fn add_indicator(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
        (kind, value, comment): (&str, &str, Option<&str>),
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        scope.require(Permission::ChangeCases)?;
        let now = truncate_to_micros(now);
        let txn = self.begin_write().await?;
        let found = find_case(&txn, scope, number).await?;
        let inserted = case_indicator::Entity::insert(case_indicator::ActiveModel {
            organisation_id: Set(scope.organisation_id()),
            case_id: Set(found.id),
            kind: Set(kind.to_owned()),
            value: Set(value.to_owned()),
            comment: Set(comment.map(str::to_owned)),
            created_by: Set(scope.user().email.clone()),
            created_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await;
        if let Err(error) = inserted {
            return Err(match error.sql_err() {
                Some(SqlErr::UniqueConstraintViolation(_)) => {
                    StoreError::InvalidInput("this indicator is already recorded".to_owned())
                }
                _ => error.into(),
            });
        }
        audit::append(
            &txn,
            AuditEntry {
                organisation_id: scope.organisation_id(),
                case_id: Some(found.id),
                at: now,
                actor: &actor(scope),
                action: "indicator.added",
                data: json!({"kind": kind, "value": value}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn remove_indicator(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        scope.require(Permission::ChangeCases)?;
        let txn = self.begin_write().await?;
        let found = find_case(&txn, scope, number).await?;
        let row = case_indicator::Entity::find_by_id(id)
            .filter(case_indicator::Column::CaseId.eq(found.id))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        case_indicator::Entity::delete_by_id(row.id)
            .exec(&txn)
            .await?;
        audit::append(
            &txn,
            AuditEntry {
                organisation_id: scope.organisation_id(),
                case_id: Some(found.id),
                at: truncate_to_micros(now),
                actor: &actor(scope),
                action: "indicator.removed",
                data: json!({"kind": row.kind, "value": row.value}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Records in the audit trail that a case was exported for sharing: the format, the TLP,
    /// the recipient, the released fields and the SHA-256 of the exact file.
    pub async fn record_share(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
        share: &ShareRecord,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        scope.require(Permission::ChangeCases)?;
        let txn = self.begin_write().await?;
        let found = find_case(&txn, scope, number).await?;
        audit::append(
            &txn,
            AuditEntry {
                organisation_id: scope.organisation_id(),
                case_id: Some(found.id),
                at: truncate_to_micros(now),
                actor: &actor(scope),
                action: "case.shared",
                data: share_data(share),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Records that a push to a MISP instance failed: nothing left the register, but the
    /// attempt, what would have been sent and the instance's answer are kept on the case.
    pub async fn record_share_failure(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
        share: &ShareRecord,
        url: &str,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        scope.require(Permission::ChangeCases)?;
        let txn = self.begin_write().await?;
        let found = find_case(&txn, scope, number).await?;
        let mut data = share_data(share);
        data["destination"] = json!(url);
        data["error"] = json!(error.chars().take(1000).collect::<String>());
        audit::append(
            &txn,
            AuditEntry {
                organisation_id: scope.organisation_id(),
                case_id: Some(found.id),
                at: truncate_to_micros(now),
                actor: &actor(scope),
                action: "case.share_failed",
                data,
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
