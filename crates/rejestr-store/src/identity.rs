//! Users, memberships, sessions, and the organisation scope that every register query needs.
//!
//! Cross-organisation access is impossible by construction: register queries take an
//! [`OrgScope`], and the only way to get one is [`Store::scope`], which checks that the signed-in
//! user is a member of that organisation. Handlers cannot forget the check.

use chrono::{DateTime, Duration, Utc};
use rejestr_domain::role::{Permission, Role};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit::{self, AuditEntry, truncate_to_micros};
use crate::entity::{membership, organisation, session, user};
use crate::{Organisation, Store, StoreError};

/// Failed sign-ins in a row before the account is locked for [`LOCK_FOR`].
pub const MAX_FAILED_SIGN_INS: i32 = 5;
pub const LOCK_FOR: Duration = Duration::minutes(15);
/// A session lasts a working day, then one signs in again.
pub const SESSION_TTL: Duration = Duration::hours(10);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    /// An argon2id PHC string; `None` for an account that cannot sign in with a password.
    pub password_hash: Option<String>,
}

/// What signing in needs to know about an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInRecord {
    pub user: User,
    pub password_hash: Option<String>,
    pub active: bool,
    pub locked_until: Option<DateTime<Utc>>,
    /// Base32 TOTP secret when the second factor is on.
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
}

/// A signed-in user with their organisations and roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub memberships: Vec<Membership>,
    /// Signed in with the password; the TOTP code is still owed.
    pub second_factor_pending: bool,
    /// The user has a TOTP second factor.
    pub second_factor_enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub organisation_id: i64,
    pub organisation_slug: String,
    pub organisation_name: String,
    pub roles: Vec<Role>,
}

/// Proof that a user may act in one organisation, with their roles there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgScope {
    organisation: Organisation,
    user: User,
    roles: Vec<Role>,
}

impl OrgScope {
    pub fn organisation(&self) -> &Organisation {
        &self.organisation
    }

