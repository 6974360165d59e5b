//! Where each alert is in its life cycle (`attache_events::alerts`: new → seen → dismissed or
//! escalated, by a person with a note), in `<data-dir>/attache.db` beside the audit log, so that a
//! change and its audit entry commit in one transaction ([`AlertStates::transition`] takes the
//! audit step as a closure run inside it: if it fails, the change is rolled back).
//!
//! An alert without a row is `new`. The history keeps every step (who, when, from, to, note).

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::{Ctx, OpenError, Schema};

/// The tables.
pub const SCHEMA: Schema = Schema {
    prefix: "alert",
    migrations: &["CREATE TABLE alert_steps (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id TEXT NOT NULL,
        at TEXT NOT NULL,
        by_user TEXT NOT NULL,
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        note TEXT NOT NULL
    );
    CREATE INDEX alert_steps_by_alert ON alert_steps (alert_id, seq);"],
    pragmas: "",
};

/// Longest note, in characters.
pub const NOTE_MAX: usize = 2000;

/// The states a person can move an alert to, and the state every alert starts in.
pub const NEW: &str = "new";
pub const STATES: [&str; 3] = ["seen", "dismissed", "escalated"];

/// One step of an alert's life cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub alert_id: String,
    pub at: String,
    pub by: String,
    pub from: String,
    pub to: String,
    pub note: String,
}

/// Why a transition was refused.
#[derive(Debug, thiserror::Error)]
pub enum TransitionError {
    #[error("state {0:?}: one of seen, dismissed, escalated")]
    BadState(String),
    #[error("a {0} alert needs a note saying why")]
    NoteRequired(&'static str),
    #[error("the note is longer than {NOTE_MAX} characters")]
    NoteTooLong,
    #[error("the alert is already {0}")]
    Closed(String),
    #[error("the audit record could not be written, so nothing changed: {0}")]
    Audit(String),
    #[error(transparent)]
    Db(#[from] OpenError),
}

/// The alert states of a data dir.
pub struct AlertStates {
    conn: Connection,
    path: PathBuf,
}

impl AlertStates {
    /// Opens (and creates or migrates) the tables in `path` (`<data-dir>/attache.db`).
    pub fn open(path: &Path) -> Result<AlertStates, OpenError> {
        Ok(AlertStates {
            conn: crate::open(path, &SCHEMA)?,
            path: path.to_path_buf(),
        })
    }

    /// The current state of `id` and its steps, oldest first.
    pub fn history(&self, id: &str) -> Result<Vec<Step>, OpenError> {
        let mut st = self
            .conn
            .prepare("SELECT alert_id, at, by_user, from_state, to_state, note FROM alert_steps WHERE alert_id = ?1 ORDER BY seq")
            .ctx(&self.path, "reading an alert's steps")?;
        let rows = st
            .query_map([id], |r| {
                Ok(Step {
                    alert_id: r.get(0)?,
                    at: r.get(1)?,
                    by: r.get(2)?,
                    from: r.get(3)?,
                    to: r.get(4)?,
                    note: r.get(5)?,
                })
            })
            .ctx(&self.path, "reading an alert's steps")?;
        rows.collect::<Result<Vec<_>, _>>()
            .ctx(&self.path, "reading an alert's steps")
    }

    /// The current state of every alert that has left `new`.
    pub fn states(&self) -> Result<std::collections::BTreeMap<String, String>, OpenError> {
        let mut st = self
            .conn
            .prepare("SELECT alert_id, to_state FROM alert_steps ORDER BY seq")
            .ctx(&self.path, "reading alert states")?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .ctx(&self.path, "reading alert states")?;
        rows.collect::<Result<_, _>>()
            .ctx(&self.path, "reading alert states")
    }

    fn state_in(tx: &Transaction<'_>, path: &Path, id: &str) -> Result<String, OpenError> {
        Ok(tx
            .query_row(
                "SELECT to_state FROM alert_steps WHERE alert_id = ?1 ORDER BY seq DESC LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .ctx(path, "reading an alert's state")?
            .unwrap_or_else(|| NEW.to_string()))
    }

    /// Moves alert `id` to `to` (seen, dismissed or escalated; a dismissal or escalation needs
    /// a note; a dismissed or escalated alert is closed), as `by` at `at`. `audit` runs inside
    /// the same immediate transaction with the step's `(from, to)`: the step and its audit entry
    /// commit together or not at all.
    pub fn transition(
        &mut self,
        id: &str,
        to: &str,
        by: &str,
        at: &str,
        note: &str,
        audit: impl FnOnce(&Transaction<'_>, &str, &str) -> Result<(), String>,
    ) -> Result<Step, TransitionError> {
        let to = STATES
            .iter()
            .find(|s| **s == to)
            .ok_or_else(|| TransitionError::BadState(to.to_string()))?;
        let note = note.trim();
        if note.chars().count() > NOTE_MAX {
            return Err(TransitionError::NoteTooLong);
        }
        if note.is_empty() && *to != "seen" {
            return Err(TransitionError::NoteRequired(if *to == "dismissed" {
                "dismissed"
            } else {
                "escalated"
            }));
        }
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .ctx(&path, "starting a transition")?;
        let from = Self::state_in(&tx, &path, id)?;
        if from == "dismissed" || from == "escalated" {
            return Err(TransitionError::Closed(from));
        }
        tx.execute(
            "INSERT INTO alert_steps (alert_id, at, by_user, from_state, to_state, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, at, by, from, to, note],
        )
        .ctx(&path, "recording a transition")?;
        audit(&tx, &from, to).map_err(TransitionError::Audit)?;
        tx.commit().ctx(&path, "committing a transition")?;
        Ok(Step {
            alert_id: id.to_string(),
            at: at.to_string(),
            by: by.to_string(),
            from,
            to: to.to_string(),
            note: note.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_life_cycle_with_notes_that_commits_with_its_audit_step() {
        let d = tempfile::tempdir().unwrap();
        let mut s = AlertStates::open(&d.path().join("attache.db")).unwrap();
        let ok = |_: &Transaction<'_>, _: &str, _: &str| Ok(());
        assert!(matches!(
            s.transition("a", "dismissed", "ana", "t1", " ", ok),
            Err(TransitionError::NoteRequired("dismissed"))
        ));
        assert!(matches!(
            s.transition("a", "closed", "ana", "t1", "x", ok),
            Err(TransitionError::BadState(_))
        ));
        // A failing audit step leaves nothing behind.
        assert!(matches!(
            s.transition("a", "seen", "ana", "t1", "", |_, _, _| Err(
                "disk full".into()
            )),
            Err(TransitionError::Audit(_))
        ));
        assert!(s.history("a").unwrap().is_empty());
        let st = s.transition("a", "seen", "ana", "t2", "", ok).unwrap();
        assert_eq!((st.from.as_str(), st.to.as_str()), ("new", "seen"));
        let st = s
            .transition("a", "dismissed", "ana", "t3", "a wedding, not a battle", ok)
            .unwrap();
        assert_eq!(st.from, "seen");
        assert!(matches!(
            s.transition("a", "escalated", "dip", "t4", "x", ok),
            Err(TransitionError::Closed(_))
        ));
        let h = s.history("a").unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(h[1].note, "a wedding, not a battle");
        assert_eq!(s.states().unwrap()["a"], "dismissed");
        assert!(matches!(
            s.transition("b", "escalated", "dip", "t5", &"x".repeat(NOTE_MAX + 1), ok),
            Err(TransitionError::NoteTooLong)
        ));
    }
}
