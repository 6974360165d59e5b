//! The [`Fetcher`]: cache lookup, resumable download with retries, checksum
//! verification and atomic publication.
//!
//! One call to [`Fetcher::fetch`] goes through these steps:
//!
//! 1. If the final file is in the cache (and has the expected SHA-256 when
//!    one is given) it is returned at once, without any request, unless the
//!    fetcher revalidates ([`Fetcher::with_revalidation`]) and no digest is
//!    expected: then a conditional request (`If-None-Match` with the stored
//!    `ETag`, `If-Modified-Since` with the stored `Last-Modified`, kept in
//!    `<final>.validators`) asks the server whether the copy is current. A 304
//!    keeps it; a 200 downloads the new body as below and replaces it. A
//!    server that gives no validators is simply asked for the whole file
//!    again, and its SHA-256 shows whether it changed.
//! 2. Otherwise a lock file beside it is taken, so that two processes never
//!    write the same part file, and the cache is looked at again.
//! 3. The body is downloaded into `<final>.part`. When a part file exists,
//!    the request carries `Range: bytes=<len>-`: a 206 answer is appended, a
//!    200 answer replaces the part, a 416 answer means the part is complete
//!    when its size is the size the server gives, and otherwise the part is
//!    thrown away and the download restarts.
//! 4. Network errors, bodies cut short, HTTP 429 and 5xx are retried with
//!    exponential backoff; other 4xx answers fail at once.
//! 5. The SHA-256 of the whole file is computed and checked; on a mismatch
//!    the part is deleted and [`FetchError::Checksum`] returned (no retry).
//!    Otherwise the part is synced and renamed to its final name.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

use crate::cache::cache_path;
use crate::error::FetchError;
use crate::progress::{Progress, Report};

/// Retries after the first attempt, by default.
const DEFAULT_RETRIES: u32 = 4;
/// The first backoff delay, by default; it doubles after every failed attempt.
const DEFAULT_BACKOFF: Duration = Duration::from_millis(500);
/// The longest backoff delay.
const MAX_BACKOFF: Duration = Duration::from_secs(8);
/// How long to wait for a TCP (and TLS) connection, by default.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long any single read from the server may take, by default.
const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);
/// Size of the buffer the body is copied through.
const COPY_BUFFER: usize = 64 * 1024;

/// Downloads URLs into a cache directory: cache lookup, resume, retries,
/// checksum check and atomic publication, as described in the crate docs.
///
/// A `Fetcher` holds only settings; it is cheap to clone and can be shared
/// between threads.
#[derive(Debug, Clone)]
pub struct Fetcher {
    cache_dir: PathBuf,
    retries: u32,
    backoff: Duration,
    connect_timeout: Duration,
    read_timeout: Duration,
    progress: Progress,
    user_agent: String,
    revalidate: bool,
}

/// A file that [`Fetcher::fetch`] put in (or found in) the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The URL that was fetched.
    pub url: String,
    /// Where the file is, under its final name.
    pub path: PathBuf,
    /// The SHA-256 of the file, lowercase hex.
    pub sha256: String,
    /// The size of the file in bytes.
    pub bytes: u64,
    /// Whether the file was already in the cache (no request was made).
    pub from_cache: bool,
    /// When the file was downloaded: now for a fresh download, the file's
    /// modification time for a file served from the cache.
    pub retrieved_at: SystemTime,
    /// Whether the server confirmed the cached copy is current (a 304 to a
    /// conditional request).
    pub revalidated: bool,
}

/// What a server said identifies a version of a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Validators {
    etag: Option<String>,
    last_modified: Option<String>,
}

impl Validators {
    fn from_headers(headers: &ureq::http::HeaderMap) -> Validators {
        Validators {
            etag: header_str(headers, "etag").map(str::to_owned),
            last_modified: header_str(headers, "last-modified").map(str::to_owned),
        }
    }

