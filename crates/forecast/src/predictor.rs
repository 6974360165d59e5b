//! The conflict forecast as an [`OutcomePredictor`]: answers from a stored forecast run
//! (`attache forecast run`, read by `attache_store::ForecastStore`), so a brief shows
//! exactly the numbers the dashboard and `attache forecast show` show.
//!
//! Quantities (subject: an ISO 3166 alpha-3 code in the run):
//!
//! | id | what | point | quantiles | horizon |
//! |---|---|---|---|---|
//! | `p_any_ge25_next12` | P(>= 25 state-based battle deaths in at least one of the next 12 months) | probability | none | the 12 months after the run's as-of month |
//! | `deaths_month` | state-based battle deaths in one month | median | 0.05, 0.25, 0.5, 0.75, 0.95 | `Month(m)` in the run (default: the first) |
//! | `p_ge25_month` | P(>= 25 state-based battle deaths in one month) | probability | none | `Month(m)` in the run (default: the first) |
//!
//! The only scenario is `status-quo`: the forecast does not model any policy option, and each
//! outcome says so among its assumptions. A brief that attaches it to every option therefore
//! shows the same numbers for each, as it should until a model that conditions on policy exists.

use crate::run::{CountryOutlook, ForecastRun};
use attache_core::MonthId;
use attache_core::outcome::{
    Horizon, ModelRef, Novelty, NoveltyStatus, OutcomeError, OutcomePredictor, OutcomeQuery,
    PointKind, PredictedOutcome, Quantile, QuantitySpec, REFERENCE_LABEL,
};

pub const P_ANY_NEXT12: &str = "p_any_ge25_next12";
pub const DEATHS_MONTH: &str = "deaths_month";
pub const P_MONTH: &str = "p_ge25_month";
pub const STATUS_QUO: &str = "status-quo";

const DEATHS_UNIT: &str = "state-based battle-related deaths (UCDP GED best estimate)";

/// The conflict forecast of one stored run.
#[derive(Debug, Clone)]
pub struct ConflictForecastPredictor {
    run: ForecastRun,
    as_of: MonthId,
}

impl ConflictForecastPredictor {
    /// A predictor over `run`. Fails when the run's as-of month does not parse.
    pub fn new(run: ForecastRun) -> Result<Self, OutcomeError> {
        let as_of = MonthId::parse_ym(&run.meta.as_of).map_err(|e| OutcomeError::NoData {
            reason: format!("forecast run with as-of {:?}: {e}", run.meta.as_of),
        })?;
        Ok(ConflictForecastPredictor { run, as_of })
    }

    pub fn run(&self) -> &ForecastRun {
        &self.run
    }

    /// Where a brief's evidence says this came from.
    pub fn source(&self) -> String {
        format!(
            "forecasts/{} (attache forecast run, seed {}, {} draws)",
            self.run.meta.as_of, self.run.meta.seed, self.run.meta.draws
        )
    }

    fn country(&self, quantity: &str, subject: &str) -> Result<&CountryOutlook, OutcomeError> {
        let iso3 = subject.trim().to_ascii_uppercase();
        self.run
            .country(&iso3)
            .ok_or_else(|| OutcomeError::UnknownSubject {
                quantity: quantity.to_string(),
                subject: subject.to_string(),
                reason: format!(
                    "not in the forecast run as of {} ({} countries)",
                    self.run.meta.as_of,
                    self.run.countries.len()
                ),
            })
    }

    fn month(&self, q: &OutcomeQuery) -> Result<MonthId, OutcomeError> {
        let first = self.as_of.plus(1);
        match q.horizon {
            None => Ok(first),
            Some(Horizon::Month(m)) => Ok(m),
            Some(h) => Err(OutcomeError::UnsupportedHorizon {
                horizon: h,
                reason: format!("{} is predicted per month", q.quantity),
            }),
        }
    }

