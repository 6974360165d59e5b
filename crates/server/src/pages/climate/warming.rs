//! `/climate/warming`: the emulator on the built-in emission scenarios (RCPs and the AR6 SSPs),
//! with an optional parameter ensemble: warming against 1850–1900 and CO2 concentration year by
//! year, and the SSPs' 2081–2100 means next to IPCC AR6 SPM.1. The numbers of `attache climate
//! warming --scenario S --params P [--ensemble N --seed K]`; the download has its columns
//! (`year,temperature_c,co2_ppm`, the quantiles `temperature_p05..p95`) with a `scenario` column
//! in front. Permalink: `/climate/warming?scenarios=ssp126,ssp245&params=calibrated&ensemble=100&seed=1&to=2100`.

use attache_climate::Scenario;
use attache_climate::calibration::{AR6_SPM1, ParamSet};
use attache_climate::ensemble::{LEVELS, sampled_ensemble};
use attache_viz::chart::line::YZero;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use maud::html;
use serde_json::json;

use super::{climate_banner, param_options, param_set, tabs};
use crate::AppState;
use crate::auth::Viewer;
use crate::charts::climate::{Line, Warming, YearChart, warming, years};
use crate::climate::cached;
use crate::download::{Column, Table};
use crate::error::AppError;
use crate::html::{page as layout, view_links};
use crate::params::{Format, Params};

const DEFAULT_ENSEMBLE: usize = 100;
const MAX_ENSEMBLE: usize = 1000;
const FIRST_YEAR: i32 = 1850;

/// One scenario's run.
pub struct ScenarioRun {
    pub scenario: Scenario,
    pub years: Vec<i32>,
    pub temperature: Vec<f64>,
    pub co2_ppm: Vec<f64>,
    /// Per year, at [`LEVELS`] (empty without an ensemble).
    pub quantiles: Vec<Vec<f64>>,
    /// 2081–2100 mean of the deterministic run.
    pub mean_2081_2100: Option<f64>,
    /// Quantiles of the members' 2081–2100 means at [`LEVELS`].
    pub mean_quantiles: Option<Vec<f64>>,
}

/// What the page computed.
pub struct WarmingRun {
    pub scenarios: Vec<ScenarioRun>,
    pub params: ParamSet,
    pub ensemble: usize,
    pub seed: u64,
    pub to: i32,
    pub permalink: String,
}

struct Query {
    scenarios: Vec<Scenario>,
    params: ParamSet,
    ensemble: usize,
    seed: u64,
    to: i32,
}

fn parse(params: &Params, viewer: &Viewer) -> Result<Query, AppError> {
    params.only(&["scenarios", "params", "ensemble", "seed", "to", "format"])?;
    let scenarios = match params.get("scenarios") {
        None => Scenario::SSPS.to_vec(),
        Some(s) => {
            let mut v = Vec::new();
            for id in s.split(',').map(str::trim).filter(|x| !x.is_empty()) {
                let sc: Scenario = id
                    .parse()
                    .map_err(|e: String| AppError::BadRequest(format!("scenarios={s:?}: {e}")))?;
                if !v.contains(&sc) {
                    v.push(sc);
                }
            }
            if v.is_empty() {
                return Err(AppError::BadRequest(
                    "scenarios=\"\": name at least one scenario".into(),
                ));
            }
            v.sort_by_key(|sc| Scenario::ALL.iter().position(|x| x == sc));
            v
        }
    };
    let seed = match params.get("seed") {
        None => 1,
        Some(s) => s
            .parse::<u64>()
            .map_err(|_| AppError::BadRequest(format!("seed={s:?}: expected a whole number")))?,
    };
    Ok(Query {
        scenarios,
        params: param_set(params, ParamSet::Calibrated)?,
        ensemble: params.ensemble(viewer, DEFAULT_ENSEMBLE, MAX_ENSEMBLE)?,
        seed,
        to: params.number("to", 2100, 2030..=2300)? as i32,
    })
}

impl Query {
    fn permalink(&self) -> String {
        let ids: Vec<&str> = self.scenarios.iter().map(|s| s.id()).collect();
        format!(
            "/climate/warming?scenarios={}&params={}&ensemble={}&seed={}&to={}",
            ids.join(","),
            self.params.id(),
            self.ensemble,
            self.seed,
            self.to
        )
    }
}

