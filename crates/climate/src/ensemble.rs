//! Parameter-uncertainty ensembles: seeded perturbations of a base parameter set, runs
//! of every member (in parallel, results independent of the thread count), and
//! per-year quantiles of temperature and CO2.
//!
//! Perturbed parameters ([`Spread`], defaults documented there and in
//! docs/CLIMATE_METHOD.md): climate response (two-box TCR and ECS as a correlated
//! log-normal pair centred on the base values, members with ECS ≤ TCR redrawn; three-layer
//! κ1 and ε log-normal), carbon cycle (r0, rc, rt, normal multiplicative factors) and
//! forcing (scale factors for CO2, aerosols, and the other anthropogenic agents).
//! Draws come from ChaCha8 keyed on the seed, in member order, before any run.
//! Ensembles constrained by observations are in [`crate::constraint`].

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

use crate::ClimateError;
use crate::emissions::Emissions;
use crate::model::{Prepared, rebase, run};
use crate::params::{Fair16Params, TemperatureModel};

/// Spreads of the perturbed parameters. Log-normal spreads are standard deviations of
/// the natural log; relative spreads are standard deviations of a factor around 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// sd of ln TCR (two-box).
    pub ln_tcr: f64,
    /// sd of ln ECS (two-box); also the sd of ln κ1 (three-layer).
    pub ln_ecs: f64,
    /// Correlation of ln TCR and ln ECS.
    pub corr_tcr_ecs: f64,
    /// sd of ln ε (three-layer).
    pub ln_efficacy: f64,
    /// Relative sd of the carbon-cycle r0.
    pub r0: f64,
    /// Relative sd of rc.
    pub rc: f64,
    /// Relative sd of rt.
    pub rt: f64,
    /// Relative sd of the CO2 forcing scale.
    pub forcing_co2: f64,
    /// Relative sd of the aerosol forcing scale (truncated at zero).
    pub forcing_aerosol: f64,
    /// Relative sd of the scale of the other anthropogenic agents (one factor each).
    pub forcing_other: f64,
}

impl Default for Spread {
    /// AR6 WG1 assessed very likely (5–95%) ranges turned into spreads where AR6 gives
    /// one: TCR 1.2–2.4 K and ECS 2–5 K (ln-ranges / 3.29), F2x 3.93 ± 0.47 W m-2
    /// (± 12%: sd 0.073), aerosol ERF −1.3 [−2.0, −0.6] W m-2 (± 54%: sd 0.33). For the
    /// carbon cycle our choice: ± 13% (r0) and ± 50% (rc, rt) as 5–95% ranges, after the
    /// FaIR 1.x ranges of Millar et al. (2017); ± 20% for the other agents.
    fn default() -> Self {
        const Z95: f64 = 1.6449;
        Self {
            ln_tcr: (2.4f64 / 1.2).ln() / (2.0 * Z95),
            ln_ecs: (5.0f64 / 2.0).ln() / (2.0 * Z95),
            corr_tcr_ecs: 0.8,
            ln_efficacy: 0.15,
            r0: 0.13 / Z95,
            rc: 0.5 / Z95,
            rt: 0.5 / Z95,
            forcing_co2: 0.12 / Z95,
            forcing_aerosol: 0.54 / Z95,
            forcing_other: 0.2 / Z95,
        }
    }
}

pub(crate) fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1 = uniform(rng);
    let u2 = uniform(rng);
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// `n` perturbed copies of `base`, seeded; member `i` is the same for any `n > i`.
pub fn sample(base: &Fair16Params, spread: &Spread, n: usize, seed: u64) -> Vec<Fair16Params> {
    let mut s = Sampler::new(base, spread, seed);
    (0..n).map(|_| s.draw()).collect()
}

/// The stream of members behind [`sample`]: the `i`-th call of [`Sampler::draw`] returns
/// `sample(base, spread, n, seed)[i]` for any `n > i`. The constrained ensembles
/// ([`crate::constraint`]) draw their candidates from it.
#[derive(Debug, Clone)]
pub(crate) struct Sampler<'a> {
    rng: ChaCha8Rng,
    base: &'a Fair16Params,
    spread: Spread,
}

