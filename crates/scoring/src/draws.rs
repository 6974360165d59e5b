//! [`SortedDraws`]: one forecast's draws, validated and sorted once, scored many times.
//!
//! Every metric of the challenge is a function of the empirical distribution of the draws, so
//! sorting once makes all of them cheap: CRPS is one linear pass, quantiles are index lookups,
//! and bin counts, exceedance probabilities and CDF values are binary searches.

use crate::ScoreError;

/// The draws of one forecast in ascending order. Never empty; every value is finite.
#[derive(Debug, Clone, PartialEq)]
pub struct SortedDraws {
    values: Vec<f64>,
}

impl SortedDraws {
    /// Validates and sorts a copy of `draws`.
    ///
    /// # Errors
    /// [`ScoreError::EmptyDraws`] for no draws, [`ScoreError::NonFiniteDraw`] for a NaN or
    /// infinite draw.
    pub fn new(draws: &[f64]) -> Result<Self, ScoreError> {
        Self::from_vec(draws.to_vec())
    }

    /// Like [`SortedDraws::new`], reusing the caller's buffer (sorted in place).
    ///
    /// # Errors
    /// As [`SortedDraws::new`].
    pub fn from_vec(mut values: Vec<f64>) -> Result<Self, ScoreError> {
        if values.is_empty() {
            return Err(ScoreError::EmptyDraws);
        }
        if let Some((index, &value)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(ScoreError::NonFiniteDraw { index, value });
        }
        // All values are finite, so `total_cmp` is the numeric order (with -0.0 before 0.0,
        // which no metric can tell apart).
        values.sort_unstable_by(f64::total_cmp);
        Ok(Self { values })
    }

    /// The sorted draws.
    pub fn as_slice(&self) -> &[f64] {
        &self.values
    }

    /// Hands the buffer back (still sorted), e.g. to reuse its allocation.
    pub fn into_vec(self) -> Vec<f64> {
        self.values
    }

    /// Number of draws (at least 1).
    pub fn n_draws(&self) -> usize {
        self.values.len()
    }

    /// Number of draws strictly below `v`.
    pub fn count_below(&self, v: f64) -> usize {
        self.values.partition_point(|&x| x < v)
    }

    /// Number of draws less than or equal to `v`.
    pub fn count_at_most(&self, v: f64) -> usize {
        self.values.partition_point(|&x| x <= v)
    }

    /// Empirical CDF `F(v)`: the share of draws `<= v`.
    pub fn cdf(&self, v: f64) -> f64 {
        self.count_at_most(v) as f64 / self.n_draws() as f64
    }

    /// Sample CRPS against `observed`; see [`crate::crps_ensemble`].
    pub fn crps(&self, observed: f64) -> f64 {
        crate::crps::crps_sorted(&self.values, observed)
    }

    /// Binned ignorance score against `observed`; see [`crate::ignorance()`].
    pub fn ignorance(&self, observed: f64, edges: &[f64]) -> f64 {
        crate::ignorance::ignorance_sorted(self, observed, edges)
    }

    /// Empirical quantile with numpy's default (`'linear'`) interpolation; see
    /// [`crate::quantile`].
    pub fn quantile(&self, q: f64) -> f64 {
        crate::interval::quantile_sorted(&self.values, q)
    }

    /// Interval score of the central `1 - alpha` interval; see [`crate::interval_score`].
    pub fn interval_score(&self, observed: f64, alpha: f64) -> f64 {
        crate::interval::interval_score_sorted(&self.values, observed, alpha)
    }

    /// Share of draws `>= threshold`; see [`crate::prob_at_least`].
    pub fn prob_at_least(&self, threshold: f64) -> f64 {
        if threshold.is_nan() {
            return f64::NAN;
        }
        (self.n_draws() - self.count_below(threshold)) as f64 / self.n_draws() as f64
    }

    /// Randomised PIT value; see [`crate::pit_value`].
    pub fn pit(&self, observed: f64, u: f64) -> f64 {
        crate::pit::pit_sorted(self, observed, u)
    }
}
