//! `/sdg`, `/sdg/country/{code}`, `/risk` and `/risk/country/{code}`: the SDG Index and INFORM
//! Risk of the current vintage, recomputed from their parts by `attache-indices` (the numbers
//! of `attache sdg index` and `attache risk inform`), read once per vintage
//! (`attache_store::index_inputs`) on the work pool.
//!
//! - **SDG.** The index per country (SDR 2023: the mean of the 17 goals, a missing goal filled
//!   by its region's mean; the 2000-2022 series: the mean of the goals present, a 0 read as
//!   missing), ranked when at most 20% of the goals are missing, the publisher's index beside
//!   ours; goal tiles coloured by score bands we state (the published tables have no indicator
//!   values, so this is *not* the SDR's dashboard rating) and the SDR's trend arrow per goal
//!   (the annual progress since 2015 against the progress needed to reach 100 by 2030);
//!   beside the goals, the WDI series the store holds that inform them
//!   (`attache_indices::sdg::indicators`), as context, not as the score's inputs.
//! - **Risk.** INFORM Risk 2025, its three dimensions and class per country, the published
//!   figures beside, the JRC's lack-of-reliability index; per country the drivers (the fall in
//!   risk one point of improvement in a component brings) and what a one-point better coping
//!   capacity would do.
//!
//! This module is the view: data, computation and the one table per view its page, downloads
//! and API share; `pages::indices` renders them.

use std::collections::BTreeMap;
use std::sync::Arc;

use attache_core::Crosswalk;
use attache_indices::inform::{
    Change, Component, Dimension, Driver, Rounding, Scores, compute, drivers, what_if,
};
use attache_indices::sdg::indicators::{BEHIND_GOALS, IndicatorStatus, WdiIndicator, status};
use attache_indices::sdg::{
    Arrow, GOALS, Rating, ScoreBands, TrendRule, is_ranked, mean_of_present, trend,
    zeros_as_missing,
};
use attache_store::index_inputs::{InformRow, SdgLine, SdgRow};
use serde_json::json;

use crate::AppState;
use crate::climate::cached;
use crate::download::{Column, Table};
use crate::error::AppError;
use crate::params::Params;

/// Parameters of the SDG list view.
pub(crate) const KNOWN_SDG: [&str; 3] = ["year", "goal", "format"];
/// Parameters of the risk list view and the country views.
pub(crate) const KNOWN_RISK: [&str; 1] = ["format"];

/// Our score bands for goal tiles (not the SDR's indicator-based dashboard rating).
pub const BANDS: ScoreBands = ScoreBands {
    green: 80.0,
    yellow: 65.0,
    orange: 50.0,
};

/// The SDG side of a vintage.
pub struct SdgData {
    pub vintage: String,
    /// The series 2000-2022, zeros read as missing, by ISO3 then year.
    pub series: BTreeMap<String, Vec<SdgRow>>,
    /// The SDR 2023 table with our index (regional fill), ranked and sorted.
    pub sdr: Vec<SdgLine>,
    pub last_year: i32,
    /// The WDI series behind the goals: by ISO3, then WDI code, its (year, value) points.
    pub indicators: BTreeMap<String, BTreeMap<String, Vec<(i32, f64)>>>,
}

/// The INFORM side of a vintage.
pub struct RiskData {
    pub vintage: String,
    pub rows: Vec<(InformRow, Scores)>,
    /// IDMC's latest conflict IDPs per country: (year, people).
    pub idps: BTreeMap<String, (i32, i64)>,
}

/// The ASEAN members and Japan: the region of the hazard view.
pub const ASEAN_JAPAN: [&str; 11] = [
    "BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "JPN",
];

/// The natural-hazard components INFORM scores (0-10).
pub const HAZARDS: [Component; 7] = [
    Component::Earthquake,
    Component::Tsunami,
    Component::TropicalCyclone,
    Component::RiverFlood,
    Component::CoastalFlood,
    Component::Drought,
    Component::Epidemic,
];

