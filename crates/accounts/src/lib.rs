//! `attache-accounts`: who may use Attaché and what they may read.
//!
//! User accounts with a [`Role`] and a [`Clearance`], Argon2id passwords, browser sessions with a
//! CSRF token, API tokens, and login rate limiting, all in one SQLite file (tables `acct_*`).
//! The API is synchronous; [`Accounts`] is `Clone + Send + Sync` (one connection behind a mutex,
//! never held during Argon2), so a web server calls it from `tokio::task::spawn_blocking`.
//!
//! Secrets are never stored or logged in clear: passwords as Argon2id PHC strings
//! ([`password`]), API tokens and session ids as SHA-256 digests ([`secret`]), CSRF tokens not at
//! all (derived from the session id). Errors ([`AccountsError`]) never carry a secret.
//!
//! Modules: [`model`] (roles, clearances, principals), [`password`] (policy, hashing),
//! [`users`], [`tokens`], [`sessions`] (login, expiry), [`ratelimit`], [`record`] (account
//! changes on the audit record, in the change's own transaction), `schema` (tables and
//! migrations), `db` (the connection).

mod db;
pub mod error;
pub mod model;
pub mod password;
pub mod ratelimit;
pub mod record;
mod schema;
pub mod secret;
pub mod sessions;
pub mod tokens;
pub mod users;

#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::Arc;

pub use db::BUSY_TIMEOUT;
pub use error::AccountsError;
pub use jiff::Timestamp;
pub use model::{Clearance, Principal, Role, UserInfo};
pub use password::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
pub use ratelimit::{MAX_FAILURES, WINDOW_SECS};
pub use record::{AccountChange, ChangeRecord, RecordFailure, SIGNED_IN, SIGNED_OUT, Transaction};
pub use schema::SCHEMA_VERSION;
pub use sessions::{LoginOutcome, SESSION_ABSOLUTE_SECS, SESSION_IDLE_SECS, Session};
pub use tokens::TOKEN_PREFIX;

/// The source of "now" (the system clock unless replaced with [`Accounts::with_clock`]).
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// The accounts store: a handle on one SQLite file. Cheap to clone; clones share the connection.
#[derive(Clone)]
pub struct Accounts {
    db: Arc<db::Db>,
    clock: Clock,
    record: Option<Arc<dyn ChangeRecord>>,
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accounts")
            .field("path", &self.db.path)
            .finish_non_exhaustive()
    }
}

impl Accounts {
    /// Opens (creating if missing, owner-only permissions) the database at `db_path` and brings
    /// its `acct_*` tables to [`SCHEMA_VERSION`]. The parent directory must exist. The first
    /// open in a process also spends one Argon2 run (see [`password`]'s dummy hash).
    pub fn open(db_path: &Path) -> Result<Self, AccountsError> {
        password::dummy_hash()?;
        Ok(Accounts {
            db: Arc::new(db::Db::open(db_path)?),
            clock: Arc::new(Timestamp::now),
            record: None,
        })
    }

    /// The same store with every account change put on `record` inside the change's own
    /// transaction (see [`record`]). Without one, changes are made with no record.
    pub fn with_record(mut self, record: Arc<dyn ChangeRecord>) -> Self {
        self.record = Some(record);
        self
    }

    /// Whether changes go on a record ([`Accounts::with_record`]).
    pub fn has_record(&self) -> bool {
        self.record.is_some()
    }

    /// Runs one account change: `f` makes it inside an immediate transaction and says what it
    /// was; the recorder (if any) writes its entry in the same transaction; then it commits and
    /// the recorder is told. Either the change and its entry are both stored or neither is.
    pub(crate) fn change<T>(
        &self,
        op: &'static str,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<(T, AccountChange), AccountsError>,
    ) -> Result<T, AccountsError> {
        use db::DbResult;
        let path = &self.db.path;
        let out = {
            let mut conn = self.db.conn();
            let tx = conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .db(path, op)?;
            let (out, change) = f(&tx)?;
            self.record_in(&tx, op, &change)?;
            tx.commit().db(path, op)?;
            out
        };
        self.record_committed(op)?;
        Ok(out)
    }

    /// Writes `change` on the record (if any) inside `tx`; an error rolls `tx` back.
    pub(crate) fn record_in(
        &self,
        tx: &rusqlite::Transaction<'_>,
        op: &'static str,
        change: &AccountChange,
    ) -> Result<(), AccountsError> {
        match &self.record {
            Some(r) => r
                .record_in(tx, change)
                .map_err(|source| AccountsError::Record {
                    op,
                    committed: false,
                    source,
                }),
            None => Ok(()),
        }
    }

    /// Tells the record (if any) that the transaction of [`Accounts::record_in`] committed.
    pub(crate) fn record_committed(&self, op: &'static str) -> Result<(), AccountsError> {
        match &self.record {
            Some(r) => r.committed().map_err(|source| AccountsError::Record {
                op,
                committed: true,
                source,
            }),
            None => Ok(()),
        }
    }

    /// The same store with another clock: for tests of expiry and lockout (and for servers that
    /// want one clock everywhere).
    pub fn with_clock(mut self, clock: impl Fn() -> Timestamp + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.db.path
    }

    /// Now, in Unix seconds.
    fn now(&self) -> i64 {
        (self.clock)().as_second()
    }
}

/// RFC 3339 (UTC) text of a Unix time in seconds.
fn rfc3339(secs: i64) -> String {
    Timestamp::from_second(secs)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| format!("@{secs}"))
}

/// A Unix time in seconds as a [`Timestamp`] (clamped to jiff's range, which spans years
/// -9999 to 9999).
fn timestamp(secs: i64) -> Timestamp {
    Timestamp::from_second(secs.clamp(Timestamp::MIN.as_second(), Timestamp::MAX.as_second()))
        .unwrap_or(Timestamp::MAX)
}
