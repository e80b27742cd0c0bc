//! Pushing a MISP event to the organisation's MISP instance over its REST API
//! (`POST /events/add`, and `POST /events/edit/{uuid}` when the instance already holds the
//! event because the case was pushed before). Every refusal becomes a [`MispError`] whose
//! Polish message says what the instance answered and what to check.

use std::time::Duration;

use rejestr_store::MispInstance;
use reqwest::StatusCode;
use serde_json::Value;

/// Why a push or a connection check failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MispError {
    #[error("cannot reach the MISP instance: {0}")]
    Unreachable(String),
    #[error("the MISP instance did not answer in time")]
    Timeout,
    #[error("the MISP instance refused the API key ({status}): {message}")]
    Unauthorised { status: u16, message: String },
    #[error("the MISP instance redirects to {0}")]
    Redirect(String),
    #[error("the MISP instance refused the event ({status}): {message}")]
    Refused { status: u16, message: String },
    #[error("the MISP instance answered something that is not a MISP answer: {0}")]
    NotMisp(String),
    #[error("the event has no uuid")]
    NoUuid,
}

impl MispError {
    /// What the IOD reads on the page.
    pub fn message_pl(&self) -> String {
        match self {
            MispError::Unreachable(detail) => format!(
                "Nie udało się połączyć z instancją MISP ({detail}). Sprawdź adres w ustawieniach i czy serwer jest dostępny z sieci urzędu."
            ),
            MispError::Timeout => {
                "Instancja MISP nie odpowiedziała w ciągu 20 sekund. Spróbuj ponownie później."
                    .to_owned()
            }
            MispError::Unauthorised { status, message } => format!(
                "Instancja MISP odrzuciła klucz API (HTTP {status}: {message}). Sprawdź klucz w ustawieniach i czy użytkownik MISP ma włączony dostęp przez API."
            ),
            MispError::Redirect(to) => format!(
                "Instancja MISP przekierowuje pod inny adres ({to}). Wpisz w ustawieniach adres docelowy (np. z https://)."
            ),
            MispError::Refused { status, message } => {
                format!("Instancja MISP odmówiła przyjęcia zdarzenia (HTTP {status}: {message}).")
            }
            MispError::NotMisp(detail) => format!(
                "Pod podanym adresem nie odpowiada API MISP ({detail}). Sprawdź adres w ustawieniach."
            ),
            MispError::NoUuid => "Zdarzenie MISP nie ma identyfikatora UUID.".to_owned(),
        }
    }
}

/// What the instance did with the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushOutcome {
    /// The event's id on the instance.
    pub event_id: String,
    /// `true` when the event existed (the case was pushed before) and was updated.
    pub updated: bool,
}

/// A client for MISP instances: one connection pool that checks TLS certificates, one for
/// instances the IOD marked as having a self-signed certificate.
#[derive(Debug, Clone)]
pub struct MispClient {
    verified: reqwest::Client,
    unverified: reqwest::Client,
}

fn client(verify: bool) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .connect_timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .danger_accept_invalid_certs(!verify)
        .user_agent(concat!("Rejestr72/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| e.to_string())
}

/// The message of a MISP error body: `message`, else `name`, else the status text, with the
/// validation `errors` appended when the instance lists them.
fn error_message(status: StatusCode, body: &str) -> String {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let text = |key: &str| {
        parsed
            .as_ref()
            .and_then(|v| v.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .filter(|s| !s.trim().is_empty())
    };
    let mut message = text("message")
        .or_else(|| text("name"))
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("błąd").to_owned());
    if let Some(errors) = parsed
        .as_ref()
        .and_then(|v| v.get("errors"))
        .filter(|e| !e.is_null())
    {
        message.push_str(&format!(" — {errors}"));
    }
    message.chars().take(500).collect()
}

fn already_exists(status: StatusCode, body: &str) -> bool {
    matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN)
        && body.contains("already exists")
}

fn transport(error: &reqwest::Error) -> MispError {
    if error.is_timeout() {
        MispError::Timeout
    } else {
        let mut detail = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            detail = format!("{detail}: {cause}");
            source = cause.source();
        }
        MispError::Unreachable(detail)
    }
}

impl MispClient {
    pub fn new() -> Result<Self, crate::NotifyError> {
        Ok(Self {
            verified: client(true).map_err(crate::NotifyError::Http)?,
            unverified: client(false).map_err(crate::NotifyError::Http)?,
        })
    }

    fn http(&self, instance: &MispInstance) -> &reqwest::Client {
        if instance.verify_tls {
            &self.verified
        } else {
            &self.unverified
        }
    }

    async fn post(
        &self,
        instance: &MispInstance,
        path: &str,
        event: &Value,
    ) -> Result<(StatusCode, String), MispError> {
        let response = self
            .http(instance)
            .post(format!("{}{path}", instance.url.trim_end_matches('/')))
            .header(reqwest::header::AUTHORIZATION, &instance.api_key)
            .header(reqwest::header::ACCEPT, "application/json")
            .json(event)
            .send()
            .await
            .map_err(|e| transport(&e))?;
        let status = response.status();
        if status.is_redirection() {
            let to = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("?")
                .to_owned();
            return Err(MispError::Redirect(to));
        }
        let body = response.text().await.map_err(|e| transport(&e))?;
        Ok((status, body))
    }

