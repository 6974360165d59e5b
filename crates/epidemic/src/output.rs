//! One run's output: compartment counts per day and subpopulation, with incidence,
//! prevalence, attack rates, peaks and arrival days derived from them; and the quantile
//! summaries ensembles report.
//!
//! Definitions used throughout the crate:
//! - *incidence* on day d: new infections (flows along infection transitions) in the
//!   subpopulation during the step from d - 1 to d (0 on day 0);
//! - *prevalence*: people in the model's infected compartments (E and I in SEIR);
//! - *attack rate*: cumulative local infections over the population (seeds and imported
//!   infections are not local infections);
//! - *arrival*: the first day the subpopulation has at least one infected person
//!   (seeded, imported or infected there); *peak*: the day of highest prevalence.
//!
//! Quantiles are numpy's default (linear interpolation between order statistics, type 7).
//! Outcomes that did not happen within the horizon ("not reached") sort above every day
//! and stay "not reached" in a quantile; they are never counted as day 0.

/// Per day and subpopulation compartment counts of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    pub(crate) compartments: Vec<String>,
    pub(crate) subpops: Vec<String>,
    pub(crate) population: Vec<f64>,
    pub(crate) infected: Vec<bool>,
    pub(crate) days: u32,
    /// [(day * n + i) * k + c]
    pub(crate) counts: Vec<f64>,
    /// [day * n + i]
    pub(crate) incidence: Vec<f64>,
}

impl Trajectory {
    pub(crate) fn new(
        compartments: Vec<String>,
        subpops: Vec<String>,
        population: Vec<f64>,
        infected: Vec<bool>,
        days: u32,
    ) -> Trajectory {
        let (n, k) = (subpops.len(), compartments.len());
        let rows = days as usize + 1;
        Trajectory {
            compartments,
            subpops,
            population,
            infected,
            days,
            counts: Vec::with_capacity(rows * n * k),
            incidence: Vec::with_capacity(rows * n),
        }
    }

    pub(crate) fn push_day(
        &mut self,
        counts: impl Iterator<Item = f64>,
        incidence: impl Iterator<Item = f64>,
    ) {
        self.counts.extend(counts);
        self.incidence.extend(incidence);
    }

    /// Compartment names (the columns of [`Trajectory::record`]).
    pub fn compartments(&self) -> &[String] {
        &self.compartments
    }
    /// Subpopulation names.
    pub fn subpops(&self) -> &[String] {
        &self.subpops
    }
    /// The horizon: days 0..=days are recorded.
    pub fn days(&self) -> u32 {
        self.days
    }
    /// Population of a subpopulation.
    pub fn population(&self, i: usize) -> f64 {
        self.population[i]
    }
    /// Counts of every compartment on `day` in subpopulation `i`.
    pub fn record(&self, day: u32, i: usize) -> &[f64] {
        let (n, k) = (self.subpops.len(), self.compartments.len());
        let at = (day as usize * n + i) * k;
        &self.counts[at..at + k]
    }
    /// Every record in order, day-major: (day, subpopulation name, counts by compartment).
    /// One CSV row each (`day,subpop,` then [`Trajectory::compartments`]).
    pub fn rows(&self) -> impl Iterator<Item = (u32, &str, &[f64])> + '_ {
        (0..=self.days).flat_map(move |d| {
            (0..self.subpops.len()).map(move |i| (d, self.subpops[i].as_str(), self.record(d, i)))
        })
    }
    /// Count of compartment `c` on `day` in subpopulation `i`.
    pub fn count(&self, day: u32, i: usize, c: usize) -> f64 {
        self.record(day, i)[c]
    }
    /// Total of compartment `c` over all subpopulations on `day`.
    pub fn total(&self, day: u32, c: usize) -> f64 {
        (0..self.subpops.len()).map(|i| self.count(day, i, c)).sum()
    }
    /// Everyone, all compartments and subpopulations, on `day`.
    pub fn total_population(&self, day: u32) -> f64 {
        (0..self.subpops.len())
            .map(|i| self.record(day, i).iter().sum::<f64>())
            .sum()
    }
    /// New infections in `i` during the step ending on `day`.
    pub fn incidence(&self, day: u32, i: usize) -> f64 {
        self.incidence[day as usize * self.subpops.len() + i]
    }
    /// People in infected compartments in `i` on `day`.
    pub fn prevalence(&self, day: u32, i: usize) -> f64 {
        self.record(day, i)
            .iter()
            .zip(&self.infected)
            .filter(|(_, inf)| **inf)
            .map(|(x, _)| x)
            .sum()
    }
    /// Cumulative local infections in `i` over the horizon.
    pub fn cumulative_incidence(&self, i: usize) -> f64 {
        (0..=self.days).map(|d| self.incidence(d, i)).sum()
    }
    /// Cumulative local infections over the population.
    pub fn attack_rate(&self, i: usize) -> f64 {
        self.cumulative_incidence(i) / self.population[i]
    }
    /// Day and value of the highest prevalence (the first such day); `None` if nobody
    /// was ever infected.
    pub fn peak(&self, i: usize) -> Option<(u32, f64)> {
        let mut best: Option<(u32, f64)> = None;
        for d in 0..=self.days {
            let p = self.prevalence(d, i);
            if p > 0.0 && best.is_none_or(|(_, b)| p > b) {
                best = Some((d, p));
            }
        }
        best
    }
    /// First day with prevalence at or above `threshold` people (1 for a stochastic run);
    /// `None` = not reached within the horizon.
    pub fn arrival(&self, i: usize, threshold: f64) -> Option<u32> {
        (0..=self.days).find(|&d| self.prevalence(d, i) >= threshold)
    }
}

