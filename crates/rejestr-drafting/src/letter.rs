//! The communication to data subjects (GDPR art. 34(2)): a letter to each person, or a public
//! communication for the BIP page where individual contact would be disproportionate
//! (art. 34(3)(c)). Plain language; what the person can do comes from the data involved.

use rejestr_risk::DataCategory;
use serde::Serialize;

use crate::context::CaseContext;
use crate::fields::DraftFields;
use crate::labels::{self, Label, Locale, date, instant};
use crate::{Missing, text};

/// The person a letter is addressed to (mail merge). Absent in the public communication and
/// in the template letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Recipient {
    pub name: String,
    pub email: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LetterView {
    pub public: bool,
    pub office: String,
    pub office_address: String,
    pub case_reference: String,
    pub letter_date: String,
    pub recipient: Option<Recipient>,
    pub occurred_at: Option<String>,
    pub discovered_at: String,
    pub what_happened: Option<String>,
    pub data: Vec<String>,
    pub consequences: Vec<String>,
    pub measures: Option<String>,
    pub advice: Vec<String>,
    pub extra_advice: Option<String>,
    pub iod_name: String,
    pub iod_email: String,
    pub iod_phone: Option<String>,
}

/// What the data involved may lead to, in words a resident understands. Impersonal, so that
/// the same phrase reads right in a letter and in a public notice.
fn consequences_of(category: DataCategory) -> Option<Label> {
    use DataCategory as D;
    let l = |pl, en| Some(Label { pl, en });
    match category {
        D::NationalId | D::IdDocument => l(
            "ktoś może próbować podszyć się pod osobę, której dane dotyczą, np. zaciągnąć pożyczkę lub zawrzeć umowę na jej dane",
            "someone may try to impersonate the person concerned, for example to take out a loan or sign a contract in their name",
        ),
        D::Credentials => l(
            "ktoś może próbować zalogować się na konto, którego login lub hasło ujawniono",
            "someone may try to sign in to the account whose login or password was disclosed",
        ),
        D::Contact => l(
            "mogą pojawić się fałszywe wiadomości lub telefony podszywające się pod urząd, bank lub kuriera",
            "fake messages or calls pretending to come from the office, a bank or a courier may follow",
        ),
        D::Financial | D::PaymentCard => l(
            "ktoś może próbować wykorzystać dane finansowe, np. do nieuprawnionej płatności",
            "someone may try to misuse the financial data, for example for an unauthorised payment",
        ),
        D::Health | D::SpecialCategory | D::Criminal | D::SocialWelfare => l(
            "informacje o zdrowiu lub sytuacji życiowej mogły poznać osoby nieuprawnione",
            "unauthorised people may have learnt about health or personal circumstances",
        ),
        D::Image => l(
            "wizerunek mógł zostać rozpowszechniony bez zgody",
            "images may have been shared without consent",
        ),
        _ => None,
    }
}

/// What the person can do about it (domain.md §4.4).
fn advice_for(category: DataCategory) -> &'static [Label] {
    use DataCategory as D;
    const PESEL: Label = Label {
        pl: "Zastrzeżenie numeru PESEL: w aplikacji mObywatel, na stronie gov.pl lub w dowolnym urzędzie gminy. Jest bezpłatne i można je w każdej chwili cofnąć; bank nie udzieli kredytu na zastrzeżony numer.",
        en: "Reserve (block) the PESEL number in the mObywatel app, on gov.pl or at any municipal office. It is free and can be undone at any time; a bank will not grant credit on a reserved number.",
    };
    const ID_CARD: Label = Label {
        pl: "Zastrzeżenie dowodu osobistego w systemie „Dokumenty Zastrzeżone” (w banku lub urzędzie) i rozważenie wymiany dowodu.",
        en: "Have the identity card listed as restricted (\"Dokumenty Zastrzeżone\", at a bank or an office) and consider replacing it.",
    };
    const CREDIT: Label = Label {
        pl: "Włączenie alertów BIK, które informują o próbie zaciągnięcia zobowiązania na dane osoby.",
        en: "Turning on BIK alerts, which report any attempt to take out credit in the person's name.",
    };
    const PASSWORD: Label = Label {
        pl: "Zmiana hasła do konta, którego dotyczyło naruszenie, i do innych kont z tym samym hasłem; włączenie logowania dwuetapowego, jeśli to możliwe.",
        en: "Changing the password of the affected account and of any other account with the same password; turning on two-step sign-in where possible.",
    };
    const PHISHING: Label = Label {
        pl: "Ostrożność wobec wiadomości i telefonów z prośbą o dane, hasła lub pilną płatność. Urząd nigdy nie prosi o hasła; w razie wątpliwości prosimy dzwonić na numer urzędu podany w BIP.",
        en: "Caution with messages and calls asking for data, passwords or urgent payment. The office never asks for passwords; if in doubt, call the office on the number given in its BIP.",
    };
    const BANK: Label = Label {
        pl: "Sprawdzanie historii rachunku i niezwłoczny kontakt z bankiem w razie nieznanej operacji.",
        en: "Checking the account history and contacting the bank at once about any unknown transaction.",
    };
    match category {
        D::NationalId => &[PESEL, CREDIT],
        D::IdDocument => &[ID_CARD, PESEL],
        D::Credentials => &[PASSWORD],
        D::Contact | D::Identity => &[PHISHING],
        D::Financial | D::PaymentCard => &[BANK, PHISHING],
        _ => &[],
    }
}

