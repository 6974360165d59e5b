//! ViEWS prediction challenge 2023/24, country-month level: the feature files (`cm_features_to_octYYYY`,
//! the 12 months up to October of YYYY, 128 columns) and the actuals (`cm_actuals_YYYY`, `ged_sb` for
//! January-December of YYYY), as Parquet exactly as ViEWS published them.
//!
//! They become one `cm` panel, one row per (month_id, country): files are applied in publication
//! order and a later file overwrites the columns it has (so the actuals win for `ged_sb` where both
//! cover a month). ViEWS stores death counts as floats with aggregation noise (56.999999999999986):
//! `ged_*` values within 1e-6 of an integer are snapped to it, and counted in the lockfile.
//!
//! `cm_releases` keeps every file's own `ged_sb/ged_ns/ged_os` with the month the file became
//! public, so a forecast as of month T can use exactly what was published by T:
//! `cm_features_to_octYYYY` is public at October YYYY (the challenge's information set for window
//! YYYY+1); `cm_actuals_YYYY` at June YYYY+1 (UCDP's annual GED release, from which it is built).

use std::collections::BTreeMap;

use arrow::array::{Array, Float64Array, Int64Array};
use arrow::compute::cast;
use arrow::datatypes::DataType;
use attache_core::Scheme;
use parquet::arrow::arrow_reader::{ArrowReaderOptions, ParquetRecordBatchReaderBuilder};

use crate::error::{Result, SourceError};
use crate::table::{ColType, FileStats, TableBuilder, Value};
use crate::{FileSpec, Input, Lag, Loaded, Source, SourceMeta, input};

pub struct ViewsCm(SourceMeta);

const BASE: &str = "https://github.com/toboden/ConflictPredProbabilistic/raw/main/data/";

impl ViewsCm {
    pub fn new() -> ViewsCm {
        // Each file is one fixed release of the challenge (2,292 country-months a year).
        let f = |p: &'static str, u: &'static str| {
            FileSpec::new(p, u).optional().at_least(2000).release().via(
                "toboden/ConflictPredProbabilistic on GitHub, a copy of the ViEWS challenge files",
            )
        };
        let _ = BASE;
        ViewsCm(SourceMeta {
            id: attache_core::SourceId::VIEWS_CM,
            title: "ViEWS prediction challenge 2023/24, country-month features and actuals",
            publisher: "ViEWS (Violence & Impacts Early-Warning System), PRIO and Uppsala University",
            licence: "ViEWS open challenge data; components UCDP GED (CC BY 4.0), WDI (CC BY 4.0), V-Dem (CC BY-SA 4.0), ACLED (ACLED terms of use)",
            citation: "Hegre, Håvard et al. (2019) ViEWS: A political violence early-warning system. Journal of Peace Research 56(2). ViEWS Prediction Challenge 2023/24, https://viewsforecasting.org/research/prediction-challenge-2023/",
            homepage: "https://viewsforecasting.org/research/prediction-challenge-2023/",
            lag: Lag::AfterMonth { months: 1 },
            files: vec![
                f(
                    "views/cm_features_to_oct2018.parquet",
                    "https://github.com/toboden/ConflictPredProbabilistic/raw/main/data/cm_features_to_oct2018.parquet",
                ),
                f(
                    "views/cm_actuals_2018.parquet",
                    "https://github.com/toboden/ConflictPredProbabilistic/raw/main/data/cm_actuals_2018.parquet",
                ),
                f(
                    "views/cm_features_to_oct2019.parquet",
                    "https://github.com/toboden/ConflictPredProbabilistic/raw/main/data/cm_features_to_oct2019.parquet",
                ),
                f(
                    "views/cm_actuals_2019.parquet",
                    "https://github.com/toboden/ConflictPredProbabilistic/raw/main/data/cm_actuals_2019.parquet",
                ),
                f(
                    "views/cm_features_to_oct2020.parquet",
                    "https://github.com/toboden/ConflictPredProbabilistic/raw/main/data/cm_features_to_oct2020.parquet",
                ),
                f(
                    "views/cm_actuals_2020.parquet",
                    "https://github.com/toboden/ConflictPredProbabilistic/raw/main/data/cm_actuals_2020.parquet",
                ),
            ],
            tables: &["cm", "cm_releases"],
        })
    }
}

const KEYS: [&str; 3] = ["month_id", "country_id", "gleditsch_ward"];
const TARGETS: [&str; 3] = ["ged_sb", "ged_ns", "ged_os"];

