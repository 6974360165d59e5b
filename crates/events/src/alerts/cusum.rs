//! A negative-binomial CUSUM on counts (events a day, fatalities a month).
//!
//! Conflict counts are over-dispersed (variance far above the mean), so a Poisson CUSUM would
//! fire on ordinary noise. This is the CUSUM for a negative-binomial count whose mean shifts
//! from `μ0` to `μ1 = ratio · μ0` at a fixed dispersion `r` (Hawkins, D. M. & Olwell, D. H.
//! (1998), *Cumulative Sum Charts and Charting for Quality Improvement*, Springer, §5 on count
//! data; Page (1954) for the scheme). Each count `x` adds its log-likelihood ratio
//!
//! ```text
//! llr(x) = x · ln[ μ1 (r + μ0) / (μ0 (r + μ1)) ] + r · ln[ (r + μ0) / (r + μ1) ]
//! ```
//!
//! (Poisson when the baseline shows no over-dispersion: `x · ln(μ1/μ0) − (μ1 − μ0)`), and the
//! chart `S_t = max(0, S_{t-1} + llr(x_t))` alarms when `S_t >= h` and the count itself is at
//! least `min_count` (a floor, as HDX Signals has one). `μ0` and `r` are estimated by moments
//! from the `baseline` counts before `t` (so the chart adapts to a country's level); `μ0` has a
//! floor of `min_mean` so a silent baseline does not make any event an alarm. After an alarm
//! the statistic restarts at zero (the usual reset), so a sustained rise alarms again.

/// The chart's parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NbCusumParams {
    /// Counts before `t` that estimate `μ0` and `r`.
    pub baseline: usize,
    /// The shift to detect, `μ1 / μ0`.
    pub ratio: f64,
    /// The decision interval.
    pub h: f64,
    /// Floor of `μ0`.
    pub min_mean: f64,
    /// No alarm on a count below this.
    pub min_count: f64,
}

impl Default for NbCusumParams {
    /// Monthly fatalities: a year of baseline, a doubling, `h = 2.5`, `μ0 >= 1`, and no alarm
    /// on a month under 10 deaths.
    fn default() -> NbCusumParams {
        NbCusumParams {
            baseline: 12,
            ratio: 2.0,
            h: 2.5,
            min_mean: 1.0,
            min_count: 10.0,
        }
    }
}

/// One step of the chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CusumStep {
    /// In-control mean.
    pub mean0: f64,
    /// Negative-binomial size; `None` = Poisson (no over-dispersion in the baseline).
    pub size: Option<f64>,
    pub llr: f64,
    /// The statistic after this count (before any reset).
    pub s: f64,
    pub alarm: bool,
}

/// Moment estimates of the mean and negative-binomial size of `xs`.
pub fn moments(xs: &[f64]) -> (f64, Option<f64>) {
    let n = xs.len() as f64;
    if xs.is_empty() {
        return (0.0, None);
    }
    let mean = xs.iter().sum::<f64>() / n;
    if xs.len() < 2 {
        return (mean, None);
    }
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let size =
        (var > mean * 1.000_001 && mean > 0.0).then(|| (mean * mean / (var - mean)).max(0.05));
    (mean, size)
}

/// The log-likelihood ratio of `x` for a mean of `m1` against `m0` at size `r` (Poisson if `None`).
pub fn llr(x: f64, m0: f64, m1: f64, r: Option<f64>) -> f64 {
    match r {
        None => x * (m1 / m0).ln() - (m1 - m0),
        Some(r) => x * ((m1 * (r + m0)) / (m0 * (r + m1))).ln() + r * ((r + m0) / (r + m1)).ln(),
    }
}

/// Runs the chart over `counts`; `None` for the first `baseline` steps.
pub fn run(counts: &[f64], p: &NbCusumParams) -> Vec<Option<CusumStep>> {
    let mut s = 0.0;
    let mut out = Vec::with_capacity(counts.len());
    for (t, &x) in counts.iter().enumerate() {
        if t < p.baseline || p.baseline == 0 {
            out.push(None);
            continue;
        }
        let (m, size) = moments(&counts[t - p.baseline..t]);
        let m0 = m.max(p.min_mean);
        let l = llr(x, m0, p.ratio * m0, size);
        s = (s + l).max(0.0);
        let alarm = s >= p.h && x >= p.min_count;
        out.push(Some(CusumStep {
            mean0: m0,
            size,
            llr: l,
            s,
            alarm,
        }));
        if alarm {
            s = 0.0;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn llr_is_zero_at_the_crossing_point() {
        // The count at which NB evidence is neutral lies between m0 and m1.
        let (m0, m1, r) = (5.0, 10.0, Some(2.0));
        assert!(llr(0.0, m0, m1, r) < 0.0);
        assert!(llr(30.0, m0, m1, r) > 0.0);
        // Over-dispersion weakens the evidence of one large count.
        assert!(llr(30.0, m0, m1, Some(0.5)) < llr(30.0, m0, m1, None));
        // Poisson: x ln 2 - 5.
        assert!((llr(10.0, 5.0, 10.0, None) - (10.0 * 2f64.ln() - 5.0)).abs() < 1e-12);
    }

    #[test]
    fn moments_estimate() {
        let (m, r) = moments(&[0.0, 10.0, 0.0, 10.0]);
        assert_eq!(m, 5.0);
        // var = 100/3; r = 25 / (100/3 - 5)
        assert!((r.unwrap() - 25.0 / (100.0 / 3.0 - 5.0)).abs() < 1e-9);
        assert_eq!(moments(&[3.0, 3.0, 3.0]).1, None);
    }

    #[test]
    fn a_level_shift_alarms_and_noise_does_not() {
        let p = NbCusumParams::default();
        let mut c: Vec<f64> = [2.0, 9.0, 0.0, 4.0, 1.0, 12.0, 3.0, 0.0, 6.0, 2.0, 5.0, 1.0]
            .repeat(3)
            .to_vec();
        let quiet = run(&c, &p);
        assert!(quiet.iter().flatten().all(|s| !s.alarm));
        c.extend([30.0, 45.0, 60.0]);
        let r = run(&c, &p);
        let first = r.iter().position(|s| s.is_some_and(|s| s.alarm)).unwrap();
        assert_eq!(first, 36);
    }
}
