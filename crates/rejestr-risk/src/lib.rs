//! The risk-assessment engine of Rejestr72: `Facts -> Assessment`, pure and deterministic.
//!
//! 1. **Classification** (art. 4(12) GDPR, `classify`): no personal data, only an attempt, or
//!    no loss of confidentiality, integrity or availability → a security incident; otherwise a
//!    personal-data breach.
//! 2. **Severity** (ENISA 2013, `severity`): SE = DPC × EI + CB, banded low / medium / high /
//!    very high, computed in exact hundredths.
//! 3. **Risk** (EDPB 9/2022, `factors`): the band proposes none / risk / high; the EDPB
//!    factors can only raise it (special categories, PESEL and identity documents, vulnerable
//!    people, volume, malice); data rendered unintelligible by state-of-the-art encryption
//!    lower a confidentiality breach to none.
//! 4. **Obligations** (`obligations`): document always (33(5)); notify Prezes UODO within 72
//!    hours at risk or above (33(1)); communicate to data subjects at high risk (34(1)) unless
//!    34(3)(a) or (b) applies, with 34(3)(c) a public communication instead; report to the
//!    CSIRT by the organisation's KSC status. Where the office acts as processor, it notifies
//!    the controller by the contract's target instead (33(2)); the notification to Prezes UODO
//!    and the communication to the subjects are then the controller's to decide.
//!
//! Every step adds a reason naming its rule, the article or method, and the facts, in Polish and
//! English. The engine proposes; the IOD decides (and justifies a different decision).
//!
//! Architecture Invariant: no IO, no clock, no randomness; the same Facts give the same
//! Assessment, byte for byte, under the same [`RULE_SET`].

mod assessment;
mod classify;
mod factors;
mod facts;
mod obligations;
mod reasons;
mod severity;

pub use assessment::{
    Assessment, Band, BreachType, Classification, EdpbFactor, Enisa, Obligations, Reason, Risk,
};
pub use facts::{
    Availability, Confidentiality, DEFAULT_CONTROLLER_DEADLINE_HOURS, DataCategory, DpcOverride,
    Encryption, FIELDS, Facts, FactsError, Identifiability, Integrity, KscStatus,
    MAX_CONTROLLER_DEADLINE_HOURS, parse_facts, validate,
};

use reasons::Reasons;

/// The version of the rules; stored with every assessment.
pub const RULE_SET: &str = "2026.1";

/// Subjects from which the number of people is itself an aggravating factor (EDPB 9/2022).
pub const MANY_SUBJECTS: u64 = 1000;

