//! The ViEWS challenge submission format: Hive-partitioned Parquet
//! `DIR/cm/window=Y2021/forecasts.parquet` with columns `month_id, country_id, draw, outcome`
//! (one row per draw), and the challenge's actuals files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use arrow::array::{Array, Float64Array, Int64Array};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use attache_forecast::ForecastRow;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

/// (month_id, ViEWS country_id) -> draws.
pub type Draws = BTreeMap<(i64, i64), Vec<f64>>;

pub fn window_dir(root: &Path, window: &str) -> PathBuf {
    root.join("cm").join(format!("window={window}"))
}

/// Writes one submission (write, then rename: a killed run leaves no half file).
pub fn write(root: &Path, window: &str, rows: &[ForecastRow]) -> Result<PathBuf> {
    let dir = window_dir(root, window);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let schema = Arc::new(Schema::new(vec![
        Field::new("month_id", DataType::Int64, false),
        Field::new("country_id", DataType::Int64, false),
        Field::new("draw", DataType::Int64, false),
        Field::new("outcome", DataType::Float64, false),
    ]));
    let mut sorted: Vec<&ForecastRow> = rows.iter().collect();
    sorted.sort_by_key(|r| (r.month_id, r.views_id));
    let (mut m, mut c, mut d, mut o) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for r in sorted {
        for (i, x) in r.draws.iter().enumerate() {
            if !(x.is_finite() && *x >= 0.0) {
                bail!(
                    "forecast for country {} month {} has an invalid draw {x}",
                    r.views_id,
                    r.month_id
                );
            }
            m.push(i64::from(r.month_id.0));
            c.push(r.views_id as i64);
            d.push(i as i64);
            o.push(*x);
        }
    }
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(Int64Array::from(m)),
            Arc::new(Int64Array::from(c)),
            Arc::new(Int64Array::from(d)),
            Arc::new(Float64Array::from(o)),
        ],
    )?;
    let path = dir.join("forecasts.parquet");
    let tmp = dir.join(".forecasts.parquet.tmp");
    let file =
        std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by("attache".into())
        .build();
    let mut w = ArrowWriter::try_new(file, schema, Some(props))?;
    w.write(&batch)?;
    let f = w.into_inner()?;
    f.sync_all()?;
    std::fs::rename(&tmp, &path).with_context(|| format!("publishing {}", path.display()))?;
    Ok(path)
}

fn int_col(b: &RecordBatch, name: &str, file: &Path) -> Result<Int64Array> {
    let i = b
        .schema()
        .index_of(name)
        .with_context(|| format!("{}: no column {name}", file.display()))?;
    let a = cast(b.column(i), &DataType::Int64)?;
    Ok(a.as_any()
        .downcast_ref::<Int64Array>()
        .expect("cast")
        .clone())
}

fn float_col(b: &RecordBatch, name: &str, file: &Path) -> Result<Float64Array> {
    let i = b
        .schema()
        .index_of(name)
        .with_context(|| format!("{}: no column {name}", file.display()))?;
    let a = cast(b.column(i), &DataType::Float64)?;
    Ok(a.as_any()
        .downcast_ref::<Float64Array>()
        .expect("cast")
        .clone())
}

/// Reads every Parquet file of a submission window.
pub fn read(root: &Path, window: &str) -> Result<Draws> {
    let dir = window_dir(root, window);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading submission {}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("{}: no Parquet files", dir.display());
    }
    let mut out: Draws = BTreeMap::new();
    for f in files {
        let file = std::fs::File::open(&f).with_context(|| format!("opening {}", f.display()))?;
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .with_context(|| format!("reading {}", f.display()))?
            .build()?;
        for b in reader {
            let b = b?;
            let (m, c, o) = (
                int_col(&b, "month_id", &f)?,
                int_col(&b, "country_id", &f)?,
                float_col(&b, "outcome", &f)?,
            );
            for i in 0..b.num_rows() {
                if m.is_null(i) || c.is_null(i) || o.is_null(i) {
                    bail!("{}: row {} has a null", f.display(), i + 1);
                }
                out.entry((m.value(i), c.value(i)))
                    .or_default()
                    .push(o.value(i));
            }
        }
    }
    Ok(out)
}

/// Reads a ViEWS actuals file (Parquet as published, or its CSV conversion): (month, country) -> ged_sb.
pub fn read_actuals(path: &Path) -> Result<BTreeMap<(i64, i64), f64>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = BTreeMap::new();
    if path.extension().is_some_and(|e| e == "csv") {
        let text =
            String::from_utf8(bytes).with_context(|| format!("{}: not UTF-8", path.display()))?;
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
        let idx = |n: &str| {
            header
                .iter()
                .position(|h| h.trim() == n)
                .with_context(|| format!("{}: no column {n}", path.display()))
        };
        let (im, ic, iy) = (idx("month_id")?, idx("country_id")?, idx("ged_sb")?);
        for (n, line) in lines.enumerate() {
            let f: Vec<&str> = line.split(',').collect();
            let get = |i: usize| f.get(i).copied().unwrap_or("");
            let bad =
                |v: &str| anyhow::anyhow!("{}:{}: {v:?} is not a number", path.display(), n + 2);
            let m: f64 = get(im).parse().map_err(|_| bad(get(im)))?;
            let c: f64 = get(ic).parse().map_err(|_| bad(get(ic)))?;
            let y: f64 = get(iy).parse().map_err(|_| bad(get(iy)))?;
            out.insert((m as i64, c as i64), y.round());
        }
    } else {
        let name = path.display().to_string();
        let (names, rows) = attache_sources::adapters::views::read_views_parquet(&name, &bytes)?;
        let iy = names
            .iter()
            .position(|n| n == "ged_sb")
            .with_context(|| format!("{name}: no ged_sb column"))?;
        for (m, c, vals) in rows {
            let y = vals[iy]
                .with_context(|| format!("{name}: null ged_sb for month {m} country {c}"))?;
            out.insert((m, c), y.round());
        }
    }
    if out.is_empty() {
        bail!("{}: no actuals", path.display());
    }
    Ok(out)
}
