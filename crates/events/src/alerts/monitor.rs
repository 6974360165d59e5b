//! The rules run over what the store holds, turned into [`Alert`]s with their evidence.
//!
//! - [`events`]: per feed and country, over a daily index (country scope): the
//!   negative-binomial CUSUM on the day's material-conflict events (QuadClass 4), and the shift
//!   rule on the day's mean Goldstein (down), mean tone (down) and conflict share (up). Days
//!   with fewer than `min_events` events carry no mean (too few to say anything). Evidence:
//!   the country's events of the days the rule looked at, conflict and most negative first.
//! - [`fatalities`]: the HDX Signals rule on a country's daily fatalities, each signal (after
//!   the published 180-day repeat filter) an alert whose evidence the caller supplies (the
//!   fatality records of the 30 days behind it).

use super::cusum::{self, NbCusumParams};
use super::hdx::{self, HdxParams};
use super::shift::{self, Direction, ShiftParams};
use super::{Alert, Evidence, Level, Rule, evidence_from_events};
use crate::event::{Event, QuadClass};
use crate::index::{Granularity, IndexRow, Scope};
use attache_core::Date;
use std::collections::{BTreeMap, BTreeSet};

/// Parameters of the event rules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonitorParams {
    /// CUSUM on daily material-conflict counts.
    pub cusum: NbCusumParams,
    pub goldstein: ShiftParams,
    pub tone: ShiftParams,
    pub conflict_share: ShiftParams,
    /// Days with fewer events carry no mean for the shift rules.
    pub min_events: u64,
    /// Evidence rows per alert.
    pub evidence: usize,
}

impl Default for MonitorParams {
    /// Daily data: CUSUM over four weeks of baseline for a doubling (`h = 4`, at least 5
    /// events); shifts of a week against the 90 days before at |z| >= 3; days of 5 events or
    /// more; 20 evidence rows.
    fn default() -> MonitorParams {
        MonitorParams {
            cusum: NbCusumParams {
                baseline: 28,
                ratio: 2.0,
                h: 4.0,
                min_mean: 1.0,
                min_count: 5.0,
            },
            goldstein: ShiftParams::default(),
            tone: ShiftParams::default(),
            conflict_share: ShiftParams {
                direction: Direction::Up,
                ..ShiftParams::default()
            },
            min_events: 5,
            evidence: 20,
        }
    }
}

fn add_days(d: Date, n: i64) -> Date {
    Date::from_days_since_epoch(d.days_since_epoch() + n)
}

