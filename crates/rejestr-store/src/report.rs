//! Accepting a report: number it, store it with its attachments, record it in the audit
//! chain, all in one transaction. When `submit_report` returns `Ok` the report is committed.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Europe::Warsaw;
use rejestr_domain::case::{CaseNumber, CaseState, Classification, ReportSource};
use rejestr_intake::{CheckedAttachment, NewReport};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit::{self, AuditEntry, truncate_to_micros};
use crate::db::backend;
use crate::entity::{attachment, attachment_content, case, obligation, organisation};
use crate::{Organisation, Store, StoreError};

/// A checked attachment with its bytes.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub checked: CheckedAttachment,
    pub content: Vec<u8>,
}

/// What the reporter gets back at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub case_id: i64,
    pub number: CaseNumber,
    pub state: CaseState,
    pub reported_at: DateTime<Utc>,
    /// The secret of the private follow link; only its hash is stored.
    pub follow_token: String,
}

/// One of a signed-in reporter's own reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyReport {
    pub number: CaseNumber,
    pub organisation_name: String,
    pub state: CaseState,
    pub reported_at: DateTime<Utc>,
    pub excerpt: String,
}

/// What the follow link shows a reporter: no content of the report, only its progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseStatus {
    pub number: CaseNumber,
    pub organisation_name: String,
    pub organisation_slug: String,
    pub iod_name: String,
    pub iod_email: String,
    pub state: CaseState,
    pub source: ReportSource,
    pub reported_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub attachments: u64,
}

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A report on its way to the intake writer: everything needed to store it.
#[derive(Debug, Clone)]
pub(crate) struct PendingReport {
    pub(crate) organisation: Organisation,
    pub(crate) report: NewReport,
    pub(crate) attachments: Vec<NewAttachment>,
    pub(crate) actor: String,
    pub(crate) reporter_user: Option<i64>,
    /// Made before the first attempt, so a retry gives the same link.
    pub(crate) follow_token: String,
}

impl PendingReport {
    pub(crate) fn attachment_bytes(&self) -> usize {
        self.attachments.iter().map(|a| a.content.len()).sum()
    }
}

impl Store {
    /// Accepts a report: numbers it and stores it with its attachments, its assessment
    /// reminder and its audit event in one transaction. When this returns `Ok` the report is
    /// committed (durably); reports arriving together share one commit (see `intake`).
    pub async fn submit_report(
        &self,
        org: &Organisation,
        report: &NewReport,
        attachments: Vec<NewAttachment>,
        actor: &str,
        reporter_user: Option<i64>,
    ) -> Result<Receipt, StoreError> {
        let pending = PendingReport {
            organisation: org.clone(),
            report: report.clone(),
            attachments,
            actor: actor.to_owned(),
            reporter_user,
            follow_token: hex::encode(rand::random::<[u8; 32]>()),
        };
        let result = self.intake.submit(&self.db, pending).await;
        if result.is_err() {
            // After a failure the organisations are read from the database again until a
            // report gets through. Observed, not explained: with the cache kept, SQLite that
            // ran out of disk space often stayed unable to write after space was freed
            // (`deploy/e2e/run.sh resilience sqlite-full-disk` failed 2 runs in 3); with the
            // reads back it recovered in every run.
            self.orgs.clear();
        }
        result
    }
}

