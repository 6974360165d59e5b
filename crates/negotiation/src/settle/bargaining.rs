//! Two-party bargaining over a finite set of feasible agreements.
//!
//! **Feasible set.** The parties can agree on any of the given utility pairs, on any lottery
//! between them (so the set is convexified) and can always throw utility away (free disposal),
//! and they can always fail to agree, which gives the disagreement point `d` (so `d` is added
//! to the points). The feasible set is therefore the *comprehensive convex hull*
//! `S = conv(P ∪ {d}) - R²₊`. Its upper-right boundary is the strictly Pareto-optimal chain of
//! the convex hull from the point with the highest second utility to the point with the
//! highest first utility ([`BargainingProblem::frontier`]), extended by a horizontal and a
//! vertical ray. As an intersection of half-planes, `S` is `x <= x_max`, `y <= y_max` and one
//! half-plane per frontier edge.
//!
//! **Nash** (Nash 1950, "The Bargaining Problem", Econometrica 18(2)): the point of `S` with
//! `x >= d_x`, `y >= d_y` maximising `(x - d_x)(y - d_y)`. It lies on the frontier; on each
//! edge the product is a concave quadratic, maximised in closed form.
//!
//! **Kalai-Smorodinsky** (Kalai & Smorodinsky 1975, "Other Solutions to Nash's Bargaining
//! Problem", Econometrica 43(3), 513-518): with the ideal point `I` (each party's best utility
//! in `S` given that the other gets at least its disagreement value), the furthest point of `S`
//! on the segment from `d` to `I`: both parties get the same share of their largest possible
//! gain. Found as `d + λ (I - d)` with `λ` the smallest ratio over the half-planes of `S`.

use crate::error::SettleError;
use crate::explain::{Explain, num, pct};
use crate::settle::finite;

/// A pair of utilities: the first party's and the second party's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point2 {
    /// The first party's utility.
    pub x: f64,
    /// The second party's utility.
    pub y: f64,
}

impl Point2 {
    /// A point.
    pub fn new(x: f64, y: f64) -> Point2 {
        Point2 { x, y }
    }
}

/// Which bargaining solution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Maximise the product of the gains.
    Nash,
    /// Equal shares of each party's largest possible gain.
    KalaiSmorodinsky,
}

/// A two-party bargaining problem; see the module docs for the feasible set.
#[derive(Debug, Clone, PartialEq)]
pub struct BargainingProblem {
    parties: [String; 2],
    disagreement: Point2,
    frontier: Vec<Point2>,
    /// Half-planes `a x + b y <= c` whose intersection is the feasible set.
    planes: Vec<(f64, f64, f64)>,
}

/// A bargaining solution.
#[derive(Debug, Clone, PartialEq)]
pub struct BargainingSolution {
    /// Which rule.
    pub rule: Rule,
    /// The two parties.
    pub parties: [String; 2],
    /// The agreed utilities.
    pub point: Point2,
    /// The disagreement point.
    pub disagreement: Point2,
    /// The ideal point (each party's best gain given the other's disagreement value).
    pub ideal: Point2,
    /// The Nash product `(x - d_x)(y - d_y)` at the point.
    pub nash_product: f64,
}

impl Explain for BargainingSolution {
    fn explain(&self) -> String {
        let gx = self.point.x - self.disagreement.x;
        let gy = self.point.y - self.disagreement.y;
        let share = |g: f64, best: f64| if best > 0.0 { g / best } else { 0.0 };
        let sx = share(gx, self.ideal.x - self.disagreement.x);
        let sy = share(gy, self.ideal.y - self.disagreement.y);
        match self.rule {
            Rule::Nash => format!(
                "The Nash bargaining solution gives {} a utility of {} and {} a utility of {}, the agreement that maximises the product of their gains over no agreement ({}).",
                self.parties[0],
                num(self.point.x),
                self.parties[1],
                num(self.point.y),
                num(self.nash_product),
            ),
            Rule::KalaiSmorodinsky => format!(
                "The Kalai-Smorodinsky solution gives {} a utility of {} and {} a utility of {}, so that each gets the same share ({} and {}) of the most it could hope to gain.",
                self.parties[0],
                num(self.point.x),
                self.parties[1],
                num(self.point.y),
                pct(sx),
                pct(sy),
            ),
        }
    }
}

