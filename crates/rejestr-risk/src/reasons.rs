//! Collecting the reasons of an assessment.

use crate::assessment::Reason;

#[derive(Debug, Default)]
pub(crate) struct Reasons(pub Vec<Reason>);

impl Reasons {
    pub fn add(
        &mut self,
        rule: &str,
        facts: &[&str],
        pl: impl Into<String>,
        en: impl Into<String>,
    ) {
        self.0.push(Reason {
            rule: rule.to_owned(),
            facts: facts.iter().map(|f| (*f).to_owned()).collect(),
            pl: pl.into(),
            en: en.into(),
            basis: basis(rule).to_owned(),
        });
    }
}

/// The provision or method behind a rule id: one table, so that a rule always cites the same
/// basis. An id not listed here has no basis (the tests keep every emitted id listed).
pub fn basis(rule: &str) -> &'static str {
    match rule {
        "R-CLASS-NO-PERSONAL-DATA" | "R-CLASS-ATTEMPT" | "R-CLASS-NO-LOSS" | "R-CLASS-BREACH" => {
            "GDPR art. 4(12)"
        }
        "R-DPC-CATEGORY" | "R-DPC-OVERRIDE" | "R-DPC-PUBLIC" | "R-DPC-UNKNOWN"
        | "R-DPC-VULNERABLE" => "ENISA 2013: DPC (data processing context)",
        "R-EI-DEFAULT" | "R-EI-ENCRYPTED" => "ENISA 2013: EI (ease of identification)",
        "R-CB-AVAILABILITY"
        | "R-CB-CONFIDENTIALITY"
        | "R-CB-INTEGRITY"
        | "R-CB-MALICIOUS"
        | "R-CB-MALICIOUS-UNKNOWN"
        | "R-CB-TRUSTED-RECIPIENT" => "ENISA 2013: CB (circumstances of breach)",
        "R-ENISA-BAND" => "ENISA 2013: SE = DPC × EI + CB, severity bands",
        "R-RISK-BAND" => "ENISA 2013 severity band read with EDPB Guidelines 9/2022",
        "R-EDPB-IDENTITY-THEFT"
        | "R-EDPB-MALICIOUS"
        | "R-EDPB-SPECIAL"
        | "R-EDPB-VOLUME"
        | "R-EDPB-VULNERABLE"
        | "R-EDPB-UNINTELLIGIBLE" => "EDPB Guidelines 9/2022 §IV.B (risk factors)",
        "R-33-5" => "GDPR art. 33(5)",
        "R-33-1" | "R-33-1-UNLIKELY" => "GDPR art. 33(1)",
        "R-33-2" => "GDPR art. 33(2)",
        "R-33-2-CONTROLLER" => "GDPR art. 33(2) read with art. 28(3)(f)",
        "R-34-1" | "R-34-1-NOT-HIGH" => "GDPR art. 34(1)",
        "R-34-3-A" => "GDPR art. 34(3)(a)",
        "R-34-3-B" => "GDPR art. 34(3)(b)",
        "R-34-3-C" => "GDPR art. 34(3)(c)",
        "R-KSC-22" => "KSC act (ustawa o krajowym systemie cyberbezpieczeństwa) art. 22(1)(2)",
        "R-KSC-NIS2" | "R-KSC-NIS2-NOT-SIGNIFICANT" => {
            "KSC act as amended for NIS2 (directive 2022/2555 art. 23)"
        }
        "R-KSC-NOT-COVERED" | "R-KSC-PROFILE" => {
            "KSC act (ustawa o krajowym systemie cyberbezpieczeństwa)"
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::basis;

    #[test]
    fn every_rule_id_in_the_sources_has_a_basis() {
        let sources = [
            include_str!("classify.rs"),
            include_str!("severity.rs"),
            include_str!("factors.rs"),
            include_str!("obligations.rs"),
        ];
        let mut seen = 0;
        for source in sources {
            for piece in source.split('"').skip(1).step_by(2) {
                let is_id = piece.starts_with("R-")
                    && piece.len() > 2
                    && piece
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
                if is_id {
                    seen += 1;
                    assert!(!basis(piece).is_empty(), "{piece} has no basis");
                }
            }
        }
        assert!(seen >= 30, "only {seen} rule ids found");
        assert_eq!(basis("R-UNKNOWN"), "");
    }
}
