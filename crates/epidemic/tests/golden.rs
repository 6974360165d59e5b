//! Analytic golden values for the deterministic model.
//!
//! Sources:
//! - Final size of SIR, z = 1 - exp(-R0 z): W. O. Kermack & A. G. McKendrick (1927), "A
//!   contribution to the mathematical theory of epidemics", Proc. R. Soc. A 115:700-721;
//!   M. J. Keeling & P. Rohani (2008), "Modeling Infectious Diseases in Humans and
//!   Animals", Princeton UP, sec. 2.1.2, eq. 2.6: R0 = 2 -> 0.7968, R0 = 3 -> 0.9405.
//! - Peak prevalence of SIR, 1 - (1 + ln R0) / R0 (S0 -> 1): Keeling & Rohani (2008),
//!   sec. 2.1: R0 = 2 -> 0.1534.
//! - The latent period does not change the final size (SEIR = SIR for one R0): Keeling &
//!   Rohani (2008), sec. 2.5.

use attache_epidemic::{
    Metapop, Mobility, Model, Scenario, Seed, Setup, Trajectory, run_deterministic,
};

fn seed(place: &str, count: u64) -> Seed {
    Seed {
        place: place.into(),
        count,
        day: 0,
        compartment: None,
    }
}

fn one_patch(model: Model, population: u64, days: u32) -> Trajectory {
    let world = Metapop::single("A", population).unwrap();
    let setup = Setup::new(model, world, &[seed("A", 1)], &Scenario::baseline(), days).unwrap();
    run_deterministic(&setup, 10).unwrap()
}

/// `got` within `tol` of the published value.
fn check(what: &str, got: f64, published: f64, tol: f64) {
    assert!(
        (got - published).abs() <= tol,
        "{what}: got {got}, published {published} (tolerance {tol})"
    );
}

#[test]
fn sir_final_size_matches_kermack_mckendrick() {
    // Published to 4 decimals; 1 seed in 1e8 people perturbs z by ~1e-8.
    for (r0, z) in [(2.0, 0.7968), (3.0, 0.9405)] {
        let run = one_patch(Model::sir(r0, 5.0).unwrap(), 100_000_000, 1000);
        check(
            &format!("SIR final size R0 {r0}"),
            run.attack_rate(0),
            z,
            1e-4,
        );
        // And against the equation itself solved here to 1e-12.
        let mut zz = 0.5;
        for _ in 0..10_000 {
            zz = 1.0 - (-r0 * zz).exp();
        }
        check(
            &format!("SIR final size equation R0 {r0}"),
            run.attack_rate(0),
            zz,
            1e-6,
        );
    }
}

#[test]
fn sir_peak_prevalence_matches_keeling_rohani() {
    // A 20-day infectious period keeps the peak flat at a daily sampling.
    let run = one_patch(Model::sir(2.0, 20.0).unwrap(), 100_000_000, 2000);
    let (_, peak) = run.peak(0).unwrap();
    check("SIR peak prevalence R0 2", peak / 1e8, 0.1534, 1e-4);
    let formula = 1.0 - (1.0 + 2f64.ln()) / 2.0;
    check(
        "SIR peak prevalence formula R0 2",
        peak / 1e8,
        formula,
        2e-5,
    );
}

#[test]
fn seir_final_size_equals_sir() {
    for (r0, z) in [(2.0, 0.7968), (3.0, 0.9405)] {
        let run = one_patch(Model::seir(r0, 4.0, 5.0).unwrap(), 100_000_000, 1500);
        check(
            &format!("SEIR final size R0 {r0}"),
            run.attack_rate(0),
            z,
            1e-4,
        );
    }
}

#[test]
fn seird_deaths_are_ifr_times_recoveries_and_deaths() {
    // Each leaver of I dies with probability ifr, so D / (R + D) = ifr at the end.
    let run = one_patch(Model::seird(2.5, 3.0, 5.0, 0.01).unwrap(), 10_000_000, 1000);
    let last = run.record(1000, 0);
    check("SEIRD D/(R+D)", last[4] / (last[3] + last[4]), 0.01, 1e-9);
}

#[test]
fn two_identical_patches_match_one_patch() {
    let model = Model::seir(2.5, 3.0, 4.0).unwrap();
    let single = one_patch(model.clone(), 1_000_000, 300);
    // Isolated, and coupled: identical patches exchange identical travellers.
    for mobility in [
        Mobility::isolated(2),
        Mobility::from_links(2, &[(0, 1, 5_000.0)]).unwrap(),
    ] {
        let world =
            Metapop::new(vec!["A".into(), "B".into()], vec![1_000_000; 2], mobility).unwrap();
        let setup = Setup::new(
            model.clone(),
            world,
            &[seed("A", 1), seed("B", 1)],
            &Scenario::baseline(),
            300,
        )
        .unwrap();
        let two = run_deterministic(&setup, 10).unwrap();
        for d in 0..=300 {
            for p in 0..2 {
                for c in 0..4 {
                    let (a, b) = (two.count(d, p, c), single.count(d, 0, c));
                    assert!(
                        (a - b).abs() <= 1e-9 * 1e6,
                        "day {d} patch {p} comp {c}: {a} vs {b}"
                    );
                }
            }
        }
    }
}

#[test]
fn rows_list_every_day_and_subpopulation_in_order() {
    let run = one_patch(Model::sir(2.0, 5.0).unwrap(), 1000, 3);
    let rows: Vec<(u32, &str, &[f64])> = run.rows().collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0], (0, "A", &[999.0, 1.0, 0.0][..]));
    assert_eq!(rows[3].0, 3);
    assert_eq!(run.compartments(), ["S", "I", "R"]);
}
