//! Stochastic ensembles and what they report: arrival-time distributions, attack rates,
//! peak days, incidence and prevalence fan charts, and a lever against its baseline.
//!
//! Runs are handed out one by one to `std::thread::scope` threads; run r always uses the
//! streams of (seed, r) and is put back in place r, so an ensemble is identical with 1 or N
//! threads. A run stops simulating once no infection can happen again anywhere (its
//! remaining days are reported as they would be: no incidence, no prevalence).
//! Comparing a lever with its baseline pairs run r with run r: both start from the same
//! streams (common random numbers), so their difference reflects the lever more than
//! chance. Per-day series are kept only for the world and the subpopulations in
//! [`EnsembleOptions::track`] (memory: runs × (days + 1) × (tracked + 1) × 2 × 4 bytes).

use crate::EpidemicError;
use crate::output::{Quantiles, WhenSummary};
use crate::setup::Setup;
use crate::stochastic::{Engine, Observer};

/// How to run an ensemble.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnsembleOptions {
    /// Number of runs (at least 1).
    pub runs: u32,
    /// Seed of every stream.
    pub seed: u64,
    /// Worker threads (at least 1); results do not depend on it.
    pub threads: usize,
    /// Subpopulations whose daily incidence and prevalence are kept for fan charts.
    pub track: Vec<usize>,
}

/// Which series a fan chart is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Track {
    /// All subpopulations together.
    World,
    /// One subpopulation (must be in [`EnsembleOptions::track`]).
    Subpop(usize),
}

/// Per-run summaries of a stochastic ensemble.
#[derive(Debug, Clone, PartialEq)]
pub struct Ensemble {
    names: Vec<String>,
    population: Vec<u64>,
    days: u32,
    runs: usize,
    track: Vec<usize>,
    /// [run * n + i]
    arrival: Vec<Option<u32>>,
    cases: Vec<u64>,
    peak: Vec<Option<u32>>,
    /// [(run * (tracked + 1) + t) * (days + 1) + d]; t = 0 is the world.
    incidence: Vec<f32>,
    prevalence: Vec<f32>,
}

struct RunSummary {
    arrival: Vec<Option<u32>>,
    cases: Vec<u64>,
    peak: Vec<Option<u32>>,
    peak_value: Vec<u64>,
    incidence: Vec<f32>,
    prevalence: Vec<f32>,
}

struct Summarise<'a> {
    s: &'a mut RunSummary,
    k: usize,
    /// The infected compartments.
    infected: &'a [usize],
    track: &'a [usize],
}

impl Observer for Summarise<'_> {
    fn needs_every_count(&self) -> bool {
        false // it reads infected counts and incidence only
    }

    fn day(&mut self, day: u32, x: &[u64], inc: &[u64]) {
        let k = self.k;
        let (mut world_inc, mut world_prev) = (0u64, 0u64);
        for (i, &new) in inc.iter().enumerate() {
            let xi = &x[i * k..(i + 1) * k];
            let prev: u64 = self.infected.iter().map(|&c| xi[c]).sum();
            let s = &mut *self.s;
            if prev > 0 && s.arrival[i].is_none() {
                s.arrival[i] = Some(day);
            }
            if prev > s.peak_value[i] {
                s.peak_value[i] = prev;
                s.peak[i] = Some(day);
            }
            s.cases[i] += new;
            world_inc += new;
            world_prev += prev;
        }
        self.s.incidence.push(world_inc as f32);
        self.s.prevalence.push(world_prev as f32);
        for &i in self.track {
            let xi = &x[i * k..(i + 1) * k];
            let prev: u64 = self.infected.iter().map(|&c| xi[c]).sum();
            self.s.incidence.push(inc[i] as f32);
            self.s.prevalence.push(prev as f32);
        }
    }
}

