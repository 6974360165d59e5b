//! Integration tests of `Fetcher` against a loopback HTTP server with fault
//! injection (see `support`). No network beyond 127.0.0.1 is used.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use attache_fetch::{FetchError, Fetcher, Progress};
use sha2::{Digest, Sha256};
use support::{Faults, TestServer, test_body};

const BODY_LEN: usize = 200 * 1024 + 7;

fn fetcher(cache: &Path) -> Fetcher {
    Fetcher::new(cache)
        .with_backoff(Duration::from_millis(10))
        .with_connect_timeout(Duration::from_secs(2))
        .with_read_timeout(Duration::from_secs(5))
        .with_progress(Progress::Quiet)
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn part_of(path: &Path) -> PathBuf {
    let mut name = path.file_name().expect("file name").to_owned();
    name.push(".part");
    path.with_file_name(name)
}

#[test]
fn plain_download_has_correct_sha256() {
    let body = test_body(BODY_LEN);
    let server = TestServer::start(body.clone(), Faults::default());
    let cache = tempfile::tempdir().expect("tempdir");
    let url = server.url("/data/table.csv");

    let fetched = fetcher(cache.path()).fetch(&url, None).expect("fetch");

    assert_eq!(fetched.url, url);
    assert_eq!(fetched.sha256, sha256_hex(&body));
    assert_eq!(fetched.bytes, body.len() as u64);
    assert!(!fetched.from_cache);
    assert_eq!(
        fetched.path.file_name().and_then(|n| n.to_str()),
        Some("table.csv")
    );
    let key = fetched
        .path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .expect("key dir");
    assert_eq!(key, &sha256_hex(url.as_bytes())[..16]);
    assert_eq!(
        fetched.path.parent().and_then(Path::parent),
        Some(cache.path())
    );
    assert_eq!(fs::read(&fetched.path).expect("read"), body);
    assert!(!part_of(&fetched.path).exists());

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, "/data/table.csv");
    assert_eq!(requests[0].range, None);
    let ua = requests[0].user_agent.as_deref().unwrap_or("");
    assert!(ua.starts_with("attache/"), "user agent {ua:?}");
}

#[test]
fn resumes_after_mid_body_drop() {
    let body = test_body(BODY_LEN);
    let server = TestServer::start(
        body.clone(),
        Faults {
            truncate_first: 1,
            ..Faults::default()
        },
    );
    let cache = tempfile::tempdir().expect("tempdir");
    let url = server.url("/big.bin");

    let fetched = fetcher(cache.path()).fetch(&url, None).expect("fetch");

    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(requests[0].range, None);
    assert_eq!(
        requests[1].range.as_deref(),
        Some(format!("bytes={}-", body.len() / 2).as_str())
    );
    assert_eq!(fs::read(&fetched.path).expect("read"), body);
    assert_eq!(fetched.sha256, sha256_hex(&body));
    assert!(!part_of(&fetched.path).exists());
}

#[test]
fn retries_503_twice_then_succeeds() {
    let body = test_body(4096);
    let server = TestServer::start(
        body.clone(),
        Faults {
            fail_first: 2,
            fail_status: 503,
            ..Faults::default()
        },
    );
    let cache = tempfile::tempdir().expect("tempdir");

    let fetched = fetcher(cache.path())
        .fetch(&server.url("/f.txt"), Some(&sha256_hex(&body)))
        .expect("fetch");

    assert_eq!(server.requests().len(), 3);
    assert_eq!(fs::read(&fetched.path).expect("read"), body);
}

#[test]
fn retries_429() {
    let body = test_body(1000);
    let server = TestServer::start(
        body.clone(),
        Faults {
            fail_first: 1,
            fail_status: 429,
            ..Faults::default()
        },
    );
    let cache = tempfile::tempdir().expect("tempdir");

    let fetched = fetcher(cache.path())
        .fetch(&server.url("/f"), None)
        .expect("fetch");

    assert_eq!(server.requests().len(), 2);
    assert_eq!(fetched.sha256, sha256_hex(&body));
}

