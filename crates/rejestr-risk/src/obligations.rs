//! The obligations an assessment proposes (domain.md §1.2, §1.3, §5):
//! - document every incident and breach (art. 33(5));
//! - notify Prezes UODO within 72 hours of awareness unless the breach is unlikely to result
//!   in a risk (art. 33(1));
//! - communicate to the data subjects at high risk (art. 34(1)) unless 34(3)(a) or (b) applies;
//!   under 34(3)(c) a public communication replaces the individual letters. The exemptions
//!   never touch the notification to Prezes UODO;
//! - report to the CSIRT under the KSC act, by the organisation's status, independently of GDPR;
//! - where the office acts as processor in the case, notify the controller without undue delay
//!   by the contract's target (art. 33(2)); whether Prezes UODO and the subjects are told is
//!   then the controller's decision, so the engine proposes neither (art. 28(3)(f): the
//!   processor's risk assessment helps the controller).

use crate::assessment::{Classification, Obligations, Risk};
use crate::facts::{Encryption, Facts, KscStatus};
use crate::reasons::Reasons;

pub(crate) fn obligations(
    facts: &Facts,
    classification: Classification,
    risk: Risk,
    reasons: &mut Reasons,
) -> Obligations {
    let breach = classification == Classification::PersonalDataBreach;
    if breach {
        reasons.add(
            "R-33-5",
            &[],
            "art. 33 ust. 5 RODO: każde naruszenie dokumentuje się w rejestrze (okoliczności, skutki, działania zaradcze), niezależnie od ryzyka",
            "art. 33(5) GDPR: every breach is documented in the register (facts, effects, remedial action), whatever the risk",
        );
    } else {
        reasons.add(
            "R-33-5",
            &[],
            "art. 33 ust. 5 RODO i dobra praktyka: incydent zostaje udokumentowany w rejestrze wraz z uzasadnieniem, dlaczego nie jest naruszeniem; bez zgłoszenia do Prezesa UODO i bez zawiadomień osób",
            "art. 33(5) GDPR and good practice: the incident is documented in the register with the reasons it is not a breach; no notification to Prezes UODO, no communication to subjects",
        );
    }
    let processor = breach && facts.acting_as_processor;
    let notify_sa = breach && risk >= Risk::Risk && !processor;
    let (notify_subjects, public_communication) = if processor {
        processor_reasons(facts, risk, reasons);
        (false, false)
    } else if breach {
        notify_authority_reason(notify_sa, reasons);
        communication(facts, risk, reasons)
    } else {
        (false, false)
    };
    Obligations {
        document: true,
        notify_sa,
        notify_subjects,
        public_communication,
        report_csirt: csirt(facts, classification, reasons),
        notify_controller: processor,
    }
}

/// Art. 33(2): the processor tells the controller; the controller decides the rest.
fn processor_reasons(facts: &Facts, risk: Risk, reasons: &mut Reasons) {
    let hours = facts.controller_deadline_hours();
    let (controller_pl, controller_en) = match facts.controller_name.as_deref().map(str::trim) {
        Some(name) => (format!(" ({name})"), format!(" ({name})")),
        None => (String::new(), String::new()),
    };
    let (target_pl, target_en) = if facts.controller_deadline_hours.is_some() {
        (
            format!("umowa powierzenia wyznacza na to {hours} h"),
            format!("the processing contract sets {hours} hours"),
        )
    } else {
        (
            format!("przyjęto {hours} h, bo umowa powierzenia nie podaje terminu"),
            format!("{hours} hours assumed, the processing contract setting none"),
        )
    };
    reasons.add(
        "R-33-2",
        &["acting_as_processor", "controller_name", "controller_deadline_hours"],
        format!("art. 33 ust. 2 RODO: jednostka działa w tej sprawie jako podmiot przetwarzający — zgłasza naruszenie administratorowi{controller_pl} bez zbędnej zwłoki; {target_pl}"),
        format!("art. 33(2) GDPR: the office acts as processor in this case and notifies the controller{controller_en} without undue delay; {target_en}"),
    );
    let (risk_pl, risk_en) = match risk {
        Risk::None => (
            "raczej nie skutkuje ryzykiem",
            "unlikely to result in a risk",
        ),
        Risk::Risk => ("ryzyko", "a risk"),
        Risk::High => ("wysokie ryzyko", "a high risk"),
    };
    reasons.add(
        "R-33-2-CONTROLLER",
        &["acting_as_processor"],
        format!("art. 33 ust. 1 i art. 34 RODO: o zgłoszeniu Prezesowi UODO i zawiadomieniu osób decyduje administrator; ocena ryzyka ({risk_pl}) trafia do niego jako pomoc podmiotu przetwarzającego (art. 28 ust. 3 lit. f)"),
        format!("art. 33(1) and art. 34 GDPR: the controller decides whether Prezes UODO and the subjects are told; the risk assessment ({risk_en}) goes to it as the processor's assistance (art. 28(3)(f))"),
    );
}

