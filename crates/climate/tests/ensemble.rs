//! Three-layer energy balance and parameter ensembles.

use attache_climate::calibration::ParamSet;
use attache_climate::ensemble::{Ensemble, LEVELS, Spread, quantile, run_ensemble, sample};
use attache_climate::model::Prepared;
use attache_climate::thermal3::{ThreeLayer, expm};
use attache_climate::{ClimateError, Scenario, ThreeLayerParams, run};

fn check_matrix(m: Vec<Vec<f64>>, expect: Vec<Vec<f64>>) {
    let got = expm(&m);
    for (gr, er) in got.iter().zip(&expect) {
        for (g, e) in gr.iter().zip(er) {
            assert!(
                (g - e).abs() < 1e-12,
                "expm({m:?}) = {got:?}, expected {expect:?}"
            );
        }
    }
}

#[test]
fn matrix_exponential() {
    check_matrix(vec![vec![0.0]], vec![vec![1.0]]);
    check_matrix(
        vec![vec![-2.0, 0.0], vec![0.0, 0.5]],
        vec![vec![(-2f64).exp(), 0.0], vec![0.0, 0.5f64.exp()]],
    );
    // Rotation generator: exp(t J) = [[cos t, sin t], [-sin t, cos t]], also for large t.
    for t in [1.0f64, 30.0] {
        check_matrix(
            vec![vec![0.0, t], vec![-t, 0.0]],
            vec![vec![t.cos(), t.sin()], vec![-t.sin(), t.cos()]],
        );
    }
}

#[test]
fn three_layer_equilibrium_and_tcr() {
    let p = ThreeLayerParams::cummins_hadgem2_es();
    let m = ThreeLayer::new(&p).unwrap();
    // Constant forcing: every layer relaxes to F / kappa1.
    let mut x = [0.0; 4];
    for _ in 0..20_000 {
        x = m.step(x, 3.71);
    }
    for (k, t) in x.iter().enumerate().skip(1) {
        assert!(
            (t - p.ecs(3.71)).abs() < 1e-6,
            "layer {k}: {t} vs {}",
            p.ecs(3.71)
        );
    }
    // TCR from the exact ramp solution against annual steps of a ramp (ZOH at mid-year).
    let tcr = p.tcr(3.71, 69.661).unwrap();
    let mut x = [0.0; 4];
    for t in 0..70 {
        x = m.step(x, 3.71 * (f64::from(t) + 0.5) / 69.661);
    }
    assert!((tcr - x[1]).abs() < 0.03, "tcr {tcr} vs stepped {}", x[1]);
    assert!(tcr > 0.0 && tcr < p.ecs(3.71));
}

#[test]
fn three_layer_rejects_bad_parameters() {
    let mut p = ThreeLayerParams::cummins_hadgem2_es();
    p.heat_capacity[2] = 0.0;
    assert!(matches!(
        ThreeLayer::new(&p),
        Err(ClimateError::BadParameter {
            name: "heat_capacity[2]",
            ..
        })
    ));
}

#[test]
fn quantiles_interpolate_like_numpy() {
    // numpy.quantile([4, 1, 3, 2], q): 0.17 -> 1.51, 0.5 -> 2.5, 0.95 -> 3.85.
    for (q, want) in [
        (0.0, 1.0),
        (0.17, 1.51),
        (0.5, 2.5),
        (0.95, 3.85),
        (1.0, 4.0),
    ] {
        let got = quantile(&mut [4.0, 1.0, 3.0, 2.0], q);
        assert!((got - want).abs() < 1e-12, "q {q}: {got} vs {want}");
    }
    assert!(quantile(&mut [], 0.5).is_nan());
}

#[test]
fn ensembles_are_seeded_and_thread_independent() {
    let e = Scenario::Rcp45.emissions().unwrap();
    let e = e.slice_years(1765, 2100).unwrap();
    let base = ParamSet::Calibrated.params();
    let a = sample(&base, &Spread::default(), 24, 7);
    let b = sample(&base, &Spread::default(), 30, 7);
    // Fair16Params holds a NaN lifetime placeholder, so compare their Debug text.
    let text = |v: &[attache_climate::Fair16Params]| format!("{v:?}");
    assert!(text(&a) == text(&b[..24]), "member i depends on n");
    assert!(
        text(&a) != text(&sample(&base, &Spread::default(), 24, 8)),
        "seed ignored"
    );
    let r1 = run_ensemble(&e, &a, (1850, 1900), 1).unwrap();
    let r2 = run_ensemble(&e, &a, (1850, 1900), 3).unwrap();
    assert_eq!(r1, r2);
    for two_box in &a {
        assert!(two_box.thermal.ecs > two_box.thermal.tcr);
    }
    let q = r1.temperature_quantiles(&LEVELS);
    for row in &q {
        assert!(
            row.windows(2).all(|w| w[0] <= w[1]),
            "quantiles not ordered: {row:?}"
        );
    }
}

