//! OCHA's HDX Signals conflict rule, on daily fatalities.
//!
//! As published (HDX Signals documentation, "Armed conflict"; the rule in the OCHA-DAP
//! `hdx-signals` code, `alert_daily_ts` with `min_val = 100` for `acled_conflict`):
//!
//! 1. daily fatalities are completed with zeros and summed over the past 30 days (right-aligned:
//!    day `t` holds days `t-29..=t`);
//! 2. **medium concern** on day `t` when that 30-day sum is at least the largest 30-day sum of
//!    the past 366 days (including `t`) and at least 100; **high concern** when it is at least the
//!    largest of the past 1,096 days and at least 100. A day with either needs a full window of
//!    30-day sums behind it (no signal in the first 30 + 365 days of a series);
//! 3. signals repeat at most every 180 days: going through the days in order, a signal removes
//!    the later ones 1 to 180 days after it of equal or lower level (`filter_alerts_first_run`).
//!
//! [`HdxParams::default`] holds these values; every one is a field, so the backtest can state
//! what it ran.

use super::Level;
use attache_core::Date;
use std::collections::VecDeque;

/// The rule's parameters. `Default` = the published ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HdxParams {
    /// Days in the rolling sum (30).
    pub window_days: usize,
    /// Days of 30-day sums for medium concern, including today (366).
    pub medium_days: usize,
    /// Days of 30-day sums for high concern, including today (1,096).
    pub high_days: usize,
    /// The floor: no signal below this many fatalities in 30 days (100).
    pub floor: f64,
    /// Days after a signal in which one of equal or lower level is not repeated (180).
    pub quiet_days: i64,
}

impl Default for HdxParams {
    fn default() -> HdxParams {
        HdxParams {
            window_days: 30,
            medium_days: 366,
            high_days: 1096,
            floor: 100.0,
            quiet_days: 180,
        }
    }
}

/// A day on which the rule fires.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HdxSignal {
    pub date: Date,
    pub level: Level,
    /// The 30-day fatalities.
    pub value: f64,
    /// The largest 30-day sum of the lookback before this day (what `value` matched or beat).
    pub previous_max: f64,
}

/// Right-aligned rolling sums over `k` values; `None` for the first `k - 1`. Each window is
/// summed afresh (k is 30), so a fractional series does not drift against the floor.
pub fn rolling_sum(values: &[f64], k: usize) -> Vec<Option<f64>> {
    (0..values.len())
        .map(|i| (k > 0 && i + 1 >= k).then(|| values[i + 1 - k..=i].iter().sum()))
        .collect()
}

/// For each `i`, the maximum of `values[i + 1 - k ..= i]`, or `None` if that window is not full
/// or holds a `None`.
fn rolling_max(values: &[Option<f64>], k: usize) -> Vec<Option<f64>> {
    let mut out = Vec::with_capacity(values.len());
    let mut dq: VecDeque<usize> = VecDeque::new();
    let mut last_none: Option<usize> = None;
    for (i, v) in values.iter().enumerate() {
        match v {
            None => {
                last_none = Some(i);
                dq.clear();
            }
            Some(x) => {
                while dq
                    .back()
                    .is_some_and(|&j| values[j].unwrap_or(f64::MIN) <= *x)
                {
                    dq.pop_back();
                }
                dq.push_back(i);
            }
        }
        while dq.front().is_some_and(|&j| j + k <= i) {
            dq.pop_front();
        }
        let full = k > 0 && i + 1 >= k && last_none.is_none_or(|n| n + k <= i);
        out.push(if full {
            dq.front().and_then(|&j| values[j])
        } else {
            None
        });
    }
    out
}

/// Every day of a daily fatality series (day 0 = `start`) on which the rule fires, with the
/// higher level where both do; before the repeat filter.
pub fn raw(start: Date, daily: &[f64], p: &HdxParams) -> Vec<HdxSignal> {
    let sums = rolling_sum(daily, p.window_days);
    let max_m = rolling_max(&sums, p.medium_days);
    let max_h = rolling_max(&sums, p.high_days);
    let prev_max = |i: usize, k: usize| -> f64 {
        sums[i.saturating_sub(k - 1)..i]
            .iter()
            .flatten()
            .fold(0.0, |a: f64, b| a.max(*b))
    };
    let day0 = start.days_since_epoch();
    let mut out = Vec::new();
    for i in 0..daily.len() {
        let Some(v) = sums[i] else { continue };
        if v < p.floor {
            continue;
        }
        let level = if max_h[i].is_some_and(|m| v >= m) {
            Level::High
        } else if max_m[i].is_some_and(|m| v >= m) {
            Level::Medium
        } else {
            continue;
        };
        let k = match level {
            Level::High => p.high_days,
            Level::Medium => p.medium_days,
        };
        out.push(HdxSignal {
            date: Date::from_days_since_epoch(day0 + i as i64),
            level,
            value: v,
            previous_max: prev_max(i, k),
        });
    }
    out
}

