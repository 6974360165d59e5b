//! Levers and scenarios as text, for the CLI, the page and briefs alike.
//!
//! One lever per item; a scenario is levers separated by `;` or new lines. Days are
//! offsets from the simulation's day 0 (callers turn dates into offsets).
//!
//! ```text
//! lever    = action [ "@" DAY [ ".." DAY ] ]     active from the first day, before the second
//! action   = "travel:" PLACE "*" FACTOR          every route of PLACE, both directions
//!          | "route:" PLACE "-" PLACE "*" FACTOR one route, both directions
//!          | "distancing:" PLACE "*" FACTOR      transmission rates in PLACE
//!          | "screen:" ("exit"|"entry") ":" PLACE "=" FRACTION
//!          | "vaccinate:" PLACE "=" FRACTION [ "/day" ]
//! PLACE    = letters, digits, "_" or "." (a subpopulation name, e.g. an ISO3 code)
//! FACTOR   = a number in [0, 1] that multiplies (0 closes, 1 leaves as is)
//! FRACTION = a number in [0, 1]; "/day" makes it a daily fraction below 1
//! DAY      = a non-negative integer; no "@" means from day 0
//! ```
//!
//! Examples: `travel:CHN*0.2@23`, `route:CHN-USA*0@32`, `distancing:ITA*0.6@70..130`,
//! `screen:exit:CHN=0.3`, `vaccinate:USA=0.01/day@365`, `vaccinate:GBR=0.2@300`.
//!
//! Meanings (the flux model must keep each route's count equal both ways, see
//! [`crate::network`]):
//! - travel and route factors scale a route's travellers in both directions; factors
//!   of overlapping levers multiply;
//! - screening: a traveller in an infectious compartment leaving PLACE (exit) or arriving
//!   in PLACE (entry) is detected with probability FRACTION and isolated: they arrive as
//!   the model's removed compartment, so they seed nothing and the route's count is kept.
//!   Latent (non-infectious) travellers are not detected. Exit and entry combine as
//!   1 - (1 - exit)(1 - entry);
//! - distancing multiplies every infection rate in PLACE by FACTOR;
//! - `vaccinate:P=F@D` moves a fraction F of P's susceptibles to removed at the start of
//!   day D; `vaccinate:P=F/day@D..E` vaccinates a fraction F of the remaining susceptibles
//!   each day from D (a hazard of -ln(1 - F) per day).

use std::fmt;
use std::str::FromStr;

use crate::EpidemicError;

/// Exit or entry screening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Travellers leaving the place.
    Exit,
    /// Travellers arriving in the place.
    Entry,
}

/// What a lever does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Scale every route of `place` (both directions) by `factor`.
    Travel {
        /// Subpopulation name.
        place: String,
        /// Multiplier in [0, 1].
        factor: f64,
    },
    /// Scale the route between `a` and `b` (both directions) by `factor`.
    Route {
        /// One end.
        a: String,
        /// The other end.
        b: String,
        /// Multiplier in [0, 1].
        factor: f64,
    },
    /// Multiply transmission rates in `place` by `factor`.
    Distancing {
        /// Subpopulation name.
        place: String,
        /// Multiplier in [0, 1].
        factor: f64,
    },
    /// Detect and isolate a fraction of infectious travellers.
    Screen {
        /// Exit or entry.
        side: Side,
        /// Subpopulation name.
        place: String,
        /// Probability of detection in [0, 1].
        fraction: f64,
    },
    /// Move susceptibles to removed: once, or a fraction a day.
    Vaccinate {
        /// Subpopulation name.
        place: String,
        /// Fraction of the susceptibles (once) or of the remaining susceptibles a day.
        fraction: f64,
        /// A daily fraction rather than a one-off.
        daily: bool,
    },
}

/// One lever with the days it is active: `start <= day < end`.
#[derive(Debug, Clone, PartialEq)]
pub struct Lever {
    /// What it does.
    pub action: Action,
    /// First day (offset) it is active.
    pub start: u32,
    /// First day it is no longer active; `None` = to the end.
    pub end: Option<u32>,
}

impl Lever {
    /// Whether the lever is in force on `day` (one-off vaccinations: only on `start`).
    pub fn active(&self, day: u32) -> bool {
        day >= self.start && self.end.is_none_or(|e| day < e)
    }
}

impl fmt::Display for Lever {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.action {
            Action::Travel { place, factor } => write!(f, "travel:{place}*{factor}")?,
            Action::Route { a, b, factor } => write!(f, "route:{a}-{b}*{factor}")?,
            Action::Distancing { place, factor } => write!(f, "distancing:{place}*{factor}")?,
            Action::Screen {
                side,
                place,
                fraction,
            } => {
                let s = match side {
                    Side::Exit => "exit",
                    Side::Entry => "entry",
                };
                write!(f, "screen:{s}:{place}={fraction}")?
            }
            Action::Vaccinate {
                place,
                fraction,
                daily,
            } => {
                write!(f, "vaccinate:{place}={fraction}")?;
                if *daily {
                    f.write_str("/day")?;
                }
            }
        }
        write!(f, "@{}", self.start)?;
        if let Some(e) = self.end {
            write!(f, "..{e}")?;
        }
        Ok(())
    }
}

struct P<'a> {
    lever: &'a str,
}

