//! Reads the policy side's inputs from the current vintage: the queries of
//! `attache_pledges::input`, each run once, their columns cast to text, integers or floats.

use anyhow::{Context, Result, bail};
use arrow::array::{Array, AsArray};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Float64Type, Int64Type};
use arrow::record_batch::RecordBatch;
use attache_pledges::input::{
    SQL_BUNKERS, SQL_CAIT, SQL_CO2, SQL_GROUPS, SQL_INDICATORS, SQL_KLIMALOG, SQL_NAMES,
};
use attache_pledges::{Rows, World};
use attache_store::Vintage;

/// Tables the policy side needs, and the source that writes each.
const NEEDED: [(&str, &str); 6] = [
    ("emissions", "cdiac"),
    ("indicators", "worldbank-wdi"),
    ("country_codes", "reference"),
    ("ndc_cait", "ndc"),
    ("ndc_klimalog", "ndc"),
    ("country_groups", "countrygroups"),
];

/// One column of a query result, cast to `ty`.
struct Col {
    arrays: Vec<std::sync::Arc<dyn Array>>,
}

fn column(batches: &[RecordBatch], name: &str, ty: &DataType, sql: &str) -> Result<Col> {
    let mut arrays = Vec::new();
    for b in batches {
        let c = b
            .column_by_name(name)
            .with_context(|| format!("column {name} missing from the result of `{sql}`"))?;
        arrays.push(
            cast(c, ty).with_context(|| format!("casting column {name} of `{sql}` to {ty}"))?,
        );
    }
    Ok(Col { arrays })
}

impl Col {
    fn strings(&self) -> Vec<Option<String>> {
        self.arrays
            .iter()
            .flat_map(|a| {
                let s = a.as_string::<i32>();
                (0..s.len()).map(move |i| (!s.is_null(i)).then(|| s.value(i).to_string()))
            })
            .collect()
    }
    fn ints(&self) -> Vec<Option<i64>> {
        self.arrays
            .iter()
            .flat_map(|a| {
                let s = a.as_primitive::<Int64Type>();
                (0..s.len()).map(move |i| (!s.is_null(i)).then(|| s.value(i)))
            })
            .collect()
    }
    fn floats(&self) -> Vec<Option<f64>> {
        self.arrays
            .iter()
            .flat_map(|a| {
                let s = a.as_primitive::<Float64Type>();
                (0..s.len()).map(move |i| (!s.is_null(i)).then(|| s.value(i)))
            })
            .collect()
    }
}

fn need<T>(v: Option<T>, what: &str, sql: &str, row: usize) -> Result<T> {
    v.with_context(|| format!("row {row} of `{sql}`: {what} is null"))
}

