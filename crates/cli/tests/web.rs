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

/// Serves files under `root` by path until the test ends; counts requests.
fn serve(root: PathBuf) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
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
            loop {
                let mut l = String::new();
                if r.read_line(&mut l).map_or(true, |n| n == 0) || l == "\r\n" {
                    break;
                }
            }
            h.fetch_add(1, Ordering::SeqCst);
            let path = line.split_whitespace().nth(1).unwrap_or("/").trim_start_matches('/').to_string();
            match std::fs::read(root.join(&path)) {
                Ok(body) => {
                    let _ = write!(s, "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                    let _ = s.write_all(&body);
                }
                Err(_) => {
                    let _ = write!(s, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                }
            }
        }
    });
    (base, hits)
}

#[test]
fn web_sync_through_an_internal_mirror_server() {
    let (base, hits) = serve(mirror());
    let data = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let rewrite = format!("https://raw.githubusercontent.com/jpatokal/openflights/master/data/={base}/openflights/");
    let args = [
        "sync", "--only", "openflights", "--rewrite-url", &rewrite, "--cache-dir", cache.path().to_str().unwrap(),
        "--data-dir", data.path().to_str().unwrap(),
    ];
    let o = attache(&args);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    assert_eq!(sql(data.path(), "select count(*) as n from airports"), "n\n7698\n");
    assert_eq!(sql(data.path(), "select count(*) as n from routes"), "n\n67663\n");
    assert_eq!(hits.load(Ordering::SeqCst), 3);

    let cur = std::fs::read_to_string(data.path().join("CURRENT")).unwrap();
    let lock = std::fs::read_to_string(data.path().join("vintages").join(cur.trim()).join("lock.json")).unwrap();
    assert!(lock.contains(&format!("{base}/openflights/airports.dat")), "{lock}");
    assert!(lock.contains("\"mode\": \"web\""));

    // A second sync is served from the cache: no new request.
    let o = attache(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[test]
fn web_sync_failure_names_the_url_and_keeps_nothing() {
    let (base, _) = serve(tempfile::tempdir().unwrap().keep());
    let data = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let rewrite = format!("https://raw.githubusercontent.com/jpatokal/openflights/master/data/={base}/nowhere/");
    let o = attache(&[
        "sync", "--only", "openflights", "--rewrite-url", &rewrite, "--cache-dir", cache.path().to_str().unwrap(),
        "--data-dir", data.path().to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("/nowhere/countries.dat") && err.contains("404"), "{err}");
    assert!(!data.path().join("CURRENT").exists());
}
