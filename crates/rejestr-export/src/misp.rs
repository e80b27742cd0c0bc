//! MISP events (MISP core format, domain.md §6.2): one event per case, tagged with the TLP and,
//! where art. 9 or 10 data are affected, `gdpr:special-categories`; one attribute per
//! indicator, one summary text attribute, and the released texts.

use rejestr_risk::Band;
use serde_json::{Map, Value, json};

use crate::ids::case_uuid;
use crate::labels;
use crate::{ExportOptions, IndicatorKind, ShareCase};

/// The MISP event of a case.
pub fn misp_event(case: &ShareCase, opts: &ExportOptions) -> Value {
    let timestamp = case
        .updated_at
        .max(case.reported_at)
        .timestamp()
        .to_string();
    let date = case
        .occurred_at
        .unwrap_or(case.reported_at)
        .format("%Y-%m-%d")
        .to_string();
    let mut tags = vec![json!({ "name": opts.tlp.misp_tag() })];
    if case.special_categories() {
        tags.push(json!({ "name": "gdpr:special-categories" }));
    }

    let mut attributes = Vec::new();
    for indicator in &case.indicators {
        let (kind, category) = attribute_type(indicator.kind());
        let what = format!(
            "misp/attribute/{}/{}",
            indicator.kind().id(),
            indicator.value()
        );
        let mut attribute = attribute(case, &what, kind, category, indicator.value(), true);
        if let Some(comment) = indicator
            .comment
            .as_deref()
            .filter(|_| case.released.description)
        {
            attribute.insert("comment".to_owned(), json!(comment));
        }
        if !attributes
            .iter()
            .any(|a: &Map<String, Value>| a.get("uuid") == attribute.get("uuid"))
        {
            attributes.push(attribute);
        }
    }
    let organisation = case
        .released_organisation()
        .map(str::to_owned)
        .unwrap_or_else(|| {
            labels::anonymous_name(labels::sector(case.organisation.sector.as_deref())).to_owned()
        });
    let mut summary = attribute(
        case,
        "misp/attribute/summary",
        "text",
        "Other",
        &labels::summary(case, &organisation),
        false,
    );
    summary.insert(
        "comment".to_owned(),
        json!("Podsumowanie sprawy (Rejestr72)"),
    );
    attributes.push(summary);
    let texts = [
        (
            "description",
            "Opis (udostępniony przez IOD)",
            case.released_description(),
        ),
        (
            "measures",
            "Środki zaradcze (udostępnione przez IOD)",
            case.released_measures(),
        ),
        (
            "notes",
            "Informacja IOD dla odbiorców",
            case.released_notes(),
        ),
    ];
    for (what, comment, text) in texts {
        let Some(text) = text else { continue };
        let mut attribute = attribute(
            case,
            &format!("misp/attribute/{what}"),
            "text",
            "Other",
            text,
            false,
        );
        attribute.insert("comment".to_owned(), json!(comment));
        attributes.push(attribute);
    }

    json!({
        "Event": {
            "uuid": case_uuid(case.case_id, "misp/event").to_string(),
            "info": labels::title(case),
            "date": date,
            "threat_level_id": threat_level(case.enisa_band),
            "analysis": if case.closed { "2" } else { "1" },
            "distribution": opts.tlp.misp_distribution(),
            "published": false,
            "timestamp": timestamp,
            "Tag": tags,
            "Attribute": attributes,
            "Object": [],
        }
    })
}

/// The MISP attributes an export of the case carries: one per distinct indicator, the summary,
/// and each released text.
pub fn misp_attribute_count(case: &ShareCase) -> usize {
    let mut indicators: Vec<(IndicatorKind, &str)> = case
        .indicators
        .iter()
        .map(|i| (i.kind(), i.value()))
        .collect();
    indicators.sort_unstable();
    indicators.dedup();
    let texts = [
        case.released_description(),
        case.released_measures(),
        case.released_notes(),
    ];
    indicators.len() + 1 + texts.iter().flatten().count()
}

fn attribute(
    case: &ShareCase,
    what: &str,
    kind: &str,
    category: &str,
    value: &str,
    to_ids: bool,
) -> Map<String, Value> {
    let timestamp = case
        .updated_at
        .max(case.reported_at)
        .timestamp()
        .to_string();
    let mut attribute = Map::new();
    attribute.insert(
        "uuid".to_owned(),
        json!(case_uuid(case.case_id, what).to_string()),
    );
    attribute.insert("type".to_owned(), json!(kind));
    attribute.insert("category".to_owned(), json!(category));
    attribute.insert("value".to_owned(), json!(value));
    attribute.insert("to_ids".to_owned(), json!(to_ids));
    attribute.insert("distribution".to_owned(), json!("5"));
    attribute.insert("timestamp".to_owned(), json!(timestamp));
    attribute.insert("disable_correlation".to_owned(), json!(!to_ids));
    attribute
}

/// The MISP attribute type and category of an indicator.
fn attribute_type(kind: IndicatorKind) -> (&'static str, &'static str) {
    match kind {
        IndicatorKind::Ipv4 | IndicatorKind::Ipv6 => ("ip-dst", "Network activity"),
        IndicatorKind::Domain => ("domain", "Network activity"),
        IndicatorKind::Url => ("url", "Network activity"),
        IndicatorKind::EmailSender => ("email-src", "Payload delivery"),
        IndicatorKind::Md5 => ("md5", "Payload delivery"),
        IndicatorKind::Sha1 => ("sha1", "Payload delivery"),
        IndicatorKind::Sha256 => ("sha256", "Payload delivery"),
        IndicatorKind::Filename => ("filename", "Payload delivery"),
    }
}

/// ENISA very high or high → 1 (High), medium → 2, low → 3, not assessed → 4 (Undefined).
fn threat_level(band: Option<Band>) -> &'static str {
    match band {
        Some(Band::VeryHigh | Band::High) => "1",
        Some(Band::Medium) => "2",
        Some(Band::Low) => "3",
        None => "4",
    }
}
