//! The outcome predictor seam: one interface through which every model that can say "what
//! happens if" answers a decision brief.
//!
//! A model implements [`OutcomePredictor`]: it names itself ([`ModelRef`]) and its data vintage,
//! lists the quantities it can predict ([`QuantitySpec`]), and answers an [`OutcomeQuery`]
//! (quantity, subject, scenario, horizon) with a [`PredictedOutcome`]: a point value, quantiles at
//! stated probability levels (from which central intervals follow), a unit, a horizon, the
//! assumptions in words, the model's name and version, the data vintage, a novelty
//! (out-of-distribution) flag and the [`REFERENCE_LABEL`]. Briefs store and show outcomes; they
//! never compute them.
//!
//! Implementations today: the conflict forecast (`attache-briefs`, reading a stored forecast run:
//! P(>= 25 battle deaths in any of the next 12 months) and monthly death quantiles, scenario
//! "status quo" only). Intended next: the climate emulator (say, quantity `gsat_anomaly`, subject
//! `world`, scenario `ssp245`, horizon `Year(2100)`, quantiles from the seeded ensemble).
//!
//! The contract every implementation keeps, checked by [`PredictedOutcome::validate`] (briefs
//! refuse outcomes that fail it): finite numbers; quantile levels strictly increasing inside
//! (0, 1) with non-decreasing values; a probability between 0 and 1; at least one assumption;
//! model name, version and data vintage named; the label exactly [`REFERENCE_LABEL`]. A model
//! that cannot answer says why ([`OutcomeError`]) rather than guessing.
//!
//! No IO here: predictors that read stored runs or simulate live in their own crates.

pub mod registry;

use std::fmt;

use crate::MonthId;

pub use registry::{PredictorKind, PredictorSource, Registry, SettingSpec, Settings};

/// The label every predicted outcome carries and every view shows beside it.
pub const REFERENCE_LABEL: &str = "reference: the system advises, a person decides";

/// A model and its version, as recorded with every outcome it produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelRef {
    pub name: String,
    pub version: String,
}

impl fmt::Display for ModelRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.version)
    }
}

/// One quantity a predictor can predict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuantitySpec {
    /// Stable identifier used in queries (`p_any_ge25_next12`, `gsat_anomaly`).
    pub id: String,
    /// What it is, in words.
    pub description: String,
    pub unit: String,
    /// What a subject is for this quantity ("ISO 3166 alpha-3 country code", "world").
    pub subjects: String,
    /// Scenarios the predictor can condition on (the first is the default).
    pub scenarios: Vec<String>,
}

/// The period an outcome is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Horizon {
    Month(MonthId),
    /// First and last month, inclusive.
    Months {
        first: MonthId,
        last: MonthId,
    },
    Year(i32),
    /// First and last year, inclusive.
    Years {
        first: i32,
        last: i32,
    },
}

impl fmt::Display for Horizon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Horizon::Month(m) => write!(f, "{m}"),
            Horizon::Months { first, last } => write!(f, "{first} to {last}"),
            Horizon::Year(y) => write!(f, "{y}"),
            Horizon::Years { first, last } => write!(f, "{first} to {last}"),
        }
    }
}

impl std::str::FromStr for Horizon {
    type Err = String;

    /// The forms [`Horizon`]'s `Display` writes: `2100`, `2081-2100` or `2081 to 2100`,
    /// `2021-03`, `2021-01 to 2021-12`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "horizon {s:?}: expected a year (2100), years (2081-2100), a month (2021-03) or months (2021-01 to 2021-12)"
            )
        };
        let year = |t: &str| -> Result<i32, String> {
            let t = t.trim();
            if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
                t.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let month = |t: &str| MonthId::parse_ym(t).map_err(|_| bad());
        let t = s.trim();
        let (first, last) = match t.split_once(" to ") {
            Some((a, b)) => (a.trim(), Some(b.trim())),
            None => match t.split_once('-') {
                // "2081-2100": two years; "2021-03": one month.
                Some((a, b)) if b.trim().len() == 4 => (a.trim(), Some(b.trim())),
                _ => (t, None),
            },
        };
        let h = match (first.len(), last) {
            (4, None) => Horizon::Year(year(first)?),
            (4, Some(l)) => Horizon::Years {
                first: year(first)?,
                last: year(l)?,
            },
            (7, None) => Horizon::Month(month(first)?),
            (7, Some(l)) => Horizon::Months {
                first: month(first)?,
                last: month(l)?,
            },
            _ => return Err(bad()),
        };
        match h {
            Horizon::Years { first, last } if last < first => Err(bad()),
            Horizon::Months { first, last } if last < first => Err(bad()),
            h => Ok(h),
        }
    }
}

