//! The aggregation from the 22 components to risk, level by level as the workbook does it.

use super::{Component, Components, RiskClass};
use crate::IndexError;
use crate::error::check_range;
use crate::excel::round1;

/// Whether each level is rounded to one decimal before the next uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// As published: Excel's `ROUND(.., 1)` at every level. Reproduces the workbook.
    Published,
    /// No rounding anywhere: a smooth function of the components, for sensitivities.
    Exact,
}

impl Rounding {
    fn apply(self, x: f64) -> f64 {
        match self {
            Rounding::Published => round1(x),
            Rounding::Exact => x,
        }
    }
}

/// The aggregates INFORM publishes above the components.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Aggregate {
    Natural,
    Human,
    HazardExposure,
    SocioEconomic,
    OtherVulnerableGroups,
    VulnerableGroups,
    Vulnerability,
    Institutional,
    Infrastructure,
    LackOfCopingCapacity,
    Risk,
}

impl Aggregate {
    /// Every aggregate, bottom up.
    pub const ALL: [Aggregate; 11] = [
        Aggregate::Natural,
        Aggregate::Human,
        Aggregate::HazardExposure,
        Aggregate::SocioEconomic,
        Aggregate::OtherVulnerableGroups,
        Aggregate::VulnerableGroups,
        Aggregate::Vulnerability,
        Aggregate::Institutional,
        Aggregate::Infrastructure,
        Aggregate::LackOfCopingCapacity,
        Aggregate::Risk,
    ];

    /// The column header of the published table.
    pub fn column(self) -> &'static str {
        match self {
            Aggregate::Natural => "Natural",
            Aggregate::Human => "Human",
            Aggregate::HazardExposure => "HAZARD & EXPOSURE",
            Aggregate::SocioEconomic => "Socio-Economic Vulnerability",
            Aggregate::OtherVulnerableGroups => "Other Vulnerable Groups",
            Aggregate::VulnerableGroups => "Vulnerable Groups",
            Aggregate::Vulnerability => "VULNERABILITY",
            Aggregate::Institutional => "Institutional",
            Aggregate::Infrastructure => "Infrastructure",
            Aggregate::LackOfCopingCapacity => "LACK OF COPING CAPACITY",
            Aggregate::Risk => "INFORM RISK",
        }
    }
}

/// Every aggregate of one country, and its risk class.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    pub natural: f64,
    pub human: f64,
    pub hazard_exposure: f64,
    pub socio_economic: f64,
    pub other_vulnerable_groups: f64,
    pub vulnerable_groups: f64,
    pub vulnerability: f64,
    pub institutional: f64,
    pub infrastructure: f64,
    pub lack_of_coping_capacity: f64,
    pub risk: f64,
    /// The class of `risk` (of its rounded value when computed [`Rounding::Exact`]).
    pub class: RiskClass,
}

impl Scores {
    /// The value of one aggregate.
    pub fn get(&self, a: Aggregate) -> f64 {
        match a {
            Aggregate::Natural => self.natural,
            Aggregate::Human => self.human,
            Aggregate::HazardExposure => self.hazard_exposure,
            Aggregate::SocioEconomic => self.socio_economic,
            Aggregate::OtherVulnerableGroups => self.other_vulnerable_groups,
            Aggregate::VulnerableGroups => self.vulnerable_groups,
            Aggregate::Vulnerability => self.vulnerability,
            Aggregate::Institutional => self.institutional,
            Aggregate::Infrastructure => self.infrastructure,
            Aggregate::LackOfCopingCapacity => self.lack_of_coping_capacity,
            Aggregate::Risk => self.risk,
        }
    }
}

/// INFORM's geometric union of scores on 0-10, unrounded:
/// `(10 - GEOMEAN((10 - x)/10 * 9 + 1, ...)) / 9 * 10`.
///
/// Each score is mapped to 1..=10 (10 for a score of 0), the mapped values are averaged
/// geometrically and mapped back. The result lies between the smallest and the largest input
/// and gives a high input more pull than the arithmetic mean does. `None` for no input.
pub fn geometric_union(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mean_log = values
        .iter()
        .map(|x| ((10.0 - x) / 10.0 * 9.0 + 1.0).ln())
        .sum::<f64>()
        / values.len() as f64;
    // The mean of logs lies between the smallest and largest log, so the union lies between
    // the smallest and largest value; `ln` then `exp` can miss by an ulp (ten zeros gave
    // -7.9e-15), which a reader would see as a negative risk. Clamp to the mathematical bounds.
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        });
    Some(((10.0 - mean_log.exp()) / 9.0 * 10.0).clamp(lo, hi))
}

