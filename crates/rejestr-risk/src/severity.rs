//! The ENISA severity method (2013): SE = DPC × EI + CB, computed in hundredths so that every
//! score is exact (all inputs are multiples of 0.25).

use crate::assessment::{Band, Enisa};
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

/// The full ENISA score with its reasons: one per DPC category, EI, each CB element, and the band.
pub(crate) fn enisa(facts: &Facts, reasons: &mut Reasons) -> Enisa {
    let dpc = dpc(facts, reasons);
    let ei = ei(facts, reasons);
    let cb = cb(facts, reasons);
    let score = score(dpc, ei, cb);
    let band = band(score);
    reasons.add(
        "R-ENISA-BAND",
        &[
            "data_categories",
            "identifiability",
            "confidentiality",
            "integrity",
            "availability",
            "malicious",
        ],
        format!(
            "ENISA: SE = DPC {dpc} × EI {} + CB {} = {} → {}",
            hundredths_pl(ei),
            hundredths_pl(cb),
            hundredths_pl(score),
            band_pl(band)
        ),
        format!(
            "ENISA: SE = DPC {dpc} × EI {} + CB {} = {} → {}",
            hundredths(ei),
            hundredths(cb),
            hundredths(score),
            band_en(band)
        ),
    );
    Enisa {
        dpc,
        ei: f64::from(ei) / 100.0,
        cb: f64::from(cb) / 100.0,
        score: f64::from(score) / 100.0,
        band,
    }
}

/// SE × 100 from DPC and EI × 100, CB × 100: exact, since every input is a multiple of 0.25.
pub(crate) fn score(dpc: u8, ei_x100: u32, cb_x100: u32) -> u32 {
    u32::from(dpc) * ei_x100 + cb_x100
}

pub(crate) fn band_pl(band: Band) -> &'static str {
    match band {
        Band::Low => "niska",
        Band::Medium => "średnia",
        Band::High => "wysoka",
        Band::VeryHigh => "bardzo wysoka",
    }
}

fn band_en(band: Band) -> &'static str {
    match band {
        Band::Low => "low",
        Band::Medium => "medium",
        Band::High => "high",
        Band::VeryHigh => "very high",
    }
}

