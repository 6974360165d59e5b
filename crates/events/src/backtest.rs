//! The alert rules against real fatalities: how many of the months that mattered they warned of,
//! how early, and how often they cried wolf.
//!
//! Input: a daily fatality series per country (from UCDP GED events, say, each event's `best`
//! on its `date_start`). Definitions, stated once (see [`TargetParams`]):
//!
//! - **Target month**: a calendar month with at least `threshold` (25) deaths that follows a
//!   quiet period (none of the `lookback` (3) months before it reached `threshold`) or is a
//!   surge (at least `surge_ratio` (2) times the largest of those months). The first
//!   `lookback` months of a series are not targets.
//! - **Onset day** of a target month: the day on which that month's running total first meets
//!   the condition (`threshold` after a quiet period; also `surge_ratio` times the months
//!   before for a surge); this is when a reader of the daily data learns the month is a target.
//! - **Warned**: the rule raised an alert on a day in `[onset − horizon, onset)` (horizon 90
//!   days). **Lead**: onset minus the earliest such day, in days. **Detected**: warned, or an
//!   alert from the onset to the month's end (**delay**: days from the onset to that alert);
//!   rules that react to the level itself (HDX Signals) mostly detect rather than warn.
//! - **Episode**: consecutive calendar months in which the rule raised at least one alert.
//! - **False alarm**: an episode after whose first alert no month from its first month to
//!   `horizon_months` (3) after its last month has `threshold` deaths or more: nothing of the
//!   size the rule is for followed it. Rates are per country-year of series (all months of
//!   every series, warm-up included, the same denominator for every rule), or from
//!   `evaluate_from` on when it is set (targets and episodes too).
//!
//! Rules under test ([`RuleUnderTest`]): the HDX Signals rule on daily data (every day it fires,
//! before its 180-day repeat filter, since an analyst watching the rule sees those days; the
//! filtered signals are counted too) and the negative-binomial CUSUM on monthly totals, raised
//! on the last day of the month it saw.

use crate::alerts::cusum::{self, NbCusumParams};
use crate::alerts::hdx::{self, HdxParams};
use crate::alerts::month_runs;
use attache_core::{Date, MonthId};
use std::collections::BTreeSet;
use std::fmt;

/// One country's daily fatalities, day 0 = `start`.
#[derive(Debug, Clone, PartialEq)]
pub struct CountrySeries {
    pub country: String,
    pub start: Date,
    pub daily: Vec<f64>,
}

impl CountrySeries {
    /// A dense series over whole calendar months, from the first month of the earliest record
    /// to the last day of the month of the latest, zero on days without a record.
    pub fn from_records(
        country: &str,
        records: impl IntoIterator<Item = (Date, f64)>,
    ) -> Option<CountrySeries> {
        let recs: Vec<(Date, f64)> = records.into_iter().collect();
        let first = recs.iter().map(|r| r.0).min()?;
        let last = recs.iter().map(|r| r.0).max()?;
        let start = first.month_id().first_day();
        let end = last.month_id().plus(1).first_day();
        let d0 = start.days_since_epoch();
        let mut daily = vec![0.0; (end.days_since_epoch() - d0) as usize];
        for (d, v) in recs {
            daily[(d.days_since_epoch() - d0) as usize] += v;
        }
        Some(CountrySeries {
            country: country.to_string(),
            start,
            daily,
        })
    }

    /// A daily series from monthly totals (consecutive months), each month's deaths spread
    /// evenly over its days: the 30-day sums are then close to the monthly totals, and onset
    /// days are interpolated within the month. For sources that publish months only (ViEWS).
    pub fn from_monthly(country: &str, months: &[(MonthId, f64)]) -> Option<CountrySeries> {
        let first = months.first()?.0;
        let mut daily = Vec::new();
        for (k, (m, v)) in months.iter().enumerate() {
            assert_eq!(*m, first.plus(k as i32), "months must be consecutive");
            let days = m.plus(1).first_day().days_since_epoch() - m.first_day().days_since_epoch();
            daily.extend(std::iter::repeat_n(v / days as f64, days as usize));
        }
        Some(CountrySeries {
            country: country.to_string(),
            start: first.first_day(),
            daily,
        })
    }

