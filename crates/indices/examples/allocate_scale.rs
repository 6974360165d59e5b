//! Benchmark side of `bench/allocate.sh`: solves the full-size allocation (190 countries x 17
//! goals x 3 segments, the problem of `tests/common/scale.rs`) RUNS times and prints the best
//! wall time and the objective. With `--write FILE` it first writes the same problem as CSV,
//! one row per segment, for the peer solver to read.
//!
//! Usage: allocate_scale [RUNS] [--write FILE]

#[path = "../tests/common/scale.rs"]
mod scale;

use std::io::Write;
use std::time::Instant;

use attache_indices::allocate::{Options, solve};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 5usize;
    let mut write = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--write" => write = Some(it.next().ok_or("--write needs a file")?.clone()),
            n => runs = n.parse().map_err(|e| format!("RUNS {n:?}: {e}"))?,
        }
    }
    let p = scale::problem();
    if let Some(path) = write {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path)?);
        writeln!(
            f,
            "cell,country,goal,score,floor,country_cap,budget,width,gain_per_unit"
        )?;
        for (i, c) in p.cells.iter().enumerate() {
            let cap = p.country_caps[c.country].map_or(String::new(), |x| x.to_string());
            for s in &c.segments {
                writeln!(
                    f,
                    "{i},{},{},{},{},{cap},{},{},{}",
                    c.country, c.goal, c.score, c.floor, p.budget, s.width, s.gain_per_unit
                )?;
            }
        }
        f.flush()?;
    }
    let opts = Options {
        shadow_prices: false,
        max_shadow_prices: 0,
    };
    let mut best = f64::INFINITY;
    let mut objective = f64::NAN;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let a = solve(&p, opts)?;
        best = best.min(t.elapsed().as_secs_f64());
        objective = a.objective;
    }
    println!(
        "attache (microlp): {} variables, best of {runs}: {best:.4} s, objective {objective:.9}",
        p.cells.len() * 3
    );
    Ok(())
}
