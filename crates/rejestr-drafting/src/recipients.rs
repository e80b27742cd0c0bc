//! The list of recipients for a mail merge, as an IOD pastes it from a spreadsheet: one person
//! per line, fields separated by semicolons or tabs: name, then the postal address and/or the
//! e-mail address in any order. Address lines may be separated by `|`.
//!
//! ```text
//! Anna Kowalska; ul. Lipowa 5 | 00-001 Przykładowo; anna.kowalska@example.pl
//! Jan Nowak; jan.nowak@example.pl
//! Maria Wiśniewska; ul. Polna 2 | 00-002 Przykładowo
//! ```

use crate::letter::Recipient;

/// The longest list accepted in one go.
pub const MAX_LINES: usize = 5_000;

/// A line that cannot be used, with a message in Polish for the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based.
    pub line: usize,
    pub message: String,
}

/// Parses the pasted list. Every bad line is reported (not only the first), and nothing is
/// accepted unless every line is good.
pub fn parse_recipients(text: &str) -> Result<Vec<Recipient>, Vec<LineError>> {
    let mut recipients: Vec<(usize, Recipient)> = Vec::new();
    let mut errors = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() > MAX_LINES {
        return Err(vec![LineError {
            line: MAX_LINES + 1,
            message: format!("Za długa lista: najwyżej {MAX_LINES} wierszy naraz."),
        }]);
    }
    for (index, raw) in lines.iter().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match parse_line(trimmed) {
            Ok(recipient) => {
                if let Some(email) = &recipient.email
                    && let Some((first, _)) = recipients
                        .iter()
                        .find(|(_, r)| r.email.as_deref() == Some(email.as_str()))
                {
                    errors.push(LineError {
                        line,
                        message: format!(
                            "Adres {email} powtarza się (pierwszy raz w wierszu {first})."
                        ),
                    });
                    continue;
                }
                recipients.push((line, recipient));
            }
            Err(message) => errors.push(LineError { line, message }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if recipients.is_empty() {
        return Err(vec![LineError {
            line: 1,
            message: "Wpisz co najmniej jednego adresata.".to_owned(),
        }]);
    }
    Ok(recipients.into_iter().map(|(_, r)| r).collect())
}

fn parse_line(line: &str) -> Result<Recipient, String> {
    let mut fields = line.split([';', '\t']).map(str::trim);
    let name = fields.next().unwrap_or_default();
    if name.is_empty() {
        return Err("Brak imienia i nazwiska (pierwsze pole).".to_owned());
    }
    if name.contains('@') {
        return Err(
            "Pierwsze pole to imię i nazwisko, a adres e-mail podaj po średniku.".to_owned(),
        );
    }
    if name.chars().count() > 200 {
        return Err("Imię i nazwisko jest dłuższe niż 200 znaków.".to_owned());
    }
    let mut email = None;
    let mut address: Vec<String> = Vec::new();
    for field in fields.filter(|f| !f.is_empty()) {
        if field.contains('@') && !field.contains(' ') {
            if email.is_some() {
                return Err("Podaj jeden adres e-mail na osobę.".to_owned());
            }
            if !is_email(field) {
                return Err(format!("„{field}” nie jest poprawnym adresem e-mail."));
            }
            email = Some(field.to_owned());
        } else {
            address.extend(
                field
                    .split('|')
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned),
            );
        }
    }
    let address = address.join("\n");
    if address.chars().count() > 500 {
        return Err("Adres pocztowy jest dłuższy niż 500 znaków.".to_owned());
    }
    Ok(Recipient {
        name: name.to_owned(),
        email,
        address: (!address.is_empty()).then_some(address),
    })
}

/// A plausible mailbox address: one `@`, a local part, a dotted domain of letters, digits and
/// hyphens. The SMTP server has the last word; this catches typing mistakes.
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let domain_ok = domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    text.len() <= 254 && local_ok && domain_ok
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_pasted_list_gives_names_addresses_and_emails() {
        let list = "# z arkusza\n\
                    Anna Kowalska; ul. Lipowa 5 | 00-001 Przykładowo; anna.kowalska@example.pl\n\
                    \n\
                    Jan Nowak\tjan.nowak@example.pl\n\
                    Maria Wiśniewska; ul. Polna 2 | 00-002 Przykładowo\n";
        let parsed = parse_recipients(list).unwrap();
        assert_eq!(parsed.len(), 3);
        assert_eq!(parsed[0].name, "Anna Kowalska");
        assert_eq!(
            parsed[0].address.as_deref(),
            Some("ul. Lipowa 5\n00-001 Przykładowo")
        );
        assert_eq!(parsed[0].email.as_deref(), Some("anna.kowalska@example.pl"));
        assert_eq!(parsed[1].email.as_deref(), Some("jan.nowak@example.pl"));
        assert_eq!(parsed[1].address, None);
        assert_eq!(parsed[2].email, None);
    }

    #[test]
    fn every_bad_line_is_named_and_nothing_is_accepted() {
        let list = "Anna Kowalska; anna@example\n\
                    ; ul. Lipowa 5\n\
                    jan@example.pl\n\
                    Jan Nowak; jan@example.pl\n\
                    Jan Nowak junior; jan@example.pl\n\
                    Ewa; a@b.pl; c@d.pl";
        let errors = parse_recipients(list).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 2, 3, 5, 6]);
        assert!(errors[0].message.contains("anna@example"), "{errors:?}");
        assert!(errors[3].message.contains("wierszu 4"), "{errors:?}");
    }

    #[test]
    fn an_empty_list_is_refused() {
        assert_eq!(parse_recipients("\n# nic\n").unwrap_err()[0].line, 1);
    }

    #[test]
    fn plausible_addresses() {
        for good in ["a@b.pl", "jan.nowak+rodo@urzad.gmina.pl", "żaneta@gmina.pl"] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "a@b",
            "@b.pl",
            "a@.pl",
            "a..b@c.pl",
            "a@b..pl",
            "a@-b.pl",
            "a b@c.pl",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