impl<'a> Sampler<'a> {
    pub(crate) fn new(base: &'a Fair16Params, spread: &Spread, seed: u64) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
            base,
            spread: *spread,
        }
    }

    /// The next member (draws are redrawn until ECS > TCR and r0 > 0).
    pub(crate) fn draw(&mut self) -> Fair16Params {
        let (base, spread) = (self.base, &self.spread);
        let rng = &mut self.rng;
        let rho = spread.corr_tcr_ecs.clamp(-1.0, 1.0);
        loop {
            let mut p = base.clone();
            let (z1, z2) = (normal(rng), normal(rng));
            let z_ecs = rho * z1 + (1.0 - rho * rho).sqrt() * z2;
            match &mut p.temperature_model {
                TemperatureModel::TwoBox => {
                    p.thermal.tcr = base.thermal.tcr * (spread.ln_tcr * z1).exp();
                    p.thermal.ecs = base.thermal.ecs * (spread.ln_ecs * z_ecs).exp();
                }
                TemperatureModel::ThreeLayer(t) => {
                    // Higher sensitivity = smaller feedback parameter.
                    t.heat_transfer[0] *= (-spread.ln_ecs * z_ecs).exp();
                    t.deep_ocean_efficacy *= (spread.ln_efficacy * z1).exp();
                }
            }
            let mut factor = |sd: f64| (1.0 + sd * normal(rng)).max(0.0);
            p.carbon.r0 = base.carbon.r0 * factor(spread.r0);
            p.carbon.rc = base.carbon.rc * factor(spread.rc);
            p.carbon.rt = base.carbon.rt * factor(spread.rt);
            p.scale[0] = base.scale[0] * factor(spread.forcing_co2);
            p.scale[8] = base.scale[8] * factor(spread.forcing_aerosol);
            for k in [1usize, 2, 3, 4, 5, 6, 7, 9, 10] {
                p.scale[k] = base.scale[k] * factor(spread.forcing_other);
            }
            let tcr_ok = match p.temperature_model {
                TemperatureModel::TwoBox => p.thermal.ecs > p.thermal.tcr,
                TemperatureModel::ThreeLayer(_) => true,
            };
            if tcr_ok && p.carbon.r0 > 0.0 {
                return p;
            }
        }
    }
}

