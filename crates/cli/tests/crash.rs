//! The kill loop of issue 12: brief and user commands killed with SIGKILL at random instants
//! (uniform over the command's own run time). After every kill `attache audit verify` must pass,
//! which includes the check that every brief's state has its audit entries.
//!
//! CI runs `ATTACHE_KILLS` kills (default 60, a few seconds each in a debug build); the
//! acceptance run is `ATTACHE_KILLS=200 cargo test -p attache --test crash`.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Child, Output};
use std::time::{Duration, Instant};

use common::isolated;

const PASSWORD: &str = "correct horse battery staple";

fn spawn(data: &Path, args: &[&str], input: &str) -> Child {
    let mut child = isolated(data, args).spawn().expect("running attache");
    // A child killed before it reads its input closes the pipe: not an error here.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    child
}

fn run(data: &Path, args: &[&str], input: &str) -> Output {
    spawn(data, args, input).wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A small deterministic generator (xorshift64*), so a failing run can be replayed by its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

#[test]
fn sigkill_at_any_instant_leaves_a_log_that_verifies() {
    let kills: u64 = std::env::var("ATTACHE_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let seed: u64 = std::env::var("ATTACHE_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_1234);
    let d = tempfile::tempdir().unwrap();
    let data = d.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let pw = format!("{PASSWORD}\n");
    for (args, input) in [
        (vec!["keys", "init"], ""),
        (
            vec![
                "user",
                "add",
                "ana",
                "--role",
                "analyst",
                "--clearance",
                "confidential",
            ],
            pw.as_str(),
        ),
        (
            vec![
                "user",
                "add",
                "dora",
                "--role",
                "diplomat",
                "--clearance",
                "confidential",
            ],
            pw.as_str(),
        ),
    ] {
        let o = run(&data, &args, input);
        assert!(o.status.success(), "{args:?}: {}", text(&o));
    }
    let create = |level: &str| -> Vec<String> {
        [
            "brief",
            "create",
            "--as",
            "ana",
            "--title",
            "Kill loop",
            "--question",
            "Does the record survive?",
            "--classification",
            level,
            "--option",
            "Yes",
            "--option",
            "No",
        ]
        .map(str::to_string)
        .to_vec()
    };
    // How long each kind of command runs when left alone: the kill instants are spread over it.
    let mut created = 0u64;
    let mut spans = Vec::new();
    let kinds = ["create", "submit", "decide", "user add"];
    let mut rng = Rng(seed);
    let args_of = |kind: &str, i: u64, created: u64, rng: &mut Rng| -> (Vec<String>, String) {
        let id = (1 + rng.below(created.max(1))).to_string();
        match kind {
            "create" => (
                create(if i.is_multiple_of(2) {
                    "public"
                } else {
                    "confidential"
                }),
                String::new(),
            ),
            "submit" => (
                ["brief", "submit", &id, "--as", "ana"]
                    .map(str::to_string)
                    .to_vec(),
                String::new(),
            ),
            "decide" => (
                [
                    "brief",
                    "decide",
                    &id,
                    "--as",
                    "dora",
                    "--option",
                    "1",
                    "--rationale",
                    "The record must survive a kill at any instant.",
                ]
                .map(str::to_string)
                .to_vec(),
                pw.clone(),
            ),
            _ => (
                [
                    "user",
                    "add",
                    &format!("u{i}"),
                    "--role",
                    "analyst",
                    "--clearance",
                    "restricted",
                ]
                .map(str::to_string)
                .to_vec(),
                pw.clone(),
            ),
        }
    };
    for kind in kinds {
        let (args, input) = args_of(kind, 1000, created, &mut rng);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let t0 = Instant::now();
        let o = run(&data, &args, &input);
        spans.push(t0.elapsed());
        assert!(o.status.success(), "{args:?}: {}", text(&o));
        if kind == "create" {
            created += 1;
        }
    }
    let verify = |after: &str| {
        let o = run(&data, &["audit", "verify"], "");
        assert!(
            o.status.success() && text(&o).contains("every brief's state has its audit entries"),
            "after {after} (seed {seed}): audit verify failed:\n{}",
            text(&o)
        );
    };
    verify("the setup");
    let mut killed_early = 0;
    for i in 0..kills {
        let k = rng.below(kinds.len() as u64) as usize;
        let (args, input) = args_of(kinds[k], i, created, &mut rng);
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let delay = Duration::from_micros(rng.below(spans[k].as_micros() as u64 + 1));
        let mut child = spawn(&data, &argv, &input);
        std::thread::sleep(delay);
        match child.try_wait().unwrap() {
            Some(_) => {}
            None => {
                child.kill().unwrap(); // SIGKILL
                killed_early += 1;
            }
        }
        let o = child.wait_with_output().unwrap();
        if kinds[k] == "create" && o.status.success() {
            created += 1;
        }
        verify(&format!("kill {i} of {argv:?} after {delay:?}"));
    }
    // Every account has its `added` entry and every `added` entry its account: a killed
    // `user add` made both or neither.
    let db = rusqlite::Connection::open(data.join("attache.db")).unwrap();
    let mut users: Vec<String> = db
        .prepare("SELECT name FROM acct_users ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut added: Vec<String> = db
        .prepare(
            "SELECT substr(object, 6) FROM audit_entries WHERE action = 'user.change' \
             AND json_extract(detail, '$.change') = 'added' ORDER BY 1",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    users.sort();
    added.sort();
    assert_eq!(
        users, added,
        "(seed {seed}) accounts and their `added` audit entries differ"
    );
    // Most kills land while the command runs (the rest after it ended: both must verify).
    assert!(
        killed_early * 2 >= kills,
        "{killed_early} of {kills} kills hit a running command"
    );
    println!(
        "{kills} kills ({killed_early} while running), seed {seed}: audit verify passed after every one"
    );
}
