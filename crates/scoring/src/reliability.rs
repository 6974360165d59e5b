//! Reliability (calibration) table of probability forecasts of a binary event.
//!
//! Forecasts are grouped into equal-width probability bins; for each bin the table gives how
//! many forecasts fell in it, their mean forecast probability, and the observed event
//! frequency. A calibrated forecaster has `observed_frequency ≈ mean_predicted` in every bin.

use crate::pit::unit_bin;

/// One row of a reliability table.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ReliabilityBin {
    /// Lower bound of the bin's probability range (inclusive).
    pub lower: f64,
    /// Upper bound of the bin's probability range (exclusive, except 1.0 for the last bin).
    pub upper: f64,
    /// Number of forecasts in the bin.
    pub count: u64,
    /// Mean forecast probability in the bin; `None` for an empty bin.
    pub mean_predicted: Option<f64>,
    /// Share of the bin's forecasts whose event happened; `None` for an empty bin.
    pub observed_frequency: Option<f64>,
}

/// Reliability table of `(probability, event happened)` pairs over `bins` equal-width bins of
/// `[0, 1]` (the challenge reports 10). Bin `k` holds `p` with `floor(p * bins) == k`, 1.0 goes
/// to the last bin, probabilities outside `[0, 1]` are clamped to the end bins, NaN
/// probabilities are skipped. `bins = 0` gives an empty table.
///
/// ```
/// use attache_scoring::reliability_table;
/// let table = reliability_table(&[(0.05, false), (0.05, true), (0.95, true)], 10);
/// assert_eq!(table[0].count, 2);
/// assert_eq!(table[0].observed_frequency, Some(0.5));
/// assert_eq!(table[9].mean_predicted, Some(0.95));
/// ```
pub fn reliability_table(pairs: &[(f64, bool)], bins: usize) -> Vec<ReliabilityBin> {
    let mut count = vec![0u64; bins];
    let mut sum_p = vec![0.0f64; bins];
    let mut events = vec![0u64; bins];
    for &(p, event) in pairs {
        if let Some(k) = unit_bin(p, bins) {
            count[k] += 1;
            sum_p[k] += p.clamp(0.0, 1.0);
            events[k] += u64::from(event);
        }
    }
    (0..bins)
        .map(|k| {
            let n = count[k];
            let mean = |total: f64| (n > 0).then(|| total / n as f64);
            ReliabilityBin {
                lower: k as f64 / bins as f64,
                upper: (k + 1) as f64 / bins as f64,
                count: n,
                mean_predicted: mean(sum_p[k]),
                observed_frequency: mean(events[k] as f64),
            }
        })
        .collect()
}

/// Expected calibration error of a reliability table: `sum_k (n_k / N) |mean_predicted_k -
/// observed_frequency_k|` over the non-empty bins (Naeini, Cooper & Hauskrecht 2015, with the
/// equal-width bins of [`reliability_table`]). NaN for a table with no forecast.
///
/// ```
/// use attache_scoring::{expected_calibration_error, reliability_table};
/// let table = reliability_table(&[(0.05, false), (0.05, true), (0.95, true)], 10);
/// // bin 0: 2/3 * |0.05 - 0.5|; bin 9: 1/3 * |0.95 - 1|.
/// let ece = expected_calibration_error(&table);
/// assert!((ece - (2.0 / 3.0 * 0.45 + 1.0 / 3.0 * 0.05)).abs() < 1e-12);
/// ```
pub fn expected_calibration_error(table: &[ReliabilityBin]) -> f64 {
    let total: u64 = table.iter().map(|b| b.count).sum();
    if total == 0 {
        return f64::NAN;
    }
    table
        .iter()
        .filter_map(|b| match (b.mean_predicted, b.observed_frequency) {
            (Some(p), Some(o)) => Some(b.count as f64 / total as f64 * (p - o).abs()),
            _ => None,
        })
        .sum()
}
