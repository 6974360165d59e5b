//! What drives a country's INFORM risk, and what-ifs.
//!
//! A *driver* is a component ranked by how much the risk would fall if that component
//! improved by one point (its score lowered by 1, not below 0), all else equal. The ranking
//! uses the unrounded aggregation ([`Rounding::Exact`]) so that small differences are not
//! hidden by the one-decimal steps; the what-ifs report the published (rounded) figures a
//! reader can compare with the table. This is a sensitivity, not a causal claim: it says which
//! numbers the index responds to most, not what would change them.

use super::aggregate::{Rounding, Scores, compute, risk_from_dimensions};
use super::{Component, Components, RiskClass};
use crate::IndexError;
use crate::excel::round1;

/// INFORM's three dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    HazardExposure,
    Vulnerability,
    LackOfCopingCapacity,
}

impl Dimension {
    /// The three, in the published order.
    pub const ALL: [Dimension; 3] = [
        Dimension::HazardExposure,
        Dimension::Vulnerability,
        Dimension::LackOfCopingCapacity,
    ];

    /// A name for a reader.
    pub fn label(self) -> &'static str {
        match self {
            Dimension::HazardExposure => "hazard & exposure",
            Dimension::Vulnerability => "vulnerability",
            Dimension::LackOfCopingCapacity => "lack of coping capacity",
        }
    }

    fn of(self, s: &Scores) -> f64 {
        match self {
            Dimension::HazardExposure => s.hazard_exposure,
            Dimension::Vulnerability => s.vulnerability,
            Dimension::LackOfCopingCapacity => s.lack_of_coping_capacity,
        }
    }
}

/// One driver: what the risk would be if `what` improved by one point.
#[derive(Debug, Clone, PartialEq)]
pub struct Driver<T> {
    pub what: T,
    /// Its current score (0-10).
    pub value: f64,
    /// Unrounded risk now minus unrounded risk after the one-point improvement (>= 0).
    pub risk_drop: f64,
}

/// Components ranked by the fall in risk a one-point improvement would bring, largest first
/// (ties in published column order). Missing components are not listed; components already
/// at 0 have a drop of 0.
pub fn drivers(c: &Components) -> Result<Vec<Driver<Component>>, IndexError> {
    let base = compute(c, Rounding::Exact)?.risk;
    let mut out = Vec::new();
    for comp in Component::ALL {
        let Some(v) = c.get(comp) else { continue };
        let after = compute(&c.with(comp, Some((v - 1.0).max(0.0))), Rounding::Exact)?.risk;
        out.push(Driver {
            what: comp,
            value: v,
            risk_drop: (base - after).max(0.0),
        });
    }
    out.sort_by(|a, b| b.risk_drop.total_cmp(&a.risk_drop));
    Ok(out)
}

/// The `n` strongest drivers in one sentence, e.g. "INFORM risk responds most to projected
/// conflict probability (9.7): one point better would lower it by 0.18; then ...".
pub fn explain_drivers(drivers: &[Driver<Component>], n: usize) -> String {
    let parts: Vec<String> = drivers
        .iter()
        .filter(|d| d.risk_drop > 0.0)
        .take(n)
        .map(|d| {
            format!(
                "{} ({:.1}): one point better would lower it by {:.2}",
                d.what.label(),
                d.value,
                d.risk_drop
            )
        })
        .collect();
    if parts.is_empty() {
        return "No component can improve: every one is at 0.".to_string();
    }
    format!("INFORM risk responds most to {}.", parts.join("; then "))
}

/// The three dimensions ranked the same way, on the published dimension scores: the fall in
/// unrounded risk if that dimension alone were one point lower.
pub fn dimension_drivers(c: &Components) -> Result<Vec<Driver<Dimension>>, IndexError> {
    let s = compute(c, Rounding::Published)?;
    let base = risk_from_dimensions(
        s.hazard_exposure,
        s.vulnerability,
        s.lack_of_coping_capacity,
        Rounding::Exact,
    );
    let mut out: Vec<_> = Dimension::ALL
        .into_iter()
        .map(|d| {
            let after = dims_risk(&s, d, -1.0, Rounding::Exact);
            Driver {
                what: d,
                value: d.of(&s),
                risk_drop: (base - after).max(0.0),
            }
        })
        .collect();
    out.sort_by(|a, b| b.risk_drop.total_cmp(&a.risk_drop));
    Ok(out)
}

fn dims_risk(s: &Scores, d: Dimension, delta: f64, rounding: Rounding) -> f64 {
    let mut dims = [
        s.hazard_exposure,
        s.vulnerability,
        s.lack_of_coping_capacity,
    ];
    let i = Dimension::ALL.iter().position(|x| *x == d).unwrap_or(0);
    dims[i] = (dims[i] + delta).clamp(0.0, 10.0);
    risk_from_dimensions(dims[0], dims[1], dims[2], rounding)
}