    /// Creates the event on the instance, or updates it when the instance already holds an
    /// event with its uuid (a case shared again).
    pub async fn push(
        &self,
        instance: &MispInstance,
        event: &Value,
    ) -> Result<PushOutcome, MispError> {
        let uuid = event
            .pointer("/Event/uuid")
            .and_then(Value::as_str)
            .ok_or(MispError::NoUuid)?
            .to_owned();
        let (status, body) = self.post(instance, "/events/add", event).await?;
        if status.is_success() {
            return event_id(&body).map(|event_id| PushOutcome {
                event_id,
                updated: false,
            });
        }
        if already_exists(status, &body) {
            let (status, body) = self
                .post(instance, &format!("/events/edit/{uuid}"), event)
                .await?;
            if status.is_success() {
                return event_id(&body).map(|event_id| PushOutcome {
                    event_id,
                    updated: true,
                });
            }
            return Err(refusal(status, &body));
        }
        Err(refusal(status, &body))
    }

    /// Asks the instance for its version with the key: a check of the URL and the key that
    /// the settings page offers before the first push.
    pub async fn check(&self, instance: &MispInstance) -> Result<String, MispError> {
        let response = self
            .http(instance)
            .get(format!(
                "{}/servers/getVersion",
                instance.url.trim_end_matches('/')
            ))
            .header(reqwest::header::AUTHORIZATION, &instance.api_key)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| transport(&e))?;
        let status = response.status();
        if status.is_redirection() {
            let to = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("?")
                .to_owned();
            return Err(MispError::Redirect(to));
        }
        let body = response.text().await.map_err(|e| transport(&e))?;
        if !status.is_success() {
            return Err(refusal(status, &body));
        }
        serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|v| v.get("version").and_then(Value::as_str).map(str::to_owned))
            .ok_or_else(|| MispError::NotMisp("brak pola version w odpowiedzi".to_owned()))
    }
}

fn refusal(status: StatusCode, body: &str) -> MispError {
    let message = error_message(status, body);
    // MISP answers a bad key with 403 and "Authentication failed…"; 401 is always the key.
    let key_refused = status == StatusCode::UNAUTHORIZED
        || (status == StatusCode::FORBIDDEN && message.to_lowercase().contains("auth"));
    if key_refused {
        MispError::Unauthorised {
            status: status.as_u16(),
            message,
        }
    } else {
        MispError::Refused {
            status: status.as_u16(),
            message,
        }
    }
}

/// The id of the event in a successful answer (`{"Event": {"id": "12", …}}`).
fn event_id(body: &str) -> Result<String, MispError> {
    let value: Value = serde_json::from_str(body)
        .map_err(|_| MispError::NotMisp("odpowiedź nie jest JSON-em".to_owned()))?;
    match value.pointer("/Event/id") {
        Some(Value::String(id)) => Ok(id.clone()),
        Some(Value::Number(id)) => Ok(id.to_string()),
        _ => Err(MispError::NotMisp(
            "w odpowiedzi brak identyfikatora zdarzenia".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_message_prefers_message_then_name_and_lists_errors() {
        let body = r#"{"saved":false,"name":"Could not add Event","message":"Could not add Event","url":"/events/add","errors":{"Event":{"info":["Info cannot be empty."]}}}"#;
        let message = error_message(StatusCode::FORBIDDEN, body);
        assert!(message.starts_with("Could not add Event — "), "{message}");
        assert!(message.contains("Info cannot be empty."));
        assert_eq!(
            error_message(StatusCode::BAD_GATEWAY, "<html>proxy</html>"),
            "Bad Gateway"
        );
    }

    #[test]
    fn a_refused_key_is_told_apart_from_a_refused_event() {
        let auth = r#"{"name":"Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.","message":"Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.","url":"/events/add"}"#;
        assert!(matches!(
            refusal(StatusCode::FORBIDDEN, auth),
            MispError::Unauthorised { status: 403, .. }
        ));
        assert!(matches!(
            refusal(StatusCode::FORBIDDEN, r#"{"name":"Could not add Event"}"#),
            MispError::Refused { status: 403, .. }
        ));
    }

    #[test]
    fn an_existing_event_is_recognised_by_the_answer_misp_gives() {
        let body = r#"{"name":"Event already exists, if you would like to edit it, use the url in the location header.","message":"Event already exists, if you would like to edit it, use the url in the location header.","url":"/events/add"}"#;
        assert!(already_exists(StatusCode::NOT_FOUND, body));
        assert!(!already_exists(StatusCode::NOT_FOUND, "{}"));
    }

    #[test]
    fn the_event_id_is_read_as_string_or_number() {
        assert_eq!(event_id(r#"{"Event":{"id":"12"}}"#), Ok("12".to_owned()));
        assert_eq!(event_id(r#"{"Event":{"id":7}}"#), Ok("7".to_owned()));
        assert!(matches!(event_id("[]"), Err(MispError::NotMisp(_))));
    }
}
