//! `/epidemic`: the cross-border epidemic simulator (`attache-epidemic`) on the current
//! vintage's country air network, for a disease, its seeds and an option's levers. Per
//! country: arrival day (median, 5-95%), the chance of an arrival within the horizon, peak day
//! and attack rate of a seeded chain-binomial ensemble; with levers, the same runs without
//! them (common random numbers) give the days of delay and the cases avoided. The numbers of
//! `attache epidemic run --ensemble N` and `attache epidemic compare`, and of the `epidemic`
//! predictor a brief's option carries: the settings are parsed and checked by
//! `attache_epidemic::predictor::EpidemicSettings`, the run is built by its `setup`.
//!
//! Runs on request are bounded: at most [`ANON_MAX_ENSEMBLE`](crate::params::ANON_MAX_ENSEMBLE)
//! runs without signing in (`MAX_ENSEMBLE` signed in), at most [`MAX_PAGE_DAYS`] days, at most
//! [`MAX_SHOW`] countries charted, on the shared work pool (queue, cancellation) and cached by
//! canonical query. Permalink: `/epidemic?model=seir&r0=2.2&…&lever=…`.
//!
//! This module is the view: query, computation and the one table its page, downloads and API
//! share; `pages::epidemic` renders it.

use std::sync::Arc;

use attache_core::outcome::Settings;
use attache_core::{Crosswalk, Date};
use attache_epidemic::air::{Level, build};
use attache_epidemic::calendar::Calendar;
use attache_epidemic::ensemble::{Comparison, Ensemble, Track};
use attache_epidemic::predictor::{EpidemicSettings, Kind};
use attache_epidemic::{EnsembleOptions, EpidemicError, Quantiles, Scenario, When, run_ensemble};
use attache_store::epidemic_inputs::AirRows;
use serde_json::json;

use crate::AppState;
use crate::auth::Viewer;
use crate::climate::cached;
use crate::download::{Column, Table};
use crate::error::AppError;
use crate::params::Params;

/// Runs of the ensemble unless the query says otherwise.
pub(crate) const DEFAULT_ENSEMBLE: usize = 100;
/// Most runs a signed-in viewer may ask for (the predictor's own limit).
pub(crate) const MAX_ENSEMBLE: usize = attache_epidemic::predictor::MAX_ENSEMBLE as usize;
/// Longest horizon the page runs, in days.
pub(crate) const MAX_PAGE_DAYS: usize = 730;
/// Countries whose daily incidence is charted at most.
pub(crate) const MAX_SHOW: usize = 3;

/// Parameters this view takes (the API documents the same, a test checks).
pub(crate) const KNOWN: [&str; 11] = [
    "model",
    "r0",
    "infectious_days",
    "latent_days",
    "seed",
    "lever",
    "ensemble",
    "rng_seed",
    "days",
    "show",
    "format",
];

/// A parsed, checked query.
pub(crate) struct Query {
    settings: EpidemicSettings,
    /// The option's levers, as given (empty: no lever).
    lever: String,
    /// Countries to chart (ISO3).
    show: Vec<String>,
}

fn settings_error(e: attache_core::outcome::OutcomeError) -> AppError {
    AppError::BadRequest(e.to_string())
}

/// Parses and checks `params` (every error names the parameter and value).
pub(crate) fn parse(params: &Params, viewer: &Viewer) -> Result<Query, AppError> {
    params.only(&KNOWN)?;
    let ensemble = params.ensemble(viewer, DEFAULT_ENSEMBLE, MAX_ENSEMBLE)?;
    if ensemble == 0 {
        return Err(AppError::BadRequest(
            "ensemble=0: the simulator needs at least one run".into(),
        ));
    }
    let days = params.number("days", 365, 1..=MAX_PAGE_DAYS)?;
    let mut s = Settings::new().set("ensemble", ensemble).set("days", days);
    for name in ["model", "r0", "infectious_days", "latent_days", "rng_seed"] {
        if let Some(v) = params.get(name) {
            s = s.set(name, v);
        }
    }
    if let Some(v) = params.get("seed") {
        s = s.set("seed", v);
    }
    let settings = EpidemicSettings::parse(&s).map_err(settings_error)?;
    let lever = params.get("lever").unwrap_or_default().trim().to_string();
    let cal = settings.calendar().map_err(settings_error)?;
    cal.scenario(&lever)
        .map_err(|e| AppError::BadRequest(format!("lever={lever:?}: {e}")))?;
    let mut show = Vec::new();
    if let Some(list) = params.get("show") {
        for name in list.split(',').map(str::trim).filter(|x| !x.is_empty()) {
            let c = Crosswalk::global()
                .find(name)
                .map_err(|e| AppError::BadRequest(format!("show={name:?}: {e}")))?;
            if !show.contains(&c.iso3) {
                show.push(c.iso3.clone());
            }
        }
        if show.len() > MAX_SHOW {
            return Err(AppError::BadRequest(format!(
                "show={list:?}: at most {MAX_SHOW} countries are charted at once"
            )));
        }
    }
    Ok(Query {
        settings,
        lever,
        show,
    })
}

