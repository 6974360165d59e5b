//! The SQLite connection and the `audit_*` tables, in the database other crates share
//! (`<data-dir>/attache.db`): WAL mode with a busy timeout, so the server and the CLI may write at
//! once, and migrations recorded in `audit_schema_version`.
//!
//! Tables: `audit_entries` (one row per event; `idx` is the leaf index), `audit_heads` (one
//! signed tree head per tree size), `audit_nodes` (a cache of perfect subtree hashes, level 0 the
//! leaves, for appends and proofs; never trusted by verification).

use std::path::Path;

use rusqlite::Connection;

use crate::AuditError;

/// How long a writer waits for another process's transaction before failing.
pub use attache_opsdb::BUSY_TIMEOUT;

/// Migration `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &["CREATE TABLE audit_entries (
        idx INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        object TEXT NOT NULL,
        classification TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE TABLE audit_heads (
        tree_size INTEGER PRIMARY KEY CHECK (tree_size > 0),
        root BLOB NOT NULL,
        time TEXT NOT NULL,
        key_id TEXT NOT NULL,
        signature BLOB NOT NULL
    );
    CREATE TABLE audit_nodes (
        level INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        hash BLOB NOT NULL,
        PRIMARY KEY (level, idx)
    ) WITHOUT ROWID;"];

/// The audit tables, as `attache_opsdb` opens them.
const SCHEMA: attache_opsdb::Schema = attache_opsdb::Schema {
    prefix: "audit",
    migrations: MIGRATIONS,
    pragmas: "",
};

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = SCHEMA.version();

/// Attaches the database path and the operation to a rusqlite error.
pub(crate) trait DbResult<T> {
    fn db(self, path: &Path, op: &'static str) -> Result<T, AuditError>;
}

impl<T> DbResult<T> for rusqlite::Result<T> {
    fn db(self, path: &Path, op: &'static str) -> Result<T, AuditError> {
        self.map_err(|source| AuditError::Db {
            path: path.to_path_buf(),
            op,
            source,
        })
    }
}

/// Opens (creating if missing, owner-only) the database and brings the audit tables up to date.
pub(crate) fn open(path: &Path) -> Result<Connection, AuditError> {
    Ok(attache_opsdb::open(path, &SCHEMA)?)
}
