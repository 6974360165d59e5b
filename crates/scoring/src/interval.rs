//! Interval score (Gneiting & Raftery 2007, eq. 43) of a central prediction interval, and the
//! empirical quantiles it is built from.
//!
//! For level `1 - alpha` with lower and upper limits `l` and `u`:
//!
//! ```text
//! IS = (u - l) + (2/alpha) (l - y) 1{y < l} + (2/alpha) (y - u) 1{y > u}
//! ```
//!
//! The challenge reported its mean over observations (MIS) at the 90 % level (`alpha = 0.1`,
//! [`VIEWS_INTERVAL_LEVEL`]). Its `IntervalScore.py` takes `l` and `u` as
//! `np.quantile(draws, alpha/2)` and `np.quantile(draws, 1 - alpha/2)`, i.e. numpy's default
//! `method='linear'` (type 7 of Hyndman & Fan): with `h = (n - 1) q`, the result interpolates
//! between the sorted draws `x[floor(h)]` and `x[floor(h) + 1]`. [`quantile`] reproduces that,
//! including numpy's two-sided lerp (`b - (b - a)(1 - t)` when `t >= 0.5`), so results match
//! numpy to the last bit on the same inputs.
//!
//! Note that the challenge computed `alpha = 1 - 0.9 = 0.09999999999999998`, not `0.1`; the
//! [`crate::Scorecard`] does the same so that its MIS agrees with the challenge's to the bit.

use crate::SortedDraws;

/// Interval level the challenge used for its MIS (a central 90 % interval).
pub const VIEWS_INTERVAL_LEVEL: f64 = 0.9;

/// Empirical `q`-quantile of `draws` with numpy's default `'linear'` interpolation
/// (`np.quantile(draws, q)`). Returns NaN for empty draws, a non-finite draw, or `q` outside
/// `[0, 1]`.
///
/// ```
/// use attache_scoring::quantile;
/// assert_eq!(quantile(&[0.0, 10.0], 0.25), 2.5);
/// ```
pub fn quantile(draws: &[f64], q: f64) -> f64 {
    match SortedDraws::new(draws) {
        Ok(sorted) => sorted.quantile(q),
        Err(_) => f64::NAN,
    }
}

/// Interval score of the central `1 - alpha` interval of `draws` (limits: the `alpha/2` and
/// `1 - alpha/2` quantiles as [`quantile`]) against the observed value. `alpha = 0.1` gives the
/// challenge's 90 % MIS term. Returns NaN for empty or non-finite input or `alpha` outside
/// `(0, 1)`.
///
/// ```
/// use attache_scoring::interval_score;
/// let draws: Vec<f64> = (0..=100).map(f64::from).collect(); // 90 % interval [5, 95]
/// assert!((interval_score(&draws, 50.0, 0.1) - 90.0).abs() < 1e-9); // inside: the width
/// assert!((interval_score(&draws, 0.0, 0.1) - 190.0).abs() < 1e-9); // width + 20 * 5
/// ```
pub fn interval_score(draws: &[f64], observed: f64, alpha: f64) -> f64 {
    match SortedDraws::new(draws) {
        Ok(sorted) => sorted.interval_score(observed, alpha),
        Err(_) => f64::NAN,
    }
}

/// numpy `'linear'` quantile on ascending, finite, non-empty draws.
pub(crate) fn quantile_sorted(x: &[f64], q: f64) -> f64 {
    if x.is_empty() || !(0.0..=1.0).contains(&q) {
        return f64::NAN;
    }
    let last = x.len() - 1;
    let h = last as f64 * q;
    if h >= last as f64 {
        return x[last];
    }
    let below = h.floor();
    let t = h - below;
    // `below` lies in [0, last) here, so the cast is exact and both indices are in range.
    let i = below as usize;
    let (a, b) = (x[i], x[i + 1]);
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

pub(crate) fn interval_score_sorted(x: &[f64], y: f64, alpha: f64) -> f64 {
    if !(y.is_finite() && alpha > 0.0 && alpha < 1.0) {
        return f64::NAN;
    }
    let lower = quantile_sorted(x, alpha / 2.0);
    let upper = quantile_sorted(x, 1.0 - alpha / 2.0);
    let mut score = upper - lower;
    if y < lower {
        score += (2.0 / alpha) * (lower - y);
    }
    if y > upper {
        score += (2.0 / alpha) * (y - upper);
    }
    score
}