/// What a brief asks a predictor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeQuery {
    /// A [`QuantitySpec::id`].
    pub quantity: String,
    /// Whom or what it concerns (an ISO3 code, `world`).
    pub subject: String,
    /// The scenario (an option's policy, an emissions pathway); `None` for the default.
    pub scenario: Option<String>,
    /// The period; `None` for the predictor's natural horizon.
    pub horizon: Option<Horizon>,
}

impl OutcomeQuery {
    /// A query for the default scenario and horizon.
    pub fn new(quantity: &str, subject: &str) -> Self {
        OutcomeQuery {
            quantity: quantity.to_string(),
            subject: subject.to_string(),
            scenario: None,
            horizon: None,
        }
    }

    pub fn scenario(mut self, scenario: &str) -> Self {
        self.scenario = Some(scenario.to_string());
        self
    }

    pub fn horizon(mut self, horizon: Horizon) -> Self {
        self.horizon = Some(horizon);
        self
    }
}

/// The value at one probability level of the predictive distribution: P(X <= value) = level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantile {
    pub level: f64,
    pub value: f64,
}

/// A central interval holding the outcome with the stated probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub probability: f64,
    pub low: f64,
    pub high: f64,
}

/// What the point value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointKind {
    Median,
    Mean,
    /// The outcome is an event's probability (between 0 and 1).
    Probability,
}

impl PointKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PointKind::Median => "median",
            PointKind::Mean => "mean",
            PointKind::Probability => "probability",
        }
    }

    /// The inverse of [`PointKind::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        [PointKind::Median, PointKind::Mean, PointKind::Probability]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Whether the inputs of a prediction look like the data the model learnt from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoveltyStatus {
    /// The model does not assess novelty.
    NotAssessed,
    InDistribution,
    /// Unlike the training data: treat the numbers with extra caution.
    OutOfDistribution,
}

impl NoveltyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            NoveltyStatus::NotAssessed => "not-assessed",
            NoveltyStatus::InDistribution => "in-distribution",
            NoveltyStatus::OutOfDistribution => "out-of-distribution",
        }
    }

    /// The inverse of [`NoveltyStatus::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        [
            NoveltyStatus::NotAssessed,
            NoveltyStatus::InDistribution,
            NoveltyStatus::OutOfDistribution,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// The novelty flag and what it rests on ("inputs at the 99.2th percentile of training novelty").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Novelty {
    pub status: NoveltyStatus,
    pub note: String,
}

impl Novelty {
    pub fn not_assessed() -> Self {
        Novelty {
            status: NoveltyStatus::NotAssessed,
            note: String::new(),
        }
    }

    pub fn is_flagged(&self) -> bool {
        self.status == NoveltyStatus::OutOfDistribution
    }
}

/// One model's prediction of one quantity, with everything a reader needs to weigh it.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictedOutcome {
    /// The [`QuantitySpec::id`] predicted.
    pub quantity: String,
    /// What is predicted, in words ("P(>= 25 state-based battle deaths in at least one month),
    /// Sudan").
    pub description: String,
    pub subject: String,
    /// The scenario it is conditional on, in words ("status quo: ...").
    pub scenario: String,
    pub point: f64,
    pub point_kind: PointKind,
    /// Increasing levels; may be empty (a probability has no quantiles of its own).
    pub quantiles: Vec<Quantile>,
    pub unit: String,
    pub horizon: Horizon,
    /// What the prediction takes for granted, in words; at least one.
    pub assumptions: Vec<String>,
    pub model: ModelRef,
    /// The data the model saw (a store vintage id, a release name).
    pub data_vintage: String,
    /// Always [`REFERENCE_LABEL`].
    pub label: String,
    pub novelty: Novelty,
}

