//! Labels of the official forms and plain-language phrases, in Polish and English.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Warsaw;
use rejestr_risk::{BreachType, DataCategory};
use serde::{Deserialize, Serialize};

/// The language of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Locale {
    Pl,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Pl, Locale::En];

    pub fn id(self) -> &'static str {
        match self {
            Locale::Pl => "pl",
            Locale::En => "en",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        match id {
            "pl" => Some(Locale::Pl),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
}

/// A phrase in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub pl: &'static str,
    pub en: &'static str,
}

impl Label {
    pub fn get(self, locale: Locale) -> &'static str {
        match locale {
            Locale::Pl => self.pl,
            Locale::En => self.en,
        }
    }
}

/// Where a data category goes on the PUODO form (section 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormSection {
    /// 6A: basic data.
    Basic,
    /// 6B: special categories (GDPR art. 9).
    Special,
    /// 6C: criminal convictions and offences (GDPR art. 10).
    Criminal,
}

/// The Polish name of a data category as the PUODO form puts it (e.g. "Nazwiska i imiona").
pub fn data_category_pl(category: DataCategory) -> &'static str {
    data_category(category).1.pl
}

/// The form label of a data category, its section, and how it is put to a data subject.
pub fn data_category(category: DataCategory) -> (FormSection, Label, Label) {
    use DataCategory as D;
    use FormSection::{Basic, Criminal, Special};
    let l = |pl, en| Label { pl, en };
    match category {
        D::Identity => (
            Basic,
            l("Nazwiska i imiona", "Surnames and first names"),
            l("imię i nazwisko", "your name"),
        ),
        D::Contact => (
            Basic,
            l(
                "Adres zamieszkania lub pobytu, numer telefonu, adres e-mail",
                "Home address, telephone number, e-mail address",
            ),
            l(
                "dane kontaktowe (adres, telefon, e-mail)",
                "your contact details (address, telephone, e-mail)",
            ),
        ),
        D::NationalId => (
            Basic,
            l("Numer ewidencyjny PESEL", "PESEL number"),
            l("numer PESEL", "your PESEL number"),
        ),
        D::IdDocument => (
            Basic,
            l(
                "Seria i numer dowodu osobistego",
                "Identity card series and number",
            ),
            l(
                "seria i numer dowodu osobistego",
                "your identity card number",
            ),
        ),
        D::Credentials => (
            Basic,
            l("Nazwa użytkownika i/lub hasło", "User name and/or password"),
            l("login lub hasło", "your login or password"),
        ),
        D::Financial => (
            Basic,
            l(
                "Dane dotyczące zarobków i/lub posiadanego majątku, numer rachunku bankowego",
                "Earnings and/or assets, bank account number",
            ),
            l(
                "dane finansowe (np. numer rachunku, zarobki)",
                "financial data (e.g. bank account, earnings)",
            ),
        ),
        D::PaymentCard => (
            Basic,
            l("Inne: dane kart płatniczych", "Other: payment card data"),
            l("dane karty płatniczej", "your payment card data"),
        ),
        D::Location => (
            Basic,
            l("Inne: dane o lokalizacji", "Other: location data"),
            l("dane o miejscu pobytu", "data on your whereabouts"),
        ),
        D::Behavioural => (
            Basic,
            l(
                "Inne: dane o zachowaniach i preferencjach",
                "Other: behavioural data",
            ),
            l("dane o Pani/Pana zwyczajach", "data on your habits"),
        ),
        D::CommunicationsContent => (
            Basic,
            l(
                "Inne: treść korespondencji",
                "Other: content of communications",
            ),
            l("treść korespondencji", "the content of your correspondence"),
        ),
        D::Employment => (
            Basic,
            l(
                "Inne: dane dotyczące zatrudnienia",
                "Other: employment data",
            ),
            l("dane o zatrudnieniu", "employment data"),
        ),
        D::Education => (
            Basic,
            l(
                "Inne: dane dotyczące wykształcenia",
                "Other: education data",
            ),
            l("dane o wykształceniu", "education data"),
        ),
        D::Image => (
            Basic,
            l("Wizerunek", "Image"),
            l(
                "wizerunek (zdjęcie lub nagranie)",
                "your image (photo or recording)",
            ),
        ),
        D::SocialWelfare => (
            Basic,
            l(
                "Inne: dane dotyczące świadczeń i pomocy społecznej",
                "Other: social welfare data",
            ),
            l(
                "dane o świadczeniach lub pomocy społecznej",
                "data on benefits or social assistance",
            ),
        ),
        D::Health => (
            Special,
            l("Dane dotyczące zdrowia", "Data concerning health"),
            l("informacje o zdrowiu", "information about your health"),
        ),
        D::SpecialCategory => (
            Special,
            l(
                "Dane szczególnej kategorii (art. 9 RODO)",
                "Special categories of data (GDPR art. 9)",
            ),
            l("dane szczególnie chronione", "specially protected data"),
        ),
        D::Criminal => (
            Criminal,
            l(
                "Dane dotyczące wyroków skazujących i czynów zabronionych",
                "Data on criminal convictions and offences",
            ),
            l(
                "dane o wyrokach lub wykroczeniach",
                "data on convictions or offences",
            ),
        ),
    }
}

