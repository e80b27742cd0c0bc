//! Delivering escalation notices. The scheduler's tick decides *what* is due and writes it to
//! the outbox; this crate claims outbox rows, sends them, and marks them delivered.
//!
//! E-mail goes over SMTP when `smtp_url` is configured, otherwise into a folder of `.eml` files
//! (lettre's file transport), so a fresh install loses nothing and shows what it would send.
//! Every message carries the outbox id (`X-Rejestr-Outbox-Id`) so that a repeat after a crash
//! between sending and marking can be recognised.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Warsaw;
use lettre::message::{Mailbox, Message, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use rejestr_store::{Delivery, LetterMail, Store, StoreError};

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

    /// Sends what is waiting in the outbox and the letters to data subjects (in batches of
    /// 50) at `now`.
    pub async fn run_once(&self, now: DateTime<Utc>) -> Result<DispatchReport, StoreError> {
        let mut report = self.send_letters(now).await?;
        loop {
            let batch = self.store.claim_deliveries(now, 50).await?;
            if batch.is_empty() {
                return Ok(report);
            }
            for delivery in batch {
                if let Err(error) = self.post_webhook(&delivery).await {
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
                            self.store.mark_delivered(delivery.outbox_id, now).await?;
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

    /// Posts the notice to the organisation's webhook, if it has one. The body's `text` is what
    /// Slack, Mattermost and Teams incoming webhooks show; the outbox id travels as an
    /// idempotency key.
    async fn post_webhook(&self, d: &Delivery) -> Result<(), String> {
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
        let response = self
            .http
            .post(url)
            .header(
                "Idempotency-Key",
                format!("rejestr72-outbox-{}", d.outbox_id),
            )
            .json(&body)
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
        format!(
            "{}/rejestr/{}/sprawy/{}/{}#obowiazki",
            self.public_url, d.organisation_slug, d.case_number.year, d.case_number.seq
        )
    }

    /// The subject and the body of a notice, in Polish.
    fn texts(&self, d: &Delivery) -> (String, String) {
        let deadline = d.deadline.with_timezone(&Warsaw).format("%d.%m.%Y, %H:%M");
        let when = match d.step.as_str() {
            "100%" if d.kind == rejestr_scheduler::ObligationKind::Assess => {
                "zgłoszenie czeka na ocenę od 4 godzin".to_owned()
            }
            "100%" => "termin właśnie minął".to_owned(),
            step if step.starts_with("overdue+") => {
                format!(
                    "termin minął {} dni temu",
                    step.trim_start_matches("overdue+").trim_end_matches('d')
                )
            }
            percent => format!("minęło {percent} czasu"),
        };
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
            || (d.step == "100%" && d.kind != rejestr_scheduler::ObligationKind::Assess);
        if overdue && d.kind == rejestr_scheduler::ObligationKind::NotifySa {
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
