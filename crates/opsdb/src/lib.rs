//! The one way operational state (accounts, audit log, briefs) opens its SQLite database,
//! `<data-dir>/attache.db`, which those crates share.
//!
//! [`open`] creates the file readable by its owner only (it holds password hashes and sealed
//! briefs; SQLite gives its -wal and -shm files the same permissions), sets a busy timeout (the
//! server and the CLI may write at once), requires WAL mode, applies the caller's pragmas and
//! brings the caller's tables up to date: migration `i` of a [`Schema`] takes its tables from
//! version `i` to `i + 1`, recorded in `<prefix>_schema_version`, all in one immediate
//! transaction. A database written by a newer build is refused, never downgraded.

use std::path::{Path, PathBuf};
use std::time::Duration;

pub mod alert_states;
pub mod jobs;
pub mod negotiations;

use rusqlite::{Connection, OptionalExtension};

/// How long a writer waits for another process's transaction before failing.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// One crate's tables: their prefix, migrations and connection pragmas.
#[derive(Debug, Clone, Copy)]
pub struct Schema {
    /// Table prefix (`acct`, `audit`, `brief`); the version lives in `<prefix>_schema_version`.
    pub prefix: &'static str,
    /// Migration `i` takes the schema from version `i` to `i + 1`.
    pub migrations: &'static [&'static str],
    /// Pragmas for every connection (`PRAGMA foreign_keys = ON; ...`), run before migrating.
    pub pragmas: &'static str,
}

impl Schema {
    /// The version this build writes.
    pub const fn version(&self) -> i64 {
        self.migrations.len() as i64
    }
}

/// Why the database could not be opened: the environment's (IO, a database in another mode,
/// one from a newer build) or a SQLite error, each naming the file.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{path}: {op}: {source}")]
    Io {
        path: PathBuf,
        op: &'static str,
        source: std::io::Error,
    },
    #[error("{path}: {op}: {source}")]
    Db {
        path: PathBuf,
        op: &'static str,
        source: rusqlite::Error,
    },
    #[error("{path}: SQLite would not switch to WAL mode (journal mode is {mode:?})")]
    NoWal { path: PathBuf, mode: String },
    #[error(
        "{path}: the {prefix} tables are at schema version {found}, newer than this build's {known}: use a newer attache"
    )]
    SchemaTooNew {
        path: PathBuf,
        prefix: &'static str,
        found: i64,
        known: i64,
    },
}

/// Attaches the database path and the operation to a rusqlite error.
trait Ctx<T> {
    fn ctx(self, path: &Path, op: &'static str) -> Result<T, OpenError>;
}

impl<T> Ctx<T> for rusqlite::Result<T> {
    fn ctx(self, path: &Path, op: &'static str) -> Result<T, OpenError> {
        self.map_err(|source| OpenError::Db {
            path: path.to_path_buf(),
            op,
            source,
        })
    }
}

/// Opens (creating it owner-only if missing) the database at `path` for `schema`.
pub fn open(path: &Path, schema: &Schema) -> Result<Connection, OpenError> {
    create_private(path)?;
    let mut conn = Connection::open(path).ctx(path, "opening")?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .ctx(path, "setting the busy timeout")?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .ctx(path, "switching to WAL mode")?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(OpenError::NoWal {
            path: path.to_path_buf(),
            mode,
        });
    }
    if !schema.pragmas.is_empty() {
        conn.execute_batch(schema.pragmas)
            .ctx(path, "setting pragmas")?;
    }
    migrate(&mut conn, path, schema)?;
    Ok(conn)
}

/// Opens an existing database read-only (for checks that must change nothing), with the same
/// busy timeout; no migration runs.
pub fn open_read_only(path: &Path) -> Result<Connection, OpenError> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .ctx(path, "opening read-only")?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .ctx(path, "setting the busy timeout")?;
    Ok(conn)
}

fn create_private(path: &Path) -> Result<(), OpenError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    match opts.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(OpenError::Io {
            path: path.to_path_buf(),
            op: "creating the database file",
            source,
        }),
    }
}

fn migrate(conn: &mut Connection, path: &Path, schema: &Schema) -> Result<(), OpenError> {
    let table = format!("{}_schema_version", schema.prefix);
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .ctx(path, "starting the migration")?;
    tx.execute_batch(&format!(
        "CREATE TABLE IF NOT EXISTS {table} (version INTEGER NOT NULL)"
    ))
    .ctx(path, "creating the schema version table")?;
    let found: i64 = tx
        .query_row(&format!("SELECT version FROM {table}"), [], |r| r.get(0))
        .optional()
        .ctx(path, "reading the schema version")?
        .unwrap_or(0);
    let known = schema.version();
    if found > known {
        return Err(OpenError::SchemaTooNew {
            path: path.to_path_buf(),
            prefix: schema.prefix,
            found,
            known,
        });
    }
    for m in &schema.migrations[found as usize..] {
        tx.execute_batch(m).ctx(path, "migrating")?;
    }
    if found < known {
        tx.execute(&format!("DELETE FROM {table}"), [])
            .ctx(path, "recording the schema version")?;
        tx.execute(
            &format!("INSERT INTO {table} (version) VALUES (?1)"),
            [known],
        )
        .ctx(path, "recording the schema version")?;
    }
    tx.commit().ctx(path, "committing the migration")
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: Schema = Schema {
        prefix: "t",
        migrations: &["CREATE TABLE t_a (x INTEGER)"],
        pragmas: "PRAGMA foreign_keys = ON;",
    };
    const V2: Schema = Schema {
        prefix: "t",
        migrations: &[
            "CREATE TABLE t_a (x INTEGER)",
            "ALTER TABLE t_a ADD COLUMN y TEXT",
        ],
        pragmas: "",
    };

    fn version(c: &Connection) -> i64 {
        c.query_row("SELECT version FROM t_schema_version", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn migrates_forward_and_refuses_a_newer_database() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("attache.db");
        let c = open(&p, &V1).unwrap();
        assert_eq!(version(&c), 1);
        let mode: String = c
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = c
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        drop(c);
        let c = open(&p, &V2).unwrap();
        assert_eq!(version(&c), 2);
        c.execute("INSERT INTO t_a (x, y) VALUES (1, 'a')", [])
            .unwrap();
        drop(c);
        // Reopening at the same version changes nothing.
        let c = open(&p, &V2).unwrap();
        assert_eq!(version(&c), 2);
        drop(c);
        match open(&p, &V1) {
            Err(OpenError::SchemaTooNew {
                found: 2, known: 1, ..
            }) => {}
            other => panic!("a newer database was opened: {other:?}"),
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("attache.db");
        open(&p, &V1).unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn errors_name_the_file() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("missing-dir/attache.db");
        let e = open(&p, &V1).unwrap_err().to_string();
        assert!(e.contains("missing-dir/attache.db"), "{e}");
    }
}
