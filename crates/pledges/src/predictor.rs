//! The climate emulator as an [`OutcomePredictor`]: a brief option can carry a climate
//! scenario (a built-in SSP or RCP, or a policy scenario of the pledge aggregator) as its
//! predicted outcome. No IO: the caller passes the policy side's [`World`] (read from a store
//! vintage) and that vintage's id; without a world only the built-in scenarios answer.
//!
//! Subject: `world` only (the emulator is global). Quantities:
//!
//! | id | what | horizon (default) |
//! |---|---|---|
//! | `warming` | global surface air temperature vs 1850–1900, K | `Year(y)`, or `Years{first, last}` for a period mean (2100) |
//! | `peak_warming` | its maximum over a period, K | `Years{first, last}` (2020–2100) |
//! | `co2_ppm` | atmospheric CO2 concentration, ppm | `Year(y)` (2100) |
//!
//! Scenarios ([`ClimateScenario`]): the built-in emissions `ssp119 ssp126 ssp245 ssp370
//! ssp585 rcp26 rcp45 rcp60 rcp85` (RCMIP v5.1.0 and the RCP tables compiled into
//! `attache-climate`; they run to 2500), and the aggregator's policy scenarios (need the
//! world; they run to the pathways' horizon, 2100): `current-policies`, `ndcs`, and
//! `ndcs+ISO3=spec[;ISO3=spec...]`, the NDCs with edits in the grammar of `attache climate
//! pledges --edit` ([`crate::ndc`]). Policy scenarios splice the global fossil-CO2 path into
//! the reference SSP exactly as [`crate::aggregate::climate_outcome`] does (a test checks that
//! both give the same ensemble). The default scenario is `ndcs` with a world, else `ssp245`.
//!
//! Numbers: a seeded parameter ensemble ([`attache_climate::ensemble`], `Spread::default()`
//! around the chosen [`ParamSet`](attache_climate::calibration::ParamSet); members, seed and parameters from [`ClimateSettings`],
//! default 200 members, seed 20151212, `calibrated-hist` as the aggregator uses). Quantiles at
//! 5, 17, 50, 83 and 95% are of each member's own value of the quantity: a period mean is each
//! member's mean over the period and a peak each member's maximum, never per-year quantiles
//! averaged or maximised. The point is the ensemble median. The same settings give the same
//! numbers.
//!
//! Novelty: the parameter sets are calibrated on the five SSPs. An outcome is flagged
//! out of distribution when its scenario's cumulative CO2 emissions (fossil and land use)
//! from 2020 to the horizon's last year lie outside the span of the five SSPs' cumulative
//! emissions over the same years; the note states the value and the span either way.

use std::collections::BTreeMap;

use attache_climate::ensemble::{LEVELS, quantile, sampled_ensemble};
use attache_climate::{ClimateError, Emissions, Scenario, TemperatureModel, run};
use attache_core::outcome::{
    Horizon, ModelRef, Novelty, NoveltyStatus, OutcomeError, OutcomePredictor, OutcomeQuery,
    PointKind, PredictedOutcome, Quantile, QuantitySpec, REFERENCE_LABEL,
};

use crate::World;
use crate::aggregate::{
    ClimateSettings, Policy, global_path, national_paths, spliced_emissions, total_co2_gt,
};
use crate::ndc::Pledge;
use crate::pathway::Settings;
use crate::report::parse_edits;

pub const WARMING: &str = "warming";
pub const PEAK_WARMING: &str = "peak_warming";
pub const CO2_PPM: &str = "co2_ppm";
/// The only subject.
pub const WORLD: &str = "world";
pub const CURRENT_POLICIES: &str = "current-policies";
pub const NDCS: &str = "ndcs";
/// The model's name in every outcome.
pub const MODEL_NAME: &str = "attache-climate (FaIR 1.6.4 port)";
/// The data vintage of built-in scenarios when no single table is meant.
pub const BUILTIN_TABLES: &str = "built-in RCMIP v5.1.0 / RCP tables";

const WARMING_UNIT: &str = "K (°C) above 1850–1900";
const CO2_UNIT: &str = "ppm";
/// Temperatures are relative to 1850–1900: the first year an outcome may concern.
const FIRST_YEAR: i32 = 1850;
/// Built-in tables end here.
const BUILTIN_LAST_YEAR: i32 = 2500;
const DEFAULT_YEAR: i32 = 2100;
const DEFAULT_PEAK: (i32, i32) = (2020, 2100);
/// Cumulative emissions for the novelty check count from here (AR6's budgets do too).
const CUMULATIVE_FROM: i32 = 2020;
const POLICY_GRAMMAR: &str = "ndcs+ISO3=spec[;ISO3=spec...]";

/// A scenario the predictor can run, parsed from its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClimateScenario {
    /// A built-in emission scenario of `attache-climate`.
    Builtin(Scenario),
    /// Every country on its current-policies trend.
    CurrentPolicies,
    /// Every country meets its NDC.
    Ndcs,
    /// The NDCs with edits, each `ISO3=spec` as `attache climate pledges --edit` takes it.
    NdcsWithEdits(Vec<String>),
}

