//! The tamper-evident audit trail: one SHA-256 hash chain per organisation.
//!
//! ```text
//! hash(n) = SHA-256( "rejestr72-audit-v1\0" || hash(n-1) || canonical_json(event n) )
//! hash(0) = 32 zero bytes (the genesis, kept in audit_heads when the organisation is created)
//! ```
//! `event n` is `{organisation_id, seq, case_id, at, actor, action, data}` with `at` in RFC 3339
//! UTC to the microsecond. Appends run inside the transaction of the change they record and
//! hold the organisation's head row (`FOR UPDATE` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite),
//! so two writers can never append the same `seq`; the unique indexes on `(organisation_id,
//! seq)` and `(organisation_id, prev_hash)` would refuse a fork even if they did.

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Statement,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::canonical::to_canonical_string;
use crate::db::backend;
use crate::entity::{audit_event, organisation};
use crate::{Store, StoreError};

const DOMAIN_TAG: &[u8] = b"rejestr72-audit-v1\0";
const GENESIS: [u8; 32] = [0; 32];
const VERIFY_PAGE: u64 = 1000;

/// Stored instants are truncated to microseconds, the precision both databases keep, so
/// that what is hashed is exactly what is read back.
pub(crate) fn truncate_to_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

/// One change to record.
pub(crate) struct AuditEntry<'a> {
    pub organisation_id: i64,
    pub case_id: Option<i64>,
    pub at: DateTime<Utc>,
    pub actor: &'a str,
    pub action: &'a str,
    pub data: Value,
}

fn payload(
    organisation_id: i64,
    seq: i64,
    case_id: Option<i64>,
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    data: &Value,
) -> String {
    to_canonical_string(&json!({
        "organisation_id": organisation_id,
        "seq": seq,
        "case_id": case_id,
        "at": at.to_rfc3339_opts(SecondsFormat::Micros, true),
        "actor": actor,
        "action": action,
        "data": data,
    }))
}

fn chain_hash(prev: &[u8], payload: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(DOMAIN_TAG);
    hasher.update(prev);
    hasher.update(payload.as_bytes());
    hasher.finalize().into()
}

/// Creates the genesis head of a new organisation's chain.
pub(crate) async fn init_chain(
    txn: &DatabaseTransaction,
    organisation_id: i64,
) -> Result<(), StoreError> {
    let sql = match backend(txn) {
        DbBackend::Postgres => {
            "INSERT INTO audit_heads (organisation_id, seq, hash) VALUES ($1, 0, $2)"
        }
        _ => "INSERT INTO audit_heads (organisation_id, seq, hash) VALUES (?, 0, ?)",
    };
    txn.execute_raw(Statement::from_sql_and_values(
        backend(txn),
        sql,
        [organisation_id.into(), GENESIS.to_vec().into()],
    ))
    .await?;
    Ok(())
}

/// Appends one event to the organisation's chain. Must run in a write transaction.
pub(crate) async fn append(
    txn: &DatabaseTransaction,
    entry: AuditEntry<'_>,
) -> Result<i64, StoreError> {
    append_all(txn, entry.organisation_id, vec![entry]).await
}

/// Appends events, in order, to one organisation's chain: the head is read (and on
/// PostgreSQL locked) once, the links are computed here, the events are inserted in one
/// statement and the head moves once. Returns the sequence number of the last event.
/// Must run in a write transaction.
pub(crate) async fn append_all(
    txn: &DatabaseTransaction,
    organisation_id: i64,
    entries: Vec<AuditEntry<'_>>,
) -> Result<i64, StoreError> {
    let db = backend(txn);
    let select = match db {
        DbBackend::Postgres => {
            "SELECT seq, hash FROM audit_heads WHERE organisation_id = $1 FOR UPDATE"
        }
        _ => "SELECT seq, hash FROM audit_heads WHERE organisation_id = ?",
    };
    let head = txn
        .query_one_raw(Statement::from_sql_and_values(
            db,
            select,
            [organisation_id.into()],
        ))
        .await?
        .ok_or_else(|| {
            StoreError::corrupt("audit_heads", organisation_id, "the chain has no head")
        })?;
    let mut seq: i64 = head.try_get("", "seq")?;
    let mut prev_hash: Vec<u8> = head.try_get("", "hash")?;
    if entries.is_empty() {
        return Ok(seq);
    }

    let mut rows = Vec::with_capacity(entries.len());
    for entry in entries {
        if entry.organisation_id != organisation_id {
            return Err(StoreError::corrupt(
                "audit_heads",
                organisation_id,
                format!(
                    "an event of organisation {} in its chain",
                    entry.organisation_id
                ),
            ));
        }
        seq += 1;
        let at = truncate_to_micros(entry.at);
        let text = payload(
            organisation_id,
            seq,
            entry.case_id,
            at,
            entry.actor,
            entry.action,
            &entry.data,
        );
        let hash = chain_hash(&prev_hash, &text).to_vec();
        rows.push(audit_event::ActiveModel {
            organisation_id: Set(organisation_id),
            seq: Set(seq),
            case_id: Set(entry.case_id),
            at: Set(at),
            actor: Set(entry.actor.to_owned()),
            action: Set(entry.action.to_owned()),
            data: Set(to_canonical_string(&entry.data)),
            prev_hash: Set(std::mem::replace(&mut prev_hash, hash.clone())),
            hash: Set(hash),
            ..Default::default()
        });
    }
    audit_event::Entity::insert_many(rows)
        .exec_without_returning(txn)
        .await?;

    let update = match db {
        DbBackend::Postgres => {
            "UPDATE audit_heads SET seq = $1, hash = $2 WHERE organisation_id = $3"
        }
        _ => "UPDATE audit_heads SET seq = ?, hash = ? WHERE organisation_id = ?",
    };
    txn.execute_raw(Statement::from_sql_and_values(
        db,
        update,
        [seq.into(), prev_hash.into(), organisation_id.into()],
    ))
    .await?;
    Ok(seq)
}