/// Alerts from a daily country index and the events behind it, over `[first, last]`.
pub fn events<'a>(
    rows: &[IndexRow],
    events: impl IntoIterator<Item = &'a Event>,
    first: Date,
    last: Date,
    p: &MonitorParams,
) -> Vec<Alert> {
    let mut by: BTreeMap<(crate::event::Source, &str), BTreeMap<i64, &IndexRow>> = BTreeMap::new();
    for r in rows {
        if r.period.granularity != Granularity::Day {
            continue;
        }
        if let Scope::Country(c) = &r.scope {
            by.entry((r.source, c.as_str()))
                .or_default()
                .insert(r.period.start.days_since_epoch(), r);
        }
    }
    // Each feed is read only over the days it covers (its first to its last day with any
    // event, anywhere): a day before a feed began is no data, not a day of zero events.
    let mut span: BTreeMap<crate::event::Source, (i64, i64)> = BTreeMap::new();
    for r in rows {
        if r.period.granularity == Granularity::Day {
            let d = r.period.start.days_since_epoch();
            let e = span.entry(r.source).or_insert((d, d));
            *e = (e.0.min(d), e.1.max(d));
        }
    }
    // Each country's events of each feed, gathered once (an alert's evidence reads only its
    // own country's events, not the whole store).
    let mut of_country: BTreeMap<(crate::event::Source, &str), Vec<&Event>> = BTreeMap::new();
    for e in events {
        if let Some(c) = e.iso3.as_deref() {
            of_country.entry((e.source(), c)).or_default().push(e);
        }
    }
    let none: Vec<&Event> = Vec::new();
    let mut out = Vec::new();
    for ((source, country), cells) in by {
        let own = of_country.get(&(source, country)).unwrap_or(&none);
        let (s0, s1) = span[&source];
        let (d0, d1) = (
            first.days_since_epoch().max(s0),
            last.days_since_epoch().min(s1),
        );
        if d1 < d0 {
            continue;
        }
        let first = Date::from_days_since_epoch(d0);
        let days: Vec<Option<&IndexRow>> = (d0..=d1).map(|d| cells.get(&d).copied()).collect();
        let min = p.min_events;
        fn enough<'r>(r: &Option<&'r IndexRow>, min: u64) -> Option<&'r IndexRow> {
            r.filter(|r| r.events >= min)
        }
        let counts: Vec<f64> = days
            .iter()
            .map(|r| r.map_or(0.0, |r| r.quad(QuadClass::MaterialConflict) as f64))
            .collect();
        let evidence = |from: Date, to: Date| {
            evidence_from_events(own.iter().copied(), country, from, to, p.evidence)
        };
        for (i, st) in cusum::run(&counts, &p.cusum).iter().enumerate() {
            let Some(st) = st.filter(|s| s.alarm) else {
                continue;
            };
            let day = add_days(first, i as i64);
            out.push(Alert::raise(
                Rule::NbCusum,
                country,
                day,
                Level::Medium,
                (st.s, p.cusum.h),
                format!(
                    "{source}: {} material-conflict events on {day} against a mean of {:.1} over the {} days before; CUSUM {:.2} >= {}",
                    counts[i], st.mean0, p.cusum.baseline, st.s, p.cusum.h
                ),
                evidence(day, day),
            ));
        }
        let measures: [(Rule, &ShiftParams, &str, Vec<Option<f64>>); 3] = [
            (
                Rule::GoldsteinShift,
                &p.goldstein,
                "mean Goldstein",
                days.iter()
                    .map(|r| enough(r, min).and_then(|r| r.goldstein_mean))
                    .collect(),
            ),
            (
                Rule::ToneShift,
                &p.tone,
                "mean tone",
                days.iter()
                    .map(|r| enough(r, min).and_then(|r| r.tone_mean))
                    .collect(),
            ),
            (
                Rule::ConflictShareShift,
                &p.conflict_share,
                "conflict share",
                days.iter()
                    .map(|r| enough(r, min).map(IndexRow::conflict_share))
                    .collect(),
            ),
        ];
        for (rule, sp, what, values) in measures {
            for (i, st) in shift::run(&values, sp).iter().enumerate() {
                let Some(st) = st.filter(|s| s.alarm) else {
                    continue;
                };
                let day = add_days(first, i as i64);
                let from = add_days(day, 1 - sp.recent as i64);
                out.push(Alert::raise(
                    rule,
                    country,
                    day,
                    Level::Medium,
                    (st.z, if sp.direction == Direction::Down { -sp.z } else { sp.z }),
                    format!(
                        "{source}: {what} {:.2} over {from}..{day} against {:.2} (sd {:.2}) over the {} days before; z = {:.1}",
                        st.recent_mean, st.base_mean, st.base_sd, sp.baseline, st.z
                    ),
                    evidence(from, day),
                ));
            }
        }
    }
    out
}

/// HDX Signals alerts for one country's daily fatalities (day 0 = `start`); `evidence(from,
/// to)` returns the records behind the 30 days `[from, to]`.
pub fn fatalities(
    country: &str,
    start: Date,
    daily: &[f64],
    p: &HdxParams,
    evidence: impl Fn(Date, Date) -> Vec<Evidence>,
) -> Vec<Alert> {
    hdx::signals(start, daily, p)
        .into_iter()
        .map(|s| {
            let from = add_days(s.date, 1 - p.window_days as i64);
            let years = match s.level {
                Level::High => "three years",
                Level::Medium => "a year",
            };
            Alert::raise(
                Rule::HdxSurge,
                country,
                s.date,
                s.level,
                (s.value, s.previous_max.max(p.floor)),
                format!(
                    "{} deaths in the 30 days to {}, the most in {years} (previous high {}), above the floor of {}",
                    s.value, s.date, s.previous_max, p.floor
                ),
                evidence(from, s.date),
            )
        })
        .collect()
}