/// A change to try.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// Set a component to a new score (0-10).
    Component(Component, f64),
    /// Move a dimension's published score by `delta` points (negative = improvement), kept
    /// within 0-10, leaving the other two as they are.
    Dimension(Dimension, f64),
}

/// The published figures before and after a set of changes.
#[derive(Debug, Clone, PartialEq)]
pub struct WhatIf {
    pub before: Scores,
    /// Risk, dimensions and class after the changes, rounded as published.
    pub risk: f64,
    pub hazard_exposure: f64,
    pub vulnerability: f64,
    pub lack_of_coping_capacity: f64,
    pub class: RiskClass,
    pub changes: Vec<Change>,
}

impl WhatIf {
    /// One sentence for a reader.
    pub fn explain(&self) -> String {
        let what: Vec<String> = self
            .changes
            .iter()
            .map(|c| match c {
                Change::Component(k, v) => format!("{} were {v:.1}", k.label()),
                Change::Dimension(d, delta) if *delta < 0.0 => {
                    format!("{} improved by {:.1} points", d.label(), -delta)
                }
                Change::Dimension(d, delta) => {
                    format!("{} worsened by {delta:.1} points", d.label())
                }
            })
            .collect();
        let verb = if self.risk < self.before.risk {
            "falls"
        } else if self.risk > self.before.risk {
            "rises"
        } else {
            "stays"
        };
        format!(
            "If {}, INFORM risk {verb} from {:.1} ({}) to {:.1} ({}).",
            what.join(" and "),
            self.before.risk,
            self.before.class.label(),
            self.risk,
            self.class.label()
        )
    }
}

/// Applies `changes` in order and recomputes as published. Component changes are applied
/// first (they change the dimensions); dimension shifts then move the recomputed dimensions.
pub fn what_if(c: &Components, changes: &[Change]) -> Result<WhatIf, IndexError> {
    let before = compute(c, Rounding::Published)?;
    let mut after = c.clone();
    for ch in changes {
        if let Change::Component(k, v) = ch {
            after.set(*k, Some(*v));
        }
    }
    let s = compute(&after, Rounding::Published)?;
    let mut dims = [
        s.hazard_exposure,
        s.vulnerability,
        s.lack_of_coping_capacity,
    ];
    for ch in changes {
        if let Change::Dimension(d, delta) = ch {
            if !delta.is_finite() {
                return Err(IndexError::Invalid(format!("what-if shift {delta}")));
            }
            let i = Dimension::ALL.iter().position(|x| x == d).unwrap_or(0);
            dims[i] = round1((dims[i] + delta).clamp(0.0, 10.0));
        }
    }
    let risk = risk_from_dimensions(dims[0], dims[1], dims[2], Rounding::Published);
    Ok(WhatIf {
        before,
        risk,
        hazard_exposure: dims[0],
        vulnerability: dims[1],
        lack_of_coping_capacity: dims[2],
        class: RiskClass::of(risk),
        changes: changes.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inform::aggregate::tests::afghanistan;

    #[test]
    fn coping_capacity_what_if() {
        let w = what_if(
            &afghanistan(),
            &[Change::Dimension(Dimension::LackOfCopingCapacity, -1.0)],
        )
        .unwrap();
        // (7.6 * 8.3 * 6.4)^(1/3) = 7.43..
        assert_eq!(w.lack_of_coping_capacity, 6.4);
        assert_eq!(w.risk, 7.4);
        assert_eq!(w.class, RiskClass::VeryHigh);
        assert_eq!(
            w.explain(),
            "If lack of coping capacity improved by 1.0 points, INFORM risk falls from 7.8 \
             (Very High) to 7.4 (Very High)."
        );
    }

    #[test]
    fn component_what_if_and_no_change() {
        let c = afghanistan();
        let w = what_if(&c, &[Change::Component(Component::Governance, 8.7)]).unwrap();
        assert_eq!(w.risk, w.before.risk);
        let w = what_if(&c, &[Change::Component(Component::ProjectedConflict, 0.0)]).unwrap();
        assert!(w.risk < w.before.risk, "{w:?}");
    }

    #[test]
    fn drivers_are_sorted_and_nonnegative() {
        let d = drivers(&afghanistan()).unwrap();
        assert_eq!(d.len(), 22);
        assert!(d.windows(2).all(|w| w[0].risk_drop >= w[1].risk_drop));
        assert!(d.iter().all(|x| x.risk_drop >= 0.0));
        // Components at 0 cannot improve.
        let tsunami = d.iter().find(|x| x.what == Component::Tsunami).unwrap();
        assert_eq!(tsunami.risk_drop, 0.0);
        assert!(
            explain_drivers(&d, 2).starts_with("INFORM risk responds most to "),
            "{}",
            explain_drivers(&d, 2)
        );
        let dims = dimension_drivers(&afghanistan()).unwrap();
        assert_eq!(dims.len(), 3);
        // The lowest dimension moves a geometric mean most per point.
        assert_eq!(dims[0].what, Dimension::LackOfCopingCapacity);
    }
}
