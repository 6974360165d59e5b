//! The EU Council's qualified majority (TEU Art. 16(4): 55% of members, at least fifteen,
//! 65% of population; a blocking minority needs at least four members) for the 27 members and
//! Eurostat's populations on 1 January 2024 (the table the crate embeds: `data/eu27_population_2024.csv`).
//!
//! Two independent computations must agree: the exact generating function over (number of
//! members, population) and a seeded Monte Carlo estimate from 200,000 random orders and
//! 200,000 random coalitions. The tolerance is five standard errors of the estimate (about
//! 0.004 for the largest members), plus 0.001 for normalised Banzhaf (a ratio of estimates);
//! with a fixed seed the test is deterministic, and a wrong exact value (e.g. without the
//! blocking clause, or with one member's weight wrong) fails it.

mod common;

use std::sync::OnceLock;

use attache_negotiation::whatif::compare;
use attache_negotiation::{
    Explain, Game, Power, PowerError, Threshold, enumerate_power, exact_power, monte_carlo_power,
    what_if,
};

/// The exact power of the EU-27 game, computed once for all tests of this file (several
/// seconds unoptimised).
fn base() -> &'static Power {
    static POWER: OnceLock<Power> = OnceLock::new();
    POWER.get_or_init(|| exact_power(&common::eu27_game()).unwrap())
}

#[test]
fn eu27_exact_agrees_with_monte_carlo() {
    let game = common::eu27_game();
    assert_eq!(game.min_members(), 15);
    assert_eq!(game.wins_with_members(), Some(24));
    assert_eq!(game.quota(0), 291_987); // ceil(0.65 x 449,210)
    assert_eq!(
        game.describe(),
        "a coalition of the 27 members wins with at least 65% of population (291987 of 449210) and at least 15 members, or with any 24 or more members (a blocking minority needs at least 4)"
    );
    let exact = base();
    let mc = monte_carlo_power(&game, 200_000, 20240101).unwrap();
    for i in 0..game.len() {
        let tol_ss = 5.0 * mc.shapley_shubik_se[i].max(1e-4);
        assert!(
            (exact.shapley_shubik[i] - mc.shapley_shubik[i]).abs() <= tol_ss,
            "{}: SS exact {} vs MC {} (tolerance {tol_ss})",
            game.members()[i],
            exact.shapley_shubik[i],
            mc.shapley_shubik[i]
        );
        let tol_bz = 5.0 * mc.banzhaf_absolute_se[i].max(1e-4);
        assert!(
            (exact.banzhaf_absolute[i] - mc.banzhaf_absolute[i]).abs() <= tol_bz,
            "{}: absolute Banzhaf exact {} vs MC {}",
            game.members()[i],
            exact.banzhaf_absolute[i],
            mc.banzhaf_absolute[i]
        );
        assert!(
            (exact.banzhaf[i] - mc.banzhaf[i]).abs() <= 0.001 + 5.0 * mc.banzhaf_absolute_se[i],
            "{}: normalised Banzhaf exact {} vs MC {}",
            game.members()[i],
            exact.banzhaf[i],
            mc.banzhaf[i]
        );
    }
    // Properties: the values add up to 1, bigger members have at least as much power.
    let exact_ss = exact.shapley_shubik_exact.as_ref().unwrap();
    assert_eq!(
        exact_ss.numerators.iter().sum::<u128>(),
        exact_ss.denominator
    );
    for i in 1..game.len() {
        assert!(exact.shapley_shubik[i - 1] >= exact.shapley_shubik[i]);
        assert!(exact.banzhaf_swings[i - 1] >= exact.banzhaf_swings[i]);
    }
    println!("{}", exact.explain());
    println!("{}", mc.explain());
    for r in exact.rows() {
        println!(
            "{},{},{:.5},{:.5}",
            r.member, r.weight, r.shapley_shubik, r.banzhaf
        );
    }
}

