//! Golden values for exact voting power, from the literature:
//!
//! - UN Security Council since 1965, `[39; 7 x 5, 1 x 10]`: Shapley-Shubik 0.19627 for a
//!   permanent member and 0.00186 (= 4/2145) for an elected one; normalised Banzhaf 0.16693 and
//!   0.01654 (Felsenthal & Machover 1998, "The Measurement of Voting Power", Edward Elgar,
//!   where the Security Council is their running example).
//! - UN Security Council before 1965 (11 members, seven votes including the five permanent):
//!   Shapley & Shubik (1954), "A Method for Evaluating the Distribution of Power in a Committee
//!   System", APSR 48(3), 787-792: the permanent members together hold 76/77 of the power,
//!   i.e. 76/385 each, and each of the six others 1/462.
//! - Council of the EEC, 1958 (quota 12 of 17; France, Germany, Italy 4, Belgium, Netherlands
//!   2, Luxembourg 1): normalised Banzhaf 0.2381 (5/21), 0.1429 (1/7) and 0 (Luxembourg is a
//!   dummy), Shapley-Shubik 0.2333 (7/30), 0.15 and 0 (Felsenthal & Machover 1998, the EEC
//!   Council of Ministers).
//!
//! Every case is checked through the generating function and through brute-force enumeration.

mod common;

use attache_negotiation::{Explain, Game, Power, enumerate_power, exact_power};

struct Expect {
    /// (member index, Shapley-Shubik, normalised Banzhaf).
    values: Vec<(usize, f64, f64)>,
    /// (member index, exact Shapley-Shubik fraction in lowest terms).
    fractions: Vec<(usize, (u128, u128))>,
    /// (member index, raw Banzhaf swings).
    swings: Vec<(usize, u128)>,
    tol: f64,
}

fn check_power(p: &Power, expect: &Expect) {
    for &(i, ss, bz) in &expect.values {
        assert!(
            common::close(p.shapley_shubik[i], ss, expect.tol),
            "{}: Shapley-Shubik {} want {ss} ({})",
            p.members[i],
            p.shapley_shubik[i],
            p.method
        );
        assert!(
            common::close(p.banzhaf[i], bz, expect.tol),
            "{}: Banzhaf {} want {bz} ({})",
            p.members[i],
            p.banzhaf[i],
            p.method
        );
    }
    let exact = p.shapley_shubik_exact.as_ref().expect("small game");
    for &(i, frac) in &expect.fractions {
        assert_eq!(exact.reduced(i), frac, "{} exact SS", p.members[i]);
    }
    for &(i, s) in &expect.swings {
        assert_eq!(p.banzhaf_swings[i], s, "{} swings", p.members[i]);
    }
    let sum: u128 = exact.numerators.iter().sum();
    assert_eq!(
        sum, exact.denominator,
        "Shapley-Shubik values add up to exactly 1"
    );
}

/// One helper for every golden game: both methods must give the expected values.
fn check(game: &Game, expect: Expect) {
    let exact = exact_power(game).expect("exact power");
    check_power(&exact, &expect);
    let brute = enumerate_power(game).expect("enumeration");
    check_power(&brute, &expect);
    assert_eq!(exact.swings_by_size, brute.swings_by_size);
}

#[test]
fn un_security_council() {
    let game = Game::un_security_council();
    check(
        &game,
        Expect {
            values: vec![
                (0, 0.19627, 0.16693),
                (4, 0.19627, 0.16693),
                (5, 0.00186, 0.01654),
                (14, 0.00186, 0.01654),
            ],
            fractions: vec![(0, (421, 2145)), (5, (4, 2145))],
            // A permanent member is critical wherever the other four permanent and at least
            // four elected members are in: sum_{e=4}^{10} C(10, e) = 848; an elected member
            // where all five permanent and exactly three of the other nine are: C(9,3) = 84.
            swings: vec![(0, 848), (5, 84)],
            tol: 5e-6,
        },
    );
}

#[test]
fn security_council_weights_match_the_charter_rule() {
    // Charter Art. 27(3): nine affirmative votes including all five permanent members.
    let game = Game::un_security_council();
    for mask in 0u32..(1 << 15) {
        let members: Vec<usize> = (0..15).filter(|i| mask >> i & 1 == 1).collect();
        let charter = (0..5).all(|i| mask >> i & 1 == 1) && members.len() >= 9;
        assert_eq!(
            game.wins(&members).unwrap(),
            charter,
            "coalition {members:?}"
        );
    }
}

#[test]
fn security_council_before_1965() {
    let mut weights = vec![7u64; 5];
    weights.extend([1; 6]);
    // 5 x 7 + 2 = 37: all five permanent members and two others.
    let game = Game::weighted(37, weights).unwrap();
    check(
        &game,
        Expect {
            values: vec![
                (0, 76.0 / 385.0, banzhaf_1954(true)),
                (5, 1.0 / 462.0, banzhaf_1954(false)),
            ],
            fractions: vec![(0, (76, 385)), (5, (1, 462))],
            swings: vec![],
            tol: 1e-12,
        },
    );
}

/// Normalised Banzhaf of the 11-member Council, by hand: a permanent member swings with the
/// other four and at least two of six others (64 - 1 - 6 = 57 coalitions), a non-permanent
/// one with all five and exactly one of the other five (5): 57 / (5 x 57 + 6 x 5) = 57/315.
fn banzhaf_1954(permanent: bool) -> f64 {
    if permanent { 57.0 / 315.0 } else { 5.0 / 315.0 }
}

#[test]
fn eec_council_1958() {
    let names = [
        "France",
        "Germany",
        "Italy",
        "Belgium",
        "Netherlands",
        "Luxembourg",
    ];
    let game = Game::weighted(12, vec![4, 4, 4, 2, 2, 1])
        .unwrap()
        .with_names(names.iter().map(|s| s.to_string()).collect())
        .unwrap();
    check(
        &game,
        Expect {
            values: vec![
                (0, 0.2333, 0.2381),
                (1, 0.2333, 0.2381),
                (2, 0.2333, 0.2381),
                (3, 0.15, 0.1429),
                (4, 0.15, 0.1429),
                (5, 0.0, 0.0),
            ],
            fractions: vec![(0, (7, 30)), (3, (3, 20)), (5, (0, 1))],
            swings: vec![(0, 10), (3, 6), (5, 0)],
            tol: 5e-5,
        },
    );
    let p = exact_power(&game).unwrap();
    assert!(
        p.explain_member(5).contains("dummy"),
        "{}",
        p.explain_member(5)
    );
    assert!(
        p.explain().contains("one member is a dummy"),
        "{}",
        p.explain()
    );
}

#[test]
fn power_rows_for_the_cli() {
    let game = Game::weighted(12, vec![4, 4, 4, 2, 2, 1]).unwrap();
    let p = exact_power(&game).unwrap();
    let rows = p.rows();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[5].member, "member 6");
    assert_eq!(rows[5].weight, 1);
    assert_eq!(rows[5].shapley_shubik, 0.0);
    assert!((rows[0].banzhaf - 5.0 / 21.0).abs() < 1e-15);
}
