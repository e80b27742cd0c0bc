//! The ENISA severity method (2013): SE = DPC × EI + CB, computed in hundredths so that every
//! score is exact (all inputs are multiples of 0.25).

use crate::assessment::Band;
use crate::facts::{
    Availability, Confidentiality, DataCategory, Encryption, Facts, Identifiability, Integrity,
};
use crate::reasons::Reasons;

/// ENISA's four data categories and their basic DPC scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EnisaCategory {
    Simple = 1,
    Behavioural = 2,
    Financial = 3,
    Sensitive = 4,
}

/// How a Facts category maps to ENISA: the category and the contextual adjustment, with why.
pub(crate) fn mapping(category: DataCategory) -> (EnisaCategory, i8, &'static str, &'static str) {
    use DataCategory::*;
    use EnisaCategory as E;
    match category {
        Identity => (
            E::Simple,
            0,
            "imiona i nazwiska to dane proste",
            "names are simple data",
        ),
        Contact => (
            E::Simple,
            0,
            "dane kontaktowe to dane proste",
            "contact details are simple data",
        ),
        Education => (
            E::Simple,
            0,
            "dane o nauce to dane proste",
            "education data are simple data",
        ),
        Employment => (
            E::Simple,
            1,
            "akta kadrowe pozwalają na wnioski o sytuacji zawodowej i finansowej (+1)",
            "employment records allow assumptions about professional and financial status (+1)",
        ),
        Image => (
            E::Simple,
            0,
            "wizerunek to dane proste",
            "images are simple data",
        ),
        NationalId => (
            E::Simple,
            2,
            "numer PESEL umożliwia kradzież tożsamości — w praktyce PUODO zwykle wysokie ryzyko (+2)",
            "the PESEL number enables identity fraud; PUODO practice treats it as usually high risk (+2)",
        ),
        IdDocument => (
            E::Simple,
            2,
            "dane dowodów tożsamości umożliwiają kradzież tożsamości (+2)",
            "identity-document data enable identity fraud (+2)",
        ),
        Credentials => (
            E::Simple,
            1,
            "loginy i hasła ocenia się według danych dostępnych w systemie — dodaj ich kategorie (+1)",
            "credentials are scored by the data of the system they open; add those categories (+1)",
        ),
        Location => (
            E::Behavioural,
            0,
            "dane o miejscu pobytu to dane behawioralne",
            "location data are behavioural",
        ),
        Behavioural => (
            E::Behavioural,
            0,
            "dane o zwyczajach to dane behawioralne",
            "habits are behavioural data",
        ),
        CommunicationsContent => (
            E::Behavioural,
            1,
            "treść korespondencji pozwala na profil życia prywatnego (+1)",
            "the content of communications allows a profile of private life (+1)",
        ),
        Financial => (E::Financial, 0, "dane finansowe", "financial data"),
        PaymentCard => (
            E::Financial,
            1,
            "pełne dane kart umożliwiają oszustwa (+1)",
            "full card data enable fraud (+1)",
        ),
        SocialWelfare => (
            E::Financial,
            1,
            "akta pomocy społecznej ujawniają sytuację materialną i rodzinną (+1)",
            "social-welfare files reveal the financial and family situation (+1)",
        ),
        Health => (
            E::Sensitive,
            0,
            "dane o zdrowiu to dane wrażliwe (art. 9)",
            "health data are sensitive (art. 9)",
        ),
        SpecialCategory => (
            E::Sensitive,
            0,
            "dane szczególnej kategorii (art. 9)",
            "special-category data (art. 9)",
        ),
        Criminal => (
            E::Sensitive,
            0,
            "dane o wyrokach i wykroczeniach (art. 10)",
            "criminal-offence data (art. 10)",
        ),
    }
}

