//! Recording an assessment: the engine's proposal and the IOD's decision, side by side.

use chrono::{DateTime, Utc};
use rejestr_domain::case::{CaseAction, CaseNumber, CaseState, Classification, transition};
use rejestr_domain::role::Permission;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use serde_json::json;

use crate::audit::{self, AuditEntry, truncate_to_micros};
use crate::entity::{assessment, case, organisation};
use crate::{OrgScope, Store, StoreError};

/// The conclusions that matter legally: what it is, how risky, who must be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conclusion {
    pub classification: Classification,
    /// `none`, `risk` or `high`.
    pub risk: String,
    pub notify_sa: bool,
    pub notify_subjects: bool,
    /// Art. 33(2): the office acts as processor and notifies the controller.
    pub notify_controller: bool,
}

/// An assessment to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAssessment {
    pub rule_set: String,
    /// The Facts v1 document, as JSON.
    pub facts: String,
    /// The engine's Assessment v1 document, as JSON.
    pub assessment: String,
    pub engine: Conclusion,
    pub decision: Conclusion,
    /// Mandatory when the decision differs from the engine's proposal.
    pub justification: Option<String>,
    /// The processing contract's target for notifying the controller, in hours, from the
    /// facts; used when the decision says to notify the controller (24 when absent).
    pub controller_deadline_hours: Option<u32>,
}

/// A recorded assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedAssessment {
    pub rule_set: String,
    pub facts: String,
    pub assessment: String,
    pub engine: Conclusion,
    pub decision: Conclusion,
    pub justification: Option<String>,
    /// The processor's contract target for notifying the controller, when the facts gave one.
    pub controller_deadline_hours: Option<u32>,
    pub decided_by: String,
    pub created_at: DateTime<Utc>,
}

impl RecordedAssessment {
    pub fn overridden(&self) -> bool {
        self.engine != self.decision
    }
}

fn conclusion(
    classification: &str,
    risk: &str,
    notify_sa: bool,
    notify_subjects: bool,
    notify_controller: bool,
) -> Option<Conclusion> {
    Some(Conclusion {
        classification: classification.parse().ok()?,
        risk: risk.to_owned(),
        notify_sa,
        notify_subjects,
        notify_controller,
    })
}

fn conclusion_json(c: &Conclusion) -> serde_json::Value {
    json!({
        "classification": c.classification.as_str(),
        "risk": c.risk,
        "notify_sa": c.notify_sa,
        "notify_subjects": c.notify_subjects,
        "notify_controller": c.notify_controller,
    })
}

