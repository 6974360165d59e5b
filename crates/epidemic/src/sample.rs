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
//! (1 - p)^n is e^(n·ln(1 - p)), BTRD's squeeze and final test take logs, and the
//! stochastic model's leave probabilities are 1 - e^-h: these use this module's own
//! `exp_neg` (a table of 2^(j/64) and a short series), `ln` (a table of ln c and a short
//! series), `ln_one_minus` and `one_minus_exp` (series for small arguments), each held
//! within 1 ulp of `libm`'s by the tests and a fraction of its cost; `libm` remains
//! for what they do not cover. BTRD's step 1 divides once, not waiting for its uniform.

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

/// e^y = 2^k·2^(j/64)·e^r for -708 <= y <= 0, with |r| <= ln 2 / 128: returns 2^k·2^(j/64)
/// and e^r - 1 (by its Taylor series to r⁵, whose first omitted term is below 2^-54).
#[inline(always)]
fn exp_parts(y: f64) -> (f64, f64) {
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
    (tj * scale, s)
}

/// e^y for -708 <= y <= 0, within 1 ulp of `libm::exp` (checked in the tests), without its
/// division and special cases ([`exp_parts`]). Outside that range, `libm::exp`.
#[inline]
fn exp_neg(y: f64) -> f64 {
    if !(-708.0..=0.0).contains(&y) {
        return libm::exp(y);
    }
    let (t, s) = exp_parts(y);
    t + t * s
}

/// 1 - e^-h for h >= 0 (`-expm1(-h)`), within 1 ulp of `libm::expm1` (checked in the
/// tests): for h < 2^-7 (most hazards) the series h - h²/2 + ... + h⁷/5040, whose first
/// omitted term is below 2^-64·h; above, `libm::expm1`.
#[inline]
pub(crate) fn one_minus_exp(h: f64) -> f64 {
    if h < 1.0 / 128.0 {
        // h plus a correction of relative size h/2, so that h's own rounding dominates.
        let h2 = h * h;
        let c = (-0.5 + h * (1.0 / 6.0))
            + h2 * ((-1.0 / 24.0 + h * (1.0 / 120.0)) + h2 * (-1.0 / 720.0 + h * (1.0 / 5040.0)));
        return h + h2 * c;
    }
    -libm::expm1(-h)
}

