//! Golden tests of every document in every language, the content the law requires, and the
//! refusal of broken templates.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use rejestr_drafting::{
    CaseContext, DocumentKind, DraftFields, Drafting, Format, Locale, Recipient, build,
    fixture_context, fixture_fields,
};

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn recipient() -> Recipient {
    Recipient {
        name: "Anna Przykładowa".to_owned(),
        email: Some("anna@example.pl".to_owned()),
        address: Some("ul. Lipowa 1, 00-001 Przykładowo".to_owned()),
    }
}

/// Compares with the stored rendering; `UPDATE_GOLDEN=1` rewrites the files instead.
fn golden(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    assert!(
        expected == actual,
        "{name} differs from its golden file:\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

#[test]
fn every_document_in_every_language_matches_its_golden_text() {
    let drafting = Drafting::load(None).unwrap();
    let ctx = fixture_context();
    let fields = fixture_fields();
    for kind in DocumentKind::all() {
        for locale in Locale::ALL {
            let recipient = recipient();
            let to = (kind == DocumentKind::SubjectLetter).then_some(&recipient);
            let view = build(kind, &ctx, &fields, to, locale, 3, true);
            let text = drafting.render(&view, Format::Text).unwrap();
            golden(&format!("{}.{}.txt", kind.slug(), locale.id()), &text);
        }
    }
    // The frozen version of a sent document carries no draft mark.
    let view = build(
        DocumentKind::Puodo(rejestr_drafting::PuodoPhase::Complete),
        &ctx,
        &fields,
        None,
        Locale::Pl,
        3,
        false,
    );
    let text = drafting.render(&view, Format::Text).unwrap();
    assert!(!text.contains("PROJEKT"), "{text}");
}

fn empty_case() -> CaseContext {
    CaseContext {
        decision: None,
        aware_at: None,
        subjects_estimate: None,
        description: String::new(),
        controller: rejestr_drafting::Controller {
            iod_name: String::new(),
            iod_email: String::new(),
            ..fixture_context().controller
        },
        ..fixture_context()
    }
}

/// Art. 33(3) (a) to (d) and the reasons for delay, mapped to the points of the PUODO form.
const ART_33_3: [(&str, &str); 10] = [
    ("4A", "(a) nature"),
    ("4E", "(a) nature: confidentiality, integrity, availability"),
    ("5", "(a) approximate number of data subjects"),
    ("6", "(a) categories of data"),
    ("7", "(a) categories of data subjects"),
    ("2E", "(b) the DPO"),
    ("8A", "(c) likely consequences"),
    ("9B", "(d) measures against recurrence"),
    ("9C", "(d) measures to mitigate"),
    ("3A", "awareness and the reasons for delay"),
];

#[test]
fn an_empty_puodo_draft_flags_every_item_of_article_33_3_as_missing_and_blocking() {
    let ctx = CaseContext {
        now: fixture_context().sa_deadline.unwrap() + chrono::Duration::hours(1),
        ..empty_case()
    };
    let view = build(
        DocumentKind::Puodo(rejestr_drafting::PuodoPhase::Complete),
        &ctx,
        &DraftFields::default(),
        None,
        Locale::Pl,
        1,
        true,
    );
    for (point, what) in ART_33_3 {
        assert!(
            view.missing.iter().any(|m| m.point == point && m.blocking),
            "art. 33(3) {what} (point {point}) is not flagged: {:?}",
            view.missing
        );
    }
    assert!(!view.complete);
    // Late: the reasons for delay are demanded.
    assert!(
        view.missing
            .iter()
            .any(|m| m.label.contains("powody opóźnienia"))
    );
}

#[test]
fn a_full_puodo_draft_states_every_item_of_article_33_3() {
    let drafting = Drafting::load(None).unwrap();
    let ctx = fixture_context();
    let view = build(
        DocumentKind::Puodo(rejestr_drafting::PuodoPhase::Complete),
        &ctx,
        &fixture_fields(),
        None,
        Locale::Pl,
        1,
        true,
    );
    assert!(view.complete, "{:?}", view.missing);
    let text = drafting.render(&view, Format::Text).unwrap();
    for expected in [
        "Zaszyfrowanie serwera plików",           // 4A
        "Naruszenie poufności danych",            // 4E
        "Naruszenie dostępności danych",          // 4E
        "osób, których dotyczy naruszenie: 1200", // 5
        "Numer ewidencyjny PESEL",                // 6A
        "Dane dotyczące zdrowia",                 // 6B
        "Klienci podmiotów publicznych",          // 7
        "Jan Nowak, e-mail iod@przykladowo",      // 2E
        "Kradzież lub sfałszowanie tożsamości",   // 8A
        "uwierzytelnianie dwuskładnikowe",        // 9B
        "Odłączono serwer od sieci",              // 9C
        "29.03.2026, godz. 10:30",                // 3A, in Warsaw (CEST from 29 March)
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

/// Art. 34(2): nature, the DPO's contact, likely consequences, measures.
#[test]
fn the_letter_to_data_subjects_states_what_article_34_2_requires_or_flags_it() {
    let drafting = Drafting::load(None).unwrap();
    let view = build(
        DocumentKind::SubjectLetter,
        &empty_case(),
        &DraftFields::default(),
        None,
        Locale::Pl,
        1,
        true,
    );
    let points: Vec<&str> = view.missing.iter().map(|m| m.label).collect();
    for needle in [
        "opis zdarzenia",
        "jakich danych",
        "co urząd zrobił",
        "inspektora",
    ] {
        assert!(
            points.iter().any(|p| p.contains(needle)),
            "{needle} not flagged: {points:?}"
        );
    }
    let view = build(
        DocumentKind::SubjectLetter,
        &fixture_context(),
        &fixture_fields(),
        Some(&recipient()),
        Locale::Pl,
        1,
        false,
    );
    assert!(view.missing.is_empty(), "{:?}", view.missing);
    let text = drafting.render(&view, Format::Text).unwrap();
    for expected in [
        "Anna Przykładowa\nul. Lipowa 1, 00-001 Przykładowo\n", // the address block
        "przestępcy zaszyfrowali serwer",                       // what happened
        "numer PESEL",                                          // which data
        "zaciągnąć pożyczkę",                                   // consequences
        "Odłączono serwer od sieci",                            // measures
        "Zastrzeżenie numeru PESEL: w aplikacji mObywatel",     // advice
        "iod@przykladowo.example.pl",                           // contact
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(!text.contains("PROJEKT"));
}

#[test]
fn user_text_is_escaped_in_html_and_kept_verbatim_in_text() {
    let drafting = Drafting::load(None).unwrap();
    let fields = DraftFields {
        description: Some("<script>alert(1)</script> & \"cudzysłów\"".to_owned()),
        ..fixture_fields()
    };
    let kind = DocumentKind::Puodo(rejestr_drafting::PuodoPhase::Initial);
    let view = build(kind, &fixture_context(), &fields, None, Locale::Pl, 1, true);
    let html = drafting.render(&view, Format::Html).unwrap();
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"));
    let text = drafting.render(&view, Format::Text).unwrap();
    assert!(text.contains("<script>alert(1)</script> & \"cudzysłów\""));
}

#[test]
fn an_office_can_override_a_template_and_a_broken_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let letter = dir.path().join("notifications/subject_letter/pl");
    std::fs::create_dir_all(&letter).unwrap();
    let mut own = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../templates/notifications/subject_letter/pl/body.txt.hbs"),
    )
    .unwrap();
    own.insert_str(0, "GMINA PRZYKŁADOWO — herb i nagłówek urzędu\n");
    std::fs::write(letter.join("body.txt.hbs"), &own).unwrap();
    let drafting = Drafting::load(Some(dir.path())).unwrap();
    assert_eq!(
        drafting.overrides(),
        ["notifications/subject_letter/pl/body.txt"]
    );
    let view = build(
        DocumentKind::SubjectLetter,
        &fixture_context(),
        &fixture_fields(),
        None,
        Locale::Pl,
        1,
        true,
    );
    let text = drafting.render(&view, Format::Text).unwrap();
    assert!(text.starts_with("GMINA PRZYKŁADOWO — herb"));

    // A field the view does not have: strict mode refuses it at load, naming the template.
    std::fs::write(letter.join("body.txt.hbs"), "{{doc.no_such_field}}").unwrap();
    let error = Drafting::load(Some(dir.path())).unwrap_err().to_string();
    assert!(
        error.contains("notifications/subject_letter/pl/body.txt"),
        "{error}"
    );
    // A syntax error too.
    std::fs::write(letter.join("body.txt.hbs"), "{{#if doc.office}}unclosed").unwrap();
    assert!(Drafting::load(Some(dir.path())).is_err());
}

#[test]
fn html_follows_the_structure_of_the_text() {
    let drafting = Drafting::load(None).unwrap();
    let view = build(
        DocumentKind::Csirt(rejestr_drafting::CsirtPhase::Notification),
        &fixture_context(),
        &fixture_fields(),
        None,
        Locale::En,
        2,
        true,
    );
    let html = drafting.render(&view, Format::Html).unwrap();
    assert!(html.contains("<h2 class=\"document-title\">Incident report to the CSIRT: Incident notification (72 hours)</h2>"), "{html}");
    assert!(html.contains("<h3>4. Impact on the public task</h3>"));
    assert!(html.contains("Draft, version 2"));
}

#[cfg(feature = "pdf")]
#[test]
fn the_pdf_renders_offline_with_polish_characters() {
    let drafting = Drafting::load(None).unwrap();
    for kind in DocumentKind::all() {
        let view = build(
            kind,
            &fixture_context(),
            &fixture_fields(),
            Some(&recipient()),
            Locale::Pl,
            1,
            true,
        );
        let pdf = drafting.pdf(&view).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "{kind:?}");
        let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("Urząd Gminy Przykładowo"), "{kind:?}: {flat}");
        if kind == DocumentKind::SubjectLetter {
            assert!(flat.contains("Zastrzeżenie numeru PESEL"), "{flat}");
            assert!(flat.contains("Anna Przykładowa"), "{flat}");
            assert!(
                flat.contains("Zawiadomienie o naruszeniu ochrony danych osobowych"),
                "{flat}"
            );
        }
        if let DocumentKind::Puodo(_) = kind {
            assert!(
                flat.contains("Środki zastosowane lub proponowane"),
                "{flat}"
            );
            assert!(
                flat.contains("Kradzież lub sfałszowanie tożsamości"),
                "{flat}"
            );
        }
    }
}