#[test]
fn the_blocking_clause_counts() {
    let game = common::eu27_game();
    // All but Germany, France and Italy: 24 members, about 53% of the population.
    let rest: Vec<usize> = (3..27).collect();
    assert!(
        game.wins(&rest).unwrap(),
        "24 members win by the blocking clause"
    );
    let (names, _) = common::eu27();
    let without_clause = Game::new(
        names,
        game.criteria().to_vec(),
        game.member_thresholds().to_vec(),
        None,
    )
    .unwrap();
    assert!(!without_clause.wins(&rest).unwrap());
    let a = base();
    let b = exact_power(&without_clause).unwrap();
    assert_ne!(
        a.banzhaf_swings, b.banzhaf_swings,
        "the clause changes power"
    );
    // And the clause is not all: 15 small members with 65% of the members but little
    // population lose.
    let small: Vec<usize> = (12..27).collect();
    assert!(!game.wins(&small).unwrap());
}

#[test]
fn a_member_leaves() {
    let game = common::eu27_game();
    let malta = game.index_of("Malta").unwrap();
    let after = game.without_member(malta).unwrap();
    assert_eq!(after.len(), 26);
    assert_eq!(after.min_members(), 15); // 55% of 26 is 14.3, but at least fifteen
    assert_eq!(after.wins_with_members(), Some(23));
    assert_eq!(after.quota(0), (449_210u64 - 563) * 65 / 100 + 1); // ceil(0.65 x 448,647)
    let w = compare("Malta leaves", base().clone(), exact_power(&after).unwrap());
    let malta_row = w.changes.iter().find(|c| c.member == "Malta").unwrap();
    assert!(malta_row.shapley_shubik_after.is_none());
    let sentence = w.explain();
    assert!(sentence.starts_with("If Malta leaves, "), "{sentence}");
    // Changing a weight (on the small EEC game): if Luxembourg had 2 votes like Belgium, it
    // would no longer be a dummy and would have Belgium's power (quota 12 of 18).
    let eec = Game::weighted(12, vec![4, 4, 4, 2, 2, 1]).unwrap();
    let changed = eec.with_weight(0, 5, 2).unwrap();
    let w = what_if(&eec, &changed, "member 6 had 2 votes").unwrap();
    assert!(w.changes[5].shapley_shubik_delta().unwrap() > 0.0);
    assert_eq!(w.after.banzhaf_swings[5], w.after.banzhaf_swings[3]);
    assert!(
        w.explain()
            .starts_with("If member 6 had 2 votes, member 6 gains the most"),
        "{}",
        w.explain()
    );
}

#[test]
fn exact_refuses_what_it_cannot_do() {
    let (names, pops) = common::eu27();
    // Persons instead of thousands: the table would need about 4 x 10^9 cells.
    let persons: Vec<u64> = pops.iter().map(|p| p * 1000).collect();
    let big = Game::eu_council(names.clone(), persons).unwrap();
    assert!(matches!(
        exact_power(&big),
        Err(PowerError::TableTooLarge { .. })
    ));
    // Two weighted criteria (the Nice Treaty's votes and population): Monte Carlo only.
    let mut criteria = big.criteria().to_vec();
    // (any game with two weighted criteria)
    criteria.push(attache_negotiation::Criterion {
        label: "votes".into(),
        weights: vec![1; 27],
        threshold: Threshold::AtLeastShare { num: 74, den: 100 },
    });
    let two = Game::new(names, criteria, vec![], None).unwrap();
    assert!(matches!(
        exact_power(&two),
        Err(PowerError::ExactNeedsOneWeight { criteria: 2 })
    ));
    assert!(monte_carlo_power(&two, 1000, 1).is_ok());
}

/// All 2^27 coalitions: about 10 s in release (`cargo test --release -- --ignored`).
#[test]
#[ignore]
fn eu27_exact_equals_enumeration() {
    let game = common::eu27_game();
    let exact = exact_power(&game).unwrap();
    let brute = enumerate_power(&game).unwrap();
    assert_eq!(exact.swings_by_size, brute.swings_by_size);
    assert_eq!(exact.shapley_shubik_exact, brute.shapley_shubik_exact);
}
