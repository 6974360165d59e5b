//! `/climate`: the scenario explorer (C-ROADS style). Sliders set, for the largest emitters, the
//! European Union and the rest of the world, fossil CO2 in 2030 as a share of the jump-off
//! year's and a net-zero year; the other countries keep their NDCs. The page compares "current
//! policies", "NDCs" and the user scenario: global fossil CO2, warming with its likely range, CO2
//! concentration, and when the AR6 remaining carbon budgets run out: the numbers of `attache
//! climate pledges` with the same edits.
//!
//! A slider left where it starts changes nothing (the NDCs stand); moved, it becomes an edit of
//! every member's pledge: `level:E0·pct/100,by:2030` and/or `netzero:YEAR`, in the grammar of
//! `attache climate pledges --edit` (`edit=ISO3=spec;ISO3=spec` takes such edits directly), and
//! all edits are read by the CLI's own `parse_edits`.
//! Pledge pathways are never above current policies, so a 2030 share above the trend shows the
//! trend. The form is a GET: the URL of every result is its permalink, carrying only what
//! differs from the defaults. `format=csv|json|parquet` downloads the scenarios year by year.
//!
//! This module is the view: query, computation and the one table its page, downloads and API
//! share; `pages::climate::explorer` renders it.

use std::collections::BTreeMap;

use attache_climate::Scenario;
use attache_climate::calibration::ParamSet;
use attache_pledges::PledgeError;
use attache_pledges::aggregate::{BUNKERS, ClimateSettings, NationalPaths, Policy, national_paths};
use attache_pledges::ndc::{Pledge, split_edit};
use attache_pledges::pathway::Settings;
use attache_pledges::report::{parse_edits, pledges_report};
use attache_pledges::{Series, World};
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::Viewer;
use crate::climate::{ClimateData, cached, pledge_error};
use crate::download::{Column, Table};
use crate::error::AppError;
use crate::params::Params;
use crate::views::climate::{conditional, param_set, scenario};
use crate::views::enc;

/// Default ensemble size of the likely range (the CLI's default is 200; pages answer faster).
pub use crate::climate::{ExplorerRun, GroupState};

pub const DEFAULT_ENSEMBLE: usize = 100;
/// Largest ensemble a page may ask for.
pub const MAX_ENSEMBLE: usize = 500;
/// The year the 2030 sliders set.
pub const SLIDER_YEAR: i32 = 2030;
/// Net-zero slider range; its top position (one past) means "as pledged".
pub const NZ_FIRST: i32 = 2030;
pub const NZ_AS_PLEDGED: i32 = 2101;
/// Range of the 2030 slider, percent of jump-off emissions.
pub const PCT_MAX: i32 = 200;

