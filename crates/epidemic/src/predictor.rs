//! The epidemic simulator as an [`OutcomePredictor`] for briefs: a brief's option carries
//! "travel restriction X: arrival in Y delayed by N days (90% interval)".
//!
//! An option's *scenario* is a lever text (`travel:CHN*0.2@2020-01-23; screen:exit:CHN=0.3`,
//! dates or day offsets, see [`crate::calendar`]); no scenario (or `baseline`) is no lever.
//! The *subject* is a country (ISO3), or `world` for the attack rate. The settings
//! ([`SETTINGS`]) fix the disease, the seeding and the ensemble; the network is the country
//! network the caller built from data ([`crate::air`]). Every answer comes from a seeded
//! stochastic ensemble (at most [`MAX_ENSEMBLE`] runs), so the same settings give the same
//! numbers; the 90% interval is the ensemble's 5th to 95th percentile.
//!
//! Quantities: `arrival_day` (days from the first seed to the first infection in the
//! subject), `p_arrival` (the probability of an arrival within the horizon), `attack_rate`,
//! `peak_day`, and against the baseline (the same runs without the scenario's levers, common
//! random numbers): `arrival_delay` (days) and `cases_avoided` (local infections).

use std::sync::Arc;

use attache_core::outcome::{
    Horizon, ModelRef, Novelty, OutcomeError, OutcomePredictor, OutcomeQuery, PointKind,
    PredictedOutcome, Quantile, QuantitySpec, REFERENCE_LABEL, SettingSpec, Settings,
};
use attache_core::{Date, MonthId};

use crate::air::AirNetwork;
use crate::calendar::Calendar;
use crate::ensemble::{EnsembleOptions, run_ensemble};
use crate::model::Model;
use crate::output::{Quantiles, When, WhenSummary};
use crate::scenario::Scenario;
use crate::setup::{Seed, Setup};

/// The model's name in outcomes.
pub const MODEL_NAME: &str = "attache-epidemic";
/// The most runs a request may ask for.
pub const MAX_ENSEMBLE: u32 = 1000;
/// The longest horizon a request may ask for, in days.
pub const MAX_DAYS: u32 = 1096;

/// Quantity ids.
pub const ARRIVAL_DAY: &str = "arrival_day";
/// Probability of arrival within the horizon.
pub const P_ARRIVAL: &str = "p_arrival";
/// Attack rate.
pub const ATTACK_RATE: &str = "attack_rate";
/// Day of peak prevalence.
pub const PEAK_DAY: &str = "peak_day";
/// Days of delay the scenario buys.
pub const ARRIVAL_DELAY: &str = "arrival_delay";
/// Local infections the scenario avoids.
pub const CASES_AVOIDED: &str = "cases_avoided";

/// The settings a request may give.
pub const SETTINGS: &[SettingSpec] = &[
    SettingSpec {
        name: "model",
        description: "sir or seir (default seir)",
    },
    SettingSpec {
        name: "r0",
        description: "basic reproduction number (default 2.2, Li et al. 2020, NEJM 382:1199, early Wuhan)",
    },
    SettingSpec {
        name: "infectious_days",
        description: "mean infectious period in days (default 5)",
    },
    SettingSpec {
        name: "latent_days",
        description: "mean latent period in days, SEIR (default 3)",
    },
    SettingSpec {
        name: "seed",
        description: "initial infections ISO3:COUNT@YYYY-MM-DD, several separated by ; (default CHN:10@2019-12-01)",
    },
    SettingSpec {
        name: "lever",
        description: "levers in force in the baseline and the option alike, as the scenario grammar (default none)",
    },
    SettingSpec {
        name: "ensemble",
        description: "stochastic runs (default 200, at most 1000)",
    },
    SettingSpec {
        name: "rng_seed",
        description: "seed of the random streams (default 1; the same seed gives the same numbers)",
    },
    SettingSpec {
        name: "days",
        description: "horizon in days from the first seed (default 365; a query's horizon overrides it)",
    },
];

