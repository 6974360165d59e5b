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
