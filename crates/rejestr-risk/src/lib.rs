//! The risk-assessment engine of Rejestr72: `Facts -> Assessment`, pure and deterministic.
//!
//! 1. **Classification** (art. 4(12) GDPR): no personal data, or only an attempt, or no loss of
//!    confidentiality, integrity or availability → a security incident; otherwise a
//!    personal-data breach.
//! 2. **Severity** (ENISA 2013): SE = DPC × EI + CB, banded low / medium / high / very high.
//! 3. **Risk** (EDPB 9/2022): the band proposes none / risk / high; the EDPB factors can only
//!    raise it (special categories, PESEL and identity documents, vulnerable people, volume,
//!    malice); data rendered unintelligible by state-of-the-art encryption lowers it to none.
//! 4. **Obligations**: document always (33(5)); notify Prezes UODO at risk or above (33(1));
//!    communicate to data subjects at high risk (34(1)) unless 34(3)(a) or (b) applies; with
//!    34(3)(c) a public communication replaces the letters.
//!
//! Every step adds a reason naming its rule and facts, in Polish and English. The engine
//! proposes; the IOD decides (and justifies a different decision).

mod assessment;
mod facts;
mod reasons;
mod severity;

pub use assessment::{
    Assessment, Band, BreachType, Classification, Enisa, Obligations, Reason, Risk,
};
pub use facts::{
    Availability, Confidentiality, DataCategory, DpcOverride, Encryption, Facts, FactsError,
    Identifiability, Integrity, parse_facts, validate,
};

use reasons::Reasons;

/// The version of the rules; stored with every assessment.
pub const RULE_SET: &str = "2026.1";

/// Subjects from which the number of people is itself an aggravating factor (EDPB 9/2022).
pub const MANY_SUBJECTS: u64 = 1000;

pub fn assess(facts: &Facts) -> Assessment {
    let mut reasons = Reasons::default();
    let breach_types = breach_types(facts);
    let classification = classify(facts, &breach_types, &mut reasons);

    if classification != Classification::PersonalDataBreach {
        reasons.add(
            "R-33-5",
            &[],
            "art. 33 ust. 5 RODO i dobre praktyki: incydent zostaje udokumentowany w rejestrze",
            "art. 33(5) GDPR and good practice: the incident is documented in the register",
        );
        return Assessment {
            rule_set: RULE_SET.to_owned(),
            classification,
            breach_types,
            enisa: None,
            risk: Risk::None,
            obligations: Obligations {
                document: true,
                notify_sa: false,
                notify_subjects: false,
                public_communication: false,
            },
            reasons: reasons.0,
        };
    }

    let dpc = severity::dpc(facts, &mut reasons);
    let ei = severity::ei(facts, &mut reasons);
    let cb = severity::cb(facts, &mut reasons);
    let score = u32::from(dpc) * ei + cb;
    let band = severity::band(score);
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
            severity::hundredths(ei),
            severity::hundredths(cb),
            severity::hundredths(score),
            band_pl(band)
        ),
        format!(
            "ENISA: SE = DPC {dpc} × EI {} + CB {} = {} → {band:?}",
            severity::hundredths(ei),
            severity::hundredths(cb),
            severity::hundredths(score)
        ),
    );
    let risk = risk(facts, band, &breach_types, &mut reasons);
    let obligations = obligations(facts, risk, &mut reasons);
    Assessment {
        rule_set: RULE_SET.to_owned(),
        classification,
        breach_types,
        enisa: Some(Enisa {
            dpc,
            ei: f64::from(ei) / 100.0,
            cb: f64::from(cb) / 100.0,
            score: f64::from(score) / 100.0,
            band,
        }),
        risk,
        obligations,
        reasons: reasons.0,
    }
}

fn band_pl(band: Band) -> &'static str {
    match band {
        Band::Low => "niska",
        Band::Medium => "średnia",
        Band::High => "wysoka",
        Band::VeryHigh => "bardzo wysoka",
    }
}