fn compute(q: Query) -> Result<WarmingRun, AppError> {
    let p = q.params.params();
    let mut out = Vec::new();
    for sc in &q.scenarios {
        let e = sc.emissions().map_err(AppError::internal)?;
        let e = e.slice_years(1765, q.to).ok_or_else(|| {
            AppError::BadRequest(format!("{} does not reach {}", sc.label(), q.to))
        })?;
        let run = attache_climate::run(&e, &p)
            .and_then(|o| o.rebased(1850..=1900))
            .map_err(AppError::internal)?;
        let idx: Vec<usize> = (0..run.years.len())
            .filter(|i| run.years[*i] >= f64::from(FIRST_YEAR) && run.years[*i] <= f64::from(q.to))
            .collect();
        let (quantiles, mean_quantiles) = if q.ensemble > 0 {
            let ens = sampled_ensemble(&e, &p, q.ensemble, q.seed).map_err(AppError::internal)?;
            let all = ens.temperature_quantiles(&LEVELS);
            let mq = (q.to >= 2100).then(|| ens.period_mean_quantiles(2081, 2100, &LEVELS));
            (idx.iter().map(|i| all[*i].clone()).collect(), mq)
        } else {
            (Vec::new(), None)
        };
        out.push(ScenarioRun {
            scenario: *sc,
            years: idx.iter().map(|i| run.years[*i] as i32).collect(),
            temperature: idx.iter().map(|i| run.temperature[*i]).collect(),
            co2_ppm: idx.iter().map(|i| run.concentration_co2_ppm[*i]).collect(),
            quantiles,
            mean_2081_2100: if q.to >= 2100 {
                run.mean_temperature(2081..=2100)
            } else {
                None
            },
            mean_quantiles,
        });
    }
    Ok(WarmingRun {
        permalink: q.permalink(),
        scenarios: out,
        params: q.params,
        ensemble: q.ensemble,
        seed: q.seed,
        to: q.to,
    })
}

/// The run for `params` (cached by canonical query).
pub async fn run(
    state: &AppState,
    viewer: &Viewer,
    params: &Params,
) -> Result<std::sync::Arc<WarmingRun>, AppError> {
    let q = parse(params, viewer)?;
    cached(&state.work, &state.warming_runs, q.permalink(), move || {
        compute(q)
    })
    .await
}

fn ar6(sc: Scenario) -> Option<(f64, f64, f64)> {
    AR6_SPM1.iter().find(|r| r.0 == sc).map(|r| (r.1, r.2, r.3))
}

