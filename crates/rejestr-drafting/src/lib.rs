//! Drafting the documents of a case.
//!
//! View models are built here, in Rust, from what the register knows ([`CaseContext`]) and
//! what the IOD filled in ([`DraftFields`]); handlebars templates under
//! `templates/notifications/<document>/<locale>/` only format them. Both registries run in
//! strict mode: a template that names a field the view does not have fails to render instead
//! of leaving a gap in a legal document. The HTML registry escapes, the text registry does not;
//! the PDF is typeset by Typst from the text rendering, with the text passed as data (never as
//! Typst markup) and only embedded fonts, so it renders offline.
//!
//! Every view lists what is still [`Missing`] before the document can be filed.

#[macro_use]
mod macros;
mod context;
mod csirt;
mod fields;
mod labels;
mod letter;
#[cfg(feature = "pdf")]
mod pdf;
mod puodo;
mod recipients;
mod register_report;
mod render;

pub use context::{CaseContext, Controller, Decision, Processor};
pub use csirt::CsirtView;
pub use fields::{Cause, Communication, Consequence, DraftFields, SubjectCategory, WhatHappened};
pub use labels::{Label, Locale, data_category_pl};
pub use letter::{LetterView, Recipient};
pub use puodo::PuodoView;
pub use recipients::{LineError, MAX_LINES, parse_recipients};
pub use register_report::{RegisterReport, RegisterRow};
pub use render::{Block, Drafting, DraftingError, Format, blocks, fixture_context, fixture_fields};

use rejestr_risk::Band;
use serde::Serialize;
use sha2::{Digest, Sha256};

labelled_enum! {
    /// The phase of a PUODO notification (GDPR art. 33(4): information may be provided in
    /// phases).
    PuodoPhase {
        Complete = "complete", "Zgłoszenie kompletne/jednorazowe", "Complete (one-off) notification";
        Initial = "initial", "Zgłoszenie wstępne", "Initial notification";
        Supplementary = "supplementary", "Zgłoszenie uzupełniające/zmieniające", "Supplementary or amending notification";
    }
}

labelled_enum! {
    /// The phase of a report to the CSIRT (NIS2 art. 23(4) as adopted in the KSC act).
    CsirtPhase {
        EarlyWarning = "early_warning", "Wczesne ostrzeżenie (24 godziny)", "Early warning (24 hours)";
        Notification = "notification", "Zgłoszenie incydentu (72 godziny)", "Incident notification (72 hours)";
        FinalReport = "final_report", "Sprawozdanie końcowe (1 miesiąc)", "Final report (1 month)";
    }
}

/// A document the register drafts for a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    Puodo(PuodoPhase),
    SubjectLetter,
    PublicNotice,
    Csirt(CsirtPhase),
}

impl DocumentKind {
    /// Every document, in the order the case page lists them.
    pub fn all() -> Vec<DocumentKind> {
        let mut all: Vec<DocumentKind> = PuodoPhase::ALL
            .iter()
            .map(|p| DocumentKind::Puodo(*p))
            .collect();
        all.push(DocumentKind::SubjectLetter);
        all.push(DocumentKind::PublicNotice);
        all.extend(CsirtPhase::ALL.iter().map(|p| DocumentKind::Csirt(*p)));
        all
    }

    /// The template directory and the stored kind.
    pub fn id(self) -> &'static str {
        match self {
            DocumentKind::Puodo(_) => "puodo",
            DocumentKind::SubjectLetter => "subject_letter",
            DocumentKind::PublicNotice => "public_notice",
            DocumentKind::Csirt(_) => "csirt",
        }
    }

    /// The stored phase; empty for the documents without phases.
    pub fn phase_id(self) -> &'static str {
        match self {
            DocumentKind::Puodo(p) => p.id(),
            DocumentKind::Csirt(p) => p.id(),
            DocumentKind::SubjectLetter | DocumentKind::PublicNotice => "",
        }
    }

    /// `puodo-initial`, `subject_letter`: the id used in addresses.
    pub fn slug(self) -> String {
        match self.phase_id() {
            "" => self.id().to_owned(),
            phase => format!("{}-{}", self.id(), phase),
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::all().into_iter().find(|k| k.slug() == slug)
    }

    pub fn from_ids(kind: &str, phase: &str) -> Option<Self> {
        Self::all()
            .into_iter()
            .find(|k| k.id() == kind && k.phase_id() == phase)
    }

    pub fn title(self) -> Label {
        match self {
            DocumentKind::Puodo(_) => Label {
                pl: "Zgłoszenie naruszenia ochrony danych osobowych do Prezesa UODO",
                en: "Notification of a personal data breach to the President of UODO",
            },
            DocumentKind::SubjectLetter => Label {
                pl: "Zawiadomienie o naruszeniu ochrony danych osobowych",
                en: "Notice of a personal data breach",
            },
            DocumentKind::PublicNotice => Label {
                pl: "Komunikat o naruszeniu ochrony danych osobowych",
                en: "Public notice of a personal data breach",
            },
            DocumentKind::Csirt(_) => Label {
                pl: "Zgłoszenie incydentu do CSIRT",
                en: "Incident report to the CSIRT",
            },
        }
    }

    /// The phase as a person reads it, if the document has phases.
    pub fn phase_label(self) -> Option<Label> {
        match self {
            DocumentKind::Puodo(p) => Some(p.label()),
            DocumentKind::Csirt(p) => Some(p.label()),
            DocumentKind::SubjectLetter | DocumentKind::PublicNotice => None,
        }
    }
}

