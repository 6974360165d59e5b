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

/// A submission's draws, column-wise: the (month_id, ViEWS country_id) cells in key order,
/// each cell's draws contiguous in one array (`values[offsets[k]..offsets[k + 1]]`). Read
/// straight from the Parquet columns, with no per-row allocation or map insertion.
#[derive(Debug, Default)]
pub struct Draws {
    keys: Vec<(i64, i64)>,
    offsets: Vec<usize>,
    values: Vec<f64>,
}

/// Builds [`Draws`] from rows streamed column-wise. Rows are taken as runs of one key: a file
/// written in key order (ours, and the challenge's) is one run per cell, so the draws go
/// straight into their final place and no key column is kept. Runs out of order are put in
/// key order at the end, keeping the row order within a cell.
#[derive(Debug, Default)]
struct RunBuilder {
    /// (key, start in `values`, length) per run of equal keys, in arrival order.
    runs: Vec<((i64, i64), usize, usize)>,
    values: Vec<f64>,
}

impl RunBuilder {
    fn with_capacity(rows: usize) -> RunBuilder {
        RunBuilder {
            runs: Vec::new(),
            values: Vec::with_capacity(rows),
        }
    }

    fn push(&mut self, months: &[i64], countries: &[i64], values: &[f64]) {
        debug_assert!(months.len() == values.len() && countries.len() == values.len());
        for i in 0..values.len() {
            let k = (months[i], countries[i]);
            match self.runs.last_mut() {
                Some((last, _, len)) if *last == k => *len += 1,
                _ => self.runs.push((k, self.values.len() + i, 1)),
            }
        }
        self.values.extend_from_slice(values);
    }

    fn finish(self) -> Draws {
        let RunBuilder { mut runs, values } = self;
        let n = values.len();
        if !runs.windows(2).all(|w| w[0].0 < w[1].0) {
            // A stable sort keeps the runs of one cell (and so its rows) in arrival order.
            runs.sort_by_key(|r| r.0);
            let mut ordered = Vec::with_capacity(n);
            let mut merged: Vec<((i64, i64), usize, usize)> = Vec::new();
            for (k, start, len) in runs {
                match merged.last_mut() {
                    Some((last, _, l)) if *last == k => *l += len,
                    _ => merged.push((k, ordered.len(), len)),
                }
                ordered.extend_from_slice(&values[start..start + len]);
            }
            return Draws::from_runs(merged, ordered);
        }
        Draws::from_runs(runs, values)
    }
}

impl Draws {
    fn from_runs(runs: Vec<((i64, i64), usize, usize)>, values: Vec<f64>) -> Draws {
        let mut keys = Vec::with_capacity(runs.len());
        let mut offsets = Vec::with_capacity(runs.len() + 1);
        for (k, start, _) in &runs {
            keys.push(*k);
            offsets.push(*start);
        }
        offsets.push(values.len());
        Draws {
            keys,
            offsets,
            values,
        }
    }

    /// Builds the cells from rows given column-wise (any order; rows of one cell keep their
    /// order).
    #[cfg(test)]
    fn from_columns(months: Vec<i64>, countries: Vec<i64>, values: Vec<f64>) -> Draws {
        let mut b = RunBuilder::with_capacity(values.len());
        b.push(&months, &countries, &values);
        b.finish()
    }

