//! Mail merge of the letter to data subjects (art. 34): the recipients of a letter version,
//! their individual letters as one PDF (or one each), and the e-mails, sent once per person
//! through the dispatcher with the state of each shown here.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::Utc;
use rejestr_domain::case::CaseNumber;
use rejestr_domain::role::Permission;
use rejestr_drafting::{DocumentKind, Format, Recipient, parse_recipients};
use rejestr_store::{
    LetterRecipient, MailState, NewRecipient, OrgScope, RenderedMail, Session, StoreError,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::SignedIn;
use crate::documents::{
    Loaded, failure, filename, kind_and_number, load, not_found, template_failure, typeset,
};
use crate::pages::render;
use crate::register::reading_scope;
use crate::time::warsaw;

/// The letter version a mail merge works on; every other document has no recipients.
struct Letter {
    scope: OrgScope,
    number: CaseNumber,
    version: i32,
}

impl Letter {
    /// The letter version with its case context and fields.
    async fn load(&self, state: &AppState) -> Result<Loaded, Response> {
        load(
            state,
            &self.scope,
            self.number,
            DocumentKind::SubjectLetter,
            self.version,
        )
        .await
    }

    async fn recipients(&self, state: &AppState) -> Result<Vec<LetterRecipient>, Response> {
        state
            .store
            .letter_recipients(&self.scope, self.number, self.key())
            .await
            .map_err(|error| failure(state, &error))
    }

    fn key(&self) -> (&'static str, &'static str, i32) {
        (
            DocumentKind::SubjectLetter.id(),
            DocumentKind::SubjectLetter.phase_id(),
            self.version,
        )
    }
}

async fn letter(
    state: &AppState,
    session: &Session,
    (slug, year, seq, doc, version): (String, i32, u32, String, i32),
) -> Result<Letter, Response> {
    let scope = reading_scope(state, session, &slug).await?;
    match kind_and_number(&doc, year, seq) {
        Some((DocumentKind::SubjectLetter, number)) => Ok(Letter {
            scope,
            number,
            version,
        }),
        _ => Err(not_found(state)),
    }
}

fn as_recipient(r: &LetterRecipient) -> Recipient {
    Recipient {
        name: r.name.clone(),
        email: r.email.clone(),
        address: r.address.clone(),
    }
}

/// The personalised text of one letter.
fn letter_text(
    state: &AppState,
    loaded: &Loaded,
    recipient: &LetterRecipient,
) -> Result<String, rejestr_drafting::DraftingError> {
    let view = loaded.view(DocumentKind::SubjectLetter, Some(&as_recipient(recipient)));
    state.drafting.render(&view, Format::Text)
}

/// The e-mail form of a letter: the same text, without the markers of headings.
fn email_body(text: &str) -> String {
    text.lines()
        .map(|line| {
            line.strip_prefix("## ")
                .or_else(|| line.strip_prefix("# "))
                .unwrap_or(line)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn state_view(state: &MailState) -> Value {
    match state {
        MailState::PostOnly => json!({"label": "tylko pocztą (brak e-maila)", "class": ""}),
        MailState::NotQueued => json!({"label": "nie wysłano", "class": ""}),
        MailState::Queued { at } => {
            json!({"label": format!("w kolejce od {}", warsaw(*at)), "class": "warn"})
        }
        MailState::Delivered { at } => {
            json!({"label": format!("wysłano {}", warsaw(*at)), "class": "ok"})
        }
        MailState::Failed {
            attempts,
            error,
            gave_up,
        } => json!({
            "label": if *gave_up {
                format!("NIE DOSTARCZONO po {attempts} próbach")
            } else {
                format!("błąd (próba {attempts}), ponowienie automatycznie")
            },
            "error": error,
            "class": "bad",
        }),
    }
}

/// What the page says back after an action: the list as typed with its bad lines, a refusal,
/// or a notice.
#[derive(Default)]
struct Feedback<'a> {
    list: &'a str,
    errors: &'a [rejestr_drafting::LineError],
    message: Option<&'a str>,
    notice: Option<&'a str>,
}

async fn render_recipients(
    state: &AppState,
    session: &Session,
    letter: &Letter,
    status: StatusCode,
    feedback: Feedback<'_>,
) -> Response {
    let Feedback {
        list,
        errors,
        message,
        notice,
    } = feedback;
    let loaded = match letter.load(state).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let recipients = match letter.recipients(state).await {
        Ok(recipients) => recipients,
        Err(response) => return response,
    };
    let org = letter.scope.organisation();
    let base = format!(
        "/rejestr/{}/sprawy/{}/{}",
        org.slug, letter.number.year, letter.number.seq
    );
    let doc_base = format!("{base}/dokumenty/{}", DocumentKind::SubjectLetter.slug());
    let to_send = recipients
        .iter()
        .filter(|r| r.state == MailState::NotQueued)
        .count();
    let rows: Vec<Value> = recipients
        .iter()
        .map(|r| {
            json!({
                "position": r.position,
                "name": r.name,
                "address": r.address,
                "email": r.email,
                "state": state_view(&r.state),
                "removable": r.state == MailState::NotQueued || r.state == MailState::PostOnly,
                "sha256": r.sha256,
            })
        })
        .collect();
    let data = json!({
        "title": format!("Adresaci listu — sprawa {}", letter.number),
        "org": {"name": org.name, "slug": org.slug.as_str()},
        "user": {"name": session.user.display_name, "email": session.user.email},
        "base": base,
        "doc_base": doc_base,
        "number": letter.number.to_string(),
        "version": letter.version,
        "sent": loaded.record.sent.is_some(),
        "recipients": rows,
        "count": recipients.len(),
        "with_email": recipients.iter().filter(|r| r.email.is_some()).count(),
        "to_send": to_send,
        "list": list,
        "errors": errors.iter().map(|e| json!({"line": e.line, "message": e.message})).collect::<Vec<_>>(),
        "has_errors": !errors.is_empty(),
        "message": message,
        "notice": notice,
        "mail_folder": state.config.mail_folder,
        "can_change": letter.scope.can(Permission::ChangeCases),
        "max_lines": rejestr_drafting::MAX_LINES,
    });
    render(state, status, "pages/letter_recipients", &data)
}

type LetterPath = Path<(String, i32, u32, String, i32)>;

pub(crate) async fn page(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path(path): LetterPath,
) -> Response {
    let letter = match letter(&state, &session, path).await {
        Ok(letter) => letter,
        Err(response) => return response,
    };
    render_recipients(
        &state,
        &session,
        &letter,
        StatusCode::OK,
        Feedback::default(),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct AddForm {
    #[serde(default)]
    lista: String,
}

pub(crate) async fn add(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path(path): LetterPath,
    Form(form): Form<AddForm>,
) -> Response {
    let letter = match letter(&state, &session, path).await {
        Ok(letter) => letter,
        Err(response) => return response,
    };
    let parsed = match parse_recipients(&form.lista) {
        Ok(parsed) => parsed,
        Err(errors) => {
            return render_recipients(
                &state,
                &session,
                &letter,
                StatusCode::UNPROCESSABLE_ENTITY,
                Feedback {
                    list: &form.lista,
                    errors: &errors,
                    ..Feedback::default()
                },
            )
            .await;
        }
    };
    let new: Vec<NewRecipient> = parsed
        .into_iter()
        .map(|r| NewRecipient {
            name: r.name,
            address: r.address,
            email: r.email,
        })
        .collect();
    match state
        .store
        .add_letter_recipients(&letter.scope, letter.number, letter.key(), &new, Utc::now())
        .await
    {
        Ok(_) => Redirect::to(&format!("{}#adresaci", own_path(&letter))).into_response(),
        Err(StoreError::InvalidInput(_)) => {
            let message = format!(
                "Jeden list może mieć najwyżej {} adresatów.",
                rejestr_store::MAX_RECIPIENTS
            );
            render_recipients(
                &state,
                &session,
                &letter,
                StatusCode::UNPROCESSABLE_ENTITY,
                Feedback {
                    list: &form.lista,
                    message: Some(&message),
                    ..Feedback::default()
                },
            )
            .await
        }
        Err(error) => failure(&state, &error),
    }
}

fn own_path(letter: &Letter) -> String {
    format!(
        "/rejestr/{}/sprawy/{}/{}/dokumenty/{}/{}/adresaci",
        letter.scope.organisation().slug,
        letter.number.year,
        letter.number.seq,
        DocumentKind::SubjectLetter.slug(),
        letter.version
    )
}

pub(crate) async fn remove(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path((slug, year, seq, doc, version, position)): Path<(String, i32, u32, String, i32, i32)>,
) -> Response {
    let letter = match letter(&state, &session, (slug, year, seq, doc, version)).await {
        Ok(letter) => letter,
        Err(response) => return response,
    };
    match state
        .store
        .remove_letter_recipient(
            &letter.scope,
            letter.number,
            letter.key(),
            position,
            Utc::now(),
        )
        .await
    {
        Ok(()) => Redirect::to(&format!("{}#adresaci", own_path(&letter))).into_response(),
        Err(StoreError::InvalidInput(_)) => {
            render_recipients(
                &state,
                &session,
                &letter,
                StatusCode::UNPROCESSABLE_ENTITY,
                Feedback {
                    message: Some(
                        "Tego adresata nie można usunąć: e-mail do niego jest już wysyłany.",
                    ),
                    ..Feedback::default()
                },
            )
            .await
        }
        Err(error) => failure(&state, &error),
    }
}

/// Queues the e-mails of every recipient not e-mailed yet.
pub(crate) async fn send(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path(path): LetterPath,
) -> Response {
    let letter = match letter(&state, &session, path).await {
        Ok(letter) => letter,
        Err(response) => return response,
    };
    if !letter.scope.can(Permission::ChangeCases) {
        return failure(&state, &StoreError::Forbidden);
    }
    let loaded = match letter.load(&state).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    if loaded.record.sent.is_none() {
        return render_recipients(
            &state,
            &session,
            &letter,
            StatusCode::UNPROCESSABLE_ENTITY,
            Feedback {
                message: Some("Najpierw oznacz tę wersję listu jako wysłaną: e-maile wychodzą tylko z zatwierdzonej, zamrożonej wersji."),
                ..Feedback::default()
            },
        )
        .await;
    }
    let recipients = match letter.recipients(&state).await {
        Ok(recipients) => recipients,
        Err(response) => return response,
    };
    let subject = format!(
        "{} — {}",
        DocumentKind::SubjectLetter.title().get(loaded.locale),
        loaded.ctx.controller.name
    );
    let mut mails = Vec::new();
    for r in recipients
        .iter()
        .filter(|r| r.state == MailState::NotQueued)
    {
        match letter_text(&state, &loaded, r) {
            Ok(text) => mails.push(RenderedMail {
                position: r.position,
                subject: subject.clone(),
                body: email_body(&text),
            }),
            Err(error) => return template_failure(&state, &error),
        }
    }
    match state
        .store
        .queue_letter_mails(
            &letter.scope,
            letter.number,
            letter.key(),
            &mails,
            Utc::now(),
        )
        .await
    {
        Ok(count) => {
            let notice = match count {
                0 => "Nie było nowych adresatów z adresem e-mail.".to_owned(),
                n => format!("Przekazano do wysyłki: {n}. Stan każdej wiadomości widać w tabeli."),
            };
            render_recipients(
                &state,
                &session,
                &letter,
                StatusCode::OK,
                Feedback {
                    notice: Some(&notice),
                    ..Feedback::default()
                },
            )
            .await
        }
        Err(error) => failure(&state, &error),
    }
}

/// Every recipient's letter in one PDF, each on its own pages.
pub(crate) async fn pdf_all(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path(path): LetterPath,
) -> Response {
    let letter = match letter(&state, &session, path).await {
        Ok(letter) => letter,
        Err(response) => return response,
    };
    letters_pdf(&state, &letter, None).await
}

pub(crate) async fn pdf_one(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path((slug, year, seq, doc, version, position)): Path<(String, i32, u32, String, i32, i32)>,
) -> Response {
    let letter = match letter(&state, &session, (slug, year, seq, doc, version)).await {
        Ok(letter) => letter,
        Err(response) => return response,
    };
    letters_pdf(&state, &letter, Some(position)).await
}

async fn letters_pdf(state: &AppState, letter: &Letter, only: Option<i32>) -> Response {
    let loaded = match letter.load(state).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let recipients: Vec<LetterRecipient> = match letter.recipients(state).await {
        Ok(recipients) => recipients
            .into_iter()
            .filter(|r| only.is_none_or(|p| p == r.position))
            .collect(),
        Err(response) => return response,
    };
    if recipients.is_empty() {
        return not_found(state);
    }
    let mut texts = Vec::with_capacity(recipients.len());
    for r in &recipients {
        match letter_text(state, &loaded, r) {
            Ok(text) => texts.push(text),
            Err(error) => return template_failure(state, &error),
        }
    }
    let view = loaded.view(DocumentKind::SubjectLetter, None);
    let ext = match only {
        Some(position) => format!("adresat-{position}.pdf"),
        None => "listy.pdf".to_owned(),
    };
    typeset(
        state,
        filename(
            DocumentKind::SubjectLetter,
            letter.number,
            letter.version,
            &ext,
        ),
        move |drafting| drafting.pdf_of_letters(&view, &texts),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_has_no_heading_markers() {
        assert_eq!(
            email_body("# Zawiadomienie\n\n## Co się stało\nTekst # nie nagłówek"),
            "Zawiadomienie\n\nCo się stało\nTekst # nie nagłówek"
        );
    }
}
