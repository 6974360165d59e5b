//! Brams & Taylor's Adjusted Winner (Brams & Taylor 1996, "Fair Division: From Cake-Cutting to
//! Dispute Resolution", ch. 4; 1999, "The Win-Win Solution") for two parties over divisible
//! issues.
//!
//! Each party spreads 100 points over the issues. Then:
//!
//! 1. **Winning phase**: each issue goes to the party that puts more points on it. Tied issues
//!    go to the party with fewer points so far (from the untied issues; to the first party if
//!    that is tied too), as Brams & Taylor do.
//! 2. **Adjusting phase**: while the party ahead (in its own points) is ahead, issues pass from
//!    it to the other in increasing order of the ratio (leader's points / other's points); the
//!    first issue whose whole transfer would put the leader behind is split so that both end
//!    with exactly the same points.
//!
//! With the points in integers, the split fraction is the exact rational
//! `(leader - other) / (a + b)` (the share passed to the party behind), and so are the final
//! points. The result is **equitable** (both get the same number of their own points),
//! **envy-free** (each gets at least 50 of its points, so values the other's bundle at most 50)
//! and **efficient** (no other division is better for one and no worse for the other); the
//! result carries checks of the first two and of the ratio-order condition that makes the
//! third hold (an allocation is efficient when the first party holds only issues whose ratio
//! of its points to the other's is at least that of every issue the other holds).

use crate::error::SettleError;
use crate::explain::{Explain, join_names, num, pct};
use crate::settle::check_names;

/// The one issue that is shared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Issue index.
    pub item: usize,
    /// Issue name.
    pub name: String,
    /// The party that keeps part of it (index 0 or 1)...
    pub kept_by: usize,
    /// ...and the share passed to the other party, as a fraction `(numerator, denominator)`.
    pub passed: (u64, u64),
}

impl Split {
    /// The share passed to the other party.
    pub fn passed_fraction(&self) -> f64 {
        self.passed.0 as f64 / self.passed.1 as f64
    }
}

/// The Adjusted Winner division.
#[derive(Debug, Clone, PartialEq)]
pub struct AdjustedWinner {
    /// The two parties.
    pub parties: [String; 2],
    /// The issues.
    pub items: Vec<String>,
    /// The first party's share of each issue (the second party has the rest), 0 to 1.
    pub share_first: Vec<f64>,
    /// The split issue, if any.
    pub split: Option<Split>,
    /// Each party's final points in its own valuation.
    pub final_points: [f64; 2],
    /// The final points as an exact fraction `(numerator, denominator)` (the same for both
    /// parties: the division is equitable).
    pub final_points_exact: (u64, u64),
    /// Whether each party values its own bundle at least as much as the other's.
    pub envy_free: bool,
    /// Whether the first party holds exactly the issues with the highest ratios of its points
    /// to the other's (the condition for efficiency).
    pub ratio_ordered: bool,
}

impl AdjustedWinner {
    /// The issues (whole or in part) party `p` receives.
    pub fn bundle(&self, p: usize) -> Vec<&str> {
        self.items
            .iter()
            .zip(&self.share_first)
            .filter(|(_, s)| if p == 0 { **s > 0.0 } else { **s < 1.0 })
            .map(|(n, _)| n.as_str())
            .collect()
    }
}

impl Explain for AdjustedWinner {
    fn explain(&self) -> String {
        let whole = |p: usize| -> Vec<&str> {
            self.items
                .iter()
                .zip(&self.share_first)
                .filter(|(_, s)| if p == 0 { **s == 1.0 } else { **s == 0.0 })
                .map(|(n, _)| n.as_str())
                .collect()
        };
        let split = match &self.split {
            Some(s) => format!(
                ", and {} is split, {} of it to {}",
                s.name,
                pct(s.passed_fraction()),
                self.parties[1 - s.kept_by]
            ),
            None => ", and no issue needs splitting".into(),
        };
        format!(
            "Adjusted Winner gives {} {} and {} {}{}, so each ends with {} of its own 100 points and neither envies the other.",
            self.parties[0],
            or_nothing(&whole(0)),
            self.parties[1],
            or_nothing(&whole(1)),
            split,
            num(self.final_points[0]),
        )
    }
}

fn or_nothing(names: &[&str]) -> String {
    if names.is_empty() {
        "nothing whole".into()
    } else {
        join_names(names)
    }
}

