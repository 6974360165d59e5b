//! An indicator projected to 2030 by its linear trend, with a prediction interval.
//!
//! The method, stated: an ordinary least-squares line `value = a + b * year` through the
//! observed (year, value) pairs, extended to the target year. The interval is the classical
//! prediction interval of a new observation under that line with independent normal errors,
//! `ŷ ± t(0.975, n - 2) * s * sqrt(1 + 1/n + (x - x̄)² / Σ(xᵢ - x̄)²)`, which widens the
//! further the year lies from the data. It assumes the past trend continues: it is not a
//! forecast of policy, shocks or saturation, and a page showing it should say so. Values can be
//! clipped to the indicator's range (0-100 for SDG scores) after projecting.

use crate::IndexError;

/// A fitted straight line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearTrend {
    /// Value at year 0 of the fit's centred years: `value = intercept + slope * (year - mean_year)`.
    pub intercept: f64,
    /// Change per year.
    pub slope: f64,
    pub mean_year: f64,
    /// Residual standard deviation (`n - 2` degrees of freedom); 0 for two points.
    pub sigma: f64,
    /// Σ (year - mean_year)².
    pub sxx: f64,
    pub n: usize,
}

/// A projection for one year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    pub year: i32,
    pub value: f64,
    /// The 95% prediction interval; `None` with fewer than three points (no error estimate).
    pub interval: Option<(f64, f64)>,
}

impl LinearTrend {
    /// Fits the line. Needs at least two distinct years and finite values.
    pub fn fit(points: &[(i32, f64)]) -> Result<Self, IndexError> {
        if let Some((y, v)) = points.iter().find(|(_, v)| !v.is_finite()) {
            return Err(IndexError::Invalid(format!(
                "value {v} in {y} is not finite"
            )));
        }
        let n = points.len();
        if n < 2 {
            return Err(IndexError::Invalid(format!(
                "a trend needs two points, got {n}"
            )));
        }
        let mean_year = points.iter().map(|p| f64::from(p.0)).sum::<f64>() / n as f64;
        let mean_v = points.iter().map(|p| p.1).sum::<f64>() / n as f64;
        let sxx: f64 = points
            .iter()
            .map(|p| (f64::from(p.0) - mean_year).powi(2))
            .sum();
        if sxx == 0.0 {
            return Err(IndexError::Invalid(
                "a trend needs two distinct years".into(),
            ));
        }
        let sxy: f64 = points
            .iter()
            .map(|p| (f64::from(p.0) - mean_year) * (p.1 - mean_v))
            .sum();
        let slope = sxy / sxx;
        let rss: f64 = points
            .iter()
            .map(|p| (p.1 - mean_v - slope * (f64::from(p.0) - mean_year)).powi(2))
            .sum();
        let sigma = if n > 2 {
            (rss / (n - 2) as f64).sqrt()
        } else {
            0.0
        };
        Ok(Self {
            intercept: mean_v,
            slope,
            mean_year,
            sigma,
            sxx,
            n,
        })
    }

    /// The line's value and 95% prediction interval in `year`, clipped to `range` if given.
    pub fn project(&self, year: i32, range: Option<(f64, f64)>) -> Projection {
        let dx = f64::from(year) - self.mean_year;
        let value = self.intercept + self.slope * dx;
        let interval = (self.n > 2).then(|| {
            let half = t975(self.n - 2)
                * self.sigma
                * (1.0 + 1.0 / self.n as f64 + dx * dx / self.sxx).sqrt();
            (value - half, value + half)
        });
        let clip = |x: f64| match range {
            Some((lo, hi)) => x.clamp(lo, hi),
            None => x,
        };
        Projection {
            year,
            value: clip(value),
            interval: interval.map(|(a, b)| (clip(a), clip(b))),
        }
    }
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom (table to 30, then the
/// Cornish-Fisher expansion, accurate to about 1e-4 there).
pub fn t975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => TABLE[df - 1],
        _ => {
            let z: f64 = 1.959_963_984_540_054;
            let v = df as f64;
            z + (z.powi(3) + z) / (4.0 * v)
                + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * v * v)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_line_has_no_width() {
        let pts: Vec<(i32, f64)> = (2015..=2022)
            .map(|y| (y, 50.0 + 2.0 * f64::from(y - 2015)))
            .collect();
        let t = LinearTrend::fit(&pts).unwrap();
        assert!((t.slope - 2.0).abs() < 1e-12);
        let p = t.project(2030, None);
        assert!((p.value - 80.0).abs() < 1e-9);
        let (lo, hi) = p.interval.unwrap();
        assert!((hi - lo).abs() < 1e-9);
        assert_eq!(t.project(2040, Some((0.0, 100.0))).value, 100.0);
    }

    #[test]
    fn hand_checked_interval() {
        // Years 1..=4 as 2001..2004, values 1, 3, 2, 4: slope 0.8, mean 2.5 at 2002.5,
        // residuals -0.3, 0.9, -0.9, 0.3, RSS 1.8, s = sqrt(0.9), sxx = 5.
        let t = LinearTrend::fit(&[(2001, 1.0), (2002, 3.0), (2003, 2.0), (2004, 4.0)]).unwrap();
        assert!((t.slope - 0.8).abs() < 1e-12);
        assert!((t.sigma - 0.9f64.sqrt()).abs() < 1e-12);
        let p = t.project(2005, None);
        assert!((p.value - 4.5).abs() < 1e-12);
        let half = 4.303 * 0.9f64.sqrt() * (1.0 + 0.25 + 6.25 / 5.0f64).sqrt();
        let (lo, hi) = p.interval.unwrap();
        assert!((hi - 4.5 - half).abs() < 1e-9 && (4.5 - lo - half).abs() < 1e-9);
        assert!(LinearTrend::fit(&[(2001, 1.0)]).is_err());
        assert!(LinearTrend::fit(&[(2001, 1.0), (2001, 2.0)]).is_err());
        assert!(
            LinearTrend::fit(&[(2001, 1.0), (2002, 2.0)])
                .unwrap()
                .project(2030, None)
                .interval
                .is_none()
        );
    }

    #[test]
    fn t_quantiles() {
        assert_eq!(t975(1), 12.706);
        assert!((t975(60) - 2.0003).abs() < 1e-3);
        assert!((t975(1000) - 1.9623).abs() < 1e-3);
    }
}
