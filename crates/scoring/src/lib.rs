//! Scoring of probabilistic conflict forecasts the way the ViEWS Prediction Challenge 2023/24
//! scores them, plus the ViEWS benchmark forecasters.
//!
//! A forecast for one unit-month (here: a country-month of state-based fatalities, `ged_sb`) is
//! a sample of draws, typically 1000. Every metric is a pure function of the draws and the
//! observed value; nothing in this crate does IO.
//!
//! | metric | function | challenge reference |
//! | --- | --- | --- |
//! | CRPS | [`crps_ensemble`] | `properscoring.crps_ensemble` (via `xskillscore`) |
//! | IGN, binned log score | [`ignorance()`] with [`VIEWS_IGN_EDGES`] | challenge `IgnoranceScore.py` |
//! | MIS, 90 % interval score | [`interval_score`] | challenge `IntervalScore.py` (`np.quantile`) |
//! | Brier for `ged_sb >= 25` | [`brier`], [`prob_at_least`] | |
//! | average precision | [`average_precision`] | `sklearn.metrics.average_precision_score` |
//! | randomised PIT | [`pit_value`], [`pit_histogram`] | Czado, Gneiting & Held (2009) |
//! | ROC AUC of P(`ged_sb >= 25`) | [`roc_auc`] | `sklearn.metrics.roc_auc_score` |
//! | reliability table, expected calibration error | [`reliability_table`], [`expected_calibration_error`] | |
//!
//! The free functions take raw draws and sort or scan them on each call. To score one forecast
//! with several metrics, sort once with [`SortedDraws`] and call its methods, or feed whole
//! windows to a [`Scorecard`], which does exactly that.
//!
//! The free functions never panic on bad input: an empty draw set, a non-finite draw or
//! observation, or an out-of-range parameter gives `f64::NAN` (as numpy would). The checked
//! entry points ([`SortedDraws::new`], [`Scorecard::add`]) return a [`ScoreError`] instead.
//!
//! ```
//! use attache_scoring::{crps_ensemble, ignorance, interval_score, VIEWS_IGN_EDGES};
//!
//! let draws = [0.0, 0.0, 3.0, 8.0];
//! assert_eq!(crps_ensemble(&[0.0; 4], 7.0), 7.0); // all-zero forecast: CRPS = y
//! assert!(ignorance(&draws, 3.0, &VIEWS_IGN_EDGES) > 0.0);
//! assert!(interval_score(&draws, 3.0, 0.1) >= 0.0);
//! ```

pub mod benchmarks;
pub mod binary;
pub mod crps;
pub mod draws;
pub mod error;
pub mod ignorance;
pub mod interval;
pub mod pit;
pub mod reliability;
pub mod scorecard;

pub use binary::{average_precision, brier, prob_at_least, roc_auc};
pub use crps::crps_ensemble;
pub use draws::SortedDraws;
pub use error::ScoreError;
pub use ignorance::{VIEWS_IGN_BIN_LABELS, VIEWS_IGN_EDGES, ign_bin, ignorance};
pub use interval::{VIEWS_INTERVAL_LEVEL, interval_score, quantile};
pub use pit::{pit_histogram, pit_value};
pub use reliability::{ReliabilityBin, expected_calibration_error, reliability_table};
pub use scorecard::{ObservationScores, Scorecard, ScorecardConfig, Summary, Tag};

/// The ViEWS threshold event: a country-month with at least this many state-based fatalities.
pub const VIEWS_EVENT_THRESHOLD: f64 = 25.0;
