//! INFORM's indicator scaling: a raw indicator to a 0-10 score.
//!
//! The workbook scales each indicator between two bounds (row 3 and row 4 of each component
//! sheet): values beyond the bounds are clipped to 0 or 10, values between are placed
//! linearly. Indicators with skewed distributions, above all the absolute number of people
//! exposed to a hazard, are first taken to their base-10 logarithm (the workbook's `LOG`), and
//! a raw value of exactly 0 scores 0 (a log of 0 is undefined). Indicators where more is
//! better (coping capacity: e.g. a government effectiveness score) are scaled the other way.
//! Results are rounded to one decimal with Excel's `ROUND`.

use crate::IndexError;
use crate::excel::round1;

/// The transform applied to the raw value before scaling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    /// The raw value.
    Linear,
    /// `log10(x)`; a raw 0 scores 0 without the logarithm.
    Log10,
}

/// Whether a larger raw value means more risk or less.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// More is worse: `min` scores 0, `max` scores 10.
    MoreIsWorse,
    /// More is better: `max` scores 0, `min` scores 10.
    MoreIsBetter,
}

/// One indicator's scaling, with its bounds in the transformed unit (for [`Transform::Log10`],
/// the bounds are logarithms, as in the workbook).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub min: f64,
    pub max: f64,
    pub transform: Transform,
    pub direction: Direction,
}

impl Scale {
    /// A scale; fails unless `min < max`, both finite.
    pub fn new(
        min: f64,
        max: f64,
        transform: Transform,
        direction: Direction,
    ) -> Result<Self, IndexError> {
        if !(min.is_finite() && max.is_finite() && min < max) {
            return Err(IndexError::Invalid(format!(
                "scale bounds {min}..{max} must be finite and increasing"
            )));
        }
        Ok(Self {
            min,
            max,
            transform,
            direction,
        })
    }

    /// The unrounded 0-10 score of a raw value (clipped at the bounds).
    pub fn score_exact(&self, raw: f64) -> Result<f64, IndexError> {
        if !raw.is_finite() {
            return Err(IndexError::Invalid(format!(
                "indicator value {raw} is not finite"
            )));
        }
        let t = match self.transform {
            Transform::Linear => raw,
            Transform::Log10 if raw == 0.0 => return Ok(0.0),
            Transform::Log10 if raw < 0.0 => {
                return Err(IndexError::Invalid(format!(
                    "indicator value {raw} has no logarithm"
                )));
            }
            Transform::Log10 => raw.log10(),
        };
        let up = ((t - self.min) / (self.max - self.min) * 10.0).clamp(0.0, 10.0);
        Ok(match self.direction {
            Direction::MoreIsWorse => up,
            Direction::MoreIsBetter => 10.0 - up,
        })
    }

    /// The published 0-10 score: [`Scale::score_exact`] rounded to one decimal.
    pub fn score(&self, raw: f64) -> Result<f64, IndexError> {
        self.score_exact(raw).map(round1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn afghanistan_hazard_indicators_as_in_the_workbook() {
        // 'Indicator Data'!C6, people exposed to earthquakes (MMI VI), log scale 1.737..5.211.
        let quake = Scale::new(1.737, 5.211, Transform::Log10, Direction::MoreIsWorse).unwrap();
        assert_eq!(quake.score(82_984.726_562_5).unwrap(), 9.2);
        // The same people as a share of the population, linear 0..0.002.
        let share = Scale::new(0.0, 0.002, Transform::Linear, Direction::MoreIsWorse).unwrap();
        assert_eq!(share.score(1.913_282_969_281_545_3e-3).unwrap(), 9.6);
        // Current conflict intensity 0.920 on 0..0.95 and the projected one 3.24 on 1..4.
        let current = Scale::new(0.0, 0.95, Transform::Linear, Direction::MoreIsWorse).unwrap();
        assert_eq!(current.score(0.920_342_028_141_021_7).unwrap(), 9.7);
        let projected = Scale::new(1.0, 4.0, Transform::Linear, Direction::MoreIsWorse).unwrap();
        assert_eq!(projected.score(3.240_000_009_536_743).unwrap(), 7.5);
        // Then the published human hazard is their geometric union: 8.9.
        let human = super::super::geometric_union(&[9.7, 7.5]).unwrap();
        assert_eq!(round1(human), 8.9);
    }

    #[test]
    fn zero_clip_and_direction() {
        let s = Scale::new(1.0, 3.0, Transform::Log10, Direction::MoreIsWorse).unwrap();
        assert_eq!(s.score(0.0).unwrap(), 0.0);
        assert_eq!(s.score(5.0).unwrap(), 0.0);
        assert_eq!(s.score(1e6).unwrap(), 10.0);
        assert!(s.score(-1.0).is_err());
        let b = Scale::new(0.0, 100.0, Transform::Linear, Direction::MoreIsBetter).unwrap();
        assert_eq!(b.score(25.0).unwrap(), 7.5);
        assert!(Scale::new(2.0, 2.0, Transform::Linear, Direction::MoreIsWorse).is_err());
    }
}
