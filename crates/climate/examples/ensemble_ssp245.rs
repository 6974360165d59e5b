//! The ensemble `bench/climate_fair2.sh` times, without the process around it: SSP2-4.5,
//! the `three-layer` parameters, N members (default 1,000) drawn with seed 1, rebased to
//! 1850-1900, then the per-year quantiles. Prints the wall time of each phase (the alpha
//! table, built once per process, is timed on its own first).
//!
//! With `--dump FILE` it also writes every member's temperature and CO2 as little-endian
//! f64 (member-major), and with `--compare FILE` it reads such a dump and prints the largest
//! difference from it: how a change to the numerics is checked against the code before it.
//!
//! `cargo run --release -p attache-climate --example ensemble_ssp245 --
//!     [N] [--dump F | --compare F]`

use std::time::Instant;

use attache_climate::Scenario;
use attache_climate::calibration::ParamSet;
use attache_climate::ensemble::{LEVELS, sampled_ensemble};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut n = 1000;
    let mut dump = None;
    let mut compare = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--dump" => dump = it.next().cloned(),
            "--compare" => compare = it.next().cloned(),
            x => n = x.parse()?,
        }
    }
    let tt = Instant::now();
    let table = attache_climate::carbon::AlphaTable::new(&ParamSet::ThreeLayer.params().carbon);
    let table_ms = tt.elapsed().as_secs_f64() * 1e3;
    let t0 = Instant::now();
    let e = Scenario::Ssp245.emissions()?;
    let p = ParamSet::ThreeLayer.params();
    let t1 = Instant::now();
    let ens = sampled_ensemble(&e, &p, n, 1)?;
    let t2 = Instant::now();
    let q = ens.temperature_quantiles(&LEVELS);
    let t3 = Instant::now();
    let i2100 = ens.years.iter().position(|y| *y == 2100.0).unwrap_or(0);
    println!(
        "{n} members, {} years: alpha table {table_ms:.1} ms ({:.0}% final), scenario {:.1} ms, \
         ensemble {:.1} ms, quantiles {:.1} ms; 2100 quantiles {:?}",
        ens.years.len(),
        100.0 * table.exact_share(),
        (t1 - t0).as_secs_f64() * 1e3,
        (t2 - t1).as_secs_f64() * 1e3,
        (t3 - t2).as_secs_f64() * 1e3,
        q[i2100]
    );
    let flat: Vec<f64> = ens
        .temperature
        .iter()
        .chain(&ens.co2)
        .flat_map(|s| s.iter().copied())
        .collect();
    if let Some(path) = dump {
        let bytes: Vec<u8> = flat.iter().flat_map(|x| x.to_le_bytes()).collect();
        std::fs::write(path, bytes)?;
    }
    if let Some(path) = compare {
        let bytes = std::fs::read(path)?;
        let old: Vec<f64> = bytes
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
            .collect();
        if old.len() != flat.len() {
            return Err(format!("dump holds {} values, this run {}", old.len(), flat.len()).into());
        }
        let half = flat.len() / 2;
        let max_diff =
            |r: std::ops::Range<usize>| r.map(|i| (flat[i] - old[i]).abs()).fold(0.0, f64::max);
        println!(
            "max |difference| from the dump: temperature {:.3e} K, CO2 {:.3e} ppm",
            max_diff(0..half),
            max_diff(half..flat.len())
        );
    }
    Ok(())
}
