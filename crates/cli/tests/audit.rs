//! `attache audit` and `attache keys` end to end: a data dir whose log is written through the
//! library (as the server will), verified by the binary, then tampered with plain SQL.

use std::path::Path;
use std::process::{Command, Output};

use attache_audit::{Action, AuditEvent, AuditLog, Classification, Signer};
use attache_vault::Secrets;

/// Runs the binary with the secrets variables of the calling environment removed.
fn attache(args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_attache"));
    c.args(args);
    for v in attache_vault::secrets::ENV_VARS {
        c.env_remove(v);
    }
    c.env_remove("ATTACHE_SECRETS_DIR")
        .env_remove("ATTACHE_DATA_DIR");
    c.output().expect("running attache")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn ok(args: &[&str]) -> String {
    let o = attache(args);
    assert!(o.status.success(), "attache {args:?} failed:\n{}", text(&o));
    text(&o)
}

/// `keys init` in a fresh data dir, then `n` events appended through the library.
fn data_dir_with_events(n: u64) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().to_str().unwrap();
    ok(&["keys", "init", "--data-dir", dir]);
    let (key, _) = Secrets::new(d.path().join("secrets"))
        .audit_signing_key()
        .unwrap();
    let signer = Signer::new(key);
    let log = AuditLog::open(d.path()).unwrap();
    for i in 0..n {
        let e = AuditEvent::new("alice", Action::READ)
            .on(&format!("brief:{i}"), Classification::Secret)
            .detail("ip", "10.0.0.7");
        log.append(&signer, &e).unwrap();
    }
    d
}

fn sql(dir: &Path, statement: &str) {
    let c = rusqlite::Connection::open(dir.join("attache.db")).unwrap();
    c.execute_batch(statement).unwrap();
}

#[test]
fn verify_passes_then_fails_after_one_row_is_edited() {
    let d = data_dir_with_events(5);
    let dir = d.path().to_str().unwrap();
    // `keys init` logged itself as entry 0; the five reads are entries 1 to 5.
    let out = ok(&["audit", "verify", "--data-dir", dir]);
    assert!(
        out.contains("6 entries verified against 6 signed tree heads"),
        "{out}"
    );

    sql(
        d.path(),
        "UPDATE audit_entries SET actor = 'mallory' WHERE idx = 3",
    );
    let o = attache(&["audit", "verify", "--data-dir", dir]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("entry 3: altered"), "{}", text(&o));
}

#[test]
fn verify_names_a_deleted_entry_and_an_older_database() {
    let d = data_dir_with_events(4);
    let dir = d.path().to_str().unwrap();
    let old = d.path().join("old.db");
    sql(d.path(), &format!("VACUUM INTO '{}'", old.display()));
    let (key, _) = Secrets::new(d.path().join("secrets"))
        .audit_signing_key()
        .unwrap();
    AuditLog::open(d.path())
        .unwrap()
        .append(&Signer::new(key), &AuditEvent::new("bob", Action::EXPORT))
        .unwrap();
    ok(&["audit", "verify", "--data-dir", dir]);

    // The database swapped for the older copy (5 entries; the external head says 6).
    let db = d.path().join("attache.db");
    let saved = d.path().join("saved.db");
    sql(d.path(), &format!("VACUUM INTO '{}'", saved.display()));
    for s in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{s}", db.display()));
    }
    std::fs::copy(&old, &db).unwrap();
    let o = attache(&["audit", "verify", "--data-dir", dir]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("entry 5: missing: the external head covers 6 entries"),
        "{}",
        text(&o)
    );

    // The current copy back, then a row deleted from the middle.
    std::fs::copy(&saved, &db).unwrap();
    ok(&["audit", "verify", "--data-dir", dir]);
    sql(d.path(), "DELETE FROM audit_entries WHERE idx = 2");
    let o = attache(&["audit", "verify", "--data-dir", dir]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("entry 2: missing"), "{}", text(&o));
}