/// Stores reports in the caller's write transaction, answering each with its receipt (in
/// the order given). The work is done per organisation: one counter update per year numbers
/// all of its reports, one read of the audit head and one update extend its chain, and the
/// cases, reminders and audit events are inserted as multi-row statements. The cost of a
/// batch is thus a few statements per organisation plus one per attachment, not eight per
/// report.
///
/// Rows are locked in one order whatever the order of `reports`: organisations by id, and
/// within one its counters by year, then its audit head. Concurrent batches (several writers,
/// several replicas) therefore wait for each other but never deadlock.
pub(crate) async fn insert_reports(
    txn: &DatabaseTransaction,
    reports: &[&PendingReport],
) -> Result<Vec<Receipt>, StoreError> {
    let mut receipts: Vec<Option<Receipt>> = vec![None; reports.len()];
    // organisation -> year -> the reports' indexes, in the order given.
    let mut groups: BTreeMap<i64, BTreeMap<i32, Vec<usize>>> = BTreeMap::new();
    for (index, pending) in reports.iter().enumerate() {
        let year = truncate_to_micros(pending.report.reported_at)
            .with_timezone(&Warsaw)
            .year();
        groups
            .entry(pending.organisation.id)
            .or_default()
            .entry(year)
            .or_default()
            .push(index);
    }
    for (org_id, years) in groups {
        let mut numbered: Vec<(usize, CaseNumber)> = Vec::new();
        for (year, members) in years {
            let last = take_case_seqs(txn, org_id, year, members.len()).await?;
            let first = last + 1 - u32::try_from(members.len()).unwrap_or(u32::MAX);
            for (index, seq) in members.into_iter().zip(first..=last) {
                let number = CaseNumber::new(seq, year).map_err(|_| {
                    StoreError::corrupt("case_counters", org_id, format!("bad seq {seq}"))
                })?;
                numbered.push((index, number));
            }
        }
        // The audit events follow the order of arrival.
        numbered.sort_by_key(|(index, _)| *index);

        let stored = case::Entity::insert_many(
            numbered
                .iter()
                .map(|(index, number)| case_row(reports[*index], *number)),
        )
        .exec_with_returning(txn)
        .await?;
        let mut by_number: HashMap<(i32, i32), case::Model> =
            stored.into_iter().map(|c| ((c.year, c.seq), c)).collect();

        let ladder = crate::obligations::ladder_in(txn, org_id).await?;
        let mut reminders = Vec::with_capacity(numbered.len());
        let mut entries = Vec::with_capacity(numbered.len());
        for (index, number) in &numbered {
            let pending = &reports[*index];
            let case = by_number
                .remove(&(number.year, i32::try_from(number.seq).unwrap_or(i32::MAX)))
                .ok_or_else(|| {
                    StoreError::corrupt("cases", org_id, format!("{number} not returned"))
                })?;
            let files = insert_attachments(txn, &case, &pending.attachments).await?;
            // The IOD is reminded if the report waits (4 hours by default) for an assessment.
            reminders.push(crate::obligations::new_obligation(
                &case,
                crate::obligations::Required::plain(rejestr_scheduler::ObligationKind::Assess),
                &ladder,
                case.reported_at,
            ));
            receipts[*index] = Some(Receipt {
                case_id: case.id,
                number: *number,
                state: CaseState::Reported,
                reported_at: truncate_to_micros(pending.report.reported_at),
                follow_token: pending.follow_token.clone(),
            });
            entries.push((pending, case, *number, files));
        }
        obligation::Entity::insert_many(reminders)
            .exec_without_returning(txn)
            .await?;

        // The trail records facts about the report, not the personal data in it: the
        // description is referenced by its hash, the reporter only by what was given.
        let events: Vec<AuditEntry> = entries
            .iter()
            .map(|(pending, case, number, files)| {
                let report = &pending.report;
                AuditEntry {
                    organisation_id: org_id,
                    case_id: Some(case.id),
                    at: case.reported_at,
                    actor: &pending.actor,
                    action: "case.reported",
                    data: json!({
                        "number": number.to_string(),
                        "source": report.source.as_str(),
                        "state": CaseState::Reported.as_str(),
                        "occurred": report.occurred.kind(),
                        "discovered_at": case.discovered_at.to_rfc3339(),
                        "aware_at": case.aware_at.to_rfc3339(),
                        "data_categories": report.data_categories,
                        "subjects_estimate": report.subjects_estimate,
                        "description_sha256": hex::encode(Sha256::digest(report.description.as_bytes())),
                        "reporter_identified": report.reporter.name.is_some(),
                        "processor": report.processor.as_ref().map(|p| p.name.clone()),
                        "attachments": files,
                    }),
                }
            })
            .collect();
        audit::append_all(txn, org_id, events).await?;
    }
    receipts
        .into_iter()
        .enumerate()
        .map(|(index, receipt)| {
            receipt.ok_or_else(|| StoreError::corrupt("cases", index as i64, "report not stored"))
        })
        .collect()
}

