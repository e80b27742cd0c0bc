//! Changing an organisation's settings (IOD contact, KSC status, anonymous reports, the
//! escalation ladder, the webhook secret), audited field by field, and listing who holds which
//! role.

use chrono::{DateTime, Utc};
use rejestr_domain::org::{Csirt, KscStatus, UnitType};
use rejestr_domain::role::{Permission, Role};
use rejestr_scheduler::{Ladder, ObligationKind, Watched, next_step_at};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::audit::{self, AuditEntry, truncate_to_micros};
use crate::entity::{membership, obligation, organisation, user};
use crate::obligations::{fire_due, lock_scheduler};
use crate::org::ladder_of;
use crate::{OrgScope, Store, StoreError};

/// The prefix of webhook secrets, so that one found in a log or a file is recognisable.
pub const WEBHOOK_SECRET_PREFIX: &str = "whsec_";

/// A short, public fingerprint of a webhook secret (the first 8 bytes of its SHA-256, in hex):
/// shown in the settings and the audit trail so the IOD can tell which secret is current
/// without the secret being shown again.
pub fn secret_fingerprint(secret: &str) -> String {
    hex::encode(&Sha256::digest(secret.as_bytes())[..8])
}

/// The editable settings of an organisation, already validated by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationSettings {
    pub name: String,
    pub unit_type: UnitType,
    pub regon: Option<String>,
    pub address: String,
    pub iod_name: String,
    pub iod_email: String,
    pub iod_phone: Option<String>,
    pub ksc_status: KscStatus,
    pub csirt: Option<Csirt>,
    pub allow_anonymous: bool,
    pub require_second_factor: bool,
    pub webhook_url: Option<String>,
}

/// One member and their roles in the organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub display_name: String,
    pub email: String,
    pub roles: Vec<Role>,
}

