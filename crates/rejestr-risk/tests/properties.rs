//! Invariants of the engine over generated facts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use rejestr_risk::{
    Availability, Band, Classification, Confidentiality, DataCategory, DpcOverride, Encryption,
    Facts, Identifiability, Integrity, KscStatus, Risk, assess, parse_facts,
};

fn ksc() -> impl Strategy<Value = Option<KscStatus>> {
    proptest::option::of(prop_oneof![
        Just(KscStatus::NotCovered),
        Just(KscStatus::PublicEntity),
        Just(KscStatus::Essential),
        Just(KscStatus::Important)
    ])
}

fn facts() -> impl Strategy<Value = Facts> {
    (
        (any::<bool>(), any::<bool>()),
        prop_oneof![
            Just(Confidentiality::None),
            Just(Confidentiality::KnownRecipients),
            Just(Confidentiality::UnknownRecipients)
        ],
        prop_oneof![
            Just(Integrity::None),
            Just(Integrity::Recoverable),
            Just(Integrity::Unrecoverable)
        ],
        prop_oneof![
            Just(Availability::None),
            Just(Availability::Temporary),
            Just(Availability::Permanent)
        ],
        proptest::option::of(any::<bool>()),
        proptest::sample::subsequence(DataCategory::ALL.to_vec(), 0..6),
        proptest::option::of(0u64..20_000),
        (
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        ),
        proptest::option::of(prop_oneof![
            Just(Identifiability::Negligible),
            Just(Identifiability::Limited),
            Just(Identifiability::Significant),
            Just(Identifiability::Maximum)
        ]),
        prop_oneof![
            Just(Encryption::None),
            Just(Encryption::StateOfTheArtKeySafe),
            Just(Encryption::WeakOrKeyCompromised)
        ],
        (
            proptest::option::of(1u8..=4),
            proptest::option::of(0u32..400),
            ksc(),
            proptest::option::of(any::<bool>()),
            any::<bool>(),
            proptest::option::of(1u32..=168),
        ),
    )
        .prop_map(
            |(
                (personal_data, attempt_only),
                confidentiality,
                integrity,
                availability,
                malicious,
                data_categories,
                subjects_count,
                flags,
                identifiability,
                encryption,
                (
                    dpc,
                    quarter_hours,
                    ksc_status,
                    significant_incident,
                    acting_as_processor,
                    controller_deadline_hours,
                ),
            )| {
                let (trusted, vulnerable, public, measures, disproportionate) = flags;
                Facts {
                    personal_data,
                    attempt_only,
                    confidentiality,
                    recipient_trusted_and_data_returned_or_deleted: trusted,
                    integrity,
                    availability,
                    restored_within_hours: quarter_hours.map(|q| f64::from(q) / 4.0),
                    malicious,
                    data_categories,
                    subjects_count,
                    vulnerable_subjects: vulnerable,
                    identifiability,
                    encryption,
                    publicly_available_before: public,
                    measures_remove_high_risk: measures,
                    individual_contact_disproportionate: disproportionate,
                    dpc_override: dpc.map(|score| DpcOverride {
                        score,
                        justification: "ocena IOD".to_owned(),
                    }),
                    ksc_status,
                    significant_incident,
                    acting_as_processor,
                    controller_name: acting_as_processor
                        .then(|| "Gminny Ośrodek Pomocy Społecznej".to_owned()),
                    controller_deadline_hours,
                }
            },
        )
}

