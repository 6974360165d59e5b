//! `attache-audit`: the tamper-evident audit log. Logins, reads of classified items, brief
//! changes, decisions, exports, user and key changes are appended to an append-only Merkle log
//! (RFC 9162 hashing, [`merkle`]) in the deployment's SQLite database (tables `audit_*`), each
//! append closing with a tree head signed by the deployment's Ed25519 audit key ([`head`]).
//! [`AuditLog::verify`] recomputes every leaf from the stored rows and checks every signed head,
//! naming the first altered, deleted, inserted or reordered entry ([`verify`]); a copy of the
//! latest head outside the database (`audit-head.json`) catches a database swapped for an older
//! copy. [`AuditLog::inclusion_proof`] and [`AuditLog::consistency_proof`] give RFC 9162 proofs
//! that anyone holding the public key can check.
//!
//! Modules: [`event`] (events, the canonical entry encoding), [`merkle`] (hashes, proofs,
//! the frontier), [`head`] (signed tree heads, the external head file), `log` (append, read,
//! proofs), [`verify`] (verification and its findings), `db` (the connection and tables).
//!
//! The API is synchronous; [`AuditLog`] is `Clone + Send + Sync` (one connection behind a
//! mutex), so a web server calls it from `tokio::task::spawn_blocking`.

pub mod db;
pub mod error;
pub mod event;
pub mod head;
mod log;
pub mod merkle;
pub mod verify;

pub use error::AuditError;
pub use event::{Action, AuditEvent, AuditRecord, Classification};
pub use head::{SignedTreeHead, Signer, TrustedKeys};
pub use log::{AuditLog, Clock, ConsistencyProof, DB_FILE, HEAD_FILE, InclusionProof};
pub use verify::{Finding, Problem, VerifyReport};
