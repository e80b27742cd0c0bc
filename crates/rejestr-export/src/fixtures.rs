//! Synthetic cases for tests, the golden files and `examples/generate.rs`: every kind of case
//! an office shares, every indicator kind. Invented; no real person or office.

use chrono::{DateTime, Duration, TimeZone, Utc};
use rejestr_risk::{Band, BreachType, Classification, DataCategory as D, Risk};
use uuid::Uuid;

use crate::{Indicator, IndicatorKind as K, Released, ShareCase, ShareOrg};

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// Indicators for fixtures; a value that does not parse is skipped (the fixtures are checked
/// by the tests, which count them).
fn indicators(list: &[(K, &str, Option<&str>)]) -> Vec<Indicator> {
    list.iter()
        .filter_map(|(kind, value, comment)| {
            Indicator::new(*kind, value)
                .ok()
                .map(|i| i.with_comment(comment.map(str::to_owned)))
        })
        .collect()
}

fn organisation(n: u128, name: &str, sector: Option<&str>) -> ShareOrg {
    ShareOrg {
        id: Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0000 | n),
        name: name.to_owned(),
        sector: sector.map(str::to_owned),
    }
}

/// A personal-data breach of confidentiality, assessed, open; the base of the others.
fn base(n: u128, number: &str) -> ShareCase {
    ShareCase {
        case_id: Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_1000 | n),
        number: number.to_owned(),
        organisation: organisation(1, "Urząd Gminy Przykładowo", Some("government-local")),
        reported_at: at(2, 9),
        occurred_at: Some(at(1, 22)),
        detected_at: Some(at(2, 7)),
        aware_at: Some(at(2, 8)),
        updated_at: at(3, 15),
        classification: Some(Classification::PersonalDataBreach),
        breach_types: vec![BreachType::Confidentiality],
        risk: Some(Risk::Risk),
        enisa_band: Some(Band::Medium),
        enisa_score: Some(2.25),
        malicious: Some(false),
        cause: None,
        data_categories: vec![D::Identity, D::Contact],
        subjects_count: Some(1),
        records_count: None,
        notified_sa: false,
        notified_subjects: false,
        closed: false,
        indicators: Vec::new(),
        description: "Opis zdarzenia wewnętrzny, nieudostępniony.".to_owned(),
        measures: None,
        released: Released::default(),
    }
}

/// Ransomware on the file server: names, contact data and PESEL of 1,200 residents encrypted
/// and probably exfiltrated; the office is named (released).
pub fn ransomware() -> ShareCase {
    ShareCase {
        breach_types: vec![BreachType::Confidentiality, BreachType::Availability],
        risk: Some(Risk::High),
        enisa_band: Some(Band::High),
        enisa_score: Some(3.25),
        malicious: Some(true),
        cause: Some("ransomware".to_owned()),
        data_categories: vec![D::Identity, D::Contact, D::NationalId],
        subjects_count: Some(1200),
        records_count: Some(3400),
        notified_sa: true,
        indicators: indicators(&[
            (K::Ipv4, "203.0.113[.]7", Some("serwer C2")),
            (
                K::Sha256,
                "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
                None,
            ),
            (K::Domain, "okup-dane[.]example", None),
        ]),
        released: Released {
            organisation: true,
            ..Released::default()
        },
        ..base(1, "0042/2026")
    }
}

/// Phishing: a clerk's mailbox taken over through a fake login page; every network indicator.
pub fn phishing() -> ShareCase {
    ShareCase {
        malicious: Some(true),
        cause: Some("phishing".to_owned()),
        data_categories: vec![
            D::Identity,
            D::Contact,
            D::Credentials,
            D::CommunicationsContent,
        ],
        subjects_count: Some(85),
        indicators: indicators(&[
            (K::EmailSender, "faktury[@]zly-serwer[.]example", None),
            (
                K::Url,
                "hxxps://zly-serwer[.]example/logowanie?gmina=1",
                None,
            ),
            (K::Domain, "zly-serwer.example", None),
            (K::Ipv4, "198.51.100.23", None),
        ]),
        ..base(2, "0043/2026")
    }
}

/// A decision letter sent to the wrong address: one person, low severity, no risk.
pub fn misdirected_letter() -> ShareCase {
    ShareCase {
        risk: Some(Risk::None),
        enisa_band: Some(Band::Low),
        enisa_score: Some(1.25),
        cause: Some("misdirected_mail".to_owned()),
        data_categories: vec![D::Identity, D::Contact, D::SocialWelfare],
        ..base(3, "0044/2026")
    }
}

/// A laptop lost on a train; the disk was encrypted, the key was safe.
pub fn lost_laptop() -> ShareCase {
    ShareCase {
        risk: Some(Risk::None),
        enisa_band: Some(Band::Low),
        enisa_score: Some(0.5),
        cause: Some("lost_device".to_owned()),
        data_categories: vec![D::Identity, D::Employment],
        subjects_count: Some(40),
        records_count: Some(40),
        ..base(4, "0045/2026")
    }
}

/// Reported an hour ago, not assessed: no classification, no risk, nothing known but the time.
pub fn not_assessed() -> ShareCase {
    ShareCase {
        classification: None,
        breach_types: Vec::new(),
        risk: None,
        enisa_band: None,
        enisa_score: None,
        malicious: None,
        occurred_at: None,
        detected_at: None,
        aware_at: None,
        data_categories: Vec::new(),
        subjects_count: None,
        updated_at: at(2, 9),
        ..base(5, "0046/2026")
    }
}