fn breach_types(facts: &Facts) -> Vec<BreachType> {
    let mut types = Vec::new();
    if facts.confidentiality != Confidentiality::None {
        types.push(BreachType::Confidentiality);
    }
    if facts.integrity != Integrity::None {
        types.push(BreachType::Integrity);
    }
    if facts.availability != Availability::None {
        types.push(BreachType::Availability);
    }
    types
}

fn classify(facts: &Facts, breach_types: &[BreachType], reasons: &mut Reasons) -> Classification {
    if !facts.personal_data {
        reasons.add(
            "R-CLASS-NO-PERSONAL-DATA",
            &["personal_data"],
            "zdarzenie nie dotyczy danych osobowych: incydent bezpieczeństwa, nie naruszenie ochrony danych",
            "no personal data affected: a security incident, not a personal-data breach",
        );
        return Classification::SecurityIncident;
    }
    if facts.attempt_only {
        reasons.add(
            "R-CLASS-ATTEMPT",
            &["attempt_only"],
            "tylko próba (np. phishing bez podania danych, zablokowany atak): incydent bezpieczeństwa — art. 4 pkt 12 wymaga naruszenia bezpieczeństwa prowadzącego do skutku",
            "only an attempt (phishing without disclosure, blocked attack): a security incident; art. 4(12) requires a breach that leads to an effect",
        );
        return Classification::SecurityIncident;
    }
    if breach_types.is_empty() {
        reasons.add(
            "R-CLASS-NO-LOSS",
            &["confidentiality", "integrity", "availability"],
            "dane osobowe nie utraciły poufności, integralności ani dostępności: incydent bezpieczeństwa",
            "no loss of confidentiality, integrity or availability of personal data: a security incident",
        );
        return Classification::SecurityIncident;
    }
    let types: Vec<&str> = breach_types
        .iter()
        .map(|t| match t {
            BreachType::Confidentiality => "poufności",
            BreachType::Integrity => "integralności",
            BreachType::Availability => "dostępności",
        })
        .collect();
    reasons.add(
        "R-CLASS-BREACH",
        &[
            "personal_data",
            "confidentiality",
            "integrity",
            "availability",
        ],
        format!(
            "naruszenie ochrony danych osobowych (art. 4 pkt 12 RODO): utrata {}",
            types.join(", ")
        ),
        format!("a personal-data breach (art. 4(12) GDPR): loss of {breach_types:?}"),
    );
    Classification::PersonalDataBreach
}