/// Risk from its three dimensions: `HE^(1/3) * V^(1/3) * LCC^(1/3)`, in the workbook's
/// order of operations, rounded per `rounding`.
pub fn risk_from_dimensions(he: f64, v: f64, lcc: f64, rounding: Rounding) -> f64 {
    let third = 1.0 / 3.0;
    rounding.apply(he.powf(third) * v.powf(third) * lcc.powf(third))
}

fn present(c: &Components, parts: &[Component]) -> Result<Vec<f64>, IndexError> {
    let mut out = Vec::with_capacity(parts.len());
    for &p in parts {
        if let Some(v) = c.get(p) {
            out.push(check_range(p.column(), v, 0.0, 10.0)?);
        }
    }
    Ok(out)
}

fn union(name: Aggregate, values: &[f64], rounding: Rounding) -> Result<f64, IndexError> {
    geometric_union(values)
        .map(|x| rounding.apply(x))
        .ok_or_else(|| IndexError::Missing(name.column().to_string()))
}

fn mean(name: Aggregate, values: &[f64], rounding: Rounding) -> Result<f64, IndexError> {
    if values.is_empty() {
        return Err(IndexError::Missing(name.column().to_string()));
    }
    Ok(rounding.apply(values.iter().sum::<f64>() / values.len() as f64))
}

