//! Appending, reading back, proofs against the database's node cache, concurrent writers, and
//! the failure paths of the external head.

mod common;

use attache_audit::merkle::{self, Hash};
use attache_audit::{Action, AuditError, AuditEvent, AuditLog, Classification};
use common::{Fixture, event, signer, trusted};

#[test]
fn empty_log_verifies() {
    let f = Fixture::new(0);
    let r = f.verify().unwrap();
    assert_eq!(r.entries, 0);
    assert_eq!(r.root, merkle::empty_root());
    assert_eq!(r.external_size, None);
    assert!(f.log.is_empty().unwrap());
}

#[test]
fn append_list_and_get() {
    let f = Fixture::new(12);
    let r = f.verify().unwrap();
    assert_eq!((r.entries, r.heads, r.external_size), (12, 12, Some(12)));
    assert_eq!(r.latest.as_ref().unwrap().root, r.root);
    let page = f.log.list(0, 5).unwrap();
    assert_eq!(
        page.iter().map(|r| r.index).collect::<Vec<_>>(),
        vec![11, 10, 9, 8, 7]
    );
    let page2 = f.log.list(10, 5).unwrap();
    assert_eq!(
        page2.iter().map(|r| r.index).collect::<Vec<_>>(),
        vec![1, 0]
    );
    let one = f.log.get(1).unwrap().unwrap();
    assert_eq!(one.event, event(1));
    assert_eq!(one.event.classification, Classification::Secret);
    assert_eq!(one.time.to_string(), "2025-03-01T00:00:01Z");
    assert_eq!(f.log.get(12).unwrap(), None);
    assert_eq!(f.log.len().unwrap(), 12);
}

#[test]
fn invalid_events_are_refused_before_anything_is_written() {
    let f = Fixture::new(1);
    let e = f
        .log
        .append(&signer(), &AuditEvent::new("", Action::LOGIN))
        .unwrap_err();
    assert!(
        matches!(e, AuditError::InvalidEvent { field: "actor", .. }),
        "{e}"
    );
    assert_eq!(f.log.len().unwrap(), 1);
    f.verify().unwrap();
}

/// The leaf hashes of a log, recomputed from its rows through the public encoding.
fn leaves_from_proofs(f: &Fixture, n: u64) -> Vec<Hash> {
    (0..n)
        .map(|i| f.log.inclusion_proof(i, &trusted()).unwrap().leaf_hash)
        .collect()
}

#[test]
fn proofs_from_the_database_match_the_in_memory_tree() {
    let n = 21;
    let f = Fixture::new(n);
    let leaves = leaves_from_proofs(&f, n);
    let head = f.log.latest_head().unwrap().unwrap();
    assert_eq!(head.root, merkle::root(&leaves));
    for i in 0..n {
        let p = f.log.inclusion_proof(i, &trusted()).unwrap();
        assert_eq!(
            p.path,
            merkle::inclusion_path(i, n, &mut &leaves[..]).unwrap(),
            "entry {i}"
        );
        p.verify(&trusted()).unwrap();
        let mut bad = p.clone();
        bad.leaf_hash[0] ^= 1;
        assert!(bad.verify(&trusted()).is_err());
    }
    for m in 1..=n {
        for k in m..=n {
            let p = f.log.consistency_proof(m, Some(k), &trusted()).unwrap();
            assert_eq!(
                p.path,
                merkle::consistency_path(m, k, &mut &leaves[..k as usize]).unwrap(),
                "{m} -> {k}"
            );
            p.verify(&trusted()).unwrap();
        }
    }
    let latest = f.log.consistency_proof(5, None, &trusted()).unwrap();
    assert_eq!(latest.second.tree_size, n);
    assert!(matches!(
        f.log.inclusion_proof(n, &trusted()),
        Err(AuditError::NoSuchEntry {
            index: 21,
            size: 21,
            ..
        })
    ));
    assert!(matches!(
        f.log.consistency_proof(0, None, &trusted()),
        Err(AuditError::NoSuchHead { tree_size: 0, .. })
    ));
    // A proof checked against keys that do not include the signer fails.
    let p = f.log.inclusion_proof(3, &trusted()).unwrap();
    assert!(
        p.verify(&attache_audit::TrustedKeys::new([
            common::other_signer().verifying_key()
        ]))
        .is_err()
    );
}

