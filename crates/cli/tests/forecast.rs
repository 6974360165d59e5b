//! Conflict forecasts end to end on the mirror: the leakage test (a window's forecast is
//! byte-identical when everything published after its cut-off is removed from the mirror), and
//! the submission format.

mod common;

use std::path::Path;

use common::*;

/// Copies into `dst` the part of the mirror that was public at month `cutoff` (1 = Jan 1980):
/// ViEWS files by their publication month, UCDP BRD and ACD rows by year (public in June of the
/// next year), Polity5 rows by year (public in December of the next year).
fn truncated_mirror(dst: &Path, cutoff: i32) {
    let m = mirror();
    std::fs::create_dir_all(dst.join("views")).unwrap();
    std::fs::create_dir_all(dst.join("ucdp")).unwrap();
    for y in 2015..=2025 {
        // features_to_octY: public in October Y; actuals_Y: in June Y+1.
        let feat_pub = (y - 1980) * 12 + 10;
        let act_pub = (y + 1 - 1980) * 12 + 6;
        for (name, public) in [
            (format!("cm_features_to_oct{y}.parquet"), feat_pub),
            (format!("cm_actuals_{y}.parquet"), act_pub),
        ] {
            let src = m.join("views").join(&name);
            if src.exists() && public <= cutoff {
                std::fs::copy(&src, dst.join("views").join(&name)).unwrap();
            }
        }
    }
    let brd = std::fs::read_to_string(m.join("ucdp/BattleDeaths_v24_1.csv")).unwrap();
    let mut out = String::new();
    for (i, line) in brd.lines().enumerate() {
        let year: i32 = if i == 0 {
            0
        } else {
            line.split("\",\"").nth(11).unwrap().parse().unwrap()
        };
        if i == 0 || (year + 1 - 1980) * 12 + 6 <= cutoff {
            out.push_str(line);
            out.push('\n');
        }
    }
    std::fs::write(dst.join("ucdp/BattleDeaths_v24_1.csv"), out).unwrap();
    // ACD: one quoted field holds a newline, so read it as CSV, not by lines.
    let mut r = csv::Reader::from_path(m.join("ucdp/UcdpPrioConflict_v25_1.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    let yi = headers.iter().position(|h| h == "year").unwrap();
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .from_path(dst.join("ucdp/UcdpPrioConflict_v25_1.csv"))
        .unwrap();
    w.write_record(&headers).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        let year: i32 = rec[yi].parse().unwrap();
        if (year + 1 - 1980) * 12 + 6 <= cutoff {
            w.write_record(&rec).unwrap();
        }
    }
    w.flush().unwrap();
    // Polity5: year Y public in December of Y+1.
    std::fs::create_dir_all(dst.join("polity5")).unwrap();
    let polity = std::fs::read_to_string(m.join("polity5/p5v2018.csv")).unwrap();
    let mut out = String::new();
    for (i, line) in polity.lines().enumerate() {
        let year: i32 = if i == 0 {
            0
        } else {
            line.split(',').nth(5).unwrap().parse().unwrap()
        };
        if i == 0 || (year + 1 - 1980) * 12 + 12 <= cutoff {
            out.push_str(line);
            out.push('\n');
        }
    }
    std::fs::write(dst.join("polity5/p5v2018.csv"), out).unwrap();
}

/// `accept`: files the sync is told to accept although they are not whole (the truncated mirror's
/// UCDP releases fall below their declared row floors, on purpose).
fn backtest_bytes(mirror_dir: &Path, window: &str, accept: &[&str]) -> Vec<u8> {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let d = data.path().to_str().unwrap();
    let mut args = vec![
        "sync",
        "--mirror",
        mirror_dir.to_str().unwrap(),
        "--only",
        "views-cm,ucdp-brd,ucdp-acd,polity5",
        "--data-dir",
        d,
    ];
    for a in accept {
        args.extend(["--accept", a]);
    }
    let o = attache(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = attache(&[
        "forecast",
        "backtest",
        "--window",
        window,
        "--out",
        out.path().to_str().unwrap(),
        "--no-benchmarks",
        "--draws",
        "200",
        "--data-dir",
        d,
    ]);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    std::fs::read(
        out.path()
            .join(format!("cm/window={window}/forecasts.parquet")),
    )
    .unwrap()
}

#[test]
fn leakage_removing_later_data_changes_nothing() {
    for (window, cutoff) in [("Y2019", 466), ("Y2020", 478)] {
        let trunc = tempfile::tempdir().unwrap();
        truncated_mirror(trunc.path(), cutoff);
        let full = backtest_bytes(&mirror(), window, &[]);
        let cut = backtest_bytes(
            trunc.path(),
            window,
            &[
                "ucdp/UcdpPrioConflict_v25_1.csv",
                "ucdp/BattleDeaths_v24_1.csv",
                "polity5/p5v2018.csv",
            ],
        );
        assert!(
            full == cut,
            "{window}: forecast changed when data published after month {cutoff} was removed"
        );
    }
}

#[test]
fn submission_format() {
    let out = tempfile::tempdir().unwrap();
    let o = attache(&[
        "forecast",
        "backtest",
        "--window",
        "Y2021",
        "--out",
        out.path().to_str().unwrap(),
        "--draws",
        "50",
        "--data-dir",
        synced().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    let f = out.path().join("cm/window=Y2021/forecasts.parquet");
    let q = format!(
        "select count(*) as n, count(distinct country_id) as countries, min(month_id) as first, max(month_id) as last, \
         min(draw) as d0, max(draw) as d1, min(outcome) >= 0 as nonneg from '{}'",
        f.display()
    );
    assert_eq!(
        sql(synced(), &q),
        "n,countries,first,last,d0,d1,nonneg\n114600,191,493,504,0,49,true\n"
    );
    for b in [
        "zero",
        "last_historical_poisson",
        "global_bootstrap",
        "conflictology",
    ] {
        assert!(
            out.path()
                .join(format!("benchmarks/{b}/cm/window=Y2021/forecasts.parquet"))
                .exists(),
            "{b}"
        );
    }
}

#[test]
fn run_show_and_evaluate() {
    let d = synced().to_str().unwrap();
    let o = attache(&[
        "forecast",
        "run",
        "--as-of",
        "2019-10",
        "--draws",
        "200",
        "--data-dir",
        d,
    ]);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    let o = attache(&[
        "forecast",
        "show",
        "Ukraine",
        "--as-of",
        "2019-10",
        "--data-dir",
        d,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("UKR Ukraine"), "{out}");
    assert!(
        out.contains("the system advises, a person decides"),
        "{out}"
    );
    assert!(
        out.contains("P(>= 25 deaths in any month of the next 12)"),
        "{out}"
    );
    assert!(out.contains("drivers:\n  - "), "{out}");
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("2019-") || l.starts_with("2020-") || l.starts_with("2021-"))
            .count(),
        14,
        "{out}"
    );
    let o = attache(&["forecast", "show", "Atlantis", "--data-dir", d]);
    assert_eq!(o.status.code(), Some(1));

    // The stored summaries are queryable and agree with the draws' definition of the median.
    let dir = synced().join("forecasts/2019-10/months.parquet");
    let q = format!(
        "select count(*) as n, sum(case when q05 <= median and median <= q95 then 1 else 0 end) as ordered from '{}'",
        dir.display()
    );
    assert_eq!(sql(synced(), &q), "n,ordered\n2674,2674\n");

    // Evaluate a backtest against the published actuals: our model and every benchmark.
    let bt = tempfile::tempdir().unwrap();
    let o = attache(&[
        "forecast",
        "backtest",
        "--window",
        "Y2019",
        "--out",
        bt.path().to_str().unwrap(),
        "--data-dir",
        d,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let actuals = mirror().join("views/cm_actuals_2019.parquet");
    let o = attache(&[
        "forecast",
        "evaluate",
        "--window",
        "Y2019",
        "--actuals",
        actuals.to_str().unwrap(),
        "--submission",
        bt.path().to_str().unwrap(),
        "--format",
        "json",
        "--data-dir",
        d,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let models: Vec<&str> = v["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["model"].as_str().unwrap())
        .collect();
    assert_eq!(
        models,
        [
            "attache",
            "conflictology",
            "global_bootstrap",
            "last_historical_poisson",
            "zero"
        ]
    );
    // Conflictology's published Y2019 scores (ViEWS challenge): CRPS 9.23, IGN 0.68.
    let c = &v["scores"][1];
    assert!((c["crps"].as_f64().unwrap() - 9.23).abs() < 0.05, "{c}");
    assert!((c["ign"].as_f64().unwrap() - 0.68).abs() < 0.01, "{c}");
    // Early-warning skill: the window's onset rows (countries quiet in the 12 months to 2018-10)
    // and, for every model, AUC and ECE of P(>= 25). The conflictology benchmark copies a quiet
    // year, so it cannot rank onsets (AUC 0.5); ours must.
    assert_eq!(v["onset_rows"], 2016, "{v}");
    assert_eq!(v["onset_events"], 17, "{v}");
    assert_eq!(c["onset_auc"].as_f64().unwrap(), 0.5, "{c}");
    let ours = &v["scores"][0];
    assert!(ours["onset_auc"].as_f64().unwrap() > 0.8, "{ours}");
    assert!(ours["ece"].as_f64().unwrap() < 0.05, "{ours}");
    assert_eq!(ours["reliability"].as_array().unwrap().len(), 10);
}

/// A quiet country with conflict next door gets a non-zero onset risk and its drivers:
/// Burkina Faso (no month with 25+ deaths in the 12 to 2018-10; Mali at war next door).
#[test]
fn quiet_country_shows_onset_risk() {
    let d = synced().to_str().unwrap();
    let o = attache(&[
        "forecast",
        "run",
        "--as-of",
        "2018-10",
        "--draws",
        "200",
        "--data-dir",
        d,
    ]);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    let o = attache(&[
        "forecast",
        "show",
        "Burkina Faso",
        "--as-of",
        "2018-10",
        "--data-dir",
        d,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("quiet: no month with 25+ deaths"), "{out}");
    let line = out
        .lines()
        .find(|l| l.starts_with("P(>= 25 deaths in any month of the next 12)"))
        .unwrap();
    assert!(!line.ends_with(" 0%"), "{out}");
    assert!(out.contains("risk of 25+ deaths"), "{out}");
    // Every stored country-month has a non-zero P(>= 25).
    let q = format!(
        "select count(*) as n, sum(case when p_ge_25 > 0 then 1 else 0 end) as positive from '{}'",
        synced().join("forecasts/2018-10/months.parquet").display()
    );
    assert_eq!(sql(synced(), &q), "n,positive\n2674,2674\n");
    // The watch list: quiet countries only, highest onset risk first.
    let w: serde_json::Value = serde_json::from_slice(
        &std::fs::read(synced().join("forecasts/2018-10/countries.json")).unwrap(),
    )
    .unwrap();
    let bfa = w["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["iso3"] == "BFA")
        .unwrap();
    assert!(bfa["worst_recent_month"].as_f64().unwrap() < 25.0, "{bfa}");
}