/// `f` applied to every item on up to `threads` scoped threads, in item order (the
/// result does not depend on `threads`). The threads take blocks of items in turn (about
/// 16 per thread), so one held up by other work on the machine is not left with a fixed
/// half to finish alone.
pub(crate) fn par_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let n = items.len();
    let threads = threads.clamp(1, n.max(1));
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let block = n.div_ceil(threads * 16).max(1);
    let blocks: Vec<&[T]> = items.chunks(block).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (f, blocks, next) = (&f, &blocks, &next);
    // The caller's cancellation token goes along to the workers (see `attache_core::cancel`).
    let token = attache_core::cancel::current();
    let token = &token;
    let mut done: Vec<(usize, Vec<R>)> = Vec::with_capacity(blocks.len());
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(move || {
                    let work = || {
                        let mut mine = Vec::new();
                        loop {
                            let b = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(xs) = blocks.get(b) else {
                                break mine;
                            };
                            mine.push((b, xs.iter().map(f).collect::<Vec<R>>()));
                        }
                    };
                    match token {
                        Some(t) => attache_core::cancel::with_token(t, work),
                        None => work(),
                    }
                })
            })
            .collect();
        for h in handles {
            match h.join() {
                Ok(v) => done.extend(v),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    done.sort_unstable_by_key(|(b, _)| *b);
    done.into_iter().flat_map(|(_, v)| v).collect()
}

/// Temperature (rebased) and CO2 of every member.
#[derive(Debug, Clone, PartialEq)]
pub struct Ensemble {
    /// Years of the run.
    pub years: Vec<f64>,
    /// `temperature[m][t]`: member m, year t, K relative to the rebasing period.
    pub temperature: Vec<Vec<f64>>,
    /// `co2[m][t]`, ppm.
    pub co2: Vec<Vec<f64>>,
}

/// The threads an ensemble may use: all the machine offers (results do not depend on it).
pub fn all_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The usual ensemble: `n` members drawn around `base` with the default [`Spread`] from
/// `seed`, run on `e` on [`all_threads`], temperatures rebased to 1850–1900.
pub fn sampled_ensemble(
    e: &Emissions,
    base: &Fair16Params,
    n: usize,
    seed: u64,
) -> Result<Ensemble, ClimateError> {
    run_ensemble(
        e,
        &sample(base, &Spread::default(), n, seed),
        (1850, 1900),
        all_threads(),
    )
}

/// Runs every member on `e`, rebasing temperature to `base_period`; uses up to
/// `threads` threads (results do not depend on it). The first failing member's error is
/// returned.
pub fn run_ensemble(
    e: &Emissions,
    members: &[Fair16Params],
    base_period: (i32, i32),
    threads: usize,
) -> Result<Ensemble, ClimateError> {
    let n = members.len();
    // What the members share (gas cycles, most forcing) is computed once.
    let prepared = members.first().map(|p| Prepared::new(e, p));
    let results = par_map(members, threads, |p| {
        if attache_core::cancel::cancelled() {
            return Err(ClimateError::Cancelled);
        }
        let (mut temperature, co2) = match &prepared {
            Some(shared) if shared.fits(p) => shared.temperature_and_co2(p)?,
            _ => {
                let o = run(e, p)?;
                (o.temperature, o.concentration_co2_ppm)
            }
        };
        rebase(e.years(), &mut temperature, base_period.0..=base_period.1)?;
        Ok::<_, ClimateError>((temperature, co2))
    });
    let mut temperature = Vec::with_capacity(n);
    let mut co2 = Vec::with_capacity(n);
    for r in results {
        let (t, c) = r?;
        temperature.push(t);
        co2.push(c);
    }
    Ok(Ensemble {
        years: e.years().to_vec(),
        temperature,
        co2,
    })
}

/// Quantile `q` in [0, 1] of `values` by linear interpolation between order statistics
/// (numpy's default); NaN for an empty slice.
pub fn quantile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let h = (values.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(values.len() - 1);
    values[lo] + (h - lo as f64) * (values[hi] - values[lo])
}

/// The quantile levels reported by default: 5, 17, 50, 83, 95% (17–83 = AR6 "likely").
pub const LEVELS: [f64; 5] = [0.05, 0.17, 0.50, 0.83, 0.95];

impl Ensemble {
    /// Per-year quantiles of temperature: `out[t][k]` for `levels[k]`.
    pub fn temperature_quantiles(&self, levels: &[f64]) -> Vec<Vec<f64>> {
        per_year_quantiles(&self.temperature, levels)
    }

    /// Per-year quantiles of CO2.
    pub fn co2_quantiles(&self, levels: &[f64]) -> Vec<Vec<f64>> {
        per_year_quantiles(&self.co2, levels)
    }

    /// Quantiles of each member's mean temperature over the inclusive years.
    pub fn period_mean_quantiles(&self, first: i32, last: i32, levels: &[f64]) -> Vec<f64> {
        let idx: Vec<usize> = self
            .years
            .iter()
            .enumerate()
            .filter(|(_, y)| **y >= f64::from(first) && **y <= f64::from(last))
            .map(|(i, _)| i)
            .collect();
        if idx.is_empty() {
            return vec![f64::NAN; levels.len()];
        }
        let mut means: Vec<f64> = self
            .temperature
            .iter()
            .map(|t| idx.iter().map(|i| t[*i]).sum::<f64>() / idx.len() as f64)
            .collect();
        levels.iter().map(|q| quantile(&mut means, *q)).collect()
    }
}

/// Per-year quantiles on [`all_threads`], each year's members gathered once; every level is
/// [`quantile`]'s value (the same order statistics, found by selection instead of a sort).
fn per_year_quantiles(series: &[Vec<f64>], levels: &[f64]) -> Vec<Vec<f64>> {
    let nt = series.first().map_or(0, Vec::len);
    // Ranges of about 32 years, taken by the threads in turn.
    let parts = nt.div_ceil(32).max(1);
    let ranges: Vec<std::ops::Range<usize>> = (0..parts)
        .map(|k| k * nt / parts..(k + 1) * nt / parts)
        .collect();
    par_map(&ranges, all_threads(), |years| {
        let mut col = vec![0.0; series.len()];
        years
            .clone()
            .map(|t| {
                for (c, s) in col.iter_mut().zip(series) {
                    *c = s[t];
                }
                quantiles_by_selection(&mut col, levels)
            })
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

/// [`quantile`] of `values` at every level (reordering `values`): the two order statistics
/// each level interpolates between are found by selection, levels in increasing order,
/// each search confined to the values above the previous one.
fn quantiles_by_selection(values: &mut [f64], levels: &[f64]) -> Vec<f64> {
    let n = values.len();
    if n == 0 {
        return vec![f64::NAN; levels.len()];
    }
    let position = |q: f64| (n - 1) as f64 * q.clamp(0.0, 1.0);
    let mut order: Vec<usize> = (0..levels.len()).collect();
    order.sort_by(|a, b| position(levels[*a]).total_cmp(&position(levels[*b])));
    let mut out = vec![f64::NAN; levels.len()];
    // values[..start] are in place: sorted ranks below `start` are settled.
    let mut start = 0;
    for k in order {
        let h = position(levels[k]);
        let lo = h.floor() as usize;
        let hi = (lo + 1).min(n - 1);
        if lo >= start {
            values[start..].select_nth_unstable_by(lo - start, f64::total_cmp);
            start = lo + 1;
        }
        let v_lo = values[lo];
        let v_hi = if hi == lo {
            v_lo
        } else {
            if hi >= start {
                // The smallest value above rank lo is rank hi.
                let rest = &mut values[start..];
                rest.select_nth_unstable_by(0, f64::total_cmp);
                start = hi + 1;
            }
            values[hi]
        };
        out[k] = v_lo + (h - lo as f64) * (v_hi - v_lo);
    }
    out
}
