//! Invariants of the engine over generated facts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use rejestr_risk::{
    Availability, Classification, Confidentiality, DataCategory, Encryption, Facts,
    Identifiability, Integrity, Risk, assess,
};

fn facts() -> impl Strategy<Value = Facts> {
    (
        any::<bool>(),
        any::<bool>(),
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
    )
        .prop_map(
            |(
                personal_data,
                attempt_only,
                confidentiality,
                integrity,
                availability,
                malicious,
                data_categories,
                subjects_count,
                flags,
                identifiability,
                encryption,
            )| {
                let (trusted, vulnerable, public, measures, disproportionate) = flags;
                Facts {
                    personal_data,
                    attempt_only,
                    confidentiality,
                    recipient_trusted_and_data_returned_or_deleted: trusted,
                    integrity,
                    availability,
                    restored_within_hours: None,
                    malicious,
                    data_categories,
                    subjects_count,
                    vulnerable_subjects: vulnerable,
                    identifiability,
                    encryption,
                    publicly_available_before: public,
                    measures_remove_high_risk: measures,
                    individual_contact_disproportionate: disproportionate,
                    dpc_override: None,
                }
            },
        )
}

proptest! {
    #[test]
    fn no_personal_data_is_never_notified(mut f in facts()) {
        f.personal_data = false;
        let a = assess(&f);
        prop_assert_eq!(a.classification, Classification::SecurityIncident);
        prop_assert!(!a.obligations.notify_sa && !a.obligations.notify_subjects && !a.obligations.public_communication);
        prop_assert!(a.obligations.document);
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
        if !worse.data_categories.contains(&DataCategory::Health) {
            worse.data_categories.push(DataCategory::Health);
        }
        prop_assert!(assess(&worse).risk >= before, "health data lowered the risk");
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
    fn the_34_3_exemptions_never_remove_the_authority_notification(f in facts()) {
        let mut plain = f.clone();
        plain.measures_remove_high_risk = false;
        plain.individual_contact_disproportionate = false;
        let base = assess(&plain);
        for (measures, disproportionate) in [(true, false), (false, true), (true, true)] {
            let mut exempt = plain.clone();
            exempt.measures_remove_high_risk = measures;
            exempt.individual_contact_disproportionate = disproportionate;
            let a = assess(&exempt);
            prop_assert_eq!(a.obligations.notify_sa, base.obligations.notify_sa);
            prop_assert!(!a.obligations.notify_subjects || base.obligations.notify_subjects);
            if measures { prop_assert!(!a.obligations.notify_subjects && !a.obligations.public_communication); }
        }
    }

    #[test]
    fn obligations_follow_the_risk(f in facts()) {
        let a = assess(&f);
        prop_assert_eq!(a.obligations.notify_sa, a.risk >= Risk::Risk);
        prop_assert!(!(a.obligations.notify_subjects && a.obligations.public_communication));
        if a.obligations.notify_subjects || a.obligations.public_communication { prop_assert_eq!(a.risk, Risk::High); }
        if let Some(enisa) = &a.enisa {
            prop_assert!((1..=4).contains(&enisa.dpc));
            prop_assert!(enisa.score >= 0.25 && enisa.score <= 6.0);
        }
    }

    #[test]
    fn the_engine_is_deterministic_and_round_trips(f in facts()) {
        prop_assert_eq!(assess(&f), assess(&f));
        let json = serde_json::to_string(&f).unwrap();
        let back: Facts = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(assess(&back), assess(&f));
    }
}