/// Median, 50% and 90% intervals of a quantity over an ensemble.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantiles {
    /// 5th percentile.
    pub q05: f64,
    /// 25th percentile.
    pub q25: f64,
    /// Median.
    pub q50: f64,
    /// 75th percentile.
    pub q75: f64,
    /// 95th percentile.
    pub q95: f64,
}

/// numpy-default quantile of sorted values; +inf sorts last and propagates.
pub(crate) fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let frac = h - lo as f64;
    if frac == 0.0 || lo + 1 >= sorted.len() {
        return sorted[lo];
    }
    let (a, b) = (sorted[lo], sorted[lo + 1]);
    if b.is_infinite() {
        return b;
    }
    a + (b - a) * frac
}

impl Quantiles {
    /// Quantiles of `values` (+inf allowed, meaning "not reached"). NaN for no values.
    pub fn of(values: &[f64]) -> Quantiles {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        Quantiles::of_sorted(&v)
    }
    pub(crate) fn of_sorted(v: &[f64]) -> Quantiles {
        Quantiles {
            q05: quantile_sorted(v, 0.05),
            q25: quantile_sorted(v, 0.25),
            q50: quantile_sorted(v, 0.5),
            q75: quantile_sorted(v, 0.75),
            q95: quantile_sorted(v, 0.95),
        }
    }
}

/// A day, or not within the horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum When {
    /// On this (possibly interpolated) day.
    Day(f64),
    /// Not within the horizon.
    NotReached,
}

impl When {
    pub(crate) fn from_f64(x: f64) -> When {
        if x.is_finite() {
            When::Day(x)
        } else {
            When::NotReached
        }
    }
}

/// Distribution over an ensemble of a day that may not come (arrival, peak).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WhenSummary {
    /// 5th percentile.
    pub q05: When,
    /// 25th percentile.
    pub q25: When,
    /// Median.
    pub median: When,
    /// 75th percentile.
    pub q75: When,
    /// 95th percentile.
    pub q95: When,
    /// Fraction of runs in which it happened within the horizon.
    pub reached: f64,
}

impl WhenSummary {
    /// Summary of days, `None` = not reached.
    pub fn of(days: &[Option<u32>]) -> WhenSummary {
        let v: Vec<f64> = days
            .iter()
            .map(|d| d.map_or(f64::INFINITY, f64::from))
            .collect();
        WhenSummary::of_values(&v)
    }

    /// Summary of values, +inf = not reached. All `NotReached` for no values.
    pub fn of_values(values: &[f64]) -> WhenSummary {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let q = if v.is_empty() {
            Quantiles::of_sorted(&[f64::INFINITY])
        } else {
            Quantiles::of_sorted(&v)
        };
        WhenSummary {
            q05: When::from_f64(q.q05),
            q25: When::from_f64(q.q25),
            median: When::from_f64(q.q50),
            q75: When::from_f64(q.q75),
            q95: When::from_f64(q.q95),
            reached: v.iter().filter(|d| d.is_finite()).count() as f64 / v.len().max(1) as f64,
        }
    }
}