#[test]
fn an_edited_entry_has_no_valid_proof() {
    let f = Fixture::new(8);
    f.sql()
        .execute("UPDATE audit_entries SET actor = 'x' WHERE idx = 2", [])
        .unwrap();
    assert!(matches!(
        f.log.inclusion_proof(2, &trusted()),
        Err(AuditError::BadProof { .. })
    ));
    f.log.inclusion_proof(3, &trusted()).unwrap();
}

#[test]
fn concurrent_writers_from_two_connections() {
    let f = Fixture::new(0);
    let path = f.path().to_path_buf();
    let threads: Vec<_> = (0..2)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                let log = AuditLog::open(&path).unwrap();
                for i in 0..25 {
                    log.append(
                        &signer(),
                        &AuditEvent::new(&format!("writer{t}"), Action::READ)
                            .detail("i", i.to_string()),
                    )
                    .unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let r = f.verify().unwrap();
    assert_eq!(r.entries, 50);
}

#[test]
fn reanchor_after_a_restore_is_itself_logged() {
    let f = Fixture::new(6);
    let old = f.path().join("old.db");
    f.sql()
        .execute("VACUUM INTO ?1", [old.to_str().unwrap()])
        .unwrap();
    f.append(6..9);
    let Fixture { dir, log } = f;
    drop(log);
    let db = dir.path().join(attache_audit::DB_FILE);
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    std::fs::rename(&old, &db).unwrap();
    let log = AuditLog::open(dir.path()).unwrap();
    let finding = match log.verify(&trusted()) {
        Err(AuditError::Tampered { finding, .. }) => finding,
        other => panic!("{other:?}"),
    };
    assert!(finding.problem.is_external());
    let r = log.reanchor(&signer(), "cli:operator").unwrap();
    assert_eq!(r.index, 6);
    assert_eq!(r.event.action, Action::AUDIT_REANCHOR);
    assert_eq!(r.event.detail["previous_tree_size"], "9");
    let report = log.verify(&trusted()).unwrap();
    assert_eq!(report.entries, 7);
}

#[test]
fn the_external_head_follows_every_append() {
    let f = Fixture::new(3);
    let head_path = f.path().join(attache_audit::HEAD_FILE);
    let before = attache_audit::head::read_external(&head_path)
        .unwrap()
        .unwrap();
    assert_eq!(before, f.log.latest_head().unwrap().unwrap());
    f.log.append(&signer(), &event(3)).unwrap();
    let after = attache_audit::head::read_external(&head_path)
        .unwrap()
        .unwrap();
    assert_eq!(after.tree_size, 4);
    assert_eq!(after, f.log.latest_head().unwrap().unwrap());
    f.verify().unwrap();
}

#[test]
fn classified_object_names_stay_identifiers() {
    // The log is for identifiers: the canonical detail JSON and columns hold what was given, and
    // nothing else (no hidden copy of content).
    let f = Fixture::new(0);
    let e = AuditEvent::new("alice", Action::READ)
        .on("brief:7", Classification::Secret)
        .detail("ip", "10.1.1.1");
    f.log.append(&signer(), &e).unwrap();
    let c = f.sql();
    let (object, detail): (String, String) = c
        .query_row(
            "SELECT object, detail FROM audit_entries WHERE idx = 0",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(object, "brief:7");
    assert_eq!(detail, r#"{"ip":"10.1.1.1"}"#);
}

/// Throughput figures for the report (dev profile); run with `--ignored --nocapture`.
#[test]
#[ignore]
fn throughput() {
    let n = 2000;
    let f = Fixture::new(0);
    let t = std::time::Instant::now();
    f.append(0..n);
    let append = t.elapsed();
    let t = std::time::Instant::now();
    f.verify().unwrap();
    let verify = t.elapsed();
    let t = std::time::Instant::now();
    for i in (0..n).step_by(100) {
        f.log.inclusion_proof(i, &trusted()).unwrap();
    }
    let prove = t.elapsed() / (n as u32 / 100);
    println!(
        "{n} appends: {:.2} ms each; verify: {:.1} us per entry ({:.0} ms total); inclusion proof: {:.2} ms",
        append.as_secs_f64() * 1e3 / n as f64,
        verify.as_secs_f64() * 1e6 / n as f64,
        verify.as_secs_f64() * 1e3,
        prove.as_secs_f64() * 1e3
    );
}
