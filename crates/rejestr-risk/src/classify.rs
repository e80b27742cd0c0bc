//! Classification under art. 4(12) GDPR: a personal-data breach needs personal data *and* a
//! loss of their confidentiality, integrity or availability; anything less (no personal data,
//! a blocked attempt, an exposure without loss) is a security incident, kept in the register.
//!
//! The engine never proposes `not_an_incident`: the facts cannot tell a false alarm from a near
//! miss, so that conclusion (a rejected report) is left to the IOD.

use crate::assessment::{BreachType, Classification};
use crate::facts::{Availability, Confidentiality, Facts, Integrity};
use crate::reasons::Reasons;

/// The breach types present in the facts, in the fixed order C, I, A (a set, not an enum:
/// one breach can be of several types, EDPB 01/2021 fn. 5).
pub(crate) fn breach_types(facts: &Facts) -> Vec<BreachType> {
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

pub(crate) fn classify(
    facts: &Facts,
    breach_types: &[BreachType],
    reasons: &mut Reasons,
) -> Classification {
    if !facts.personal_data {
        reasons.add(
            "R-CLASS-NO-PERSONAL-DATA",
            &["personal_data"],
            "art. 4 pkt 12 RODO: zdarzenie nie dotyczy danych osobowych — incydent bezpieczeństwa, nie naruszenie ochrony danych osobowych",
            "art. 4(12) GDPR: no personal data affected, a security incident, not a personal-data breach",
        );
        return Classification::SecurityIncident;
    }
    if facts.attempt_only {
        reasons.add(
            "R-CLASS-ATTEMPT",
            &["attempt_only"],
            "art. 4 pkt 12 RODO: tylko próba (np. phishing bez podania danych, zablokowany atak) — incydent bezpieczeństwa; naruszenie wymaga skutku dla danych",
            "art. 4(12) GDPR: only an attempt (phishing without disclosure, blocked attack), a security incident; a breach requires an effect on the data",
        );
        return Classification::SecurityIncident;
    }
    if breach_types.is_empty() {
        reasons.add(
            "R-CLASS-NO-LOSS",
            &["confidentiality", "integrity", "availability"],
            "art. 4 pkt 12 RODO: dane osobowe nie utraciły poufności, integralności ani dostępności — incydent bezpieczeństwa",
            "art. 4(12) GDPR: no loss of confidentiality, integrity or availability of personal data, a security incident",
        );
        return Classification::SecurityIncident;
    }
    let pl: Vec<&str> = breach_types
        .iter()
        .map(|t| match t {
            BreachType::Confidentiality => "poufności",
            BreachType::Integrity => "integralności",
            BreachType::Availability => "dostępności",
        })
        .collect();
    let en: Vec<&str> = breach_types
        .iter()
        .map(|t| match t {
            BreachType::Confidentiality => "confidentiality",
            BreachType::Integrity => "integrity",
            BreachType::Availability => "availability",
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
            "art. 4 pkt 12 RODO: naruszenie ochrony danych osobowych — utrata {}",
            pl.join(", ")
        ),
        format!(
            "art. 4(12) GDPR: a personal-data breach, loss of {}",
            en.join(", ")
        ),
    );
    Classification::PersonalDataBreach
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
            malicious: None,
            data_categories: Vec::new(),
            subjects_count: None,
            vulnerable_subjects: false,
            identifiability: None,
            encryption: crate::Encryption::None,
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

    fn run(facts: &Facts) -> (Classification, Vec<String>) {
        let mut reasons = Reasons::default();
        let types = breach_types(facts);
        let class = classify(facts, &types, &mut reasons);
        (class, reasons.0.into_iter().map(|r| r.rule).collect())
    }

    #[test]
    fn each_path_names_its_rule() {
        let mut f = facts();
        f.availability = Availability::Temporary;
        assert_eq!(
            run(&f),
            (
                Classification::PersonalDataBreach,
                vec!["R-CLASS-BREACH".to_owned()]
            )
        );
        f.attempt_only = true;
        assert_eq!(
            run(&f),
            (
                Classification::SecurityIncident,
                vec!["R-CLASS-ATTEMPT".to_owned()]
            )
        );
        f.personal_data = false;
        assert_eq!(
            run(&f),
            (
                Classification::SecurityIncident,
                vec!["R-CLASS-NO-PERSONAL-DATA".to_owned()]
            )
        );
        assert_eq!(
            run(&facts()),
            (
                Classification::SecurityIncident,
                vec!["R-CLASS-NO-LOSS".to_owned()]
            )
        );
    }

    #[test]
    fn breach_types_are_a_set_in_fixed_order() {
        let mut f = facts();
        f.availability = Availability::Permanent;
        f.confidentiality = Confidentiality::KnownRecipients;
        f.integrity = Integrity::Recoverable;
        assert_eq!(
            breach_types(&f),
            vec![
                BreachType::Confidentiality,
                BreachType::Integrity,
                BreachType::Availability
            ]
        );
    }
}
