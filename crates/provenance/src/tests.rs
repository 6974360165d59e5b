//! Sign, then verify the manifest and file after each kind of change: exactly the unaltered pair
//! under a trusted key is valid, and each change gets its own verdict.

use super::*;
use proptest::prelude::*;

const STATEMENT: &str = "The Ministry welcomes the ceasefire agreed on 1 March and calls on all parties to respect it.\n";

fn key(b: u8) -> SigningKey {
    SigningKey::from_bytes(&[b; 32])
}

fn statement() -> Statement {
    Statement {
        file_name: "statement.txt".into(),
        signer: "Ministry of Foreign Affairs".into(),
        claims: BTreeMap::from([
            ("language".to_string(), "en".to_string()),
            ("title".to_string(), "Ceasefire".to_string()),
        ]),
    }
}

fn signed() -> Manifest {
    sign(
        STATEMENT.as_bytes(),
        &statement(),
        &key(1),
        "2025-03-01T09:30:00.75Z".parse().unwrap(),
    )
    .unwrap()
}

/// The verdict's kind, for table tests.
fn kind(v: &Verdict) -> &'static str {
    match v {
        Verdict::Valid { .. } => "valid",
        Verdict::DigestMismatch { .. } => "digest",
        Verdict::BadSignature { .. } => "signature",
        Verdict::UnknownKey { .. } => "unknown-key",
        Verdict::Malformed { .. } => "malformed",
    }
}

/// Verifies `file` against the JSON manifest edited by `edit` under key 1 and expects `expect`.
fn check(file: &str, edit: impl Fn(&mut serde_json::Value), expect: &str) {
    let mut json: serde_json::Value = serde_json::from_str(&signed().to_json()).unwrap();
    edit(&mut json);
    let v = verify(
        file.as_bytes(),
        json.to_string().as_bytes(),
        &[key(1).verifying_key()],
    );
    assert_eq!(kind(&v), expect, "{v}");
}

#[test]
fn sign_then_verify() {
    let m = signed();
    assert_eq!(
        m.signed_at, "2025-03-01T09:30:01Z",
        "signed_at rounds to the second"
    );
    let v = verify(
        STATEMENT.as_bytes(),
        m.to_json().as_bytes(),
        &[key(1).verifying_key()],
    );
    let Verdict::Valid {
        signer,
        signed_at,
        claims,
        file_name,
        ..
    } = v
    else {
        panic!("{v}")
    };
    assert_eq!(signer, "Ministry of Foreign Affairs");
    assert_eq!(signed_at, "2025-03-01T09:30:01Z");
    assert_eq!(file_name, "statement.txt");
    assert_eq!(claims["title"], "Ceasefire");
}

#[test]
fn every_change_is_caught() {
    let set =
        |k: &'static str, v: serde_json::Value| move |j: &mut serde_json::Value| j[k] = v.clone();
    check(STATEMENT, |_| {}, "valid");
    // One word of the file changed (the acceptance case), one byte added, the file emptied.
    check(&STATEMENT.replace("welcomes", "condemns"), |_| {}, "digest");
    check(&format!("{STATEMENT} "), |_| {}, "digest");
    check("", |_| {}, "digest");
    // The manifest edited to match another file, or any signed field changed.
    let other = hex::encode(Sha256::digest(b"x"));
    check("x", set("sha256", other.into()), "signature");
    check(STATEMENT, set("signer", "Someone else".into()), "signature");
    check(
        STATEMENT,
        set("signed_at", "2024-03-01T09:31:00Z".into()),
        "signature",
    );
    check(STATEMENT, set("file_name", "other.txt".into()), "signature");
    check(
        STATEMENT,
        |j| j["claims"]["title"] = "Surrender".into(),
        "signature",
    );
    check(
        STATEMENT,
        |j| j["claims"]["extra"] = "1".into(),
        "signature",
    );
    check(STATEMENT, set("size", 5.into()), "signature");
    // A signature from another key, relabelled as the trusted one: the key id no longer matches.
    let forged = sign(
        STATEMENT.as_bytes(),
        &statement(),
        &key(2),
        "2025-03-01T09:30:00Z".parse().unwrap(),
    )
    .unwrap();
    let forged_json: serde_json::Value = serde_json::from_str(&forged.to_json()).unwrap();
    check(
        STATEMENT,
        |j| j["signature"] = forged_json["signature"].clone(),
        "signature",
    );
    check(STATEMENT, |j| *j = forged_json.clone(), "unknown-key");
    let mut relabelled = forged_json.clone();
    relabelled["key_id"] =
        serde_json::from_str::<serde_json::Value>(&signed().to_json()).unwrap()["key_id"].clone();
    check(STATEMENT, |j| *j = relabelled.clone(), "malformed");
    // Shape errors.
    check(STATEMENT, set("version", 2.into()), "malformed");
    check(STATEMENT, set("format", "x".into()), "malformed");
    check(STATEMENT, set("sha256", "abc".into()), "malformed");
    check(STATEMENT, set("signature", "AAAA".into()), "malformed");
    check(STATEMENT, set("signed_at", "yesterday".into()), "malformed");
    check(STATEMENT, set("unexpected", 1.into()), "malformed");
    check(STATEMENT, |j| *j = serde_json::Value::Null, "malformed");
}

