//! The trade-policy simulator (`attache_trade::simulate`) on the Advanced Guide's panel
//! (`Chapter2Application2.dta`, Yotov et al. 2016): with the Guide's own choices (every fourth
//! year, 1994 the baseline, NAFTA removed) it reproduces the RTA application's first-stage
//! estimate and first GE iteration as Stata printed them in `RTAsEffects.log`; other scenarios
//! are checked for the signs economics requires and for their intervals.

mod common;

use std::sync::OnceLock;

use attache_trade::{Fit, FittedGravity, Gravity, Scenario};
use common::load;

fn guide_1994() -> &'static FittedGravity {
    static F: OnceLock<FittedGravity> = OnceLock::new();
    F.get_or_init(|| {
        Gravity::new()
            .baseline_year(1994)
            .fit(&load("Chapter2Application2.dta"))
            .unwrap()
    })
}

fn latest() -> &'static FittedGravity {
    static F: OnceLock<FittedGravity> = OnceLock::new();
    F.get_or_init(|| {
        Gravity::new()
            .fit(&load("Chapter2Application2.dta"))
            .unwrap()
    })
}

fn scenario(s: &str) -> Scenario {
    s.parse().unwrap()
}

#[test]
fn the_guide_nafta_application_step_by_step() {
    let g = guide_1994();
    assert_eq!(g.years, [1986, 1990, 1994, 1998, 2002, 2006]);
    assert_eq!(g.countries.len(), 69);
    // RTAsEffects.log:3347: RTA .5571853 (robust se .055771); ours is clustered by pair.
    assert!((g.rta.estimate - 0.5571853).abs() < 5e-7, "{:?}", g.rta);
    assert_eq!(
        (g.n_obs, g.separated),
        (28_482, 84),
        "RTAsEffects.log:150,178"
    );
    // RTAsEffects.log:3395: 14 baseline pairs have no pair effect and take the second stage.
    assert_eq!(g.imputed_pairs, 14);
    let nafta = scenario("rta-remove CAN,MEX,USA");
    let (ge, changed) = g.clone().guide_loop().solve(&nafta, g.estimates()).unwrap();
    assert_eq!(changed, 6, "the six directed flows inside NAFTA");
    // RTAsEffects.log:4377: the first iteration's change in factory-gate prices over the 4,761
    // flows: mean .9994758, sd .0031412, min .978553, max 1.000545. Stata stored every step
    // as a float; we hold them to 2e-6.
    let it = ge.iterations[0];
    for (name, got, want) in [
        ("mean", it.mean, 0.9994758),
        ("sd", it.sd, 0.0031412),
        ("min", it.min, 0.978553),
        ("max", it.max, 1.000545),
    ] {
        assert!((got - want).abs() < 2e-6, "{name}: {got} vs {want}");
    }
    assert_eq!(ge.iterations.len(), 3, "RTAsEffects.log:4377-4391");
    // The exact equilibrium (the Guide's loop stopped at its 0.01 tolerance) is near it.
    let (exact, _) = g.solve(&nafta, g.estimates()).unwrap();
    for m in ["CAN", "MEX", "USA"] {
        let (a, b) = (ge.country(m).unwrap(), exact.country(m).unwrap());
        assert!(b.real_gdp_full < 0.0 && b.exports_full < 0.0, "{b:?}");
        assert!(
            (a.real_gdp_full - b.real_gdp_full).abs() < 0.05,
            "{m}: loop {} exact {}",
            a.real_gdp_full,
            b.real_gdp_full
        );
        eprintln!(
            "{m}: real GDP loop {:.4}% exact {:.4}%",
            a.real_gdp_full, b.real_gdp_full
        );
    }
}

