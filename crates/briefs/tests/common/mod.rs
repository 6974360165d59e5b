//! Shared fixtures of the briefs tests: a data dir with the real audit log (signed with a fixed
//! test key), a fixed vault key, principals, and a scanner for plaintext under the data dir.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use attache_accounts::{Clearance, Principal, Role};
use attache_audit::{AuditLog, Signer, TrustedKeys};
use attache_briefs::{Briefs, NewBrief, NewOption, SignedAuditLog};
use attache_vault::{Keyring, VaultKey};
use ed25519_dalek::SigningKey;

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub briefs: Briefs,
    pub log: AuditLog,
    pub trusted: TrustedKeys,
}

impl Fixture {
    pub fn data(&self) -> &Path {
        self.dir.path()
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("attache.db")
    }
}

pub fn key(b: u8) -> VaultKey {
    VaultKey::from_bytes([b; 32])
}

pub fn signing_key() -> SigningKey {
    SigningKey::from_bytes(&[42u8; 32])
}

/// A fresh data dir with `<dir>/attache.db`, the audit log beside it, and keyring {key(1)}.
pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::open(dir.path()).unwrap();
    let sink = SignedAuditLog::new(log.clone(), Signer::new(signing_key()));
    let briefs = Briefs::open(
        &dir.path().join("attache.db"),
        Keyring::new(key(1)),
        Arc::new(sink),
    )
    .unwrap();
    let trusted = TrustedKeys::new([signing_key().verifying_key()]);
    Fixture {
        dir,
        briefs,
        log,
        trusted,
    }
}

pub fn who(name: &str, role: Role, clearance: Clearance) -> Principal {
    Principal {
        user_id: if role == Role::Public { None } else { Some(1) },
        name: name.into(),
        role,
        clearance,
    }
}

pub fn analyst() -> Principal {
    who("ana", Role::Analyst, Clearance::Confidential)
}

pub fn diplomat() -> Principal {
    who("dora", Role::Diplomat, Clearance::Secret)
}

pub fn admin() -> Principal {
    who("adam", Role::Admin, Clearance::Secret)
}

/// A brief with distinctive texts (so a scan can look for them) at `level`.
pub fn new_brief(tag: &str, level: Clearance) -> NewBrief {
    NewBrief {
        title: format!("Title-{tag} Operation Bluefin"),
        question: format!("Question-{tag}: should the ministry recall its ambassador?"),
        classification: level,
        options: vec![
            NewOption {
                title: format!("OptionA-{tag} recall"),
                summary: format!("SummaryA-{tag} recall for consultations"),
            },
            NewOption {
                title: format!("OptionB-{tag} stay"),
                summary: format!("SummaryB-{tag} keep the embassy open"),
            },
        ],
    }
}

/// Every (file, needle) such that the file's bytes contain the needle, for every file under
/// `dir` (recursively, including SQLite's -wal and -shm files).
pub fn scan(dir: &Path, needles: &[String]) -> Vec<(PathBuf, String)> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    let mut files = 0;
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            files += 1;
            let bytes = std::fs::read(&p).unwrap();
            for n in needles {
                if bytes.windows(n.len()).any(|w| w == n.as_bytes()) {
                    hits.push((p.clone(), n.clone()));
                }
            }
        }
    }
    assert!(files > 0, "nothing to scan under {}", dir.display());
    hits
}

/// The files under `dir`, by name (to show that the WAL was scanned too).
pub fn file_names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}