/// Rows [1/c, ln c (hi), ln c (lo)] for c = 1 + (j + 1/2)/128, j = 0..127: 1/c and ln c
/// the doubles nearest the exact values, lo what is left of ln c (checked in the tests).
const LN_TABLE: [[u64; 3]; 128] = [
    [0x3fefe01fe01fe020, 0x3f6ff00aa2b10bc0, 0x3c02821ad5a6d353],
    [0x3fefa11caa01fa12, 0x3f87dc475f810a77, 0xbc116d7687d3df21],
    [0x3fef6310aca0dbb5, 0x3f93cea44346a575, 0xbc10cb5a902b3a1c],
    [0x3fef25f644230ab5, 0x3f9b9fc027af9198, 0xbbf0ae69229dc868],
    [0x3feee9c7f8458e02, 0x3fa1b0d98923d980, 0xbc3e9ae889bac481],
    [0x3feeae807aba01eb, 0x3fa58a5bafc8e4d5, 0xbc4ce55c2b4e2b72],
    [0x3fee741aa59750e4, 0x3fa95c830ec8e3eb, 0x3c4f5a0e80520bf2],
    [0x3fee3a9179dc1a73, 0x3fad276b8adb0b52, 0x3c21e3c53257fd47],
    [0x3fee01e01e01e01e, 0x3fb075983598e471, 0x3c480da5333c45b8],
    [0x3fedca01dca01dca, 0x3fb253f62f0a1417, 0xbc1c125963fc4cfd],
    [0x3fed92f2231e7f8a, 0x3fb42edcbea646f0, 0x3c4ddd4f935996c9],
    [0x3fed5cac807572b2, 0x3fb60658a93750c4, 0xbc5388458ec21b6a],
    [0x3fed272ca3fc5b1a, 0x3fb7da766d7b12cd, 0xbc5eeedfcdd94131],
    [0x3fecf26e5c44bfc6, 0x3fb9ab42462033ad, 0xbc42099e1c184e8e],
    [0x3fecbe6d9601cbe7, 0x3fbb78c82bb0eda1, 0x3c20878cf0327e21],
    [0x3fec8b265afb8a42, 0x3fbd4313d66cb35d, 0x3c5790dd951d90fa],
    [0x3fec5894d10d4986, 0x3fbf0a30c01162a6, 0x3c585f325c5bbacd],
    [0x3fec26b5392ea01c, 0x3fc0671512ca596e, 0x3c550c647eb86499],
    [0x3febf583ee868d8b, 0x3fc14785846742ac, 0x3c6a28813e3a7f07],
    [0x3febc4fd65883e7b, 0x3fc2266f190a5acb, 0x3c6f547bf1809e88],
    [0x3feb951e2b18ff23, 0x3fc303d718e47fd3, 0xbc06b9c7d96091fa],
    [0x3feb65e2e3beee05, 0x3fc3dfc2b0ecc62a, 0xbc5ab3a8e7d81017],
    [0x3feb37484ad806ce, 0x3fc4ba36f39a55e5, 0x3c668981bcc36756],
    [0x3feb094b31d922a4, 0x3fc59338d9982086, 0xbc565d22aa8ad7cf],
    [0x3feadbe87f94905e, 0x3fc66acd4272ad51, 0xbc50900e4e1ea8b2],
    [0x3feaaf1d2f87ebfd, 0x3fc740f8f54037a5, 0xbc5b264062a84cdb],
    [0x3fea82e65130e159, 0x3fc815c0a14357eb, 0xbc54be48073a0564],
    [0x3fea574107688a4a, 0x3fc8e928de886d41, 0xbc6569d851a56770],
    [0x3fea2c2a87c51ca0, 0x3fc9bb362e7dfb83, 0x3c6575e31f003e0c],
    [0x3fea01a01a01a01a, 0x3fca8becfc882f19, 0xbc5e8c37918c39eb],
    [0x3fe9d79f176b682d, 0x3fcb5b519e8fb5a4, 0x3c6ba27fdc19e1a0],
    [0x3fe9ae24ea5510da, 0x3fcc2968558c18c1, 0xbc673dee38a3fb6b],
    [0x3fe9852f0d8ec0ff, 0x3fccf6354e09c5dc, 0x3c6239a07d55b695],
    [0x3fe95cbb0be377ae, 0x3fcdc1bca0abec7d, 0x3c6834c51998b6fc],
    [0x3fe934c67f9b2ce6, 0x3fce8c0252aa5a60, 0xbc46e03a39bfc89b],
    [0x3fe90d4f120190d5, 0x3fcf550a564b7b37, 0x3c2c5f6dfd018c37],
    [0x3fe8e6527af1373f, 0x3fd00e6c45ad501d, 0xbc6cb9568ff6fead],
    [0x3fe8bfce8062ff3a, 0x3fd071b85fcd590d, 0x3c5d1707f97bde80],
    [0x3fe899c0f601899c, 0x3fd0d46b579ab74b, 0x3c603ec81c3cbd92],
    [0x3fe87427bcc092b9, 0x3fd136870293a8b0, 0x3c77b66298edd24a],
    [0x3fe84f00c2780614, 0x3fd1980d2dd4236f, 0x3c79d3d1b0e4d147],
    [0x3fe82a4a0182a4a0, 0x3fd1f8ff9e48a2f3, 0xbc7c9fdf9a0c4b07],
    [0x3fe8060180601806, 0x3fd2596010df763a, 0xbc50f76c57075e9e],
    [0x3fe7e225515a4f1d, 0x3fd2b9303ab89d25, 0xbc7896b5fd852ad4],
    [0x3fe7beb3922e017c, 0x3fd31871c9544185, 0xbc351acc4c09b379],
    [0x3fe79baa6bb6398b, 0x3fd3772662bfd85b, 0xbc4b5629d8117de7],
    [0x3fe77908119ac60d, 0x3fd3d54fa5c1f710, 0xbc7e3265c6a1c98d],
    [0x3fe756cac201756d, 0x3fd432ef2a04e814, 0xbc729931715ac903],
    [0x3fe734f0c541fe8d, 0x3fd49006804009d1, 0xbc69ffc341f177dc],
    [0x3fe713786d9c7c09, 0x3fd4ec973260026a, 0xbc742a87d977dc5e],
    [0x3fe6f26016f26017, 0x3fd548a2c3add263, 0xbc6819cf7e308ddb],
    [0x3fe6d1a62681c861, 0x3fd5a42ab0f4cfe2, 0xbc78ebcb7dee9a3d],
    [0x3fe6b1490aa31a3d, 0x3fd5ff3070a793d4, 0xbc6bc60efafc6f6e],
    [0x3fe691473a88d0c0, 0x3fd659b57303e1f3, 0xbc7f893d41c411f1],
    [0x3fe6719f3601671a, 0x3fd6b3bb2235943e, 0xbc7da856ccd987b3],
    [0x3fe6524f853b4aa3, 0x3fd70d42e2789236, 0xbc652cc811d78d59],
    [0x3fe63356b88ac0de, 0x3fd7664e1239dbcf, 0xbc6f6d5d64f5daf8],
    [0x3fe614b36831ae94, 0x3fd7bede0a37afc0, 0xbc78783cb9801a5c],
    [0x3fe5f66434292dfc, 0x3fd816f41da0d496, 0xbc72923ca04b701c],
    [0x3fe5d867c3ece2a5, 0x3fd86e919a330ba0, 0x3c43f9b16feb7dd8],
    [0x3fe5babcc647fa91, 0x3fd8c5b7c858b48b, 0xbc7e0ab4fdfa0595],
    [0x3fe59d61f123ccaa, 0x3fd91c67eb45a83e, 0xbc7e0e0ae234ae11],
    [0x3fe5805601580560, 0x3fd972a341135158, 0x3c7a5c09d24b70d9],
    [0x3fe56397ba7c52e2, 0x3fd9c86b02dc0863, 0xbc7917eeb69dd421],
    [0x3fe54725e6bb82fe, 0x3fda1dc064d5b995, 0x3c790128698ba0b8],
    [0x3fe52aff56a8054b, 0x3fda72a4966bd9ea, 0x3c56a76b1a7d87c3],
    [0x3fe50f22e111c4c5, 0x3fdac718c258b0e4, 0x3c48163d6f46f714],
    [0x3fe4f38f62dd4c9b, 0x3fdb1b1e0ebdfc5b, 0x3c7a4479608a2c55],
    [0x3fe4d843bedc2c4c, 0x3fdb6eb59d3cf35e, 0xbc78adbccd326a3c],
    [0x3fe4bd3edda68fe1, 0x3fdbc1e08b0dad0a, 0x3c709e8707055996],
    [0x3fe4a27fad76014a, 0x3fdc149ff115f027, 0xbc74cbcb90c06305],
    [0x3fe4880522014880, 0x3fdc66f4e3ff6ff8, 0xbc582947258b688b],
    [0x3fe46dce34596066, 0x3fdcb8e0744d7aca, 0xbc248879a214a2af],
    [0x3fe453d9e2c776ca, 0x3fdd0a63ae721e64, 0x3c62acce112c40f2],
    [0x3fe43a2730abee4d, 0x3fdd5b7f9ae2c684, 0xbc6a7be7f84ac06a],
    [0x3fe420b5265e5951, 0x3fddac353e2c5954, 0x3c618734b81a1bf8],
    [0x3fe40782d10e6566, 0x3fddfc859906d5b5, 0x3c701e1399f96398],
    [0x3fe3ee8f42a5af07, 0x3fde4c71a8687704, 0x3c6667923e1f5a8e],
    [0x3fe3d5d991aa75c6, 0x3fde9bfa659861f5, 0x3c791bafc7dbe130],
    [0x3fe3bd60d9232955, 0x3fdeeb20c640ddf4, 0x3c6ac371d7c8f7f5],
    [0x3fe3a524387ac822, 0x3fdf39e5bc811e5c, 0xbc697fc777bb19e5],
    [0x3fe38d22d366088e, 0x3fdf884a36fe9ec2, 0x3c66315c9e010800],
    [0x3fe3755bd1c945ee, 0x3fdfd64f20f61572, 0xbc6adb0ac2cead1b],
    [0x3fe35dce5f9f2af8, 0x3fe011fab125ff8a, 0x3c6810dd40845dde],
    [0x3fe34679ace01346, 0x3fe0389eefce633b, 0x3c7e155c53483748],
    [0x3fe32f5ced6a1dfa, 0x3fe05f14bd26459c, 0x3c5535b8ee4f9efe],
    [0x3fe3187758e9ebb6, 0x3fe0855c884b450e, 0x3c8705826e49f318],
    [0x3fe301c82ac40260, 0x3fe0ab76bece14d2, 0xbc7fd6c935453f66],
    [0x3fe2eb4ea1fed14b, 0x3fe0d163ccb9d6b8, 0xbc6f7b9a9a8bc30f],
    [0x3fe2d50a012d50a0, 0x3fe0f7241c9b497d, 0x3c83a8443b9db19d],
    [0x3fe2bef98e5a3711, 0x3fe11cb81787ccf8, 0x3c802387ab1fcc90],
    [0x3fe2a91c92f3c105, 0x3fe1422025243d45, 0xbc5ad0e24adb489e],
    [0x3fe293725bb804a5, 0x3fe1675cababa60e, 0x3c3ce63eab883717],
    [0x3fe27dfa38a1ce4d, 0x3fe18c6e0ff5cf06, 0x3c5765142c2c671f],
    [0x3fe268b37cd60127, 0x3fe1b154b57da29f, 0xbc6011eb47db6a99],
    [0x3fe2539d7e9177b2, 0x3fe1d610fe677003, 0x3c509d58d91e58f2],
    [0x3fe23eb79717605b, 0x3fe1faa34b87094c, 0x3c5817b8f7a193b0],
    [0x3fe22a0122a0122a, 0x3fe21f0bfc65beec, 0xbc6e24f0c9187c92],
    [0x3fe21579804855e6, 0x3fe2434b6f483934, 0xbc6debb8cf0f6d11],
    [0x3fe2012012012012, 0x3fe26762013430e0, 0xbc796a95781c6727],
    [0x3fe1ecf43c7fb84c, 0x3fe28b500df60783, 0xbc843f60605aaab3],
    [0x3fe1d8f5672e4abd, 0x3fe2af15f02640ad, 0x3c6cb064524aceb0],
    [0x3fe1c522fc1ce059, 0x3fe2d2b4012edc9e, 0xbc851162c99b1cab],
    [0x3fe1b17c67f2bae3, 0x3fe2f62a99509546, 0x3c76c686739ffd99],
    [0x3fe19e0119e0119e, 0x3fe3197a0fa7fe6a, 0x3c6d6348fb97128f],
    [0x3fe18ab083902bdb, 0x3fe33ca2ba328995, 0xbc7bf28b3205ede1],
    [0x3fe1778a191bd684, 0x3fe35fa4edd36ea0, 0x3c327d4680964362],
    [0x3fe1648d50fc3201, 0x3fe38280fe58797f, 0xbc8015bd362a6e5d],
    [0x3fe151b9a3fdd5c9, 0x3fe3a5373e7ebdfa, 0xbc8cd8f775b8f76e],
    [0x3fe13f0e8d344724, 0x3fe3c7c7fff73206, 0xbc7be80db7025bed],
    [0x3fe12c8b89edc0ac, 0x3fe3ea33936b2f5c, 0xbc8f099168a1360b],
    [0x3fe11a3019a74826, 0x3fe40c7a4880dce9, 0x3c714f22de7fc9e1],
    [0x3fe107fbbe011080, 0x3fe42e9c6ddf80bf, 0x3c7657dc7a65061d],
    [0x3fe0f5edfab325a2, 0x3fe4509a5133bb0a, 0x3c840fe2852d7b5a],
    [0x3fe0e40655826011, 0x3fe472743f33aaad, 0x3c78d6cf012a2948],
    [0x3fe0d24456359e3a, 0x3fe4942a83a2fc07, 0x3c8ed0c544652b5a],
    [0x3fe0c0a7868b4171, 0x3fe4b5bd6956e274, 0xbc8c87a06beea773],
    [0x3fe0af2f722eecb5, 0x3fe4d72d3a39fd00, 0x3c81cd4d414e008d],
    [0x3fe09ddba6af8360, 0x3fe4f87a3f5026e9, 0xbc8e8ca8b1bcea9d],
    [0x3fe08cabb37565e2, 0x3fe519a4c0ba3446, 0x3c89b32128e4a77f],
    [0x3fe07b9f29b8eae2, 0x3fe53aad05b99b7d, 0xbc855c8b052e2539],
    [0x3fe06ab59c7912fb, 0x3fe55b9354b40bcd, 0x3c7e4197a357cb37],
    [0x3fe059eea0727586, 0x3fe57c57f336f191, 0xbc8e953a3bc88192],
    [0x3fe04949cc1664c5, 0x3fe59cfb25fae87e, 0xbc5172904559c6b6],
    [0x3fe038c6b78247fc, 0x3fe5bd7d30e71c73, 0x3c6bf8da6db2b45c],
    [0x3fe02864fc7729e9, 0x3fe5ddde57149923, 0x3c8dcfa37d75ef28],
    [0x3fe0182436517a37, 0x3fe5fe1edad18919, 0xbc8ca8b610e18dbf],
    [0x3fe0080402010080, 0x3fe61e3efda46467, 0xbc8a1b727edefae3],
];