/// The published repeat filter: in date order, each signal kept removes the later signals 1 to
/// `quiet_days` days after it whose level is not higher.
pub fn filter_repeats(raw: &[HdxSignal], quiet_days: i64) -> Vec<HdxSignal> {
    let mut v: Vec<HdxSignal> = raw.to_vec();
    v.sort_by_key(|s| s.date);
    let mut i = 0;
    while i < v.len() {
        let (d, l) = (v[i].date.days_since_epoch(), v[i].level);
        v.retain(|s| {
            let gap = s.date.days_since_epoch() - d;
            !((1..=quiet_days).contains(&gap) && s.level <= l)
        });
        i += 1;
    }
    v
}

/// The signals HDX Signals would send for this series: [`raw`], then [`filter_repeats`].
pub fn signals(start: Date, daily: &[f64], p: &HdxParams) -> Vec<HdxSignal> {
    filter_repeats(&raw(start, daily, p), p.quiet_days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn rolling() {
        let s = rolling_sum(&[1.0, 2.0, 3.0, 4.0], 2);
        assert_eq!(s, [None, Some(3.0), Some(5.0), Some(7.0)]);
        let m = rolling_max(&[None, Some(3.0), Some(1.0), Some(2.0), Some(0.0)], 2);
        assert_eq!(m, [None, None, Some(3.0), Some(2.0), Some(2.0)]);
    }

    /// A hand-computed case at the thresholds. 420 quiet days (one death every 10 days: every
    /// 30-day sum is 3), then 98 deaths on day 420: its 30-day sum is 2 (days 400 and 410) + 98
    /// = 100, the floor exactly, and the largest in a year; with less than 1,096 days of
    /// history it is medium. 97 deaths instead give 99, under the floor: no signal.
    #[test]
    fn hand_computed_case_at_the_floor() {
        let start = d("2020-01-01");
        let mut daily: Vec<f64> = (0..420)
            .map(|i| if i % 10 == 0 { 1.0 } else { 0.0 })
            .collect();
        daily.push(98.0); // day 420 = 2021-02-24
        let sums = rolling_sum(&daily, 30);
        let v = sums[420].unwrap();
        // Deaths on days 400 and 410 (multiples of 10 in 391..=419), plus 98.
        assert_eq!(v, 100.0);
        let s = raw(start, &daily, &HdxParams::default());
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].date, d("2021-02-24"));
        assert_eq!(
            s[0].level,
            Level::Medium,
            "fewer than 1,096 days of history"
        );
        assert_eq!(s[0].value, 100.0);
        assert_eq!(s[0].previous_max, 3.0);
        // One death fewer: 99 < floor.
        *daily.last_mut().unwrap() = 97.0;
        assert!(raw(start, &daily, &HdxParams::default()).is_empty());
        // Too early: a full 366-day window of 30-day sums needs day >= 29 + 365 = 394.
        let mut early = vec![0.0; 393];
        early.push(500.0);
        assert!(raw(start, &early, &HdxParams::default()).is_empty());
        early.push(0.0);
        assert_eq!(raw(start, &early, &HdxParams::default()).len(), 1);
    }

    #[test]
    fn high_needs_three_years_and_the_three_year_max() {
        let start = d("2015-01-01");
        let mut daily = vec![0.0; 1200];
        daily[100] = 300.0; // a 30-day sum of 300 about three years before
        daily[1150] = 200.0; // largest in one year, not in three (window reaches day 100's sums)
        let s = raw(start, &daily, &HdxParams::default());
        assert!(s.iter().all(|x| x.level == Level::Medium), "{s:?}");
        assert_eq!(
            s[0].date,
            Date::from_days_since_epoch(start.days_since_epoch() + 1150)
        );
        assert_eq!(s[0].previous_max, 0.0, "nothing in the year before");
        daily[1150] = 300.0;
        let s = raw(start, &daily, &HdxParams::default());
        assert_eq!(s[0].level, Level::High);
    }

    #[test]
    fn repeats_within_180_days_are_filtered() {
        let sig = |day: &str, level| HdxSignal {
            date: d(day),
            level,
            value: 100.0,
            previous_max: 0.0,
        };
        let raw = [
            sig("2020-01-01", Level::Medium),
            sig("2020-01-02", Level::Medium),
            sig("2020-03-01", Level::High),
            sig("2020-05-01", Level::High),
            sig("2020-06-29", Level::Medium),
            sig("2020-08-28", Level::High),
            sig("2020-08-29", Level::Medium),
        ];
        let kept: Vec<Date> = filter_repeats(&raw, 180).iter().map(|s| s.date).collect();
        // 01-02 (1 day after 01-01, same level) and 06-29 (180 days after) go; 03-01 is higher
        // and stays. 05-01 and 08-28 (61 and 180 days after 03-01, not higher) go; 08-29 is
        // 181 days after 03-01 and 241 after 01-01: it stays.
        assert_eq!(kept, [d("2020-01-01"), d("2020-03-01"), d("2020-08-29")]);
    }
}
