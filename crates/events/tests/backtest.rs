//! The alert rules against real fatalities: UCDP GED events in the mirror
//! (`ucdp/GEDEvent_v23_1_CAR482.geojson`, which holds one country: the Central African Republic,
//! 1,848 events, 1991-2022). Each event's `best` deaths count on its `date_start`.
//!
//! Prints the table for the closing note and asserts bounds that any sound version of the rules
//! must meet on this series (not the exact figures, which move with any change of definition).

use attache_core::Date;
use attache_events::alerts::cusum::NbCusumParams;
use attache_events::alerts::hdx::HdxParams;
use attache_events::backtest::{self, CountrySeries, RuleUnderTest, TargetParams};
use std::collections::BTreeSet;

fn ged_car() -> CountrySeries {
    let path = attache_testdata::mirror().join("ucdp/GEDEvent_v23_1_CAR482.geojson");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let features = v["features"].as_array().unwrap();
    assert_eq!(
        features.len(),
        1848,
        "the mirror's MANIFEST says 1,848 events"
    );
    let countries: BTreeSet<&str> = features
        .iter()
        .map(|f| f["properties"]["country"].as_str().unwrap())
        .collect();
    assert_eq!(
        countries.into_iter().collect::<Vec<_>>(),
        ["Central African Republic"],
        "GED in the mirror covers one country"
    );
    let recs = features.iter().map(|f| {
        let p = &f["properties"];
        let day = &p["date_start"].as_str().unwrap()[..10];
        (day.parse::<Date>().unwrap(), p["best"].as_f64().unwrap())
    });
    CountrySeries::from_records("CAF", recs).unwrap()
}

#[test]
fn backtest_on_ucdp_ged() {
    let s = ged_car();
    assert_eq!(s.daily.iter().sum::<f64>(), 14948.0, "GED best, all events");
    let tp = TargetParams::default();
    let rules = [
        RuleUnderTest::Hdx(HdxParams::default()),
        RuleUnderTest::NbCusum(NbCusumParams::default()),
    ];
    let b = backtest::run(std::slice::from_ref(&s), &tp, &rules);
    println!(
        "UCDP GED v23.1, CAF, {} to {} ({:.1} country-years); target: >= {} deaths and >= {} x the largest of the {} months before; horizon {} days",
        s.start,
        s.day(s.daily.len() - 1),
        s.years(),
        tp.threshold,
        tp.surge_ratio,
        tp.lookback,
        tp.horizon_days
    );
    println!("{b}");
    for t in &b.targets {
        println!(
            "target {} {:>5} deaths (before: max {:>4}), onset {}",
            t.month, t.deaths, t.before_max, t.onset
        );
    }
    let hdx = &b.results[0];
    let cusum = &b.results[1];
    assert!((10..=80).contains(&hdx.targets), "{}", hdx.targets);
    for r in [hdx, cusum] {
        assert_eq!(r.targets, hdx.targets);
        assert!(r.warned <= r.detected && r.detected <= r.targets);
        assert!(r.warned >= 1, "{}: warned of no target", r.rule);
        assert!(
            r.detected * 3 >= r.targets,
            "{}: detects fewer than a third",
            r.rule
        );
        assert!(r.leads.iter().all(|l| (1..=tp.horizon_days).contains(l)));
        assert!(r.delays.iter().all(|l| (0..=31).contains(l)));
        assert!(
            (3..=60).contains(&r.episodes),
            "{}: {} episodes",
            r.rule,
            r.episodes
        );
        assert!(
            r.false_alarms_per_country_year() < 0.5,
            "{}: {} false alarms a country-year",
            r.rule,
            r.false_alarms_per_country_year()
        );
    }
    // HDX Signals' repeat filter sends fewer signals than the days the rule holds, and its
    // floor of 100 keeps it from firing on a quiet year's noise.
    assert!(hdx.signals < hdx.alert_days);
    assert!(hdx.false_alarms <= cusum.false_alarms + 2);
}