    /// The validators stored beside `final_path` (none when the file is
    /// missing or unreadable: the request is then unconditional).
    fn read(final_path: &Path) -> Validators {
        let mut v = Validators::default();
        let Ok(text) = fs::read_to_string(sibling(final_path, "validators")) else {
            return v;
        };
        for line in text.lines() {
            match line.split_once(": ") {
                Some(("etag", value)) => v.etag = Some(value.to_owned()),
                Some(("last-modified", value)) => v.last_modified = Some(value.to_owned()),
                _ => {}
            }
        }
        v
    }

    /// Stores them beside `final_path` (temporary file and rename), or
    /// removes stale ones when the server gave none.
    fn write(&self, final_path: &Path) -> Result<(), FetchError> {
        let path = sibling(final_path, "validators");
        let mut text = String::new();
        for (name, value) in [("etag", &self.etag), ("last-modified", &self.last_modified)] {
            // A value with a line break could forge the other line: not kept.
            if let Some(v) = value.as_deref().filter(|v| !v.contains(['\r', '\n'])) {
                text.push_str(&format!("{name}: {v}\n"));
            }
        }
        if text.is_empty() {
            return remove_if_exists(&path);
        }
        let tmp = sibling(final_path, "validators.tmp");
        fs::write(&tmp, text).map_err(FetchError::io(&tmp))?;
        fs::rename(&tmp, &path).map_err(FetchError::io(&path))
    }
}

/// What one request came to, when it did not fail for good.
enum Attempt {
    /// The part file holds the whole body.
    Complete,
    /// The server says the cached copy is current (304).
    NotModified,
    /// Worth trying again.
    Retry {
        reason: String,
        retry_after: Option<Duration>,
    },
    /// A network error that retrying cannot fix (bad TLS, too many
    /// redirects, ...).
    Fatal { reason: String },
}

impl Fetcher {
    /// A fetcher that caches under `cache_dir` (see
    /// [`default_cache_dir`](crate::default_cache_dir)), with 4 retries,
    /// a 500 ms initial backoff, a 30 s connect timeout, a 60 s read
    /// timeout, quiet progress and the user agent `attache/<version>`.
    pub fn new(cache_dir: impl Into<PathBuf>) -> Fetcher {
        Fetcher {
            cache_dir: cache_dir.into(),
            retries: DEFAULT_RETRIES,
            backoff: DEFAULT_BACKOFF,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            progress: Progress::Quiet,
            revalidate: false,
            user_agent: format!("attache/{}", env!("CARGO_PKG_VERSION")),
        }
    }

    /// How many times a failed attempt is retried.
    ///
    /// An attempt that failed after making the part file larger than it has
    /// ever been (a connection dropped in mid-body) does not use up a retry,
    /// so long downloads over a flaky link can finish. `0` turns retrying
    /// off entirely.
    pub fn with_retries(mut self, n: u32) -> Self {
        self.retries = n;
        self
    }

    /// The delay before the first retry; it doubles after each failed
    /// attempt, up to 8 s (or `d`, if larger).
    pub fn with_backoff(mut self, d: Duration) -> Self {
        self.backoff = d;
        self
    }

    /// How progress is reported on standard error.
    pub fn with_progress(mut self, p: Progress) -> Self {
        self.progress = p;
        self
    }