    /// The date of day `i`.
    pub fn day(&self, i: usize) -> Date {
        Date::from_days_since_epoch(self.start.days_since_epoch() + i as i64)
    }

    /// Monthly totals, in order, with each month's first day index.
    pub fn monthly(&self) -> Vec<(MonthId, f64, usize)> {
        let mut out: Vec<(MonthId, f64, usize)> = Vec::new();
        for (i, v) in self.daily.iter().enumerate() {
            let m = self.day(i).month_id();
            match out.last_mut() {
                Some((lm, s, _)) if *lm == m => *s += v,
                _ => out.push((m, *v, i)),
            }
        }
        out
    }

    /// Country-years covered (months / 12).
    pub fn years(&self) -> f64 {
        self.monthly().len() as f64 / 12.0
    }
}

/// What a target month is, and how far ahead a warning counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetParams {
    pub threshold: f64,
    pub surge_ratio: f64,
    pub lookback: usize,
    pub horizon_days: i64,
    pub horizon_months: i32,
    /// Count targets, episodes and country-years only from this month on (a short series whose
    /// first months are the rules' warm-up); `None` = all months.
    pub evaluate_from: Option<MonthId>,
}

impl Default for TargetParams {
    fn default() -> TargetParams {
        TargetParams {
            threshold: 25.0,
            surge_ratio: 2.0,
            lookback: 3,
            horizon_days: 90,
            horizon_months: 3,
            evaluate_from: None,
        }
    }
}

/// A target month.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub country: String,
    pub month: MonthId,
    pub deaths: f64,
    /// The largest of the `lookback` months before.
    pub before_max: f64,
    pub onset: Date,
    /// The last day of the month.
    pub month_end: Date,
}

/// The target months of a series.
pub fn targets(s: &CountrySeries, p: &TargetParams) -> Vec<Target> {
    let months = s.monthly();
    let mut out = Vec::new();
    for i in p.lookback..months.len() {
        let (m, deaths, first_day) = months[i];
        if p.evaluate_from.is_some_and(|f| m < f) {
            continue;
        }
        let before_max = months[i - p.lookback..i]
            .iter()
            .map(|x| x.1)
            .fold(0.0, f64::max);
        let quiet = before_max < p.threshold;
        if deaths < p.threshold || !(quiet || deaths >= p.surge_ratio * before_max) {
            continue;
        }
        let need = if quiet {
            p.threshold
        } else {
            p.threshold.max(p.surge_ratio * before_max)
        };
        let mut run = 0.0;
        let mut onset = first_day;
        for (j, v) in s.daily[first_day..].iter().enumerate() {
            run += v;
            if run >= need {
                onset = first_day + j;
                break;
            }
        }
        out.push(Target {
            country: s.country.clone(),
            month: m,
            deaths,
            before_max,
            onset: s.day(onset),
            month_end: Date::from_days_since_epoch(m.plus(1).first_day().days_since_epoch() - 1),
        });
    }
    out
}

/// A rule and its parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RuleUnderTest {
    /// HDX Signals on daily data; alerts are the days it fires (before the repeat filter).
    Hdx(HdxParams),
    /// NB CUSUM on monthly totals, raised on the month's last day.
    NbCusum(NbCusumParams),
}