impl P<'_> {
    fn err(&self, token: &str, reason: impl Into<String>) -> EpidemicError {
        EpidemicError::Lever {
            lever: self.lever.to_string(),
            token: token.to_string(),
            reason: reason.into(),
        }
    }
    fn place(&self, s: &str) -> Result<String, EpidemicError> {
        let ok = !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        if ok {
            Ok(s.to_string())
        } else {
            Err(self.err(
                s,
                "a place is a subpopulation name of letters, digits, _ or .",
            ))
        }
    }
    fn number(&self, s: &str, what: &str, max_exclusive: bool) -> Result<f64, EpidemicError> {
        let v: f64 = s
            .parse()
            .map_err(|_| self.err(s, format!("{what} must be a number")))?;
        let in_range = if max_exclusive {
            (0.0..1.0).contains(&v)
        } else {
            (0.0..=1.0).contains(&v)
        };
        if !in_range {
            let range = if max_exclusive { "[0, 1)" } else { "[0, 1]" };
            return Err(self.err(s, format!("{what} must be in {range}")));
        }
        Ok(v)
    }
    fn day(&self, s: &str) -> Result<u32, EpidemicError> {
        s.parse().map_err(|_| {
            self.err(
                s,
                "a day is a non-negative whole number (offset from day 0)",
            )
        })
    }
    fn split<'b>(
        &self,
        s: &'b str,
        sep: char,
        what: &str,
    ) -> Result<(&'b str, &'b str), EpidemicError> {
        s.split_once(sep)
            .ok_or_else(|| self.err(s, format!("expected {what}")))
    }
}

impl FromStr for Lever {
    type Err = EpidemicError;

    fn from_str(text: &str) -> Result<Lever, EpidemicError> {
        let text = text.trim();
        let p = P { lever: text };
        let (body, when) = match text.split_once('@') {
            Some((b, w)) => (b, Some(w)),
            None => (text, None),
        };
        let (start, end) = match when {
            None => (0, None),
            Some(w) => match w.split_once("..") {
                Some((a, b)) => {
                    let (s, e) = (p.day(a)?, p.day(b)?);
                    if e <= s {
                        return Err(p.err(w, "the end day must come after the start day"));
                    }
                    (s, Some(e))
                }
                None => (p.day(w)?, None),
            },
        };
        let (kind, rest) = p.split(
            body,
            ':',
            "KIND:... (travel, route, distancing, screen, vaccinate)",
        )?;
        let action = match kind {
            "travel" | "distancing" => {
                let (place, f) = p.split(rest, '*', "PLACE*FACTOR")?;
                let place = p.place(place)?;
                let factor = p.number(f, "a factor", false)?;
                if kind == "travel" {
                    Action::Travel { place, factor }
                } else {
                    Action::Distancing { place, factor }
                }
            }
            "route" => {
                let (pair, f) = p.split(rest, '*', "A-B*FACTOR")?;
                let (a, b) = p.split(pair, '-', "A-B")?;
                let (a, b) = (p.place(a)?, p.place(b)?);
                if a == b {
                    return Err(p.err(pair, "a route joins two different places"));
                }
                Action::Route {
                    a,
                    b,
                    factor: p.number(f, "a factor", false)?,
                }
            }
            "screen" => {
                let (side, rest) =
                    p.split(rest, ':', "exit:PLACE=FRACTION or entry:PLACE=FRACTION")?;
                let side = match side {
                    "exit" => Side::Exit,
                    "entry" => Side::Entry,
                    other => return Err(p.err(other, "screening is exit or entry")),
                };
                let (place, f) = p.split(rest, '=', "PLACE=FRACTION")?;
                Action::Screen {
                    side,
                    place: p.place(place)?,
                    fraction: p.number(f, "a fraction", false)?,
                }
            }
            "vaccinate" => {
                let (place, f) = p.split(rest, '=', "PLACE=FRACTION or PLACE=FRACTION/day")?;
                let place = p.place(place)?;
                let (f, daily) = match f.split_once('/') {
                    Some((v, "day")) => (v, true),
                    Some((_, unit)) => return Err(p.err(unit, "the only rate unit is /day")),
                    None => (f, false),
                };
                let fraction = p.number(f, "a fraction", daily)?;
                if !daily && end.is_some() {
                    return Err(p.err(
                        when.unwrap_or_default(),
                        "a one-off vaccination happens on one day; use F/day for a campaign",
                    ));
                }
                Action::Vaccinate {
                    place,
                    fraction,
                    daily,
                }
            }
            other => {
                return Err(p.err(
                    other,
                    "unknown lever; expected travel, route, distancing, screen or vaccinate",
                ));
            }
        };
        Ok(Lever { action, start, end })
    }
}

/// A list of levers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenario {
    /// The levers, in the order given.
    pub levers: Vec<Lever>,
}

impl Scenario {
    /// No levers (the baseline).
    pub fn baseline() -> Scenario {
        Scenario::default()
    }

    /// Parse levers separated by `;` or new lines; blank items are skipped.
    pub fn parse(text: &str) -> Result<Scenario, EpidemicError> {
        let levers = text
            .split([';', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::parse)
            .collect::<Result<Vec<Lever>, _>>()?;
        Ok(Scenario { levers })
    }

    /// Parse one lever per item (e.g. repeated `--lever` flags).
    pub fn from_items<S: AsRef<str>>(items: &[S]) -> Result<Scenario, EpidemicError> {
        let levers = items
            .iter()
            .map(|s| s.as_ref().parse())
            .collect::<Result<Vec<Lever>, _>>()?;
        Ok(Scenario { levers })
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, l) in self.levers.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{l}")?;
        }
        Ok(())
    }
}
