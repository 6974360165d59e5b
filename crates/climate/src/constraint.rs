//! Ensembles constrained by observations: prior members from [`crate::ensemble::sample`]'s
//! stream are kept or rejected by how well their simulated past matches observed values.
//!
//! Method (docs/CLIMATE_METHOD.md, "Ensembles"): candidate `i` is the `i`-th member of the
//! unconstrained stream for the seed. It is run on the emissions cut at the last year any
//! observation needs ([`Constraint::last_year`]), so nothing after the observations can
//! influence the choice; its Gaussian likelihood is
//! `L_i = exp(-½ Σ_k ((model_k − observed_k) / sd_k)²)`, which is at most 1. Candidate `i`
//! is accepted when `u_i < L_i`, with `u_i` the `i`-th uniform of a second ChaCha8 stream
//! keyed on the same seed (stream 1; the parameters use stream 0). Candidates are taken in
//! order until `n` are accepted: rejection sampling with the exact bound, so the accepted
//! members are independent draws from prior × likelihood, with no duplicates, and member
//! `j` of the constrained ensemble is the same for any `n > j`. The work is split over
//! threads in batches, but the decisions are taken in candidate order, so the result does
//! not depend on the thread count or the batch size.
//!
//! No IO: the observations are values; the reference numbers are the documented constants
//! below.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::SeedableRng;

use crate::ClimateError;
use crate::calibration::{AR6_OBSERVED_2011_2020, BASE_PERIOD, NOAA_CO2_2014};
use crate::emissions::Emissions;
use crate::ensemble::{Ensemble, Sampler, Spread, par_map, run_ensemble, uniform};
use crate::model::{Output, run};
use crate::params::Fair16Params;

/// AR6 WG1 SPM A.1.2: global surface temperature 2011–2020 was 1.09 [0.95 to 1.20] °C
/// above 1850–1900 (very likely range). The best estimate is
/// [`AR6_OBSERVED_2011_2020`].
pub const AR6_OBSERVED_2011_2020_VERY_LIKELY: (f64, f64) = (0.95, 1.20);

/// Standard deviation used for the AR6 2011–2020 warming: the very likely (5–95%) range
/// 0.95–1.20 K read as ± 1.645 sd, (1.20 − 0.95) / 3.29 = 0.076 K.
pub const AR6_OBSERVED_2011_2020_SD: f64 = (1.20 - 0.95) / (2.0 * 1.6449);

/// Standard deviation used for NOAA's 2014 CO2 ([`NOAA_CO2_2014`]), ppm. NOAA's own
/// uncertainty of the global annual mean is about 0.1 ppm; 2 ppm (as in the
/// `calibrated-hist` fit) stands for the emulator's structural error, not the
/// measurement's.
pub const NOAA_CO2_2014_SD: f64 = 2.0;

/// What an observation measures in a model run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Observable {
    /// Mean temperature over the inclusive years, relative to the constraint's base
    /// period, K.
    Warming {
        /// First year of the period.
        first: i32,
        /// Last year of the period.
        last: i32,
    },
    /// CO2 concentration in a year, ppm.
    Co2 {
        /// The year.
        year: i32,
    },
}

/// One observed value with its uncertainty (Gaussian, standard deviation `sd`).
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// Label for reports, with the source.
    pub label: String,
    /// What is observed.
    pub observable: Observable,
    /// Observed value (K or ppm).
    pub value: f64,
    /// Standard deviation of the Gaussian likelihood (same unit).
    pub sd: f64,
}

impl Observation {
    /// AR6 WG1 SPM A.1.2: GSAT 2011–2020 vs 1850–1900 = 1.09 K, very likely 0.95–1.20
    /// ([`AR6_OBSERVED_2011_2020_SD`]).
    pub fn ar6_warming_2011_2020() -> Self {
        Self {
            label: "GSAT 2011-2020 vs 1850-1900 (AR6 WG1 SPM A.1.2)".into(),
            observable: Observable::Warming {
                first: 2011,
                last: 2020,
            },
            value: AR6_OBSERVED_2011_2020,
            sd: AR6_OBSERVED_2011_2020_SD,
        }
    }