/// Countries with at least one alert, for a summary line.
pub fn countries(alerts: &[Alert]) -> BTreeSet<&str> {
    alerts.iter().map(|a| a.country.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::parse_gdelt_export;
    use crate::index;

    fn ev(id: u64, day: Date, root: u8, gold: f64) -> Event {
        let mut f = vec![String::new(); 61];
        f[0] = id.to_string();
        f[1] = format!("{:04}{:02}{:02}", day.year, day.month, day.day);
        f[26] = format!("{root:02}0");
        f[27] = f[26].clone();
        f[28] = format!("{root:02}");
        f[29] = QuadClass::of_root(root).unwrap().number().to_string();
        f[30] = gold.to_string();
        f[31] = "1".into();
        f[32] = "1".into();
        f[33] = "1".into();
        f[34] = "-1.0".into();
        f[59] = "20191024143000".into();
        f[60] = format!("https://news.example/{id}");
        let mut e = parse_gdelt_export(f.join("\t").as_bytes())
            .unwrap()
            .remove(0);
        e.iso3 = Some("CAF".into());
        e
    }

    #[test]
    fn a_burst_of_fighting_raises_alerts_with_evidence() {
        let first: Date = "2020-01-01".parse().unwrap();
        let mut events = Vec::new();
        let mut id = 0;
        for d in 0..130 {
            let day = add_days(first, d);
            // 6 cooperative events a day, one fight every fourth day; then 20 fights a day.
            for _ in 0..6 {
                id += 1;
                events.push(ev(id, day, 4, 1.0 + (d % 3) as f64));
            }
            let fights = if d >= 120 { 20 } else { u64::from(d % 4 == 0) };
            for _ in 0..fights {
                id += 1;
                events.push(ev(id, day, 19, -10.0));
            }
        }
        let rows = index::build(&events, &[], Granularity::Day);
        let last = add_days(first, 129);
        let alerts = super::events(&rows, &events, first, last, &MonitorParams::default());
        let rules: BTreeSet<Rule> = alerts.iter().map(|a| a.rule).collect();
        assert!(rules.contains(&Rule::NbCusum), "{rules:?}");
        assert!(rules.contains(&Rule::GoldsteinShift), "{rules:?}");
        assert!(rules.contains(&Rule::ConflictShareShift), "{rules:?}");
        let c = alerts.iter().find(|a| a.rule == Rule::NbCusum).unwrap();
        assert_eq!(c.raised_on, add_days(first, 120));
        assert_eq!(c.evidence.len(), 20);
        assert!(
            c.evidence
                .iter()
                .all(|e| e.value == -10.0 && e.url.is_some())
        );
        assert!(
            alerts.iter().all(|a| a.raised_on >= add_days(first, 120)),
            "no alert before the burst"
        );
        assert_eq!(countries(&alerts).into_iter().collect::<Vec<_>>(), ["CAF"]);
        assert!(c.evidence[0].id.starts_with("gdelt:"));
    }

    /// Days before a feed began are no data, not days of zero events: a feed's first day of
    /// fighting raises nothing when the range asked for starts long before it.
    #[test]
    fn a_feed_is_read_only_over_the_days_it_covers() {
        let first: Date = "2020-01-01".parse().unwrap();
        let late = add_days(first, 100);
        let events: Vec<Event> = (0..20).map(|i| ev(i + 1, late, 19, -10.0)).collect();
        let rows = index::build(&events, &[], Granularity::Day);
        let alerts = super::events(&rows, &events, first, late, &MonitorParams::default());
        assert!(alerts.is_empty(), "{alerts:?}");
    }

    #[test]
    fn hdx_alerts_carry_their_evidence_window() {
        let start: Date = "2020-01-01".parse().unwrap();
        let mut daily = vec![0.0; 400];
        daily[399] = 150.0;
        let a = fatalities("CAF", start, &daily, &HdxParams::default(), |from, to| {
            vec![Evidence {
                id: format!("ged:{from}..{to}"),
                date: to,
                value: 150.0,
                url: None,
                note: String::new(),
            }]
        });
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].rule, Rule::HdxSurge);
        assert_eq!(a[0].evidence[0].id, "ged:2021-01-05..2021-02-03");
        assert!(
            a[0].explanation.contains("150 deaths"),
            "{}",
            a[0].explanation
        );
    }
}
