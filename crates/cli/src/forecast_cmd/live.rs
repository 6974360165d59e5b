//! `attache forecast run` and `show`: the live forecast for the 14 months after an as-of month,
//! stored in the data dir (for the dashboard and API) and printed per country.
//!
//! Stored under `DATA/forecasts/<YYYY-MM>/` (written to a temporary dir, then renamed):
//! - `months.parquet`: iso3, views_id, month_id, median, q05, q25, q75, q95, p_ge_25
//! - `countries.json`: per country P(>= 25 deaths in any of the next 12 months), novelty, drivers
//!   in words, and the provenance (vintage, model, seed, as-of).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use arrow::array::{Array, Float64Array, Int64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use attache_core::{Crosswalk, MonthId};
use attache_forecast::{GbtModel, NOVELTY_LABEL, Predict, describe_drivers, summary};
use clap::Args;
use serde_json::{Value, json};

use super::{ModelArgs, panel};
use crate::DataDir;

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
    run(RunArgs { as_of: None, model: ModelArgs { draws: 1000, seed: super::DEFAULT_SEED }, data })
}

pub fn forecasts_dir(data: &Path) -> PathBuf {
    data.join("forecasts")
}

/// The stored forecast for `as_of`, or the latest one.
pub fn stored(data: &Path, as_of: Option<MonthId>) -> Result<PathBuf> {
    let root = forecasts_dir(data);
    if let Some(m) = as_of {
        let p = root.join(m.to_string());
        if !p.is_dir() {
            bail!("no forecast as of {m} in {}: run `attache forecast run --as-of {m}`", root.display());
        }
        return Ok(p);
    }
    let mut all: Vec<String> = std::fs::read_dir(&root)
        .map(|r| r.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| !n.starts_with('.')).collect())
        .unwrap_or_default();
    all.sort();
    match all.pop() {
        Some(n) => Ok(root.join(n)),
        None => bail!("no forecast in {}: run `attache forecast run` first", root.display()),
    }
}

