//! FaIR 1.0/1.6 four-box carbon cycle with state-dependent iIRF100
//! (`fair/gas_cycle/fair1.py`, Millar et al. 2017 eqs. 7-8).
//!
//! Each year the time-integrated impulse response over `iirf_h` years is set by
//! `iIRF = min(r0 + rc*C_acc + rt*T, iirf_max)`, and the box lifetimes are scaled by the
//! alpha that reproduces it, `alpha * sum(a*tau*(1 - exp(-h/(tau*alpha)))) = iIRF`.
//! FaIR solves this with `scipy.optimize.root` from the previous year's alpha; here a
//! bracketed, safeguarded Newton iteration converges to machine precision instead.

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

/// `_iirf_interp` residual and its derivative in alpha.
fn residual(alpha: f64, p: &CarbonParams, target: f64) -> (f64, f64) {
    let mut g = 0.0;
    let mut dg = 0.0;
    for (a, tau) in p.a.iter().zip(&p.tau) {
        let e = (-p.iirf_h / (tau * alpha)).exp();
        g += a * tau * (1.0 - e);
        dg += a * (tau * (1.0 - e) - p.iirf_h / alpha * e);
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
/// (plus any oxidised methane), `c_pi` pre-industrial CO2 (ppm).
#[allow(clippy::too_many_arguments)]
pub fn step(
    e0: f64,
    e1: f64,
    temp: f64,
    prev: &CarbonState,
    boxes0: [f64; 4],
    c_pi: f64,
    p: &CarbonParams,
    year: f64,
) -> Result<CarbonState, ClimateError> {
    let iirf = iirf_simple(prev.c_acc, temp, p);
    let alpha =
        solve_alpha(iirf, prev.alpha, p).ok_or(ClimateError::AlphaRootNotFound { year, iirf })?;
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
