//! What a new user stumbled on (issue 14, part 8): host names in `serve --addr`; one country
//! resolver with "did you mean" for every command and route; keys made with `attache keys init`
//! picked up by a running server; no path on the server's disk in any answer to an anonymous
//! caller; `attache sql` read-only. (A closed pipe: `spine.rs`; SQL read-only on a cluster:
//! `cluster.rs`.)

mod common;

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use common::*;

/// `attache serve` in the background, killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `attache serve --addr ADDR` on `data`: the address it listens on, or (when it exits
/// first) its standard error. Bounded: 60 s.
fn serve(data: &Path, addr: &str) -> Result<Server, String> {
    let mut child = isolated(data, &["serve", "--addr", addr])
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for l in std::io::BufReader::new(stdout).lines() {
            let Ok(l) = l else { break };
            if l.contains("listening on http://") {
                let _ = tx.send(l);
            }
        }
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(l) => {
            let addr = l
                .split("http://")
                .nth(1)
                .and_then(|r| r.split('/').next())
                .and_then(|a| a.parse().ok())
                .unwrap_or_else(|| panic!("no address in {l:?}"));
            // Its standard error is not read again: keep the pipe from filling.
            let err = child.stderr.take().unwrap();
            std::thread::spawn(move || std::io::copy(&mut { err }, &mut std::io::sink()));
            Ok(Server { child, addr })
        }
        Err(_) => {
            let _ = child.kill();
            let o = child.wait_with_output().unwrap();
            Err(String::from_utf8_lossy(&o.stderr).into_owned())
        }
    }
}

/// `--addr` takes host names: `Ok(loopback)` = it serves on a loopback address, `Err(needle)`
/// = it refuses to start with `needle` in its error.
fn check_addr(input: &str, expect: Result<(), &str>) {
    let data = tempfile::tempdir().unwrap();
    match (serve(data.path(), input), expect) {
        (Ok(s), Ok(())) => {
            assert!(s.addr.ip().is_loopback(), "{input}: {}", s.addr);
            assert_eq!(http(s.addr, "GET", "/healthz", &[], b"").status, 200);
        }
        (Err(e), Err(needle)) => {
            assert!(
                e.contains(needle),
                "--addr {input}: want {needle:?} in\n{e}"
            );
            assert!(!e.contains("panicked"), "{e}");
        }
        (Ok(s), Err(n)) => panic!("--addr {input} served on {} (want an error {n:?})", s.addr),
        (Err(e), Ok(())) => panic!("--addr {input} failed:\n{e}"),
    }
}

#[test]
fn serve_takes_host_names() {
    check_addr("localhost:0", Ok(()));
    check_addr("127.0.0.1:0", Ok(()));
    check_addr("[::1]:0", Ok(()));
    check_addr("localhost", Err("invalid value 'localhost' for '--addr"));
    check_addr("localhost", Err("expected HOST:PORT"));
    check_addr("localhost:99999", Err("port \"99999\""));
    // glibc refuses a name with a blank without asking a DNS server: no network is used.
    check_addr("bad host:8080", Err("host \"bad host\" does not resolve"));
}

/// A synced data dir with a forecast run, shared by the tests of this file that read data.
fn data() -> &'static Path {
    static DONE: OnceLock<()> = OnceLock::new();
    let d = synced();
    DONE.get_or_init(|| {
        let o = attache(&[
            "forecast",
            "run",
            "--as-of",
            "2020-10",
            "--draws",
            "200",
            "--data-dir",
            d.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "forecast run: {}", stderr(&o));
    });
    d
}

/// One country argument of one command: `Ok(needle)` = success with `needle` on standard
/// output, `Err(needle)` = failure with `needle` on standard error.
fn check_country(args: &[&str], expect: Result<&str, &str>) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_attache"))
        .args(args)
        .env("ATTACHE_DATA_DIR", data())
        .output()
        .unwrap();
    let (out, err) = (stdout(&o), stderr(&o));
    match expect {
        Ok(n) => assert!(
            o.status.success() && out.contains(n),
            "{args:?}: want {n:?} in\n{out}\n{err}"
        ),
        Err(n) => assert!(
            !o.status.success() && err.contains(n),
            "{args:?}: want failure with {n:?} in\n{err}"
        ),
    }
    assert!(!err.contains("panicked"), "{err}");
}

const SUDN: &str = "did you mean Sudan (SDN), South Sudan (SSD)?";

