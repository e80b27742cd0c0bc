//! The risk level: the ENISA band proposes it, the EDPB 9/2022 factors (§IV.B, domain.md §2.3)
//! can only raise it, and data unintelligible to anyone unauthorised make a confidentiality
//! breach "unlikely to result in a risk".
//!
//! Mapping the band to a level is not ENISA's; it is the common reading of domain.md §3.6
//! (low: document, medium: notify, high and very high: also communicate). ENISA is an input
//! to the IOD's decision, never the decision itself.

use crate::assessment::{Band, BreachType, EdpbFactor, Risk};
use crate::facts::{Confidentiality, Encryption, Facts, Integrity};
use crate::reasons::Reasons;
use crate::{Availability, MANY_SUBJECTS};

/// The EDPB factors present in the facts, in the order of [`EdpbFactor`].
pub(crate) fn present(facts: &Facts, breach_types: &[BreachType]) -> Vec<EdpbFactor> {
    let confidentiality = breach_types.contains(&BreachType::Confidentiality);
    let exposed = confidentiality
        || facts.integrity == Integrity::Unrecoverable
        || facts.availability == Availability::Permanent;
    let candidates = [
        (
            EdpbFactor::SpecialCategories,
            exposed && facts.data_categories.iter().any(|c| c.is_special()),
        ),
        (
            EdpbFactor::IdentityTheft,
            confidentiality
                && !facts.recipient_trusted_and_data_returned_or_deleted
                && facts
                    .data_categories
                    .iter()
                    .any(|c| c.enables_identity_theft()),
        ),
        (EdpbFactor::VulnerableSubjects, facts.vulnerable_subjects),
        (
            EdpbFactor::ManySubjects,
            facts.subjects_count.is_some_and(|n| n >= MANY_SUBJECTS),
        ),
        (
            EdpbFactor::MaliciousActor,
            facts.malicious != Some(false)
                && facts.confidentiality == Confidentiality::UnknownRecipients,
        ),
        (
            EdpbFactor::TrustedRecipient,
            facts.confidentiality == Confidentiality::KnownRecipients
                && facts.recipient_trusted_and_data_returned_or_deleted,
        ),
        (
            EdpbFactor::PubliclyAvailable,
            facts.publicly_available_before,
        ),
        (
            EdpbFactor::Unintelligible,
            facts.encryption == Encryption::StateOfTheArtKeySafe
                && breach_types == [BreachType::Confidentiality],
        ),
    ];
    candidates
        .into_iter()
        .filter_map(|(factor, applies)| applies.then_some(factor))
        .collect()
}

/// The level the band proposes.
pub(crate) fn from_band(band: Band) -> Risk {
    match band {
        Band::Low => Risk::None,
        Band::Medium => Risk::Risk,
        Band::High | Band::VeryHigh => Risk::High,
    }
}

/// The risk level and its reasons.
pub(crate) fn risk(band: Band, factors: &[EdpbFactor], reasons: &mut Reasons) -> Risk {
    if factors.contains(&EdpbFactor::Unintelligible) {
        reasons.add(
            "R-EDPB-UNINTELLIGIBLE",
            &["encryption", "confidentiality"],
            "wytyczne EDPB 9/2022: utracono wyłącznie poufność danych zaszyfrowanych nowoczesnym algorytmem przy bezpiecznym kluczu — naruszenie raczej nie skutkuje ryzykiem (brak ryzyka)",
            "EDPB 9/2022: only the confidentiality of data encrypted with a state-of-the-art algorithm, key safe, was lost: unlikely to result in a risk (no risk)",
        );
        return Risk::None;
    }
    let mut level = from_band(band);
    reasons.add(
        "R-RISK-BAND",
        &[],
        format!(
            "wynik ENISA proponuje poziom: {} (niska → brak ryzyka, średnia → ryzyko, wysoka i bardzo wysoka → wysokie ryzyko); ENISA jest podstawą, nie rozstrzygnięciem",
            risk_pl(level)
        ),
        format!(
            "the ENISA band proposes: {} (low → none, medium → risk, high and very high → high); ENISA informs the decision, it does not make it",
            level.as_str()
        ),
    );
    for (floor, rule, facts, pl, en) in factors.iter().copied().filter_map(aggravation) {
        let raised = floor > level;
        level = level.max(floor);
        let (pl_effect, en_effect) = if raised {
            (
                format!("podniesiono do: {}", risk_pl(level)),
                format!("raised to {}", level.as_str()),
            )
        } else {
            (
                format!("poziom już {}", risk_pl(level)),
                format!("already {}", level.as_str()),
            )
        };
        reasons.add(
            rule,
            facts,
            format!("{pl} — {pl_effect}"),
            format!("{en}; {en_effect}"),
        );
    }
    level
}

type Aggravation = (
    Risk,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
);