    /// NOAA GML global mean CO2, annual mean 2014 = 397.15 ppm, sd [`NOAA_CO2_2014_SD`].
    pub fn noaa_co2_2014() -> Self {
        Self {
            label: "CO2 2014 (NOAA GML global annual mean)".into(),
            observable: Observable::Co2 { year: 2014 },
            value: NOAA_CO2_2014,
            sd: NOAA_CO2_2014_SD,
        }
    }

    /// The last year this observation needs from a run.
    pub fn last_year(&self) -> i32 {
        match self.observable {
            Observable::Warming { last, .. } => last,
            Observable::Co2 { year } => year,
        }
    }

    /// The modelled value in `out`, a run rebased to the constraint's base period.
    pub fn model_value(&self, out: &Output) -> Result<f64, ClimateError> {
        match self.observable {
            Observable::Warming { first, last } => {
                out.mean_temperature(first..=last)
                    .ok_or(ClimateError::EmptyBaseline {
                        start: first,
                        end: last,
                    })
            }
            Observable::Co2 { year } => out
                .index_of(year)
                .map(|i| out.concentration_co2_ppm[i])
                .ok_or(ClimateError::EmptyBaseline {
                    start: year,
                    end: year,
                }),
        }
    }
}

/// A set of observations that ensemble members must be consistent with.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    /// The observations (independent Gaussian errors).
    pub observed: Vec<Observation>,
    /// Reference period of the warming observations and of the ensemble's temperatures.
    pub base_period: (i32, i32),
    /// Candidates drawn at most per requested member before giving up
    /// ([`ClimateError::ConstraintTooTight`]).
    pub max_draws_per_member: usize,
}

impl Constraint {
    /// AR6's observed warming 2011–2020 alone (the `--constraint observed` of the CLI).
    pub fn observed_warming() -> Self {
        Self {
            observed: vec![Observation::ar6_warming_2011_2020()],
            base_period: BASE_PERIOD,
            max_draws_per_member: 200,
        }
    }

    /// AR6's observed warming 2011–2020 and NOAA's CO2 in 2014.
    pub fn observed_warming_and_co2() -> Self {
        Self {
            observed: vec![
                Observation::ar6_warming_2011_2020(),
                Observation::noaa_co2_2014(),
            ],
            ..Self::observed_warming()
        }
    }

    /// The last year the constraint reads (observations and base period).
    pub fn last_year(&self) -> i32 {
        self.observed
            .iter()
            .map(Observation::last_year)
            .fold(self.base_period.1, i32::max)
    }

    /// `e` cut after [`Constraint::last_year`]: what candidates are run on. An error if
    /// `e` does not reach that year.
    pub fn history(&self, e: &Emissions) -> Result<Emissions, ClimateError> {
        let first = e.years().first().map_or(0, |y| *y as i32);
        let last = self.last_year();
        e.slice_years(first, last)
            .ok_or(ClimateError::ConstraintOutsideRun {
                year: last,
                first,
                last: e.years().last().map_or(0, |y| *y as i32),
            })
    }

    /// Modelled values of every observation for a run of `p` on `history` (already cut).
    pub fn model_values(
        &self,
        history: &Emissions,
        p: &Fair16Params,
    ) -> Result<Vec<f64>, ClimateError> {
        let out = run(history, p)?.rebased(self.base_period.0..=self.base_period.1)?;
        self.observed.iter().map(|o| o.model_value(&out)).collect()
    }

    /// Likelihood of modelled values, `exp(-½ Σ z²)` in [0, 1] (1 = every value exact).
    pub fn likelihood(&self, values: &[f64]) -> f64 {
        let chi2: f64 = self
            .observed
            .iter()
            .zip(values)
            .map(|(o, v)| ((v - o.value) / o.sd).powi(2))
            .sum();
        (-0.5 * chi2).exp()
    }