impl ClimateScenario {
    /// Parses `ssp245`, `rcp45` (and spellings like `SSP2-4.5`), `current-policies`, `ndcs`
    /// or `ndcs+ISO3=spec[;ISO3=spec...]`. The edits' grammar is checked against the world
    /// when predicting.
    pub fn parse(s: &str) -> Result<ClimateScenario, OutcomeError> {
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        if lower == CURRENT_POLICIES {
            return Ok(ClimateScenario::CurrentPolicies);
        }
        if lower == NDCS {
            return Ok(ClimateScenario::Ndcs);
        }
        if lower.starts_with("ndcs+") {
            let edits: Vec<String> = t[5..]
                .split(';')
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(str::to_string)
                .collect();
            if edits.is_empty() {
                return Err(OutcomeError::UnsupportedScenario {
                    scenario: s.to_string(),
                    supported: format!(
                        "{POLICY_GRAMMAR}: no edit after `ndcs+` (e.g. ndcs+CHN=netzero:2050)"
                    ),
                });
            }
            return Ok(ClimateScenario::NdcsWithEdits(edits));
        }
        t.parse::<Scenario>()
            .map(ClimateScenario::Builtin)
            .map_err(|_| OutcomeError::UnsupportedScenario {
                scenario: s.to_string(),
                supported: supported_list(),
            })
    }

    /// The id [`ClimateScenario::parse`] reads back.
    pub fn id(&self) -> String {
        match self {
            ClimateScenario::Builtin(s) => s.id().to_string(),
            ClimateScenario::CurrentPolicies => CURRENT_POLICIES.to_string(),
            ClimateScenario::Ndcs => NDCS.to_string(),
            ClimateScenario::NdcsWithEdits(e) => format!("{NDCS}+{}", e.join(";")),
        }
    }

    /// True for the policy scenarios, which need the world of a store vintage.
    pub fn needs_world(&self) -> bool {
        !matches!(self, ClimateScenario::Builtin(_))
    }
}

fn supported_list() -> String {
    let mut v: Vec<String> = Scenario::SSPS
        .iter()
        .chain(&[
            Scenario::Rcp26,
            Scenario::Rcp45,
            Scenario::Rcp60,
            Scenario::Rcp85,
        ])
        .map(|s| s.id().to_string())
        .collect();
    v.extend([CURRENT_POLICIES.into(), NDCS.into(), POLICY_GRAMMAR.into()]);
    v.join(", ")
}

/// What is computed from each member's series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stat {
    /// The value in one year.
    At(i32),
    /// The mean over the inclusive years.
    Mean(i32, i32),
    /// The maximum over the inclusive years.
    Max(i32, i32),
}

impl Stat {
    fn span(self) -> (i32, i32) {
        match self {
            Stat::At(y) => (y, y),
            Stat::Mean(a, b) | Stat::Max(a, b) => (a, b),
        }
    }

    fn horizon(self) -> Horizon {
        match self {
            Stat::At(y) => Horizon::Year(y),
            Stat::Mean(first, last) | Stat::Max(first, last) => Horizon::Years { first, last },
        }
    }

    /// This statistic of one series over `years`; `None` when a year is not in the run.
    fn of(self, years: &[f64], series: &[f64]) -> Option<f64> {
        let (a, b) = self.span();
        let idx = |y: i32| years.iter().position(|x| *x == f64::from(y));
        let (i, j) = (idx(a)?, idx(b)?);
        let window = series.get(i..=j)?;
        Some(match self {
            Stat::At(_) => window[0],
            Stat::Mean(..) => window.iter().sum::<f64>() / window.len() as f64,
            Stat::Max(..) => window.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        })
    }
}

/// Each member's value of `stat` (members are rows of `series`, years as in `years`).
fn member_values(years: &[f64], series: &[Vec<f64>], stat: Stat) -> Option<Vec<f64>> {
    series.iter().map(|s| stat.of(years, s)).collect()
}

/// Quantiles at [`LEVELS`] of per-member values.
fn quantiles_of(mut values: Vec<f64>) -> Vec<Quantile> {
    LEVELS
        .iter()
        .map(|&level| Quantile {
            level,
            value: quantile(&mut values, level),
        })
        .collect()
}

/// Cumulative CO2 (fossil and land use), Gt CO2, over the inclusive years.
fn cumulative_co2(e: &Emissions, first: i32, last: i32) -> f64 {
    e.rows()
        .iter()
        .filter(|r| r[0] >= f64::from(first) && r[0] <= f64::from(last))
        .map(|r| total_co2_gt(r))
        .sum()
}

fn climate_failed(e: ClimateError) -> OutcomeError {
    OutcomeError::NoData {
        reason: format!("the climate emulator failed: {e}"),
    }
}

/// The scenario-specific inputs of one run.
struct Prepared {
    emissions: Emissions,
    words: String,
    assumptions: Vec<String>,
    vintage: String,
}

/// The climate emulator behind briefs (see the module docs).
#[derive(Debug, Clone)]
pub struct ClimatePredictor {
    world: Option<(World, String)>,
    climate: ClimateSettings,
    pathway: Settings,
}

impl Default for ClimatePredictor {
    fn default() -> Self {
        ClimatePredictor::new()
    }
}

impl ClimatePredictor {
    /// Built-in scenarios only, with the aggregator's default settings.
    pub fn new() -> Self {
        ClimatePredictor {
            world: None,
            climate: ClimateSettings::default(),
            pathway: Settings::default(),
        }
    }

    /// Adds the policy side's world of store vintage `vintage` (enables the policy scenarios
    /// and makes `ndcs` the default).
    pub fn with_world(mut self, world: World, vintage: impl Into<String>) -> Self {
        self.world = Some((world, vintage.into()));
        self
    }

    /// Parameter set, ensemble size and seed, and the reference SSP of policy scenarios.
    pub fn with_climate(mut self, climate: ClimateSettings) -> Self {
        self.climate = climate;
        self
    }

    /// Pathway settings of the policy scenarios (trend window, fade, horizon, conditional).
    pub fn with_pathway(mut self, pathway: Settings) -> Self {
        self.pathway = pathway;
        self
    }

    pub fn climate(&self) -> &ClimateSettings {
        &self.climate
    }

    pub fn has_world(&self) -> bool {
        self.world.is_some()
    }

