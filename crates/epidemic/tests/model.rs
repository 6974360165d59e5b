//! Models as data: construction, derived roles, and validation errors.

use attache_epidemic::{EpidemicError, Model, Quantiles, When, WhenSummary};

fn check(built: Result<Model, EpidemicError>, expect: Result<&[&str], EpidemicError>) {
    match (built, expect) {
        (Ok(m), Ok(infected)) => {
            let got: Vec<&str> = (0..m.len())
                .filter(|&c| m.is_infected(c))
                .map(|c| m.compartments()[c].as_str())
                .collect();
            assert_eq!(got, infected);
        }
        (Err(e), Err(want)) => assert_eq!(e, want),
        (got, want) => panic!("got {got:?}, want {want:?}"),
    }
}

#[test]
fn built_in_and_user_models() {
    check(Model::sir(2.0, 5.0), Ok(&["I"]));
    check(Model::seir(2.0, 3.0, 5.0), Ok(&["E", "I"]));
    check(Model::seird(2.0, 3.0, 5.0, 0.01), Ok(&["E", "I"]));
    // GLEAMviz-style: latent, then asymptomatic or symptomatic infectious, one of them
    // travelling less (not modelled here), both recovering.
    let user = Model::builder()
        .compartments(&["S", "L", "Ia", "Is", "R"])
        .infection("S", "Ia", "L", 0.2)
        .infection("S", "Is", "L", 0.4)
        .spontaneous("L", "Ia", 0.1)
        .spontaneous("L", "Is", 0.2)
        .spontaneous("Ia", "R", 0.25)
        .spontaneous("Is", "R", 0.25)
        .removed("R")
        .build();
    check(user.clone(), Ok(&["L", "Ia", "Is"]));
    let user = user.unwrap();
    assert_eq!(user.susceptible(), 0);
    assert_eq!(user.seed_compartment(), 2);
    assert_eq!(user.r0(), None);
    assert_eq!(Model::sir(2.0, 5.0).unwrap().r0(), Some(2.0));
    assert_eq!(Model::seir(3.0, 2.0, 4.0).unwrap().r0(), Some(3.0));
}

#[test]
fn invalid_models_are_refused_with_names() {
    check(
        Model::builder()
            .compartments(&["S", "I"])
            .infection("S", "X", "I", 0.1)
            .build(),
        Err(EpidemicError::UnknownCompartment {
            context: "transition S + X -> I".into(),
            name: "X".into(),
        }),
    );
    check(
        Model::builder()
            .compartments(&["S", "I", "R"])
            .infection("S", "I", "I", 0.1)
            .spontaneous("I", "R", -0.2)
            .build(),
        Err(EpidemicError::BadRate {
            transition: "I -> R".into(),
            rate: -0.2,
        }),
    );
    check(
        Model::builder()
            .compartments(&["S", "I", "R"])
            .spontaneous("I", "R", 0.2)
            .build(),
        Err(EpidemicError::NoInfectious),
    );
    check(Model::builder().build(), Err(EpidemicError::NoCompartments));
    check(
        Model::builder()
            .compartments(&["S", "I"])
            .infection("S", "I", "I", 0.1)
            .stationary(&["S"])
            .build(),
        Err(EpidemicError::StationarySusceptible("S".into())),
    );
    check(
        Model::builder()
            .compartments(&["S", "I"])
            .infection("S", "I", "I", 0.1)
            .stationary(&["Q"])
            .build(),
        Err(EpidemicError::UnknownCompartment {
            context: "the stationary list".into(),
            name: "Q".into(),
        }),
    );
    check(
        Model::builder().compartments(&["S", "S"]).build(),
        Err(EpidemicError::DuplicateCompartment("S".into())),
    );
    check(
        Model::builder().compartments(&["S", "1x"]).build(),
        Err(EpidemicError::BadCompartmentName("1x".into())),
    );
    check(
        Model::builder()
            .compartments(&["S", "I"])
            .spontaneous("I", "I", 0.1)
            .build(),
        Err(EpidemicError::SelfTransition("I -> I".into())),
    );
    assert!(matches!(
        Model::sir(-1.0, 5.0),
        Err(EpidemicError::BadParameter { name: "r0", .. })
    ));
    assert!(matches!(
        Model::seir(2.0, 0.0, 5.0),
        Err(EpidemicError::BadParameter {
            name: "latent_days",
            ..
        })
    ));
    assert!(matches!(
        Model::seird(2.0, 1.0, 5.0, 1.5),
        Err(EpidemicError::BadParameter { name: "ifr", .. })
    ));
}

#[test]
fn quantiles_match_numpy_and_keep_not_reached() {
    // numpy.quantile([1, 2, 3, 4, 10], [.05, .25, .5, .75, .95]) = [1.2, 2, 3, 4, 8.8]
    let q = Quantiles::of(&[10.0, 2.0, 1.0, 4.0, 3.0]);
    let want = [1.2, 2.0, 3.0, 4.0, 8.8];
    for (got, want) in [q.q05, q.q25, q.q50, q.q75, q.q95].into_iter().zip(want) {
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    }
    // Two of four runs not reached: the median is "not reached", never 0.
    let s = WhenSummary::of(&[Some(3), None, Some(5), None]);
    assert_eq!(s.median, When::NotReached);
    assert_eq!(s.q25, When::Day(4.5));
    assert_eq!(s.q05, When::Day(3.3));
    assert_eq!(s.reached, 0.5);
    let none = WhenSummary::of(&[None, None]);
    assert_eq!(none.q05, When::NotReached);
    assert_eq!(none.reached, 0.0);
}
