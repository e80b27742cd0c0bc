//! Mail merge of the letter to data subjects: the recipients of one letter version, their
//! individual letters, and the e-mails, each sent once through its own queue row.
//!
//! Exactly once per recipient: a recipient is queued by an update that only touches rows not
//! yet queued, in one transaction with the audit entry, and the queued row carries the exact
//! text and its SHA-256. A dispatcher claims the row, sends it, and marks it delivered; a
//! failure is kept on the row (and shown to the IOD) and retried with back-off.

use chrono::{DateTime, Utc};
use rejestr_domain::case::CaseNumber;
use rejestr_domain::role::Permission;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit::{self, AuditEntry, truncate_to_micros};
use crate::casework::actor;
use crate::delivery::{MAX_ATTEMPTS, Queue, claim, deliver, fail};
use crate::documents::document_version;
use crate::entity::{letter_recipient, organisation};
use crate::{OrgScope, Store, StoreError};

/// The most recipients one letter version may have.
pub const MAX_RECIPIENTS: usize = 10_000;

/// A person to write to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecipient {
    pub name: String,
    pub address: Option<String>,
    pub email: Option<String>,
}

/// Where a recipient's e-mail stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailState {
    /// No e-mail address: the letter goes by post.
    PostOnly,
    /// Has an address; not sent yet.
    NotQueued,
    Queued {
        at: DateTime<Utc>,
    },
    Delivered {
        at: DateTime<Utc>,
    },
    /// The last attempt failed; `gave_up` after [`MAX_ATTEMPTS`].
    Failed {
        attempts: i32,
        error: String,
        gave_up: bool,
    },
}

/// A recipient of a letter version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterRecipient {
    pub position: i32,
    pub name: String,
    pub address: Option<String>,
    pub email: Option<String>,
    pub state: MailState,
    /// The SHA-256 of the e-mail text, once queued.
    pub sha256: Option<String>,
}

/// One e-mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterMail {
    pub id: i64,
    pub to_name: String,
    pub to_email: String,
    pub reply_to: String,
    pub subject: String,
    pub body: String,
}

/// The e-mail text of one recipient, rendered by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    pub position: i32,
    pub subject: String,
    pub body: String,
}

fn recipient(row: letter_recipient::Model) -> LetterRecipient {
    let state = match (&row.email, row.queued_at, row.delivered_at, &row.last_error) {
        (None, ..) => MailState::PostOnly,
        (Some(_), None, ..) => MailState::NotQueued,
        (Some(_), Some(_), Some(at), _) => MailState::Delivered { at },
        (Some(_), Some(_), None, Some(error)) => MailState::Failed {
            attempts: row.attempts,
            error: error.clone(),
            gave_up: row.attempts >= MAX_ATTEMPTS,
        },
        (Some(_), Some(at), None, None) => MailState::Queued { at },
    };
    LetterRecipient {
        position: row.position,
        name: row.name,
        address: row.address,
        email: row.email,
        state,
        sha256: row.sha256,
    }
}