    /// The scenario a query asks for (the default when it names none).
    pub fn scenario_of(&self, q: &OutcomeQuery) -> Result<ClimateScenario, OutcomeError> {
        match &q.scenario {
            Some(s) => ClimateScenario::parse(s),
            None if self.world.is_some() => Ok(ClimateScenario::Ndcs),
            None => Ok(ClimateScenario::Builtin(Scenario::Ssp245)),
        }
    }

    /// Where a brief's evidence says an outcome for `q` came from.
    pub fn source(&self, q: &OutcomeQuery) -> String {
        let cs = &self.climate;
        let (scenario, data) = match self.scenario_of(q) {
            Ok(sc) if sc.needs_world() => (
                format!("{} (reference {})", sc.id(), cs.reference.id()),
                format!("store vintage {}", self.vintage_of(&sc)),
            ),
            Ok(sc) => (sc.id(), self.vintage_of(&sc)),
            Err(_) => (q.scenario.clone().unwrap_or_default(), self.data_vintage()),
        };
        format!(
            "attache-climate ensemble: scenario {scenario}, params {}, {} members, seed {}, {data}",
            cs.params.id(),
            cs.ensemble,
            cs.seed
        )
    }

    fn vintage_of(&self, sc: &ClimateScenario) -> String {
        match (sc, &self.world) {
            (ClimateScenario::Builtin(s), _) => builtin_table(*s).to_string(),
            (_, Some((_, v))) => v.clone(),
            (_, None) => BUILTIN_TABLES.to_string(),
        }
    }

    fn last_year(&self, sc: &ClimateScenario) -> i32 {
        if sc.needs_world() {
            self.pathway.horizon
        } else {
            BUILTIN_LAST_YEAR
        }
    }

    fn stat(&self, q: &OutcomeQuery, sc: &ClimateScenario) -> Result<Stat, OutcomeError> {
        let unsupported = |horizon: Horizon, reason: String| {
            Err(OutcomeError::UnsupportedHorizon { horizon, reason })
        };
        let stat = match (q.quantity.as_str(), q.horizon) {
            (_, Some(h @ (Horizon::Month(_) | Horizon::Months { .. }))) => {
                return unsupported(
                    h,
                    "climate quantities are annual: give a year or years".into(),
                );
            }
            (WARMING, None) | (CO2_PPM, None) => Stat::At(DEFAULT_YEAR),
            (WARMING, Some(Horizon::Year(y))) | (CO2_PPM, Some(Horizon::Year(y))) => Stat::At(y),
            (WARMING, Some(Horizon::Years { first, last })) => Stat::Mean(first, last),
            (PEAK_WARMING, None) => Stat::Max(DEFAULT_PEAK.0, DEFAULT_PEAK.1),
            (PEAK_WARMING, Some(Horizon::Years { first, last })) => Stat::Max(first, last),
            (PEAK_WARMING, Some(h)) => {
                return unsupported(
                    h,
                    "peak_warming is the maximum over a period: give first and last years (e.g. 2020 to 2100)".into(),
                );
            }
            (_, Some(h)) => {
                return unsupported(
                    h,
                    "co2_ppm is the concentration in one year: give a single year".into(),
                );
            }
            (other, None) => {
                return Err(OutcomeError::UnknownQuantity {
                    quantity: other.to_string(),
                    known: known(),
                });
            }
        };
        let (a, b) = stat.span();
        let last = self.last_year(sc);
        let h = stat.horizon();
        if a > b {
            return unsupported(h, format!("the first year {a} is after the last {b}"));
        }
        if a < FIRST_YEAR || b > last {
            let what = if sc.needs_world() {
                format!(
                    "policy scenario {} runs to {last}, the pathways' horizon",
                    sc.id()
                )
            } else {
                format!("the built-in tables run to {last}")
            };
            return unsupported(
                h,
                format!(
                    "the model years are {FIRST_YEAR} to {last} (temperatures are relative to 1850–1900; {what})"
                ),
            );
        }
        Ok(stat)
    }

    fn novelty(&self, e: &Emissions, last: i32) -> Result<Novelty, OutcomeError> {
        if last < CUMULATIVE_FROM {
            return Ok(Novelty {
                status: NoveltyStatus::InDistribution,
                note: format!(
                    "the horizon ends before {CUMULATIVE_FROM}: the run is historical, as in the SSPs the parameters were calibrated on"
                ),
            });
        }
        let value = cumulative_co2(e, CUMULATIVE_FROM, last);
        let ssps: Vec<Emissions> = Scenario::SSPS
            .iter()
            .map(|s| s.emissions())
            .collect::<Result<_, _>>()
            .map_err(climate_failed)?;
        let (lo, hi) = ssps
            .iter()
            .map(|s| cumulative_co2(s, CUMULATIVE_FROM, last))
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        let inside = (lo..=hi).contains(&value);
        let note = format!(
            "cumulative CO2 emissions {CUMULATIVE_FROM}–{last}: {value:.0} Gt CO2; the five SSPs the parameters were calibrated on span {lo:.0} to {hi:.0} Gt CO2 over the same years{}",
            if inside {
                ""
            } else {
                ": the emulator is extrapolating"
            }
        );
        Ok(Novelty {
            status: if inside {
                NoveltyStatus::InDistribution
            } else {
                NoveltyStatus::OutOfDistribution
            },
            note,
        })
    }

    fn prepare(&self, sc: &ClimateScenario, end: i32) -> Result<Prepared, OutcomeError> {
        match sc {
            ClimateScenario::Builtin(s) => {
                let e = s
                    .emissions()
                    .map_err(climate_failed)?
                    .slice_years(attache_climate::scenarios::START_YEAR, end)
                    .ok_or_else(|| OutcomeError::NoData {
                        reason: format!("the built-in {} table does not reach {end}", s.label()),
                    })?;
                let table = builtin_table(*s);
                Ok(Prepared {
                    emissions: e,
                    words: format!("{}, {table}", s.label()),
                    assumptions: vec![format!(
                        "Emissions of every gas as in {} ({table}); the scenario's own assumptions about policy and socio-economics, nothing national.",
                        s.label()
                    )],
                    vintage: table.to_string(),
                })
            }
            _ => self.prepare_policy(sc, end),
        }
    }

