//! Annual series keyed by calendar year, and the trend arithmetic the pathways share.

use std::collections::BTreeMap;

/// Values by calendar year (missing years are absent, never zero).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series(pub BTreeMap<i32, f64>);

impl Series {
    /// From `(year, value)` pairs; later pairs for the same year win.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (i32, f64)>) -> Self {
        Series(pairs.into_iter().collect())
    }

    /// The value in `year`, if present.
    pub fn get(&self, year: i32) -> Option<f64> {
        self.0.get(&year).copied()
    }

    /// First and last year.
    pub fn span(&self) -> Option<(i32, i32)> {
        Some((*self.0.keys().next()?, *self.0.keys().next_back()?))
    }

    /// The last year with a value and that value.
    pub fn last(&self) -> Option<(i32, f64)> {
        self.0.iter().next_back().map(|(y, v)| (*y, *v))
    }

    /// Sum of the values over the inclusive years present.
    pub fn sum(&self, first: i32, last: i32) -> f64 {
        self.0.range(first..=last).map(|(_, v)| v).sum()
    }

    /// Element-wise sum over the years present in either.
    pub fn add(&mut self, other: &Series) {
        for (y, v) in &other.0 {
            *self.0.entry(*y).or_default() += v;
        }
    }

    /// Value in `year` by linear interpolation between the nearest years present (no
    /// extrapolation).
    pub fn interpolate(&self, year: i32) -> Option<f64> {
        if let Some(v) = self.get(year) {
            return Some(v);
        }
        let (y0, v0) = self.0.range(..year).next_back()?;
        let (y1, v1) = self.0.range(year..).next()?;
        let w = f64::from(year - y0) / f64::from(y1 - y0);
        Some(v0 + (v1 - v0) * w)
    }

    /// Log-linear least-squares growth rate (per year, e.g. -0.012) over the inclusive years,
    /// skipping `excluded` years and non-positive values; `None` with fewer than 3 points.
    pub fn trend(&self, first: i32, last: i32, excluded: &[i32]) -> Option<f64> {
        let pts: Vec<(f64, f64)> = self
            .0
            .range(first..=last)
            .filter(|(y, v)| !excluded.contains(y) && **v > 0.0)
            .map(|(y, v)| (f64::from(*y), v.ln()))
            .collect();
        if pts.len() < 3 {
            return None;
        }
        let n = pts.len() as f64;
        let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
        let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
        let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
        let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
        Some((sxy / sxx).exp() - 1.0)
    }
}
