//! The plain-language "what data may be involved" checkboxes of the report form.
//!
//! Each box stands for one data category of the Facts v1 contract (design.md §10), so the
//! IOD's assessment questionnaire starts from what the reporter ticked. The labels speak to an
//! employee, not to a lawyer; the IOD sees the legal names in the assessment.

/// One checkbox: the Facts v1 category id and how it is put to a reporter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataKind {
    pub id: &'static str,
    pub label_pl: &'static str,
    pub hint_pl: &'static str,
    pub label_en: &'static str,
}

const fn kind(
    id: &'static str,
    label_pl: &'static str,
    hint_pl: &'static str,
    label_en: &'static str,
) -> DataKind {
    DataKind {
        id,
        label_pl,
        hint_pl,
        label_en,
    }
}

/// Every checkbox in the order the form shows them: common data first, sensitive last.
pub const DATA_KINDS: [DataKind; 17] = [
    kind(
        "identity",
        "Imiona i nazwiska",
        "np. lista osób, nazwisko w piśmie",
        "Names",
    ),
    kind(
        "contact",
        "Dane kontaktowe",
        "adres, telefon, e-mail",
        "Contact details",
    ),
    kind(
        "national_id",
        "Numery PESEL",
        "także NIP lub numer ewidencyjny",
        "PESEL numbers",
    ),
    kind(
        "id_document",
        "Dokumenty tożsamości",
        "numery lub skany dowodów, paszportów",
        "Identity documents",
    ),
    kind(
        "credentials",
        "Loginy i hasła",
        "dostęp do systemów, poczty, ePUAP",
        "Logins and passwords",
    ),
    kind(
        "financial",
        "Dane finansowe",
        "numery kont, wynagrodzenia, podatki, zaległości",
        "Financial data",
    ),
    kind(
        "payment_card",
        "Dane kart płatniczych",
        "numery kart, kody CVV",
        "Payment card data",
    ),
    kind(
        "location",
        "Dane o miejscu pobytu",
        "lokalizacja, adres przebywania",
        "Location data",
    ),
    kind(
        "behavioural",
        "Dane o zwyczajach i zachowaniu",
        "historia, preferencje, nawyki",
        "Behavioural data",
    ),
    kind(
        "communications_content",
        "Treść korespondencji",
        "treść e-maili, pism, wiadomości",
        "Content of communications",
    ),
    kind(
        "employment",
        "Dane kadrowe",
        "akta osobowe, umowy, oceny pracowników",
        "Employment records",
    ),
    kind(
        "education",
        "Dane o nauce",
        "oceny, opinie, dokumentacja uczniów",
        "Education records",
    ),
    kind(
        "image",
        "Wizerunek",
        "zdjęcia, nagrania z monitoringu",
        "Images and video",
    ),
    kind(
        "social_welfare",
        "Sprawy z pomocy społecznej",
        "MOPS/GOPS, świadczenia, sytuacja rodzinna",
        "Social welfare records",
    ),
    kind(
        "health",
        "Dane o zdrowiu",
        "zwolnienia lekarskie, niepełnosprawność, leczenie",
        "Health data",
    ),
    kind(
        "special_category",
        "Inne dane szczególne",
        "pochodzenie, poglądy, wyznanie, związki zawodowe, biometria, orientacja",
        "Other special categories",
    ),
    kind(
        "criminal",
        "Dane o wyrokach i wykroczeniach",
        "karalność, mandaty, postępowania",
        "Criminal offences and convictions",
    ),
];

/// Looks a checkbox up by its Facts v1 id.
pub fn data_kind(id: &str) -> Option<&'static DataKind> {
    DATA_KINDS.iter().find(|k| k.id == id)
}