#[test]
fn verdict_messages_name_the_problem() {
    let m = signed().to_json();
    let v = verify(b"changed", m.as_bytes(), &[key(1).verifying_key()]);
    assert!(
        v.to_string().contains("not the one signed") && v.to_string().contains("7 bytes"),
        "{v}"
    );
    let v = verify(
        STATEMENT.as_bytes(),
        m.as_bytes(),
        &[key(2).verifying_key()],
    );
    assert!(v.to_string().contains("not a trusted key"), "{v}");
    let v = verify(
        STATEMENT.as_bytes(),
        &vec![b' '; MAX_MANIFEST_BYTES + 1],
        &[],
    );
    assert!(v.to_string().contains("at most"), "{v}");
}

fn check_invalid(s: Statement, needle: &str) {
    let e = sign(b"x", &s, &key(1), jiff::Timestamp::UNIX_EPOCH)
        .unwrap_err()
        .to_string();
    assert!(e.contains(needle), "{e}");
}

#[test]
fn signing_refuses_bad_fields() {
    check_invalid(
        Statement {
            signer: String::new(),
            ..statement()
        },
        "signer: empty",
    );
    check_invalid(
        Statement {
            file_name: "a/b.txt".into(),
            ..statement()
        },
        "directory part",
    );
    check_invalid(
        Statement {
            signer: "a\u{7}".into(),
            ..statement()
        },
        "control character",
    );
    let mut s = statement();
    s.claims.insert("k".into(), "v".repeat(MAX_CLAIM_BYTES + 1));
    check_invalid(s, "claim value");
}

#[cfg(unix)]
#[test]
fn keygen_writes_a_private_key_and_a_public_key() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("ministry.key");
    let (pub_path, id) = keygen(&p).unwrap();
    assert_eq!(
        std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let k = read_key(&p).unwrap();
    assert_eq!(
        read_public_keys(&pub_path).unwrap(),
        vec![k.verifying_key()]
    );
    assert_eq!(id, attache_vault::ed25519::key_id(&k.verifying_key()));
    assert!(keygen(&p).is_err(), "keygen must not overwrite a key");
}

proptest! {
    #[test]
    fn any_file_round_trips_and_any_byte_change_fails(file in proptest::collection::vec(any::<u8>(), 1..2000), pick in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let m = sign(&file, &statement(), &key(3), jiff::Timestamp::UNIX_EPOCH).unwrap().to_json();
        let trusted = [key(3).verifying_key()];
        prop_assert!(verify(&file, m.as_bytes(), &trusted).is_valid());
        let mut changed = file.clone();
        changed[pick.index(file.len())] ^= flip;
        prop_assert_eq!(kind(&verify(&changed, m.as_bytes(), &trusted)), "digest");
    }
}
