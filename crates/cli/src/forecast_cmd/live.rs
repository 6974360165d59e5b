//! `attache forecast run` and `show`: the live forecast for the 14 months after an as-of month,
//! stored in the data dir (for the dashboard and API) and printed per country.
//!
//! Stored through `attache_store::ForecastStore` (`DATA/forecasts/<YYYY-MM>/`, written then
//! renamed), which the dashboard and the API read too, so every reader shows the same numbers.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use arrow::array::Int64Array;
use attache_core::{Crosswalk, MonthId};
use attache_forecast::{GbtModel, NOVELTY_LABEL, Predict, describe_drivers, summary};
use attache_store::{
    CountryOutlook, DriverRecord, ForecastRun, ForecastStore, MonthOutlook, NoveltyRecord, RunMeta,
};
use clap::Args;

use super::ModelArgs;
use crate::DataDir;

/// Shown next to every number of a run.
pub const REFERENCE_LABEL: &str =
    "Reference forecast: the system advises, a person decides. Intervals show the uncertainty.";
/// The production model's name in provenance records.
pub const MODEL_NAME: &str = "gbt_hurdle_mixture";
/// Months forecast after the as-of month.
pub const HORIZON: i32 = 14;
/// Drivers reported per country.
const TOP_DRIVERS: usize = 5;
/// The horizon (months after the last observation) whose drivers are reported.
const DRIVER_HORIZON: i32 = 3;

#[derive(Args)]
pub struct RunArgs {
    /// The last month of data to use (YYYY-MM); default: the latest month with ViEWS features.
    #[arg(long, value_parser = |s: &str| MonthId::parse_ym(s))]
    as_of: Option<MonthId>,
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    data: DataDir,
}

#[derive(Args)]
pub struct ShowArgs {
    /// The country (ISO3, or any code or name `attache country` understands).
    country: String,
    /// Which stored forecast (YYYY-MM); default: the latest.
    #[arg(long, value_parser = |s: &str| MonthId::parse_ym(s))]
    as_of: Option<MonthId>,
    #[command(flatten)]
    data: DataDir,
}

/// The forecast from the latest data with the production settings (`attache up`).
pub fn run_latest(data: DataDir) -> Result<ExitCode> {
    run(RunArgs {
        as_of: None,
        model: ModelArgs {
            draws: 1000,
            seed: super::DEFAULT_SEED,
        },
        data,
    })
}

/// The stored run for `as_of`, or the latest one.
pub fn stored(data: &Path, as_of: Option<MonthId>) -> Result<ForecastRun> {
    let fs = ForecastStore::new(data);
    let m = match as_of {
        Some(m) => m,
        None => fs.latest()?.with_context(|| {
            format!(
                "no forecast in {}: run `attache forecast run` first",
                fs.root().display()
            )
        })?,
    };
    fs.load(m)?.with_context(|| {
        format!(
            "no forecast as of {m} in {}: run `attache forecast run --as-of {m}`",
            fs.root().display()
        )
    })
}

