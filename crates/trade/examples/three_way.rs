//! The PPML side of `bench/trade_ppml.sh` (not a test): the gegravity sample (900 flows, two-way
//! fixed effects, heteroskedasticity-robust) and the Advanced Guide's full panel (99,981 rows,
//! 1986-2006, three-way fixed effects, clustered by pair), with reghdfe/fixest's small-sample
//! adjustment so the standard errors compare with pyfixest's. Prints estimates to ten decimals
//! and the best wall time of `RUNS` fits of the panel.
//!
//! `cargo run --release -p attache-trade --example three_way -- [MIRROR_DIR] [RUNS]`

use std::time::Instant;

use attache_trade::{Column, Fit, Formula, Frame, Ppml, SmallSample, Vcov, dta};

/// The gegravity sample: comma-separated, no quotes; the first two columns are text.
fn read_dlm(text: &str) -> Frame {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let mut cols: Vec<Vec<&str>> = vec![Vec::new(); header.len()];
    for line in lines.filter(|l| !l.is_empty()) {
        for (c, cell) in line.split(',').enumerate() {
            cols[c].push(cell);
        }
    }
    let mut f = Frame::new();
    for (name, col) in header.iter().zip(cols) {
        let column = if *name == "exporter" || *name == "importer" {
            Column::Text(col.iter().map(|s| s.to_string()).collect())
        } else {
            Column::Num(col.iter().map(|s| s.parse().expect(name)).collect())
        };
        f.push(name, column).unwrap();
    }
    f
}

fn print(fit: &attache_trade::FittedPpml) {
    for c in &fit.coefficients {
        println!(
            "  {:<16} {:>15.10} {:>15.10}",
            c.term, c.estimate, c.std_error
        );
    }
    println!("  N {}", fit.n_obs);
}

fn main() {
    let mirror = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data").to_string()
    });
    let runs: usize = std::env::args()
        .nth(2)
        .map_or(3, |r| r.parse().expect("RUNS"));
    let dlm = format!("{mirror}/trade/gegravity_sample_data_set.dlm");
    let text = std::fs::read_to_string(&dlm).unwrap_or_else(|e| panic!("{dlm}: {e}"));
    let sample = read_dlm(&text);
    let formula: Formula =
        "trade ~ pta + contiguity + common_language + lndist + international | exporter + importer"
            .parse()
            .unwrap();
    let t = Instant::now();
    let fit = Ppml::new(formula)
        .vcov(Vcov::Robust)
        .small_sample(SmallSample::Hdfe)
        .tolerance(1e-10)
        .fit(&sample)
        .expect("gegravity fit");
    println!(
        "gegravity sample, robust (HC1 with fixed effects counted), {:.3} s:",
        t.elapsed().as_secs_f64()
    );
    print(&fit);

    let path = format!("{mirror}/trade/advanced-guide/Chapter2Application2.dta");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let t = Instant::now();
    let frame = dta::read(&bytes).expect("dta");
    println!(
        "read {} rows of {path} in {:.3} s",
        frame.rows(),
        t.elapsed().as_secs_f64()
    );
    let formula: Formula = "trade ~ RTA | exporter^year + importer^year + pair_id"
        .parse()
        .unwrap();
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let fit = Ppml::new(formula.clone())
            .vcov(Vcov::Cluster("pair_id".into()))
            .small_sample(SmallSample::Hdfe)
            .fit(&frame)
            .expect("fit");
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(fit);
    }
    let fit = last.expect("one run");
    println!(
        "three-way PPML, clustered by pair (CRV1), {} IRLS iterations, separated {}, best of {runs}: {best:.3} s",
        fit.iterations, fit.separated
    );
    print(&fit);
}
