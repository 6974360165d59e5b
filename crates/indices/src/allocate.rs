//! A budget allocated across countries x goals by linear programming, with what binds and
//! what one more unit would be worth.
//!
//! **Objective (stated).** Maximise the *gap-weighted expected gain* in goal scores:
//! `Σ (100 - score) / 100 × gain`, where `gain` is the expected rise in a goal's 0-100 score
//! bought by the money given to it. A point gained on a goal at 30 counts 0.7, on a goal at
//! 90 only 0.1: the weakest goals come first, and this weighting is the judgement the tool
//! encodes (use [`Objective::Unweighted`] to drop it).
//!
//! **Diminishing returns.** Each (country, goal) cell has piecewise-linear returns: segments
//! of `width` money units, each buying `gain_per_unit` score points per unit, with rates not
//! increasing from one segment to the next (checked), so the LP fills them in order and no
//! integer variable is needed. A cell's gain can never take its score above 100.
//!
//! **Constraints.** The total spent is at most the budget; each country's total at most its
//! cap (if any); each cell's total between its floor and its ceiling.
//!
//! **What it reports.** The amounts and gains per cell, the objective, and every binding
//! constraint with its *shadow price*: the change in the objective from one more unit of that
//! constraint's limit. The LP solver (microlp, pure Rust) does not return duals, so each price
//! is measured by solving again with the limit raised by a small step (a one-sided
//! difference: the value of the next unit, which is what a reader asks). This is an aid to a
//! decision, not the decision: the returns per unit are inputs the user must state and defend,
//! and the output is only as good as they are.

use microlp::{ComparisonOp, OptimizationDirection, Problem as Lp, Variable};

use crate::IndexError;

/// One segment of diminishing returns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    /// Money units this segment can absorb.
    pub width: f64,
    /// Score points per money unit on this segment.
    pub gain_per_unit: f64,
}

/// One (country, goal) cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Index into [`Problem::countries`].
    pub country: usize,
    /// The goal, 1-17 (only used for reporting).
    pub goal: usize,
    /// The current 0-100 score.
    pub score: f64,
    pub segments: Vec<Segment>,
    /// Least money this cell must get.
    pub floor: f64,
    /// Most money this cell may get (`f64::INFINITY` for none beyond its segments).
    pub ceiling: f64,
}

/// How gains are weighted in the objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    /// `(100 - score) / 100` per point: the weakest goals first (the default).
    GapWeighted,
    /// Every point counts the same.
    Unweighted,
}

/// An allocation problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub countries: Vec<String>,
    pub cells: Vec<Cell>,
    pub budget: f64,
    /// Per-country caps, by index into `countries`; `None` (or a short vector) for no cap.
    pub country_caps: Vec<Option<f64>>,
    pub objective: Objective,
}

/// A constraint of the problem, for reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constraint {
    Budget,
    CountryCap(usize),
    /// Index into [`Problem::cells`].
    Floor(usize),
    Ceiling(usize),
    /// The cell's score reaches 100.
    FullScore(usize),
}

/// A binding constraint and its shadow price.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub constraint: Constraint,
    /// The limit (money units, or score points for [`Constraint::FullScore`]).
    pub limit: f64,
    /// Change in the objective per unit more of `limit` (`None` if not computed).
    pub shadow_price: Option<f64>,
}

/// The solved allocation.
#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    /// Money per cell, in the order of [`Problem::cells`].
    pub amounts: Vec<f64>,
    /// Expected score gain per cell.
    pub gains: Vec<f64>,
    pub objective: f64,
    pub spent: f64,
    pub binding: Vec<Binding>,
}

/// Options of [`solve`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Measure shadow prices of binding constraints (one more solve each).
    pub shadow_prices: bool,
    /// At most this many shadow prices are measured (the budget first, then caps, floors,
    /// ceilings), to bound the time on large problems.
    pub max_shadow_prices: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            shadow_prices: true,
            max_shadow_prices: 50,
        }
    }
}