#[test]
fn gives_up_after_the_retry_budget() {
    let server = TestServer::start(
        test_body(100),
        Faults {
            always_status: Some(503),
            ..Faults::default()
        },
    );
    let cache = tempfile::tempdir().expect("tempdir");
    let url = server.url("/down");

    let err = fetcher(cache.path())
        .with_retries(2)
        .fetch(&url, None)
        .expect_err("must fail");

    match &err {
        FetchError::Network {
            url: u, attempts, ..
        } => {
            assert_eq!(u, &url);
            assert_eq!(*attempts, 3);
        }
        other => panic!("unexpected error {other:?}"),
    }
    assert!(err.to_string().contains(&url));
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn not_found_fails_at_once_naming_the_url() {
    let server = TestServer::start(
        test_body(100),
        Faults {
            always_status: Some(404),
            ..Faults::default()
        },
    );
    let cache = tempfile::tempdir().expect("tempdir");
    let url = server.url("/missing.csv");

    let err = fetcher(cache.path())
        .fetch(&url, None)
        .expect_err("must fail");

    match &err {
        FetchError::Http { url: u, status } => {
            assert_eq!(u, &url);
            assert_eq!(*status, 404);
        }
        other => panic!("unexpected error {other:?}"),
    }
    assert!(err.to_string().contains(&url), "{err}");
    assert_eq!(server.requests().len(), 1);
    let path = fetcher(cache.path()).path_for(&url);
    assert!(!path.exists());
}

#[test]
fn checksum_mismatch_errors_and_leaves_no_file() {
    let body = test_body(5000);
    let server = TestServer::start(body.clone(), Faults::default());
    let cache = tempfile::tempdir().expect("tempdir");
    let url = server.url("/data.zip");
    let wrong = "0".repeat(64);
    let f = fetcher(cache.path());

    let err = f.fetch(&url, Some(&wrong)).expect_err("must fail");

    match &err {
        FetchError::Checksum {
            url: u,
            expected,
            actual,
        } => {
            assert_eq!(u, &url);
            assert_eq!(expected, &wrong);
            assert_eq!(actual, &sha256_hex(&body));
        }
        other => panic!("unexpected error {other:?}"),
    }
    assert!(err.to_string().contains(&url));
    let path = f.path_for(&url);
    assert!(!path.exists());
    assert!(!part_of(&path).exists());
    assert_eq!(
        server.requests().len(),
        1,
        "a checksum mismatch is not retried"
    );
}

#[test]
fn second_fetch_is_served_from_cache() {
    let body = test_body(3000);
    let server = TestServer::start(body.clone(), Faults::default());
    let cache = tempfile::tempdir().expect("tempdir");
    let url = server.url("/cached.json");
    let f = fetcher(cache.path());

    let first = f.fetch(&url, None).expect("first fetch");
    let second = f.fetch(&url, None).expect("second fetch");
    let third = f
        .fetch(&url, Some(&sha256_hex(&body).to_uppercase()))
        .expect("third fetch");

    assert!(!first.from_cache);
    assert!(second.from_cache);
    assert!(third.from_cache);
    assert_eq!(second.path, first.path);
    assert_eq!(second.sha256, first.sha256);
    assert_eq!(second.bytes, first.bytes);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn cached_file_not_matching_expected_is_downloaded_again() {
    let body = test_body(3000);
    let server = TestServer::start(body.clone(), Faults::default());
    let cache = tempfile::tempdir().expect("tempdir");
    let url = server.url("/again.csv");
    let f = fetcher(cache.path());
    let first = f.fetch(&url, None).expect("first fetch");
    fs::write(&first.path, b"corrupted").expect("corrupt");

    let second = f
        .fetch(&url, Some(&sha256_hex(&body)))
        .expect("second fetch");

    assert!(!second.from_cache);
    assert_eq!(fs::read(&second.path).expect("read"), body);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn server_ignoring_range_still_yields_correct_file() {
    let body = test_body(BODY_LEN);
    let server = TestServer::start(
        body.clone(),
        Faults {
            truncate_first: 1,
            ignore_range: true,
            ..Faults::default()
        },
    );
    let cache = tempfile::tempdir().expect("tempdir");

    let fetched = fetcher(cache.path())
        .fetch(&server.url("/norange.bin"), Some(&sha256_hex(&body)))
        .expect("fetch");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests[1].range.is_some(), "the retry asked for a range");
    assert_eq!(fs::read(&fetched.path).expect("read"), body);
    assert_eq!(fetched.bytes, body.len() as u64);
}

#[test]
fn complete_part_file_is_published_on_416() {
    let body = test_body(2048);
    let server = TestServer::start(body.clone(), Faults::default());
    let cache = tempfile::tempdir().expect("tempdir");
    let url = server.url("/done.bin");
    let f = fetcher(cache.path());
    let path = f.path_for(&url);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(part_of(&path), &body).expect("write part");

    let fetched = f.fetch(&url, None).expect("fetch");

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].range.as_deref(),
        Some(format!("bytes={}-", body.len()).as_str())
    );
    assert_eq!(fs::read(&fetched.path).expect("read"), body);
    assert!(!part_of(&path).exists());
}

#[test]
fn oversized_part_file_is_discarded() {
    let body = test_body(2048);
    let server = TestServer::start(body.clone(), Faults::default());
    let cache = tempfile::tempdir().expect("tempdir");
    let url = server.url("/grown.bin");
    let f = fetcher(cache.path());
    let path = f.path_for(&url);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(part_of(&path), vec![7u8; 4096]).expect("write part");

    let fetched = f.fetch(&url, None).expect("fetch");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].range.as_deref(), Some("bytes=4096-"));
    assert_eq!(requests[1].range, None);
    assert_eq!(fs::read(&fetched.path).expect("read"), body);
}

#[test]
fn connection_refused_is_a_network_error_after_retries() {
    // Bind and drop a listener to get a loopback port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind")
        .port();
    let cache = tempfile::tempdir().expect("tempdir");
    let url = format!("http://127.0.0.1:{port}/x.csv");

    let err = fetcher(cache.path())
        .with_retries(1)
        .fetch(&url, None)
        .expect_err("must fail");

    match &err {
        FetchError::Network {
            url: u, attempts, ..
        } => {
            assert_eq!(u, &url);
            assert_eq!(*attempts, 2);
        }
        other => panic!("unexpected error {other:?}"),
    }
}

