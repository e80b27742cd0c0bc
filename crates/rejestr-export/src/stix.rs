//! STIX 2.1 bundles: the TLP 2.0 marking, the reporting identity (anonymous unless released),
//! the incident with the Incident Core Extension, one impact per breached property, released
//! notes, and the indicators that `detected` the incident.
//!
//! The extension definitions are referenced by id, as the OASIS examples do, not copied.
//! No property is ever an empty string or an empty list.

use std::collections::BTreeSet;

use rejestr_risk::{Band, BreachType, Classification, Risk};
use serde_json::{Map, Value, json};

use crate::ids::{case_object, fixed_uuid, timestamp};
use crate::labels::{self, Cause};
use crate::{ExportOptions, Indicator, IndicatorKind, ShareCase};

/// The Incident Core Extension (v2.0 draft), a property extension of `incident`.
pub const INCIDENT_CORE_EXTENSION: &str =
    "extension-definition--ef765651-680c-498d-9894-99799f2fa126";

/// The Impact extension (v1.0 draft), a new SDO `impact`.
pub const IMPACT_EXTENSION: &str = "extension-definition--7cc33dd6-f6a1-489b-98ea-522d351d71b9";

/// The `created` and `modified` of the identities: they describe the organisation, not a case,
/// and must not change from one export to the next.
const IDENTITY_CREATED: &str = "2026-01-01T00:00:00.000Z";

/// A bundle of the cases under one TLP marking. Objects shared by several cases (the marking,
/// an identity) appear once.
pub fn stix_bundle(cases: &[ShareCase], opts: &ExportOptions) -> Value {
    let marking = opts.tlp.stix_marking_id();
    let mut objects = vec![opts.tlp.stix_marking_definition()];
    if !cases.is_empty() {
        objects.extend(rejestr72_definition(marking));
    }
    let mut seen = BTreeSet::new();
    for case in cases {
        for object in case_objects(case, marking) {
            let id = object["id"].as_str().unwrap_or_default().to_owned();
            if seen.insert(id) {
                objects.push(object);
            }
        }
    }
    json!({
        "type": "bundle",
        "id": bundle_id(cases, opts),
        "objects": objects,
    })
}

fn bundle_id(cases: &[ShareCase], opts: &ExportOptions) -> String {
    let ids: BTreeSet<String> = cases.iter().map(|c| c.case_id.to_string()).collect();
    let ids: Vec<String> = ids.into_iter().collect();
    let seed = format!(
        "bundle/{}/{}/{}",
        opts.tlp.id(),
        timestamp(opts.created),
        ids.join(",")
    );
    format!("bundle--{}", fixed_uuid(&seed))
}

/// A JSON object that drops blank strings, empty lists and empty objects as they are set.
struct Object(Map<String, Value>);

impl Object {
    fn new() -> Self {
        Object(Map::new())
    }

    fn set(&mut self, key: &str, value: impl Into<Value>) -> &mut Self {
        let value = value.into();
        let empty = match &value {
            Value::Null => true,
            Value::String(s) => s.trim().is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            Value::Bool(_) | Value::Number(_) => false,
        };
        if !empty {
            self.0.insert(key.to_owned(), value);
        }
        self
    }

    fn value(self) -> Value {
        Value::Object(self.0)
    }
}

/// The common properties of an SDO or SRO.
fn sdo(stix_type: &str, id: &str, created: &str, modified: &str, marking: &str) -> Object {
    let mut object = Object::new();
    object
        .set("type", stix_type)
        .set("spec_version", "2.1")
        .set("id", id)
        .set("created", created)
        .set("modified", modified)
        .set("object_marking_refs", json!([marking]));
    object
}

