//! The ViEWS benchmark forecasters, producing the draws of one unit-month from plain history
//! slices (oldest month first). No IO.
//!
//! | benchmark | draws |
//! | --- | --- |
//! | [`zero`] | all 0 |
//! | [`last_historical_poisson`] | Poisson(λ = the unit's last observed month) |
//! | [`global_bootstrap`] | resampled with replacement from a pool of all units' last 12 months ([`bootstrap_pool`]) |
//! | [`conflictology`] | the unit's last 12 observed months, repeated: draw `i` = `last12[i % 12]` |
//!
//! # Reproducible randomness
//! The random benchmarks take a [`ChaCha8Rng`]; build one with [`seeded_rng`] from a seed and a
//! stream number (e.g. the country id, so a unit's draws do not depend on the order in which
//! units are forecast). The same seed gives byte-identical draws on every run and platform:
//! ChaCha8's output is defined bit for bit, the uniform variates and the bounded integers
//! ([`uniform_below`], Lemire's multiply-shift method) are integer arithmetic, and the Poisson
//! sampler ([`sample_poisson`]) uses only IEEE-exact operations (`+ - * /`, `sqrt`, `floor`) plus
//! `exp`, `ln` and `lgamma` from the pure-Rust `libm` crate, never the platform's math library.
//! (That is why this module does not use `rand_distr::Poisson`: its float functions switch to
//! the platform's libm whenever any crate in the build enables `num-traits/std`.)

use rand_chacha::rand_core::{Rng, SeedableRng};

pub use rand_chacha::ChaCha8Rng;

/// Number of draws per forecast in the challenge.
pub const DEFAULT_DRAWS: usize = 1000;

/// Months of history the conflictology and bootstrap benchmarks use.
pub const HISTORY_MONTHS: usize = 12;

/// Why a benchmark could not produce draws.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BenchmarkError {
    /// The history (or bootstrap pool) has no observed month.
    #[error("the history has no observed month")]
    EmptyHistory,
    /// A history value is not a finite non-negative count.
    #[error("history value {index} is not a finite non-negative number ({value})")]
    InvalidValue {
        /// Position of the offending value in the slice.
        index: usize,
        /// The offending value.
        value: f64,
    },
}

