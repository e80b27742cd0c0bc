//! Configuration: built-in defaults, then `rejestr.toml` (if present), then environment
//! variables (`REJESTR_*`, and `DATABASE_URL`), then command-line flags. Anything invalid
//! stops start-up with a message that names the setting.

use std::net::SocketAddr;
use std::path::Path;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/rejestr.db";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `sqlite://path` (embedded, the default) or `postgres://user@host/db`.
    pub database_url: String,
    /// Where to listen, e.g. `127.0.0.1:8080`.
    pub bind: String,
    /// The address people reach the service at, for links; defaults to `http://<bind>`.
    pub public_url: Option<String>,
    /// Create the demo organisation when the database has no organisation yet. Defaults to
    /// true on SQLite (a first run on a laptop), false on PostgreSQL (production).
    pub demo: Option<bool>,
    /// Largest attachment, in MiB.
    pub attachment_max_mib: usize,
    /// Most attachments per report.
    pub attachment_max_files: usize,
    /// `text` (people) or `json` (log collectors).
    pub log_format: String,
    /// SMTP server for notices, e.g. `smtps://user:password@smtp.gmina.pl`; without it notices
    /// are written as `.eml` files into `mail_dir`.
    pub smtp_url: Option<String>,
    pub mail_dir: String,
    pub mail_from: String,
    /// A directory of the office's own document templates (same layout as
    /// `templates/notifications/`); checked at start, a broken one stops the start.
    pub template_dir: Option<String>,
    /// The admin listener with Prometheus metrics at `/metrics`, e.g. `127.0.0.1:9464`; empty
    /// turns it off. Keep it off the public network: it is not authenticated.
    pub admin_addr: String,
    /// The hour (0–23, Europe/Warsaw) from which the daily digest of open obligations is sent.
    pub digest_hour: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: DEFAULT_DATABASE_URL.to_owned(),
            bind: "127.0.0.1:8080".to_owned(),
            public_url: None,
            demo: None,
            attachment_max_mib: 10,
            attachment_max_files: 5,
            log_format: "text".to_owned(),
            smtp_url: None,
            mail_dir: "data/mail".to_owned(),
            mail_from: "Rejestr72 <rejestr72@localhost>".to_owned(),
            template_dir: None,
            admin_addr: "127.0.0.1:9464".to_owned(),
            digest_hour: 7,
        }
    }
}

/// A configuration problem, worded for the person starting the service.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct ConfigError(String);

impl Config {
    /// Loads the layered configuration. `file` is `rejestr.toml` unless given.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let explicit = file.is_some();
        let file = file.unwrap_or(Path::new("rejestr.toml"));
        if explicit && !file.exists() {
            return Err(ConfigError(format!(
                "the file {} does not exist",
                file.display()
            )));
        }
        let mut figment = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("REJESTR_"));
        if let Ok(url) = std::env::var("DATABASE_URL")
            && !url.is_empty()
        {
            figment = figment.merge(("database_url", url));
        }
        let mut config: Config = figment.extract().map_err(|e| ConfigError(e.to_string()))?;
        // An empty optional setting (`REJESTR_SMTP_URL=` in a container's environment) means
        // "not set".
        for optional in [
            &mut config.smtp_url,
            &mut config.public_url,
            &mut config.template_dir,
        ] {
            if optional.as_deref().is_some_and(|v| v.trim().is_empty()) {
                *optional = None;
            }
        }
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        self.bind_addr()?;
        self.admin_addr()?;
        let url = &self.database_url;
        if !(url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            return Err(ConfigError(format!(
                "database_url {url:?} must start with sqlite:// or postgres://"
            )));
        }
        if let Some(public) = &self.public_url
            && !(public.starts_with("http://") || public.starts_with("https://"))
        {
            return Err(ConfigError(format!(
                "public_url {public:?} must start with http:// or https://"
            )));
        }
        if !(1..=100).contains(&self.attachment_max_mib) {
            return Err(ConfigError(
                "attachment_max_mib must be between 1 and 100".to_owned(),
            ));
        }
        if !(0..=20).contains(&self.attachment_max_files) {
            return Err(ConfigError(
                "attachment_max_files must be between 0 and 20".to_owned(),
            ));
        }
        if self.digest_hour > 23 {
            return Err(ConfigError(format!(
                "digest_hour {} must be an hour from 0 to 23 (Polish time)",
                self.digest_hour
            )));
        }
        if !matches!(self.log_format.as_str(), "text" | "json") {
            return Err(ConfigError(format!(
                "log_format {:?} must be text or json",
                self.log_format
            )));
        }
        Ok(())
    }

    /// The admin listener's address; `None` when it is turned off.
    pub fn admin_addr(&self) -> Result<Option<SocketAddr>, ConfigError> {
        let addr = self.admin_addr.trim();
        if addr.is_empty() {
            return Ok(None);
        }
        addr.parse().map(Some).map_err(|_| {
            ConfigError(format!(
                "admin_addr {:?} is not an address like 127.0.0.1:9464 (or empty to turn it off)",
                self.admin_addr
            ))
        })
    }

    pub fn bind_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.bind.parse().map_err(|_| {
            ConfigError(format!(
                "bind {:?} is not an address like 127.0.0.1:8080",
                self.bind
            ))
        })
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }

    pub fn seed_demo(&self) -> bool {
        self.demo.unwrap_or(self.is_sqlite())
    }

    /// The public address without a trailing slash.
    pub fn public_url(&self, bound: SocketAddr) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{bound}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_are_named() {
        assert!(Config::default().validate().is_ok());
        let bad = Config {
            bind: "localhost".to_owned(),
            ..Config::default()
        };
        assert!(
            bad.validate()
                .is_err_and(|e| e.to_string().contains("bind"))
        );
        let bad = Config {
            database_url: "mysql://x".to_owned(),
            ..Config::default()
        };
        assert!(
            bad.validate()
                .is_err_and(|e| e.to_string().contains("database_url"))
        );
        let bad = Config {
            admin_addr: "metrics".to_owned(),
            ..Config::default()
        };
        assert!(
            bad.validate()
                .is_err_and(|e| e.to_string().contains("admin_addr"))
        );
    }

    #[test]
    fn the_admin_listener_is_on_loopback_by_default_and_off_when_empty() {
        let default = Config::default().admin_addr().ok().flatten();
        assert_eq!(
            default.map(|a| a.to_string()),
            Some("127.0.0.1:9464".to_owned())
        );
        let off = Config {
            admin_addr: String::new(),
            ..Config::default()
        };
        assert!(matches!(off.admin_addr(), Ok(None)));
    }

    #[test]
    fn a_digest_hour_outside_the_day_is_named() {
        let bad = Config {
            digest_hour: 24,
            ..Config::default()
        };
        assert!(
            bad.validate()
                .is_err_and(|e| e.to_string().contains("digest_hour"))
        );
    }
}