pub(crate) fn dpc(facts: &Facts, reasons: &mut Reasons) -> u8 {
    if let Some(dpc_override) = &facts.dpc_override {
        reasons.add(
            "R-DPC-OVERRIDE",
            &["dpc_override"],
            format!(
                "DPC = {} ustalone przez IOD: {}",
                dpc_override.score, dpc_override.justification
            ),
            format!(
                "DPC = {} set by the IOD: {}",
                dpc_override.score, dpc_override.justification
            ),
        );
        return dpc_override.score.clamp(1, 4);
    }
    let context: i8 =
        i8::from(facts.vulnerable_subjects) - i8::from(facts.publicly_available_before);
    if facts.vulnerable_subjects {
        reasons.add(
            "R-DPC-VULNERABLE",
            &["vulnerable_subjects"],
            "osoby szczególnie narażone (dzieci, klienci pomocy społecznej, pacjenci): DPC +1",
            "vulnerable individuals (children, welfare clients, patients): DPC +1",
        );
    }
    if facts.publicly_available_before {
        reasons.add(
            "R-DPC-PUBLIC",
            &["publicly_available_before"],
            "dane były publicznie dostępne przed naruszeniem: DPC −1",
            "the data were publicly available before the breach: DPC −1",
        );
    }
    if facts.data_categories.is_empty() {
        reasons.add(
            "R-DPC-UNKNOWN",
            &["data_categories"],
            "nie wskazano rodzajów danych: przyjęto dane proste (DPC 1) — uzupełnij kategorie",
            "no data categories given: simple data assumed (DPC 1); add the categories",
        );
        return (1 + context).clamp(1, 4) as u8;
    }
    let mut best: u8 = 1;
    let mut categories = facts.data_categories.clone();
    categories.sort();
    categories.dedup();
    for category in categories {
        let (enisa, adjustment, pl, en) = mapping(category);
        let score = (enisa as i8 + adjustment + context).clamp(1, 4) as u8;
        reasons.add(
            "R-DPC-CATEGORY",
            &["data_categories"],
            format!("{}: {pl} → DPC {score}", category.id()),
            format!("{}: {en} → DPC {score}", category.id()),
        );
        best = best.max(score);
    }
    best
}

/// EI in hundredths.
pub(crate) fn ei(facts: &Facts, reasons: &mut Reasons) -> u32 {
    if facts.encryption == Encryption::StateOfTheArtKeySafe {
        reasons.add(
            "R-EI-ENCRYPTED",
            &["encryption"],
            "dane zaszyfrowane nowoczesnym algorytmem, klucz bezpieczny: identyfikacja znikoma (EI 0,25)",
            "data encrypted with a state-of-the-art algorithm, key safe: negligible identifiability (EI 0.25)",
        );
        return 25;
    }
    let level = match facts.identifiability {
        Some(level) => level,
        None => {
            let direct = facts.data_categories.iter().any(|c| {
                matches!(
                    c,
                    DataCategory::Identity
                        | DataCategory::NationalId
                        | DataCategory::IdDocument
                        | DataCategory::Contact
                        | DataCategory::Image
                )
            });
            let level = if direct {
                Identifiability::Maximum
            } else {
                Identifiability::Significant
            };
            reasons.add(
                "R-EI-DEFAULT",
                &["identifiability", "data_categories"],
                if direct {
                    "identyfikowalność nieustalona: dane wskazują osoby wprost — przyjęto maksymalną"
                } else {
                    "identyfikowalność nieustalona: przyjęto znaczną (odczytanie ostrożne)"
                },
                if direct {
                    "identifiability not given: the data name people directly, maximum assumed"
                } else {
                    "identifiability not given: significant assumed (the cautious reading)"
                },
            );
            level
        }
    };
    match level {
        Identifiability::Negligible => 25,
        Identifiability::Limited => 50,
        Identifiability::Significant => 75,
        Identifiability::Maximum => 100,
    }
}