/// SIR or SEIR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Susceptible, infectious, removed.
    Sir,
    /// With a latent compartment.
    Seir,
}

/// A request's settings, parsed and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct EpidemicSettings {
    /// SIR or SEIR.
    pub kind: Kind,
    /// R0.
    pub r0: f64,
    /// Mean infectious period.
    pub infectious_days: f64,
    /// Mean latent period (SEIR).
    pub latent_days: f64,
    /// Seed texts, dated.
    pub seeds: Vec<String>,
    /// Background levers (text).
    pub levers: String,
    /// Runs.
    pub ensemble: u32,
    /// Random seed.
    pub rng_seed: u64,
    /// Horizon.
    pub days: u32,
}

impl Default for EpidemicSettings {
    fn default() -> Self {
        EpidemicSettings {
            kind: Kind::Seir,
            r0: 2.2,
            infectious_days: 5.0,
            latent_days: 3.0,
            seeds: vec!["CHN:10@2019-12-01".into()],
            levers: String::new(),
            ensemble: 200,
            rng_seed: 1,
            days: 365,
        }
    }
}

fn bad(setting: &str, value: &str, reason: impl Into<String>) -> OutcomeError {
    OutcomeError::BadSetting {
        model: "epidemic".into(),
        setting: setting.into(),
        value: value.into(),
        reason: reason.into(),
    }
}

fn num<T: std::str::FromStr>(s: &Settings, name: &str) -> Result<Option<T>, OutcomeError> {
    s.get(name)
        .map(|v| {
            v.trim()
                .parse()
                .map_err(|_| bad(name, v, "not a number of the expected kind"))
        })
        .transpose()
}

impl EpidemicSettings {
    /// From a request's settings (names as [`SETTINGS`]); defaults for the rest.
    pub fn parse(s: &Settings) -> Result<EpidemicSettings, OutcomeError> {
        let d = EpidemicSettings::default();
        let kind = match s.get("model").map(str::trim) {
            None | Some("seir") => Kind::Seir,
            Some("sir") => Kind::Sir,
            Some(other) => return Err(bad("model", other, "sir or seir")),
        };
        let out = EpidemicSettings {
            kind,
            r0: num(s, "r0")?.unwrap_or(d.r0),
            infectious_days: num(s, "infectious_days")?.unwrap_or(d.infectious_days),
            latent_days: num(s, "latent_days")?.unwrap_or(d.latent_days),
            seeds: match s.get("seed") {
                Some(v) => v
                    .split(';')
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(String::from)
                    .collect(),
                None => d.seeds,
            },
            levers: s.get("lever").unwrap_or_default().to_string(),
            ensemble: num(s, "ensemble")?.unwrap_or(d.ensemble),
            rng_seed: num(s, "rng_seed")?.unwrap_or(d.rng_seed),
            days: num(s, "days")?.unwrap_or(d.days),
        };
        if out.ensemble == 0 || out.ensemble > MAX_ENSEMBLE {
            return Err(bad(
                "ensemble",
                &out.ensemble.to_string(),
                format!("between 1 and {MAX_ENSEMBLE} runs"),
            ));
        }
        if out.days == 0 || out.days > MAX_DAYS {
            return Err(bad(
                "days",
                &out.days.to_string(),
                format!("between 1 and {MAX_DAYS}"),
            ));
        }
        if out.seeds.is_empty() {
            return Err(bad("seed", "", "at least one ISO3:COUNT@YYYY-MM-DD"));
        }
        out.model().map_err(|e| bad(e.0, &e.1, e.2))?;
        let cal = out.calendar()?;
        if cal.start().is_none() {
            return Err(bad(
                "seed",
                &out.seeds.join(";"),
                "date the seeds (ISO3:COUNT@YYYY-MM-DD): outcomes are about dates",
            ));
        }
        for sd in &out.seeds {
            cal.seed(sd).map_err(|e| bad("seed", sd, e.to_string()))?;
        }
        cal.scenario(&out.levers)
            .map_err(|e| bad("lever", &out.levers, e.to_string()))?;
        Ok(out)
    }

