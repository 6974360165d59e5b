//! The chain-binomial model: agreement with the deterministic final size, extinction
//! below threshold, counts that stay whole and conserved, reproducibility.

use attache_epidemic::{
    EnsembleOptions, Metapop, Mobility, Model, Scenario, Seed, Setup, run_ensemble, run_stochastic,
};
use proptest::prelude::*;

fn seed(place: &str, count: u64) -> Seed {
    Seed {
        place: place.into(),
        count,
        day: 0,
        compartment: None,
    }
}

fn single(model: Model, population: u64, seeds: u64, days: u32) -> Setup {
    let world = Metapop::single("A", population).unwrap();
    Setup::new(
        model,
        world,
        &[seed("A", seeds)],
        &Scenario::baseline(),
        days,
    )
    .unwrap()
}

fn opts(runs: u32, seed: u64, threads: usize) -> EnsembleOptions {
    EnsembleOptions {
        runs,
        seed,
        threads,
        track: vec![],
    }
}

/// Ensemble mean attack rate within `tol` of the final size z = 1 - exp(-R0 z)
/// (Kermack & McKendrick 1927; Keeling & Rohani 2008, eq. 2.6: R0 2 -> 0.7968, R0 3 -> 0.9405).
fn check_final_size(model: Model, published: f64, tol: f64) {
    let setup = single(model, 200_000, 20, 600);
    let e = run_ensemble(&setup, &opts(200, 11, 2)).unwrap();
    let cases = e.cases(0);
    let mean = cases.iter().sum::<u64>() as f64 / cases.len() as f64 / 200_000.0;
    assert!(
        (mean - published).abs() < tol,
        "ensemble mean final size {mean}, published {published}"
    );
}

#[test]
fn ensemble_mean_final_size_is_near_the_deterministic_value() {
    // 20 seeds: the chance of early extinction, (1/R0)^20, is negligible.
    check_final_size(Model::sir(2.0, 3.0).unwrap(), 0.7968, 0.005);
    check_final_size(Model::sir(3.0, 5.0).unwrap(), 0.9405, 0.005);
    check_final_size(Model::seir(2.0, 3.0, 4.0).unwrap(), 0.7968, 0.005);
}

#[test]
fn below_threshold_the_chain_dies_out() {
    // R0 = 0.5: expected total infections 10 · R0 / (1 - R0) = 10 (branching process).
    let setup = single(Model::sir(0.5, 4.0).unwrap(), 1_000_000, 10, 300);
    let e = run_ensemble(&setup, &opts(300, 5, 2)).unwrap();
    let cases = e.cases(0);
    let mean = cases.iter().sum::<u64>() as f64 / cases.len() as f64;
    assert!((mean - 10.0).abs() < 2.0, "mean cases {mean}");
    assert!(
        cases.iter().all(|&c| c < 200),
        "a run grew: {:?}",
        cases.iter().max()
    );
    let end = e.prevalence_fan(attache_epidemic::Track::World).unwrap();
    assert_eq!(end[300].q95, 0.0, "every run is over by day 300");
}

fn network_setup(scenario: &str) -> Setup {
    let world = Metapop::new(
        ["A", "B", "C", "D", "E"].map(String::from).to_vec(),
        vec![1_000_000, 300_000, 50_000, 2_000_000, 700_000],
        Mobility::from_links(
            5,
            &[
                (0, 1, 800.5),
                (1, 2, 30.25),
                (0, 3, 2000.0),
                (3, 4, 500.7),
                (2, 4, 3.3),
            ],
        )
        .unwrap(),
    )
    .unwrap();
    Setup::new(
        Model::seir(2.5, 3.0, 4.0).unwrap(),
        world,
        &[seed("A", 5)],
        &Scenario::parse(scenario).unwrap(),
        150,
    )
    .unwrap()
}