fn risk(facts: &Facts, band: Band, breach_types: &[BreachType], reasons: &mut Reasons) -> Risk {
    // Data unintelligible to anyone unauthorised, and only their confidentiality lost: the EDPB's
    // example of a breach "unlikely to result in a risk".
    if facts.encryption == Encryption::StateOfTheArtKeySafe
        && breach_types == [BreachType::Confidentiality]
    {
        reasons.add(
            "R-EDPB-UNINTELLIGIBLE",
            &["encryption", "confidentiality"],
            "utracono wyłącznie poufność danych zaszyfrowanych nowoczesnym algorytmem przy bezpiecznym kluczu: naruszenie raczej nie skutkuje ryzykiem (wytyczne EDPB 9/2022)",
            "only the confidentiality of data encrypted with a state-of-the-art algorithm, key safe, was lost: unlikely to result in a risk (EDPB 9/2022)",
        );
        return Risk::None;
    }
    let mut risk = match band {
        Band::Low => Risk::None,
        Band::Medium => Risk::Risk,
        Band::High | Band::VeryHigh => Risk::High,
    };
    let mut raise = |to: Risk, rule: &str, facts: &[&str], pl: &str, en: &str| {
        if to > risk {
            risk = to;
            reasons.add(rule, facts, pl, en);
        }
    };
    let exposed = breach_types.contains(&BreachType::Confidentiality)
        || facts.integrity == Integrity::Unrecoverable
        || facts.availability == Availability::Permanent;
    if exposed && facts.data_categories.iter().any(|c| c.is_special()) {
        raise(
            Risk::High,
            "R-EDPB-SPECIAL",
            &["data_categories"],
            "dane szczególnej kategorii lub o wyrokach (art. 9 i 10): szkodę należy uznać za prawdopodobną — wysokie ryzyko (wytyczne EDPB 9/2022, motyw 75)",
            "special-category or criminal data (arts 9–10): damage should be considered likely, high risk (EDPB 9/2022, recital 75)",
        );
    }
    if breach_types.contains(&BreachType::Confidentiality)
        && !facts.recipient_trusted_and_data_returned_or_deleted
        && facts.data_categories.iter().any(|c| {
            matches!(
                c,
                DataCategory::NationalId | DataCategory::IdDocument | DataCategory::PaymentCard
            )
        })
    {
        raise(
            Risk::High,
            "R-EDPB-IDENTITY-THEFT",
            &["data_categories", "confidentiality"],
            "ujawniono PESEL, dane dokumentu tożsamości lub karty płatniczej: ryzyko kradzieży tożsamości i wyłudzeń — wysokie ryzyko (praktyka PUODO)",
            "PESEL, identity-document or card data disclosed: risk of identity theft and fraud, high risk (PUODO practice)",
        );
    }
    if facts.vulnerable_subjects {
        raise(
            Risk::Risk,
            "R-EDPB-VULNERABLE",
            &["vulnerable_subjects"],
            "dotyczy osób szczególnie narażonych: co najmniej ryzyko (wytyczne EDPB 9/2022)",
            "vulnerable individuals are affected: at least a risk (EDPB 9/2022)",
        );
    }
    if facts.subjects_count.is_some_and(|n| n >= MANY_SUBJECTS) {
        raise(
            Risk::Risk,
            "R-EDPB-VOLUME",
            &["subjects_count"],
            "dotyczy co najmniej 1000 osób: co najmniej ryzyko (liczba osób jako czynnik, wytyczne EDPB 9/2022)",
            "1,000 or more people affected: at least a risk (the number of people as a factor, EDPB 9/2022)",
        );
    }
    if facts.malicious == Some(true) && facts.confidentiality == Confidentiality::UnknownRecipients
    {
        raise(
            Risk::Risk,
            "R-EDPB-MALICIOUS",
            &["malicious", "confidentiality"],
            "dane w rękach sprawcy działającego celowo: co najmniej ryzyko",
            "the data are in the hands of a malicious actor: at least a risk",
        );
    }
    risk
}

