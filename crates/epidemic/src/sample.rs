//! Random variates for the chain-binomial model, drawn from ChaCha8 streams.
//!
//! Streams: one per (seed, run, subpopulation) ([`stream`]): the key holds the seed and
//! the run, the ChaCha stream id is the subpopulation. A run therefore draws the same
//! numbers whichever thread runs it and whatever else runs beside it.
//!
//! Binomial: inversion (Kachitvichyanukul & Schmeiser 1988, BINV) when n·min(p, 1-p) < 10,
//! otherwise Hörmann's BTRD (W. Hörmann 1993, "The generation of binomial random
//! variates", J. Statist. Comput. Simul. 46:101-110), exact in both cases; checked
//! against the exact probability mass function in this module's tests.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

/// The stream of subpopulation `subpop` in run `run` of an ensemble seeded with `seed`.
pub fn stream(seed: u64, run: u64, subpop: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&run.to_le_bytes());
    key[16..24].copy_from_slice(b"epidemic");
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(subpop);
    rng
}

/// Uniform in (0, 1), never 0 or 1.
#[inline]
pub fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// A Binomial(n, p) draw. `p` outside [0, 1] is clamped (callers pass probabilities
/// computed from rates, which can round just outside).
#[inline]
pub fn binomial(rng: &mut ChaCha8Rng, n: u64, p: f64) -> u64 {
    if n == 0 || p.is_nan() || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    if p > 0.5 {
        return n - binomial_low(rng, n, 1.0 - p);
    }
    binomial_low(rng, n, p)
}

#[inline]
fn binomial_low(rng: &mut ChaCha8Rng, n: u64, p: f64) -> u64 {
    if (n as f64) * p < 10.0 {
        binv(rng, n, p)
    } else {
        btrd(rng, n, p).min(n)
    }
}

/// Inversion by sequential search from 0; expected n·p + 1 steps. Since
/// (1 - p)^n >= 1 - n·p (Bernoulli's inequality), a uniform below 1 - n·p is a 0 without
/// computing (1 - p)^n: most draws with a small mean cost one uniform.
fn binv(rng: &mut ChaCha8Rng, n: u64, p: f64) -> u64 {
    let q = 1.0 - p;
    let s = p / q;
    let a = (n as f64 + 1.0) * s;
    let mut u = uniform(rng);
    if u <= 1.0 - n as f64 * p {
        return 0;
    }
    let r0 = libm::exp(n as f64 * libm::log1p(-p));
    loop {
        let mut r = r0;
        let mut x = 0u64;
        loop {
            if u <= r {
                return x;
            }
            u -= r;
            x += 1;
            if x > n {
                break; // rounding left u above the total mass: draw again
            }
            r *= a / x as f64 - s;
        }
        u = uniform(rng);
    }
}

/// Stirling-series correction fc(k) = ln k! - [(k + 1/2) ln(k + 1) - (k + 1) + ln(2π)/2].
fn fc(k: f64) -> f64 {
    const TABLE: [f64; 10] = [
        0.081_061_466_795_327_26,
        0.041_340_695_955_409_29,
        0.027_677_925_684_998_34,
        0.020_790_672_103_765_09,
        0.016_644_691_189_821_19,
        0.013_876_128_823_070_75,
        0.011_896_709_945_891_77,
        0.010_411_265_261_972_09,
        0.009_255_462_182_712_733,
        0.008_330_563_433_362_87,
    ];
    if k < 10.0 {
        TABLE[k as usize]
    } else {
        let r = 1.0 / (k + 1.0);
        let r2 = r * r;
        (1.0 / 12.0 - (1.0 / 360.0 - r2 / 1260.0) * r2) * r
    }
}

/// floor(x) for 0 <= x < 2^63, without a libm call on baseline x86-64.
#[inline(always)]
fn floor_nonneg(x: f64) -> f64 {
    (x as i64) as f64
}

