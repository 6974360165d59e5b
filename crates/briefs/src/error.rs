//! The one error type of the briefs store. Variants name the brief id, the state, the role or the
//! database file at fault; none ever carries the text of a brief (titles, questions, options,
//! rationales and documents stay out of errors, so they stay out of logs).

use std::path::PathBuf;

use attache_accounts::{Clearance, Role};
use attache_core::outcome::OutcomeError;

use crate::model::State;

/// A failure of the audit sink, as the sink reports it.
pub type AuditFailure = Box<dyn std::error::Error + Send + Sync>;

/// What went wrong in the briefs store.
#[derive(Debug, thiserror::Error)]
pub enum BriefsError {
    /// No such brief, or one the principal may not see (the two are deliberately the same, so
    /// ids and titles above a reader's clearance do not leak). Maps to HTTP 404.
    #[error("brief {id} not found")]
    NotFound { id: i64 },
    /// No such document on this brief, or one above the principal's clearance. HTTP 404.
    #[error("document {document} of brief {brief} not found")]
    DocumentNotFound { brief: i64, document: i64 },
    /// The principal's role may not do this. HTTP 403.
    #[error("{action} needs the role {}", roles(needed))]
    Forbidden {
        action: &'static str,
        needed: &'static [Role],
    },
    /// A brief or document classified above the author's own clearance. HTTP 403.
    #[error("cannot mark material {level}: your clearance is {clearance}")]
    AboveClearance {
        level: Clearance,
        clearance: Clearance,
    },
    /// The workflow does not allow this change of state. HTTP 409.
    #[error("brief {id} cannot go from {from} to {to}")]
    InvalidTransition { id: i64, from: State, to: State },
    /// Only drafts change; decided briefs are amended with a new entry. HTTP 409.
    #[error("brief {id} is {state}: only drafts can be changed (amend a decided brief instead)")]
    Immutable { id: i64, state: State },
    /// A decision needs a written rationale. HTTP 422.
    #[error("a decision needs a written rationale")]
    EmptyRationale,
    /// The chosen option does not exist (indices start at 0). HTTP 422.
    #[error("option index {index} does not exist: the brief has {options} options (indices 0 to {})", options.saturating_sub(1))]
    BadOption { index: usize, options: usize },
    /// Input that breaks a rule (empty title, one option, text too long). HTTP 422.
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// The predictor gave no outcome, or one that breaks the outcome contract. HTTP 422.
    #[error("prediction: {0}")]
    Prediction(#[from] OutcomeError),
    /// The brief changed between reading and writing (another user acted first). HTTP 409.
    #[error("brief {id} was changed by someone else meanwhile; reload and try again")]
    Conflict { id: i64 },
    /// Sealing or opening classified content failed (missing or retired key, altered ciphertext).
    #[error("brief {id}: {what}")]
    Crypto {
        id: i64,
        what: String,
        #[source]
        source: attache_vault::VaultError,
    },
    /// SQLite failed; `op` says what the store was doing.
    #[error("briefs database {path}: {op}")]
    Storage {
        path: PathBuf,
        op: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error("briefs database {path}: {op}")]
    Io {
        path: PathBuf,
        op: &'static str,
        #[source]
        source: std::io::Error,
    },
    /// A stored value this build cannot read (hand-edited or corrupt database).
    #[error("briefs database {path}: brief {id}: unreadable {column}: {reason}")]
    Corrupt {
        path: PathBuf,
        id: i64,
        column: &'static str,
        reason: String,
    },
    /// The database could not be opened or migrated (see `attache_opsdb::OpenError`).
    #[error(transparent)]
    Open(#[from] attache_opsdb::OpenError),
    /// The audit log refused the event; nothing was read or changed. With `committed`, the
    /// change and its entry were stored and only publishing the external head failed.
    #[error("audit log: {op}{}", if *committed { " (the change and its audit entry were committed; publishing the external head failed, the next append repairs it)" } else { "" })]
    Audit {
        op: &'static str,
        committed: bool,
        #[source]
        source: AuditFailure,
    },
}

fn roles(rs: &[Role]) -> String {
    rs.iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(" or ")
}