pub fn run(a: RunArgs) -> Result<ExitCode> {
    let store = a.data.store()?;
    let v = store.require_current()?;
    let rt = crate::runtime()?;
    let as_of = match a.as_of {
        Some(m) => m,
        None => {
            // The latest month with ViEWS features (actuals files carry only ged_sb).
            let b = rt.block_on(v.sql("select max(month_id) as m from cm where ged_sb_tlag_1 is not null"))?;
            let m = b.first().and_then(|b| b.column(0).as_any().downcast_ref::<Int64Array>().map(|a| a.value(0)));
            MonthId(m.context("table cm is empty")? as i32)
        }
    };
    let t0 = std::time::Instant::now();
    let panel = rt.block_on(panel::build(&v, as_of.0)).with_context(|| format!("building the panel as of {as_of}"))?;
    let fitted = GbtModel::default().fit(&panel).with_context(|| format!("fitting the model as of {as_of}"))?;
    let months = as_of.0 + 1..=as_of.0 + HORIZON;
    let rows = fitted.predict(&panel, months, a.model.draws, a.model.seed)?;
    let drivers = fitted.drivers(&panel, DRIVER_HORIZON, TOP_DRIVERS)?;
    let novelty = fitted.novelty(&panel);

    // Per country-month summaries.
    let (mut iso, mut vid, mut mid) = (Vec::new(), Vec::new(), Vec::new());
    let mut q: [Vec<f64>; 6] = Default::default();
    for r in &rows {
        let s = summary(r);
        iso.push(r.iso3.clone());
        vid.push(r.views_id as i64);
        mid.push(r.month_id as i64);
        for (col, x) in q.iter_mut().zip([s.median, s.q05, s.q25, s.q75, s.q95, s.p_ge_25]) {
            col.push(x);
        }
    }
    let names = ["median", "q05", "q25", "q75", "q95", "p_ge_25"];
    let mut fields = vec![Field::new("iso3", DataType::Utf8, false), Field::new("views_id", DataType::Int64, false), Field::new("month_id", DataType::Int64, false)];
    fields.extend(names.iter().map(|n| Field::new(*n, DataType::Float64, false)));
    let mut cols: Vec<Arc<dyn Array>> = vec![Arc::new(StringArray::from(iso)), Arc::new(Int64Array::from(vid)), Arc::new(Int64Array::from(mid))];
    cols.extend(q.into_iter().map(|c| Arc::new(Float64Array::from(c)) as Arc<dyn Array>));
    let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), cols)?;

    // Per country: P(any month >= 25 in the next 12), novelty, drivers.
    let next12: Vec<_> = rows.iter().filter(|r| r.month_id <= as_of.0 + 12).cloned().collect();
    let p_any: std::collections::BTreeMap<u16, f64> = attache_forecast::summary::prob_any_month_by_country(&next12).into_iter().collect();
    let cw = Crosswalk::global();
    let mut countries = Vec::new();
    for (id, ds) in &drivers {
        let iso3 = panel.iso3(*id).to_string();
        let nov = novelty.iter().find(|n| n.views_id == *id);
        let words = describe_drivers(ds);
        countries.push(json!({
            "iso3": iso3,
            "views_id": id,
            "name": cw.get(&iso3).map(|c| c.name.clone()).unwrap_or_default(),
            "p_any_ge25_next12": p_any.get(id),
            "novelty": nov.map(|n| json!({"score": n.score, "percentile": n.percentile, "flagged": n.flagged, "label": n.label})),
            "drivers": ds.iter().zip(words).map(|(d, w)| json!({"feature": d.feature, "label": d.label, "value": d.value, "contribution": d.contribution, "text": w})).collect::<Vec<_>>(),
        }));
    }
    let meta = json!({
        "label": "Reference forecast: the system advises, a person decides. Intervals show the uncertainty.",
        "as_of": as_of.to_string(),
        "months": [ (as_of.plus(1)).to_string(), (as_of.plus(HORIZON)).to_string() ],
        "vintage": v.id,
        "model": "gbt_hurdle_mixture",
        "model_version": env!("CARGO_PKG_VERSION"),
        "seed": a.model.seed,
        "draws": a.model.draws,
        "novelty_label": NOVELTY_LABEL,
        "countries": countries,
    });

    let root = forecasts_dir(a.data.path().as_path());
    std::fs::create_dir_all(&root).with_context(|| format!("creating {}", root.display()))?;
    let tmp = root.join(format!(".tmp-{}", as_of));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)?;
    let f = std::fs::File::create(tmp.join("months.parquet"))?;
    let mut w = parquet::arrow::ArrowWriter::try_new(f, batch.schema(), None)?;
    w.write(&batch)?;
    w.into_inner()?.sync_all()?;
    std::fs::write(tmp.join("countries.json"), serde_json::to_vec_pretty(&meta)?)?;
    let dst = root.join(as_of.to_string());
    if dst.exists() {
        let old = root.join(format!(".old-{}", as_of));
        let _ = std::fs::remove_dir_all(&old);
        std::fs::rename(&dst, &old)?;
        std::fs::rename(&tmp, &dst)?;
        let _ = std::fs::remove_dir_all(&old);
    } else {
        std::fs::rename(&tmp, &dst).with_context(|| format!("publishing {}", dst.display()))?;
    }
    println!(
        "forecast as of {as_of} for {} countries x {HORIZON} months (reference only) -> {} ({:.1} s)",
        drivers.len(),
        dst.display(),
        t0.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// One country's stored forecast as text (what `show` prints).
pub fn render(dir: &Path, iso3: &str) -> Result<String> {
    let meta: Value = serde_json::from_slice(&std::fs::read(dir.join("countries.json")).with_context(|| format!("reading {}", dir.display()))?)?;
    let c = meta["countries"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["iso3"] == iso3))
        .with_context(|| format!("{iso3} is not in the forecast as of {} (ViEWS covers 191 countries)", meta["as_of"]))?;
    let file = std::fs::File::open(dir.join("months.parquet"))?;
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)?.build()?;
    let mut o = String::new();
    use std::fmt::Write;
    writeln!(o, "{} {} — conflict forecast as of {} (state-based fatalities, UCDP GED)", iso3, c["name"].as_str().unwrap_or(""), meta["as_of"].as_str().unwrap_or(""))?;
    writeln!(o, "{}", meta["label"].as_str().unwrap_or(""))?;
    writeln!(o, "vintage {}  model {} {}  seed {}", meta["vintage"].as_str().unwrap_or(""), meta["model"].as_str().unwrap_or(""), meta["model_version"].as_str().unwrap_or(""), meta["seed"])?;
    if let Some(p) = c["p_any_ge25_next12"].as_f64() {
        writeln!(o, "P(>= 25 deaths in any month of the next 12): {:.0}%", p * 100.0)?;
    }
    if c["novelty"]["flagged"] == true {
        writeln!(o, "WARNING: {}", c["novelty"]["label"].as_str().unwrap_or(NOVELTY_LABEL))?;
    }
    if let Some(p) = c["novelty"]["percentile"].as_f64() {
        writeln!(o, "novelty: inputs more unusual than {p:.0}% of training situations")?;
    }
    writeln!(o, "drivers:")?;
    for d in c["drivers"].as_array().into_iter().flatten() {
        writeln!(o, "  - {}", d["text"].as_str().unwrap_or(""))?;
    }
    writeln!(o, "{:<8} {:>8} {:>17} {:>17} {:>8}", "month", "median", "50% interval", "90% interval", "P(>=25)")?;
    for b in reader {
        let b = b?;
        let get = |n: &str| b.column(b.schema().index_of(n).expect("schema")).clone();
        let (isos, months) = (get("iso3"), get("month_id"));
        let isos = isos.as_any().downcast_ref::<StringArray>().context("iso3")?;
        let months = months.as_any().downcast_ref::<Int64Array>().context("month_id")?;
        let f = |n: &str| get(n).as_any().downcast_ref::<Float64Array>().cloned().context("float column");
        let (med, q05, q25, q75, q95, p) = (f("median")?, f("q05")?, f("q25")?, f("q75")?, f("q95")?, f("p_ge_25")?);
        for i in 0..b.num_rows() {
            if isos.value(i) != iso3 {
                continue;
            }
            writeln!(
                o,
                "{:<8} {:>8.0} {:>17} {:>17} {:>7.0}%",
                MonthId(months.value(i) as i32).to_string(),
                med.value(i),
                format!("{:.0}-{:.0}", q25.value(i), q75.value(i)),
                format!("{:.0}-{:.0}", q05.value(i), q95.value(i)),
                p.value(i) * 100.0
            )?;
        }
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
    let dir = stored(&a.data.path(), a.as_of)?;
    crate::emit(&render(&dir, &country.iso3)?);
    Ok(ExitCode::SUCCESS)
}