fn case_objects(case: &ShareCase, marking: &str) -> Vec<Value> {
    let created = timestamp(case.reported_at);
    let modified = timestamp(case.updated_at.max(case.reported_at));
    let (identity_id, identity) = identity(case, marking);
    let incident_id = case_object("incident", case.case_id, "incident");
    let mut objects = vec![identity];

    let mut incident = sdo("incident", &incident_id, &created, &modified, marking);
    incident
        .set("created_by_ref", identity_id.as_str())
        .set("name", labels::title(case))
        .set("description", case.released_description())
        .set(
            "extensions",
            json!({
                INCIDENT_CORE_EXTENSION: incident_core(case),
                rejestr72_extension_id(): { "extension_type": "toplevel-property-extension" },
            }),
        );
    custom_properties(case, &mut incident);
    objects.push(incident.value());

    for breach_type in case.breach_types() {
        let what = labels::breach_type_id(breach_type);
        let id = case_object("impact", case.case_id, what);
        let mut impact = sdo("impact", &id, &created, &modified, marking);
        impact
            .set("created_by_ref", identity_id.as_str())
            .set("incident_ref", incident_id.as_str())
            .set("impact_details", impact_details(case, breach_type))
            .set("criticality", criticality(case))
            .set("impacted_entity_counts", individuals(case))
            .set(
                "extensions",
                json!({ IMPACT_EXTENSION: { "extension_type": "new-sdo" } }),
            );
        objects.push(impact.value());
    }

    let notes = [
        (
            "measures",
            "Środki zaradcze (udostępnione przez IOD)",
            case.released_measures(),
        ),
        (
            "released-notes",
            "Informacja IOD dla odbiorców",
            case.released_notes(),
        ),
    ];
    for (what, abstract_pl, content) in notes {
        let Some(content) = content else { continue };
        let id = case_object("note", case.case_id, what);
        let mut note = sdo("note", &id, &modified, &modified, marking);
        note.set("created_by_ref", identity_id.as_str())
            .set("abstract", abstract_pl)
            .set("content", content)
            .set("object_refs", json!([incident_id]));
        objects.push(note.value());
    }

    let valid_from = timestamp(
        case.occurred_at
            .or(case.detected_at)
            .unwrap_or(case.reported_at),
    );
    for indicator in &case.indicators {
        let what = format!("{}/{}", indicator.kind().id(), indicator.value());
        let id = case_object("indicator", case.case_id, &what);
        let mut object = sdo("indicator", &id, &created, &modified, marking);
        object
            .set("created_by_ref", identity_id.as_str())
            .set(
                "name",
                format!("{}: {}", indicator.kind().label_pl(), indicator.defanged()),
            )
            .set("description", indicator_description(case, indicator))
            .set("indicator_types", json!(["malicious-activity"]))
            .set("pattern", pattern(indicator))
            .set("pattern_type", "stix")
            .set("pattern_version", "2.1")
            .set("valid_from", valid_from.as_str());
        objects.push(object.value());

        let relationship_id = case_object("relationship", case.case_id, &format!("{id}/detected"));
        let mut relationship = sdo(
            "relationship",
            &relationship_id,
            &created,
            &modified,
            marking,
        );
        relationship
            .set("created_by_ref", identity_id.as_str())
            .set("relationship_type", "detected")
            .set("source_ref", id.as_str())
            .set("target_ref", incident_id.as_str());
        objects.push(relationship.value());
    }
    objects
}

/// The id of Rejestr72's own property extension (the `x_rejestr72_*` properties).
pub fn rejestr72_extension_id() -> String {
    format!(
        "extension-definition--{}",
        fixed_uuid("extension-definition/x_rejestr72/1.0")
    )
}

/// The properties of [`rejestr72_extension_id`], all at the top level of `incident`.
const REJESTR72_PROPERTIES: [&str; 16] = [
    "x_rejestr72_case_number",
    "x_rejestr72_classification",
    "x_rejestr72_breach_types",
    "x_rejestr72_risk",
    "x_rejestr72_enisa_band",
    "x_rejestr72_malicious",
    "x_rejestr72_cause",
    "x_rejestr72_data_categories",
    "x_rejestr72_special_categories",
    "x_rejestr72_subjects_count",
    "x_rejestr72_records_count",
    "x_rejestr72_notified_sa",
    "x_rejestr72_notified_subjects",
    "x_rejestr72_occurred_at",
    "x_rejestr72_detected_at",
    "x_rejestr72_aware_at",
];

/// Rejestr72 (the system) and the definition of its top-level property extension, with the
/// schema as plain text (STIX 2.1 §7.3 allows either a URL or a text).
fn rejestr72_definition(marking: &str) -> [Value; 2] {
    let system_id = format!("identity--{}", fixed_uuid("identity/rejestr72"));
    let mut system = sdo(
        "identity",
        &system_id,
        IDENTITY_CREATED,
        IDENTITY_CREATED,
        marking,
    );
    system
        .set("name", "Rejestr72")
        .set(
            "description",
            "Rejestr incydentów i naruszeń ochrony danych osobowych jednostek publicznych.",
        )
        .set("identity_class", "system");
    let mut definition = sdo(
        "extension-definition",
        &rejestr72_extension_id(),
        IDENTITY_CREATED,
        IDENTITY_CREATED,
        marking,
    );
    definition
        .set("created_by_ref", system_id.as_str())
        .set("name", "Rejestr72 breach register properties")
        .set(
            "description",
            "Categories, counts, flags and times of a case in the Rejestr72 register; never personal data.",
        )
        .set("schema", REJESTR72_SCHEMA)
        .set("version", "1.0.0")
        .set("extension_types", json!(["toplevel-property-extension"]))
        .set("extension_properties", json!(REJESTR72_PROPERTIES));
    [system.value(), definition.value()]
}