/// CB in hundredths.
pub(crate) fn cb(facts: &Facts, reasons: &mut Reasons) -> u32 {
    let mut total = 0;
    let confidentiality = match facts.confidentiality {
        Confidentiality::None => 0,
        Confidentiality::KnownRecipients
            if facts.recipient_trusted_and_data_returned_or_deleted =>
        {
            reasons.add(
                "R-CB-TRUSTED-RECIPIENT",
                &["recipient_trusted_and_data_returned_or_deleted"],
                "znany, zaufany odbiorca zwrócił lub usunął dane: utrata poufności bez dalszego skutku (CB +0)",
                "a known, trusted recipient returned or deleted the data: no further effect (CB +0)",
            );
            0
        }
        Confidentiality::KnownRecipients => 25,
        Confidentiality::UnknownRecipients => 50,
    };
    if confidentiality > 0 {
        reasons.add(
            "R-CB-CONFIDENTIALITY",
            &["confidentiality"],
            format!(
                "utrata poufności ({}): CB +{}",
                if confidentiality == 50 {
                    "nieznani odbiorcy"
                } else {
                    "znani odbiorcy"
                },
                hundredths(confidentiality)
            ),
            format!(
                "loss of confidentiality ({}): CB +{}",
                if confidentiality == 50 {
                    "unknown recipients"
                } else {
                    "known recipients"
                },
                hundredths(confidentiality)
            ),
        );
    }
    total += confidentiality;
    let integrity = match facts.integrity {
        Integrity::None => 0,
        Integrity::Recoverable => 25,
        Integrity::Unrecoverable => 50,
    };
    if integrity > 0 {
        reasons.add(
            "R-CB-INTEGRITY",
            &["integrity"],
            format!("utrata integralności: CB +{}", hundredths(integrity)),
            format!("loss of integrity: CB +{}", hundredths(integrity)),
        );
    }
    total += integrity;
    let availability = match facts.availability {
        Availability::None => 0,
        Availability::Temporary => 25,
        Availability::Permanent => 50,
    };
    if availability > 0 {
        reasons.add(
            "R-CB-AVAILABILITY",
            &["availability"],
            format!("utrata dostępności: CB +{}", hundredths(availability)),
            format!("loss of availability: CB +{}", hundredths(availability)),
        );
    }
    total += availability;
    match facts.malicious {
        Some(true) => {
            reasons.add(
                "R-CB-MALICIOUS",
                &["malicious"],
                "działanie celowe (kradzież, atak, chęć zysku): CB +0,5",
                "intentional (theft, attack, profit): CB +0.5",
            );
            total += 50;
        }
        None => {
            reasons.add(
                "R-CB-MALICIOUS-UNKNOWN",
                &["malicious"],
                "nie ustalono, czy działanie było celowe: przyjęto, że tak (CB +0,5)",
                "not established whether it was intentional: assumed so (CB +0.5)",
            );
            total += 50;
        }
        Some(false) => {}
    }
    total
}

pub(crate) fn band(score_x100: u32) -> Band {
    match score_x100 {
        0..=199 => Band::Low,
        200..=299 => Band::Medium,
        300..=399 => Band::High,
        _ => Band::VeryHigh,
    }
}

pub(crate) fn hundredths(value: u32) -> String {
    let text = format!("{}.{:02}", value / 100, value % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_boundaries_follow_enisa() {
        assert_eq!(band(25), Band::Low);
        assert_eq!(band(199), Band::Low);
        assert_eq!(band(200), Band::Medium);
        assert_eq!(band(299), Band::Medium);
        assert_eq!(band(300), Band::High);
        assert_eq!(band(399), Band::High);
        assert_eq!(band(400), Band::VeryHigh);
        assert_eq!(band(600), Band::VeryHigh);
    }

    #[test]
    fn every_category_scores_within_enisa_range() {
        for category in DataCategory::ALL {
            let (enisa, adjustment, _, _) = mapping(category);
            let score = enisa as i8 + adjustment;
            assert!((1..=4).contains(&score), "{category:?}");
        }
        assert_eq!(mapping(DataCategory::Health).0 as i8, 4);
        assert_eq!(mapping(DataCategory::Financial).0 as i8, 3);
        assert_eq!(mapping(DataCategory::Location).0 as i8, 2);
        assert_eq!(mapping(DataCategory::Contact).0 as i8, 1);
    }

    #[test]
    fn hundredths_print_plainly() {
        assert_eq!(hundredths(375), "3.75");
        assert_eq!(hundredths(50), "0.5");
        assert_eq!(hundredths(200), "2");
    }
}
