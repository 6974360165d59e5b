//! Probabilistic country-month forecasts of state-based conflict fatalities (UCDP GED `ged_sb`),
//! in the format of the ViEWS Prediction Challenge 2023/24: for every country and month of a
//! window, a sample of draws (typically 1000) of the month's fatality count.
//!
//! Nothing in this crate does IO. The caller builds a [`Panel`] (the data as public at the
//! forecast origin, `as_of`), picks a [`Forecaster`] and gets [`ForecastRow`]s back.
//!
//! | forecaster | what it is |
//! | --- | --- |
//! | [`benchmarks::Zero`], [`benchmarks::LastHistoricalPoisson`], [`benchmarks::GlobalBootstrap`], [`benchmarks::Conflictology`] | the ViEWS benchmarks (wrapping `attache_scoring::benchmarks`) |
//! | [`gbt::GbtForecaster`] | THE model: a gradient-boosted hurdle model ([`gbt::GbtModel`] → [`gbt::FittedGbt`]) with an empirical distributional layer ([`dist`]) |
//!
//! Around the model: [`attribution`] (TreeSHAP-style drivers of each country's forecast, phrased
//! for a reader), [`novelty`] (how unlike the training data a country's present situation is),
//! [`summary`] (quantiles, P(≥25) per month, P(≥25 in any month) from joint draws).
//!
//! # Determinism
//! Same panel, same seed ⇒ byte-identical draws: the random streams are ChaCha8 keyed on the
//! seed and the country id, every map that is iterated is ordered (`BTreeMap`), the boosted
//! trees are fitted single-threaded, and all floating-point transcendental functions come from
//! `libm`.
//!
//! # Leakage
//! [`Panel::push`] refuses rows dated after `as_of`, so a forecast can only ever see data that
//! was public at its origin.

pub mod attribution;
pub mod benchmarks;
pub mod dist;
pub mod features;
pub mod gbt;
pub mod novelty;
pub mod onset;
pub mod panel;
pub mod predictor;
pub mod run;
pub mod summary;
pub mod tune;

use std::ops::RangeInclusive;

use attache_core::MonthId;

pub use attribution::{Driver, describe_drivers};
pub use gbt::{FittedGbt, GbtForecaster, GbtModel, GbtParams, Predict};
pub use novelty::{NOVELTY_LABEL, Novelty};
pub use panel::Panel;
pub use predictor::ConflictForecastPredictor;
pub use summary::{Summary, prob_any_month_at_least, summary};

/// Fatalities at or above which a country-month counts as "conflict" (the ViEWS threshold).
pub const EVENT_THRESHOLD: f64 = 25.0;

/// Why a forecast could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ForecastError {
    /// A row dated after the panel's `as_of` was pushed; it was not stored.
    #[error("row for country {views_id} at month {month_id} is after the panel's as_of ({as_of})")]
    AfterAsOf {
        /// Country of the row.
        views_id: u16,
        /// Month of the row.
        month_id: MonthId,
        /// The panel's `as_of`.
        as_of: MonthId,
    },
    /// A row's feature vector does not match the panel's feature names.
    #[error(
        "row for country {views_id} at month {month_id} has {got} features, expected {expected}"
    )]
    FeatureCount {
        /// Country of the row.
        views_id: u16,
        /// Month of the row.
        month_id: MonthId,
        /// Length given.
        got: usize,
        /// Length of `feature_names`.
        expected: usize,
    },
    /// The same (country, month) was pushed twice.
    #[error("duplicate row for country {views_id} at month {month_id}")]
    Duplicate {
        /// Country of the row.
        views_id: u16,
        /// Month of the row.
        month_id: MonthId,
    },
    /// The panel has no country with data.
    #[error("the panel is empty")]
    EmptyPanel,
    /// The requested months are not after `as_of`.
    #[error("forecast months {start}..={end} must lie after as_of ({as_of})")]
    BadMonths {
        /// First month requested.
        start: MonthId,
        /// Last month requested.
        end: MonthId,
        /// The panel's `as_of`.
        as_of: MonthId,
    },
    /// `n_draws` was zero.
    #[error("n_draws must be positive")]
    NoDraws,
    /// Too little history to fit the model.
    #[error("not enough training pairs to fit the model ({0})")]
    TooLittleData(usize),
    /// The panel lacks columns the model reads (see [`features::expected_columns`]).
    #[error("the panel lacks the feature column(s) {}: the model reads them by name", .0.join(", "))]
    MissingColumns(Vec<String>),
    /// The gradient-boosting library failed.
    #[error("gradient boosting failed: {0}")]
    Gbt(String),
}

/// The forecast of one country-month: `draws` are non-negative fatality counts.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastRow {
    /// ViEWS country id.
    pub views_id: u16,
    /// ISO 3166-1 alpha-3 code as pushed into the panel.
    pub iso3: String,
    /// The month forecast (ViEWS numbering: 1 = January 1980).
    pub month_id: MonthId,
    /// Sample of the month's fatalities (non-negative).
    pub draws: Vec<f64>,
}

/// Something that turns a [`Panel`] into draws for the months after its `as_of`. Shareable
/// across threads: a backtest runs the benchmarks beside the model.
pub trait Forecaster: Send + Sync {
    /// Short stable name (used in file names and score tables).
    fn name(&self) -> &str;
    /// Forecast every country of the panel for every month in `months` (all `> panel.as_of()`),
    /// `n_draws` draws each, reproducibly for a given `seed`. Rows are ordered by country id,
    /// then month.
    fn forecast(
        &self,
        panel: &Panel,
        months: RangeInclusive<MonthId>,
        n_draws: usize,
        seed: u64,
    ) -> Result<Vec<ForecastRow>, ForecastError>;
}

/// Checks shared by every forecaster's entry point.
pub(crate) fn check_request(
    panel: &Panel,
    months: &RangeInclusive<MonthId>,
    n_draws: usize,
) -> Result<(), ForecastError> {
    if n_draws == 0 {
        return Err(ForecastError::NoDraws);
    }
    if *months.start() <= panel.as_of() || months.start() > months.end() {
        return Err(ForecastError::BadMonths {
            start: *months.start(),
            end: *months.end(),
            as_of: panel.as_of(),
        });
    }
    if panel.countries().is_empty() {
        return Err(ForecastError::EmptyPanel);
    }
    Ok(())
}