fn notify_authority_reason(notify_sa: bool, reasons: &mut Reasons) {
    if notify_sa {
        reasons.add(
            "R-33-1",
            &[],
            "art. 33 ust. 1 RODO: ryzyko naruszenia praw lub wolności — zgłoszenie do Prezesa UODO bez zbędnej zwłoki, nie później niż w ciągu 72 godzin od stwierdzenia naruszenia; po terminie z wyjaśnieniem przyczyn opóźnienia",
            "art. 33(1) GDPR: a risk to rights and freedoms, notify Prezes UODO without undue delay and within 72 hours of becoming aware; a later notification gives the reasons for the delay",
        );
    } else {
        reasons.add(
            "R-33-1-UNLIKELY",
            &[],
            "art. 33 ust. 1 RODO: naruszenie raczej nie skutkuje ryzykiem naruszenia praw lub wolności — bez zgłoszenia do Prezesa UODO; uzasadnienie zostaje w rejestrze",
            "art. 33(1) GDPR: unlikely to result in a risk to rights and freedoms, no notification to Prezes UODO; the reasoning stays in the register",
        );
    }
}

/// Art. 34: `(individual communication, public communication)`.
fn communication(facts: &Facts, risk: Risk, reasons: &mut Reasons) -> (bool, bool) {
    if risk < Risk::High {
        reasons.add(
            "R-34-1-NOT-HIGH",
            &[],
            "art. 34 ust. 1 RODO: brak wysokiego ryzyka — zawiadomienie osób, których dane dotyczą, nie jest wymagane",
            "art. 34(1) GDPR: no high risk, no communication to the data subjects required",
        );
        return (false, false);
    }
    reasons.add(
        "R-34-1",
        &[],
        "art. 34 ust. 1 RODO: wysokie ryzyko — zawiadomienie osób, których dane dotyczą, bez zbędnej zwłoki, jasnym i prostym językiem (art. 34 ust. 2)",
        "art. 34(1) GDPR: high risk, communicate to the data subjects without undue delay, in clear and plain language (art. 34(2))",
    );
    if facts.encryption == Encryption::StateOfTheArtKeySafe {
        reasons.add(
            "R-34-3-A",
            &["encryption"],
            "art. 34 ust. 3 lit. a RODO: dane były zaszyfrowane i nieczytelne dla osób nieuprawnionych — zawiadomienie osób nie jest wymagane (zgłoszenie do Prezesa UODO pozostaje)",
            "art. 34(3)(a) GDPR: the data were encrypted and unintelligible to anyone unauthorised, no communication to subjects required (the notification to Prezes UODO stays)",
        );
        return (false, false);
    }
    if facts.measures_remove_high_risk {
        reasons.add(
            "R-34-3-B",
            &["measures_remove_high_risk"],
            "art. 34 ust. 3 lit. b RODO: zastosowano następnie środki eliminujące prawdopodobieństwo wysokiego ryzyka — zawiadomienie osób nie jest wymagane (zgłoszenie do Prezesa UODO pozostaje)",
            "art. 34(3)(b) GDPR: subsequent measures ensure the high risk is no longer likely, no communication to subjects required (the notification to Prezes UODO stays)",
        );
        return (false, false);
    }
    if facts.individual_contact_disproportionate {
        reasons.add(
            "R-34-3-C",
            &["individual_contact_disproportionate"],
            "art. 34 ust. 3 lit. c RODO: indywidualne zawiadomienia wymagałyby niewspółmiernie dużego wysiłku — zamiast nich publiczny komunikat równie skutecznie informujący osoby",
            "art. 34(3)(c) GDPR: individual communication would involve disproportionate effort, a public communication informing the subjects equally effectively instead",
        );
        return (false, true);
    }
    (true, false)
}

