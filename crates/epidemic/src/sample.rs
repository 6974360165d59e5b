//! Random variates for the chain-binomial model, drawn from ChaCha8 streams.
//!
//! Streams: one per (seed, run, subpopulation) ([`stream`]): the key holds the seed and
//! the run, the ChaCha stream id is the subpopulation. A run therefore draws the same
//! numbers whichever thread runs it and whatever else runs beside it.
//!
//! Binomial: inversion (Kachitvichyanukul & Schmeiser 1988, BINV) when n·min(p, 1-p) < 10,
//! otherwise Hörmann's BTRD (W. Hörmann 1993, "The generation of binomial random
//! variates", J. Statist. Comput. Simul. 46:101-110), exact in both cases; checked
//! against the exact probability mass function in this module's tests. Inversion's
//! (1 - p)^n is e^(n·ln(1 - p)) by this module's own `exp_neg` and `ln_one_minus` (a table
//! of 2^(j/64) and a short series; the tests hold them within 1 ulp of `libm`'s), which cost
//! a fraction of the library calls; BTRD's step 1 divides once, not waiting for its uniform.

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

/// 2^(j/64), j = 0..63, each the double nearest the exact value (checked against `exp2` in
/// the tests).
const EXP2_64THS: [u64; 64] = [
    0x3ff0000000000000,
    0x3ff02c9a3e778061,
    0x3ff059b0d3158574,
    0x3ff0874518759bc8,
    0x3ff0b5586cf9890f,
    0x3ff0e3ec32d3d1a2,
    0x3ff11301d0125b51,
    0x3ff1429aaea92de0,
    0x3ff172b83c7d517b,
    0x3ff1a35beb6fcb75,
    0x3ff1d4873168b9aa,
    0x3ff2063b88628cd6,
    0x3ff2387a6e756238,
    0x3ff26b4565e27cdd,
    0x3ff29e9df51fdee1,
    0x3ff2d285a6e4030b,
    0x3ff306fe0a31b715,
    0x3ff33c08b26416ff,
    0x3ff371a7373aa9cb,
    0x3ff3a7db34e59ff7,
    0x3ff3dea64c123422,
    0x3ff4160a21f72e2a,
    0x3ff44e086061892d,
    0x3ff486a2b5c13cd0,
    0x3ff4bfdad5362a27,
    0x3ff4f9b2769d2ca7,
    0x3ff5342b569d4f82,
    0x3ff56f4736b527da,
    0x3ff5ab07dd485429,
    0x3ff5e76f15ad2148,
    0x3ff6247eb03a5585,
    0x3ff6623882552225,
    0x3ff6a09e667f3bcd,
    0x3ff6dfb23c651a2f,
    0x3ff71f75e8ec5f74,
    0x3ff75feb564267c9,
    0x3ff7a11473eb0187,
    0x3ff7e2f336cf4e62,
    0x3ff82589994cce13,
    0x3ff868d99b4492ed,
    0x3ff8ace5422aa0db,
    0x3ff8f1ae99157736,
    0x3ff93737b0cdc5e5,
    0x3ff97d829fde4e50,
    0x3ff9c49182a3f090,
    0x3ffa0c667b5de565,
    0x3ffa5503b23e255d,
    0x3ffa9e6b5579fdbf,
    0x3ffae89f995ad3ad,
    0x3ffb33a2b84f15fb,
    0x3ffb7f76f2fb5e47,
    0x3ffbcc1e904bc1d2,
    0x3ffc199bdd85529c,
    0x3ffc67f12e57d14b,
    0x3ffcb720dcef9069,
    0x3ffd072d4a07897c,
    0x3ffd5818dcfba487,
    0x3ffda9e603db3285,
    0x3ffdfc97337b9b5f,
    0x3ffe502ee78b3ff6,
    0x3ffea4afa2a490da,
    0x3ffefa1bee615a27,
    0x3fff50765b6e4540,
    0x3fffa7c1819e90d8,
];