    /// The compartmental model; an error names the setting.
    fn model(&self) -> Result<Model, (&'static str, String, String)> {
        let m = match self.kind {
            Kind::Sir => Model::sir(self.r0, self.infectious_days),
            Kind::Seir => Model::seir(self.r0, self.latent_days, self.infectious_days),
        };
        m.map_err(|e| {
            let (name, value) = match &e {
                crate::EpidemicError::BadParameter { name, value, .. } => (*name, *value),
                _ => ("model", f64::NAN),
            };
            (name, value.to_string(), e.to_string())
        })
    }

    /// Day 0: the earliest seed date.
    pub fn calendar(&self) -> Result<Calendar, OutcomeError> {
        Calendar::from_seeds(None, &self.seeds)
            .map_err(|e| bad("seed", &self.seeds.join(";"), e.to_string()))
    }

    /// Day 0's date (settings that parsed have one).
    pub fn start(&self) -> Option<Date> {
        self.calendar().ok().and_then(|c| c.start())
    }
}

/// The epidemic simulator over a country network, for one request's settings.
#[derive(Debug, Clone)]
pub struct EpidemicPredictor {
    network: Arc<AirNetwork>,
    vintage: String,
    settings: EpidemicSettings,
    threads: usize,
}

fn quantities_list() -> Vec<QuantitySpec> {
    let subjects = "ISO 3166 alpha-3 country code";
    let scen = vec![
        "baseline".to_string(),
        "levers, e.g. travel:CHN*0.2@2020-01-23; screen:exit:CHN=0.3".to_string(),
    ];
    let q = |id: &str, description: &str, unit: &str, subjects: &str| QuantitySpec {
        id: id.into(),
        description: description.into(),
        unit: unit.into(),
        subjects: subjects.into(),
        scenarios: scen.clone(),
    };
    vec![
        q(
            ARRIVAL_DAY,
            "day of the first infection in a country, counted from the first seed (stochastic ensemble)",
            "days",
            subjects,
        ),
        q(
            P_ARRIVAL,
            "probability that the infection reaches a country within the horizon",
            "probability",
            subjects,
        ),
        q(
            ATTACK_RATE,
            "share of the population infected within the horizon",
            "fraction of the population",
            "ISO 3166 alpha-3 country code, or world",
        ),
        q(
            PEAK_DAY,
            "day of peak prevalence in a country, counted from the first seed",
            "days",
            subjects,
        ),
        q(
            ARRIVAL_DELAY,
            "days of delay in a country's arrival that the scenario's levers buy against the baseline (run by run)",
            "days",
            subjects,
        ),
        q(
            CASES_AVOIDED,
            "local infections the scenario's levers avoid in a country (or the world) against the baseline",
            "infections",
            "ISO 3166 alpha-3 country code, or world",
        ),
    ]
}

/// The quantities, without a network (for listings).
pub fn quantities() -> Vec<QuantitySpec> {
    quantities_list()
}

fn quantiles_of(q: &Quantiles) -> Vec<Quantile> {
    [
        (0.05, q.q05),
        (0.25, q.q25),
        (0.5, q.q50),
        (0.75, q.q75),
        (0.95, q.q95),
    ]
    .into_iter()
    .map(|(level, value)| Quantile { level, value })
    .collect()
}

/// The reached levels of a day distribution (not reached sorts last, so they are a prefix).
fn when_quantiles(w: &WhenSummary) -> Vec<Quantile> {
    [
        (0.05, w.q05),
        (0.25, w.q25),
        (0.5, w.median),
        (0.75, w.q75),
        (0.95, w.q95),
    ]
    .into_iter()
    .filter_map(|(level, v)| match v {
        When::Day(value) => Some(Quantile { level, value }),
        When::NotReached => None,
    })
    .collect()
}

