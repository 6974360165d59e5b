//! An allocation plan written as one line, so that the command line, a URL and a decision
//! brief's option name the same problem, and the allocation as an option a brief can carry
//! ([`AllocationPredictor`], behind `attache_core::outcome::OutcomePredictor`).
//!
//! ```text
//! budget 100; countries TCD,NER,MLI; returns 0.5x10,0.25x10; cap 40; goals 1,2,3,4,6
//! ```
//!
//! - `budget N` (required): money units to spend, at most.
//! - `countries A,B,..` (required): ISO3 codes of the countries to spend in.
//! - `returns RxW,..` (required): the diminishing returns of every (country, goal) cell, as
//!   segments of `W` money units buying `R` score points per unit, rates not increasing. These
//!   are the user's judgement, stated and defended by the user: the tool only optimises them.
//! - `cap N`: the most any one country may get.
//! - `goals G,..`: only these goals (1-17; default all).
//! - `floor N`: the least every cell must get.
//! - `objective weighted|unweighted`: weight a point by the goal's gap to 100 (default) or not.
//!
//! Cells are the goals with a score below 100 of the listed countries (a goal without a score
//! cannot be weighted and is left out, counted in [`Plan::build`]'s note).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use attache_core::outcome::{
    Horizon, ModelRef, Novelty, NoveltyStatus, OutcomeError, OutcomePredictor, OutcomeQuery,
    PointKind, PredictedOutcome, QuantitySpec, REFERENCE_LABEL,
};

use crate::IndexError;
use crate::allocate::{Allocation, Cell, Objective, Options, Problem, Segment, solve};
use crate::sdg::{GOALS, Goals};

/// A parsed plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub budget: f64,
    pub countries: Vec<String>,
    pub returns: Vec<Segment>,
    pub cap: Option<f64>,
    pub goals: Vec<usize>,
    pub floor: f64,
    pub objective: Objective,
}

/// The forms the module docs list.
pub const SYNTAX: &str = "budget N; countries A,B,..; returns RATExWIDTH,..; [cap N; goals G,..; floor N; objective weighted|unweighted]";

fn bad(m: String) -> IndexError {
    IndexError::Invalid(format!("allocation plan: {m}"))
}

fn number(key: &str, v: &str) -> Result<f64, IndexError> {
    v.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .ok_or_else(|| bad(format!("{key} {v:?} is not a number of at least 0")))
}

impl FromStr for Plan {
    type Err = IndexError;