impl Problem {
    fn validate(&self) -> Result<(), IndexError> {
        let bad = |m: String| Err(IndexError::Invalid(m));
        if !(self.budget.is_finite() && self.budget >= 0.0) {
            return bad(format!("budget {} must be finite and >= 0", self.budget));
        }
        for (i, cap) in self.country_caps.iter().enumerate() {
            if let Some(c) = cap
                && !(c.is_finite() && *c >= 0.0)
            {
                return bad(format!("cap {c} of country {i} must be finite and >= 0"));
            }
        }
        for (i, c) in self.cells.iter().enumerate() {
            if c.country >= self.countries.len() {
                return bad(format!(
                    "cell {i}: country index {} out of range",
                    c.country
                ));
            }
            if !(c.score.is_finite() && (0.0..=100.0).contains(&c.score)) {
                return bad(format!("cell {i}: score {} outside 0-100", c.score));
            }
            if !(c.floor.is_finite() && c.floor >= 0.0 && c.floor <= c.ceiling) {
                return bad(format!(
                    "cell {i}: floor {} must be finite, >= 0 and <= ceiling {}",
                    c.floor, c.ceiling
                ));
            }
            if c.ceiling.is_nan() {
                return bad(format!("cell {i}: ceiling is NaN"));
            }
            let mut last = f64::INFINITY;
            for s in &c.segments {
                let ok = s.width.is_finite()
                    && s.width >= 0.0
                    && s.gain_per_unit.is_finite()
                    && s.gain_per_unit >= 0.0;
                if !ok {
                    return bad(format!("cell {i}: segment {s:?} must be finite and >= 0"));
                }
                if s.gain_per_unit > last {
                    return bad(format!(
                        "cell {i}: returns must diminish (segment rates {last} then {})",
                        s.gain_per_unit
                    ));
                }
                last = s.gain_per_unit;
            }
        }
        Ok(())
    }

    fn weight(&self, c: &Cell) -> f64 {
        match self.objective {
            Objective::GapWeighted => (100.0 - c.score) / 100.0,
            Objective::Unweighted => 1.0,
        }
    }

    fn cap(&self, country: usize) -> Option<f64> {
        self.country_caps.get(country).copied().flatten()
    }
}

struct Built {
    lp: Lp,
    /// Per cell: its segment variables and their rates.
    vars: Vec<Vec<(Variable, f64)>>,
}

/// Raises the limit of `bump` by `delta` when building (for shadow prices).
fn build(p: &Problem, bump: Option<(Constraint, f64)>) -> Built {
    let extra = |c: Constraint| match bump {
        Some((b, d)) if b == c => d,
        _ => 0.0,
    };
    let mut lp = Lp::new(OptimizationDirection::Maximize);
    let mut vars = Vec::with_capacity(p.cells.len());
    // A tiny cost per unit spent, so that money that buys nothing (a goal already at 100)
    // stays unspent instead of being placed arbitrarily; the reported objective is recomputed
    // from the gains without it.
    let top = p
        .cells
        .iter()
        .flat_map(|c| c.segments.iter().map(|s| p.weight(c) * s.gain_per_unit))
        .fold(0.0, f64::max);
    let eps = 1e-9 * top.max(1e-300);
    for c in &p.cells {
        let w = p.weight(c);
        let v: Vec<(Variable, f64)> = c
            .segments
            .iter()
            .map(|s| {
                let x = lp.add_var(w * s.gain_per_unit - eps, (0.0, s.width));
                (x, s.gain_per_unit)
            })
            .collect();
        vars.push(v);
    }
    let all: Vec<(Variable, f64)> = vars.iter().flatten().map(|(v, _)| (*v, 1.0)).collect();
    lp.add_constraint(
        all.as_slice(),
        ComparisonOp::Le,
        p.budget + extra(Constraint::Budget),
    );
    for k in 0..p.countries.len() {
        if let Some(cap) = p.cap(k) {
            let terms: Vec<(Variable, f64)> = p
                .cells
                .iter()
                .zip(&vars)
                .filter(|(c, _)| c.country == k)
                .flat_map(|(_, v)| v.iter().map(|(x, _)| (*x, 1.0)))
                .collect();
            if !terms.is_empty() {
                lp.add_constraint(
                    terms.as_slice(),
                    ComparisonOp::Le,
                    cap + extra(Constraint::CountryCap(k)),
                );
            }
        }
    }
    for (i, (c, v)) in p.cells.iter().zip(&vars).enumerate() {
        let money: Vec<(Variable, f64)> = v.iter().map(|(x, _)| (*x, 1.0)).collect();
        if c.floor > 0.0 {
            lp.add_constraint(
                money.as_slice(),
                ComparisonOp::Ge,
                c.floor + extra(Constraint::Floor(i)),
            );
        }
        let capacity: f64 = c.segments.iter().map(|s| s.width).sum();
        if c.ceiling < capacity {
            lp.add_constraint(
                money.as_slice(),
                ComparisonOp::Le,
                c.ceiling + extra(Constraint::Ceiling(i)),
            );
        }
        let headroom = 100.0 - c.score;
        let max_gain: f64 = c.segments.iter().map(|s| s.width * s.gain_per_unit).sum();
        if max_gain > headroom {
            lp.add_constraint(
                v.as_slice(),
                ComparisonOp::Le,
                headroom + extra(Constraint::FullScore(i)),
            );
        }
    }
    Built { lp, vars }
}

