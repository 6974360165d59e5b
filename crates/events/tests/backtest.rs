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

/// Monthly state-based deaths (`ged_sb`) of 191 countries from the ViEWS challenge files in the
/// mirror: `cm_features_to_oct2018.csv` for Nov-Dec 2017 and `cm_actuals_2018..2020.csv` for
/// 2018-2020 (38 months). ViEWS writes float noise (`1.9999999999999996`); deaths are rounded.
fn views_monthly() -> Vec<(String, Vec<(attache_core::MonthId, f64)>)> {
    use std::collections::BTreeMap;
    let dir = attache_testdata::mirror().join("views/csv");
    let mut by: BTreeMap<String, BTreeMap<i32, f64>> = BTreeMap::new();
    let mut read = |name: &str, m_col: usize, c_col: usize, v_col: usize| {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        for l in text.lines().skip(1) {
            let f: Vec<&str> = l.split(',').collect();
            let m: i32 = f[m_col].parse().unwrap();
            let v: f64 = f[v_col].parse::<f64>().unwrap().round();
            by.entry(f[c_col].to_string()).or_default().insert(m, v);
        }
    };
    // features: month_id, country_id, gleditsch_ward, ged_sb, ...
    read("cm_features_to_oct2018.csv", 0, 1, 3);
    for y in ["2018", "2019", "2020"] {
        read(&format!("cm_actuals_{y}.csv"), 0, 1, 2);
    }
    by.into_iter()
        .map(|(c, ms)| {
            let v: Vec<(attache_core::MonthId, f64)> = ms
                .into_iter()
                .map(|(m, v)| (attache_core::MonthId(m), v))
                .collect();
            (c, v)
        })
        .collect()
}

/// The same rules on 191 countries, monthly (ViEWS `ged_sb`, Nov 2017 - Dec 2020). Targets and
/// episodes count from January 2019, when both rules have their history (HDX: 395 days; the
/// CUSUM: 12 months). A check of the false-alarm rate across many countries, not a second
/// estimate of lead times: monthly data spread evenly over days have no onset inside a month.
#[test]
fn backtest_on_views_monthly() {
    let series: Vec<CountrySeries> = views_monthly()
        .iter()
        .map(|(c, ms)| {
            assert_eq!(ms.len(), 38, "country {c}");
            CountrySeries::from_monthly(c, ms).unwrap()
        })
        .collect();
    assert_eq!(series.len(), 191);
    let tp = TargetParams {
        evaluate_from: attache_core::MonthId::from_year_month(2019, 1),
        ..TargetParams::default()
    };
    let rules = [
        RuleUnderTest::Hdx(HdxParams::default()),
        RuleUnderTest::NbCusum(NbCusumParams::default()),
    ];
    let b = backtest::run(&series, &tp, &rules);
    println!("ViEWS ged_sb, 191 countries, evaluated 2019-01 to 2020-12:");
    println!("{b}");
    let hdx = &b.results[0];
    let cusum = &b.results[1];
    assert!((hdx.country_years - 191.0 * 2.0).abs() < 1e-9);
    assert!(hdx.targets >= 20, "{} targets", hdx.targets);
    for r in [hdx, cusum] {
        assert!(r.warned <= r.detected && r.detected <= r.targets);
        assert!(
            r.false_alarms_per_country_year() < 0.25,
            "{}: {:.3} false alarms a country-year",
            r.rule,
            r.false_alarms_per_country_year()
        );
    }
}