fn band_of(score: f64) -> Band {
    if score < 2.0 {
        Band::Low
    } else if score < 3.0 {
        Band::Medium
    } else if score < 4.0 {
        Band::High
    } else {
        Band::VeryHigh
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_personal_data_is_never_notified(mut f in facts()) {
        f.personal_data = false;
        let a = assess(&f);
        prop_assert_eq!(a.classification, Classification::SecurityIncident);
        prop_assert_eq!(a.risk, Risk::None);
        prop_assert!(a.enisa.is_none());
        prop_assert!(!a.obligations.notify_sa && !a.obligations.notify_subjects && !a.obligations.public_communication);
        prop_assert!(a.obligations.document);
    }

    #[test]
    fn an_attempt_is_never_notified(mut f in facts()) {
        f.attempt_only = true;
        let a = assess(&f);
        prop_assert_eq!(a.classification, Classification::SecurityIncident);
        prop_assert!(!a.obligations.notify_sa && !a.obligations.notify_subjects && !a.obligations.public_communication);
    }

    #[test]
    fn an_aggravating_fact_never_lowers_the_risk(f in facts()) {
        let before = assess(&f).risk;
        let mut worse = f.clone();
        worse.vulnerable_subjects = true;
        prop_assert!(assess(&worse).risk >= before, "vulnerable subjects lowered the risk");
        let mut worse = f.clone();
        worse.subjects_count = Some(worse.subjects_count.unwrap_or(0).max(5_000));
        prop_assert!(assess(&worse).risk >= before, "more subjects lowered the risk");
        let mut worse = f.clone();
        worse.malicious = Some(true);
        prop_assert!(assess(&worse).risk >= before, "malice lowered the risk");
        let mut worse = f.clone();
        worse.publicly_available_before = false;
        prop_assert!(assess(&worse).risk >= before, "data not public before lowered the risk");
        let mut worse = f.clone();
        worse.recipient_trusted_and_data_returned_or_deleted = false;
        prop_assert!(assess(&worse).risk >= before, "an untrusted recipient lowered the risk");
        let mut worse = f.clone();
        worse.measures_remove_high_risk = false;
        worse.individual_contact_disproportionate = false;
        prop_assert_eq!(assess(&worse).risk, before, "the 34(3) facts changed the risk");
        for special in [DataCategory::Health, DataCategory::SpecialCategory, DataCategory::Criminal, DataCategory::NationalId] {
            let mut worse = f.clone();
            if !worse.data_categories.contains(&special) {
                worse.data_categories.push(special);
            }
            prop_assert!(assess(&worse).risk >= before, "{:?} lowered the risk", special);
        }
    }

    #[test]
    fn a_wider_disclosure_or_another_category_never_lowers_the_risk(f in facts(), extra in proptest::sample::select(DataCategory::ALL.to_vec())) {
        let before = assess(&f).risk;
        let wider = match f.confidentiality {
            Confidentiality::None => Some(Confidentiality::KnownRecipients),
            Confidentiality::KnownRecipients => Some(Confidentiality::UnknownRecipients),
            Confidentiality::UnknownRecipients => None,
        };
        if let Some(wider) = wider {
            let mut more = f.clone();
            more.confidentiality = wider;
            more.recipient_trusted_and_data_returned_or_deleted = false;
            let mut base = f.clone();
            base.recipient_trusted_and_data_returned_or_deleted = false;
            prop_assert!(assess(&more).risk >= assess(&base).risk, "a wider disclosure lowered the risk");
        }
        let mut more = f.clone();
        if !more.data_categories.contains(&extra) {
            more.data_categories.push(extra);
        }
        prop_assert!(assess(&more).risk >= before, "adding {:?} lowered the risk", extra);
    }

    #[test]
    fn severity_is_monotone_in_dpc(mut f in facts(), low in 1u8..=4, high in 1u8..=4) {
        f.personal_data = true;
        f.attempt_only = false;
        let (low, high) = (low.min(high), low.max(high));
        let with = |score: u8| {
            let mut g = f.clone();
            g.dpc_override = Some(DpcOverride { score, justification: "ocena IOD".to_owned() });
            assess(&g)
        };
        let (a, b) = (with(low), with(high));
        prop_assert_eq!(a.enisa.is_some(), b.enisa.is_some());
        if let (Some(ea), Some(eb)) = (&a.enisa, &b.enisa) {
            prop_assert_eq!((ea.dpc, eb.dpc), (low, high));
            prop_assert!(ea.score <= eb.score);
            prop_assert!(ea.band <= eb.band);
        }
        prop_assert!(a.risk <= b.risk);
        prop_assert!(!a.obligations.notify_sa || b.obligations.notify_sa);
    }

    #[test]
    fn the_score_is_the_enisa_formula_and_its_band(f in facts()) {
        if let Some(e) = assess(&f).enisa {
            prop_assert!((1..=4).contains(&e.dpc));
            prop_assert!([0.25, 0.5, 0.75, 1.0].contains(&e.ei));
            prop_assert!((0.0..=2.0).contains(&e.cb) && (e.cb * 4.0).fract() == 0.0);
            prop_assert_eq!(e.score, f64::from(e.dpc) * e.ei + e.cb);
            prop_assert!((0.25..=6.0).contains(&e.score));
            prop_assert_eq!(e.band, band_of(e.score));
        }
    }

    #[test]
    fn the_34_3_exemptions_remove_the_letters_never_the_authority_notification(f in facts()) {
        let mut plain = f.clone();
        plain.measures_remove_high_risk = false;
        plain.individual_contact_disproportionate = false;
        let base = assess(&plain);
        for (measures, disproportionate) in [(true, false), (false, true), (true, true)] {
            let mut exempt = plain.clone();
            exempt.measures_remove_high_risk = measures;
            exempt.individual_contact_disproportionate = disproportionate;
            let a = assess(&exempt);
            prop_assert_eq!(a.risk, base.risk);
            prop_assert_eq!(a.obligations.notify_sa, base.obligations.notify_sa);
            prop_assert_eq!(a.obligations.report_csirt, base.obligations.report_csirt);
            prop_assert!(!a.obligations.notify_subjects);
            if measures {
                prop_assert!(!a.obligations.public_communication);
            } else {
                // 34(3)(c) swaps the channel: whoever would have had letters gets a public notice.
                prop_assert_eq!(a.obligations.public_communication, base.obligations.notify_subjects);
            }
        }
    }

    #[test]
    fn obligations_follow_the_risk(f in facts()) {
        let a = assess(&f);
        prop_assert!(a.obligations.document);
        let processor = f.acting_as_processor && a.classification == Classification::PersonalDataBreach;
        prop_assert_eq!(a.obligations.notify_sa, a.risk >= Risk::Risk && !processor);
        prop_assert_eq!(a.obligations.notify_controller, processor);
        if processor {
            prop_assert!(!a.obligations.notify_subjects && !a.obligations.public_communication);
        }
        prop_assert!(!(a.obligations.notify_subjects && a.obligations.public_communication));
        if a.obligations.notify_subjects || a.obligations.public_communication {
            prop_assert_eq!(a.risk, Risk::High);
        }
        if a.risk > Risk::None {
            prop_assert_eq!(a.classification, Classification::PersonalDataBreach);
        }
    }

    #[test]
    fn the_csirt_report_follows_the_ksc_status_only(f in facts()) {
        let a = assess(&f);
        let expected = match f.ksc_status {
            None | Some(KscStatus::NotCovered) => false,
            Some(KscStatus::PublicEntity) => true,
            Some(KscStatus::Essential | KscStatus::Important) => f.significant_incident != Some(false),
        };
        prop_assert_eq!(a.obligations.report_csirt, expected);
    }

    #[test]
    fn every_conclusion_has_a_reason(f in facts()) {
        let a = assess(&f);
        prop_assert!(a.reasons.iter().all(|r| r.rule.starts_with("R-") && !r.pl.trim().is_empty() && !r.en.trim().is_empty() && !r.basis.is_empty()), "{:?}", a.reasons);
        let has = |rule: &str| a.reasons.iter().any(|r| r.rule == rule);
        prop_assert!(has("R-33-5"));
        prop_assert_eq!(has("R-ENISA-BAND"), a.enisa.is_some());
        prop_assert_eq!(has("R-33-1"), a.obligations.notify_sa);
        prop_assert_eq!(has("R-34-3-C"), a.obligations.public_communication);
        prop_assert_eq!(has("R-33-2"), a.obligations.notify_controller);
        if a.obligations.report_csirt {
            prop_assert!(has("R-KSC-22") || has("R-KSC-NIS2"));
        }
        let mut sorted = a.edpb_factors.clone();
        sorted.sort();
        sorted.dedup();
        prop_assert_eq!(&sorted, &a.edpb_factors);
    }

    #[test]
    fn the_engine_is_deterministic_and_round_trips(f in facts()) {
        let a = assess(&f);
        prop_assert_eq!(&a, &assess(&f));
        prop_assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&assess(&f.clone())).unwrap());
        let json = serde_json::to_string(&f).unwrap();
        let back = parse_facts(&json).map_err(|e| TestCaseError::fail(e.0))?;
        prop_assert_eq!(&back, &f);
        prop_assert_eq!(assess(&back), a.clone());
        let assessment_json = serde_json::to_string(&a).unwrap();
        let again: rejestr_risk::Assessment = serde_json::from_str(&assessment_json).unwrap();
        prop_assert_eq!(again, a);
    }
}