impl RuleUnderTest {
    pub fn name(&self) -> &'static str {
        match self {
            RuleUnderTest::Hdx(_) => "HDX Signals surge",
            RuleUnderTest::NbCusum(_) => "NB CUSUM (monthly)",
        }
    }

    /// The days the rule raises an alert on.
    pub fn alert_days(&self, s: &CountrySeries) -> Vec<Date> {
        match self {
            RuleUnderTest::Hdx(p) => hdx::raw(s.start, &s.daily, p)
                .iter()
                .map(|x| x.date)
                .collect(),
            RuleUnderTest::NbCusum(p) => {
                let months = s.monthly();
                let counts: Vec<f64> = months.iter().map(|m| m.1).collect();
                cusum::run(&counts, p)
                    .iter()
                    .zip(&months)
                    .filter(|(st, _)| st.is_some_and(|x| x.alarm))
                    .map(|(_, m)| {
                        Date::from_days_since_epoch(m.0.plus(1).first_day().days_since_epoch() - 1)
                    })
                    .collect()
            }
        }
    }

    /// The days of the signals a person would be sent (HDX: after the 180-day filter; CUSUM:
    /// every alarm).
    pub fn signal_days(&self, s: &CountrySeries) -> Vec<Date> {
        match self {
            RuleUnderTest::Hdx(p) => hdx::signals(s.start, &s.daily, p)
                .iter()
                .map(|x| x.date)
                .collect(),
            RuleUnderTest::NbCusum(_) => self.alert_days(s),
        }
    }
}

/// One rule's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleResult {
    pub rule: &'static str,
    pub targets: usize,
    pub warned: usize,
    /// Lead of each warned target, days.
    pub leads: Vec<i64>,
    /// Targets with an alert from `horizon` days before the onset to the end of the month
    /// (warned, or caught while it happened).
    pub detected: usize,
    /// For targets detected but not warned: days from the onset to the first alert.
    pub delays: Vec<i64>,
    pub alert_days: usize,
    pub signals: usize,
    pub episodes: usize,
    pub false_alarms: usize,
    pub country_years: f64,
}

impl RuleResult {
    pub fn mean_lead(&self) -> Option<f64> {
        (!self.leads.is_empty())
            .then(|| self.leads.iter().sum::<i64>() as f64 / self.leads.len() as f64)
    }

    pub fn median_lead(&self) -> Option<f64> {
        median(&self.leads)
    }

    pub fn median_delay(&self) -> Option<f64> {
        median(&self.delays)
    }

    pub fn false_alarms_per_country_year(&self) -> f64 {
        if self.country_years > 0.0 {
            self.false_alarms as f64 / self.country_years
        } else {
            0.0
        }
    }
}

fn median(v: &[i64]) -> Option<f64> {
    {
        let mut v = v.to_vec();
        v.sort_unstable();
        let n = v.len();
        match n {
            0 => None,
            _ if n % 2 == 1 => Some(v[n / 2] as f64),
            _ => Some((v[n / 2 - 1] + v[n / 2]) as f64 / 2.0),
        }
    }
}

/// Targets and each rule's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    pub params: TargetParams,
    pub targets: Vec<Target>,
    pub results: Vec<RuleResult>,
}

/// Runs every rule over every series.
pub fn run(series: &[CountrySeries], p: &TargetParams, rules: &[RuleUnderTest]) -> Backtest {
    let all_targets: Vec<Vec<Target>> = series.iter().map(|s| targets(s, p)).collect();
    let evaluated = |s: &CountrySeries| {
        s.monthly()
            .iter()
            .filter(|m| p.evaluate_from.is_none_or(|f| m.0 >= f))
            .count() as f64
            / 12.0
    };
    let country_years: f64 = series.iter().map(evaluated).sum();
    let mut results = Vec::new();
    for rule in rules {
        let mut r = RuleResult {
            rule: rule.name(),
            targets: 0,
            warned: 0,
            leads: Vec::new(),
            detected: 0,
            delays: Vec::new(),
            alert_days: 0,
            signals: 0,
            episodes: 0,
            false_alarms: 0,
            country_years,
        };
        for (s, ts) in series.iter().zip(&all_targets) {
            let days = rule.alert_days(s);
            let set: BTreeSet<i64> = days.iter().map(|d| d.days_since_epoch()).collect();
            let counted = |d: &&Date| p.evaluate_from.is_none_or(|f| d.month_id() >= f);
            r.alert_days += days.iter().filter(counted).count();
            r.signals += rule.signal_days(s).iter().filter(counted).count();
            r.targets += ts.len();
            for t in ts {
                let on = t.onset.days_since_epoch();
                if let Some(first) = set.range(on - p.horizon_days..on).next() {
                    r.warned += 1;
                    r.detected += 1;
                    r.leads.push(on - first);
                } else if let Some(first) = set.range(on..=t.month_end.days_since_epoch()).next() {
                    r.detected += 1;
                    r.delays.push(first - on);
                }
            }
            let monthly = s.monthly();
            let deaths_in = |m: MonthId| monthly.iter().find(|x| x.0 == m).map_or(0.0, |x| x.1);
            let runs = month_runs(days.iter().map(|d| d.month_id()));
            for (first, last) in runs
                .into_iter()
                .filter(|r| p.evaluate_from.is_none_or(|f| r.0 >= f))
            {
                r.episodes += 1;
                let followed = first
                    .through(last.plus(p.horizon_months))
                    .any(|m| deaths_in(m) >= p.threshold);
                if !followed {
                    r.false_alarms += 1;
                }
            }
        }
        results.push(r);
    }
    Backtest {
        params: *p,
        targets: all_targets.into_iter().flatten().collect(),
        results,
    }
}