    pub fn user(&self) -> &User {
        &self.user
    }

    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.roles.iter().any(|r| r.allows(permission))
    }

    pub(crate) fn require(&self, permission: Permission) -> Result<(), StoreError> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(StoreError::Forbidden)
        }
    }

    pub(crate) fn organisation_id(&self) -> i64 {
        self.organisation.id
    }
}

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Store {
    pub async fn create_user(&self, new: &NewUser, now: DateTime<Utc>) -> Result<User, StoreError> {
        let email = normalise_email(&new.email);
        if self.user_by_email(&email).await?.is_some() {
            return Err(StoreError::DuplicateUser(email));
        }
        let model = user::Entity::insert(user::ActiveModel {
            email: Set(email),
            display_name: Set(new.display_name.trim().to_owned()),
            password_hash: Set(new.password_hash.clone()),
            active: Set(true),
            created_at: Set(truncate_to_micros(now)),
            failed_logins: Set(0),
            locked_until: Set(None),
            ..Default::default()
        })
        .exec_with_returning(&self.db)
        .await?;
        Ok(User {
            id: model.id,
            email: model.email,
            display_name: model.display_name,
        })
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        Ok(self.sign_in_record(email).await?.map(|r| r.user))
    }

    /// Grants `role` in the organisation; recorded in the organisation's audit trail.
    pub async fn add_membership(
        &self,
        user: &User,
        org: &Organisation,
        role: Role,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now = truncate_to_micros(now);
        let txn = self.begin_write().await?;
        let existing = membership::Entity::find()
            .filter(membership::Column::UserId.eq(user.id))
            .filter(membership::Column::OrganisationId.eq(org.id))
            .filter(membership::Column::Role.eq(role.as_str()))
            .one(&txn)
            .await?;
        if existing.is_none() {
            membership::Entity::insert(membership::ActiveModel {
                user_id: Set(user.id),
                organisation_id: Set(org.id),
                role: Set(role.as_str().to_owned()),
                created_at: Set(now),
            })
            .exec_without_returning(&txn)
            .await?;
            audit::append(
                &txn,
                AuditEntry {
                    organisation_id: org.id,
                    case_id: None,
                    at: now,
                    actor,
                    action: "membership.granted",
                    data: json!({"user_id": user.id, "role": role.as_str()}),
                },
            )
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    pub async fn sign_in_record(&self, email: &str) -> Result<Option<SignInRecord>, StoreError> {
        let found = user::Entity::find()
            .filter(user::Column::Email.eq(normalise_email(email)))
            .one(&self.db)
            .await?;
        Ok(found.map(|m| SignInRecord {
            user: User {
                id: m.id,
                email: m.email,
                display_name: m.display_name,
            },
            password_hash: m.password_hash,
            active: m.active,
            locked_until: m.locked_until,
            totp_secret: m.totp_secret,
            totp_last_step: m.totp_last_step,
        }))
    }

    /// Counts a failed sign-in; the fifth in a row locks the account for 15 minutes.
    /// Returns the end of the lock when this failure caused one.
    pub async fn record_failed_sign_in(
        &self,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let txn = self.begin_write().await?;
        let Some(found) = user::Entity::find_by_id(user_id).one(&txn).await? else {
            return Ok(None);
        };
        let failures = found.failed_logins + 1;
        let (failures, locked_until) = if failures >= MAX_FAILED_SIGN_INS {
            (0, Some(truncate_to_micros(now + LOCK_FOR)))
        } else {
            (failures, found.locked_until)
        };
        user::Entity::update_many()
            .col_expr(user::Column::FailedLogins, Expr::value(failures))
            .col_expr(user::Column::LockedUntil, Expr::value(locked_until))
            .filter(user::Column::Id.eq(user_id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(locked_until.filter(|_| failures == 0))
    }

    /// Starts a session after a successful sign-in; returns the cookie's secret.
    /// `second_factor_pending`: the password was right, the TOTP code is still owed.
    pub async fn create_session(
        &self,
        user_id: i64,
        now: DateTime<Utc>,
        second_factor_pending: bool,
    ) -> Result<String, StoreError> {
        let now = truncate_to_micros(now);
        let token = hex::encode(rand::random::<[u8; 32]>());
        let txn = self.begin_write().await?;
        user::Entity::update_many()
            .col_expr(user::Column::FailedLogins, Expr::value(0))
            .col_expr(
                user::Column::LockedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(user::Column::Id.eq(user_id))
            .exec(&txn)
            .await?;
        session::Entity::insert(session::ActiveModel {
            token_hash: Set(hash_token(&token)),
            user_id: Set(user_id),
            created_at: Set(now),
            expires_at: Set(now + SESSION_TTL),
            last_seen_at: Set(now),
            second_factor_pending: Set(second_factor_pending),
        })
        .exec_without_returning(&txn)
        .await?;
        // Expired sessions of anyone are swept on the way.
        session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lt(now))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(token)
    }

    /// The session behind a cookie, if it exists, has not expired and its user is active.
    pub async fn session(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Session>, StoreError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let Some(found) = session::Entity::find_by_id(hash_token(token))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        if found.expires_at <= now {
            return Ok(None);
        }
        Ok(self
            .session_of_user(found.user_id)
            .await?
            .map(|mut session| {
                session.second_factor_pending = found.second_factor_pending;
                session
            }))
    }

    /// Accepts the TOTP code's time `step` for a pending session. A step at or before the last
    /// accepted one is a replay and is refused (returns false).
    pub async fn complete_second_factor(&self, token: &str, step: i64) -> Result<bool, StoreError> {
        let txn = self.begin_write().await?;
        let Some(found) = session::Entity::find_by_id(hash_token(token))
            .one(&txn)
            .await?
        else {
            return Ok(false);
        };
        let Some(account) = user::Entity::find_by_id(found.user_id).one(&txn).await? else {
            return Ok(false);
        };
        if account.totp_last_step.is_some_and(|last| step <= last) {
            return Ok(false);
        }
        user::Entity::update_many()
            .col_expr(user::Column::TotpLastStep, Expr::value(Some(step)))
            .filter(user::Column::Id.eq(account.id))
            .exec(&txn)
            .await?;
        session::Entity::update_many()
            .col_expr(session::Column::SecondFactorPending, Expr::value(false))
            .filter(session::Column::TokenHash.eq(hash_token(token)))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Turns the TOTP second factor on (`Some(secret)`, after a verified code at `step`) or off.
    pub async fn set_totp(
        &self,
        user: &User,
        secret: Option<&str>,
        step: Option<i64>,
    ) -> Result<(), StoreError> {
        user::Entity::update_many()
            .col_expr(
                user::Column::TotpSecret,
                Expr::value(secret.map(str::to_owned)),
            )
            .col_expr(user::Column::TotpLastStep, Expr::value(step))
            .filter(user::Column::Id.eq(user.id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// The user with their memberships, if the account exists and is active.
    pub(crate) async fn session_of_user(
        &self,
        user_id: i64,
    ) -> Result<Option<Session>, StoreError> {
        let Some(account) = user::Entity::find_by_id(user_id).one(&self.db).await? else {
            return Ok(None);
        };
        if !account.active {
            return Ok(None);
        }
        let rows = membership::Entity::find()
            .filter(membership::Column::UserId.eq(account.id))
            .order_by_asc(membership::Column::OrganisationId)
            .all(&self.db)
            .await?;
        let mut memberships: Vec<Membership> = Vec::new();
        for row in rows {
            let role: Role = row.role.parse().map_err(|_| {
                StoreError::corrupt("memberships", row.user_id, format!("role {}", row.role))
            })?;
            match memberships
                .iter_mut()
                .find(|m| m.organisation_id == row.organisation_id)
            {
                Some(existing) => existing.roles.push(role),
                None => {
                    let org = organisation::Entity::find_by_id(row.organisation_id)
                        .one(&self.db)
                        .await?
                        .ok_or_else(|| {
                            StoreError::corrupt("memberships", row.user_id, "organisation missing")
                        })?;
                    memberships.push(Membership {
                        organisation_id: org.id,
                        organisation_slug: org.slug,
                        organisation_name: org.name,
                        roles: vec![role],
                    });
                }
            }
        }
        memberships.sort_by(|a, b| a.organisation_name.cmp(&b.organisation_name));
        Ok(Some(Session {
            user: User {
                id: account.id,
                email: account.email,
                display_name: account.display_name,
            },
            memberships,
            second_factor_pending: false,
            second_factor_enabled: account.totp_secret.is_some(),
        }))
    }

    /// Replaces the password hash and ends the user's other sessions (a changed password must
    /// lock out whoever might have had the old one).
    pub async fn set_password_hash(
        &self,
        user: &User,
        password_hash: &str,
        keep_session: Option<&str>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        user::Entity::update_many()
            .col_expr(
                user::Column::PasswordHash,
                Expr::value(Some(password_hash.to_owned())),
            )
            .filter(user::Column::Id.eq(user.id))
            .exec(&txn)
            .await?;
        let mut others = session::Entity::delete_many().filter(session::Column::UserId.eq(user.id));
        if let Some(token) = keep_session {
            others = others.filter(session::Column::TokenHash.ne(hash_token(token)));
        }
        others.exec(&txn).await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn end_session(&self, token: &str) -> Result<(), StoreError> {
        session::Entity::delete_by_id(hash_token(token))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// The scope of `session` in the organisation `slug`, or `None` when the user is not a
    /// member (the caller answers 404: whether an organisation exists is not revealed).
    pub async fn scope(
        &self,
        session: &Session,
        slug: &str,
    ) -> Result<Option<OrgScope>, StoreError> {
        let Some(membership) = session
            .memberships
            .iter()
            .find(|m| m.organisation_slug == slug)
        else {
            return Ok(None);
        };
        let Some(org) = self.organisation_by_slug(slug).await? else {
            return Ok(None);
        };
        if org.require_second_factor
            && !session.second_factor_enabled
            && membership
                .roles
                .iter()
                .any(|r| matches!(r, Role::Iod | Role::Admin))
        {
            return Err(StoreError::SecondFactorRequired);
        }
        Ok(Some(OrgScope {
            organisation: org,
            user: session.user.clone(),
            roles: membership.roles.clone(),
        }))
    }

    /// The scope of the operator at the server's console (`rejestr export`): whoever runs the
    /// command can read the database anyway. Reads the register and records what it exports;
    /// the audit trail names it `user:console`.
    pub async fn console_scope(&self, slug: &str) -> Result<Option<OrgScope>, StoreError> {
        Ok(self
            .organisation_by_slug(slug)
            .await?
            .map(|organisation| OrgScope {
                organisation,
                user: User {
                    id: 0,
                    email: "console".to_owned(),
                    display_name: "Operator (wiersz poleceń)".to_owned(),
                },
                roles: vec![Role::Auditor, Role::Asi],
            }))
    }
}