/// The ensemble median of SSP2-4.5 stays near the deterministic calibrated run, and the
/// 5–95% range brackets it; the three-layer set's ensemble runs too.
#[test]
fn ensemble_median_near_deterministic() {
    let e = Scenario::Ssp245
        .emissions()
        .unwrap()
        .slice_years(1765, 2100)
        .unwrap();
    for set in [ParamSet::Calibrated, ParamSet::ThreeLayer] {
        let base = set.params();
        let det = attache_climate::run(&e, &base)
            .unwrap()
            .rebased(1850..=1900)
            .unwrap()
            .mean_temperature(2081..=2100)
            .unwrap();
        let ens = run_ensemble(
            &e,
            &sample(&base, &Spread::default(), 200, 1),
            (1850, 1900),
            2,
        )
        .unwrap();
        let q = ens.period_mean_quantiles(2081, 2100, &LEVELS);
        eprintln!("{}: deterministic {det:.3}, quantiles {q:?}", set.id());
        assert!(
            (q[2] - det).abs() < 0.15,
            "{}: median {} vs {det}",
            set.id(),
            q[2]
        );
        assert!(q[0] < det && det < q[4]);
    }
}

#[test]
fn members_share_one_preparation_and_run_as_alone() {
    // Every sampled member of both temperature models fits the preparation of the first,
    // and a run from it is the member's own run to the bit; a member that changes what
    // the preparation holds does not fit.
    let e = Scenario::Ssp245.emissions().unwrap();
    for set in [ParamSet::Fair16, ParamSet::ThreeLayer] {
        let members = sample(&set.params(), &Spread::default(), 6, 3);
        let shared = Prepared::new(&e, &members[0]);
        for p in &members {
            assert!(shared.fits(p), "{set:?}");
            let alone = run(&e, p).unwrap();
            assert_eq!(shared.run(p).unwrap(), alone);
            let (t, c) = shared.temperature_and_co2(p).unwrap();
            assert_eq!(t, alone.temperature);
            assert_eq!(c, alone.concentration_co2_ppm);
        }
        let mut other = members[1].clone();
        other.lifetimes[1] *= 1.1;
        assert!(!shared.fits(&other));
        other = members[1].clone();
        other.natural_emissions = false;
        assert!(!shared.fits(&other));
    }
    // An ensemble with such a member runs it on its own.
    let mut members = sample(&ParamSet::ThreeLayer.params(), &Spread::default(), 3, 3);
    members[2].lifetimes[1] *= 1.1;
    let ens = run_ensemble(&e, &members, (1850, 1900), 2).unwrap();
    let alone = run(&e, &members[2]).unwrap().rebased(1850..=1900).unwrap();
    assert_eq!(ens.temperature[2], alone.temperature);
    assert_eq!(ens.co2[2], alone.concentration_co2_ppm);
}

#[test]
fn per_year_quantiles_equal_one_sort_per_level() {
    // Members with ties, levels unsorted and repeated, ensembles of 1 to 40 members.
    let mut x: u64 = 7;
    let mut next = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((x >> 33) % 50) as f64 / 7.0 - 3.0
    };
    let levels = [0.95, 0.0, 0.5, 0.5, 1.0, 0.17, 0.999, 0.05, 0.83];
    for members in [1usize, 2, 3, 10, 40] {
        let years: Vec<f64> = (0..9).map(|y| 2000.0 + f64::from(y)).collect();
        let temperature: Vec<Vec<f64>> = (0..members)
            .map(|_| years.iter().map(|_| next()).collect())
            .collect();
        let ens = Ensemble {
            years: years.clone(),
            co2: temperature.clone(),
            temperature,
        };
        let got = ens.temperature_quantiles(&levels);
        assert_eq!(got.len(), years.len());
        for (t, row) in got.iter().enumerate() {
            let mut col: Vec<f64> = ens.temperature.iter().map(|s| s[t]).collect();
            let want: Vec<f64> = levels.iter().map(|q| quantile(&mut col, *q)).collect();
            assert_eq!(row, &want, "{members} members, year {t}");
        }
    }
}
