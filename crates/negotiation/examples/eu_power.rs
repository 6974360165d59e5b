//! Times exact voting power for the EU Council's 27-member two-criteria game (55% of members,
//! at least fifteen, and 65% of population, with the four-member blocking clause) over
//! Eurostat's populations on 1 January 2024 in thousands, and prints the power table as CSV.
//!
//! ```text
//! cargo run --release -p attache-negotiation --example eu_power
//! ```
//!
//! The acceptance target is under one second in release.

use std::time::Instant;

use attache_negotiation::{Explain, exact_power, monte_carlo_power};

fn main() {
    let game = attache_negotiation::presets::eu_council_2024();
    println!("# {}", game.describe());

    let runs = 5;
    let mut best = f64::INFINITY;
    let mut power = None;
    for _ in 0..runs {
        let t = Instant::now();
        let p = exact_power(&game).expect("exact power");
        best = best.min(t.elapsed().as_secs_f64());
        power = Some(p);
    }
    let power = power.expect("ran");
    println!("# exact generating function: best of {runs} runs {best:.3} s");

    let t = Instant::now();
    let mc = monte_carlo_power(&game, 200_000, 20240101).expect("monte carlo");
    println!(
        "# Monte Carlo, 200,000 orders and coalitions: {:.3} s",
        t.elapsed().as_secs_f64()
    );
    println!("# {}", power.explain());
    println!("member,population_thousands,shapley_shubik,banzhaf,shapley_shubik_mc,banzhaf_mc");
    for (i, r) in power.rows().iter().enumerate() {
        println!(
            "{},{},{:.5},{:.5},{:.5},{:.5}",
            r.member, r.weight, r.shapley_shubik, r.banzhaf, mc.shapley_shubik[i], mc.banzhaf[i]
        );
    }
}
