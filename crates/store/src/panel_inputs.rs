//! Builds the forecaster's as-of panel from a store vintage, honouring publication lags: a
//! forecast as of month T sees only rows that were public at T.
//!
//! | data | public at | rule here |
//! |---|---|---|
//! | ViEWS `ged_sb/ns/os` | per release (`cm_releases.published_month`) | latest release with `published_month <= T`, months `<= T` |
//! | ViEWS features (WDI, V-Dem, lags, decays) | October of their file's year | months `<= T` (each features file ends at its publication month) |
//! | UCDP BRD battle deaths, year Y | June of Y+1 (UCDP annual release) | years with June Y+1 `<= T` |
//! | UCDP/PRIO ACD conflict years (location), year Y | June of Y+1 | years with June Y+1 `<= T` |
//! | Polity5 `polity2`, year Y | December of Y+1 (annual release) | per row month t, the latest year with December Y+1 `<= t` |
//! | land neighbours | reference | always |

use std::collections::BTreeMap;

use arrow::array::{Array, Float64Array, Int64Array, StringArray};
use arrow::datatypes::DataType;
use arrow::record_batch::RecordBatch;
use attache_core::{MonthId, SourceId};
use attache_forecast::Panel;

use crate::{Result, StoreError, Vintage};

/// A vintage that cannot give the panel (a missing or mistyped column, no data public by the
/// as-of month): the data's fault, named with the vintage.
fn panel_error(message: String) -> StoreError {
    StoreError::Panel(message)
}

/// The month (1 = January 1980) in which source `id`'s data for `year` became public, from the
/// publication lag the source declares (one place states each lag: its `SourceMeta`).
pub fn year_public(id: SourceId, year: i32) -> MonthId {
    attache_sources::lag_of(id.as_str())
        .and_then(|lag| lag.public_month_for_year(year))
        .unwrap_or_else(|| panic!("source {id} declares no yearly publication lag"))
}

/// ged_sb, ged_ns, ged_os of one country-month.
type Ged = [Option<f64>; 3];

