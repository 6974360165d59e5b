//! Shared fixtures of the audit tests: a log in a temporary data dir with a fixed signing key
//! and a clock that ticks one second per read.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use attache_audit::{Action, AuditEvent, AuditLog, Classification, Signer, TrustedKeys};
use ed25519_dalek::SigningKey;

pub fn signer() -> Signer {
    Signer::new(SigningKey::from_bytes(&[42; 32]))
}

pub fn other_signer() -> Signer {
    Signer::new(SigningKey::from_bytes(&[43; 32]))
}

pub fn trusted() -> TrustedKeys {
    TrustedKeys::new([signer().verifying_key()])
}

/// 2025-03-01T00:00:00Z plus one second per call.
pub fn ticking_clock() -> impl Fn() -> jiff::Timestamp + Send + Sync + 'static {
    let t = Arc::new(AtomicI64::new(1_740_787_200));
    move || jiff::Timestamp::from_second(t.fetch_add(1, Ordering::SeqCst)).unwrap()
}

/// The `i`th event of a realistic mix.
pub fn event(i: u64) -> AuditEvent {
    match i % 5 {
        0 => AuditEvent::new("alice", Action::LOGIN)
            .detail("ip", format!("10.0.0.{}", i % 250))
            .detail("method", "password"),
        1 => {
            AuditEvent::new("alice", Action::READ).on(&format!("brief:{i}"), Classification::Secret)
        }
        2 => AuditEvent::new("bob", Action::BRIEF_CHANGE)
            .on(&format!("brief:{i}"), Classification::Confidential)
            .detail("field", "options"),
        3 => AuditEvent::new("carol", Action::DECISION)
            .on(&format!("brief:{i}"), Classification::Restricted)
            .detail("option", "B"),
        _ => AuditEvent::new("admin", Action::USER_CHANGE)
            .on("user:dave", Classification::Public)
            .detail("change", "clearance"),
    }
}

/// A data dir with a log of `n` events.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub log: AuditLog,
}

impl Fixture {
    pub fn new(n: u64) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path())
            .unwrap()
            .with_clock(ticking_clock());
        let f = Fixture { dir, log };
        f.append(0..n);
        f
    }

    pub fn append(&self, range: std::ops::Range<u64>) {
        let s = signer();
        for i in range {
            let r = self.log.append(&s, &event(i)).unwrap();
            assert_eq!(r.index, i);
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join(attache_audit::DB_FILE)
    }

    /// A second connection, as an attacker with the database file would use.
    pub fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db()).unwrap()
    }

    /// Verifies through a freshly opened log.
    pub fn verify(&self) -> Result<attache_audit::VerifyReport, attache_audit::AuditError> {
        AuditLog::open(self.path()).unwrap().verify(&trusted())
    }
}
