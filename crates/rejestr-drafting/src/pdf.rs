//! Typesetting a document as PDF with Typst: A4, the fonts embedded in the binary (no system
//! fonts, no network), the text passed as data.

use typst::foundations::{Dict, IntoValue};
use typst_as_lib::TypstEngine;
use typst_as_lib::typst_kit_options::TypstKitFontOptions;
use typst_layout::PagedDocument;

use crate::{DocumentView, DraftingError, RegisterReport};

static LAYOUT: &str = include_str!("../../../templates/notifications/document.typ");
static REGISTER: &str = include_str!("../../../templates/notifications/register.typ");

/// A line that starts a new letter in a merged body (form feed).
const PAGE_BREAK: char = '\u{c}';

pub(crate) struct Typesetter {
    engine: TypstEngine,
}

impl Typesetter {
    pub(crate) fn new() -> Self {
        let engine = TypstEngine::builder()
            .search_fonts_with(TypstKitFontOptions::new().include_system_fonts(false))
            .with_static_source_file_resolver([
                ("document.typ", LAYOUT),
                ("register.typ", REGISTER),
            ])
            .build();
        Self { engine }
    }

    /// Typesets `bodies` with the view's letterhead; each body starts on a new page with its
    /// own page numbers (a mail merge), a single body is an ordinary document.
    pub(crate) fn typeset(
        &self,
        view: &DocumentView,
        bodies: &[&str],
    ) -> Result<Vec<u8>, DraftingError> {
        let pl = view.lang == "pl";
        let mut inputs = Dict::new();
        let mut put = |key: &str, value: String| {
            inputs.insert(key.into(), value.into_value());
        };
        put("body", bodies.join(&format!("\n{PAGE_BREAK}\n")));
        put("merged", if bodies.len() > 1 { "1" } else { "" }.to_owned());
        put("title", view.title.to_owned());
        put("lang", view.lang.to_owned());
        put("office", view.office.clone());
        put("reference", view.case_reference.clone());
        put(
            "draft_mark",
            match (view.draft, pl) {
                (false, _) => String::new(),
                (true, true) => format!("PROJEKT, wersja {}", view.version),
                (true, false) => format!("DRAFT, version {}", view.version),
            },
        );
        put(
            "footer",
            if pl {
                format!("Wygenerowano {} w Rejestr72", view.generated_at)
            } else {
                format!("Generated {} by Rejestr72", view.generated_at)
            },
        );
        self.compile("document.typ", inputs)
    }

    /// Typesets the register report for a period (landscape A4).
    pub(crate) fn register(&self, report: &RegisterReport) -> Result<Vec<u8>, DraftingError> {
        let mut inputs = Dict::new();
        inputs.insert("data".into(), report.to_json().into_value());
        self.compile("register.typ", inputs)
    }

    fn compile(&self, file: &str, inputs: Dict) -> Result<Vec<u8>, DraftingError> {
        let doc: PagedDocument = self
            .engine
            .compile_with_input(file, inputs)
            .output
            .map_err(|e| DraftingError::Pdf(e.to_string()))?;
        typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|errors| {
            DraftingError::Pdf(
                errors
                    .iter()
                    .map(|e| e.message.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })
    }
}
