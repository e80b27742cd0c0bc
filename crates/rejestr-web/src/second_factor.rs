//! The TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s, ±1 step), via totp-rs.

use chrono::{DateTime, Utc};
use totp_rs::{Builder, Secret, Totp};

const ISSUER: &str = "Rejestr72";

fn totp(secret_base32: &str, account: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret_base32).ok()?;
    Builder::new()
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        .with_account_name(account)
        .build()
        .ok()
}

/// A fresh secret, base32.
pub(crate) fn new_secret() -> String {
    Secret::generate().to_base32()
}

/// The `otpauth://` address an authenticator app reads.
pub(crate) fn otpauth_url(secret_base32: &str, account: &str) -> Option<String> {
    totp(secret_base32, account)?.to_url().ok()
}

/// The time step of `code` if it is valid at `now`.
pub(crate) fn verify(secret_base32: &str, code: &str, now: DateTime<Utc>) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let time = u64::try_from(now.timestamp()).ok()?;
    let step = totp(secret_base32, "user")?.check(&code, time)?;
    i64::try_from(step).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_verify_within_one_step_and_not_beyond() {
        let secret = new_secret();
        let now = DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        let generator = totp(&secret, "user");
        assert!(generator.is_some(), "a generated secret builds");
        let Some(generator) = generator else { return };
        let code = generator.generate(1_790_000_000).to_string();
        assert!(verify(&secret, &code, now).is_some());
        assert!(verify(&secret, &code, now + chrono::Duration::seconds(30)).is_some());
        assert!(verify(&secret, &code, now + chrono::Duration::seconds(120)).is_none());
        assert!(verify(&secret, "12345", now).is_none());
        assert!(verify("not base32!", &code, now).is_none());
        assert!(
            otpauth_url(&secret, "iod@gmina.pl").is_some_and(|u| u.starts_with("otpauth://totp/"))
        );
    }
}
