//! The policy side's inputs read from a vintage: the queries of `attache_pledges::input`, each
//! run once, their columns cast to text, integers or floats, assembled into
//! [`attache_pledges::Rows`]. The CLI (`attache climate`, `attache brief predict`) and the
//! dashboard's climate pages read through here, so every reader sees the same world.
//!
//! The queries belong to `attache-pledges` (it knows what it needs); this module only runs them
//! and types the cells. A missing table names the source that writes it; a missing or null cell
//! names the query, the column and the row.

use attache_pledges::Rows;
use attache_pledges::input::{
    SQL_BUNKERS, SQL_CAIT, SQL_CO2, SQL_GROUPS, SQL_INDICATORS, SQL_KLIMALOG, SQL_NAMES,
};

use attache_core::SourceId;

use crate::cells::{floats, ints, need, require_tables, strings};
use crate::{Result, Vintage, query};

/// Tables the policy side needs, and the source that writes each.
pub const NEEDED: [(&str, SourceId); 6] = [
    ("emissions", SourceId::CDIAC),
    ("indicators", SourceId::WORLDBANK_WDI),
    ("country_codes", SourceId::CROSSWALK),
    ("ndc_cait", SourceId::NDC),
    ("ndc_klimalog", SourceId::NDC),
    ("country_groups", SourceId::COUNTRYGROUPS),
];

/// Every row the policy side needs, from `v`.
pub async fn pledge_rows(v: &Vintage) -> Result<Rows> {
    require_tables(v, &NEEDED)?;
    let ctx = v.session().await?;
    let mut rows = Rows::default();
    let b = query(&ctx, SQL_CO2).await?;
    let (iso, year, val) = (
        strings(&b, "iso3", SQL_CO2)?,
        ints(&b, "year", SQL_CO2)?,
        floats(&b, "value", SQL_CO2)?,
    );
    for i in 0..iso.len() {
        rows.co2.push((
            need(iso[i].clone(), "iso3", SQL_CO2, i)?,
            need(year[i], "year", SQL_CO2, i)? as i32,
            need(val[i], "value", SQL_CO2, i)?,
        ));
    }
    let b = query(&ctx, SQL_BUNKERS).await?;
    let (year, val) = (
        ints(&b, "year", SQL_BUNKERS)?,
        floats(&b, "value", SQL_BUNKERS)?,
    );
    for i in 0..year.len() {
        rows.bunkers.push((
            need(year[i], "year", SQL_BUNKERS, i)? as i32,
            need(val[i], "value", SQL_BUNKERS, i)?,
        ));
    }
    let b = query(&ctx, SQL_INDICATORS).await?;
    let (iso, ind, year, val) = (
        strings(&b, "iso3", SQL_INDICATORS)?,
        strings(&b, "indicator", SQL_INDICATORS)?,
        ints(&b, "year", SQL_INDICATORS)?,
        floats(&b, "value", SQL_INDICATORS)?,
    );
    for i in 0..iso.len() {
        rows.indicators.push((
            need(iso[i].clone(), "iso3", SQL_INDICATORS, i)?,
            need(ind[i].clone(), "indicator", SQL_INDICATORS, i)?,
            need(year[i], "year", SQL_INDICATORS, i)? as i32,
            need(val[i], "value", SQL_INDICATORS, i)?,
        ));
    }
    let b = query(&ctx, SQL_NAMES).await?;
    let (iso, name) = (
        strings(&b, "iso3", SQL_NAMES)?,
        strings(&b, "name", SQL_NAMES)?,
    );
    for (a, n) in iso.into_iter().zip(name) {
        if let (Some(a), Some(n)) = (a, n) {
            rows.names.push((a, n));
        }
    }
    let b = query(&ctx, SQL_CAIT).await?;
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
    .map(|c| strings(&b, c, SQL_CAIT))
    .collect::<Result<_>>()?;
    let text = |k: usize, i: usize| cols[k].get(i).cloned().flatten().unwrap_or_default();
    for (i, iso3) in cols[1].iter().enumerate() {
        rows.cait.push((
            text(0, i),
            iso3.clone(),
            [text(2, i), text(3, i), text(4, i), text(5, i), text(6, i)],
        ));
    }
    let b = query(&ctx, SQL_KLIMALOG).await?;
    let cols: Vec<Vec<Option<String>>> = ["country_code", "iso3", "type_of_target_details"]
        .iter()
        .map(|c| strings(&b, c, SQL_KLIMALOG))
        .collect::<Result<_>>()?;
    for ((code, iso3), t) in cols[0].iter().zip(&cols[1]).zip(&cols[2]) {
        rows.klimalog.push((
            code.clone().unwrap_or_default(),
            iso3.clone(),
            t.clone().unwrap_or_default(),
        ));
    }
    let b = query(&ctx, SQL_GROUPS).await?;
    let (g, iso) = (
        strings(&b, "group_id", SQL_GROUPS)?,
        strings(&b, "iso3", SQL_GROUPS)?,
    );
    for (g, iso) in g.into_iter().zip(iso) {
        if let (Some(g), Some(iso)) = (g, iso) {
            rows.groups.push((g, iso));
        }
    }
    rows.imports = crate::ndc_imports::read(v)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect();
    Ok(rows)
}

/// The policy side's world of `v`.
pub async fn pledge_world(v: &Vintage) -> Result<attache_pledges::World> {
    Ok(attache_pledges::World::from_rows(&pledge_rows(v).await?))
}