const REJESTR72_SCHEMA: &str = "Top-level properties of incident, all optional: \
x_rejestr72_case_number (string, register number such as 0042/2026); \
x_rejestr72_classification (not_an_incident | security_incident | personal_data_breach); \
x_rejestr72_breach_types (list of confidentiality | integrity | availability); \
x_rejestr72_risk (none | risk | high, EDPB 9/2022); \
x_rejestr72_enisa_band (low | medium | high | very_high, ENISA 2013); \
x_rejestr72_malicious (boolean); \
x_rejestr72_cause (ransomware | malware | phishing | unauthorised_access | ddos | misdirected_mail | lost_device | stolen_device | insider | human_error | system_failure | other); \
x_rejestr72_data_categories (list of Facts v1 data category ids); \
x_rejestr72_special_categories (boolean, GDPR art. 9 or 10 data affected); \
x_rejestr72_subjects_count, x_rejestr72_records_count (integers); \
x_rejestr72_notified_sa (boolean, Prezes UODO notified, GDPR art. 33); \
x_rejestr72_notified_subjects (boolean, data subjects informed, GDPR art. 34); \
x_rejestr72_occurred_at, x_rejestr72_detected_at, x_rejestr72_aware_at (timestamps).";

/// A description built from the case's categories; the analyst's comment is added only with
/// a released description.
fn indicator_description(case: &ShareCase, indicator: &Indicator) -> String {
    let number = labels::case_number(&case.number).unwrap_or("(bez numeru)");
    let mut text = format!("{} ze sprawy R72 {number}", indicator.kind().label_pl());
    if let Some(cause) = Cause::of(case.cause.as_deref()) {
        text.push_str(&format!(" (przyczyna: {})", cause.label_pl));
    }
    text.push('.');
    if let Some(comment) = indicator
        .comment
        .as_deref()
        .filter(|_| case.released.description)
    {
        text.push_str(&format!(" {comment}"));
    }
    text
}

/// The reporting identity: the organisation when released, otherwise the anonymous identity of
/// its sector (the same for every office of the sector).
fn identity(case: &ShareCase, marking: &str) -> (String, Value) {
    let sector = labels::sector(case.organisation.sector.as_deref());
    let (id, name, description) = match case.released_organisation() {
        Some(name) => (
            format!(
                "identity--{}",
                fixed_uuid(&format!("identity/organisation/{}", case.organisation.id))
            ),
            name.to_owned(),
            None,
        ),
        None => (
            format!(
                "identity--{}",
                fixed_uuid(&format!("identity/anonymous/{sector}"))
            ),
            labels::anonymous_name(sector).to_owned(),
            Some("Podmiot zgłaszający nie jest ujawniany (eksport pseudonimizowany)."),
        ),
    };
    let mut identity = sdo("identity", &id, IDENTITY_CREATED, IDENTITY_CREATED, marking);
    identity
        .set("name", name)
        .set("description", description)
        .set("identity_class", "organization")
        .set("sectors", json!([sector]));
    (id, identity.value())
}

fn incident_core(case: &ShareCase) -> Value {
    let cause = Cause::of(case.cause.as_deref());
    let mut ext = Object::new();
    ext.set("extension_type", "property-extension")
        .set("determination", determination(case))
        .set("investigation_status", investigation_status(case))
        .set("criticality", criticality(case))
        .set(
            "incident_types",
            json!(cause.map(|c| c.incident_types).unwrap_or_default()),
        )
        .set(
            "detection_methods",
            json!(cause.map(|c| c.detection_methods).unwrap_or_default()),
        )
        .set("impacted_entity_counts", individuals(case));
    if let Some(score) = case.enisa_score.filter(|s| s.is_finite()) {
        let description = match case.enisa_band {
            Some(band) => format!(
                "ENISA 2013: SE = DPC × EI + CB; pasmo: {} ({})",
                labels::band_pl(band),
                labels::band_id(band)
            ),
            None => "ENISA 2013: SE = DPC × EI + CB".to_owned(),
        };
        ext.set(
            "scores",
            json!([{ "name": "ENISA SE 2013", "value": score, "description": description }]),
        );
    }
    ext.value()
}

/// Incident Core Extension `determination`.
fn determination(case: &ShareCase) -> &'static str {
    match case.classification {
        None => "suspected",
        Some(Classification::NotAnIncident) => "false-positive",
        Some(Classification::SecurityIncident) if case.breach_types.is_empty() => "failed-attempt",
        Some(_) => "successful-attempt",
    }
}