/// The view's table: one row per scenario and year.
pub fn table(r: &WarmingRun) -> Table {
    let mut scenario = Vec::new();
    let mut year = Vec::new();
    let mut temp = Vec::new();
    let mut co2 = Vec::new();
    let mut qs: [Vec<Option<f64>>; 5] = Default::default();
    for s in &r.scenarios {
        for i in 0..s.years.len() {
            scenario.push(Some(s.scenario.id().to_string()));
            year.push(Some(i64::from(s.years[i])));
            temp.push(Some(s.temperature[i]));
            co2.push(Some(s.co2_ppm[i]));
            for (k, col) in qs.iter_mut().enumerate() {
                col.push(s.quantiles.get(i).map(|q| q[k]));
            }
        }
    }
    let meta = json!({
        "view": "climate emission scenarios", "permalink": r.permalink, "label": super::CLIMATE_NOTE,
        "emulator": "attache-climate (FaIR 1.6.4 port)", "params": r.params.id(), "fitted_to": r.params.fitted().1,
        "ensemble": r.ensemble, "seed": r.seed, "baseline": "1850-1900",
        "scenario_tables": "built in: RCP (Meinshausen et al. 2011, as shipped with FaIR) and RCMIP v5.1.0 SSP emissions (CC BY 4.0)",
        "warming_2081_2100": r.scenarios.iter().map(|s| json!({
            "scenario": s.scenario.id(), "ours": s.mean_2081_2100,
            "ours_quantiles_5_17_50_83_95": s.mean_quantiles,
            "ar6": ar6(s.scenario).map(|(b, lo, hi)| json!({"best": b, "very_likely": [lo, hi]})),
        })).collect::<Vec<_>>(),
    });
    let mut t = Table::new(format!("attache-warming-{}", r.params.id()), meta)
        .with("scenario", Column::Text(scenario))
        .with("year", Column::Int(year))
        .with("temperature_c", Column::Float(temp))
        .with("co2_ppm", Column::Float(co2));
    if r.ensemble > 0 {
        for ((name, _), col) in [
            ("temperature_p05", 0),
            ("temperature_p17", 1),
            ("temperature_p50", 2),
            ("temperature_p83", 3),
            ("temperature_p95", 4),
        ]
        .iter()
        .zip(qs)
        {
            t = t.with(name, Column::Float(col));
        }
    }
    t
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.format(
        Format::Html,
        &[Format::Html, Format::Csv, Format::Json, Format::Parquet],
    )?;
    let r = run(&state, &viewer, &params).await?;
    if format != Format::Html {
        return table(&r).respond(format);
    }
    let scenarios = r
        .scenarios
        .iter()
        .map(|s| Warming {
            name: s.scenario.label().to_string(),
            line: s
                .years
                .iter()
                .copied()
                .zip(s.temperature.iter().copied())
                .collect(),
            likely: s
                .years
                .iter()
                .zip(&s.quantiles)
                .filter(|(y, _)| **y >= 2015)
                .map(|(y, q)| (*y, q[1], q[3]))
                .collect(),
        })
        .collect();
    let warming = warming(
        "warming",
        "Emulator runs on the published emission scenarios. Reference projection — not a decision.",
        scenarios,
    )?;
    let co2 = years(
        &YearChart {
            id: "co2",
            title: "Atmospheric CO₂ concentration",
            y_label: "ppm",
            caption: "Four-box carbon cycle with state-dependent uptake (FaIR 1.6).",
            decimals: 0,
            y_zero: YZero::Fit,
        },
        r.scenarios
            .iter()
            .map(|s| {
                Line::new(
                    s.scenario.label(),
                    s.years.iter().copied().zip(s.co2_ppm.iter().copied()),
                )
            })
            .collect(),
        vec![],
    )?;
    let body = html! {
        h1 { "Emission scenarios through the climate emulator" }
        (tabs("/climate/warming"))
        p.lede { "The published RCP and SSP emission pathways run through Attaché's FaIR 1.6.4-compatible emulator, as " code { "attache climate warming" } " does." }
        (climate_banner())
        form #warming-form method="get" action="/climate/warming" {
            fieldset {
                legend { "Scenarios" }
                label { "Scenarios (comma-separated) " input type="text" name="scenarios" id="scenarios" size="40" value=(r.scenarios.iter().map(|s| s.scenario.id()).collect::<Vec<_>>().join(",")); }
                br;
                @for sc in Scenario::ALL {
                    label.check { input type="checkbox" data-scenario=(sc.id()) checked[r.scenarios.iter().any(|s| s.scenario == sc)]; " " (sc.label()) }
                }
            }
            p {
                label { "Parameters " select name="params" { (param_options(r.params)) } }
                " · " label { "Ensemble members " input type="range" name="ensemble" min="0" max=(MAX_ENSEMBLE) step="10" value=(r.ensemble) data-output="ensemble_out"; output #ensemble_out { (r.ensemble) } }
                " · " label { "Seed " input type="number" name="seed" min="0" value=(r.seed); }
                " · " label { "Until " input type="range" name="to" min="2030" max="2300" step="10" value=(r.to) data-output="to_out"; output #to_out { (r.to) } }
                " " button type="submit" { "Run" }
            }
        }
        figure.chart { (maud::PreEscaped(warming)) }
        figure.chart { (maud::PreEscaped(co2)) }
        @if r.scenarios.iter().any(|s| ar6(s.scenario).is_some() && s.mean_2081_2100.is_some()) {
            h2 { "2081–2100 against IPCC AR6" }
            table #ar6 {
                thead { tr { th { "Scenario" } th { "Ours, best estimate" } th { "Ours, 5–95% (17–83%)" } th { "AR6 best (5–95%)" } } }
                tbody {
                    @for s in &r.scenarios {
                        @if let (Some((b, lo, hi)), Some(m)) = (ar6(s.scenario), s.mean_2081_2100) {
                            tr data-scenario=(s.scenario.id()) {
                                td { (s.scenario.label()) }
                                td.num data-value=(m) { (format!("{m:.2} °C")) }
                                td.num { @if let Some(q) = &s.mean_quantiles { (format!("{:.2}–{:.2} ({:.2}–{:.2})", q[0], q[4], q[1], q[3])) } @else { "–" } }
                                td.num { (format!("{b:.1} ({lo:.1}–{hi:.1})")) }
                            }
                        }
                    }
                }
            }
            p.small { "AR6 WG1 Table SPM.1. The ensemble samples parameter uncertainty only and is not constrained by observed warming, so its ranges are wider than AR6's for the two-box sets (see the method)." }
        }
        h2 { "2100" }
        table #y2100 {
            thead { tr { th { "Scenario" } th { "Warming" } th { "CO₂" } } }
            tbody {
                @for s in &r.scenarios {
                    @if let Some(i) = s.years.iter().position(|y| *y == 2100) {
                        tr data-scenario=(s.scenario.id()) {
                            td { (s.scenario.label()) }
                            td.num data-value=(s.temperature[i]) { (format!("{:.2} °C", s.temperature[i])) @if let Some(q) = s.quantiles.get(i) { " (" (format!("{:.1}–{:.1}", q[1], q[3])) ")" } }
                            td.num data-value=(s.co2_ppm[i]) { (format!("{:.0} ppm", s.co2_ppm[i])) }
                        }
                    }
                }
            }
        }
        (view_links(&r.permalink))
        h2 { "Method" }
        p { "Parameters " code { (r.params.id()) } ": fitted to " (r.params.fitted().1) ". Scenario tables are compiled into the binary: RCPs as shipped with FaIR (Apache-2.0), RCMIP v5.1.0 SSP emissions (CC BY 4.0). "
            a href="/methodology#climate" { "Golden tests against FaIR 1.6.4, calibration and its out-of-sample checks" } "." }
    };
    Ok(Html(layout("Emission scenarios", &viewer, body).into_string()).into_response())
}