/// Who a slider group is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Members {
    Country(&'static str),
    Bloc(&'static str),
    /// Every country not in an earlier group.
    Rest,
}

/// The slider groups: the five largest national emitters of 2019, the EU, and the rest.
pub(crate) const GROUPS: [(&str, &str, Members); 7] = [
    ("chn", "China", Members::Country("CHN")),
    ("usa", "United States", Members::Country("USA")),
    ("eu", "European Union", Members::Bloc("european-union")),
    ("ind", "India", Members::Country("IND")),
    ("rus", "Russia", Members::Country("RUS")),
    ("jpn", "Japan", Members::Country("JPN")),
    ("row", "Rest of the world", Members::Rest),
];

/// Parameters this view takes (besides the sliders `{group}_2030`, `{group}_nz`).
pub(crate) const KNOWN: [&str; 6] = [
    "reference",
    "params",
    "ensemble",
    "pledges",
    "edit",
    "format",
];

/// The query, validated.
pub(crate) struct Query {
    reference: Scenario,
    params: ParamSet,
    ensemble: usize,
    conditional: bool,
    sliders: BTreeMap<String, i32>,
    edit: Option<String>,
}

pub(crate) fn parse(params: &Params, viewer: &Viewer) -> Result<Query, AppError> {
    let mut sliders = BTreeMap::new();
    for (k, v) in &params.0 {
        if KNOWN.contains(&k.as_str()) {
            continue;
        }
        let ok = k
            .split_once('_')
            .and_then(|(g, what)| GROUPS.iter().find(|x| x.0 == g).map(|_| what));
        let (lo, hi) = match ok {
            Some("2030" | "2030d") => (0, PCT_MAX),
            Some("nz") => (NZ_FIRST, NZ_AS_PLEDGED),
            _ => {
                let groups: Vec<String> = GROUPS
                    .iter()
                    .map(|g| format!("{0}_2030, {0}_2030d, {0}_nz", g.0))
                    .collect();
                return Err(AppError::BadRequest(format!(
                    "unknown parameter {k:?}; this view takes {}, {}",
                    KNOWN.join(", "),
                    groups.join(", ")
                )));
            }
        };
        if v.is_empty() {
            continue;
        }
        match v.parse::<i32>() {
            Ok(n) if (lo..=hi).contains(&n) => {
                sliders.insert(k.clone(), n);
            }
            _ => {
                return Err(AppError::BadRequest(format!(
                    "{k}={v:?}: expected a whole number from {lo} to {hi}"
                )));
            }
        }
    }
    Ok(Query {
        reference: scenario(params, "reference", Scenario::Ssp245, &Scenario::SSPS)?,
        params: param_set(params, ParamSet::CalibratedHist)?,
        ensemble: params.ensemble(viewer, DEFAULT_ENSEMBLE, MAX_ENSEMBLE)?,
        conditional: conditional(params)?,
        sliders,
        edit: params.get("edit").map(str::to_string),
    })
}

impl Query {
    /// A stable key of what was asked (sorted, as given).
    fn key(&self, vintage: &str) -> String {
        format!(
            "{vintage}|{}|{}|{}|{}|{:?}|{:?}",
            self.reference.id(),
            self.params.id(),
            self.ensemble,
            self.conditional,
            self.sliders,
            self.edit
        )
    }
}

/// Members of each group with a pathway under `ndc`, in group order.
pub(crate) fn group_members(world: &World, ndc: &NationalPaths) -> Vec<Vec<String>> {
    let mut taken: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (_, _, m) in GROUPS {
        let ms: Vec<String> = match m {
            Members::Country(c) => vec![c.to_string()],
            Members::Bloc(b) => world.groups.get(b).cloned().unwrap_or_default(),
            Members::Rest => world
                .countries
                .iter()
                .map(|c| c.iso3.clone())
                .filter(|c| c != BUNKERS && !taken.contains(c))
                .collect(),
        };
        let ms: Vec<String> = ms
            .into_iter()
            .filter(|c| ndc.paths.contains_key(c) && !taken.contains(c))
            .collect();
        taken.extend(ms.iter().cloned());
        out.push(ms);
    }
    out
}

/// The edits (`ISO3=spec`, in the order applied) the sliders and then the `edit` parameter
/// make, and the groups' states.
pub(crate) fn edit_specs(
    world: &World,
    ndc: &NationalPaths,
    q: &Query,
) -> Result<(Vec<String>, Vec<GroupState>), AppError> {
    let mut specs = Vec::new();
    let mut groups = Vec::new();
    for ((key, label, _), members) in GROUPS.iter().zip(group_members(world, ndc)) {
        let at = |c: &String, y: Option<i32>| {
            ndc.paths
                .get(c)
                .map_or(0.0, |p| y.and_then(|y| p.at(y)).unwrap_or(p.jump_off.1))
        };
        let jump_off: f64 = members.iter().map(|c| at(c, None)).sum();
        let ndc_2030: f64 = members.iter().map(|c| at(c, Some(SLIDER_YEAR))).sum();
        let default_pct = if jump_off > 0.0 {
            (100.0 * ndc_2030 / jump_off).round() as i32
        } else {
            100
        }
        .clamp(0, PCT_MAX);
        // `{key}_2030d` is sent with a slider that started at the NDCs' level: still there, it
        // was not moved and follows the NDCs (whose level changes with other settings, such as
        // conditional pledges).
        let pct = match (
            q.sliders.get(&format!("{key}_2030")),
            q.sliders.get(&format!("{key}_2030d")),
        ) {
            (Some(v), Some(start)) if v == start => default_pct,
            (Some(v), _) => *v,
            (None, _) => default_pct,
        };
        let net_zero = q
            .sliders
            .get(&format!("{key}_nz"))
            .copied()
            .filter(|y| *y != NZ_AS_PLEDGED);
        let mut nz: Vec<i32> = members
            .iter()
            .filter_map(|c| world.country(c)?.pledge.as_ref()?.net_zero_year)
            .collect();
        nz.sort();
        nz.dedup();
        let pledged_nz = match (members.len(), nz.as_slice()) {
            (_, []) => "no net-zero pledge".to_string(),
            (1, [y]) => format!("net zero by {y}"),
            (_, [y]) => format!("members' pledges: net zero by {y}"),
            (_, many) => format!(
                "members' pledges: net zero by {} to {}",
                many[0],
                many[many.len() - 1]
            ),
        };
        let g = GroupState {
            key,
            label,
            members,
            jump_off,
            ndc_2030,
            default_pct,
            pct,
            net_zero,
            pledged_nz,
        };
        if g.changed() {
            for c in &g.members {
                let Some(country) = world.country(c) else {
                    continue;
                };
                let mut parts = Vec::new();
                let quantified = country.pledge.as_ref().is_some_and(Pledge::is_quantified);
                if g.pct != g.default_pct {
                    parts.push(format!(
                        "level:{:.3},by:{SLIDER_YEAR}",
                        at(c, None) * f64::from(g.pct) / 100.0
                    ));
                } else if g.net_zero.is_some() && !quantified {
                    // A net-zero year needs a pathway to start from: the NDC level of 2030
                    // (current policies for an unquantified pledge).
                    parts.push(format!(
                        "level:{:.3},by:{SLIDER_YEAR}",
                        at(c, Some(SLIDER_YEAR))
                    ));
                }
                if let Some(y) = g.net_zero {
                    parts.push(format!("netzero:{y}"));
                }
                specs.push(format!("{c}={}", parts.join(",")));
            }
        }
        groups.push(g);
    }
    if let Some(text) = &q.edit {
        for e in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let (code, spec) = split_edit(e).map_err(pledge_error)?;
            specs.push(format!("{code}={spec}"));
        }
    }
    Ok((specs, groups))
}

