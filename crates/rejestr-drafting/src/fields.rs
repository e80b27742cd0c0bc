//! What the IOD fills in for a document: the parts of the official forms the case does not
//! already know. Stored as JSON with each draft version; every field is optional so that a
//! half-finished draft can be saved, and the draft lists what is still missing.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The fields of a draft, shared by the documents of one case (the letter reuses the measures
/// written for the PUODO notification, and so on).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DraftFields {
    // Section 1: type of notification.
    pub supplement_expected_on: Option<NaiveDate>,
    pub previous_notification_on: Option<NaiveDate>,
    pub uodo_reference: Option<String>,
    /// Set when the breach was or will be notified to a supervisory authority abroad.
    pub other_authority: Option<String>,
    // Section 2.
    pub representatives: Option<String>,
    // Section 3.
    pub discovery_method: Option<String>,
    pub delay_reasons: Option<String>,
    pub ended_at: Option<DateTime<Utc>>,
    // Section 4.
    pub description: Option<String>,
    pub what_happened: Vec<WhatHappened>,
    pub malware_confidentiality: Option<String>,
    pub malware_ransom: Option<String>,
    pub malware_backup: Option<String>,
    pub cause: Option<Cause>,
    pub children: Option<bool>,
    // Section 5.
    pub records_count: Option<u64>,
    // Section 6.
    pub other_data: Option<String>,
    // Section 7.
    pub subject_categories: Vec<SubjectCategory>,
    pub subjects_description: Option<String>,
    // Section 8.
    pub consequences: Vec<Consequence>,
    pub consequences_other: Option<String>,
    pub high_risk_justification: Option<String>,
    // Section 9.
    pub measures_before: Option<String>,
    pub measures_recurrence: Option<String>,
    pub measures_mitigation: Option<String>,
    // Section 10.
    pub communication: Option<Communication>,
    pub communication_individual: Option<bool>,
    pub communication_on: Option<NaiveDate>,
    pub communication_count: Option<u64>,
    pub communication_channels: Option<String>,
    // Section 11.
    pub cross_border: Option<bool>,
    pub countries: Option<String>,
    // The letter to data subjects and the public communication.
    /// What happened, told to the person in plain words (the case description is internal).
    pub plain_description: Option<String>,
    /// Advice beyond what the data categories suggest.
    pub extra_advice: Option<String>,
    // The CSIRT report (KSC art. 23).
    pub public_task_affected: Option<String>,
    pub geographic_scope: Option<String>,
    pub systems_effects: Option<String>,
    pub source: Option<String>,
    pub other_information: Option<String>,
}

labelled_enum! {
    /// Section 4B of the PUODO form: what the breach consisted of.
    WhatHappened {
        DeviceLost = "device_lost", "Zgubienie lub kradzież nośnika/urządzenia", "Loss or theft of a medium or device";
        PaperLost = "paper_lost", "Dokumentacja papierowa zgubiona, skradziona lub pozostawiona w niezabezpieczonej lokalizacji", "Paper documents lost, stolen or left in an unsecured place";
        PostLost = "post_lost", "Korespondencja papierowa utracona przez operatora pocztowego lub otwarta przed zwróceniem jej do nadawcy", "Paper mail lost by the postal operator or opened before its return to the sender";
        UnauthorisedAccess = "unauthorised_access", "Nieuprawnione uzyskanie dostępu do informacji", "Unauthorised access to information";
        Hacking = "hacking", "Nieuprawnione uzyskanie dostępu do informacji poprzez złamanie zabezpieczeń", "Unauthorised access by breaking security measures";
        Malware = "malware", "Złośliwe oprogramowanie ingerujące w poufność, integralność lub dostępność danych", "Malware affecting the confidentiality, integrity or availability of data";
        Phishing = "phishing", "Uzyskanie poufnych informacji przez pozornie zaufaną osobę w oficjalnej komunikacji elektronicznej (phishing)", "Confidential information obtained by a seemingly trusted person in official electronic communication (phishing)";
        Anonymisation = "anonymisation", "Nieprawidłowa anonimizacja danych osobowych w dokumencie", "Incorrect anonymisation of personal data in a document";
        ImproperDisposal = "improper_disposal", "Nieprawidłowe usunięcie/zniszczenie danych z nośnika/urządzenia przed jego zbyciem", "Improper wiping or destruction of data before disposal of a medium or device";
        Publication = "publication", "Niezamierzona publikacja", "Unintended publication";
        WrongRecipient = "wrong_recipient", "Dane osobowe wysłane do niewłaściwego odbiorcy", "Personal data sent to the wrong recipient";
        WrongPerson = "wrong_person", "Ujawnienie danych niewłaściwej osoby", "Disclosure of the wrong person's data";
        Oral = "oral", "Ustne ujawnienie danych osobowych", "Oral disclosure of personal data";
        Other = "other", "Inne", "Other";
    }
}