pub(crate) fn view(
    ctx: &CaseContext,
    f: &DraftFields,
    public: bool,
    recipient: Option<&Recipient>,
    locale: Locale,
    missing: &mut Vec<Missing>,
) -> LetterView {
    let l = locale;
    let mut need = |point: &'static str, pl: &'static str, en: &'static str| {
        missing.push(Missing::new(point, pl, en, l, true));
    };
    let categories: Vec<DataCategory> = ctx
        .decision
        .as_ref()
        .map(|d| d.facts.data_categories.clone())
        .unwrap_or_default();
    if text(&f.plain_description).is_none() {
        need(
            "34(2)",
            "opis zdarzenia prostym językiem dla osób, których dane dotyczą",
            "what happened, in plain words for the data subjects",
        );
    }
    if categories.is_empty() {
        need(
            "34(2)",
            "jakich danych dotyczy naruszenie: wymaga oceny ryzyka",
            "which data is involved: needs the risk assessment",
        );
    }
    if text(&f.measures_mitigation).is_none() {
        need(
            "34(2), 33(3)(d)",
            "co urząd zrobił, aby zaradzić naruszeniu (środki z pkt 9C)",
            "what the office did to address the breach (the measures of point 9C)",
        );
    }
    if ctx.controller.iod_name.trim().is_empty() || ctx.controller.iod_email.trim().is_empty() {
        need(
            "34(2), 33(3)(b)",
            "dane kontaktowe inspektora ochrony danych",
            "the DPO's contact details",
        );
    }
    let mut consequences: Vec<String> = Vec::new();
    let mut advice: Vec<String> = Vec::new();
    for c in &categories {
        if let Some(text) = consequences_of(*c).map(|x| x.get(l).to_owned())
            && !consequences.contains(&text)
        {
            consequences.push(text);
        }
        for a in advice_for(*c) {
            let text = a.get(l).to_owned();
            if !advice.contains(&text) {
                advice.push(text);
            }
        }
    }
    if consequences.is_empty() && !categories.is_empty() {
        consequences.push(
            Label {
                pl: "utrata kontroli nad tym, kto zna dane",
                en: "loss of control over who knows the data",
            }
            .get(l)
            .to_owned(),
        );
    }
    LetterView {
        public,
        office: ctx.controller.name.clone(),
        office_address: ctx.controller.address.clone(),
        case_reference: ctx.number.clone(),
        letter_date: date(
            ctx.now
                .with_timezone(&chrono_tz::Europe::Warsaw)
                .date_naive(),
            l,
        ),
        recipient: recipient.cloned(),
        occurred_at: ctx.occurred_at.map(|t| instant(t, l)),
        discovered_at: instant(ctx.discovered_at, l),
        what_happened: text(&f.plain_description),
        data: categories
            .iter()
            .map(|c| labels::data_category(*c).2.get(l).to_owned())
            .collect(),
        consequences,
        measures: text(&f.measures_mitigation),
        advice,
        extra_advice: text(&f.extra_advice),
        iod_name: ctx.controller.iod_name.clone(),
        iod_email: ctx.controller.iod_email.clone(),
        iod_phone: text(&ctx.controller.iod_phone),
    }
}
