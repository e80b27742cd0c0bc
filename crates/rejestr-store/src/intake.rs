//! Group commit of reports.
//!
//! A report is acknowledged only after the transaction that stores it has committed, and a
//! durable commit costs one flush to disk (an fsync of SQLite's WAL, PostgreSQL's WAL flush).
//! Reports arriving together would queue for that flush one by one, and on PostgreSQL they
//! also queue on the organisation's counter and audit-head rows, which stay locked until
//! commit. So every report goes to one writer task per process; the writer takes whatever is
//! waiting (up to [`MAX_BATCH`] reports, [`MAX_BATCH_BYTES`] of attachments), stores it in one
//! transaction and commits once. Each reporter is answered after that commit, never before:
//! durability is unchanged, only the flushes are shared.
//!
//! A batch that fails part-way is rolled back and its reports are stored one by one, each in
//! its own transaction, so one report the database refuses (a NUL character on PostgreSQL)
//! does not take the others down with it. When the database cannot even start a transaction,
//! every report in the batch gets that answer at once: nothing was stored.
//!
//! Within a batch the reports are ordered by organisation, so batches of different replicas
//! lock the organisations' rows in the same order and cannot deadlock each other.

use std::sync::{Arc, Mutex};

use sea_orm::{DatabaseConnection, DbBackend};
use tokio::sync::{Semaphore, mpsc, oneshot};

use crate::db::begin_write_on;
use crate::report::{PendingReport, insert_reports};
use crate::{Receipt, StoreError};

/// The most reports one transaction stores.
pub const MAX_BATCH: usize = 256;
/// The most attachment bytes one transaction stores (a single larger report goes alone).
pub const MAX_BATCH_BYTES: usize = 16 * 1024 * 1024;
/// Batches stored at once on PostgreSQL.
const POSTGRES_WRITERS: usize = 2;
/// Reports waiting for the writer before submitters wait for room (back-pressure).
const QUEUE: usize = 4096;

struct Job {
    report: PendingReport,
    reply: oneshot::Sender<Result<Receipt, StoreError>>,
}

/// The handle to the process's intake writer; the task starts with the first report.
#[derive(Default)]
pub(crate) struct IntakeWriter {
    sender: Mutex<Option<mpsc::Sender<Job>>>,
}

impl std::fmt::Debug for IntakeWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntakeWriter").finish_non_exhaustive()
    }
}

impl IntakeWriter {
    /// Hands the report to the writer and waits until it is committed (or refused).
    pub(crate) async fn submit(
        self: &Arc<Self>,
        db: &DatabaseConnection,
        report: PendingReport,
    ) -> Result<Receipt, StoreError> {
        let (reply, answer) = oneshot::channel();
        let mut job = Job { report, reply };
        // A writer dies with the runtime that spawned it (a test's runtime, say). A job the
        // writer never received can safely go to a new one; a received job never is resent.
        for _ in 0..2 {
            let sender = self.sender(db);
            match sender.send(job).await {
                Ok(()) => {
                    return answer.await.unwrap_or_else(|_| {
                        Err(StoreError::Unavailable(
                            "the intake writer stopped before answering".to_owned(),
                        ))
                    });
                }
                Err(mpsc::error::SendError(returned)) => {
                    job = returned;
                    self.forget(&sender);
                }
            }
        }
        Err(StoreError::Unavailable(
            "the intake writer cannot be started".to_owned(),
        ))
    }

    fn sender(&self, db: &DatabaseConnection) -> mpsc::Sender<Job> {
        let mut slot = self.sender.lock().unwrap_or_else(|p| p.into_inner());
        match slot.as_ref() {
            Some(sender) if !sender.is_closed() => sender.clone(),
            _ => {
                let (sender, receiver) = mpsc::channel(QUEUE);
                tokio::spawn(run(db.clone(), receiver));
                *slot = Some(sender.clone());
                sender
            }
        }
    }

    fn forget(&self, dead: &mpsc::Sender<Job>) {
        let mut slot = self.sender.lock().unwrap_or_else(|p| p.into_inner());
        if slot.as_ref().is_some_and(|s| s.same_channel(dead)) {
            *slot = None;
        }
    }
}

/// The writer: it collects what is waiting into a batch and hands it to a task of its own,
/// at most `writers` at once (one on SQLite, which has a single writer anyway; more on
/// PostgreSQL, where one batch's statements can run while another's commit is flushed). A
/// panic fails only that batch's reports: their answers are dropped, which reads as "not
/// stored".
async fn run(db: DatabaseConnection, mut queue: mpsc::Receiver<Job>) {
    let writers = match db.get_database_backend() {
        DbBackend::Postgres => POSTGRES_WRITERS,
        _ => 1,
    };
    let slots = Arc::new(Semaphore::new(writers));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let Some(first) = queue.recv().await else {
            return;
        };
        let mut bytes = first.report.attachment_bytes();
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH && bytes < MAX_BATCH_BYTES {
            match queue.try_recv() {
                Ok(job) => {
                    bytes += job.report.attachment_bytes();
                    batch.push(job);
                }
                Err(_) => break,
            }
        }
        let db = db.clone();
        tokio::spawn(async move {
            let (reports, started) = (batch.len(), std::time::Instant::now());
            store_batch(db, batch).await;
            tracing::debug!(
                reports,
                elapsed_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
                "intake batch stored"
            );
            drop(slot);
        });
    }
}

async fn store_batch(db: DatabaseConnection, mut batch: Vec<Job>) {
    // Stable: within an organisation the numbers follow the order of arrival.
    batch.sort_by_key(|job| job.report.organisation.id);
    if batch.len() > 1 {
        match store_together(&db, &batch).await {
            Ok(receipts) => {
                for (job, receipt) in batch.into_iter().zip(receipts) {
                    let _ = job.reply.send(Ok(receipt));
                }
                return;
            }
            Err(Failed::Begin(error)) => {
                tracing::error!(%error, reports = batch.len(), "storage unavailable for an intake batch");
                let message = error.to_string();
                for job in batch {
                    let _ = job
                        .reply
                        .send(Err(StoreError::Unavailable(message.clone())));
                }
                return;
            }
            Err(Failed::During(error)) => {
                tracing::warn!(%error, reports = batch.len(), "an intake batch failed; storing its reports one by one");
            }
        }
    }
    for job in batch {
        let result = store_alone(&db, &job.report).await;
        let _ = job.reply.send(result);
    }
}

enum Failed {
    /// No transaction could be started: nothing was attempted.
    Begin(StoreError),
    /// A statement or the commit failed: the transaction is rolled back.
    During(StoreError),
}

async fn store_together(db: &DatabaseConnection, batch: &[Job]) -> Result<Vec<Receipt>, Failed> {
    let txn = begin_write_on(db).await.map_err(Failed::Begin)?;
    let reports: Vec<&PendingReport> = batch.iter().map(|job| &job.report).collect();
    let receipts = insert_reports(&txn, &reports)
        .await
        .map_err(Failed::During)?;
    txn.commit()
        .await
        .map_err(|e| Failed::During(StoreError::from(e)))?;
    Ok(receipts)
}

async fn store_alone(
    db: &DatabaseConnection,
    report: &PendingReport,
) -> Result<Receipt, StoreError> {
    let txn = begin_write_on(db).await?;
    let mut receipts = insert_reports(&txn, &[report]).await?;
    txn.commit().await?;
    receipts
        .pop()
        .ok_or_else(|| StoreError::Unavailable("the report was not stored".to_owned()))
}
