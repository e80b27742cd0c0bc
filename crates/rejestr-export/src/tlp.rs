//! The Traffic Light Protocol 2.0: the five levels, their STIX marking definitions (the fixed
//! OASIS ids, never minted) and their MISP tags.

use std::fmt;
use std::str::FromStr;

use serde_json::{Value, json};

/// The OASIS property extension that carries `tlp_2_0` on the TLP 2.0 marking definitions.
pub const TLP_2_0_EXTENSION: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/// The `created` of every TLP 2.0 marking definition published by OASIS.
pub const TLP_2_0_CREATED: &str = "2022-10-01T00:00:00.000Z";

/// A TLP 2.0 level. `Clear` replaces TLP 1.0 WHITE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tlp {
    Clear,
    Green,
    Amber,
    AmberStrict,
    Red,
}

impl Tlp {
    pub const ALL: [Tlp; 5] = [
        Tlp::Clear,
        Tlp::Green,
        Tlp::Amber,
        Tlp::AmberStrict,
        Tlp::Red,
    ];

    /// The stable id: `clear`, `green`, `amber`, `amber+strict`, `red` (also the `tlp_2_0` value).
    pub fn id(self) -> &'static str {
        match self {
            Tlp::Clear => "clear",
            Tlp::Green => "green",
            Tlp::Amber => "amber",
            Tlp::AmberStrict => "amber+strict",
            Tlp::Red => "red",
        }
    }

    /// The marking's name, e.g. `TLP:AMBER+STRICT`.
    pub fn name(self) -> &'static str {
        match self {
            Tlp::Clear => "TLP:CLEAR",
            Tlp::Green => "TLP:GREEN",
            Tlp::Amber => "TLP:AMBER",
            Tlp::AmberStrict => "TLP:AMBER+STRICT",
            Tlp::Red => "TLP:RED",
        }
    }

    /// Who may receive the information, in Polish (for the export form).
    pub fn label_pl(self) -> &'static str {
        match self {
            Tlp::Clear => "TLP:CLEAR — bez ograniczeń, także publicznie",
            Tlp::Green => "TLP:GREEN — społeczność odbiorcy (np. ISAC-JST), nie publicznie",
            Tlp::Amber => "TLP:AMBER — organizacja odbiorcy i jej klienci, w razie potrzeby",
            Tlp::AmberStrict => "TLP:AMBER+STRICT — wyłącznie organizacja odbiorcy",
            Tlp::Red => "TLP:RED — wyłącznie wskazani odbiorcy, imiennie",
        }
    }

    /// The OASIS TLP 2.0 marking-definition id (domain.md §6.1).
    pub fn stix_marking_id(self) -> &'static str {
        match self {
            Tlp::Clear => "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
            Tlp::Green => "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
            Tlp::Amber => "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
            Tlp::AmberStrict => "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
            Tlp::Red => "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
        }
    }

    /// The OASIS TLP 2.0 marking-definition object, exactly as published.
    pub fn stix_marking_definition(self) -> Value {
        json!({
            "type": "marking-definition",
            "spec_version": "2.1",
            "id": self.stix_marking_id(),
            "created": TLP_2_0_CREATED,
            "name": self.name(),
            "extensions": {
                TLP_2_0_EXTENSION: {
                    "extension_type": "property-extension",
                    "tlp_2_0": self.id(),
                }
            }
        })
    }

    /// The MISP `tlp` taxonomy tag, e.g. `tlp:amber+strict`.
    pub fn misp_tag(self) -> &'static str {
        match self {
            Tlp::Clear => "tlp:clear",
            Tlp::Green => "tlp:green",
            Tlp::Amber => "tlp:amber",
            Tlp::AmberStrict => "tlp:amber+strict",
            Tlp::Red => "tlp:red",
        }
    }

    /// The MISP event distribution: CLEAR to all communities (3), GREEN to this community (1),
    /// anything stricter to the receiving organisation only (0).
    pub fn misp_distribution(self) -> &'static str {
        match self {
            Tlp::Clear => "3",
            Tlp::Green => "1",
            Tlp::Amber | Tlp::AmberStrict | Tlp::Red => "0",
        }
    }
}

impl fmt::Display for Tlp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// An unknown TLP level.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown TLP level `{0}` (expected clear, green, amber, amber+strict or red)")]
pub struct TlpError(pub String);

impl TlpError {
    pub fn message_pl(&self) -> String {
        format!(
            "Nieznany poziom TLP: „{}” (dozwolone: clear, green, amber, amber+strict, red).",
            self.0
        )
    }
}

impl FromStr for Tlp {
    type Err = TlpError;

    /// Accepts the ids in any case, with or without the `TLP:` prefix; TLP 1.0 `white` reads
    /// as `clear`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_lowercase();
        let bare = lower.strip_prefix("tlp:").unwrap_or(&lower);
        match bare {
            "clear" | "white" => Ok(Tlp::Clear),
            "green" => Ok(Tlp::Green),
            "amber" => Ok(Tlp::Amber),
            "amber+strict" | "amber_strict" => Ok(Tlp::AmberStrict),
            "red" => Ok(Tlp::Red),
            _ => Err(TlpError(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for tlp in Tlp::ALL {
            assert_eq!(tlp.to_string().parse::<Tlp>(), Ok(tlp));
            assert_eq!(tlp.name().parse::<Tlp>(), Ok(tlp));
        }
        assert_eq!("WHITE".parse::<Tlp>(), Ok(Tlp::Clear));
        let error = "orange".parse::<Tlp>().err();
        assert!(error.is_some_and(|e| e.message_pl().contains("„orange”")));
    }
}
