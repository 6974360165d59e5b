//! The pledge aggregator (C-ROADS style): national pathways summed to a global fossil-CO2
//! path, spliced into a reference SSP (which supplies land-use CO2 and every other gas), run
//! through the calibrated emulator for warming, CO2 concentration and the use of the
//! remaining carbon budget, for "current policies", "NDCs" and a user scenario.
//!
//! Splice: up to the jump-off year `Y0` the reference scenario is untouched; after it the
//! reference's fossil CO2 is `ref(Y0) * G(t) / G(Y0)` where `G` is the sum of the national
//! pathways (plus international bunkers, which follow their own trend in every scenario).
//! Using the relative change keeps the model's own historical level (RCMIP) and the
//! inventories' level (CDIAC) from being mixed.

use std::collections::BTreeMap;

use attache_climate::calibration::ParamSet;
use attache_climate::ensemble::{LEVELS, sampled_ensemble};
use attache_climate::{Emissions, Scenario, run};

use crate::PledgeError;
use crate::ndc::Pledge;
use crate::pathway::{Country, Pathway, Settings, current_policies, jump_off, pledge_pathway};
use crate::series::Series;

/// Pseudo-code of international aviation and shipping bunkers.
pub const BUNKERS: &str = "BUNKERS";

/// The three compared policy scenarios.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Policy {
    /// Every country on its current-policies trend.
    CurrentPolicies,
    /// Every country meets its NDC (current policies where it has no quantified one).
    Ndcs,
    /// NDCs with the user's edits.
    User,
}

impl Policy {
    /// Display name.
    pub fn label(self) -> &'static str {
        match self {
            Policy::CurrentPolicies => "current policies",
            Policy::Ndcs => "NDCs",
            Policy::User => "user scenario",
        }
    }
}

/// National pathways under a policy; countries without history are listed in `skipped`.
#[derive(Debug, Clone, PartialEq)]
pub struct NationalPaths {
    /// Country code → pathway.
    pub paths: BTreeMap<String, Pathway>,
    /// Countries left out or kept at current policies, with the reason.
    pub skipped: Vec<(String, String)>,
}

/// Countries whose data end more than this many years before the latest jump-off are left
/// out (dissolved states: USSR, Czechoslovakia, Yugoslavia).
pub const STALE_YEARS: i32 = 5;

/// The latest jump-off year among `countries`, against which stale data are judged.
pub fn latest_jump_off(countries: &[Country], s: &Settings) -> Option<i32> {
    countries
        .iter()
        .filter_map(|c| jump_off(c, s).ok())
        .map(|j| j.0)
        .max()
}

/// A country's jump-off year and emissions, or why it has none that the aggregator uses: no
/// history, or data ending more than [`STALE_YEARS`] before `latest` (dissolved states).
pub fn current_jump_off(
    c: &Country,
    s: &Settings,
    latest: Option<i32>,
) -> Result<(i32, f64), String> {
    match jump_off(c, s) {
        Err(e) => Err(e.to_string()),
        Ok((y, _)) if latest.is_some_and(|l| y < l - STALE_YEARS) => Err(format!(
            "no data since {y} (dissolved or no longer reported)"
        )),
        Ok(j) => Ok(j),
    }
}

/// Builds every country's pathway under `policy`; `edits` replace pledges (User only). A
/// pledge that cannot be applied (a missing base year, say) falls back to current policies
/// and is listed in `skipped` with the reason.
pub fn national_paths(
    countries: &[Country],
    policy: Policy,
    edits: &BTreeMap<String, Pledge>,
    s: &Settings,
) -> NationalPaths {
    let mut paths = BTreeMap::new();
    let mut skipped = Vec::new();
    let latest = latest_jump_off(countries, s);
    for c in countries {
        if let Err(why) = current_jump_off(c, s, latest) {
            skipped.push((c.iso3.clone(), why));
            continue;
        }
        let pledge = match policy {
            Policy::CurrentPolicies => None,
            Policy::Ndcs => c.pledge.as_ref(),
            Policy::User => edits.get(&c.iso3).or(c.pledge.as_ref()),
        };
        let r = match (pledge, c.iso3 == BUNKERS) {
            (Some(p), false) => pledge_pathway(c, p, s).or_else(|e| {
                skipped.push((
                    c.iso3.clone(),
                    format!("pledge not applied ({e}): current policies"),
                ));
                current_policies(c, s)
            }),
            _ => current_policies(c, s),
        };
        match r {
            Ok(p) => {
                paths.insert(c.iso3.clone(), p);
            }
            Err(e) => skipped.push((c.iso3.clone(), e.to_string())),
        }
    }
    NationalPaths { paths, skipped }
}

