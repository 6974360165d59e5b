//! Loading the ViEWS challenge mirror (CSV) into panels, and scoring, for the tests and the
//! backtest example. A missing mirror panics: it is a failure, not a skip.
#![allow(dead_code)]

use std::collections::BTreeMap;

use attache_core::MonthId;
use attache_forecast::{ForecastRow, Panel};

pub const VIEWS_CSV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/views/csv"
);

/// (window year, as_of, features files public at as_of, actuals file of the window).
pub const WINDOWS: [(i32, i32, &[&str], &str); 2] = [
    (
        2019,
        466,
        &["cm_features_to_oct2018.csv"],
        "cm_actuals_2019.csv",
    ),
    (
        2020,
        478,
        &["cm_features_to_oct2018.csv", "cm_features_to_oct2019.csv"],
        "cm_actuals_2020.csv",
    ),
];

pub const WINDOW_2021: (i32, i32, &[&str]) = (
    2021,
    490,
    &[
        "cm_features_to_oct2018.csv",
        "cm_features_to_oct2019.csv",
        "cm_features_to_oct2020.csv",
    ],
);

const SKIP: [&str; 5] = ["month_id", "country_id", "ged_sb", "ged_ns", "ged_os"];

fn read(path: &str) -> (Vec<String>, Vec<Vec<f64>>) {
    // $ATTACHE_MIRROR (the data mirror) wins over the default location beside the checkout.
    let dir = std::env::var("ATTACHE_MIRROR")
        .map(|m| format!("{m}/views/csv"))
        .unwrap_or_else(|_| VIEWS_CSV.to_string());
    let full = format!("{dir}/{path}");
    let mut rdr = csv::Reader::from_path(&full)
        .unwrap_or_else(|e| panic!("ViEWS mirror missing: {full}: {e}"));
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let rows = rdr
        .records()
        .map(|r| {
            r.unwrap()
                .iter()
                .map(|v| v.trim().parse::<f64>().unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    (header, rows)
}

/// (ged, features) of one country-month.
type Row = ([Option<f64>; 3], Vec<f64>);

/// A panel with `as_of`, from the given features files (the latest file wins for a month).
pub fn panel(as_of: i32, files: &[&str]) -> Panel {
    let mut per: BTreeMap<(u16, i32), Row> = BTreeMap::new();
    let mut names: Option<Vec<String>> = None;
    for f in files {
        let (h, rows) = read(f);
        let col = |n: &str| h.iter().position(|x| x == n).unwrap();
        let (im, ic, isb, ins, ios) = (
            col("month_id"),
            col("country_id"),
            col("ged_sb"),
            col("ged_ns"),
            col("ged_os"),
        );
        let keep: Vec<usize> = (0..h.len())
            .filter(|&i| !SKIP.contains(&h[i].as_str()))
            .collect();
        let these: Vec<String> = keep.iter().map(|&i| h[i].clone()).collect();
        match &names {
            None => names = Some(these),
            Some(n) => assert_eq!(n, &these, "feature columns differ between files"),
        }
        for r in rows {
            let m = r[im] as i32;
            if m > as_of {
                continue;
            }
            let g = |i: usize| {
                if r[i].is_finite() {
                    Some(r[i].round())
                } else {
                    None
                }
            };
            per.insert(
                (r[ic] as u16, m),
                (
                    [g(isb), g(ins), g(ios)],
                    keep.iter().map(|&i| r[i]).collect(),
                ),
            );
        }
    }
    let mut p = Panel::new(MonthId(as_of), names.unwrap());
    for ((id, m), (ged, f)) in per {
        p.push(id, &format!("C{id:03}"), MonthId(m), ged, &f)
            .unwrap();
    }
    p
}

/// Actuals (country, month) → ged_sb, rounded.
pub fn actuals(file: &str) -> BTreeMap<(u16, i32), f64> {
    let (h, rows) = read(file);
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (im, ic, iv) = (col("month_id"), col("country_id"), col("ged_sb"));
    rows.iter()
        .map(|r| ((r[ic] as u16, r[im] as i32), r[iv].round()))
        .collect()
}

/// Mean CRPS, IGN, MIS of `rows` over the actuals (every actual must have a row).
pub fn score(rows: &[ForecastRow], act: &BTreeMap<(u16, i32), f64>) -> [f64; 3] {
    let by: BTreeMap<(u16, i32), &ForecastRow> = rows
        .iter()
        .map(|r| ((r.views_id, r.month_id.0), r))
        .collect();
    let mut s = [0.0; 3];
    for (k, &y) in act {
        let r = by.get(k).unwrap_or_else(|| panic!("no forecast for {k:?}"));
        s[0] += attache_scoring::crps_ensemble(&r.draws, y);
        s[1] += attache_scoring::ignorance(&r.draws, y, &attache_scoring::VIEWS_IGN_EDGES);
        s[2] += attache_scoring::interval_score(&r.draws, y, 0.1);
    }
    let n = act.len() as f64;
    s.map(|v| v / n)
}
