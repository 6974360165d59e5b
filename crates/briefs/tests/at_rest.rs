//! Content at rest: key rotation (rewrap under a new key, old key removed, still readable),
//! tampered or moved ciphertexts refused, and the audit log as a gate (nothing read or changed
//! when it refuses).

mod common;

use std::sync::Arc;

use attache_accounts::Clearance;
use attache_audit::AuditEvent;
use attache_briefs::{
    AuditFailure, AuditSink, Author, Briefs, BriefsError, Decision, EvidenceKind, ListFilter,
    NewDocument, NewEvidence, RewrapReport, State, Text,
};
use attache_vault::Keyring;
use common::*;
use rusqlite::Connection;

/// A confidential brief with evidence, a secret document and a decision, plus a public brief.
fn populate(b: &Briefs) -> (i64, i64) {
    let id = b
        .create(&diplomat(), &new_brief("rot", Clearance::Confidential))
        .unwrap();
    let ev = NewEvidence {
        kind: EvidenceKind::Indicator,
        title: "Evidence-rot refugee outflow".into(),
        summary: Text {
            body: "Outflows doubled since March.".into(),
            author: Author::Person("dora".into()),
        },
        source: "indicators SM.POP.REFG.OR".into(),
        data_vintage: "20250101T000000Z-abcd".into(),
        model: None,
        outcome: None,
    };
    b.add_evidence(&diplomat(), id, &ev).unwrap();
    let doc = NewDocument {
        name: "Cable-rot.txt".into(),
        media_type: "text/plain".into(),
        classification: Clearance::Secret,
        content: b"Cable-rot content".to_vec(),
    };
    b.attach_document(&diplomat(), id, &doc).unwrap();
    b.submit_for_review(&diplomat(), id).unwrap();
    b.decide(
        &diplomat(),
        id,
        Decision::Choose { option_index: 0 },
        "Rationale-rot text",
    )
    .unwrap();
    let public = b
        .create(&analyst(), &new_brief("pub", Clearance::Public))
        .unwrap();
    (id, public)
}

#[test]
fn key_rotation_rewraps_everything_and_the_old_key_can_go() {
    let f = fixture();
    let b = &f.briefs;
    let (id, public) = populate(b);
    let before = b.get(&diplomat(), id).unwrap();
    let doc_id = before.documents[0].id;
    // body + rationale + evidence + document meta + content; the public brief is not sealed.
    assert_eq!(b.key_usage().unwrap(), vec![(key(1).id(), 5)]);

    let mut ring = Keyring::new(key(1));
    ring.rotate_to(key(2)).unwrap();
    b.set_keyring(ring.clone());
    // Still readable before the rewrap (the old key is decrypt-only).
    assert_eq!(b.get(&diplomat(), id).unwrap(), before);
    assert!(matches!(
        b.rewrap_all(&diplomat()),
        Err(BriefsError::Forbidden { .. })
    ));
    assert_eq!(
        b.rewrap_all(&admin()).unwrap(),
        RewrapReport {
            resealed: 5,
            unchanged: 0
        }
    );
    assert_eq!(b.key_usage().unwrap(), vec![(key(2).id(), 5)]);
    assert_eq!(
        b.rewrap_all(&admin()).unwrap(),
        RewrapReport {
            resealed: 0,
            unchanged: 5
        }
    );

    // Retire the old key: everything still opens, also from a fresh handle.
    ring.retire(key(1).id()).unwrap();
    b.set_keyring(ring.clone());
    assert_eq!(b.get(&diplomat(), id).unwrap(), before);
    assert_eq!(
        b.document(&diplomat(), id, doc_id).unwrap().content,
        b"Cable-rot content"
    );
    let fresh = Briefs::open(&f.db(), ring, Arc::new(sink(&f))).unwrap();
    assert_eq!(fresh.get(&diplomat(), id).unwrap(), before);
    assert_eq!(fresh.get(&diplomat(), public).unwrap().state, State::Draft);

    // The old key alone opens nothing any more: the ciphertexts really changed.
    b.set_keyring(Keyring::new(key(1)));
    let e = b.get(&diplomat(), id).unwrap_err();
    assert!(matches!(e, BriefsError::Crypto { .. }), "{e}");
    assert!(
        e.to_string()
            .contains(&format!("brief {id}: opening the body")),
        "{e}"
    );
    // The public brief needs no key.
    assert!(b.get(&diplomat(), public).is_ok());
    // The rewrap was audited; the log verifies.
    let r = f.log.verify(&f.trusted).unwrap();
    let recs = f.log.list(0, r.entries).unwrap();
    assert_eq!(
        recs.iter()
            .filter(|r| r.event.action.as_str() == "key.change")
            .count(),
        2
    );
}