/// Hörmann's BTRD for n·p >= 10, p <= 1/2 (steps numbered as in the paper). The
/// constants step 1 does not need are computed only when it rejects (about 14%).
fn btrd(rng: &mut ChaCha8Rng, n: u64, p: f64) -> u64 {
    let nf = n as f64;
    let q = 1.0 - p;
    let npq = nf * p * q;
    let spq = npq.sqrt();
    let b = 1.15 + 2.53 * spq;
    let a = -0.0873 + 0.0248 * b + 0.01 * p;
    let c = nf * p + 0.5;
    // vr = 0.92 - 4.2 / b; step 1's test v <= 0.86 vr and u = v / vr - 0.43 are written
    // with one division instead of three.
    let vr_b = 0.92 * b - 4.2;
    // 1: the triangle in the middle, accepted at once.
    let first = uniform(rng);
    if first * b <= 0.86 * vr_b {
        let u = first * b / vr_b - 0.43;
        return floor_nonneg((2.0 * a / (0.5 - u.abs()) + b) * u + c) as u64;
    }
    let inv_b = 1.0 / b;
    let vr = vr_b * inv_b;
    let urvr = 0.86 * vr;
    // Arguments of these floors are non-negative (or checked first): truncate.
    let m = floor_nonneg((nf + 1.0) * p);
    let r = p / q;
    let nr = (nf + 1.0) * r;
    let alpha = (2.83 + 5.1 * inv_b) * spq;
    let mut pending = Some(first);
    loop {
        // 1 again after a rejection.
        let mut v = pending.take().unwrap_or_else(|| uniform(rng));
        if v <= urvr {
            let u = v / vr - 0.43;
            return floor_nonneg((2.0 * a / (0.5 - u.abs()) + b) * u + c) as u64;
        }
        // 2: otherwise a point (u, v) under the hat.
        let u;
        if v >= vr {
            u = uniform(rng) - 0.5;
        } else {
            let w = v / vr - 0.93;
            u = 0.5f64.copysign(w) - w;
            v = uniform(rng) * vr;
        }
        // 3.0
        let us = 0.5 - u.abs();
        let y = (2.0 * a / us + b) * u + c;
        if y < 0.0 {
            continue;
        }
        let k = floor_nonneg(y);
        if k > nf {
            continue;
        }
        v = v * alpha / (a / (us * us) + b);
        let km = (k - m).abs();
        if km <= 15.0 {
            // 3.1: recursive evaluation of f(k) / f(m).
            let mut f = 1.0;
            if m < k {
                let mut i = m;
                while i < k {
                    i += 1.0;
                    f *= nr / i - r;
                }
            } else if m > k {
                let mut i = k;
                while i < m {
                    i += 1.0;
                    v *= nr / i - r;
                }
            }
            if v <= f {
                return k as u64;
            }
            continue;
        }
        // 3.2: squeeze on the log scale.
        v = libm::log(v);
        let rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6.0) / npq + 0.5);
        let t = -km * km / (2.0 * npq);
        if v < t - rho {
            return k as u64;
        }
        if v > t + rho {
            continue;
        }
        // 3.3 - 3.4: the final acceptance test with Stirling corrections.
        let nm = nf - m + 1.0;
        let h = (m + 0.5) * libm::log((m + 1.0) / (r * nm)) + fc(m) + fc(nf - m);
        let nk = nf - k + 1.0;
        if v <= h + (nf + 1.0) * libm::log(nm / nk) + (k + 0.5) * libm::log(nk * r / (k + 1.0))
            - fc(k)
            - fc(nf - k)
        {
            return k as u64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ln_factorial(k: u64) -> f64 {
        (1..=k).map(|i| (i as f64).ln()).sum()
    }

    #[test]
    fn stirling_table_matches_ln_factorial() {
        for k in 0..20u64 {
            let kf = k as f64;
            let direct = ln_factorial(k)
                - ((kf + 0.5) * (kf + 1.0).ln() - (kf + 1.0)
                    + 0.5 * (2.0 * std::f64::consts::PI).ln());
            assert!(
                (fc(kf) - direct).abs() < 1e-9,
                "k={k}: {} vs {direct}",
                fc(kf)
            );
        }
    }

    /// ln k! for k = 0..=n.
    fn ln_factorials(n: u64) -> Vec<f64> {
        let mut v = vec![0.0; n as usize + 1];
        for k in 1..=n as usize {
            v[k] = v[k - 1] + (k as f64).ln();
        }
        v
    }

    /// Chi-square goodness of fit against the exact pmf, cells with expectation >= 5
    /// (tails pooled); the bound is far above the 99.9% point for these degrees of freedom.
    fn check(n: u64, p: f64) {
        let draws = 100_000;
        let lf = ln_factorials(n);
        let pmf = |k: u64| {
            (lf[n as usize] - lf[k as usize] - lf[(n - k) as usize]
                + k as f64 * p.ln()
                + (n - k) as f64 * (1.0 - p).ln())
            .exp()
        };
        let mut rng = stream(7, n, (p * 1e6) as u64);
        let mut counts = vec![0u64; n as usize + 1];
        let mut sum = 0.0;
        let mut sum2 = 0.0;
        for _ in 0..draws {
            let x = binomial(&mut rng, n, p);
            assert!(x <= n);
            counts[x as usize] += 1;
            sum += x as f64;
            sum2 += (x as f64).powi(2);
        }
        let mean = sum / draws as f64;
        let var = sum2 / draws as f64 - mean * mean;
        let (em, ev) = (n as f64 * p, n as f64 * p * (1.0 - p));
        assert!(
            (mean - em).abs() < 5.0 * (ev / draws as f64).sqrt() + 1e-12,
            "n={n} p={p}: mean {mean} vs {em}"
        );
        assert!(
            (var - ev).abs() < 0.05 * ev + 1e-9,
            "n={n} p={p}: var {var} vs {ev}"
        );
        let (mut chi2, mut dof) = (0.0, 0usize);
        let (mut obs_pool, mut exp_pool) = (0.0, 0.0);
        for k in 0..=n {
            let e = pmf(k) * draws as f64;
            obs_pool += counts[k as usize] as f64;
            exp_pool += e;
            if exp_pool >= 5.0 {
                chi2 += (obs_pool - exp_pool).powi(2) / exp_pool;
                dof += 1;
                obs_pool = 0.0;
                exp_pool = 0.0;
            }
        }
        let bound = dof as f64 + 6.0 * (2.0 * dof as f64).sqrt() + 10.0;
        assert!(chi2 < bound, "n={n} p={p}: chi2 {chi2} with {dof} cells");
    }

    #[test]
    fn binomial_matches_exact_distribution() {
        for (n, p) in [
            (1, 0.3),
            (10, 0.05),
            (30, 0.2),
            (40, 0.5),
            (100, 0.15),
            (500, 0.3),
            (2000, 0.9),
            (5000, 0.01),
            (100_000, 0.002),
        ] {
            check(n, p);
        }
    }

    #[test]
    fn binomial_edge_cases() {
        let mut rng = stream(1, 0, 0);
        assert_eq!(binomial(&mut rng, 0, 0.5), 0);
        assert_eq!(binomial(&mut rng, 10, 0.0), 0);
        assert_eq!(binomial(&mut rng, 10, 1.0), 10);
        assert_eq!(binomial(&mut rng, 10, f64::NAN), 0);
        let big = binomial(&mut rng, 1_400_000_000, 0.3);
        assert!((big as f64 - 4.2e8).abs() < 1e5, "{big}");
    }

    #[test]
    fn streams_differ_by_run_and_subpopulation() {
        let a = stream(1, 0, 0).next_u64();
        assert_eq!(a, stream(1, 0, 0).next_u64());
        assert_ne!(a, stream(1, 1, 0).next_u64());
        assert_ne!(a, stream(1, 0, 1).next_u64());
        assert_ne!(a, stream(2, 0, 0).next_u64());
    }
}
