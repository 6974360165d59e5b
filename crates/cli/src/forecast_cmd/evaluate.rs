//! `attache forecast evaluate`: the challenge metrics for our submission and every benchmark's,
//! side by side, plus early-warning skill: for P(ged_sb >= 25) over all rows the Brier score,
//! average precision, ROC AUC and the expected calibration error (10 bins) with a reliability
//! table, and over the **onset rows** (country-months whose country had fewer than 25 deaths in
//! each of the 12 months up to the window's cut-off, as the data dir's `cm` table records them)
//! the AUC and average precision, with the PIT histogram.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use attache_scoring::{Scorecard, Summary, Tag, VIEWS_EVENT_THRESHOLD};
use clap::Args;
use serde_json::json;

use super::{ReportFormat, Window, submission};

#[derive(Args)]
pub struct EvaluateArgs {
    /// The window to score (Y2019, Y2020, Y2021).
    #[arg(long, value_parser = Window::parse)]
    window: Window,
    /// The actuals: the ViEWS `cm_actuals_YYYY.parquet` (or its CSV conversion).
    #[arg(long)]
    actuals: PathBuf,
    /// The submission root written by `attache forecast backtest --out`.
    #[arg(long, default_value = "backtests")]
    submission: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    #[command(flatten)]
    data: crate::DataDir,
}

/// Early-warning skill of one submission: all rows and the onset rows.
pub struct Skill {
    /// Every scored row.
    pub all: Summary,
    /// The onset rows (`None` when the window has none).
    pub onset: Option<Summary>,
}

/// Countries (ViEWS ids) whose every month in the 12 up to `as_of` stayed below 25 deaths,
/// from the current vintage's `cm` table.
pub fn quiet_countries(
    data: &crate::DataDir,
    as_of: attache_core::MonthId,
) -> Result<std::collections::BTreeSet<i64>> {
    use arrow::array::{Array, Float64Array, Int64Array};
    let store = data.store()?;
    let v = store.require_current()?;
    let rt = crate::runtime()?;
    let q = format!(
        "select views_id, max(ged_sb) as worst, count(ged_sb) as months from cm where month_id between {} and {} group by views_id",
        as_of.plus(-11).0,
        as_of.0
    );
    let mut out = std::collections::BTreeSet::new();
    for b in rt.block_on(v.sql(&q))? {
        let id = b
            .column(0)
            .as_any()
            .downcast_ref::<Int64Array>()
            .context("views_id")?;
        let worst = b
            .column(1)
            .as_any()
            .downcast_ref::<Float64Array>()
            .context("worst")?;
        for i in 0..b.num_rows() {
            if !worst.is_null(i) && worst.value(i) < VIEWS_EVENT_THRESHOLD {
                out.insert(id.value(i));
            }
        }
    }
    if out.is_empty() {
        bail!(
            "table cm of vintage {} has no ged_sb for the 12 months up to {}: cannot tell onset rows",
            v.id,
            as_of
        );
    }
    Ok(out)
}

/// Skill of a scorecard, with the onset rows those of `quiet` countries.
pub fn skill(card: &Scorecard, quiet: &std::collections::BTreeSet<i64>) -> Skill {
    let by = card.summary_by(|t| quiet.contains(&i64::from(t.country_id)));
    Skill {
        all: card.summary(),
        onset: by.get(&true).cloned(),
    }
}

/// Scores one submission dir against the actuals of `window`.
pub fn score(
    root: &std::path::Path,
    window: Window,
    actuals: &std::collections::BTreeMap<(i64, i64), f64>,
) -> Result<Scorecard> {
    let draws = submission::read(root, &window.name())?;
    let months = window.months();
    let mut card = Scorecard::new();
    let mut missing = Vec::new();
    for (&(m, c), &y) in actuals
        .iter()
        .filter(|((m, _), _)| months.contains(&attache_core::MonthId(*m as i32)))
    {
        match draws.get(&(m, c)) {
            Some(d) => {
                card.add_tagged(
                    Tag {
                        month_id: m as i32,
                        country_id: c as i32,
                    },
                    d,
                    y,
                )
                .with_context(|| format!("{}: month {m} country {c}", root.display()))?;
            }
            None => missing.push(format!("{m}/{c}")),
        }
    }
    if !missing.is_empty() {
        bail!(
            "{}: no forecast for {} actual country-months (e.g. {})",
            root.display(),
            missing.len(),
            missing[..missing.len().min(5)].join(", ")
        );
    }
    if card.is_empty() {
        bail!("the actuals file has no month of window {}", window.name());
    }
    Ok(card)
}

fn line(name: &str, k: &Skill) -> String {
    let s = &k.all;
    let (oauc, oap) = k
        .onset
        .as_ref()
        .map_or((f64::NAN, f64::NAN), |o| (o.auc, o.average_precision));
    format!(
        "{name:<24} {:>8.3} {:>7.3} {:>9.2} {:>7.4} {:>6.3} {:>6.3} {:>6.4} {:>9.3} {:>8.3} {:>6}",
        s.crps, s.ign, s.mis, s.brier, s.average_precision, s.auc, s.ece, oauc, oap, s.count
    )
}