impl EpidemicPredictor {
    /// A predictor over `network` (country level) from data `vintage`.
    pub fn new(
        network: Arc<AirNetwork>,
        vintage: &str,
        settings: EpidemicSettings,
    ) -> EpidemicPredictor {
        EpidemicPredictor {
            network,
            vintage: vintage.to_string(),
            settings,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }

    fn days_for(&self, h: Option<Horizon>, start: Date) -> Result<u32, OutcomeError> {
        let Some(h) = h else {
            return Ok(self.settings.days);
        };
        let end = match h {
            Horizon::Month(m) | Horizon::Months { last: m, .. } => {
                let next = m.plus(1).first_day();
                next.days_since_epoch() - 1
            }
            Horizon::Year(y) | Horizon::Years { last: y, .. } => {
                Date::end_of_year(y).days_since_epoch()
            }
        };
        let days = end - start.days_since_epoch();
        if days < 1 || days > i64::from(MAX_DAYS) {
            return Err(OutcomeError::UnsupportedHorizon {
                horizon: h,
                reason: format!(
                    "the run starts on {start} and covers 1 to {MAX_DAYS} days; this horizon ends {days} days after"
                ),
            });
        }
        Ok(days as u32)
    }

    fn setup(&self, cal: &Calendar, scenario: &Scenario, days: u32) -> Result<Setup, String> {
        self.settings.setup(&self.network, cal, scenario, days)
    }
}

impl EpidemicSettings {
    /// The run these settings describe on `network` over `days` days, with the settings'
    /// background levers and `scenario`'s (both expanded to the network's places): what the
    /// predictor, the scenario page and the API all simulate. An error is the request's
    /// (a seed or lever the network cannot place), in words.
    pub fn setup(
        &self,
        network: &AirNetwork,
        cal: &Calendar,
        scenario: &Scenario,
        days: u32,
    ) -> Result<Setup, String> {
        let model = self.model().map_err(|e| e.2)?;
        let seeds: Vec<Seed> = self
            .seeds
            .iter()
            .map(|t| cal.seed(t))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        let mut all = cal.scenario(&self.levers).map_err(|e| e.to_string())?;
        all.levers.extend(scenario.levers.iter().cloned());
        let levers: Vec<_> = all.levers.iter().flat_map(|l| network.expand(l)).collect();
        Setup::new(
            model,
            network.world.clone(),
            &seeds,
            &Scenario { levers },
            days,
        )
        .map_err(|e| e.to_string())
    }

    /// The settings in words (model, seeds, runs), as evidence and page captions give them.
    pub fn describe(&self) -> String {
        let m = match self.kind {
            Kind::Sir => format!("SIR R0 {}, infectious {} d", self.r0, self.infectious_days),
            Kind::Seir => format!(
                "SEIR R0 {}, latent {} d, infectious {} d",
                self.r0, self.latent_days, self.infectious_days
            ),
        };
        format!(
            "{m}; seeds {}; {} runs, rng seed {}",
            self.seeds.join(", "),
            self.ensemble,
            self.rng_seed
        )
    }
}

impl OutcomePredictor for EpidemicPredictor {
    fn model(&self) -> ModelRef {
        let kind = match self.settings.kind {
            Kind::Sir => "sir",
            Kind::Seir => "seir",
        };
        ModelRef {
            name: MODEL_NAME.into(),
            version: format!("{}+{kind}", env!("CARGO_PKG_VERSION")),
        }
    }

    fn data_vintage(&self) -> String {
        self.vintage.clone()
    }

    fn quantities(&self) -> Vec<QuantitySpec> {
        quantities_list()
    }

    fn evidence_source(&self, query: &OutcomeQuery) -> String {
        format!(
            "attache-epidemic ensemble: {}; scenario {}; country network of store vintage {}",
            self.settings.describe(),
            query.scenario.as_deref().unwrap_or("baseline"),
            self.vintage
        )
    }

