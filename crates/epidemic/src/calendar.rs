//! Calendar dates for seeds and levers: the CLI, the page and briefs write
//! `CHN:10@2019-12-01` and `travel:CHN*0.2@2020-01-23..2020-04-08`; the dynamics count days
//! from day 0. A [`Calendar`] fixes day 0 (the `--start` date, else the earliest seed date)
//! and turns dated text into the day-offset grammar of [`crate::scenario`] and
//! [`crate::setup::Seed`]. A plain whole number after `@` stays a day offset.
//!
//! Day arithmetic is attache-core's ([`Date::days_since_epoch`], proleptic Gregorian).

use attache_core::time::Date;

use crate::EpidemicError;
use crate::scenario::{Lever, Scenario};
use crate::setup::Seed;

/// Day 0 of a run, when it has a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    start: Option<Date>,
}

/// One `@` part: a date or a day offset.
fn when_parts(text: &str) -> Option<(&str, &str)> {
    text.split_once('@')
}

fn is_date(s: &str) -> bool {
    s.len() == 10 && s.as_bytes()[4] == b'-'
}

impl Calendar {
    /// Day 0 is `start`.
    pub fn starting(start: Date) -> Calendar {
        Calendar { start: Some(start) }
    }

    /// Day 0 is `start` if given, else the earliest date among `seeds` (texts
    /// `PLACE:COUNT@DATE`); no date at all: day offsets only.
    pub fn from_seeds<S: AsRef<str>>(
        start: Option<Date>,
        seeds: &[S],
    ) -> Result<Calendar, EpidemicError> {
        if start.is_some() {
            return Ok(Calendar { start });
        }
        let mut first: Option<Date> = None;
        for s in seeds {
            let s = s.as_ref().trim();
            if let Some((_, w)) = when_parts(s)
                && is_date(w)
            {
                let d = parse_date(w, |reason| EpidemicError::Seed {
                    seed: s.to_string(),
                    token: w.to_string(),
                    reason,
                })?;
                first = Some(first.map_or(d, |f| f.min(d)));
            }
        }
        Ok(Calendar { start: first })
    }

    /// Day 0's date, if known.
    pub fn start(&self) -> Option<Date> {
        self.start
    }

    /// The date of day `offset` (`None` without a start date).
    pub fn date(&self, offset: u32) -> Option<Date> {
        self.start
            .map(|s| Date::from_days_since_epoch(s.days_since_epoch() + i64::from(offset)))
    }

    /// The day offset of `date`; an error (built by `err`) before day 0 or without one.
    fn offset(
        &self,
        text: &str,
        err: &dyn Fn(String) -> EpidemicError,
    ) -> Result<String, EpidemicError> {
        if !is_date(text) {
            return Ok(text.to_string());
        }
        let d = parse_date(text, err)?;
        let Some(start) = self.start else {
            return Err(err(
                "a date needs day 0 to count from: give --start DATE or date the seeds".into(),
            ));
        };
        let off = d.days_since_epoch() - start.days_since_epoch();
        if off < 0 {
            return Err(err(format!("{d} is before day 0 ({start})")));
        }
        Ok(off.to_string())
    }

    /// `PLACE:COUNT@DATE` (or `@DAY`, or no `@`) as a [`Seed`].
    pub fn seed(&self, text: &str) -> Result<Seed, EpidemicError> {
        let text = text.trim();
        let err = |reason: String| EpidemicError::Seed {
            seed: text.to_string(),
            token: when_parts(text).map_or(text, |(_, w)| w).to_string(),
            reason,
        };
        match when_parts(text) {
            Some((body, w)) => {
                let day = self.offset(w, &err)?;
                let seed: Seed = format!("{body}@{day}").parse()?;
                Ok(seed)
            }
            None => text.parse(),
        }
    }

