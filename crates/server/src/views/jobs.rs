//! The data jobs' record (`attache_opsdb::jobs`: every sync and forecast run, success or
//! failure) as the `/sources` page's refresh table and `/healthz`'s answer. Messages of failed
//! runs can name files and servers: only admins see them; everyone sees when and whether.

use attache_opsdb::jobs::{JobRun, JobStatus, Jobs};
use attache_store::freshness::Freshness;
use serde_json::{Value, json};

use crate::AppState;
use crate::error::AppError;

/// The jobs `up` runs (`events`: the GDELT follower, when `up` downloads from the web).
pub const JOBS: [&str; 3] = ["sync", "forecast", "events"];

/// How many past runs `/sources` lists.
pub const SHOWN: usize = 20;

/// The job record of the data dir, read-only (`None` before any recorded run).
pub fn open(state: &AppState) -> Result<Option<Jobs>, AppError> {
    Jobs::read(&state.config.data_dir.join("attache.db"))
        .map_err(|e| AppError::Internal(format!("reading the job record: {e}")))
}

/// The last success and failure of each job (empty before any recorded run).
pub fn status(record: Option<&Jobs>) -> Result<Vec<(&'static str, JobStatus)>, AppError> {
    JOBS.iter()
        .map(|n| {
            let s = match record {
                None => JobStatus::default(),
                Some(j) => j.status(n).map_err(|e| AppError::Internal(e.to_string()))?,
            };
            Ok((*n, s))
        })
        .collect()
}

/// The newest runs, newest first.
pub fn recent(record: Option<&Jobs>) -> Result<Vec<JobRun>, AppError> {
    match record {
        None => Ok(Vec::new()),
        Some(j) => j
            .recent(SHOWN)
            .map_err(|e| AppError::Internal(e.to_string())),
    }
}

/// `/healthz`: alive, plus the ages and the last refreshes. `status` is `ok`, `stale` (data or
/// forecast past its update interval), `failing` (the newest run of a job failed) or `no-data`.
/// `fresh` is the request's freshness, judged once by the `freshness::headers` middleware.
pub fn health(state: &AppState, fresh: Option<&Freshness>) -> Value {
    let jobs = open(state)
        .and_then(|r| status(r.as_ref()))
        .unwrap_or_default();
    let failing = jobs.iter().any(|(_, s)| s.failing());
    let status = match fresh {
        None => "no-data",
        Some(_) if failing => "failing",
        Some(f) if f.is_stale() => "stale",
        Some(_) => "ok",
    };
    let run = |r: &Option<JobRun>| r.as_ref().map(|r| r.finished_at.clone());
    let jobs: serde_json::Map<String, Value> = jobs
        .iter()
        .map(|(n, s)| {
            (
                n.to_string(),
                json!({"last_success": run(&s.last_success), "last_failure": run(&s.last_failure),
                       "failing": s.failing()}),
            )
        })
        .collect();
    json!({
        "status": status,
        "vintage": fresh.map(|f| f.vintage.clone()),
        "data_synced_on": fresh.and_then(|f| f.synced_on.map(|d| d.to_string())),
        "data_age_days": fresh.and_then(|f| f.age_days),
        "forecast_as_of": fresh.and_then(|f| f.forecast.map(|(m, _)| m.to_string())),
        "stale": fresh.map(|f| f.is_stale()),
        "freshness": fresh.map(|f| f.warning().unwrap_or_else(|| f.summary())),
        "jobs": jobs,
    })
}
