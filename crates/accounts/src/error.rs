//! The one error type of the accounts store. Each variant names the user, the value or the
//! database file at fault; none ever carries a password, an API token or a session id.

use std::path::PathBuf;

/// What went wrong in the accounts store.
#[derive(Debug, thiserror::Error)]
pub enum AccountsError {
    /// SQLite failed; `op` says what the store was doing.
    #[error("accounts database {path}: {op}")]
    Db {
        path: PathBuf,
        op: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    /// The database could not be opened or migrated (see `attache_opsdb::OpenError`).
    #[error(transparent)]
    Open(#[from] attache_opsdb::OpenError),
    #[error("accounts database {path}: {op}")]
    Io {
        path: PathBuf,
        op: &'static str,
        #[source]
        source: std::io::Error,
    },
    /// A stored value this build cannot read (hand-edited or corrupt database).
    #[error("accounts database {path}: user id {user_id}: unreadable {column} {value:?}")]
    Corrupt {
        path: PathBuf,
        user_id: i64,
        column: &'static str,
        value: String,
    },
    #[error("no user named {name:?}")]
    UnknownUser { name: String },
    #[error("a user named {name:?} already exists")]
    DuplicateUser { name: String },
    #[error("user {name:?} is disabled")]
    Disabled { name: String },
    #[error("invalid user name {name:?}: {reason}")]
    InvalidName { name: String, reason: &'static str },
    /// The password breaks the policy (see [`crate::MIN_PASSWORD_CHARS`]).
    #[error("password rejected: {reason}")]
    WeakPassword { reason: String },
    #[error(
        "user {name:?}: role `public` is the anonymous visitor; stored users are analyst, diplomat or admin"
    )]
    PublicRole { name: String },
    #[error("unknown role {value:?} (expected public, analyst, diplomat or admin)")]
    UnknownRole { value: String },
    #[error("unknown clearance {value:?} (expected public, restricted, confidential or secret)")]
    UnknownClearance { value: String },
    /// Argon2 failed (parameters, or a stored hash that is not a PHC string).
    #[error("password hashing: {detail}")]
    Hash { detail: String },
    /// The change could not be put on the record. With `committed: false` nothing was changed;
    /// with `committed: true` the change and its entry are stored and only the step after the
    /// commit (publishing the audit log's external head) failed.
    #[error("{op}: {}", if *committed { "changed and recorded, but publishing the record failed" } else { "not changed: the audit record refused the entry" })]
    Record {
        op: &'static str,
        committed: bool,
        #[source]
        source: crate::record::RecordFailure,
    },
    #[error("the operating system's random number generator failed: {detail}")]
    Random { detail: String },
}