fn investigation_status(case: &ShareCase) -> &'static str {
    if case.closed {
        "closed"
    } else if case.classification.is_none() {
        "new"
    } else {
        "open"
    }
}

/// Criticality (0–100) on the extension's five-level scale (Appendix A): a false positive 0,
/// no risk 15 (low), a risk 40 (moderate), a high risk 70 (high), a high risk in the ENISA
/// "very high" band 95 (extreme). Unknown until assessed.
fn criticality(case: &ShareCase) -> Option<u8> {
    if case.classification == Some(Classification::NotAnIncident) {
        return Some(0);
    }
    Some(match case.risk? {
        Risk::None => 15,
        Risk::Risk => 40,
        Risk::High if case.enisa_band == Some(Band::VeryHigh) => 95,
        Risk::High => 70,
    })
}

/// `{"individual": n}` when people are affected.
fn individuals(case: &ShareCase) -> Value {
    match case.subjects_count.filter(|n| *n > 0) {
        Some(n) if case.personal() => json!({ "individual": n }),
        _ => Value::Null,
    }
}

fn impact_details(case: &ShareCase, breach_type: BreachType) -> Value {
    let information_type = if case.personal() {
        "pii"
    } else {
        "proprietary"
    };
    let records = case.records_count.filter(|n| *n > 0);
    let mut details = Object::new();
    details.set("impact_category", labels::breach_type_id(breach_type));
    match breach_type {
        BreachType::Confidentiality => {
            // A personal-data breach of confidentiality is a confirmed loss; anything short
            // of that assessment is suspected.
            let loss = if case.classification == Some(Classification::PersonalDataBreach) {
                "confirmed-loss"
            } else {
                "suspected-loss"
            };
            details
                .set("information_type", information_type)
                .set("loss_type", loss)
                .set("record_count", records);
        }
        BreachType::Integrity => {
            // The register does not record how far the data were altered.
            details
                .set("alteration", "potential-modification")
                .set("information_type", information_type)
                .set("record_count", records);
        }
        // How much availability was lost is not recorded; the category alone is stated.
        BreachType::Availability => {}
    }
    details.value()
}

/// `x_rejestr72_*`: what the extensions have no place for. Categories and flags only.
fn custom_properties(case: &ShareCase, incident: &mut Object) {
    let times = [
        ("x_rejestr72_occurred_at", case.occurred_at),
        ("x_rejestr72_detected_at", case.detected_at),
        ("x_rejestr72_aware_at", case.aware_at),
    ];
    incident
        .set("x_rejestr72_case_number", labels::case_number(&case.number))
        .set(
            "x_rejestr72_classification",
            case.classification.map(|c| c.as_str()),
        )
        .set(
            "x_rejestr72_breach_types",
            json!(
                case.breach_types()
                    .into_iter()
                    .map(labels::breach_type_id)
                    .collect::<Vec<_>>()
            ),
        )
        .set("x_rejestr72_risk", case.risk.map(|r| r.as_str()))
        .set(
            "x_rejestr72_enisa_band",
            case.enisa_band.map(labels::band_id),
        )
        .set("x_rejestr72_malicious", case.malicious)
        .set(
            "x_rejestr72_cause",
            Cause::of(case.cause.as_deref()).map(|c| c.id),
        )
        .set("x_rejestr72_data_categories", json!(case.category_ids()))
        .set("x_rejestr72_special_categories", case.special_categories())
        .set("x_rejestr72_subjects_count", case.subjects_count)
        .set("x_rejestr72_records_count", case.records_count)
        .set("x_rejestr72_notified_sa", case.notified_sa)
        .set("x_rejestr72_notified_subjects", case.notified_subjects);
    for (key, time) in times {
        incident.set(key, time.map(timestamp));
    }
}

/// The STIX pattern of an indicator; quotes and backslashes in the value are escaped.
pub(crate) fn pattern(indicator: &Indicator) -> String {
    let value = indicator.value().replace('\\', "\\\\").replace('\'', "\\'");
    let path = match indicator.kind() {
        IndicatorKind::Ipv4 => "ipv4-addr:value",
        IndicatorKind::Ipv6 => "ipv6-addr:value",
        IndicatorKind::Domain => "domain-name:value",
        IndicatorKind::Url => "url:value",
        IndicatorKind::EmailSender => "email-message:from_ref.value",
        IndicatorKind::Md5 => "file:hashes.MD5",
        IndicatorKind::Sha1 => "file:hashes.'SHA-1'",
        IndicatorKind::Sha256 => "file:hashes.'SHA-256'",
        IndicatorKind::Filename => "file:name",
    };
    format!("[{path} = '{value}']")
}