/// Run `opts.runs` chain-binomial runs of `setup`.
pub fn run_ensemble(setup: &Setup, opts: &EnsembleOptions) -> Result<Ensemble, EpidemicError> {
    if opts.runs == 0 {
        return Err(EpidemicError::BadOption {
            what: "runs",
            value: 0,
            expected: "at least 1",
        });
    }
    if opts.threads == 0 {
        return Err(EpidemicError::BadOption {
            what: "threads",
            value: 0,
            expected: "at least 1",
        });
    }
    let n = setup.world.len();
    for &i in &opts.track {
        if i >= n {
            return Err(EpidemicError::IndexOutOfRange { index: i, n });
        }
    }
    let engine = Engine::new(setup);
    let model = &setup.model;
    let k = model.len();
    let infected: Vec<usize> = (0..k).filter(|&c| model.is_infected(c)).collect();
    let runs = opts.runs as usize;
    let threads = opts.threads.min(runs);
    let days = setup.days as usize + 1;
    let series = opts.track.len() + 1;
    // Runs are handed out one at a time (runs that die out early cost less, so fixed
    // blocks would leave a thread idle); each is put back in its place by its index.
    let next = std::sync::atomic::AtomicUsize::new(0);
    // A request's cancellation token (attache_core::cancel) travels to the workers, which ask
    // it between runs.
    let token = attache_core::cancel::current();
    let mut done: Vec<(usize, RunSummary)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (engine, infected, track, next) = (&engine, &infected, &opts.track, &next);
                let token = token.clone();
                scope.spawn(move || {
                    let mut work = engine.work();
                    let mut mine = Vec::new();
                    loop {
                        if token.as_ref().is_some_and(|t| t.is_cancelled()) {
                            break mine;
                        }
                        let r = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if r >= runs {
                            break mine;
                        }
                        let mut s = RunSummary {
                            arrival: vec![None; n],
                            cases: vec![0; n],
                            peak: vec![None; n],
                            peak_value: vec![0; n],
                            incidence: Vec::with_capacity(days * series),
                            prevalence: Vec::with_capacity(days * series),
                        };
                        let mut obs = Summarise {
                            s: &mut s,
                            k,
                            infected,
                            track,
                        };
                        engine.run(&mut work, opts.seed, r as u64, &mut obs);
                        mine.push((r, s));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("an ensemble worker panicked"))
            .collect()
    });
    if done.len() < runs {
        return Err(EpidemicError::Cancelled);
    }
    done.sort_unstable_by_key(|(r, _)| *r);
    let blocks = [done.into_iter().map(|(_, s)| s).collect::<Vec<_>>()];
    let mut e = Ensemble {
        names: setup.world.names().to_vec(),
        population: setup.world.population().to_vec(),
        days: setup.days,
        runs,
        track: opts.track.clone(),
        arrival: Vec::with_capacity(runs * n),
        cases: Vec::with_capacity(runs * n),
        peak: Vec::with_capacity(runs * n),
        incidence: Vec::with_capacity(runs * days * series),
        prevalence: Vec::with_capacity(runs * days * series),
    };
    for s in blocks.into_iter().flatten() {
        e.arrival.extend(s.arrival);
        e.cases.extend(s.cases);
        e.peak.extend(s.peak);
        // Stored day-major per run in the observer; regroup series-major.
        for t in 0..series {
            e.incidence
                .extend((0..days).map(|d| s.incidence[d * series + t]));
            e.prevalence
                .extend((0..days).map(|d| s.prevalence[d * series + t]));
        }
    }
    Ok(e)
}

/// A lever's effect on one subpopulation, run by run against the baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeverEffect {
    /// Days of delay in arrival (lever minus baseline, run by run), over the runs where
    /// the baseline arrived; runs where the lever kept it out within the horizon count as
    /// "not reached", beyond every delay. `delay.reached` is the fraction of those runs
    /// in which it still arrived under the lever.
    pub delay: WhenSummary,
    /// Baseline cases minus lever cases (cumulative local infections).
    pub cases_avoided: Quantiles,
    /// Runs in which the baseline arrived (the delay's denominator).
    pub runs_with_arrival: usize,
}

/// A lever against its baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Per subpopulation, in network order.
    pub effects: Vec<LeverEffect>,
    /// Cases avoided over all subpopulations.
    pub total_cases_avoided: Quantiles,
}

