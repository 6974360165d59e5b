//! The tamper matrix: each way of altering the stored log, done with plain SQL (or file
//! operations) as an attacker holding the database would, is caught at the right entry.

mod common;

use attache_audit::{AuditError, AuditLog, Finding, Problem};
use common::{Fixture, other_signer, signer, trusted};
use rusqlite::{Connection, params};

const N: u64 = 10;

/// Builds a log of `N` entries, applies `tamper` through a separate connection, and expects
/// verification to report exactly `expect`.
fn check(name: &str, tamper: impl Fn(&Connection), expect: Finding) {
    let f = Fixture::new(N);
    f.verify()
        .unwrap_or_else(|e| panic!("{name}: the untampered log fails: {e}"));
    tamper(&f.sql());
    match f.verify() {
        Err(AuditError::Tampered { finding, .. }) => assert_eq!(finding, expect, "{name}"),
        other => panic!("{name}: expected {expect}, got {other:?}"),
    }
}

fn at(entry: u64, problem: Problem) -> Finding {
    Finding {
        entry: Some(entry),
        problem,
    }
}

fn exec(sql: &'static str) -> impl Fn(&Connection) {
    move |c: &Connection| {
        let changed = c.execute_batch(sql);
        changed.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

#[test]
fn edited_entries() {
    check(
        "actor",
        exec("UPDATE audit_entries SET actor = 'mallory' WHERE idx = 3"),
        at(3, Problem::Altered),
    );
    check(
        "detail",
        exec("UPDATE audit_entries SET detail = '{}' WHERE idx = 0"),
        at(0, Problem::Altered),
    );
    check(
        "time",
        exec("UPDATE audit_entries SET time = '2020-01-01T00:00:00.000000Z' WHERE idx = 9"),
        at(9, Problem::Altered),
    );
    check(
        "classification",
        exec("UPDATE audit_entries SET classification = 'public' WHERE idx = 6"),
        at(6, Problem::Altered),
    );
    check(
        "action",
        exec("UPDATE audit_entries SET action = 'logout' WHERE idx = 5"),
        at(5, Problem::Altered),
    );
    check(
        "object",
        exec("UPDATE audit_entries SET object = 'brief:999' WHERE idx = 1"),
        at(1, Problem::Altered),
    );
    // One character, invisible to the eye.
    check(
        "one byte",
        exec("UPDATE audit_entries SET actor = 'alicе' WHERE idx = 1"),
        at(1, Problem::Altered),
    );
    // The column's text affinity turns a number into text: an ordinary edit.
    check(
        "number",
        exec("UPDATE audit_entries SET object = 42 WHERE idx = 4"),
        at(4, Problem::Altered),
    );
    // The same bytes as a blob would hash alike; the type change itself is reported.
    check(
        "type",
        exec("UPDATE audit_entries SET object = CAST(object AS BLOB) WHERE idx = 4"),
        at(4, Problem::WrongType { column: "object" }),
    );
}

#[test]
fn deleted_entries() {
    check(
        "middle",
        exec("DELETE FROM audit_entries WHERE idx = 4"),
        at(4, Problem::Missing { next: 5 }),
    );
    check(
        "first",
        exec("DELETE FROM audit_entries WHERE idx = 0"),
        at(0, Problem::Missing { next: 1 }),
    );
    check(
        "last",
        exec("DELETE FROM audit_entries WHERE idx = 9"),
        at(9, Problem::Truncated { head_size: 10 }),
    );
    check(
        "tail",
        exec("DELETE FROM audit_entries WHERE idx >= 7"),
        at(7, Problem::Truncated { head_size: 10 }),
    );
    check(
        "last with its head",
        exec(
            "DELETE FROM audit_entries WHERE idx = 9; DELETE FROM audit_heads WHERE tree_size = 10",
        ),
        at(9, Problem::ExternalAhead { external_size: 10 }),
    );
    check(
        "everything",
        exec("DELETE FROM audit_entries; DELETE FROM audit_heads; DELETE FROM audit_nodes"),
        at(0, Problem::ExternalAhead { external_size: 10 }),
    );
}

#[test]
fn reordered_entries() {
    // Swap the contents of entries 2 and 6 (indices stay).
    check(
        "swap contents",
        |c| {
            c.execute_batch(
                "UPDATE audit_entries SET idx = -1 WHERE idx = 2;
                 UPDATE audit_entries SET idx = 2 WHERE idx = 6;
                 UPDATE audit_entries SET idx = 6 WHERE idx = -1;",
            )
            .unwrap()
        },
        at(2, Problem::Altered),
    );
    check(
        "adjacent",
        |c| {
            c.execute_batch(
                "UPDATE audit_entries SET idx = -1 WHERE idx = 8;
                 UPDATE audit_entries SET idx = 8 WHERE idx = 9;
                 UPDATE audit_entries SET idx = 9 WHERE idx = -1;",
            )
            .unwrap()
        },
        at(8, Problem::Altered),
    );
}

#[test]
fn inserted_entries() {
    let forged =
        "INSERT INTO audit_entries (idx, time, actor, action, object, classification, detail)
                  VALUES (?1, '2025-03-01T00:00:05.000000Z', 'alice', 'login', '', 'public', '{}')";
    // Appended after the last entry, without the key.
    check(
        "at the end",
        move |c| {
            c.execute(forged, [10]).unwrap();
        },
        at(10, Problem::Unsigned { covered: 10 }),
    );
    // Inserted in the middle by renumbering the entries after it.
    check(
        "in the middle",
        move |c| {
            c.execute_batch("UPDATE audit_entries SET idx = idx + 1000 WHERE idx >= 5; UPDATE audit_entries SET idx = idx - 999 WHERE idx >= 1000;")
                .unwrap();
            c.execute(forged, [5]).unwrap();
        },
        at(5, Problem::Altered),
    );
    // Appended with a tree head signed by the attacker's own key.
    check(
        "with a forged head",
        move |c| {
            c.execute(forged, [10]).unwrap();
            let h = other_signer().sign(11, [0; 32], "2025-03-01T00:00:05.000000Z".into());
            c.execute(
                "INSERT INTO audit_heads (tree_size, root, time, key_id, signature) VALUES (11, ?1, ?2, ?3, ?4)",
                params![&h.root[..], h.time, h.key_id, &h.signature[..]],
            )
            .unwrap();
        },
        at(
            10,
            Problem::HeadUnknownKey {
                key_id: other_signer().key_id().to_string(),
            },
        ),
    );
}

#[test]
fn tampered_tree_heads() {
    check(
        "root edited",
        exec("UPDATE audit_heads SET root = zeroblob(32) WHERE tree_size = 4"),
        at(3, Problem::HeadBadSignature),
    );
    check(
        "size edited",
        exec(
            "DELETE FROM audit_heads WHERE tree_size = 6; UPDATE audit_heads SET tree_size = 6 WHERE tree_size = 7",
        ),
        at(5, Problem::HeadBadSignature),
    );
    check(
        "time edited",
        exec("UPDATE audit_heads SET time = '2030-01-01T00:00:00.000000Z' WHERE tree_size = 2"),
        at(1, Problem::HeadBadSignature),
    );
    check(
        "signature forged",
        exec("UPDATE audit_heads SET signature = randomblob(64) WHERE tree_size = 7"),
        at(6, Problem::HeadBadSignature),
    );
    check(
        "head deleted",
        exec("DELETE FROM audit_heads WHERE tree_size = 6"),
        at(5, Problem::HeadMissing),
    );
    check(
        "malformed root",
        exec("UPDATE audit_heads SET root = 'abc' WHERE tree_size = 3"),
        at(2, Problem::HeadMalformed { column: "root" }),
    );
    // Re-signed with another key but labelled with the trusted key's id: the signature fails.
    check(
        "re-signed, trusted id",
        |c| {
            let h = other_signer().sign(3, [1; 32], "2025-03-01T00:00:02.000000Z".into());
            c.execute(
                "UPDATE audit_heads SET root = ?1, time = ?2, signature = ?3 WHERE tree_size = 3",
                params![&h.root[..], h.time, &h.signature[..]],
            )
            .unwrap();
        },
        at(2, Problem::HeadBadSignature),
    );
}

#[test]
fn an_older_copy_of_the_database_is_caught() {
    let f = Fixture::new(6);
    let old = f.path().join("old.db");
    f.sql()
        .execute("VACUUM INTO ?1", [old.to_str().unwrap()])
        .unwrap();
    f.append(6..N);
    f.verify().unwrap();
    let Fixture { dir, log } = f;
    drop(log);
    let db = dir.path().join(attache_audit::DB_FILE);
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    std::fs::rename(&old, &db).unwrap();
    let log = AuditLog::open(dir.path()).unwrap();
    match log.verify(&trusted()) {
        Err(AuditError::Tampered { finding, .. }) => {
            assert_eq!(finding, at(6, Problem::ExternalAhead { external_size: 10 }))
        }
        other => panic!("{other:?}"),
    }
    // And nothing more is appended to the old copy.
    let e = log.append(&signer(), &common::event(6)).unwrap_err();
    assert!(
        e.to_string()
            .contains("external head covers 10 entries, the database only 6"),
        "{e}"
    );
}

#[test]
fn external_head_tampering() {
    let f = Fixture::new(N);
    let head = f.path().join(attache_audit::HEAD_FILE);
    let good = std::fs::read_to_string(&head).unwrap();
    // A head for fewer entries signed with the attacker's key.
    let mut v: serde_json::Value = serde_json::from_str(&good).unwrap();
    v["time"] = "2031-01-01T00:00:00.000000Z".into();
    std::fs::write(&head, v.to_string()).unwrap();
    let finding = match f.verify() {
        Err(AuditError::Tampered { finding, .. }) => finding,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        finding,
        at(9, Problem::ExternalBadSignature { external_size: 10 })
    );
    std::fs::remove_file(&head).unwrap();
    let finding = match f.verify() {
        Err(AuditError::Tampered { finding, .. }) => finding,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        finding,
        Finding {
            entry: None,
            problem: Problem::ExternalMissing
        }
    );
    assert!(
        f.log
            .append(&signer(), &common::event(10))
            .unwrap_err()
            .to_string()
            .contains("is missing")
    );
    std::fs::write(&head, good).unwrap();
    f.verify().unwrap();
}

/// Someone holding the signing key and the database can re-sign every head after an edit; the
/// external head still disagrees (detection, not localisation: it covers only its own size).
#[test]
fn a_rewrite_with_the_key_disagrees_with_the_external_head() {
    let f = Fixture::new(N);
    let c = f.sql();
    c.execute(
        "UPDATE audit_entries SET actor = 'mallory' WHERE idx = 3",
        [],
    )
    .unwrap();
    // Recompute everything from the edited rows with the real key, as an insider would.
    let rebuilt = tempfile::tempdir().unwrap();
    let log2 = AuditLog::open(rebuilt.path()).unwrap();
    for r in AuditLog::open(f.path())
        .unwrap()
        .list(0, 100)
        .unwrap()
        .into_iter()
        .rev()
    {
        log2.append(&signer(), &r.event).unwrap();
    }
    let src = rebuilt.path().join(attache_audit::DB_FILE);
    let rebuilt_conn = Connection::open(&src).unwrap();
    c.execute_batch("DELETE FROM audit_heads; DELETE FROM audit_nodes; DELETE FROM audit_entries;")
        .unwrap();
    c.execute("ATTACH DATABASE ?1 AS r", [src.to_str().unwrap()])
        .unwrap();
    c.execute_batch(
        "INSERT INTO audit_entries SELECT * FROM r.audit_entries;
         INSERT INTO audit_heads SELECT * FROM r.audit_heads;
         INSERT INTO audit_nodes SELECT * FROM r.audit_nodes;",
    )
    .unwrap();
    drop(rebuilt_conn);
    match f.verify() {
        Err(AuditError::Tampered { finding, .. }) => assert_eq!(
            finding,
            at(9, Problem::ExternalMismatch { external_size: 10 })
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_corrupt_node_cache_spoils_no_proof_and_blocks_appends() {
    let f = Fixture::new(N);
    // Node (1, 4) covers entries 8 and 9: on the path of entry 0, and part of the frontier.
    f.sql()
        .execute(
            "UPDATE audit_nodes SET hash = zeroblob(32) WHERE level = 1 AND idx = 4",
            [],
        )
        .unwrap();
    // Verification never trusts the cache...
    f.verify().unwrap();
    // ...proofs through the bad node are refused rather than handed out...
    let e = f.log.inclusion_proof(0, &trusted()).unwrap_err();
    assert!(matches!(e, AuditError::BadProof { .. }), "{e}");
    // ...and the next append is refused, not built on it.
    let e = f.log.append(&signer(), &common::event(N)).unwrap_err();
    assert!(e.to_string().contains("node cache disagrees"), "{e}");
}
