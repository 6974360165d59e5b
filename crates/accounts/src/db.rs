//! The shared SQLite connection: opened once per [`crate::Accounts`], in WAL mode with a busy
//! timeout (the server and the CLI may write at once), foreign keys on, and deleted rows zeroed
//! on disk (`secure_delete`).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::Connection;

use crate::AccountsError;

/// How long a writer waits for another process's transaction before failing.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// One connection behind a mutex, and the file it belongs to (named in every error).
pub(crate) struct Db {
    pub(crate) path: PathBuf,
    conn: Mutex<Connection>,
}

impl Db {
    pub(crate) fn open(path: &Path) -> Result<Self, AccountsError> {
        create_private(path)?;
        let mut conn = Connection::open(path).db(path, "opening")?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .db(path, "setting the busy timeout")?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .db(path, "switching to WAL mode")?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(AccountsError::NoWal {
                path: path.to_path_buf(),
                mode,
            });
        }
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;")
            .db(path, "setting pragmas")?;
        crate::schema::migrate(&mut conn, path)?;
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

/// Creates the database file readable by its owner only (it holds password hashes); SQLite
/// gives its -wal and -shm files the same permissions.
fn create_private(path: &Path) -> Result<(), AccountsError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    match opts.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(AccountsError::Io {
            path: path.to_path_buf(),
            op: "creating the file",
            source,
        }),
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
