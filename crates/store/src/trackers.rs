//! The negotiation trackers as they stand: each tracker's latest version stored by analysts'
//! edits (`attache_opsdb::negotiations`, in `<data-dir>/attache.db`), or its built-in seed
//! (`attache_negotiation::tracker::seeds`) if it was never edited. The server's pages and the
//! `negotiation` predictor read trackers through here.

use std::path::Path;

use attache_negotiation::tracker::{Tracker, seeds};
use attache_opsdb::OpenError;
use attache_opsdb::negotiations::{Negotiations, Version};

/// A tracker as it stands, the version it was read from (`None`: the seed) and its history.
#[derive(Debug, Clone)]
pub struct CurrentTracker {
    pub tracker: Tracker,
    pub version: Option<Version>,
    pub history: Vec<Version>,
}

/// Why a tracker could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TrackerReadError {
    #[error("no negotiation {0:?} (known: {1})")]
    Unknown(String, String),
    #[error(transparent)]
    Db(#[from] OpenError),
    /// A stored version that no longer reads as a valid tracker (a defect: every stored
    /// version was valid when saved).
    #[error("{path}: stored version {seq} of {id} is not a valid tracker: {message}")]
    Corrupt {
        path: String,
        id: String,
        seq: i64,
        message: String,
    },
}

/// Tracker `id` of the data dir `data_dir` as it stands.
pub fn current(data_dir: &Path, id: &str) -> Result<CurrentTracker, TrackerReadError> {
    let all = seeds();
    let known = all
        .iter()
        .map(|t| t.id.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let seed = all
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| TrackerReadError::Unknown(id.to_string(), known))?;
    let path = data_dir.join("attache.db");
    if !path.exists() {
        return Ok(CurrentTracker {
            tracker: seed,
            version: None,
            history: Vec::new(),
        });
    }
    let n = Negotiations::open(&path)?;
    let latest = n.latest(id)?;
    let history = n.history(id)?;
    let tracker = match &latest {
        Some(v) => Tracker::from_json(&v.doc).map_err(|message| TrackerReadError::Corrupt {
            path: path.display().to_string(),
            id: id.to_string(),
            seq: v.seq,
            message,
        })?,
        None => seed,
    };
    Ok(CurrentTracker {
        tracker,
        version: latest,
        history,
    })
}