pub(crate) fn dpc(facts: &Facts, reasons: &mut Reasons) -> u8 {
    if let Some(dpc_override) = &facts.dpc_override {
        cite(
            reasons,
            "DPC",
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
        cite(
            reasons,
            "DPC",
            "R-DPC-VULNERABLE",
            &["vulnerable_subjects"],
            "osoby szczególnie narażone (dzieci, klienci pomocy społecznej, pacjenci): DPC +1",
            "vulnerable individuals (children, welfare clients, patients): DPC +1",
        );
    }
    if facts.publicly_available_before {
        cite(
            reasons,
            "DPC",
            "R-DPC-PUBLIC",
            &["publicly_available_before"],
            "dane były publicznie dostępne przed naruszeniem: DPC −1",
            "the data were publicly available before the breach: DPC −1",
        );
    }
    if facts.data_categories.is_empty() {
        cite(
            reasons,
            "DPC",
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
        cite(
            reasons,
            "DPC",
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
        cite(
            reasons,
            "EI",
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
            cite(
                reasons,
                "EI",
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
            cite(
                reasons,
                "CB",
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
        cite(
            reasons,
            "CB",
            "R-CB-CONFIDENTIALITY",
            &["confidentiality"],
            format!(
                "utrata poufności ({}): CB +{}",
                if confidentiality == 50 {
                    "nieznani odbiorcy"
                } else {
                    "znani odbiorcy"
                },
                hundredths_pl(confidentiality)
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
        cite(
            reasons,
            "CB",
            "R-CB-INTEGRITY",
            &["integrity"],
            format!("utrata integralności: CB +{}", hundredths_pl(integrity)),
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
        let (pl, en) = match (facts.availability, facts.restored_within_hours) {
            (Availability::Temporary, Some(hours)) => (
                format!(
                    "czasowa, przywrócono po {} h",
                    hours.to_string().replace('.', ",")
                ),
                format!("temporary, restored after {hours} h"),
            ),
            (Availability::Temporary, None) => ("czasowa".to_owned(), "temporary".to_owned()),
            _ => (
                "trwała, danych nie da się odtworzyć".to_owned(),
                "permanent, the data cannot be recovered".to_owned(),
            ),
        };
        cite(
            reasons,
            "CB",
            "R-CB-AVAILABILITY",
            &["availability", "restored_within_hours"],
            format!(
                "utrata dostępności ({pl}): CB +{}",
                hundredths_pl(availability)
            ),
            format!(
                "loss of availability ({en}): CB +{}",
                hundredths(availability)
            ),
        );
    }
    total += availability;
    match facts.malicious {
        Some(true) => {
            cite(
                reasons,
                "CB",
                "R-CB-MALICIOUS",
                &["malicious"],
                "działanie celowe (kradzież, atak, chęć zysku): CB +0,5",
                "intentional (theft, attack, profit): CB +0.5",
            );
            total += 50;
        }
        None => {
            cite(
                reasons,
                "CB",
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

/// A reason from the ENISA method, its text prefixed with the criterion (`ENISA DPC: …`).
fn cite(
    reasons: &mut Reasons,
    criterion: &str,
    rule: &str,
    facts: &[&str],
    pl: impl Into<String>,
    en: impl Into<String>,
) {
    reasons.add(
        rule,
        facts,
        format!("ENISA {criterion}: {}", pl.into()),
        format!("ENISA {criterion}: {}", en.into()),
    );
}

pub(crate) fn band(score_x100: u32) -> Band {
    match score_x100 {
        0..=199 => Band::Low,
        200..=299 => Band::Medium,
        300..=399 => Band::High,
        _ => Band::VeryHigh,
    }
}

/// The same with a decimal comma, for the Polish texts.
pub(crate) fn hundredths_pl(value: u32) -> String {
    hundredths(value).replace('.', ",")
}

pub(crate) fn hundredths(value: u32) -> String {
    let text = format!("{}.{:02}", value / 100, value % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            personal_data: true,
            attempt_only: false,
            confidentiality: Confidentiality::None,
            recipient_trusted_and_data_returned_or_deleted: false,
            integrity: Integrity::None,
            availability: Availability::None,
            restored_within_hours: None,
            malicious: Some(false),
            data_categories: Vec::new(),
            subjects_count: None,
            vulnerable_subjects: false,
            identifiability: None,
            encryption: Encryption::None,
            publicly_available_before: false,
            measures_remove_high_risk: false,
            individual_contact_disproportionate: false,
            dpc_override: None,
            ksc_status: None,
            significant_incident: None,
            acting_as_processor: false,
            controller_name: None,
            controller_deadline_hours: None,
        }
    }

    fn dpc_of(categories: &[DataCategory], edit: impl Fn(&mut Facts)) -> u8 {
        let mut f = facts();
        f.data_categories = categories.to_vec();
        edit(&mut f);
        dpc(&f, &mut Reasons::default())
    }

    fn ei_of(edit: impl Fn(&mut Facts)) -> u32 {
        let mut f = facts();
        edit(&mut f);
        ei(&f, &mut Reasons::default())
    }

    fn cb_of(edit: impl Fn(&mut Facts)) -> u32 {
        let mut f = facts();
        edit(&mut f);
        cb(&f, &mut Reasons::default())
    }

    // ENISA §3.6: Low SE < 2 ≤ Medium < 3 ≤ High < 4 ≤ Very high, on exact hundredths.
    #[test]
    fn band_boundaries_follow_enisa() {
        assert_eq!(band(0), Band::Low);
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
    fn scores_at_the_band_edges_are_exact() {
        // 0.25 steps on each side of every boundary, as the formula produces them.
        assert_eq!(band(score(1, 100, 75)), Band::Low); // 1.75
        assert_eq!(band(score(2, 100, 0)), Band::Medium); // 2.00
        assert_eq!(band(score(3, 75, 50)), Band::Medium); // 2.75
        assert_eq!(band(score(3, 100, 0)), Band::High); // 3.00
        assert_eq!(band(score(3, 100, 75)), Band::High); // 3.75
        assert_eq!(band(score(4, 100, 0)), Band::VeryHigh); // 4.00
        assert_eq!(score(1, 25, 0), 25, "the smallest SE is 0.25");
        assert_eq!(score(4, 100, 200), 600, "the largest SE is 6");
    }

    // ENISA Table 1, step 1: the basic score of each data category.
    #[test]
    fn basic_dpc_of_each_enisa_category() {
        assert_eq!(dpc_of(&[DataCategory::Identity], |_| {}), 1);
        assert_eq!(dpc_of(&[DataCategory::Location], |_| {}), 2);
        assert_eq!(dpc_of(&[DataCategory::Financial], |_| {}), 3);
        assert_eq!(dpc_of(&[DataCategory::Health], |_| {}), 4);
        assert_eq!(mapping(DataCategory::Contact).0 as i8, 1);
        assert_eq!(mapping(DataCategory::Behavioural).0 as i8, 2);
        assert_eq!(mapping(DataCategory::SocialWelfare).0 as i8, 3);
        assert_eq!(mapping(DataCategory::Criminal).0 as i8, 4);
    }

    // ENISA Table 1, step 2: adjustments, and the score always within 1..=4.
    #[test]
    fn dpc_adjustments_are_clamped_to_one_and_four() {
        for category in DataCategory::ALL {
            let (enisa, adjustment, pl, en) = mapping(category);
            let score = enisa as i8 + adjustment;
            assert!((1..=4).contains(&score), "{category:?}");
            assert!((-3..=3).contains(&adjustment), "{category:?}");
            assert!(!pl.is_empty() && !en.is_empty());
            let public = dpc_of(&[category], |f| f.publicly_available_before = true);
            let vulnerable = dpc_of(&[category], |f| f.vulnerable_subjects = true);
            assert!((1..=4).contains(&public) && (1..=4).contains(&vulnerable));
            assert!(public <= dpc_of(&[category], |_| {}));
            assert!(vulnerable >= dpc_of(&[category], |_| {}));
        }
        // Lower edge: simple data already public stay at 1.
        assert_eq!(
            dpc_of(&[DataCategory::Contact], |f| f.publicly_available_before =
                true),
            1
        );
        // Upper edge: sensitive data of vulnerable people stay at 4.
        assert_eq!(
            dpc_of(&[DataCategory::Health], |f| f.vulnerable_subjects = true),
            4
        );
        // +1 and −1 inside the range.
        assert_eq!(
            dpc_of(&[DataCategory::Education], |f| f.vulnerable_subjects = true),
            2
        );
        assert_eq!(
            dpc_of(&[DataCategory::Financial], |f| f
                .publicly_available_before =
                true),
            2
        );
        // The named adjustments: PESEL +2, cards +1, employment +1.
        assert_eq!(dpc_of(&[DataCategory::NationalId], |_| {}), 3);
        assert_eq!(dpc_of(&[DataCategory::PaymentCard], |_| {}), 4);
        assert_eq!(dpc_of(&[DataCategory::Employment], |_| {}), 2);
    }

    #[test]
    fn several_categories_take_the_highest_and_an_override_replaces_them() {
        assert_eq!(
            dpc_of(
                &[
                    DataCategory::Identity,
                    DataCategory::Location,
                    DataCategory::Financial
                ],
                |_| {}
            ),
            3
        );
        assert_eq!(
            dpc_of(&[DataCategory::Health, DataCategory::Identity], |_| {}),
            4
        );
        let mut reasons = Reasons::default();
        let mut f = facts();
        assert_eq!(
            dpc(&f, &mut reasons),
            1,
            "no categories: simple data assumed"
        );
        assert_eq!(reasons.0[0].rule, "R-DPC-UNKNOWN");
        f.data_categories = vec![DataCategory::Health];
        f.dpc_override = Some(crate::DpcOverride {
            score: 2,
            justification: "tylko termin badania".to_owned(),
        });
        let mut reasons = Reasons::default();
        assert_eq!(dpc(&f, &mut reasons), 2);
        assert_eq!(reasons.0[0].rule, "R-DPC-OVERRIDE");
    }

    // ENISA §3.4: four EI levels with a linear increase.
    #[test]
    fn ei_levels_and_defaults() {
        for (level, expected) in [
            (Identifiability::Negligible, 25),
            (Identifiability::Limited, 50),
            (Identifiability::Significant, 75),
            (Identifiability::Maximum, 100),
        ] {
            assert_eq!(ei_of(|f| f.identifiability = Some(level)), expected);
            // Weak encryption or a compromised key does not lower identifiability.
            assert_eq!(
                ei_of(|f| {
                    f.identifiability = Some(level);
                    f.encryption = Encryption::WeakOrKeyCompromised;
                }),
                expected
            );
        }
        assert_eq!(
            ei_of(|f| f.data_categories = vec![DataCategory::NationalId]),
            100
        );
        assert_eq!(
            ei_of(|f| f.data_categories = vec![DataCategory::Health]),
            75
        );
        assert_eq!(ei_of(|_| {}), 75);
        assert_eq!(
            ei_of(|f| {
                f.identifiability = Some(Identifiability::Maximum);
                f.encryption = Encryption::StateOfTheArtKeySafe;
            }),
            25
        );
    }

    // ENISA §3.5: each CB element 0 / 0.25 / 0.5, malice +0.5, sum at most 2.
    #[test]
    fn cb_elements_and_their_sum() {
        assert_eq!(cb_of(|_| {}), 0);
        assert_eq!(
            cb_of(|f| f.confidentiality = Confidentiality::KnownRecipients),
            25
        );
        assert_eq!(
            cb_of(|f| f.confidentiality = Confidentiality::UnknownRecipients),
            50
        );
        assert_eq!(
            cb_of(|f| {
                f.confidentiality = Confidentiality::KnownRecipients;
                f.recipient_trusted_and_data_returned_or_deleted = true;
            }),
            0
        );
        assert_eq!(cb_of(|f| f.integrity = Integrity::Recoverable), 25);
        assert_eq!(cb_of(|f| f.integrity = Integrity::Unrecoverable), 50);
        assert_eq!(cb_of(|f| f.availability = Availability::Temporary), 25);
        assert_eq!(cb_of(|f| f.availability = Availability::Permanent), 50);
        assert_eq!(cb_of(|f| f.malicious = Some(true)), 50);
        assert_eq!(
            cb_of(|f| f.malicious = None),
            50,
            "unknown is read as malicious"
        );
        assert_eq!(
            cb_of(|f| {
                f.confidentiality = Confidentiality::UnknownRecipients;
                f.integrity = Integrity::Unrecoverable;
                f.availability = Availability::Permanent;
                f.malicious = Some(true);
            }),
            200
        );
    }

    #[test]
    fn the_band_reason_shows_the_arithmetic() {
        let mut f = facts();
        f.data_categories = vec![DataCategory::Identity, DataCategory::Contact];
        f.availability = Availability::Temporary;
        f.restored_within_hours = Some(5.0);
        f.malicious = Some(true);
        let mut reasons = Reasons::default();
        let e = enisa(&f, &mut reasons);
        assert_eq!(
            (e.dpc, e.ei, e.cb, e.score, e.band),
            (1, 1.0, 0.75, 1.75, Band::Low)
        );
        let last = reasons.0.last().map(|r| (r.rule.as_str(), r.en.as_str()));
        assert_eq!(
            last,
            Some((
                "R-ENISA-BAND",
                "ENISA: SE = DPC 1 × EI 1 + CB 0.75 = 1.75 → low"
            ))
        );
        assert!(
            reasons
                .0
                .iter()
                .any(|r| r.en.contains("restored after 5 h"))
        );
    }

    #[test]
    fn hundredths_print_plainly() {
        assert_eq!(hundredths(375), "3.75");
        assert_eq!(hundredths(50), "0.5");
        assert_eq!(hundredths(200), "2");
        assert_eq!(hundredths_pl(375), "3,75");
        assert_eq!(hundredths_pl(100), "1");
    }
}
