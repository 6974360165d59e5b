//! Benchmark (not a test): a 220-subpopulation stochastic SEIR ensemble of 1,000 runs
//! over 365 days on a random conserving network, timed.
//!
//! cargo run --release -p attache-epidemic --example ensemble [-- RUNS THREADS]
//!
//! The network, roughly the world's countries: log10 population ~ Normal(6.75, 0.9) within
//! [1e4, 1.4e9]; each subpopulation links to 3-15 partners drawn in proportion to
//! sqrt(population) (so large ones become hubs); a link carries
//! 1.5e-4 · min(N_a, N_b) · U(0.05, 1) travellers a day each way (fractional, so the carried
//! rounding is exercised), about 5e-4 of everyone a day (UNWTO counted 1.46e9
//! international arrivals in 2019: 5e-4 of the world a day).
//!
//! Measured on the project's 2-core machine (2 vCPUs) on 2026-12-07, with other builds
//! running (load 3.0-3.6): 1,000 runs took 20.7-20.9 s of CPU against 23.6-23.9 s for the
//! code before that day's changes run alternately beside it (which took 22.8 s at low load),
//! so about 19.9 s of CPU, 10.0 s of wall on two idle cores: on the 10 s line.
//! Where the time goes (perf): BTRD binomials 27%, the travel step 40% (the spreading loops
//! 15% of it), inversion binomials 9%, local transitions 11%, ln 4%, ChaCha8 5%
//! (docs/EPIDEMIC_METHOD.md, section 6; bench/README.md).

use std::time::Instant;

use attache_epidemic::sample::{stream, uniform};
use attache_epidemic::{
    EnsembleOptions, Metapop, Mobility, Model, Scenario, Seed, Setup, Track, When, run_ensemble,
};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs: u32 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let threads: usize = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let n = 220;
    let mut rng = stream(2024, 0, 0);
    // log10 N ~ Normal(6.75, 0.9) within [1e4, 1.4e9]: roughly the world's countries.
    let pop: Vec<u64> = (0..n)
        .map(|_| {
            let z = (-2.0 * uniform(&mut rng).ln()).sqrt()
                * (2.0 * std::f64::consts::PI * uniform(&mut rng)).cos();
            10f64.powf((6.75 + 0.9 * z).clamp(4.0, 9.146)) as u64
        })
        .collect();
    let weight: Vec<f64> = pop.iter().map(|&p| (p as f64).sqrt()).collect();
    let total: f64 = weight.iter().sum();
    let mut links = Vec::new();
    for a in 0..n {
        let partners = 3 + (uniform(&mut rng) * 13.0) as usize;
        for _ in 0..partners {
            let mut u = uniform(&mut rng) * total;
            let mut b = 0;
            while b + 1 < n && u >= weight[b] {
                u -= weight[b];
                b += 1;
            }
            if b != a {
                let w = 1.5e-4 * pop[a].min(pop[b]) as f64 * (0.05 + 0.95 * uniform(&mut rng));
                links.push((a, b, w));
            }
        }
    }
    let mobility = Mobility::from_links(n, &links).expect("valid links");
    let out = mobility.outflow();
    let travel_share = out.iter().sum::<f64>() / pop.iter().map(|&p| p as f64).sum::<f64>();
    let names: Vec<String> = (0..n).map(|i| format!("N{i:03}")).collect();
    let origin = (0..n).max_by_key(|&i| pop[i]).unwrap();
    let n_links = mobility.links().len();
    let world = Metapop::new(names.clone(), pop.clone(), mobility).expect("valid network");
    let seeds = [Seed {
        place: names[origin].clone(),
        count: 20,
        day: 0,
        compartment: None,
    }];
    let setup = Setup::new(
        Model::seir(2.5, 3.0, 4.0).unwrap(),
        world,
        &seeds,
        &Scenario::baseline(),
        365,
    )
    .unwrap();
    println!(
        "{n} subpopulations, {n_links} links (mean degree {:.1}), {:.2e} people, \
         {:.1e} of them travelling a day; SEIR R0 2.5, 20 seeds in the largest; \
         {runs} runs x 365 days on {threads} threads",
        2.0 * n_links as f64 / n as f64,
        pop.iter().map(|&p| p as f64).sum::<f64>(),
        travel_share
    );
    let t0 = Instant::now();
    let e = run_ensemble(
        &setup,
        &EnsembleOptions {
            runs,
            seed: 1,
            threads,
            track: vec![],
        },
    )
    .unwrap();
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "ensemble: {secs:.2} s ({:.0} ns per subpopulation-day)",
        secs * 1e9 / (f64::from(runs) * 365.0 * n as f64)
    );
    let reached = (0..n)
        .filter(|&i| matches!(e.arrival(i).median, When::Day(_)))
        .count();
    let last = (0..n)
        .filter_map(|i| match e.arrival(i).median {
            When::Day(d) => Some(d),
            When::NotReached => None,
        })
        .fold(0.0, f64::max);
    println!(
        "median arrival within the year in {reached}/{n} subpopulations (latest median day {last}); \
         world attack rate median {:.3}",
        e.world_attack_rate().q50
    );
    let fan = e.prevalence_fan(Track::World).unwrap();
    let peak = (0..fan.len())
        .max_by(|&a, &b| fan[a].q50.total_cmp(&fan[b].q50))
        .unwrap();
    println!("world prevalence median peaks on day {peak}");
}