    fn assumptions(&self, extra: &[&str]) -> Vec<String> {
        let m = &self.run.meta;
        let mut a = vec![
            "The forecast does not model the effect of any option: it is the outlook if current trends continue (status quo).".to_string(),
            "State-based armed conflict only: UCDP GED best estimates of battle-related deaths, as in the ViEWS prediction challenge.".to_string(),
            format!("Uses only data public by {}; events after that are not reflected.", m.as_of),
            format!("Model {} {}: {} simulated draws, seed {}.", m.model, m.model_version, m.draws, m.seed),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    }

    fn novelty(&self, c: &CountryOutlook) -> Novelty {
        match &c.novelty {
            None => Novelty::not_assessed(),
            Some(n) if n.flagged => Novelty {
                status: NoveltyStatus::OutOfDistribution,
                note: format!(
                    "{}: inputs at the {:.1}th percentile of novelty against the training data",
                    n.label
                        .clone()
                        .unwrap_or_else(|| self.run.meta.novelty_label.clone()),
                    n.percentile
                ),
            },
            Some(n) => Novelty {
                status: NoveltyStatus::InDistribution,
                note: format!(
                    "inputs at the {:.1}th percentile of novelty against the training data",
                    n.percentile
                ),
            },
        }
    }

    fn outcome(
        &self,
        q: &OutcomeQuery,
        c: &CountryOutlook,
        parts: Parts,
    ) -> Result<PredictedOutcome, OutcomeError> {
        let name = if c.name.is_empty() {
            c.iso3.clone()
        } else {
            c.name.clone()
        };
        let out = PredictedOutcome {
            quantity: q.quantity.clone(),
            description: format!("{}, {name}", parts.what),
            subject: c.iso3.clone(),
            scenario: "status quo, no option modelled".to_string(),
            point: parts.point,
            point_kind: parts.kind,
            quantiles: parts.quantiles,
            unit: parts.unit.to_string(),
            horizon: parts.horizon,
            assumptions: parts.assumptions,
            model: self.model(),
            data_vintage: self.data_vintage(),
            label: REFERENCE_LABEL.to_string(),
            novelty: self.novelty(c),
        };
        out.validate()?;
        Ok(out)
    }
}

/// The quantity-specific parts of an outcome.
struct Parts {
    what: String,
    point: f64,
    kind: PointKind,
    quantiles: Vec<Quantile>,
    unit: &'static str,
    horizon: Horizon,
    assumptions: Vec<String>,
}

/// The quantities the conflict forecast answers (the same for every run).
pub fn quantities() -> Vec<QuantitySpec> {
    let spec = |id: &str, description: &str, unit: &str| QuantitySpec {
        id: id.to_string(),
        description: description.to_string(),
        unit: unit.to_string(),
        subjects: "ISO 3166 alpha-3 country code in the forecast run".to_string(),
        scenarios: vec![STATUS_QUO.to_string()],
    };
    vec![
        spec(
            P_ANY_NEXT12,
            "P(>= 25 state-based battle deaths in at least one of the next 12 months)",
            "probability",
        ),
        spec(
            DEATHS_MONTH,
            "state-based battle deaths in one month (median and quantiles)",
            DEATHS_UNIT,
        ),
        spec(
            P_MONTH,
            "P(>= 25 state-based battle deaths in one month)",
            "probability",
        ),
    ]
}

impl OutcomePredictor for ConflictForecastPredictor {
    fn evidence_source(&self, _query: &OutcomeQuery) -> String {
        self.source()
    }

    fn model(&self) -> ModelRef {
        ModelRef {
            name: self.run.meta.model.clone(),
            version: self.run.meta.model_version.clone(),
        }
    }

    fn data_vintage(&self) -> String {
        self.run.meta.vintage.clone()
    }

    fn quantities(&self) -> Vec<QuantitySpec> {
        quantities()
    }