    /// How long to wait for a connection to be established.
    pub fn with_connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = d;
        self
    }

    /// How long any single read from the server (headers or body) may take.
    pub fn with_read_timeout(mut self, d: Duration) -> Self {
        self.read_timeout = d;
        self
    }

    /// Whether a cached file (with no expected digest) is checked with the
    /// server before it is used: a conditional request, see the module docs.
    /// Off by default (the cache is then used as is, with no request).
    pub fn with_revalidation(mut self, on: bool) -> Self {
        self.revalidate = on;
        self
    }

    /// The `User-Agent` header sent with every request.
    pub fn with_user_agent(mut self, ua: impl Into<String>) -> Self {
        self.user_agent = ua.into();
        self
    }

    /// The cache directory.
    pub fn cache_dir(&self) -> &Path {
        &self.cache_dir
    }

    /// Where `url` is (or will be) cached by this fetcher.
    pub fn path_for(&self, url: &str) -> PathBuf {
        cache_path(&self.cache_dir, url)
    }

    /// Returns the cached file for `url`, downloading it first if needed.
    ///
    /// `expected_sha256` (64 hex digits, any case) is checked against both a
    /// cached file (a cached file that does not match is downloaded again)
    /// and a fresh download (a mismatch is [`FetchError::Checksum`]).
    pub fn fetch(&self, url: &str, expected_sha256: Option<&str>) -> Result<Fetched, FetchError> {
        check_url(url)?;
        let expected = expected_sha256
            .map(|value| normalize_sha256(url, value))
            .transpose()?;
        let final_path = self.path_for(url);
        let revalidate = self.revalidate && expected.is_none();

        if !revalidate && let Some(hit) = cached(url, &final_path, expected.as_deref())? {
            Report::cached(self.progress, url, hit.bytes);
            return Ok(hit);
        }

        let dir = final_path.parent().unwrap_or(&self.cache_dir);
        fs::create_dir_all(dir).map_err(FetchError::io(dir))?;
        let _lock = lock(&sibling(&final_path, "lock"))?;
        let hit = cached(url, &final_path, expected.as_deref())?;
        // Another process may have finished the download while we waited.
        if !revalidate && let Some(hit) = hit {
            Report::cached(self.progress, url, hit.bytes);
            return Ok(hit);
        }
        // Revalidating a cached copy: ask from byte 0, with its validators.
        let conditional = match &hit {
            Some(_) => {
                remove_if_exists(&sibling(&final_path, "part"))?;
                Some(Validators::read(&final_path))
            }
            None => None,
        };

        let mut report = Report::start(self.progress, url);
        let result = match self.download(
            url,
            &final_path,
            expected.as_deref(),
            conditional.as_ref(),
            &mut report,
        ) {
            Ok(Some(fetched)) => Ok(fetched),
            // `download` answers "not modified" only to a conditional request, made for `hit`.
            Ok(None) => hit
                .map(|h| Fetched {
                    revalidated: true,
                    ..h
                })
                .ok_or_else(|| FetchError::Network {
                    url: url.to_owned(),
                    attempts: 1,
                    message: "the server answered 304 Not Modified to an unconditional request"
                        .into(),
                }),
            Err(e) => Err(e),
        };
        match &result {
            Ok(fetched) => report.finish(fetched.bytes),
            Err(_) => report.abandon(),
        }
        result
    }

    /// Downloads `url` to `final_path`. With `conditional` (revalidating a
    /// cached copy), `None` means the server said the copy is current.
    fn download(
        &self,
        url: &str,
        final_path: &Path,
        expected: Option<&str>,
        conditional: Option<&Validators>,
        report: &mut Report,
    ) -> Result<Option<Fetched>, FetchError> {
        let part = sibling(final_path, "part");
        let agent = self.agent();
        let cap = MAX_BACKOFF.max(self.backoff);
        let mut delay = self.backoff;
        let mut attempts = 0u32;
        let mut failures = 0u32;
        let mut high_water = part_len(&part)?;
        let mut seen = Validators::default();

        loop {
            attempts += 1;
            let (reason, retry_after) =
                match attempt(&agent, url, &part, conditional, &mut seen, report)? {
                    Attempt::Complete => break,
                    Attempt::NotModified if conditional.is_some() => return Ok(None),
                    Attempt::NotModified => {
                        return Err(FetchError::Network {
                            url: url.to_owned(),
                            attempts,
                            message:
                                "the server answered 304 Not Modified to an unconditional request"
                                    .into(),
                        });
                    }
                    Attempt::Fatal { reason } => {
                        return Err(FetchError::Network {
                            url: url.to_owned(),
                            attempts,
                            message: reason,
                        });
                    }
                    Attempt::Retry {
                        reason,
                        retry_after,
                    } => (reason, retry_after),
                };

            let len = part_len(&part)?;
            if len > high_water && self.retries > 0 {
                // Progress: this failure is free, and the backoff starts over.
                high_water = len;
                delay = self.backoff;
            } else {
                failures += 1;
            }
            if failures > self.retries {
                return Err(FetchError::Network {
                    url: url.to_owned(),
                    attempts,
                    message: reason,
                });
            }
            let wait = retry_after.map_or(delay, |ra| ra.max(delay)).min(cap);
            report.retry(attempts, wait, &reason);
            std::thread::sleep(wait);
            delay = delay.saturating_mul(2).min(cap);
        }

        let (sha256, bytes) = hash_file(&part)?;
        if let Some(expected) = expected
            && expected != sha256
        {
            remove_if_exists(&part)?;
            return Err(FetchError::Checksum {
                url: url.to_owned(),
                expected: expected.to_owned(),
                actual: sha256,
            });
        }
        publish(&part, final_path)?;
        seen.write(final_path)?;
        Ok(Some(Fetched {
            url: url.to_owned(),
            path: final_path.to_owned(),
            sha256,
            bytes,
            from_cache: false,
            retrieved_at: SystemTime::now(),
            revalidated: false,
        }))
    }

    /// A ureq agent configured from this fetcher's settings, that hands
    /// every HTTP status back to us instead of turning 4xx/5xx into errors.
    fn agent(&self) -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(self.user_agent.as_str())
            .timeout_connect(Some(self.connect_timeout))
            .timeout_per_read(Some(self.read_timeout))
            .build()
            .into()
    }
}

