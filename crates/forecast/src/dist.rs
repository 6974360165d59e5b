//! The distributional layer: turns the point models' outputs into draws.
//!
//! For one country and the months of a window, each draw `i` is one trajectory, built in three
//! steps, every weight of which is either learned from the training pairs or chosen by
//! rolling-origin validation inside the training period ([`crate::tune`]):
//!
//! 1. **Base.** With probability `w_emp` the trajectory follows the country's **recent
//!    empirical distribution** (its last 12 known months, each positive value jittered
//!    log-normally with `jitter` so mass spreads to neighbouring IGN bins); otherwise it follows
//!    the **model**: a hurdle with `P(y > 0) = max(p, p_floor)` from the boosted classifier and,
//!    when positive, `y = expm1(mu + r)` with `mu` from the boosted regressor of `ln(1 + y)` and
//!    `r` an out-of-fold residual from the pool of training rows with a similar `mu`. Base
//!    model draws stay within the country's recent maximum: what lies beyond is step 2's.
//! 2. **Escalation.** In each month at least a share `e` of the draws exceeds the country's
//!    worst recent month `M`, where `e` is the share of training pairs (by class of `M`: 0,
//!    1-24, 25 and more) whose outcome exceeded the worst month of their previous 12, and the
//!    size of the exceedance is `(1 + M) * R - 1` with `R` drawn from the same pairs' observed
//!    ratios `(1 + y) / (1 + M)`.
//! 3. **Onset.** For a country whose worst recent month is below 25, at least a share `p25` of
//!    the draws reaches 25, where `p25` is the calibrated probability of the threshold
//!    classifier (which sees the annual onset hazard of [`crate::onset`]); onset magnitudes come
//!    from the pooled outcomes of training pairs that reached 25 from a quiet year, never
//!    capped by the country's own quiet history.
//!
//! 4. **Falling silent.** For a country with deaths in every one of its last 12 months (whose
//!    own months hold no zero), at least a share `z` of each month's draws is 0, where `z` is
//!    the share of training pairs with 12 such months whose outcome was 0: a country at war
//!    every month of a year still has months without a recorded death, and a forecast that
//!    rules that out scores it as impossible. The smallest positive draws are set to 0.
//!
//! Finally no month is left without a draw at or above 25 (and so at or above 1): the smallest
//! probability a forecast of `n` draws shows is `1 / n`, never zero.
//!
//! Draws raised by steps 2 and 3 are the ones with the highest "tail" uniform, and every
//! uniform goes through a Gaussian copula with correlation `rho` between the months of a
//! trajectory (a draw that is high in March tends to be high in April), which is what makes
//! "P(≥ 25 in any month)" from joint draws meaningful.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

/// Parameters of the base mixture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MixtureParams {
    /// Weight of the country's empirical distribution (chosen by validation, [`crate::tune`]).
    pub w_emp: f64,
    /// Log-normal jitter (sd of `ln y`) of empirical positive values (chosen by validation).
    pub jitter: f64,
    /// Floor of the model's P(y > 0).
    pub p_floor: f64,
    /// Copula correlation between months of one trajectory.
    pub rho: f64,
}

impl Default for MixtureParams {
    /// The starting point of the validation grid, used as is when a panel is too short to
    /// validate on.
    fn default() -> Self {
        MixtureParams {
            w_emp: 0.8,
            jitter: 0.25,
            p_floor: 0.002,
            rho: 0.8,
        }
    }
}

/// The learned tail of one country: escalation beyond its recent maximum and onset magnitudes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tail<'a> {
    /// Share of draws that should be 0.
    pub zero: f64,
    /// Share of draws that should exceed the recent maximum.
    pub exceed: f64,
    /// Sorted ratios `(1 + y) / (1 + M)` of observed exceedances.
    pub ratios: &'a [f64],
    /// Sorted onset magnitudes (all `>= 25`).
    pub onset: &'a [f64],
}