    fn from_str(s: &str) -> Result<Plan, IndexError> {
        let (mut budget, mut countries, mut returns) = (None, None, None);
        let mut plan = Plan {
            budget: 0.0,
            countries: Vec::new(),
            returns: Vec::new(),
            cap: None,
            goals: (1..=GOALS).collect(),
            floor: 0.0,
            objective: Objective::GapWeighted,
        };
        for clause in s.split(';').map(str::trim).filter(|c| !c.is_empty()) {
            let (key, value) = clause
                .split_once(char::is_whitespace)
                .ok_or_else(|| bad(format!("{clause:?} has no value; the form is: {SYNTAX}")))?;
            let value = value.trim();
            match key {
                "budget" => budget = Some(number(key, value)?),
                "countries" => {
                    let mut v: Vec<String> = Vec::new();
                    for c in value.split(',').map(|c| c.trim().to_ascii_uppercase()) {
                        if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
                            return Err(bad(format!("{c:?} is not an ISO3 code")));
                        }
                        if !v.contains(&c) {
                            v.push(c);
                        }
                    }
                    countries = Some(v);
                }
                "returns" => {
                    let mut v = Vec::new();
                    for seg in value.split(',').map(str::trim) {
                        let (r, w) = seg.split_once('x').ok_or_else(|| {
                            bad(format!("return {seg:?}: write RATExWIDTH, e.g. 0.5x10"))
                        })?;
                        v.push(Segment {
                            gain_per_unit: number("return rate", r)?,
                            width: number("return width", w)?,
                        });
                    }
                    returns = Some(v);
                }
                "cap" => plan.cap = Some(number(key, value)?),
                "floor" => plan.floor = number(key, value)?,
                "goals" => {
                    let mut v = Vec::new();
                    for g in value.split(',').map(str::trim) {
                        match g.parse::<usize>() {
                            Ok(n) if (1..=GOALS).contains(&n) => v.push(n),
                            _ => return Err(bad(format!("goal {g:?} is not 1-17"))),
                        }
                    }
                    v.sort_unstable();
                    v.dedup();
                    plan.goals = v;
                }
                "objective" => {
                    plan.objective = match value {
                        "weighted" => Objective::GapWeighted,
                        "unweighted" => Objective::Unweighted,
                        v => return Err(bad(format!("objective {v:?}: weighted or unweighted"))),
                    }
                }
                k => return Err(bad(format!("unknown clause {k:?}; the form is: {SYNTAX}"))),
            }
        }
        plan.budget = budget.ok_or_else(|| bad(format!("no budget; the form is: {SYNTAX}")))?;
        plan.countries =
            countries.ok_or_else(|| bad(format!("no countries; the form is: {SYNTAX}")))?;
        plan.returns = returns.ok_or_else(|| bad(format!("no returns; the form is: {SYNTAX}")))?;
        if plan.countries.is_empty() || plan.returns.is_empty() || plan.goals.is_empty() {
            return Err(bad(
                "countries, returns and goals must each name at least one".into(),
            ));
        }
        Ok(plan)
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r: Vec<String> = self
            .returns
            .iter()
            .map(|s| format!("{}x{}", s.gain_per_unit, s.width))
            .collect();
        write!(
            f,
            "budget {}; countries {}; returns {}",
            self.budget,
            self.countries.join(","),
            r.join(",")
        )?;
        if let Some(c) = self.cap {
            write!(f, "; cap {c}")?;
        }
        if self.goals.len() < GOALS {
            let g: Vec<String> = self.goals.iter().map(|g| g.to_string()).collect();
            write!(f, "; goals {}", g.join(","))?;
        }
        if self.floor > 0.0 {
            write!(f, "; floor {}", self.floor)?;
        }
        if self.objective == Objective::Unweighted {
            write!(f, "; objective unweighted")?;
        }
        Ok(())
    }
}

impl Plan {
    /// The LP over `scores` (ISO3 → the 17 goal scores); a country without scores fails.
    /// Returns the problem and the goals left out for having no score, per country.
    pub fn build(
        &self,
        scores: &BTreeMap<String, Goals>,
    ) -> Result<(Problem, Vec<(String, usize)>), IndexError> {
        let mut cells = Vec::new();
        let mut unscored = Vec::new();
        for (k, iso3) in self.countries.iter().enumerate() {
            let goals = scores
                .get(iso3)
                .ok_or_else(|| bad(format!("{iso3} has no goal scores in the table")))?;
            for &g in &self.goals {
                match goals[g - 1] {
                    Some(score) if score < 100.0 => cells.push(Cell {
                        country: k,
                        goal: g,
                        score,
                        segments: self.returns.clone(),
                        floor: self.floor,
                        ceiling: f64::INFINITY,
                    }),
                    Some(_) => {}
                    None => unscored.push((iso3.clone(), g)),
                }
            }
        }
        let problem = Problem {
            countries: self.countries.clone(),
            cells,
            budget: self.budget,
            country_caps: vec![self.cap; self.countries.len()],
            objective: self.objective,
        };
        Ok((problem, unscored))
    }
}

/// Money units given to a country.
pub const AMOUNT: &str = "allocation_amount";
/// Expected rise of the country's SDG Index (the mean of its 17 goals) in points.
pub const INDEX_GAIN: &str = "allocation_index_gain";

