//! Ensembles constrained by observed warming (and CO2): what the constraint may read, that
//! it is seeded and thread independent, that it does what a constraint should (the
//! constrained 2011–2020 warming is narrower than the prior and centred on the
//! observation), and, in release builds (`--release -- --ignored`), the measured
//! 2081–2100 ranges of docs/CLIMATE_METHOD.md, "Ensembles".

use attache_climate::calibration::{AR6_OBSERVED_2011_2020, AR6_SPM1, ParamSet};
use attache_climate::constraint::{
    AR6_OBSERVED_2011_2020_VERY_LIKELY, Constraint, Observable, Observation, Selection,
};
use attache_climate::ensemble::{LEVELS, Spread, quantile, run_ensemble, sample};
use attache_climate::{ClimateError, Emissions, Fair16Params, Scenario};

fn ssp245() -> Emissions {
    Scenario::Ssp245
        .emissions()
        .unwrap()
        .slice_years(1765, 2100)
        .unwrap()
}

fn quantiles(v: &[f64]) -> Vec<f64> {
    let mut v = v.to_vec();
    LEVELS.iter().map(|l| quantile(&mut v, *l)).collect()
}

// Fair16Params holds a NaN lifetime placeholder, so compare members by their Debug text.
fn text(v: &[Fair16Params]) -> String {
    format!("{v:?}")
}

fn same_selection(a: &Selection, b: &Selection) -> bool {
    text(&a.members) == text(&b.members)
        && a.candidate_index == b.candidate_index
        && a.likelihood == b.likelihood
        && a.modelled == b.modelled
}

#[test]
fn likelihood_and_years_read() {
    let c = Constraint::observed_warming_and_co2();
    assert_eq!(c.last_year(), 2020);
    assert_eq!(c.likelihood(&[AR6_OBSERVED_2011_2020, 397.15]), 1.0);
    // One sd off in each: exp(-1).
    let sd = c.observed[0].sd;
    assert!((c.likelihood(&[1.09 + sd, 397.15 - 2.0]) - (-1f64).exp()).abs() < 1e-15);
    // The AR6 very likely range is +-1.645 sd around the best estimate (to 0.01 K).
    let (lo, hi) = AR6_OBSERVED_2011_2020_VERY_LIKELY;
    assert!((hi - lo - 2.0 * 1.6449 * sd).abs() < 1e-12);
    let co2_only = Constraint {
        observed: vec![Observation::noaa_co2_2014()],
        ..Constraint::observed_warming()
    };
    // The base period 1850-1900 is the last year read when it is later than every
    // observation.
    assert_eq!(co2_only.last_year(), 2014);
    let early = Constraint {
        observed: vec![Observation {
            label: "CO2 1850".into(),
            observable: Observable::Co2 { year: 1850 },
            value: 285.0,
            sd: 1.0,
        }],
        ..Constraint::observed_warming()
    };
    assert_eq!(early.last_year(), 1900);
}