#[test]
fn rewrap_without_the_old_key_fails_whole_and_changes_nothing() {
    let f = fixture();
    let (id, _) = populate(&f.briefs);
    f.briefs.set_keyring(Keyring::new(key(3)));
    let e = f.briefs.rewrap_all(&admin()).unwrap_err();
    assert!(e.to_string().contains("rewrapping the body"), "{e}");
    assert_eq!(f.briefs.key_usage().unwrap(), vec![(key(1).id(), 5)]);
    f.briefs.set_keyring(Keyring::new(key(1)));
    assert!(f.briefs.get(&diplomat(), id).is_ok());
    // The rewrap and its `key.change` entry share one transaction: the failed attempt left
    // neither (the newest entries are the populating ones).
    f.log.verify(&f.trusted).unwrap();
    let newest = f.log.list(1, 2).unwrap(); // newest first, skipping the read just made
    let actions: Vec<&str> = newest.iter().map(|r| r.event.action.as_str()).collect();
    assert!(
        !actions.contains(&"key.change") && !actions.contains(&"brief.abort"),
        "{actions:?}"
    );
}

fn sink(f: &Fixture) -> attache_briefs::SignedAuditLog {
    attache_briefs::SignedAuditLog::new(f.log.clone(), attache_audit::Signer::new(signing_key()))
}

/// Runs `edit` on the raw database.
fn raw(f: &Fixture, sql: &str, params: impl rusqlite::Params) {
    let c = Connection::open(f.db()).unwrap();
    c.execute(sql, params).unwrap();
}

#[test]
fn altered_moved_or_unsealed_ciphertexts_are_refused() {
    let f = fixture();
    let b = &f.briefs;
    let one = b
        .create(&analyst(), &new_brief("one", Clearance::Confidential))
        .unwrap();
    let two = b
        .create(&analyst(), &new_brief("two", Clearance::Confidential))
        .unwrap();
    let public = b
        .create(&analyst(), &new_brief("pub", Clearance::Public))
        .unwrap();

    // Flip one byte of brief one's body.
    raw(
        &f,
        "UPDATE brief_briefs SET body = CAST(substr(body, 1, 40) || x'00' || substr(body, 42) AS BLOB) WHERE id = ?1",
        [one],
    );
    let e = b.get(&analyst(), one).unwrap_err();
    assert!(matches!(e, BriefsError::Crypto { .. }), "{e}");
    // Copy brief two's ciphertext onto brief one: bound to brief two, it does not open.
    raw(
        &f,
        "UPDATE brief_briefs SET body = (SELECT body FROM brief_briefs WHERE id = ?2) WHERE id = ?1",
        [one, two],
    );
    let e = b.get(&analyst(), one).unwrap_err();
    assert!(
        e.to_string()
            .contains(&format!("brief {one}: opening the body")),
        "{e}"
    );
    // A classified brief whose body was replaced with clear text is corrupt, not shown.
    raw(
        &f,
        "UPDATE brief_briefs SET body = (SELECT body FROM brief_briefs WHERE id = ?2) WHERE id = ?1",
        [one, public],
    );
    let e = b.get(&analyst(), one).unwrap_err();
    assert!(
        e.to_string().contains("classified content is not sealed"),
        "{e}"
    );
    // Listing fails loudly too rather than skipping the bad row.
    assert!(b.list(&analyst(), &ListFilter::default()).is_err());
    // Raising a public brief's marking in the database does not make its clear text readable.
    raw(
        &f,
        "UPDATE brief_briefs SET classification = 'secret' WHERE id = ?1",
        [public],
    );
    assert!(matches!(
        b.get(&analyst(), public),
        Err(BriefsError::NotFound { .. })
    ));
    assert!(
        b.get(&diplomat(), public)
            .unwrap_err()
            .to_string()
            .contains("not sealed")
    );
}

