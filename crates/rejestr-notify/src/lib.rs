//! Delivering escalation notices. The scheduler's tick decides *what* is due and writes it to
//! the outbox; this crate claims outbox rows, sends them, and marks them delivered.
//!
//! E-mail goes over SMTP when `smtp_url` is configured, otherwise into a folder of `.eml` files
//! (lettre's file transport), so a fresh install loses nothing and shows what it would send.
//! Every message carries the outbox id (in its Message-ID) so that a repeat after a crash
//! between sending and marking can be recognised.
//!
//! Webhook posts of an organisation with a secret are signed: `X-Rejestr72-Timestamp` (Unix
//! seconds) and `X-Rejestr72-Signature: sha256=<hex HMAC-SHA256 of "{timestamp}.{body}">`
//! keyed with the secret (see [`signature`]; README shows how a receiver verifies it).
//! Delivering a step also gives each recipient with an account an in-app notice. The daily
//! digest (decided by the tick) is sent from its own queue the same way.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Warsaw;
use hmac::{KeyInit, Mac};
use lettre::message::{Mailbox, Message, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use rejestr_scheduler::{ObligationKind, step_phrase_pl, time_left_pl};
use rejestr_store::{Delivery, DigestMail, LetterMail, Store, StoreError};

/// The header with the Unix time (seconds) a webhook post was signed at.
pub const TIMESTAMP_HEADER: &str = "X-Rejestr72-Timestamp";
/// The header with the post's signature, `sha256=<hex>`.
pub const SIGNATURE_HEADER: &str = "X-Rejestr72-Signature";

/// The signature of a webhook post: `sha256=` and the hex HMAC-SHA256, keyed with the
/// organisation's secret (its UTF-8 bytes), of the timestamp, a dot and the exact body bytes.
/// Binding the timestamp lets a receiver refuse old posts replayed at it.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = match hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

mod misp;
pub use misp::{MispClient, MispError, PushOutcome};

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("invalid SMTP configuration: {0}")]
    Smtp(String),
    #[error("invalid sender address {0:?}")]
    From(String),
    #[error("cannot create the mail folder {0}: {1}")]
    Folder(PathBuf, std::io::Error),
    #[error("HTTP client: {0}")]
    Http(String),
}

/// Where e-mail goes.
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

impl Mailer {
    /// SMTP when `smtp_url` is given (e.g. `smtps://user:pass@smtp.gmina.pl`), else a folder.
    pub fn new(smtp_url: Option<&str>, folder: &Path) -> Result<Self, NotifyError> {
        match smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|builder| Mailer::Smtp(builder.build()))
                .map_err(|e| NotifyError::Smtp(e.to_string())),
            None => {
                std::fs::create_dir_all(folder)
                    .map_err(|e| NotifyError::Folder(folder.to_owned(), e))?;
                Ok(Mailer::Folder(
                    AsyncFileTransport::new(folder),
                    folder.to_owned(),
                ))
            }
        }
    }

    /// For the logs and the UI.
    pub fn describe(&self) -> String {
        match self {
            Mailer::Smtp(_) => "SMTP".to_owned(),
            Mailer::Folder(_, path) => format!("folder {} (SMTP not configured)", path.display()),
        }
    }

    async fn send(&self, message: Message) -> Result<(), String> {
        match self {
            Mailer::Smtp(transport) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Mailer::Folder(transport, _) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
        }
    }
}

/// What one dispatch run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DispatchReport {
    pub sent: usize,
    pub failed: usize,
}

pub struct Dispatcher {
    store: Store,
    mailer: Mailer,
    from: Mailbox,
    public_url: String,
    http: reqwest::Client,
}

