//! `attache forecast evaluate`: the challenge metrics for our submission and every benchmark's,
//! side by side, plus the PIT histogram and a reliability table for P(ged_sb >= 25).

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
}

/// Scores one submission dir against the actuals of `window`.
pub fn score(root: &std::path::Path, window: Window, actuals: &std::collections::BTreeMap<(i64, i64), f64>) -> Result<Scorecard> {
    let draws = submission::read(root, &window.name())?;
    let months = window.months();
    let mut card = Scorecard::new();
    let mut missing = Vec::new();
    for (&(m, c), &y) in actuals.iter().filter(|((m, _), _)| months.contains(&(*m as i32))) {
        match draws.get(&(m, c)) {
            Some(d) => {
                card.add_tagged(Tag { month_id: m as i32, country_id: c as i32 }, d, y)
                    .with_context(|| format!("{}: month {m} country {c}", root.display()))?;
            }
            None => missing.push(format!("{m}/{c}")),
        }
    }
    if !missing.is_empty() {
        bail!("{}: no forecast for {} actual country-months (e.g. {})", root.display(), missing.len(), missing[..missing.len().min(5)].join(", "));
    }
    if card.is_empty() {
        bail!("the actuals file has no month of window {}", window.name());
    }
    Ok(card)
}

fn line(name: &str, s: &Summary) -> String {
    format!("{name:<24} {:>8.3} {:>7.3} {:>9.2} {:>7.4} {:>7.3} {:>6}", s.crps, s.ign, s.mis, s.brier, s.average_precision, s.count)
}

/// Scores our submission under `root` and every benchmark's under `root/benchmarks/`, ours first.
pub fn score_all(root: &std::path::Path, window: Window, actuals: &std::collections::BTreeMap<(i64, i64), f64>) -> Result<Vec<(String, Scorecard)>> {
    let mut entries: Vec<(String, Scorecard)> = vec![("attache".into(), score(root, window, actuals)?)];
    let bench_root = root.join("benchmarks");
    if bench_root.is_dir() {
        let mut names: Vec<String> = std::fs::read_dir(&bench_root)?.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        for n in names {
            let card = score(&bench_root.join(&n), window, actuals).with_context(|| format!("scoring benchmark {n}"))?;
            entries.push((n, card));
        }
    }
    Ok(entries)
}

pub fn run(a: EvaluateArgs) -> Result<ExitCode> {
    let actuals = submission::read_actuals(&a.actuals)?;
    let entries = score_all(&a.submission, a.window, &actuals)?;
    match a.format {
        ReportFormat::Json => {
            let rows: Vec<_> = entries
                .iter()
                .map(|(n, c)| {
                    let s = c.summary();
                    json!({"model": n, "crps": s.crps, "ign": s.ign, "mis": s.mis, "brier": s.brier, "average_precision": s.average_precision, "n": s.count, "pit_histogram": s.pit_histogram,
                           "reliability": s.reliability.iter().map(|b| json!({"count": b.count, "mean_predicted": b.mean_predicted, "observed_frequency": b.observed_frequency})).collect::<Vec<_>>()})
                })
                .collect();
            crate::emit(&format!("{}\n", serde_json::to_string_pretty(&json!({"window": a.window.name(), "threshold": VIEWS_EVENT_THRESHOLD, "scores": rows}))?));
        }
        ReportFormat::Table => {
            let mut o = format!("window {}: {} country-months; lower is better except AP\n", a.window.name(), entries[0].1.len());
            o.push_str(&format!("{:<24} {:>8} {:>7} {:>9} {:>7} {:>7} {:>6}\n", "model", "CRPS", "IGN", "MIS(90%)", "Brier25", "AP25", "n"));
            for (n, c) in &entries {
                o.push_str(&line(n, &c.summary()));
                o.push('\n');
            }
            let ours = entries[0].1.summary();
            o.push_str(&format!("\nPIT histogram (attache, 10 bins): {:?}\n", ours.pit_histogram));
            o.push_str("Reliability of P(ged_sb >= 25) (attache):\n  bin        n   predicted  observed\n");
            let f = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.3}"));
            for b in &ours.reliability {
                o.push_str(&format!("  {:.1}-{:.1} {:>6} {:>10} {:>9}\n", b.lower, b.upper, b.count, f(b.mean_predicted), f(b.observed_frequency)));
            }
            crate::emit(&o);
        }
    }
    Ok(ExitCode::SUCCESS)
}
