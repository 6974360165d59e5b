//! FaIR 1.0/1.6 four-box carbon cycle with state-dependent iIRF100
//! (`fair/gas_cycle/fair1.py`, Millar et al. 2017 eqs. 7-8).
//!
//! Each year the time-integrated impulse response over `iirf_h` years is set by
//! `iIRF = min(r0 + rc*C_acc + rt*T, iirf_max)`, and the box lifetimes are scaled by the
//! alpha that reproduces it, `alpha * sum(a*tau*(1 - exp(-h/(tau*alpha)))) = iIRF`.
//! FaIR solves this with `scipy.optimize.root` from the previous year's alpha; here a
//! bracketed, safeguarded Newton iteration converges to machine precision instead
//! ([`solve_alpha`]).
//!
//! The root depends only on the target and on `a`, `tau` and `iirf_h`, which ensembles do
//! not perturb, so a run solves through an [`AlphaTable`]: the inverse tabulated once per
//! process for those three, interpolated (cubic Hermite) to 4e-10 or better, then one
//! Newton step from there, which squares that error away. One residual evaluation a year
//! instead of five or six; a guess the step does not confirm falls back to the iteration.

use std::sync::{Arc, Mutex, OnceLock};

use crate::ClimateError;
use crate::constants::PPM_GTC;

/// Carbon-cycle parameters (`fair/defaults/carbon.py`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CarbonParams {
    /// Pre-industrial iIRF100, yr.
    pub r0: f64,
    /// Sensitivity of iIRF100 to airborne carbon, yr/GtC.
    pub rc: f64,
    /// Sensitivity of iIRF100 to temperature, yr/K.
    pub rt: f64,
    /// Time horizon of the iIRF, yr.
    pub iirf_h: f64,
    /// Cap on iIRF, yr.
    pub iirf_max: f64,
    /// Partition fractions of the four boxes (sum to one).
    pub a: [f64; 4],
    /// Present-day box time constants, yr.
    pub tau: [f64; 4],
}

impl Default for CarbonParams {
    fn default() -> Self {
        Self {
            r0: 35.0,
            rc: 0.019,
            rt: 4.165,
            iirf_h: 100.0,
            iirf_max: 97.0,
            a: [0.2173, 0.2240, 0.2824, 0.2763],
            tau: [1_000_000.0, 394.4, 36.54, 4.304],
        }
    }
}

/// `_iirf_simple`: the linear iIRF100 parameterisation, capped at `iirf_max`.
pub fn iirf_simple(c_acc: f64, temp: f64, p: &CarbonParams) -> f64 {
    (p.r0 + p.rc * c_acc + p.rt * temp).min(p.iirf_max)
}

/// `_iirf_interp` residual and its derivative in alpha. `1 - exp(-x)` is taken as
/// `-expm1(-x)`: for the slowest box (tau 1e6, x about 5e-4) the difference loses four
/// digits, which left the residual's rounding noise near 1e-13 of the target and the root
/// defined no better.
fn residual(alpha: f64, p: &CarbonParams, target: f64) -> (f64, f64) {
    let mut g = 0.0;
    let mut dg = 0.0;
    for (a, tau) in p.a.iter().zip(&p.tau) {
        let em1 = (-p.iirf_h / (tau * alpha)).exp_m1();
        g -= a * tau * em1;
        dg -= a * (tau * em1 + p.iirf_h / alpha * (1.0 + em1));
    }
    (alpha * g - target, dg)
}