    /// Accepts `n` members (see the module docs). Candidates are the stream of
    /// [`crate::ensemble::sample`]`(base, spread, _, seed)`, run on `e` cut by
    /// [`Constraint::history`]; up to `threads` threads (the result does not depend on it).
    pub fn select(
        &self,
        e: &Emissions,
        base: &Fair16Params,
        spread: &Spread,
        n: usize,
        seed: u64,
        threads: usize,
    ) -> Result<Selection, ClimateError> {
        let history = self.history(e)?;
        let budget = n.saturating_mul(self.max_draws_per_member.max(1));
        let mut sampler = Sampler::new(base, spread, seed);
        let mut accept_rng = ChaCha8Rng::seed_from_u64(seed);
        accept_rng.set_stream(1);
        let mut sel = Selection {
            members: Vec::with_capacity(n),
            candidate_index: Vec::with_capacity(n),
            modelled: Vec::new(),
            likelihood: Vec::new(),
        };
        let mut drawn = 0usize;
        while sel.members.len() < n {
            if drawn >= budget {
                return Err(ClimateError::ConstraintTooTight {
                    accepted: sel.members.len(),
                    wanted: n,
                    candidates: drawn,
                });
            }
            // Batch size: enough for the members still missing at the acceptance rate so
            // far (plus a margin); it changes the work done, never the result.
            let missing = n - sel.members.len();
            let rate = (sel.members.len() as f64 + 1.0) / (drawn as f64 + 1.0);
            let want = ((missing as f64 / rate) * 1.2).ceil() as usize + threads;
            let lo = threads.max(16);
            let batch = want.max(lo).min((4 * n).max(lo)).min(budget - drawn);
            let candidates: Vec<Fair16Params> = (0..batch).map(|_| sampler.draw()).collect();
            let values = par_map(&candidates, threads, |p| {
                if attache_core::cancel::cancelled() {
                    return Err(ClimateError::Cancelled);
                }
                self.model_values(&history, p)
            });
            for (p, v) in candidates.into_iter().zip(values) {
                let v = v?;
                let l = self.likelihood(&v);
                let u = uniform(&mut accept_rng);
                sel.modelled.push(v);
                sel.likelihood.push(l);
                if u < l {
                    sel.candidate_index.push(drawn);
                    sel.members.push(p);
                }
                drawn += 1;
                if sel.members.len() == n {
                    break;
                }
            }
        }
        Ok(sel)
    }

    /// [`Constraint::select`], then every accepted member run on the whole of `e`, with
    /// temperatures rebased to the constraint's base period.
    pub fn run_ensemble(
        &self,
        e: &Emissions,
        base: &Fair16Params,
        spread: &Spread,
        n: usize,
        seed: u64,
        threads: usize,
    ) -> Result<ConstrainedEnsemble, ClimateError> {
        let selection = self.select(e, base, spread, n, seed, threads)?;
        let ensemble = run_ensemble(e, &selection.members, self.base_period, threads)?;
        Ok(ConstrainedEnsemble {
            selection,
            ensemble,
        })
    }
}

/// The outcome of [`Constraint::select`].
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// Accepted members, in candidate order.
    pub members: Vec<Fair16Params>,
    /// Candidate number (0-based position in the prior stream) of each accepted member.
    pub candidate_index: Vec<usize>,
    /// `modelled[i][k]`: candidate `i`'s value of observation `k`, for every candidate
    /// examined (up to and including the last accepted one).
    pub modelled: Vec<Vec<f64>>,
    /// Likelihood of every candidate examined.
    pub likelihood: Vec<f64>,
}

impl Selection {
    /// Candidates examined.
    pub fn candidates(&self) -> usize {
        self.likelihood.len()
    }

    /// Accepted / examined (NaN when nothing was examined).
    pub fn acceptance_rate(&self) -> f64 {
        self.members.len() as f64 / self.candidates() as f64
    }

    /// Kish effective sample size of the examined candidates weighted by their
    /// likelihoods, `(Σ L)² / Σ L²`: what importance weighting of the same candidates
    /// would be worth. The accepted members themselves are independent, equally weighted
    /// draws (effective size = their number).
    pub fn weighted_ess(&self) -> f64 {
        let s: f64 = self.likelihood.iter().sum();
        let s2: f64 = self.likelihood.iter().map(|l| l * l).sum();
        s * s / s2
    }

    /// Observation `k` as modelled by every examined candidate (the prior).
    pub fn prior_values(&self, k: usize) -> Vec<f64> {
        self.modelled.iter().map(|v| v[k]).collect()
    }

    /// Observation `k` as modelled by the accepted members (the constrained ensemble).
    pub fn accepted_values(&self, k: usize) -> Vec<f64> {
        self.candidate_index
            .iter()
            .map(|i| self.modelled[*i][k])
            .collect()
    }
}

/// A constrained ensemble: which members were kept, and their runs.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstrainedEnsemble {
    /// The selection.
    pub selection: Selection,
    /// The accepted members run on the whole scenario.
    pub ensemble: Ensemble,
}
