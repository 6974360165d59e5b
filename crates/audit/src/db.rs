//! The SQLite connection and the `audit_*` tables, in the database other crates share
//! (`<data-dir>/attache.db`): WAL mode with a busy timeout, so the server and the CLI may write at
//! once, and migrations recorded in `audit_schema_version`.
//!
//! Tables: `audit_entries` (one row per event; `idx` is the leaf index), `audit_heads` (one
//! signed tree head per tree size), `audit_nodes` (a cache of perfect subtree hashes, level 0 the
//! leaves, for appends and proofs; never trusted by verification).

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension};

use crate::AuditError;

/// How long a writer waits for another process's transaction before failing.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

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

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

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
    create_private(path)?;
    let mut conn = Connection::open(path).db(path, "opening")?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .db(path, "setting the busy timeout")?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .db(path, "switching to WAL mode")?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(AuditError::NoWal {
            path: path.to_path_buf(),
            mode,
        });
    }
    migrate(&mut conn, path)?;
    Ok(conn)
}

fn create_private(path: &Path) -> Result<(), AuditError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    match opts.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(AuditError::Io {
            path: path.to_path_buf(),
            op: "creating the database file",
            source,
        }),
    }
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<(), AuditError> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .db(path, "starting the migration")?;
    tx.execute_batch("CREATE TABLE IF NOT EXISTS audit_schema_version (version INTEGER NOT NULL)")
        .db(path, "creating audit_schema_version")?;
    let found: i64 = tx
        .query_row("SELECT version FROM audit_schema_version", [], |r| r.get(0))
        .optional()
        .db(path, "reading the schema version")?
        .unwrap_or(0);
    if found > SCHEMA_VERSION {
        return Err(AuditError::SchemaTooNew {
            path: path.to_path_buf(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    for m in &MIGRATIONS[found as usize..] {
        tx.execute_batch(m).db(path, "migrating the audit tables")?;
    }
    if found < SCHEMA_VERSION {
        tx.execute("DELETE FROM audit_schema_version", [])
            .db(path, "recording the schema version")?;
        tx.execute(
            "INSERT INTO audit_schema_version (version) VALUES (?1)",
            [SCHEMA_VERSION],
        )
        .db(path, "recording the schema version")?;
    }
    tx.commit().db(path, "committing the migration")
}