/// Solves for the alpha that reproduces `target` iIRF, starting from `guess`.
/// Returns `None` when no positive root exists (target outside `(0, h*sum(a))`).
pub fn solve_alpha(target: f64, guess: f64, p: &CarbonParams) -> Option<f64> {
    let f = |x: f64| residual(x, p, target).0;
    let start = if guess.is_finite() && guess > 0.0 {
        guess
    } else {
        1.0
    };
    // The residual is increasing in alpha: bracket the root by geometric expansion.
    let (mut lo, mut hi) = (start, start);
    let mut n = 0;
    while f(lo) > 0.0 {
        lo /= 2.0;
        n += 1;
        if n > 2000 || lo == 0.0 {
            return None;
        }
    }
    n = 0;
    while f(hi) < 0.0 {
        hi *= 2.0;
        n += 1;
        if n > 2000 || !hi.is_finite() {
            return None;
        }
    }
    let mut x = start.clamp(lo, hi);
    // The residual is a sum of terms of about the target's size: within a few ulps of the
    // target it is rounding noise, and asking for a smaller step then only falls back to
    // bisection from the whole bracket (8-15 more evaluations a year, most of an ensemble's
    // time). Converged when the residual is at that noise level.
    let noise = 16.0 * f64::EPSILON * target.abs();
    for _ in 0..200 {
        let (g, dg) = residual(x, p, target);
        if g.abs() <= noise {
            return Some(x);
        }
        if g < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let newton = x - g / dg;
        let next = if dg > 0.0 && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        if (next - x).abs() <= 4.0 * f64::EPSILON * x.abs() || hi - lo <= 4.0 * f64::EPSILON * hi {
            return Some(next);
        }
        x = next;
    }
    Some(x)
}

/// Nodes of an [`AlphaTable`], evenly spaced in the target.
const TABLE_NODES: usize = 4096;
/// The table's targets, as fractions of the iIRF's limit `iirf_h * sum(a)`: alpha grows
/// without bound towards it, and below about the first box's share (0.2173) it falls
/// steeply towards zero (a pre-industrial iIRF of 35 yr is 0.35).
const TABLE_SPAN: (f64, f64) = (0.25, 0.98);
/// Largest relative Newton step from the interpolated guess that is accepted after the
/// step: the error left is about the square of the step (below 1e-18 from the table's
/// worst, 4e-10 close to the limit), below what the iteration reaches.
const TABLE_ACCEPT: f64 = 1e-8;
/// Distinct `(a, tau, iirf_h)` kept by [`AlphaTable::shared`].
const TABLE_CACHE: usize = 16;

/// The inverse of the iIRF in alpha for one `(a, tau, iirf_h)`: alpha and its derivative
/// in the target at [`TABLE_NODES`] evenly spaced targets, from [`solve_alpha`].
#[derive(Debug, Clone, PartialEq)]
pub struct AlphaTable {
    /// The parameters it inverts (only `a`, `tau` and `iirf_h` matter).
    p: CarbonParams,
    /// First target, yr.
    lo: f64,
    /// 1 / node spacing.
    inv_step: f64,
    /// Alpha at each node.
    alpha: Vec<f64>,
    /// d alpha / d target at each node, times the node spacing.
    slope: Vec<f64>,
}

impl AlphaTable {
    /// Tabulates the inverse for `p`'s `a`, `tau` and `iirf_h`. The table stops at the first
    /// node without a root (none for partition fractions that do not sum to a positive limit).
    pub fn new(p: &CarbonParams) -> Self {
        let limit = p.iirf_h * p.a.iter().sum::<f64>();
        let lo = TABLE_SPAN.0 * limit;
        let step = (TABLE_SPAN.1 - TABLE_SPAN.0) * limit / (TABLE_NODES - 1) as f64;
        let mut alpha = Vec::with_capacity(TABLE_NODES);
        let mut slope = Vec::with_capacity(TABLE_NODES);
        let mut guess = 1.0;
        if limit.is_finite() && limit > 0.0 {
            for j in 0..TABLE_NODES {
                let target = lo + j as f64 * step;
                let Some(x) = solve_alpha(target, guess, p) else {
                    break;
                };
                let (_, dg) = residual(x, p, target);
                if !(dg.is_finite() && dg > 0.0) {
                    break;
                }
                alpha.push(x);
                slope.push(step / dg);
                guess = x;
            }
        }
        Self {
            p: *p,
            lo,
            inv_step: 1.0 / step,
            alpha,
            slope,
        }
    }

    /// The table for `p`'s `a`, `tau` and `iirf_h`, built on first use and kept for the
    /// life of the process (up to [`TABLE_CACHE`] distinct ones; beyond, built afresh).
    pub fn shared(p: &CarbonParams) -> Arc<AlphaTable> {
        static TABLES: OnceLock<Mutex<Vec<Arc<AlphaTable>>>> = OnceLock::new();
        let tables = TABLES.get_or_init(Mutex::default);
        let find = |list: &[Arc<AlphaTable>]| list.iter().find(|t| t.inverts(p)).cloned();
        if let Some(t) = tables.lock().ok().and_then(|l| find(&l)) {
            return t;
        }
        let built = Arc::new(Self::new(p));
        match tables.lock() {
            Ok(mut list) => match find(&list) {
                Some(t) => t,
                None => {
                    if list.len() < TABLE_CACHE {
                        list.push(Arc::clone(&built));
                    }
                    built
                }
            },
            Err(_) => built,
        }
    }

