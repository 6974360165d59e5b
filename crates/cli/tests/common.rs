//! Shared helpers of the CLI tests: the data mirror, running the binary, one synced store per
//! test binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub use attache_testdata::mirror;

pub fn attache(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attache"))
        .args(args)
        .output()
        .expect("running attache")
}

/// `attache ARGS --data-dir DATA` with piped standard streams and without the calling
/// environment's secrets or data dir (`ATTACHE_VAULT_KEY` and the rest), so a test sees only
/// the secrets of its own data dir.
pub fn isolated(data: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_attache"));
    c.args(args).args(["--data-dir", data.to_str().unwrap()]);
    for v in attache_vault::secrets::ENV_VARS {
        c.env_remove(v);
    }
    c.env_remove("ATTACHE_SECRETS_DIR")
        .env_remove("ATTACHE_DATA_DIR");
    c.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    c
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `dir`, removed when this test process exits. For a `TempDir` kept in a `static` (one store
/// per test binary): statics are never dropped, so without this every run of the suite left
/// its stores behind (a full sync is 121 MB; a developer's /tmp filled up).
pub fn removed_at_exit(dir: tempfile::TempDir) -> tempfile::TempDir {
    use std::sync::{Mutex, Once};
    static DIRS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    static REGISTER: Once = Once::new();
    extern "C" fn remove_all() {
        if let Ok(dirs) = DIRS.lock() {
            for d in dirs.iter() {
                let _ = std::fs::remove_dir_all(d);
            }
        }
    }
    REGISTER.call_once(|| {
        // SAFETY: `remove_all` is a plain function that touches only `DIRS` and the file
        // system; `atexit` runs it once, when the test harness exits.
        unsafe {
            libc::atexit(remove_all);
        }
    });
    DIRS.lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(dir.path().to_path_buf());
    dir
}

/// A data dir holding one full sync of the mirror, made once per test binary (removed at exit).
pub fn synced() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = removed_at_exit(tempfile::tempdir().unwrap());
        let m = mirror();
        let o = attache(&[
            "sync",
            "--mirror",
            m.to_str().unwrap(),
            "--data-dir",
            d.path().to_str().unwrap(),
        ]);
        assert!(
            o.status.success(),
            "sync failed:\n{}\n{}",
            stdout(&o),
            stderr(&o)
        );
        d
    })
    .path()
}

/// Serves `config` from this test process on a free loopback port (its own thread and
/// runtime, alive until the test binary exits) and returns the bound address.
pub fn serve_in_process(config: attache_server::Config) -> std::net::SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(attache_server::serve(
            config,
            "127.0.0.1:0".parse().unwrap(),
            |a| tx.send(a).unwrap(),
        ))
        .unwrap();
    });
    rx.recv_timeout(std::time::Duration::from_secs(60))
        .expect("the test server starts")
}

/// A new data dir synced from the mirror with only the sources `only` (comma-separated).
pub fn synced_only(only: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let m = mirror();
    let o = attache(&[
        "sync",
        "--mirror",
        m.to_str().unwrap(),
        "--only",
        only,
        "--data-dir",
        d.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "sync --only {only}: {}", stderr(&o));
    d
}

/// Runs SQL against a data dir and returns the CSV output.
pub fn sql(data: &Path, q: &str) -> String {
    let o = attache(&[
        "sql",
        q,
        "--format",
        "csv",
        "--data-dir",
        data.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{q}: {}", stderr(&o));
    stdout(&o)
}

/// One HTTP answer (tests talk to the server over loopback with this tiny HTTP/1.1 client, so
/// they see exactly the bytes a browser would).
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// Sends one request (`Connection: close`) and reads the whole answer.
pub fn http(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("connecting to the test server");
    s.set_read_timeout(Some(std::time::Duration::from_secs(120)))
        .unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("no end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let nl = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .expect("chunk size line");
            let n = usize::from_str_radix(
                String::from_utf8_lossy(&rest[..nl])
                    .split(';')
                    .next()
                    .unwrap()
                    .trim(),
                16,
            )
            .unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&rest[nl + 2..nl + 2 + n]);
            rest = &rest[nl + 2 + n + 2..];
        }
        body = out;
    }
    Resp {
        status,
        headers,
        body,
    }
}

/// One case of the SQL logic files (`tests/sql/*.slt`): blocks of `query <name>`, the SQL,
/// `----`, the expected CSV output (header included).
pub struct SqlCase {
    pub file: PathBuf,
    pub name: String,
    pub sql: String,
    pub expected: String,
}

/// Every case of every `tests/sql/*.slt` file, in file order.
pub fn sql_cases() -> Vec<SqlCase> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sql");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "slt"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for block in text.split("\nquery ").skip(1) {
            let (head, expected) = block
                .split_once("\n----\n")
                .unwrap_or_else(|| panic!("{}: block without ----", path.display()));
            let (name, q) = head.split_once('\n').unwrap();
            let expected: String = expected
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .map(|l| format!("{l}\n"))
                .collect();
            out.push(SqlCase {
                file: path.clone(),
                name: name.trim().to_string(),
                sql: q.trim().to_string(),
                expected,
            });
        }
    }
    out
}

/// ICEWS rows of a surge: material conflict in India, one event a day from 2018-05-01 for 50
/// days, then 20 a day for six days.
pub fn surge_tab() -> String {
    let mut text = String::from(
        "Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\tIntensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher\tCity\tDistrict\tProvince\tCountry\tLatitude\tLongitude\n",
    );
    let mut id = 1000;
    let start = attache_core::Date::new(2018, 5, 1)
        .unwrap()
        .days_since_epoch();
    for day in 0..56i64 {
        let date = attache_core::Date::from_days_since_epoch(start + day);
        for k in 0..if day < 50 { 1 } else { 20 } {
            id += 1;
            text.push_str(&format!(
                "{id}\t{date}\tMilitary (India)\tMilitary\tIndia\tUse conventional military force\t190\t-10\tInsurgents (India)\tRebels\tIndia\t{}\t1\tA Wire\tCity\tNA\tProvince\tIndia\t20.0\t78.0\n",
                900_000 + id * 10 + k
            ));
        }
    }
    text
}