fn run(
    p: &Problem,
    bump: Option<(Constraint, f64)>,
) -> Result<(f64, Vec<f64>, Vec<f64>), IndexError> {
    let b = build(p, bump);
    let sol = match b.lp.solve() {
        Ok(outcome) => outcome
            .into_solution()
            .map_err(|e| IndexError::Solver(format!("interrupted: {e:?}")))?,
        Err(microlp::Error::Infeasible) => {
            return Err(IndexError::Infeasible(
                "the floors cannot all be met within the budget, caps and ceilings".into(),
            ));
        }
        Err(e) => return Err(IndexError::Solver(e.to_string())),
    };
    let amounts: Vec<f64> = b
        .vars
        .iter()
        .map(|v| v.iter().map(|(x, _)| sol.var_value(*x)).sum())
        .collect();
    let gains: Vec<f64> = b
        .vars
        .iter()
        .map(|v| v.iter().map(|(x, r)| sol.var_value(*x) * r).sum())
        .collect();
    let objective = p
        .cells
        .iter()
        .zip(&gains)
        .map(|(c, g)| p.weight(c) * g)
        .sum();
    Ok((objective, amounts, gains))
}

/// Solves the allocation. Fails on invalid input (non-finite numbers, negative money,
/// increasing returns) or when the floors cannot be met.
pub fn solve(p: &Problem, opts: Options) -> Result<Allocation, IndexError> {
    p.validate()?;
    let (objective, amounts, gains) = run(p, None)?;
    let spent: f64 = amounts.iter().sum();
    let tight = |used: f64, limit: f64| (limit - used).abs() <= 1e-6 * limit.abs().max(1.0);

    let mut binding = Vec::new();
    if tight(spent, p.budget) {
        binding.push((Constraint::Budget, p.budget));
    }
    for k in 0..p.countries.len() {
        if let Some(cap) = p.cap(k) {
            let used: f64 = p
                .cells
                .iter()
                .zip(&amounts)
                .filter(|(c, _)| c.country == k)
                .map(|(_, a)| a)
                .sum();
            if tight(used, cap) {
                binding.push((Constraint::CountryCap(k), cap));
            }
        }
    }
    for (i, c) in p.cells.iter().enumerate() {
        if c.floor > 0.0 && tight(amounts[i], c.floor) {
            binding.push((Constraint::Floor(i), c.floor));
        }
        if c.ceiling.is_finite() && tight(amounts[i], c.ceiling) {
            let capacity: f64 = c.segments.iter().map(|s| s.width).sum();
            if c.ceiling < capacity {
                binding.push((Constraint::Ceiling(i), c.ceiling));
            }
        }
        if tight(gains[i], 100.0 - c.score) && gains[i] > 0.0 {
            binding.push((Constraint::FullScore(i), 100.0 - c.score));
        }
    }

    let mut out = Vec::with_capacity(binding.len());
    for (n, (constraint, limit)) in binding.into_iter().enumerate() {
        let shadow_price = if opts.shadow_prices && n < opts.max_shadow_prices {
            let step = (1e-3 * limit.abs()).max(1e-3);
            match run(p, Some((constraint, step))) {
                Ok((obj, _, _)) => Some((obj - objective) / step),
                // Raising a floor can make the problem infeasible: no finite price.
                Err(IndexError::Infeasible(_)) => None,
                Err(e) => return Err(e),
            }
        } else {
            None
        };
        out.push(Binding {
            constraint,
            limit,
            shadow_price,
        });
    }
    Ok(Allocation {
        amounts,
        gains,
        objective,
        spent,
        binding: out,
    })
}

