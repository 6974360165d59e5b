//! The shared SQLite connection: opened once per [`crate::Accounts`], in WAL mode with a busy
//! timeout (the server and the CLI may write at once), foreign keys on, and deleted rows zeroed
//! on disk (`secure_delete`).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

use crate::AccountsError;

/// How long a writer waits for another process's transaction before failing.
pub use attache_opsdb::BUSY_TIMEOUT;

/// One connection behind a mutex, and the file it belongs to (named in every error).
pub(crate) struct Db {
    pub(crate) path: PathBuf,
    conn: Mutex<Connection>,
}

impl Db {
    pub(crate) fn open(path: &Path) -> Result<Self, AccountsError> {
        let conn = attache_opsdb::open(path, &crate::schema::SCHEMA)?;
        Ok(Db {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
        })
    }

    /// The connection. A panic in another thread while it held the lock leaves the connection
    /// usable (an unfinished transaction rolls back when dropped), so poisoning is ignored.
    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Attaches the database path and the operation to a rusqlite error.
pub(crate) trait DbResult<T> {
    fn db(self, path: &Path, op: &'static str) -> Result<T, AccountsError>;
}

impl<T> DbResult<T> for rusqlite::Result<T> {
    fn db(self, path: &Path, op: &'static str) -> Result<T, AccountsError> {
        self.map_err(|source| AccountsError::Db {
            path: path.to_path_buf(),
            op,
            source,
        })
    }
}

/// Whether a rusqlite error is a UNIQUE (or other constraint) violation.
pub(crate) fn is_constraint(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation)
}
