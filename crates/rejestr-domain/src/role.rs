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

/// What a user may do in an organisation. Each role's permissions are listed once, here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Report an incident and follow one's own reports.
    Report,
    /// List and read every case of the register, with its audit trail and attachments.
    ReadRegister,
    /// Triage, assess, change states, add notes.
    ChangeCases,
    /// Change the organisation's settings and memberships.
    ManageOrganisation,
}

impl Role {
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Reporter => matches!(permission, Report),
            Role::Iod => matches!(
                permission,
                Report | ReadRegister | ChangeCases | ManageOrganisation
            ),
            Role::Asi => matches!(permission, Report | ReadRegister | ChangeCases),
            Role::Head => matches!(permission, Report | ReadRegister),
            Role::Auditor => matches!(permission, ReadRegister),
            Role::Admin => matches!(permission, Report | ReadRegister | ManageOrganisation),
        }
    }
}

#[cfg(test)]
mod permission_tests {
    use super::*;

    #[test]
    fn the_auditor_reads_and_nothing_else() {
        assert!(Role::Auditor.allows(Permission::ReadRegister));
        assert!(!Role::Auditor.allows(Permission::ChangeCases));
        assert!(!Role::Auditor.allows(Permission::ManageOrganisation));
        assert!(!Role::Reporter.allows(Permission::ReadRegister));
        assert!(Role::Iod.allows(Permission::ChangeCases));
    }
}