/// Why a predictor gave no outcome, or why an outcome breaks the contract.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OutcomeError {
    #[error("unknown quantity {quantity:?} (this predictor knows: {known})")]
    UnknownQuantity { quantity: String, known: String },
    #[error("no prediction of {quantity} for subject {subject:?}: {reason}")]
    UnknownSubject {
        quantity: String,
        subject: String,
        reason: String,
    },
    #[error("scenario {scenario:?} is not modelled (supported: {supported})")]
    UnsupportedScenario { scenario: String, supported: String },
    #[error("horizon {horizon} is not covered: {reason}")]
    UnsupportedHorizon { horizon: Horizon, reason: String },
    /// The predictor's data is missing or unreadable.
    #[error("no data to predict from: {reason}")]
    NoData { reason: String },
    /// No predictor of that name in the registry.
    #[error("unknown model {model:?} (known: {known})")]
    UnknownModel { model: String, known: String },
    /// A setting the predictor does not take, or a value it cannot use.
    #[error("model {model}: setting {setting:?} is not one it takes (it takes: {known})")]
    UnknownSetting {
        model: String,
        setting: String,
        known: String,
    },
    #[error("model {model}: setting {setting} = {value:?}: {reason}")]
    BadSetting {
        model: String,
        setting: String,
        value: String,
        reason: String,
    },
    /// An outcome that breaks the contract of [`PredictedOutcome::validate`].
    #[error("invalid predicted outcome of {quantity:?}: {field}: {reason}")]
    Invalid {
        quantity: String,
        field: &'static str,
        reason: String,
    },
}

/// A model that predicts outcomes for briefs. Object safe: briefs take `&dyn OutcomePredictor`.
pub trait OutcomePredictor {
    /// The model's name and version (as recorded in each outcome).
    fn model(&self) -> ModelRef;
    /// The data vintage the model answers from.
    fn data_vintage(&self) -> String;
    /// The quantities [`OutcomePredictor::predict`] accepts.
    fn quantities(&self) -> Vec<QuantitySpec>;
    /// Predicts one quantity; the result satisfies [`PredictedOutcome::validate`].
    fn predict(&self, query: &OutcomeQuery) -> Result<PredictedOutcome, OutcomeError>;
    /// Where a brief's evidence says an answer to `query` came from (a stored run, a simulation
    /// with its settings).
    fn evidence_source(&self, query: &OutcomeQuery) -> String {
        let _ = query;
        format!("{} on {}", self.model(), self.data_vintage())
    }
}

/// Two levels closer than this are the same level.
const LEVEL_EPS: f64 = 1e-9;

