//! Organisations: the offices whose registers this instance keeps.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rejestr_domain::org::{Csirt, KscStatus, OrgSlug, UnitType};
use rejestr_scheduler::Ladder;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::audit::{self, AuditEntry};
use crate::entity::organisation;
use crate::{Store, StoreError};

/// How long the intake path may reuse an organisation it has read.
pub const ORGANISATION_CACHE_TTL: Duration = Duration::from_secs(2);

/// The organisations the intake path has read recently, by slug.
#[derive(Debug, Default)]
pub(crate) struct OrganisationCache {
    entries: Mutex<HashMap<String, (Instant, Organisation)>>,
}

impl OrganisationCache {
    fn get(&self, slug: &str) -> Option<Organisation> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(slug)
            .filter(|(read, _)| read.elapsed() < ORGANISATION_CACHE_TTL)
            .map(|(_, org)| org.clone())
    }

    fn put(&self, org: Organisation) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|_, (read, _)| read.elapsed() < ORGANISATION_CACHE_TTL);
        entries.insert(org.slug.as_str().to_owned(), (Instant::now(), org));
    }

    /// Forgets everything (after any change to an organisation).
    pub(crate) fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

/// An organisation as the rest of the system sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: i64,
    pub slug: OrgSlug,
    pub name: String,
    pub unit_type: UnitType,
    pub regon: Option<String>,
    pub address: String,
    pub iod_name: String,
    pub iod_email: String,
    pub iod_phone: Option<String>,
    pub ksc_status: KscStatus,
    pub csirt: Option<Csirt>,
    /// Whether the report form accepts reports without a name and contact.
    pub allow_anonymous: bool,
    /// IOD and admin users must sign in with a second factor (TOTP).
    pub require_second_factor: bool,
    /// Where escalation notices are also posted (Teams, Slack, Mattermost incoming webhook).
    pub webhook_url: Option<String>,
    /// The fingerprint of the webhook signing secret, when posts are signed. The secret itself
    /// only leaves the store for the dispatcher, and once for the IOD who made it.
    pub webhook_fingerprint: Option<String>,
    /// The escalation ladder the scheduler applies to the organisation's obligations.
    pub ladder: Ladder,
    pub created_at: DateTime<Utc>,
}

/// The organisation's ladder as stored, or a corruption error naming the organisation.
pub(crate) fn ladder_of(m: &organisation::Model) -> Result<Ladder, StoreError> {
    Ladder::decode(
        &m.escalation_rungs,
        u32::try_from(m.escalation_overdue_days).unwrap_or(u32::MAX),
        u32::try_from(m.assess_reminder_hours).unwrap_or(0),
    )
    .ok_or_else(|| StoreError::corrupt("organisations", m.id, "escalation ladder"))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrganisation {
    pub slug: OrgSlug,
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
}

impl TryFrom<organisation::Model> for Organisation {
    type Error = StoreError;
    fn try_from(m: organisation::Model) -> Result<Self, StoreError> {
        let bad =
            |e: &dyn std::fmt::Display| StoreError::corrupt("organisations", m.id, e.to_string());
        let ladder = ladder_of(&m)?;
        Ok(Organisation {
            id: m.id,
            slug: OrgSlug::parse(&m.slug).map_err(|e| bad(&e))?,
            unit_type: m.unit_type.parse().map_err(|e| bad(&e))?,
            ksc_status: m.ksc_status.parse().map_err(|e| bad(&e))?,
            csirt: m
                .csirt
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(|e| bad(&e))?,
            name: m.name,
            regon: m.regon,
            address: m.address,
            iod_name: m.iod_name,
            iod_email: m.iod_email,
            iod_phone: m.iod_phone,
            allow_anonymous: m.allow_anonymous,
            require_second_factor: m.require_second_factor,
            webhook_url: m.webhook_url,
            webhook_fingerprint: m
                .webhook_secret
                .as_deref()
                .map(crate::settings::secret_fingerprint),
            ladder,
            created_at: m.created_at,
        })
    }
}

impl Store {
    /// Creates an organisation and the start of its audit chain.
    pub async fn create_organisation(
        &self,
        new: &NewOrganisation,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Organisation, StoreError> {
        let txn = self.begin_write().await?;
        let existing = organisation::Entity::find()
            .filter(organisation::Column::Slug.eq(new.slug.as_str()))
            .one(&txn)
            .await?;
        if existing.is_some() {
            return Err(StoreError::DuplicateOrganisation(new.slug.to_string()));
        }
        let now = audit::truncate_to_micros(now);
        let model = organisation::Entity::insert(organisation::ActiveModel {
            slug: Set(new.slug.to_string()),
            name: Set(new.name.clone()),
            unit_type: Set(new.unit_type.as_str().to_owned()),
            regon: Set(new.regon.clone()),
            address: Set(new.address.clone()),
            iod_name: Set(new.iod_name.clone()),
            iod_email: Set(new.iod_email.clone()),
            iod_phone: Set(new.iod_phone.clone()),
            ksc_status: Set(new.ksc_status.as_str().to_owned()),
            csirt: Set(new.csirt.map(|c| c.as_str().to_owned())),
            allow_anonymous: Set(new.allow_anonymous),
            require_second_factor: Set(false),
            webhook_url: Set(None),
            created_at: Set(now),
            ..Default::default()
        })
        .exec_with_returning(&txn)
        .await?;
        audit::init_chain(&txn, model.id).await?;
        audit::append(
            &txn,
            AuditEntry {
                organisation_id: model.id,
                case_id: None,
                at: now,
                actor,
                action: "organisation.created",
                data: json!({
                    "slug": new.slug.as_str(),
                    "name": new.name,
                    "unit_type": new.unit_type.as_str(),
                    "regon": new.regon,
                    "ksc_status": new.ksc_status.as_str(),
                    "csirt": new.csirt.map(|c| c.as_str()),
                    "allow_anonymous": new.allow_anonymous,
                }),
            },
        )
        .await?;
        txn.commit().await?;
        Organisation::try_from(model)
    }

    pub async fn organisation_by_slug(
        &self,
        slug: &str,
    ) -> Result<Option<Organisation>, StoreError> {
        organisation::Entity::find()
            .filter(organisation::Column::Slug.eq(slug))
            .one(&self.db)
            .await?
            .map(Organisation::try_from)
            .transpose()
    }

    /// [`Store::organisation_by_slug`] for the intake path, which looks the organisation up
    /// for every report: an answer is reused for up to [`ORGANISATION_CACHE_TTL`]. Changes made
    /// through this process clear the cache at once; other replicas see them within the TTL.
    /// Unknown slugs are not remembered (the cache cannot be grown from outside).
    pub async fn organisation_for_intake(
        &self,
        slug: &str,
    ) -> Result<Option<Organisation>, StoreError> {
        if let Some(org) = self.orgs.get(slug) {
            return Ok(Some(org));
        }
        let found = self.organisation_by_slug(slug).await?;
        if let Some(org) = &found {
            self.orgs.put(org.clone());
        }
        Ok(found)
    }

    pub async fn organisations(&self) -> Result<Vec<Organisation>, StoreError> {
        organisation::Entity::find()
            .order_by_asc(organisation::Column::Name)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Organisation::try_from)
            .collect()
    }
}