    /// One lever, its `@FROM[..TO]` dates turned into day offsets.
    pub fn lever(&self, text: &str) -> Result<Lever, EpidemicError> {
        let text = text.trim();
        let err = |reason: String| EpidemicError::Lever {
            lever: text.to_string(),
            token: when_parts(text).map_or(text, |(_, w)| w).to_string(),
            reason,
        };
        let Some((body, w)) = when_parts(text) else {
            return text.parse();
        };
        let days = match w.split_once("..") {
            Some((a, b)) => format!("{}..{}", self.offset(a, &err)?, self.offset(b, &err)?),
            None => self.offset(w, &err)?,
        };
        format!("{body}@{days}").parse().map_err(|e| match e {
            // Name the text the user wrote, not the converted one.
            EpidemicError::Lever { token, reason, .. } => EpidemicError::Lever {
                lever: text.to_string(),
                token,
                reason,
            },
            other => other,
        })
    }

    /// Levers separated by `;` or new lines (blank items skipped), dated or not.
    pub fn scenario(&self, text: &str) -> Result<Scenario, EpidemicError> {
        let levers = text
            .split([';', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| self.lever(s))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Scenario { levers })
    }
}

fn parse_date(s: &str, err: impl Fn(String) -> EpidemicError) -> Result<Date, EpidemicError> {
    s.parse::<Date>().map_err(|e| err(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn check(start: Option<&str>, seeds: &[&str], lever: &str, expect: Result<&str, &str>) {
        let cal = Calendar::from_seeds(start.map(d), seeds).unwrap();
        match (cal.lever(lever), expect) {
            (Ok(l), Ok(want)) => assert_eq!(l.to_string(), want, "{lever}"),
            (Err(e), Err(msg)) => assert!(e.to_string().contains(msg), "{lever}: {e}"),
            (got, want) => panic!("{lever}: got {got:?}, expected {want:?}"),
        }
    }

    #[test]
    fn dated_levers() {
        let seeds = ["CHN:10@2019-12-01", "ITA:1@2020-01-20"];
        check(
            None,
            &seeds,
            "travel:CHN*0.2@2020-01-23",
            Ok("travel:CHN*0.2@53"),
        );
        check(
            None,
            &seeds,
            "distancing:ITA*0.6@2020-03-09..2020-05-04",
            Ok("distancing:ITA*0.6@99..155"),
        );
        check(
            None,
            &seeds,
            "screen:exit:CHN=0.3",
            Ok("screen:exit:CHN=0.3@0"),
        );
        check(None, &seeds, "route:CHN-USA*0@32", Ok("route:CHN-USA*0@32"));
        check(
            Some("2020-01-01"),
            &seeds,
            "travel:CHN*0.2@2020-01-23",
            Ok("travel:CHN*0.2@22"),
        );
        check(
            None,
            &seeds,
            "travel:CHN*0.2@2019-11-30",
            Err("before day 0 (2019-12-01)"),
        );
        check(
            None,
            &seeds,
            "travel:CHN*0.2@2020-02-30",
            Err("\"travel:CHN*0.2@2020-02-30\""),
        );
        check(
            None,
            &["CHN:10"],
            "travel:CHN*0.2@2020-01-23",
            Err("--start"),
        );
        check(
            None,
            &seeds,
            "travel:CHN*2@2020-01-23",
            Err("lever \"travel:CHN*2@2020-01-23\": a factor must be in [0, 1] (at \"2\")"),
        );
    }

    #[test]
    fn dated_seeds() {
        let cal = Calendar::from_seeds(None, &["CHN:10@2019-12-01"]).unwrap();
        assert_eq!(cal.start(), Some(d("2019-12-01")));
        assert_eq!(cal.date(31), Some(d("2020-01-01")));
        let s = cal.seed("USA:3@2020-01-21").unwrap();
        assert_eq!((s.place.as_str(), s.count, s.day), ("USA", 3, 51));
        let e = cal.seed("USA:3@2020-13-01").unwrap_err().to_string();
        assert!(e.contains("seed \"USA:3@2020-13-01\""), "{e}");
        let e = Calendar::from_seeds(None, &["CHN:1@2019-02-30"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("2019-02-30"), "{e}");
    }
}
