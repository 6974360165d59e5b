//! Golden tests: the SDR 2023 overall score from its goal scores
//! (`sdg/sustainable_development_report_2023.csv`), and what the 2000-2022 series
//! (`sdg/sdg_index_2000-2022.csv`) does with missing goals.

use attache_indices::sdg::{
    Arrow, GOALS, Goals, TrendRule, impute_regional, index_of_complete, mean_of_present, rank,
    regional_means, trend, zeros_as_missing,
};

struct Row {
    iso3: String,
    region: String,
    year: i32,
    published: f64,
    goals: Goals,
}

fn read(file: &str, index_column: &str, region_column: Option<&str>) -> Vec<Row> {
    let path = attache_testdata::mirror().join("sdg").join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // Both files start with a UTF-8 byte-order mark.
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut r = csv::Reader::from_reader(text);
    let h = r.headers().unwrap().clone();
    let col = |name: &str| {
        h.iter()
            .position(|x| x == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let (iso, idx) = (col("country_code"), col(index_column));
    let region = region_column.map(col);
    let year = h.iter().position(|x| x == "year");
    let goal_cols: Vec<usize> = (1..=GOALS)
        .map(|g| col(&format!("goal_{g}_score")))
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let mut goals = [None; GOALS];
            for (g, &c) in goal_cols.iter().enumerate() {
                let t = rec[c].trim();
                goals[g] = (!t.is_empty()).then(|| t.parse::<f64>().unwrap());
            }
            Row {
                iso3: rec[iso].to_string(),
                region: region.map(|c| rec[c].to_string()).unwrap_or_default(),
                year: year.map(|c| rec[c].parse().unwrap()).unwrap_or(2023),
                published: rec[idx].parse().unwrap(),
                goals,
            }
        })
        .collect()
}

#[test]
fn sdr_2023_index_is_the_mean_of_goals_and_regional_fill_ins() {
    let rows = read(
        "sustainable_development_report_2023.csv",
        "overall_score",
        Some("region"),
    );
    assert_eq!(rows.len(), 166);
    // Countries with all 17 goals: the index is their mean.
    let complete: Vec<&Row> = rows
        .iter()
        .filter(|r| index_of_complete(&r.goals).is_some())
        .collect();
    let exact = complete
        .iter()
        .filter(|r| (index_of_complete(&r.goals).unwrap() - r.published).abs() < 1e-6)
        .count();
    assert_eq!((complete.len(), exact), (107, 107));

    // The others: each missing goal filled with its region's mean.
    let means = regional_means(rows.iter().map(|r| (r.region.as_str(), &r.goals)));
    let mut exact = 0;
    let mut imputed_goals = 0;
    for r in &rows {
        let out = impute_regional(&r.goals, &means[&r.region]).unwrap();
        imputed_goals += out.imputed.len();
        if (out.index - r.published).abs() < 1e-6 {
            exact += 1;
        } else {
            panic!("{}: ours {} published {}", r.iso3, out.index, r.published);
        }
    }
    assert_eq!(exact, 166);
    assert!(imputed_goals > 0);

    // Ranks: Finland first.
    let scores: Vec<Option<f64>> = rows.iter().map(|r| Some(r.published)).collect();
    let ranks = rank(&scores);
    let fin = rows.iter().position(|r| r.iso3 == "FIN").unwrap();
    assert_eq!(ranks[fin], Some(1));
}

