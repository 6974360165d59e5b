//! Defences against cross-site request forgery, in three layers:
//!
//! - **Same origin.** Every state-changing request (not GET/HEAD/OPTIONS) that arrives with a
//!   session cookie must come from this site: a `Sec-Fetch-Site` other than `same-origin` or
//!   `none` is refused, and so is an `Origin` whose host is not the request's `Host`
//!   ([`check_same_origin`], applied by the `Viewer` extractor, so no route can forget it).
//! - **Session tokens.** Forms carry the session's CSRF token; API calls authenticated by the
//!   cookie carry it in `X-CSRF-Token` (`GET /api/v1/me` tells a signed-in page its token).
//!   Bearer-token calls need neither: a browser never adds a bearer token on its own.
//! - **Login tokens.** The login form has no session yet. Its token is issued by the server:
//!   an expiry and a nonce signed with a per-process key (HMAC-SHA256, [`LoginTokens`]), and the
//!   same value sits in a cookie (double submit). A token the server did not issue, or one past
//!   its expiry, is refused, so an attacker cannot plant an equal cookie/field pair of their own.
//!   Nothing is stored per token: anonymous traffic cannot grow server state this way.

use std::time::{SystemTime, UNIX_EPOCH};

use attache_accounts::secret::ct_eq;
use axum::http::{HeaderMap, Method, header};
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// The header an API call authenticated by the session cookie carries its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How long a login form stays valid.
pub const LOGIN_TOKEN_SECS: u64 = 3600;

/// Whether `method` may change state (and so needs the checks above).
pub fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Refuses a request that says, or shows by its `Origin`, that it comes from another site.
///
/// `Sec-Fetch-Site: same-origin` is the browser's own statement (a page cannot set it) and
/// settles the question: a browser may send `Origin: null` with it for a form on one of our
/// pages (it did under the old `Referrer-Policy: no-referrer`, which refused every signed-in
/// form in a real browser until the decision-room browser test found it).
pub fn check_same_origin(headers: &HeaderMap) -> Result<(), AppError> {
    if let Some(site) = headers.get("sec-fetch-site") {
        let site = site.to_str().unwrap_or("");
        if site == "same-origin" {
            return Ok(());
        }
        if site != "none" {
            return Err(AppError::Csrf);
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let origin = origin.to_str().unwrap_or("");
        let authority = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
        if authority.is_empty() || !authority.eq_ignore_ascii_case(host) {
            return Err(AppError::Csrf);
        }
    }
    Ok(())
}

/// Issues and checks login-form tokens: `expiry.nonce.mac`, all hex or decimal.
pub struct LoginTokens {
    key: [u8; 32],
}

impl LoginTokens {
    /// A fresh random key (forms issued before a restart are refused after it).
    pub fn new() -> Result<LoginTokens, getrandom::Error> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key)?;
        Ok(LoginTokens { key })
    }

    fn mac(&self, expiry: u64, nonce: &str) -> String {
        hex::encode(hmac_sha256(
            &self.key,
            format!("attache-login|{expiry}|{nonce}").as_bytes(),
        ))
    }

    /// A token valid until `now + LOGIN_TOKEN_SECS`.
    pub fn issue(&self, now: u64) -> Result<String, AppError> {
        let mut nonce = [0u8; 16];
        getrandom::fill(&mut nonce).map_err(AppError::internal)?;
        let (expiry, nonce) = (now + LOGIN_TOKEN_SECS, hex::encode(nonce));
        Ok(format!("{expiry}.{nonce}.{}", self.mac(expiry, &nonce)))
    }

    /// Whether this server issued `token` and it has not expired at `now`.
    pub fn check(&self, token: &str, now: u64) -> bool {
        let mut parts = token.split('.');
        let (Some(expiry), Some(nonce), Some(mac), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        let Ok(expiry) = expiry.parse::<u64>() else {
            return false;
        };
        ct_eq(self.mac(expiry, nonce).as_bytes(), mac.as_bytes())
            && now <= expiry
            && expiry <= now + LOGIN_TOKEN_SECS
    }
}

/// Seconds since the epoch.
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// HMAC-SHA256 (RFC 2104).
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| k.map(|x| x ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(msg)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231, test cases 1, 2 and 6 (a key longer than the block).
    #[test]
    fn hmac_matches_rfc_4231() {
        let cases: [(&[u8], &[u8], &str); 3] = [
            (
                &[0x0b; 20],
                b"Hi There",
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            ),
            (
                b"Jefe",
                b"what do ya want for nothing?",
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
            (
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First",
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            ),
        ];
        for (key, msg, want) in cases {
            assert_eq!(hex::encode(hmac_sha256(key, msg)), want);
        }
    }

    #[test]
    fn login_tokens_are_the_servers_own_and_expire() {
        let t = LoginTokens::new().unwrap();
        let now = 1_800_000_000;
        let tok = t.issue(now).unwrap();
        assert!(t.check(&tok, now));
        assert!(t.check(&tok, now + LOGIN_TOKEN_SECS));
        assert!(!t.check(&tok, now + LOGIN_TOKEN_SECS + 1), "expired");
        assert!(
            !LoginTokens::new().unwrap().check(&tok, now),
            "another key (a restart, another server)"
        );
        let (head, mac) = tok.rsplit_once('.').unwrap();
        let forged_expiry = format!("{}{}", now + 99_999_999, &head[head.find('.').unwrap()..]);
        for bad in [
            "",
            "x",
            "1.2.3",
            &format!("{forged_expiry}.{mac}"),
            &format!("{head}.{}", "0".repeat(64)),
            &format!("{tok}.x"),
        ] {
            assert!(!t.check(bad, now), "{bad}");
        }
    }

    #[test]
    fn same_origin_check() {
        let check = |pairs: &[(&str, &str)]| {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, "attache.example:8080".parse().unwrap());
            for (k, v) in pairs {
                h.insert(
                    axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                    v.parse().unwrap(),
                );
            }
            check_same_origin(&h).is_ok()
        };
        assert!(
            check(&[]),
            "no claim either way (a script, an old browser): the token checks decide"
        );
        assert!(check(&[
            ("sec-fetch-site", "same-origin"),
            ("origin", "http://attache.example:8080")
        ]));
        assert!(check(&[("sec-fetch-site", "none")]));
        assert!(!check(&[("sec-fetch-site", "cross-site")]));
        assert!(!check(&[("sec-fetch-site", "same-site")]));
        assert!(!check(&[("origin", "http://evil.example")]));
        assert!(!check(&[(
            "origin",
            "http://attache.example:8080.evil.example"
        )]));
        assert!(!check(&[("origin", "null")]));
        assert!(
            check(&[("sec-fetch-site", "same-origin"), ("origin", "null")]),
            "a form on our own page whose origin the browser withholds"
        );
        assert!(!check(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "null")
        ]));
    }
}
