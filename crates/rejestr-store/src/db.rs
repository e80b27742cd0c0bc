//! Connecting, configuring and migrating the database.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

use crate::error::StoreError;
use crate::intake::IntakeWriter;
use crate::org::OrganisationCache;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    Sqlite,
    Postgres,
}

/// The register's storage. Cheap to clone (the pool is shared).
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) db: DatabaseConnection,
    /// Stores reports in shared commits (see `intake`).
    pub(crate) intake: Arc<IntakeWriter>,
    /// Organisations the intake path read recently (see `organisation_for_intake`).
    pub(crate) orgs: Arc<OrganisationCache>,
}

impl Store {
    /// Connects to `url` (`sqlite://path.db` or `postgres://…`), creating a SQLite file and
    /// its directory when missing. `schema` selects a PostgreSQL schema (used by tests).
    ///
    /// Durability: SQLite runs in WAL mode with `synchronous=FULL`, so a commit is on disk
    /// (fsync of the WAL) before it returns; PostgreSQL keeps its default
    /// `synchronous_commit=on`. An acknowledged report survives `kill -9` and power loss.
    pub async fn connect(url: &str, schema: Option<&str>) -> Result<Store, StoreError> {
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .sqlx_logging(false)
            .acquire_timeout(Duration::from_secs(30));
        match kind_of(url)? {
            DatabaseKind::Sqlite => {
                if let Some(path) = sqlite_path(url) {
                    ensure_writable(Path::new(path))?;
                }
                // One connection: SQLite has one writer anyway, and it keeps "used the pool
                // while holding a transaction" bugs loud.
                options
                    .max_connections(1)
                    .map_sqlx_sqlite_opts(|o| {
                        o.create_if_missing(true)
                            .journal_mode(SqliteJournalMode::Wal)
                            .synchronous(SqliteSynchronous::Full)
                            .busy_timeout(Duration::from_secs(10))
                            .foreign_keys(true)
                    })
                    .map_sqlx_sqlite_before_acquire(|conn, _| {
                        Box::pin(async move { Ok(outside_transactions(conn)) })
                    });
            }
            DatabaseKind::Postgres => {
                options.max_connections(16);
                if let Some(schema) = schema {
                    options.set_schema_search_path(schema.to_owned());
                }
            }
        }
        let db = Database::connect(options).await?;
        Ok(Store {
            db,
            intake: Arc::default(),
            orgs: Arc::default(),
        })
    }

    /// Applies every pending migration.
    ///
    /// sea-orm-migration takes no lock of its own, and with several replicas (or an init
    /// container in every pod) several processes migrate at once. On PostgreSQL the whole run
    /// is one transaction holding an advisory lock per schema: the others wait, then find
    /// nothing pending. SQLite serves one process by design.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self.kind() {
            DatabaseKind::Postgres => {
                let txn = self.db.begin().await?;
                txn.execute_raw(Statement::from_string(
                    DbBackend::Postgres,
                    "SELECT pg_advisory_xact_lock(hashtext('rejestr72-migrate:' || current_schema()))",
                ))
                .await?;
                rejestr_migrations::Migrator::up(&txn, None).await?;
                txn.commit().await?;
            }
            DatabaseKind::Sqlite => rejestr_migrations::Migrator::up(&self.db, None).await?,
        }
        Ok(())
    }

    /// Connects and migrates: what `serve` does at start.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let store = Store::connect(url, None).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub fn kind(&self) -> DatabaseKind {
        match self.db.get_database_backend() {
            DbBackend::Postgres => DatabaseKind::Postgres,
            _ => DatabaseKind::Sqlite,
        }
    }

    /// Whether the database answers (for the health check).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.ping().await?;
        Ok(())
    }

    pub async fn close(self) -> Result<(), StoreError> {
        self.db.close().await?;
        Ok(())
    }

    /// Starts a transaction that will write: `BEGIN IMMEDIATE` on SQLite takes the write
    /// lock at once, so a read-decide-write sequence cannot interleave with another writer.
    pub(crate) async fn begin_write(&self) -> Result<DatabaseTransaction, StoreError> {
        begin_write_on(&self.db).await
    }
}

/// [`Store::begin_write`] on a bare connection (for the intake writer).
pub(crate) async fn begin_write_on(
    db: &DatabaseConnection,
) -> Result<DatabaseTransaction, StoreError> {
    Ok(db
        .begin_with_options(TransactionOptions {
            isolation_level: None,
            access_mode: None,
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        })
        .await?)
}

fn kind_of(url: &str) -> Result<DatabaseKind, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(DatabaseKind::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(DatabaseKind::Postgres)
    } else {
        Err(StoreError::Url {
            url: url.to_owned(),
            reason: "expected sqlite://… or postgres://…".to_owned(),
        })
    }
}