/// The KSC act: whether the incident goes to the CSIRT (NASK for JST, GOV or MON).
fn csirt(facts: &Facts, classification: Classification, reasons: &mut Reasons) -> bool {
    let incident = matches!(
        classification,
        Classification::SecurityIncident | Classification::PersonalDataBreach
    );
    match facts.ksc_status {
        None => {
            reasons.add(
                "R-KSC-PROFILE",
                &["ksc_status"],
                "ustawa o KSC: status jednostki nie został podany w faktach — o zgłoszeniu do CSIRT rozstrzyga profil jednostki w rejestrze",
                "KSC act: the organisation's status is not among the facts; its profile in the register decides the CSIRT report",
            );
            false
        }
        Some(KscStatus::NotCovered) => {
            reasons.add(
                "R-KSC-NOT-COVERED",
                &["ksc_status"],
                "ustawa o KSC: jednostka nie podlega obowiązkom zgłoszeniowym — zgłoszenie do CSIRT jest dobrowolne",
                "KSC act: the organisation has no reporting duty; a report to the CSIRT is voluntary",
            );
            false
        }
        Some(_) if !incident => false,
        Some(KscStatus::PublicEntity) => {
            reasons.add(
                "R-KSC-22",
                &["ksc_status"],
                "art. 22 ust. 1 pkt 2 ustawy o KSC: podmiot publiczny zgłasza incydent do CSIRT NASK (JST), CSIRT GOV lub CSIRT MON niezwłocznie, nie później niż w ciągu 24 godzin od wykrycia; treść według art. 23",
                "KSC act art. 22(1)(2): a public entity reports the incident to CSIRT NASK (local government), GOV or MON without delay, within 24 hours of detection; content per art. 23",
            );
            true
        }
        Some(KscStatus::Essential | KscStatus::Important) => {
            if facts.significant_incident == Some(false) {
                reasons.add(
                    "R-KSC-NIS2-NOT-SIGNIFICANT",
                    &["ksc_status", "significant_incident"],
                    "ustawa o KSC po nowelizacji NIS2: incydent nie jest poważny — obowiązkowego zgłoszenia do CSIRT nie ma (dobrowolne możliwe)",
                    "KSC act as amended for NIS2: the incident is not significant, no mandatory CSIRT report (a voluntary one is possible)",
                );
                false
            } else {
                reasons.add(
                    "R-KSC-NIS2",
                    &["ksc_status", "significant_incident"],
                    if facts.significant_incident.is_none() {
                        "ustawa o KSC po nowelizacji NIS2 (art. 23 NIS2): nie ustalono, czy incydent jest poważny — przyjęto, że tak; wczesne ostrzeżenie do CSIRT w 24 godziny, zgłoszenie incydentu w 72 godziny, raport końcowy w miesiąc"
                    } else {
                        "ustawa o KSC po nowelizacji NIS2 (art. 23 NIS2): incydent poważny — wczesne ostrzeżenie do CSIRT w 24 godziny, zgłoszenie incydentu w 72 godziny, raport końcowy w miesiąc"
                    },
                    if facts.significant_incident.is_none() {
                        "KSC act as amended for NIS2 (NIS2 art. 23): not established whether the incident is significant, assumed so; early warning to the CSIRT within 24 hours, incident notification within 72 hours, final report within a month"
                    } else {
                        "KSC act as amended for NIS2 (NIS2 art. 23): a significant incident; early warning to the CSIRT within 24 hours, incident notification within 72 hours, final report within a month"
                    },
                );
                true
            }
        }
    }
}