impl Store {
    /// Adds recipients to a letter version, after those it has.
    pub async fn add_letter_recipients(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
        document: (&str, &str, i32),
        recipients: &[NewRecipient],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        scope.require(Permission::ChangeCases)?;
        let now = truncate_to_micros(now);
        let txn = self.begin_write().await?;
        let (found, doc) = document_version(&txn, scope, number, document).await?;
        let existing = letter_recipient::Entity::find()
            .filter(letter_recipient::Column::DocumentId.eq(doc.id))
            .order_by_desc(letter_recipient::Column::Position)
            .all(&txn)
            .await?;
        if existing.len() + recipients.len() > MAX_RECIPIENTS {
            return Err(StoreError::InvalidInput(format!(
                "a letter may have at most {MAX_RECIPIENTS} recipients"
            )));
        }
        let mut position = existing.first().map_or(0, |r| r.position);
        let rows: Vec<letter_recipient::ActiveModel> = recipients
            .iter()
            .map(|r| {
                position += 1;
                letter_recipient::ActiveModel {
                    organisation_id: Set(scope.organisation_id()),
                    case_id: Set(found.id),
                    document_id: Set(doc.id),
                    position: Set(position),
                    name: Set(r.name.clone()),
                    address: Set(r.address.clone()),
                    email: Set(r.email.clone()),
                    created_by: Set(scope.user().email.clone()),
                    created_at: Set(now),
                    attempts: Set(0),
                    ..Default::default()
                }
            })
            .collect();
        if !rows.is_empty() {
            letter_recipient::Entity::insert_many(rows)
                .exec(&txn)
                .await?;
        }
        // The audit trail records how many, not who: the register keeps the names once.
        audit::append(
            &txn,
            AuditEntry {
                organisation_id: scope.organisation_id(),
                case_id: Some(found.id),
                at: now,
                actor: &actor(scope),
                action: "letter.recipients_added",
                data: json!({"kind": doc.kind, "version": doc.version, "count": recipients.len(),
                             "with_email": recipients.iter().filter(|r| r.email.is_some()).count()}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(recipients.len())
    }

    /// Removes a recipient whose e-mail has not been queued.
    pub async fn remove_letter_recipient(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
        document: (&str, &str, i32),
        position: i32,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        scope.require(Permission::ChangeCases)?;
        let txn = self.begin_write().await?;
        let (found, doc) = document_version(&txn, scope, number, document).await?;
        let removed = letter_recipient::Entity::delete_many()
            .filter(letter_recipient::Column::DocumentId.eq(doc.id))
            .filter(letter_recipient::Column::Position.eq(position))
            .filter(letter_recipient::Column::QueuedAt.is_null())
            .exec(&txn)
            .await?;
        if removed.rows_affected == 0 {
            return Err(StoreError::InvalidInput(
                "no such recipient, or the e-mail is already on its way".to_owned(),
            ));
        }
        audit::append(
            &txn,
            AuditEntry {
                organisation_id: scope.organisation_id(),
                case_id: Some(found.id),
                at: truncate_to_micros(now),
                actor: &actor(scope),
                action: "letter.recipient_removed",
                data: json!({"kind": doc.kind, "version": doc.version, "position": position}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The recipients of a letter version, in the order they were added.
    pub async fn letter_recipients(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
        document: (&str, &str, i32),
    ) -> Result<Vec<LetterRecipient>, StoreError> {
        scope.require(Permission::ReadRegister)?;
        let (_, doc) = document_version(&self.db, scope, number, document).await?;
        Ok(letter_recipient::Entity::find()
            .filter(letter_recipient::Column::DocumentId.eq(doc.id))
            .order_by_asc(letter_recipient::Column::Position)
            .all(&self.db)
            .await?
            .into_iter()
            .map(recipient)
            .collect())
    }

    /// Queues the e-mails of a sent letter version: every recipient with an address that was
    /// not queued before gets its text (and its SHA-256) stored and waits for the dispatcher.
    /// Returns how many were queued now; a second call queues nobody twice.
    pub async fn queue_letter_mails(
        &self,
        scope: &OrgScope,
        number: CaseNumber,
        document: (&str, &str, i32),
        mails: &[RenderedMail],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        scope.require(Permission::ChangeCases)?;
        let now = truncate_to_micros(now);
        let txn = self.begin_write().await?;
        let (found, doc) = document_version(&txn, scope, number, document).await?;
        if doc.state != "sent" {
            return Err(StoreError::InvalidInput(
                "mark the letter version sent before e-mailing it".to_owned(),
            ));
        }
        let mut queued = Vec::new();
        for mail in mails {
            let sha256 = hex::encode(Sha256::digest(mail.body.as_bytes()));
            let updated = letter_recipient::Entity::update_many()
                .col_expr(letter_recipient::Column::QueuedAt, Expr::value(Some(now)))
                .col_expr(
                    letter_recipient::Column::Subject,
                    Expr::value(Some(mail.subject.clone())),
                )
                .col_expr(
                    letter_recipient::Column::Body,
                    Expr::value(Some(mail.body.clone())),
                )
                .col_expr(
                    letter_recipient::Column::Sha256,
                    Expr::value(Some(sha256.clone())),
                )
                .filter(letter_recipient::Column::DocumentId.eq(doc.id))
                .filter(letter_recipient::Column::Position.eq(mail.position))
                .filter(letter_recipient::Column::Email.is_not_null())
                .filter(letter_recipient::Column::QueuedAt.is_null())
                .exec(&txn)
                .await?;
            if updated.rows_affected == 1 {
                queued.push(json!({"position": mail.position, "sha256": sha256}));
            }
        }
        if !queued.is_empty() {
            audit::append(
                &txn,
                AuditEntry {
                    organisation_id: scope.organisation_id(),
                    case_id: Some(found.id),
                    at: now,
                    actor: &actor(scope),
                    action: "letter.emails_queued",
                    data: json!({"kind": doc.kind, "version": doc.version, "letter_sha256": doc.sha256, "emails": queued}),
                },
            )
            .await?;
        }
        txn.commit().await?;
        Ok(queued.len())
    }

    /// Claims up to `limit` queued letter e-mails for sending.
    pub async fn claim_letter_mails(
        &self,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<LetterMail>, StoreError> {
        let ids = claim::<letter_recipient::Entity>(self.begin_write().await?, queue(), now, limit)
            .await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = letter_recipient::Entity::find()
            .filter(letter_recipient::Column::Id.is_in(ids))
            .order_by_asc(letter_recipient::Column::Id)
            .all(&self.db)
            .await?;
        let mut mails = Vec::with_capacity(rows.len());
        for row in rows {
            let org = organisation::Entity::find_by_id(row.organisation_id)
                .one(&self.db)
                .await?
                .ok_or_else(|| StoreError::corrupt("letter_recipients", row.id, "organisation"))?;
            match (row.email, row.subject, row.body) {
                (Some(email), Some(subject), Some(body)) => mails.push(LetterMail {
                    id: row.id,
                    to_name: row.name,
                    to_email: email,
                    reply_to: org.iod_email,
                    subject,
                    body,
                }),
                _ => return Err(StoreError::corrupt("letter_recipients", row.id, "mail")),
            }
        }
        Ok(mails)
    }

    pub async fn mark_letter_mail_delivered(
        &self,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        deliver::<letter_recipient::Entity>(&self.db, &queue(), id, now).await
    }

    /// Keeps the error on the row for the IOD to see; retried after a back-off.
    pub async fn mark_letter_mail_failed(
        &self,
        id: i64,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        fail::<letter_recipient::Entity>(&self.db, &queue(), id, error, now).await
    }
}

/// The letters' e-mails: queued rows wait for the dispatcher.
fn queue() -> Queue<letter_recipient::Column> {
    Queue {
        table: "letter_recipients",
        ready_sql: "queued_at IS NOT NULL",
        ready: Condition::all().add(letter_recipient::Column::QueuedAt.is_not_null()),
        id: letter_recipient::Column::Id,
        delivered_at: letter_recipient::Column::DeliveredAt,
        claimed_until: letter_recipient::Column::ClaimedUntil,
        attempts: letter_recipient::Column::Attempts,
        last_error: letter_recipient::Column::LastError,
    }
}