impl Dispatcher {
    pub fn new(
        store: Store,
        mailer: Mailer,
        from: &str,
        public_url: &str,
    ) -> Result<Self, NotifyError> {
        let from = from
            .parse()
            .map_err(|_| NotifyError::From(from.to_owned()))?;
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| NotifyError::Http(e.to_string()))?;
        Ok(Self {
            store,
            mailer,
            from,
            public_url: public_url.trim_end_matches('/').to_owned(),
            http,
        })
    }

    pub fn mailer(&self) -> &Mailer {
        &self.mailer
    }

    /// Sends what is waiting in the outbox, the letters to data subjects and the daily digests
    /// (in batches of 50) at `now`.
    pub async fn run_once(&self, now: DateTime<Utc>) -> Result<DispatchReport, StoreError> {
        let mut report = self.send_letters(now).await?;
        let digests = self.send_digests(now).await?;
        report.sent += digests.sent;
        report.failed += digests.failed;
        loop {
            let batch = self.store.claim_deliveries(now, 50).await?;
            if batch.is_empty() {
                return Ok(report);
            }
            for delivery in batch {
                if let Err(error) = self.post_webhook(&delivery, now).await {
                    tracing::warn!(outbox = delivery.outbox_id, %error, "webhook failed; will retry");
                    self.store
                        .mark_failed(delivery.outbox_id, &error, now)
                        .await?;
                    report.failed += 1;
                    continue;
                }
                match self.message(&delivery) {
                    Ok(message) => match self.mailer.send(message).await {
                        Ok(()) => {
                            self.store
                                .mark_delivered(delivery.outbox_id, &delivery.recipient_users, now)
                                .await?;
                            report.sent += 1;
                        }
                        Err(error) => {
                            tracing::warn!(outbox = delivery.outbox_id, %error, "delivery failed; will retry");
                            self.store
                                .mark_failed(delivery.outbox_id, &error, now)
                                .await?;
                            report.failed += 1;
                        }
                    },
                    Err(error) => {
                        self.store
                            .mark_failed(delivery.outbox_id, &error, now)
                            .await?;
                        report.failed += 1;
                    }
                }
            }
        }
    }

    /// Sends the queued e-mails of letters to data subjects, one message per recipient. The
    /// recipient's row id is in the Message-ID, so a repeat after a crash is recognisable.
    async fn send_letters(&self, now: DateTime<Utc>) -> Result<DispatchReport, StoreError> {
        let mut report = DispatchReport::default();
        loop {
            let batch = self.store.claim_letter_mails(now, 50).await?;
            if batch.is_empty() {
                return Ok(report);
            }
            for mail in batch {
                let sent = match letter_message(&self.from, &mail) {
                    Ok(message) => self.mailer.send(message).await,
                    Err(error) => Err(error),
                };
                match sent {
                    Ok(()) => {
                        self.store.mark_letter_mail_delivered(mail.id, now).await?;
                        report.sent += 1;
                    }
                    Err(error) => {
                        tracing::warn!(letter = mail.id, %error, "letter e-mail failed; will retry");
                        self.store
                            .mark_letter_mail_failed(mail.id, &error, now)
                            .await?;
                        report.failed += 1;
                    }
                }
            }
        }
    }

    /// Sends the daily digests the tick decided, one e-mail per person and day.
    async fn send_digests(&self, now: DateTime<Utc>) -> Result<DispatchReport, StoreError> {
        let mut report = DispatchReport::default();
        loop {
            let batch = self.store.claim_digests(now, 50).await?;
            if batch.is_empty() {
                return Ok(report);
            }
            for digest in batch {
                let sent = match self.digest_message(&digest, now) {
                    Ok(message) => self.mailer.send(message).await,
                    Err(error) => Err(error),
                };
                match sent {
                    Ok(()) => {
                        self.store.mark_digest_delivered(digest.id, now).await?;
                        report.sent += 1;
                    }
                    Err(error) => {
                        tracing::warn!(digest = digest.id, %error, "digest e-mail failed; will retry");
                        self.store
                            .mark_digest_failed(digest.id, &error, now)
                            .await?;
                        report.failed += 1;
                    }
                }
            }
        }
    }

    /// The digest e-mail: every open obligation with its deadline in Polish time and the time
    /// left (or how long overdue) at `now`, with links.
    fn digest_message(&self, digest: &DigestMail, now: DateTime<Utc>) -> Result<Message, String> {
        let day = chrono::NaiveDate::parse_from_str(&digest.day, "%Y-%m-%d")
            .map(|d| d.format("%d.%m.%Y").to_string())
            .unwrap_or_else(|_| digest.day.clone());
        let count = digest.items.len() + digest.more;
        let overdue = digest.items.iter().filter(|i| i.deadline < now).count();
        let mut subject = format!(
            "[Rejestr72] Terminy na {day}: {count} {}",
            plural(
                count,
                "otwarty obowiązek",
                "otwarte obowiązki",
                "otwartych obowiązków"
            )
        );
        if overdue > 0 {
            subject.push_str(&format!(", w tym {overdue} po terminie"));
        }
        let mut body = format!(
            "Dzień dobry,\n\notwarte obowiązki w Twoich jednostkach na {day} (stan z {}, czas polski):\n\n",
            now.with_timezone(&Warsaw).format("%H:%M")
        );
        for item in &digest.items {
            let left = time_left_pl(now, item.deadline);
            let marker = if item.deadline < now {
                "PO TERMINIE — "
            } else {
                ""
            };
            body.push_str(&format!(
                "• Sprawa {} ({}): {}\n  termin: {} (czas polski) — {marker}{left}\n  {}\n\n",
                item.case_number,
                item.organisation_name,
                item.kind.label_pl(),
                item.deadline
                    .with_timezone(&Warsaw)
                    .format("%d.%m.%Y, %H:%M"),
                self.case_link(&item.organisation_slug, item.case_number)
            ));
        }
        if digest.more > 0 {
            body.push_str(&format!(
                "…oraz {} {} (pełna lista na stronie Terminy).\n\n",
                digest.more,
                plural(
                    digest.more,
                    "dalszy obowiązek",
                    "dalsze obowiązki",
                    "dalszych obowiązków"
                )
            ));
        }
        body.push_str(&format!(
            "Wszystkie terminy: {}/terminy\n\nTo zestawienie przychodzi raz dziennie, dopóki masz otwarte obowiązki.\n— Rejestr72\n",
            self.public_url
        ));
        Message::builder()
            .from(self.from.clone())
            .to(mailbox(&digest.to_name, &digest.to_email)?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .message_id(Some(format!("<digest-{}@rejestr72>", digest.id)))
            .body(body)
            .map_err(|e| e.to_string())
    }

    /// Posts the notice to the organisation's webhook, if it has one. The body's `text` is what
    /// Slack, Mattermost and Teams incoming webhooks show; the outbox id travels as an
    /// idempotency key; with a secret, the post is signed ([`signature`]) at `now`.
    async fn post_webhook(&self, d: &Delivery, now: DateTime<Utc>) -> Result<(), String> {
        let Some(url) = &d.webhook_url else {
            return Ok(());
        };
        let (subject, _) = self.texts(d);
        let body = serde_json::json!({
            "text": format!("{subject}\n{}", self.link(d)),
            "rejestr72": {
                "outbox_id": d.outbox_id,
                "case": d.case_number.to_string(),
                "organisation": d.organisation_slug,
                "obligation": d.kind.as_str(),
                "step": d.step,
                "late": d.late,
                "deadline": d.deadline.to_rfc3339(),
            },
        });
        // The exact bytes sent are the bytes signed.
        let body = serde_json::to_vec(&body).map_err(|e| format!("webhook body: {e}"))?;
        let timestamp = now.timestamp();
        let mut request = self
            .http
            .post(url)
            .header(
                "Idempotency-Key",
                format!("rejestr72-outbox-{}", d.outbox_id),
            )
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(TIMESTAMP_HEADER, timestamp.to_string());
        if let Some(secret) = &d.webhook_secret {
            request = request.header(SIGNATURE_HEADER, signature(secret, timestamp, &body));
        }
        let response = request
            .body(body)
            .send()
            .await
            .map_err(|e| format!("webhook: {e}"))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(format!("webhook answered {}", response.status()))
        }
    }

    fn link(&self, d: &Delivery) -> String {
        self.case_link(&d.organisation_slug, d.case_number)
    }

    fn case_link(&self, slug: &str, number: rejestr_domain::case::CaseNumber) -> String {
        format!(
            "{}/rejestr/{slug}/sprawy/{}/{}#obowiazki",
            self.public_url, number.year, number.seq
        )
    }

    /// The subject and the body of a notice, in Polish.
    fn texts(&self, d: &Delivery) -> (String, String) {
        let deadline = d.deadline.with_timezone(&Warsaw).format("%d.%m.%Y, %H:%M");
        let when = step_phrase_pl(d.kind, &d.step, d.start, d.deadline);
        let subject = format!(
            "[Rejestr72] {} — {}: {} (termin {deadline})",
            d.case_number,
            d.kind.label_pl(),
            when
        );
        let mut body = format!(
            "Sprawa {} w jednostce {}.\n\nObowiązek: {}\nTermin: {deadline} (czas polski)\nStan: {when}.\n\n",
            d.case_number,
            d.organisation_name,
            d.kind.label_pl()
        );
        let overdue = d.step.starts_with("overdue+")
            || (d.step == "100%" && d.kind != ObligationKind::Assess);
        if overdue && d.kind == ObligationKind::NotifySa {
            body.push_str(
                "Termin minął. Do zgłoszenia Prezesowi UODO po upływie 72 godzin trzeba dołączyć wyjaśnienie przyczyn opóźnienia (art. 33 ust. 1 RODO).\n\n",
            );
        }
        if d.late {
            body.push_str("To powiadomienie jest spóźnione: system był niedostępny, gdy powinno zostać wysłane.\n\n");
        }
        body.push_str(&format!("Otwórz sprawę: {}\n\n— Rejestr72\n", self.link(d)));
        (subject, body)
    }

    fn message(&self, d: &Delivery) -> Result<Message, String> {
        let (subject, body) = self.texts(d);
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .message_id(Some(format!("<outbox-{}@rejestr72>", d.outbox_id)));
        for (name, email) in &d.recipients {
            builder = builder.to(mailbox(name, email)?);
        }
        builder.body(body).map_err(|e| e.to_string())
    }
}