/// Makes one request for `url`, resuming from the part file if there is one;
/// a fresh request for a cached copy carries its `conditional` validators.
/// The validators of a 200 or 206 answer go to `seen`.
fn attempt(
    agent: &ureq::Agent,
    url: &str,
    part: &Path,
    conditional: Option<&Validators>,
    seen: &mut Validators,
    report: &mut Report,
) -> Result<Attempt, FetchError> {
    let offset = part_len(part)?;
    let mut request = agent.get(url).header("Accept-Encoding", "identity");
    if offset > 0 {
        request = request.header("Range", format!("bytes={offset}-"));
    } else if let Some(v) = conditional {
        if let Some(etag) = &v.etag {
            request = request.header("If-None-Match", etag.as_str());
        }
        if let Some(date) = &v.last_modified {
            request = request.header("If-Modified-Since", date.as_str());
        }
    }
    let response = match request.call() {
        Ok(response) => response,
        Err(err) if is_transient(&err) => {
            return Ok(Attempt::Retry {
                reason: err.to_string(),
                retry_after: None,
            });
        }
        Err(err) => {
            return Ok(Attempt::Fatal {
                reason: err.to_string(),
            });
        }
    };

    let status = response.status().as_u16();
    let headers = response.headers();
    let content_length = header_str(headers, "content-length").and_then(|v| v.parse::<u64>().ok());
    let content_range = header_str(headers, "content-range").and_then(parse_content_range);

    if matches!(status, 200 | 206) {
        *seen = Validators::from_headers(headers);
    }
    match status {
        304 => Ok(Attempt::NotModified),
        200 => {
            let file = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(part)
                .map_err(FetchError::io(part))?;
            report.response(content_length, 0);
            copy_body(response.into_body(), file, part, 0, content_length, report)
        }
        206 => match content_range {
            Some(ContentRange {
                start,
                end: Some(end),
                total,
            }) if start == offset && end >= start => {
                let file = OpenOptions::new()
                    .append(true)
                    .open(part)
                    .map_err(FetchError::io(part))?;
                report.response(total, offset);
                let length = end - start + 1;
                copy_body(
                    response.into_body(),
                    file,
                    part,
                    offset,
                    Some(length),
                    report,
                )
            }
            _ => {
                remove_if_exists(part)?;
                Ok(Attempt::Retry {
                    reason: format!(
                        "server answered a request for bytes from {offset} with a different range; restarting"
                    ),
                    retry_after: None,
                })
            }
        },
        416 => {
            let size = content_range
                .and_then(|range| range.total)
                .or(content_length);
            if offset > 0 && size == Some(offset) {
                Ok(Attempt::Complete)
            } else {
                remove_if_exists(part)?;
                Ok(Attempt::Retry {
                    reason: format!("server refused to resume from byte {offset}; restarting"),
                    retry_after: None,
                })
            }
        }
        429 | 500..=599 => Ok(Attempt::Retry {
            reason: format!("server answered HTTP {status}"),
            retry_after: header_str(headers, "retry-after")
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs),
        }),
        _ => Err(FetchError::Http {
            url: url.to_owned(),
            status,
        }),
    }
}

