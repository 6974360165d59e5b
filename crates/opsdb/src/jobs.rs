//! The record of the data jobs (sync, forecast), so a reader can see when the data was last
//! refreshed and whether the last attempt failed (issue 14: "the last success and failure
//! shown on `/sources` and in `/healthz`").
//!
//! One row per finished run in `job_runs` of `attache.db`: job name, start and end (RFC 3339
//! UTC, as the caller writes them), success, and a message (what was published, or the error
//! chain). Bounded: a record keeps the newest [`KEEP`] runs and a message's first
//! [`MESSAGE_MAX`] characters, so a failing schedule cannot grow the file without limit.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use crate::{Ctx, OpenError, Schema};

/// The job tables.
pub const SCHEMA: Schema = Schema {
    prefix: "job",
    migrations: &["CREATE TABLE job_runs (
        id INTEGER PRIMARY KEY,
        job TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
        message TEXT NOT NULL
    );
    CREATE INDEX job_runs_job_ok ON job_runs (job, ok, id);"],
    pragmas: "",
};

/// Runs kept; older ones are deleted when a run is recorded.
pub const KEEP: i64 = 1000;
/// Characters of a message kept.
pub const MESSAGE_MAX: usize = 2000;

/// One finished run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRun {
    pub id: i64,
    pub job: String,
    pub started_at: String,
    pub finished_at: String,
    pub ok: bool,
    pub message: String,
}

/// The last success and the last failure of one job.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobStatus {
    pub last_success: Option<JobRun>,
    pub last_failure: Option<JobRun>,
}

impl JobStatus {
    /// The newest run failed (a success older than a failure is not current).
    pub fn failing(&self) -> bool {
        match (&self.last_success, &self.last_failure) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(s), Some(f)) => f.id > s.id,
        }
    }
}

/// The job record of one data dir's database.
pub struct Jobs {
    conn: Connection,
    path: PathBuf,
}

impl Jobs {
    /// Opens (creating or migrating) the job tables of the database at `path`, to record runs.
    pub fn open(path: &Path) -> Result<Jobs, OpenError> {
        Ok(Jobs {
            conn: crate::open(path, &SCHEMA)?,
            path: path.to_path_buf(),
        })
    }

    /// Opens the record to read it, changing nothing (no file created, no migration, no write
    /// lock: the server's read paths, `/healthz` among them, come here on every request).
    /// `None` when there is no database or no run was ever recorded in it.
    pub fn read(path: &Path) -> Result<Option<Jobs>, OpenError> {
        if !path.exists() {
            return Ok(None);
        }
        let conn = crate::open_read_only(path)?;
        let has: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'job_runs')",
                [],
                |r| r.get(0),
            )
            .ctx(path, "looking for the job record")?;
        Ok(has.then(|| Jobs {
            conn,
            path: path.to_path_buf(),
        }))
    }

    /// Records a finished run and drops runs beyond [`KEEP`], in one transaction.
    pub fn record(
        &mut self,
        job: &str,
        started_at: &str,
        finished_at: &str,
        ok: bool,
        message: &str,
    ) -> Result<i64, OpenError> {
        let message: String = message.chars().take(MESSAGE_MAX).collect();
        let path = &self.path;
        let tx = self
            .conn
            .transaction()
            .ctx(path, "starting a transaction")?;
        tx.execute(
            "INSERT INTO job_runs (job, started_at, finished_at, ok, message) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![job, started_at, finished_at, ok, message],
        )
        .ctx(path, "recording a job run")?;
        let id = tx.last_insert_rowid();
        tx.execute("DELETE FROM job_runs WHERE id <= ?1", [id - KEEP])
            .ctx(path, "dropping old job runs")?;
        tx.commit().ctx(path, "committing a job run")?;
        Ok(id)
    }

    /// The newest `limit` runs of every job, newest first.
    pub fn recent(&self, limit: usize) -> Result<Vec<JobRun>, OpenError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT id, job, started_at, finished_at, ok, message FROM job_runs ORDER BY id DESC LIMIT ?1",
            )
            .ctx(&self.path, "reading job runs")?;
        let rows = st
            .query_map([limit as i64], row)
            .ctx(&self.path, "reading job runs")?;
        rows.collect::<Result<_, _>>()
            .ctx(&self.path, "reading job runs")
    }

    /// The last success and failure of `job`.
    pub fn status(&self, job: &str) -> Result<JobStatus, OpenError> {
        let last = |ok: bool| {
            self.conn
                .query_row(
                    "SELECT id, job, started_at, finished_at, ok, message FROM job_runs
                     WHERE job = ?1 AND ok = ?2 ORDER BY id DESC LIMIT 1",
                    params![job, ok],
                    row,
                )
                .optional()
                .ctx(&self.path, "reading the last job run")
        };
        Ok(JobStatus {
            last_success: last(true)?,
            last_failure: last(false)?,
        })
    }
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<JobRun> {
    Ok(JobRun {
        id: r.get(0)?,
        job: r.get(1)?,
        started_at: r.get(2)?,
        finished_at: r.get(3)?,
        ok: r.get(4)?,
        message: r.get(5)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_last_success_and_failure_and_stays_bounded() {
        let d = tempfile::tempdir().unwrap();
        let db = d.path().join("attache.db");
        assert!(
            Jobs::read(&db).unwrap().is_none(),
            "no database: nothing to read"
        );
        assert!(!db.exists(), "reading creates nothing");
        let mut j = Jobs::open(&db).unwrap();
        assert_eq!(j.status("sync").unwrap(), JobStatus::default());
        j.record(
            "sync",
            "2026-12-01T00:00:00Z",
            "2026-12-01T00:01:00Z",
            true,
            "vintage a",
        )
        .unwrap();
        j.record(
            "sync",
            "2026-12-02T00:00:00Z",
            "2026-12-02T00:00:05Z",
            false,
            "no network",
        )
        .unwrap();
        j.record(
            "forecast",
            "2026-12-02T00:01:00Z",
            "2026-12-02T00:02:00Z",
            true,
            "run",
        )
        .unwrap();
        let s = j.status("sync").unwrap();
        assert_eq!(s.last_success.as_ref().unwrap().message, "vintage a");
        assert_eq!(s.last_failure.as_ref().unwrap().message, "no network");
        assert!(s.failing(), "the newest sync failed");
        assert!(!j.status("forecast").unwrap().failing());
        let r = Jobs::read(&db).unwrap().expect("the record exists now");
        assert_eq!(r.status("sync").unwrap(), j.status("sync").unwrap());
        let recent = j.recent(2).unwrap();
        assert_eq!(recent.len(), 2);
        assert_eq!(recent[0].job, "forecast", "newest first");
        // Bounded: the newest KEEP runs and the first MESSAGE_MAX characters only.
        let long = "x".repeat(MESSAGE_MAX + 50);
        for i in 0..(KEEP + 20) {
            j.record("sync", &format!("t{i}"), &format!("t{i}"), true, &long)
                .unwrap();
        }
        let all = j.recent(usize::MAX >> 1).unwrap();
        assert_eq!(all.len() as i64, KEEP);
        assert_eq!(all[0].message.chars().count(), MESSAGE_MAX);
        assert!(!j.status("sync").unwrap().failing());
    }
}