impl fmt::Display for Backtest {
    /// The table for a closing note.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let opt = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.1}"));
        writeln!(
            f,
            "| rule | target months | warned | mean lead (d) | median lead (d) | detected by month end | median delay (d) | alert days | signals | episodes | false alarms | per country-year |"
        )?;
        writeln!(
            f,
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        )?;
        for r in &self.results {
            writeln!(
                f,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.3} |",
                r.rule,
                r.targets,
                r.warned,
                opt(r.mean_lead()),
                opt(r.median_lead()),
                r.detected,
                opt(r.median_delay()),
                r.alert_days,
                r.signals,
                r.episodes,
                r.false_alarms,
                r.false_alarms_per_country_year()
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn targets_and_onsets() {
        // Quiet 2019, then 30 deaths spread over 2020-01-11..=2020-01-13 (10 a day).
        let mut recs = vec![(d("2019-01-05"), 2.0)];
        recs.extend(
            [
                ("2020-01-11", 10.0),
                ("2020-01-12", 10.0),
                ("2020-01-13", 10.0),
            ]
            .map(|(x, v)| (d(x), v)),
        );
        recs.push((d("2020-02-20"), 40.0)); // 40 >= 25 but < 2 x 30: not a target
        let s = CountrySeries::from_records("CAF", recs).unwrap();
        assert_eq!(s.start, d("2019-01-01"));
        assert_eq!(s.day(s.daily.len() - 1), d("2020-02-29"));
        let t = targets(&s, &TargetParams::default());
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].month, MonthId::from_year_month(2020, 1).unwrap());
        assert_eq!(t[0].onset, d("2020-01-13"));
        assert_eq!(s.years(), 14.0 / 12.0);
    }

    #[test]
    fn leads_episodes_and_false_alarms() {
        // One target in 2021-06 (onset 06-10); rule with a fixed alert in 2021-05-01 (lead 40)
        // and a lone alert in 2020-01 followed by nothing (a false alarm).
        let mut recs = vec![
            (d("2019-01-01"), 0.0),
            (d("2021-06-10"), 30.0),
            (d("2021-12-31"), 0.0),
        ];
        recs.push((d("2019-06-01"), 1.0));
        let s = CountrySeries::from_records("CAF", recs).unwrap();
        let t = targets(&s, &TargetParams::default());
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].onset, d("2021-06-10"));
        // HDX with a floor of 1 and short windows fires on 2019-06-01 .. and on 2021-06-10.
        let p = HdxParams {
            window_days: 1,
            medium_days: 30,
            high_days: 60,
            floor: 1.0,
            quiet_days: 180,
        };
        let b = run(&[s], &TargetParams::default(), &[RuleUnderTest::Hdx(p)]);
        let r = &b.results[0];
        assert_eq!(r.targets, 1);
        // It fires on the onset day itself, not before: not warned.
        assert_eq!(r.warned, 0);
        assert_eq!(r.episodes, 2);
        assert_eq!(r.false_alarms, 1, "2019-06 was followed by nothing");
        assert!(b.to_string().contains("| HDX Signals surge | 1 | 0 |"));
    }
}
