//! Stored forecast runs: what `attache forecast run` writes and what the CLI, the dashboard and
//! the API read, so that every reader shows the same numbers.
//!
//! Layout under the data dir:
//!
//! ```text
//! forecasts/<YYYY-MM>/months.parquet   iso3, views_id, month_id, median, q05, q25, q75, q95, p_ge_25
//! forecasts/<YYYY-MM>/countries.json   provenance (vintage, model, seed, as-of) and per country:
//!                                      P(>= 25 in any month of the next 12), novelty, drivers in words
//! forecasts/.tmp-<YYYY-MM>/            a run being written (never read)
//! ```
//!
//! A run is written to `.tmp-<as-of>` and renamed into place; a run replacing an older one for the
//! same month moves the old one aside first, so a reader sees either the old or the new run whole.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{Array, Float64Array, Int64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use attache_core::MonthId;
use serde::{Deserialize, Serialize};

use crate::{Result, StoreError, io};

pub use attache_forecast::run::{
    CountryOutlook, DriverRecord, ForecastRun, MonthOutlook, NoveltyRecord, RunMeta,
};

/// The on-disk shape of `countries.json`.
#[derive(Serialize, Deserialize)]
struct CountriesFile {
    #[serde(flatten)]
    meta: RunMeta,
    countries: Vec<CountryOutlook>,
}

/// The forecast runs of a data dir.
#[derive(Debug, Clone)]
pub struct ForecastStore {
    root: PathBuf,
}

const MONTH_COLUMNS: [&str; 6] = ["median", "q05", "q25", "q75", "q95", "p_ge_25"];

impl ForecastStore {
    pub fn new(data_dir: &Path) -> ForecastStore {
        ForecastStore {
            root: data_dir.join("forecasts"),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The as-of months with a stored run, oldest first.
    pub fn list(&self) -> Result<Vec<MonthId>> {
        let entries = match fs::read_dir(&self.root) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(StoreError::Io {
                    path: self.root.clone(),
                    error: e,
                });
            }
        };
        let mut out = Vec::new();
        for e in entries {
            let e = e.map_err(io(&self.root))?;
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            if let Ok(m) = MonthId::parse_ym(&name)
                && e.path().join("countries.json").is_file()
            {
                out.push(m);
            }
        }
        out.sort();
        Ok(out)
    }

    pub fn latest(&self) -> Result<Option<MonthId>> {
        Ok(self.list()?.pop())
    }

    pub fn dir(&self, as_of: MonthId) -> PathBuf {
        self.root.join(as_of.to_string())
    }

    /// Loads the run as of `as_of`; `Ok(None)` when there is none.
    pub fn load(&self, as_of: MonthId) -> Result<Option<ForecastRun>> {
        let dir = self.dir(as_of);
        let cpath = dir.join("countries.json");
        let bytes = match fs::read(&cpath) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(StoreError::Io {
                    path: cpath,
                    error: e,
                });
            }
        };
        let file: CountriesFile =
            serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt {
                path: cpath.clone(),
                message: e.to_string(),
            })?;
        let mpath = dir.join("months.parquet");
        let months = read_months(&mpath)?;
        Ok(Some(ForecastRun {
            meta: file.meta,
            countries: file.countries,
            months,
        }))
    }

    /// Writes a run (write, then rename) and returns its directory.
    pub fn save(&self, run: &ForecastRun) -> Result<PathBuf> {
        let as_of = MonthId::parse_ym(&run.meta.as_of).map_err(|e| StoreError::Internal {
            table: "forecasts".into(),
            message: format!("run with as-of {:?}: {e}", run.meta.as_of),
        })?;
        fs::create_dir_all(&self.root).map_err(io(&self.root))?;
        let tmp = self.root.join(format!(".tmp-{as_of}"));
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir_all(&tmp).map_err(io(&tmp))?;
        let mpath = tmp.join("months.parquet");
        write_months(&mpath, &run.months)?;
        let cpath = tmp.join("countries.json");
        let json = serde_json::to_vec_pretty(&CountriesFile {
            meta: run.meta.clone(),
            countries: run.countries.clone(),
        })
        .map_err(|e| StoreError::Internal {
            table: "forecasts".into(),
            message: e.to_string(),
        })?;
        let f = fs::File::create(&cpath).map_err(io(&cpath))?;
        {
            use std::io::Write;
            let mut w = std::io::BufWriter::new(&f);
            w.write_all(&json).map_err(io(&cpath))?;
            w.flush().map_err(io(&cpath))?;
        }
        f.sync_all().map_err(io(&cpath))?;
        let dst = self.dir(as_of);
        if dst.exists() {
            let old = self.root.join(format!(".old-{as_of}"));
            let _ = fs::remove_dir_all(&old);
            fs::rename(&dst, &old).map_err(io(&dst))?;
            fs::rename(&tmp, &dst).map_err(io(&dst))?;
            let _ = fs::remove_dir_all(&old);
        } else {
            fs::rename(&tmp, &dst).map_err(io(&dst))?;
        }
        Ok(dst)
    }
}

