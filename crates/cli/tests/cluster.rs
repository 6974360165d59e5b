//! The store's SQL on a Ballista cluster (issue 13): one scheduler and two executors started
//! on loopback with `attache cluster`, every SQL logic case (`tests/sql/*.slt`) run on the
//! embedded engine and on the cluster, with the same answers required from both; the plan
//! shows the query really went to the cluster; the server's read paths run on it too; and a
//! cluster that is gone is a loud error, not a silent fall-back to one machine.

mod common;

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// A child process killed when the test ends, however it ends.
struct Proc {
    child: Child,
    what: String,
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(args: &[&str], what: &str) -> Proc {
    let child = Command::new(env!("CARGO_BIN_EXE_attache"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {what}: {e}"));
    Proc {
        child,
        what: what.to_string(),
    }
}

/// Waits (bounded) until `port` accepts connections and `p` still runs.
fn wait_listening(p: &mut Proc, port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some(status) = p.child.try_wait().unwrap() {
            panic!("{} exited early: {status}", p.what);
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{} not listening on {port} after 60 s", p.what);
}

struct LocalCluster {
    url: String,
    _procs: Vec<Proc>,
}

/// One scheduler and two executors (two task slots each) on loopback.
fn local_cluster(work: &Path) -> LocalCluster {
    let sp = free_port();
    let sps = sp.to_string();
    let mut scheduler = start(
        &[
            "cluster",
            "scheduler",
            "--bind-host",
            "127.0.0.1",
            "--bind-port",
            &sps,
            "--external-host",
            "127.0.0.1",
        ],
        "the scheduler",
    );
    wait_listening(&mut scheduler, sp);
    let mut procs = vec![scheduler];
    for i in 0..2 {
        let (fp, gp) = (free_port(), free_port());
        let dir = work.join(format!("executor-{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut e = start(
            &[
                "cluster",
                "executor",
                "--bind-host",
                "127.0.0.1",
                "--external-host",
                "127.0.0.1",
                "--bind-port",
                &fp.to_string(),
                "--bind-grpc-port",
                &gp.to_string(),
                "--scheduler-host",
                "127.0.0.1",
                "--scheduler-port",
                &sps,
                "--concurrent-tasks",
                "2",
                "--work-dir",
                dir.to_str().unwrap(),
            ],
            &format!("executor {i}"),
        );
        wait_listening(&mut e, fp);
        procs.push(e);
    }
    let url = format!("df://127.0.0.1:{sp}");
    // The executors register with the scheduler on start; wait (bounded) until a query runs.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let o = cluster_sql_output(synced(), &url, "select count(*) as n from acd");
        if o.status.success() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the cluster never answered: {}",
            stderr(&o)
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    LocalCluster { url, _procs: procs }
}

fn cluster_sql_output(data: &Path, url: &str, q: &str) -> std::process::Output {
    attache(&[
        "sql",
        q,
        "--format",
        "csv",
        "--data-dir",
        data.to_str().unwrap(),
        "--cluster",
        url,
    ])
}

fn cluster_sql(data: &Path, url: &str, q: &str) -> String {
    let o = cluster_sql_output(data, url, q);
    assert!(o.status.success(), "{q} on the cluster: {}", stderr(&o));
    stdout(&o)
}

#[test]
fn sql_logic_files_give_the_same_answers_on_a_cluster() {
    let work = tempfile::tempdir().unwrap();
    let cluster = local_cluster(work.path());
    let data = synced();

    let cases = sql_cases();
    assert!(cases.len() >= 10, "only {} SQL cases", cases.len());
    for c in &cases {
        let embedded = sql(data, &c.sql);
        let distributed = cluster_sql(data, &cluster.url, &c.sql);
        assert_eq!(
            embedded,
            c.expected,
            "{}: query {} (embedded)",
            c.file.display(),
            c.name
        );
        assert_eq!(
            distributed,
            c.expected,
            "{}: query {} (cluster)",
            c.file.display(),
            c.name
        );
    }

    // The plan has Ballista's stages (shuffle writers): the query did not quietly run here.
    let plan = cluster_sql(
        data,
        &cluster.url,
        "explain select iso3, count(*) from ged group by iso3",
    );
    assert!(
        plan.contains("distributed_plan") && plan.contains("ShuffleWriterExec"),
        "not a distributed plan:\n{plan}"
    );
    let local = sql(data, "explain select iso3, count(*) from ged group by iso3");
    assert!(!local.contains("distributed_plan"), "{local}");

    // Read-only on the cluster as embedded: a statement that would change something is
    // refused before it reaches the scheduler, and the table is whole after it.
    for q in ["drop table brd", "insert into brd select * from brd"] {
        let o = cluster_sql_output(data, &cluster.url, q);
        assert_eq!(o.status.code(), Some(2), "{q} on the cluster");
        assert!(stderr(&o).contains("read-only"), "{q}: {}", stderr(&o));
    }
    assert_eq!(
        cluster_sql(data, &cluster.url, "select count(*) as n from brd"),
        "n\n1920\n"
    );

    // The server's read paths on the cluster: the countries' climate progress is read from the
    // vintage with SQL (emissions, pledges, groups); both engines must serve the same table.
    let get = |extra: &[&str]| {
        let (_server, addr) = serve(data, extra);
        let r = http(
            addr,
            "GET",
            "/api/v1/climate/countries?format=csv",
            &[],
            b"",
        );
        (r.status, r.text())
    };
    let embedded_table = get(&[]);
    let cluster_table = get(&["--cluster", &cluster.url]);
    assert_eq!(cluster_table.0, 200, "{}", cluster_table.1);
    assert!(cluster_table.1.lines().count() > 100, "{}", cluster_table.1);
    assert_eq!(
        embedded_table, cluster_table,
        "the climate countries table differs between the engines"
    );
}

/// `attache serve` on `data` with `extra` flags: the running server and its address.
fn serve(data: &Path, extra: &[&str]) -> (Proc, std::net::SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_attache"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--data-dir",
            data.to_str().unwrap(),
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let p = Proc {
        child,
        what: "the server".into(),
    };
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(out), &mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    (p, addr)
}

#[test]
fn a_cluster_that_is_not_there_is_an_error() {
    let port = free_port();
    let o = cluster_sql_output(
        synced(),
        &format!("df://127.0.0.1:{port}"),
        "select count(*) from acd",
    );
    assert!(
        !o.status.success(),
        "a query against no scheduler succeeded"
    );
    let err = stderr(&o);
    assert!(err.contains("error:"), "{err}");

    let o = cluster_sql_output(synced(), "http://127.0.0.1:1", "select 1");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("df://HOST:PORT"), "{}", stderr(&o));
}