#[test]
fn removing_borders_uses_the_guides_border_effect() {
    let g = latest();
    // TradeWithoutBorder.log:348: INTL_BRDR -2.47445 (robust se .1193816) on the 2006
    // cross-section of the same panel.
    let b = g.border.as_ref().unwrap();
    assert!((b.estimate - -2.47445).abs() < 5e-6, "{b:?}");
    assert!((b.std_error - 0.1193816).abs() < 5e-7, "{b:?}");
    let sim = g.simulate(&scenario("border-remove DEU,FRA")).unwrap();
    assert_eq!(sim.pairs_changed, 2);
    for c in ["DEU", "FRA"] {
        let x = sim.ranged(c, |c| c.real_gdp_full).unwrap();
        assert!(x.low > 0.0, "{c} gains: {x:?}");
    }
}

#[test]
fn a_tariff_hurts_the_taxed_exporter_and_the_interval_holds_the_estimate() {
    let g = latest();
    assert_eq!(g.year, 2006);
    let sim = g.simulate(&scenario("tariff USA on CHN 25%")).unwrap();
    assert_eq!(sim.pairs_changed, 1);
    let chn = sim.ranged("CHN", |c| c.exports_full).unwrap();
    assert!(chn.central < 0.0, "{chn:?}");
    assert!(chn.low <= chn.central && chn.central <= chn.high, "{chn:?}");
    assert!(
        chn.low < chn.high,
        "a tariff's answer depends on sigma: {chn:?}"
    );
    let gdp = sim.ranged("CHN", |c| c.real_gdp_full).unwrap();
    assert!(gdp.central < 0.0, "{gdp:?}");
}

#[test]
fn an_agreement_raises_its_members_trade_and_names_what_it_cannot_do() {
    let g = latest();
    let sim = g.simulate(&scenario("rta-add CHN,JPN")).unwrap();
    for c in ["CHN", "JPN"] {
        let x = sim.ranged(c, |c| c.exports_full).unwrap();
        assert!(x.central > 0.0 && x.low > 0.0, "{c}: {x:?}");
    }
    let err = |s: &str| g.simulate(&scenario(s)).unwrap_err().to_string();
    assert!(err("rta-add CHN,XKX").contains("XKX is not among the panel's 69 countries"));
    assert!(err("sanction USA on IRN").contains("no sanction years"));
    assert!(err("rta-add CAN,MEX,USA").contains("changes no flow"));
}

#[test]
fn the_predictor_answers_a_brief_with_quantiles_and_flags_an_old_baseline() {
    use attache_core::outcome::{NoveltyStatus, OutcomePredictor, OutcomeQuery};
    use attache_trade::predictor::{REAL_GDP, TradePredictor};
    let p = TradePredictor::new(std::sync::Arc::new(latest().clone()), "v-test", 2026);
    let q = OutcomeQuery::new(REAL_GDP, "chn").scenario("tariff USA on CHN 25%");
    let out = p.predict(&q).unwrap();
    assert_eq!(out.subject, "CHN");
    assert!(out.point < 0.0, "{out:?}");
    assert_eq!(out.quantiles.len(), 3);
    assert!(out.quantiles[0].value < out.quantiles[2].value);
    assert_eq!(out.novelty.status, NoveltyStatus::OutOfDistribution);
    assert!(out.novelty.note.contains("2006"), "{}", out.novelty.note);
    assert!(out.assumptions.iter().any(|a| a.contains("tariff revenue")));
    let err = |q: OutcomeQuery| p.predict(&q).unwrap_err().to_string();
    assert!(err(OutcomeQuery::new(REAL_GDP, "CHN")).contains("needs a scenario"));
    assert!(
        err(OutcomeQuery::new(REAL_GDP, "XKX").scenario("tariff USA on CHN 25%"))
            .contains("not among the gravity panel's 69 countries")
    );
    assert!(
        err(OutcomeQuery::new("gdp", "CHN").scenario("rta-add CHN,JPN"))
            .contains("unknown quantity")
    );
    let fresh = TradePredictor::new(std::sync::Arc::new(latest().clone()), "v-test", 2008);
    let out = fresh.predict(&q).unwrap();
    assert_eq!(out.novelty.status, NoveltyStatus::InDistribution);
}