pub(crate) fn history(world: &World) -> Series {
    let mut h = Series::default();
    for c in &world.countries {
        h.add(&c.co2);
    }
    h
}

pub(crate) fn permalink(q: &Query, groups: &[GroupState]) -> String {
    let mut p: Vec<String> = Vec::new();
    if q.reference != Scenario::Ssp245 {
        p.push(format!("reference={}", q.reference.id()));
    }
    if q.params != ParamSet::CalibratedHist {
        p.push(format!("params={}", q.params.id()));
    }
    if q.ensemble != DEFAULT_ENSEMBLE {
        p.push(format!("ensemble={}", q.ensemble));
    }
    if q.conditional {
        p.push("pledges=conditional".into());
    }
    for g in groups {
        if g.pct != g.default_pct {
            p.push(format!("{}_2030={}", g.key, g.pct));
        }
        if let Some(y) = g.net_zero {
            p.push(format!("{}_nz={y}", g.key));
        }
    }
    if let Some(e) = &q.edit {
        p.push(format!("edit={}", enc(e)));
    }
    if p.is_empty() {
        "/climate".into()
    } else {
        format!("/climate?{}", p.join("&"))
    }
}

pub(crate) fn compute(data: &ClimateData, q: Query) -> Result<ExplorerRun, AppError> {
    let settings = Settings {
        conditional: q.conditional,
        ..data.settings.clone()
    };
    let ndc = national_paths(
        &data.world.countries,
        Policy::Ndcs,
        &BTreeMap::new(),
        &settings,
    );
    let (specs, groups) = edit_specs(&data.world, &ndc, &q)?;
    // The CLI's reading of `--edit`s; a country without history is the request's fault here.
    let edits = parse_edits(&data.world, &specs).map_err(|e| match e {
        PledgeError::Unknown { .. } => AppError::BadRequest(format!("edit: {e}")),
        e => pledge_error(e),
    })?;
    let climate = ClimateSettings {
        params: q.params,
        reference: q.reference,
        ensemble: q.ensemble,
        ..ClimateSettings::default()
    };
    let report = pledges_report(&data.world, &edits, &settings, &climate).map_err(pledge_error)?;
    Ok(ExplorerRun {
        vintage: data.vintage.clone(),
        permalink: permalink(&q, &groups),
        history: history(&data.world),
        report,
        specs,
        groups,
        climate,
        conditional: q.conditional,
        advanced: q.edit,
    })
}

impl ExplorerRun {
    /// The user scenario as the briefs' climate predictor names it (`ndcs+ISO3=spec;...`).
    pub fn scenario_id(&self) -> String {
        if self.specs.is_empty() {
            "ndcs".into()
        } else {
            format!("ndcs+{}", self.specs.join(";"))
        }
    }
}

/// The explorer's run for `params` (cached by query).
pub async fn run(
    state: &AppState,
    viewer: &Viewer,
    params: &Params,
) -> Result<std::sync::Arc<ExplorerRun>, AppError> {
    let q = parse(params, viewer)?;
    let data = state.climate().await?;
    cached(
        &state.work,
        &state.explorer_runs,
        q.key(&data.vintage),
        move || compute(&data, q),
    )
    .await
}

