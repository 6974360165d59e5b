//! Randomised probability integral transform (PIT) for count outcomes, and its histogram.
//!
//! For a discrete outcome the plain PIT `F(y)` is not uniform even for a perfect forecast.
//! Czado, Gneiting & Held (2009) randomise it within the jump of the CDF at `y`:
//!
//! ```text
//! PIT = F(y - 1) + u * (F(y) - F(y - 1)),   u ~ Uniform(0, 1)
//! ```
//!
//! with `F` the empirical CDF of the draws (`F(v)` = share of draws `<= v`). A calibrated
//! forecast gives a flat PIT histogram; a U shape means under-dispersion, a hump
//! over-dispersion. For integer-valued draws this is exactly the Czado et al. PIT. For
//! non-integer draws it treats a draw in `(y - 1, y]` as part of the mass at `y`, i.e. it is the
//! PIT of the draws rounded *up* to integers.

use crate::SortedDraws;

/// Randomised PIT of the observed count under the empirical distribution of `draws`, with the
/// caller's uniform variate `u` in `[0, 1]` (pass a seeded stream for reproducibility). Linear
/// pass, no sorting. NaN for empty draws, non-finite input or `u` outside `[0, 1]`.
///
/// ```
/// use attache_scoring::pit_value;
/// // F(0) = 2/5, F(1) = 4/5: the PIT of y = 1 spreads over [0.4, 0.8].
/// assert!((pit_value(&[0.0, 0.0, 1.0, 1.0, 2.0], 1.0, 0.5) - 0.6).abs() < 1e-15);
/// ```
pub fn pit_value(draws: &[f64], observed: f64, u: f64) -> f64 {
    if draws.is_empty() || draws.iter().any(|d| !d.is_finite()) {
        return f64::NAN;
    }
    let below = draws.iter().filter(|&&d| d <= observed - 1.0).count();
    let at_most = draws.iter().filter(|&&d| d <= observed).count();
    combine(below, at_most, draws.len(), observed, u)
}

pub(crate) fn pit_sorted(sorted: &SortedDraws, observed: f64, u: f64) -> f64 {
    let below = sorted.count_at_most(observed - 1.0);
    let at_most = sorted.count_at_most(observed);
    combine(below, at_most, sorted.n_draws(), observed, u)
}

fn combine(below: usize, at_most: usize, n: usize, observed: f64, u: f64) -> f64 {
    if !observed.is_finite() || !(0.0..=1.0).contains(&u) {
        return f64::NAN;
    }
    let n = n as f64;
    let f_below = below as f64 / n;
    let f_at = at_most as f64 / n;
    // `min` keeps rounding of `f_below + 1 * (f_at - f_below)` from overshooting `f_at`.
    (f_below + u * (f_at - f_below)).min(f_at)
}

/// Histogram of PIT values over `bins` equal-width bins of `[0, 1]`: bin `k` counts values in
/// `[k/bins, (k+1)/bins)`, and 1.0 counts in the last bin. NaN values are skipped; values
/// outside `[0, 1]` are clamped to the end bins. `bins = 0` gives an empty vector.
///
/// ```
/// use attache_scoring::pit_histogram;
/// assert_eq!(pit_histogram(&[0.0, 0.05, 0.5, 1.0], 2), vec![2, 2]);
/// ```
pub fn pit_histogram(values: &[f64], bins: usize) -> Vec<u64> {
    let mut counts = vec![0u64; bins];
    for &v in values {
        if let Some(k) = unit_bin(v, bins) {
            counts[k] += 1;
        }
    }
    counts
}

/// Bin of `v` among `bins` equal-width bins of `[0, 1]` (see [`pit_histogram`]); `None` for
/// NaN or `bins == 0`.
pub(crate) fn unit_bin(v: f64, bins: usize) -> Option<usize> {
    if v.is_nan() || bins == 0 {
        return None;
    }
    let scaled = (v.clamp(0.0, 1.0) * bins as f64).floor();
    // `scaled` is in [0, bins]; the float-to-int cast saturates and `min` folds 1.0 into the
    // last bin.
    Some((scaled as usize).min(bins - 1))
}