#[test]
fn a_seed_reproduces_and_another_seed_differs() {
    let setup = network_setup("screen:exit:A=0.4@30");
    let a = run_ensemble(&setup, &opts(20, 1, 1)).unwrap();
    let b = run_ensemble(&setup, &opts(20, 1, 1)).unwrap();
    let c = run_ensemble(&setup, &opts(20, 2, 1)).unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(
        run_stochastic(&setup, 9, 3).unwrap(),
        run_stochastic(&setup, 9, 3).unwrap()
    );
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let setup = network_setup("travel:A*0.5@20");
    let mut o = opts(23, 77, 1);
    o.track = vec![2, 4];
    let one = run_ensemble(&setup, &o).unwrap();
    for threads in [2, 3, 8] {
        o.threads = threads;
        assert_eq!(one, run_ensemble(&setup, &o).unwrap(), "{threads} threads");
    }
    // Run r of an ensemble is the single run r.
    let single = run_stochastic(&setup, 77, 5).unwrap();
    assert_eq!(one.arrivals(2)[5], single.arrival(2, 1.0));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Counts are whole, never negative, and every subpopulation keeps its size every day.
    #[test]
    fn counts_stay_non_negative_and_sum_to_the_population(
        pops in prop::collection::vec(20u64..5_000, 2..5),
        weights in prop::collection::vec(0.0f64..1.0, 10),
        r0 in 0.5f64..6.0,
        latent in 0.3f64..5.0,
        infectious in 0.3f64..8.0,
        seeds in 1u64..20,
        screen in 0.0f64..1.0,
        factor in 0.0f64..1.0,
        run in 0u64..1000,
    ) {
        let n = pops.len();
        let mut links = Vec::new();
        let mut w = weights.iter();
        for a in 0..n {
            for b in a + 1..n {
                // At most a quarter of the smaller population a day on any link.
                let cap = (pops[a].min(pops[b]) / 4) as f64 / n as f64;
                links.push((a, b, w.next().copied().unwrap_or(0.5) * cap));
            }
        }
        let names: Vec<String> = (0..n).map(|i| format!("P{i}")).collect();
        let world = Metapop::new(names, pops.clone(), Mobility::from_links(n, &links).unwrap()).unwrap();
        let scenario = Scenario::parse(&format!(
            "screen:entry:P1={screen}@3; travel:P0*{factor}@5; vaccinate:P1=0.1/day@8; vaccinate:P0=0.2@10"
        )).unwrap();
        let setup = Setup::new(
            Model::seir(r0, latent, infectious).unwrap(),
            world,
            &[seed("P0", seeds.min(pops[0]))],
            &scenario,
            40,
        ).unwrap();
        let traj = run_stochastic(&setup, 3, run).unwrap();
        for d in 0..=40 {
            for (i, &p) in pops.iter().enumerate() {
                let rec = traj.record(d, i);
                prop_assert!(rec.iter().all(|&x| x >= 0.0 && x.fract() == 0.0 && x <= p as f64));
                prop_assert_eq!(rec.iter().sum::<f64>(), p as f64, "day {} subpop {}", d, i);
            }
        }
    }
}

#[test]
fn many_compartments_travel_and_are_conserved() {
    // Seven compartments, so more than four travel in bulk on busy days (the general
    // path of the travel step).
    let model = Model::builder()
        .compartments(&["S", "E1", "E2", "I1", "I2", "I3", "R"])
        .infection("S", "I1", "E1", 0.6)
        .infection("S", "I2", "E1", 0.6)
        .infection("S", "I3", "E1", 0.3)
        .spontaneous("E1", "E2", 0.5)
        .spontaneous("E2", "I1", 0.5)
        .spontaneous("I1", "I2", 0.5)
        .spontaneous("I2", "I3", 0.5)
        .spontaneous("I3", "R", 0.5)
        .removed("R")
        .build()
        .unwrap();
    let pops = vec![3_000_000, 2_000_000, 1_000_000];
    let world = Metapop::new(
        ["A", "B", "C"].map(String::from).to_vec(),
        pops.clone(),
        Mobility::from_links(3, &[(0, 1, 40_000.5), (1, 2, 20_000.0), (0, 2, 10_000.25)]).unwrap(),
    )
    .unwrap();
    let setup = Setup::new(model, world, &[seed("A", 50)], &Scenario::baseline(), 120).unwrap();
    let traj = run_stochastic(&setup, 8, 0).unwrap();
    let mut busiest = 0.0f64;
    for d in 0..=120 {
        for (i, &p) in pops.iter().enumerate() {
            assert_eq!(
                traj.record(d, i).iter().sum::<f64>(),
                p as f64,
                "day {d} subpop {i}"
            );
            busiest = busiest.max(traj.prevalence(d, i) / p as f64);
        }
    }
    assert!(busiest > 0.1, "the epidemic never got going: {busiest}");
}