pub(crate) fn summary(r: &ExplorerRun) -> Vec<Value> {
    r.report
        .scenarios
        .iter()
        .map(|sc| {
            let o = &sc.outcome;
            let likely = o.temperature_quantiles.last().map(|q| [q[1], q[3]]);
            json!({
                "policy": sc.policy.label(),
                "fossil_co2_gt": {"2030": sc.global.get(2030).map(|v| v / 1000.0), "2050": sc.global.get(2050).map(|v| v / 1000.0), "2100": sc.global.get(2100).map(|v| v / 1000.0)},
                "warming_2100_c": o.warming_end,
                "warming_2100_likely_c": likely,
                "warming_2100_median_c": o.temperature_quantiles.last().map(|q| q[2]),
                "peak": {"year": o.peak.0, "temperature_c": o.peak.1},
                "crosses_1_5": o.crosses[0], "crosses_2_0": o.crosses[1],
                "co2_ppm_2100": o.co2_ppm.last(),
                "cumulative_co2_from_2020_gt": o.cumulative_from_2020,
                "budgets": o.budgets.iter().map(|b| json!({"limit_c": b.limit, "likelihood": b.likelihood, "budget_gt_from_2020": b.budget, "exhausted_in": b.exhausted_in})).collect::<Vec<_>>(),
                "countries_skipped": sc.national.skipped.len(),
            })
        })
        .collect()
}

/// The view's table: one row per scenario and year (1850 to the horizon).
pub fn table(r: &ExplorerRun) -> Table {
    let mut scenario = Vec::new();
    let mut year = Vec::new();
    let mut fossil = Vec::new();
    let mut total = Vec::new();
    let mut temp = Vec::new();
    let mut qs: [Vec<Option<f64>>; 5] = Default::default();
    let mut co2 = Vec::new();
    for sc in &r.report.scenarios {
        let o = &sc.outcome;
        for (i, y) in o.years.iter().enumerate() {
            scenario.push(Some(sc.policy.label().to_string()));
            year.push(Some(i64::from(*y)));
            fossil.push(
                sc.global
                    .get(*y)
                    .or_else(|| r.history.get(*y).filter(|_| *y < r.report.jump_off)),
            );
            total.push(o.co2_emissions.get(i).copied());
            temp.push(o.temperature.get(i).copied());
            for (k, col) in qs.iter_mut().enumerate() {
                col.push(o.temperature_quantiles.get(i).map(|q| q[k]));
            }
            co2.push(o.co2_ppm.get(i).copied());
        }
    }
    let edits: serde_json::Map<String, Value> = r
        .report
        .edits
        .iter()
        .map(|(k, p)| (k.clone(), json!(p.describe())))
        .collect();
    let meta = json!({
        "view": "climate scenario explorer", "permalink": r.permalink, "label": super::CLIMATE_NOTE,
        "vintage": r.vintage, "jump_off": r.report.jump_off,
        "emulator": {"params": r.climate.params.id(), "reference": r.climate.reference.id(), "ensemble": r.climate.ensemble, "seed": r.climate.seed},
        "pledges": if r.conditional { "conditional" } else { "unconditional" },
        "sliders": r.groups.iter().map(|g| json!({"group": g.key, "label": g.label, "members": g.members.len(), "jump_off_mt": g.jump_off,
            "ndc_2030_mt": g.ndc_2030, "default_pct_2030": g.default_pct, "pct_2030": g.pct, "net_zero": g.net_zero})).collect::<Vec<_>>(),
        "edit": r.advanced, "edits": edits, "scenarios": summary(r),
        "units": {"fossil_co2_mt": "Mt CO2/yr, national fossil CO2 summed (history before the jump-off year: CDIAC totals plus bunkers)",
                  "co2_emissions_gt": "Gt CO2/yr, fossil and land use, as fed to the emulator", "temperature_c": "K above 1850-1900", "co2_ppm": "ppm"},
    });
    let [p05, p17, p50, p83, p95] = qs;
    Table::new("attache-climate-scenarios", meta)
        .with("scenario", Column::Text(scenario))
        .with("year", Column::Int(year))
        .with("fossil_co2_mt", Column::Float(fossil))
        .with("co2_emissions_gt", Column::Float(total))
        .with("temperature_c", Column::Float(temp))
        .with("temperature_p05", Column::Float(p05))
        .with("temperature_p17", Column::Float(p17))
        .with("temperature_p50", Column::Float(p50))
        .with("temperature_p83", Column::Float(p83))
        .with("temperature_p95", Column::Float(p95))
        .with("co2_ppm", Column::Float(co2))
}