#[test]
fn url_without_file_name_is_stored_as_download() {
    let body = test_body(10);
    let server = TestServer::start(body.clone(), Faults::default());
    let cache = tempfile::tempdir().expect("tempdir");

    let fetched = fetcher(cache.path())
        .fetch(&server.url("/dir/?q=1"), None)
        .expect("fetch");

    assert_eq!(
        fetched.path.file_name().and_then(|n| n.to_str()),
        Some("download")
    );
    assert_eq!(fs::read(&fetched.path).expect("read"), body);
}

#[test]
fn bad_inputs_are_rejected_without_requests() {
    let cache = tempfile::tempdir().expect("tempdir");
    let f = fetcher(cache.path());
    assert!(matches!(
        f.fetch("ftp://example.org/x", None),
        Err(FetchError::InvalidUrl { .. })
    ));
    assert!(matches!(
        f.fetch("http://127.0.0.1:9/x", Some("not-a-digest")),
        Err(FetchError::InvalidSha256 { .. })
    ));
}

#[test]
fn drops_that_make_progress_do_not_use_up_retries() {
    let body = test_body(BODY_LEN);
    let server = TestServer::start(
        body.clone(),
        Faults {
            truncate_first: 3,
            ..Faults::default()
        },
    );
    let cache = tempfile::tempdir().expect("tempdir");

    let fetched = fetcher(cache.path())
        .with_retries(1)
        .fetch(&server.url("/flaky.bin"), Some(&sha256_hex(&body)))
        .expect("fetch");

    let requests = server.requests();
    assert_eq!(requests.len(), 4, "{requests:?}");
    let half = body.len() / 2;
    let three_quarters = half + (body.len() - half) / 2;
    assert_eq!(
        requests[2].range.as_deref(),
        Some(format!("bytes={three_quarters}-").as_str())
    );
    assert_eq!(fs::read(&fetched.path).expect("read"), body);
}

#[test]
fn interrupted_fetch_keeps_part_for_a_later_call() {
    let body = test_body(BODY_LEN);
    let server = TestServer::start(
        body.clone(),
        Faults {
            truncate_first: 1,
            ..Faults::default()
        },
    );
    let cache = tempfile::tempdir().expect("tempdir");
    let url = server.url("/later.bin");
    let f = fetcher(cache.path());

    let err = f
        .clone()
        .with_retries(0)
        .fetch(&url, None)
        .expect_err("no retries");
    assert!(
        matches!(err, FetchError::Network { attempts: 1, .. }),
        "{err:?}"
    );
    let path = f.path_for(&url);
    assert!(!path.exists());
    assert_eq!(
        fs::metadata(part_of(&path)).expect("part kept").len(),
        (body.len() / 2) as u64
    );

    let fetched = f.fetch(&url, None).expect("resume");
    assert_eq!(
        server.requests()[1].range.as_deref(),
        Some(format!("bytes={}-", body.len() / 2).as_str())
    );
    assert_eq!(fs::read(&fetched.path).expect("read"), body);
}

#[test]
fn progress_modes_do_not_disturb_the_download() {
    let body = test_body(BODY_LEN);
    let server = TestServer::start(
        body.clone(),
        Faults {
            truncate_first: 1,
            ..Faults::default()
        },
    );
    let cache = tempfile::tempdir().expect("tempdir");
    for (i, mode) in [Progress::Plain, Progress::Terminal, Progress::auto()]
        .into_iter()
        .enumerate()
    {
        let fetched = fetcher(cache.path())
            .with_progress(mode)
            .fetch(&server.url(&format!("/p{i}.bin")), None)
            .expect("fetch");
        assert_eq!(fs::read(&fetched.path).expect("read"), body);
    }
}

/// With revalidation a cached copy is checked with the server before use. This test server
/// gives no validators, so the whole file is asked for again (its digest shows it is the same);
/// without revalidation the cache is used with no request.
#[test]
fn revalidation_asks_the_server_again() {
    let body = test_body(3000);
    let server = TestServer::start(body.clone(), Faults::default());
    let cache = tempfile::tempdir().expect("tempdir");
    let url = server.url("/revalidated.csv");
    let f = fetcher(cache.path()).with_revalidation(true);
    let first = f.fetch(&url, None).expect("first fetch");
    let second = f.fetch(&url, None).expect("second fetch");
    assert!(!first.from_cache && !second.from_cache && !second.revalidated);
    assert_eq!(second.sha256, sha256_hex(&body));
    assert_eq!(server.requests().len(), 2);
    assert!(
        server.requests().iter().all(|r| r.range.is_none()),
        "no Range on a revalidation"
    );
    // An expected digest that matches needs no request, revalidating or not.
    f.fetch(&url, Some(&sha256_hex(&body)))
        .expect("third fetch");
    assert_eq!(server.requests().len(), 2);
}
