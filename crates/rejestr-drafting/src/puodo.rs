//! The notification to the supervisory authority (Prezes UODO), GDPR art. 33, following the
//! sections of the official form (domain.md §4.2).

use rejestr_risk::{BreachType, Facts};
use serde::Serialize;

use crate::context::CaseContext;
use crate::fields::{Cause, Communication, DraftFields};
use crate::labels::{self, FormSection, Locale, breach_type, date, instant, yes_no};
use crate::{Missing, PuodoPhase, text};

#[derive(Debug, Clone, Serialize)]
pub struct PuodoView {
    pub kind: PhaseView,
    pub controller: ControllerView,
    pub processor: Option<ProcessorView>,
    pub timing: TimingView,
    pub nature: NatureView,
    pub numbers: NumbersView,
    pub data: DataView,
    pub subjects: SubjectsView,
    pub consequences: ConsequencesView,
    pub measures: MeasuresView,
    pub communication: CommunicationView,
    pub cross_border: CrossBorderView,
    pub severity: Option<SeverityView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseView {
    pub complete: bool,
    pub initial: bool,
    pub supplementary: bool,
    pub label: String,
    pub case_reference: String,
    pub supplement_expected_on: Option<String>,
    pub previous_notification_on: Option<String>,
    pub uodo_reference: Option<String>,
    pub other_authority: String,
    pub other_authority_description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ControllerView {
    pub name: String,
    pub regon: Option<String>,
    pub address: String,
    pub representatives: Option<String>,
    pub iod_name: String,
    pub iod_email: String,
    pub iod_phone: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProcessorView {
    pub name: String,
    pub contract: Option<String>,
    pub notified_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimingView {
    pub aware_at: Option<String>,
    pub discovery_method: Option<String>,
    pub processor_notified_at: Option<String>,
    pub late: bool,
    pub hours_since_awareness: Option<i64>,
    pub delay_reasons: Option<String>,
    pub occurred_at: Option<String>,
    pub ended_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NatureView {
    pub description: Option<String>,
    pub what_happened: Vec<String>,
    pub malware: bool,
    pub malware_confidentiality: Option<String>,
    pub malware_ransom: Option<String>,
    pub malware_backup: Option<String>,
    pub cause: Option<String>,
    pub types: Vec<String>,
    pub children: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NumbersView {
    pub subjects: Option<String>,
    pub records: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DataView {
    pub basic: Vec<String>,
    pub special: Vec<String>,
    pub criminal: Vec<String>,
    pub other: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubjectsView {
    pub categories: Vec<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConsequencesView {
    pub items: Vec<String>,
    pub other: Option<String>,
    pub high_risk: Option<String>,
    pub justification: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeasuresView {
    pub before: Option<String>,
    pub recurrence: Option<String>,
    pub mitigation: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommunicationView {
    pub status: Option<String>,
    pub informed_or_planned: bool,
    pub individually: Option<String>,
    pub on: Option<String>,
    pub count: Option<String>,
    pub channels: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CrossBorderView {
    pub answer: Option<String>,
    pub countries: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeverityView {
    pub score: String,
    pub band: String,
    pub risk: String,
    pub rule_set: String,
}

pub(crate) fn view(
    ctx: &CaseContext,
    f: &DraftFields,
    phase: PuodoPhase,
    locale: Locale,
    missing: &mut Vec<Missing>,
) -> PuodoView {
    let l = locale;
    let mut need = |point: &'static str, pl: &'static str, en: &'static str, blocking: bool| {
        missing.push(Missing::new(point, pl, en, locale, blocking));
    };
    let facts: Option<&Facts> = ctx.decision.as_ref().map(|d| &d.facts);

    // Section 1.
    if phase == PuodoPhase::Initial && f.supplement_expected_on.is_none() {
        need(
            "1",
            "przybliżona data uzupełnienia zgłoszenia",
            "approximate date of the supplementary notification",
            false,
        );
    }
    if phase == PuodoPhase::Supplementary {
        if f.previous_notification_on.is_none() {
            need(
                "1",
                "data poprzedniego zgłoszenia",
                "date of the previous notification",
                true,
            );
        }
        if text(&f.uodo_reference).is_none() {
            need("1", "sygnatura sprawy UODO", "UODO case reference", false);
        }
    }
    let kind = PhaseView {
        complete: phase == PuodoPhase::Complete,
        initial: phase == PuodoPhase::Initial,
        supplementary: phase == PuodoPhase::Supplementary,
        label: phase.label().get(l).to_owned(),
        case_reference: ctx.number.clone(),
        supplement_expected_on: f.supplement_expected_on.map(|d| date(d, l)),
        previous_notification_on: f.previous_notification_on.map(|d| date(d, l)),
        uodo_reference: text(&f.uodo_reference),
        other_authority: yes_no(text(&f.other_authority).is_some(), l).to_owned(),
        other_authority_description: text(&f.other_authority),
    };

    // Section 2.
    let c = &ctx.controller;
    if c.regon.as_deref().is_none_or(|r| r.trim().is_empty()) {
        need(
            "2A",
            "REGON administratora (ustawienia organizacji)",
            "the controller's REGON (organisation settings)",
            false,
        );
    }
    if c.address.trim().is_empty() {
        need(
            "2B",
            "adres siedziby administratora (ustawienia organizacji)",
            "the controller's address (organisation settings)",
            true,
        );
    }
    if c.iod_name.trim().is_empty() || c.iod_email.trim().is_empty() {
        need(
            "2E",
            "imię, nazwisko i kontakt inspektora ochrony danych (art. 33 ust. 3 lit. b)",
            "the DPO's name and contact details (art. 33(3)(b))",
            true,
        );
    }
    let controller = ControllerView {
        name: c.name.clone(),
        regon: text(&c.regon),
        address: c.address.clone(),
        representatives: text(&f.representatives),
        iod_name: c.iod_name.clone(),
        iod_email: c.iod_email.clone(),
        iod_phone: text(&c.iod_phone),
    };
    let processor = ctx.processor.as_ref().map(|p| ProcessorView {
        name: p.name.clone(),
        contract: text(&p.contract),
        notified_at: p.notified_at.map(|t| instant(t, l)),
    });

    // Section 3.
    let late = match (ctx.sa_deadline, ctx.aware_at) {
        (Some(deadline), _) => ctx.now > deadline,
        (None, Some(aware)) => (ctx.now - aware).num_hours() >= 72,
        (None, None) => false,
    };
    if ctx.aware_at.is_none() {
        need(
            "3A",
            "data stwierdzenia naruszenia",
            "date of awareness",
            true,
        );
    }
    if text(&f.discovery_method).is_none() {
        need(
            "3A",
            "sposób stwierdzenia naruszenia",
            "how the breach was discovered",
            false,
        );
    }
    if late && text(&f.delay_reasons).is_none() {
        need(
            "3A",
            "powody opóźnienia (zgłoszenie po 72 godzinach, art. 33 ust. 1)",
            "reasons for the delay (notified after 72 hours, art. 33(1))",
            true,
        );
    }
    if ctx.occurred_at.is_none() {
        need(
            "3B",
            "data i czas zaistnienia naruszenia",
            "when the breach began",
            false,
        );
    }
    let timing = TimingView {
        aware_at: ctx.aware_at.map(|t| instant(t, l)),
        discovery_method: text(&f.discovery_method),
        processor_notified_at: ctx
            .processor
            .as_ref()
            .and_then(|p| p.notified_at)
            .map(|t| instant(t, l)),
        late,
        hours_since_awareness: ctx.aware_at.map(|a| (ctx.now - a).num_hours()),
        delay_reasons: text(&f.delay_reasons),
        occurred_at: ctx.occurred_at.map(|t| instant(t, l)),
        ended_at: f.ended_at.map(|t| instant(t, l)),
    };

    // Section 4.
    let description = text(&f.description).or_else(|| {
        let d = ctx.description.trim();
        (!d.is_empty()).then(|| d.to_owned())
    });
    if description.is_none() {
        need(
            "4A",
            "opis naruszenia (art. 33 ust. 3 lit. a)",
            "description of the breach (art. 33(3)(a))",
            true,
        );
    }
    if f.what_happened.is_empty() {
        need(
            "4B",
            "na czym polegało naruszenie",
            "what the breach consisted of",
            false,
        );
    }
    let malware = f
        .what_happened
        .contains(&crate::fields::WhatHappened::Malware);
    // The questionnaire knows intent but not whether the actor was inside the office, so
    // the IOD chooses the cause.
    let cause: Option<Cause> = f.cause;
    if cause.is_none() {
        need("4D", "przyczyna naruszenia", "cause of the breach", false);
    }
    let types: Vec<String> = ctx
        .decision
        .as_ref()
        .map(|d| {
            d.assessment
                .breach_types
                .iter()
                .map(|t: &BreachType| breach_type(*t).get(l).to_owned())
                .collect()
        })
        .unwrap_or_default();
    if types.is_empty() {
        need(
            "4E",
            "charakter naruszenia (poufność, integralność, dostępność): wymaga oceny ryzyka",
            "nature (confidentiality, integrity, availability): needs the risk assessment",
            true,
        );
    }
    let nature = NatureView {
        description,
        what_happened: f
            .what_happened
            .iter()
            .map(|w| w.label().get(l).to_owned())
            .collect(),
        malware,
        malware_confidentiality: text(&f.malware_confidentiality),
        malware_ransom: text(&f.malware_ransom),
        malware_backup: text(&f.malware_backup),
        cause: cause.map(|c| c.label().get(l).to_owned()),
        types,
        children: f
            .children
            .or_else(|| facts.filter(|x| x.vulnerable_subjects).map(|_| true))
            .map(|b| yes_no(b, l).to_owned()),
    };

    // Section 5.
    let subjects = facts
        .and_then(|x| x.subjects_count)
        .or(ctx.subjects_estimate);
    if subjects.is_none() {
        need(
            "5",
            "przybliżona liczba osób (art. 33 ust. 3 lit. a)",
            "approximate number of data subjects (art. 33(3)(a))",
            true,
        );
    }
    if f.records_count.is_none() {
        need(
            "5",
            "przybliżona liczba wpisów danych",
            "approximate number of records",
            false,
        );
    }
    let numbers = NumbersView {
        subjects: subjects.map(|n| n.to_string()),
        records: f.records_count.map(|n| n.to_string()),
    };

    // Section 6.
    let mut data = DataView {
        basic: Vec::new(),
        special: Vec::new(),
        criminal: Vec::new(),
        other: text(&f.other_data),
    };
    for category in facts.map(|x| x.data_categories.as_slice()).unwrap_or(&[]) {
        let (section, form, _) = labels::data_category(*category);
        let list = match section {
            FormSection::Basic => &mut data.basic,
            FormSection::Special => &mut data.special,
            FormSection::Criminal => &mut data.criminal,
        };
        list.push(form.get(l).to_owned());
    }
    if data.basic.is_empty()
        && data.special.is_empty()
        && data.criminal.is_empty()
        && data.other.is_none()
    {
        need(
            "6",
            "kategorie danych osobowych (art. 33 ust. 3 lit. a)",
            "categories of personal data (art. 33(3)(a))",
            true,
        );
    }

    // Section 7.
    if f.subject_categories.is_empty() && text(&f.subjects_description).is_none() {
        need(
            "7",
            "kategorie osób (art. 33 ust. 3 lit. a)",
            "categories of data subjects (art. 33(3)(a))",
            true,
        );
    }
    let subjects_view = SubjectsView {
        categories: f
            .subject_categories
            .iter()
            .map(|s| s.label().get(l).to_owned())
            .collect(),
        description: text(&f.subjects_description),
    };

    // Section 8.
    if f.consequences.is_empty() && text(&f.consequences_other).is_none() {
        need(
            "8A",
            "możliwe konsekwencje naruszenia (art. 33 ust. 3 lit. c)",
            "likely consequences (art. 33(3)(c))",
            true,
        );
    }
    let high = ctx.decision.as_ref().map(|d| d.risk == "high");
    let justification = text(&f.high_risk_justification).or_else(|| {
        ctx.decision.as_ref().map(|d| {
            let reasons: Vec<&str> = d
                .assessment
                .reasons
                .iter()
                .filter(|r| r.rule.starts_with("R-RISK") || r.rule.starts_with("R-ENISA"))
                .map(|r| match l {
                    Locale::Pl => r.pl.as_str(),
                    Locale::En => r.en.as_str(),
                })
                .collect();
            let mut out = reasons.join("; ");
            if let Some(j) = d.justification.as_deref().filter(|j| !j.trim().is_empty()) {
                out.push(' ');
                out.push_str(j.trim());
            }
            out.trim().to_owned()
        })
    });
    if high.is_none() {
        need(
            "8B",
            "ocena, czy wystąpiło wysokie ryzyko: wymaga oceny ryzyka",
            "whether there is a high risk: needs the risk assessment",
            true,
        );
    }
    let consequences = ConsequencesView {
        items: f
            .consequences
            .iter()
            .map(|c| c.label().get(l).to_owned())
            .collect(),
        other: text(&f.consequences_other),
        high_risk: high.map(|h| yes_no(h, l).to_owned()),
        justification: justification.filter(|j| !j.is_empty()),
    };

    // Section 9.
    if text(&f.measures_before).is_none() {
        need(
            "9A",
            "środki bezpieczeństwa stosowane przed naruszeniem",
            "security measures in place before the breach",
            false,
        );
    }
    if text(&f.measures_recurrence).is_none() {
        need(
            "9B",
            "środki zapobiegające ponownemu wystąpieniu (art. 33 ust. 3 lit. d)",
            "measures to prevent recurrence (art. 33(3)(d))",
            true,
        );
    }
    if text(&f.measures_mitigation).is_none() {
        need(
            "9C",
            "środki zaradcze i minimalizujące skutki dla osób (art. 33 ust. 3 lit. d)",
            "measures to address the breach and mitigate its effects (art. 33(3)(d))",
            true,
        );
    }
    let measures = MeasuresView {
        before: text(&f.measures_before),
        recurrence: text(&f.measures_recurrence),
        mitigation: text(&f.measures_mitigation),
    };

    // Section 10.
    let status = f.communication.or_else(|| {
        ctx.decision.as_ref().map(|d| {
            if d.notify_subjects {
                Communication::Planned
            } else if d.assessment.reasons.iter().any(|r| r.rule == "R-34-3-A") {
                Communication::NotRequiredMeasuresBefore
            } else if d.assessment.reasons.iter().any(|r| r.rule == "R-34-3-B") {
                Communication::NotRequiredMeasuresAfter
            } else {
                Communication::NoHighRisk
            }
        })
    });
    if status.is_none() {
        need(
            "10",
            "czy osoby zostały zawiadomione",
            "whether the data subjects were informed",
            false,
        );
    }
    let informed = matches!(status, Some(Communication::Done | Communication::Planned));
    if status == Some(Communication::Done) && f.communication_on.is_none() {
        need(
            "10",
            "data zawiadomienia osób",
            "date the data subjects were informed",
            false,
        );
    }
    let communication = CommunicationView {
        status: status.map(|s| s.label().get(l).to_owned()),
        informed_or_planned: informed,
        individually: f.communication_individual.map(|b| yes_no(b, l).to_owned()),
        on: f.communication_on.map(|d| date(d, l)),
        count: f.communication_count.map(|n| n.to_string()),
        channels: text(&f.communication_channels),
    };

    // Section 11.
    if f.cross_border.is_none() {
        need(
            "11",
            "czy naruszenie ma charakter transgraniczny",
            "whether the breach is cross-border",
            false,
        );
    }
    let cross_border = CrossBorderView {
        answer: f.cross_border.map(|b| yes_no(b, l).to_owned()),
        countries: text(&f.countries),
    };

    let severity = ctx.decision.as_ref().and_then(|d| {
        d.assessment.enisa.as_ref().map(|e| SeverityView {
            score: match l {
                Locale::Pl => format!("{:.2}", e.score).replace('.', ","),
                Locale::En => format!("{:.2}", e.score),
            },
            band: crate::band_label(e.band).get(l).to_owned(),
            risk: crate::risk_label(&d.risk).get(l).to_owned(),
            rule_set: d.assessment.rule_set.clone(),
        })
    });

    PuodoView {
        kind,
        controller,
        processor,
        timing,
        nature,
        numbers,
        data,
        subjects: subjects_view,
        consequences,
        measures,
        communication,
        cross_border,
        severity,
    }
}
