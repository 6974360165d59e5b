//! The allocation at full size: 190 countries x 17 goals, three segments of diminishing
//! returns each, per-country caps and some floors. This checks the plan, not the clock: the
//! time against a peer LP solver is measured by `bench/allocate.sh`.

mod common;

use attache_indices::allocate::{Constraint, Options, solve};
use common::scale::problem;

#[test]
fn full_size_allocation_respects_every_constraint() {
    let p = problem();
    let a = solve(
        &p,
        Options {
            shadow_prices: false,
            max_shadow_prices: 0,
        },
    )
    .unwrap();
    // The plan respects every constraint.
    assert!(a.spent <= p.budget + 1e-6);
    for (k, cap) in p.country_caps.iter().enumerate() {
        if let Some(cap) = cap {
            let used: f64 = p
                .cells
                .iter()
                .zip(&a.amounts)
                .filter(|(c, _)| c.country == k)
                .map(|(_, x)| x)
                .sum();
            assert!(used <= cap + 1e-6, "country {k}: {used} > {cap}");
        }
    }
    for (c, x) in p.cells.iter().zip(&a.amounts) {
        assert!(*x >= c.floor - 1e-6);
    }
    // The budget binds; its shadow price costs one more solve.
    let priced = solve(
        &p,
        Options {
            shadow_prices: true,
            max_shadow_prices: 1,
        },
    )
    .unwrap();
    let budget = &priced.binding[0];
    assert_eq!(budget.constraint, Constraint::Budget);
    assert!(budget.shadow_price.unwrap() > 0.0);
}