/// The common jump-off year: the latest among the pathways (others carry their last value).
pub fn common_jump_off(paths: &NationalPaths) -> Option<i32> {
    paths.paths.values().map(|p| p.jump_off.0).max()
}

/// Global fossil CO2, Mt CO2/yr, from the common jump-off year to the horizon.
pub fn global_path(paths: &NationalPaths, s: &Settings) -> Option<Series> {
    let y0 = common_jump_off(paths)?;
    let mut g = Series::default();
    for p in paths.paths.values() {
        for t in y0..=s.horizon {
            let v = p.at(t).unwrap_or(p.jump_off.1);
            *g.0.entry(t).or_default() += v;
        }
    }
    Some(g)
}

/// AR6 WG1 SPM Table SPM.2: remaining CO2 budgets from 1 January 2020, Gt CO2:
/// `(warming limit K, likelihood, budget)`.
pub const AR6_BUDGETS: [(f64, f64, f64); 4] = [
    (1.5, 0.50, 500.0),
    (1.5, 0.67, 400.0),
    (2.0, 0.50, 1350.0),
    (2.0, 0.67, 1150.0),
];

/// Climate settings of the aggregator.
#[derive(Debug, Clone, PartialEq)]
pub struct ClimateSettings {
    /// Parameter set (default: calibrated-hist, which fits observed warming and CO2).
    pub params: ParamSet,
    /// Reference scenario for land-use CO2 and the other gases.
    pub reference: Scenario,
    /// Ensemble members for the likely range (0 = none).
    pub ensemble: usize,
    /// Ensemble seed.
    pub seed: u64,
}

impl Default for ClimateSettings {
    fn default() -> Self {
        ClimateSettings {
            params: ParamSet::CalibratedHist,
            reference: Scenario::Ssp245,
            ensemble: 200,
            seed: 20151212,
        }
    }
}

/// Use of one remaining budget.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetUse {
    /// Warming limit, K.
    pub limit: f64,
    /// Likelihood of staying below it.
    pub likelihood: f64,
    /// Budget from 2020, Gt CO2.
    pub budget: f64,
    /// Left at the start of the jump-off year + 1 (after emissions 2020..=Y0), Gt CO2.
    pub remaining_after_jump_off: f64,
    /// Year in which cumulative emissions from 2020 exceed it, if by the horizon.
    pub exhausted_in: Option<i32>,
}

/// Climate outcome of one global path.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Years 1850..=horizon.
    pub years: Vec<i32>,
    /// Warming vs 1850–1900 (deterministic run), K.
    pub temperature: Vec<f64>,
    /// Ensemble 5/17/50/83/95% per year (empty without ensemble).
    pub temperature_quantiles: Vec<[f64; 5]>,
    /// CO2, ppm.
    pub co2_ppm: Vec<f64>,
    /// Total CO2 (fossil + land use) fed to the model, Gt CO2/yr.
    pub co2_emissions: Vec<f64>,
    /// Warming in the horizon year, K.
    pub warming_end: f64,
    /// Peak warming and its year.
    pub peak: (i32, f64),
    /// First year at or above 1.5 K and 2 K.
    pub crosses: [Option<i32>; 2],
    /// Cumulative CO2 from 2020 to the horizon, Gt CO2.
    pub cumulative_from_2020: f64,
    /// AR6 budgets.
    pub budgets: Vec<BudgetUse>,
}

const GTC_TO_GTCO2: f64 = 44.01 / 12.01;

/// Total CO2 (fossil and land use) of one emissions row, Gt CO2/yr (the table is in Gt C).
pub(crate) fn total_co2_gt(row: &[f64]) -> f64 {
    (row[1] + row[2]) * GTC_TO_GTCO2
}