/// Section 4E: the nature of the breach.
pub fn breach_type(kind: BreachType) -> Label {
    match kind {
        BreachType::Confidentiality => Label {
            pl: "Naruszenie poufności danych",
            en: "Breach of confidentiality",
        },
        BreachType::Integrity => Label {
            pl: "Naruszenie integralności danych",
            en: "Breach of integrity",
        },
        BreachType::Availability => Label {
            pl: "Naruszenie dostępności danych",
            en: "Breach of availability",
        },
    }
}

/// An instant as a person in Poland reads it.
pub fn instant(at: DateTime<Utc>, locale: Locale) -> String {
    let local = at.with_timezone(&Warsaw);
    match locale {
        Locale::Pl => local.format("%d.%m.%Y, godz. %H:%M").to_string(),
        Locale::En => local.format("%-d %B %Y, %H:%M (Warsaw time)").to_string(),
    }
}

/// A calendar date.
pub fn date(on: NaiveDate, locale: Locale) -> String {
    match locale {
        Locale::Pl => on.format("%d.%m.%Y").to_string(),
        Locale::En => on.format("%-d %B %Y").to_string(),
    }
}

/// Yes or no, as the form asks.
pub fn yes_no(value: bool, locale: Locale) -> &'static str {
    match (value, locale) {
        (true, Locale::Pl) => "TAK",
        (false, Locale::Pl) => "NIE",
        (true, Locale::En) => "YES",
        (false, Locale::En) => "NO",
    }
}

/// A count with Polish grammatical number ("1 osoba", "3 osoby", "12 osób").
pub fn people(count: u64, locale: Locale) -> String {
    match locale {
        Locale::En if count == 1 => "1 person".to_owned(),
        Locale::En => format!("{count} people"),
        Locale::Pl => {
            let word = if count == 1 {
                "osoba"
            } else if (2..=4).contains(&(count % 10)) && !(12..=14).contains(&(count % 100)) {
                "osoby"
            } else {
                "osób"
            };
            format!("{count} {word}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polish_plurals_follow_the_cldr_categories() {
        let said: Vec<String> = [1, 2, 4, 5, 12, 14, 21, 22, 25, 112, 1000]
            .iter()
            .map(|n| people(*n, Locale::Pl))
            .collect();
        assert_eq!(
            said,
            [
                "1 osoba",
                "2 osoby",
                "4 osoby",
                "5 osób",
                "12 osób",
                "14 osób",
                "21 osób",
                "22 osoby",
                "25 osób",
                "112 osób",
                "1000 osób"
            ]
        );
    }

    #[test]
    fn instants_are_shown_in_warsaw_across_dst() {
        let summer = "2026-07-01T10:00:00Z".parse().unwrap_or_default();
        let winter = "2026-12-01T10:00:00Z".parse().unwrap_or_default();
        assert_eq!(instant(summer, Locale::Pl), "01.07.2026, godz. 12:00");
        assert_eq!(instant(winter, Locale::Pl), "01.12.2026, godz. 11:00");
        assert_eq!(
            instant(winter, Locale::En),
            "1 December 2026, 11:00 (Warsaw time)"
        );
    }
}