#[test]
fn one_country_resolver_for_every_command() {
    check_country(&["country", "India"], Ok("IND\tIndia"));
    check_country(&["country", "Sudn"], Err(SUDN));
    check_country(&["climate", "country", "IND"], Ok("India (IND)"));
    check_country(&["climate", "country", "India"], Ok("India (IND)"));
    check_country(&["climate", "country", "in"], Ok("India (IND)"));
    check_country(&["climate", "country", "Sudn"], Err(SUDN));
    check_country(
        &[
            "climate",
            "pledges",
            "--ensemble",
            "0",
            "--edit",
            "India=netzero:2070",
        ],
        Ok("edit IND: "),
    );
    check_country(
        &[
            "climate",
            "pledges",
            "--ensemble",
            "0",
            "--edit",
            "Sudn=none",
        ],
        Err(SUDN),
    );
    check_country(&["forecast", "show", "Sudan"], Ok("SDN"));
    check_country(&["forecast", "show", "Sudn"], Err(SUDN));
}

#[test]
fn one_country_resolver_for_every_route() {
    let s = serve(data(), "127.0.0.1:0").unwrap();
    let cases: [(&str, Result<&str, &str>); 8] = [
        ("/country/Sudan", Ok("/country/SDN")),
        ("/country/Sudn", Err(SUDN)),
        ("/climate/country/India", Ok("/climate/country/IND")),
        ("/climate/country/Sudn", Err(SUDN)),
        ("/api/v1/countries/Sudn", Err(SUDN)),
        ("/api/v1/forecasts?country=Sudn", Err(SUDN)),
        ("/api/v1/climate/countries/Sudn", Err(SUDN)),
        ("/api/v1/countries/India", Ok("")),
    ];
    for (path, expect) in cases {
        let r = http(s.addr, "GET", path, &[], b"");
        match expect {
            Ok("") => assert_eq!(r.status, 200, "{path}: {}", r.text()),
            Ok(to) => {
                assert_eq!(r.status, 308, "{path}: {}", r.text());
                assert_eq!(r.header("location"), Some(to), "{path}");
            }
            Err(needle) => {
                assert_eq!(r.status, 404, "{path}: {}", r.text());
                assert!(r.text().contains(needle), "{path}: {}", r.text());
            }
        }
    }
}

/// `attache sql` reads; statements that would change something fail, saying so.
#[test]
fn sql_is_read_only() {
    let d = data().to_str().unwrap();
    for (q, expect) in [
        ("select count(*) as n from brd", Ok("n")),
        ("drop table brd", Err("DROP is refused")),
        (
            "create table x as select * from brd",
            Err("CREATE is refused"),
        ),
        (
            "insert into brd select * from brd",
            Err("INSERT is refused"),
        ),
        ("delete from brd", Err("DELETE is refused")),
        ("update brd set bd_best = 0", Err("UPDATE is refused")),
        (
            "copy brd to '/tmp/attache-readonly-test.parquet'",
            Err("COPY is refused"),
        ),
        (
            "set datafusion.execution.batch_size = 1",
            Err("SET is refused"),
        ),
    ] {
        let o = attache(&["sql", q, "--data-dir", d]);
        match expect {
            Ok(n) => assert!(o.status.success() && stdout(&o).contains(n), "{q}"),
            Err(n) => {
                assert_eq!(o.status.code(), Some(2), "{q}: {}", stdout(&o));
                assert!(stderr(&o).contains(n), "{q}: {}", stderr(&o));
                assert!(stderr(&o).contains("read-only"), "{q}: {}", stderr(&o));
            }
        }
    }
    assert!(!Path::new("/tmp/attache-readonly-test.parquet").exists());
    // The table is whole after all that.
    let n = sql(data(), "select count(*) as n from brd");
    assert_eq!(n.lines().nth(1), Some("1920"), "{n}");
}

fn add_user(data: &Path, name: &str, role: &str, clearance: &str) -> String {
    use std::io::Write;
    let mut c = isolated(
        data,
        &[
            "user",
            "add",
            name,
            "--role",
            role,
            "--clearance",
            clearance,
        ],
    )
    .spawn()
    .unwrap();
    c.stdin
        .take()
        .unwrap()
        .write_all(b"a long passphrase for the test\n")
        .unwrap();
    let o = c.wait_with_output().unwrap();
    assert!(o.status.success(), "user add: {}", stderr(&o));
    let o = isolated(data, &["user", "token", name]).output().unwrap();
    assert!(o.status.success(), "user token: {}", stderr(&o));
    stdout(&o).lines().last().unwrap().trim().to_string()
}

