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
//! # Crash safety: one transaction, then the external head
//!
//! A change and its audit entry commit together or not at all: the caller opens an immediate
//! transaction on its own connection to `attache.db`, makes its change, calls
//! [`AuditLog::append_in`] (which inserts the entry, its tree nodes and its signed head in that
//! same transaction), commits, and then calls [`AuditLog::publish_head`]. [`AuditLog::append`]
//! does the same for an event that records no change of its own (a read, a login).
//!
//! The external head is written *after* the commit, by [`AuditLog::publish_head`]: under the
//! database's write lock (an immediate transaction that writes nothing) it replaces the file
//! (temporary file, fsync, rename) with the latest committed head. Every writer of the file
//! holds the write lock and writes the head that is latest at that moment, so the file never
//! goes back to an older head. An append first checks, under the write lock, that the file holds
//! the latest head or the one before it; if it is one behind, the append writes the latest head
//! to it before its own entry can commit. Hence at every instant, with `n` committed entries,
//! the file holds head `n` or head `n - 1` (none when `n <= 1` may be missing).
//!
//! Why no kill at any instant leaves the log unverifiable: the database alone is atomic
//! (SQLite's WAL); a kill before the commit leaves neither the change nor the entry, and the
//! file untouched or brought up to the committed head; a kill between the commit and the head
//! write leaves the file exactly one head behind, which [`AuditLog::verify`] accepts and the
//! next append (or [`AuditLog::publish_head`]) repairs; a kill during the head write leaves the
//! old file or the new one (rename is atomic).
//!
//! Why a rolled-back database is still caught: an older copy of the database holds fewer
//! entries than some head already published; verification and appends refuse a database that
//! is *behind* the external head (`the external head covers N entries`), and a file two or more
//! heads behind is refused as well (an old head file put back). What the one-head allowance
//! gives away: a copy exactly one entry older, put back in the instant after a crash and before
//! the next append, goes unnoticed (the entry that crash had just committed). Copy heads
//! elsewhere (`attache audit head`) to witness them.
//!
//! In debug builds, [`hooks`] lets kill tests pause at the two critical instants.
//!
//! Modules: [`event`] (events, the canonical entry encoding), [`merkle`] (hashes, proofs,
//! the frontier), [`head`] (signed tree heads, the external head file), [`hooks`] (the test
//! pause), `log` (append, read,
//! proofs), [`verify`] (verification and its findings), `db` (the connection and tables).
//!
//! The API is synchronous; [`AuditLog`] is `Clone + Send + Sync` (one connection behind a
//! mutex), so a web server calls it from `tokio::task::spawn_blocking`.

pub mod db;
pub mod error;
pub mod event;
pub mod head;
pub mod hooks;
mod log;
pub mod merkle;
pub mod verify;

pub use error::AuditError;
pub use event::{Action, AuditEvent, AuditRecord, Classification, user_actor};
pub use head::{SignedTreeHead, Signer, TrustedKeys};
pub use log::{AuditLog, Clock, ConsistencyProof, DB_FILE, HEAD_FILE, InclusionProof};
pub use verify::{Finding, Problem, VerifyReport};