/// The reference scenario's emissions from 1765 to `horizon` with `global` (Mt CO2/yr, from the
/// jump-off year `Y0`) spliced in: fossil CO2 after `Y0` is `ref(Y0) * G(t) / G(Y0)` (see the
/// module docs); everything else is the reference's.
pub fn spliced_emissions(
    global: &Series,
    horizon: i32,
    reference: Scenario,
) -> Result<Emissions, PledgeError> {
    let (y0, g0) = global
        .0
        .iter()
        .next()
        .map(|(y, v)| (*y, *v))
        .ok_or(PledgeError::NoHistory {
            iso3: "world".into(),
            detail: " (empty global path)".into(),
        })?;
    let mut e = reference
        .emissions()?
        .slice_years(1765, horizon.max(y0))
        .ok_or(PledgeError::Unknown {
            kind: "horizon year",
            name: horizon.to_string(),
        })?;
    let ref0 = e
        .rows()
        .iter()
        .find(|r| r[0] == f64::from(y0))
        .map(|r| r[1])
        .ok_or(PledgeError::Missing {
            iso3: "world".into(),
            what: "reference fossil CO2",
            year: y0,
        })?;
    e.map_column(1, f64::from(y0 + 1), |year, _| {
        ref0 * global.get(year as i32).unwrap_or(g0) / g0
    })?;
    Ok(e)
}

/// Runs the emulator with `global` (Mt CO2/yr, from the jump-off year) spliced in.
pub fn climate_outcome(
    global: &Series,
    horizon: i32,
    cs: &ClimateSettings,
) -> Result<Outcome, PledgeError> {
    let y0 = global
        .0
        .keys()
        .next()
        .copied()
        .ok_or(PledgeError::NoHistory {
            iso3: "world".into(),
            detail: " (empty global path)".into(),
        })?;
    let e = spliced_emissions(global, horizon, cs.reference)?;
    let p = cs.params.params();
    let out = run(&e, &p)?.rebased(1850..=1900)?;
    let i0 = out.index_of(1850).unwrap_or(0);
    let years: Vec<i32> = out.years[i0..].iter().map(|y| *y as i32).collect();
    let temperature = out.temperature[i0..].to_vec();
    let co2_ppm = out.concentration_co2_ppm[i0..].to_vec();
    let co2_emissions: Vec<f64> = e.rows()[i0..].iter().map(|r| total_co2_gt(r)).collect();
    let temperature_quantiles = if cs.ensemble > 0 {
        let ens = sampled_ensemble(&e, &p, cs.ensemble, cs.seed)?;
        ens.temperature_quantiles(&LEVELS)[i0..]
            .iter()
            .map(|q| [q[0], q[1], q[2], q[3], q[4]])
            .collect()
    } else {
        Vec::new()
    };
    let (pi, pv) =
        temperature.iter().enumerate().fold(
            (0, f64::MIN),
            |acc, (i, t)| if *t > acc.1 { (i, *t) } else { acc },
        );
    let cross = |lim: f64| {
        years
            .iter()
            .zip(&temperature)
            .find(|(y, t)| **y >= 2000 && **t >= lim)
            .map(|(y, _)| *y)
    };
    let from2020: Vec<(i32, f64)> = years
        .iter()
        .zip(&co2_emissions)
        .filter(|(y, _)| **y >= 2020)
        .map(|(y, v)| (*y, *v))
        .collect();
    let cumulative_from_2020: f64 = from2020.iter().map(|(_, v)| v).sum();
    let budgets = AR6_BUDGETS
        .iter()
        .map(|(limit, likelihood, budget)| {
            let mut acc = 0.0;
            let mut exhausted_in = None;
            let mut used_to_y0 = 0.0;
            for (y, v) in &from2020 {
                acc += v;
                if *y <= y0 {
                    used_to_y0 = acc;
                }
                if exhausted_in.is_none() && acc > *budget {
                    exhausted_in = Some(*y);
                }
            }
            BudgetUse {
                limit: *limit,
                likelihood: *likelihood,
                budget: *budget,
                remaining_after_jump_off: budget - used_to_y0,
                exhausted_in,
            }
        })
        .collect();
    Ok(Outcome {
        warming_end: temperature.last().copied().unwrap_or(f64::NAN),
        peak: (years[pi], pv),
        crosses: [cross(1.5), cross(2.0)],
        years,
        temperature,
        temperature_quantiles,
        co2_ppm,
        co2_emissions,
        cumulative_from_2020,
        budgets,
    })
}
