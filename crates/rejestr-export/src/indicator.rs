//! Technical indicators of compromise (IoC): parsed once, normalised, then trusted.
//!
//! Analysts paste indicators "defanged" (`hxxp://evil[.]example`, `203.0.113[.]7`) so that
//! nobody clicks them; [`Indicator::new`] accepts that form, re-fangs it and checks the value
//! for its kind. [`Indicator::defanged`] gives the safe form back for display.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

/// What an indicator is. The serde ids are the stored and form ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    Ipv4,
    Ipv6,
    Domain,
    Url,
    EmailSender,
    Md5,
    Sha1,
    Sha256,
    Filename,
}

impl IndicatorKind {
    pub const ALL: [IndicatorKind; 9] = [
        IndicatorKind::Ipv4,
        IndicatorKind::Ipv6,
        IndicatorKind::Domain,
        IndicatorKind::Url,
        IndicatorKind::EmailSender,
        IndicatorKind::Md5,
        IndicatorKind::Sha1,
        IndicatorKind::Sha256,
        IndicatorKind::Filename,
    ];

    /// The stable id (equal to the serde form).
    pub fn id(self) -> &'static str {
        match self {
            IndicatorKind::Ipv4 => "ipv4",
            IndicatorKind::Ipv6 => "ipv6",
            IndicatorKind::Domain => "domain",
            IndicatorKind::Url => "url",
            IndicatorKind::EmailSender => "email_sender",
            IndicatorKind::Md5 => "md5",
            IndicatorKind::Sha1 => "sha1",
            IndicatorKind::Sha256 => "sha256",
            IndicatorKind::Filename => "filename",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.id() == id)
    }

    pub fn label_pl(self) -> &'static str {
        match self {
            IndicatorKind::Ipv4 => "Adres IPv4",
            IndicatorKind::Ipv6 => "Adres IPv6",
            IndicatorKind::Domain => "Domena",
            IndicatorKind::Url => "Adres URL",
            IndicatorKind::EmailSender => "Adres e-mail nadawcy",
            IndicatorKind::Md5 => "Skrót MD5",
            IndicatorKind::Sha1 => "Skrót SHA-1",
            IndicatorKind::Sha256 => "Skrót SHA-256",
            IndicatorKind::Filename => "Nazwa pliku",
        }
    }

    /// What a valid value looks like, in Polish (the second half of an error message).
    fn expected_pl(self) -> &'static str {
        match self {
            IndicatorKind::Ipv4 => "poprawny adres IPv4 (np. 203.0.113.7)",
            IndicatorKind::Ipv6 => "poprawny adres IPv6 (np. 2001:db8::7)",
            IndicatorKind::Domain => "poprawna nazwa domeny (np. zly-serwer.example)",
            IndicatorKind::Url => "poprawny adres URL (np. https://zly-serwer.example/logowanie)",
            IndicatorKind::EmailSender => "poprawny adres e-mail (np. faktury@zly-serwer.example)",
            IndicatorKind::Md5 => "poprawny skrót MD5 (32 znaki szesnastkowe)",
            IndicatorKind::Sha1 => "poprawny skrót SHA-1 (40 znaków szesnastkowych)",
            IndicatorKind::Sha256 => "poprawny skrót SHA-256 (64 znaki szesnastkowe)",
            IndicatorKind::Filename => {
                "poprawna nazwa pliku (bez ukośników i znaków sterujących, do 255 znaków)"
            }
        }
    }
}

/// Why a value is not an indicator of the chosen kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndicatorError {
    #[error("empty {} indicator", .0.id())]
    Empty(IndicatorKind),
    #[error("not a valid {} indicator: {value}", kind.id())]
    Invalid { kind: IndicatorKind, value: String },
}

impl IndicatorError {
    /// One sentence in Polish for the form, e.g. `To nie jest poprawny adres IPv4 (…): „1.2.3”.`
    pub fn message_pl(&self) -> String {
        match self {
            IndicatorError::Empty(kind) => {
                format!(
                    "Podaj wartość wskaźnika: {}.",
                    kind.label_pl().to_lowercase()
                )
            }
            IndicatorError::Invalid { kind, value } => {
                let shown: String = value.chars().take(80).collect();
                let more = if value.chars().count() > 80 {
                    "…"
                } else {
                    ""
                };
                format!("To nie jest {}: „{shown}{more}”.", kind.expected_pl())
            }
        }
    }
}

/// A checked, normalised indicator. The value is re-fanged (the form a STIX pattern or a MISP
/// attribute needs); the comment is the analyst's free text, exported only with a released
/// description (see the crate docs).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawIndicator", into = "RawIndicator")]
pub struct Indicator {
    kind: IndicatorKind,
    value: String,
    pub comment: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct RawIndicator {
    kind: IndicatorKind,
    value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
}

impl TryFrom<RawIndicator> for Indicator {
    type Error = IndicatorError;

