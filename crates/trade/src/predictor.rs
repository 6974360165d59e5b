//! The trade-policy simulator behind the option interface
//! ([`attache_core::outcome::OutcomePredictor`]): a brief's option names a [`Scenario`]
//! (`tariff USA on CHN 25%`, `sanction USA,GBR on IRN`, `rta-add CHN,JPN`) and asks for a
//! country's change in real GDP or in exports; the answer is the full-endowment general
//! equilibrium of [`crate::simulate`] with its quantiles (see there for what the interval
//! covers). Simulations are kept per scenario, so a brief asking for many countries solves once.
//!
//! The baseline is a fixed year of the panel; when it is more than [`STALE_YEARS`] older than
//! the year of asking, every answer is flagged out-of-distribution with a note saying so: the
//! world's trade shares have moved since.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use attache_core::outcome::{
    Horizon, ModelRef, Novelty, NoveltyStatus, OutcomeError, OutcomePredictor, OutcomeQuery,
    PointKind, PredictedOutcome, Quantile, QuantitySpec, REFERENCE_LABEL,
};

use crate::ge::CountryChange;
use crate::scenario::{SYNTAX, Scenario};
use crate::simulate::{FittedGravity, Simulation};

/// Change in real GDP, percent.
pub const REAL_GDP: &str = "trade_real_gdp_change";
/// Change in international exports, percent.
pub const EXPORTS: &str = "trade_exports_change";
/// A baseline older than this (years before the year of asking) is flagged.
pub const STALE_YEARS: i32 = 5;
/// Simulations kept per predictor.
const KEEP: usize = 16;

/// The quantities the simulator answers.
pub fn quantities() -> Vec<QuantitySpec> {
    let q = |id: &str, description: &str| QuantitySpec {
        id: id.into(),
        description: description.into(),
        unit: "percent".into(),
        subjects: "ISO 3166 alpha-3 code of a country in the gravity panel".into(),
        scenarios: vec![format!("a trade-policy scenario: {SYNTAX}")],
    };
    vec![
        q(
            REAL_GDP,
            "change in real GDP (output over the consumer price index) once the economy has fully adjusted (full-endowment general equilibrium)",
        ),
        q(
            EXPORTS,
            "change in international exports once the economy has fully adjusted (full-endowment general equilibrium)",
        ),
    ]
}

/// The simulator on one fitted baseline.
pub struct TradePredictor {
    fitted: Arc<FittedGravity>,
    vintage: String,
    as_of_year: i32,
    runs: Mutex<BTreeMap<String, Arc<Simulation>>>,
}

impl TradePredictor {
    /// A predictor on `fitted` (estimated from `vintage`), asked in `as_of_year`.
    pub fn new(fitted: Arc<FittedGravity>, vintage: &str, as_of_year: i32) -> TradePredictor {
        TradePredictor {
            fitted,
            vintage: vintage.to_string(),
            as_of_year,
            runs: Mutex::default(),
        }
    }