/// Emissions changed from `from` on: the selection must not change when `from` is after
/// the constraint's last year, and must change when it is not (so the test can fail).
#[test]
fn constraint_reads_only_years_up_to_the_observation() {
    let base = ParamSet::Calibrated.params();
    let spread = Spread::default();
    let co2_only = Constraint {
        observed: vec![Observation::noaa_co2_2014()],
        ..Constraint::observed_warming()
    };
    let cases: [(&str, Constraint, i32, bool); 5] = [
        (
            "warming, change from 2021",
            Constraint::observed_warming(),
            2021,
            true,
        ),
        (
            "warming, change from 2050",
            Constraint::observed_warming(),
            2050,
            true,
        ),
        (
            "warming, change from 2019",
            Constraint::observed_warming(),
            2019,
            false,
        ),
        ("co2 2014, change from 2015", co2_only.clone(), 2015, true),
        ("co2 2014, change from 2014", co2_only, 2014, false),
    ];
    let e = ssp245();
    for (name, c, from, same) in cases {
        let mut changed = e.clone();
        // Triple fossil CO2, halve SO2 from `from` on.
        changed
            .map_column(1, f64::from(from), |_, v| 3.0 * v)
            .unwrap();
        changed
            .map_column(5, f64::from(from), |_, v| 0.5 * v)
            .unwrap();
        let a = c.select(&e, &base, &spread, 40, 3, 2).unwrap();
        let b = c.select(&changed, &base, &spread, 40, 3, 2).unwrap();
        assert_eq!(same_selection(&a, &b), same, "{name}");
        if same {
            // And the whole runs differ after `from` (the change did something).
            let ra = run_ensemble(&e, &a.members, (1850, 1900), 2).unwrap();
            let rb = run_ensemble(&changed, &b.members, (1850, 1900), 2).unwrap();
            assert_ne!(ra.temperature, rb.temperature, "{name}");
        }
    }
    // Emissions that stop before the last observed year are refused, not extrapolated.
    let short = e.slice_years(1765, 2015).unwrap();
    let err = Constraint::observed_warming()
        .select(&short, &base, &spread, 5, 1, 1)
        .unwrap_err();
    assert_eq!(
        err,
        ClimateError::ConstraintOutsideRun {
            year: 2020,
            first: 1765,
            last: 2015
        }
    );
}

#[test]
fn selection_is_seeded_and_thread_independent() {
    let e = ssp245();
    let spread = Spread::default();
    for set in [ParamSet::Calibrated, ParamSet::ThreeLayer] {
        let base = set.params();
        let c = Constraint::observed_warming();
        let one = c.run_ensemble(&e, &base, &spread, 30, 7, 1).unwrap();
        for threads in [2, 5] {
            let other = c.run_ensemble(&e, &base, &spread, 30, 7, threads).unwrap();
            assert!(
                same_selection(&one.selection, &other.selection),
                "{}: {threads} threads",
                set.id()
            );
            assert_eq!(one.ensemble, other.ensemble, "{}", set.id());
        }
        // Member j is the same for any n > j (the first 30 of 45).
        let more = c.select(&e, &base, &spread, 45, 7, 2).unwrap();
        assert_eq!(text(&more.members[..30]), text(&one.selection.members));
        assert_eq!(
            more.candidate_index[..30],
            one.selection.candidate_index[..]
        );
        // Members are candidates of the unconstrained stream of the same seed, unchanged.
        let sel = &one.selection;
        let prior = sample(&base, &spread, sel.candidates(), 7);
        let picked: Vec<Fair16Params> = sel
            .candidate_index
            .iter()
            .map(|i| prior[*i].clone())
            .collect();
        assert_eq!(text(&picked), text(&sel.members));
        assert_eq!(sel.candidate_index.last(), Some(&(sel.candidates() - 1)));
        // The cut run is the full run's past: the kept members' 2011-2020 warming in the
        // whole-scenario ensemble is the value the constraint saw.
        let idx: Vec<usize> = (0..one.ensemble.years.len())
            .filter(|i| (2011.0..=2020.0).contains(&one.ensemble.years[*i]))
            .collect();
        for (t, seen) in one.ensemble.temperature.iter().zip(sel.accepted_values(0)) {
            let full = idx.iter().map(|i| t[*i]).sum::<f64>() / idx.len() as f64;
            assert!(
                (full - seen).abs() < 1e-12,
                "{}: {full} vs {seen}",
                set.id()
            );
        }
        // Another seed, another ensemble.
        let seed8 = c.select(&e, &base, &spread, 30, 8, 2).unwrap();
        assert_ne!(
            text(&seed8.members),
            text(&sel.members),
            "{}: seed ignored",
            set.id()
        );
    }
    // No candidate passes an impossible observation within the budget: a typed error.
    let mut c = Constraint::observed_warming();
    c.observed[0].value = 5.0;
    c.observed[0].sd = 0.01;
    c.max_draws_per_member = 3;
    let err = c
        .select(&e, &ParamSet::Calibrated.params(), &spread, 10, 1, 2)
        .unwrap_err();
    assert_eq!(
        err,
        ClimateError::ConstraintTooTight {
            accepted: 0,
            wanted: 10,
            candidates: 30
        }
    );
}

