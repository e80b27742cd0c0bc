//! Obligations and their deadlines, and the tick that writes due escalation steps to the outbox.
//!
//! Every organisation has its own escalation ladder (`organisations.escalation_*`). The tick
//! applies each obligation's organisation's ladder; a changed ladder applies from the instant
//! of the change (`obligations.decided_until`), so what the old ladder decided never fires
//! again and the unique key `(obligation_id, step)` still refuses any repeat.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rejestr_domain::case::{CaseNumber, Classification};
use rejestr_domain::org::KscStatus;
use rejestr_domain::role::Permission;
use rejestr_scheduler::{Ladder, ObligationKind, Watched, due, next_step_at};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement,
};
use serde_json::json;

use crate::audit::{self, AuditEntry, truncate_to_micros};
use crate::entity::{case, obligation, organisation, outbox};
use crate::org::ladder_of;
use crate::{OrgScope, Session, Store, StoreError};

/// How many obligations one tick looks at; the rest wait for the next tick.
const TICK_BATCH: u64 = 5_000;

/// An obligation as the case page and the dashboard show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObligationView {
    pub kind: ObligationKind,
    pub state: String,
    pub start_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub channel: Option<String>,
    pub reference: Option<String>,
    pub delay_reasons: Option<String>,
    pub not_required_reason: Option<String>,
    pub case_number: CaseNumber,
    pub organisation_slug: String,
    pub organisation_name: String,
}

impl ObligationView {
    pub fn is_open(&self) -> bool {
        matches!(self.state.as_str(), "pending" | "drafted")
    }
}

/// How an obligation was closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fulfilment {
    Sent {
        channel: String,
        reference: Option<String>,
        /// Required when sent after the deadline (art. 33(1)).
        delay_reasons: Option<String>,
    },
    NotRequired {
        reason: String,
    },
}

/// A step written to the outbox by a tick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiredStep {
    pub case_number: String,
    pub organisation: String,
    pub obligation: String,
    pub step: String,
    pub audience: String,
    pub late: bool,
}

fn watched(o: &obligation::Model) -> Option<Watched> {
    Some(Watched {
        id: o.id,
        kind: ObligationKind::parse(&o.kind)?,
        start: o.start_at,
        deadline: o.deadline,
        decided_until: o.decided_until,
    })
}

fn target_of(o: &obligation::Model) -> Option<u32> {
    o.target_hours.and_then(|h| u32::try_from(h).ok())
}

/// The organisation's ladder, read inside the caller's transaction.
pub(crate) async fn ladder_in(
    txn: &DatabaseTransaction,
    organisation_id: i64,
) -> Result<Ladder, StoreError> {
    let org = organisation::Entity::find_by_id(organisation_id)
        .one(txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    ladder_of(&org)
}

/// An obligation a decision requires, with the chosen target in hours of a kind that has one
/// (the processor's contract for `NotifyController`; the assessment reminder takes the
/// organisation's hours when `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Required {
    pub kind: ObligationKind,
    pub target_hours: Option<u32>,
}

impl Required {
    pub(crate) fn plain(kind: ObligationKind) -> Self {
        Self {
            kind,
            target_hours: None,
        }
    }
}

/// Which obligations a decision entails for an organisation. `controller_hours` is the
/// processor's contract target when the office must notify the controller (art. 33(2)).
pub(crate) fn required_kinds(
    classification: Classification,
    notify_sa: bool,
    notify_subjects: bool,
    controller_hours: Option<u32>,
    ksc: KscStatus,
) -> Vec<Required> {
    let mut kinds = Vec::new();
    if notify_sa {
        kinds.push(Required::plain(ObligationKind::NotifySa));
    }
    if notify_subjects {
        kinds.push(Required::plain(ObligationKind::NotifySubjects));
    }
    if let Some(hours) = controller_hours {
        kinds.push(Required {
            kind: ObligationKind::NotifyController,
            target_hours: Some(hours),
        });
    }
    if ksc.csirt_reporting()
        && matches!(
            classification,
            Classification::SecurityIncident | Classification::PersonalDataBreach
        )
    {
        kinds.extend(
            [
                ObligationKind::CsirtEarlyWarning,
                ObligationKind::CsirtNotification,
                ObligationKind::CsirtFinalReport,
            ]
            .map(Required::plain),
        );
    }
    kinds
}

