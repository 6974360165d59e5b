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
/// `calibrated` 1.98–2.81, `calibrated-hist` 2.17–3.35, `three-layer` 1.96–2.76: the low
/// ends are within 0.15 K of AR6's; the high ends are 0.15 K (`calibrated-hist`) and
/// 0.69–0.74 K (the two sets that run warm over 2011–2020, so the constraint keeps their
/// less sensitive members) below it; asserted below as measured. It also prints what the
/// method document quotes beside the table: the accepted TCR, ECS and aerosol scale, looser
/// observation sds, and the constraint with NOAA's CO2 added.
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
                (1.01, 1.09, 1.38, 1.51),
                (1.27, 1.38, 1.73, 1.89),
                (1.98, 2.12, 2.61, 2.81),
                (2.70, 2.91, 3.50, 3.76),
                (3.19, 3.44, 4.22, 4.58),
            ],
            (0.977, 1.093, 1.217),
        ),
        (
            ParamSet::CalibratedHist,
            [
                (1.12, 1.23, 1.63, 1.81),
                (1.41, 1.54, 2.07, 2.28),
                (2.17, 2.35, 3.06, 3.35),
                (2.97, 3.19, 4.03, 4.39),
                (3.51, 3.82, 4.98, 5.51),
            ],
            (0.965, 1.088, 1.209),
        ),
        (
            ParamSet::ThreeLayer,
            [
                (0.97, 1.04, 1.29, 1.39),
                (1.23, 1.33, 1.65, 1.78),
                (1.96, 2.09, 2.54, 2.76),
                (2.75, 2.89, 3.46, 3.74),
                (3.26, 3.46, 4.22, 4.55),
            ],
            (0.982, 1.106, 1.228),
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
                // 0.1-0.2 K for `calibrated-hist`, by more than 0.6 K for the others
                // (measured 0.15, 0.69 and 0.74 K).
                assert!((q[0] - lo).abs() < 0.3, "{}: {q:?}", set.id());
                let miss = if set == ParamSet::CalibratedHist {
                    0.1..0.2
                } else {
                    0.6..1.0
                };
                assert!(miss.contains(&(hi - q[4])), "{}: {q:?}", set.id());
                let pct = |v: Vec<f64>| {
                    let q = quantiles(&v);
                    format!("{:.2} [{:.2}, {:.2}]", q[2], q[0], q[4])
                };
                let prior = sample(&base, &Spread::default(), 1000, 1);
                let two_box = set != ParamSet::ThreeLayer;
                eprintln!(
                    "{} SSP2-4.5 accepted: aerosol scale {} (prior {}){}",
                    set.id(),
                    pct(sel.members.iter().map(|p| p.scale[8]).collect()),
                    pct(prior.iter().map(|p| p.scale[8]).collect()),
                    if two_box {
                        format!(
                            ", TCR {}, ECS {}",
                            pct(sel.members.iter().map(|p| p.thermal.tcr).collect()),
                            pct(sel.members.iter().map(|p| p.thermal.ecs).collect())
                        )
                    } else {
                        String::new()
                    }
                );
                for sd in [0.12, 0.2] {
                    let mut loose = Constraint::observed_warming();
                    loose.observed[0].sd = sd;
                    let le = loose
                        .run_ensemble(&e, &base, &Spread::default(), 1000, 1, threads)
                        .unwrap();
                    let q = le.ensemble.period_mean_quantiles(2081, 2100, &LEVELS);
                    eprintln!(
                        "{} SSP2-4.5 with sd {sd} K: {:.2}-{:.2}",
                        set.id(),
                        q[0],
                        q[4]
                    );
                }
                let co2 = Constraint::observed_warming_and_co2()
                    .run_ensemble(&e, &base, &Spread::default(), 1000, 1, threads)
                    .unwrap();
                let q = co2.ensemble.period_mean_quantiles(2081, 2100, &LEVELS);
                let s = &co2.selection;
                let co2_2014 = |v: Vec<f64>| {
                    let a = quantiles(&v);
                    format!("{:.1} [{:.1}, {:.1}]", a[2], a[0], a[4])
                };
                eprintln!(
                    "{} SSP2-4.5 observed-co2: {:.2}-{:.2} K, CO2 2014 {} -> {}, acceptance {:.1}%",
                    set.id(),
                    q[0],
                    q[4],
                    co2_2014(s.prior_values(1)),
                    co2_2014(s.accepted_values(1)),
                    100.0 * s.acceptance_rate()
                );
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
