//! Harness for `bench/epidemic.sh` (not a test): the deterministic SEIR the benchmark runs
//! side by side with epidemik, one population or three patches, printed as CSV (day, patch,
//! S, E, I, R) with the time per run on standard error.
//!
//! cargo run --release -p attache-epidemic --example sidebyside -- \
//!     single|patches R0 LATENT INFECTIOUS DAYS STEPS SEED N1[,N2,N3] [W12,W23,W13] [REPEAT]
//!
//! STEPS: a number of RK4 steps a day, or `dopri` (Dormand-Prince at the default tolerances)
//! or `dopri:RTOL:ATOL`.
//!
//! Patches: W travellers a day each way on each link (a flux model, see
//! `attache_epidemic::network`); SEED infectious people in the first patch on day 0.

use std::time::Instant;

use attache_epidemic::{
    DEFAULT_ATOL, DEFAULT_RTOL, Integrator, Metapop, Mobility, Model, Scenario, Seed, Setup,
    integrate,
};

fn list(s: &str) -> Vec<f64> {
    s.split(',').map(|x| x.parse().expect("a number")).collect()
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let usage =
        "single|patches R0 LATENT INFECTIOUS DAYS STEPS SEED N1[,N2,N3] [W12,W23,W13] [REPEAT]";
    assert!(a.len() >= 9, "usage: {usage}");
    let num = |i: usize| -> f64 { a[i].parse().expect(usage) };
    let (r0, latent, infectious) = (num(2), num(3), num(4));
    let (days, seed) = (num(5) as u32, num(7) as u64);
    let integrator = match a[6].split(':').collect::<Vec<_>>()[..] {
        ["dopri"] => Integrator::DormandPrince {
            rtol: DEFAULT_RTOL,
            atol: DEFAULT_ATOL,
        },
        ["dopri", rtol, atol] => Integrator::DormandPrince {
            rtol: rtol.parse().expect(usage),
            atol: atol.parse().expect(usage),
        },
        _ => Integrator::Rk4 {
            steps_per_day: a[6].parse().expect(usage),
        },
    };
    let pops: Vec<u64> = list(&a[8]).into_iter().map(|p| p as u64).collect();
    let names: Vec<String> = (1..=pops.len()).map(|i| format!("P{i}")).collect();
    let mobility = match a[1].as_str() {
        "single" => Mobility::isolated(1),
        "patches" => {
            let w = list(&a[9]);
            Mobility::from_links(3, &[(0, 1, w[0]), (1, 2, w[1]), (0, 2, w[2])]).unwrap()
        }
        other => panic!("{other}: {usage}"),
    };
    let repeat: usize = a
        .get(if a[1] == "single" { 9 } else { 10 })
        .map_or(1, |s| s.parse().expect(usage));
    let world = Metapop::new(names.clone(), pops, mobility).unwrap();
    let setup = Setup::new(
        Model::seir(r0, latent, infectious).unwrap(),
        world,
        &[Seed {
            place: names[0].clone(),
            count: seed,
            day: 0,
            compartment: None,
        }],
        &Scenario::baseline(),
        days,
    )
    .unwrap();
    let t0 = Instant::now();
    let mut t = integrate(&setup, integrator).unwrap();
    for _ in 1..repeat {
        t = integrate(&setup, integrator).unwrap();
    }
    let per_run = t0.elapsed().as_secs_f64() / repeat as f64;
    println!("day,patch,S,E,I,R");
    for (d, p, rec) in t.rows() {
        println!(
            "{d},{p},{:.12e},{:.12e},{:.12e},{:.12e}",
            rec[0], rec[1], rec[2], rec[3]
        );
    }
    eprintln!("seconds_per_run {per_run:.9}");
}
