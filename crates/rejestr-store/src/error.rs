use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("invalid database URL {url:?}: {reason}")]
    Url { url: String, reason: String },
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
            sea_orm::TransactionError::Connection(e) => StoreError::Db(e),
            sea_orm::TransactionError::Transaction(e) => StoreError::from(e),
        }
    }
}