/// The quantities the allocation answers.
pub fn quantities() -> Vec<QuantitySpec> {
    let q = |id: &str, description: &str, unit: &str| QuantitySpec {
        id: id.into(),
        description: description.into(),
        unit: unit.into(),
        subjects: "ISO 3166 alpha-3 code of a country the plan lists".into(),
        scenarios: vec![format!("an allocation plan: {SYNTAX}")],
    };
    vec![
        q(
            AMOUNT,
            "money the optimal allocation gives the country (all its goals)",
            "money units",
        ),
        q(
            INDEX_GAIN,
            "expected rise of the country's SDG Index bought by its allocation, under the stated returns",
            "index points",
        ),
    ]
}

/// The allocation on one vintage's goal scores.
pub struct AllocationPredictor {
    scores: BTreeMap<String, Goals>,
    vintage: String,
    year: i32,
}

impl AllocationPredictor {
    /// A predictor on `scores` (ISO3 → goals) of `year`, read from `vintage`.
    pub fn new(scores: BTreeMap<String, Goals>, vintage: &str, year: i32) -> Self {
        AllocationPredictor {
            scores,
            vintage: vintage.to_string(),
            year,
        }
    }

    /// The plan solved, with its problem.
    pub fn solve(&self, plan: &Plan) -> Result<(Problem, Allocation), IndexError> {
        let (p, _) = plan.build(&self.scores)?;
        let a = solve(&p, Options::default())?;
        Ok((p, a))
    }
}

impl OutcomePredictor for AllocationPredictor {
    fn model(&self) -> ModelRef {
        ModelRef {
            name: "sdg-allocation".into(),
            version: format!("{} (LP, gap-weighted)", env!("CARGO_PKG_VERSION")),
        }
    }

    fn data_vintage(&self) -> String {
        self.vintage.clone()
    }

    fn quantities(&self) -> Vec<QuantitySpec> {
        quantities()
    }

