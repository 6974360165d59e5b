//! A tiny HTTP/1.1 server on 127.0.0.1 for the integration tests: it serves
//! one fixed body at any path, honours `Range: bytes=<start>-`, records the
//! requests it receives, and can inject faults.
//!
//! Every connection is answered with `Connection: close`. Sockets have read
//! and write timeouts, and the accept loop stops when the server is dropped
//! or after [`MAX_LIFETIME`], so no test can hang on it.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The accept loop gives up after this long, whatever happens.
const MAX_LIFETIME: Duration = Duration::from_secs(60);
/// Read and write timeout on every accepted connection.
const SOCKET_TIMEOUT: Duration = Duration::from_secs(5);
/// Request heads longer than this are rejected.
const MAX_HEAD: usize = 16 * 1024;

/// Faults to inject; the default is a well-behaved server.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// The first this-many requests get headers announcing the full length,
    /// then only half of the body, then the connection is closed.
    pub truncate_first: usize,
    /// The first this-many requests are answered with `fail_status`.
    pub fail_first: usize,
    /// Status used for `fail_first` (503 if 0).
    pub fail_status: u16,
    /// Every request is answered with this status and an empty body.
    pub always_status: Option<u16>,
    /// Answer every request with 200 and the whole body, ignoring `Range`.
    pub ignore_range: bool,
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    pub range: Option<String>,
    pub user_agent: Option<String>,
}

pub struct TestServer {
    port: u16,
    requests: Arc<Mutex<Vec<Recorded>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server for `body` with the given faults.
    pub fn start(body: Vec<u8>, faults: Faults) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let port = listener.local_addr().expect("local addr").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let requests = Arc::clone(&requests);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || serve(listener, &body, &faults, &requests, &stop))
        };
        TestServer {
            port,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    /// The URL of `path` (which starts with `/`) on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("requests lock").clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    listener: TcpListener,
    body: &[u8],
    faults: &Faults,
    requests: &Mutex<Vec<Recorded>>,
    stop: &AtomicBool,
) {
    let deadline = Instant::now() + MAX_LIFETIME;
    let mut served = 0usize;
    while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
        match listener.accept() {
            Ok((stream, _)) => {
                if handle(stream, body, faults, served, requests).is_some() {
                    served += 1;
                }
            }
            Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(2)),
        }
    }
}

/// Answers one connection; `None` if no request could be read from it.
fn handle(
    mut stream: TcpStream,
    body: &[u8],
    faults: &Faults,
    index: usize,
    requests: &Mutex<Vec<Recorded>>,
) -> Option<()> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(SOCKET_TIMEOUT)).ok()?;
    stream.set_write_timeout(Some(SOCKET_TIMEOUT)).ok()?;
    let head = read_head(&mut stream)?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?;
    let path = request_line.split(' ').nth(1)?.to_owned();
    let mut range = None;
    let mut user_agent = None;
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "range" => range = Some(value.trim().to_owned()),
                "user-agent" => user_agent = Some(value.trim().to_owned()),
                _ => {}
            }
        }
    }
    requests.lock().ok()?.push(Recorded {
        path,
        range: range.clone(),
        user_agent,
    });

    if let Some(status) = faults.always_status {
        respond(&mut stream, status, &[], &[], None);
        return Some(());
    }
    if index < faults.fail_first {
        let status = if faults.fail_status == 0 {
            503
        } else {
            faults.fail_status
        };
        respond(&mut stream, status, &[], &[], None);
        return Some(());
    }
    let truncate = index < faults.truncate_first;
    let start = if faults.ignore_range {
        None
    } else {
        range.as_deref().and_then(parse_range)
    };
    match start {
        None => respond(
            &mut stream,
            200,
            &[],
            body,
            truncate.then_some(body.len() / 2),
        ),
        Some(start) if start < body.len() => {
            let content_range = format!("bytes {start}-{}/{}", body.len() - 1, body.len());
            let rest = &body[start..];
            respond(
                &mut stream,
                206,
                &[("Content-Range", &content_range)],
                rest,
                truncate.then_some(rest.len() / 2),
            );
        }
        Some(_) => {
            let content_range = format!("bytes */{}", body.len());
            respond(
                &mut stream,
                416,
                &[("Content-Range", &content_range)],
                &[],
                None,
            );
        }
    }
    Some(())
}

/// Reads up to the blank line that ends the request head.
fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > MAX_HEAD {
            return None;
        }
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    String::from_utf8(head).ok()
}

/// Writes a response announcing `body.len()` bytes; sends only the first
/// `cut` bytes of the body when `cut` is given, then closes.
fn respond(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
    cut: Option<usize>,
) {
    let reason = match status {
        200 => "OK",
        206 => "Partial Content",
        404 => "Not Found",
        416 => "Range Not Satisfiable",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\nConnection: close\r\nAccept-Ranges: bytes\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let sent = &body[..cut.unwrap_or(body.len())];
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(sent);
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Both);
}

/// `bytes=<start>-` to `start`.
fn parse_range(value: &str) -> Option<usize> {
    let spec = value.strip_prefix("bytes=")?;
    let (start, end) = spec.split_once('-')?;
    if !end.trim().is_empty() {
        return None;
    }
    start.trim().parse().ok()
}

/// `len` deterministic pseudo-random bytes.
pub fn test_body(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 56) as u8
        })
        .collect()
}