/// The month a ViEWS file became public (see the module docs), from its mirror path.
pub fn published_month(path: &str) -> Option<i64> {
    let stem = path.rsplit('/').next()?.trim_end_matches(".parquet");
    if let Some(y) = stem.strip_prefix("cm_features_to_oct") {
        let y: i32 = y.parse().ok()?;
        return attache_core::MonthId::from_year_month(y, 10).map(|m| m.0 as i64);
    }
    if let Some(y) = stem.strip_prefix("cm_actuals_") {
        let y: i32 = y.parse().ok()?;
        return attache_core::MonthId::from_year_month(y + 1, 6).map(|m| m.0 as i64);
    }
    None
}

fn releases_builder() -> TableBuilder {
    let mut cols: Vec<(String, ColType)> = vec![
        ("release".into(), ColType::Text),
        ("published_month".into(), ColType::Int),
        ("month_id".into(), ColType::Int),
        ("iso3".into(), ColType::Text),
        ("views_id".into(), ColType::Int),
    ];
    cols.extend(TARGETS.iter().map(|t| (t.to_string(), ColType::Float)));
    TableBuilder::new("cm_releases", &cols)
}

/// Reads one ViEWS Parquet file into (column names, rows of (month_id, country_id, values)).
/// Rows of a ViEWS file: (month_id, country_id, values in column order).
pub type ViewsRows = Vec<(i64, i64, Vec<Option<f64>>)>;

/// Per (month_id, country_id): the values by panel column, and the file that wrote them last.
type PanelCells = BTreeMap<(i64, i64), (Vec<Option<f64>>, String)>;

pub fn read_views_parquet(file: &str, bytes: &[u8]) -> Result<(Vec<String>, ViewsRows)> {
    let fmt = |m: String| SourceError::Format {
        file: file.to_string(),
        message: m,
    };
    // The embedded Arrow schema is not needed (Parquet types suffice) and arrow-ipc panics on
    // some invalid ones (found by fuzz/regressions/views_parquet-*.bin): skip it.
    let options = ArrowReaderOptions::new().with_skip_arrow_metadata(true);
    let reader = ParquetRecordBatchReaderBuilder::try_new_with_options(
        bytes::Bytes::copy_from_slice(bytes),
        options,
    )
    .map_err(|e| fmt(format!("not a readable Parquet file: {e}")))?
    .build()
    .map_err(|e| fmt(e.to_string()))?;
    let mut names: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|e| fmt(e.to_string()))?;
        let schema = batch.schema();
        let value_cols: Vec<usize> = (0..schema.fields().len())
            .filter(|&i| {
                let n = schema.field(i).name();
                n != "month_id" && n != "country_id" && !n.starts_with("__index")
            })
            .collect();
        if names.is_none() {
            names = Some(
                value_cols
                    .iter()
                    .map(|&i| schema.field(i).name().clone())
                    .collect(),
            );
        }
        let key = |n: &str| -> Result<Int64Array> {
            let i = schema
                .index_of(n)
                .map_err(|_| fmt(format!("no column {n:?}")))?;
            let a = cast(batch.column(i), &DataType::Int64)
                .map_err(|e| fmt(format!("column {n}: {e}")))?;
            Ok(a.as_any()
                .downcast_ref::<Int64Array>()
                .expect("cast to Int64")
                .clone())
        };
        let (m, c) = (key("month_id")?, key("country_id")?);
        let vals: Vec<Float64Array> = value_cols
            .iter()
            .map(|&i| {
                let a = cast(batch.column(i), &DataType::Float64).map_err(|e| {
                    fmt(format!(
                        "column {}: not numeric: {e}",
                        schema.field(i).name()
                    ))
                })?;
                Ok(a.as_any()
                    .downcast_ref::<Float64Array>()
                    .expect("cast to Float64")
                    .clone())
            })
            .collect::<Result<_>>()?;
        for r in 0..batch.num_rows() {
            if m.is_null(r) || c.is_null(r) {
                return Err(fmt(format!(
                    "row {}: month_id or country_id is null",
                    rows.len() + 1
                )));
            }
            let v = vals
                .iter()
                .map(|a| (!a.is_null(r)).then(|| a.value(r)))
                .collect();
            rows.push((m.value(r), c.value(r), v));
        }
    }
    Ok((names.unwrap_or_default(), rows))
}