/// Assesses the facts: classification, ENISA severity, EDPB factors, risk, obligations and the
/// reasons for each. Pure and deterministic.
pub fn assess(facts: &Facts) -> Assessment {
    let mut reasons = Reasons::default();
    let breach_types = classify::breach_types(facts);
    let classification = classify::classify(facts, &breach_types, &mut reasons);
    let (enisa, edpb_factors, risk) = if classification == Classification::PersonalDataBreach {
        let enisa = severity::enisa(facts, &mut reasons);
        let edpb_factors = factors::present(facts, &breach_types);
        let risk = factors::risk(enisa.band, &edpb_factors, &mut reasons);
        (Some(enisa), edpb_factors, risk)
    } else {
        (None, Vec::new(), Risk::None)
    };
    let obligations = obligations::obligations(facts, classification, risk, &mut reasons);
    Assessment {
        rule_set: RULE_SET.to_owned(),
        classification,
        breach_types,
        enisa,
        risk,
        edpb_factors,
        obligations,
        reasons: reasons.0,
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
        assert_eq!(json["reasons"][0]["basis"], "GDPR art. 4(12)");
        assert_eq!(json["obligations"]["document"], true);
        assert_eq!(json["obligations"]["report_csirt"], false);
        assert_eq!(json["edpb_factors"], serde_json::json!([]));
    }

    #[test]
    fn an_assessment_recorded_before_the_additions_still_reads() {
        let old = r#"{"rule_set": "2026.1", "classification": "personal_data_breach",
            "breach_types": ["confidentiality"],
            "enisa": {"dpc": 1, "ei": 1.0, "cb": 0.25, "score": 1.25, "band": "low"},
            "risk": "none",
            "obligations": {"document": true, "notify_sa": false, "notify_subjects": false, "public_communication": false},
            "reasons": [{"rule": "R-33-5", "facts": [], "pl": "…", "en": "…"}]}"#;
        let read: Assessment = serde_json::from_str(old).unwrap();
        assert!(read.edpb_factors.is_empty());
        assert!(read.reasons[0].basis.is_empty());
        assert!(!read.obligations.report_csirt);
        assert!(!read.obligations.notify_controller);
    }

    #[test]
    fn a_processor_notifies_the_controller_by_the_contracts_target() {
        let facts = parse_facts(
            r#"{"personal_data": true, "confidentiality": "unknown_recipients",
                "data_categories": ["identity", "national_id"], "acting_as_processor": true,
                "controller_name": "Gminny Ośrodek Pomocy Społecznej", "controller_deadline_hours": 12}"#,
        )
        .unwrap();
        let assessment = assess(&facts);
        assert_eq!(assessment.risk, Risk::High, "the risk is still assessed");
        let o = assessment.obligations;
        assert!(o.notify_controller && o.document);
        assert!(
            !o.notify_sa && !o.notify_subjects && !o.public_communication,
            "the controller decides those"
        );
        let reason = assessment
            .reasons
            .iter()
            .find(|r| r.rule == "R-33-2")
            .unwrap();
        assert!(reason.pl.contains("Gminny Ośrodek Pomocy Społecznej"));
        assert!(reason.pl.contains("12 h") && reason.en.contains("12 hours"));
        assert_eq!(reason.basis, "GDPR art. 33(2)");
        let controller = assessment
            .reasons
            .iter()
            .find(|r| r.rule == "R-33-2-CONTROLLER")
            .unwrap();
        assert!(controller.pl.contains("wysokie ryzyko"));
        assert!(!assessment.reasons.iter().any(|r| r.rule == "R-33-1"));
        let json = serde_json::to_value(&assessment).unwrap();
        assert_eq!(json["obligations"]["notify_controller"], true);
    }

    #[test]
    fn a_processor_without_a_contract_target_gets_24_hours_and_only_for_a_breach() {
        let with = |extra: &str| {
            let json = format!(
                r#"{{"personal_data": true, "confidentiality": "known_recipients", "acting_as_processor": true{extra}}}"#
            );
            assess(&parse_facts(&json).unwrap())
        };
        let breach = with("");
        assert!(breach.obligations.notify_controller);
        let reason = breach.reasons.iter().find(|r| r.rule == "R-33-2").unwrap();
        assert!(reason.pl.contains("przyjęto 24 h"), "{}", reason.pl);
        // Only an attempt: no breach, nothing to tell the controller under art. 33(2).
        assert!(
            !with(r#", "attempt_only": true"#)
                .obligations
                .notify_controller
        );
        // The same facts for a controller: no controller to notify.
        let own = assess(
            &parse_facts(r#"{"personal_data": true, "confidentiality": "known_recipients"}"#)
                .unwrap(),
        );
        assert!(!own.obligations.notify_controller);
    }

    #[test]
    fn the_factors_that_applied_are_listed_and_reasoned() {
        let facts = parse_facts(
            r#"{"personal_data": true, "confidentiality": "unknown_recipients",
                "data_categories": ["identity", "national_id", "health"], "subjects_count": 4000,
                "vulnerable_subjects": true}"#,
        )
        .unwrap();
        let assessment = assess(&facts);
        assert_eq!(
            assessment.edpb_factors,
            vec![
                EdpbFactor::SpecialCategories,
                EdpbFactor::IdentityTheft,
                EdpbFactor::VulnerableSubjects,
                EdpbFactor::ManySubjects,
                EdpbFactor::MaliciousActor,
            ]
        );
        for rule in [
            "R-EDPB-SPECIAL",
            "R-EDPB-IDENTITY-THEFT",
            "R-EDPB-VULNERABLE",
            "R-EDPB-VOLUME",
            "R-EDPB-MALICIOUS",
            "R-34-1",
            "R-33-1",
            "R-KSC-PROFILE",
        ] {
            assert!(
                assessment.reasons.iter().any(|r| r.rule == rule),
                "{rule} missing"
            );
        }
        assert_eq!(assessment.risk, Risk::High);
    }

    #[test]
    fn the_csirt_report_follows_the_ksc_status() {
        let with = |extra: &str| {
            let json = format!(r#"{{"personal_data": false, "availability": "temporary"{extra}}}"#);
            assess(&parse_facts(&json).unwrap())
                .obligations
                .report_csirt
        };
        assert!(!with(""));
        assert!(!with(r#", "ksc_status": "not_covered""#));
        assert!(with(r#", "ksc_status": "public_entity""#));
        assert!(with(r#", "ksc_status": "essential""#));
        assert!(with(
            r#", "ksc_status": "important", "significant_incident": true"#
        ));
        assert!(!with(
            r#", "ksc_status": "important", "significant_incident": false"#
        ));
    }

    #[test]
    fn every_reason_names_a_rule_and_an_article_or_method() {
        let facts = parse_facts(
            r#"{"personal_data": true, "confidentiality": "unknown_recipients", "malicious": true,
                "data_categories": ["identity", "payment_card"], "individual_contact_disproportionate": true,
                "ksc_status": "public_entity"}"#,
        )
        .unwrap();
        let assessment = assess(&facts);
        assert!(assessment.obligations.public_communication);
        for reason in &assessment.reasons {
            let cites = ["art.", "ENISA", "EDPB", "KSC"]
                .iter()
                .any(|c| reason.en.contains(c));
            assert!(cites, "{reason:?}");
        }
    }
}