/// Adjusted Winner for two parties; `points[p][i]` is party `p`'s points on issue `i`, each
/// party's points adding up to 100.
pub fn adjusted_winner(
    parties: [String; 2],
    items: Vec<String>,
    points: [Vec<u32>; 2],
) -> Result<AdjustedWinner, SettleError> {
    check_names(&parties)?;
    if items.is_empty() {
        return Err(SettleError::Empty {
            what: "issues".into(),
        });
    }
    check_names(&items)?;
    for p in 0..2 {
        if points[p].len() != items.len() {
            return Err(SettleError::Length {
                what: format!("{}'s points (one per issue)", parties[p]),
                expected: items.len(),
                got: points[p].len(),
            });
        }
        let sum: u64 = points[p].iter().map(|&x| x as u64).sum();
        if sum != 100 {
            return Err(SettleError::PointsNot100 {
                party: parties[p].clone(),
                sum,
            });
        }
    }
    let n = items.len();
    let pts = |p: usize, i: usize| points[p][i] as u64;
    // Winning phase.
    let mut owner = vec![0usize; n];
    let mut tally = [0u64; 2];
    let mut ties = Vec::new();
    for (i, own) in owner.iter_mut().enumerate() {
        match pts(0, i).cmp(&pts(1, i)) {
            std::cmp::Ordering::Greater => {
                *own = 0;
                tally[0] += pts(0, i);
            }
            std::cmp::Ordering::Less => {
                *own = 1;
                tally[1] += pts(1, i);
            }
            std::cmp::Ordering::Equal => ties.push(i),
        }
    }
    let trailing = if tally[1] < tally[0] { 1 } else { 0 };
    for &i in &ties {
        owner[i] = trailing;
        tally[trailing] += pts(trailing, i);
    }
    // Adjusting phase.
    let mut share_first: Vec<f64> = owner
        .iter()
        .map(|&o| if o == 0 { 1.0 } else { 0.0 })
        .collect();
    let mut split = None;
    let mut final_exact = (tally[0], 1u64);
    if tally[0] != tally[1] {
        let lead = if tally[0] > tally[1] { 0 } else { 1 };
        let other = 1 - lead;
        let mut held: Vec<usize> = (0..n).filter(|&i| owner[i] == lead).collect();
        // Increasing lead/other ratio: a/b < c/d iff a d < c b (other's points may be 0). An
        // issue worth nothing to either (0/0) has no ratio: it goes first, since passing it
        // changes nobody's points. Compared by cross-multiplication it would equal every
        // issue, which is no order: the sort could then pass a 6/0 issue (worth nothing to the
        // other party) before a 25/25 one, and the result was not efficient (found by the
        // property test, case in tests/settle_properties.rs).
        let worthless = |i: usize| pts(lead, i) == 0 && pts(other, i) == 0;
        held.sort_by(|&i, &j| {
            worthless(j)
                .cmp(&worthless(i))
                .then_with(|| (pts(lead, i) * pts(other, j)).cmp(&(pts(lead, j) * pts(other, i))))
                .then(i.cmp(&j))
        });
        let (mut pl, mut po) = (tally[lead], tally[other]);
        for i in held {
            let (a, b) = (pts(lead, i), pts(other, i));
            if pl - a >= po + b {
                pl -= a;
                po += b;
                share_first[i] = if other == 0 { 1.0 } else { 0.0 };
                final_exact = (pl, 1);
                if pl == po {
                    break;
                }
                continue;
            }
            // Split: pass (pl - po) / (a + b) of the issue.
            let (num_, den) = (pl - po, a + b);
            let passed = num_ as f64 / den as f64;
            share_first[i] = if lead == 0 { 1.0 - passed } else { passed };
            // Final points: pl - a (pl - po)/(a + b) = (pl (a + b) - a (pl - po)) / (a + b).
            let top = pl * den - a * num_;
            let g = gcd(top, den);
            final_exact = (top / g, den / g);
            let g2 = gcd(num_, den);
            split = Some(Split {
                item: i,
                name: items[i].clone(),
                kept_by: lead,
                passed: (num_ / g2, den / g2),
            });
            break;
        }
    }
    // Final points in each party's own valuation, and the checks.
    let value = |p: usize| -> f64 {
        (0..n)
            .map(|i| {
                let s = if p == 0 {
                    share_first[i]
                } else {
                    1.0 - share_first[i]
                };
                s * pts(p, i) as f64
            })
            .sum()
    };
    let final_points = [value(0), value(1)];
    let envy_free = final_points.iter().all(|&v| v >= 50.0 - 1e-9);
    // Efficiency condition: some threshold r with the first party holding (any part of) only
    // issues of ratio >= r and the second only issues of ratio <= r.
    let ratio_ordered = (0..n).all(|i| {
        (0..n).all(|j| {
            // If the first holds part of i and the second part of j, ratio(i) >= ratio(j).
            if share_first[i] > 0.0 && share_first[j] < 1.0 {
                pts(0, i) * pts(1, j) >= pts(0, j) * pts(1, i)
            } else {
                true
            }
        })
    });
    Ok(AdjustedWinner {
        parties,
        items,
        share_first,
        split,
        final_points,
        final_points_exact: final_exact,
        envy_free,
        ratio_ordered,
    })
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}