/// Copies a response body to the part file, which is positioned at byte
/// `start`. `length` is how many bytes the body should have, when known.
fn copy_body(
    body: ureq::Body,
    mut file: File,
    part: &Path,
    start: u64,
    length: Option<u64>,
    report: &mut Report,
) -> Result<Attempt, FetchError> {
    let mut reader = body.into_reader();
    let mut buf = vec![0u8; COPY_BUFFER];
    let mut received = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => {
                file.flush().map_err(FetchError::io(part))?;
                return Ok(Attempt::Retry {
                    reason: format!("connection dropped after {received} bytes of the body: {err}"),
                    retry_after: None,
                });
            }
        };
        file.write_all(&buf[..n]).map_err(FetchError::io(part))?;
        // usize always fits in u64 on supported platforms.
        received += n as u64;
        report.advance(start + received);
    }
    file.flush().map_err(FetchError::io(part))?;
    match length {
        Some(length) if received < length => Ok(Attempt::Retry {
            reason: format!("body ended after {received} of {length} bytes"),
            retry_after: None,
        }),
        _ => Ok(Attempt::Complete),
    }
}

/// Whether a ureq error (before any response) is worth retrying.
fn is_transient(err: &ureq::Error) -> bool {
    matches!(
        err,
        ureq::Error::Io(_)
            | ureq::Error::Timeout(_)
            | ureq::Error::HostNotFound
            | ureq::Error::ConnectionFailed
            | ureq::Error::Protocol(_)
            | ureq::Error::BodyStalled
            | ureq::Error::ConnectProxyFailed(_)
    )
}

/// A parsed `Content-Range: bytes <start>-<end>/<total>` header (also
/// `bytes */<total>`, as sent with 416).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ContentRange {
    start: u64,
    end: Option<u64>,
    total: Option<u64>,
}

fn parse_content_range(value: &str) -> Option<ContentRange> {
    let rest = value.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse().ok()?),
    };
    let (start, end) = match range.trim() {
        "*" => (0, None),
        r => {
            let (s, e) = r.split_once('-')?;
            (s.trim().parse().ok()?, Some(e.trim().parse().ok()?))
        }
    };
    Some(ContentRange { start, end, total })
}

fn header_str<'a>(headers: &'a ureq::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Rejects anything but `http://host...` and `https://host...`.
fn check_url(url: &str) -> Result<(), FetchError> {
    let invalid = |reason: &str| FetchError::InvalidUrl {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| invalid("not an absolute URL"))?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(invalid("only http and https URLs are supported"));
    }
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if rest[..host_end].is_empty() {
        return Err(invalid("the URL has no host"));
    }
    Ok(())
}

/// Lowercases an expected digest, or rejects it if it is not 64 hex digits.
fn normalize_sha256(url: &str, value: &str) -> Result<String, FetchError> {
    let trimmed = value.trim();
    if trimmed.len() == 64 && trimmed.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(trimmed.to_ascii_lowercase())
    } else {
        Err(FetchError::InvalidSha256 {
            url: url.to_owned(),
            value: value.to_owned(),
        })
    }
}

/// The cached file for `url`, if it exists and matches `expected`.
fn cached(url: &str, path: &Path, expected: Option<&str>) -> Result<Option<Fetched>, FetchError> {
    let metadata = match fs::metadata(path) {
        Ok(m) if m.is_file() => m,
        Ok(_) => return Ok(None),
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(FetchError::io(path)(err)),
    };
    let (sha256, bytes) = hash_file(path)?;
    if expected.is_some_and(|e| e != sha256) {
        return Ok(None);
    }
    Ok(Some(Fetched {
        url: url.to_owned(),
        path: path.to_owned(),
        sha256,
        bytes,
        from_cache: true,
        retrieved_at: metadata.modified().unwrap_or_else(|_| SystemTime::now()),
        revalidated: false,
    }))
}

