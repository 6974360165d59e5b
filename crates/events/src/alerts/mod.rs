//! Alerts: the rules that raise them, what an alert carries, its life cycle and episodes.
//!
//! Rules, each with its parameters stated in its module:
//!
//! - [`hdx`]: OCHA's HDX Signals conflict rule (30-day rolling fatalities at a level not seen in
//!   the past 366 or 1,096 days, and at least 100), with its 180-day repeat filter;
//! - [`cusum`]: a negative-binomial CUSUM on counts (over-dispersed, so not Poisson), after
//!   Hawkins & Olwell (1998);
//! - [`shift`]: a shift of a series' recent mean (Goldstein, tone, conflict share) against its
//!   own baseline;
//!
//! and [`monitor`] runs them over a daily index and a fatality series, as the store will.
//!
//! An [`Alert`] carries the value and threshold that raised it, a sentence saying why, and its
//! evidence (the events and source URLs behind it). Its life cycle is
//! `New` → `Acknowledged` (seen) → `Dismissed` or `Escalated` by a person with a note, or
//! `Expired` when its episode ends; every step is kept in `history` for the audit log, which the
//! store writes. Repeated firings of one rule for one country in consecutive months form one
//! [`Episode`].

pub mod cusum;
pub mod hdx;
pub mod monitor;
pub mod shift;

use crate::event::Event;
use crate::slots::UtcTime;
use attache_core::{Date, MonthId};
use std::collections::BTreeMap;
use std::fmt;

/// The rule that raised an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// HDX Signals conflict rule on fatalities.
    HdxSurge,
    /// Negative-binomial CUSUM on counts.
    NbCusum,
    /// Mean Goldstein fell (or rose) against its baseline.
    GoldsteinShift,
    /// Mean tone fell (or rose) against its baseline.
    ToneShift,
    /// The share of conflict events (QuadClass 3-4) rose against its baseline.
    ConflictShareShift,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::HdxSurge => "hdx_surge",
            Rule::NbCusum => "nb_cusum",
            Rule::GoldsteinShift => "goldstein_shift",
            Rule::ToneShift => "tone_shift",
            Rule::ConflictShareShift => "conflict_share_shift",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much concern an alert states (HDX Signals: medium = highest in a year, high = in three).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Medium,
    High,
}

/// One row behind an alert: an event (or a fatality record) with where to read about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// The row's key (`gdelt:881990833`, `icews:32889836@2018-06-01`, `ged:36210`).
    pub id: String,
    pub date: Date,
    /// What the row adds to the rule's measure (deaths, an event's Goldstein, ...).
    pub value: f64,
    pub url: Option<String>,
    /// A short description (CAMEO code and actors, or the record's headline).
    pub note: String,
}

impl Evidence {
    /// An event as evidence, valued by its Goldstein score.
    pub fn from_event(e: &Event) -> Evidence {
        Evidence {
            id: e.key.to_string(),
            date: e.date,
            value: e.goldstein.unwrap_or(0.0),
            url: (e.article.starts_with("http")).then(|| e.article.clone()),
            note: format!(
                "CAMEO {} ({} -> {}), {} article(s)",
                e.cameo,
                if e.actor1_country.is_empty() {
                    "?"
                } else {
                    &e.actor1_country
                },
                if e.actor2_country.is_empty() {
                    "?"
                } else {
                    &e.actor2_country
                },
                e.num_articles
            ),
        }
    }
}

/// The events behind an alert on `country` over `[from, to]`: conflict first (QuadClass 4,
/// then 3), the most negative Goldstein first, then the most reported, at most `max`.
pub fn evidence_from_events<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    country: &str,
    from: Date,
    to: Date,
    max: usize,
) -> Vec<Evidence> {
    let mut v: Vec<&Event> = events
        .into_iter()
        .filter(|e| e.iso3.as_deref() == Some(country) && e.date >= from && e.date <= to)
        .collect();
    v.sort_by(|a, b| {
        b.quad_class
            .cmp(&a.quad_class)
            .then(
                a.goldstein
                    .unwrap_or(0.0)
                    .total_cmp(&b.goldstein.unwrap_or(0.0)),
            )
            .then(b.num_articles.cmp(&a.num_articles))
            .then(a.key.cmp(&b.key))
    });
    v.into_iter().take(max).map(Evidence::from_event).collect()
}

