//! Shared test fixtures.
#![allow(dead_code)]

use attache_negotiation::Game;

/// The EU-27 table the crate embeds (see the header of `data/eu27_population_2024.csv`).
pub fn eu27() -> (Vec<String>, Vec<u64>) {
    attache_negotiation::presets::eu27_population_2024()
        .into_iter()
        .unzip()
}

/// The EU Council game over the fixture.
pub fn eu27_game() -> Game {
    let (names, pops) = eu27();
    Game::eu_council(names, pops).expect("valid EU game")
}

pub fn close(got: f64, want: f64, tol: f64) -> bool {
    (got - want).abs() <= tol
}
