//! Coalition search: hand-checked cases (EEC 1958 Council, UN Security Council) and, over
//! random small games, agreement with brute force (the minimum size and every coalition of it).

use attache_negotiation::{
    Criterion, Explain, Game, SearchOptions, SearchStatus, Threshold, smallest_winning_coalitions,
};
use proptest::prelude::*;

fn eec() -> Game {
    let names = [
        "France",
        "Germany",
        "Italy",
        "Belgium",
        "Netherlands",
        "Luxembourg",
    ];
    Game::weighted(12, vec![4, 4, 4, 2, 2, 1])
        .unwrap()
        .with_names(names.iter().map(|s| s.to_string()).collect())
        .unwrap()
}

struct Expect<'a> {
    min_size: Option<usize>,
    coalitions: Vec<Vec<&'a str>>,
    status: SearchStatus,
}

fn check(game: &Game, actor: &str, options: SearchOptions, expect: Expect) {
    let r = smallest_winning_coalitions(game, game.index_of(actor).unwrap(), options).unwrap();
    assert_eq!(r.min_size, expect.min_size, "{actor}: {}", r.explain());
    assert_eq!(r.status, expect.status, "{actor}: {}", r.explain());
    let mut got: Vec<Vec<String>> = r.names.clone();
    got.sort();
    let mut want: Vec<Vec<String>> = expect
        .coalitions
        .iter()
        .map(|c| {
            let mut v: Vec<String> = c.iter().map(|s| s.to_string()).collect();
            v.sort_by_key(|m| game.index_of(m));
            v
        })
        .collect();
    want.sort();
    assert_eq!(got, want, "{actor}");
}

fn any_role() -> SearchOptions {
    SearchOptions::default()
}

fn critical() -> SearchOptions {
    SearchOptions {
        require_actor_critical: true,
        ..SearchOptions::default()
    }
}

#[test]
fn eec_council_by_hand() {
    let g = eec();
    // France: France, Germany and Italy have exactly the quota, 12.
    let fgi = vec!["France", "Germany", "Italy"];
    check(
        &g,
        "France",
        any_role(),
        Expect {
            min_size: Some(3),
            coalitions: vec![fgi.clone()],
            status: SearchStatus::Complete,
        },
    );
    // Luxembourg: only with the three big members (13), where it is not needed.
    check(
        &g,
        "Luxembourg",
        any_role(),
        Expect {
            min_size: Some(4),
            coalitions: vec![vec!["France", "Germany", "Italy", "Luxembourg"]],
            status: SearchStatus::Complete,
        },
    );
    check(
        &g,
        "Luxembourg",
        critical(),
        Expect {
            min_size: None,
            coalitions: vec![],
            status: SearchStatus::Complete,
        },
    );
    // Belgium: two of the big three plus the Netherlands (12), or all three big (14).
    let with_nl = vec![
        vec!["France", "Germany", "Belgium", "Netherlands"],
        vec!["France", "Italy", "Belgium", "Netherlands"],
        vec!["Germany", "Italy", "Belgium", "Netherlands"],
    ];
    let mut all = with_nl.clone();
    all.push(vec!["France", "Germany", "Italy", "Belgium"]);
    check(
        &g,
        "Belgium",
        any_role(),
        Expect {
            min_size: Some(4),
            coalitions: all,
            status: SearchStatus::Complete,
        },
    );
    check(
        &g,
        "Belgium",
        critical(),
        Expect {
            min_size: Some(4),
            coalitions: with_nl,
            status: SearchStatus::Complete,
        },
    );
}

#[test]
fn security_council_elected_member() {
    let g = Game::un_security_council();
    let r = smallest_winning_coalitions(
        &g,
        5,
        SearchOptions {
            limit: 10,
            ..critical()
        },
    )
    .unwrap();
    assert_eq!(r.min_size, Some(9));
    assert_eq!(r.status, SearchStatus::Truncated);
    assert_eq!(r.coalitions.len(), 10);
    // All five permanent members, the actor and three of the other nine: C(9, 3) = 84.
    let r = smallest_winning_coalitions(
        &g,
        5,
        SearchOptions {
            limit: 100,
            ..critical()
        },
    )
    .unwrap();
    assert_eq!((r.coalitions.len(), r.status), (84, SearchStatus::Complete));
    assert!(
        r.coalitions
            .iter()
            .all(|c| (0..5).all(|p| c.contains(&p)) && c.contains(&5))
    );
    assert!(r.explain().starts_with("The smallest winning coalitions containing elected member 1 in which its vote is needed have 9 members; there are 84"), "{}", r.explain());
    // A budget that is too small says so.
    let r = smallest_winning_coalitions(
        &g,
        5,
        SearchOptions {
            node_budget: 5,
            ..critical()
        },
    )
    .unwrap();
    assert_eq!(r.status, SearchStatus::BudgetExhausted);
}

/// Brute force: the minimum size of winning coalitions containing `actor` (critical if asked)
/// and all of them, as sorted index lists.
fn brute(game: &Game, actor: usize, need_critical: bool) -> (Option<usize>, Vec<Vec<usize>>) {
    let n = game.len();
    let mut best: Option<usize> = None;
    let mut list = Vec::new();
    for mask in 0u32..(1 << n) {
        if mask >> actor & 1 == 0 {
            continue;
        }
        let c: Vec<usize> = (0..n).filter(|i| mask >> i & 1 == 1).collect();
        if !game.wins(&c).unwrap() {
            continue;
        }
        if need_critical {
            let without: Vec<usize> = c.iter().copied().filter(|&i| i != actor).collect();
            if game.wins(&without).unwrap() {
                continue;
            }
        }
        match best {
            Some(b) if c.len() > b => {}
            Some(b) if c.len() == b => list.push(c),
            _ => {
                best = Some(c.len());
                list = vec![c];
            }
        }
    }
    list.sort();
    (best, list)
}

fn small_game() -> impl Strategy<Value = Game> {
    (2usize..=9)
        .prop_flat_map(|n| {
            (
                proptest::collection::vec(0u64..30, n),
                proptest::collection::vec(0u64..30, n),
                1u64..=99,
                1u64..=99,
                0u64..=100,
                proptest::option::of(1usize..=n),
            )
        })
        .prop_filter_map("a proper game", |(w1, w2, s1, s2, ms, block)| {
            let n = w1.len();
            let two = s2 % 2 == 0;
            let mut criteria = vec![Criterion {
                label: "a".into(),
                weights: w1,
                threshold: Threshold::AtLeastShare { num: s1, den: 100 },
            }];
            if two {
                criteria.push(Criterion {
                    label: "b".into(),
                    weights: w2,
                    threshold: Threshold::MoreThanShare { num: s2, den: 100 },
                });
            }
            Game::new(
                (0..n).map(|i| format!("m{i}")).collect(),
                criteria,
                vec![Threshold::AtLeastShare { num: ms, den: 100 }],
                block,
            )
            .ok()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn search_equals_brute_force(game in small_game(), actor_seed in 0usize..100, need in any::<bool>()) {
        let actor = actor_seed % game.len();
        let (min, mut all) = brute(&game, actor, need);
        let r = smallest_winning_coalitions(
            &game,
            actor,
            SearchOptions { limit: 1000, require_actor_critical: need, node_budget: u64::MAX },
        )
        .unwrap();
        prop_assert_eq!(r.min_size, min);
        prop_assert_eq!(r.status, SearchStatus::Complete);
        let mut got = r.coalitions.clone();
        got.sort();
        all.sort();
        prop_assert_eq!(got, all);
        prop_assert!(r.greedy_bound <= min.unwrap_or(usize::MAX));
    }
}
