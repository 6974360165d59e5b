//! Shared test fixtures.
#![allow(dead_code)]

use attache_negotiation::Game;

/// The EU-27 fixture (see the header of `fixtures/eu27_population_2024.csv` for its source).
pub fn eu27() -> (Vec<String>, Vec<u64>) {
    let text = include_str!("../fixtures/eu27_population_2024.csv");
    let mut names = Vec::new();
    let mut pops = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        names.push(cols[1].to_string());
        pops.push(cols[2].parse().expect("population is an integer"));
    }
    (names, pops)
}

/// The EU Council game over the fixture.
pub fn eu27_game() -> Game {
    let (names, pops) = eu27();
    Game::eu_council(names, pops).expect("valid EU game")
}

pub fn close(got: f64, want: f64, tol: f64) -> bool {
    (got - want).abs() <= tol
}