    /// Whether this table inverts the iIRF of `p` (same `a`, `tau` and `iirf_h`, bit for bit).
    pub fn inverts(&self, p: &CarbonParams) -> bool {
        let bits = |c: &CarbonParams| {
            let mut k = [0u64; 9];
            for i in 0..4 {
                k[i] = c.a[i].to_bits();
                k[4 + i] = c.tau[i].to_bits();
            }
            k[8] = c.iirf_h.to_bits();
            k
        };
        bits(&self.p) == bits(p)
    }

    /// The interpolated alpha for `target` (cubic Hermite between the two nodes around it),
    /// `None` outside the table.
    pub fn guess(&self, target: f64) -> Option<f64> {
        let u = (target - self.lo) * self.inv_step;
        // Also false for NaN.
        if !(u >= 0.0 && u < (self.alpha.len().max(1) - 1) as f64) {
            return None;
        }
        let j = u as usize;
        let s = u - j as f64;
        let r = 1.0 - s;
        let (a0, a1) = (self.alpha[j], self.alpha[j + 1]);
        let (m0, m1) = (self.slope[j], self.slope[j + 1]);
        Some(
            (1.0 + 2.0 * s) * r * r * a0 + s * r * r * m0 + s * s * (3.0 - 2.0 * s) * a1
                - s * s * r * m1,
        )
    }

    /// [`solve_alpha`] for the table's parameters: one Newton step from the interpolated
    /// guess, or, outside the table or when that step is not small enough to be final, the
    /// iteration from there (from `guess` outside the table).
    pub fn solve(&self, target: f64, guess: f64) -> Option<f64> {
        let start = match self.guess(target) {
            Some(x0) => {
                let (g, dg) = residual(x0, &self.p, target);
                let x1 = x0 - g / dg;
                if dg > 0.0 && (x1 - x0).abs() <= TABLE_ACCEPT * x0 {
                    return Some(x1);
                }
                x0
            }
            None => guess,
        };
        solve_alpha(target, start, &self.p)
    }
}

/// Carbon-cycle state carried between years.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CarbonState {
    /// Atmospheric CO2 anomaly in each box, ppm.
    pub boxes: [f64; 4],
    /// Cumulative airborne carbon anomaly (emitted minus atmospheric increase), GtC.
    pub c_acc: f64,
    /// CO2 concentration, ppm.
    pub c: f64,
    /// Alpha from the previous step (root-finder initial guess).
    pub alpha: f64,
}

/// One annual step (`carbon_cycle`). `e0`,`e1` emissions (GtC/yr) of the previous and
/// current year, `temp` the previous year's temperature, `boxes0` the previous boxes
/// (plus any oxidised methane), `c_pi` pre-industrial CO2 (ppm); alpha is solved through
/// `table`, which must invert `p` ([`AlphaTable::shared`]).
#[allow(clippy::too_many_arguments)]
pub fn step(
    e0: f64,
    e1: f64,
    temp: f64,
    prev: &CarbonState,
    boxes0: [f64; 4],
    c_pi: f64,
    p: &CarbonParams,
    table: &AlphaTable,
    year: f64,
) -> Result<CarbonState, ClimateError> {
    debug_assert!(table.inverts(p));
    let iirf = iirf_simple(prev.c_acc, temp, p);
    let alpha = table
        .solve(iirf, prev.alpha)
        .ok_or(ClimateError::AlphaRootNotFound { year, iirf })?;
    let mut boxes = [0.0; 4];
    for k in 0..4 {
        boxes[k] = boxes0[k] * (-1.0 / (p.tau[k] * alpha)).exp() + p.a[k] * e1 / PPM_GTC;
    }
    let c = boxes.iter().sum::<f64>() + c_pi;
    let c_acc = prev.c_acc + 0.5 * (e1 + e0) - (c - prev.c) * PPM_GTC;
    Ok(CarbonState {
        boxes,
        c_acc,
        c,
        alpha,
    })
}
