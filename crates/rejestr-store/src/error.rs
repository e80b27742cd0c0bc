use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(DbErr),
    #[error("invalid database URL {url:?}: {reason}")]
    Url { url: String, reason: String },
    #[error(
        "cannot write the database at {path} ({reason}); check its permissions and that the disk is not read-only or full"
    )]
    Unwritable { path: String, reason: String },
    #[error("the stored row {table}#{id} is inconsistent: {detail}")]
    Corrupt {
        table: &'static str,
        id: i64,
        detail: String,
    },
    #[error("an organisation with the slug {0:?} already exists")]
    DuplicateOrganisation(String),
    #[error("a user with the e-mail {0:?} already exists")]
    DuplicateUser(String),
    #[error("the user's roles do not allow this")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("this organisation requires a second factor (TOTP) for the IOD and admin roles")]
    SecondFactorRequired,
    #[error("{0}")]
    Transition(rejestr_domain::case::TransitionError),
    #[error("{0}")]
    InvalidInput(String),
    /// The database could not take the work (told to every report of a failed batch).
    #[error("storage unavailable: {0}")]
    Unavailable(String),
}

/// Text PostgreSQL refuses to store: a NUL character (SQLSTATE 22021, "invalid byte sequence
/// for encoding UTF8: 0x00") or its JSON escape `\u0000` (22P05). That is the input's fault,
/// not the database's, so it must not be answered as "storage unavailable".
pub(crate) const TEXT_WITH_NUL: &str = "the text contains a NUL character";

impl From<DbErr> for StoreError {
    fn from(error: DbErr) -> Self {
        let code = match &error {
            DbErr::Exec(sea_orm::RuntimeErr::SqlxError(e))
            | DbErr::Query(sea_orm::RuntimeErr::SqlxError(e)) => e
                .as_database_error()
                .and_then(|d| d.code())
                .map(|c| c.into_owned()),
            _ => None,
        };
        match code.as_deref() {
            Some("22021" | "22P05") => StoreError::InvalidInput(TEXT_WITH_NUL.to_owned()),
            _ => StoreError::Db(error),
        }
    }
}

impl StoreError {
    pub(crate) fn corrupt(table: &'static str, id: i64, detail: impl Into<String>) -> Self {
        StoreError::Corrupt {
            table,
            id,
            detail: detail.into(),
        }
    }
}

impl<E: std::fmt::Display + std::fmt::Debug> From<sea_orm::TransactionError<E>> for StoreError
where
    StoreError: From<E>,
{
    fn from(error: sea_orm::TransactionError<E>) -> Self {
        match error {
            sea_orm::TransactionError::Connection(e) => <StoreError as From<DbErr>>::from(e),
            sea_orm::TransactionError::Transaction(e) => StoreError::from(e),
        }
    }
}
