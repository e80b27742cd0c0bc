//! The template registries: the embedded defaults, an office's overrides, and the checks that
//! refuse a broken template before it is used.

use std::path::Path;

use chrono::{TimeZone, Utc};
use handlebars::{DirectorySourceOptions, Handlebars, no_escape};
use rust_embed::RustEmbed;

use crate::context::{CaseContext, Controller, Decision, Processor};
use crate::fields::{
    Cause, Communication, Consequence, DraftFields, SubjectCategory, WhatHappened,
};
use crate::letter::Recipient;
use crate::{DocumentKind, DocumentView, Locale, build};

#[derive(RustEmbed)]
#[folder = "../../templates/notifications/"]
#[prefix = "notifications/"]
#[include = "*.hbs"]
struct Defaults;

/// `{{v field}}`: the value, or a dash when the draft does not have it yet (the list of
/// missing items at the top of the draft says what it is).
struct ValueHelper {
    escape: bool,
}

impl handlebars::HelperDef for ValueHelper {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &handlebars::Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc handlebars::Context,
        _: &mut handlebars::RenderContext<'reg, 'rc>,
        out: &mut dyn handlebars::Output,
    ) -> handlebars::HelperResult {
        let value = h
            .param(0)
            .ok_or_else(|| handlebars::RenderErrorReason::ParamNotFoundForIndex("v", 0))?
            .value();
        let shown = match value {
            serde_json::Value::Null => "—".to_owned(),
            serde_json::Value::String(s) if s.trim().is_empty() => "—".to_owned(),
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if self.escape {
            out.write(&handlebars::html_escape(&shown))?;
        } else {
            out.write(&shown)?;
        }
        Ok(())
    }
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An HTML fragment for the case page and for printing: the text rendering laid out by
    /// `notifications/layout.html.hbs`.
    Html,
    /// Plain text, ready to paste into the official e-form; its lines starting with `# `,
    /// `## ` and `- ` are headings and list items for the HTML and the PDF.
    Text,
}

/// One block of a document: what the text rendering's lines mean for HTML and PDF.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Title { text: String },
    Heading { text: String },
    List { items: Vec<String> },
    Paragraph { lines: Vec<String> },
}

/// Reads the structure of a text rendering.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut open_paragraph = false;
    for line in text.lines() {
        let line = line.trim_end();
        if let Some(t) = line.strip_prefix("# ") {
            out.push(Block::Title { text: t.to_owned() });
            open_paragraph = false;
        } else if let Some(t) = line.strip_prefix("## ") {
            out.push(Block::Heading { text: t.to_owned() });
            open_paragraph = false;
        } else if let Some(item) = line.strip_prefix("- ") {
            match out.last_mut() {
                Some(Block::List { items }) => items.push(item.to_owned()),
                _ => out.push(Block::List {
                    items: vec![item.to_owned()],
                }),
            }
            open_paragraph = false;
        } else if line.trim().is_empty() {
            open_paragraph = false;
        } else {
            match out.last_mut() {
                Some(Block::Paragraph { lines }) if open_paragraph => lines.push(line.to_owned()),
                _ => out.push(Block::Paragraph {
                    lines: vec![line.to_owned()],
                }),
            }
            open_paragraph = true;
        }
    }
    out
}

#[derive(Debug, thiserror::Error)]
pub enum DraftingError {
    #[error("template {name}: {detail}")]
    Template { name: String, detail: String },
    #[error("cannot read the template directory {dir}: {detail}")]
    Directory { dir: String, detail: String },
    #[error("PDF: {0}")]
    Pdf(String),
}

/// The compiled templates. Built once at start; rebuilt when an office changes its templates.
pub struct Drafting {
    html: Handlebars<'static>,
    text: Handlebars<'static>,
    overrides: Vec<String>,
    #[cfg(feature = "pdf")]
    pdf: crate::pdf::Typesetter,
}

impl std::fmt::Debug for Drafting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Drafting")
            .field("overrides", &self.overrides)
            .finish_non_exhaustive()
    }
}

fn template_name(kind: DocumentKind, locale: Locale) -> String {
    format!("notifications/{}/{}/body.txt", kind.id(), locale.id())
}