/// After `attache keys init`, a server that was started without keys serves the briefs: no
/// restart. Before, its 503 names no path.
#[test]
fn keys_made_while_serving_are_picked_up() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let s = serve(&data, "127.0.0.1:0").unwrap();
    let token = add_user(&data, "ana", "analyst", "confidential");
    let auth = format!("Bearer {token}");
    let get = |path: &str| http(s.addr, "GET", path, &[("Authorization", &auth)], b"");
    for path in ["/api/v1/briefs", "/briefs"] {
        let r = get(path);
        assert_eq!(r.status, 503, "{path} without keys: {}", r.text());
        assert!(
            r.text().contains("attache keys init"),
            "{path}: {}",
            r.text()
        );
        for p in [data.to_str().unwrap(), "secrets", "vault.keys"] {
            assert!(!r.text().contains(p), "{path} shows {p:?}: {}", r.text());
        }
    }
    let o = isolated(&data, &["keys", "init"]).output().unwrap();
    assert!(o.status.success(), "keys init: {}", stderr(&o));
    for path in ["/api/v1/briefs", "/briefs"] {
        let r = get(path);
        assert_eq!(r.status, 200, "{path} after keys init: {}", r.text());
    }
    // The brief the CLI writes with those keys is read by the running server.
    let o = isolated(
        &data,
        &[
            "brief",
            "create",
            "--as",
            "ana",
            "--title",
            "Keys picked up",
            "--question",
            "Does the running server see its new keys?",
            "--classification",
            "restricted",
            "--option",
            "Yes",
            "--option",
            "No",
        ],
    )
    .output()
    .unwrap();
    assert!(o.status.success(), "brief create: {}", stderr(&o));
    let r = get("/api/v1/briefs");
    assert!(r.text().contains("Keys picked up"), "{}", r.text());
}

/// Every page and API answer an anonymous caller can reach: none names a path on the server's
/// disk (data dir, secrets dir, the mirror), with keys and without.
#[test]
fn no_path_on_the_servers_disk_in_public_answers() {
    let d = data();
    let s = serve(d, "127.0.0.1:0").unwrap();
    let forbidden: Vec<String> = [
        d.display().to_string(),
        d.join("secrets").display().to_string(),
        mirror().display().to_string(),
    ]
    .into();
    let spec = http(s.addr, "GET", "/api/v1/openapi.json", &[], b"").json();
    let mut paths: Vec<String> = [
        "/",
        "/country/SDN",
        "/country/Sudn",
        "/climate",
        "/climate/warming",
        "/climate/countries",
        "/climate/country/IND",
        "/climate/blocs",
        "/sources",
        "/sources?format=csv",
        "/sources?format=json",
        "/methodology",
        "/login",
        "/briefs",
        "/briefs/new",
        "/briefs/1",
        "/briefs/1/export",
        "/verify",
        "/admin/users",
        "/admin/audit",
        "/healthz",
        "/no/such/page",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    for (path, item) in spec["paths"].as_object().unwrap() {
        if item.get("get").is_none() {
            continue;
        }
        let p = path
            .replace("{iso3}", "SDN")
            .replace("{code}", "SDN")
            .replace("{id}", "1")
            .replace("{name}", "ana");
        let p = format!("/api/v1{}", p.strip_prefix("/api/v1").unwrap_or(&p));
        paths.push(p.clone());
        paths.push(format!("{p}?format=csv"));
    }
    let crawl = |when: &str| {
        for p in &paths {
            let r = http(s.addr, "GET", p, &[], b"");
            assert!(
                r.status < 500 || r.status == 503,
                "{when} {p}: {}",
                r.status
            );
            let body = r.text();
            for f in &forbidden {
                assert!(
                    !body.contains(f.as_str()),
                    "{when} {p} ({}) shows {f}:\n{body}",
                    r.status
                );
            }
            for (k, v) in &r.headers {
                for f in &forbidden {
                    assert!(!v.contains(f.as_str()), "{when} {p}: header {k} shows {f}");
                }
            }
        }
    };
    crawl("without keys");
    let o = attache(&["keys", "init", "--data-dir", d.to_str().unwrap()]);
    assert!(o.status.success(), "keys init: {}", stderr(&o));
    crawl("with keys");
    assert!(paths.len() > 30, "{} paths crawled", paths.len());
}
