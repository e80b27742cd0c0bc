//! A few Polish sentences for the head of the office, built from [`Statistics`].

use crate::polish::{self, BREACH, CASE_LOCATIVE, EVENT, EVENT_GENITIVE, INCIDENT, TIMES};
use crate::stats::{Statistics, UNCLASSIFIED};

/// The summary of a period in plain Polish, one sentence per element: what was registered,
/// how PUODO was notified, what is still pending at `as_of`, and how long things took.
/// Meant for a calendar year ("W 2026 r. …") but works for any period.
pub fn yearly_summary(stats: &Statistics) -> Vec<String> {
    let opening = stats.period.sentence_opening();
    if stats.total == 0 {
        return vec![format!("{opening} nie zarejestrowano żadnego zdarzenia.")];
    }
    let mut sentences = Vec::new();

    let breaches = Statistics::count(&stats.by_classification, "personal_data_breach");
    let incidents = Statistics::count(&stats.by_classification, "security_incident");
    let mut registered = format!("{opening} zarejestrowano {}", EVENT.count(stats.total));
    match (breaches, incidents) {
        (0, 0) => {}
        (b, 0) => registered += &format!(", w tym {} ochrony danych osobowych", BREACH.count(b)),
        (0, i) => registered += &format!(", w tym {} bezpieczeństwa", INCIDENT.count(i)),
        (b, i) => {
            registered += &format!(
                ", w tym {} ochrony danych osobowych i {} bezpieczeństwa",
                BREACH.count(b),
                INCIDENT.count(i)
            );
        }
    }
    sentences.push(registered + ".");

    let unassessed = Statistics::count(&stats.by_classification, UNCLASSIFIED);
    if unassessed > 0 {
        sentences.push(format!(
            "Nie oceniono jeszcze {}.",
            EVENT_GENITIVE.count(unassessed)
        ));
    }

    let p = &stats.puodo;
    if p.filed > 0 {
        let how = if p.in_time == p.filed && p.filed == 1 {
            ", w terminie 72 godzin".to_owned()
        } else if p.in_time == p.filed {
            ", za każdym razem w terminie 72 godzin".to_owned()
        } else if p.in_time == 0 && p.filed == 1 {
            ", po upływie 72 godzin".to_owned()
        } else if p.in_time == 0 {
            ", za każdym razem po upływie 72 godzin".to_owned()
        } else {
            format!(", w tym {} w terminie 72 godzin", TIMES.count(p.in_time))
        };
        sentences.push(format!(
            "Prezesa UODO zawiadomiono {}{how}.",
            TIMES.count(p.filed)
        ));
    } else if p.required == 0 {
        sentences.push("Żadne zdarzenie nie wymagało zawiadomienia Prezesa UODO.".to_owned());
    } else {
        sentences.push("Prezesa UODO nie zawiadomiono ani razu.".to_owned());
    }

    if p.pending > 0 {
        let overdue = if p.overdue == 0 {
            "; termin 72 godzin jeszcze nie upłynął".to_owned()
        } else if p.overdue == p.pending && p.pending == 1 {
            ", a termin 72 godzin już upłynął".to_owned()
        } else if p.overdue == p.pending {
            "; we wszystkich termin 72 godzin już upłynął".to_owned()
        } else {
            format!("; w {} z nich termin 72 godzin już upłynął", p.overdue)
        };
        sentences.push(format!(
            "Na dzień {} zawiadomienie Prezesa UODO nie zostało jeszcze złożone w {}{overdue}.",
            polish::date(polish::warsaw_date(stats.as_of)),
            CASE_LOCATIVE.count(p.pending)
        ));
    }

    if let Some(median) = stats.time_to_assessment.median {
        sentences.push(end(format!(
            "Mediana czasu od zgłoszenia do pierwszej oceny wyniosła {}",
            polish::duration(median)
        )));
    }
    if let Some(median) = stats.time_to_puodo.median {
        sentences.push(end(format!(
            "Mediana czasu od stwierdzenia naruszenia do zawiadomienia Prezesa UODO wyniosła {}",
            polish::duration(median)
        )));
    }
    sentences
}

/// Ends a sentence with a full stop, unless it already ends with the one of an abbreviation
/// ("2 godz.").
fn end(mut sentence: String) -> String {
    if !sentence.ends_with('.') {
        sentence.push('.');
    }
    sentence
}