/// Closes the "assess" reminder when the case is assessed or rejected.
pub(crate) async fn close_assess_reminder(
    txn: &DatabaseTransaction,
    case_id: i64,
    state: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    obligation::Entity::update_many()
        .col_expr(obligation::Column::State, Expr::value(state))
        .col_expr(
            obligation::Column::NextStepAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(obligation::Column::UpdatedAt, Expr::value(now))
        .filter(obligation::Column::CaseId.eq(case_id))
        .filter(obligation::Column::Kind.eq(ObligationKind::Assess.as_str()))
        .filter(obligation::Column::State.is_in(["pending", "drafted"]))
        .exec(txn)
        .await?;
    Ok(())
}

/// When a new obligation is due and when the scheduler first looks at it.
#[derive(Clone, Copy)]
struct Planned {
    kind: ObligationKind,
    target_column: Option<i32>,
    deadline: DateTime<Utc>,
    first_look: DateTime<Utc>,
}

fn plan(found: &case::Model, wanted: Required, ladder: &Ladder, now: DateTime<Utc>) -> Planned {
    let kind = wanted.kind;
    let target = match kind {
        ObligationKind::Assess => Some(ladder.assess_after_hours()),
        _ if kind.has_target() => wanted.target_hours,
        _ => None,
    };
    let deadline = kind.deadline(found.aware_at, target);
    let watch = Watched {
        id: 0,
        kind,
        start: found.aware_at,
        deadline,
        decided_until: None,
    };
    // The first look is at the first rung (or now, when the case is assessed late).
    let first_look = next_step_at(found.aware_at, &watch, ladder)
        .unwrap_or(now)
        .min(deadline);
    Planned {
        kind,
        target_column: target.and_then(|h| i32::try_from(h).ok()),
        deadline,
        first_look,
    }
}

impl Planned {
    /// The pending obligation's row for `found`.
    fn row(&self, found: &case::Model, now: DateTime<Utc>) -> obligation::ActiveModel {
        obligation::ActiveModel {
            case_id: Set(found.id),
            organisation_id: Set(found.organisation_id),
            kind: Set(self.kind.as_str().to_owned()),
            state: Set("pending".to_owned()),
            start_at: Set(found.aware_at),
            deadline: Set(self.deadline),
            next_step_at: Set(Some(self.first_look)),
            sent_at: Set(None),
            channel: Set(None),
            reference: Set(None),
            delay_reasons: Set(None),
            not_required_reason: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            target_hours: Set(self.target_column),
            decided_until: Set(None),
            ..Default::default()
        }
    }
}

/// The row of an obligation `found` newly has, pending under `ladder`.
pub(crate) fn new_obligation(
    found: &case::Model,
    wanted: Required,
    ladder: &Ladder,
    now: DateTime<Utc>,
) -> obligation::ActiveModel {
    plan(found, wanted, ladder, now).row(found, now)
}

/// Creates the obligations a decision entails (deadlines from the case's `aware_at` and the
/// organisation's ladder) and retires the open ones it no longer does. An open obligation whose
/// chosen target changed (a re-assessment with another contract term) gets the new deadline.
pub(crate) async fn sync_obligations(
    txn: &DatabaseTransaction,
    found: &case::Model,
    required: &[Required],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let ladder = ladder_in(txn, found.organisation_id).await?;
    for wanted in required {
        let planned = plan(found, *wanted, &ladder, now);
        let Planned {
            kind,
            target_column,
            deadline,
            first_look,
        } = planned;
        obligation::Entity::insert(planned.row(found, now))
            .on_conflict(
                OnConflict::columns([obligation::Column::CaseId, obligation::Column::Kind])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
        if kind.has_target() {
            obligation::Entity::update_many()
                .col_expr(obligation::Column::TargetHours, Expr::value(target_column))
                .col_expr(obligation::Column::Deadline, Expr::value(deadline))
                .col_expr(
                    obligation::Column::NextStepAt,
                    Expr::value(Some(first_look)),
                )
                .col_expr(obligation::Column::UpdatedAt, Expr::value(now))
                .filter(obligation::Column::CaseId.eq(found.id))
                .filter(obligation::Column::Kind.eq(kind.as_str()))
                .filter(obligation::Column::State.is_in(["pending", "drafted"]))
                .filter(obligation::Column::TargetHours.ne(target_column))
                .exec(txn)
                .await?;
        }
    }
    let mut wanted: Vec<&str> = required.iter().map(|r| r.kind.as_str()).collect();
    // The assessment reminder has its own life (closed by the assessment or a rejection).
    wanted.push(ObligationKind::Assess.as_str());
    obligation::Entity::update_many()
        .col_expr(obligation::Column::State, Expr::value("not_required"))
        .col_expr(
            obligation::Column::NotRequiredReason,
            Expr::value("ponowna ocena: obowiązek nie wynika już z decyzji IOD"),
        )
        .col_expr(
            obligation::Column::NextStepAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(obligation::Column::UpdatedAt, Expr::value(now))
        .filter(obligation::Column::CaseId.eq(found.id))
        .filter(obligation::Column::State.is_in(["pending", "drafted"]))
        .filter(obligation::Column::Kind.is_not_in(wanted))
        .exec(txn)
        .await?;
    Ok(())
}

/// Moves the open obligations' clocks when `aware_at` moves.
pub(crate) async fn restart_clocks(
    txn: &DatabaseTransaction,
    case_id: i64,
    aware_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let open = obligation::Entity::find()
        .filter(obligation::Column::CaseId.eq(case_id))
        .filter(obligation::Column::State.is_in(["pending", "drafted"]))
        .all(txn)
        .await?;
    let Some(first) = open.first() else {
        return Ok(());
    };
    let ladder = ladder_in(txn, first.organisation_id).await?;
    for o in open {
        let Some(kind) = ObligationKind::parse(&o.kind) else {
            continue;
        };
        let deadline = kind.deadline(aware_at, target_of(&o));
        let watch = Watched {
            id: o.id,
            kind,
            start: aware_at,
            deadline,
            decided_until: o.decided_until,
        };
        obligation::Entity::update_many()
            .col_expr(obligation::Column::StartAt, Expr::value(aware_at))
            .col_expr(obligation::Column::Deadline, Expr::value(deadline))
            .col_expr(
                obligation::Column::NextStepAt,
                Expr::value(Some(next_step_at(aware_at, &watch, &ladder).unwrap_or(now))),
            )
            .col_expr(obligation::Column::UpdatedAt, Expr::value(now))
            .filter(obligation::Column::Id.eq(o.id))
            .exec(txn)
            .await?;
    }
    Ok(())
}

impl Store {
    async fn views(&self, rows: Vec<obligation::Model>) -> Result<Vec<ObligationView>, StoreError> {
        let mut views = Vec::with_capacity(rows.len());
        for o in rows {
            let Some(kind) = ObligationKind::parse(&o.kind) else {
                continue;
            };
            let Some(found) = case::Entity::find_by_id(o.case_id).one(&self.db).await? else {
                continue;
            };
            let Some(org) = organisation::Entity::find_by_id(o.organisation_id)
                .one(&self.db)
                .await?
            else {
                continue;
            };
            views.push(ObligationView {
                kind,
                state: o.state,
                start_at: o.start_at,
                deadline: o.deadline,
                sent_at: o.sent_at,
                channel: o.channel,
                reference: o.reference,
                delay_reasons: o.delay_reasons,
                not_required_reason: o.not_required_reason,
                case_number: CaseNumber::new(u32::try_from(found.seq).unwrap_or(0), found.year)
                    .map_err(|_| StoreError::corrupt("cases", found.id, "number"))?,
                organisation_slug: org.slug,
                organisation_name: org.name,
            });
        }
        Ok(views)
    }

    pub async fn obligations_of_case(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
    ) -> Result<Vec<ObligationView>, StoreError> {
        scope.require(Permission::ReadRegister)?;
        let Some(found) = case::Entity::find()
            .filter(case::Column::OrganisationId.eq(scope.organisation_id()))
            .filter(case::Column::Year.eq(number.year))
            .filter(case::Column::Seq.eq(i64::from(number.seq)))
            .one(&self.db)
            .await?
        else {
            return Ok(Vec::new());
        };
        let rows = obligation::Entity::find()
            .filter(obligation::Column::CaseId.eq(found.id))
            .order_by_asc(obligation::Column::Deadline)
            .all(&self.db)
            .await?;
        self.views(rows).await
    }

    /// Every open obligation in the organisations where the user reads the register, nearest
    /// deadline first: the IOD's deadline dashboard.
    pub async fn open_obligations(
        &self,
        session: &Session,
    ) -> Result<Vec<ObligationView>, StoreError> {
        let orgs: Vec<i64> = session
            .memberships
            .iter()
            .filter(|m| m.roles.iter().any(|r| r.allows(Permission::ReadRegister)))
            .map(|m| m.organisation_id)
            .collect();
        if orgs.is_empty() {
            return Ok(Vec::new());
        }
        let rows = obligation::Entity::find()
            .filter(obligation::Column::OrganisationId.is_in(orgs))
            .filter(obligation::Column::State.is_in(["pending", "drafted"]))
            .order_by_asc(obligation::Column::Deadline)
            .limit(500)
            .all(&self.db)
            .await?;
        self.views(rows).await
    }

    /// Marks an obligation sent or not required. Sending the PUODO notification after the
    /// 72 hours requires the reasons for the delay.
    pub async fn fulfil_obligation(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
        kind: ObligationKind,
        fulfilment: &Fulfilment,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        scope.require(Permission::ChangeCases)?;
        let now = truncate_to_micros(now);
        let txn = self.begin_write().await?;
        let found = case::Entity::find()
            .filter(case::Column::OrganisationId.eq(scope.organisation_id()))
            .filter(case::Column::Year.eq(number.year))
            .filter(case::Column::Seq.eq(i64::from(number.seq)))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        fulfil_in(&txn, scope, &found, kind, fulfilment, now, true).await?;
        txn.commit().await?;
        Ok(())
    }

    /// One scheduler tick at `now`: writes every due step to the outbox (once: the unique key
    /// refuses repeats) and moves each obligation's next look, each by its organisation's
    /// ladder. With `dry_run` nothing is written and the steps that would fire are returned.
    /// Safe to run from several replicas at once.
    pub async fn tick(
        &self,
        now: DateTime<Utc>,
        dry_run: bool,
    ) -> Result<Vec<FiredStep>, StoreError> {
        let now = truncate_to_micros(now);
        let txn = self.begin_write().await?;
        lock_scheduler(&txn).await?;
        let due_now = obligation::Entity::find()
            .filter(obligation::Column::NextStepAt.lte(now))
            .filter(obligation::Column::State.is_in(["pending", "drafted"]))
            .order_by_asc(obligation::Column::NextStepAt)
            .limit(TICK_BATCH)
            .all(&txn)
            .await?;
        // Each organisation's slug and ladder, read once per tick.
        let mut orgs: HashMap<i64, Option<(String, Ladder)>> = HashMap::new();
        let mut fired = Vec::new();
        for o in due_now {
            let entry = match orgs.entry(o.organisation_id) {
                std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    let org = organisation::Entity::find_by_id(o.organisation_id)
                        .one(&txn)
                        .await?;
                    let entry = match org {
                        Some(org) => Some((org.slug.clone(), ladder_of(&org)?)),
                        None => None,
                    };
                    slot.insert(entry)
                }
            };
            let Some((slug, ladder)) = entry.as_ref() else {
                continue;
            };
            fired.extend(fire_due(&txn, &o, slug, ladder, now, dry_run).await?);
        }
        if dry_run {
            txn.rollback().await?;
        } else {
            txn.commit().await?;
        }
        Ok(fired)
    }
}

/// Serialises the scheduler's decisions between replicas on PostgreSQL (a transaction-scoped
/// advisory lock; SQLite's `BEGIN IMMEDIATE` already does). Replicas wait for each other
/// instead of doing the same work; correctness still comes from the unique keys.
pub(crate) async fn lock_scheduler(txn: &DatabaseTransaction) -> Result<(), StoreError> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock(7272007200)",
        ))
        .await?;
    }
    Ok(())
}