    /// The draws of (month_id, country_id), if the submission has that cell.
    pub fn get(&self, key: &(i64, i64)) -> Option<&[f64]> {
        let k = self.keys.binary_search(key).ok()?;
        Some(&self.values[self.offsets[k]..self.offsets[k + 1]])
    }
}

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
    for r in &sorted {
        if let Some(x) = r.draws.iter().find(|x| !(x.is_finite() && **x >= 0.0)) {
            bail!(
                "forecast for country {} month {} has an invalid draw {x}",
                r.views_id,
                r.month_id
            );
        }
    }
    let path = dir.join("forecasts.parquet");
    let tmp = dir.join(".forecasts.parquet.tmp");
    let file =
        std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by("attache".into())
        .build();
    let mut w = ArrowWriter::try_new(file, schema.clone(), Some(props))?;
    // Streamed a month at a time (2.3 million draws a window would be 73 MB as one batch).
    for month in sorted.chunk_by(|a, b| a.month_id == b.month_id) {
        let n: usize = month.iter().map(|r| r.draws.len()).sum();
        let (mut m, mut c, mut d, mut o) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for r in month {
            for (i, x) in r.draws.iter().enumerate() {
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
        w.write(&batch)?;
    }
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
    let mut rows = 0usize;
    let mut readers = Vec::with_capacity(files.len());
    for f in files {
        let file = std::fs::File::open(&f).with_context(|| format!("opening {}", f.display()))?;
        let builder = ParquetRecordBatchReaderBuilder::try_new(file)
            .with_context(|| format!("reading {}", f.display()))?;
        rows += usize::try_from(builder.metadata().file_metadata().num_rows()).unwrap_or(0);
        readers.push((f, builder));
    }
    // Sized once from the files' footers: growing by doubling copied and page-faulted most
    // of the draws twice.
    let mut out = RunBuilder::with_capacity(rows);
    for (f, builder) in readers {
        let mut read = 0usize;
        // Only the three columns scoring needs (the draw index is not read).
        let wanted: Vec<usize> = ["month_id", "country_id", "outcome"]
            .iter()
            .map(|n| {
                builder
                    .parquet_schema()
                    .columns()
                    .iter()
                    .position(|c| c.name() == *n)
                    .with_context(|| format!("{}: no column {n}", f.display()))
            })
            .collect::<Result<_>>()?;
        let mask = parquet::arrow::ProjectionMask::leaves(builder.parquet_schema(), wanted);
        let reader = builder
            .with_batch_size(64 * 1024)
            .with_projection(mask)
            .build()?;
        for b in reader {
            let b = b?;
            let (m, c, o) = (
                int_col(&b, "month_id", &f)?,
                int_col(&b, "country_id", &f)?,
                float_col(&b, "outcome", &f)?,
            );
            if m.null_count() + c.null_count() + o.null_count() > 0 {
                let i = (0..b.num_rows())
                    .find(|&i| m.is_null(i) || c.is_null(i) || o.is_null(i))
                    .unwrap_or(0);
                bail!("{}: row {} has a null", f.display(), read + i + 1);
            }
            out.push(m.values(), c.values(), o.values());
            read += b.num_rows();
        }
    }
    Ok(out.finish())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_from_columns_in_any_order() {
        // Rows out of order; a cell's draws keep their row order.
        let d = Draws::from_columns(
            vec![2, 1, 2, 1, 1],
            vec![5, 7, 5, 7, 3],
            vec![10.0, 1.0, 20.0, 2.0, 0.5],
        );
        assert_eq!(d.get(&(1, 7)), Some(&[1.0, 2.0][..]));
        assert_eq!(d.get(&(2, 5)), Some(&[10.0, 20.0][..]));
        assert_eq!(d.get(&(1, 3)), Some(&[0.5][..]));
        assert_eq!(d.get(&(3, 3)), None);
        // A cell split into three runs keeps its rows' order.
        let split = Draws::from_columns(
            vec![1, 1, 0, 1, 1],
            vec![4, 4, 9, 4, 2],
            vec![1.0, 2.0, 9.0, 3.0, 5.0],
        );
        assert_eq!(split.get(&(1, 4)), Some(&[1.0, 2.0, 3.0][..]));
        assert_eq!(split.get(&(0, 9)), Some(&[9.0][..]));
        assert_eq!(split.get(&(1, 2)), Some(&[5.0][..]));
        let sorted = Draws::from_columns(vec![1, 1, 2], vec![3, 3, 1], vec![1.0, 2.0, 3.0]);
        assert_eq!(sorted.get(&(1, 3)), Some(&[1.0, 2.0][..]));
        assert_eq!(sorted.get(&(2, 1)), Some(&[3.0][..]));
        assert!(
            Draws::from_columns(vec![], vec![], vec![])
                .get(&(1, 1))
                .is_none()
        );
    }
}