labelled_enum! {
    /// Section 4D: the cause.
    Cause {
        InternalUnintentional = "internal_unintentional", "Wewnętrzne działanie niezamierzone", "Internal, unintentional";
        ExternalUnintentional = "external_unintentional", "Zewnętrzne działanie niezamierzone", "External, unintentional";
        InternalIntentional = "internal_intentional", "Wewnętrzne działanie zamierzone", "Internal, intentional";
        ExternalIntentional = "external_intentional", "Zewnętrzne działanie zamierzone", "External, intentional";
    }
}

labelled_enum! {
    /// Section 7: categories of data subjects.
    SubjectCategory {
        Employees = "employees", "Pracownicy", "Employees";
        Users = "users", "Użytkownicy", "Users";
        Subscribers = "subscribers", "Subskrybenci", "Subscribers";
        Students = "students", "Studenci", "Students";
        Pupils = "pupils", "Uczniowie", "Pupils";
        UniformedServices = "uniformed_services", "Służby mundurowe", "Uniformed services";
        PublicClients = "public_clients", "Klienci podmiotów publicznych", "Clients of public bodies";
        Patients = "patients", "Pacjenci", "Patients";
        Children = "children", "Dzieci", "Children";
        SpecialNeeds = "special_needs", "Osoby o szczególnych potrzebach (np. osoby starsze, niepełnosprawne)", "People with special needs (e.g. the elderly, people with disabilities)";
    }
}

labelled_enum! {
    /// Section 8A: likely consequences.
    Consequence {
        LossOfControl = "loss_of_control", "Utrata kontroli nad własnymi danymi osobowymi", "Loss of control over one's personal data";
        FinancialLoss = "financial_loss", "Strata finansowa", "Financial loss";
        DataSubjectRights = "data_subject_rights", "Ograniczenie możliwości realizowania praw z art. 15–22 RODO", "Limitation of the rights under GDPR articles 15–22";
        OtherRights = "other_rights", "Ograniczenie możliwości realizowania praw", "Limitation of (other) rights";
        Discrimination = "discrimination", "Dyskryminacja", "Discrimination";
        IdentityTheft = "identity_theft", "Kradzież lub sfałszowanie tożsamości", "Identity theft or fraud";
        Reputation = "reputation", "Naruszenie dobrego imienia", "Damage to reputation";
        ProfessionalSecrecy = "professional_secrecy", "Utrata poufności danych osobowych chronionych tajemnicą zawodową", "Loss of confidentiality of data protected by professional secrecy";
        Pseudonymisation = "pseudonymisation", "Nieuprawnione odwrócenie pseudonimizacji", "Unauthorised reversal of pseudonymisation";
    }
}

labelled_enum! {
    /// Section 10: whether the data subjects were or will be told.
    Communication {
        Done = "done", "Tak, osoby zostały zawiadomione", "Yes, the data subjects have been informed";
        Planned = "planned", "Zawiadomienie jest planowane", "Communication is planned";
        NotRequiredMeasuresBefore = "not_required_34_3_a", "Nie zostaną zawiadomione: przed naruszeniem wdrożono środki uniemożliwiające odczyt osobom nieuprawnionym (art. 34 ust. 3 lit. a RODO, pkt 9A)", "Will not be informed: measures applied before the breach render the data unintelligible (GDPR art. 34(3)(a), point 9A)";
        NotRequiredMeasuresAfter = "not_required_34_3_b", "Nie zostaną zawiadomione: po naruszeniu zastosowano środki eliminujące prawdopodobieństwo wysokiego ryzyka (art. 34 ust. 3 lit. b RODO, pkt 9C)", "Will not be informed: subsequent measures ensure the high risk is no longer likely (GDPR art. 34(3)(b), point 9C)";
        NoHighRisk = "no_high_risk", "Nie zostaną zawiadomione: stwierdzono brak wysokiego ryzyka naruszenia praw lub wolności osób (uzasadnienie w pkt 8B)", "Will not be informed: no high risk to the rights and freedoms of persons (justification in point 8B)";
        NotYetAssessed = "not_yet_assessed", "Jeszcze nie oceniono (wymagane będzie zgłoszenie uzupełniające)", "Not yet assessed (a supplementary notification will be required)";
    }
}