/// ln x for x > 0, within 1 ulp of `libm::log` (checked in the tests), without its
/// division: within 2^-7 of 1, the series of ln(1 + d) in d = x - 1 (exact there) to d⁸;
/// elsewhere x = 2^e·m, m in [1, 2) within 1/256 of a table point c, and
/// ln x = e·ln 2 + ln c + ln(1 + r), r = (m - c)/c (m - c exact), ln(1 + r) to r⁷ (the
/// first omitted terms are below 2^-56 relative). Zero, subnormals, infinities and NaN go
/// to `libm::log`.
#[inline]
pub(crate) fn ln(x: f64) -> f64 {
    let d = x - 1.0;
    if d.abs() < 1.0 / 128.0 {
        // d (exact) plus a correction of relative size d/2.
        let d2 = d * d;
        let c = (-0.5 + d * (1.0 / 3.0))
            + d2 * ((-0.25 + d * 0.2) + d2 * ((-1.0 / 6.0 + d * (1.0 / 7.0)) - d2 * 0.125));
        return d + d2 * c;
    }
    if !(f64::MIN_POSITIVE..f64::INFINITY).contains(&x) {
        return libm::log(x);
    }
    // ln 2 as hi + lo, hi with its low 12 bits zero so that e·hi is exact.
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fefa_3000);
    const LN2_LO: f64 = f64::from_bits(0x3d53_de6a_f278_ece6);
    let bits = x.to_bits();
    let e = ((bits >> 52) as i64 - 1023) as f64;
    let m = f64::from_bits((bits & ((1u64 << 52) - 1)) | (1023u64 << 52));
    let j = ((bits >> 45) & 127) as usize;
    let [inv_c, ln_hi, ln_lo] = LN_TABLE[j].map(f64::from_bits);
    let c = 1.0 + (2 * j + 1) as f64 * (1.0 / 256.0); // exact
    let r = (m - c) * inv_c;
    let r2 = r * r;
    // ln(1 + r) = r - r²/2 + r³/3 - r⁴/4 + r⁵/5 - r⁶/6 + r⁷/7
    let p = r2
        * ((-0.5 + r * (1.0 / 3.0))
            + r2 * ((-0.25 + r * 0.2) + r2 * (-1.0 / 6.0 + r * (1.0 / 7.0))));
    (e * LN2_HI + ln_hi) + (e * LN2_LO + ln_lo + (r + p))
}

