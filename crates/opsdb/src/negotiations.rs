//! The positions trackers analysts edit (`attache_negotiation::tracker`), in
//! `<data-dir>/attache.db`: every edit appends a whole new version of the tracker's document
//! (who, when, what changed, why), so the history is complete and any version can be read back.
//! A tracker without a stored version is its built-in seed. An edit and its audit entry commit
//! in one transaction ([`Negotiations::save`] runs the audit step inside it: if it fails, the
//! edit is rolled back).

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::{Ctx, OpenError, Schema};

/// The tables.
pub const SCHEMA: Schema = Schema {
    prefix: "neg",
    migrations: &["CREATE TABLE neg_versions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        tracker_id TEXT NOT NULL,
        at TEXT NOT NULL,
        by_user TEXT NOT NULL,
        change TEXT NOT NULL,
        note TEXT NOT NULL,
        doc TEXT NOT NULL
    );
    CREATE INDEX neg_versions_by_tracker ON neg_versions (tracker_id, seq);"],
    pragmas: "",
};

/// Longest note, in characters.
pub const NOTE_MAX: usize = 2000;
/// Largest document, in bytes (a tracker is small; this bounds what one request can store).
pub const DOC_MAX: usize = 512 * 1024;

/// One stored version of a tracker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub seq: i64,
    pub tracker_id: String,
    pub at: String,
    pub by: String,
    /// What changed, in words (e.g. "USA on instrument: weight 50 -> 60").
    pub change: String,
    pub note: String,
    /// The tracker's JSON document after the change.
    pub doc: String,
}

/// Why a save was refused.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("an edit needs a note saying why (its source or reason)")]
    NoteRequired,
    #[error("the note is longer than {NOTE_MAX} characters")]
    NoteTooLong,
    #[error("the tracker document is larger than {DOC_MAX} bytes")]
    TooLarge,
    #[error("the audit record could not be written, so nothing changed: {0}")]
    Audit(String),
    #[error(transparent)]
    Db(#[from] OpenError),
}

/// The trackers of a data dir.
pub struct Negotiations {
    conn: Connection,
    path: PathBuf,
}

impl Negotiations {
    /// Opens (and creates or migrates) the tables in `path` (`<data-dir>/attache.db`).
    pub fn open(path: &Path) -> Result<Negotiations, OpenError> {
        Ok(Negotiations {
            conn: crate::open(path, &SCHEMA)?,
            path: path.to_path_buf(),
        })
    }

    /// The latest version of `id`, if any was stored.
    pub fn latest(&self, id: &str) -> Result<Option<Version>, OpenError> {
        self.conn
            .query_row(
                "SELECT seq, tracker_id, at, by_user, change, note, doc FROM neg_versions \
                 WHERE tracker_id = ?1 ORDER BY seq DESC LIMIT 1",
                [id],
                row,
            )
            .optional()
            .ctx(&self.path, "reading a tracker")
    }

    /// Every version of `id`, oldest first, without their documents (`doc` is empty).
    pub fn history(&self, id: &str) -> Result<Vec<Version>, OpenError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT seq, tracker_id, at, by_user, change, note, '' FROM neg_versions \
                 WHERE tracker_id = ?1 ORDER BY seq",
            )
            .ctx(&self.path, "reading a tracker's history")?;
        let rows = st
            .query_map([id], row)
            .ctx(&self.path, "reading a tracker's history")?;
        rows.collect::<Result<Vec<_>, _>>()
            .ctx(&self.path, "reading a tracker's history")
    }

    /// Stores a new version of `id` as `by` at `at`. `audit` runs inside the same immediate
    /// transaction with the new version's sequence number: the version and its audit entry
    /// commit together or not at all.
    #[allow(clippy::too_many_arguments)]
    pub fn save(
        &mut self,
        id: &str,
        doc: &str,
        change: &str,
        by: &str,
        at: &str,
        note: &str,
        audit: impl FnOnce(&Transaction<'_>, i64) -> Result<(), String>,
    ) -> Result<Version, SaveError> {
        let note = note.trim();
        if note.is_empty() {
            return Err(SaveError::NoteRequired);
        }
        if note.chars().count() > NOTE_MAX {
            return Err(SaveError::NoteTooLong);
        }
        if doc.len() > DOC_MAX {
            return Err(SaveError::TooLarge);
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .ctx(&path, "starting a tracker edit")?;
        tx.execute(
            "INSERT INTO neg_versions (tracker_id, at, by_user, change, note, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, at, by, change, note, doc],
        )
        .ctx(&path, "recording a tracker edit")?;
        let seq = tx.last_insert_rowid();
        audit(&tx, seq).map_err(SaveError::Audit)?;
        tx.commit().ctx(&path, "committing a tracker edit")?;
        Ok(Version {
            seq,
            tracker_id: id.to_string(),
            at: at.to_string(),
            by: by.to_string(),
            change: change.to_string(),
            note: note.to_string(),
            doc: doc.to_string(),
        })
    }
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Version> {
    Ok(Version {
        seq: r.get(0)?,
        tracker_id: r.get(1)?,
        at: r.get(2)?,
        by: r.get(3)?,
        change: r.get(4)?,
        note: r.get(5)?,
        doc: r.get(6)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_commit_with_their_audit_step_or_not_at_all() {
        let d = tempfile::tempdir().unwrap();
        let mut n = Negotiations::open(&d.path().join("attache.db")).unwrap();
        let ok = |_: &Transaction<'_>, _: i64| Ok(());
        assert!(n.latest("t").unwrap().is_none());
        assert!(matches!(
            n.save("t", "{}", "c", "ana", "t1", "  ", ok),
            Err(SaveError::NoteRequired)
        ));
        assert!(matches!(
            n.save("t", "{}", "c", "ana", "t1", "why", |_, _| Err(
                "disk full".into()
            )),
            Err(SaveError::Audit(_))
        ));
        assert!(
            n.latest("t").unwrap().is_none(),
            "a failed audit leaves nothing"
        );
        assert!(matches!(
            n.save("t", &"x".repeat(DOC_MAX + 1), "c", "ana", "t1", "why", ok),
            Err(SaveError::TooLarge)
        ));
        let v1 = n
            .save("t", "{\"a\":1}", "first", "ana", "t1", "why", ok)
            .unwrap();
        let v2 = n
            .save("t", "{\"a\":2}", "second", "dip", "t2", "because", ok)
            .unwrap();
        assert!(v2.seq > v1.seq);
        assert_eq!(n.latest("t").unwrap().unwrap().doc, "{\"a\":2}");
        let h = n.history("t").unwrap();
        assert_eq!(
            h.iter()
                .map(|v| (v.by.as_str(), v.change.as_str()))
                .collect::<Vec<_>>(),
            [("ana", "first"), ("dip", "second")]
        );
        assert!(n.latest("other").unwrap().is_none());
    }
}