impl Store {
    /// Saves the settings; returns the names of the fields that changed (none: nothing written).
    pub async fn update_settings(
        &self,
        scope: &OrgScope,
        settings: &OrganisationSettings,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        scope.require(Permission::ManageOrganisation)?;
        let now = truncate_to_micros(now);
        let txn = self.begin_write().await?;
        let current = organisation::Entity::find_by_id(scope.organisation_id())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let new_values: [(&str, Value, Value); 12] = [
            ("name", json!(current.name), json!(settings.name)),
            (
                "unit_type",
                json!(current.unit_type),
                json!(settings.unit_type.as_str()),
            ),
            ("regon", json!(current.regon), json!(settings.regon)),
            ("address", json!(current.address), json!(settings.address)),
            (
                "iod_name",
                json!(current.iod_name),
                json!(settings.iod_name),
            ),
            (
                "iod_email",
                json!(current.iod_email),
                json!(settings.iod_email),
            ),
            (
                "iod_phone",
                json!(current.iod_phone),
                json!(settings.iod_phone),
            ),
            (
                "ksc_status",
                json!(current.ksc_status),
                json!(settings.ksc_status.as_str()),
            ),
            (
                "csirt",
                json!(current.csirt),
                json!(settings.csirt.map(|c| c.as_str())),
            ),
            (
                "allow_anonymous",
                json!(current.allow_anonymous),
                json!(settings.allow_anonymous),
            ),
            (
                "require_second_factor",
                json!(current.require_second_factor),
                json!(settings.require_second_factor),
            ),
            (
                "webhook_url",
                json!(current.webhook_url),
                json!(settings.webhook_url),
            ),
        ];
        let mut changes = Map::new();
        for (field, from, to) in new_values {
            if from != to {
                changes.insert(field.to_owned(), json!({"from": from, "to": to}));
            }
        }
        if changes.is_empty() {
            return Ok(Vec::new());
        }
        self.orgs.clear();
        organisation::Entity::update_many()
            .col_expr(
                organisation::Column::Name,
                Expr::value(settings.name.clone()),
            )
            .col_expr(
                organisation::Column::UnitType,
                Expr::value(settings.unit_type.as_str()),
            )
            .col_expr(
                organisation::Column::Regon,
                Expr::value(settings.regon.clone()),
            )
            .col_expr(
                organisation::Column::Address,
                Expr::value(settings.address.clone()),
            )
            .col_expr(
                organisation::Column::IodName,
                Expr::value(settings.iod_name.clone()),
            )
            .col_expr(
                organisation::Column::IodEmail,
                Expr::value(settings.iod_email.clone()),
            )
            .col_expr(
                organisation::Column::IodPhone,
                Expr::value(settings.iod_phone.clone()),
            )
            .col_expr(
                organisation::Column::KscStatus,
                Expr::value(settings.ksc_status.as_str()),
            )
            .col_expr(
                organisation::Column::Csirt,
                Expr::value(settings.csirt.map(|c| c.as_str().to_owned())),
            )
            .col_expr(
                organisation::Column::AllowAnonymous,
                Expr::value(settings.allow_anonymous),
            )
            .col_expr(
                organisation::Column::RequireSecondFactor,
                Expr::value(settings.require_second_factor),
            )
            .col_expr(
                organisation::Column::WebhookUrl,
                Expr::value(settings.webhook_url.clone()),
            )
            .filter(organisation::Column::Id.eq(scope.organisation_id()))
            .exec(&txn)
            .await?;
        let changed: Vec<String> = changes.keys().cloned().collect();
        audit::append(
            &txn,
            AuditEntry {
                organisation_id: scope.organisation_id(),
                case_id: None,
                at: now,
                actor: &format!("user:{}", scope.user().email),
                action: "organisation.settings_changed",
                data: Value::Object(changes),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(changed)
    }

    /// Replaces the organisation's escalation ladder; `Ok(false)` when it is unchanged. In one
    /// transaction (holding the scheduler's lock, so no tick interleaves): the steps the old
    /// ladder has made due by `now` are written to the outbox, then every open obligation of
    /// the organisation is moved to the new ladder from `now` on (`decided_until`; an unassessed
    /// report's reminder also to the new hours) and its next look recomputed. Rungs of the new
    /// ladder that fell before `now` do not fire; nothing the outbox holds fires again.
    pub async fn update_ladder(
        &self,
        scope: &OrgScope,
        ladder: &Ladder,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        scope.require(Permission::ManageOrganisation)?;
        let now = truncate_to_micros(now);
        let txn = self.begin_write().await?;
        lock_scheduler(&txn).await?;
        let current = organisation::Entity::find_by_id(scope.organisation_id())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let old = ladder_of(&current)?;
        if old == *ladder {
            return Ok(false);
        }
        let open = || {
            obligation::Entity::find()
                .filter(obligation::Column::OrganisationId.eq(current.id))
                .filter(obligation::Column::State.is_in(["pending", "drafted"]))
        };
        for o in open().all(&txn).await? {
            fire_due(&txn, &o, &current.slug, &old, now, false).await?;
        }
        let overdue_days = i32::try_from(ladder.overdue_days()).unwrap_or(i32::MAX);
        let assess_hours = i32::try_from(ladder.assess_after_hours()).unwrap_or(i32::MAX);
        self.orgs.clear();
        organisation::Entity::update_many()
            .col_expr(
                organisation::Column::EscalationRungs,
                Expr::value(ladder.encode_rungs()),
            )
            .col_expr(
                organisation::Column::EscalationOverdueDays,
                Expr::value(overdue_days),
            )
            .col_expr(
                organisation::Column::AssessReminderHours,
                Expr::value(assess_hours),
            )
            .filter(organisation::Column::Id.eq(current.id))
            .exec(&txn)
            .await?;
        let mut rescheduled = 0u64;
        for o in open().all(&txn).await? {
            let Some(kind) = ObligationKind::parse(&o.kind) else {
                continue;
            };
            let (target, deadline) = if kind == ObligationKind::Assess {
                let hours = ladder.assess_after_hours();
                (
                    i32::try_from(hours).ok(),
                    kind.deadline(o.start_at, Some(hours)),
                )
            } else {
                (o.target_hours, o.deadline)
            };
            let watch = Watched {
                id: o.id,
                kind,
                start: o.start_at,
                deadline,
                decided_until: Some(now),
            };
            obligation::Entity::update_many()
                .col_expr(obligation::Column::DecidedUntil, Expr::value(Some(now)))
                .col_expr(
                    obligation::Column::NextStepAt,
                    Expr::value(next_step_at(now, &watch, ladder)),
                )
                .col_expr(obligation::Column::TargetHours, Expr::value(target))
                .col_expr(obligation::Column::Deadline, Expr::value(deadline))
                .col_expr(obligation::Column::UpdatedAt, Expr::value(now))
                .filter(obligation::Column::Id.eq(o.id))
                .exec(&txn)
                .await?;
            rescheduled += 1;
        }
        let mut changes = Map::new();
        for (field, from, to) in [
            (
                "escalation_rungs",
                json!(old.encode_rungs()),
                json!(ladder.encode_rungs()),
            ),
            (
                "escalation_overdue_days",
                json!(old.overdue_days()),
                json!(ladder.overdue_days()),
            ),
            (
                "assess_reminder_hours",
                json!(old.assess_after_hours()),
                json!(ladder.assess_after_hours()),
            ),
        ] {
            if from != to {
                changes.insert(field.to_owned(), json!({"from": from, "to": to}));
            }
        }
        changes.insert(
            "open_obligations_rescheduled".to_owned(),
            json!(rescheduled),
        );
        audit::append(
            &txn,
            AuditEntry {
                organisation_id: scope.organisation_id(),
                case_id: None,
                at: now,
                actor: &format!("user:{}", scope.user().email),
                action: "organisation.settings_changed",
                data: Value::Object(changes),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Makes a new webhook signing secret (256 random bits from the operating system's CSPRNG
    /// through `rand`), stores it in place of the old one and returns it: the only time it is
    /// shown. The audit trail records its fingerprint, never the secret.
    pub async fn rotate_webhook_secret(
        &self,
        scope: &OrgScope,
        now: DateTime<Utc>,
    ) -> Result<String, StoreError> {
        scope.require(Permission::ManageOrganisation)?;
        let now = truncate_to_micros(now);
        let secret = format!(
            "{WEBHOOK_SECRET_PREFIX}{}",
            hex::encode(rand::random::<[u8; 32]>())
        );
        let txn = self.begin_write().await?;
        let current = organisation::Entity::find_by_id(scope.organisation_id())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.orgs.clear();
        organisation::Entity::update_many()
            .col_expr(
                organisation::Column::WebhookSecret,
                Expr::value(Some(secret.clone())),
            )
            .filter(organisation::Column::Id.eq(current.id))
            .exec(&txn)
            .await?;
        audit::append(
            &txn,
            AuditEntry {
                organisation_id: scope.organisation_id(),
                case_id: None,
                at: now,
                actor: &format!("user:{}", scope.user().email),
                action: "organisation.settings_changed",
                data: json!({"webhook_secret": {
                    "from": current.webhook_secret.as_deref().map(secret_fingerprint),
                    "to": secret_fingerprint(&secret),
                }}),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(secret)
    }

    /// Everyone with a role in the organisation.
    pub async fn members(&self, scope: &OrgScope) -> Result<Vec<Member>, StoreError> {
        scope.require(Permission::ReadRegister)?;
        let rows = membership::Entity::find()
            .filter(membership::Column::OrganisationId.eq(scope.organisation_id()))
            .order_by_asc(membership::Column::UserId)
            .all(&self.db)
            .await?;
        let mut members: Vec<(i64, Member)> = Vec::new();
        for row in rows {
            let role: Role = row.role.parse().map_err(|_| {
                StoreError::corrupt("memberships", row.user_id, format!("role {}", row.role))
            })?;
            if let Some((_, member)) = members.iter_mut().find(|(id, _)| *id == row.user_id) {
                member.roles.push(role);
                continue;
            }
            let Some(account) = user::Entity::find_by_id(row.user_id).one(&self.db).await? else {
                continue;
            };
            members.push((
                row.user_id,
                Member {
                    display_name: account.display_name,
                    email: account.email,
                    roles: vec![role],
                },
            ));
        }
        let mut members: Vec<Member> = members.into_iter().map(|(_, m)| m).collect();
        members.sort_by(|a, b| a.display_name.cmp(&b.display_name));
        Ok(members)
    }
}
