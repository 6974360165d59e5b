//! Levers change what they should, deterministically and in ensembles.

use attache_epidemic::{
    EnsembleOptions, EpidemicError, Metapop, Mobility, Model, Scenario, Seed, Setup, Track, When,
    run_deterministic, run_ensemble,
};

/// A line A - B - C plus a thin A - C link.
fn world() -> Metapop {
    Metapop::new(
        ["A", "B", "C"].map(String::from).to_vec(),
        vec![10_000_000, 5_000_000, 2_000_000],
        Mobility::from_links(3, &[(0, 1, 2_000.0), (1, 2, 1_000.0), (0, 2, 20.0)]).unwrap(),
    )
    .unwrap()
}

fn setup(model: Model, scenario: &str, days: u32) -> Result<Setup, EpidemicError> {
    let seeds = [Seed {
        place: "A".into(),
        count: 10,
        day: 0,
        compartment: None,
    }];
    Setup::new(model, world(), &seeds, &Scenario::parse(scenario)?, days)
}

/// Deterministic arrival day (prevalence >= 1 person) in each subpopulation.
fn arrivals(model: Model, scenario: &str) -> Vec<Option<u32>> {
    let t = run_deterministic(&setup(model, scenario, 300).unwrap(), 10).unwrap();
    (0..3).map(|i| t.arrival(i, 1.0)).collect()
}

fn check_arrivals(scenario: &str, want: impl Fn(&[Option<u32>], &[Option<u32>]) -> bool) {
    let m = Model::seir(2.5, 3.0, 4.0).unwrap();
    let base = arrivals(m.clone(), "");
    let with = arrivals(m, scenario);
    assert!(
        want(&base, &with),
        "{scenario}: baseline {base:?}, with lever {with:?}"
    );
}

#[test]
fn travel_and_route_levers_delay_arrival() {
    check_arrivals("travel:A*0.1", |b, l| l[1].unwrap() > b[1].unwrap() + 5);
    check_arrivals("travel:A*0", |b, l| {
        b[1].is_some() && l[1].is_none() && l[2].is_none()
    });
    // Closing A-B leaves the thin A-C link: B is reached later, through C.
    check_arrivals("route:A-B*0", |b, l| {
        l[1].unwrap() > b[1].unwrap() && l[2].is_some()
    });
    // A lever that starts after arrival changes nothing about it.
    check_arrivals("travel:A*0@200", |b, l| b == l);
}

#[test]
fn exit_screening_stops_infectious_travellers_but_not_latent_ones() {
    // SIR has no latent stage: perfect exit screening of A keeps B and C free.
    let sir = Model::sir(2.5, 4.0).unwrap();
    let a = arrivals(sir.clone(), "screen:exit:A=1");
    assert_eq!(&a[1..], &[None, None]);
    assert!(arrivals(sir, "screen:exit:A=0.5")[1].is_some());
    // SEIR: latent travellers pass screening, so the epidemic still arrives.
    check_arrivals("screen:exit:A=1", |b, l| l[1].is_some() && l[1] >= b[1]);
}

#[test]
fn distancing_lowers_the_final_size_to_that_of_the_reduced_r0() {
    // R0 3 halved is R0 1.5: final size 0.5828 (z = 1 - exp(-1.5 z); Kermack &
    // McKendrick 1927, Keeling & Rohani 2008 eq. 2.6).
    let world = Metapop::single("A", 100_000_000).unwrap();
    let seeds = [Seed {
        place: "A".into(),
        count: 1,
        day: 0,
        compartment: None,
    }];
    let s = Setup::new(
        Model::sir(3.0, 5.0).unwrap(),
        world,
        &seeds,
        &Scenario::parse("distancing:A*0.5").unwrap(),
        2000,
    )
    .unwrap();
    let z = run_deterministic(&s, 10).unwrap().attack_rate(0);
    assert!((z - 0.5828).abs() < 1e-4, "{z}");
}

