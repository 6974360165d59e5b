//! The composite indices' inputs read from a vintage (`attache-indices` does no IO): the SDG
//! Index series 2000-2022 (`sdg_index`) and the SDR 2023 table (`sdr_2023`) of the `sdg`
//! source, countries only (the SDR's aggregates have no ISO3 and are left out here, counted at
//! sync); and INFORM Risk 2025 (`inform_risk` of the `inform` source) as its 22 components and
//! the published aggregates beside them; and the WDI series shown behind the goals.
//! `attache sdg index` and `attache risk inform` read through here.

use arrow::record_batch::RecordBatch;
use attache_core::SourceId;
use attache_indices::inform::{Component, Components};
use attache_indices::sdg::{GOALS, Goals};
use attache_sources::table::snake_case;

use crate::cells::{floats, ints, need, require_tables, strings};
use crate::{Result, Vintage, query};

/// One country's goal scores in one year, with the index the publisher printed.
#[derive(Debug, Clone, PartialEq)]
pub struct SdgRow {
    pub iso3: String,
    pub country: String,
    pub year: i32,
    /// The SDR region (SDR 2023 only).
    pub region: Option<String>,
    pub published: Option<f64>,
    /// As published (the 2000-2022 series writes a missing goal as 0).
    pub goals: Goals,
}

