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
        });
    }
}
