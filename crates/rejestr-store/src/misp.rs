//! The MISP instance an organisation pushes shared cases to. The API key is readable only by
//! those who may share cases (to push) and is never written to the audit trail or shown back
//! on a page: the settings show its last four characters.

use chrono::{DateTime, Utc};
use rejestr_domain::role::Permission;
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::json;

use crate::audit::{self, AuditEntry, truncate_to_micros};
use crate::casework::actor;
use crate::entity::misp_instance;
use crate::{OrgScope, Store, StoreError};

/// Where and how to push.
#[derive(Clone, PartialEq, Eq)]
pub struct MispInstance {
    /// The base URL, e.g. `https://misp.csirt.example.pl`, without a trailing slash.
    pub url: String,
    pub api_key: String,
    /// `false` for an instance with a self-signed certificate (an explicit choice of the IOD).
    pub verify_tls: bool,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for MispInstance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MispInstance")
            .field("url", &self.url)
            .field("api_key", &self.key_hint())
            .field("verify_tls", &self.verify_tls)
            .finish_non_exhaustive()
    }
}

impl MispInstance {
    /// The key as the settings page shows it: its last four characters.
    pub fn key_hint(&self) -> String {
        let chars: Vec<char> = self.api_key.chars().collect();
        let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
        format!("…{tail}")
    }
}

/// A change of the MISP settings, already validated by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MispChange {
    /// Set the URL and TLS checking; `api_key: None` keeps the stored key.
    Set {
        url: String,
        api_key: Option<String>,
        verify_tls: bool,
    },
    /// Forget the instance and its key.
    Remove,
}

fn instance(model: misp_instance::Model) -> MispInstance {
    MispInstance {
        url: model.url,
        api_key: model.api_key,
        verify_tls: model.verify_tls,
        updated_by: model.updated_by,
        updated_at: model.updated_at,
    }
}

impl Store {
    /// The organisation's MISP instance, if it has one.
    pub async fn misp_instance(
        &self,
        scope: &OrgScope,
    ) -> Result<Option<MispInstance>, StoreError> {
        scope.require(Permission::ChangeCases)?;
        Ok(misp_instance::Entity::find_by_id(scope.organisation_id())
            .one(&self.db)
            .await?
            .map(instance))
    }

    /// Saves or removes the MISP instance; audited without the key (only whether it changed).
    /// A new instance needs a key: `InvalidInput` when none is given and none is stored.
    pub async fn change_misp_instance(
        &self,
        scope: &OrgScope,
        change: &MispChange,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        scope.require(Permission::ManageOrganisation)?;
        let now = truncate_to_micros(now);
        let txn = self.begin_write().await?;
        let current = misp_instance::Entity::find_by_id(scope.organisation_id())
            .one(&txn)
            .await?;
        let data = match change {
            MispChange::Remove => {
                let Some(current) = current else {
                    return Ok(());
                };
                misp_instance::Entity::delete_by_id(scope.organisation_id())
                    .exec(&txn)
                    .await?;
                json!({"url": {"before": current.url, "after": null}, "api_key_changed": true})
            }
            MispChange::Set {
                url,
                api_key,
                verify_tls,
            } => {
                let key = match (api_key, &current) {
                    (Some(key), _) => key.clone(),
                    (None, Some(current)) => current.api_key.clone(),
                    (None, None) => {
                        return Err(StoreError::InvalidInput(
                            "a new MISP instance needs an API key".to_owned(),
                        ));
                    }
                };
                let key_changed = current.as_ref().is_none_or(|c| c.api_key != key);
                let data = json!({
                    "url": {"before": current.as_ref().map(|c| &c.url), "after": url},
                    "verify_tls": {"before": current.as_ref().map(|c| c.verify_tls), "after": verify_tls},
                    "api_key_changed": key_changed,
                });
                let unchanged = current
                    .as_ref()
                    .is_some_and(|c| &c.url == url && c.verify_tls == *verify_tls && !key_changed);
                if unchanged {
                    return Ok(());
                }
                let model = misp_instance::ActiveModel {
                    organisation_id: Set(scope.organisation_id()),
                    url: Set(url.clone()),
                    api_key: Set(key),
                    verify_tls: Set(*verify_tls),
                    updated_by: Set(actor(scope)),
                    updated_at: Set(now),
                };
                if current.is_some() {
                    misp_instance::Entity::update(model).exec(&txn).await?;
                } else {
                    misp_instance::Entity::insert(model).exec(&txn).await?;
                }
                data
            }
        };
        audit::append(
            &txn,
            AuditEntry {
                organisation_id: scope.organisation_id(),
                case_id: None,
                at: now,
                actor: &actor(scope),
                action: "organisation.misp_changed",
                data,
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
