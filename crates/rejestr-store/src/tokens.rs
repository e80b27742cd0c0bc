//! Personal API tokens. The secret (`r72_` + 64 hex digits) is returned once at creation;
//! only its SHA-256 is stored. A token acts with its owner's memberships.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use sha2::{Digest, Sha256};

use crate::audit::truncate_to_micros;
use crate::entity::api_token;
use crate::{Session, Store, StoreError, User};

pub const TOKEN_PREFIX: &str = "r72_";

/// A token as its owner sees it in the list (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

impl Store {
    /// Creates a token for `user`; returns the secret, which is not stored and cannot be shown again.
    pub async fn create_api_token(
        &self,
        user: &User,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<String, StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::InvalidInput(
                "a token name has 1 to 100 characters".to_owned(),
            ));
        }
        let secret = format!("{TOKEN_PREFIX}{}", hex::encode(rand::random::<[u8; 32]>()));
        api_token::Entity::insert(api_token::ActiveModel {
            user_id: Set(user.id),
            name: Set(name.to_owned()),
            token_hash: Set(hash(&secret)),
            created_at: Set(truncate_to_micros(now)),
            last_used_at: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        })
        .exec_without_returning(&self.db)
        .await?;
        Ok(secret)
    }

    pub async fn api_tokens(&self, user: &User) -> Result<Vec<ApiToken>, StoreError> {
        Ok(api_token::Entity::find()
            .filter(api_token::Column::UserId.eq(user.id))
            .order_by_desc(api_token::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|t| ApiToken {
                id: t.id,
                name: t.name,
                created_at: t.created_at,
                last_used_at: t.last_used_at,
                revoked_at: t.revoked_at,
            })
            .collect())
    }

    /// Revokes one of the user's own tokens. Returns false when there is no such token.
    pub async fn revoke_api_token(
        &self,
        user: &User,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let result = api_token::Entity::update_many()
            .col_expr(
                api_token::Column::RevokedAt,
                Expr::value(Some(truncate_to_micros(now))),
            )
            .filter(api_token::Column::Id.eq(id))
            .filter(api_token::Column::UserId.eq(user.id))
            .filter(api_token::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected > 0)
    }

    /// The session a bearer token stands for, if the token is valid and not revoked.
    pub async fn token_session(
        &self,
        secret: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Session>, StoreError> {
        let Some(hex_part) = secret.strip_prefix(TOKEN_PREFIX) else {
            return Ok(None);
        };
        if hex_part.len() != 64 || !hex_part.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let Some(token) = api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(hash(secret)))
            .filter(api_token::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        // Recorded at most once a minute, so reads do not turn into writes.
        if token
            .last_used_at
            .is_none_or(|t| now - t > chrono::Duration::minutes(1))
        {
            api_token::Entity::update_many()
                .col_expr(
                    api_token::Column::LastUsedAt,
                    Expr::value(Some(truncate_to_micros(now))),
                )
                .filter(api_token::Column::Id.eq(token.id))
                .exec(&self.db)
                .await?;
        }
        self.session_of_user(token.user_id).await
    }
}