fn goal_columns() -> String {
    (1..=GOALS)
        .map(|g| format!("goal_{g}_score"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn sdg_rows(b: &[RecordBatch], sql: &str, index: &str, series: bool) -> Result<Vec<SdgRow>> {
    let (iso, name) = (strings(b, "iso3", sql)?, strings(b, "country", sql)?);
    let published = floats(b, index, sql)?;
    let year = if series {
        Some(ints(b, "year", sql)?)
    } else {
        None
    };
    let region = if series {
        None
    } else {
        Some(strings(b, "region", sql)?)
    };
    let goals: Vec<Vec<Option<f64>>> = (1..=GOALS)
        .map(|g| floats(b, &format!("goal_{g}_score"), sql))
        .collect::<Result<_>>()?;
    (0..iso.len())
        .map(|i| {
            let mut gs = [None; GOALS];
            for (g, col) in goals.iter().enumerate() {
                gs[g] = col[i];
            }
            Ok(SdgRow {
                iso3: need(iso[i].clone(), "iso3", sql, i)?,
                country: name[i].clone().unwrap_or_default(),
                year: match &year {
                    Some(y) => need(y[i], "year", sql, i)? as i32,
                    None => 2023,
                },
                region: region.as_ref().and_then(|r| r[i].clone()),
                published: published[i],
                goals: gs,
            })
        })
        .collect()
}

/// The SDG Index series 2000-2022, countries only, by country and year.
pub async fn sdg_series(v: &Vintage) -> Result<Vec<SdgRow>> {
    require_tables(v, &[("sdg_index", SourceId::SDG)])?;
    let sql = format!(
        "SELECT iso3, country, year, sdg_index_score, {} FROM sdg_index \
         WHERE iso3 IS NOT NULL ORDER BY iso3, year",
        goal_columns()
    );
    let b = query(&v.session().await?, &sql).await?;
    sdg_rows(&b, &sql, "sdg_index_score", true)
}

/// The SDR 2023 table, countries only.
pub async fn sdr_2023(v: &Vintage) -> Result<Vec<SdgRow>> {
    require_tables(v, &[("sdr_2023", SourceId::SDG)])?;
    let sql = format!(
        "SELECT iso3, country, region, overall_score, {} FROM sdr_2023 \
         WHERE iso3 IS NOT NULL ORDER BY iso3",
        goal_columns()
    );
    let b = query(&v.session().await?, &sql).await?;
    sdg_rows(&b, &sql, "overall_score", false)
}

/// One country of INFORM Risk: its components and what the JRC published.
#[derive(Debug, Clone, PartialEq)]
pub struct InformRow {
    pub iso3: String,
    pub country: String,
    pub components: Components,
    pub risk: Option<f64>,
    pub class: Option<String>,
    pub hazard_exposure: Option<f64>,
    pub vulnerability: Option<f64>,
    pub lack_of_coping_capacity: Option<f64>,
    /// The JRC's lack-of-reliability index (0-10; 7 and above: use with care).
    pub lack_of_reliability: Option<f64>,
}

/// INFORM Risk 2025, one row per country.
pub async fn inform(v: &Vintage) -> Result<Vec<InformRow>> {
    require_tables(v, &[("inform_risk", SourceId::INFORM)])?;
    let sql = "SELECT * FROM inform_risk ORDER BY iso3";
    let b = query(&v.session().await?, sql).await?;
    let comps: Vec<(Component, Vec<Option<f64>>)> = Component::ALL
        .into_iter()
        .map(|c| Ok((c, floats(&b, &snake_case(c.column()), sql)?)))
        .collect::<Result<_>>()?;
    let (iso, name, class) = (
        strings(&b, "iso3", sql)?,
        strings(&b, "country", sql)?,
        strings(&b, "risk_class", sql)?,
    );
    let f = |c: &str| floats(&b, c, sql);
    let (risk, he, vu, lcc, rel) = (
        f("inform_risk")?,
        f("hazard_exposure")?,
        f("vulnerability")?,
        f("lack_of_coping_capacity")?,
        f("lack_of_reliability")?,
    );
    (0..iso.len())
        .map(|i| {
            let mut components = Components::new();
            for (c, col) in &comps {
                components.set(*c, col[i]);
            }
            Ok(InformRow {
                iso3: need(iso[i].clone(), "iso3", sql, i)?,
                country: name[i].clone().unwrap_or_default(),
                components,
                risk: risk[i],
                class: class[i].clone(),
                hazard_exposure: he[i],
                vulnerability: vu[i],
                lack_of_coping_capacity: lcc[i],
                lack_of_reliability: rel[i],
            })
        })
        .collect()
}

/// The latest figure of IDMC's people internally displaced by conflict and violence per
/// country (as UNHCR redistributes it): (iso3, year, idps). Empty when the vintage has no
/// `idmc_idps` table.
pub async fn conflict_idps(v: &Vintage) -> Result<Vec<(String, i32, i64)>> {
    if !v.tables()?.iter().any(|t| t == "idmc_idps") {
        return Ok(Vec::new());
    }
    let sql = "SELECT iso3, year, idps FROM idmc_idps i WHERE iso3 IS NOT NULL AND idps IS NOT NULL \
               AND year = (SELECT max(year) FROM idmc_idps j WHERE j.iso3 = i.iso3 AND j.idps IS NOT NULL) \
               ORDER BY iso3";
    let b = query(&v.session().await?, sql).await?;
    let (iso, year, idps) = (
        strings(&b, "iso3", sql)?,
        ints(&b, "year", sql)?,
        ints(&b, "idps", sql)?,
    );
    (0..iso.len())
        .map(|i| {
            Ok((
                need(iso[i].clone(), "iso3", sql, i)?,
                need(year[i], "year", sql, i)? as i32,
                need(idps[i], "idps", sql, i)?,
            ))
        })
        .collect()
}

/// The WDI series behind the SDG goals (`attache_indices::sdg::indicators::BEHIND_GOALS`),
/// every country and year with a value: (iso3, code, year, value), by country, code and
/// year. Empty when the vintage has no WDI `indicators` table (a store synced without it).
pub async fn sdg_indicators(v: &Vintage) -> Result<Vec<(String, String, i32, f64)>> {
    if !v.tables()?.iter().any(|t| t == "indicators") {
        return Ok(Vec::new());
    }
    let codes = attache_indices::sdg::indicators::BEHIND_GOALS
        .iter()
        .map(|i| format!("'{}'", i.code))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT iso3, indicator, year, value FROM indicators \
         WHERE iso3 IS NOT NULL AND value IS NOT NULL AND indicator IN ({codes}) \
         ORDER BY iso3, indicator, year"
    );
    let b = query(&v.session().await?, &sql).await?;
    let (iso, code, year, value) = (
        strings(&b, "iso3", &sql)?,
        strings(&b, "indicator", &sql)?,
        ints(&b, "year", &sql)?,
        floats(&b, "value", &sql)?,
    );
    (0..iso.len())
        .map(|i| {
            Ok((
                need(iso[i].clone(), "iso3", &sql, i)?,
                need(code[i].clone(), "indicator", &sql, i)?,
                need(year[i], "year", &sql, i)? as i32,
                need(value[i], "value", &sql, i)?,
            ))
        })
        .collect()
}

/// One country's line of an SDG Index table, as `attache sdg index` prints it and `/sdg` shows
/// it: our index, the published one, the goals, whether it is ranked and its rank.
#[derive(Debug, Clone, PartialEq)]
pub struct SdgLine {
    pub iso3: String,
    pub year: i32,
    pub index: Option<f64>,
    pub published: Option<f64>,
    pub goals: Goals,
    pub ranked: bool,
    pub rank: Option<usize>,
}

/// Ranks `lines` (only those with at most a fifth of the goals missing are ranked, best
/// first) and sorts them: ranked first by rank, the rest by code.
fn ranked(mut lines: Vec<SdgLine>) -> Vec<SdgLine> {
    use attache_indices::sdg::{is_ranked, rank};
    for l in &mut lines {
        l.ranked = is_ranked(l.goals.iter().flatten().count(), GOALS);
    }
    let ranks = rank(
        &lines
            .iter()
            .map(|l| l.index.filter(|_| l.ranked))
            .collect::<Vec<_>>(),
    );
    for (l, r) in lines.iter_mut().zip(ranks) {
        l.rank = r;
    }
    lines.sort_by_key(|l| (l.rank.unwrap_or(usize::MAX), l.iso3.clone()));
    lines
}

fn line(r: &SdgRow, index: Option<f64>) -> SdgLine {
    SdgLine {
        iso3: r.iso3.clone(),
        year: r.year,
        index,
        published: r.published,
        goals: r.goals,
        ranked: false,
        rank: None,
    }
}

/// The SDR 2023 table's index per country: the mean of the 17 goals, a missing goal filled by
/// its SDR region's mean (`attache_indices::sdg::impute_regional`); ranked and sorted. A
/// country whose region has no mean for a missing goal has no index (and is named in the
/// error only if the imputation itself fails).
pub fn sdr_lines(rows: &[SdgRow]) -> std::result::Result<Vec<SdgLine>, String> {
    use attache_indices::sdg::{impute_regional, regional_means};
    let regional = regional_means(
        rows.iter()
            .map(|r| (r.region.as_deref().unwrap_or(""), &r.goals)),
    );
    let lines = rows
        .iter()
        .map(|r| {
            let region = r.region.as_deref().unwrap_or("");
            let index = match regional.get(region) {
                Some(m) => Some(
                    impute_regional(&r.goals, m)
                        .map_err(|e| format!("{} ({region}): {e}", r.iso3))?
                        .index,
                ),
                None => None,
            };
            Ok(line(r, index))
        })
        .collect::<std::result::Result<Vec<_>, String>>()?;
    Ok(ranked(lines))
}

/// One year of the 2000-2022 series: the mean of the goals present (a published 0 read as
/// missing, `zeros_as_missing`); ranked and sorted.
pub fn series_lines<'a>(rows: impl IntoIterator<Item = &'a SdgRow>) -> Vec<SdgLine> {
    use attache_indices::sdg::{mean_of_present, zeros_as_missing};
    ranked(
        rows.into_iter()
            .map(|r| {
                let goals = zeros_as_missing(&r.goals);
                SdgLine {
                    goals,
                    ..line(r, mean_of_present(&goals))
                }
            })
            .collect(),
    )
}
