//! API-level tests on a synthetic panel: determinism, non-negative draws, shape, leakage
//! guard, summaries, attribution and novelty.

use attache_core::MonthId;
use attache_forecast::gbt::{GbtModel, GbtParams, Predict};
use attache_forecast::{
    ForecastError, Forecaster, GbtForecaster, NOVELTY_LABEL, Panel, benchmarks, describe_drivers,
    prob_any_month_at_least, summary,
};

const NAMES: [&str; 4] = [
    "ged_sb_tlag_1",
    "wdi_sp_pop_totl",
    "vdem_v2x_libdem",
    "decay_ged_sb_5",
];

/// Months `first..=last` as the forecasters take them.
fn months(first: i32, last: i32) -> std::ops::RangeInclusive<MonthId> {
    MonthId(first)..=MonthId(last)
}

/// Deterministic pseudo-random conflict panel: 40 countries, months 1..=last.
fn synthetic(as_of: i32, last: i32) -> (Panel, Vec<Result<(), ForecastError>>) {
    // The four columns with values, then every other column the model expects, all missing.
    let mut names: Vec<String> = NAMES.iter().map(|s| s.to_string()).collect();
    for c in attache_forecast::features::expected_columns() {
        if !names.iter().any(|n| n == c) {
            names.push(c.to_string());
        }
    }
    let extra = names.len() - NAMES.len();
    let mut p = Panel::new(MonthId(as_of), names);
    let mut results = Vec::new();
    // A pseudo-random uniform that depends only on (country, month, salt).
    let u = |c: u16, m: i32, salt: u64| {
        let mut s = (u64::from(c) << 40) ^ ((m as u64) << 8) ^ salt ^ 0x9E37_79B9_7F4A_7C15;
        for _ in 0..3 {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            s ^= s >> 29;
        }
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    for c in 1..=40u16 {
        let level = if c % 4 == 0 {
            200.0
        } else if c % 4 == 1 {
            5.0
        } else {
            0.0
        };
        let mut prev = 0.0;
        for m in 1..=last {
            let y = if level > 0.0 {
                (level * (0.2 + 1.6 * u(c, m, 1))).round()
            } else if u(c, m, 2) < 0.03 {
                3.0
            } else {
                0.0
            };
            let mut f = vec![
                prev,
                1e6 * f64::from(c),
                0.1 + 0.02 * f64::from(c % 10),
                if prev >= 5.0 { 1.0 } else { 0.1 },
            ];
            f.extend(std::iter::repeat_n(f64::NAN, extra));
            results.push(p.push(
                c,
                &format!("C{c:02}"),
                MonthId(m),
                [Some(y), Some(0.0), Some(0.0)],
                &f,
            ));
            prev = y;
        }
    }
    (p, results)
}

#[test]
fn determinism_shape_and_non_negative() {
    let (panel, _) = synthetic(24, 24);
    let f = GbtForecaster::default();
    let a = f.forecast(&panel, months(27, 38), 200, 7).unwrap();
    let b = f.forecast(&panel, months(27, 38), 200, 7).unwrap();
    let c = f.forecast(&panel, months(27, 38), 200, 8).unwrap();
    assert_eq!(a.len(), 40 * 12);
    assert!(
        a.iter()
            .all(|r| r.draws.len() == 200 && r.draws.iter().all(|d| d.is_finite() && *d >= 0.0))
    );
    let bits = |rows: &[attache_forecast::ForecastRow]| -> Vec<u64> {
        rows.iter()
            .flat_map(|r| r.draws.iter().map(|d| d.to_bits()))
            .collect()
    };
    assert_eq!(
        bits(&a),
        bits(&b),
        "same seed must give byte-identical draws"
    );
    assert_ne!(
        bits(&a),
        bits(&c),
        "different seeds must give different draws"
    );
    // Rows ordered by country, then month.
    assert_eq!((a[0].views_id, a[0].month_id), (1, MonthId(27)));
    assert_eq!((a[12].views_id, a[12].month_id), (2, MonthId(27)));
}

#[test]
fn rows_after_as_of_are_refused_and_never_used() {
    let (truncated, ok) = synthetic(20, 20);
    assert!(ok.iter().all(Result::is_ok));
    let (polluted, results) = synthetic(20, 24);
    // Every push of months 21..=24 was refused with an error.
    let refused = results
        .iter()
        .filter(|r| matches!(r, Err(ForecastError::AfterAsOf { .. })))
        .count();
    assert_eq!(refused, 40 * 4);
    // (Compared as text: the all-missing columns hold NaN, which is never == itself.)
    assert_eq!(format!("{truncated:?}"), format!("{polluted:?}"));
    let f = GbtForecaster::default();
    let a = f.forecast(&truncated, months(23, 34), 100, 3).unwrap();
    let b = f.forecast(&polluted, months(23, 34), 100, 3).unwrap();
    assert_eq!(a, b);
    // Forecasting months inside the panel is refused.
    assert!(matches!(
        f.forecast(&truncated, months(20, 31), 100, 3),
        Err(ForecastError::BadMonths { .. })
    ));
}

#[test]
fn benchmarks_shape() {
    let (panel, _) = synthetic(24, 24);
    for b in benchmarks::all() {
        let rows = b.forecast(&panel, months(27, 38), 50, 1).unwrap();
        assert_eq!(rows.len(), 40 * 12, "{}", b.name());
        assert!(
            rows.iter()
                .all(|r| r.draws.len() == 50 && r.draws.iter().all(|d| *d >= 0.0))
        );
    }
    // Conflictology: draw i = last12[i % 12].
    let rows = benchmarks::Conflictology
        .forecast(&panel, months(27, 27), 24, 0)
        .unwrap();
    let hist: Vec<f64> = panel.ged_sb_history(1).into_iter().map(|x| x.1).collect();
    assert_eq!(rows[0].draws[0], hist[12]);
    assert_eq!(rows[0].draws[13], hist[13]);
}

#[test]
fn summaries_attribution_novelty() {
    let (panel, _) = synthetic(24, 24);
    let fitted = GbtModel::new(GbtParams::default()).fit(&panel).unwrap();
    let rows = fitted.predict(&panel, months(27, 38), 500, 1).unwrap();
    let s = summary(&rows[3 * 12]); // country 4: high level
    assert!(s.q05 <= s.q25 && s.q25 <= s.median && s.median <= s.q75 && s.q75 <= s.q95);
    let c4: Vec<_> = rows.iter().filter(|r| r.views_id == 4).collect();
    let any = prob_any_month_at_least(&c4, 25.0);
    assert!(any >= s.p_ge_25 && any <= 1.0);
    let drivers = fitted.drivers(&panel, 6, 3).unwrap();
    assert_eq!(drivers.len(), 40);
    let (_, d4) = &drivers[3];
    assert!(!d4.is_empty() && d4.len() <= 3);
    let words = describe_drivers(d4);
    assert!(
        (words[0].contains("raises the risk") || words[0].contains("lowers the risk"))
            && words[0].contains("in comparable cases (median "),
        "{words:?}"
    );
    let nov = fitted.novelty(&panel);
    assert_eq!(nov.len(), 40);
    assert!(
        nov.iter()
            .all(|n| n.percentile >= 0.0 && n.percentile <= 100.0)
    );
    assert!(
        nov.iter()
            .all(|n| n.flagged == (n.label == Some(NOVELTY_LABEL)))
    );
}

#[test]
fn a_missing_feature_column_is_an_error_naming_it() {
    let mut p = Panel::new(MonthId(12), NAMES.iter().map(|s| s.to_string()).collect());
    for c in 1..=5u16 {
        for m in 1..=12 {
            p.push(c, "C", MonthId(m), [Some(0.0); 3], &[0.0; 4])
                .unwrap();
        }
    }
    match GbtModel::default().fit(&p) {
        Err(ForecastError::MissingColumns(cols)) => {
            assert!(cols.iter().any(|c| c == "ged_sb_tlag_2"), "{cols:?}");
            assert!(!cols.iter().any(|c| c == "ged_sb_tlag_1"), "{cols:?}");
            let msg = ForecastError::MissingColumns(cols).to_string();
            assert!(msg.contains("wdi_ny_gdp_pcap_kd"), "{msg}");
        }
        other => panic!("expected MissingColumns, got {other:?}"),
    }
}

#[test]
fn no_country_month_gets_a_zero_probability() {
    // Quiet countries (a third of the synthetic panel never exceeds 3 deaths) included.
    let (panel, _) = synthetic(24, 24);
    let rows = GbtForecaster::default()
        .forecast(&panel, months(27, 38), 200, 11)
        .unwrap();
    for r in &rows {
        let s = summary(r);
        assert!(
            s.p_ge_25 > 0.0,
            "country {} month {}",
            r.views_id,
            r.month_id
        );
        assert!(r.draws.iter().any(|d| *d >= 1.0));
    }
}
