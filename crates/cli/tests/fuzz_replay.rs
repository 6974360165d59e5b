//! Replays the fuzz corpora on stable Rust, so that CI keeps every parser of outside input from
//! panicking on the inputs fuzzing has seen (issue 12). The fuzz crate (`fuzz/`, not a workspace
//! member, built by cargo-fuzz on nightly flags) keeps the body of each target in
//! `fuzz/src/targets.rs`; this file includes the fuzz lib as a module and calls every entry of
//! `fuzz_common::targets::ALL` on:
//!
//! - every file under `fuzz/replay/<target>/` (committed; written by `fuzz/replay.sh`), which must
//!   exist and hold at least one file, so a new target cannot go untested;
//! - every file under `fuzz/regressions/` whose name starts with `<target>-` (committed crash
//!   inputs: each must now be a clean `Ok` or `Err`);
//! - when it exists locally, `fuzz/corpus/<target>/` (gitignored; `fuzz/seed.sh` and fuzzing grow
//!   it), at most [`CORPUS_LIMIT`] files per target in name order.
//!
//! A panic (a crash or a broken invariant) fails the test, naming the target, the file and the
//! panic message with its location. A second test checks that every target has its `[[bin]]` in
//! `fuzz/Cargo.toml` (and its one-line `fuzz_targets/<target>.rs`), and every `[[bin]]` a target.

#[allow(dead_code)]
#[path = "../../../fuzz/src/lib.rs"]
mod fuzz_common;

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::time::Instant;

use fuzz_common::targets::ALL;

/// At most this many files of a local `fuzz/corpus/<target>/` are replayed.
const CORPUS_LIMIT: usize = 2000;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The regular files directly in `dir`, in name order (none when it does not exist).
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = rd
        .map(|e| {
            e.unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
                .path()
        })
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

thread_local! {
    /// Set while a target runs on this thread: the panic hook records instead of printing.
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    /// The last panic on this thread while capturing: message and location.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that records panics of a replayed target (with their location)
/// and leaves every other panic to the default hook.
fn install_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CAPTURING.with(Cell::get) {
                LAST_PANIC.with(|l| *l.borrow_mut() = Some(info.to_string()));
            } else {
                default(info);
            }
        }));
    });
}

/// Runs `f` on `data`; `Err` with the panic message and location if it panicked.
fn run_one(f: fn(&[u8]), data: &[u8]) -> Result<(), String> {
    CAPTURING.with(|c| c.set(true));
    let r = std::panic::catch_unwind(|| f(data));
    CAPTURING.with(|c| c.set(false));
    r.map_err(|_| {
        LAST_PANIC
            .with(|l| l.borrow_mut().take())
            .unwrap_or_else(|| "panicked".into())
    })
}

#[test]
fn every_fuzz_target_replays_its_corpus_without_panicking() {
    install_hook();
    let fuzz = fuzz_dir();
    let regressions = files_in(&fuzz.join("regressions"));
    let mut failures = Vec::new();
    let started = Instant::now();
    let mut total = 0;
    for (name, f) in ALL {
        let t0 = Instant::now();
        let replay = files_in(&fuzz.join("replay").join(name));
        if replay.is_empty() {
            failures.push(format!(
                "{name}: fuzz/replay/{name}/ is missing or empty: add inputs for it to fuzz/replay.sh and run it"
            ));
        }
        let prefix = format!("{name}-");
        let regs: Vec<PathBuf> = regressions
            .iter()
            .filter(|p| file_name(p).starts_with(&prefix))
            .cloned()
            .collect();
        let corpus: Vec<PathBuf> = files_in(&fuzz.join("corpus").join(name))
            .into_iter()
            .take(CORPUS_LIMIT)
            .collect();
        let (n_replay, n_regs, n_corpus) = (replay.len(), regs.len(), corpus.len());
        for path in replay.into_iter().chain(regs).chain(corpus) {
            let data =
                std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            if let Err(msg) = run_one(*f, &data) {
                let shown = path
                    .strip_prefix(&fuzz)
                    .map_or(path.clone(), |p| Path::new("fuzz").join(p));
                failures.push(format!(
                    "{name}: {} ({} bytes): {msg}",
                    shown.display(),
                    data.len()
                ));
            }
            total += 1;
        }
        eprintln!(
            "{name:20} {n_replay:4} replay {n_regs:3} regressions {n_corpus:5} corpus  {:6.0} ms",
            t0.elapsed().as_secs_f64() * 1000.0
        );
    }
    eprintln!(
        "{total} inputs through {} targets in {:.1} s",
        ALL.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} fuzz input(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every target in `ALL` has its `[[bin]]` in `fuzz/Cargo.toml` at `fuzz_targets/<target>.rs`, and
/// that file calls its function; every `[[bin]]` is a target in `ALL`; names are unique.
#[test]
fn every_fuzz_target_has_a_bin_and_every_bin_a_target() {
    let fuzz = fuzz_dir();
    let toml = std::fs::read_to_string(fuzz.join("Cargo.toml")).expect("reading fuzz/Cargo.toml");
    // (name, path) of each [[bin]] table: its `name = ".."` and `path = ".."` lines.
    let mut bins: Vec<(String, Option<String>)> = Vec::new();
    let mut in_bin = false;
    for line in toml.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
            if in_bin {
                bins.push((String::new(), None));
            }
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches('"').to_string();
        match (in_bin, key.trim(), bins.last_mut()) {
            (true, "name", Some(b)) => b.0 = value,
            (true, "path", Some(b)) => b.1 = Some(value),
            _ => {}
        }
    }
    let mut problems = Vec::new();
    let mut names: Vec<&str> = ALL.iter().map(|(n, _)| *n).collect();
    names.sort_unstable();
    names.dedup();
    if names.len() != ALL.len() {
        problems.push("fuzz_common::targets::ALL names a target twice".to_string());
    }
    for (name, _) in ALL {
        let want = format!("fuzz_targets/{name}.rs");
        match bins.iter().find(|(n, _)| n == name) {
            None => problems.push(format!(
                "{name}: no [[bin]] with name = \"{name}\" in fuzz/Cargo.toml"
            )),
            Some((_, path)) if path.as_deref() != Some(want.as_str()) => problems.push(format!(
                "{name}: its [[bin]] has path {path:?}, expected {want:?}"
            )),
            Some(_) => match std::fs::read_to_string(fuzz.join(&want)) {
                Err(e) => problems.push(format!("{name}: fuzz/{want}: {e}")),
                Ok(src) if !src.contains(&format!("fuzz_common::targets::{name}(data)")) => {
                    problems.push(format!(
                        "{name}: fuzz/{want} does not call fuzz_common::targets::{name}(data)"
                    ))
                }
                Ok(_) => {}
            },
        }
    }
    for (bin, _) in &bins {
        if !ALL.iter().any(|(n, _)| n == bin) {
            problems.push(format!(
                "[[bin]] {bin:?} in fuzz/Cargo.toml is not in fuzz_common::targets::ALL"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every committed crash input is named `<target>-<n>.bin` after a target in `ALL` (so the replay
/// above picks it up).
#[test]
fn every_regression_input_names_a_target() {
    let stray: Vec<String> = files_in(&fuzz_dir().join("regressions"))
        .iter()
        .map(|p| file_name(p))
        .filter(|n| !ALL.iter().any(|(t, _)| n.starts_with(&format!("{t}-"))))
        .collect();
    assert!(
        stray.is_empty(),
        "fuzz/regressions/ files that name no target in ALL: {stray:?}"
    );
}
