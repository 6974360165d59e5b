//! Continuous ranked probability score of a sample forecast.
//!
//! The challenge scored CRPS with `xskillscore.crps_ensemble`, a wrapper of
//! `properscoring.crps_ensemble`. That estimator is the CRPS of the *empirical* distribution of
//! the draws (the "NRG" form, not the "fair" one):
//!
//! ```text
//! CRPS = mean_i |x_i - y| - 1/(2 n^2) * sum_{i,j} |x_i - x_j|
//! ```
//!
//! with the double sum over all ordered pairs including `i == j` (so it is divided by `n^2`,
//! not `n (n - 1)`). Equivalently it is the integral of `(F(t) - 1{t >= y})^2` over the real
//! line, where `F` is the empirical CDF of the draws. This module evaluates the integral on the
//! sorted draws, as properscoring's compiled kernel does: one O(n) pass over the segments
//! between consecutive draws, every term non-negative, so the result is never negative and
//! suffers no cancellation between the two means.

use crate::SortedDraws;

/// Sample CRPS of `draws` against the observed value, as `properscoring.crps_ensemble`.
///
/// Sorts a copy of the draws (O(n log n)); to score one forecast several times use
/// [`SortedDraws::crps`]. Returns NaN if `draws` is empty or any input is not finite.
///
/// ```
/// use attache_scoring::crps_ensemble;
/// assert_eq!(crps_ensemble(&[0.0; 1000], 12.0), 12.0); // all-zero forecast: CRPS = y
/// assert_eq!(crps_ensemble(&[3.0], 10.0), 7.0); // one draw: |x - y|
/// ```
pub fn crps_ensemble(draws: &[f64], observed: f64) -> f64 {
    match SortedDraws::new(draws) {
        Ok(sorted) => sorted.crps(observed),
        Err(_) => f64::NAN,
    }
}

/// CRPS on ascending, finite, non-empty draws.
pub(crate) fn crps_sorted(x: &[f64], y: f64) -> f64 {
    let (Some(&first), Some(&last)) = (x.first(), x.last()) else {
        return f64::NAN;
    };
    if !y.is_finite() {
        return f64::NAN;
    }
    let n = x.len() as f64;
    // m = number of draws <= y. On the segment [x[k-1], x[k]) the empirical CDF is k/n; the
    // segments with k < m lie left of y (integrand F^2), segment k == m contains y, and the
    // segments with k > m lie right of y (integrand (1 - F)^2).
    let m = x.partition_point(|&v| v <= y);
    let mut integral = 0.0;
    if m == 0 {
        // y below every draw: F = 0 and H = 1 on [y, first).
        integral += first - y;
    }
    for k in 1..m {
        let f = k as f64 / n;
        integral += (x[k] - x[k - 1]) * f * f;
    }
    if m > 0 && m < x.len() {
        let f = m as f64 / n;
        let g = 1.0 - f;
        integral += (y - x[m - 1]) * f * f + (x[m] - y) * g * g;
    }
    for k in (m + 1)..x.len() {
        let g = 1.0 - k as f64 / n;
        integral += (x[k] - x[k - 1]) * g * g;
    }
    if m == x.len() {
        // y at or above every draw: F = 1 and H = 0 on [last, y).
        integral += y - last;
    }
    integral
}
