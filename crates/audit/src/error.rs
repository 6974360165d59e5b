//! The one error type of the audit log. Each variant names the database or file at fault and the
//! entry or value involved.

use std::path::PathBuf;

use crate::verify::Finding;

/// What went wrong in the audit log.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// SQLite failed; `op` says what the log was doing.
    #[error("audit log {path}: {op}")]
    Db {
        path: PathBuf,
        op: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error("audit log {path}: {op}")]
    Io {
        path: PathBuf,
        op: &'static str,
        #[source]
        source: std::io::Error,
    },
    /// The database could not be opened or migrated (see `attache_opsdb::OpenError`).
    #[error(transparent)]
    Open(#[from] attache_opsdb::OpenError),
    /// An event that breaks the limits (see `AuditEvent::validate`).
    #[error("invalid audit event: {field}: {reason}")]
    InvalidEvent { field: &'static str, reason: String },
    /// A stored value this build cannot read back (the log is then also reported by `verify`).
    #[error("audit log {path}: entry {index}: unreadable {column} {value:?}")]
    Corrupt {
        path: PathBuf,
        index: u64,
        column: &'static str,
        value: String,
    },
    /// The external head file does not parse.
    #[error("audit head file {path}: {reason}")]
    HeadFile { path: PathBuf, reason: String },
    /// Verification found the log altered; `finding` names the first bad entry.
    #[error("audit log {path} fails verification: {finding}")]
    Tampered { path: PathBuf, finding: Finding },
    /// Appending was refused because the log does not match what was last recorded of it;
    /// run `attache audit verify`.
    #[error("audit log {path}: refusing to append: {reason}; run `attache audit verify`")]
    Refused { path: PathBuf, reason: String },
    #[error("audit log {path}: no entry {index} (the log holds {size})")]
    NoSuchEntry {
        path: PathBuf,
        index: u64,
        size: u64,
    },
    #[error("audit log {path}: no signed tree head for size {tree_size}")]
    NoSuchHead { path: PathBuf, tree_size: u64 },
    /// A proof built from the stored node cache does not verify against the signed head.
    #[error(
        "audit log {path}: {what} proof does not verify against the signed tree head: {reason}; run `attache audit verify`"
    )]
    BadProof {
        path: PathBuf,
        what: &'static str,
        reason: String,
    },
}
