//! Shared helpers of the CLI tests: the data mirror, running the binary, one synced store per
//! test binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The data mirror (`shared/data` beside the checkout, or $ATTACHE_MIRROR). Tests need it: a
/// missing mirror is a failure, not a skip.
pub fn mirror() -> PathBuf {
    if let Some(p) = std::env::var_os("ATTACHE_MIRROR") {
        return PathBuf::from(p);
    }
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    assert!(p.join("MANIFEST.md").exists(), "data mirror not found at {} (set ATTACHE_MIRROR)", p.display());
    p.canonicalize().unwrap()
}

pub fn attache(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attache")).args(args).output().expect("running attache")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A data dir holding one full sync of the mirror, made once per test binary.
pub fn synced() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        let m = mirror();
        let o = attache(&["sync", "--mirror", m.to_str().unwrap(), "--data-dir", d.path().to_str().unwrap()]);
        assert!(o.status.success(), "sync failed:\n{}\n{}", stdout(&o), stderr(&o));
        d
    })
    .path()
}

/// Runs SQL against a data dir and returns the CSV output.
pub fn sql(data: &Path, q: &str) -> String {
    let o = attache(&["sql", q, "--format", "csv", "--data-dir", data.to_str().unwrap()]);
    assert!(o.status.success(), "{q}: {}", stderr(&o));
    stdout(&o)
}
