//! Calibrated parameter sets against IPCC AR6 WG1 SPM Table SPM.1 (2081–2100 warming vs
//! 1850–1900 for the five core SSPs), refits from scratch, out-of-sample checks, and the
//! check against observed warming (NOAA GlobalTemp `gcag` in the mirror's
//! `climate/global-temp_annual.csv`).

use attache_climate::calibration::{AR6_SPM1, Knob, ParamSet, Target, fit};
use attache_climate::{Fair16Params, Scenario};

use attache_testdata::mirror;

fn ssp_targets() -> Vec<Target> {
    Scenario::SSPS
        .iter()
        .map(|s| Target::ar6(*s).unwrap())
        .collect()
}

/// Each set's 2081–2100 warming for each SSP within `tol` of AR6, and the expected value
/// within 0.005 K (pins the table in docs/CLIMATE_METHOD.md).
fn check(set: ParamSet, expect: [f64; 5], tol: f64) {
    let p = set.params();
    for ((s, best, _, _), want) in AR6_SPM1.iter().zip(expect) {
        let got = Target::ar6(*s).unwrap().model_value(&p).unwrap();
        eprintln!("{} {}: {got:.3} (AR6 {best})", set.id(), s.label());
        assert!(
            (got - best).abs() <= tol,
            "{} {}: {got} vs AR6 {best}",
            set.id(),
            s.label()
        );
        assert!(
            (got - want).abs() <= 0.005,
            "{} {}: {got} vs documented {want}",
            set.id(),
            s.label()
        );
    }
}

#[test]
fn calibrated_sets_reproduce_ar6_spm1() {
    check(
        ParamSet::Calibrated,
        [1.413, 1.774, 2.696, 3.661, 4.358],
        0.15,
    );
    check(
        ParamSet::CalibratedHist,
        [1.418, 1.788, 2.692, 3.597, 4.406],
        0.15,
    );
    check(
        ParamSet::ThreeLayer,
        [1.352, 1.720, 2.673, 3.680, 4.401],
        0.15,
    );
}

fn assert_close(name: &str, got: &[f64], want: &[f64], rel: f64) {
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            ((g - w) / w).abs() <= rel,
            "{name} knob {k}: refit {g} vs constant {w}"
        );
    }
}

/// The `calibrated` constants come out of the documented fit, started from FaIR's defaults.
#[test]
fn calibrated_is_the_fit_from_fair_defaults() {
    let (knobs, _) = ParamSet::Calibrated.fitted();
    let f = fit(&Fair16Params::default(), knobs, &ssp_targets()).unwrap();
    eprintln!(
        "refit TCR, ECS = {:?}, residuals {:?}",
        f.values, f.residuals
    );
    let p = ParamSet::Calibrated.params();
    assert_close(
        "calibrated",
        &f.values,
        &[p.thermal.tcr, p.thermal.ecs],
        0.002,
    );
    assert!(f.residuals.iter().all(|r| r.abs() < 0.07));
}

/// The other two sets are (rounded) optima of their documented objectives: a refit
/// started at the constants stays there.
#[test]
fn hist_and_three_layer_sets_are_optima() {
    let mut with_hist = ssp_targets();
    with_hist.push(Target::observed_warming().unwrap());
    with_hist.push(Target::observed_co2().unwrap());
    let p = ParamSet::CalibratedHist.params();
    let (knobs, _) = ParamSet::CalibratedHist.fitted();
    let f = fit(&p, knobs, &with_hist).unwrap();
    eprintln!(
        "calibrated-hist refit {:?}, residuals {:?}",
        f.values, f.residuals
    );
    assert_close(
        "calibrated-hist",
        &f.values,
        &[p.thermal.tcr, p.thermal.ecs, p.scale[8], p.carbon.r0],
        0.01,
    );
    let p = ParamSet::ThreeLayer.params();
    let (knobs, _) = ParamSet::ThreeLayer.fitted();
    let f = fit(&p, knobs, &ssp_targets()).unwrap();
    eprintln!(
        "three-layer refit {:?}, residuals {:?}",
        f.values, f.residuals
    );
    let attache_climate::TemperatureModel::ThreeLayer(t) = p.temperature_model else {
        panic!("three-layer set has a two-box model")
    };
    assert_close(
        "three-layer",
        &f.values,
        &[t.heat_transfer[0], t.deep_ocean_efficacy],
        0.01,
    );
}