/// e^y for -708 <= y <= 0, within 1 ulp of `libm::exp` (checked in the tests), without its
/// division and special cases: y = (k + j/64)·ln 2 + r with |r| <= ln 2 / 128, e^r by its
/// Taylor series to r⁵ (the first omitted term is below 2^-54 relative), 2^(j/64) from a
/// table and 2^k put into the exponent. Outside that range, `libm::exp`.
#[inline]
fn exp_neg(y: f64) -> f64 {
    if !(-708.0..=0.0).contains(&y) {
        return libm::exp(y);
    }
    const INV_STEP: f64 = 92.332_482_616_893_66; // 64 / ln 2
    // ln 2 / 64 as hi + lo, hi with its low 20 bits zero so that k·hi is exact.
    const STEP_HI: f64 = f64::from_bits(0x3f86_2e42_fef0_0000);
    const STEP_LO: f64 = f64::from_bits(0x3d74_73de_6af2_78ed);
    // Adding 1.5·2^52 rounds to the nearest integer, which lands in the low bits.
    const SHIFTER: f64 = 6_755_399_441_055_744.0;
    let t = y * INV_STEP + SHIFTER;
    let k = t.to_bits() as i64 as i32; // the low 32 bits hold k (two's complement)
    let kf = t - SHIFTER;
    let r = (y - kf * STEP_HI) - kf * STEP_LO;
    let r2 = r * r;
    // e^r - 1, evaluated in two halves to shorten the dependency chain.
    let s = r + r2 * ((0.5 + r * (1.0 / 6.0)) + r2 * (1.0 / 24.0 + r * (1.0 / 120.0)));
    let tj = f64::from_bits(EXP2_64THS[(k & 63) as usize]);
    let scale = f64::from_bits(((1023 + (k >> 6)) as u64) << 52);
    (tj + tj * s) * scale
}

/// ln(1 - p) for 0 <= p < 1: for p < 2^-10 the series -(p + p²/2 + ... + p⁶/6), whose first
/// omitted term p⁷/7 is below 2^-62·p; above, `log1p`.
#[inline]
fn ln_one_minus(p: f64) -> f64 {
    if p < 1.0 / 1024.0 {
        -p * (1.0 + p * (0.5 + p * (1.0 / 3.0 + p * (0.25 + p * (0.2 + p * (1.0 / 6.0))))))
    } else {
        libm::log1p(-p)
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
    let r0 = exp_neg(n as f64 * ln_one_minus(p));
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

/// floor(x) as an integer for x < 2^63 (0 below 0): one conversion, where `floor_nonneg(x)
/// as u64` takes three.
#[inline(always)]
fn trunc_nonneg(x: f64) -> u64 {
    (x as i64).max(0) as u64
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
    // vr = 0.92 - 4.2 / b. Step 1's test v <= 0.86 vr and u = v / vr - 0.43 are written
    // with 1 / vr, whose division does not wait for the uniform.
    let vr_b = 0.92 * b - 4.2;
    let inv_vr = b / vr_b;
    // 1: the triangle in the middle, accepted at once.
    let first = uniform(rng);
    let w = first * inv_vr;
    if w <= 0.86 {
        let u = w - 0.43;
        return trunc_nonneg((2.0 * a / (0.5 - u.abs()) + b) * u + c);
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
            return trunc_nonneg((2.0 * a / (0.5 - u.abs()) + b) * u + c);
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
                return k as i64 as u64; // k is a whole number in [0, n]
            }
            continue;
        }
        // 3.2: squeeze on the log scale.
        v = libm::log(v);
        let rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6.0) / npq + 0.5);
        let t = -km * km / (2.0 * npq);
        if v < t - rho {
            return k as i64 as u64; // k is a whole number in [0, n]
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
            return k as i64 as u64; // k is a whole number in [0, n]
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

    /// Distance in units in the last place.
    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    #[test]
    fn exp2_table_is_exp2() {
        for (j, &bits) in EXP2_64THS.iter().enumerate() {
            let t = f64::from_bits(bits);
            assert!(ulps(t, libm::exp2(j as f64 / 64.0)) <= 1, "j = {j}");
        }
    }

    #[test]
    fn exp_neg_is_exp() {
        let mut rng = stream(3, 0, 0);
        let mut worst = 0;
        for i in 0..200_000 {
            // Uniform over [-708, 0] and, more densely, over the small arguments binv uses.
            let y = if i % 2 == 0 {
                -708.0 * uniform(&mut rng)
            } else {
                -20.0 * uniform(&mut rng)
            };
            worst = worst.max(ulps(exp_neg(y), libm::exp(y)));
        }
        for y in [0.0, -0.0, -1e-300, -1e-17, -0.5, -1.0, -707.9, -708.0] {
            worst = worst.max(ulps(exp_neg(y), libm::exp(y)));
        }
        assert!(worst <= 1, "{worst} ulp");
        assert_eq!(exp_neg(-800.0), libm::exp(-800.0));
        assert_eq!(exp_neg(0.0), 1.0);
    }

    #[test]
    fn ln_one_minus_is_log1p() {
        let mut p = 1e-300;
        while p < 0.999 {
            let (a, b) = (ln_one_minus(p), libm::log1p(-p));
            assert!(ulps(a, b) <= 1, "p = {p}: {a} vs {b}");
            p *= 1.01;
        }
        assert_eq!(ln_one_minus(0.0), 0.0);
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