    fn predict(&self, q: &OutcomeQuery) -> Result<PredictedOutcome, OutcomeError> {
        if let Some(s) = &q.scenario
            && s != STATUS_QUO
        {
            return Err(OutcomeError::UnsupportedScenario {
                scenario: s.clone(),
                supported: STATUS_QUO.to_string(),
            });
        }
        match q.quantity.as_str() {
            P_ANY_NEXT12 => {
                let c = self.country(&q.quantity, &q.subject)?;
                let horizon = Horizon::Months {
                    first: self.as_of.plus(1),
                    last: self.as_of.plus(12),
                };
                if let Some(h) = q.horizon
                    && h != horizon
                {
                    return Err(OutcomeError::UnsupportedHorizon {
                        horizon: h,
                        reason: format!("this run covers {horizon}"),
                    });
                }
                let p = c.p_any_ge25_next12.ok_or_else(|| OutcomeError::NoData {
                    reason: format!(
                        "the run as of {} has no 12-month probability for {}",
                        self.run.meta.as_of, c.iso3
                    ),
                })?;
                self.outcome(
                    q,
                    c,
                    Parts {
                        what: format!(
                            "P(>= 25 state-based battle deaths in at least one month of {horizon})"
                        ),
                        point: p,
                        kind: PointKind::Probability,
                        quantiles: Vec::new(),
                        unit: "probability",
                        horizon,
                        assumptions: self.assumptions(&[]),
                    },
                )
            }
            DEATHS_MONTH | P_MONTH => {
                let c = self.country(&q.quantity, &q.subject)?;
                let m = self.month(q)?;
                let row = self
                    .run
                    .months_of(&c.iso3)
                    .find(|r| r.month_id == m)
                    .ok_or_else(|| OutcomeError::UnsupportedHorizon {
                        horizon: Horizon::Month(m),
                        reason: format!(
                            "the run as of {} covers {} to {}",
                            self.run.meta.as_of, self.run.meta.months[0], self.run.meta.months[1]
                        ),
                    })?;
                let parts = if q.quantity == DEATHS_MONTH {
                    Parts {
                        what: format!("state-based battle deaths in {m}"),
                        point: row.median,
                        kind: PointKind::Median,
                        quantiles: [
                            (0.05, row.q05),
                            (0.25, row.q25),
                            (0.5, row.median),
                            (0.75, row.q75),
                            (0.95, row.q95),
                        ]
                        .map(|(level, value)| Quantile { level, value })
                        .to_vec(),
                        unit: DEATHS_UNIT,
                        horizon: Horizon::Month(m),
                        assumptions: self.assumptions(&[
                            "Quantiles are of one month's count; they do not add up across months.",
                        ]),
                    }
                } else {
                    Parts {
                        what: format!("P(>= 25 state-based battle deaths in {m})"),
                        point: row.p_ge_25,
                        kind: PointKind::Probability,
                        quantiles: Vec::new(),
                        unit: "probability",
                        horizon: Horizon::Month(m),
                        assumptions: self.assumptions(&[]),
                    }
                };
                self.outcome(q, c, parts)
            }
            other => Err(OutcomeError::UnknownQuantity {
                quantity: other.to_string(),
                known: [P_ANY_NEXT12, DEATHS_MONTH, P_MONTH].join(", "),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::{MonthOutlook, NoveltyRecord, RunMeta};

    /// A run shaped like `attache forecast run` writes (see crates/cli/src/forecast_cmd/live.rs).
    fn run() -> ForecastRun {
        let month = |m: i32, median, q05, q25, q75, q95, p| MonthOutlook {
            iso3: "SDN".into(),
            views_id: 245,
            month_id: MonthId(m),
            median,
            q05,
            q25,
            q75,
            q95,
            p_ge_25: p,
        };
        ForecastRun {
            meta: RunMeta {
                label: "Reference forecast".into(),
                as_of: "2024-10".into(),
                months: ["2024-11".into(), "2025-12".into()],
                vintage: "20250101T000000Z-abcd".into(),
                model: "attache-gbt-hurdle".into(),
                model_version: "0.1.0".into(),
                seed: 7,
                draws: 1000,
                novelty_label: "reference only: situation without precedent in the data".into(),
            },
            countries: vec![
                CountryOutlook {
                    iso3: "SDN".into(),
                    views_id: 245,
                    name: "Sudan".into(),
                    p_any_ge25_next12: Some(0.97),
                    worst_recent_month: None,
                    novelty: Some(NoveltyRecord {
                        score: 3.0,
                        percentile: 99.5,
                        flagged: true,
                        label: None,
                    }),
                    drivers: vec![],
                },
                CountryOutlook {
                    iso3: "ISL".into(),
                    views_id: 1,
                    name: "Iceland".into(),
                    p_any_ge25_next12: None,
                    worst_recent_month: None,
                    novelty: None,
                    drivers: vec![],
                },
            ],
            months: vec![
                month(539, 150.0, 2.0, 40.0, 400.0, 1200.0, 0.8),
                month(540, 140.0, 1.0, 35.0, 380.0, 1100.0, 0.78),
            ],
        }
    }

    fn check(q: OutcomeQuery, expect: Result<(&str, f64, usize, &str), &str>) {
        let p = ConflictForecastPredictor::new(run()).unwrap();
        match (p.predict(&q), expect) {
            (Ok(o), Ok((horizon, point, quantiles, novelty))) => {
                assert_eq!(o.horizon.to_string(), horizon, "{q:?}");
                assert_eq!(o.point, point, "{q:?}");
                assert_eq!(o.quantiles.len(), quantiles, "{q:?}");
                assert_eq!(o.novelty.status.as_str(), novelty, "{q:?}");
                assert_eq!(o.model.to_string(), "attache-gbt-hurdle 0.1.0");
                assert_eq!(o.data_vintage, "20250101T000000Z-abcd");
                assert!(o.assumptions[0].contains("does not model the effect of any option"));
                o.validate().unwrap();
            }
            (Err(e), Err(needle)) => {
                assert!(e.to_string().contains(needle), "{e} lacks {needle:?}")
            }
            (got, want) => panic!("{q:?}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn answers_from_the_stored_run() {
        check(
            OutcomeQuery::new(P_ANY_NEXT12, "SDN"),
            Ok(("2024-11 to 2025-10", 0.97, 0, "out-of-distribution")),
        );
        check(
            OutcomeQuery::new(P_ANY_NEXT12, "sdn").scenario(STATUS_QUO),
            Ok(("2024-11 to 2025-10", 0.97, 0, "out-of-distribution")),
        );
        check(
            OutcomeQuery::new(DEATHS_MONTH, "SDN"),
            Ok(("2024-11", 150.0, 5, "out-of-distribution")),
        );
        check(
            OutcomeQuery::new(DEATHS_MONTH, "SDN").horizon(Horizon::Month(MonthId(540))),
            Ok(("2024-12", 140.0, 5, "out-of-distribution")),
        );
        check(
            OutcomeQuery::new(P_MONTH, "SDN").horizon(Horizon::Month(MonthId(540))),
            Ok(("2024-12", 0.78, 0, "out-of-distribution")),
        );
    }

    #[test]
    fn refuses_what_it_cannot_answer() {
        check(
            OutcomeQuery::new("gsat_anomaly", "SDN"),
            Err("unknown quantity \"gsat_anomaly\" (this predictor knows: p_any_ge25_next12"),
        );
        check(
            OutcomeQuery::new(P_ANY_NEXT12, "FRA"),
            Err("not in the forecast run as of 2024-10 (2 countries)"),
        );
        check(
            OutcomeQuery::new(P_ANY_NEXT12, "ISL"),
            Err("no 12-month probability for ISL"),
        );
        check(
            OutcomeQuery::new(P_ANY_NEXT12, "SDN").scenario("sanctions"),
            Err("scenario \"sanctions\" is not modelled"),
        );
        check(
            OutcomeQuery::new(DEATHS_MONTH, "SDN").horizon(Horizon::Month(MonthId(600))),
            Err("covers 2024-11 to 2025-12"),
        );
        check(
            OutcomeQuery::new(DEATHS_MONTH, "SDN").horizon(Horizon::Year(2025)),
            Err("is predicted per month"),
        );
        check(
            OutcomeQuery::new(P_ANY_NEXT12, "SDN").horizon(Horizon::Year(2025)),
            Err("this run covers 2024-11 to 2025-10"),
        );
    }

    #[test]
    fn a_corrupt_run_breaks_the_contract_loudly() {
        let mut r = run();
        r.months[0].q75 = 1.0; // below q25
        let p = ConflictForecastPredictor::new(r).unwrap();
        let e = p
            .predict(&OutcomeQuery::new(DEATHS_MONTH, "SDN"))
            .unwrap_err();
        assert!(e.to_string().contains("quantiles"), "{e}");
    }
}
