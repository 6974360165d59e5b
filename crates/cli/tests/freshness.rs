//! Every page says how old its data are, and warns plainly when they are stale (issue 14): a
//! vintage synced today reads "today" with no warning; the same vintage dated in the past (its
//! lock.json says when it was synced) gets the "Old data" banner naming the overdue sources.

mod common;

use std::path::Path;

use common::*;

fn serve(data: &Path) -> std::net::SocketAddr {
    serve_in_process(attache_server::Config::new(data.to_path_buf()))
}

#[test]
fn stale_data_are_said_on_every_page() {
    let d = synced_only("openflights,worldbank-wdi");
    let addr = serve(d.path());

    let page = http(addr, "GET", "/sources", &[], b"");
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    assert!(text.contains("(today)"), "no age on a fresh vintage");
    assert!(!text.contains("Old data"), "a fresh vintage is not stale");
    let api = http(addr, "GET", "/api/v1/sources", &[], b"");
    assert_eq!(api.header("x-attache-stale"), Some("no"));

    // The same vintage, synced (by its lockfile) in January 2024.
    let current = std::fs::read_to_string(d.path().join("CURRENT")).unwrap();
    let lock_path = d
        .path()
        .join("vintages")
        .join(current.trim())
        .join("lock.json");
    let mut lock: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&lock_path).unwrap()).unwrap();
    lock["created_at"] = "2024-01-15T08:00:00Z".into();
    std::fs::write(&lock_path, serde_json::to_vec_pretty(&lock).unwrap()).unwrap();
    // A new server (the lockfile is cached per vintage).
    let addr = serve(d.path());
    // The API says it too.
    let api = http(addr, "GET", "/api/v1/sources", &[], b"");
    assert_eq!(api.header("x-attache-stale"), Some("yes"));
    assert_eq!(api.header("x-attache-data-synced"), Some("2024-01-15"));
    assert!(
        api.header("x-attache-freshness")
            .is_some_and(|w| w.starts_with("Stale: the data were synced")),
        "{:?}",
        api.header("x-attache-freshness")
    );
    for path in ["/sources", "/climate/warming", "/login"] {
        let r = http(addr, "GET", path, &[], b"");
        let text = r.text();
        assert!(
            text.contains("Old data"),
            "{path}: no stale banner ({})",
            r.status
        );
        assert!(
            text.contains("synced 2024-01-15 ("),
            "{path}: the sync date is not said"
        );
        assert!(
            text.contains("World Development Indicators (yearly)"),
            "{path}: the overdue source is not named"
        );
    }
}

/// Every sync is on the job record: `/healthz` and `/sources` say when the data were last
/// refreshed and that the newest attempt failed; the failure's message (it names paths) is
/// for admins only.
#[test]
fn refreshes_are_recorded_and_shown() {
    let d = synced_only("openflights");
    let dir = d.path().to_str().unwrap();
    let addr = serve(d.path());
    let h = http(addr, "GET", "/healthz", &[], b"");
    assert_eq!(h.status, 200);
    let j = h.json();
    assert_eq!(j["status"], "ok", "{j}");
    assert!(j["jobs"]["sync"]["last_success"].is_string(), "{j}");
    assert!(j["jobs"]["sync"]["last_failure"].is_null(), "{j}");
    assert_eq!(j["data_age_days"], 0);

    let missing = d.path().join("no-such-mirror-q7x");
    let o = attache(&[
        "sync",
        "--mirror",
        missing.to_str().unwrap(),
        "--data-dir",
        dir,
    ]);
    assert!(!o.status.success(), "a sync from a missing mirror fails");
    let j = http(addr, "GET", "/healthz", &[], b"").json();
    assert_eq!(j["status"], "failing", "{j}");
    assert_eq!(j["jobs"]["sync"]["failing"], true, "{j}");
    assert!(j["jobs"]["sync"]["last_success"].is_string(), "{j}");
    assert!(!j.to_string().contains("no-such-mirror-q7x"), "{j}");
    let page = http(addr, "GET", "/sources", &[], b"").text();
    assert!(page.contains("(the newest run failed)"), "{page}");
    assert!(page.contains("id=\"job-runs\""), "{page}");
    assert!(
        !page.contains("no-such-mirror-q7x"),
        "an anonymous visitor sees no path"
    );
    // The record survives: a later good sync clears the failing state.
    let o = attache(&[
        "sync",
        "--mirror",
        attache_testdata::mirror().to_str().unwrap(),
        "--only",
        "openflights",
        "--data-dir",
        dir,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let j = http(addr, "GET", "/healthz", &[], b"").json();
    assert_eq!(j["status"], "ok", "{j}");
    assert_eq!(j["jobs"]["sync"]["failing"], false, "{j}");
}