    fn predict(&self, query: &OutcomeQuery) -> Result<PredictedOutcome, OutcomeError> {
        if ![AMOUNT, INDEX_GAIN].contains(&query.quantity.as_str()) {
            return Err(OutcomeError::UnknownQuantity {
                quantity: query.quantity.clone(),
                known: format!("{AMOUNT}, {INDEX_GAIN}"),
            });
        }
        let text = query.scenario.as_deref().unwrap_or("");
        let unsupported = |e: IndexError| OutcomeError::UnsupportedScenario {
            scenario: text.to_string(),
            supported: e.to_string(),
        };
        let plan: Plan = text.parse().map_err(unsupported)?;
        let subject = query.subject.trim().to_ascii_uppercase();
        let Some(k) = plan.countries.iter().position(|c| *c == subject) else {
            return Err(OutcomeError::UnknownSubject {
                quantity: query.quantity.clone(),
                subject: query.subject.clone(),
                reason: format!("the plan lists {}", plan.countries.join(", ")),
            });
        };
        if let Some(h) = query.horizon
            && h != Horizon::Year(self.year)
        {
            return Err(OutcomeError::UnsupportedHorizon {
                horizon: h,
                reason: format!("the allocation is made on the {} scores", self.year),
            });
        }
        let (p, a) = self.solve(&plan).map_err(unsupported)?;
        let mine = |v: &[f64]| -> f64 {
            p.cells
                .iter()
                .zip(v)
                .filter(|(c, _)| c.country == k)
                .map(|(_, x)| x)
                .sum()
        };
        let (point, unit, what) = if query.quantity == AMOUNT {
            (
                mine(&a.amounts),
                "money units",
                "money the allocation gives",
            )
        } else {
            (
                mine(&a.gains) / GOALS as f64,
                "index points",
                "expected rise of the SDG Index bought for",
            )
        };
        let mut assumptions = vec![
            format!(
                "the returns per money unit are the plan's own ({}), the same for every goal and country: the tool optimises them, it does not know them",
                plan.returns
                    .iter()
                    .map(|s| format!("{} points per unit for {} units", s.gain_per_unit, s.width))
                    .collect::<Vec<_>>()
                    .join(", then ")
            ),
            format!(
                "goal scores of the SDR table of {} (SDSN); goals without a score are left out",
                self.year
            ),
        ];
        assumptions.extend(a.explain(&p));
        let out = PredictedOutcome {
            quantity: query.quantity.clone(),
            description: format!("{what} {subject} under the plan `{plan}`"),
            subject,
            scenario: plan.to_string(),
            point,
            point_kind: PointKind::Mean,
            quantiles: Vec::new(),
            unit: unit.into(),
            horizon: Horizon::Year(self.year),
            assumptions,
            model: self.model(),
            data_vintage: self.vintage.clone(),
            label: REFERENCE_LABEL.into(),
            novelty: Novelty {
                status: NoveltyStatus::NotAssessed,
                note: "an optimisation of the stated returns, not a forecast: its uncertainty is that of the returns, which the user states".into(),
            },
        };
        out.validate()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_parse_print_and_refuse() {
        let p: Plan = "budget 100; countries tcd,ner; returns 0.5x10,0.25x10; cap 40; goals 3,1"
            .parse()
            .unwrap();
        assert_eq!(p.countries, ["TCD", "NER"]);
        assert_eq!(p.goals, [1, 3]);
        assert_eq!(
            p.to_string(),
            "budget 100; countries TCD,NER; returns 0.5x10,0.25x10; cap 40; goals 1,3"
        );
        assert_eq!(p.to_string().parse::<Plan>().unwrap(), p);
        for (text, says) in [
            ("countries TCD; returns 1x1", "no budget"),
            ("budget 1; returns 1x1", "no countries"),
            ("budget 1; countries TCD; returns 1", "RATExWIDTH"),
            ("budget -1; countries TCD; returns 1x1", "at least 0"),
            ("budget 1; countries TCD; returns 1x1; goals 18", "not 1-17"),
            (
                "budget 1; countries TCD; returns 1x1; speed 3",
                "unknown clause",
            ),
        ] {
            let e = text.parse::<Plan>().unwrap_err().to_string();
            assert!(e.contains(says), "{text}: {e}");
        }
    }

    /// By hand: two countries, one goal each, returns 1 point per unit for 10 units. Gaps 60
    /// (score 40) and 20 (score 80): the weighted objective spends the first 10 units on the
    /// weaker goal (0.6 per unit), the next 10 on the other (0.2 per unit); a budget of 15 gives
    /// 10 and 5.
    #[test]
    fn the_predictor_answers_a_hand_solved_plan() {
        let mut scores = BTreeMap::new();
        let mut a = [None; GOALS];
        a[0] = Some(40.0);
        let mut b = [None; GOALS];
        b[0] = Some(80.0);
        scores.insert("AAA".to_string(), a);
        scores.insert("BBB".to_string(), b);
        let p = AllocationPredictor::new(scores, "v", 2023);
        let ask = |q: &str, s: &str| {
            p.predict(
                &OutcomeQuery::new(q, s)
                    .scenario("budget 15; countries AAA,BBB; returns 1x10; goals 1"),
            )
        };
        assert!((ask(AMOUNT, "AAA").unwrap().point - 10.0).abs() < 1e-6);
        assert!((ask(AMOUNT, "BBB").unwrap().point - 5.0).abs() < 1e-6);
        let g = ask(INDEX_GAIN, "AAA").unwrap();
        assert!((g.point - 10.0 / 17.0).abs() < 1e-6, "{g:?}");
        assert!(
            g.assumptions.iter().any(|a| a.contains("The whole budget")),
            "{:?}",
            g.assumptions
        );
        assert!(
            ask(AMOUNT, "CCC")
                .unwrap_err()
                .to_string()
                .contains("the plan lists")
        );
    }
}