    /// The simulation of `scenario` (solved once per predictor).
    pub fn simulation(&self, scenario: &Scenario) -> Result<Arc<Simulation>, OutcomeError> {
        let key = scenario.to_string();
        if let Some(s) = self.lock().get(&key) {
            return Ok(s.clone());
        }
        let sim = Arc::new(self.fitted.simulate(scenario).map_err(|e| {
            OutcomeError::UnsupportedScenario {
                scenario: key.clone(),
                supported: e.to_string(),
            }
        })?);
        let mut runs = self.lock();
        if runs.len() >= KEEP {
            runs.clear();
        }
        runs.insert(key, sim.clone());
        Ok(sim)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Arc<Simulation>>> {
        self.runs.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn novelty(&self) -> Novelty {
        let age = self.as_of_year - self.fitted.year as i32;
        if age > STALE_YEARS {
            Novelty {
                status: NoveltyStatus::OutOfDistribution,
                note: format!(
                    "the baseline is the world economy of {} ({age} years before {}): trade shares and agreements have changed since, so read the direction and rough size, not the digits",
                    self.fitted.year, self.as_of_year
                ),
            }
        } else {
            Novelty {
                status: NoveltyStatus::InDistribution,
                note: format!("baseline year {}", self.fitted.year),
            }
        }
    }

    fn assumptions(&self, sim: &Simulation) -> Vec<String> {
        let f = &self.fitted;
        let years = format!(
            "{}-{} (every {}th year)",
            f.years[0],
            f.years[f.years.len() - 1],
            f.years.get(1).map_or(1, |y| y - f.years[0])
        );
        let mut a = vec![
            format!(
                "structural gravity of an endowment economy (Armington), sigma {}; a comparative static: the change once prices, output and spending have fully adjusted, on the {} economy of the panel's {} countries (the rest of the world is not modelled); trade imbalances held at their {} level",
                f.sigma(),
                f.year,
                f.countries.len(),
                f.year
            ),
            format!(
                "effect of a regional trade agreement {:.3} (standard error {:.3}, clustered by pair), from PPML with pair, exporter-year and importer-year effects on {years}",
                f.rta.estimate, f.rta.std_error
            ),
        ];
        if sim.scenario.has_sanction()
            && let Some(s) = &f.sanction
        {
            a.push(format!(
                "effect of trade sanctions {:.3} (standard error {:.3}) from the same regression; a sanction acts on trade both ways between senders and targets",
                s.estimate, s.std_error
            ));
        }
        if sim.scenario.has_border()
            && let Some(b) = &f.border
        {
            a.push(format!(
                "effect of an international border {:.3} (robust standard error {:.3}), the Guide's trade-without-borders regression on {}; removing a border takes it off the pairs named",
                b.estimate, b.std_error, f.year
            ));
        }
        let sigma = if sim.scenario.has_tariff() {
            format!(
                ", and sigma {} and {} (an assumed range, not an estimate)",
                sim.params[1].sigma, sim.params[2].sigma
            )
        } else {
            String::new()
        };
        a.push(format!(
            "quantiles 5% and 95%: the equilibrium re-solved with the estimated effects at their 5th and 95th percentiles{sigma}, taking the answer as monotone in them; uncertainty in the baseline trade costs is left out"
        ));
        if sim.scenario.has_tariff() {
            a.push("tariff revenue is not modelled: the tariff acts as a trade cost, which overstates the loss of the country that levies it".into());
        }
        a
    }
}

impl OutcomePredictor for TradePredictor {
    fn model(&self) -> ModelRef {
        ModelRef {
            name: "trade-gravity-ge".into(),
            version: format!(
                "{} (GE-PPML, exact full endowment)",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }

    fn data_vintage(&self) -> String {
        self.vintage.clone()
    }

    fn quantities(&self) -> Vec<QuantitySpec> {
        quantities()
    }

    fn predict(&self, query: &OutcomeQuery) -> Result<PredictedOutcome, OutcomeError> {
        let field: fn(&CountryChange) -> f64 = match query.quantity.as_str() {
            REAL_GDP => |c| c.real_gdp_full,
            EXPORTS => |c| c.exports_full,
            q => {
                return Err(OutcomeError::UnknownQuantity {
                    quantity: q.into(),
                    known: format!("{REAL_GDP}, {EXPORTS}"),
                });
            }
        };
        let text = query
            .scenario
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| OutcomeError::UnsupportedScenario {
                scenario: String::new(),
                supported: format!("a trade outcome needs a scenario: {SYNTAX}"),
            })?;
        let scenario: Scenario =
            text.parse()
                .map_err(|e: crate::Error| OutcomeError::UnsupportedScenario {
                    scenario: text.into(),
                    supported: e.to_string(),
                })?;
        let year = self.fitted.year as i32;
        if let Some(h) = query.horizon
            && h != Horizon::Year(year)
        {
            return Err(OutcomeError::UnsupportedHorizon {
                horizon: h,
                reason: format!(
                    "the simulator answers a comparative static on its baseline year {year}"
                ),
            });
        }
        let subject = query.subject.trim().to_ascii_uppercase();
        let sim = self.simulation(&scenario)?;
        let r = sim
            .ranged(&subject, field)
            .ok_or_else(|| OutcomeError::UnknownSubject {
                quantity: query.quantity.clone(),
                subject: query.subject.clone(),
                reason: format!(
                    "not among the gravity panel's {} countries",
                    self.fitted.countries.len()
                ),
            })?;
        let what = if query.quantity == REAL_GDP {
            "real GDP"
        } else {
            "international exports"
        };
        let out = PredictedOutcome {
            quantity: query.quantity.clone(),
            description: format!(
                "change in {what} of {subject} once the economy has fully adjusted, if {scenario}"
            ),
            subject,
            scenario: scenario.to_string(),
            point: r.central,
            point_kind: PointKind::Median,
            quantiles: vec![
                Quantile {
                    level: 0.05,
                    value: r.low,
                },
                Quantile {
                    level: 0.5,
                    value: r.central,
                },
                Quantile {
                    level: 0.95,
                    value: r.high,
                },
            ],
            unit: "percent".into(),
            horizon: Horizon::Year(year),
            assumptions: self.assumptions(&sim),
            model: self.model(),
            data_vintage: self.vintage.clone(),
            label: REFERENCE_LABEL.into(),
            novelty: self.novelty(),
        };
        out.validate()?;
        Ok(out)
    }

    fn evidence_source(&self, query: &OutcomeQuery) -> String {
        format!(
            "{} on {}: general equilibrium of `{}` on the {} baseline",
            self.model(),
            self.vintage,
            query.scenario.as_deref().unwrap_or(""),
            self.fitted.year
        )
    }
}