fn finite(v: f64) -> serde_json::Value {
    if v.is_finite() {
        json!(v)
    } else {
        serde_json::Value::Null
    }
}

/// Scores our submission under `root` and every benchmark's under `root/benchmarks/`, ours first.
/// The submissions are independent, so they are read and scored on up to one thread per core
/// (at most one submission's draws per thread in memory); the first error in this order wins.
pub fn score_all(
    root: &std::path::Path,
    window: Window,
    actuals: &std::collections::BTreeMap<(i64, i64), f64>,
) -> Result<Vec<(String, Scorecard)>> {
    let mut dirs: Vec<(String, std::path::PathBuf)> = vec![("attache".into(), root.to_path_buf())];
    let bench_root = root.join("benchmarks");
    if bench_root.is_dir() {
        let mut names: Vec<String> = std::fs::read_dir(&bench_root)?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        dirs.extend(names.into_iter().map(|n| {
            let d = bench_root.join(&n);
            (n, d)
        }));
    }
    let cards = crate::parallel::map_ordered(&dirs, crate::parallel::cores(), |i, (name, dir)| {
        let card = score(dir, window, actuals);
        if i == 0 {
            card
        } else {
            card.with_context(|| format!("scoring benchmark {name}"))
        }
    })?;
    Ok(dirs.into_iter().map(|(n, _)| n).zip(cards).collect())
}

pub fn run(a: EvaluateArgs) -> Result<ExitCode> {
    let actuals = submission::read_actuals(&a.actuals)?;
    let entries = score_all(&a.submission, a.window, &actuals)?;
    let quiet = quiet_countries(&a.data, a.window.as_of()).context("finding the onset rows")?;
    let skills: Vec<(String, Skill)> = entries
        .iter()
        .map(|(n, c)| (n.clone(), skill(c, &quiet)))
        .collect();
    let onset_rows = skills[0].1.onset.as_ref().map_or(0, |o| o.count);
    let onset_events = skills[0].1.onset.as_ref().map_or(0, |o| o.events);
    match a.format {
        ReportFormat::Json => {
            let rows: Vec<_> = skills
                .iter()
                .map(|(n, k)| {
                    let s = &k.all;
                    json!({"model": n, "crps": s.crps, "ign": s.ign, "mis": s.mis, "brier": s.brier, "average_precision": s.average_precision,
                           "auc": finite(s.auc), "ece": finite(s.ece), "events": s.events,
                           "onset_auc": finite(k.onset.as_ref().map_or(f64::NAN, |o| o.auc)),
                           "onset_average_precision": finite(k.onset.as_ref().map_or(f64::NAN, |o| o.average_precision)),
                           "n": s.count, "pit_histogram": s.pit_histogram,
                           "reliability": s.reliability.iter().map(|b| json!({"lower": b.lower, "upper": b.upper, "count": b.count, "mean_predicted": b.mean_predicted, "observed_frequency": b.observed_frequency})).collect::<Vec<_>>()})
                })
                .collect();
            crate::emit(&format!(
                "{}\n",
                serde_json::to_string_pretty(
                    &json!({"window": a.window.name(), "threshold": VIEWS_EVENT_THRESHOLD, "onset_rows": onset_rows, "onset_events": onset_events, "scores": rows})
                )?
            ));
        }
        ReportFormat::Table => {
            let mut o = format!(
                "window {}: {} country-months; {} onset rows (countries below 25 deaths in each of the 12 months to {}) with {} events; lower is better except AP and AUC\n",
                a.window.name(),
                entries[0].1.len(),
                onset_rows,
                a.window.as_of(),
                onset_events
            );
            o.push_str(&format!(
                "{:<24} {:>8} {:>7} {:>9} {:>7} {:>6} {:>6} {:>6} {:>9} {:>8} {:>6}\n",
                "model",
                "CRPS",
                "IGN",
                "MIS(90%)",
                "Brier25",
                "AP25",
                "AUC25",
                "ECE25",
                "onsetAUC",
                "onsetAP",
                "n"
            ));
            for (n, k) in &skills {
                o.push_str(&line(n, k));
                o.push('\n');
            }
            let ours = &skills[0].1.all;
            o.push_str(&format!(
                "\nPIT histogram (attache, 10 bins): {:?}\n",
                ours.pit_histogram
            ));
            let f = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.3}"));
            for (n, k) in &skills {
                o.push_str(&format!("Reliability of P(ged_sb >= 25) ({n}; ECE {:.4}):\n  bin        n   predicted  observed\n", k.all.ece));
                for b in &k.all.reliability {
                    o.push_str(&format!(
                        "  {:.1}-{:.1} {:>6} {:>10} {:>9}\n",
                        b.lower,
                        b.upper,
                        b.count,
                        f(b.mean_predicted),
                        f(b.observed_frequency)
                    ));
                }
            }
            crate::emit(&o);
        }
    }
    Ok(ExitCode::SUCCESS)
}