impl PredictedOutcome {
    /// Checks the contract (see the module docs).
    pub fn validate(&self) -> Result<(), OutcomeError> {
        let bad = |field: &'static str, reason: String| {
            Err(OutcomeError::Invalid {
                quantity: self.quantity.clone(),
                field,
                reason,
            })
        };
        for (field, v) in [
            ("quantity", &self.quantity),
            ("description", &self.description),
            ("subject", &self.subject),
            ("scenario", &self.scenario),
            ("unit", &self.unit),
            ("model.name", &self.model.name),
            ("model.version", &self.model.version),
            ("data_vintage", &self.data_vintage),
        ] {
            if v.trim().is_empty() {
                return bad(field, "empty".into());
            }
        }
        if self.label != REFERENCE_LABEL {
            return bad(
                "label",
                format!("{:?}, expected {REFERENCE_LABEL:?}", self.label),
            );
        }
        if self.assumptions.is_empty() || self.assumptions.iter().any(|a| a.trim().is_empty()) {
            return bad("assumptions", "at least one, none empty".into());
        }
        if !self.point.is_finite() {
            return bad("point", format!("{} is not finite", self.point));
        }
        if self.point_kind == PointKind::Probability && !(0.0..=1.0).contains(&self.point) {
            return bad(
                "point",
                format!("probability {} outside [0, 1]", self.point),
            );
        }
        let mut prev: Option<Quantile> = None;
        for q in &self.quantiles {
            if !(q.level > 0.0 && q.level < 1.0) {
                return bad("quantiles", format!("level {} outside (0, 1)", q.level));
            }
            if !q.value.is_finite() {
                return bad(
                    "quantiles",
                    format!("value {} at level {} is not finite", q.value, q.level),
                );
            }
            if let Some(p) = prev {
                if q.level <= p.level + LEVEL_EPS {
                    return bad(
                        "quantiles",
                        format!("level {} after {}: levels must increase", q.level, p.level),
                    );
                }
                if q.value < p.value {
                    return bad(
                        "quantiles",
                        format!(
                            "value {} at level {} is below {} at level {}",
                            q.value, q.level, p.value, p.level
                        ),
                    );
                }
            }
            prev = Some(*q);
        }
        Ok(())
    }

    /// The value at `level`, if that level is among the quantiles.
    pub fn quantile(&self, level: f64) -> Option<f64> {
        self.quantiles
            .iter()
            .find(|q| (q.level - level).abs() < LEVEL_EPS)
            .map(|q| q.value)
    }

    /// The central interval of probability `p` (from the quantiles at (1 - p) / 2 and
    /// (1 + p) / 2), if both are present.
    pub fn interval(&self, p: f64) -> Option<Interval> {
        let low = self.quantile((1.0 - p) / 2.0)?;
        let high = self.quantile((1.0 + p) / 2.0)?;
        Some(Interval {
            probability: p,
            low,
            high,
        })
    }

    /// Every central interval the quantiles give, widest first.
    pub fn intervals(&self) -> Vec<Interval> {
        self.quantiles
            .iter()
            .filter(|q| q.level < 0.5 - LEVEL_EPS)
            .filter_map(|q| self.interval(1.0 - 2.0 * q.level))
            .collect()
    }

    /// The outcome in one machine-written sentence (views label it as machine-written).
    pub fn describe(&self) -> String {
        let mut s = format!(
            "{} ({}), {}: {} {}",
            self.description,
            self.scenario,
            self.horizon,
            self.point_kind.as_str(),
            format_value(self.point, self.point_kind)
        );
        if self.point_kind != PointKind::Probability {
            s.push(' ');
            s.push_str(&self.unit);
        }
        let intervals: Vec<String> = self
            .intervals()
            .iter()
            .map(|i| {
                format!(
                    "{:.0}% interval {} to {}",
                    i.probability * 100.0,
                    format_value(i.low, self.point_kind),
                    format_value(i.high, self.point_kind)
                )
            })
            .collect();
        if !intervals.is_empty() {
            s.push_str(&format!(" ({})", intervals.join(", ")));
        }
        s.push_str(&format!(
            "; model {}, data {}.",
            self.model, self.data_vintage
        ));
        if self.novelty.is_flagged() {
            s.push_str(" Inputs are unlike the training data: treat with extra caution.");
        }
        s
    }
}

