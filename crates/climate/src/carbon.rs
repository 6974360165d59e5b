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
//! process for those three with its first two derivatives and interpolated by quintic
//! Hermite polynomials. Where the table was found as accurate as the iteration (checked at
//! every interval's midpoint when it is built) that is the answer, with no residual
//! evaluated at all; elsewhere one Newton step from the interpolated guess, and a guess the
//! step does not confirm falls back to the iteration.

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

/// The iIRF's first and second derivatives in alpha:
/// `G' = sum(a*(tau*(1 - e) - h/alpha*e))` and `G'' = -h^2/alpha^3 * sum(a*e/tau)`, with
/// `e = exp(-h/(tau*alpha))`.
fn derivatives(alpha: f64, p: &CarbonParams) -> (f64, f64) {
    let mut d1 = 0.0;
    let mut d2 = 0.0;
    for (a, tau) in p.a.iter().zip(&p.tau) {
        let em1 = (-p.iirf_h / (tau * alpha)).exp_m1();
        d1 -= a * (tau * em1 + p.iirf_h / alpha * (1.0 + em1));
        d2 += a * (1.0 + em1) / tau;
    }
    (d1, -p.iirf_h * p.iirf_h / (alpha * alpha * alpha) * d2)
}

/// The root for `target` near `guess` to the last bit or two: the iteration, then one
/// Newton step on the (accurate) residual, which it leaves within 16 ulp.
fn polished_alpha(target: f64, guess: f64, p: &CarbonParams) -> Option<f64> {
    let x = solve_alpha(target, guess, p)?;
    let (g, dg) = residual(x, p, target);
    let y = x - g / dg;
    (y.is_finite() && y > 0.0).then_some(y)
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
/// Largest relative error of the interpolation at an interval's midpoint, where the
/// quintic's error peaks, for the interval to be used without a Newton step: 16 ulp
/// (3.6e-15), below the iteration's own stopping noise (16 ulp of the target in the
/// residual are 1e-14 to 1e-13 of alpha). With the defaults, 98% of the intervals.
const TABLE_EXACT: f64 = 16.0 * f64::EPSILON;
/// Largest relative Newton step from the interpolated guess that is accepted after the
/// step: the error left is about the square of the step, below what the iteration
/// reaches.
const TABLE_ACCEPT: f64 = 1e-8;
/// Distinct `(a, tau, iirf_h)` kept by [`AlphaTable::shared`].
const TABLE_CACHE: usize = 16;

/// The inverse of the iIRF in alpha for one `(a, tau, iirf_h)`: alpha and its first two
/// derivatives in the target at [`TABLE_NODES`] evenly spaced targets, and for every
/// interval whether its interpolation is final.
#[derive(Debug, Clone, PartialEq)]
pub struct AlphaTable {
    /// The parameters it inverts (only `a`, `tau` and `iirf_h` matter).
    p: CarbonParams,
    /// First target, yr.
    lo: f64,
    /// 1 / node spacing.
    inv_step: f64,
    /// Alpha at each node and its first and second derivatives in the target, times the
    /// node spacing and its square.
    nodes: Vec<[f64; 3]>,
    /// Per interval: the interpolation met [`TABLE_EXACT`] at the midpoint.
    exact: Vec<bool>,
}

impl AlphaTable {
    /// Tabulates the inverse for `p`'s `a`, `tau` and `iirf_h`. The table stops at the first
    /// node without a root (none for partition fractions that do not sum to a positive limit).
    pub fn new(p: &CarbonParams) -> Self {
        let limit = p.iirf_h * p.a.iter().sum::<f64>();
        let lo = TABLE_SPAN.0 * limit;
        let step = (TABLE_SPAN.1 - TABLE_SPAN.0) * limit / (TABLE_NODES - 1) as f64;
        let mut nodes = Vec::with_capacity(TABLE_NODES);
        let mut guess = 1.0;
        if limit.is_finite() && limit > 0.0 {
            for j in 0..TABLE_NODES {
                let target = lo + j as f64 * step;
                let Some(x) = polished_alpha(target, guess, p) else {
                    break;
                };
                // alpha' = 1/G', alpha'' = -G''/G'^3.
                let (d1, d2) = derivatives(x, p);
                if !(d1.is_finite() && d1 > 0.0 && d2.is_finite()) {
                    break;
                }
                nodes.push([x, step / d1, -d2 / (d1 * d1 * d1) * step * step]);
                guess = x;
            }
        }
        let mut table = Self {
            p: *p,
            lo,
            inv_step: 1.0 / step,
            nodes,
            exact: Vec::new(),
        };
        // The root at each midpoint is one Newton step from the interpolation (whose error,
        // squared, vanishes), so the step's length is the interpolation's error.
        table.exact = (0..table.nodes.len().saturating_sub(1))
            .map(|j| {
                let target = lo + (j as f64 + 0.5) * step;
                let x = table.interpolate(j, 0.5);
                let (g, dg) = residual(x, p, target);
                dg > 0.0 && (g / dg).abs() <= TABLE_EXACT * x
            })
            .collect();
        table
    }

    /// The table for `p`'s `a`, `tau` and `iirf_h`, built on first use and kept for the
    /// life of the process (up to [`TABLE_CACHE`] distinct ones; beyond, built afresh).
    pub fn shared(p: &CarbonParams) -> Arc<AlphaTable> {
        static TABLES: OnceLock<Mutex<Vec<Arc<AlphaTable>>>> = OnceLock::new();
        // Built under the lock: the members of an ensemble all ask at once, and waiting a
        // few milliseconds is cheaper than each thread building its own.
        match TABLES.get_or_init(Mutex::default).lock() {
            Ok(mut list) => {
                if let Some(t) = list.iter().find(|t| t.inverts(p)) {
                    return Arc::clone(t);
                }
                let built = Arc::new(Self::new(p));
                if list.len() < TABLE_CACHE {
                    list.push(Arc::clone(&built));
                }
                built
            }
            Err(_) => Arc::new(Self::new(p)),
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

    /// Quintic Hermite interpolation at `s` in [0, 1] of interval `j`.
    fn interpolate(&self, j: usize, s: f64) -> f64 {
        let [p0, m0, c0] = self.nodes[j];
        let [p1, m1, c1] = self.nodes[j + 1];
        let s2 = s * s;
        let s3 = s2 * s;
        let s4 = s3 * s;
        let s5 = s4 * s;
        p0 + m0 * s + 0.5 * c0 * s2 + (p1 - p0) * (10.0 * s3 - 15.0 * s4 + 6.0 * s5)
            - m0 * (6.0 * s3 - 8.0 * s4 + 3.0 * s5)
            - m1 * (4.0 * s3 - 7.0 * s4 + 3.0 * s5)
            - 0.5 * c0 * (3.0 * s3 - 3.0 * s4 + s5)
            + 0.5 * c1 * (s3 - 2.0 * s4 + s5)
    }

    /// The interval holding `target` and the position in it, `None` outside the table.
    fn locate(&self, target: f64) -> Option<(usize, f64)> {
        let u = (target - self.lo) * self.inv_step;
        // Also false for NaN.
        if !(u >= 0.0 && u < (self.nodes.len().max(1) - 1) as f64) {
            return None;
        }
        let j = u as usize;
        Some((j, u - j as f64))
    }

    /// The interpolated alpha for `target` (quintic Hermite between the two nodes around
    /// it), `None` outside the table.
    pub fn guess(&self, target: f64) -> Option<f64> {
        self.locate(target).map(|(j, s)| self.interpolate(j, s))
    }

    /// [`solve_alpha`] for the table's parameters: the interpolation where it is final; one
    /// Newton step from it elsewhere in the table; or, outside the table or when that step
    /// is not small enough to be final, the iteration from there (from `guess` outside the
    /// table).
    pub fn solve(&self, target: f64, guess: f64) -> Option<f64> {
        let start = match self.locate(target) {
            Some((j, s)) => {
                let x0 = self.interpolate(j, s);
                if self.exact[j] {
                    return Some(x0);
                }
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

    /// The share of the table's intervals whose interpolation is final.
    pub fn exact_share(&self) -> f64 {
        self.exact.iter().filter(|e| **e).count() as f64 / self.exact.len().max(1) as f64
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
