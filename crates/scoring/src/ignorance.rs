//! Binned ignorance score (IGN), the challenge's log score.
//!
//! # Bins
//! The challenge's evaluation (`evaluate_submissions.py`, `IgnoranceScore.py`) bins fatalities
//! with the *lower* edges [`VIEWS_IGN_EDGES`] = `[0, 0.5, 2.5, 5.5, 10.5, 25.5, 50.5, 100.5,
//! 250.5, 500.5, 1000.5]` and `np.digitize(x, edges) - 1`, so bin `k` is the half-open interval
//! `[edges[k], edges[k+1])` and the last bin is `[1000.5, inf)`. For the integer counts that
//! observations are, that is the eleven classes
//! `0, 1-2, 3-5, 6-10, 11-25, 26-50, 51-100, 101-250, 251-500, 501-1000, >1000`
//! ([`VIEWS_IGN_BIN_LABELS`]). This crate uses the same half-integer edges, so non-integer draws
//! fall where the challenge put them: a draw of 0.3 counts as "0", 2.4 as "1-2", 2.5 as "3-5",
//! 1000.5 as ">1000". Values below the first edge (negative draws, which the challenge rejected
//! outright) are counted in the first bin instead of being dropped.
//!
//! # Probability and score
//! The challenge appends one pseudo-draw to every bin before counting ("+1 smoothing"), so with
//! `n` draws and `B` bins the probability of bin `k` is `(count_k + 1) / (n + B)` and
//! `IGN = -log2(p(bin of y))`. Hence `0 < IGN <= log2(n + B)`.

use crate::SortedDraws;

/// Lower bin edges of the challenge's ignorance score (`np.digitize` convention, see the
/// module documentation): bin `k` is `[VIEWS_IGN_EDGES[k], VIEWS_IGN_EDGES[k + 1])`.
pub const VIEWS_IGN_EDGES: [f64; 11] = [
    0.0, 0.5, 2.5, 5.5, 10.5, 25.5, 50.5, 100.5, 250.5, 500.5, 1000.5,
];

/// Fatality classes of the bins of [`VIEWS_IGN_EDGES`], for integer counts.
pub const VIEWS_IGN_BIN_LABELS: [&str; 11] = [
    "0", "1-2", "3-5", "6-10", "11-25", "26-50", "51-100", "101-250", "251-500", "501-1000",
    ">1000",
];

/// Index of the bin of `v` under lower `edges`: the number of edges `<= v`, minus one, with
/// values below the first edge put in bin 0. `None` for NaN `v` or invalid edges.
///
/// ```
/// use attache_scoring::{ign_bin, VIEWS_IGN_EDGES};
/// assert_eq!(ign_bin(2.0, &VIEWS_IGN_EDGES), Some(1)); // "1-2"
/// assert_eq!(ign_bin(3.0, &VIEWS_IGN_EDGES), Some(2)); // "3-5"
/// assert_eq!(ign_bin(1001.0, &VIEWS_IGN_EDGES), Some(10)); // ">1000"
/// ```
pub fn ign_bin(v: f64, edges: &[f64]) -> Option<usize> {
    if v.is_nan() || !valid_edges(edges) {
        return None;
    }
    Some(bin_of(v, edges))
}

/// Binned ignorance score of `draws` against the observed value, with the challenge's +1
/// smoothing per bin; pass [`VIEWS_IGN_EDGES`] for the challenge's bins.
///
/// One linear pass over the draws, no sorting. Returns NaN if `draws` is empty, any input is not
/// finite, or `edges` is empty, non-finite or not strictly increasing.
///
/// ```
/// use attache_scoring::{ignorance, VIEWS_IGN_EDGES};
/// // 10 zero draws, y = 0: p = (10 + 1) / (10 + 11).
/// let ign = ignorance(&[0.0; 10], 0.0, &VIEWS_IGN_EDGES);
/// assert!((ign - -(11.0f64 / 21.0).log2()).abs() < 1e-15);
/// ```
pub fn ignorance(draws: &[f64], observed: f64, edges: &[f64]) -> f64 {
    if draws.is_empty() || !observed.is_finite() || !valid_edges(edges) {
        return f64::NAN;
    }
    if draws.iter().any(|d| !d.is_finite()) {
        return f64::NAN;
    }
    let bin = bin_of(observed, edges);
    let count = draws.iter().filter(|&&d| bin_of(d, edges) == bin).count();
    score(count, draws.len(), edges.len())
}

/// IGN on sorted draws: the bin's count is the difference of two binary searches.
pub(crate) fn ignorance_sorted(sorted: &SortedDraws, observed: f64, edges: &[f64]) -> f64 {
    if !observed.is_finite() || !valid_edges(edges) {
        return f64::NAN;
    }
    let bin = bin_of(observed, edges);
    // Bin 0 also holds everything below edges[0]; the last bin is unbounded above.
    let lower = match bin {
        0 => 0,
        k => sorted.count_below(edges[k]),
    };
    let upper = match edges.get(bin + 1) {
        Some(&next) => sorted.count_below(next),
        None => sorted.n_draws(),
    };
    score(upper - lower, sorted.n_draws(), edges.len())
}

fn score(count: usize, n_draws: usize, n_bins: usize) -> f64 {
    let p = (count + 1) as f64 / (n_draws + n_bins) as f64;
    -p.log2()
}

/// Bin index for a non-NaN value under valid edges.
fn bin_of(v: f64, edges: &[f64]) -> usize {
    edges.partition_point(|&e| e <= v).saturating_sub(1)
}

fn valid_edges(edges: &[f64]) -> bool {
    !edges.is_empty()
        && edges.iter().all(|e| e.is_finite())
        && edges.windows(2).all(|w| w[0] < w[1])
}