/// All query rows from the vintage.
pub async fn rows(v: &Vintage) -> Result<Rows> {
    let tables = v.tables()?;
    for (t, source) in NEEDED {
        if !tables.iter().any(|x| x == t) {
            bail!(
                "vintage {} has no table `{t}` (source `{source}`): run `attache sync` first",
                v.id
            );
        }
    }
    let q = |sql: &'static str| async move {
        v.sql(sql).await.with_context(|| format!("running `{sql}`"))
    };
    let mut rows = Rows::default();
    let b = q(SQL_CO2).await?;
    let (iso, year, val) = (
        column(&b, "iso3", &DataType::Utf8, SQL_CO2)?.strings(),
        column(&b, "year", &DataType::Int64, SQL_CO2)?.ints(),
        column(&b, "value", &DataType::Float64, SQL_CO2)?.floats(),
    );
    for i in 0..iso.len() {
        rows.co2.push((
            need(iso[i].clone(), "iso3", SQL_CO2, i)?,
            need(year[i], "year", SQL_CO2, i)? as i32,
            need(val[i], "value", SQL_CO2, i)?,
        ));
    }
    let b = q(SQL_BUNKERS).await?;
    let (year, val) = (
        column(&b, "year", &DataType::Int64, SQL_BUNKERS)?.ints(),
        column(&b, "value", &DataType::Float64, SQL_BUNKERS)?.floats(),
    );
    for i in 0..year.len() {
        rows.bunkers.push((
            need(year[i], "year", SQL_BUNKERS, i)? as i32,
            need(val[i], "value", SQL_BUNKERS, i)?,
        ));
    }
    let b = q(SQL_INDICATORS).await?;
    let (iso, ind, year, val) = (
        column(&b, "iso3", &DataType::Utf8, SQL_INDICATORS)?.strings(),
        column(&b, "indicator", &DataType::Utf8, SQL_INDICATORS)?.strings(),
        column(&b, "year", &DataType::Int64, SQL_INDICATORS)?.ints(),
        column(&b, "value", &DataType::Float64, SQL_INDICATORS)?.floats(),
    );
    for i in 0..iso.len() {
        rows.indicators.push((
            need(iso[i].clone(), "iso3", SQL_INDICATORS, i)?,
            need(ind[i].clone(), "indicator", SQL_INDICATORS, i)?,
            need(year[i], "year", SQL_INDICATORS, i)? as i32,
            need(val[i], "value", SQL_INDICATORS, i)?,
        ));
    }
    let b = q(SQL_NAMES).await?;
    let (iso, name) = (
        column(&b, "iso3", &DataType::Utf8, SQL_NAMES)?.strings(),
        column(&b, "name", &DataType::Utf8, SQL_NAMES)?.strings(),
    );
    for i in 0..iso.len() {
        if let (Some(a), Some(n)) = (&iso[i], &name[i]) {
            rows.names.push((a.clone(), n.clone()));
        }
    }
    let b = q(SQL_CAIT).await?;
    let cols: Vec<Vec<Option<String>>> = [
        "iso",
        "iso3",
        "ghg_target",
        "ghg_target_type",
        "reference_base_year",
        "time_target_year",
        "time_long_term_target",
    ]
    .iter()
    .map(|c| column(&b, c, &DataType::Utf8, SQL_CAIT).map(|c| c.strings()))
    .collect::<Result<_>>()?;
    let text = |k: usize, i: usize| cols[k].get(i).cloned().flatten().unwrap_or_default();
    for (i, iso3) in cols[1].iter().enumerate() {
        rows.cait.push((
            text(0, i),
            iso3.clone(),
            [text(2, i), text(3, i), text(4, i), text(5, i), text(6, i)],
        ));
    }
    let b = q(SQL_KLIMALOG).await?;
    let cols: Vec<Vec<Option<String>>> = ["country_code", "iso3", "type_of_target_details"]
        .iter()
        .map(|c| column(&b, c, &DataType::Utf8, SQL_KLIMALOG).map(|c| c.strings()))
        .collect::<Result<_>>()?;
    for ((code, iso3), t) in cols[0].iter().zip(&cols[1]).zip(&cols[2]) {
        rows.klimalog.push((
            code.clone().unwrap_or_default(),
            iso3.clone(),
            t.clone().unwrap_or_default(),
        ));
    }
    let b = q(SQL_GROUPS).await?;
    let (g, iso) = (
        column(&b, "group_id", &DataType::Utf8, SQL_GROUPS)?.strings(),
        column(&b, "iso3", &DataType::Utf8, SQL_GROUPS)?.strings(),
    );
    for i in 0..g.len() {
        if let (Some(g), Some(iso)) = (&g[i], &iso[i]) {
            rows.groups.push((g.clone(), iso.clone()));
        }
    }
    Ok(rows)
}

/// The world of the current vintage in `data`.
pub fn load_world(data: &crate::DataDir) -> Result<World> {
    let store = data.store()?;
    let v = store.require_current()?;
    let r = crate::runtime()?.block_on(rows(&v))?;
    Ok(World::from_rows(&r))
}