/// Model output for one month.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MonthModel<'a> {
    pub p: f64,
    pub mu: f64,
    /// Calibrated P(y >= 25) of the threshold classifier.
    pub p25: f64,
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
    tail: &Tail<'_>,
    params: &MixtureParams,
    n_draws: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<Vec<f64>> {
    let mut out = vec![Vec::with_capacity(n_draws); months.len()];
    let mut tails = vec![Vec::with_capacity(n_draws); months.len()];
    let mut mags = vec![Vec::with_capacity(n_draws); months.len()];
    let rho = params.rho.clamp(0.0, 1.0);
    let rest = libm::sqrt(1.0 - rho * rho);
    let w_emp = if empirical_sorted.is_empty() {
        0.0
    } else {
        params.w_emp
    };
    let emp_max = empirical_sorted.last().copied().unwrap_or(0.0);
    let cap = (1.0 + emp_max).max(1.0);
    for _ in 0..n_draws {
        let comp = uniform(rng);
        let z_occ = normal(rng);
        let z_mag = normal(rng);
        let z_jit = normal(rng);
        let z_tail = normal(rng);
        for (k, mm) in months.iter().enumerate() {
            let u0 = phi(rho * z_occ + rest * normal(rng));
            let u1 = phi(rho * z_mag + rest * normal(rng));
            let ut = phi(rho * z_tail + rest * normal(rng));
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
                    libm::expm1(mm.mu + r).round().clamp(1.0, cap)
                } else {
                    0.0
                }
            };
            out[k].push(if v.is_finite() { v.max(0.0) } else { 0.0 });
            tails[k].push(ut);
            mags[k].push(u1);
        }
    }
    for k in 0..months.len() {
        raise_tail(
            &mut out[k],
            &tails[k],
            &mags[k],
            emp_max,
            months[k].p25,
            tail,
        );
    }
    out
}

/// Indices of the draws failing `keep`, highest tail uniform first (ties by index).
fn candidates(vals: &[f64], ut: &[f64], keep: impl Fn(f64) -> bool) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..vals.len()).filter(|&i| !keep(vals[i])).collect();
    idx.sort_by(|&a, &b| ut[b].total_cmp(&ut[a]).then(a.cmp(&b)));
    idx
}