/// The SHA-256 (lowercase hex) and size of a file.
fn hash_file(path: &Path) -> Result<(String, u64), FetchError> {
    let mut file = File::open(path).map_err(FetchError::io(path))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; COPY_BUFFER];
    let mut bytes = 0u64;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(FetchError::io(path)(err)),
        };
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), bytes))
}

/// Syncs the part file and renames it to its final name, then syncs the
/// directory so the rename survives a crash.
fn publish(part: &Path, final_path: &Path) -> Result<(), FetchError> {
    let file = OpenOptions::new()
        .write(true)
        .open(part)
        .map_err(FetchError::io(part))?;
    file.sync_all().map_err(FetchError::io(part))?;
    drop(file);
    fs::rename(part, final_path).map_err(FetchError::io(final_path))?;
    if let Some(dir) = final_path.parent() {
        // Best effort: not every platform or file system can sync a
        // directory, and the file itself is already durable.
        if let Ok(dir) = File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}

/// Takes an exclusive lock on `path` (created if needed); it is released
/// when the returned file is dropped.
fn lock(path: &Path) -> Result<File, FetchError> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(FetchError::io(path))?;
    file.lock().map_err(FetchError::io(path))?;
    Ok(file)
}

/// `<path>.<suffix>`, e.g. `data.csv.part`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_owned()).unwrap_or_default();
    name.push(".");
    name.push(suffix);
    path.with_file_name(name)
}

/// The size of a file, or 0 if it does not exist.
fn part_len(path: &Path) -> Result<u64, FetchError> {
    match fs::metadata(path) {
        Ok(m) => Ok(m.len()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(0),
        Err(err) => Err(FetchError::io(path)(err)),
    }
}

fn remove_if_exists(path: &Path) -> Result<(), FetchError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(FetchError::io(path)(err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_parses() {
        assert_eq!(
            parse_content_range("bytes 10-19/20"),
            Some(ContentRange {
                start: 10,
                end: Some(19),
                total: Some(20)
            })
        );
        assert_eq!(
            parse_content_range("bytes 0-9/*"),
            Some(ContentRange {
                start: 0,
                end: Some(9),
                total: None
            })
        );
        assert_eq!(
            parse_content_range("bytes */42"),
            Some(ContentRange {
                start: 0,
                end: None,
                total: Some(42)
            })
        );
        assert_eq!(parse_content_range("items 0-1/2"), None);
        assert_eq!(parse_content_range("bytes x-1/2"), None);
    }

    #[test]
    fn urls_are_checked() {
        assert!(check_url("https://example.org/a").is_ok());
        assert!(check_url("HTTP://example.org").is_ok());
        assert!(matches!(
            check_url("ftp://example.org/a"),
            Err(FetchError::InvalidUrl { .. })
        ));
        assert!(matches!(
            check_url("example.org/a"),
            Err(FetchError::InvalidUrl { .. })
        ));
        assert!(matches!(
            check_url("https:///a"),
            Err(FetchError::InvalidUrl { .. })
        ));
    }

    #[test]
    fn expected_sha256_is_normalized() {
        let upper = "AB".repeat(32);
        assert_eq!(normalize_sha256("u", &upper).ok(), Some("ab".repeat(32)));
        assert!(matches!(
            normalize_sha256("u", "abc"),
            Err(FetchError::InvalidSha256 { .. })
        ));
        assert!(normalize_sha256("u", &"g".repeat(64)).is_err());
    }

    #[test]
    fn sibling_appends_suffix() {
        assert_eq!(
            sibling(Path::new("/c/k/data.csv"), "part"),
            PathBuf::from("/c/k/data.csv.part")
        );
    }
}