fn cross(o: Point2, a: Point2, b: Point2) -> f64 {
    (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
}

impl BargainingProblem {
    /// A problem from the feasible agreements (utility pairs) and the disagreement point.
    pub fn new(
        parties: [String; 2],
        points: &[Point2],
        disagreement: Point2,
    ) -> Result<BargainingProblem, SettleError> {
        crate::settle::check_names(&parties)?;
        if points.is_empty() {
            return Err(SettleError::NoPoints);
        }
        for (i, p) in points.iter().enumerate() {
            finite(|| format!("point {i}, first utility"), p.x)?;
            finite(|| format!("point {i}, second utility"), p.y)?;
        }
        finite(|| "disagreement, first utility".into(), disagreement.x)?;
        finite(|| "disagreement, second utility".into(), disagreement.y)?;
        let mut pts: Vec<Point2> = points.to_vec();
        pts.push(disagreement);
        pts.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
        pts.dedup();
        // Upper hull, left to right, collinear points dropped.
        let mut hull: Vec<Point2> = Vec::new();
        for &p in &pts {
            while hull.len() >= 2 && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) >= 0.0 {
                hull.pop();
            }
            hull.push(p);
        }
        // From the highest point (rightmost among the highest) to the end.
        let top_y = hull.iter().fold(f64::NEG_INFINITY, |a, p| a.max(p.y));
        let start = hull
            .iter()
            .rposition(|p| p.y == top_y)
            .expect("the hull has points");
        let frontier: Vec<Point2> = hull[start..].to_vec();
        let last = frontier[frontier.len() - 1];
        let mut planes = vec![(1.0, 0.0, last.x), (0.0, 1.0, frontier[0].y)];
        for w in frontier.windows(2) {
            let (p, q) = (w[0], w[1]);
            let (a, b) = (p.y - q.y, q.x - p.x);
            planes.push((a, b, a * p.x + b * p.y));
        }
        Ok(BargainingProblem {
            parties,
            disagreement,
            frontier,
            planes,
        })
    }

    /// The strictly Pareto-optimal vertices of the feasible set, from the second party's best
    /// to the first party's best (first utility increasing, second decreasing).
    pub fn frontier(&self) -> &[Point2] {
        &self.frontier
    }

    /// The disagreement point.
    pub fn disagreement(&self) -> Point2 {
        self.disagreement
    }

    /// The ideal point: each party's largest utility in the feasible set given that the other
    /// gets at least its disagreement value.
    pub fn ideal(&self) -> Point2 {
        let d = self.disagreement;
        let x = self
            .planes
            .iter()
            .filter(|p| p.0 > 0.0)
            .map(|&(a, b, c)| (c - b * d.y) / a)
            .fold(f64::INFINITY, f64::min);
        let y = self
            .planes
            .iter()
            .filter(|p| p.1 > 0.0)
            .map(|&(a, b, c)| (c - a * d.x) / b)
            .fold(f64::INFINITY, f64::min);
        Point2 { x, y }
    }

    fn solution(&self, rule: Rule, point: Point2) -> BargainingSolution {
        let d = self.disagreement;
        BargainingSolution {
            rule,
            parties: self.parties.clone(),
            point,
            disagreement: d,
            ideal: self.ideal(),
            nash_product: (point.x - d.x) * (point.y - d.y),
        }
    }

    /// The Nash bargaining solution.
    pub fn nash(&self) -> Result<BargainingSolution, SettleError> {
        let d = self.disagreement;
        let f = |p: Point2| (p.x - d.x) * (p.y - d.y);
        let mut best: Option<(f64, Point2)> = None;
        let mut consider = |p: Point2| {
            if p.x > d.x && p.y > d.y && best.is_none_or(|(v, _)| f(p) > v) {
                best = Some((f(p), p));
            }
        };
        for &p in &self.frontier {
            consider(p);
        }
        for w in self.frontier.windows(2) {
            let (p, q) = (w[0], w[1]);
            let (a, b) = (p.x - d.x, q.x - p.x); // x gain = a + t b, b > 0
            let (c, e) = (p.y - d.y, q.y - p.y); // y gain = c + t e, e < 0
            let lo = (-a / b).max(0.0);
            let hi = (c / -e).min(1.0);
            if lo > hi {
                continue;
            }
            let t = (-(b * c + a * e) / (2.0 * b * e)).clamp(lo, hi);
            consider(Point2::new(p.x + t * b, p.y + t * e));
        }
        match best {
            Some((_, p)) => Ok(self.solution(Rule::Nash, p)),
            None => Err(SettleError::NoMutualGain),
        }
    }

    /// The Kalai-Smorodinsky solution.
    pub fn kalai_smorodinsky(&self) -> Result<BargainingSolution, SettleError> {
        let d = self.disagreement;
        let ideal = self.ideal();
        let v = Point2::new(ideal.x - d.x, ideal.y - d.y);
        if v.x <= 0.0 || v.y <= 0.0 {
            return Err(SettleError::NoMutualGain);
        }
        let lambda = self
            .planes
            .iter()
            .filter(|&&(a, b, _)| a * v.x + b * v.y > 0.0)
            .map(|&(a, b, c)| (c - a * d.x - b * d.y) / (a * v.x + b * v.y))
            .fold(f64::INFINITY, f64::min);
        if lambda <= 0.0 || !lambda.is_finite() {
            return Err(SettleError::NoMutualGain);
        }
        Ok(self.solution(
            Rule::KalaiSmorodinsky,
            Point2::new(d.x + lambda * v.x, d.y + lambda * v.y),
        ))
    }
}
