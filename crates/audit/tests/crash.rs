//! The crash-safety protocol of the external head (crate docs, "Crash safety"): an entry
//! appended inside a caller's transaction commits with it or not at all; a process that dies
//! between its commit and publishing the head leaves a log that verifies, and the next append
//! repairs the head; a database put back to an older copy, or a head file two behind, is still
//! refused.

mod common;

use attache_audit::{AuditError, Problem, head};
use common::{Fixture, event, signer};
use rusqlite::TransactionBehavior;

/// Appends event `i` in a transaction of a second connection and commits it, without
/// publishing the head: what a process killed right after its commit leaves.
fn commit_without_publishing(f: &Fixture, i: u64) {
    let mut conn = f.sql();
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .unwrap();
    f.log.append_in(&tx, &signer(), &event(i)).unwrap();
    tx.commit().unwrap();
}

#[test]
fn a_rolled_back_transaction_leaves_no_entry() {
    let f = Fixture::new(3);
    let mut conn = f.sql();
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .unwrap();
    f.log.append_in(&tx, &signer(), &event(3)).unwrap();
    drop(tx);
    let r = f.verify().unwrap();
    assert_eq!((r.entries, r.external_size), (3, Some(3)));
}

#[test]
fn a_kill_between_commit_and_head_leaves_a_verifiable_log() {
    let f = Fixture::new(4);
    commit_without_publishing(&f, 4);
    let r = f.verify().unwrap();
    assert_eq!((r.entries, r.external_size), (5, Some(4)));
    // The next append brings the head up before its own entry commits, then publishes its own.
    f.append(5..6);
    let r = f.verify().unwrap();
    assert_eq!((r.entries, r.external_size), (6, Some(6)));
    // Publishing on its own also repairs a lagging head.
    commit_without_publishing(&f, 6);
    f.log.publish_head().unwrap();
    assert_eq!(f.verify().unwrap().external_size, Some(7));
}

#[test]
fn the_first_entry_may_lack_its_head_file() {
    let f = Fixture::new(0);
    commit_without_publishing(&f, 0);
    assert_eq!(f.verify().unwrap().external_size, None);
    f.append(1..2);
    assert_eq!(f.verify().unwrap().external_size, Some(2));
}

#[test]
fn a_head_two_behind_is_refused() {
    let f = Fixture::new(3);
    let old = head::read_external(&f.path().join(attache_audit::HEAD_FILE))
        .unwrap()
        .unwrap();
    f.append(3..5);
    head::write_external(&f.path().join(attache_audit::HEAD_FILE), &old).unwrap();
    let e = f.verify().unwrap_err();
    assert!(
        matches!(&e, AuditError::Tampered { finding, .. } if matches!(finding.problem, Problem::ExternalBehind { external_size: 3, entries: 5 })),
        "{e}"
    );
    let e = f.log.append(&signer(), &event(5)).unwrap_err();
    assert!(matches!(e, AuditError::Refused { .. }), "{e}");
}

#[test]
fn a_database_put_back_to_an_older_copy_is_still_caught() {
    let f = Fixture::new(3);
    let db = f.db();
    // Checkpoint so the copy of the main file is the whole database.
    f.sql()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    let copy = std::fs::read(&db).unwrap();
    f.append(3..5);
    f.sql()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    drop(f.log.clone());
    std::fs::write(&db, copy).unwrap();
    let fresh = attache_audit::AuditLog::open(f.path()).unwrap();
    let e = fresh.verify(&common::trusted()).unwrap_err();
    assert!(
        matches!(&e, AuditError::Tampered { finding, .. } if matches!(finding.problem, Problem::ExternalAhead { external_size: 5 })),
        "{e}"
    );
    let e = fresh.append(&signer(), &event(3)).unwrap_err();
    assert!(matches!(e, AuditError::Refused { .. }), "{e}");
}