/// Checks before connecting that the SQLite file and its directory can be written (WAL mode
/// creates `-wal` and `-shm` files beside it), creating the directory when missing. SQLite
/// itself would open a write-protected file read-only without a word, and a read-only
/// directory shows up as "unable to open database file"; this names the real cause.
fn ensure_writable(path: &Path) -> Result<(), StoreError> {
    let unwritable = |what: &Path, e: std::io::Error| StoreError::Unwritable {
        path: what.display().to_string(),
        reason: e.to_string(),
    };
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| unwritable(dir, e))?;
    let probe = dir.join(format!(".rejestr-write-test-{}", std::process::id()));
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&probe)
        .map_err(|e| unwritable(dir, e))?;
    let _ = std::fs::remove_file(&probe);
    if path.exists() {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| unwritable(path, e))?;
    }
    Ok(())
}

/// The file path of a `sqlite://path?query` URL, if it names a file.
fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// Whether a pooled SQLite connection may be handed out: it must not believe itself inside a
/// transaction, since the store never nests them.
///
/// When a write fails with "database or disk is full" (or an I/O error), SQLite may roll the
/// transaction back by itself; the ROLLBACK that follows then fails and sqlx keeps counting the
/// transaction as open. The next BEGIN would become a SAVEPOINT inside a transaction that
/// never commits, and reports would be acknowledged without being stored. Such a connection
/// is closed instead (which rolls back whatever it holds) and the pool opens a fresh one.
/// A connection whose queued rollback has not run yet is closed too, which is equivalent.
fn outside_transactions(conn: &mut sea_orm::sqlx::SqliteConnection) -> bool {
    use sea_orm::sqlx::Connection as _;
    let inside = conn.is_in_transaction();
    if inside {
        tracing::warn!("closing a SQLite connection left inside a failed transaction");
    }
    !inside
}

/// Runs a backend-specific statement inside `txn` (used for locks).
pub(crate) fn backend(txn: &impl ConnectionTrait) -> DbBackend {
    txn.get_database_backend()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_are_found() {
        assert_eq!(
            sqlite_path("sqlite://data/rejestr.db"),
            Some("data/rejestr.db")
        );
        assert_eq!(
            sqlite_path("sqlite:///tmp/x.db?mode=rwc"),
            Some("/tmp/x.db")
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert!(kind_of("mysql://x").is_err());
    }

    #[tokio::test]
    async fn an_unwritable_database_is_named_before_connecting() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the database's directory should be: nobody, not even root, can write
        // there.
        let blocker = dir.path().join("plik");
        std::fs::write(&blocker, b"x").unwrap();
        let url = format!("sqlite://{}/rejestr.db", blocker.display());
        let error = Store::connect(&url, None).await.unwrap_err();
        assert!(
            matches!(&error, StoreError::Unwritable { path, .. } if path == &blocker.display().to_string()),
            "{error}"
        );
        assert!(
            error.to_string().contains("cannot write the database"),
            "{error}"
        );
    }

    async fn rows(url: &str) -> i64 {
        let other = Database::connect(format!("{url}?mode=ro")).await.unwrap();
        let row = other
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT count(*) AS n FROM t",
            ))
            .await
            .unwrap()
            .unwrap();
        other.close().await.unwrap();
        row.try_get::<i64>("", "n").unwrap()
    }

    /// A full disk (or an I/O error) makes SQLite roll a transaction back by itself, under
    /// sqlx's feet; here a raw ROLLBACK does the same. What is committed afterwards must really
    /// be committed, not swallowed by a transaction the connection still believes open. (Seen
    /// on a full tmpfs before the fix: five reports acknowledged with 201, then gone.)
    #[tokio::test]
    async fn commits_after_sqlite_rolled_back_on_its_own_are_durable() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/full.db", dir.path().display());
        let store = Store::connect(&url, None).await.unwrap();
        store
            .db
            .execute_unprepared("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB)")
            .await
            .unwrap();
        let insert = "INSERT INTO t (payload) VALUES (x'00')";

        // The disk fills up in the middle of a write: SQLite rolls back, the handler fails.
        let txn = store.begin_write().await.unwrap();
        txn.execute_unprepared(insert).await.unwrap();
        txn.execute_unprepared("ROLLBACK").await.unwrap();
        drop(txn);
        // The next write fails too and is rolled back.
        let txn = store.begin_write().await.unwrap();
        txn.execute_unprepared(insert).await.unwrap();
        drop(txn);
        // Then the disk has room again: three writes, each acknowledged after its commit.
        for _ in 0..3 {
            let txn = store.begin_write().await.unwrap();
            txn.execute_unprepared(insert).await.unwrap();
            txn.commit().await.unwrap();
        }
        assert_eq!(rows(&url).await, 3, "acknowledged commits were not stored");
    }
}
