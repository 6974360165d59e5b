//! A change and its audit entry commit together: after a full workflow every brief's state has
//! its entries (`audit_check` finds nothing and the log verifies), a refused append leaves no
//! change, and a brief whose entry is missing is reported.

mod common;

use attache_accounts::Clearance;
use attache_briefs::{Decision, audit_check};
use common::{analyst, diplomat, fixture, new_brief};

#[test]
fn every_state_has_its_entries_and_gaps_are_named() {
    let f = fixture();
    let a = f
        .briefs
        .create(&analyst(), &new_brief("a", Clearance::Restricted))
        .unwrap();
    let b = f
        .briefs
        .create(&analyst(), &new_brief("b", Clearance::Public))
        .unwrap();
    f.briefs.submit_for_review(&analyst(), a).unwrap();
    f.briefs.return_to_draft(&analyst(), a).unwrap();
    f.briefs
        .submit_and_decide(&diplomat(), a, Decision::RejectAll, "because")
        .unwrap();
    f.briefs.archive(&diplomat(), a).unwrap();
    f.briefs
        .amend(
            &analyst(),
            a,
            &new_brief("c", Clearance::Secret.min(Clearance::Restricted)),
        )
        .unwrap();
    f.log.verify(&f.trusted).unwrap();
    assert_eq!(audit_check::check(&f.db()).unwrap(), vec![]);

    // Remove b's `create` entry behind the library's back: the check names the brief.
    let conn = rusqlite::Connection::open(f.db()).unwrap();
    conn.execute(
        "DELETE FROM audit_entries WHERE object = ?1",
        [format!("brief:{b}")],
    )
    .unwrap();
    let gaps = audit_check::check(&f.db()).unwrap();
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert_eq!(gaps[0].brief, b);
    assert!(
        gaps[0].problem.contains("no `create` audit entry"),
        "{}",
        gaps[0]
    );
}