fn col<'a, T: 'static>(b: &'a RecordBatch, name: &str) -> Result<&'a T> {
    let i = b
        .schema()
        .index_of(name)
        .map_err(|_| panel_error(format!("column {name} missing")))?;
    b.column(i).as_any().downcast_ref::<T>().ok_or_else(|| {
        panel_error(format!(
            "column {name} has type {}",
            b.column(i).data_type()
        ))
    })
}

fn f64_at(a: &Float64Array, i: usize) -> Option<f64> {
    (!a.is_null(i)).then(|| a.value(i))
}

/// The columns of `cm` that are features (everything but keys, targets and provenance).
pub async fn feature_names(v: &Vintage) -> Result<Vec<String>> {
    let b = v.sql("select * from cm limit 0").await?;
    let schema = match b.first() {
        Some(b) => b.schema(),
        None => v
            .session()
            .await?
            .table("cm")
            .await
            .map_err(|e| panel_error(format!("table cm: {e}")))?
            .schema()
            .inner()
            .clone(),
    };
    Ok(schema
        .fields()
        .iter()
        .filter(|f| matches!(f.data_type(), DataType::Float64))
        .map(|f| f.name().clone())
        .filter(|n| !["ged_sb", "ged_ns", "ged_os"].contains(&n.as_str()))
        .collect())
}

/// Polity5 `polity2` by country and year (empty when the vintage has no `polity` table).
async fn polity2(v: &Vintage) -> Result<BTreeMap<String, BTreeMap<i32, f64>>> {
    let mut out: BTreeMap<String, BTreeMap<i32, f64>> = BTreeMap::new();
    if !v.tables()?.iter().any(|t| t == "polity") {
        return Ok(out);
    }
    for b in v
        .sql(
            "select iso3, year, polity2 from polity where polity2 is not null and iso3 is not null",
        )
        .await?
    {
        let (iso, year, p2) = (
            col::<StringArray>(&b, "iso3")?,
            col::<Int64Array>(&b, "year")?,
            col::<Int64Array>(&b, "polity2")?,
        );
        for i in 0..b.num_rows() {
            out.entry(iso.value(i).to_string())
                .or_default()
                .insert(year.value(i) as i32, p2.value(i) as f64);
        }
    }
    Ok(out)
}

/// The panel as of month `as_of` (inclusive).
pub async fn build(v: &Vintage, as_of: MonthId) -> Result<Panel> {
    // SQL takes the raw ViEWS month number.
    let as_of_id = as_of.0;
    let mut features = feature_names(v).await?;
    let cm_features = features.len();
    // The model reads its columns by name: a feature file without one is refused here, naming
    // the column and the files of table cm, instead of silently becoming all-missing.
    let missing: Vec<&str> = attache_forecast::features::expected_columns()
        .into_iter()
        .filter(|c| *c != "polity2" && !features.iter().any(|f| f == c))
        .collect();
    if !missing.is_empty() {
        let lock = v.lockfile()?;
        let files: Vec<&str> = lock
            .files
            .iter()
            .filter(|f| {
                lock.tables
                    .iter()
                    .any(|t| t.name == "cm" && t.sources.contains(&f.source))
            })
            .map(|f| f.path.as_str())
            .collect();
        return Err(panel_error(format!(
            "table cm of vintage {} lacks the feature column(s) {} that the forecast model reads (files: {})",
            v.id,
            missing.join(", "),
            if files.is_empty() {
                "none recorded".to_string()
            } else {
                files.join(", ")
            }
        )));
    }
    let polity = polity2(v).await?;
    features.push("polity2".into());
    let mut panel = Panel::new(as_of, features.clone());

    // Targets as published by as_of: for each country-month, the latest release public by then.
    let q = format!(
        "select month_id, views_id, iso3, ged_sb, ged_ns, ged_os, published_month from cm_releases \
         where published_month <= {as_of_id} and month_id <= {as_of_id} order by month_id, views_id, published_month"
    );
    let mut ged: BTreeMap<(i64, i64), (String, Ged)> = BTreeMap::new();
    for b in v.sql(&q).await? {
        let (m, c, iso) = (
            col::<Int64Array>(&b, "month_id")?,
            col::<Int64Array>(&b, "views_id")?,
            col::<StringArray>(&b, "iso3")?,
        );
        let (sb, ns, os) = (
            col::<Float64Array>(&b, "ged_sb")?,
            col::<Float64Array>(&b, "ged_ns")?,
            col::<Float64Array>(&b, "ged_os")?,
        );
        for i in 0..b.num_rows() {
            let e = ged
                .entry((m.value(i), c.value(i)))
                .or_insert_with(|| (iso.value(i).to_string(), [None; 3]));
            // Later releases overwrite the columns they have (actuals carry only ged_sb).
            for (slot, a) in e.1.iter_mut().zip([sb, ns, os]) {
                if let Some(x) = f64_at(a, i) {
                    *slot = Some(x);
                }
            }
        }
    }
    if ged.is_empty() {
        return Err(panel_error(format!(
            "no ViEWS data public by {as_of} (month {as_of_id}): sync the views-cm source"
        )));
    }

    // Features of months <= as_of.
    let cols = features[..cm_features]
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let q = format!(
        "select month_id, views_id, iso3, {cols} from cm where month_id <= {as_of_id} order by month_id, views_id"
    );
    let mut rows = 0usize;
    for b in v.sql(&q).await? {
        let (m, c, iso) = (
            col::<Int64Array>(&b, "month_id")?,
            col::<Int64Array>(&b, "views_id")?,
            col::<StringArray>(&b, "iso3")?,
        );
        let arrays: Vec<&Float64Array> = features[..cm_features]
            .iter()
            .map(|f| col::<Float64Array>(&b, f))
            .collect::<Result<_>>()?;
        let mut vals = vec![f64::NAN; features.len()];
        for i in 0..b.num_rows() {
            for (slot, a) in vals.iter_mut().zip(&arrays) {
                *slot = f64_at(a, i).unwrap_or(f64::NAN);
            }
            let month = MonthId(m.value(i) as i32);
            vals[cm_features] = polity
                .get(iso.value(i))
                .and_then(|ys| {
                    ys.iter()
                        .rev()
                        .find(|(y, _)| year_public(SourceId::POLITY5, **y) <= month)
                        .map(|(_, p)| *p)
                })
                .unwrap_or(f64::NAN);
            let key = (m.value(i), c.value(i));
            let targets = ged.get(&key).map_or([None; 3], |e| e.1);
            panel
                .push(c.value(i) as u16, iso.value(i), month, targets, &vals)
                .map_err(|e| panel_error(e.to_string()))?;
            rows += 1;
        }
    }
    if rows == 0 {
        return Err(panel_error(format!(
            "no ViEWS feature rows up to month {as_of}"
        )));
    }

    // Annual battle deaths by location, split evenly over multi-location dyad-years.
    let q = "select iso3_loc, year, bd_best from brd where bd_best is not null";
    if v.tables()?.iter().any(|t| t == "brd") {
        let mut annual: BTreeMap<(String, i32), f64> = BTreeMap::new();
        for b in v.sql(q).await? {
            let (loc, year, bd) = (
                col::<StringArray>(&b, "iso3_loc")?,
                col::<Int64Array>(&b, "year")?,
                col::<Int64Array>(&b, "bd_best")?,
            );
            for i in 0..b.num_rows() {
                let y = year.value(i) as i32;
                if loc.is_null(i) || year_public(SourceId::UCDP_BRD, y) > as_of {
                    continue;
                }
                let locs: Vec<&str> = loc.value(i).split(", ").collect();
                for l in &locs {
                    *annual.entry((l.to_string(), y)).or_default() +=
                        bd.value(i) as f64 / locs.len() as f64;
                }
            }
        }
        for ((iso, y), d) in annual {
            panel.push_annual(&iso, y, d);
        }
    }

    // Conflict years by location (UCDP/PRIO ACD, from 1946): the onset hazard's long history.
    if v.tables()?.iter().any(|t| t == "acd_locations") {
        for b in v
            .sql("select distinct iso3, year from acd_locations where iso3 is not null")
            .await?
        {
            let (iso, year) = (
                col::<StringArray>(&b, "iso3")?,
                col::<Int64Array>(&b, "year")?,
            );
            for i in 0..b.num_rows() {
                let y = year.value(i) as i32;
                if year_public(SourceId::UCDP_ACD, y) <= as_of {
                    panel.push_conflict_year(iso.value(i), y);
                }
            }
        }
    }

    // Land neighbours, as ViEWS ids.
    let q = "select n.iso3 as a, n.neighbour as b, ca.views_id as va, cb.views_id as vb from neighbours n \
             join country_codes ca on ca.iso3 = n.iso3 join country_codes cb on cb.iso3 = n.neighbour \
             where ca.views_id is not null and cb.views_id is not null order by va, vb";
    let mut nb: BTreeMap<u16, Vec<u16>> = BTreeMap::new();
    for b in v.sql(q).await? {
        let (va, vb) = (col::<Int64Array>(&b, "va")?, col::<Int64Array>(&b, "vb")?);
        for i in 0..b.num_rows() {
            nb.entry(va.value(i) as u16)
                .or_default()
                .push(vb.value(i) as u16);
        }
    }
    for (k, v) in nb {
        panel.set_neighbours(k, v);
    }
    Ok(panel)
}
