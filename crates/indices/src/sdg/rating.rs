//! The SDR dashboards' colours.
//!
//! **Indicators.** Each indicator has a green threshold (the SDG is achieved) and a red
//! threshold; the boundary between yellow and orange is half-way between them (the SDR's
//! rule). Green: at or beyond the green threshold; yellow: between green and the midpoint;
//! orange: between the midpoint and red; red: at or beyond the red threshold.
//!
//! **Goals.** The SDR rates a goal by the two indicators on which the country does worst
//! (by 0-100 score), so that a good average cannot hide a failure. A goal is green only if
//! both are green and red only if both are red. Otherwise we take the mean of the two
//! ratings on the scale green 0, yellow 1, orange 2, red 3, rounded half up and capped at
//! orange: so one red with one green or yellow gives orange, a green with a yellow gives yellow.
//! (The SDR's text states the green and red conditions; the in-between cases are our reading
//! of "the average of the two worst", stated here so a reader can check it.)
//!
//! **Goal scores alone.** Where only the 0-100 goal scores are at hand (the published tables
//! this project mirrors have no indicator values), [`ScoreBands`] bands a score into the same
//! four colours by cut-offs the caller states; this is *not* the SDR dashboard rating, and a
//! page showing it must say so.

use super::normalise::Better;
use crate::IndexError;

/// A dashboard colour, from best to worst; `NoData` is grey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rating {
    Green,
    Yellow,
    Orange,
    Red,
    NoData,
}

impl Rating {
    /// The colour's name.
    pub fn label(self) -> &'static str {
        match self {
            Rating::Green => "green",
            Rating::Yellow => "yellow",
            Rating::Orange => "orange",
            Rating::Red => "red",
            Rating::NoData => "grey",
        }
    }

    /// What the colour means, in the SDR's words.
    pub fn meaning(self) -> &'static str {
        match self {
            Rating::Green => "SDG achieved",
            Rating::Yellow => "challenges remain",
            Rating::Orange => "significant challenges remain",
            Rating::Red => "major challenges remain",
            Rating::NoData => "information unavailable",
        }
    }

    fn severity(self) -> u8 {
        match self {
            Rating::Green => 0,
            Rating::Yellow => 1,
            Rating::Orange => 2,
            Rating::Red | Rating::NoData => 3,
        }
    }
}

/// An indicator's green and red thresholds, in its own unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub green: f64,
    pub red: f64,
}

impl Thresholds {
    /// Thresholds; fails unless finite and ordered the way `better` says (for higher-is-better,
    /// `green > red`).
    pub fn new(green: f64, red: f64, better: Better) -> Result<Self, IndexError> {
        let ordered = match better {
            Better::Higher => green > red,
            Better::Lower => green < red,
        };
        if !(green.is_finite() && red.is_finite() && ordered) {
            return Err(IndexError::Invalid(format!(
                "thresholds green {green}, red {red} are not ordered for {better:?} is better"
            )));
        }
        Ok(Self { green, red })
    }

    /// The yellow/orange boundary: half-way.
    pub fn midpoint(&self) -> f64 {
        (self.green + self.red) / 2.0
    }

    /// The colour of a raw value; `None` or a non-finite value is grey.
    pub fn rate(&self, x: Option<f64>) -> Rating {
        let Some(x) = x.filter(|v| v.is_finite()) else {
            return Rating::NoData;
        };
        // Distance towards good: positive side is better.
        let sign = if self.green > self.red { 1.0 } else { -1.0 };
        let (x, g, m, r) = (
            x * sign,
            self.green * sign,
            self.midpoint() * sign,
            self.red * sign,
        );
        if x >= g {
            Rating::Green
        } else if x >= m {
            Rating::Yellow
        } else if x > r {
            Rating::Orange
        } else {
            Rating::Red
        }
    }
}

/// A goal's colour from its indicators' (0-100 score, colour) pairs, by the two worst (see the
/// module doc). Indicators without data are left out; a goal with none is grey; a goal with
/// one indicator is rated by it.
pub fn goal_rating(indicators: &[(f64, Rating)]) -> Rating {
    let mut rated: Vec<&(f64, Rating)> = indicators
        .iter()
        .filter(|(s, r)| *r != Rating::NoData && s.is_finite())
        .collect();
    rated.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    let (a, b) = match rated.as_slice() {
        [] => return Rating::NoData,
        [one] => (one.1, one.1),
        [first, second, ..] => (first.1, second.1),
    };
    if a == Rating::Red && b == Rating::Red {
        return Rating::Red;
    }
    let mean2 = a.severity() + b.severity(); // twice the mean
    match mean2.div_ceil(2) {
        0 => Rating::Green,
        1 => Rating::Yellow,
        _ => Rating::Orange,
    }
}