/// Per set: the constrained 2011–2020 warming has a narrower 5–95% range than the prior
/// candidates and a median closer to 1.09 K (or as close, within 0.01 K: `calibrated-hist`
/// is fitted to 1.09 K, so its prior median is already there); the accepted members' mean
/// agrees with the likelihood-weighted mean of all candidates (rejection sampling is
/// unbiased).
#[test]
fn constrained_2011_2020_is_narrower_and_centred_on_the_observation() {
    let e = ssp245();
    for set in [
        ParamSet::Calibrated,
        ParamSet::CalibratedHist,
        ParamSet::ThreeLayer,
    ] {
        let sel = Constraint::observed_warming()
            .select(&e, &set.params(), &Spread::default(), 200, 1, 2)
            .unwrap();
        let prior = quantiles(&sel.prior_values(0));
        let post = quantiles(&sel.accepted_values(0));
        eprintln!(
            "{}: prior {prior:.3?}, constrained {post:.3?}, {} candidates, acceptance {:.3}, weighted ESS {:.0}",
            set.id(),
            sel.candidates(),
            sel.acceptance_rate(),
            sel.weighted_ess()
        );
        assert!(
            post[4] - post[0] < 0.5 * (prior[4] - prior[0]),
            "{}",
            set.id()
        );
        assert!(
            (post[2] - AR6_OBSERVED_2011_2020).abs()
                < (prior[2] - AR6_OBSERVED_2011_2020).abs().max(0.01),
            "{}",
            set.id()
        );
        assert!(
            (post[2] - AR6_OBSERVED_2011_2020).abs() < 0.05,
            "{}",
            set.id()
        );
        let (lo, hi) = AR6_OBSERVED_2011_2020_VERY_LIKELY;
        assert!(
            post[0] > lo - 0.05 && post[4] < hi + 0.05,
            "{}: {post:?}",
            set.id()
        );
        let v = sel.prior_values(0);
        let sum_l: f64 = sel.likelihood.iter().sum();
        let weighted = v
            .iter()
            .zip(&sel.likelihood)
            .map(|(x, l)| x * l)
            .sum::<f64>()
            / sum_l;
        let accepted = sel.accepted_values(0);
        let mean = accepted.iter().sum::<f64>() / accepted.len() as f64;
        assert!(
            (weighted - mean).abs() < 0.02,
            "{}: {weighted} vs {mean}",
            set.id()
        );
        assert!(sel.weighted_ess() > 200.0 && sel.weighted_ess() < sel.candidates() as f64);
    }
}