/// The floor an aggravating factor sets, with its rule and wording; `None` for the mitigating
/// factors, which act through the ENISA score instead.
fn aggravation(factor: EdpbFactor) -> Option<Aggravation> {
    Some(match factor {
        EdpbFactor::SpecialCategories => (
            Risk::High,
            "R-EDPB-SPECIAL",
            &["data_categories"],
            "art. 9 i 10 RODO, motyw 75, wytyczne EDPB 9/2022: dane szczególnej kategorii lub o wyrokach — szkodę należy uznać za prawdopodobną (wysokie ryzyko)",
            "arts 9–10 GDPR, recital 75, EDPB 9/2022: special-category or criminal data, damage should be considered likely (high risk)",
        ),
        EdpbFactor::IdentityTheft => (
            Risk::High,
            "R-EDPB-IDENTITY-THEFT",
            &["data_categories", "confidentiality"],
            "wytyczne EDPB 9/2022 i praktyka PUODO: ujawniono PESEL, dane dokumentu tożsamości lub karty płatniczej — ryzyko kradzieży tożsamości i wyłudzeń (wysokie ryzyko)",
            "EDPB 9/2022 and PUODO practice: PESEL, identity-document or card data disclosed, risk of identity theft and fraud (high risk)",
        ),
        EdpbFactor::VulnerableSubjects => (
            Risk::Risk,
            "R-EDPB-VULNERABLE",
            &["vulnerable_subjects"],
            "wytyczne EDPB 9/2022: dotyczy osób szczególnie narażonych (dzieci, klienci pomocy społecznej, pacjenci) — co najmniej ryzyko",
            "EDPB 9/2022: vulnerable individuals (children, welfare clients, patients), at least a risk",
        ),
        EdpbFactor::ManySubjects => (
            Risk::Risk,
            "R-EDPB-VOLUME",
            &["subjects_count"],
            "wytyczne EDPB 9/2022: liczba osób jako czynnik — co najmniej 1000 osób, co najmniej ryzyko",
            "EDPB 9/2022: the number of people as a factor, 1,000 or more, at least a risk",
        ),
        EdpbFactor::MaliciousActor => (
            Risk::Risk,
            "R-EDPB-MALICIOUS",
            &["malicious", "confidentiality"],
            "wytyczne EDPB 9/2022: dane u nieznanych odbiorców po działaniu celowym (lub nieustalonym) — w rękach sprawcy, co najmniej ryzyko",
            "EDPB 9/2022: data with unknown recipients after an intentional (or unestablished) act, in a malicious actor's hands, at least a risk",
        ),
        EdpbFactor::TrustedRecipient
        | EdpbFactor::PubliclyAvailable
        | EdpbFactor::Unintelligible => return None,
    })
}

pub(crate) fn risk_pl(risk: Risk) -> &'static str {
    match risk {
        Risk::None => "brak ryzyka",
        Risk::Risk => "ryzyko",
        Risk::High => "wysokie ryzyko",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggravating_means_it_has_a_floor() {
        for factor in [
            EdpbFactor::SpecialCategories,
            EdpbFactor::IdentityTheft,
            EdpbFactor::VulnerableSubjects,
            EdpbFactor::ManySubjects,
            EdpbFactor::MaliciousActor,
            EdpbFactor::TrustedRecipient,
            EdpbFactor::PubliclyAvailable,
            EdpbFactor::Unintelligible,
        ] {
            assert_eq!(
                factor.is_aggravating(),
                aggravation(factor).is_some(),
                "{factor:?}"
            );
        }
    }

    #[test]
    fn the_band_proposes_the_level() {
        assert_eq!(from_band(Band::Low), Risk::None);
        assert_eq!(from_band(Band::Medium), Risk::Risk);
        assert_eq!(from_band(Band::High), Risk::High);
        assert_eq!(from_band(Band::VeryHigh), Risk::High);
    }

    #[test]
    fn aggravating_factors_only_raise() {
        for band in [Band::Low, Band::Medium, Band::High, Band::VeryHigh] {
            let mut reasons = Reasons::default();
            let base = risk(band, &[], &mut reasons);
            for factor in [
                EdpbFactor::SpecialCategories,
                EdpbFactor::IdentityTheft,
                EdpbFactor::VulnerableSubjects,
                EdpbFactor::ManySubjects,
                EdpbFactor::MaliciousActor,
                EdpbFactor::TrustedRecipient,
                EdpbFactor::PubliclyAvailable,
            ] {
                let with = risk(band, &[factor], &mut reasons);
                assert!(with >= base, "{factor:?} lowered {band:?}");
                if !factor.is_aggravating() {
                    assert_eq!(with, base, "{factor:?} changed {band:?}");
                }
            }
            assert_eq!(
                risk(band, &[EdpbFactor::SpecialCategories], &mut reasons),
                Risk::High
            );
            assert!(risk(band, &[EdpbFactor::ManySubjects], &mut reasons) >= Risk::Risk);
        }
    }

    #[test]
    fn unintelligible_data_are_unlikely_to_result_in_a_risk() {
        let mut reasons = Reasons::default();
        assert_eq!(
            risk(
                Band::VeryHigh,
                &[EdpbFactor::SpecialCategories, EdpbFactor::Unintelligible],
                &mut reasons
            ),
            Risk::None
        );
        assert_eq!(reasons.0.len(), 1);
        assert_eq!(reasons.0[0].rule, "R-EDPB-UNINTELLIGIBLE");
    }
}
