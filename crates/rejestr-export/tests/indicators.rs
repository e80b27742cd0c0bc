//! Indicators: what each kind accepts, how it is normalised and defanged, and the Polish
//! message when it is refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rejestr_export::{Indicator, IndicatorError, IndicatorKind as K};

fn ok(kind: K, input: &str) -> String {
    match Indicator::new(kind, input) {
        Ok(i) => i.value().to_owned(),
        Err(e) => panic!("{kind:?} `{input}` refused: {}", e.message_pl()),
    }
}

fn refused(kind: K, input: &str) -> String {
    match Indicator::new(kind, input) {
        Ok(i) => panic!("{kind:?} `{input}` accepted as {}", i.value()),
        Err(e) => e.message_pl(),
    }
}

#[test]
fn valid_values_are_normalised() {
    let cases = [
        (K::Ipv4, " 203.0.113.7 ", "203.0.113.7"),
        (K::Ipv4, "203.0.113[.]7", "203.0.113.7"),
        (K::Ipv4, "203(.)0(.)113(.)7", "203.0.113.7"),
        (K::Ipv6, "2001:DB8:0:0::1", "2001:db8::1"),
        (K::Ipv6, "[2001:db8::1]", "2001:db8::1"),
        (K::Ipv6, "2001[:]db8[:][:]1", "2001:db8::1"),
        (K::Domain, "Zly-Serwer[.]Example.", "zly-serwer.example"),
        (K::Domain, "urząd-gminy[dot]example", "urząd-gminy.example"),
        (
            K::Url,
            "hxxps://Zly-Serwer[.]example/Logowanie?x=1",
            "https://zly-serwer.example/Logowanie?x=1",
        ),
        (
            K::Url,
            "HXXP://203.0.113[.]7:8080/a",
            "http://203.0.113.7:8080/a",
        ),
        (K::Url, "http[://]zly[.]example", "http://zly.example"),
        (K::Url, "https://[2001:db8::1]/x", "https://[2001:db8::1]/x"),
        (
            K::EmailSender,
            "Faktury[@]Zly-Serwer[.]example",
            "Faktury@zly-serwer.example",
        ),
        (K::EmailSender, "a.b+c(at)zly.example", "a.b+c@zly.example"),
        (
            K::Md5,
            "D41D8CD98F00B204E9800998ECF8427E",
            "d41d8cd98f00b204e9800998ecf8427e",
        ),
        (
            K::Sha1,
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        ),
        (
            K::Sha256,
            "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        (K::Filename, "faktura.pdf.exe", "faktura.pdf.exe"),
        (
            K::Filename,
            "Faktura 'pilna'.pdf.exe",
            "Faktura 'pilna'.pdf.exe",
        ),
    ];
    for (kind, input, wanted) in cases {
        assert_eq!(ok(kind, input), wanted, "{kind:?} {input}");
    }
}

#[test]
fn invalid_values_are_refused_in_polish() {
    let cases = [
        (K::Ipv4, "203.0.113", "To nie jest poprawny adres IPv4"),
        (K::Ipv4, "203.0.113.256", "adres IPv4"),
        (K::Ipv4, "2001:db8::1", "adres IPv4"),
        (K::Ipv6, "203.0.113.7", "To nie jest poprawny adres IPv6"),
        (K::Ipv6, "2001:db8:::1", "adres IPv6"),
        (K::Domain, "localhost", "To nie jest poprawna nazwa domeny"),
        (K::Domain, "-zly.example", "nazwa domeny"),
        (K::Domain, "zly..example", "nazwa domeny"),
        (K::Domain, "203.0.113.7", "nazwa domeny"),
        (K::Domain, "zly serwer.example", "nazwa domeny"),
        (
            K::Url,
            "zly-serwer.example/logowanie",
            "To nie jest poprawny adres URL",
        ),
        (K::Url, "https://", "adres URL"),
        (K::Url, "https://zly serwer.example/", "adres URL"),
        (K::Url, "https://zly.example:99999/", "adres URL"),
        (
            K::EmailSender,
            "faktury.zly.example",
            "To nie jest poprawny adres e-mail",
        ),
        (
            K::EmailSender,
            "Jan Nowak <jan@zly.example>",
            "adres e-mail",
        ),
        (K::EmailSender, "jan@localhost", "adres e-mail"),
        (
            K::Md5,
            "d41d8cd98f00b204e9800998ecf8427",
            "skrót MD5 (32 znaki szesnastkowe)",
        ),
        (
            K::Sha1,
            "zz39a3ee5e6b4b0d3255bfef95601890afd80709",
            "skrót SHA-1",
        ),
        (
            K::Sha256,
            "d41d8cd98f00b204e9800998ecf8427e",
            "skrót SHA-256 (64 znaki szesnastkowe)",
        ),
        (
            K::Filename,
            "C:\\Users\\faktura.exe",
            "poprawna nazwa pliku",
        ),
        (K::Filename, "tmp/faktura.exe", "poprawna nazwa pliku"),
    ];
    for (kind, input, wanted) in cases {
        let message = refused(kind, input);
        assert!(message.contains(wanted), "{kind:?} {input}: {message}");
        assert!(message.contains(&format!("„{input}”")), "{message}");
    }
    assert_eq!(
        Indicator::new(K::Sha256, "  "),
        Err(IndicatorError::Empty(K::Sha256))
    );
    assert_eq!(
        refused(K::Ipv4, " "),
        "Podaj wartość wskaźnika: adres ipv4."
    );
    let long = "x".repeat(300);
    let message = refused(K::Domain, &long);
    assert!(message.ends_with("…”."), "{message}");
}

#[test]
fn defanged_display_is_safe_and_refangs_to_the_same_value() {
    let cases = [
        (K::Ipv4, "203.0.113.7", "203[.]0[.]113[.]7"),
        (K::Ipv6, "2001:db8::1", "2001[:]db8[:][:]1"),
        (K::Domain, "zly.example", "zly[.]example"),
        (
            K::Url,
            "https://zly.example/a.php",
            "hxxps[://]zly[.]example/a[.]php",
        ),
        (K::EmailSender, "a.b@zly.example", "a[.]b[@]zly[.]example"),
        (K::Filename, "faktura.pdf.exe", "faktura.pdf.exe"),
    ];
    for (kind, input, wanted) in cases {
        let indicator = Indicator::new(kind, input).unwrap();
        assert_eq!(indicator.defanged(), wanted);
        assert_eq!(
            Indicator::new(kind, &indicator.defanged()).unwrap(),
            indicator
        );
    }
}

#[test]
fn kinds_have_stable_ids_and_polish_labels() {
    for kind in K::ALL {
        assert_eq!(K::from_id(kind.id()), Some(kind));
        assert_eq!(
            serde_json::to_value(kind).unwrap(),
            serde_json::json!(kind.id())
        );
        assert!(!kind.label_pl().is_empty());
    }
    assert_eq!(K::EmailSender.id(), "email_sender");
}

#[test]
fn stored_indicators_are_checked_when_read() {
    let read: Indicator =
        serde_json::from_str(r#"{"kind": "domain", "value": "Zly[.]Example", "comment": " C2 "}"#)
            .unwrap();
    assert_eq!(read.value(), "zly.example");
    assert_eq!(read.comment.as_deref(), Some("C2"));
    assert_eq!(
        serde_json::to_value(&read).unwrap(),
        serde_json::json!({"kind": "domain", "value": "zly.example", "comment": "C2"})
    );
    assert!(serde_json::from_str::<Indicator>(r#"{"kind": "ipv4", "value": "1.2.3"}"#).is_err());
    assert!(serde_json::from_str::<Indicator>(r#"{"kind": "ip", "value": "1.2.3.4"}"#).is_err());
}