/// Where an alert is in its life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    /// Raised, not yet seen by anyone.
    New,
    /// Seen by a person (acknowledged).
    Acknowledged,
    /// Closed by a person: not a concern.
    Dismissed,
    /// Closed by a person: passed on for action.
    Escalated,
    /// Closed when its episode ended without anyone acting on it.
    Expired,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::New => "new",
            State::Acknowledged => "acknowledged",
            State::Dismissed => "dismissed",
            State::Escalated => "escalated",
            State::Expired => "expired",
        }
    }

    /// Dismissed, escalated or expired.
    pub fn is_closed(self) -> bool {
        matches!(self, State::Dismissed | State::Escalated | State::Expired)
    }
}

/// One step of an alert's life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub from: State,
    pub to: State,
    /// Who (a user name), or `system` for expiry.
    pub by: String,
    pub at: UtcTime,
    pub note: String,
}

/// A step the life cycle does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    #[error("alert {id} is {state}; it cannot become {to}", state = from.as_str(), to = to.as_str())]
    NotAllowed { id: String, from: State, to: State },
    #[error("alert {id}: {to} needs a note saying why", to = to.as_str())]
    NoteRequired { id: String, to: State },
    #[error("alert {id}: a person must be named")]
    NoActor { id: String },
}

/// An alert.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub rule: Rule,
    /// ISO3.
    pub country: String,
    /// The last day of data the rule saw when it fired.
    pub raised_on: Date,
    pub level: Level,
    /// The measure that fired (30-day deaths, CUSUM statistic, z-score).
    pub value: f64,
    /// The threshold it passed.
    pub threshold: f64,
    /// One sentence saying why.
    pub explanation: String,
    pub evidence: Vec<Evidence>,
    pub state: State,
    pub history: Vec<Transition>,
}

impl Alert {
    /// A new alert; `(value, threshold)` is the measure that fired and the bound it passed.
    pub fn raise(
        rule: Rule,
        country: &str,
        raised_on: Date,
        level: Level,
        (value, threshold): (f64, f64),
        explanation: String,
        evidence: Vec<Evidence>,
    ) -> Alert {
        Alert {
            rule,
            country: country.to_string(),
            raised_on,
            level,
            value,
            threshold,
            explanation,
            evidence,
            state: State::New,
            history: Vec::new(),
        }
    }

    /// A stable id: rule, country and day (one rule fires at most once a day for a country).
    pub fn id(&self) -> String {
        format!("{}:{}:{}", self.rule, self.country, self.raised_on)
    }

    fn step(&mut self, to: State, by: &str, at: UtcTime, note: &str) -> Result<(), LifecycleError> {
        // New -> Acknowledged; New or Acknowledged -> Dismissed, Escalated or Expired.
        let allowed = matches!(
            (self.state, to),
            (State::New, State::Acknowledged)
                | (
                    State::New | State::Acknowledged,
                    State::Dismissed | State::Escalated | State::Expired
                )
        );
        if !allowed {
            return Err(LifecycleError::NotAllowed {
                id: self.id(),
                from: self.state,
                to,
            });
        }
        if by.trim().is_empty() {
            return Err(LifecycleError::NoActor { id: self.id() });
        }
        if matches!(to, State::Dismissed | State::Escalated) && note.trim().is_empty() {
            return Err(LifecycleError::NoteRequired { id: self.id(), to });
        }
        self.history.push(Transition {
            from: self.state,
            to,
            by: by.to_string(),
            at,
            note: note.to_string(),
        });
        self.state = to;
        Ok(())
    }

    /// A person has seen it.
    pub fn acknowledge(&mut self, by: &str, at: UtcTime, note: &str) -> Result<(), LifecycleError> {
        self.step(State::Acknowledged, by, at, note)
    }

    /// A person closes it as no concern; the note is required.
    pub fn dismiss(&mut self, by: &str, at: UtcTime, note: &str) -> Result<(), LifecycleError> {
        self.step(State::Dismissed, by, at, note)
    }