    fn try_from(raw: RawIndicator) -> Result<Self, Self::Error> {
        Ok(Indicator::new(raw.kind, &raw.value)?.with_comment(raw.comment))
    }
}

impl From<Indicator> for RawIndicator {
    fn from(indicator: Indicator) -> Self {
        RawIndicator {
            kind: indicator.kind,
            value: indicator.value,
            comment: indicator.comment,
        }
    }
}

impl Indicator {
    /// Checks and normalises `input` (defanged input is accepted).
    pub fn new(kind: IndicatorKind, input: &str) -> Result<Indicator, IndicatorError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(IndicatorError::Empty(kind));
        }
        let invalid = || IndicatorError::Invalid {
            kind,
            value: trimmed.to_owned(),
        };
        let value = match kind {
            IndicatorKind::Filename => filename(trimmed),
            IndicatorKind::Md5 => hex_digest(trimmed, 32),
            IndicatorKind::Sha1 => hex_digest(trimmed, 40),
            IndicatorKind::Sha256 => hex_digest(trimmed, 64),
            IndicatorKind::Ipv4 => refang(trimmed)
                .parse::<Ipv4Addr>()
                .ok()
                .map(|a| a.to_string()),
            IndicatorKind::Ipv6 => ipv6(&refang(trimmed)),
            IndicatorKind::Domain => domain(&refang(trimmed)),
            IndicatorKind::Url => url(&refang(trimmed)),
            IndicatorKind::EmailSender => email(&refang(trimmed)),
        }
        .ok_or_else(invalid)?;
        Ok(Indicator {
            kind,
            value,
            comment: None,
        })
    }

    /// The same indicator with a comment (blank comments are dropped).
    pub fn with_comment(mut self, comment: Option<String>) -> Indicator {
        self.comment = comment
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        self
    }

    pub fn kind(&self) -> IndicatorKind {
        self.kind
    }

    /// The normalised (live) value.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The value made safe to display: `hxxp`, `[.]`, `[@]`, `[:]`. Hashes and file names are
    /// not active and are shown as they are.
    pub fn defanged(&self) -> String {
        match self.kind {
            IndicatorKind::Ipv4 | IndicatorKind::Domain => self.value.replace('.', "[.]"),
            IndicatorKind::Ipv6 => self.value.replace(':', "[:]"),
            IndicatorKind::EmailSender => self.value.replace('@', "[@]").replace('.', "[.]"),
            IndicatorKind::Url => {
                let (scheme, rest) = self.value.split_once("://").unwrap_or(("", &self.value));
                let scheme = scheme.replacen("http", "hxxp", 1).replacen("ftp", "fxp", 1);
                format!("{scheme}[://]{}", rest.replace('.', "[.]"))
            }
            IndicatorKind::Md5
            | IndicatorKind::Sha1
            | IndicatorKind::Sha256
            | IndicatorKind::Filename => self.value.clone(),
        }
    }
}

/// Undoes the usual defanging notations.
fn refang(input: &str) -> String {
    let mut s = input.to_owned();
    for (from, to) in [
        ("[://]", "://"),
        ("[:]", ":"),
        ("[.]", "."),
        ("(.)", "."),
        ("{.}", "."),
        ("[dot]", "."),
        ("(dot)", "."),
        ("[@]", "@"),
        ("(@)", "@"),
        ("[at]", "@"),
        ("(at)", "@"),
    ] {
        s = s.replace(from, to);
    }
    let lower = s.to_ascii_lowercase();
    for (from, to) in [("hxxps", "https"), ("hxxp", "http"), ("fxp", "ftp")] {
        if lower.starts_with(from) {
            s = format!("{to}{}", &s[from.len()..]);
            break;
        }
    }
    s
}

fn hex_digest(input: &str, len: usize) -> Option<String> {
    (input.len() == len && input.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| input.to_ascii_lowercase())
}

fn filename(input: &str) -> Option<String> {
    let ok = input.chars().count() <= 255
        && input != "."
        && input != ".."
        && !input
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control());
    ok.then(|| input.to_owned())
}

fn ipv6(input: &str) -> Option<String> {
    let bare = input
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(input);
    bare.parse::<Ipv6Addr>().ok().map(|a| a.to_string())
}

/// A host name: at least two labels of letters (any script), digits and inner hyphens, a TLD
/// that is not numeric; lower-cased, without the trailing dot.
fn domain(input: &str) -> Option<String> {
    let lower = input.strip_suffix('.').unwrap_or(input).to_lowercase();
    if lower.len() > 253 {
        return None;
    }
    let labels: Vec<&str> = lower.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.chars().count() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    };
    let tld_ok = labels
        .last()
        .is_some_and(|t| !t.chars().all(|c| c.is_ascii_digit()));
    (labels.len() >= 2 && labels.iter().all(label_ok) && tld_ok).then_some(lower)
}

/// An absolute URL with a scheme and a host (a domain or an IP address). The scheme and host
/// are lower-cased; the rest is kept as written.
fn url(input: &str) -> Option<String> {
    if input.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (scheme, rest) = input.split_once("://")?;
    let scheme_ok = scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if host_port.starts_with('[') {
        let close = host_port.find(']')?;
        host_port.split_at(close + 1)
    } else {
        host_port.split_at(host_port.find(':').unwrap_or(host_port.len()))
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| !p.is_empty() && p.parse::<u16>().is_ok());
    let host = if let Some(v6) = ipv6(host).filter(|_| host.starts_with('[')) {
        format!("[{v6}]")
    } else if let Ok(v4) = host.parse::<Ipv4Addr>() {
        v4.to_string()
    } else {
        domain(host)?
    };
    if !port_ok {
        return None;
    }
    let user = authority
        .rsplit_once('@')
        .map_or(String::new(), |(u, _)| format!("{u}@"));
    Some(format!(
        "{}://{user}{host}{port}{tail}",
        scheme.to_ascii_lowercase()
    ))
}

/// `local@domain`: a local part without spaces, angle brackets or quotes, a valid domain.
/// The domain is lower-cased; the local part is kept.
fn email(input: &str) -> Option<String> {
    let (local, host) = input.rsplit_once('@')?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let host = domain(host)?;
    local_ok.then(|| format!("{local}@{host}"))
}