/// The hazard view's table: one row per country of the region, highest hazard and exposure
/// first.
pub fn region_table(d: &RiskData) -> Table {
    let mut rows: Vec<&(InformRow, Scores)> = d
        .rows
        .iter()
        .filter(|(r, _)| ASEAN_JAPAN.contains(&r.iso3.as_str()))
        .collect();
    rows.sort_by(|a, b| {
        b.1.hazard_exposure
            .total_cmp(&a.1.hazard_exposure)
            .then(a.0.iso3.cmp(&b.0.iso3))
    });
    let meta = json!({
        "view": "natural hazards, ASEAN and Japan", "permalink": "/risk/region/asean-japan", "vintage": d.vintage,
        "predicted": "nothing: INFORM scores exposure to hazards and the capacity to cope, not when or where an event happens",
        "idps": "IDMC's people internally displaced by conflict and violence (the store has no disaster displacement)",
    });
    let mut t = Table::new("attache-risk-region".to_string(), meta).with(
        "iso3",
        Column::Text(rows.iter().map(|r| Some(r.0.iso3.clone())).collect()),
    );
    for h in HAZARDS {
        t = t.with(
            &h.label().replace(' ', "_"),
            Column::Float(rows.iter().map(|r| r.0.components.get(h)).collect()),
        );
    }
    t.with(
        "natural",
        Column::Float(rows.iter().map(|r| Some(r.1.natural)).collect()),
    )
    .with(
        "hazard_exposure",
        Column::Float(rows.iter().map(|r| Some(r.1.hazard_exposure)).collect()),
    )
    .with(
        "lack_of_coping_capacity",
        Column::Float(
            rows.iter()
                .map(|r| Some(r.1.lack_of_coping_capacity))
                .collect(),
        ),
    )
    .with(
        "risk",
        Column::Float(rows.iter().map(|r| Some(r.1.risk)).collect()),
    )
    .with(
        "conflict_idps",
        Column::Int(
            rows.iter()
                .map(|r| d.idps.get(&r.0.iso3).map(|x| x.1))
                .collect(),
        ),
    )
    .with(
        "conflict_idps_year",
        Column::Int(
            rows.iter()
                .map(|r| d.idps.get(&r.0.iso3).map(|x| i64::from(x.0)))
                .collect(),
        ),
    )
}

fn no_data(e: attache_store::StoreError) -> AppError {
    match e {
        e @ attache_store::StoreError::MissingTable { .. } => AppError::NoData(e.to_string()),
        e => AppError::internal(e),
    }
}

/// The SDG data of the current vintage (once per vintage).
pub async fn sdg(state: &AppState) -> Result<Arc<SdgData>, AppError> {
    let v = state.vintage()?;
    let id = v.id.clone();
    if let Some(d) = state
        .sdg_data
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&id)
    {
        return Ok(d);
    }
    let series = attache_store::index_inputs::sdg_series(&v)
        .await
        .map_err(no_data)?;
    let sdr = attache_store::index_inputs::sdr_2023(&v)
        .await
        .map_err(no_data)?;
    let wdi = attache_store::index_inputs::sdg_indicators(&v)
        .await
        .map_err(no_data)?;
    let vintage = id.clone();
    cached(&state.work, &state.sdg_data, id, move || {
        let sdr = attache_store::index_inputs::sdr_lines(&sdr).map_err(AppError::internal)?;
        let last_year = series.iter().map(|r| r.year).max().unwrap_or(2022);
        let mut by: BTreeMap<String, Vec<SdgRow>> = BTreeMap::new();
        for mut r in series {
            r.goals = zeros_as_missing(&r.goals);
            by.entry(r.iso3.clone()).or_default().push(r);
        }
        let mut indicators: BTreeMap<String, BTreeMap<String, Vec<(i32, f64)>>> = BTreeMap::new();
        for (iso3, code, year, value) in wdi {
            indicators
                .entry(iso3)
                .or_default()
                .entry(code)
                .or_default()
                .push((year, value));
        }
        Ok(SdgData {
            vintage,
            series: by,
            sdr,
            last_year,
            indicators,
        })
    })
    .await
}