impl Allocation {
    /// The binding constraints in plain words, one sentence each.
    pub fn explain(&self, p: &Problem) -> Vec<String> {
        let price = |b: &Binding| match b.shadow_price {
            Some(s) => format!("one more unit would change the objective by {s:+.4}"),
            None => "its price was not measured".to_string(),
        };
        let cell = |i: usize| {
            let c = &p.cells[i];
            format!("goal {} in {}", c.goal, p.countries[c.country])
        };
        let mut lines = vec![format!(
            "Spent {:.2} of {:.2}; objective {:.4} ({}).",
            self.spent,
            p.budget,
            self.objective,
            match p.objective {
                Objective::GapWeighted => "gap-weighted score points",
                Objective::Unweighted => "score points",
            }
        )];
        for b in &self.binding {
            lines.push(match b.constraint {
                Constraint::Budget => {
                    format!("The whole budget of {:.2} is used; {}.", b.limit, price(b))
                }
                Constraint::CountryCap(k) => format!(
                    "The cap of {:.2} for {} binds; {}.",
                    b.limit,
                    p.countries[k],
                    price(b)
                ),
                Constraint::Floor(i) => format!(
                    "The floor of {:.2} for {} binds (money placed there by rule, not by return); {}.",
                    b.limit,
                    cell(i),
                    price(b)
                ),
                Constraint::Ceiling(i) => format!(
                    "The ceiling of {:.2} for {} binds; {}.",
                    b.limit,
                    cell(i),
                    price(b)
                ),
                Constraint::FullScore(i) => {
                    format!("{} reaches a score of 100; nothing more can be gained there.", cell(i))
                }
            });
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg() -> Vec<Segment> {
        vec![
            Segment {
                width: 10.0,
                gain_per_unit: 1.0,
            },
            Segment {
                width: 10.0,
                gain_per_unit: 0.5,
            },
        ]
    }

    fn cell(country: usize, goal: usize, score: f64) -> Cell {
        Cell {
            country,
            goal,
            score,
            segments: seg(),
            floor: 0.0,
            ceiling: f64::INFINITY,
        }
    }

    /// Two countries x two goals, solved by hand (see the test below).
    pub(crate) fn small() -> Problem {
        Problem {
            countries: vec!["A".into(), "B".into()],
            cells: vec![
                cell(0, 1, 40.0),
                cell(0, 2, 80.0),
                cell(1, 1, 20.0),
                cell(1, 2, 90.0),
            ],
            budget: 25.0,
            country_caps: vec![None, Some(12.0)],
            objective: Objective::GapWeighted,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn hand_checked_optimum() {
        // Values per unit (weight x rate): A1 0.6 then 0.3; A2 0.2, 0.1; B1 0.8, 0.4;
        // B2 0.1, 0.05. Greedy by value: B1's first 10 (8.0), A1's first 10 (6.0), then B1's
        // second segment at 0.4 but B's cap of 12 leaves 2 units (0.8), then A1's second at
        // 0.3 with the 3 units left (0.9). Objective 15.7; A1 13, B1 12.
        let p = small();
        let a = solve(&p, Options::default()).unwrap();
        assert!(close(a.objective, 15.7), "{a:?}");
        let want = [13.0, 0.0, 12.0, 0.0];
        for (got, want) in a.amounts.iter().zip(want) {
            assert!(close(*got, want), "{:?}", a.amounts);
        }
        assert!(close(a.gains[0], 11.5) && close(a.gains[2], 11.0));
        // The budget's next unit goes to A1's second segment (0.3); the cap's next unit moves
        // one unit from A1 (0.3) to B1 (0.4): +0.1.
        let price = |c: Constraint| {
            a.binding
                .iter()
                .find(|b| b.constraint == c)
                .and_then(|b| b.shadow_price)
                .unwrap()
        };
        assert!(close(price(Constraint::Budget), 0.3));
        assert!(close(price(Constraint::CountryCap(1)), 0.1));
        assert_eq!(a.binding.len(), 2);
        let words = a.explain(&p);
        assert!(
            words[1].starts_with("The whole budget of 25.00 is used"),
            "{words:?}"
        );
        assert!(words[2].contains("cap of 12.00 for B"), "{words:?}");
    }

    #[test]
    fn a_floor_costs_what_it_displaces() {
        // A2 must get 2 units (0.2 each) taken from A1's second segment (0.3 each):
        // 15.7 - 0.6 + 0.4 = 15.5, and raising the floor costs 0.1 a unit.
        let mut p = small();
        p.cells[1].floor = 2.0;
        let a = solve(&p, Options::default()).unwrap();
        assert!(close(a.objective, 15.5), "{a:?}");
        assert!(close(a.amounts[1], 2.0));
        let floor = a
            .binding
            .iter()
            .find(|b| b.constraint == Constraint::Floor(1))
            .unwrap();
        assert!(close(floor.shadow_price.unwrap(), -0.1));
    }

    #[test]
    fn score_cannot_pass_100() {
        // One goal at 95 with plenty of money: only 5 points can be gained, so 5 units.
        let p = Problem {
            countries: vec!["A".into()],
            cells: vec![cell(0, 1, 95.0)],
            budget: 100.0,
            country_caps: vec![],
            objective: Objective::Unweighted,
        };
        let a = solve(&p, Options::default()).unwrap();
        assert!(close(a.gains[0], 5.0) && close(a.amounts[0], 5.0), "{a:?}");
        assert_eq!(a.binding[0].constraint, Constraint::FullScore(0));
    }

    #[test]
    fn refuses_bad_input_and_reports_infeasible_floors() {
        let mut p = small();
        p.cells[0].segments.reverse();
        assert!(matches!(
            solve(&p, Options::default()),
            Err(IndexError::Invalid(_))
        ));
        let mut p = small();
        p.budget = f64::NAN;
        assert!(matches!(
            solve(&p, Options::default()),
            Err(IndexError::Invalid(_))
        ));
        let mut p = small();
        p.cells[0].floor = 20.0;
        p.cells[2].floor = 10.0;
        p.budget = 25.0;
        assert!(matches!(
            solve(&p, Options::default()),
            Err(IndexError::Infeasible(_))
        ));
    }
}
