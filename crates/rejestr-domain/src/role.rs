//! Roles a user holds in an organisation (design.md §1).

use std::str::FromStr;

use crate::org::UnknownValue;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// An employee who reports and follows their own reports.
    Reporter,
    /// The data protection officer (inspektor ochrony danych).
    Iod,
    /// IT security (administrator systemu informatycznego).
    Asi,
    /// The head of the office (kierownik jednostki).
    Head,
    /// A read-only auditor or PUODO inspector.
    Auditor,
    /// Manages organisations, users, rules and templates.
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Reporter,
        Role::Iod,
        Role::Asi,
        Role::Head,
        Role::Auditor,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reporter => "reporter",
            Role::Iod => "iod",
            Role::Asi => "asi",
            Role::Head => "head",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
        }
    }

    pub fn label_pl(self) -> &'static str {
        match self {
            Role::Reporter => "zgłaszający",
            Role::Iod => "inspektor ochrony danych",
            Role::Asi => "administrator systemu informatycznego",
            Role::Head => "kierownik jednostki",
            Role::Auditor => "audytor",
            Role::Admin => "administrator",
        }
    }
}

impl FromStr for Role {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownValue::new("role", s))
    }
}
