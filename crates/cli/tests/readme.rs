//! The README is tested: every command of its ```sh blocks runs, in order, as a new user would
//! type it, in a scratch data dir against the data mirror; the test fails naming the README
//! line of the first command that fails.
//!
//! What the test changes, and why (nothing else):
//! - `../shared/data` (the mirror beside the checkout, where the README's reader stands) is
//!   the mirror `attache-testdata` finds; the commands run in a scratch directory.
//! - `cargo run ... -- ARGS` (the two set-up commands) is the same binary the walkthrough runs
//!   below: its arguments are checked for syntax (`attache ARGS --help`, which parses them and
//!   runs nothing); `cargo test` is this suite itself and is skipped.
//! - Long-running commands (`serve`, `cluster scheduler`, `cluster executor`) start in the
//!   background on loopback ports (`--addr 127.0.0.1:0`, free ports, `HOST` = 127.0.0.1 and
//!   `--bind-host`/`--external-host 127.0.0.1`: tests use no network beyond loopback); the
//!   commands that talk to them run against them; they are killed at the end of their block.
//! - `curl` lines are sent with the suite's HTTP client (`common::http`) to the server the
//!   block started; `$TOKEN` is the last line `attache user token` printed.
//! - `statement.pdf` is the reader's own document: the test writes one.
//!
//! Every other line runs as written with `sh -c` (pipes, `&&` and `>` included), with the
//! binary under test first on `PATH`. Every wait is bounded.

mod common;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Longest a foreground command may take before the test fails naming it.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(600);
/// Longest a background server may take to listen (or a cluster to answer).
const START_TIMEOUT: Duration = Duration::from_secs(90);

/// One command line of a ```sh block.
#[derive(Debug, Clone)]
struct Line {
    /// 1-based line number in README.md.
    number: usize,
    /// The command, its `#` comment cut off.
    text: String,
    /// Which ```sh block (0-based) it is in.
    block: usize,
}

fn readme() -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The text before a `#` that starts a shell comment (at the start of the line or after a
/// blank, outside quotes).
fn strip_comment(line: &str) -> &str {
    let (mut single, mut double) = (false, false);
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '#' if !single && !double && prev.is_whitespace() => return line[..i].trim_end(),
            _ => {}
        }
        prev = c;
    }
    line.trim_end()
}

/// The command lines of every ```sh block, in order.
fn command_lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut block: Option<usize> = None;
    let mut blocks = 0;
    for (i, raw) in text.lines().enumerate() {
        let t = raw.trim();
        if block.is_none() && t == "```sh" {
            block = Some(blocks);
            blocks += 1;
            continue;
        }
        if t.starts_with("```") {
            block = None;
            continue;
        }
        let Some(b) = block else { continue };
        let cmd = strip_comment(raw).trim();
        if !cmd.is_empty() {
            out.push(Line {
                number: i + 1,
                text: cmd.to_string(),
                block: b,
            });
        }
    }
    out
}

/// Splits a command line into words as `sh` would for the simple lines the README has
/// (double and single quotes, no escapes beyond `\"`).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut any = false;
    let (mut single, mut double) = (false, false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' if !double => {
                single = !single;
                any = true;
            }
            '"' if !single => {
                double = !double;
                any = true;
            }
            '\\' if double && chars.peek() == Some(&'"') => cur.push(chars.next().unwrap()),
            c if c.is_whitespace() && !single && !double => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[test]
fn comments_and_words() {
    fn check(input: &str, expect: (&str, &[&str])) {
        let cmd = strip_comment(input);
        assert_eq!(cmd, expect.0, "{input}");
        assert_eq!(words(cmd), expect.1, "{input}");
    }
    check(
        "attache tables                # name, rows",
        ("attache tables", &["attache", "tables"]),
    );
    check(
        r#"attache sql "select '#x' from t" # ok"#,
        (
            r#"attache sql "select '#x' from t""#,
            &["attache", "sql", "select '#x' from t"],
        ),
    );
    check(
        r#"curl -H "Authorization: Bearer $TOKEN" "http://h/x?a=1&b=2""#,
        (
            r#"curl -H "Authorization: Bearer $TOKEN" "http://h/x?a=1&b=2""#,
            &[
                "curl",
                "-H",
                "Authorization: Bearer $TOKEN",
                "http://h/x?a=1&b=2",
            ],
        ),
    );
    check("# only a comment", ("", &[]));
    check("echo a#b", ("echo a#b", &["echo", "a#b"]));
}