/// Out of sample: TCR and ECS fitted to SSP1-2.6, SSP2-4.5 and SSP3-7.0 only; the two
/// scenarios left out (the lowest and the highest) within 0.15 K of AR6.
#[test]
fn out_of_sample_three_in_two_out() {
    let all = ssp_targets();
    let f = fit(
        &Fair16Params::default(),
        &[Knob::Tcr, Knob::Ecs],
        &all[1..4],
    )
    .unwrap();
    for i in [0, 4] {
        let r = all[i].model_value(&f.params).unwrap() - all[i].value;
        eprintln!(
            "fit on 3: TCR {:.3} ECS {:.3}; {} left out: {r:+.3}",
            f.values[0], f.values[1], all[i].label
        );
        assert!(r.abs() <= 0.15, "{}: {r}", all[i].label);
    }
}

/// Leave-one-out over the five SSPs for both fitted two-box sets (slow in a debug build:
/// `cargo test --release -p attache-climate -- --ignored`). Documents the numbers in
/// docs/CLIMATE_METHOD.md; both recipes stay within 0.15 K (`calibrated-hist` within
/// 0.04 K since its aerosol scale reaches the temperature).
#[test]
#[ignore = "slow in debug builds; run with --release --ignored"]
fn leave_one_out() {
    let all = ssp_targets();
    let hist = [
        Target::observed_warming().unwrap(),
        Target::observed_co2().unwrap(),
    ];
    for set in [ParamSet::Calibrated, ParamSet::CalibratedHist] {
        let (knobs, _) = set.fitted();
        for i in 0..5 {
            let mut t: Vec<Target> = all
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, t)| t.clone())
                .collect();
            if set == ParamSet::CalibratedHist {
                t.extend(hist.iter().cloned());
            }
            let f = fit(&Fair16Params::default(), knobs, &t).unwrap();
            let r = all[i].model_value(&f.params).unwrap() - all[i].value;
            eprintln!("{} leave out {}: {r:+.3}", set.id(), all[i].label);
            assert!(
                r.abs() <= 0.15,
                "{} leave out {}: {r}",
                set.id(),
                all[i].label
            );
        }
    }
}

/// Observed warming, 2011–2020 mean minus 1850–1900 mean of NOAA GlobalTemp (`gcag`).
fn observed_2011_2020() -> f64 {
    let p = mirror().join("climate/global-temp_annual.csv");
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let mut by_year = std::collections::BTreeMap::new();
    for line in text.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        if c[0] == "gcag" {
            by_year.insert(c[1].parse::<i32>().unwrap(), c[2].parse::<f64>().unwrap());
        }
    }
    let mean = |a: i32, b: i32| (a..=b).map(|y| by_year[&y]).sum::<f64>() / f64::from(b - a + 1);
    mean(2011, 2020) - mean(1850, 1900)
}

/// Against observations (not fitted by `calibrated`): it is 0.17 K too warm in 2011–2020
/// (pinned, as documented); `calibrated-hist`, which fits AR6's 1.09 K, is within
/// 0.1 K of NOAA's 1.116 K and inside AR6's very likely range 0.95–1.20 K.
#[test]
fn against_observed_warming() {
    let obs = observed_2011_2020();
    assert!((obs - 1.116).abs() < 0.001, "NOAA gcag 2011-2020: {obs}");
    let t = Target::observed_warming().unwrap();
    let cal = t.model_value(&ParamSet::Calibrated.params()).unwrap();
    let hist = t.model_value(&ParamSet::CalibratedHist.params()).unwrap();
    eprintln!("2011-2020: observed {obs:.3}, calibrated {cal:.3}, calibrated-hist {hist:.3}");
    assert!(
        (cal - obs - 0.172).abs() < 0.01,
        "calibrated bias {}",
        cal - obs
    );
    assert!((hist - obs).abs() < 0.1 && (0.95..=1.20).contains(&hist));
}