#[test]
fn vaccination_moves_susceptibles_to_removed() {
    let world = || Metapop::single("A", 1_000_000).unwrap();
    let no_seeds: [Seed; 0] = [];
    let m = Model::sir(2.0, 5.0).unwrap();
    // Once: half of S at day 3.
    let s = Setup::new(
        m.clone(),
        world(),
        &no_seeds,
        &Scenario::parse("vaccinate:A=0.5@3").unwrap(),
        10,
    )
    .unwrap();
    let t = run_deterministic(&s, 10).unwrap();
    assert_eq!(t.count(2, 0, 0), 1e6);
    assert_eq!(t.count(3, 0, 0), 5e5);
    assert_eq!(t.count(3, 0, 2), 5e5);
    // Daily: 1% of the remaining susceptibles a day from day 2 to day 12: S = 0.99^10 N.
    let s = Setup::new(
        m,
        world(),
        &no_seeds,
        &Scenario::parse("vaccinate:A=0.01/day@2..12").unwrap(),
        20,
    )
    .unwrap();
    let t = run_deterministic(&s, 10).unwrap();
    let want = 1e6 * 0.99f64.powi(10);
    assert!(
        (t.count(20, 0, 0) - want).abs() < 1e-6,
        "{} vs {want}",
        t.count(20, 0, 0)
    );
}

#[test]
fn levers_naming_unknown_places_or_routes_are_refused() {
    let m = || Model::sir(2.0, 5.0).unwrap();
    let e = setup(m(), "travel:XYZ*0.5", 10).unwrap_err();
    assert_eq!(
        e,
        EpidemicError::UnknownPlace {
            context: "lever travel:XYZ*0.5@0".into(),
            place: "XYZ".into()
        }
    );
    // B and C are linked, A and B too; add a fourth place without routes.
    let w = Metapop::new(
        ["A", "B"].map(String::from).to_vec(),
        vec![10, 10],
        Mobility::isolated(2),
    )
    .unwrap();
    let e = Setup::new(m(), w, &[], &Scenario::parse("route:A-B*0").unwrap(), 10).unwrap_err();
    assert!(matches!(e, EpidemicError::NoRoute { .. }), "{e}");
    let no_removed = Model::builder()
        .compartments(&["S", "I"])
        .infection("S", "I", "I", 0.3)
        .build()
        .unwrap();
    let e = setup(no_removed, "screen:exit:A=0.5", 10).unwrap_err();
    assert!(matches!(e, EpidemicError::NoRemoved { .. }), "{e}");
}

#[test]
fn an_ensemble_reports_the_delay_a_lever_buys_and_the_cases_it_avoids() {
    let m = Model::seir(2.5, 3.0, 4.0).unwrap();
    let opts = EnsembleOptions {
        runs: 60,
        seed: 4,
        threads: 2,
        track: vec![2],
    };
    let base = run_ensemble(&setup(m.clone(), "", 200).unwrap(), &opts).unwrap();
    let ban = run_ensemble(
        &setup(m, "travel:A*0.05@0; route:B-C*0.2", 200).unwrap(),
        &opts,
    )
    .unwrap();
    let cmp = ban.compare(&base).unwrap();
    let c = &cmp.effects[2];
    assert_eq!(c.runs_with_arrival, 60);
    match c.delay.median {
        When::Day(d) => assert!(d > 5.0, "median delay {d}"),
        When::NotReached => {} // kept out of C within 200 days in most runs: more delay still
    }
    assert!(c.cases_avoided.q50 > 0.0);
    assert!(cmp.total_cases_avoided.q50 > 0.0);
    // Arrival in A is day 0 in every run; not reached is not day 0.
    assert_eq!(base.arrival(0).median, When::Day(0.0));
    let fan = base.incidence_fan(Track::Subpop(2)).unwrap();
    assert_eq!(fan.len(), 201);
    assert!(
        fan.iter()
            .all(|q| q.q05 <= q.q25 && q.q25 <= q.q50 && q.q50 <= q.q75 && q.q75 <= q.q95)
    );
    assert!(matches!(
        base.incidence_fan(Track::Subpop(1)),
        Err(EpidemicError::NotTracked(1))
    ));
    let peak = base.peak_day(0);
    assert!(matches!(peak.median, When::Day(d) if d > 20.0));
    assert!(base.attack_rate(0).q50 > 0.8);
}
