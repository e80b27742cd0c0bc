//! Organisations: the public offices (JST and their units) whose registers the service keeps.

use std::fmt;
use std::str::FromStr;

/// The URL-safe short name of an organisation, e.g. `ug-zielona-dolina`.
///
/// Lower-case ASCII letters, digits and single hyphens, 2 to 63 characters, starting with a
/// letter and not ending with a hyphen.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrgSlug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgSlugError {
    #[error("the organisation's short name must have 2 to 63 characters")]
    Length,
    #[error(
        "the organisation's short name may contain only a-z, 0-9 and single hyphens, starting with a letter"
    )]
    Characters,
}

impl OrgSlug {
    pub fn parse(raw: &str) -> Result<Self, OrgSlugError> {
        if !(2..=63).contains(&raw.len()) {
            return Err(OrgSlugError::Length);
        }
        let starts_with_letter = raw.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
        let allowed = raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !starts_with_letter || !allowed || raw.ends_with('-') || raw.contains("--") {
            return Err(OrgSlugError::Characters);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrgSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The kind of public body; it decides the wording of letters and the KSC defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitType {
    /// Urząd gminy / miasta (gmina).
    Gmina,
    /// Starostwo powiatowe (powiat).
    Powiat,
    /// Urząd marszałkowski (samorząd województwa).
    Wojewodztwo,
    /// A municipal unit: school, MOPS/GOPS, library, utility company, etc.
    JednostkaOrganizacyjna,
    /// A union or association of local governments (związek, stowarzyszenie JST).
    Zwiazek,
    /// Any other public body (urząd, inspekcja, agency).
    Inny,
}

impl UnitType {
    pub const ALL: [UnitType; 6] = [
        UnitType::Gmina,
        UnitType::Powiat,
        UnitType::Wojewodztwo,
        UnitType::JednostkaOrganizacyjna,
        UnitType::Zwiazek,
        UnitType::Inny,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitType::Gmina => "gmina",
            UnitType::Powiat => "powiat",
            UnitType::Wojewodztwo => "wojewodztwo",
            UnitType::JednostkaOrganizacyjna => "jednostka_organizacyjna",
            UnitType::Zwiazek => "zwiazek",
            UnitType::Inny => "inny",
        }
    }

    pub fn label_pl(self) -> &'static str {
        match self {
            UnitType::Gmina => "gmina (urząd gminy lub miasta)",
            UnitType::Powiat => "powiat (starostwo powiatowe)",
            UnitType::Wojewodztwo => "samorząd województwa",
            UnitType::JednostkaOrganizacyjna => "jednostka organizacyjna JST",
            UnitType::Zwiazek => "związek lub stowarzyszenie JST",
            UnitType::Inny => "inny podmiot publiczny",
        }
    }
}

impl FromStr for UnitType {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UnitType::ALL
            .into_iter()
            .find(|u| u.as_str() == s)
            .ok_or_else(|| UnknownValue::new("unit_type", s))
    }
}

/// Whether and how the organisation is covered by the Polish act on the national
/// cybersecurity system (KSC), which decides whether CSIRT reports are owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KscStatus {
    /// Not covered: no CSIRT reporting duty (voluntary reports are still possible).
    NotCovered,
    /// A public entity under KSC art. 21–22 (JST reporting to CSIRT NASK / GOV).
    PublicEntity,
    /// An essential entity (podmiot kluczowy) under the NIS2 amendment.
    Essential,
    /// An important entity (podmiot ważny) under the NIS2 amendment.
    Important,
}

impl KscStatus {
    pub const ALL: [KscStatus; 4] = [
        KscStatus::NotCovered,
        KscStatus::PublicEntity,
        KscStatus::Essential,
        KscStatus::Important,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            KscStatus::NotCovered => "not_covered",
            KscStatus::PublicEntity => "public_entity",
            KscStatus::Essential => "essential",
            KscStatus::Important => "important",
        }
    }

    pub fn label_pl(self) -> &'static str {
        match self {
            KscStatus::NotCovered => "nie podlega obowiązkom zgłoszeniowym KSC",
            KscStatus::PublicEntity => "podmiot publiczny (art. 21–22 ustawy o KSC)",
            KscStatus::Essential => "podmiot kluczowy (NIS2)",
            KscStatus::Important => "podmiot ważny (NIS2)",
        }
    }

    /// Whether incidents must be reported to a CSIRT.
    pub fn csirt_reporting(self) -> bool {
        !matches!(self, KscStatus::NotCovered)
    }
}