impl Drafting {
    /// The embedded templates, overridden by the `.hbs` files found under `dir` (same
    /// relative paths, e.g. `notifications/puodo/pl/body.txt.hbs`). Every document is rendered
    /// against the fixtures before the registry is accepted, so a broken override is refused
    /// here with its error, never half-rendered later.
    pub fn load(dir: Option<&Path>) -> Result<Self, DraftingError> {
        let mut html = Handlebars::new();
        let mut text = Handlebars::new();
        text.register_escape_fn(no_escape);
        for registry in [&mut html, &mut text] {
            registry.set_strict_mode(true);
            registry
                .register_embed_templates_with_extension::<Defaults>(".hbs")
                .map_err(|e| DraftingError::Template {
                    name: "(embedded)".to_owned(),
                    detail: e.to_string(),
                })?;
        }
        html.register_helper("v", Box::new(ValueHelper { escape: true }));
        text.register_helper("v", Box::new(ValueHelper { escape: false }));
        let mut overrides = Vec::new();
        if let Some(dir) = dir {
            for registry in [&mut html, &mut text] {
                registry
                    .register_templates_directory(dir, DirectorySourceOptions::default())
                    .map_err(|e| DraftingError::Directory {
                        dir: dir.display().to_string(),
                        detail: e.to_string(),
                    })?;
            }
            overrides = html
                .get_templates()
                .keys()
                .filter(|name| {
                    dir.join(format!("{name}.hbs")).is_file() && name.starts_with("notifications/")
                })
                .cloned()
                .collect();
            overrides.sort();
        }
        let drafting = Self {
            html,
            text,
            overrides,
            #[cfg(feature = "pdf")]
            pdf: crate::pdf::Typesetter::new(),
        };
        drafting.check()?;
        Ok(drafting)
    }

    /// The templates the office overrides.
    pub fn overrides(&self) -> &[String] {
        &self.overrides
    }

    /// Renders every document in every language and format against a full and an empty
    /// draft; the first failure names its template.
    pub fn check(&self) -> Result<(), DraftingError> {
        let ctx = fixture_context();
        let empty = CaseContext {
            decision: None,
            processor: None,
            aware_at: None,
            occurred_at: None,
            subjects_estimate: None,
            ..fixture_context()
        };
        let recipient = Recipient {
            name: "Anna Przykładowa".to_owned(),
            email: Some("anna@example.pl".to_owned()),
            address: Some("ul. Lipowa 1, 00-001 Przykładowo".to_owned()),
        };
        for kind in DocumentKind::all() {
            for locale in Locale::ALL {
                for (ctx, fields) in [(&ctx, fixture_fields()), (&empty, DraftFields::default())] {
                    let view = build(kind, ctx, &fields, Some(&recipient), locale, 1, true);
                    for format in [Format::Html, Format::Text] {
                        self.render(&view, format)?;
                    }
                    let view = build(kind, ctx, &fields, None, locale, 1, true);
                    self.render(&view, Format::Text)?;
                }
            }
        }
        Ok(())
    }

    /// Renders a document.
    pub fn render(&self, view: &DocumentView, format: Format) -> Result<String, DraftingError> {
        let locale = Locale::from_id(view.lang).unwrap_or(Locale::Pl);
        let name = template_name(view.kind, locale);
        let text = self
            .text
            .render(&name, view)
            .map_err(|e| DraftingError::Template {
                name,
                detail: e.to_string(),
            })?;
        match format {
            Format::Text => Ok(text),
            Format::Html => self.render_blocks(view, &blocks(&text)),
        }
    }

    /// Lays out blocks of text (a rendering, or the frozen text of a sent version) as the HTML
    /// fragment of `notifications/layout.html.hbs`.
    pub fn render_blocks(
        &self,
        view: &DocumentView,
        blocks: &[Block],
    ) -> Result<String, DraftingError> {
        let name = "notifications/layout.html";
        let data = serde_json::json!({
            "lang": view.lang,
            "title": view.title,
            "office": view.office,
            "case_reference": view.case_reference,
            "draft": view.draft,
            "version": view.version,
            "generated_at": view.generated_at,
            "blocks": blocks,
        });
        self.html
            .render(name, &data)
            .map_err(|e| DraftingError::Template {
                name: name.to_owned(),
                detail: e.to_string(),
            })
    }

    /// Typesets the document as PDF (A4, embedded fonts, no network).
    #[cfg(feature = "pdf")]
    pub fn pdf(&self, view: &DocumentView) -> Result<Vec<u8>, DraftingError> {
        let body = self.render(view, Format::Text)?;
        self.pdf.typeset(view, &[&body])
    }

    /// Typesets a given text (the frozen text of a sent version) with the view's letterhead.
    #[cfg(feature = "pdf")]
    pub fn pdf_of_text(&self, view: &DocumentView, text: &str) -> Result<Vec<u8>, DraftingError> {
        self.pdf.typeset(view, &[text])
    }

    /// Typesets several texts (the personalised letters of a mail merge) in one PDF, each
    /// starting on a new page with its own page numbering.
    #[cfg(feature = "pdf")]
    pub fn pdf_of_letters(
        &self,
        view: &DocumentView,
        texts: &[String],
    ) -> Result<Vec<u8>, DraftingError> {
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        self.pdf.typeset(view, &texts)
    }

    /// Typesets the register report for a period.
    #[cfg(feature = "pdf")]
    pub fn register_pdf(&self, report: &crate::RegisterReport) -> Result<Vec<u8>, DraftingError> {
        self.pdf.register(report)
    }
}