/// Every aggregate of one country from its components.
///
/// Fails if a component is outside 0..=10 or not finite, or if every input of an aggregate is
/// missing.
pub fn compute(c: &Components, rounding: Rounding) -> Result<Scores, IndexError> {
    use Component::*;
    let mut natural = union(
        Aggregate::Natural,
        &present(
            c,
            &[
                Earthquake,
                RiverFlood,
                Tsunami,
                TropicalCyclone,
                CoastalFlood,
                Drought,
                Epidemic,
            ],
        )?,
        rounding,
    )?;
    // The workbook: a natural hazard that rounds to 0 is published as 0.1.
    if rounding == Rounding::Published && natural == 0.0 {
        natural = 0.1;
    }
    let human = union(
        Aggregate::Human,
        &present(c, &[ProjectedConflict, CurrentConflict])?,
        rounding,
    )?;
    let hazard_exposure = union(Aggregate::HazardExposure, &[natural, human], rounding)?;

    // Development & deprivation counts twice: AVERAGE(E, E, H, N) in the workbook.
    let mut socio = present(c, &[DevelopmentDeprivation])?;
    socio.extend(socio.clone());
    socio.extend(present(c, &[Inequality, EconomicDependency])?);
    let socio_economic = mean(Aggregate::SocioEconomic, &socio, rounding)?;
    let other_vulnerable_groups = union(
        Aggregate::OtherVulnerableGroups,
        &present(
            c,
            &[HealthConditions, ChildrenU5, RecentShocks, FoodSecurity],
        )?,
        rounding,
    )?;
    let mut groups = present(c, &[UprootedPeople])?;
    groups.push(other_vulnerable_groups);
    let vulnerable_groups = union(Aggregate::VulnerableGroups, &groups, rounding)?;
    let vulnerability = union(
        Aggregate::Vulnerability,
        &[socio_economic, vulnerable_groups],
        rounding,
    )?;

    let institutional = mean(
        Aggregate::Institutional,
        &present(c, &[Drr, Governance])?,
        rounding,
    )?;
    let infrastructure = mean(
        Aggregate::Infrastructure,
        &present(
            c,
            &[Communication, PhysicalInfrastructure, AccessToHealthCare],
        )?,
        rounding,
    )?;
    let lack_of_coping_capacity = union(
        Aggregate::LackOfCopingCapacity,
        &[institutional, infrastructure],
        rounding,
    )?;
    let risk = risk_from_dimensions(
        hazard_exposure,
        vulnerability,
        lack_of_coping_capacity,
        rounding,
    );
    Ok(Scores {
        natural,
        human,
        hazard_exposure,
        socio_economic,
        other_vulnerable_groups,
        vulnerable_groups,
        vulnerability,
        institutional,
        infrastructure,
        lack_of_coping_capacity,
        risk,
        class: RiskClass::of(round1(risk)),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Afghanistan's published components (INFORM Risk 2025).
    pub(crate) fn afghanistan() -> Components {
        use Component::*;
        let mut c = Components::new();
        for (k, v) in [
            (Earthquake, 8.8),
            (RiverFlood, 7.3),
            (Tsunami, 0.0),
            (TropicalCyclone, 0.0),
            (CoastalFlood, 0.0),
            (Drought, 8.7),
            (Epidemic, 6.1),
            (ProjectedConflict, 9.7),
            (CurrentConflict, 7.5),
            (DevelopmentDeprivation, 8.9),
            (Inequality, 8.9),
            (EconomicDependency, 5.7),
            (UprootedPeople, 10.0),
            (HealthConditions, 1.9),
            (ChildrenU5, 4.3),
            (RecentShocks, 2.7),
            (FoodSecurity, 7.3),
            (Drr, 7.1),
            (Governance, 8.7),
            (Communication, 6.7),
            (PhysicalInfrastructure, 5.8),
            (AccessToHealthCare, 7.9),
        ] {
            c.set(k, Some(v));
        }
        c
    }

    #[test]
    fn afghanistan_as_published() {
        let s = compute(&afghanistan(), Rounding::Published).unwrap();
        assert_eq!(
            (s.natural, s.human, s.hazard_exposure),
            (5.6, 8.9, 7.6),
            "{s:?}"
        );
        assert_eq!(
            (
                s.socio_economic,
                s.other_vulnerable_groups,
                s.vulnerable_groups
            ),
            (8.1, 4.4, 8.4)
        );
        assert_eq!(s.vulnerability, 8.3);
        assert_eq!((s.institutional, s.infrastructure), (7.9, 6.8));
        assert_eq!(s.lack_of_coping_capacity, 7.4);
        assert_eq!(s.risk, 7.8);
        assert_eq!(s.class, RiskClass::VeryHigh);
    }

    #[test]
    fn missing_components_drop_out_of_their_means() {
        let c = afghanistan().with(Component::Inequality, None);
        let s = compute(&c, Rounding::Published).unwrap();
        // (2 * 8.9 + 5.7) / 3 = 7.83..
        assert_eq!(s.socio_economic, 7.8);
        let c = afghanistan()
            .with(Component::Drr, None)
            .with(Component::Governance, None);
        assert_eq!(
            compute(&c, Rounding::Published),
            Err(IndexError::Missing("Institutional".into()))
        );
    }

    #[test]
    fn out_of_range_is_refused() {
        let c = afghanistan().with(Component::Drought, Some(10.5));
        assert!(matches!(
            compute(&c, Rounding::Published),
            Err(IndexError::OutOfRange { .. })
        ));
    }

    #[test]
    fn union_examples() {
        assert_eq!(geometric_union(&[]), None);
        assert!((geometric_union(&[4.0]).unwrap() - 4.0).abs() < 1e-12);
        assert!((geometric_union(&[10.0, 10.0]).unwrap() - 10.0).abs() < 1e-12);
        // Pulled towards the larger value: above the arithmetic mean 5.
        assert!(geometric_union(&[0.0, 10.0]).unwrap() > 5.0);
    }

    #[test]
    fn classes() {
        assert_eq!(RiskClass::of(6.9), RiskClass::VeryHigh);
        assert_eq!(RiskClass::of(6.8), RiskClass::High);
        assert_eq!(RiskClass::of(3.2), RiskClass::Medium);
        assert_eq!(RiskClass::of(2.2), RiskClass::Low);
        assert_eq!(RiskClass::of(2.1), RiskClass::VeryLow);
        assert_eq!(RiskClass::parse("very high"), Some(RiskClass::VeryHigh));
    }
}