/// A ChaCha8 generator for `seed`, on stream `stream` (ChaCha's 64-bit nonce). Different streams
/// of one seed are independent sequences.
pub fn seeded_rng(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// The zero benchmark: `n_draws` zeros.
pub fn zero(n_draws: usize) -> Vec<f64> {
    vec![0.0; n_draws]
}

/// The last-historical Poisson benchmark: `n_draws` draws from Poisson(λ) with λ the last value
/// of `history`.
///
/// # Errors
/// [`BenchmarkError::EmptyHistory`] for an empty history, [`BenchmarkError::InvalidValue`] if
/// the last value is negative or not finite.
///
/// ```
/// use attache_scoring::benchmarks::{last_historical_poisson, seeded_rng};
/// let mut rng = seeded_rng(2024, 57);
/// let draws = last_historical_poisson(&[0.0, 3.0, 12.0], 1000, &mut rng)?;
/// assert_eq!(draws.len(), 1000);
/// # Ok::<(), attache_scoring::benchmarks::BenchmarkError>(())
/// ```
pub fn last_historical_poisson(
    history: &[f64],
    n_draws: usize,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<f64>, BenchmarkError> {
    let index = history
        .len()
        .checked_sub(1)
        .ok_or(BenchmarkError::EmptyHistory)?;
    let lambda = history[index];
    check_value(index, lambda)?;
    Ok((0..n_draws).map(|_| sample_poisson(lambda, rng)).collect())
}

/// The pool of the global bootstrap benchmark: the last `months` values of every unit's history
/// (all of a shorter history), concatenated in the order given.
pub fn bootstrap_pool<'a>(
    histories: impl IntoIterator<Item = &'a [f64]>,
    months: usize,
) -> Vec<f64> {
    histories
        .into_iter()
        .flat_map(|h| &h[h.len().saturating_sub(months)..])
        .copied()
        .collect()
}

/// The global bootstrap benchmark: `n_draws` values sampled uniformly with replacement from
/// `pool` (see [`bootstrap_pool`]).
///
/// # Errors
/// [`BenchmarkError::EmptyHistory`] for an empty pool, [`BenchmarkError::InvalidValue`] for a
/// negative or non-finite pool value.
pub fn global_bootstrap(
    pool: &[f64],
    n_draws: usize,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<f64>, BenchmarkError> {
    check_history(pool)?;
    let len = pool.len() as u64;
    Ok((0..n_draws)
        .map(|_| {
            // `uniform_below` returns a value < pool.len(), so the index is in range.
            pool[uniform_below(rng, len) as usize]
        })
        .collect())
}

/// The conflictology benchmark: the unit's last [`HISTORY_MONTHS`] observed months (all of a
/// shorter history) form the draw set, repeated in order to fill `n_draws`: draw `i` is
/// `last[i % last.len()]`. With 1000 draws and 12 months, the first 4 months of the window
/// appear 84 times and the other 8 appear 83 times, so every month carries ~1/12 of the mass.
///
/// # Errors
/// [`BenchmarkError::EmptyHistory`] for an empty history, [`BenchmarkError::InvalidValue`] for a
/// negative or non-finite value among the months used.
///
/// ```
/// use attache_scoring::benchmarks::conflictology;
/// let history: Vec<f64> = (0..24).map(f64::from).collect();
/// let draws = conflictology(&history, 1000)?;
/// assert_eq!(&draws[..3], &[12.0, 13.0, 14.0]);
/// assert_eq!(draws[12], 12.0);
/// # Ok::<(), attache_scoring::benchmarks::BenchmarkError>(())
/// ```
pub fn conflictology(history: &[f64], n_draws: usize) -> Result<Vec<f64>, BenchmarkError> {
    let start = history.len().saturating_sub(HISTORY_MONTHS);
    let last = &history[start..];
    check_history(last).map_err(|e| match e {
        BenchmarkError::InvalidValue { index, value } => BenchmarkError::InvalidValue {
            index: index + start,
            value,
        },
        other => other,
    })?;
    Ok((0..n_draws).map(|i| last[i % last.len()]).collect())
}

/// One draw from Poisson(`lambda`), as an `f64` count. `lambda` must be finite and `>= 0`
/// (anything else gives NaN).
///
/// For `lambda < 10`, Knuth's multiplication method; otherwise Hörmann's (1993) transformed
/// rejection with squeeze (PTRS), the algorithm numpy uses for large means. Deterministic
/// across platforms (see the module documentation).
pub fn sample_poisson(lambda: f64, rng: &mut ChaCha8Rng) -> f64 {
    if !(lambda.is_finite() && lambda >= 0.0) {
        return f64::NAN;
    }
    if lambda == 0.0 {
        return 0.0;
    }
    if lambda < 10.0 {
        let limit = libm::exp(-lambda);
        let mut k = 0.0;
        let mut product = unit_open_closed(rng);
        while product > limit {
            k += 1.0;
            product *= unit_open_closed(rng);
        }
        return k;
    }
    let slam = lambda.sqrt();
    let loglam = libm::log(lambda);
    let b = 0.931 + 2.53 * slam;
    let a = -0.059 + 0.02483 * b;
    let log_inv_alpha = libm::log(1.1239 + 1.1328 / (b - 3.4));
    let v_r = 0.9277 - 3.6224 / (b - 2.0);
    loop {
        let u = unit_interval(rng) - 0.5;
        let v = unit_open_closed(rng);
        let us = 0.5 - u.abs();
        let k = ((2.0 * a / us + b) * u + lambda + 0.43).floor();
        if us >= 0.07 && v <= v_r {
            return k;
        }
        // `k < 0` also catches us == 0 (k = -inf).
        if k.is_nan() || k < 0.0 || (us < 0.013 && v > us) {
            continue;
        }
        let lhs = libm::log(v) + log_inv_alpha - libm::log(a / (us * us) + b);
        let rhs = -lambda + k * loglam - libm::lgamma(k + 1.0);
        if lhs <= rhs {
            return k;
        }
    }
}

/// A uniform integer in `[0, n)` (Lemire's multiply-shift with rejection); `n = 0` gives 0.
pub fn uniform_below(rng: &mut ChaCha8Rng, n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let mut m = u128::from(rng.next_u64()) * u128::from(n);
    if (m as u64) < n {
        let threshold = n.wrapping_neg() % n;
        while (m as u64) < threshold {
            m = u128::from(rng.next_u64()) * u128::from(n);
        }
    }
    (m >> 64) as u64
}

/// A uniform `f64` in `[0, 1)`: the top 53 bits of one `next_u64`, times `2^-53`.
pub fn unit_interval(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform `f64` in `(0, 1]` with 53 random bits (safe for `ln`).
fn unit_open_closed(rng: &mut ChaCha8Rng) -> f64 {
    ((rng.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
}

fn check_value(index: usize, value: f64) -> Result<(), BenchmarkError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(BenchmarkError::InvalidValue { index, value })
    }
}

fn check_history(values: &[f64]) -> Result<(), BenchmarkError> {
    if values.is_empty() {
        return Err(BenchmarkError::EmptyHistory);
    }
    values
        .iter()
        .enumerate()
        .try_for_each(|(index, &value)| check_value(index, value))
}