/// A number as a reader wants it: probabilities in percent, others with precision that suits
/// their size.
pub fn format_value(v: f64, kind: PointKind) -> String {
    if kind == PointKind::Probability {
        let pct = v * 100.0;
        return if pct > 0.0 && pct < 0.1 {
            "<0.1%".to_string()
        } else {
            format!("{pct:.1}%")
        };
    }
    let a = v.abs();
    if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn horizon_reads_what_it_writes() {
        use std::str::FromStr;
        let m = |s: &str| MonthId::parse_ym(s).unwrap();
        for (text, want) in [
            ("2100", Some(Horizon::Year(2100))),
            (
                "2081-2100",
                Some(Horizon::Years {
                    first: 2081,
                    last: 2100,
                }),
            ),
            (
                "2081 to 2100",
                Some(Horizon::Years {
                    first: 2081,
                    last: 2100,
                }),
            ),
            ("2021-03", Some(Horizon::Month(m("2021-03")))),
            (
                "2021-01 to 2021-12",
                Some(Horizon::Months {
                    first: m("2021-01"),
                    last: m("2021-12"),
                }),
            ),
            ("2100-2081", None),
            ("21", None),
            ("2021-13", None),
            ("soon", None),
            ("", None),
        ] {
            let got = Horizon::from_str(text).ok();
            assert_eq!(got, want, "{text:?}");
            if let Some(h) = got {
                assert_eq!(
                    Horizon::from_str(&h.to_string()),
                    Ok(h),
                    "round trip of {text:?}"
                );
            }
        }
    }
    use super::*;

    fn outcome() -> PredictedOutcome {
        PredictedOutcome {
            quantity: "deaths_month".into(),
            description: "state-based battle deaths in a month, Sudan".into(),
            subject: "SDN".into(),
            scenario: "status quo".into(),
            point: 120.0,
            point_kind: PointKind::Median,
            quantiles: [(0.05, 3.0), (0.25, 40.0), (0.75, 300.0), (0.95, 900.0)]
                .map(|(level, value)| Quantile { level, value })
                .to_vec(),
            unit: "deaths".into(),
            horizon: Horizon::Month(MonthId::from_year_month(2025, 3).unwrap()),
            assumptions: vec!["no change in policy".into()],
            model: ModelRef {
                name: "gbt-hurdle".into(),
                version: "0.1.0".into(),
            },
            data_vintage: "20250301-abc".into(),
            label: REFERENCE_LABEL.into(),
            novelty: Novelty::not_assessed(),
        }
    }

    fn check(edit: fn(&mut PredictedOutcome), expect: Result<(), &str>) {
        let mut o = outcome();
        edit(&mut o);
        match (o.validate(), expect) {
            (Ok(()), Ok(())) => {}
            (Err(e), Err(needle)) => {
                assert!(e.to_string().contains(needle), "{e} lacks {needle:?}")
            }
            (got, want) => panic!("got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn contract() {
        check(|_| {}, Ok(()));
        check(|o| o.quantiles.clear(), Ok(()));
        check(|o| o.label = "reference".into(), Err("label"));
        check(|o| o.assumptions.clear(), Err("assumptions: at least one"));
        check(|o| o.assumptions.push(" ".into()), Err("assumptions"));
        check(|o| o.point = f64::NAN, Err("point: NaN is not finite"));
        check(
            |o| o.point_kind = PointKind::Probability,
            Err("probability 120 outside"),
        );
        check(
            |o| o.quantiles[0].level = 0.0,
            Err("level 0 outside (0, 1)"),
        );
        check(|o| o.quantiles[3].level = 1.0, Err("level 1 outside"));
        check(|o| o.quantiles[1].level = 0.05, Err("levels must increase"));
        check(
            |o| o.quantiles[2].value = 10.0,
            Err("value 10 at level 0.75 is below 40"),
        );
        check(|o| o.quantiles[2].value = f64::INFINITY, Err("not finite"));
        check(|o| o.model.version = "".into(), Err("model.version: empty"));
        check(|o| o.data_vintage = " ".into(), Err("data_vintage: empty"));
    }

    #[test]
    fn intervals_from_quantiles() {
        let o = outcome();
        assert_eq!(
            o.intervals(),
            vec![
                Interval {
                    probability: 0.9,
                    low: 3.0,
                    high: 900.0
                },
                Interval {
                    probability: 0.5,
                    low: 40.0,
                    high: 300.0
                },
            ]
        );
        assert_eq!(o.interval(0.8), None);
        assert_eq!(o.quantile(0.25), Some(40.0));
    }

    #[test]
    fn description_states_interval_model_and_novelty() {
        let mut o = outcome();
        assert_eq!(
            o.describe(),
            "state-based battle deaths in a month, Sudan (status quo), 2025-03: median 120 deaths \
             (90% interval 3.00 to 900, 50% interval 40.0 to 300); model gbt-hurdle 0.1.0, data 20250301-abc."
        );
        o.novelty.status = NoveltyStatus::OutOfDistribution;
        o.point_kind = PointKind::Probability;
        o.point = 0.37;
        o.quantiles.clear();
        assert!(
            o.describe().contains("probability 37.0%; model"),
            "{}",
            o.describe()
        );
        assert!(o.describe().ends_with("treat with extra caution."));
    }

    #[test]
    fn value_formats() {
        for (v, kind, want) in [
            (0.0004, PointKind::Probability, "<0.1%"),
            (0.0, PointKind::Probability, "0.0%"),
            (1.0, PointKind::Probability, "100.0%"),
            (1234.4, PointKind::Median, "1234"),
            (12.34, PointKind::Mean, "12.3"),
            (1.234, PointKind::Median, "1.23"),
            (-2.5, PointKind::Mean, "-2.50"),
        ] {
            assert_eq!(format_value(v, kind), want, "{v} {kind:?}");
        }
    }

    #[test]
    fn names_round_trip() {
        for k in [PointKind::Median, PointKind::Mean, PointKind::Probability] {
            assert_eq!(PointKind::parse(k.as_str()), Some(k));
        }
        for s in [
            NoveltyStatus::NotAssessed,
            NoveltyStatus::InDistribution,
            NoveltyStatus::OutOfDistribution,
        ] {
            assert_eq!(NoveltyStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(PointKind::parse("Median"), None);
    }
}