/// A child process killed when its block (or the test) ends, however it ends.
struct Background {
    child: Child,
    line: usize,
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Replaces the value after `flag` in `w` (or appends the flag with `value`).
fn set_flag(w: &mut Vec<String>, flag: &str, value: &str) {
    match w.iter().position(|x| x == flag) {
        Some(i) if i + 1 < w.len() => w[i + 1] = value.to_string(),
        _ => {
            w.push(flag.to_string());
            w.push(value.to_string());
        }
    }
}

/// The walkthrough's world: the scratch dirs, the environment, what earlier lines left behind.
struct Walk {
    work: PathBuf,
    env: BTreeMap<String, String>,
    mirror: String,
    /// The dashboard of the current block, when one was started.
    server: Option<SocketAddr>,
    /// The scheduler's port, when the current block started one.
    scheduler: Option<u16>,
    background: Vec<Background>,
    /// Seconds each command took, for the report at the end.
    times: Vec<(usize, f64, String)>,
    /// Lines not run as written, with why.
    notes: Vec<String>,
}

/// A command that failed: the README line, the command and its output.
fn fail(line: &Line, what: &str) -> ! {
    panic!("README.md:{}: `{}` failed: {what}", line.number, line.text);
}

impl Walk {
    fn new(scratch: &Path) -> Walk {
        let work = scratch.join("work");
        let home = scratch.join("home");
        for d in [&work, &home] {
            std::fs::create_dir_all(d).unwrap();
        }
        let bin = Path::new(env!("CARGO_BIN_EXE_attache")).parent().unwrap();
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut env = BTreeMap::new();
        env.insert("PATH".into(), path);
        env.insert("HOME".into(), home.display().to_string());
        env.insert(
            "ATTACHE_DATA_DIR".into(),
            scratch.join("data").display().to_string(),
        );
        env.insert(
            "ATTACHE_CACHE_DIR".into(),
            scratch.join("cache").display().to_string(),
        );
        Walk {
            work,
            env,
            mirror: mirror().display().to_string(),
            server: None,
            scheduler: None,
            background: Vec::new(),
            times: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// A command with the walkthrough's environment and nothing of the caller's secrets.
    fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.current_dir(&self.work).env_clear().envs(&self.env);
        c
    }

    /// Runs `c` to its end (bounded), its output in files; returns (success, stdout, stderr).
    fn run_to_end(&self, mut c: Command, line: &Line) -> (bool, String, String) {
        let out = self.work.join(format!(".out-{}", line.number));
        let err = self.work.join(format!(".err-{}", line.number));
        c.stdin(Stdio::null())
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::fs::File::create(&err).unwrap());
        let mut child = c
            .spawn()
            .unwrap_or_else(|e| fail(line, &format!("cannot start: {e}")));
        let deadline = Instant::now() + COMMAND_TIMEOUT;
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                fail(
                    line,
                    &format!("still running after {} s", COMMAND_TIMEOUT.as_secs()),
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
        let (o, e) = (read(&out), read(&err));
        let _ = std::fs::remove_file(&out);
        let _ = std::fs::remove_file(&err);
        (status.success(), o, e)
    }

    /// The line as it will run: the mirror where the README says `../shared/data`, this
    /// block's scheduler where it says `HOST:50050`.
    fn localise(&self, text: &str) -> String {
        let t = text.replace("../shared/data", &self.mirror);
        match self.scheduler {
            Some(p) => t.replace("HOST:50050", &format!("127.0.0.1:{p}")),
            None => t,
        }
    }

    fn step(&mut self, line: &Line) {
        let text = self.localise(&line.text);
        let w = words(&text);
        let started = Instant::now();
        match (w.first().map(String::as_str), w.get(1).map(String::as_str)) {
            (Some("cargo"), Some("run")) => self.cargo_run(line, &w),
            (Some("cargo"), Some("test")) => self.notes.push(format!(
                "README.md:{}: `{}` skipped: it is this test suite",
                line.number, line.text
            )),
            (Some("curl"), _) => self.curl(line, &w),
            (Some("attache"), Some("serve")) => self.serve(line, w),
            (Some("attache"), Some("cluster")) => self.cluster(line, w),
            _ => self.shell(line, &text),
        }
        self.times.push((
            line.number,
            started.elapsed().as_secs_f64(),
            line.text.clone(),
        ));
    }

    /// `cargo run [...] -- ARGS`: the arguments parse (`attache ARGS --help` runs nothing).
    fn cargo_run(&mut self, line: &Line, w: &[String]) {
        let Some(dash) = w.iter().position(|x| x == "--") else {
            fail(line, "no `--` before the binary's arguments")
        };
        let mut c = self.command(env!("CARGO_BIN_EXE_attache"));
        c.args(&w[dash + 1..]).arg("--help");
        let (ok, _, err) = self.run_to_end(c, line);
        if !ok {
            fail(line, &format!("its arguments do not parse:\n{err}"));
        }
        self.notes.push(format!(
            "README.md:{}: `{}` checked for syntax only (`attache {} --help`): the walkthrough runs its steps (sync, forecast run, serve) itself",
            line.number,
            line.text,
            w[dash + 1..].join(" ")
        ));
    }

    /// Any other line, as written, with `sh -c`.
    fn shell(&mut self, line: &Line, text: &str) {
        let mut c = self.command("sh");
        c.arg("-c").arg(text);
        let (ok, out, err) = self.run_to_end(c, line);
        if !ok {
            fail(line, &format!("\nstdout:\n{out}\nstderr:\n{err}"));
        }
        let w = words(text);
        if w.len() >= 3 && w[0] == "attache" && w[1] == "user" && w[2] == "token" {
            let token = out.lines().last().unwrap_or_default().trim().to_string();
            assert!(
                !token.is_empty(),
                "README.md:{}: no token printed",
                line.number
            );
            self.env.insert("TOKEN".into(), token);
        }
    }

    /// Starts `attache serve` in the background on a free loopback port; waits (bounded) for
    /// the line that says where it listens.
    fn serve(&mut self, line: &Line, mut w: Vec<String>) {
        set_flag(&mut w, "--addr", "127.0.0.1:0");
        if let Some(p) = self.scheduler
            && w.iter().any(|x| x == "--cluster")
        {
            set_flag(&mut w, "--cluster", &format!("df://127.0.0.1:{p}"));
        }
        let mut c = self.command(env!("CARGO_BIN_EXE_attache"));
        c.args(&w[1..])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = c
            .spawn()
            .unwrap_or_else(|e| fail(line, &format!("cannot start: {e}")));
        let stdout = child.stdout.take().unwrap();
        self.background.push(Background {
            child,
            line: line.number,
        });
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for l in std::io::BufReader::new(stdout).lines() {
                let Ok(l) = l else { break };
                if l.contains("listening on http://") {
                    let _ = tx.send(l);
                }
            }
        });
        let l = rx
            .recv_timeout(START_TIMEOUT)
            .unwrap_or_else(|_| fail(line, "never said where it listens"));
        let addr: SocketAddr = l
            .split("http://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| fail(line, &format!("no address in {l:?}")));
        let r = http(addr, "GET", "/healthz", &[], b"");
        if r.status != 200 {
            fail(line, &format!("/healthz answered {}", r.status));
        }
        self.server = Some(addr);
    }

