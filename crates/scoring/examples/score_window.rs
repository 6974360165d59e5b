//! Times a [`Scorecard`] over a synthetic challenge-sized window: 2292 country-months x 1000
//! draws (the 2023/24 challenge's country-month window), generated from a fixed seed.
//!
//! ```text
//! cargo run --release -p attache-scoring --example score_window [-- OUT_DIR]
//! python3 crates/scoring/bench/score_numpy.py OUT_DIR
//! ```
//!
//! Writes to `OUT_DIR` (default: `$TMPDIR/attache-scoring-window`), all little-endian `f64`:
//! - `window.f64`: `n_forecasts`, `n_draws`, then the `n_forecasts` observations, then the
//!   draws row by row (`n_forecasts x n_draws`);
//! - `rust_scores.f64`: one row per forecast: CRPS, IGN, MIS, P(>= 25), PIT.
//!
//! The peer script `bench/score_numpy.py` computes the same metrics with vectorised numpy on
//! the same data, times them the same way (best and median of repeated runs) and compares its
//! values with `rust_scores.f64`.

use std::error::Error;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use attache_scoring::Scorecard;
use attache_scoring::benchmarks::{sample_poisson, seeded_rng, unit_interval};

const N_FORECASTS: usize = 2292;
const N_DRAWS: usize = 1000;
const SEED: u64 = 20_240_101;
const REPEATS: usize = 9;

/// Zero-inflated, over-dispersed synthetic forecasts: 60 % of country-months are near-zero,
/// the rest have a base intensity spread log-uniformly up to ~8000 fatalities; every draw and the
/// observation are Poisson around the base times a log-uniform factor in [e^-1.5, e^1.5].
fn synthetic_window() -> (Vec<f64>, Vec<f64>) {
    let mut observed = Vec::with_capacity(N_FORECASTS);
    let mut draws = Vec::with_capacity(N_FORECASTS * N_DRAWS);
    for f in 0..N_FORECASTS {
        let mut rng = seeded_rng(SEED, f as u64);
        let base = if unit_interval(&mut rng) < 0.6 {
            0.05 * unit_interval(&mut rng)
        } else {
            (9.0 * unit_interval(&mut rng)).exp()
        };
        let noisy = |rng: &mut _| {
            let factor = (3.0 * (unit_interval(rng) - 0.5)).exp();
            sample_poisson(base * factor, rng)
        };
        observed.push(noisy(&mut rng));
        for _ in 0..N_DRAWS {
            draws.push(noisy(&mut rng));
        }
    }
    (observed, draws)
}

fn score(observed: &[f64], draws: &[f64]) -> Result<Scorecard, Box<dyn Error>> {
    let mut card = Scorecard::new();
    for (y, row) in observed.iter().zip(draws.chunks_exact(N_DRAWS)) {
        card.add(row, *y)?;
    }
    Ok(card)
}

fn write_f64s(path: &PathBuf, values: impl IntoIterator<Item = f64>) -> std::io::Result<()> {
    let bytes: Vec<u8> = values.into_iter().flat_map(f64::to_le_bytes).collect();
    std::fs::write(path, bytes)
}

fn main() -> Result<(), Box<dyn Error>> {
    let out_dir = std::env::args_os().nth(1).map_or_else(
        || std::env::temp_dir().join("attache-scoring-window"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&out_dir)?;

    let start = Instant::now();
    let (observed, draws) = synthetic_window();
    println!(
        "generated {N_FORECASTS} x {N_DRAWS} draws in {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );

    let mut times: Vec<Duration> = Vec::with_capacity(REPEATS);
    let mut card = None;
    for _ in 0..REPEATS {
        let start = Instant::now();
        let scored = score(&observed, &draws)?;
        let summary = scored.summary();
        times.push(start.elapsed());
        std::hint::black_box(&summary);
        card = Some(scored);
    }
    let card = card.ok_or("no scoring run")?;
    times.sort();
    let summary = card.summary();
    println!(
        "scored (sort + CRPS, IGN, MIS, P(>=25), Brier, PIT per forecast; AP, PIT histogram, \
         reliability): best {:.2} ms, median {:.2} ms over {REPEATS} runs",
        times[0].as_secs_f64() * 1e3,
        times[REPEATS / 2].as_secs_f64() * 1e3
    );
    println!(
        "mean CRPS {:.6}  IGN {:.6}  MIS {:.6}  Brier {:.6}  AP {:.6}  events {}",
        summary.crps,
        summary.ign,
        summary.mis,
        summary.brier,
        summary.average_precision,
        summary.events
    );
    println!("PIT histogram {:?}", summary.pit_histogram);

    let header = [N_FORECASTS as f64, N_DRAWS as f64];
    let window = out_dir.join("window.f64");
    write_f64s(
        &window,
        header
            .into_iter()
            .chain(observed.iter().copied())
            .chain(draws),
    )?;
    let scores = out_dir.join("rust_scores.f64");
    write_f64s(
        &scores,
        card.observations()
            .iter()
            .flat_map(|o| [o.crps, o.ign, o.mis, o.prob_event, o.pit]),
    )?;
    println!("wrote {} and {}", window.display(), scores.display());
    Ok(())
}
