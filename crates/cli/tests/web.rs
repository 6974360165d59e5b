//! `attache sync` from the web, against a loopback HTTP server holding the publishers' files
//! (no network beyond 127.0.0.1): downloads land in the cache, the lockfile records the URLs.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;

/// What the loopback server has answered.
#[derive(Default)]
struct Hits {
    requests: AtomicUsize,
    not_modified: AtomicUsize,
}

/// Serves files under `root` by path until the test ends, with an `ETag` (a hash of the
/// content) and a `Last-Modified`, answering 304 to an `If-None-Match` that matches.
fn serve(root: PathBuf) -> (String, Arc<Hits>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(Hits::default());
    let h = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(100) {
            let Ok(mut s) = stream else { continue };
            s.set_read_timeout(Some(Duration::from_secs(5))).ok();
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut line = String::new();
            if r.read_line(&mut line).is_err() {
                continue;
            }
            let mut if_none_match = None;
            loop {
                let mut l = String::new();
                if r.read_line(&mut l).map_or(true, |n| n == 0) || l == "\r\n" {
                    break;
                }
                if let Some((k, v)) = l.split_once(':')
                    && k.eq_ignore_ascii_case("if-none-match")
                {
                    if_none_match = Some(v.trim().to_string());
                }
            }
            h.requests.fetch_add(1, Ordering::SeqCst);
            let path = line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/')
                .to_string();
            match std::fs::read(root.join(&path)) {
                Ok(body) => {
                    use std::hash::{Hash, Hasher};
                    let mut hasher = std::collections::hash_map::DefaultHasher::new();
                    body.hash(&mut hasher);
                    let etag = format!("\"{:016x}\"", hasher.finish());
                    let validators =
                        format!("ETag: {etag}\r\nLast-Modified: Wed, 02 Dec 2026 10:00:00 GMT\r\n");
                    if if_none_match.as_deref() == Some(etag.as_str()) {
                        h.not_modified.fetch_add(1, Ordering::SeqCst);
                        let _ = write!(
                            s,
                            "HTTP/1.1 304 Not Modified\r\n{validators}Content-Length: 0\r\nConnection: close\r\n\r\n"
                        );
                    } else {
                        let _ = write!(
                            s,
                            "HTTP/1.1 200 OK\r\n{validators}Content-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        );
                        let _ = s.write_all(&body);
                    }
                }
                Err(_) => {
                    let _ = write!(
                        s,
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                }
            }
        }
    });
    (base, hits)
}

#[test]
fn web_sync_through_an_internal_mirror_server() {
    // The publisher's files, in a copy this test changes between syncs.
    let root = tempfile::tempdir().unwrap();
    let files = root.path().join("openflights");
    std::fs::create_dir_all(&files).unwrap();
    for f in ["airports.dat", "routes.dat", "countries.dat"] {
        std::fs::copy(mirror().join("openflights").join(f), files.join(f)).unwrap();
    }
    let (base, hits) = serve(root.path().to_path_buf());
    let data = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let rewrite = format!(
        "https://raw.githubusercontent.com/jpatokal/openflights/master/data/={base}/openflights/"
    );
    let args = [
        "sync",
        "--only",
        "openflights",
        "--rewrite-url",
        &rewrite,
        "--cache-dir",
        cache.path().to_str().unwrap(),
        "--data-dir",
        data.path().to_str().unwrap(),
    ];
    let o = attache(&args);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    assert_eq!(
        sql(data.path(), "select count(*) as n from airports"),
        "n\n7698\n"
    );
    assert_eq!(
        sql(data.path(), "select count(*) as n from routes"),
        "n\n67663\n"
    );
    assert_eq!(hits.requests.load(Ordering::SeqCst), 3);

    let cur = std::fs::read_to_string(data.path().join("CURRENT")).unwrap();
    let lock = std::fs::read_to_string(
        data.path()
            .join("vintages")
            .join(cur.trim())
            .join("lock.json"),
    )
    .unwrap();
    assert!(
        lock.contains(&format!("{base}/openflights/airports.dat")),
        "{lock}"
    );
    assert!(lock.contains("\"mode\": \"web\""));

    // A second sync asks whether each cached file is current: three 304s, nothing downloaded.
    let o = attache(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        (
            hits.requests.load(Ordering::SeqCst),
            hits.not_modified.load(Ordering::SeqCst)
        ),
        (6, 3)
    );

    // The publisher adds a route: the next sync downloads that file again and has the new row.
    let routes = files.join("routes.dat");
    let mut text = std::fs::read_to_string(&routes).unwrap();
    let last = text.trim_end().lines().last().unwrap().to_string();
    text.push_str(&format!("{last}\r\n"));
    std::fs::write(&routes, &text).unwrap();
    let o = attache(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        (
            hits.requests.load(Ordering::SeqCst),
            hits.not_modified.load(Ordering::SeqCst)
        ),
        (9, 5)
    );
    assert_eq!(
        sql(data.path(), "select count(*) as n from routes"),
        "n\n67664\n"
    );

    // The publisher's file is cut in half: downloaded, refused by the sync guard, naming it;
    // the previous vintage stays current.
    let cur = std::fs::read_to_string(data.path().join("CURRENT")).unwrap();
    let half: String = text
        .lines()
        .take(30_000)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&routes, half).unwrap();
    let o = attache(&args);
    assert!(
        !o.status.success(),
        "a sync that loses half of routes.dat must fail"
    );
    assert!(stderr(&o).contains("routes"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(data.path().join("CURRENT")).unwrap(),
        cur
    );
    assert_eq!(
        sql(data.path(), "select count(*) as n from routes"),
        "n\n67664\n"
    );
}

#[test]
fn web_sync_failure_names_the_url_and_keeps_nothing() {
    let (base, _) = serve(tempfile::tempdir().unwrap().keep());
    let data = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let rewrite = format!(
        "https://raw.githubusercontent.com/jpatokal/openflights/master/data/={base}/nowhere/"
    );
    let o = attache(&[
        "sync",
        "--only",
        "openflights",
        "--rewrite-url",
        &rewrite,
        "--cache-dir",
        cache.path().to_str().unwrap(),
        "--data-dir",
        data.path().to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("/nowhere/countries.dat") && err.contains("404"),
        "{err}"
    );
    assert!(!data.path().join("CURRENT").exists());
}

/// Polity5 is published as an Excel workbook: a web sync stops with a clear error instead of
/// feeding it to the CSV parser, and `attache sources` says the CSV is mirror-only.
#[test]
fn a_workbook_never_reaches_the_csv_parser() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("inscr")).unwrap();
    let mut xls = vec![0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
    xls.extend(std::iter::repeat_n(0u8, 4096));
    std::fs::write(root.path().join("inscr/p5v2018.xls"), &xls).unwrap();
    let (base, _) = serve(root.path().to_path_buf());
    let data = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let rewrite = format!("https://www.systemicpeace.org/={base}/");
    let o = attache(&[
        "sync",
        "--only",
        "polity5",
        "--rewrite-url",
        &rewrite,
        "--cache-dir",
        cache.path().to_str().unwrap(),
        "--data-dir",
        data.path().to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(
            "served an Excel 97-2003 workbook (.xls), not the text table polity5/p5v2018.csv"
        ) && err.contains("--mirror"),
        "{err}"
    );
    assert!(!data.path().join("CURRENT").exists());
    let listing = stdout(&attache(&["sources"]));
    assert!(
        listing.contains(
            "p5v2018.xls  (the publisher serves .xls; the .csv conversion is mirror-only)"
        ),
        "{listing}"
    );
}
