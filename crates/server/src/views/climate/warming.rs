//! `/climate/warming`: the emulator on the built-in emission scenarios (RCPs and the AR6 SSPs),
//! with an optional parameter ensemble: warming against 1850–1900 and CO2 concentration year by
//! year, and the SSPs' 2081–2100 means next to IPCC AR6 SPM.1. The numbers of `attache climate
//! warming --scenario S --params P [--ensemble N --seed K]`; the download has its columns
//! (`year,temperature_c,co2_ppm`, the quantiles `temperature_p05..p95`) with a `scenario` column
//! in front. Permalink: `/climate/warming?scenarios=ssp126,ssp245&params=calibrated&ensemble=100&seed=1&to=2100`.
//!
//! This module is the view: query, computation and the one table its page, downloads and API
//! share; `pages::climate::warming` renders it.

use attache_climate::Scenario;
use attache_climate::calibration::{AR6_SPM1, ParamSet};
use attache_climate::ensemble::{LEVELS, sampled_ensemble};
use serde_json::json;

use crate::AppState;
use crate::auth::Viewer;
use crate::climate::cached;
use crate::download::{Column, Table};
use crate::error::AppError;
use crate::params::Params;
use crate::views::climate::param_set;

pub use crate::climate::{ScenarioRun, WarmingRun};

pub(crate) const DEFAULT_ENSEMBLE: usize = 100;
pub(crate) const MAX_ENSEMBLE: usize = 1000;
pub(crate) const FIRST_YEAR: i32 = 1850;

pub(crate) struct Query {
    scenarios: Vec<Scenario>,
    params: ParamSet,
    ensemble: usize,
    seed: u64,
    to: i32,
}

/// Parameters this view takes (the API documents the same, a test checks).
pub(crate) const KNOWN: [&str; 6] = ["scenarios", "params", "ensemble", "seed", "to", "format"];

pub(crate) fn parse(params: &Params, viewer: &Viewer) -> Result<Query, AppError> {
    params.only(&KNOWN)?;
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

pub(crate) fn compute(q: Query) -> Result<WarmingRun, AppError> {
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

pub(crate) fn ar6(sc: Scenario) -> Option<(f64, f64, f64)> {
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