impl FromStr for KscStatus {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        KscStatus::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownValue::new("ksc_status", s))
    }
}

/// The national CSIRT that receives the organisation's incident reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Csirt {
    Nask,
    Gov,
    Mon,
}

impl Csirt {
    pub const ALL: [Csirt; 3] = [Csirt::Nask, Csirt::Gov, Csirt::Mon];

    pub fn as_str(self) -> &'static str {
        match self {
            Csirt::Nask => "nask",
            Csirt::Gov => "gov",
            Csirt::Mon => "mon",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Csirt::Nask => "CSIRT NASK",
            Csirt::Gov => "CSIRT GOV",
            Csirt::Mon => "CSIRT MON",
        }
    }
}

impl FromStr for Csirt {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Csirt::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownValue::new("csirt", s))
    }
}

/// A REGON statistical number: 9 or 14 digits with a valid check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Regon(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegonError {
    #[error("REGON must have 9 or 14 digits")]
    Format,
    #[error("REGON check digit does not match")]
    Checksum,
}

impl Regon {
    pub fn parse(raw: &str) -> Result<Self, RegonError> {
        let digits: Vec<u32> = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_digit(10).ok_or(RegonError::Format))
            .collect::<Result<_, _>>()?;
        let weights: &[u32] = match digits.len() {
            9 => &[8, 9, 2, 3, 4, 5, 6, 7],
            14 => &[2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8],
            _ => return Err(RegonError::Format),
        };
        let sum: u32 = weights.iter().zip(&digits).map(|(w, d)| w * d).sum();
        let check = (sum % 11) % 10;
        if digits.last() != Some(&check) {
            return Err(RegonError::Checksum);
        }
        Ok(Self(
            digits.iter().map(|d| char::from(b'0' + *d as u8)).collect(),
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A stored or submitted value that is not one of the known variants.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {value:?} for {field}")]
pub struct UnknownValue {
    pub field: &'static str,
    pub value: String,
}

impl UnknownValue {
    pub fn new(field: &'static str, value: &str) -> Self {
        Self {
            field,
            value: value.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(OrgSlug::parse("demo").is_ok());
        assert!(OrgSlug::parse("ug-zielona-dolina2").is_ok());
        assert_eq!(OrgSlug::parse("d"), Err(OrgSlugError::Length));
        assert_eq!(OrgSlug::parse("Demo"), Err(OrgSlugError::Characters));
        assert_eq!(OrgSlug::parse("1demo"), Err(OrgSlugError::Characters));
        assert_eq!(OrgSlug::parse("demo-"), Err(OrgSlugError::Characters));
        assert_eq!(OrgSlug::parse("de--mo"), Err(OrgSlugError::Characters));
        assert_eq!(OrgSlug::parse("de mo"), Err(OrgSlugError::Characters));
    }

    #[test]
    fn regon_checksums() {
        // REGON of the Chancellery of the Prime Minister (9 digits) and a valid 14-digit one.
        assert!(Regon::parse("000002217").is_ok());
        assert!(Regon::parse("12345678512347").is_ok());
        assert_eq!(Regon::parse("000002218"), Err(RegonError::Checksum));
        assert_eq!(Regon::parse("12345"), Err(RegonError::Format));
        assert_eq!(Regon::parse("00000221x"), Err(RegonError::Format));
    }

    #[test]
    fn enums_round_trip() {
        for u in UnitType::ALL {
            assert_eq!(u.as_str().parse::<UnitType>(), Ok(u));
        }
        for k in KscStatus::ALL {
            assert_eq!(k.as_str().parse::<KscStatus>(), Ok(k));
        }
        for c in Csirt::ALL {
            assert_eq!(c.as_str().parse::<Csirt>(), Ok(c));
        }
        assert!("x".parse::<Csirt>().is_err());
    }
}
