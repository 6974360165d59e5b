//! The distributional layer: turns the point models' outputs into draws.
//!
//! For one country and the months of a window, each draw `i` is one trajectory:
//!
//! * with probability `w_emp` the trajectory follows the country's **recent empirical
//!   distribution** (its last 12 known months, each positive value jittered log-normally with
//!   `jitter` so mass spreads to neighbouring IGN bins), like the conflictology benchmark;
//! * otherwise it follows the **model**: a hurdle with `P(y > 0) = max(p, p_floor)` from the
//!   boosted classifier and, when positive, `y = expm1(mu + r)` with `mu` from the boosted
//!   regressor of `ln(1 + y)` and `r` an out-of-fold residual of the regressor, taken from the
//!   residual pool of training rows with a similar `mu`.
//!
//! Uniform variates go through a Gaussian copula with correlation `rho` between the months of a
//! trajectory (a draw that is high in March tends to be high in April), which is what makes
//! "P(≥ 25 in any month)" from joint draws meaningful. The mixture guards the scores against
//! both failure modes: the model alone can be overconfident where history says otherwise, the
//! empirical distribution alone puts all mass on one bin for any country with a flat year.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

/// Parameters of the mixture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MixtureParams {
    /// Weight of the country's empirical distribution.
    pub w_emp: f64,
    /// Log-normal jitter (sd of `ln y`) of empirical positive values.
    pub jitter: f64,
    /// Floor of the model's P(y > 0).
    pub p_floor: f64,
    /// Copula correlation between months of one trajectory.
    pub rho: f64,
    /// Model draws are capped at `cap_mult * (1 + the country's largest month in its empirical
    /// window)`, so a pooled residual cannot send a draw far beyond anything the country saw.
    pub cap_mult: f64,
}

impl Default for MixtureParams {
    fn default() -> Self {
        MixtureParams {
            w_emp: 0.8,
            jitter: 0.25,
            p_floor: 0.002,
            rho: 0.8,
            cap_mult: 1.5,
        }
    }
}

/// Model output for one month.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MonthModel<'a> {
    pub p: f64,
    pub mu: f64,
    /// Sorted residual pool for this `mu`.
    pub residuals: &'a [f64],
}

/// A ChaCha8 stream for (seed, stream).
pub(crate) fn rng_for(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    r.set_stream(stream);
    r
}

/// Uniform in (0, 1).
fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// Standard normal (Box–Muller, libm).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1 = uniform(rng);
    let u2 = uniform(rng);
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
}

/// Standard normal CDF.
fn phi(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// `q`-quantile of sorted values by inverse-CDF index (`q` in (0, 1)).
fn pick(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    let i = ((q * n as f64) as usize).min(n - 1);
    sorted[i]
}

/// Draws for each month (outer: months; inner: `n_draws`), for one country.
pub(crate) fn sample_country(
    months: &[MonthModel<'_>],
    empirical_sorted: &[f64],
    params: &MixtureParams,
    n_draws: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<Vec<f64>> {
    let mut out = vec![Vec::with_capacity(n_draws); months.len()];
    let rho = params.rho.clamp(0.0, 1.0);
    let rest = libm::sqrt(1.0 - rho * rho);
    let w_emp = if empirical_sorted.is_empty() {
        0.0
    } else {
        params.w_emp
    };
    let emp_max = empirical_sorted.last().copied().unwrap_or(0.0);
    let cap = if params.cap_mult > 0.0 {
        params.cap_mult * (1.0 + emp_max)
    } else {
        f64::INFINITY
    };
    for _ in 0..n_draws {
        let comp = uniform(rng);
        let z_occ = normal(rng);
        let z_mag = normal(rng);
        let z_jit = normal(rng);
        for (k, mm) in months.iter().enumerate() {
            let u0 = phi(rho * z_occ + rest * normal(rng));
            let u1 = phi(rho * z_mag + rest * normal(rng));
            let v = if comp < w_emp {
                let e = pick(empirical_sorted, u1);
                if e > 0.0 && params.jitter > 0.0 {
                    (e * libm::exp(params.jitter * z_jit)).round().max(1.0)
                } else {
                    e
                }
            } else {
                let p = mm.p.max(params.p_floor).min(1.0);
                if u0 < p && !mm.residuals.is_empty() {
                    let r = pick(mm.residuals, u1);
                    libm::expm1(mm.mu + r).round().clamp(1.0, cap.max(1.0))
                } else {
                    0.0
                }
            };
            out[k].push(if v.is_finite() { v.max(0.0) } else { 0.0 });
        }
    }
    out
}