impl Store {
    /// Records the assessment and moves the case to `assessed`. A decision that differs from
    /// the engine's proposal needs a justification.
    pub async fn record_assessment(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
        new: &NewAssessment,
        now: DateTime<Utc>,
    ) -> Result<CaseState, StoreError> {
        scope.require(Permission::ChangeCases)?;
        let justification = new
            .justification
            .as_deref()
            .map(str::trim)
            .filter(|j| !j.is_empty())
            .map(str::to_owned);
        if new.engine != new.decision && justification.is_none() {
            return Err(StoreError::InvalidInput(
                "a decision that differs from the engine's proposal needs a justification"
                    .to_owned(),
            ));
        }
        let now = truncate_to_micros(now);
        let txn = self.begin_write().await?;
        let found = case::Entity::find()
            .filter(case::Column::OrganisationId.eq(scope.organisation_id()))
            .filter(case::Column::Year.eq(number.year))
            .filter(case::Column::Seq.eq(i64::from(number.seq)))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let from: CaseState = found.state.parse().map_err(|_| {
            StoreError::corrupt("cases", found.id, format!("state {}", found.state))
        })?;
        let to = transition(from, &CaseAction::RecordAssessment).map_err(StoreError::Transition)?;
        let decided_by = format!("user:{}", scope.user().email);
        let controller_hours = new
            .controller_deadline_hours
            .unwrap_or(rejestr_scheduler::DEFAULT_CONTROLLER_HOURS);
        let row = assessment::Entity::insert(assessment::ActiveModel {
            case_id: Set(found.id),
            organisation_id: Set(scope.organisation_id()),
            rule_set: Set(new.rule_set.clone()),
            facts: Set(new.facts.clone()),
            assessment: Set(new.assessment.clone()),
            engine_classification: Set(new.engine.classification.as_str().to_owned()),
            engine_risk: Set(new.engine.risk.clone()),
            engine_notify_sa: Set(new.engine.notify_sa),
            engine_notify_subjects: Set(new.engine.notify_subjects),
            final_classification: Set(new.decision.classification.as_str().to_owned()),
            final_risk: Set(new.decision.risk.clone()),
            final_notify_sa: Set(new.decision.notify_sa),
            final_notify_subjects: Set(new.decision.notify_subjects),
            engine_notify_controller: Set(new.engine.notify_controller),
            final_notify_controller: Set(new.decision.notify_controller),
            controller_deadline_hours: Set(new
                .controller_deadline_hours
                .and_then(|h| i32::try_from(h).ok())),
            justification: Set(justification.clone()),
            decided_by: Set(decided_by.clone()),
            created_at: Set(now),
            ..Default::default()
        })
        .exec_with_returning(&txn)
        .await?;
        let org = organisation::Entity::find_by_id(scope.organisation_id())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let ksc: rejestr_domain::org::KscStatus = org
            .ksc_status
            .parse()
            .map_err(|_| StoreError::corrupt("organisations", org.id, "ksc_status"))?;
        let kinds = crate::obligations::required_kinds(
            new.decision.classification,
            new.decision.notify_sa,
            new.decision.notify_subjects,
            new.decision.notify_controller.then_some(controller_hours),
            ksc,
        );
        crate::obligations::close_assess_reminder(&txn, found.id, "done", now).await?;
        crate::obligations::sync_obligations(&txn, &found, &kinds, now).await?;
        case::Entity::update_many()
            .col_expr(case::Column::State, Expr::value(to.as_str()))
            .col_expr(
                case::Column::Classification,
                Expr::value(new.decision.classification.as_str()),
            )
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
                actor: &decided_by,
                action: "case.assessed",
                data: json!({
                    "assessment_id": row.id,
                    "rule_set": new.rule_set,
                    "from": from.as_str(),
                    "to": to.as_str(),
                    "engine": conclusion_json(&new.engine),
                    "decision": conclusion_json(&new.decision),
                    "overridden": new.engine != new.decision,
                    "justification": justification,
                }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(to)
    }

    /// The case's latest assessment, if any.
    pub async fn latest_assessment(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
    ) -> Result<Option<RecordedAssessment>, StoreError> {
        scope.require(Permission::ReadRegister)?;
        let Some(found) = case::Entity::find()
            .filter(case::Column::OrganisationId.eq(scope.organisation_id()))
            .filter(case::Column::Year.eq(number.year))
            .filter(case::Column::Seq.eq(i64::from(number.seq)))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let Some(row) = assessment::Entity::find()
            .filter(assessment::Column::CaseId.eq(found.id))
            .filter(assessment::Column::OrganisationId.eq(scope.organisation_id()))
            .order_by_desc(assessment::Column::Id)
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let bad = || StoreError::corrupt("assessments", row.id, "classification");
        Ok(Some(RecordedAssessment {
            engine: conclusion(
                &row.engine_classification,
                &row.engine_risk,
                row.engine_notify_sa,
                row.engine_notify_subjects,
                row.engine_notify_controller,
            )
            .ok_or_else(bad)?,
            decision: conclusion(
                &row.final_classification,
                &row.final_risk,
                row.final_notify_sa,
                row.final_notify_subjects,
                row.final_notify_controller,
            )
            .ok_or_else(bad)?,
            rule_set: row.rule_set,
            facts: row.facts,
            assessment: row.assessment,
            justification: row.justification,
            controller_deadline_hours: row
                .controller_deadline_hours
                .and_then(|h| u32::try_from(h).ok()),
            decided_by: row.decided_by,
            created_at: row.created_at,
        }))
    }
}