/// The outcome of verifying one organisation's chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub organisation: String,
    /// Events checked (up to the first broken one).
    pub events: u64,
    pub status: ChainStatus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainStatus {
    Intact,
    /// The first event whose link does not hold, and why.
    Broken {
        seq: i64,
        reason: String,
    },
}

impl Store {
    /// Recomputes every organisation's chain from the genesis.
    pub async fn verify_audit(&self) -> Result<Vec<ChainReport>, StoreError> {
        let orgs = organisation::Entity::find()
            .order_by_asc(organisation::Column::Id)
            .all(&self.db)
            .await?;
        let mut reports = Vec::with_capacity(orgs.len());
        for org in orgs {
            reports.push(self.verify_chain(org.id, org.slug).await?);
        }
        Ok(reports)
    }

    async fn verify_chain(
        &self,
        organisation_id: i64,
        slug: String,
    ) -> Result<ChainReport, StoreError> {
        let mut expected_prev = GENESIS.to_vec();
        let mut expected_seq = 1_i64;
        let mut events = 0_u64;
        let broken = |seq: i64, events: u64, reason: String| ChainReport {
            organisation: slug.clone(),
            events,
            status: ChainStatus::Broken { seq, reason },
        };
        loop {
            let page = audit_event::Entity::find()
                .filter(audit_event::Column::OrganisationId.eq(organisation_id))
                .filter(audit_event::Column::Seq.gte(expected_seq))
                .order_by_asc(audit_event::Column::Seq)
                .limit(VERIFY_PAGE)
                .all(&self.db)
                .await?;
            let last_page = (page.len() as u64) < VERIFY_PAGE;
            for event in page {
                if event.seq != expected_seq {
                    return Ok(broken(
                        expected_seq,
                        events,
                        format!("event {expected_seq} is missing (next is {})", event.seq),
                    ));
                }
                if event.prev_hash != expected_prev {
                    return Ok(broken(
                        event.seq,
                        events,
                        "prev_hash does not match the hash of the previous event".to_owned(),
                    ));
                }
                let data: Value = match serde_json::from_str(&event.data) {
                    Ok(data) => data,
                    Err(e) => {
                        return Ok(broken(event.seq, events, format!("data is not JSON: {e}")));
                    }
                };
                let text = payload(
                    event.organisation_id,
                    event.seq,
                    event.case_id,
                    event.at,
                    &event.actor,
                    &event.action,
                    &data,
                );
                if chain_hash(&event.prev_hash, &text).as_slice() != event.hash.as_slice() {
                    return Ok(broken(
                        event.seq,
                        events,
                        "the content does not match its hash (the event was altered)".to_owned(),
                    ));
                }
                expected_prev = event.hash;
                expected_seq += 1;
                events += 1;
            }
            if last_page {
                break;
            }
        }
        // The head must point at the last event: a deleted tail is a break too.
        let head = self
            .db
            .query_one_raw(Statement::from_sql_and_values(
                self.db.get_database_backend(),
                match self.db.get_database_backend() {
                    DbBackend::Postgres => {
                        "SELECT seq, hash FROM audit_heads WHERE organisation_id = $1"
                    }
                    _ => "SELECT seq, hash FROM audit_heads WHERE organisation_id = ?",
                },
                [organisation_id.into()],
            ))
            .await?;
        let head_matches = match head {
            Some(row) => {
                let seq: i64 = row.try_get("", "seq")?;
                let hash: Vec<u8> = row.try_get("", "hash")?;
                seq == expected_seq - 1 && hash == expected_prev
            }
            None => false,
        };
        if !head_matches {
            return Ok(broken(
                expected_seq,
                events,
                "the chain's head does not match its last event (events were removed)".to_owned(),
            ));
        }
        Ok(ChainReport {
            organisation: slug,
            events,
            status: ChainStatus::Intact,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_covers_the_previous_link_and_the_content() {
        let at: DateTime<Utc> =
            DateTime::from_timestamp(1_790_000_000, 123_456_789).unwrap_or_default();
        let at = truncate_to_micros(at);
        let a = payload(
            1,
            1,
            Some(7),
            at,
            "system",
            "case.reported",
            &json!({"x": 1}),
        );
        let b = payload(
            1,
            1,
            Some(7),
            at,
            "system",
            "case.reported",
            &json!({"x": 2}),
        );
        assert_ne!(chain_hash(&GENESIS, &a), chain_hash(&GENESIS, &b));
        assert_ne!(chain_hash(&GENESIS, &a), chain_hash(&[1; 32], &a));
        assert!(a.contains(r#""at":"2026-09-21T"#));
        assert!(a.contains(".123456Z"));
    }
}
