//! The exports: golden files, what must never leave, determinism, the TLP markings.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use rejestr_export::{
    ExportOptions, Indicator, IndicatorKind, Released, ShareCase, Tlp, fixtures,
    misp_attribute_count, misp_event, stix_bundle,
};
use serde_json::Value;

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Compares with the stored export; `UPDATE_GOLDEN=1` rewrites the files instead.
fn golden(name: &str, actual: &Value) {
    let actual = serde_json::to_string_pretty(actual).unwrap() + "\n";
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    assert!(
        expected == actual,
        "{name} differs from its golden file:\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

fn opts(tlp: Tlp) -> ExportOptions {
    ExportOptions {
        tlp,
        created: Utc.with_ymd_and_hms(2026, 3, 21, 10, 0, 0).unwrap(),
    }
}

#[test]
fn three_representative_cases_match_their_golden_exports() {
    let ransomware = fixtures::ransomware();
    golden(
        "ransomware.stix.json",
        &stix_bundle(std::slice::from_ref(&ransomware), &opts(Tlp::Amber)),
    );
    golden(
        "ransomware.misp.json",
        &misp_event(&ransomware, &opts(Tlp::Amber)),
    );
    let not_assessed = fixtures::not_assessed();
    golden(
        "not-assessed.stix.json",
        &stix_bundle(std::slice::from_ref(&not_assessed), &opts(Tlp::Green)),
    );
    golden(
        "not-assessed.misp.json",
        &misp_event(&not_assessed, &opts(Tlp::Green)),
    );
    let released = fixtures::released();
    golden(
        "released.stix.json",
        &stix_bundle(std::slice::from_ref(&released), &opts(Tlp::Red)),
    );
    golden(
        "released.misp.json",
        &misp_event(&released, &opts(Tlp::Red)),
    );
}

const NAME: &str = "Anna Kowalska";
const EMAIL: &str = "anna.kowalska@example.pl";
const PESEL: &str = "85010112345";
const PHONE: &str = "+48 601 234 567";

/// A case with personal data seeded into the free text and into every field a careless
/// exporter might copy.
fn seeded() -> ShareCase {
    let mut case = fixtures::phishing();
    case.description = format!(
        "{NAME} (PESEL {PESEL}, tel. {PHONE}, {EMAIL}) kliknęła link w fałszywej fakturze \
         i podała hasło do skrzynki wydziału podatków."
    );
    case.measures = Some(format!(
        "Zmieniono hasło; zadzwoniono do: {NAME}, {PHONE}; wysłano pismo na {EMAIL}."
    ));
    case.cause = Some(format!("{NAME} kliknęła w link"));
    case.number = format!("0043/2026 {NAME}");
    case.organisation.name = format!("Urząd Gminy, sekretariat: {NAME}");
    case.organisation.sector = Some(EMAIL.to_owned());
    case.indicators = vec![
        Indicator::new(IndicatorKind::Domain, "zly-serwer[.]example")
            .unwrap()
            .with_comment(Some(format!("zgłosiła {NAME}, PESEL {PESEL}"))),
    ];
    case.released = Released::default();
    case
}

fn exports(case: &ShareCase) -> Vec<(Tlp, String)> {
    Tlp::ALL
        .into_iter()
        .flat_map(|tlp| {
            [
                serde_json::to_string(&stix_bundle(std::slice::from_ref(case), &opts(tlp)))
                    .unwrap(),
                serde_json::to_string(&misp_event(case, &opts(tlp))).unwrap(),
            ]
            .map(|text| (tlp, text))
        })
        .collect()
}

/// Every run of 12 characters of the text.
fn windows(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(12).map(|w| w.iter().collect()).collect()
}

#[test]
fn nothing_personal_or_unreleased_leaves_by_default() {
    let case = seeded();
    let secrets = [
        NAME,
        "Kowalsk",
        EMAIL,
        PESEL,
        PHONE,
        "601 234",
        "sekretariat",
    ];
    let mut free_text = windows(&case.description);
    free_text.extend(windows(case.measures.as_deref().unwrap()));
    for (tlp, text) in exports(&case) {
        for secret in secrets {
            assert!(!text.contains(secret), "{tlp}: `{secret}` leaked:\n{text}");
        }
        for window in &free_text {
            assert!(!text.contains(window.as_str()), "{tlp}: `{window}` leaked");
        }
        // The free-text cause reads as `other`; the number that is not a number is dropped.
        assert!(
            text.contains("other") || text.contains("inna przyczyna"),
            "{text}"
        );
        assert!(text.contains("(bez numeru)"), "{text}");
        // The indicator itself is shared.
        assert!(text.contains("zly-serwer.example"), "{text}");
    }
}

#[test]
fn what_the_iod_releases_does_leave() {
    let mut case = seeded();
    case.released = Released {
        description: true,
        measures: true,
        organisation: true,
        notes: Some("Uwaga na faktury z domeny zly-serwer.example.".to_owned()),
    };
    let measures = case.measures.clone().unwrap();
    for (tlp, text) in exports(&case) {
        assert!(
            text.contains(&case.description),
            "{tlp}: description missing"
        );
        assert!(text.contains(&measures), "{tlp}: measures missing");
        assert!(
            text.contains(&case.organisation.name),
            "{tlp}: organisation missing"
        );
        assert!(text.contains("Uwaga na faktury"), "{tlp}: note missing");
        assert!(
            text.contains(PESEL),
            "{tlp}: the released comment is missing"
        );
    }
    // Released one by one: the description alone does not release the measures.
    case.released = Released {
        description: true,
        ..Released::default()
    };
    for (tlp, text) in exports(&case) {
        assert!(text.contains(&case.description), "{tlp}");
        assert!(!text.contains(&measures), "{tlp}");
        assert!(!text.contains(&case.organisation.name), "{tlp}");
    }
}

#[test]
fn the_anonymous_identity_does_not_link_two_offices() {
    let identity = |case: &ShareCase| {
        let bundle = stix_bundle(std::slice::from_ref(case), &opts(Tlp::Green));
        let incident = objects(&bundle, "incident").remove(0);
        incident["created_by_ref"].as_str().unwrap().to_owned()
    };
    let one = fixtures::misdirected_letter();
    let mut other = fixtures::lost_laptop();
    other.organisation.id = uuid::Uuid::from_u128(99);
    other.organisation.name = "Urząd Miasta Inne".to_owned();
    assert_eq!(identity(&one), identity(&other));
    assert!(!identity(&one).contains(&one.organisation.id.to_string()));
    // Released, each office has its own identity.
    let mut one = one;
    one.released.organisation = true;
    other.released.organisation = true;
    assert_ne!(identity(&one), identity(&other));
}

fn objects(bundle: &Value, stix_type: &str) -> Vec<Value> {
    bundle["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["type"] == stix_type)
        .cloned()
        .collect()
}

#[test]
fn the_same_input_gives_the_same_bytes_and_the_same_ids() {
    let cases: Vec<ShareCase> = fixtures::sample_cases()
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    for tlp in Tlp::ALL {
        let a = serde_json::to_string(&stix_bundle(&cases, &opts(tlp))).unwrap();
        let b = serde_json::to_string(&stix_bundle(&cases.clone(), &opts(tlp))).unwrap();
        assert_eq!(a, b);
        for case in &cases {
            let a = serde_json::to_string(&misp_event(case, &opts(tlp))).unwrap();
            let b = serde_json::to_string(&misp_event(&case.clone(), &opts(tlp))).unwrap();
            assert_eq!(a, b);
        }
    }
    // The order of the cases does not change the bundle id; the TLP and the time do, the ids of
    // the objects do not.
    let mut reversed = cases.clone();
    reversed.reverse();
    let first = stix_bundle(&cases, &opts(Tlp::Amber));
    assert_eq!(first["id"], stix_bundle(&reversed, &opts(Tlp::Amber))["id"]);
    let red = stix_bundle(&cases, &opts(Tlp::Red));
    assert_ne!(first["id"], red["id"]);
    let later = ExportOptions {
        created: opts(Tlp::Amber).created + chrono::Duration::hours(1),
        ..opts(Tlp::Amber)
    };
    assert_ne!(first["id"], stix_bundle(&cases, &later)["id"]);
    let ids = |b: &Value| -> Vec<Value> {
        objects(b, "incident")
            .into_iter()
            .map(|o| o["id"].clone())
            .collect()
    };
    assert_eq!(ids(&first), ids(&red));
}

/// The OASIS TLP 2.0 marking definitions (domain.md §6.1).
#[test]
fn every_tlp_maps_to_its_official_marking_and_tag() {
    let table = [
        (
            Tlp::Clear,
            "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
            "TLP:CLEAR",
            "clear",
            "tlp:clear",
            "3",
        ),
        (
            Tlp::Green,
            "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
            "TLP:GREEN",
            "green",
            "tlp:green",
            "1",
        ),
        (
            Tlp::Amber,
            "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
            "TLP:AMBER",
            "amber",
            "tlp:amber",
            "0",
        ),
        (
            Tlp::AmberStrict,
            "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
            "TLP:AMBER+STRICT",
            "amber+strict",
            "tlp:amber+strict",
            "0",
        ),
        (
            Tlp::Red,
            "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
            "TLP:RED",
            "red",
            "tlp:red",
            "0",
        ),
    ];
    let case = fixtures::ransomware();
    for (tlp, id, name, tlp_2_0, tag, distribution) in table {
        assert_eq!(tlp.stix_marking_id(), id);
        assert_eq!(tlp.to_string(), tlp_2_0);
        assert_eq!(tlp_2_0.parse::<Tlp>(), Ok(tlp));
        assert!(!tlp.label_pl().is_empty());
        let bundle = stix_bundle(std::slice::from_ref(&case), &opts(tlp));
        let markings = objects(&bundle, "marking-definition");
        assert_eq!(markings.len(), 1);
        let marking = &markings[0];
        assert_eq!(marking["id"], id);
        assert_eq!(marking["name"], name);
        assert_eq!(marking["created"], "2022-10-01T00:00:00.000Z");
        let ext =
            &marking["extensions"]["extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"];
        assert_eq!(ext["extension_type"], "property-extension");
        assert_eq!(ext["tlp_2_0"], tlp_2_0);
        for object in bundle["objects"].as_array().unwrap() {
            if object["type"] != "marking-definition" {
                assert_eq!(object["object_marking_refs"], serde_json::json!([id]));
            }
        }
        let event = misp_event(&case, &opts(tlp));
        assert_eq!(event["Event"]["Tag"][0]["name"], tag);
        assert_eq!(event["Event"]["distribution"], distribution);
    }
    // The one wrong AMBER+STRICT id seen in the wild is not ours.
    assert!(
        !Tlp::AmberStrict
            .stix_marking_id()
            .ends_with("a254-099d340a1628")
    );
}

/// No blank strings or empty lists or objects anywhere; timestamps in milliseconds with `Z`.
fn check_clean(path: &str, value: &Value) {
    match value {
        Value::String(s) => {
            assert!(!s.trim().is_empty(), "{path}: blank string");
            let key = path.rsplit('.').next().unwrap_or_default();
            if ["created", "modified", "valid_from"].contains(&key) || key.ends_with("_at") {
                assert!(
                    s.len() == 24 && s.ends_with('Z') && s.as_bytes()[19] == b'.',
                    "{path}: {s}"
                );
            }
        }
        Value::Array(items) => {
            assert!(!items.is_empty(), "{path}: empty list");
            for (i, item) in items.iter().enumerate() {
                check_clean(&format!("{path}[{i}]"), item);
            }
        }
        Value::Object(map) => {
            assert!(!map.is_empty(), "{path}: empty object");
            for (k, v) in map {
                check_clean(&format!("{path}.{k}"), v);
            }
        }
        Value::Null => panic!("{path}: null"),
        Value::Bool(_) | Value::Number(_) => {}
    }
}

#[test]
fn stix_has_no_empty_values_and_millisecond_timestamps() {
    for (name, case) in fixtures::sample_cases() {
        for tlp in Tlp::ALL {
            check_clean(name, &stix_bundle(std::slice::from_ref(&case), &opts(tlp)));
        }
    }
}

#[test]
fn the_incident_carries_the_assessment_through_the_extensions() {
    let bundle = stix_bundle(&[fixtures::ransomware()], &opts(Tlp::Amber));
    let incident = objects(&bundle, "incident").remove(0);
    assert_eq!(
        incident["name"],
        "R72 0042/2026: ransomware — naruszenie ochrony danych osobowych"
    );
    let core =
        &incident["extensions"]["extension-definition--ef765651-680c-498d-9894-99799f2fa126"];
    assert_eq!(core["determination"], "successful-attempt");
    assert_eq!(core["investigation_status"], "open");
    assert_eq!(core["criticality"], 70);
    assert_eq!(core["impacted_entity_counts"]["individual"], 1200);
    assert_eq!(core["detection_methods"][0], "message-from-attacker");
    assert_eq!(core["scores"][0]["name"], "ENISA SE 2013");
    assert_eq!(core["scores"][0]["value"], 3.25);
    let impacts = objects(&bundle, "impact");
    assert_eq!(impacts.len(), 2);
    assert_eq!(impacts[0]["impact_details"]["information_type"], "pii");
    assert_eq!(impacts[0]["impact_details"]["record_count"], 3400);
    assert_eq!(
        impacts[1]["impact_details"]["impact_category"],
        "availability"
    );
    assert_eq!(objects(&bundle, "indicator").len(), 3);
    let relationships = objects(&bundle, "relationship");
    assert!(
        relationships
            .iter()
            .all(|r| r["relationship_type"] == "detected" && r["target_ref"] == incident["id"])
    );

    let not_assessed = stix_bundle(&[fixtures::not_assessed()], &opts(Tlp::Amber));
    let incident = objects(&not_assessed, "incident").remove(0);
    let core =
        &incident["extensions"]["extension-definition--ef765651-680c-498d-9894-99799f2fa126"];
    assert_eq!(core["determination"], "suspected");
    assert_eq!(core["investigation_status"], "new");
    assert!(core.get("criticality").is_none());
    assert!(objects(&not_assessed, "impact").is_empty());
}

#[test]
fn stix_patterns_escape_quotes_and_backslashes() {
    let bundle = stix_bundle(&[fixtures::all_indicators()], &opts(Tlp::Amber));
    let patterns: Vec<String> = objects(&bundle, "indicator")
        .iter()
        .map(|i| i["pattern"].as_str().unwrap().to_owned())
        .collect();
    for wanted in [
        "[ipv4-addr:value = '192.0.2.66']",
        "[ipv6-addr:value = '2001:db8::66']",
        "[domain-name:value = 'pobierz-fakture.example']",
        r"[url:value = 'http://pobierz-fakture.example:8080/f/it\'s\\here.php']",
        "[email-message:from_ref.value = 'ksiegowosc@pobierz-fakture.example']",
        "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']",
        "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
        "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
        r"[file:name = 'Faktura \'pilna\' 03-2026.pdf.exe']",
    ] {
        assert!(
            patterns.iter().any(|p| p == wanted),
            "{wanted} not in {patterns:#?}"
        );
    }
}

#[test]
fn misp_events_map_severity_status_and_special_categories() {
    let event = misp_event(&fixtures::special_categories(), &opts(Tlp::Amber));
    let e = &event["Event"];
    assert_eq!(e["threat_level_id"], "1");
    assert_eq!(e["analysis"], "1");
    assert_eq!(e["published"], false);
    let tags: Vec<&str> = e["Tag"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["tlp:amber", "gdpr:special-categories"]);
    assert_eq!(
        misp_event(&fixtures::closed(), &opts(Tlp::Amber))["Event"]["analysis"],
        "2"
    );
    assert_eq!(
        misp_event(&fixtures::not_assessed(), &opts(Tlp::Amber))["Event"]["threat_level_id"],
        "4"
    );
    let tags = &misp_event(&fixtures::ransomware(), &opts(Tlp::Amber))["Event"]["Tag"];
    assert_eq!(tags.as_array().unwrap().len(), 1);

    let case = fixtures::all_indicators();
    let event = misp_event(&case, &opts(Tlp::Clear));
    let attributes = event["Event"]["Attribute"].as_array().unwrap();
    assert_eq!(attributes.len(), misp_attribute_count(&case));
    assert_eq!(attributes.len(), 10);
    let types: Vec<&str> = attributes
        .iter()
        .map(|a| a["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "ip-dst",
            "ip-dst",
            "domain",
            "url",
            "email-src",
            "md5",
            "sha1",
            "sha256",
            "filename",
            "text"
        ]
    );
    assert!(attributes[..9].iter().all(|a| a["to_ids"] == true));
    assert_eq!(attributes[9]["to_ids"], false);
    assert!(event["Event"]["info"].as_str().unwrap().chars().count() <= 256);
}