/// A DDoS on the BIP: a security incident, no personal data; an IPv6 source.
pub fn security_incident() -> ShareCase {
    ShareCase {
        classification: Some(Classification::SecurityIncident),
        breach_types: vec![BreachType::Availability],
        risk: Some(Risk::None),
        enisa_band: None,
        enisa_score: None,
        malicious: Some(true),
        cause: Some("ddos".to_owned()),
        data_categories: Vec::new(),
        subjects_count: None,
        indicators: indicators(&[(K::Ipv6, "2001:DB8:0:0::17", None)]),
        ..base(6, "0047/2026")
    }
}

/// A closed case: records altered by mistake and restored; notified, done.
pub fn closed() -> ShareCase {
    ShareCase {
        breach_types: vec![BreachType::Integrity],
        cause: Some("human_error".to_owned()),
        data_categories: vec![D::Identity, D::Financial],
        subjects_count: Some(12),
        records_count: Some(12),
        notified_sa: true,
        closed: true,
        updated_at: at(20, 12),
        ..base(7, "0048/2026")
    }
}

/// Health and social-welfare data of a social-welfare centre's clients exposed; very high.
pub fn special_categories() -> ShareCase {
    ShareCase {
        organisation: organisation(
            2,
            "Miejski Ośrodek Pomocy Społecznej",
            Some("pomoc społeczna"),
        ),
        risk: Some(Risk::High),
        enisa_band: Some(Band::VeryHigh),
        enisa_score: Some(4.5),
        malicious: Some(true),
        cause: Some("unauthorised_access".to_owned()),
        data_categories: vec![D::Identity, D::Health, D::SpecialCategory, D::SocialWelfare],
        subjects_count: Some(310),
        notified_sa: true,
        notified_subjects: true,
        ..base(8, "0049/2026")
    }
}

/// Malware from a fake invoice: every indicator kind, with quotes and a backslash to escape.
pub fn all_indicators() -> ShareCase {
    ShareCase {
        organisation: organisation(3, "Szkoła Podstawowa nr 1", Some("education")),
        breach_types: vec![
            BreachType::Confidentiality,
            BreachType::Integrity,
            BreachType::Availability,
        ],
        risk: Some(Risk::High),
        enisa_band: Some(Band::High),
        enisa_score: Some(3.0),
        malicious: Some(true),
        cause: Some("malware".to_owned()),
        data_categories: vec![D::Identity, D::Education, D::Image],
        subjects_count: Some(420),
        indicators: indicators(&[
            (K::Ipv4, "192.0.2.66", None),
            (K::Ipv6, "[2001:db8::66]", None),
            (K::Domain, "pobierz-fakture(.)example", None),
            (
                K::Url,
                r"hxxp://pobierz-fakture[.]example:8080/f/it's\here.php",
                None,
            ),
            (K::EmailSender, "ksiegowosc@pobierz-fakture.example", None),
            (K::Md5, "D41D8CD98F00B204E9800998ECF8427E", None),
            (K::Sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", None),
            (
                K::Sha256,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                None,
            ),
            (K::Filename, "Faktura 'pilna' 03-2026.pdf.exe", None),
        ]),
        ..base(9, "0050/2026")
    }
}

/// The IOD released everything: the description, the measures, the name and a note.
pub fn released() -> ShareCase {
    ShareCase {
        organisation: organisation(4, "Starostwo Powiatowe w Przykładowie", None),
        cause: Some("stolen_device".to_owned()),
        data_categories: vec![D::Identity, D::IdDocument],
        subjects_count: Some(3),
        description: "Skradziono teczkę z kopiami dowodów osobistych trzech interesantów."
            .to_owned(),
        measures: Some("Zgłoszono kradzież Policji; dokumenty zastrzeżono.".to_owned()),
        released: Released {
            description: true,
            measures: true,
            organisation: true,
            notes: Some("Prosimy o sygnał, jeśli dokumenty pojawią się w obiegu.".to_owned()),
        },
        ..base(10, "0051/2026")
    }
}

/// Not an incident after all (a false alarm); closed.
pub fn false_alarm() -> ShareCase {
    ShareCase {
        classification: Some(Classification::NotAnIncident),
        breach_types: Vec::new(),
        risk: Some(Risk::None),
        enisa_band: None,
        enisa_score: None,
        data_categories: Vec::new(),
        subjects_count: None,
        closed: true,
        updated_at: at(2, 12) + Duration::milliseconds(250),
        ..base(11, "0052/2026")
    }
}

/// Every fixture, with a short name for file names.
pub fn sample_cases() -> Vec<(&'static str, ShareCase)> {
    vec![
        ("ransomware", ransomware()),
        ("phishing", phishing()),
        ("misdirected-letter", misdirected_letter()),
        ("lost-laptop", lost_laptop()),
        ("not-assessed", not_assessed()),
        ("security-incident", security_incident()),
        ("closed", closed()),
        ("special-categories", special_categories()),
        ("all-indicators", all_indicators()),
        ("released", released()),
        ("false-alarm", false_alarm()),
    ]
}