/// The Polish noun form for a count: 1 → `one`, 2–4 (not 12–14) → `few`, else `many`.
fn plural<'a>(n: usize, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else if (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100)) {
        few
    } else {
        many
    }
}

fn mailbox(name: &str, email: &str) -> Result<Mailbox, String> {
    format!("{name} <{email}>")
        .parse::<Mailbox>()
        .or_else(|_| email.parse::<Mailbox>())
        .map_err(|e| format!("address {email}: {e}"))
}

/// The e-mail of a letter to one data subject; replies go to the IOD.
fn letter_message(from: &Mailbox, mail: &LetterMail) -> Result<Message, String> {
    Message::builder()
        .from(from.clone())
        .reply_to(mailbox("", &mail.reply_to)?)
        .to(mailbox(&mail.to_name, &mail.to_email)?)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .message_id(Some(format!("<letter-{}@rejestr72>", mail.id)))
        .body(mail.body.clone())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // Expected values computed independently with Python's hmac module, e.g.
        // hmac.new(b"Jefe", b"0.what do ya want for nothing?", hashlib.sha256).hexdigest().
        let signed = signature("Jefe", 0, b"what do ya want for nothing?");
        assert_eq!(
            signed,
            "sha256=37f471929915ccd2cbbe79feb84ffcff4f2bb25e15fc41c2506687331ae179cc"
        );
        assert_eq!(
            signature("whsec_test", 1_795_428_000, br#"{"text":"x"}"#),
            "sha256=1dc8b19803ef56eb8956e72875617c3d1a921c75fac5abf24a35ac14ee3e3b25"
        );
        // Any change of secret, time or body changes the signature.
        assert_ne!(
            signed,
            signature("Jefe", 1, b"what do ya want for nothing?")
        );
        assert_ne!(
            signed,
            signature("Jeff", 0, b"what do ya want for nothing?")
        );
        assert_ne!(
            signed,
            signature("Jefe", 0, b"what do ya want for nothing!")
        );
    }

    #[test]
    fn polish_plurals() {
        let forms = |n| plural(n, "obowiązek", "obowiązki", "obowiązków");
        assert_eq!(forms(1), "obowiązek");
        assert_eq!(forms(2), "obowiązki");
        assert_eq!(forms(4), "obowiązki");
        assert_eq!(forms(5), "obowiązków");
        assert_eq!(forms(12), "obowiązków");
        assert_eq!(forms(22), "obowiązki");
        assert_eq!(forms(0), "obowiązków");
    }
}