/// ln(1 - p) for 0 <= p <= 1/2: for p < 2^-10 the series -(p + p²/2 + ... + p⁶/6), whose
/// first omitted term p⁷/7 is below 2^-62·p; above, ln q + δ/q with q = 1 - p rounded and
/// δ = (1 - q) - p (both differences exact) what the rounding lost.
#[inline]
fn ln_one_minus(p: f64) -> f64 {
    if p < 1.0 / 1024.0 {
        -p * (1.0 + p * (0.5 + p * (1.0 / 3.0 + p * (0.25 + p * (0.2 + p * (1.0 / 6.0))))))
    } else {
        let q = 1.0 - p;
        let delta = (1.0 - q) - p;
        ln(q) + delta / q
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
    if first * b <= 0.86 * vr_b {
        // The test needs no division, so the branch resolves early; 1/vr is ready by now.
        let u = first * inv_vr - 0.43;
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
        v = ln(v);
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
        let h = (m + 0.5) * ln((m + 1.0) / (r * nm)) + fc(m) + fc(nf - m);
        let nk = nf - k + 1.0;
        if v <= h + (nf + 1.0) * ln(nm / nk) + (k + 0.5) * ln(nk * r / (k + 1.0))
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

    /// BTRD's every path: means just above inversion's bound (step 3.1 on both sides of
    /// the mode, more than half the draws rejected by step 1), |k - m| around 15 (3.1 or
    /// 3.2), and large means (3.2 - 3.4).
    #[test]
    fn btrd_matches_exact_distribution() {
        for (n, p) in [
            (25, 0.45),
            (60, 0.2),
            (1000, 0.04),
            (20_000, 0.05),
            (300_000, 0.4),
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
    fn ln_table_is_ln() {
        for (j, row) in LN_TABLE.iter().enumerate() {
            let c = 1.0 + (2 * j + 1) as f64 / 256.0;
            let [inv_c, hi, lo] = row.map(f64::from_bits);
            assert!(ulps(inv_c, 1.0 / c) == 0, "j = {j}");
            assert!(ulps(hi, libm::log(c)) <= 1, "j = {j}");
            assert!(lo.abs() <= f64::EPSILON * hi.abs(), "j = {j}");
        }
    }

    #[test]
    fn ln_is_log() {
        let mut rng = stream(4, 0, 0);
        let mut worst = 0;
        let mut check = |x: f64| {
            let u = ulps(ln(x), libm::log(x));
            assert!(u <= 1, "x = {x:e}: {} vs {}", ln(x), libm::log(x));
            worst = worst.max(u);
        };
        for _ in 0..200_000 {
            // Over many binades, and densely around 1.
            check(libm::exp(1400.0 * (uniform(&mut rng) - 0.5)));
            check(1.0 + 0.05 * (uniform(&mut rng) - 0.5));
        }
        for x in [
            1.0,
            1.0 + f64::EPSILON,
            1.0 - f64::EPSILON / 2.0,
            0.5,
            2.0,
            1e-300,
            1e300,
        ] {
            check(x);
        }
        for x in [0.0, -1.0, f64::INFINITY, f64::NAN, 1e-310] {
            assert_eq!(ln(x).to_bits(), libm::log(x).to_bits(), "{x}");
        }
    }

    #[test]
    fn one_minus_exp_is_expm1() {
        let mut rng = stream(5, 0, 0);
        let mut h = 1e-300;
        while h < 800.0 {
            for x in [h, h * (1.0 + uniform(&mut rng))] {
                let (a, b) = (one_minus_exp(x), -libm::expm1(-x));
                assert!(ulps(a, b) <= 1, "h = {x:e}: {a} vs {b}");
            }
            h *= 1.01;
        }
        assert_eq!(one_minus_exp(0.0), 0.0);
        assert_eq!(one_minus_exp(f64::INFINITY), 1.0);
        assert!(one_minus_exp(f64::NAN).is_nan());
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