/// A representative case used to check templates and in the golden tests: a ransomware attack
/// on a gmina office with the residents' PESEL numbers involved.
pub fn fixture_context() -> CaseContext {
    let at = |d: u32, h: u32, m: u32| {
        Utc.with_ymd_and_hms(2026, 3, d, h, m, 0)
            .single()
            .unwrap_or_default()
    };
    let facts = rejestr_risk::parse_facts(
        r#"{"personal_data": true, "confidentiality": "unknown_recipients",
            "availability": "temporary", "restored_within_hours": 30, "malicious": true,
            "data_categories": ["identity", "contact", "national_id", "health"],
            "subjects_count": 1200}"#,
    );
    let Ok(facts) = facts else {
        unreachable!("the fixture's facts are valid: {facts:?}")
    };
    let assessment = rejestr_risk::assess(&facts);
    CaseContext {
        controller: Controller {
            name: "Urząd Gminy Przykładowo".to_owned(),
            regon: Some("000000000".to_owned()),
            address: "ul. Główna 1, 00-001 Przykładowo".to_owned(),
            iod_name: "Jan Nowak".to_owned(),
            iod_email: "iod@przykladowo.example.pl".to_owned(),
            iod_phone: Some("+48 22 000 00 00".to_owned()),
            ksc_status: "public_entity".to_owned(),
            csirt: Some("nask".to_owned()),
        },
        number: "0042/2026".to_owned(),
        description: "Zaszyfrowanie serwera plików przez oprogramowanie ransomware.".to_owned(),
        occurred_at: Some(at(28, 23, 10)),
        discovered_at: at(29, 6, 45),
        aware_at: Some(at(29, 8, 30)),
        processor: Some(Processor {
            name: "Informatyka Gminna sp. z o.o.".to_owned(),
            contract: Some("umowa powierzenia nr 7/2025".to_owned()),
            notified_at: Some(at(29, 7, 55)),
        }),
        subjects_estimate: Some(1000),
        sa_deadline: Some(at(29, 8, 30) + chrono::Duration::hours(72)),
        decision: Some(Decision {
            risk: assessment.risk.as_str().to_owned(),
            notify_sa: assessment.obligations.notify_sa,
            notify_subjects: assessment.obligations.notify_subjects,
            justification: None,
            facts,
            assessment,
        }),
        now: at(30, 14, 0),
    }
}

/// The IOD's answers for [`fixture_context`].
pub fn fixture_fields() -> DraftFields {
    let s = |v: &str| Some(v.to_owned());
    DraftFields {
        discovery_method: s(
            "Pracownik zgłosił brak dostępu do plików i komunikat z żądaniem okupu.",
        ),
        what_happened: vec![WhatHappened::Malware, WhatHappened::Hacking],
        malware_confidentiality: s(
            "Analiza logów zapory wykazała transfer 2 GB danych na zewnętrzny adres; poufność uznajemy za naruszoną.",
        ),
        malware_ransom: s("Tak, plik README z żądaniem zapłaty w kryptowalucie."),
        malware_backup: s("Kopia zapasowa z 28.03 odtworzona w ciągu 30 godzin."),
        cause: Some(Cause::ExternalIntentional),
        children: Some(false),
        records_count: Some(1500),
        subject_categories: vec![SubjectCategory::PublicClients, SubjectCategory::Employees],
        subjects_description: s(
            "Mieszkańcy składający wnioski o świadczenia oraz pracownicy urzędu.",
        ),
        consequences: vec![
            Consequence::LossOfControl,
            Consequence::IdentityTheft,
            Consequence::FinancialLoss,
        ],
        measures_before: s(
            "Zapora sieciowa, oprogramowanie antywirusowe, kopie zapasowe codziennie.",
        ),
        measures_recurrence: s(
            "Wdrożono uwierzytelnianie dwuskładnikowe do VPN i segmentację sieci.",
        ),
        measures_mitigation: s(
            "Odłączono serwer od sieci, zgłoszono sprawę Policji i CSIRT NASK, odtworzono dane z kopii.",
        ),
        communication: Some(Communication::Planned),
        communication_individual: Some(true),
        communication_channels: s("list polecony i e-mail"),
        cross_border: Some(false),
        plain_description: s(
            "W nocy z 28 na 29 marca 2026 r. przestępcy zaszyfrowali serwer urzędu i skopiowali część plików.",
        ),
        extra_advice: s("W razie podejrzenia oszustwa warto zgłosić sprawę na Policję."),
        public_task_affected: s("Obsługa wniosków o świadczenia i ewidencja ludności"),
        geographic_scope: s("Gmina Przykładowo"),
        systems_effects: s(
            "Niedostępność serwera plików przez 30 godzin; systemy dziedzinowe działały.",
        ),
        source: s("Zewnętrzny atak z użyciem wykradzionych danych logowania do VPN."),
        ..DraftFields::default()
    }
}
