//! Summaries of draws for reports: quantiles and threshold probabilities.

use crate::{EVENT_THRESHOLD, ForecastRow};

/// Summary of one country-month's draws (quantiles as numpy's default `'linear'`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Median.
    pub median: f64,
    /// 5 % quantile.
    pub q05: f64,
    /// 25 % quantile.
    pub q25: f64,
    /// 75 % quantile.
    pub q75: f64,
    /// 95 % quantile.
    pub q95: f64,
    /// Share of draws `>= 25` (the ViEWS event threshold).
    pub p_ge_25: f64,
}

/// Summary of a row's draws (all NaN for no draws).
pub fn summary(row: &ForecastRow) -> Summary {
    let q = |p: f64| attache_scoring::quantile(&row.draws, p);
    let n = row.draws.len();
    let p_ge_25 = if n == 0 {
        f64::NAN
    } else {
        row.draws.iter().filter(|v| **v >= EVENT_THRESHOLD).count() as f64 / n as f64
    };
    Summary {
        median: q(0.5),
        q05: q(0.05),
        q25: q(0.25),
        q75: q(0.75),
        q95: q(0.95),
        p_ge_25,
    }
}

/// P(at least `threshold` fatalities in ANY of the given months) from joint draws: draw `i`
/// of every row is one trajectory. `rows` are one country's months (any order); draws beyond
/// the shortest row are ignored. NaN for no rows or no draws.
pub fn prob_any_month_at_least(rows: &[&ForecastRow], threshold: f64) -> f64 {
    let n = rows.iter().map(|r| r.draws.len()).min().unwrap_or(0);
    if n == 0 {
        return f64::NAN;
    }
    let hits = (0..n)
        .filter(|&i| rows.iter().any(|r| r.draws[i] >= threshold))
        .count();
    hits as f64 / n as f64
}

/// For each country in `rows` (ascending id): P(>= 25 fatalities in any month of `rows`).
pub fn prob_any_month_by_country(rows: &[ForecastRow]) -> Vec<(u16, f64)> {
    let mut by: std::collections::BTreeMap<u16, Vec<&ForecastRow>> = Default::default();
    for r in rows {
        by.entry(r.views_id).or_default().push(r);
    }
    by.into_iter()
        .map(|(id, rs)| (id, prob_any_month_at_least(&rs, EVENT_THRESHOLD)))
        .collect()
}