impl Source for ViewsCm {
    fn meta(&self) -> &SourceMeta {
        &self.0
    }
    fn load(&self, inputs: &[Input]) -> Result<Loaded> {
        let mut out = Loaded::default();
        let mut columns: Vec<String> = Vec::new();
        // (month_id, views id) -> (values by column index, file)
        let mut panel: PanelCells = BTreeMap::new();
        let mut any = false;
        let mut releases = releases_builder();
        for spec in &self.0.files {
            let Some(inp) = input(inputs, spec.mirror_path) else {
                continue;
            };
            any = true;
            let (names, rows) = read_views_parquet(&inp.name, &inp.bytes)?;
            let published = published_month(&inp.name).ok_or_else(|| SourceError::Format {
                file: inp.name.clone(),
                message: "not a ViEWS cm_features_to_octYYYY or cm_actuals_YYYY file name".into(),
            })?;
            let release = inp
                .name
                .rsplit('/')
                .next()
                .unwrap_or(&inp.name)
                .trim_end_matches(".parquet")
                .to_string();
            let target_idx: Vec<Option<usize>> = TARGETS
                .iter()
                .map(|t| names.iter().position(|n| n == t))
                .collect();
            let idx: Vec<usize> = names
                .iter()
                .map(|n| match columns.iter().position(|c| c == n) {
                    Some(i) => i,
                    None => {
                        columns.push(n.clone());
                        columns.len() - 1
                    }
                })
                .collect();
            let mut stats = FileStats::default();
            for (month, country, vals) in rows {
                stats.rows_read += 1;
                if super::cw()
                    .lookup(Scheme::Views, &country.to_string())
                    .is_err()
                {
                    return Err(SourceError::Country {
                        file: inp.name.clone(),
                        line: stats.rows_read,
                        column: "country_id".into(),
                        error: attache_core::LookupError::Unknown {
                            scheme: Scheme::Views,
                            code: country.to_string(),
                        },
                    });
                }
                let entry = panel
                    .entry((month, country))
                    .or_insert_with(|| (Vec::new(), String::new()));
                if entry.0.len() < columns.len() {
                    entry.0.resize(columns.len(), None);
                }
                let mut vals = vals;
                for (k, v) in vals.iter_mut().enumerate() {
                    if let Some(x) = v {
                        let r = x.round();
                        if names[k].starts_with("ged_") && *x != r && (*x - r).abs() < 1e-6 {
                            stats.adjust("ged_* float noise within 1e-6 snapped to the integer");
                            *x = r;
                        }
                    }
                }
                let iso = super::cw()
                    .lookup(Scheme::Views, &country.to_string())
                    .map(|c| c.iso3.clone())
                    .unwrap_or_default();
                let mut rel = vec![
                    Value::text(&release),
                    Value::Int(published),
                    Value::Int(month),
                    Value::text(iso),
                    Value::Int(country),
                ];
                rel.extend(
                    target_idx
                        .iter()
                        .map(|i| i.and_then(|i| vals[i]).map_or(Value::Null, Value::Float)),
                );
                releases.push(rel)?;
                for (j, v) in idx.iter().zip(vals) {
                    entry.0[*j] = v;
                }
                entry.1 = inp.name.clone();
                stats.rows_loaded += 1;
            }
            out.file(&inp.name, stats);
        }
        if !any {
            return Ok(out);
        }
        let mut cols: Vec<(String, ColType)> = vec![
            ("month_id".into(), ColType::Int),
            ("iso3".into(), ColType::Text),
            ("gwcode".into(), ColType::Int),
            ("views_id".into(), ColType::Int),
        ];
        let value_cols: Vec<usize> = (0..columns.len())
            .filter(|&i| !KEYS.contains(&columns[i].as_str()))
            .collect();
        let gw_col = columns.iter().position(|c| c == "gleditsch_ward");
        cols.extend(
            value_cols
                .iter()
                .map(|&i| (columns[i].clone(), ColType::Float)),
        );
        cols.push(("source_file".into(), ColType::Text));
        let mut tb = TableBuilder::new("cm", &cols);
        for ((month, country), (vals, file)) in panel {
            let c = super::cw()
                .lookup(Scheme::Views, &country.to_string())
                .expect("checked above");
            let gw = gw_col
                .and_then(|i| vals.get(i).copied().flatten())
                .map(|g| g as i64)
                .or(c.gw.map(i64::from));
            let mut row = vec![
                Value::Int(month),
                Value::text(&c.iso3),
                gw.map_or(Value::Null, Value::Int),
                Value::Int(country),
            ];
            row.extend(value_cols.iter().map(|&i| {
                vals.get(i)
                    .copied()
                    .flatten()
                    .map_or(Value::Null, Value::Float)
            }));
            row.push(Value::text(file));
            tb.push(row)?;
        }
        out.add("cm", tb.finish()?);
        out.add("cm_releases", releases.finish()?);
        Ok(out)
    }
}