#[test]
fn series_2000_2022_writes_missing_goals_as_zero() {
    let rows = read("sdg_index_2000-2022.csv", "sdg_index_score", None);
    assert_eq!(rows.len(), 4140);
    // No empty cell: every goal is written, missing ones as 0.
    assert!(rows.iter().all(|r| r.goals.iter().all(Option::is_some)));
    // Goal 14 (life below water) is 0 in every year for 41 countries (landlocked).
    let mut always_zero = std::collections::BTreeMap::<String, bool>::new();
    for r in &rows {
        let e = always_zero.entry(r.iso3.clone()).or_insert(true);
        *e &= r.goals[13] == Some(0.0);
    }
    assert_eq!(always_zero.values().filter(|z| **z).count(), 41);
    // The published index agrees with the mean of the non-zero goals far more often than with
    // the mean of all 17 (goal scores are published to 0.1, so 0.1 is the tolerance).
    let within = |f: &dyn Fn(&Row) -> f64| {
        rows.iter()
            .filter(|r| (f(r) - r.published).abs() <= 0.1 + 1e-9)
            .count()
    };
    let all17 = within(&|r| mean_of_present(&r.goals).unwrap());
    let nonzero = within(&|r| mean_of_present(&zeros_as_missing(&r.goals)).unwrap());
    println!(
        "2000-2022: mean of 17 within 0.1: {all17}/4140; mean of non-zero goals: {nonzero}/4140"
    );
    assert_eq!((all17, nonzero), (2759, 3921));
}

#[test]
fn trend_arrows_on_the_series() {
    // Arrows per goal from 2015 to 2022 against 100 by 2030, zeros read as missing. The
    // expected strings were computed independently (a short script over the same file):
    // U on track, M moderately improving, S stagnating, D decreasing, - no data.
    let rows = read("sdg_index_2000-2022.csv", "sdg_index_score", None);
    let code = |a: Arrow| match a {
        Arrow::OnTrack => 'U',
        Arrow::ModeratelyImproving => 'M',
        Arrow::Stagnating => 'S',
        Arrow::Decreasing => 'D',
        Arrow::InsufficientData => '-',
    };
    for (iso, want) in [("FIN", "SDSDMSSSMDSSDSSSS"), ("IND", "USSMSSSSMDSDDSDDS")] {
        let got: String = (0..GOALS)
            .map(|g| {
                let series: Vec<(i32, f64)> = rows
                    .iter()
                    .filter(|r| r.iso3 == iso)
                    .filter_map(|r| zeros_as_missing(&r.goals)[g].map(|v| (r.year, v)))
                    .collect();
                code(trend(&series, &TrendRule::GOAL_SCORES).unwrap())
            })
            .collect();
        assert_eq!(got, want, "{iso}");
    }
    // A goal that is 0 (missing) in every year has no arrow: Afghanistan's goal 10.
    let afg10: Vec<(i32, f64)> = rows
        .iter()
        .filter(|r| r.iso3 == "AFG")
        .filter_map(|r| zeros_as_missing(&r.goals)[9].map(|v| (r.year, v)))
        .collect();
    assert_eq!(
        trend(&afg10, &TrendRule::GOAL_SCORES).unwrap(),
        Arrow::InsufficientData
    );
}

#[test]
fn index_projected_to_2030() {
    use attache_indices::projection::LinearTrend;
    // Finland's published index 2015-2022, projected linearly to 2030 within 0-100.
    let rows = read("sdg_index_2000-2022.csv", "sdg_index_score", None);
    let pts: Vec<(i32, f64)> = rows
        .iter()
        .filter(|r| r.iso3 == "FIN" && r.year >= 2015)
        .map(|r| (r.year, r.published))
        .collect();
    assert_eq!(pts.len(), 8);
    let t = LinearTrend::fit(&pts).unwrap();
    let p = t.project(2030, Some((0.0, 100.0)));
    let (lo, hi) = p.interval.unwrap();
    assert!(lo <= p.value && p.value <= hi && hi <= 100.0);
    // Further out, wider: the interval says how far the straight line can be trusted.
    let p2 = t.project(2022, None);
    let (lo2, hi2) = p2.interval.unwrap();
    assert!(hi - lo > hi2 - lo2);
    println!(
        "FIN index 2030: {:.1} (95% {:.1}-{:.1}), slope {:+.2}/year",
        p.value, lo, hi, t.slope
    );
}