    fn predict(&self, query: &OutcomeQuery) -> Result<PredictedOutcome, OutcomeError> {
        let q = query.quantity.as_str();
        let known = quantities_list();
        if !known.iter().any(|k| k.id == q) {
            return Err(OutcomeError::UnknownQuantity {
                quantity: q.into(),
                known: known
                    .iter()
                    .map(|k| k.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        let subject_err = |reason: String| OutcomeError::UnknownSubject {
            quantity: q.into(),
            subject: query.subject.clone(),
            reason,
        };
        let world_ok = matches!(q, ATTACK_RATE | CASES_AVOIDED);
        let subject = if query.subject.eq_ignore_ascii_case("world") && world_ok {
            None
        } else {
            Some(self.network.world.index(&query.subject).ok_or_else(|| {
                subject_err(
                    "not a country of the network (an ISO3 code with a WDI population)".into(),
                )
            })?)
        };
        let cal = self.settings.calendar().map_err(|e| OutcomeError::NoData {
            reason: e.to_string(),
        })?;
        let start = cal.start().ok_or_else(|| OutcomeError::NoData {
            reason: "the seeds carry no date".into(),
        })?;
        let days = self.days_for(query.horizon, start)?;
        let scen_text = query
            .scenario
            .as_deref()
            .filter(|s| !s.trim().is_empty() && s.trim() != "baseline");
        let unsupported = |reason: String| OutcomeError::UnsupportedScenario {
            scenario: query.scenario.clone().unwrap_or_default(),
            supported: format!("baseline, or levers ({reason})"),
        };
        let scenario = match scen_text {
            Some(t) => cal.scenario(t).map_err(|e| unsupported(e.to_string()))?,
            None => Scenario::baseline(),
        };
        let against_baseline = matches!(q, ARRIVAL_DELAY | CASES_AVOIDED);
        if against_baseline && scenario.levers.is_empty() {
            return Err(unsupported(format!(
                "{q} compares an option's levers with the baseline: give a scenario of levers"
            )));
        }
        let opts = EnsembleOptions {
            runs: self.settings.ensemble,
            seed: self.settings.rng_seed,
            threads: self.threads,
            track: Vec::new(),
        };
        let run = |sc: &Scenario| {
            let setup = self.setup(&cal, sc, days).map_err(&unsupported)?;
            run_ensemble(&setup, &opts).map_err(|e| OutcomeError::NoData {
                reason: e.to_string(),
            })
        };
        let lever = run(&scenario)?;
        let name = |i: Option<usize>| {
            i.map_or("the world".to_string(), |i| {
                self.network.world.names()[i].clone()
            })
        };
        let last = cal.date(days).unwrap_or(start);
        let horizon = Horizon::Months {
            first: MonthId::from_year_month(start.year, start.month).expect("a date's month"),
            last: MonthId::from_year_month(last.year, last.month).expect("a date's month"),
        };
        let scen_words = match scen_text {
            Some(t) => format!("levers: {t}"),
            None => "baseline: no levers".into(),
        };
        let mut assumptions = vec![
            format!(
                "{} on the country air network (OpenFlights routes, each carrying {:.0} passengers a day, calibrated to ICAO's 3.3 billion passengers of 2014; WDI populations); chain-binomial, one-day step.",
                self.settings.describe(),
                self.network.per_route
            ),
            format!("Day 0 is {start}; horizon {days} days (to {last})."),
            "Each country is one well-mixed population; travel is by air only, averaged both ways; no behaviour change beyond the levers.".into(),
        ];
        if !self.settings.levers.trim().is_empty() {
            assumptions.push(format!(
                "Levers in force in the baseline and the option: {}",
                self.settings.levers
            ));
        }
        let (point, point_kind, quantiles, unit, description): (
            f64,
            PointKind,
            Vec<Quantile>,
            String,
            String,
        ) = match q {
            ARRIVAL_DAY | PEAK_DAY => {
                let i = subject.expect("a country");
                let w = if q == ARRIVAL_DAY {
                    lever.arrival(i)
                } else {
                    lever.peak_day(i)
                };
                let qs = when_quantiles(&w);
                let When::Day(median) = w.median else {
                    return Err(subject_err(format!(
                        "the infection reaches {} within {days} days in only {:.0}% of runs, so the median is beyond the horizon; ask {P_ARRIVAL}",
                        name(subject),
                        100.0 * w.reached
                    )));
                };
                let what = if q == ARRIVAL_DAY {
                    "first infection"
                } else {
                    "peak prevalence"
                };
                (
                    median,
                    PointKind::Median,
                    qs,
                    format!("days after {start}"),
                    format!(
                        "Day of the {what} in {} (reached within the horizon in {:.0}% of runs)",
                        name(subject),
                        100.0 * w.reached
                    ),
                )
            }
            P_ARRIVAL => {
                let i = subject.expect("a country");
                let w = lever.arrival(i);
                // Never exactly 0 or 1 from a finite ensemble: (k + 0.5) / (n + 1).
                let n = lever.runs() as f64;
                let k = w.reached * n;
                let p = (k + 0.5) / (n + 1.0);
                (
                    p,
                    PointKind::Probability,
                    Vec::new(),
                    "probability".into(),
                    format!(
                        "P(the infection reaches {} within {days} days): {} of {} runs, shrunk by (k + 1/2)/(n + 1)",
                        name(subject),
                        k.round(),
                        lever.runs()
                    ),
                )
            }
            ATTACK_RATE => {
                let qs = match subject {
                    Some(i) => lever.attack_rate(i),
                    None => lever.world_attack_rate(),
                };
                (
                    qs.q50,
                    PointKind::Median,
                    quantiles_of(&qs),
                    "fraction of the population".into(),
                    format!("Attack rate in {} within {days} days", name(subject)),
                )
            }
            _ => {
                let base = run(&Scenario::baseline())?;
                let cmp = lever.compare(&base).map_err(|e| OutcomeError::NoData {
                    reason: e.to_string(),
                })?;
                if q == CASES_AVOIDED {
                    let qs = match subject {
                        Some(i) => cmp.effects[i].cases_avoided,
                        None => cmp.total_cases_avoided,
                    };
                    (
                        qs.q50,
                        PointKind::Median,
                        quantiles_of(&qs),
                        "infections".into(),
                        format!(
                            "Local infections avoided in {} within {days} days",
                            name(subject)
                        ),
                    )
                } else {
                    let i = subject.expect("a country");
                    let e = cmp.effects[i];
                    if e.runs_with_arrival == 0 {
                        return Err(subject_err(format!(
                            "the infection does not reach {} within {days} days in any baseline run: there is no arrival to delay",
                            name(subject)
                        )));
                    }
                    let When::Day(median) = e.delay.median else {
                        return Err(subject_err(format!(
                            "the levers keep the infection out of {} within the horizon in most runs (it still arrives in {:.0}% of the {} runs where the baseline's does); ask {P_ARRIVAL} under the scenario",
                            name(subject),
                            100.0 * e.delay.reached,
                            e.runs_with_arrival
                        )));
                    };
                    (
                        median,
                        PointKind::Median,
                        when_quantiles(&e.delay),
                        "days".into(),
                        format!(
                            "Delay in the first infection in {} bought by the levers (run by run against the baseline; {} runs where the baseline arrived; arrives within the horizon in {:.0}% of them)",
                            name(subject),
                            e.runs_with_arrival,
                            100.0 * e.delay.reached
                        ),
                    )
                }
            }
        };
        let out = PredictedOutcome {
            quantity: q.into(),
            description,
            subject: subject.map_or("world".to_string(), |i| {
                self.network.world.names()[i].clone()
            }),
            scenario: scen_words,
            point,
            point_kind,
            quantiles,
            unit,
            horizon,
            assumptions,
            model: self.model(),
            data_vintage: self.vintage.clone(),
            label: REFERENCE_LABEL.into(),
            novelty: Novelty::not_assessed(),
        };
        out.validate()?;
        Ok(out)
    }
}