    /// `attache cluster scheduler|executor` in the background, on loopback; the scheduler's
    /// port replaces the README's 50050 in the lines after it.
    fn cluster(&mut self, line: &Line, mut w: Vec<String>) {
        let port = match w.get(2).map(String::as_str) {
            Some("scheduler") => {
                let p = free_port();
                set_flag(&mut w, "--bind-host", "127.0.0.1");
                set_flag(&mut w, "--external-host", "127.0.0.1");
                set_flag(&mut w, "--bind-port", &p.to_string());
                self.scheduler = Some(p);
                p
            }
            Some("executor") => {
                let s = self
                    .scheduler
                    .unwrap_or_else(|| fail(line, "an executor before any scheduler"));
                let p = free_port();
                set_flag(&mut w, "--bind-host", "127.0.0.1");
                set_flag(&mut w, "--external-host", "127.0.0.1");
                set_flag(&mut w, "--scheduler-host", "127.0.0.1");
                set_flag(&mut w, "--scheduler-port", &s.to_string());
                set_flag(&mut w, "--bind-port", &p.to_string());
                set_flag(&mut w, "--bind-grpc-port", &free_port().to_string());
                set_flag(
                    &mut w,
                    "--work-dir",
                    &self
                        .work
                        .join(format!("executor-{}", line.number))
                        .display()
                        .to_string(),
                );
                p
            }
            _ => fail(line, "unknown cluster command"),
        };
        let mut c = self.command(env!("CARGO_BIN_EXE_attache"));
        c.args(&w[1..])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = c
            .spawn()
            .unwrap_or_else(|e| fail(line, &format!("cannot start: {e}")));
        self.background.push(Background {
            child,
            line: line.number,
        });
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let bg = self.background.last_mut().unwrap();
            if let Some(s) = bg.child.try_wait().unwrap() {
                fail(line, &format!("exited early: {s}"));
            }
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            if Instant::now() > deadline {
                fail(line, "not listening in time");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        if w[2] == "executor" {
            self.wait_for_cluster(line);
        }
    }

    /// The executor registers with the scheduler after it listens: wait (bounded) until the
    /// cluster runs a query.
    fn wait_for_cluster(&mut self, line: &Line) {
        let url = format!("df://127.0.0.1:{}", self.scheduler.unwrap());
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let mut c = self.command(env!("CARGO_BIN_EXE_attache"));
            c.args(["sql", "select count(*) from acd", "--cluster", &url]);
            let (ok, _, err) = self.run_to_end(c, line);
            if ok {
                return;
            }
            if Instant::now() > deadline {
                fail(line, &format!("the cluster never ran a query: {err}"));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// A `curl [-H HEADER]... URL` line, sent to this block's server.
    fn curl(&mut self, line: &Line, w: &[String]) {
        let addr = self
            .server
            .unwrap_or_else(|| fail(line, "no server started before it"));
        let mut headers = Vec::new();
        let mut url = None;
        let mut it = w[1..].iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "-H" => {
                    let h = it.next().unwrap_or_else(|| fail(line, "-H without value"));
                    let h = match self.env.get("TOKEN") {
                        Some(t) => h.replace("$TOKEN", t),
                        None => h.clone(),
                    };
                    assert!(
                        !h.contains('$'),
                        "README.md:{}: unset variable in {h}",
                        line.number
                    );
                    let (k, v) = h
                        .split_once(':')
                        .unwrap_or_else(|| fail(line, "a header without `:`"));
                    headers.push((k.trim().to_string(), v.trim().to_string()));
                }
                a if a.starts_with("http://") => url = Some(a.to_string()),
                a => fail(
                    line,
                    &format!("curl option {a} is not understood by the test"),
                ),
            }
        }
        let url = url.unwrap_or_else(|| fail(line, "no URL"));
        let path = url
            .strip_prefix("http://")
            .and_then(|r| r.find('/').map(|i| r[i..].to_string()))
            .unwrap_or_else(|| "/".into());
        let h: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = http(addr, "GET", &path, &h, b"");
        if r.status != 200 {
            fail(line, &format!("HTTP {}: {}", r.status, r.text()));
        }
        if r.body.is_empty() {
            fail(line, "an empty answer");
        }
    }

    /// Ends the block: its background processes are killed.
    fn end_block(&mut self) {
        for mut b in self.background.drain(..) {
            if let Some(s) = b.child.try_wait().unwrap() {
                panic!(
                    "README.md:{}: the background command exited before its block ended: {s}",
                    b.line
                );
            }
        }
        self.server = None;
        self.scheduler = None;
    }
}

#[test]
fn readme_walkthrough_runs_as_written() {
    let lines = command_lines(&readme());
    assert!(lines.len() > 30, "only {} command lines found", lines.len());
    let scratch = tempfile::tempdir().unwrap();
    let mut walk = Walk::new(scratch.path());
    std::fs::write(
        walk.work.join("statement.pdf"),
        b"%PDF-1.4\n% The ministry's statement (a stand-in for the reader's own document)\n",
    )
    .unwrap();
    let total = Instant::now();
    let mut block = None;
    for line in &lines {
        if block.is_some() && block != Some(line.block) {
            walk.end_block();
        }
        block = Some(line.block);
        walk.step(line);
    }
    walk.end_block();
    eprintln!(
        "README walkthrough: {} command lines in {:.0} s",
        lines.len(),
        total.elapsed().as_secs_f64()
    );
    let mut slow = walk.times.clone();
    slow.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (n, s, t) in slow.iter().take(8) {
        eprintln!("  {s:6.1} s  README.md:{n}: {t}");
    }
    for n in &walk.notes {
        eprintln!("  {n}");
    }
}