/// The INFORM data of the current vintage (once per vintage).
pub async fn risk(state: &AppState) -> Result<Arc<RiskData>, AppError> {
    let v = state.vintage()?;
    let id = v.id.clone();
    if let Some(d) = state
        .risk_data
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&id)
    {
        return Ok(d);
    }
    let rows = attache_store::index_inputs::inform(&v)
        .await
        .map_err(no_data)?;
    let idps: BTreeMap<String, (i32, i64)> = attache_store::index_inputs::conflict_idps(&v)
        .await
        .map_err(no_data)?
        .into_iter()
        .map(|(c, y, n)| (c, (y, n)))
        .collect();
    let vintage = id.clone();
    cached(&state.work, &state.risk_data, id, move || {
        let rows = rows
            .into_iter()
            .map(|r| {
                let s = compute(&r.components, Rounding::Published)
                    .map_err(|e| AppError::internal(format!("INFORM of {}: {e}", r.iso3)))?;
                Ok((r, s))
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        Ok(RiskData {
            vintage,
            rows,
            idps,
        })
    })
    .await
}

/// A country's name (its code when the crosswalk does not know it).
pub fn name(iso3: &str) -> String {
    Crosswalk::global().name_or_code(iso3)
}

/// What the SDG list view shows.
pub struct SdgQuery {
    /// `None`: the SDR 2023 table; a year: the series.
    pub year: Option<i32>,
    /// A goal (1-17) for the map, or the index.
    pub goal: Option<usize>,
}

pub(crate) fn parse_sdg(params: &Params, last_year: i32) -> Result<SdgQuery, AppError> {
    params.only(&KNOWN_SDG)?;
    let year = match params.get("year").map(str::trim) {
        None | Some("") | Some("2023") => None,
        Some(y) => {
            let y: i32 = y.parse().map_err(|_| {
                AppError::BadRequest(format!("year={y:?}: a year, 2000-{last_year} or 2023"))
            })?;
            if !(2000..=last_year).contains(&y) {
                return Err(AppError::BadRequest(format!(
                    "year={y}: the series covers 2000-{last_year}; 2023 is the SDR 2023 table"
                )));
            }
            Some(y)
        }
    };
    let goal = match params.get("goal").map(str::trim) {
        None | Some("") => None,
        Some(g) => match g.parse::<usize>() {
            Ok(n) if (1..=GOALS).contains(&n) => Some(n),
            _ => {
                return Err(AppError::BadRequest(format!(
                    "goal={g:?}: a goal number from 1 to 17"
                )));
            }
        },
    };
    Ok(SdgQuery { year, goal })
}

impl SdgQuery {
    pub fn permalink(&self) -> String {
        let mut p = format!("/sdg?year={}", self.year.unwrap_or(2023));
        if let Some(g) = self.goal {
            p.push_str(&format!("&goal={g}"));
        }
        p
    }
}

/// The list for a query, ranked first (best first), the rest after by code: the lines of
/// `attache sdg index` (`attache_store::index_inputs::sdr_lines` / `series_lines`).
pub fn sdg_lines(d: &SdgData, q: &SdgQuery) -> Vec<SdgLine> {
    match q.year {
        None => d.sdr.clone(),
        Some(y) => attache_store::index_inputs::series_lines(
            d.series
                .values()
                .flat_map(|rows| rows.iter().filter(|r| r.year == y)),
        ),
    }
}

/// The SDG list view's table (the columns of `attache sdg index --format csv`).
pub fn sdg_table(d: &SdgData, q: &SdgQuery) -> Table {
    let lines = sdg_lines(d, q);
    let meta = json!({
        "view": "SDG index", "permalink": q.permalink(), "vintage": d.vintage,
        "table": if q.year.is_none() { "SDR 2023" } else { "SDG Index series 2000-2022" },
        "index": if q.year.is_none() { "mean of the 17 goals, a missing goal filled by its SDR region's mean" } else { "mean of the goals present (the series writes a missing goal as 0)" },
        "ranked": "at most 20% of the goals missing (the SDR's coverage rule, at goal level)",
    });
    let mut t = Table::new("attache-sdg".to_string(), meta)
        .with(
            "iso3",
            Column::Text(lines.iter().map(|l| Some(l.iso3.clone())).collect()),
        )
        .with(
            "year",
            Column::Int(lines.iter().map(|l| Some(i64::from(l.year))).collect()),
        )
        .with(
            "index",
            Column::Float(lines.iter().map(|l| l.index).collect()),
        )
        .with(
            "published_index",
            Column::Float(lines.iter().map(|l| l.published).collect()),
        );
    for g in 0..GOALS {
        t = t.with(
            &format!("goal_{}", g + 1),
            Column::Float(lines.iter().map(|l| l.goals[g]).collect()),
        );
    }
    t.with(
        "ranked",
        Column::Int(lines.iter().map(|l| Some(i64::from(l.ranked))).collect()),
    )
    .with(
        "rank",
        Column::Int(lines.iter().map(|l| l.rank.map(|r| r as i64)).collect()),
    )
}

/// One goal of a country: its latest score, colour band and trend arrow, and its score in
/// 2030 if the line through its scores since 2015 continues (95% prediction interval).
pub struct GoalTile {
    pub goal: usize,
    pub score: Option<f64>,
    pub rating: Rating,
    pub arrow: Arrow,
    pub in_2030: Option<attache_indices::projection::Projection>,
}

/// A country's SDG page.
pub struct SdgCountry {
    pub iso3: String,
    pub name: String,
    pub year: i32,
    pub index: Option<f64>,
    pub published: Option<f64>,
    pub ranked: bool,
    pub missing: usize,
    pub tiles: Vec<GoalTile>,
    /// (year, our index, published index).
    pub history: Vec<(i32, Option<f64>, Option<f64>)>,
}

pub fn sdg_country(d: &SdgData, iso3: &str) -> Result<SdgCountry, AppError> {
    let rows = d
        .series
        .get(iso3)
        .ok_or_else(|| AppError::NotFound(format!("{iso3}: not in the SDG Index series")))?;
    let latest = rows
        .iter()
        .max_by_key(|r| r.year)
        .ok_or_else(|| AppError::NotFound(format!("{iso3}: no year in the SDG Index series")))?;
    let tiles = (0..GOALS)
        .map(|g| {
            let series: Vec<(i32, f64)> = rows
                .iter()
                .filter_map(|r| r.goals[g].map(|v| (r.year, v)))
                .collect();
            let since: Vec<(i32, f64)> =
                series.iter().copied().filter(|(y, _)| *y >= 2015).collect();
            GoalTile {
                goal: g + 1,
                score: latest.goals[g],
                rating: BANDS.rate(latest.goals[g]),
                arrow: trend(&series, &TrendRule::GOAL_SCORES).unwrap_or(Arrow::InsufficientData),
                in_2030: attache_indices::projection::LinearTrend::fit(&since)
                    .ok()
                    .map(|t| t.project(2030, Some((0.0, 100.0)))),
            }
        })
        .collect();
    let missing = latest.goals.iter().filter(|g| g.is_none()).count();
    Ok(SdgCountry {
        iso3: iso3.to_string(),
        name: name(iso3),
        year: latest.year,
        index: mean_of_present(&latest.goals),
        published: latest.published,
        ranked: is_ranked(GOALS - missing, GOALS),
        missing,
        tiles,
        history: rows
            .iter()
            .map(|r| (r.year, mean_of_present(&r.goals), r.published))
            .collect(),
    })
}

/// One WDI series behind a goal of a country, with what it says since 2015.
pub struct IndicatorLine {
    pub indicator: &'static WdiIndicator,
    pub status: IndicatorStatus,
}

/// The WDI series behind a country's goals, in goal order; series without a value for the
/// country are left out. Fails only on a non-finite stored value (a data defect).
pub fn sdg_indicators(d: &SdgData, iso3: &str) -> Result<Vec<IndicatorLine>, AppError> {
    let Some(series) = d.indicators.get(iso3) else {
        return Ok(Vec::new());
    };
    BEHIND_GOALS
        .iter()
        .filter_map(|ind| series.get(ind.code).map(|s| (ind, s)))
        .map(|(ind, s)| {
            Ok(IndicatorLine {
                indicator: ind,
                status: status(ind, s).map_err(AppError::internal)?,
            })
        })
        .collect()
}

/// The indicators view's table (`/sdg/country/{code}/indicators`): one row per series.
pub fn sdg_indicators_table(iso3: &str, lines: &[IndicatorLine]) -> Table {
    let meta = json!({
        "view": "WDI indicators behind a country's SDG goals",
        "permalink": format!("/sdg/country/{iso3}/indicators"), "iso3": iso3,
        "source": "World Bank, World Development Indicators (the store's `indicators` table)",
        "reading": "context beside the goal scores, not the SDR's inputs; `sdg` names the UN indicator measured, or context",
        "trend": "the SDR's rule against the target the SDG states, only where it states a number; elsewhere only the direction since 2015",
    });
    let text =
        |f: &dyn Fn(&IndicatorLine) -> Option<String>| Column::Text(lines.iter().map(f).collect());
    let float =
        |f: &dyn Fn(&IndicatorLine) -> Option<f64>| Column::Float(lines.iter().map(f).collect());
    let int =
        |f: &dyn Fn(&IndicatorLine) -> Option<i64>| Column::Int(lines.iter().map(f).collect());
    Table::new("attache-sdg-indicators".to_string(), meta)
        .with("goal", int(&|l| Some(l.indicator.goal as i64)))
        .with("code", text(&|l| Some(l.indicator.code.to_string())))
        .with("sdg", text(&|l| Some(l.indicator.sdg.to_string())))
        .with("name", text(&|l| Some(l.indicator.name.to_string())))
        .with("base_year", int(&|l| l.status.base.map(|b| i64::from(b.0))))
        .with("base_value", float(&|l| l.status.base.map(|b| b.1)))
        .with(
            "latest_year",
            int(&|l| l.status.latest.map(|b| i64::from(b.0))),
        )
        .with("latest_value", float(&|l| l.status.latest.map(|b| b.1)))
        .with("change_per_year", float(&|l| l.status.per_year))
        .with(
            "direction",
            text(&|l| Some(l.status.direction().to_string())),
        )
        .with("target_2030", float(&|l| l.indicator.target))
        .with(
            "trend",
            text(&|l| l.status.arrow.map(|a| a.label().to_string())),
        )
}

/// The country view's table: one row per goal.
pub fn sdg_country_table(c: &SdgCountry) -> Table {
    let meta = json!({
        "view": "SDG goals of a country", "permalink": format!("/sdg/country/{}", c.iso3),
        "iso3": c.iso3, "year": c.year, "index": c.index, "published_index": c.published,
        "ranked": c.ranked, "goals_missing": c.missing,
        "colours": "our score bands (green >= 80, yellow >= 65, orange >= 50, red below), not the SDR's indicator-based dashboard rating",
        "trend": "the SDR's rule: annual progress since 2015 against the progress needed to reach 100 by 2030",
        "projected_2030": "the least-squares line through the goal's scores since 2015, extended to 2030 and clipped to 0-100, with its 95% prediction interval: the past trend continued, not a forecast of policy or shocks",
    });
    Table::new("attache-sdg-country".to_string(), meta)
        .with(
            "goal",
            Column::Int(c.tiles.iter().map(|t| Some(t.goal as i64)).collect()),
        )
        .with(
            "score",
            Column::Float(c.tiles.iter().map(|t| t.score).collect()),
        )
        .with(
            "colour",
            Column::Text(
                c.tiles
                    .iter()
                    .map(|t| Some(t.rating.label().to_string()))
                    .collect(),
            ),
        )
        .with(
            "trend",
            Column::Text(
                c.tiles
                    .iter()
                    .map(|t| Some(t.arrow.label().to_string()))
                    .collect(),
            ),
        )
}

/// The risk list, highest risk first.
pub fn risk_table(d: &RiskData) -> Table {
    let mut rows: Vec<&(InformRow, Scores)> = d.rows.iter().collect();
    rows.sort_by(|a, b| b.1.risk.total_cmp(&a.1.risk).then(a.0.iso3.cmp(&b.0.iso3)));
    let f = |g: &dyn Fn(&(InformRow, Scores)) -> Option<f64>| {
        Column::Float(rows.iter().map(|r| g(r)).collect())
    };
    let meta = json!({
        "view": "INFORM Risk", "permalink": "/risk", "vintage": d.vintage,
        "method": "INFORM Risk 2025 recomputed from its 22 components by the JRC's aggregation (geometric and arithmetic means, Excel rounding)",
        "reliability": "the JRC's lack-of-reliability index, 0-10: the higher, the less to trust the country's figures",
    });
    Table::new("attache-risk".to_string(), meta)
        .with(
            "iso3",
            Column::Text(rows.iter().map(|r| Some(r.0.iso3.clone())).collect()),
        )
        .with("risk", f(&|r| Some(r.1.risk)))
        .with("hazard_exposure", f(&|r| Some(r.1.hazard_exposure)))
        .with("vulnerability", f(&|r| Some(r.1.vulnerability)))
        .with(
            "lack_of_coping_capacity",
            f(&|r| Some(r.1.lack_of_coping_capacity)),
        )
        .with(
            "class",
            Column::Text(
                rows.iter()
                    .map(|r| Some(r.1.class.label().to_string()))
                    .collect(),
            ),
        )
        .with("published_risk", f(&|r| r.0.risk))
        .with("lack_of_reliability", f(&|r| r.0.lack_of_reliability))
}

/// A country's risk page: its scores, drivers and the coping what-if.
pub struct RiskCountry {
    pub iso3: String,
    pub name: String,
    pub scores: Scores,
    pub published: Option<f64>,
    pub reliability: Option<f64>,
    pub drivers: Vec<Driver<Component>>,
    pub coping: String,
    pub components: Vec<(Component, Option<f64>)>,
}

pub fn risk_country(d: &RiskData, iso3: &str) -> Result<RiskCountry, AppError> {
    let (row, scores) = d
        .rows
        .iter()
        .find(|(r, _)| r.iso3 == iso3)
        .ok_or_else(|| AppError::NotFound(format!("{iso3}: not in INFORM Risk 2025")))?;
    let ds = drivers(&row.components).map_err(AppError::internal)?;
    let w = what_if(
        &row.components,
        &[Change::Dimension(Dimension::LackOfCopingCapacity, -1.0)],
    )
    .map_err(AppError::internal)?;
    Ok(RiskCountry {
        iso3: iso3.to_string(),
        name: name(iso3),
        scores: *scores,
        published: row.risk,
        reliability: row.lack_of_reliability,
        drivers: ds.into_iter().filter(|d| d.risk_drop > 0.0).collect(),
        coping: w.explain(),
        components: Component::ALL
            .into_iter()
            .map(|c| (c, row.components.get(c)))
            .collect(),
    })
}

/// The risk country view's table: one row per component, with the fall in risk one point of
/// improvement brings.
pub fn risk_country_table(c: &RiskCountry) -> Table {
    let drop = |k: Component| c.drivers.iter().find(|d| d.what == k).map(|d| d.risk_drop);
    let meta = json!({
        "view": "INFORM Risk of a country", "permalink": format!("/risk/country/{}", c.iso3),
        "iso3": c.iso3, "risk": c.scores.risk, "class": c.scores.class.label(),
        "hazard_exposure": c.scores.hazard_exposure, "vulnerability": c.scores.vulnerability,
        "lack_of_coping_capacity": c.scores.lack_of_coping_capacity,
        "published_risk": c.published, "lack_of_reliability": c.reliability,
        "what_if_coping": c.coping,
    });
    Table::new("attache-risk-country".to_string(), meta)
        .with(
            "component",
            Column::Text(
                c.components
                    .iter()
                    .map(|(k, _)| Some(k.label().to_string()))
                    .collect(),
            ),
        )
        .with(
            "dimension",
            Column::Text(
                c.components
                    .iter()
                    .map(|(k, _)| Some(k.dimension().label().to_string()))
                    .collect(),
            ),
        )
        .with(
            "score",
            Column::Float(c.components.iter().map(|(_, v)| *v).collect()),
        )
        .with(
            "risk_drop_one_point",
            Column::Float(c.components.iter().map(|(k, _)| drop(*k)).collect()),
        )
}
