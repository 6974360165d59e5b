//! The simulator as an outcome predictor: settings are checked and bounded, outcomes keep
//! the contract (`PredictedOutcome::validate`), a travel ban delays arrival, and the same
//! settings give the same numbers.

use std::collections::BTreeMap;
use std::sync::Arc;

use attache_core::outcome::{Horizon, OutcomePredictor, OutcomeQuery, PointKind, Settings};
use attache_epidemic::air::{AirInputs, Airport, Level, Route, build};
use attache_epidemic::predictor::{EpidemicPredictor, EpidemicSettings, MAX_ENSEMBLE};

/// A chain CHN - JPN - USA with many routes, so arrival is quick and certain.
fn predictor(settings: Settings) -> EpidemicPredictor {
    let ap = |id: i64, iso3: &str| Airport {
        id,
        iso3: iso3.into(),
        iata: None,
        icao: None,
        latitude: 0.0,
        longitude: 0.0,
    };
    let mut routes = Vec::new();
    for _ in 0..2000 {
        routes.push(Route { from: 1, to: 2 });
        routes.push(Route { from: 2, to: 1 });
        routes.push(Route { from: 2, to: 3 });
        routes.push(Route { from: 3, to: 2 });
    }
    let population: BTreeMap<String, (u64, i32)> = [
        ("CHN".to_string(), (20_000_000, 2018)),
        ("JPN".to_string(), (10_000_000, 2018)),
        ("USA".to_string(), (30_000_000, 2018)),
    ]
    .into();
    let inputs = AirInputs {
        airports: vec![ap(1, "CHN"), ap(2, "JPN"), ap(3, "USA")],
        routes,
        population,
    };
    let net = build(&inputs, Level::Countries, None).unwrap();
    let s = EpidemicSettings::parse(&settings).unwrap();
    EpidemicPredictor::new(Arc::new(net), "test-vintage", s)
}

fn small() -> Settings {
    Settings::new()
        .set("ensemble", 40)
        .set("days", 200)
        .set("r0", 2.5)
        .set("seed", "CHN:20@2020-01-01")
}

#[test]
fn settings_are_checked_and_bounded() {
    let bad = |s: Settings, msg: &str| {
        let e = EpidemicSettings::parse(&s).unwrap_err().to_string();
        assert!(e.contains(msg), "{e}");
    };
    bad(
        Settings::new().set("ensemble", MAX_ENSEMBLE + 1),
        "between 1 and 1000 runs",
    );
    bad(Settings::new().set("ensemble", 0), "ensemble");
    bad(Settings::new().set("model", "sird"), "sir or seir");
    bad(Settings::new().set("r0", -1), "r0");
    bad(Settings::new().set("r0", "two"), "r0");
    bad(Settings::new().set("seed", "CHN:10"), "date the seeds");
    bad(Settings::new().set("seed", "CHN:x@2020-01-01"), "count");
    bad(
        Settings::new().set("lever", "travel:CHN*3@2020-01-02"),
        "factor",
    );
    bad(Settings::new().set("days", 5000), "days");
    let d = EpidemicSettings::parse(&Settings::new()).unwrap();
    assert_eq!(d, EpidemicSettings::default());
}

#[test]
fn outcomes_keep_the_contract_and_levers_delay_arrival() {
    let p = predictor(small());
    let arrival = p.predict(&OutcomeQuery::new("arrival_day", "USA")).unwrap();
    arrival.validate().unwrap();
    assert_eq!(arrival.point_kind, PointKind::Median);
    assert!(arrival.point > 0.0 && arrival.point < 200.0, "{arrival:?}");
    let iv = arrival.interval(0.9).expect("a 90% interval");
    assert!(iv.low <= arrival.point && arrival.point <= iv.high);
    assert_eq!(arrival.unit, "days after 2020-01-01");

    let q = OutcomeQuery::new("arrival_delay", "USA").scenario("route:JPN-USA*0.05@2020-01-01");
    let delay = p.predict(&q).unwrap();
    delay.validate().unwrap();
    assert!(
        delay.point > 0.0,
        "cutting 95% of the only route delays arrival: {delay:?}"
    );
    assert!(delay.scenario.contains("route:JPN-USA"));

    let e = p
        .predict(&OutcomeQuery::new("arrival_delay", "USA"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("give a scenario of levers"), "{e}");
    let avoided = p
        .predict(
            &OutcomeQuery::new("cases_avoided", "world").scenario("distancing:CHN*0.5@2020-01-10"),
        )
        .unwrap();
    assert!(avoided.point > 0.0, "{avoided:?}");

    let pa = p.predict(&OutcomeQuery::new("p_arrival", "JPN")).unwrap();
    assert!(
        pa.point > 0.9 && pa.point < 1.0,
        "never exactly 1: {}",
        pa.point
    );

    let ar = p
        .predict(&OutcomeQuery::new("attack_rate", "world"))
        .unwrap();
    assert!(ar.point > 0.3 && ar.point < 1.0, "{ar:?}");

    for (q, subject, msg) in [
        ("arrival_day", "FRA", "not a country of the network"),
        ("arrival_day", "world", "not a country"),
        ("speed", "USA", "unknown quantity"),
    ] {
        let e = p
            .predict(&OutcomeQuery::new(q, subject))
            .unwrap_err()
            .to_string();
        assert!(e.contains(msg), "{q} {subject}: {e}");
    }
    let e = p
        .predict(&OutcomeQuery::new("arrival_day", "USA").scenario("travel:MARS*0@1"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("MARS"), "{e}");
}

#[test]
fn horizons_and_reproducibility() {
    let p = predictor(small());
    let q = OutcomeQuery::new("attack_rate", "JPN").horizon(Horizon::Year(2020));
    let a = p.predict(&q).unwrap();
    assert_eq!(a.horizon.to_string(), "2020-01 to 2020-12");
    assert!(
        a.assumptions.iter().any(|s| s.contains("365 days")),
        "{:?}",
        a.assumptions
    );
    assert_eq!(
        p.predict(&q).unwrap(),
        a,
        "the same settings give the same numbers"
    );
    let e = p
        .predict(&OutcomeQuery::new("attack_rate", "JPN").horizon(Horizon::Year(2019)))
        .unwrap_err()
        .to_string();
    assert!(e.contains("starts on 2020-01-01"), "{e}");
}