/// The row of a new case.
fn case_row(pending: &PendingReport, number: CaseNumber) -> case::ActiveModel {
    let report = &pending.report;
    let reported_at = truncate_to_micros(report.reported_at);
    let (occurred_from, occurred_to) = report.occurred.bounds();
    let processor = report.processor.as_ref();
    case::ActiveModel {
        organisation_id: Set(pending.organisation.id),
        year: Set(number.year),
        seq: Set(i32::try_from(number.seq).unwrap_or(i32::MAX)),
        state: Set(CaseState::Reported.as_str().to_owned()),
        classification: Set(Classification::Unclassified.as_str().to_owned()),
        source: Set(report.source.as_str().to_owned()),
        description: Set(report.description.clone()),
        occurred_kind: Set(report.occurred.kind().to_owned()),
        occurred_from: Set(occurred_from.map(truncate_to_micros)),
        occurred_to: Set(occurred_to.map(truncate_to_micros)),
        discovered_at: Set(truncate_to_micros(report.discovered_at)),
        reported_at: Set(reported_at),
        aware_at: Set(truncate_to_micros(report.aware_at)),
        location: Set(report.location.clone()),
        data_categories: Set(
            serde_json::to_string(&report.data_categories).unwrap_or_else(|_| "[]".to_owned())
        ),
        subjects_estimate: Set(report
            .subjects_estimate
            .map(|n| i32::try_from(n).unwrap_or(i32::MAX))),
        reporter_name: Set(report.reporter.name.clone()),
        reporter_email: Set(report.reporter.email.clone()),
        reporter_phone: Set(report.reporter.phone.clone()),
        reporter_unit: Set(report.reporter.unit.clone()),
        processor_name: Set(processor.map(|p| p.name.clone())),
        processor_contract: Set(processor.and_then(|p| p.contract.clone())),
        processor_aware_at: Set(processor.map(|p| truncate_to_micros(p.aware_at))),
        follow_token_hash: Set(hash_token(&pending.follow_token)),
        updated_at: Set(reported_at),
        reporter_user_id: Set(pending.reporter_user),
        ..Default::default()
    }
}

/// Stores a case's attachments; returns what the audit event records of them.
async fn insert_attachments(
    txn: &DatabaseTransaction,
    case: &case::Model,
    attachments: &[NewAttachment],
) -> Result<Vec<serde_json::Value>, StoreError> {
    let mut files = Vec::with_capacity(attachments.len());
    for file in attachments {
        let stored = attachment::Entity::insert(attachment::ActiveModel {
            case_id: Set(case.id),
            organisation_id: Set(case.organisation_id),
            filename: Set(file.checked.filename.clone()),
            content_type: Set(file.checked.content_type.to_owned()),
            size: Set(i64::try_from(file.checked.size).unwrap_or(i64::MAX)),
            sha256: Set(file.checked.sha256.clone()),
            created_at: Set(case.reported_at),
            ..Default::default()
        })
        .exec_with_returning(txn)
        .await?;
        attachment_content::Entity::insert(attachment_content::ActiveModel {
            attachment_id: Set(stored.id),
            content: Set(file.content.clone()),
        })
        .exec_without_returning(txn)
        .await?;
        files.push(json!({
            "filename": file.checked.filename,
            "content_type": file.checked.content_type,
            "size": file.checked.size,
            "sha256": file.checked.sha256,
        }));
    }
    Ok(files)
}