pub fn run(a: RunArgs) -> Result<ExitCode> {
    let store = a.data.store()?;
    let v = store.require_current()?;
    let rt = crate::runtime()?;
    let as_of = match a.as_of {
        Some(m) => m,
        None => {
            // The latest month with ViEWS features (actuals files carry only ged_sb).
            let b = rt.block_on(
                v.sql("select max(month_id) as m from cm where ged_sb_tlag_1 is not null"),
            )?;
            let m = b.first().and_then(|b| {
                b.column(0)
                    .as_any()
                    .downcast_ref::<Int64Array>()
                    .map(|a| a.value(0))
            });
            MonthId(m.context("table cm is empty")? as i32)
        }
    };
    let t0 = std::time::Instant::now();
    let panel = rt
        .block_on(attache_store::panel_inputs::build(&v, as_of))
        .with_context(|| format!("building the panel as of {as_of}"))?;
    let fitted = GbtModel::default()
        .fit(&panel)
        .with_context(|| format!("fitting the model as of {as_of}"))?;
    let months = as_of.plus(1)..=as_of.plus(HORIZON);
    let rows = fitted.predict(&panel, months, a.model.draws, a.model.seed)?;
    let drivers = fitted.drivers(&panel, DRIVER_HORIZON, TOP_DRIVERS)?;
    let novelty = fitted.novelty(&panel);

    // Per country-month summaries.
    let months_out: Vec<MonthOutlook> = rows
        .iter()
        .map(|r| {
            let s = summary(r);
            MonthOutlook {
                iso3: r.iso3.clone(),
                views_id: r.views_id as i64,
                month_id: r.month_id,
                median: s.median,
                q05: s.q05,
                q25: s.q25,
                q75: s.q75,
                q95: s.q95,
                p_ge_25: s.p_ge_25,
            }
        })
        .collect();

    // Per country: P(any month >= 25 in the next 12), novelty, drivers.
    let next12: Vec<_> = rows
        .iter()
        .filter(|r| r.month_id <= as_of.plus(12))
        .cloned()
        .collect();
    let p_any: std::collections::BTreeMap<u16, f64> =
        attache_forecast::summary::prob_any_month_by_country(&next12)
            .into_iter()
            .collect();
    let cw = Crosswalk::global();
    let mut countries = Vec::new();
    for (id, ds) in &drivers {
        let iso3 = panel.iso3(*id).to_string();
        let nov = novelty.iter().find(|n| n.views_id == *id);
        let words = describe_drivers(ds);
        let worst = panel
            .ged_sb_history(*id)
            .iter()
            .filter(|(m, _)| *m > as_of.plus(-12))
            .map(|(_, v)| *v)
            .fold(None, |a: Option<f64>, v| Some(a.map_or(v, |a| a.max(v))));
        countries.push(CountryOutlook {
            name: cw.get(&iso3).map(|c| c.name.clone()).unwrap_or_default(),
            iso3,
            views_id: *id as i64,
            p_any_ge25_next12: p_any.get(id).copied(),
            worst_recent_month: worst,
            novelty: nov.map(|n| NoveltyRecord {
                score: n.score,
                percentile: n.percentile,
                flagged: n.flagged,
                label: n.label.map(str::to_string),
            }),
            drivers: ds
                .iter()
                .zip(words)
                .map(|(d, w)| DriverRecord {
                    feature: d.feature.clone(),
                    label: d.label.clone(),
                    value: d.value,
                    contribution: d.contribution,
                    text: w,
                })
                .collect(),
        });
    }
    let meta = RunMeta {
        label: REFERENCE_LABEL.to_string(),
        as_of: as_of.to_string(),
        months: [as_of.plus(1).to_string(), as_of.plus(HORIZON).to_string()],
        vintage: v.id.clone(),
        model: MODEL_NAME.to_string(),
        model_version: env!("CARGO_PKG_VERSION").to_string(),
        seed: a.model.seed,
        draws: a.model.draws,
        novelty_label: NOVELTY_LABEL.to_string(),
    };
    let n_countries = countries.len();
    let dst = ForecastStore::new(&a.data.path())
        .save(&ForecastRun {
            meta,
            countries,
            months: months_out,
        })
        .with_context(|| format!("storing the forecast as of {as_of}"))?;
    println!(
        "forecast as of {as_of} for {} countries x {HORIZON} months (reference only) -> {} ({:.1} s)",
        n_countries,
        dst.display(),
        t0.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// A probability as a percentage with enough digits that a small risk never reads as 0%.
pub fn pct(p: f64) -> String {
    if !p.is_finite() {
        "n/a".to_string()
    } else if p >= 0.1 || p == 0.0 {
        format!("{:.0}%", p * 100.0)
    } else if p >= 0.01 {
        format!("{:.1}%", p * 100.0)
    } else {
        format!("{:.2}%", p * 100.0)
    }
}

/// One country's stored forecast as text (what `show` prints).
pub fn render(run: &ForecastRun, iso3: &str) -> Result<String> {
    let meta = &run.meta;
    let c = run.country(iso3).with_context(|| {
        format!(
            "{iso3} is not in the forecast as of {} (ViEWS covers 191 countries)",
            meta.as_of
        )
    })?;
    let mut o = String::new();
    use std::fmt::Write;
    writeln!(
        o,
        "{} {} — conflict forecast as of {} (state-based fatalities, UCDP GED)",
        iso3, c.name, meta.as_of
    )?;
    writeln!(o, "{}", meta.label)?;
    writeln!(
        o,
        "vintage {}  model {} {}  seed {}",
        meta.vintage, meta.model, meta.model_version, meta.seed
    )?;
    if let Some(p) = c.p_any_ge25_next12 {
        writeln!(o, "P(>= 25 deaths in any month of the next 12): {}", pct(p))?;
    }
    if let Some(w) = c.worst_recent_month.filter(|w| *w < 25.0) {
        writeln!(
            o,
            "quiet: no month with 25+ deaths in the 12 to {} (worst {w:.0}); the risk above is its onset risk",
            meta.as_of
        )?;
    }
    if let Some(n) = &c.novelty {
        if n.flagged {
            writeln!(
                o,
                "WARNING: {}",
                n.label.as_deref().unwrap_or(NOVELTY_LABEL)
            )?;
        }
        writeln!(
            o,
            "novelty: inputs more unusual than {:.0}% of training situations",
            n.percentile
        )?;
    }
    writeln!(o, "drivers:")?;
    for d in &c.drivers {
        writeln!(o, "  - {}", d.text)?;
    }
    writeln!(
        o,
        "{:<8} {:>8} {:>17} {:>17} {:>8}",
        "month", "median", "50% interval", "90% interval", "P(>=25)"
    )?;
    for m in run.months_of(iso3) {
        writeln!(
            o,
            "{:<8} {:>8.0} {:>17} {:>17} {:>8}",
            m.month_id.to_string(),
            m.median,
            format!("{:.0}-{:.0}", m.q25, m.q75),
            format!("{:.0}-{:.0}", m.q05, m.q95),
            pct(m.p_ge_25)
        )?;
    }
    Ok(o)
}

pub fn show(a: ShowArgs) -> Result<ExitCode> {
    let country = match Crosswalk::global().find(&a.country) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("no match: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let run = stored(&a.data.path(), a.as_of)?;
    crate::emit(&render(&run, &country.iso3)?);
    Ok(ExitCode::SUCCESS)
}