/// Cut-offs on a 0-100 score, for colouring goal scores when indicator data is absent:
/// green at or above `green`, yellow at or above `yellow`, orange at or above `orange`, red
/// below. Not the SDR's dashboard rating (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreBands {
    pub green: f64,
    pub yellow: f64,
    pub orange: f64,
}

impl ScoreBands {
    /// Bands; fails unless `100 >= green > yellow > orange >= 0`.
    pub fn new(green: f64, yellow: f64, orange: f64) -> Result<Self, IndexError> {
        if !(green <= 100.0 && green > yellow && yellow > orange && orange >= 0.0) {
            return Err(IndexError::Invalid(format!(
                "score bands {green} > {yellow} > {orange} must decrease within 0-100"
            )));
        }
        Ok(Self {
            green,
            yellow,
            orange,
        })
    }

    /// The colour of a 0-100 score; `None` is grey.
    pub fn rate(&self, score: Option<f64>) -> Rating {
        match score.filter(|v| v.is_finite()) {
            None => Rating::NoData,
            Some(s) if s >= self.green => Rating::Green,
            Some(s) if s >= self.yellow => Rating::Yellow,
            Some(s) if s >= self.orange => Rating::Orange,
            Some(_) => Rating::Red,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indicator_colours_both_directions() {
        // Poverty headcount (%): green at <= 2, red at >= 10 (midpoint 6).
        let t = Thresholds::new(2.0, 10.0, Better::Lower).unwrap();
        assert_eq!(t.rate(Some(1.0)), Rating::Green);
        assert_eq!(t.rate(Some(2.0)), Rating::Green);
        assert_eq!(t.rate(Some(5.0)), Rating::Yellow);
        assert_eq!(t.rate(Some(6.0)), Rating::Yellow);
        assert_eq!(t.rate(Some(8.0)), Rating::Orange);
        assert_eq!(t.rate(Some(10.0)), Rating::Red);
        assert_eq!(t.rate(None), Rating::NoData);
        // Life expectancy: green at >= 80, red at <= 65.
        let t = Thresholds::new(80.0, 65.0, Better::Higher).unwrap();
        assert_eq!(t.rate(Some(81.0)), Rating::Green);
        assert_eq!(t.rate(Some(73.0)), Rating::Yellow);
        assert_eq!(t.rate(Some(70.0)), Rating::Orange);
        assert_eq!(t.rate(Some(60.0)), Rating::Red);
        assert!(Thresholds::new(65.0, 80.0, Better::Higher).is_err());
    }

    #[test]
    fn goals_by_the_two_worst() {
        use Rating::*;
        let g = |v: &[(f64, Rating)]| goal_rating(v);
        assert_eq!(g(&[(100.0, Green), (95.0, Green), (90.0, Green)]), Green);
        assert_eq!(g(&[(100.0, Green), (60.0, Yellow), (90.0, Green)]), Yellow);
        assert_eq!(g(&[(100.0, Green), (20.0, Red), (90.0, Green)]), Orange);
        assert_eq!(g(&[(10.0, Red), (20.0, Red), (90.0, Green)]), Red);
        assert_eq!(g(&[(10.0, Red), (30.0, Orange)]), Orange);
        assert_eq!(g(&[(50.0, Yellow), (40.0, Orange)]), Orange);
        assert_eq!(g(&[(10.0, Red)]), Red);
        assert_eq!(g(&[(0.0, NoData)]), NoData);
        assert_eq!(g(&[]), NoData);
    }

    #[test]
    fn bands() {
        let b = ScoreBands::new(80.0, 65.0, 50.0).unwrap();
        assert_eq!(b.rate(Some(80.0)), Rating::Green);
        assert_eq!(b.rate(Some(70.0)), Rating::Yellow);
        assert_eq!(b.rate(Some(55.0)), Rating::Orange);
        assert_eq!(b.rate(Some(10.0)), Rating::Red);
        assert_eq!(b.rate(None), Rating::NoData);
        assert!(ScoreBands::new(50.0, 65.0, 80.0).is_err());
    }
}