/// Measured 2081–2100 ranges (1000 members, seed 1, constraint `observed_warming`, each
/// SSP constrained on its own emissions up to 2020), pinned to 0.005 K: the table of
/// docs/CLIMATE_METHOD.md, "Ensembles". Release only:
/// `cargo test --release -p attache-climate --test constraint -- --ignored --nocapture`.
///
/// For SSP2-4.5 (AR6 very likely 2.1–3.5 K) the constrained 5–95% range is
/// `calibrated` 2.00–2.62, `calibrated-hist` 2.15–2.85, `three-layer` 1.96–2.49: the low
/// ends are within 0.15 K of AR6's, the high ends 0.65–1.01 K below it. The constraint
/// narrows too much and shifts the ranges down (the sets run 0.1–0.2 K warm over
/// 2011–2020, so it keeps their less sensitive members); asserted below as measured.
#[test]
#[ignore = "release-only: 15 x 1000-member constrained ensembles"]
fn constrained_ranges_against_ar6() {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // (set, [SSP1-1.9 .. SSP5-8.5] as (5%, 17%, 83%, 95%)), then 2011–2020 (5%, 50%, 95%).
    type Row = [(f64, f64, f64, f64); 5];
    let expect: [(ParamSet, Row, (f64, f64, f64)); 3] = [
        (
            ParamSet::Calibrated,
            [
                (1.02, 1.08, 1.32, 1.42),
                (1.29, 1.37, 1.64, 1.77),
                (2.00, 2.11, 2.47, 2.62),
                (2.74, 2.89, 3.35, 3.52),
                (3.25, 3.43, 3.98, 4.18),
            ],
            (0.974, 1.100, 1.215),
        ),
        (
            ParamSet::CalibratedHist,
            [
                (1.13, 1.22, 1.52, 1.66),
                (1.41, 1.51, 1.86, 1.99),
                (2.15, 2.28, 2.70, 2.85),
                (2.90, 3.08, 3.57, 3.76),
                (3.44, 3.64, 4.22, 4.44),
            ],
            (0.984, 1.097, 1.211),
        ),
        (
            ParamSet::ThreeLayer,
            [
                (0.97, 1.03, 1.19, 1.25),
                (1.24, 1.31, 1.52, 1.60),
                (1.96, 2.06, 2.37, 2.49),
                (2.74, 2.87, 3.28, 3.43),
                (3.27, 3.42, 3.92, 4.12),
            ],
            (1.010, 1.114, 1.229),
        ),
    ];
    let c = Constraint::observed_warming();
    let mut table = String::new();
    for (set, rows, obs) in expect {
        let base = set.params();
        for ((s, best, lo, hi), want) in AR6_SPM1.iter().zip(rows) {
            let e = s.emissions().unwrap().slice_years(1765, 2100).unwrap();
            let t0 = std::time::Instant::now();
            let ce = c
                .run_ensemble(&e, &base, &Spread::default(), 1000, 1, threads)
                .unwrap();
            let t_constrained = t0.elapsed();
            let t0 = std::time::Instant::now();
            let members = sample(&base, &Spread::default(), 1000, 1);
            let un = run_ensemble(&e, &members, (1850, 1900), threads).unwrap();
            let t_plain = t0.elapsed();
            let q = ce.ensemble.period_mean_quantiles(2081, 2100, &LEVELS);
            let u = un.period_mean_quantiles(2081, 2100, &LEVELS);
            let sel = &ce.selection;
            let w = quantiles(&sel.accepted_values(0));
            let pw = quantiles(&sel.prior_values(0));
            table.push_str(&format!(
                "| {} | {} | {best} ({lo}–{hi}) | {:.2}–{:.2} ({:.2}–{:.2}) | {:.2}–{:.2} ({:.2}–{:.2}) | {:.2} | {:.3} [{:.3}, {:.3}] | {:.3} [{:.3}, {:.3}] | {} | {:.1}% | {:.0} | {:.2} s vs {:.2} s |\n",
                set.id(), s.label(), q[0], q[4], q[1], q[3], u[0], u[4], u[1], u[3], q[2],
                w[2], w[0], w[4], pw[2], pw[0], pw[4], sel.candidates(), 100.0 * sel.acceptance_rate(),
                sel.weighted_ess(), t_constrained.as_secs_f64(), t_plain.as_secs_f64()
            ));
            let got = (q[0], q[1], q[3], q[4]);
            for (g, w) in [
                (got.0, want.0),
                (got.1, want.1),
                (got.2, want.2),
                (got.3, want.3),
            ] {
                assert!(
                    (g - w).abs() <= 0.005,
                    "{} {}: {got:?} vs {want:?}",
                    set.id(),
                    s.label()
                );
            }
            if *s == Scenario::Ssp245 {
                // The low end is within 0.3 K of AR6's 2.1; the high end misses 3.5 by
                // more than 0.6 K (measured 0.65–1.01 K).
                assert!((q[0] - lo).abs() < 0.3, "{}: {q:?}", set.id());
                assert!(hi - q[4] > 0.6, "{}: {q:?}", set.id());
                let (o5, o50, o95) = obs;
                for (g, w) in [(w[0], o5), (w[2], o50), (w[4], o95)] {
                    assert!((g - w).abs() <= 0.005, "{} 2011-2020: {w:?}", set.id());
                }
            }
        }
    }
    eprintln!(
        "| set | scenario | AR6 | constrained 5–95 (17–83) | unconstrained 5–95 (17–83) | median | 2011–2020 median [5, 95] | prior 2011–2020 | candidates | acceptance | weighted ESS | time constrained vs not |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n{table}"
    );
}