impl Query {
    /// The canonical link of this query (also the cache key, with the vintage).
    pub(crate) fn permalink(&self) -> String {
        let s = &self.settings;
        let enc = crate::views::enc;
        let mut p = format!(
            "/epidemic?model={}&r0={}&infectious_days={}",
            match s.kind {
                Kind::Sir => "sir",
                Kind::Seir => "seir",
            },
            s.r0,
            s.infectious_days
        );
        if s.kind == Kind::Seir {
            p.push_str(&format!("&latent_days={}", s.latent_days));
        }
        p.push_str(&format!(
            "&seed={}&ensemble={}&rng_seed={}&days={}",
            enc(&s.seeds.join(";")),
            s.ensemble,
            s.rng_seed,
            s.days
        ));
        if !self.lever.is_empty() {
            p.push_str(&format!("&lever={}", enc(&self.lever)));
        }
        if !self.show.is_empty() {
            p.push_str(&format!("&show={}", self.show.join(",")));
        }
        p
    }
}

/// One country's outcome.
pub struct CountryOutcome {
    pub iso3: String,
    pub name: String,
    pub population: u64,
    /// Arrival day: median, 5% and 95% (`None` = not within the horizon).
    pub arrival: [Option<f64>; 3],
    /// Share of runs with an arrival within the horizon.
    pub p_arrival: f64,
    pub peak_median: Option<f64>,
    /// Attack rate: median, 5%, 95%.
    pub attack_rate: [f64; 3],
    /// With levers: the baseline's median arrival, the delay (median, 5%, 95%; `None` = kept
    /// out within the horizon), the runs where the baseline arrived, the share of those where
    /// it still arrives, and the cases avoided (median, 5%, 95%).
    pub against: Option<Against>,
}

/// A country's outcome against the baseline.
pub struct Against {
    pub baseline_arrival: Option<f64>,
    pub delay: [Option<f64>; 3],
    pub runs_with_arrival: usize,
    pub still_arrives: f64,
    pub cases_avoided: [f64; 3],
}

/// A charted country's daily incidence and prevalence fans, with the baseline's medians when
/// there are levers.
pub struct Charted {
    pub iso3: String,
    pub name: String,
    pub incidence: Vec<Quantiles>,
    pub baseline_median: Option<Vec<f64>>,
    pub prevalence: Vec<Quantiles>,
    pub baseline_prevalence: Option<Vec<f64>>,
}

/// What the view computed for one query.
pub struct EpidemicRun {
    pub vintage: String,
    pub settings: EpidemicSettings,
    pub lever: String,
    pub start: Date,
    pub days: u32,
    pub subpops: usize,
    pub links: usize,
    pub per_route: f64,
    pub network_notes: Vec<String>,
    /// Countries, earliest (baseline) median arrival first.
    pub countries: Vec<CountryOutcome>,
    pub world_attack_rate: Quantiles,
    /// With levers: cases avoided in all countries.
    pub total_cases_avoided: Option<Quantiles>,
    pub world_incidence: Vec<Quantiles>,
    pub charted: Vec<Charted>,
    pub permalink: String,
}

fn day(w: When) -> Option<f64> {
    match w {
        When::Day(d) => Some(d),
        When::NotReached => None,
    }
}

fn ensemble_error(e: EpidemicError) -> AppError {
    match e {
        EpidemicError::Cancelled => AppError::internal("the simulation was cancelled"),
        e => AppError::internal(format!("the epidemic ensemble: {e}")),
    }
}