    fn prepare_policy(&self, sc: &ClimateScenario, end: i32) -> Result<Prepared, OutcomeError> {
        let (world, vintage) = self.world.as_ref().ok_or_else(|| OutcomeError::NoData {
            reason: format!(
                "policy scenario {} needs the national emissions and NDCs of a store vintage: run `attache sync` first (built-in scenarios such as ssp245 need none)",
                sc.id()
            ),
        })?;
        let bad = |supported: String| OutcomeError::UnsupportedScenario {
            scenario: sc.id(),
            supported,
        };
        let (policy, edits, words) = match sc {
            ClimateScenario::CurrentPolicies => (
                Policy::CurrentPolicies,
                BTreeMap::new(),
                "current policies: every country on its recent emissions trend".to_string(),
            ),
            ClimateScenario::Ndcs => (
                Policy::Ndcs,
                BTreeMap::new(),
                "NDCs: every country meets its NDC".to_string(),
            ),
            ClimateScenario::NdcsWithEdits(raw) => {
                let edits = parse_edits(world, raw).map_err(|e| {
                    bad(format!(
                        "{POLICY_GRAMMAR} with edits as `attache climate pledges --edit` takes them; here {e}"
                    ))
                })?;
                (
                    Policy::User,
                    edits,
                    format!("NDCs with edits ({})", raw.join("; ")),
                )
            }
            ClimateScenario::Builtin(_) => unreachable!("built-in scenarios need no world"),
        };
        let national = national_paths(&world.countries, policy, &edits, &self.pathway);
        if let Some((iso3, why)) = national
            .skipped
            .iter()
            .find(|(iso3, _)| edits.contains_key(iso3))
        {
            return Err(bad(format!(
                "{POLICY_GRAMMAR}, but the edit of {iso3} cannot be applied: {why}"
            )));
        }
        let global = global_path(&national, &self.pathway).ok_or_else(|| OutcomeError::NoData {
            reason: format!("vintage {vintage} has no country with a fossil-CO2 history"),
        })?;
        let y0 = global
            .0
            .keys()
            .next()
            .copied()
            .ok_or_else(|| OutcomeError::NoData {
                reason: "empty global path".into(),
            })?;
        let reference = self.climate.reference;
        // The splice of the aggregator (`aggregate::spliced_emissions`), so a brief shows what
        // `attache climate pledges` computes.
        let e = spliced_emissions(&global, end, reference).map_err(|e| OutcomeError::NoData {
            reason: format!("splicing the global path into {}: {e}", reference.label()),
        })?;

        let s = &self.pathway;
        let mut assumptions = vec![
            format!(
                "National fossil CO2 only (CDIAC inventories, vintage {vintage}), summed with international bunkers; land-use CO2 and every non-CO2 gas follow the reference {}. The global path is spliced into the reference's fossil CO2 from {} by its relative change.",
                reference.label(),
                y0 + 1
            ),
            format!(
                "Current policies are a trend extrapolation, not a policy model: each country's log-linear trend over the {} years to {y0} ({} excluded), fading to zero growth over {} years.",
                s.trend_years,
                s.excluded_years
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                s.fade_years
            ),
        ];
        if policy != Policy::CurrentPolicies {
            assumptions.push(format!(
                "NDC percentages, which refer to all greenhouse gases, are applied to fossil CO2; the {} end of pledged ranges; countries without a quantified NDC follow current policies.",
                if s.conditional {
                    "conditional (more ambitious)"
                } else {
                    "unconditional (less ambitious)"
                }
            ));
        }
        if !edits.is_empty() {
            assumptions.push(format!(
                "Pledges as edited: {}.",
                edits
                    .iter()
                    .map(|(k, p): (&String, &Pledge)| format!("{k}: {}", p.describe()))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        if !national.skipped.is_empty() {
            let shown: Vec<String> = national
                .skipped
                .iter()
                .take(5)
                .map(|(k, why)| format!("{k}: {why}"))
                .collect();
            assumptions.push(format!(
                "{} countries left out or kept at current policies, e.g. {}.",
                national.skipped.len(),
                shown.join("; ")
            ));
        }
        Ok(Prepared {
            emissions: e,
            words,
            assumptions,
            vintage: vintage.clone(),
        })
    }

    fn describe_quantity(quantity: &str, stat: Stat) -> String {
        let what = match quantity {
            CO2_PPM => "atmospheric CO2 concentration",
            PEAK_WARMING => "peak global warming (global surface air temperature vs 1850–1900)",
            _ => "global warming (global surface air temperature vs 1850–1900)",
        };
        match stat {
            Stat::At(y) => format!("{what} in {y}"),
            Stat::Mean(a, b) => format!("{what}, mean of {a}–{b}"),
            Stat::Max(a, b) => format!("{what}, maximum over {a}–{b}"),
        }
    }

    fn ensemble_assumptions(&self, quantity: &str, stat: Stat, central: f64) -> Vec<String> {
        let cs = &self.climate;
        let (_, fitted_to) = cs.params.fitted();
        let energy = match cs.params.params().temperature_model {
            TemperatureModel::TwoBox => "two-box",
            TemperatureModel::ThreeLayer(_) => "three-layer",
        };
        let unit = if quantity == CO2_PPM { CO2_UNIT } else { "K" };
        let mut a = vec![
            format!(
                "Emulator: {MODEL_NAME}, four-box carbon cycle, multigas forcing and a {energy} energy balance; parameter set {} (calibrated to {fitted_to}).",
                cs.params.id()
            ),
            format!(
                "Quantiles from a seeded ensemble of {} members (seed {}) that samples parameter uncertainty only (climate response, carbon cycle, forcing scales); it is not constrained by observed warming and does not sample internal variability, so its ranges are wider than IPCC AR6's. The point value is the ensemble median; the central parameter set alone gives {central:.2} {unit}.",
                cs.ensemble, cs.seed
            ),
        ];
        match stat {
            Stat::Mean(f, l) => a.push(format!(
                "The quantiles are of each member's own {f}–{l} mean."
            )),
            Stat::Max(f, l) => a.push(format!(
                "The quantiles are of each member's own maximum over {f}–{l}."
            )),
            Stat::At(_) => {}
        }
        a
    }
}

fn builtin_table(s: Scenario) -> &'static str {
    match s {
        Scenario::Rcp26 | Scenario::Rcp45 | Scenario::Rcp60 | Scenario::Rcp85 => {
            "built-in RCP tables (Meinshausen et al. 2011, as shipped with FaIR 1.6.4)"
        }
        _ => "built-in RCMIP v5.1.0 SSP emissions",
    }
}

fn known() -> String {
    [WARMING, PEAK_WARMING, CO2_PPM].join(", ")
}

impl OutcomePredictor for ClimatePredictor {
    fn evidence_source(&self, query: &OutcomeQuery) -> String {
        self.source(query)
    }

    fn model(&self) -> ModelRef {
        ModelRef {
            name: MODEL_NAME.to_string(),
            version: format!("{}+{}", env!("CARGO_PKG_VERSION"), self.climate.params.id()),
        }
    }

    /// The store vintage when a world is given (the default scenario is then a policy
    /// scenario), else the built-in tables. Each outcome names the data of its own scenario.
    fn data_vintage(&self) -> String {
        match &self.world {
            Some((_, v)) => v.clone(),
            None => BUILTIN_TABLES.to_string(),
        }
    }

    fn quantities(&self) -> Vec<QuantitySpec> {
        let mut scenarios: Vec<String> = Vec::new();
        if self.world.is_some() {
            scenarios.extend([NDCS.into(), CURRENT_POLICIES.into(), POLICY_GRAMMAR.into()]);
        }
        scenarios.push(Scenario::Ssp245.id().into());
        scenarios.extend(
            Scenario::ALL
                .iter()
                .filter(|s| **s != Scenario::Ssp245)
                .map(|s| s.id().to_string()),
        );
        let spec = |id: &str, description: &str, unit: &str| QuantitySpec {
            id: id.to_string(),
            description: description.to_string(),
            unit: unit.to_string(),
            subjects: WORLD.to_string(),
            scenarios: scenarios.clone(),
        };
        vec![
            spec(
                WARMING,
                "global surface air temperature vs 1850–1900 in a year (default 2100) or a period mean (e.g. 2081–2100)",
                WARMING_UNIT,
            ),
            spec(
                PEAK_WARMING,
                "maximum global warming over a period (default 2020–2100)",
                WARMING_UNIT,
            ),
            spec(
                CO2_PPM,
                "atmospheric CO2 concentration in a year (default 2100)",
                CO2_UNIT,
            ),
        ]
    }

    fn predict(&self, q: &OutcomeQuery) -> Result<PredictedOutcome, OutcomeError> {
        if ![WARMING, PEAK_WARMING, CO2_PPM].contains(&q.quantity.as_str()) {
            return Err(OutcomeError::UnknownQuantity {
                quantity: q.quantity.clone(),
                known: known(),
            });
        }
        if !q.subject.trim().eq_ignore_ascii_case(WORLD) {
            return Err(OutcomeError::UnknownSubject {
                quantity: q.quantity.clone(),
                subject: q.subject.clone(),
                reason: "the climate emulator is global: the only subject is `world` (national warming is not modelled)".into(),
            });
        }
        let sc = self.scenario_of(q)?;
        let stat = self.stat(q, &sc)?;
        let cs = &self.climate;
        if cs.ensemble == 0 {
            return Err(OutcomeError::NoData {
                reason: "the ensemble has 0 members: quantiles need at least one (100 or more for stable tails)".into(),
            });
        }
        let (_, last) = stat.span();
        // Rebasing needs 1850–1900 in the run.
        let p = self.prepare(&sc, last.max(1900))?;
        let base = cs.params.params();
        let central_out = run(&p.emissions, &base)
            .and_then(|o| o.rebased(FIRST_YEAR..=1900))
            .map_err(climate_failed)?;
        let series = |o: &attache_climate::Output| {
            if q.quantity == CO2_PPM {
                o.concentration_co2_ppm.clone()
            } else {
                o.temperature.clone()
            }
        };
        let missing = || OutcomeError::NoData {
            reason: format!("the run does not cover {}", stat.horizon()),
        };
        let central = stat
            .of(&central_out.years, &series(&central_out))
            .ok_or_else(missing)?;
        let ens =
            sampled_ensemble(&p.emissions, &base, cs.ensemble, cs.seed).map_err(climate_failed)?;
        let per_member = if q.quantity == CO2_PPM {
            &ens.co2
        } else {
            &ens.temperature
        };
        let values = member_values(&ens.years, per_member, stat).ok_or_else(missing)?;
        let quantiles = quantiles_of(values);
        let point = quantiles
            .iter()
            .find(|x| x.level == 0.5)
            .map(|x| x.value)
            .ok_or_else(missing)?;
        let mut assumptions = self.ensemble_assumptions(&q.quantity, stat, central);
        assumptions.extend(p.assumptions);
        let out = PredictedOutcome {
            quantity: q.quantity.clone(),
            description: Self::describe_quantity(&q.quantity, stat),
            subject: WORLD.to_string(),
            scenario: p.words,
            point,
            point_kind: PointKind::Median,
            quantiles,
            unit: if q.quantity == CO2_PPM {
                CO2_UNIT
            } else {
                WARMING_UNIT
            }
            .to_string(),
            horizon: stat.horizon(),
            assumptions,
            model: self.model(),
            data_vintage: p.vintage,
            label: REFERENCE_LABEL.to_string(),
            novelty: self.novelty(&p.emissions, last)?,
        };
        out.validate()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rows;
    use crate::aggregate::climate_outcome;
    use attache_climate::calibration::ParamSet;
    use attache_climate::ensemble::{Spread, run_ensemble, sample};

    const MEMBERS: usize = 200;

    fn settings(params: ParamSet) -> ClimateSettings {
        ClimateSettings {
            params,
            ensemble: MEMBERS,
            ..ClimateSettings::default()
        }
    }

    /// Two countries and bunkers, CDIAC-style thousand t C, 1990–2020: AAA grows 1%/yr and
    /// pledges 40% below 2010 by 2030 (a Klimalog text); BBB grows 3%/yr without an NDC.
    fn world() -> World {
        let mut rows = Rows::default();
        for y in 1990..=2020 {
            let t = f64::from(y - 2010);
            rows.co2.push(("AAA".into(), y, 2.0e6 * 1.01f64.powf(t)));
            rows.co2.push(("BBB".into(), y, 1.0e6 * 1.03f64.powf(t)));
            rows.bunkers.push((y, 1.0e5));
        }
        rows.names = vec![
            ("AAA".into(), "Aland".into()),
            ("BBB".into(), "Bland".into()),
        ];
        rows.klimalog.push((
            "AAA".into(),
            Some("AAA".into()),
            "Absolute target: Target to reduce emissions by 40% by 2030 compared to 2010".into(),
        ));
        World::from_rows(&rows)
    }

    fn builtin(params: ParamSet) -> ClimatePredictor {
        ClimatePredictor::new().with_climate(settings(params))
    }

    fn policy() -> ClimatePredictor {
        builtin(ParamSet::CalibratedHist).with_world(world(), "20250101T000000Z-test")
    }

    /// What an answer must show: horizon, median within `(want, tol)`, novelty status, data
    /// vintage (a prefix).
    type Want<'a> = (&'a str, (f64, f64), &'a str, &'a str);

    fn check(
        p: &ClimatePredictor,
        q: OutcomeQuery,
        expect: Result<Want, &str>,
    ) -> Option<PredictedOutcome> {
        match (p.predict(&q), expect) {
            (Ok(o), Ok((horizon, (median, tol), novelty, vintage))) => {
                assert_eq!(o.horizon.to_string(), horizon, "{q:?}");
                assert!(
                    (o.point - median).abs() <= tol,
                    "{q:?}: median {} not within {tol} of {median}",
                    o.point
                );
                assert_eq!(o.point, o.quantile(0.5).unwrap());
                assert_eq!(
                    o.novelty.status.as_str(),
                    novelty,
                    "{q:?}: {}",
                    o.novelty.note
                );
                assert!(
                    o.data_vintage.starts_with(vintage),
                    "{q:?}: {}",
                    o.data_vintage
                );
                assert_eq!(o.quantiles.len(), 5);
                assert!(
                    o.quantiles.windows(2).all(|w| w[0].value < w[1].value),
                    "{q:?}: quantiles not increasing: {:?}",
                    o.quantiles
                );
                assert_eq!(o.model.name, MODEL_NAME);
                assert_eq!(o.label, REFERENCE_LABEL);
                assert!(o.assumptions[1].contains(&format!("{MEMBERS} members (seed 20151212)")));
                assert!(o.assumptions[1].contains("not constrained by observed warming"));
                o.validate().unwrap();
                Some(o)
            }
            (Err(e), Err(needle)) => {
                assert!(e.to_string().contains(needle), "{e} lacks {needle:?}");
                None
            }
            (got, want) => panic!("{q:?}: got {got:?}, want {want:?}"),
        }
    }

    fn warming() -> OutcomeQuery {
        OutcomeQuery::new(WARMING, WORLD)
    }

    const LATE: Horizon = Horizon::Years {
        first: 2081,
        last: 2100,
    };

    /// SSP2-4.5 with the `calibrated` set: the central run gives AR6's 2.70 K for 2081–2100.
    /// The ensemble median differs: measured 2.694 K with 200 members (17–83% 2.11–3.33 K;
    /// 2.657 K, 2.10–3.36 K before the forcing scales of aerosols and five other agents
    /// reached the temperature); before that fix also 2.694 K with 1000 (2.13–3.41 K) and
    /// 2.94 K with 40 (seed 20151212 each); so 200 members and a tolerance of 0.05 K.
    #[test]
    fn builtin_scenarios_near_ar6() {
        let p = builtin(ParamSet::Calibrated);
        let o = check(
            &p,
            warming().scenario("ssp245").horizon(LATE),
            Ok((
                "2081 to 2100",
                (2.7, 0.05),
                "in-distribution",
                "built-in RCMIP",
            )),
        )
        .unwrap();
        assert_eq!(o.scenario, "SSP2-4.5, built-in RCMIP v5.1.0 SSP emissions");
        assert!(
            o.assumptions[1].contains("central parameter set alone gives 2.70 K"),
            "{:?}",
            o.assumptions
        );
        assert!(o.assumptions[2].contains("each member's own 2081–2100 mean"));
        assert_eq!(
            o.model.version,
            format!("{}+calibrated", env!("CARGO_PKG_VERSION"))
        );
        // AR6 likely (17–83%) 2.1–3.5 K: our unconstrained range is at least as wide.
        let (lo, hi) = (o.quantile(0.17).unwrap(), o.quantile(0.83).unwrap());
        assert!(lo < 2.5 && hi > 3.0, "{lo}..{hi}");
        eprintln!("ssp245 2081-2100 calibrated: {:?}", o.quantiles);

        // The default scenario without a world is ssp245, the default horizon 2100.
        check(
            &p,
            warming(),
            Ok(("2100", (2.7, 0.15), "in-distribution", "built-in RCMIP")),
        );
        check(
            &p,
            warming().scenario("SSP1-1.9").horizon(LATE),
            Ok((
                "2081 to 2100",
                (1.4, 0.1),
                "in-distribution",
                "built-in RCMIP",
            )),
        );
        check(
            &p,
            warming().scenario("rcp85").horizon(LATE),
            Ok((
                "2081 to 2100",
                (4.1, 0.3),
                "in-distribution",
                "built-in RCP",
            )),
        );
        check(
            &p,
            OutcomeQuery::new(CO2_PPM, "World").scenario("ssp245"),
            Ok(("2100", (600.0, 25.0), "in-distribution", "built-in RCMIP")),
        );
        check(
            &p,
            OutcomeQuery::new(PEAK_WARMING, WORLD).scenario("ssp119"),
            Ok((
                "2020 to 2100",
                (1.6, 0.2),
                "in-distribution",
                "built-in RCMIP",
            )),
        );
        // RCP8.5's extension emits more by 2300 than any SSP (17863 against at most 17267 Gt
        // CO2 from 2020): out of distribution, and the note says so with the numbers.
        let far = check(
            &p,
            warming().scenario("rcp85").horizon(Horizon::Year(2300)),
            Ok(("2300", (8.0, 3.0), "out-of-distribution", "built-in RCP")),
        )
        .unwrap();
        assert!(
            far.novelty.note.contains(
                "cumulative CO2 emissions 2020–2300: 17863 Gt CO2; the five SSPs the parameters were calibrated on span -544 to 17267 Gt CO2 over the same years: the emulator is extrapolating"
            ),
            "{}",
            far.novelty.note
        );
        assert!(far.describe().ends_with("treat with extra caution."));
        let near = p.predict(&warming().scenario("rcp85")).unwrap();
        assert!(near.novelty.note.contains("6676 Gt CO2; the five SSPs the parameters were calibrated on span 257 to 7782 Gt CO2"), "{}", near.novelty.note);
    }

    #[test]
    fn same_seed_same_numbers() {
        let q = warming().scenario("ssp370");
        let a = builtin(ParamSet::CalibratedHist).predict(&q).unwrap();
        let b = builtin(ParamSet::CalibratedHist).predict(&q).unwrap();
        assert_eq!(a, b);
        let c = ClimatePredictor::new()
            .with_climate(ClimateSettings {
                seed: 7,
                ..settings(ParamSet::CalibratedHist)
            })
            .predict(&q)
            .unwrap();
        assert_ne!(a.quantiles, c.quantiles);
        assert!(c.assumptions[1].contains("(seed 7)"));
    }

    /// Period means and peaks are statistics of each member, not of per-year quantiles.
    #[test]
    fn member_statistics() {
        let e = Scenario::Ssp245
            .emissions()
            .unwrap()
            .slice_years(1765, 2100)
            .unwrap();
        let base = ParamSet::Calibrated.params();
        let members = sample(&base, &Spread::default(), MEMBERS, 20151212);
        let ens = run_ensemble(&e, &members, (1850, 1900), 2).unwrap();
        let mean = member_values(&ens.years, &ens.temperature, Stat::Mean(2081, 2100)).unwrap();
        let ours: Vec<f64> = quantiles_of(mean).iter().map(|q| q.value).collect();
        assert_eq!(ours, ens.period_mean_quantiles(2081, 2100, &LEVELS));
        let p = builtin(ParamSet::Calibrated)
            .predict(&warming().scenario("ssp245").horizon(LATE))
            .unwrap();
        assert_eq!(
            p.quantiles.iter().map(|q| q.value).collect::<Vec<_>>(),
            ours
        );

        // Peak over 2020–2100: quantiles of each member's maximum.
        let i0 = ens.years.iter().position(|y| *y == 2020.0).unwrap();
        let mut peaks: Vec<f64> = ens
            .temperature
            .iter()
            .map(|t| t[i0..].iter().copied().fold(f64::MIN, f64::max))
            .collect();
        let p = builtin(ParamSet::Calibrated)
            .predict(&OutcomeQuery::new(PEAK_WARMING, WORLD).scenario("ssp245"))
            .unwrap();
        for q in &p.quantiles {
            assert_eq!(q.value, quantile(&mut peaks, q.level), "level {}", q.level);
        }
        // The per-year alternative differs (and is not what we report).
        let per_year = ens.temperature_quantiles(&LEVELS);
        let averaged: Vec<f64> = (0..5)
            .map(|k| {
                let rows = &per_year[per_year.len() - 20..];
                rows.iter().map(|r| r[k]).sum::<f64>() / 20.0
            })
            .collect();
        assert_ne!(averaged, ours);
    }

    #[test]
    fn refuses_what_it_cannot_answer() {
        let p = builtin(ParamSet::CalibratedHist);
        for (q, needle) in [
            (
                OutcomeQuery::new("gsat_anomaly", WORLD),
                "unknown quantity \"gsat_anomaly\" (this predictor knows: warming, peak_warming, co2_ppm)",
            ),
            (
                OutcomeQuery::new(WARMING, "CHN"),
                "the only subject is `world`",
            ),
            (
                warming().scenario("ssp999"),
                "scenario \"ssp999\" is not modelled (supported: ssp119",
            ),
            (warming().scenario("ndcs+"), "no edit after `ndcs+`"),
            (warming().scenario("ndcs"), "run `attache sync` first"),
            (
                warming().scenario("current-policies"),
                "run `attache sync` first",
            ),
            (
                warming().scenario("ndcs+CHN=netzero:2050"),
                "run `attache sync` first",
            ),
            (
                warming().horizon(Horizon::Year(2600)),
                "horizon 2600 is not covered: the model years are 1850 to 2500",
            ),
            (
                warming().horizon(Horizon::Year(1800)),
                "horizon 1800 is not covered",
            ),
            (
                warming().horizon(Horizon::Years {
                    first: 2100,
                    last: 2081,
                }),
                "the first year 2100 is after the last 2081",
            ),
            (
                warming().horizon(Horizon::Month(attache_core::MonthId(540))),
                "climate quantities are annual",
            ),
            (
                OutcomeQuery::new(PEAK_WARMING, WORLD).horizon(Horizon::Year(2100)),
                "maximum over a period",
            ),
            (
                OutcomeQuery::new(CO2_PPM, WORLD).horizon(LATE),
                "concentration in one year",
            ),
        ] {
            check(&p, q, Err(needle));
        }
        let none = ClimatePredictor::new().with_climate(ClimateSettings {
            ensemble: 0,
            ..ClimateSettings::default()
        });
        check(&none, warming(), Err("0 members"));
        let pw = policy();
        for (q, needle) in [
            (
                warming().scenario("ndcs+ZZZ=netzero:2050"),
                "unknown country (no emissions history) `ZZZ`",
            ),
            (
                warming().scenario("ndcs+AAA=speed:3"),
                "unknown key `speed`",
            ),
            (warming().scenario("ndcs+AAA"), "expected ISO3=spec"),
            (
                warming().scenario("ndcs").horizon(Horizon::Year(2150)),
                "policy scenario ndcs runs to 2100",
            ),
        ] {
            check(&pw, q, Err(needle));
        }
    }

    #[test]
    fn policy_scenarios_on_a_synthetic_world() {
        let p = policy();
        let vintage = "20250101T000000Z-test";
        let ndcs = check(
            &p,
            warming(),
            Ok(("2100", (2.5, 1.5), "in-distribution", vintage)),
        )
        .unwrap();
        assert_eq!(ndcs.scenario, "NDCs: every country meets its NDC");
        let cp = check(
            &p,
            warming().scenario(CURRENT_POLICIES),
            Ok(("2100", (2.5, 1.5), "in-distribution", vintage)),
        )
        .unwrap();
        let nz = check(
            &p,
            warming().scenario("ndcs+AAA=netzero:2050;bbb=netzero:2060"),
            Ok(("2100", (1.5, 1.0), "in-distribution", vintage)),
        )
        .unwrap();
        eprintln!(
            "synthetic world 2100: current policies {:.3}, ndcs {:.3}, net zero {:.3}",
            cp.point, ndcs.point, nz.point
        );
        assert!(cp.point > ndcs.point, "{} vs {}", cp.point, ndcs.point);
        assert!(
            nz.point < ndcs.point - 0.3,
            "{} vs {}",
            nz.point,
            ndcs.point
        );
        assert_eq!(
            nz.scenario,
            "NDCs with edits (AAA=netzero:2050; bbb=netzero:2060)"
        );
        let all = nz.assumptions.join("\n");
        for want in [
            "National fossil CO2 only",
            "land-use CO2 and every non-CO2 gas follow the reference SSP2-4.5",
            "Current policies are a trend extrapolation",
            "NDC percentages, which refer to all greenhouse gases, are applied to fossil CO2",
            "Pledges as edited: AAA: 40% below 2010 by 2030, net zero 2050; BBB: no quantified target (no NDC), net zero 2060.",
        ] {
            assert!(all.contains(want), "no {want:?} in\n{all}");
        }
        assert!(!cp.assumptions.join(" ").contains("NDC percentages"));
        assert!(p.source(&warming()).contains("scenario ndcs (reference ssp245), params calibrated-hist, 200 members, seed 20151212, store vintage 20250101T000000Z-test"));
        // Stopping fossil CO2 at once is unlike any SSP: flagged.
        let stop = check(
            &p,
            warming().scenario("ndcs+AAA=level:0,by:2021;BBB=level:0,by:2021"),
            Ok(("2100", (1.2, 0.8), "out-of-distribution", vintage)),
        )
        .unwrap();
        eprintln!(
            "immediate stop: {} / {}",
            stop.describe(),
            stop.novelty.note
        );
        // With a world the built-in scenarios still answer, from the built-in tables.
        check(
            &p,
            warming().scenario("ssp245"),
            Ok(("2100", (2.8, 0.3), "in-distribution", "built-in RCMIP")),
        );
        assert_eq!(p.quantities()[0].scenarios[0], NDCS);
        assert_eq!(
            builtin(ParamSet::Calibrated).quantities()[0].scenarios[0],
            "ssp245"
        );
    }

    /// The predictor's splice is the aggregator's: the same ensemble quantiles in 2100.
    #[test]
    fn policy_splice_matches_the_aggregator() {
        let p = policy();
        let w = world();
        let s = Settings::default();
        let national = national_paths(&w.countries, Policy::Ndcs, &BTreeMap::new(), &s);
        let global = global_path(&national, &s).unwrap();
        let agg = climate_outcome(&global, 2100, p.climate()).unwrap();
        let o = p.predict(&warming()).unwrap();
        let want = agg.temperature_quantiles.last().unwrap();
        for (q, w) in o.quantiles.iter().zip(want) {
            assert!((q.value - w).abs() < 1e-12, "{} vs {w}", q.value);
        }
        assert!(o.assumptions[1].contains(&format!("gives {:.2} K", agg.warming_end)));
    }
}