fn obligations(facts: &Facts, risk: Risk, reasons: &mut Reasons) -> Obligations {
    reasons.add(
        "R-33-5",
        &[],
        "art. 33 ust. 5 RODO: każde naruszenie dokumentuje się w rejestrze, niezależnie od ryzyka",
        "art. 33(5) GDPR: every breach is documented in the register, whatever the risk",
    );
    let notify_sa = risk >= Risk::Risk;
    if notify_sa {
        reasons.add(
            "R-33-1",
            &[],
            "art. 33 ust. 1 RODO: ryzyko naruszenia praw lub wolności — zgłoszenie do Prezesa UODO w ciągu 72 godzin od stwierdzenia naruszenia",
            "art. 33(1) GDPR: a risk to rights and freedoms, notify Prezes UODO within 72 hours of becoming aware",
        );
    } else {
        reasons.add(
            "R-33-1-UNLIKELY",
            &[],
            "art. 33 ust. 1 RODO: naruszenie raczej nie skutkuje ryzykiem — bez zgłoszenia do Prezesa UODO; uzasadnienie zostaje w rejestrze",
            "art. 33(1) GDPR: unlikely to result in a risk, no notification to Prezes UODO; the reasoning stays in the register",
        );
    }
    let mut notify_subjects = false;
    let mut public_communication = false;
    if risk == Risk::High {
        reasons.add(
            "R-34-1",
            &[],
            "art. 34 ust. 1 RODO: wysokie ryzyko — zawiadomienie osób, których dane dotyczą, bez zbędnej zwłoki",
            "art. 34(1) GDPR: high risk, communicate to the data subjects without undue delay",
        );
        if facts.encryption == Encryption::StateOfTheArtKeySafe {
            reasons.add(
                "R-34-3-A",
                &["encryption"],
                "art. 34 ust. 3 lit. a: dane były zaszyfrowane i nieczytelne dla osób nieuprawnionych — zawiadomienie osób nie jest wymagane",
                "art. 34(3)(a): the data were encrypted and unintelligible, no communication to subjects required",
            );
        } else if facts.measures_remove_high_risk {
            reasons.add(
                "R-34-3-B",
                &["measures_remove_high_risk"],
                "art. 34 ust. 3 lit. b: zastosowano środki eliminujące prawdopodobieństwo wysokiego ryzyka — zawiadomienie osób nie jest wymagane",
                "art. 34(3)(b): subsequent measures ensure the high risk is no longer likely, no communication required",
            );
        } else if facts.individual_contact_disproportionate {
            public_communication = true;
            reasons.add(
                "R-34-3-C",
                &["individual_contact_disproportionate"],
                "art. 34 ust. 3 lit. c: indywidualne zawiadomienia wymagałyby niewspółmiernego wysiłku — zamiast nich komunikat publiczny",
                "art. 34(3)(c): individual communication would be disproportionate, a public communication instead",
            );
        } else {
            notify_subjects = true;
        }
    }
    Obligations {
        document: true,
        notify_sa,
        notify_subjects,
        public_communication,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn breach() -> Facts {
        parse_facts(r#"{"personal_data": true, "confidentiality": "known_recipients", "malicious": false, "data_categories": ["identity", "contact"]}"#).unwrap()
    }

    #[test]
    fn edpb_case_01_is_low_and_documented_only() {
        // Ransomware, data encrypted by the attacker, backup restored within hours, no exfiltration.
        let facts = parse_facts(
            r#"{"personal_data": true, "availability": "temporary", "restored_within_hours": 5,
                "malicious": true, "data_categories": ["identity", "contact"], "identifiability": "maximum"}"#,
        )
        .unwrap();
        let assessment = assess(&facts);
        let enisa = assessment.enisa.unwrap();
        assert_eq!(
            (enisa.dpc, enisa.ei, enisa.cb, enisa.score, enisa.band),
            (1, 1.0, 0.75, 1.75, Band::Low)
        );
        assert_eq!(assessment.risk, Risk::None);
        assert!(!assessment.obligations.notify_sa);
        assert!(assessment.obligations.document);
    }

    #[test]
    fn a_misdirected_email_with_names_is_low() {
        let assessment = assess(&breach());
        assert_eq!(assessment.enisa.unwrap().score, 1.25);
        assert_eq!(assessment.risk, Risk::None);
    }

    #[test]
    fn unknown_fields_and_bad_values_are_named() {
        let error =
            parse_facts(r#"{"personal_data": true, "confidentialty": "none"}"#).unwrap_err();
        assert!(error.0.contains("confidentialty"), "{error}");
        let error = parse_facts(r#"{"personal_data": true, "integrity": "broken"}"#).unwrap_err();
        assert!(error.0.contains("broken"), "{error}");
        assert!(
            parse_facts(r#"{}"#)
                .unwrap_err()
                .0
                .contains("personal_data")
        );
        assert!(
            parse_facts(
                r#"{"personal_data": true, "dpc_override": {"score": 5, "justification": "x"}}"#
            )
            .is_err()
        );
        assert!(
            parse_facts(
                r#"{"personal_data": true, "dpc_override": {"score": 3, "justification": " "}}"#
            )
            .is_err()
        );
    }

    #[test]
    fn every_conclusion_has_a_reason_in_both_languages() {
        let assessment = assess(&breach());
        assert!(assessment.reasons.iter().any(|r| r.rule == "R-ENISA-BAND"));
        assert!(
            assessment
                .reasons
                .iter()
                .all(|r| !r.pl.is_empty() && !r.en.is_empty())
        );
    }

    #[test]
    fn the_assessment_serialises_to_the_contract() {
        let json = serde_json::to_value(assess(&breach())).unwrap();
        assert_eq!(json["rule_set"], "2026.1");
        assert_eq!(json["classification"], "personal_data_breach");
        assert_eq!(json["breach_types"], serde_json::json!(["confidentiality"]));
        assert_eq!(json["enisa"]["band"], "low");
        assert_eq!(json["risk"], "none");
        assert_eq!(json["obligations"]["notify_sa"], false);
        assert!(json["reasons"][0]["rule"].is_string());
    }
}
