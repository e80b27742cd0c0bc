//! The demo organisations: realistic Polish data, so a newcomer sees a working register.

use chrono::{DateTime, Duration, Utc};
use rejestr_domain::org::{Csirt, KscStatus, OrgSlug, UnitType};
use rejestr_domain::role::Role;
use rejestr_intake::{OrgIntakePolicy, ReportInput, validate_report};
use rejestr_store::{NewOrganisation, NewUser, Organisation, Store};
use rejestr_web::hash_password;

pub const DEMO_SLUG: &str = "demo";
/// The demo accounts' password (demo data only; documented in the README).
pub const DEMO_PASSWORD: &str = "demo-rejestr72";
pub const DEMO_IOD: &str = "iod@przykladowo.example.pl";
pub const DEMO_AUDITOR: &str = "audytor@przykladowo.example.pl";

/// Creates the demo organisations and a few reports unless they exist. Returns the main demo
/// organisation.
pub async fn seed(store: &Store, now: DateTime<Utc>) -> anyhow::Result<Organisation> {
    if let Some(org) = store.organisation_by_slug(DEMO_SLUG).await? {
        return Ok(org);
    }
    let gmina = store
        .create_organisation(
            &NewOrganisation {
                slug: OrgSlug::parse(DEMO_SLUG)?,
                name: "Urząd Gminy Przykładowo".to_owned(),
                unit_type: UnitType::Gmina,
                regon: Some("311019674".to_owned()),
                address: "ul. Rynek 1, 99-999 Przykładowo".to_owned(),
                iod_name: "Katarzyna Wiśniewska".to_owned(),
                iod_email: "iod@przykladowo.example.pl".to_owned(),
                iod_phone: Some("+48 22 100 20 30".to_owned()),
                ksc_status: KscStatus::PublicEntity,
                csirt: Some(Csirt::Nask),
                allow_anonymous: true,
            },
            "system:demo",
            now,
        )
        .await?;
    let school = store
        .create_organisation(
            &NewOrganisation {
                slug: OrgSlug::parse("sp1-przykladowo")?,
                name: "Szkoła Podstawowa nr 1 im. Marii Konopnickiej w Przykładowie".to_owned(),
                unit_type: UnitType::JednostkaOrganizacyjna,
                regon: Some("451234562".to_owned()),
                address: "ul. Szkolna 5, 99-999 Przykładowo".to_owned(),
                iod_name: "Katarzyna Wiśniewska".to_owned(),
                iod_email: "iod@przykladowo.example.pl".to_owned(),
                iod_phone: None,
                ksc_status: KscStatus::PublicEntity,
                csirt: Some(Csirt::Nask),
                allow_anonymous: false,
            },
            "system:demo",
            now,
        )
        .await?;

    // One IOD serves both offices; an auditor may read the office's register.
    let hash = hash_password(DEMO_PASSWORD)?;
    let iod = store
        .create_user(
            &NewUser {
                email: DEMO_IOD.to_owned(),
                display_name: "Katarzyna Wiśniewska".to_owned(),
                password_hash: Some(hash.clone()),
            },
            now,
        )
        .await?;
    let auditor = store
        .create_user(
            &NewUser {
                email: DEMO_AUDITOR.to_owned(),
                display_name: "Marek Audytor".to_owned(),
                password_hash: Some(hash),
            },
            now,
        )
        .await?;
    for org in [&gmina, &school] {
        store
            .add_membership(&iod, org, Role::Iod, "system:demo", now)
            .await?;
    }
    store
        .add_membership(&auditor, &gmina, Role::Auditor, "system:demo", now)
        .await?;

    let at = |hours: i64| (now - Duration::hours(hours)).to_rfc3339();
    let reports = [
        ReportInput {
            description: "Pracownik referatu podatków wysłał e-mail z zestawieniem zaległości podatkowych \
                          (imiona, nazwiska, adresy i kwoty, ok. 40 osób) do niewłaściwego adresata spoza urzędu. \
                          Adresat odpisał, że otrzymał wiadomość omyłkowo."
                .to_owned(),
            occurred: Some("at".to_owned()),
            occurred_at: Some(at(30)),
            discovered_at: Some(at(26)),
            location: Some("Referat Podatków i Opłat Lokalnych, poczta elektroniczna".to_owned()),
            data_categories: vec!["identity".into(), "contact".into(), "financial".into()],
            subjects_estimate: Some("40".to_owned()),
            reporter_name: Some("Tomasz Kowalczyk".to_owned()),
            reporter_email: Some("t.kowalczyk@przykladowo.example.pl".to_owned()),
            reporter_unit: Some("Referat Podatków i Opłat Lokalnych".to_owned()),
            ..ReportInput::default()
        },
        ReportInput {
            description: "Kilku pracowników otrzymało wiadomość podszywającą się pod ePUAP z linkiem do \
                          „potwierdzenia tożsamości”. Nikt nie podał hasła; wiadomości zgłoszono informatykowi."
                .to_owned(),
            discovered_at: Some(at(5)),
            location: Some("poczta elektroniczna urzędu".to_owned()),
            reporter_name: Some("Ewa Zielińska".to_owned()),
            reporter_phone: Some("22 100 20 45".to_owned()),
            reporter_unit: Some("Sekretariat".to_owned()),
            ..ReportInput::default()
        },
    ];
    let policy = OrgIntakePolicy {
        allow_anonymous: true,
    };
    for input in reports {
        let report = validate_report(&input, policy, now)
            .map_err(|e| anyhow::anyhow!("demo report is invalid: {e}"))?;
        store
            .submit_report(&gmina, &report, Vec::new(), "system:demo", None)
            .await?;
    }
    Ok(gmina)
}