/// Runs the query on `rows` (pure; called on the work pool).
pub(crate) fn compute(q: Query, vintage: String, rows: &AirRows) -> Result<EpidemicRun, AppError> {
    let s = &q.settings;
    let cal: Calendar = s.calendar().map_err(settings_error)?;
    let start = cal.start().ok_or_else(|| {
        AppError::BadRequest("seed: date the seeds (ISO3:COUNT@YYYY-MM-DD)".into())
    })?;
    let net = build(&rows.as_of(Some(start)), Level::Countries, None).map_err(|e| {
        AppError::internal(format!(
            "building the country network of vintage {vintage}: {e}"
        ))
    })?;
    let names = net.world.names().to_vec();
    let mut track = Vec::new();
    for iso3 in &q.show {
        let i = net.world.index(iso3).ok_or_else(|| {
            AppError::BadRequest(format!(
                "show={iso3}: not a country of the network (no airport with a route, or no WDI population)"
            ))
        })?;
        track.push(i);
    }
    let scenario = cal
        .scenario(&q.lever)
        .map_err(|e| AppError::BadRequest(format!("lever={:?}: {e}", q.lever)))?;
    let opts = EnsembleOptions {
        runs: s.ensemble,
        seed: s.rng_seed,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        track: track.clone(),
    };
    let setup = s
        .setup(&net, &cal, &scenario, s.days)
        .map_err(|e| AppError::BadRequest(format!("seed or lever: {e}")))?;
    let option = run_ensemble(&setup, &opts).map_err(ensemble_error)?;
    let (baseline, cmp): (Option<Ensemble>, Option<Comparison>) = if scenario.levers.is_empty() {
        (None, None)
    } else {
        let base_setup = s
            .setup(&net, &cal, &Scenario::baseline(), s.days)
            .map_err(|e| AppError::BadRequest(format!("seed: {e}")))?;
        let base = run_ensemble(&base_setup, &opts).map_err(ensemble_error)?;
        let cmp = option.compare(&base).map_err(ensemble_error)?;
        (Some(base), Some(cmp))
    };
    let population = net.world.population().to_vec();
    let cw = Crosswalk::global();
    let mut countries: Vec<CountryOutcome> = (0..names.len())
        .map(|i| {
            let arr = option.arrival(i);
            let ar = option.attack_rate(i);
            let against = match (&baseline, &cmp) {
                (Some(b), Some(c)) => {
                    let e = &c.effects[i];
                    Some(Against {
                        baseline_arrival: day(b.arrival(i).median),
                        delay: [day(e.delay.median), day(e.delay.q05), day(e.delay.q95)],
                        runs_with_arrival: e.runs_with_arrival,
                        still_arrives: e.delay.reached,
                        cases_avoided: [
                            e.cases_avoided.q50,
                            e.cases_avoided.q05,
                            e.cases_avoided.q95,
                        ],
                    })
                }
                _ => None,
            };
            CountryOutcome {
                iso3: names[i].clone(),
                name: cw
                    .find(&names[i])
                    .map_or_else(|_| names[i].clone(), |c| c.name.clone()),
                population: population[i],
                arrival: [day(arr.median), day(arr.q05), day(arr.q95)],
                p_arrival: arr.reached,
                peak_median: day(option.peak_day(i).median),
                attack_rate: [ar.q50, ar.q05, ar.q95],
                against,
            }
        })
        .collect();
    let key = |c: &CountryOutcome| {
        c.against
            .as_ref()
            .map_or(c.arrival[0], |a| a.baseline_arrival)
            .unwrap_or(f64::INFINITY)
    };
    countries.sort_by(|a, b| key(a).total_cmp(&key(b)).then(a.iso3.cmp(&b.iso3)));
    let mut charted = Vec::new();
    for (iso3, &i) in q.show.iter().zip(&track) {
        charted.push(Charted {
            iso3: iso3.clone(),
            name: cw
                .find(iso3)
                .map_or_else(|_| iso3.clone(), |c| c.name.clone()),
            incidence: option
                .incidence_fan(Track::Subpop(i))
                .map_err(ensemble_error)?,
            baseline_median: match &baseline {
                Some(b) => Some(
                    b.incidence_fan(Track::Subpop(i))
                        .map_err(ensemble_error)?
                        .iter()
                        .map(|x| x.q50)
                        .collect(),
                ),
                None => None,
            },
            prevalence: option
                .prevalence_fan(Track::Subpop(i))
                .map_err(ensemble_error)?,
            baseline_prevalence: match &baseline {
                Some(b) => Some(
                    b.prevalence_fan(Track::Subpop(i))
                        .map_err(ensemble_error)?
                        .iter()
                        .map(|x| x.q50)
                        .collect(),
                ),
                None => None,
            },
        });
    }
    Ok(EpidemicRun {
        permalink: q.permalink(),
        vintage,
        start,
        days: s.days,
        subpops: names.len(),
        links: net.world.mobility().links().len(),
        per_route: net.per_route,
        network_notes: net.notes.clone(),
        world_attack_rate: option.world_attack_rate(),
        total_cases_avoided: cmp.as_ref().map(|c| c.total_cases_avoided),
        world_incidence: option.incidence_fan(Track::World).map_err(ensemble_error)?,
        countries,
        charted,
        settings: q.settings,
        lever: q.lever,
    })
}