#[test]
fn the_database_refuses_to_rewrite_a_decision() {
    let f = fixture();
    let b = &f.briefs;
    let (id, _) = populate(b);
    let c = Connection::open(f.db()).unwrap();
    for sql in [
        "UPDATE brief_briefs SET decision_option = 1 WHERE id = ?1",
        "UPDATE brief_briefs SET state = 'draft' WHERE id = ?1",
        "UPDATE brief_briefs SET decided_by = 'mallory' WHERE id = ?1",
        "UPDATE brief_briefs SET classification = 'public' WHERE id = ?1",
        "INSERT INTO brief_evidence (brief_id, added_by, added_at, body) VALUES (?1, 'm', 0, x'')",
    ] {
        let e = c.execute(sql, [id]).unwrap_err().to_string();
        assert!(
            e.contains("immutable") || e.contains("drafts only"),
            "{sql}: {e}"
        );
    }
    assert_eq!(
        b.get(&diplomat(), id).unwrap().decision.unwrap().decided_by,
        "dora"
    );
}

fn audit_err<T>(r: Result<T, BriefsError>) -> bool {
    matches!(
        r,
        Err(BriefsError::Audit {
            committed: false,
            ..
        })
    )
}

/// A sink that refuses every event (a tampered or unwritable log).
struct Refusing;

impl AuditSink for Refusing {
    fn append(&self, _: &AuditEvent) -> Result<(), AuditFailure> {
        Err("the audit log refuses appends".into())
    }
}

#[test]
fn nothing_is_read_or_changed_without_an_audit_record() {
    let f = fixture();
    let (id, public) = populate(&f.briefs);
    let draft = f
        .briefs
        .create(&analyst(), &new_brief("d", Clearance::Restricted))
        .unwrap();
    let gated = Briefs::open(&f.db(), Keyring::new(key(1)), Arc::new(Refusing)).unwrap();

    assert!(
        audit_err(gated.get(&diplomat(), id)),
        "classified read without a record"
    );
    assert!(
        audit_err(gated.export_html(&diplomat(), public)),
        "every export is recorded"
    );
    assert!(audit_err(gated.list(&diplomat(), &ListFilter::default())));
    assert!(
        gated.get(&diplomat(), public).is_ok(),
        "public reads are not audited"
    );
    assert!(audit_err(
        gated.create(&analyst(), &new_brief("x", Clearance::Public))
    ));
    assert!(audit_err(gated.submit_for_review(&analyst(), draft)));
    assert!(audit_err(gated.archive(&diplomat(), id)));
    // Denied reads of classified briefs are recorded too, so with no log they fail as well.
    assert!(audit_err(gated.get(
        &who("anon", attache_accounts::Role::Public, Clearance::Public),
        id
    )));

    // Nothing changed: the refused create left no brief, the states are as they were.
    let b = &f.briefs;
    assert_eq!(
        b.list(&diplomat(), &ListFilter::default()).unwrap().total,
        3
    );
    assert_eq!(b.get(&diplomat(), id).unwrap().state, State::Decided);
    assert_eq!(b.get(&analyst(), draft).unwrap().state, State::Draft);
    f.log.verify(&f.trusted).unwrap();
}
