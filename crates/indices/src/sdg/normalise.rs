//! An indicator to a 0-100 score between the SDR's bounds.
//!
//! `score = (x - lower) / (upper - lower) * 100`, clipped to 0-100, where *upper* is the
//! SDR's optimum (the target, or the average of the five best performers where no target
//! exists) and *lower* the 2.5th percentile of the countries' values, which keeps a few
//! outliers from compressing everyone else. For indicators where less is better (e.g. a
//! poverty rate) the scale runs the other way. A score of 100 means the optimum is reached;
//! 50 means half-way from the bottom of the distribution.

use crate::IndexError;

/// Which direction is better for an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
}

/// The bounds of one indicator, in its own unit: `worst` scores 0 and `best` 100.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub worst: f64,
    pub best: f64,
}

impl Bounds {
    /// Bounds for an indicator; `better` says which of `lower` and `upper` is the optimum.
    pub fn new(lower: f64, upper: f64, better: Better) -> Result<Self, IndexError> {
        if !(lower.is_finite() && upper.is_finite() && lower < upper) {
            return Err(IndexError::Invalid(format!(
                "bounds {lower}..{upper} must be finite and increasing"
            )));
        }
        Ok(match better {
            Better::Higher => Bounds {
                worst: lower,
                best: upper,
            },
            Better::Lower => Bounds {
                worst: upper,
                best: lower,
            },
        })
    }

    /// Which direction is better.
    pub fn better(&self) -> Better {
        if self.best > self.worst {
            Better::Higher
        } else {
            Better::Lower
        }
    }

    /// The 0-100 score of a raw value (clipped); an error for a value that is not finite.
    pub fn score(&self, x: f64) -> Result<f64, IndexError> {
        if !x.is_finite() {
            return Err(IndexError::Invalid(format!(
                "indicator value {x} is not finite"
            )));
        }
        Ok(((x - self.worst) / (self.best - self.worst) * 100.0).clamp(0.0, 100.0))
    }

    /// The raw value that scores `s` (0-100): the inverse of [`Bounds::score`] inside the
    /// bounds.
    pub fn value_at(&self, s: f64) -> f64 {
        self.worst + (self.best - self.worst) * s / 100.0
    }
}

/// The `p`-th percentile (0-100) of `values`, linear between order statistics (the method of
/// numpy's default and Excel's `PERCENTILE.INC`): the SDR's lower bound is
/// `percentile(values, 2.5)` for higher-is-better indicators. `None` for no finite value.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() || !(0.0..=100.0).contains(&p) {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * p / 100.0;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    Some(v[lo] + (v[hi] - v[lo]) * (h - lo as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_both_ways() {
        let poverty = Bounds::new(0.0, 72.0, Better::Lower).unwrap();
        assert_eq!(poverty.score(0.0).unwrap(), 100.0);
        assert_eq!(poverty.score(36.0).unwrap(), 50.0);
        assert_eq!(poverty.score(90.0).unwrap(), 0.0);
        let life = Bounds::new(54.0, 83.0, Better::Higher).unwrap();
        assert!((life.score(68.5).unwrap() - 50.0).abs() < 1e-12);
        assert_eq!(life.better(), Better::Higher);
        assert!((life.value_at(50.0) - 68.5).abs() < 1e-12);
        assert!(Bounds::new(1.0, 1.0, Better::Higher).is_err());
        assert!(life.score(f64::NAN).is_err());
    }

    #[test]
    fn percentiles() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(percentile(&v, 0.0), Some(1.0));
        assert_eq!(percentile(&v, 50.0), Some(3.0));
        assert_eq!(percentile(&v, 2.5), Some(1.1));
        assert_eq!(percentile(&[], 2.5), None);
    }
}
