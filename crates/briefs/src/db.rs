//! The SQLite connection and the `brief_*` tables.
//!
//! One connection per [`crate::Briefs`], in WAL mode with a busy timeout (the server and the CLI
//! may write at once), foreign keys on, and deleted rows zeroed on disk (`secure_delete`). The
//! schema is versioned in `brief_schema_version`; a database from a newer build is refused.
//!
//! Triggers guard the workflow below the library too: evidence and documents are added to
//! drafts only, a decision once recorded cannot be rewritten, and a decided or archived brief
//! moves nowhere but to `archived`. (Ciphertexts of decided briefs may still be rewrapped.)

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

use crate::BriefsError;

/// How long a writer waits for another process's transaction before failing.
pub use attache_opsdb::BUSY_TIMEOUT;

/// Migration `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: briefs, evidence, documents, state transitions.
    "CREATE TABLE brief_briefs (
        id INTEGER PRIMARY KEY,
        classification TEXT NOT NULL CHECK (classification IN ('public', 'restricted', 'confidential', 'secret')),
        state TEXT NOT NULL CHECK (state IN ('draft', 'review', 'decided', 'archived')),
        revision INTEGER NOT NULL DEFAULT 0,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        amends INTEGER REFERENCES brief_briefs(id),
        body BLOB NOT NULL,
        decision TEXT CHECK (decision IN ('choose', 'reject-all')),
        decision_option INTEGER,
        decided_by TEXT,
        decided_at INTEGER,
        rationale BLOB,
        CHECK ((decision IS NULL) = (decided_by IS NULL) AND (decision IS NULL) = (rationale IS NULL)),
        CHECK ((decision = 'choose') = (decision_option IS NOT NULL))
    );
    CREATE INDEX brief_briefs_amends ON brief_briefs(amends);
    CREATE INDEX brief_briefs_list ON brief_briefs(classification, state, id);
    CREATE TABLE brief_evidence (
        id INTEGER PRIMARY KEY,
        brief_id INTEGER NOT NULL REFERENCES brief_briefs(id),
        added_by TEXT NOT NULL,
        added_at INTEGER NOT NULL,
        body BLOB NOT NULL
    );
    CREATE INDEX brief_evidence_brief ON brief_evidence(brief_id);
    CREATE TABLE brief_documents (
        id INTEGER PRIMARY KEY,
        brief_id INTEGER NOT NULL REFERENCES brief_briefs(id),
        classification TEXT NOT NULL CHECK (classification IN ('public', 'restricted', 'confidential', 'secret')),
        size INTEGER NOT NULL,
        added_by TEXT NOT NULL,
        added_at INTEGER NOT NULL,
        meta BLOB NOT NULL,
        content BLOB NOT NULL
    );
    CREATE INDEX brief_documents_brief ON brief_documents(brief_id);
    CREATE TABLE brief_transitions (
        id INTEGER PRIMARY KEY,
        brief_id INTEGER NOT NULL REFERENCES brief_briefs(id),
        from_state TEXT,
        to_state TEXT NOT NULL,
        actor TEXT NOT NULL,
        at INTEGER NOT NULL
    );
    CREATE INDEX brief_transitions_brief ON brief_transitions(brief_id);
    CREATE TRIGGER brief_evidence_drafts_only BEFORE INSERT ON brief_evidence
    WHEN (SELECT state FROM brief_briefs WHERE id = NEW.brief_id) IS NOT 'draft'
    BEGIN SELECT RAISE(ABORT, 'evidence can be added to drafts only'); END;
    CREATE TRIGGER brief_documents_drafts_only BEFORE INSERT ON brief_documents
    WHEN (SELECT state FROM brief_briefs WHERE id = NEW.brief_id) IS NOT 'draft'
    BEGIN SELECT RAISE(ABORT, 'documents can be attached to drafts only'); END;
    CREATE TRIGGER brief_decided_stays BEFORE UPDATE ON brief_briefs
    WHEN OLD.state IN ('decided', 'archived') AND (
        (NEW.state IS NOT OLD.state AND NEW.state IS NOT 'archived')
        OR NEW.decision IS NOT OLD.decision OR NEW.decision_option IS NOT OLD.decision_option
        OR NEW.decided_by IS NOT OLD.decided_by OR NEW.decided_at IS NOT OLD.decided_at
        OR NEW.classification IS NOT OLD.classification OR NEW.amends IS NOT OLD.amends
        OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at)
    BEGIN SELECT RAISE(ABORT, 'decided briefs are immutable'); END;",
];

/// The briefs tables, as `attache_opsdb` opens them.
const SCHEMA: attache_opsdb::Schema = attache_opsdb::Schema {
    prefix: "brief",
    migrations: MIGRATIONS,
    pragmas: "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY;",
};

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = SCHEMA.version();

/// One connection behind a mutex, and the file it belongs to (named in every error).
pub(crate) struct Db {
    pub(crate) path: PathBuf,
    conn: Mutex<Connection>,
}

impl Db {
    pub(crate) fn open(path: &Path) -> Result<Self, BriefsError> {
        let conn = attache_opsdb::open(path, &SCHEMA)?;
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
    fn db(self, path: &Path, op: &'static str) -> Result<T, BriefsError>;
}

impl<T> DbResult<T> for rusqlite::Result<T> {
    fn db(self, path: &Path, op: &'static str) -> Result<T, BriefsError> {
        self.map_err(|source| BriefsError::Storage {
            path: path.to_path_buf(),
            op,
            source,
        })
    }
}