    /// A person passes it on for action; the note is required.
    pub fn escalate(&mut self, by: &str, at: UtcTime, note: &str) -> Result<(), LifecycleError> {
        self.step(State::Escalated, by, at, note)
    }

    /// Its episode ended with no one acting on it.
    pub fn expire(&mut self, at: UtcTime) -> Result<(), LifecycleError> {
        self.step(State::Expired, "system", at, "episode ended")
    }
}

/// Consecutive months in which one rule alerted for one country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Episode {
    pub rule: Rule,
    pub country: String,
    pub first: MonthId,
    pub last: MonthId,
    /// Alerts (firings) in the episode.
    pub alerts: usize,
    pub peak: Level,
}

impl Episode {
    /// Months from first to last.
    pub fn months(&self) -> i32 {
        self.last.months_since(self.first) + 1
    }
}

/// Runs of consecutive months among `months` (any order, repeats allowed), as `(first, last)`.
pub fn month_runs(months: impl IntoIterator<Item = MonthId>) -> Vec<(MonthId, MonthId)> {
    let mut m: Vec<MonthId> = months.into_iter().collect();
    m.sort_unstable();
    m.dedup();
    let mut out: Vec<(MonthId, MonthId)> = Vec::new();
    for x in m {
        match out.last_mut() {
            Some((_, last)) if x.months_since(*last) == 1 => *last = x,
            _ => out.push((x, x)),
        }
    }
    out
}

/// Groups alerts into episodes: per rule and country, alerts in consecutive calendar months
/// are one episode.
pub fn episodes(alerts: &[Alert]) -> Vec<Episode> {
    let mut by: BTreeMap<(Rule, &str), Vec<&Alert>> = BTreeMap::new();
    for a in alerts {
        by.entry((a.rule, &a.country)).or_default().push(a);
    }
    let mut out = Vec::new();
    for ((rule, country), v) in by {
        for (first, last) in month_runs(v.iter().map(|a| a.raised_on.month_id())) {
            let inside: Vec<&&Alert> = v
                .iter()
                .filter(|a| (first..=last).contains(&a.raised_on.month_id()))
                .collect();
            out.push(Episode {
                rule,
                country: country.to_string(),
                first,
                last,
                alerts: inside.len(),
                peak: inside
                    .iter()
                    .map(|a| a.level)
                    .max()
                    .unwrap_or(Level::Medium),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(day: &str) -> Alert {
        Alert::raise(
            Rule::HdxSurge,
            "CAF",
            day.parse().unwrap(),
            Level::Medium,
            (120.0, 100.0),
            "test".into(),
            vec![],
        )
    }

    #[test]
    fn life_cycle() {
        let t = UtcTime(1_600_000_000);
        let mut a = alert("2020-01-15");
        a.acknowledge("ana", t, "").unwrap();
        assert!(matches!(
            a.dismiss("ana", t, " "),
            Err(LifecycleError::NoteRequired { .. })
        ));
        assert!(matches!(
            a.escalate("", t, "x"),
            Err(LifecycleError::NoActor { .. })
        ));
        a.escalate("ana", t, "clashes confirmed by the embassy")
            .unwrap();
        assert_eq!(a.state, State::Escalated);
        assert!(a.state.is_closed());
        let e = a.acknowledge("bo", t, "").unwrap_err().to_string();
        assert!(
            e.contains("hdx_surge:CAF:2020-01-15") && e.contains("escalated"),
            "{e}"
        );
        assert_eq!(a.history.len(), 2);
        let mut b = alert("2020-01-16");
        b.expire(t).unwrap();
        assert_eq!(b.history[0].by, "system");
    }

    #[test]
    fn consecutive_months_are_one_episode() {
        let v = [
            alert("2020-01-15"),
            alert("2020-01-20"),
            alert("2020-02-01"),
            alert("2020-04-01"),
            alert("2020-12-31"),
            alert("2021-01-01"),
        ];
        let e = episodes(&v);
        assert_eq!(e.len(), 3);
        assert_eq!((e[0].alerts, e[0].months()), (3, 2));
        assert_eq!((e[1].alerts, e[1].months()), (1, 1));
        assert_eq!((e[2].alerts, e[2].months()), (2, 2));
    }
}