#[test]
fn prove_prints_a_proof_that_checks_out() {
    let d = data_dir_with_events(6);
    let dir = d.path().to_str().unwrap();
    let out = ok(&["audit", "prove", "2", "--data-dir", dir]);
    let field = |name: &str| -> String {
        let line = out
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {out}"));
        line[name.len()..]
            .split_whitespace()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(field("entry"), "2");
    assert_eq!(field("tree size"), "7");
    // Recompute the root from the printed leaf and path with the RFC 9162 verifier.
    let hex32 = |s: &str| -> [u8; 32] { hex::decode(s).unwrap().try_into().unwrap() };
    let path: Vec<[u8; 32]> = out
        .lines()
        .skip_while(|l| !l.starts_with("path"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .map(|l| hex32(l.split_whitespace().nth(1).unwrap()))
        .collect();
    assert_eq!(path.len(), 3, "{out}");
    attache_audit::merkle::verify_inclusion(
        2,
        7,
        &hex32(&field("leaf hash")),
        &path,
        &hex32(&field("root")),
    )
    .unwrap();

    let head = ok(&["audit", "head", "--data-dir", dir]);
    let v: serde_json::Value = serde_json::from_str(&head).unwrap();
    assert_eq!(v["tree_size"], 7);
    assert_eq!(v["root"].as_str().unwrap(), field("root"));

    let cons = ok(&["audit", "consistency", "3", "--data-dir", dir]);
    assert!(
        cons.contains("from       tree size 3") && cons.contains("to         tree size 7"),
        "{cons}"
    );

    let o = attache(&["audit", "prove", "7", "--data-dir", dir]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("no entry 7 (the log holds 7)"),
        "{}",
        text(&o)
    );

    let log = ok(&["audit", "log", "--limit", "2", "--data-dir", dir]);
    assert_eq!(log.lines().count(), 3, "{log}");
    assert!(
        log.lines().nth(1).unwrap().trim_start().starts_with("6 "),
        "{log}"
    );
    assert!(log.contains("brief:5") && log.contains("secret"), "{log}");
}

#[test]
fn key_changes_are_logged_and_keys_never_reach_the_database() {
    let d = data_dir_with_events(0);
    let dir = d.path().to_str().unwrap();
    let list = ok(&["keys", "list", "--data-dir", dir]);
    assert_eq!(list.matches("  active").count(), 1, "{list}");
    ok(&["keys", "rotate", "--data-dir", dir]);
    let list = ok(&["keys", "list", "--data-dir", dir]);
    assert_eq!(list.matches("decrypt-only").count(), 1, "{list}");
    let old_id = list
        .lines()
        .find(|l| l.ends_with("decrypt-only"))
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let o = attache(&["keys", "retire", "0011223344556677", "--data-dir", dir]);
    assert!(
        !o.status.success() && text(&o).contains("not in the keyring"),
        "{}",
        text(&o)
    );
    ok(&["keys", "retire", &old_id, "--data-dir", dir]);
    ok(&["keys", "rotate-audit", "--data-dir", dir]);
    // The log (signed by both audit keys across the rotation) verifies.
    let out = ok(&["audit", "verify", "--data-dir", dir]);
    assert!(out.contains("4 entries verified"), "{out}");
    let log = ok(&["audit", "log", "--data-dir", dir]);
    for op in [
        "operation=init",
        "operation=rotate",
        "operation=retire",
        "operation=rotate-audit",
    ] {
        assert!(log.contains(op), "{op} missing from:\n{log}");
    }
    // No key material in the database or its WAL: neither the keyring's base64 nor raw bytes.
    let keyring = std::fs::read_to_string(d.path().join("secrets/vault.keys")).unwrap();
    let mut db = Vec::new();
    for f in ["attache.db", "attache.db-wal"] {
        db.extend(std::fs::read(d.path().join(f)).unwrap_or_default());
    }
    for line in keyring.lines().filter(|l| !l.starts_with('#')) {
        let b64 = line.split_whitespace().nth(1).unwrap();
        assert!(
            !db.windows(b64.len()).any(|w| w == b64.as_bytes()),
            "key text in the database"
        );
        use base64::Engine;
        let raw = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        assert!(
            !db.windows(32).any(|w| w == raw.as_slice()),
            "key bytes in the database"
        );
    }
    // Twice is refused.
    let o = attache(&["keys", "init", "--data-dir", dir]);
    assert!(
        !o.status.success() && text(&o).contains("refusing to overwrite"),
        "{}",
        text(&o)
    );
}

#[test]
fn reanchor_after_a_restore() {
    let d = data_dir_with_events(2);
    let dir = d.path().to_str().unwrap();
    let old = d.path().join("old.db");
    sql(d.path(), &format!("VACUUM INTO '{}'", old.display()));
    ok(&["keys", "rotate", "--data-dir", dir]);
    let db = d.path().join("attache.db");
    for s in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{s}", db.display()));
    }
    std::fs::copy(&old, &db).unwrap();
    assert_eq!(
        attache(&["audit", "verify", "--data-dir", dir])
            .status
            .code(),
        Some(1)
    );
    let out = ok(&["audit", "reanchor", "--data-dir", dir]);
    assert!(out.contains("recorded as entry 3"), "{out}");
    ok(&["audit", "verify", "--data-dir", dir]);
    // A log that is altered inside is not reanchored.
    sql(
        d.path(),
        "UPDATE audit_entries SET object = 'x' WHERE idx = 1",
    );
    std::fs::remove_file(d.path().join("audit-head.json")).unwrap();
    let o = attache(&["audit", "reanchor", "--data-dir", dir]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("entry 1: altered"), "{}", text(&o));
}

#[test]
fn an_empty_log_verifies_and_a_missing_data_dir_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().to_str().unwrap();
    ok(&["keys", "init", "--data-dir", dir]);
    sql(
        d.path(),
        "DELETE FROM audit_entries; DELETE FROM audit_heads; DELETE FROM audit_nodes",
    );
    std::fs::remove_file(d.path().join("audit-head.json")).unwrap();
    let out = ok(&["audit", "verify", "--data-dir", dir]);
    assert!(out.contains("0 entries verified"), "{out}");
    let o = attache(&[
        "audit",
        "verify",
        "--data-dir",
        d.path().join("nope").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("does not exist"), "{}", text(&o));
}
