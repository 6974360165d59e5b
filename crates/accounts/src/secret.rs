//! Secrets handed to clients (API tokens, session ids, CSRF tokens): 256 bits from the operating
//! system, hex-encoded; the store keeps only their SHA-256 digest, and compares in constant time.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::AccountsError;

/// Bytes of entropy in every token, session id and CSRF token (256 bits).
pub const SECRET_BYTES: usize = 32;

/// 256 random bits as 64 lowercase hex digits.
pub(crate) fn random_hex() -> Result<String, AccountsError> {
    let mut buf = [0u8; SECRET_BYTES];
    getrandom::fill(&mut buf).map_err(|e| AccountsError::Random {
        detail: e.to_string(),
    })?;
    Ok(hex::encode(buf))
}

/// The SHA-256 digest under which a secret is stored. A 256-bit random secret needs no salt or
/// slow hash: the digest is a lookup key that reveals nothing usable about the secret.
pub(crate) fn digest(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// The digest of a secret within a domain, so one secret can yield unrelated values (the CSRF
/// token is derived from the session id this way and never stored).
pub(crate) fn derive(domain: &str, secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(domain.as_bytes());
    h.update([0u8]);
    h.update(secret.as_bytes());
    hex::encode(h.finalize())
}

/// Constant-time equality of two byte strings (the length is not secret).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// Whether `s` has the shape of [`random_hex`] output (64 lowercase hex digits).
pub(crate) fn is_hex_secret(s: &str) -> bool {
    s.len() == 2 * SECRET_BYTES
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_secrets_are_distinct_and_well_formed() {
        let a = random_hex().unwrap();
        let b = random_hex().unwrap();
        assert!(is_hex_secret(&a) && is_hex_secret(&b));
        assert_ne!(a, b);
    }

    fn check_shape(s: &str, expect: bool) {
        assert_eq!(is_hex_secret(s), expect, "{s:?}");
    }

    #[test]
    fn shape() {
        check_shape(&"a".repeat(64), true);
        check_shape(&"0123456789abcdef".repeat(4), true);
        check_shape(&"A".repeat(64), false);
        check_shape(&"a".repeat(63), false);
        check_shape(&"a".repeat(65), false);
        check_shape(&format!("{}g", "a".repeat(63)), false);
        check_shape("", false);
    }

    #[test]
    fn derived_values_differ_by_domain_and_from_the_digest() {
        let s = random_hex().unwrap();
        assert_ne!(derive("csrf", &s), derive("other", &s));
        assert_ne!(derive("csrf", &s), hex::encode(digest(&s)));
        assert!(ct_eq(b"abc", b"abc") && !ct_eq(b"abc", b"abd") && !ct_eq(b"abc", b"ab"));
    }
}
