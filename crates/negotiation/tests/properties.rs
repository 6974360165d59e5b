//! Properties of the power computations over random games: the generating function equals
//! brute-force enumeration (weighted games and EU-style games with member counts and a
//! blocking clause, n <= 12), Shapley-Shubik values add up to exactly 1, a dummy gets 0,
//! symmetric members get equal values, and the Monte Carlo estimate agrees with the exact
//! values.

use attache_negotiation::{
    Criterion, Game, Threshold, enumerate_power, exact_power, monte_carlo_power,
};
use proptest::prelude::*;

fn weighted_game() -> impl Strategy<Value = Game> {
    (1usize..=12)
        .prop_flat_map(|n| (proptest::collection::vec(0u64..60, n), 1u64..=1000))
        .prop_filter_map("a proper game", |(w, q)| {
            let total: u64 = w.iter().sum();
            if total == 0 {
                return None;
            }
            Game::weighted(1 + q % total, w).ok()
        })
}

fn eu_style_game() -> impl Strategy<Value = Game> {
    (2usize..=12)
        .prop_flat_map(|n| {
            (
                proptest::collection::vec(1u64..500, n),
                1u64..=99,
                0u64..=100,
                1usize..=n,
            )
        })
        .prop_filter_map("a proper game", |(w, share, members_share, block)| {
            let n = w.len();
            Game::new(
                (0..n).map(|i| format!("m{i}")).collect(),
                vec![Criterion {
                    label: "population".into(),
                    weights: w,
                    threshold: Threshold::AtLeastShare {
                        num: share,
                        den: 100,
                    },
                }],
                vec![Threshold::AtLeastShare {
                    num: members_share,
                    den: 100,
                }],
                Some(block),
            )
            .ok()
        })
}

fn check_equal(game: &Game) -> Result<(), TestCaseError> {
    let exact = exact_power(game).unwrap();
    let brute = enumerate_power(game).unwrap();
    prop_assert_eq!(&exact.swings_by_size, &brute.swings_by_size);
    let ss = exact.shapley_shubik_exact.as_ref().unwrap();
    prop_assert_eq!(ss.numerators.iter().sum::<u128>(), ss.denominator);
    let sum: f64 = exact.shapley_shubik.iter().sum();
    prop_assert!((sum - 1.0).abs() < 1e-12);
    let bz: f64 = exact.banzhaf.iter().sum();
    prop_assert!((bz - 1.0).abs() < 1e-12);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn generating_function_equals_enumeration(game in weighted_game()) {
        check_equal(&game)?;
    }

    #[test]
    fn generating_function_equals_enumeration_with_counts_and_blocking(game in eu_style_game()) {
        check_equal(&game)?;
    }

    #[test]
    fn a_dummy_gets_nothing_and_twins_get_the_same(
        w in proptest::collection::vec(1u64..40, 1..10),
        q in 1u64..1000,
    ) {
        let total: u64 = w.iter().sum();
        let quota = 1 + q % total;
        // A zero-weight member is never decisive; a twin of member 0 has its power.
        let mut weights = w.clone();
        weights.push(0);
        weights.push(w[0]);
        let game = Game::weighted(quota, weights).unwrap();
        let p = exact_power(&game).unwrap();
        let n = game.len();
        prop_assert_eq!(p.banzhaf_swings[n - 2], 0);
        prop_assert_eq!(p.shapley_shubik[n - 2], 0.0);
        let ss = p.shapley_shubik_exact.as_ref().unwrap();
        prop_assert_eq!(ss.numerators[0], ss.numerators[n - 1]);
        prop_assert_eq!(p.banzhaf_swings[0], p.banzhaf_swings[n - 1]);
    }
}

#[test]
fn monte_carlo_is_reproducible_and_close() {
    let game = Game::weighted(12, vec![4, 4, 4, 2, 2, 1]).unwrap();
    let a = monte_carlo_power(&game, 20_000, 7).unwrap();
    let b = monte_carlo_power(&game, 20_000, 7).unwrap();
    assert_eq!(a, b, "same seed, same figures");
    let c = monte_carlo_power(&game, 20_000, 8).unwrap();
    assert_ne!(
        a.shapley_shubik, c.shapley_shubik,
        "another seed, other draws"
    );
    let exact = exact_power(&game).unwrap();
    for i in 0..6 {
        assert!(
            (a.shapley_shubik[i] - exact.shapley_shubik[i]).abs()
                <= 5.0 * a.shapley_shubik_se[i] + 1e-9
        );
        assert!(
            (a.banzhaf_absolute[i] - exact.banzhaf_absolute[i]).abs()
                <= 5.0 * a.banzhaf_absolute_se[i] + 1e-9
        );
    }
    assert_eq!(a.shapley_shubik[5], 0.0, "Luxembourg is never pivotal");
}