/// An ensemble stops a run once no infection can happen again anywhere; what it reports must
/// be exactly what the whole run gives. Run by run against `run_stochastic` (which simulates
/// every day): arrivals, peaks, cases, and every day's incidence and prevalence, on a network
/// where many runs die out early (R0 1.2, 2 seeds) and with a later seed and a vaccination.
#[test]
fn stopping_a_quiet_run_early_changes_nothing() {
    let world = |_: ()| {
        Metapop::new(
            ["A", "B", "C"].map(String::from).to_vec(),
            vec![200_000, 50_000, 80_000],
            Mobility::from_links(3, &[(0, 1, 300.5), (1, 2, 40.25)]).unwrap(),
        )
        .unwrap()
    };
    let late = Seed {
        day: 60,
        ..seed("C", 3)
    };
    for (seeds, levers) in [
        (vec![seed("A", 2)], ""),
        (
            vec![seed("A", 2), late],
            "vaccinate:B=0.3@40; vaccinate:C=0.01/day@10",
        ),
    ] {
        let setup = Setup::new(
            Model::sir(1.2, 4.0).unwrap(),
            world(()),
            &seeds,
            &Scenario::parse(levers).unwrap(),
            200,
        )
        .unwrap();
        let e = run_ensemble(&setup, &opts(30, 4, 2)).unwrap();
        let mut died_early = 0;
        for r in 0..30 {
            let t = run_stochastic(&setup, 4, r).unwrap();
            if (0..3).all(|i| t.prevalence(100, i) == 0.0) {
                died_early += 1;
            }
            for i in 0..3 {
                assert_eq!(e.arrivals(i)[r as usize], t.arrival(i, 1.0), "run {r} {i}");
                assert_eq!(
                    e.cases(i)[r as usize] as f64,
                    t.cumulative_incidence(i),
                    "run {r} {i}"
                );
            }
        }
        // Per-day series: a one-run ensemble is run 0; against the full run 0.
        let mut one = opts(1, 4, 1);
        one.track = vec![0, 1, 2];
        let t = run_stochastic(&setup, 4, 0).unwrap();
        let e1 = run_ensemble(&setup, &one).unwrap();
        for i in 0..3 {
            let fan = e1
                .prevalence_fan(attache_epidemic::Track::Subpop(i))
                .unwrap();
            let ifan = e1
                .incidence_fan(attache_epidemic::Track::Subpop(i))
                .unwrap();
            for d in 0..=200 {
                assert_eq!(fan[d as usize].q50, t.prevalence(d, i), "day {d}");
                assert_eq!(ifan[d as usize].q50, t.incidence(d, i), "day {d}");
            }
        }
        assert!(
            died_early >= 5,
            "too few runs died out to test the stop: {died_early}"
        );
    }
}

/// A cancelled request stops the ensemble between runs with its own error; without a token
/// (the CLI) or with a live one, the same ensemble completes.
#[test]
fn a_cancelled_ensemble_stops() {
    use attache_core::cancel::{CancelToken, with_token};
    let setup = single(Model::sir(2.0, 3.0).unwrap(), 10_000, 5, 100);
    let token = CancelToken::new();
    let live = with_token(&token, || run_ensemble(&setup, &opts(4, 1, 2)));
    assert_eq!(live.unwrap().runs(), 4);
    token.cancel();
    let r = with_token(&token, || run_ensemble(&setup, &opts(4, 1, 2)));
    assert!(
        matches!(r, Err(attache_epidemic::EpidemicError::Cancelled)),
        "{r:?}"
    );
}