/// Steps 2 and 3 of the module documentation, and the floor, for one month's draws.
fn raise_tail(vals: &mut [f64], ut: &[f64], u1: &[f64], emp_max: f64, p25: f64, tail: &Tail<'_>) {
    let n = vals.len();
    if n == 0 {
        return;
    }
    let escalate = |u: f64| {
        if tail.ratios.is_empty() {
            emp_max + 1.0
        } else {
            ((1.0 + emp_max) * pick(tail.ratios, u) - 1.0)
                .round()
                .max(emp_max + 1.0)
        }
    };
    let onset = |u: f64| {
        if tail.onset.is_empty() {
            25.0
        } else {
            pick(tail.onset, u).max(25.0)
        }
    };
    // 2. Escalation beyond the recent maximum.
    let want = (tail.exceed.clamp(0.0, 1.0) * n as f64).round() as usize;
    let have = vals.iter().filter(|v| **v > emp_max).count();
    if have < want {
        for i in candidates(vals, ut, |v| v > emp_max)
            .into_iter()
            .take(want - have)
        {
            vals[i] = escalate(u1[i]);
        }
    }
    // 3. Onset for a quiet country.
    if emp_max < 25.0 {
        let want = (p25.clamp(0.0, 1.0) * n as f64).round() as usize;
        let have = vals.iter().filter(|v| **v >= 25.0).count();
        if have < want {
            for i in candidates(vals, ut, |v| v >= 25.0)
                .into_iter()
                .take(want - have)
            {
                vals[i] = onset(u1[i]);
            }
        }
    }
    // 4. Falling silent: the smallest positive draws become 0.
    let want = (tail.zero.clamp(0.0, 1.0) * n as f64).round() as usize;
    let have = vals.iter().filter(|v| **v < 0.5).count();
    if have < want {
        let mut idx: Vec<usize> = (0..n).filter(|&i| vals[i] >= 0.5).collect();
        idx.sort_by(|&a, &b| {
            vals[a]
                .total_cmp(&vals[b])
                .then(ut[a].total_cmp(&ut[b]))
                .then(a.cmp(&b))
        });
        for i in idx.into_iter().take(want - have) {
            vals[i] = 0.0;
        }
    }
    // The floor: never a probability of exactly zero for 25 or more.
    if !vals.iter().any(|v| *v >= 25.0)
        && let Some(&i) = candidates(vals, ut, |v| v >= 25.0).first()
    {
        vals[i] = if emp_max < 25.0 {
            onset(u1[i])
        } else {
            escalate(u1[i]).max(25.0)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sorted(mut v: Vec<f64>) -> Vec<f64> {
        v.sort_by(f64::total_cmp);
        v
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// No structural zeros: whatever the model parts say, every month keeps P(>= 25) > 0
        /// and P(>= 1) > 0, and every draw is a finite non-negative count.
        #[test]
        fn every_month_can_reach_25(
            p in 0.0..1.0f64,
            mu in -3.0..8.0f64,
            p25 in 0.0..0.5f64,
            emp in prop::collection::vec(prop_oneof![3 => Just(0.0), 1 => 0.0..3000.0f64], 0..12),
            exceed in 0.0..0.3f64,
            zero in 0.0..0.5f64,
            ratios in prop::collection::vec(1.0..20.0f64, 0..20),
            onset in prop::collection::vec(25.0..6000.0f64, 0..20),
            w_emp in 0.0..1.0f64,
            n in 1usize..300,
            seed in any::<u64>(),
        ) {
            let residuals = [-1.0, 0.0, 1.0];
            let months = vec![MonthModel { p, mu, p25, residuals: &residuals }; 3];
            let emp = sorted(emp.into_iter().map(f64::round).collect());
            let ratios = sorted(ratios);
            let onset = sorted(onset);
            let tail = Tail { zero, exceed, ratios: &ratios, onset: &onset };
            let params = MixtureParams { w_emp, ..MixtureParams::default() };
            let mut rng = rng_for(seed, 1);
            let draws = sample_country(&months, &emp, &tail, &params, n, &mut rng);
            for d in &draws {
                prop_assert_eq!(d.len(), n);
                prop_assert!(d.iter().all(|v| v.is_finite() && *v >= 0.0));
                prop_assert!(d.iter().any(|v| *v >= 25.0));
                prop_assert!(d.iter().any(|v| *v >= 1.0));
                // Falling silent: the learned share of zeros (the floor may take one back).
                let zeros = d.iter().filter(|v| **v < 0.5).count();
                prop_assert!(zeros + 1 >= (zero * n as f64).round() as usize);
            }
        }
    }

    /// A quiet country gets its calibrated onset probability (to one draw in n), with onset
    /// magnitudes from the pool, not capped by its quiet history.
    #[test]
    fn quiet_country_onsets_follow_p25() {
        let residuals = [0.0];
        let months = vec![
            MonthModel {
                p: 0.01,
                mu: 0.0,
                p25: 0.03,
                residuals: &residuals
            };
            2
        ];
        let onset = [30.0, 80.0, 400.0, 5000.0];
        let tail = Tail {
            zero: 0.0,
            exceed: 0.0,
            ratios: &[],
            onset: &onset,
        };
        let mut rng = rng_for(1, 2);
        let draws = sample_country(
            &months,
            &[0.0; 12],
            &tail,
            &MixtureParams::default(),
            1000,
            &mut rng,
        );
        for d in &draws {
            let hits = d.iter().filter(|v| **v >= 25.0).count();
            assert_eq!(hits, 30);
            assert!(d.iter().any(|v| *v >= 400.0));
        }
    }

    /// A country at war every month still gets the learned share of silent months; the draws
    /// set to 0 are its smallest, so its P(>= 25) stays high.
    #[test]
    fn a_country_at_war_can_fall_silent() {
        let residuals = [0.0];
        let months = vec![
            MonthModel {
                p: 1.0,
                mu: 5.0,
                p25: 0.9,
                residuals: &residuals
            };
            3
        ];
        let emp: Vec<f64> = (0..12).map(|k| 100.0 + 30.0 * k as f64).collect();
        let tail = Tail {
            zero: 0.03,
            exceed: 0.05,
            ratios: &[1.5, 2.0],
            onset: &[],
        };
        let mut rng = rng_for(7, 3);
        let draws = sample_country(
            &months,
            &emp,
            &tail,
            &MixtureParams::default(),
            1000,
            &mut rng,
        );
        for d in &draws {
            assert_eq!(d.iter().filter(|v| **v == 0.0).count(), 30);
            assert!(d.iter().filter(|v| **v >= 25.0).count() >= 960);
        }
    }
}