impl Store {
    /// The status behind a private follow link, if the token is known.
    pub async fn case_by_follow_token(
        &self,
        token: &str,
    ) -> Result<Option<CaseStatus>, StoreError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let Some(case) = case::Entity::find()
            .filter(case::Column::FollowTokenHash.eq(hash_token(&token.to_ascii_lowercase())))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let org = organisation::Entity::find_by_id(case.organisation_id)
            .one(&self.db)
            .await?
            .ok_or_else(|| StoreError::corrupt("cases", case.id, "organisation missing"))?;
        let attachments = attachment::Entity::find()
            .filter(attachment::Column::CaseId.eq(case.id))
            .count(&self.db)
            .await?;
        let bad = |detail: String| StoreError::corrupt("cases", case.id, detail);
        Ok(Some(CaseStatus {
            number: CaseNumber::new(u32::try_from(case.seq).unwrap_or(0), case.year)
                .map_err(|_| bad(format!("bad number {}/{}", case.seq, case.year)))?,
            organisation_name: org.name,
            organisation_slug: org.slug,
            iod_name: org.iod_name,
            iod_email: org.iod_email,
            state: case
                .state
                .parse()
                .map_err(|_| bad(format!("bad state {}", case.state)))?,
            source: case
                .source
                .parse()
                .map_err(|_| bad(format!("bad source {}", case.source)))?,
            reported_at: case.reported_at,
            updated_at: case.updated_at,
            attachments,
        }))
    }

    /// The reports a signed-in user sent, newest first, across organisations.
    pub async fn my_reports(&self, user_id: i64) -> Result<Vec<MyReport>, StoreError> {
        let cases = case::Entity::find()
            .filter(case::Column::ReporterUserId.eq(user_id))
            .order_by_desc(case::Column::Id)
            .limit(200)
            .all(&self.db)
            .await?;
        let mut reports = Vec::with_capacity(cases.len());
        for found in cases {
            let org = organisation::Entity::find_by_id(found.organisation_id)
                .one(&self.db)
                .await?
                .ok_or_else(|| StoreError::corrupt("cases", found.id, "organisation missing"))?;
            let bad = |detail: String| StoreError::corrupt("cases", found.id, detail);
            reports.push(MyReport {
                number: CaseNumber::new(u32::try_from(found.seq).unwrap_or(0), found.year)
                    .map_err(|_| bad("number".to_owned()))?,
                organisation_name: org.name,
                state: found
                    .state
                    .parse()
                    .map_err(|_| bad(format!("state {}", found.state)))?,
                reported_at: found.reported_at,
                excerpt: found.description.chars().take(120).collect(),
            });
        }
        Ok(reports)
    }

    /// How many cases an organisation has (all years).
    pub async fn count_cases(&self, organisation_id: i64) -> Result<u64, StoreError> {
        Ok(case::Entity::find()
            .filter(case::Column::OrganisationId.eq(organisation_id))
            .count(&self.db)
            .await?)
    }
}

/// Takes the next `count` numbers of the organisation's year and returns the last of them.
/// The counter row is updated in the caller's transaction: PostgreSQL holds its row lock
/// until commit, SQLite holds the write lock (`BEGIN IMMEDIATE`), and a rollback returns the
/// numbers, so numbers have no gaps.
async fn take_case_seqs(
    txn: &DatabaseTransaction,
    organisation_id: i64,
    year: i32,
    count: usize,
) -> Result<u32, StoreError> {
    let db = backend(txn);
    let sql = match db {
        DbBackend::Postgres => {
            "INSERT INTO case_counters (organisation_id, year, last_seq) VALUES ($1, $2, $3) \
             ON CONFLICT (organisation_id, year) DO UPDATE SET last_seq = case_counters.last_seq + $3 \
             RETURNING last_seq"
        }
        _ => {
            "INSERT INTO case_counters (organisation_id, year, last_seq) VALUES (?1, ?2, ?3) \
             ON CONFLICT (organisation_id, year) DO UPDATE SET last_seq = case_counters.last_seq + ?3 \
             RETURNING last_seq"
        }
    };
    let count = i32::try_from(count)
        .map_err(|_| StoreError::corrupt("case_counters", organisation_id, "batch too large"))?;
    let row = txn
        .query_one_raw(Statement::from_sql_and_values(
            db,
            sql,
            [organisation_id.into(), year.into(), count.into()],
        ))
        .await?
        .ok_or_else(|| StoreError::corrupt("case_counters", organisation_id, "no row returned"))?;
    let seq: i32 = row.try_get("", "last_seq")?;
    u32::try_from(seq)
        .map_err(|_| StoreError::corrupt("case_counters", organisation_id, "negative seq"))
}