/// Something the document still lacks before it can be filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    /// The form's point or the article that asks for it ("4A", "34(2)").
    pub point: &'static str,
    pub label: &'static str,
    /// A blocking gap makes the document unlawful to file as it is; the others may follow in
    /// a supplementary notification.
    pub blocking: bool,
}

impl Missing {
    fn new(point: &'static str, pl: &'static str, en: &'static str, l: Locale, b: bool) -> Self {
        Self {
            point,
            label: Label { pl, en }.get(l),
            blocking: b,
        }
    }
}

/// The document's own view, one of the four.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Body {
    Puodo(Box<PuodoView>),
    Letter(Box<LetterView>),
    Csirt(Box<CsirtView>),
}

/// What a template receives.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    #[serde(skip)]
    pub kind: DocumentKind,
    pub lang: &'static str,
    pub title: &'static str,
    pub phase: Option<&'static str>,
    /// The controller's case number.
    pub case_reference: String,
    /// The controller's name (the letterhead).
    pub office: String,
    /// A draft carries a "draft" mark; the frozen sent version does not.
    pub draft: bool,
    pub version: u32,
    pub generated_at: String,
    pub missing: Vec<Missing>,
    pub complete: bool,
    pub doc: Body,
}

/// Builds the view of one document.
pub fn build(
    kind: DocumentKind,
    ctx: &CaseContext,
    fields: &DraftFields,
    recipient: Option<&Recipient>,
    locale: Locale,
    version: u32,
    draft: bool,
) -> DocumentView {
    let mut missing = Vec::new();
    let doc = match kind {
        DocumentKind::Puodo(phase) => Body::Puodo(Box::new(puodo::view(
            ctx,
            fields,
            phase,
            locale,
            &mut missing,
        ))),
        DocumentKind::SubjectLetter => Body::Letter(Box::new(letter::view(
            ctx,
            fields,
            false,
            recipient,
            locale,
            &mut missing,
        ))),
        DocumentKind::PublicNotice => Body::Letter(Box::new(letter::view(
            ctx,
            fields,
            true,
            None,
            locale,
            &mut missing,
        ))),
        DocumentKind::Csirt(phase) => Body::Csirt(Box::new(csirt::view(
            ctx,
            fields,
            phase,
            locale,
            &mut missing,
        ))),
    };
    DocumentView {
        kind,
        lang: locale.id(),
        title: kind.title().get(locale),
        phase: kind.phase_label().map(|p| p.get(locale)),
        case_reference: ctx.number.clone(),
        office: ctx.controller.name.clone(),
        draft,
        version,
        generated_at: labels::instant(ctx.now, locale),
        complete: !missing.iter().any(|m| m.blocking),
        missing,
        doc,
    }
}

/// The SHA-256 of a frozen rendering, as recorded in the audit trail.
pub fn fingerprint(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

pub(crate) fn text(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

pub(crate) fn band_label(band: Band) -> Label {
    match band {
        Band::Low => Label {
            pl: "niska",
            en: "low",
        },
        Band::Medium => Label {
            pl: "średnia",
            en: "medium",
        },
        Band::High => Label {
            pl: "wysoka",
            en: "high",
        },
        Band::VeryHigh => Label {
            pl: "bardzo wysoka",
            en: "very high",
        },
    }
}

pub(crate) fn risk_label(risk: &str) -> Label {
    match risk {
        "high" => Label {
            pl: "wysokie ryzyko",
            en: "high risk",
        },
        "risk" => Label {
            pl: "ryzyko",
            en: "risk",
        },
        _ => Label {
            pl: "brak ryzyka",
            en: "unlikely to result in a risk",
        },
    }
}