/// The run for `params` (cached by vintage and canonical query, on the work pool).
pub async fn run(
    state: &AppState,
    viewer: &Viewer,
    params: &Params,
) -> Result<Arc<EpidemicRun>, AppError> {
    let q = parse(params, viewer)?;
    let (rows, vintage) = state.air_rows().await?;
    let key = format!("{vintage} {}", q.permalink());
    cached(&state.work, &state.epidemic_runs, key, move || {
        compute(q, vintage, &rows)
    })
    .await
}

/// A day number as the date it falls on.
pub fn date_of(r: &EpidemicRun, d: f64) -> String {
    Date::from_days_since_epoch(r.start.days_since_epoch() + d.round() as i64).to_string()
}

/// The view's table: one row per country, earliest arrival first.
pub fn table(r: &EpidemicRun) -> Table {
    let c = &r.countries;
    let text = |f: &dyn Fn(&CountryOutcome) -> String| {
        Column::Text(c.iter().map(|x| Some(f(x))).collect())
    };
    let num = |f: &dyn Fn(&CountryOutcome) -> Option<f64>| Column::Float(c.iter().map(f).collect());
    let meta = json!({
        "view": "epidemic scenario", "permalink": r.permalink,
        "label": "Reference simulation: the system advises, a person decides. Intervals are the ensemble's 5th to 95th percentiles.",
        "model": format!("attache-epidemic {}", r.settings.describe()),
        "day_0": r.start.to_string(), "days": r.days, "lever": if r.lever.is_empty() { None } else { Some(&r.lever) },
        "network": {"vintage": r.vintage, "countries": r.subpops, "links": r.links, "passengers_per_route": r.per_route, "notes": r.network_notes},
        "world_attack_rate": {"median": r.world_attack_rate.q50, "p05": r.world_attack_rate.q05, "p95": r.world_attack_rate.q95},
        "total_cases_avoided": r.total_cases_avoided.map(|q| json!({"median": q.q50, "p05": q.q05, "p95": q.q95})),
        "days_note": "days are counted from day 0 (the first seed's date); null = not within the horizon",
    });
    let mut t = Table::new("attache-epidemic".to_string(), meta)
        .with("iso3", text(&|x| x.iso3.clone()))
        .with("country", text(&|x| x.name.clone()))
        .with(
            "population",
            Column::Int(c.iter().map(|x| i64::try_from(x.population).ok()).collect()),
        )
        .with("arrival_median", num(&|x| x.arrival[0]))
        .with("arrival_p05", num(&|x| x.arrival[1]))
        .with("arrival_p95", num(&|x| x.arrival[2]))
        .with("arrival_reached", num(&|x| Some(x.p_arrival)))
        .with("peak_median", num(&|x| x.peak_median))
        .with("attack_rate_median", num(&|x| Some(x.attack_rate[0])))
        .with("attack_rate_p05", num(&|x| Some(x.attack_rate[1])))
        .with("attack_rate_p95", num(&|x| Some(x.attack_rate[2])));
    if r.countries.iter().any(|x| x.against.is_some()) {
        let a = |f: &dyn Fn(&Against) -> Option<f64>| {
            Column::Float(c.iter().map(|x| x.against.as_ref().and_then(f)).collect())
        };
        t = t
            .with("baseline_arrival_median", a(&|x| x.baseline_arrival))
            .with("delay_median", a(&|x| x.delay[0]))
            .with("delay_p05", a(&|x| x.delay[1]))
            .with("delay_p95", a(&|x| x.delay[2]))
            .with(
                "runs_with_arrival",
                Column::Int(
                    c.iter()
                        .map(|x| x.against.as_ref().map(|a| a.runs_with_arrival as i64))
                        .collect(),
                ),
            )
            .with("still_arrives", a(&|x| Some(x.still_arrives)))
            .with("cases_avoided_median", a(&|x| Some(x.cases_avoided[0])))
            .with("cases_avoided_p05", a(&|x| Some(x.cases_avoided[1])))
            .with("cases_avoided_p95", a(&|x| Some(x.cases_avoided[2])));
    }
    t
}
