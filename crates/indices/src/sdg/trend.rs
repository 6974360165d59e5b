//! The SDR's trend arrows: is a country on track to reach the target by 2030?
//!
//! The rule (SDR methodology, trend dashboards): the observed annual rate of progress since
//! the base year (2015, or the first later year with data) up to the latest year, in points
//! per year, `(latest - base) / (latest_year - base_year)`, is compared with the rate that
//! would have been needed from the base year to reach the target in 2030,
//! `(target - base) / (2030 - base_year)`:
//!
//! | arrow | when |
//! | --- | --- |
//! | ↑ on track or maintaining achievement | the latest value has reached the target, or the rate is at least the rate needed |
//! | ➚ moderately improving | the rate is at least half the rate needed (but below it) |
//! | → stagnating | the rate is between 0 and half the rate needed |
//! | ↓ decreasing | the value is moving away from the target |
//!
//! For indicators where lower is better, "progress" is a fall; the same rule applies to the
//! negated series. On goal scores (0-100, higher better) the target is 100, the score of an
//! achieved goal.

use super::normalise::Better;
use crate::IndexError;

/// A trend arrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arrow {
    OnTrack,
    ModeratelyImproving,
    Stagnating,
    Decreasing,
    /// Fewer than two years with data from the base year on.
    InsufficientData,
}

impl Arrow {
    /// The arrow glyph the SDR uses.
    pub fn glyph(self) -> &'static str {
        match self {
            Arrow::OnTrack => "↑",
            Arrow::ModeratelyImproving => "➚",
            Arrow::Stagnating => "→",
            Arrow::Decreasing => "↓",
            Arrow::InsufficientData => "·",
        }
    }

    /// The SDR's wording.
    pub fn label(self) -> &'static str {
        match self {
            Arrow::OnTrack => "on track or maintaining SDG achievement",
            Arrow::ModeratelyImproving => "moderately improving",
            Arrow::Stagnating => "stagnating",
            Arrow::Decreasing => "decreasing",
            Arrow::InsufficientData => "trend information unavailable",
        }
    }
}

/// The rule's parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrendRule {
    pub base_year: i32,
    pub target_year: i32,
    pub target: f64,
    pub better: Better,
}

impl TrendRule {
    /// The SDR's rule for goal scores: from 2015 to 100 by 2030.
    pub const GOAL_SCORES: TrendRule = TrendRule {
        base_year: 2015,
        target_year: 2030,
        target: 100.0,
        better: Better::Higher,
    };
}

/// The arrow of a series of (year, value); years need not be sorted, and missing years are
/// simply absent. Fails on a non-finite value or a target year not after the base year.
pub fn trend(series: &[(i32, f64)], rule: &TrendRule) -> Result<Arrow, IndexError> {
    if rule.target_year <= rule.base_year || !rule.target.is_finite() {
        return Err(IndexError::Invalid(format!(
            "trend rule {rule:?}: the target year must follow the base year"
        )));
    }
    if let Some((y, v)) = series.iter().find(|(_, v)| !v.is_finite()) {
        return Err(IndexError::Invalid(format!(
            "value {v} in {y} is not finite"
        )));
    }
    let sign = match rule.better {
        Better::Higher => 1.0,
        Better::Lower => -1.0,
    };
    let mut pts: Vec<(i32, f64)> = series
        .iter()
        .filter(|(y, _)| *y >= rule.base_year)
        .map(|&(y, v)| (y, v * sign))
        .collect();
    pts.sort_by_key(|p| p.0);
    let (Some(&(y0, v0)), Some(&(y1, v1))) = (pts.first(), pts.last()) else {
        return Ok(Arrow::InsufficientData);
    };
    if y1 == y0 {
        return Ok(Arrow::InsufficientData);
    }
    let target = rule.target * sign;
    let rate = (v1 - v0) / f64::from(y1 - y0);
    let needed = (target - v0) / f64::from(rule.target_year - y0);
    Ok(if v1 >= target {
        Arrow::OnTrack
    } else if rate < 0.0 {
        Arrow::Decreasing
    } else if rate >= needed {
        Arrow::OnTrack
    } else if rate >= 0.5 * needed {
        Arrow::ModeratelyImproving
    } else {
        Arrow::Stagnating
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: TrendRule = TrendRule::GOAL_SCORES;

    #[test]
    fn the_four_arrows() {
        // From 70 in 2015, reaching 100 by 2030 needs 2 points a year.
        assert_eq!(
            trend(&[(2015, 70.0), (2022, 84.0)], &R).unwrap(),
            Arrow::OnTrack
        );
        assert_eq!(
            trend(&[(2015, 70.0), (2022, 77.0)], &R).unwrap(),
            Arrow::ModeratelyImproving
        );
        assert_eq!(
            trend(&[(2015, 70.0), (2022, 76.9)], &R).unwrap(),
            Arrow::Stagnating
        );
        assert_eq!(
            trend(&[(2015, 70.0), (2022, 70.0)], &R).unwrap(),
            Arrow::Stagnating
        );
        assert_eq!(
            trend(&[(2015, 70.0), (2022, 69.0)], &R).unwrap(),
            Arrow::Decreasing
        );
        // Earlier years are ignored; achievement maintained is on track.
        assert_eq!(
            trend(&[(2000, 0.0), (2015, 100.0), (2022, 100.0)], &R).unwrap(),
            Arrow::OnTrack
        );
        // Past the target and still there, even if slipping: maintaining achievement.
        let lower_target = TrendRule { target: 90.0, ..R };
        assert_eq!(
            trend(&[(2015, 95.0), (2022, 92.0)], &lower_target).unwrap(),
            Arrow::OnTrack
        );
        assert_eq!(
            trend(&[(2015, 95.0), (2022, 89.0)], &lower_target).unwrap(),
            Arrow::Decreasing
        );
        assert_eq!(trend(&[(2022, 80.0)], &R).unwrap(), Arrow::InsufficientData);
        assert_eq!(trend(&[], &R).unwrap(), Arrow::InsufficientData);
    }

    #[test]
    fn lower_is_better() {
        // Poverty 20% in 2015, target 0 by 2030: needs -4/3 a year; -1 a year is moderate.
        let rule = TrendRule {
            target: 0.0,
            better: Better::Lower,
            ..R
        };
        assert_eq!(
            trend(&[(2015, 20.0), (2021, 14.0)], &rule).unwrap(),
            Arrow::ModeratelyImproving
        );
        assert_eq!(
            trend(&[(2015, 20.0), (2021, 21.0)], &rule).unwrap(),
            Arrow::Decreasing
        );
        assert_eq!(
            trend(&[(2015, 20.0), (2021, 11.0)], &rule).unwrap(),
            Arrow::OnTrack
        );
        assert!(trend(&[(2015, f64::NAN)], &rule).is_err());
    }
}