/// Writes the steps of one obligation that are due at `now` under `ladder` to the outbox
/// (the unique key refuses a repeat) and moves its next look; returns what fired. With
/// `dry_run` nothing is written.
pub(crate) async fn fire_due(
    txn: &DatabaseTransaction,
    o: &obligation::Model,
    organisation_slug: &str,
    ladder: &Ladder,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<Vec<FiredStep>, StoreError> {
    let Some(watch) = watched(o) else {
        return Ok(Vec::new());
    };
    let steps = due(now, &watch, ladder);
    let mut fired = Vec::new();
    if !steps.is_empty() {
        let already: Vec<String> = outbox::Entity::find()
            .filter(outbox::Column::ObligationId.eq(o.id))
            .select_only()
            .column(outbox::Column::Step)
            .into_tuple::<String>()
            .all(txn)
            .await?;
        let Some(found) = case::Entity::find_by_id(o.case_id).one(txn).await? else {
            return Ok(Vec::new());
        };
        let case_number = CaseNumber::new(u32::try_from(found.seq).unwrap_or(0), found.year)
            .map(|n| n.to_string())
            .unwrap_or_default();
        for step in steps {
            if already.contains(&step.key) {
                continue;
            }
            // A step written more than 5 minutes after it was due says so (missed by downtime).
            let late = now - step.due_at > chrono::Duration::minutes(5);
            if !dry_run {
                let inserted = outbox::Entity::insert(outbox::ActiveModel {
                    obligation_id: Set(o.id),
                    organisation_id: Set(o.organisation_id),
                    case_id: Set(o.case_id),
                    step: Set(step.key.clone()),
                    audience: Set(step.audience.as_str().to_owned()),
                    due_at: Set(step.due_at),
                    late: Set(late),
                    created_at: Set(now),
                    delivered_at: Set(None),
                    claimed_until: Set(None),
                    attempts: Set(0),
                    last_error: Set(None),
                    ..Default::default()
                })
                .on_conflict(
                    OnConflict::columns([outbox::Column::ObligationId, outbox::Column::Step])
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(txn)
                .await?;
                if inserted == 0 {
                    continue;
                }
            }
            fired.push(FiredStep {
                case_number: case_number.clone(),
                organisation: organisation_slug.to_owned(),
                obligation: o.kind.clone(),
                step: step.key.clone(),
                audience: step.audience.as_str().to_owned(),
                late,
            });
        }
    }
    if !dry_run {
        obligation::Entity::update_many()
            .col_expr(
                obligation::Column::NextStepAt,
                Expr::value(next_step_at(now, &watch, ladder)),
            )
            .filter(obligation::Column::Id.eq(o.id))
            .exec(txn)
            .await?;
    }
    Ok(fired)
}

/// Closes the obligation `kind` of a case inside the caller's transaction, with its audit event.
/// With `must_be_open` false an absent or already closed obligation is left alone (a document
/// sent as a supplement, say) and `Ok(false)` says nothing was closed.
pub(crate) async fn fulfil_in(
    txn: &DatabaseTransaction,
    scope: &OrgScope,
    found: &case::Model,
    kind: ObligationKind,
    fulfilment: &Fulfilment,
    now: DateTime<Utc>,
    must_be_open: bool,
) -> Result<bool, StoreError> {
    let Some(o) = obligation::Entity::find()
        .filter(obligation::Column::CaseId.eq(found.id))
        .filter(obligation::Column::Kind.eq(kind.as_str()))
        .one(txn)
        .await?
    else {
        return if must_be_open {
            Err(StoreError::NotFound)
        } else {
            Ok(false)
        };
    };
    if !matches!(o.state.as_str(), "pending" | "drafted") {
        return if must_be_open {
            Err(StoreError::InvalidInput(
                "the obligation is already closed".to_owned(),
            ))
        } else {
            Ok(false)
        };
    }
    let data = match fulfilment {
        Fulfilment::Sent {
            channel,
            reference,
            delay_reasons,
        } => {
            let delay = delay_reasons
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty());
            if channel.trim().is_empty() {
                return Err(StoreError::InvalidInput("say how it was sent".to_owned()));
            }
            if now > o.deadline && delay.is_none() {
                return Err(StoreError::InvalidInput(
                    "sent after the deadline: the reasons for the delay are required".to_owned(),
                ));
            }
            obligation::Entity::update_many()
                .col_expr(obligation::Column::State, Expr::value("sent"))
                .col_expr(obligation::Column::SentAt, Expr::value(Some(now)))
                .col_expr(
                    obligation::Column::Channel,
                    Expr::value(Some(channel.trim().to_owned())),
                )
                .col_expr(
                    obligation::Column::Reference,
                    Expr::value(reference.clone()),
                )
                .col_expr(
                    obligation::Column::DelayReasons,
                    Expr::value(delay.map(str::to_owned)),
                )
                .col_expr(
                    obligation::Column::NextStepAt,
                    Expr::value(Option::<DateTime<Utc>>::None),
                )
                .col_expr(obligation::Column::UpdatedAt, Expr::value(now))
                .filter(obligation::Column::Id.eq(o.id))
                .exec(txn)
                .await?;
            json!({"kind": kind.as_str(), "state": "sent", "channel": channel, "reference": reference,
                       "late": now > o.deadline, "delay_reasons": delay})
        }
        Fulfilment::NotRequired { reason } => {
            if reason.trim().is_empty() {
                return Err(StoreError::InvalidInput(
                    "say why it is not required".to_owned(),
                ));
            }
            obligation::Entity::update_many()
                .col_expr(obligation::Column::State, Expr::value("not_required"))
                .col_expr(
                    obligation::Column::NotRequiredReason,
                    Expr::value(Some(reason.trim().to_owned())),
                )
                .col_expr(
                    obligation::Column::NextStepAt,
                    Expr::value(Option::<DateTime<Utc>>::None),
                )
                .col_expr(obligation::Column::UpdatedAt, Expr::value(now))
                .filter(obligation::Column::Id.eq(o.id))
                .exec(txn)
                .await?;
            json!({"kind": kind.as_str(), "state": "not_required", "reason": reason.trim()})
        }
    };
    audit::append(
        txn,
        AuditEntry {
            organisation_id: scope.organisation_id(),
            case_id: Some(found.id),
            at: now,
            actor: &format!("user:{}", scope.user().email),
            action: "obligation.fulfilled",
            data,
        },
    )
    .await?;
    Ok(true)
}