impl Ensemble {
    /// Subpopulation names.
    pub fn names(&self) -> &[String] {
        &self.names
    }
    /// Number of runs.
    pub fn runs(&self) -> usize {
        self.runs
    }
    /// The horizon.
    pub fn days(&self) -> u32 {
        self.days
    }
    fn n(&self) -> usize {
        self.names.len()
    }
    fn column<T: Copy>(&self, v: &[T], i: usize) -> Vec<T> {
        (0..self.runs).map(|r| v[r * self.n() + i]).collect()
    }
    /// Arrival day in subpopulation `i` of every run (`None` = not within the horizon).
    pub fn arrivals(&self, i: usize) -> Vec<Option<u32>> {
        self.column(&self.arrival, i)
    }
    /// Arrival-time distribution in subpopulation `i`.
    pub fn arrival(&self, i: usize) -> WhenSummary {
        WhenSummary::of(&self.arrivals(i))
    }
    /// Day of peak prevalence in `i` (not reached = never infected).
    pub fn peak_day(&self, i: usize) -> WhenSummary {
        WhenSummary::of(&self.column(&self.peak, i))
    }
    /// Cumulative local infections in `i`, run by run.
    pub fn cases(&self, i: usize) -> Vec<u64> {
        self.column(&self.cases, i)
    }
    /// Attack rate in `i` (cumulative local infections over the population).
    pub fn attack_rate(&self, i: usize) -> Quantiles {
        let p = self.population[i] as f64;
        let v: Vec<f64> = self.cases(i).iter().map(|&c| c as f64 / p).collect();
        Quantiles::of(&v)
    }
    /// World attack rate: all local infections over everyone.
    pub fn world_attack_rate(&self) -> Quantiles {
        let p: f64 = self.population.iter().map(|&x| x as f64).sum();
        let v: Vec<f64> = (0..self.runs)
            .map(|r| {
                self.cases[r * self.n()..(r + 1) * self.n()]
                    .iter()
                    .sum::<u64>() as f64
                    / p
            })
            .collect();
        Quantiles::of(&v)
    }

    fn series(&self, which: Track, data: &[f32]) -> Result<Vec<Quantiles>, EpidemicError> {
        let t = match which {
            Track::World => 0,
            Track::Subpop(i) => {
                1 + self
                    .track
                    .iter()
                    .position(|&x| x == i)
                    .ok_or(EpidemicError::NotTracked(i))?
            }
        };
        let days = self.days as usize + 1;
        let series = self.track.len() + 1;
        let mut buf = vec![0.0; self.runs];
        Ok((0..days)
            .map(|d| {
                for (r, b) in buf.iter_mut().enumerate() {
                    *b = f64::from(data[(r * series + t) * days + d]);
                }
                Quantiles::of(&buf)
            })
            .collect())
    }
    /// Daily incidence quantiles (a fan chart), day 0..=days.
    pub fn incidence_fan(&self, which: Track) -> Result<Vec<Quantiles>, EpidemicError> {
        self.series(which, &self.incidence)
    }
    /// Daily prevalence quantiles (a fan chart), day 0..=days.
    pub fn prevalence_fan(&self, which: Track) -> Result<Vec<Quantiles>, EpidemicError> {
        self.series(which, &self.prevalence)
    }

    /// The lever (`self`) against `baseline`, run by run.
    pub fn compare(&self, baseline: &Ensemble) -> Result<Comparison, EpidemicError> {
        if self.runs != baseline.runs {
            return Err(EpidemicError::Incomparable("number of runs"));
        }
        if self.days != baseline.days {
            return Err(EpidemicError::Incomparable("horizon"));
        }
        if self.names != baseline.names {
            return Err(EpidemicError::Incomparable("subpopulations"));
        }
        let n = self.n();
        let effects = (0..n)
            .map(|i| {
                let (b, l) = (baseline.arrivals(i), self.arrivals(i));
                let mut d: Vec<f64> = Vec::with_capacity(self.runs);
                for (bb, ll) in b.iter().zip(&l) {
                    if let Some(bb) = bb {
                        d.push(ll.map_or(f64::INFINITY, |ll| f64::from(ll) - f64::from(*bb)));
                    }
                }
                let avoided: Vec<f64> = baseline
                    .cases(i)
                    .iter()
                    .zip(self.cases(i))
                    .map(|(&bc, lc)| bc as f64 - lc as f64)
                    .collect();
                LeverEffect {
                    delay: WhenSummary::of_values(&d),
                    cases_avoided: Quantiles::of(&avoided),
                    runs_with_arrival: d.len(),
                }
            })
            .collect();
        let total: Vec<f64> = (0..self.runs)
            .map(|r| {
                let s = |e: &Ensemble| e.cases[r * n..(r + 1) * n].iter().sum::<u64>() as f64;
                s(baseline) - s(self)
            })
            .collect();
        Ok(Comparison {
            effects,
            total_cases_avoided: Quantiles::of(&total),
        })
    }
}