fn write_months(path: &Path, rows: &[MonthOutlook]) -> Result<()> {
    let mut fields = vec![
        Field::new("iso3", DataType::Utf8, false),
        Field::new("views_id", DataType::Int64, false),
        Field::new("month_id", DataType::Int64, false),
    ];
    fields.extend(
        MONTH_COLUMNS
            .iter()
            .map(|n| Field::new(*n, DataType::Float64, false)),
    );
    let f64col = |f: fn(&MonthOutlook) -> f64| {
        Arc::new(Float64Array::from(rows.iter().map(f).collect::<Vec<_>>())) as Arc<dyn Array>
    };
    let cols: Vec<Arc<dyn Array>> = vec![
        Arc::new(StringArray::from(
            rows.iter().map(|r| r.iso3.as_str()).collect::<Vec<_>>(),
        )),
        Arc::new(Int64Array::from(
            rows.iter().map(|r| r.views_id).collect::<Vec<_>>(),
        )),
        Arc::new(Int64Array::from(
            rows.iter().map(|r| r.month_id.0 as i64).collect::<Vec<_>>(),
        )),
        f64col(|r| r.median),
        f64col(|r| r.q05),
        f64col(|r| r.q25),
        f64col(|r| r.q75),
        f64col(|r| r.q95),
        f64col(|r| r.p_ge_25),
    ];
    let internal = |e: &dyn std::fmt::Display| StoreError::Internal {
        table: "forecasts".into(),
        message: e.to_string(),
    };
    let batch =
        RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).map_err(|e| internal(&e))?;
    let f = fs::File::create(path).map_err(io(path))?;
    let mut w =
        parquet::arrow::ArrowWriter::try_new(f, batch.schema(), None).map_err(|e| internal(&e))?;
    w.write(&batch).map_err(|e| internal(&e))?;
    w.into_inner()
        .map_err(|e| internal(&e))?
        .sync_all()
        .map_err(io(path))?;
    Ok(())
}

fn read_months(path: &Path) -> Result<Vec<MonthOutlook>> {
    let corrupt = |m: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        message: m,
    };
    let file = fs::File::open(path).map_err(io(path))?;
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| corrupt(e.to_string()))?
        .build()
        .map_err(|e| corrupt(e.to_string()))?;
    let mut out = Vec::new();
    for b in reader {
        let b = b.map_err(|e| corrupt(e.to_string()))?;
        let col = |n: &str| {
            b.column_by_name(n)
                .cloned()
                .ok_or_else(|| corrupt(format!("missing column {n}")))
        };
        let iso = col("iso3")?;
        let iso = iso
            .as_any()
            .downcast_ref::<StringArray>()
            .ok_or_else(|| corrupt("iso3 is not text".into()))?;
        let int = |n: &str| {
            col(n)?
                .as_any()
                .downcast_ref::<Int64Array>()
                .cloned()
                .ok_or_else(|| corrupt(format!("{n} is not Int64")))
        };
        let (vid, mid) = (int("views_id")?, int("month_id")?);
        let mut f = Vec::new();
        for n in MONTH_COLUMNS {
            f.push(
                col(n)?
                    .as_any()
                    .downcast_ref::<Float64Array>()
                    .cloned()
                    .ok_or_else(|| corrupt(format!("{n} is not Float64")))?,
            );
        }
        for i in 0..b.num_rows() {
            out.push(MonthOutlook {
                iso3: iso.value(i).to_string(),
                views_id: vid.value(i),
                month_id: MonthId(mid.value(i) as i32),
                median: f[0].value(i),
                q05: f[1].value(i),
                q25: f[2].value(i),
                q75: f[3].value(i),
                q95: f[4].value(i),
                p_ge_25: f[5].value(i),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(as_of: &str) -> ForecastRun {
        ForecastRun {
            meta: RunMeta {
                label: "Reference forecast".into(),
                as_of: as_of.into(),
                months: ["2024-11".into(), "2025-12".into()],
                vintage: "v1".into(),
                model: "m".into(),
                model_version: "0.1.0".into(),
                seed: 7,
                draws: 10,
                novelty_label: "novel".into(),
            },
            countries: vec![CountryOutlook {
                iso3: "SDN".into(),
                views_id: 245,
                name: "Sudan".into(),
                p_any_ge25_next12: Some(0.9),
                worst_recent_month: Some(120.0),
                novelty: Some(NoveltyRecord {
                    score: 1.0,
                    percentile: 50.0,
                    flagged: false,
                    label: None,
                }),
                drivers: vec![DriverRecord {
                    feature: "f".into(),
                    label: "l".into(),
                    value: f64::NAN,
                    contribution: 0.5,
                    text: "t".into(),
                }],
            }],
            months: vec![MonthOutlook {
                iso3: "SDN".into(),
                views_id: 245,
                month_id: MonthId(539),
                median: 10.0,
                q05: 0.0,
                q25: 2.0,
                q75: 30.0,
                q95: 100.0,
                p_ge_25: 0.4,
            }],
        }
    }

    #[test]
    fn round_trip_and_replace() {
        let d = tempfile::tempdir().unwrap();
        let fs_ = ForecastStore::new(d.path());
        assert_eq!(fs_.latest().unwrap(), None);
        let r = run("2024-10");
        fs_.save(&r).unwrap();
        let mut r2 = run("2024-10");
        r2.meta.seed = 8;
        fs_.save(&r2).unwrap();
        let m = MonthId::parse_ym("2024-10").unwrap();
        assert_eq!(fs_.list().unwrap(), vec![m]);
        let back = fs_.load(m).unwrap().unwrap();
        assert!(
            back.countries[0].drivers[0].value.is_nan(),
            "a missing input stays missing"
        );
        assert_eq!(back.months, r2.months);
        assert_eq!(back.meta, r2.meta);
        assert_eq!(fs_.load(m.plus(1)).unwrap(), None);
    }

    #[test]
    fn corrupt_metadata_names_the_file() {
        let d = tempfile::tempdir().unwrap();
        let fs_ = ForecastStore::new(d.path());
        fs_.save(&run("2024-10")).unwrap();
        let m = MonthId::parse_ym("2024-10").unwrap();
        std::fs::write(fs_.dir(m).join("countries.json"), b"{").unwrap();
        let e = fs_.load(m).unwrap_err().to_string();
        assert!(e.contains("countries.json"), "{e}");
    }
}
