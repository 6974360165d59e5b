//! The INFORM Risk index (European Commission JRC, Disaster Risk Management Knowledge Centre),
//! recomputed from its parts as the 2025 workbook (v0.7.0) computes it.
//!
//! INFORM scores risk 0-10 in three dimensions: hazard & exposure, vulnerability and lack of
//! coping capacity. Risk is their geometric mean, `HE^(1/3) * V^(1/3) * LCC^(1/3)`. Within a
//! dimension, INFORM combines categories either by an arithmetic mean or by the
//! *geometric union* of [`geometric_union`], `(10 - GEOMEAN((10 - x)/10 * 9 + 1, ...)) / 9 * 10`,
//! which lets one severe component pull its aggregate up. Every level is rounded to one decimal
//! (Excel's `ROUND`, see [`crate::excel`]) before the level above uses it, which is why the
//! aggregation below reproduces the published values exactly from the published component
//! columns. Source: INFORM Risk Index 2025 workbook, sheets "Hazard & Exposure",
//! "Vulnerability", "Lack of Coping Capacity" and "INFORM Risk 2025 (a-z)"; INFORM, *INFORM
//! Risk Index Methodology* (JRC).
//!
//! | aggregate | of | how |
//! | --- | --- | --- |
//! | Natural | earthquake, river flood, tsunami, tropical cyclone, coastal flood, drought, epidemic | geometric union; 0 becomes 0.1 |
//! | Human | projected conflict probability, current conflict intensity | geometric union |
//! | Hazard & exposure | natural, human | geometric union |
//! | Socio-economic vulnerability | development & deprivation (twice), inequality, economic dependency | arithmetic mean |
//! | Other vulnerable groups | health conditions, children under 5, recent shocks, food security | geometric union |
//! | Vulnerable groups | uprooted people, other vulnerable groups | geometric union |
//! | Vulnerability | socio-economic, vulnerable groups | geometric union |
//! | Institutional | DRR, governance | arithmetic mean |
//! | Infrastructure | communication, physical infrastructure, access to health care | arithmetic mean |
//! | Lack of coping capacity | institutional, infrastructure | geometric union |
//! | Risk | hazard & exposure, vulnerability, lack of coping capacity | geometric mean |
//!
//! A missing component (the workbook's `x`) is left out of its mean, as the workbook's `IF`
//! branches and Excel's `AVERAGE` do. The indicator level below the components (min-max
//! scaling, with a base-10 logarithm for skewed counts such as people exposed) is in
//! [`normalise`]; drivers and what-ifs in [`mod@drivers`].

pub mod aggregate;
pub mod drivers;
pub mod normalise;

pub use aggregate::{Aggregate, Rounding, Scores, compute, geometric_union, risk_from_dimensions};
pub use drivers::{
    Change, Dimension, Driver, WhatIf, dimension_drivers, drivers, explain_drivers, what_if,
};
pub use normalise::{Direction, Scale, Transform};

/// The 22 component columns of the published table, from which everything is recomputed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Component {
    Earthquake,
    RiverFlood,
    Tsunami,
    TropicalCyclone,
    CoastalFlood,
    Drought,
    Epidemic,
    ProjectedConflict,
    CurrentConflict,
    DevelopmentDeprivation,
    Inequality,
    EconomicDependency,
    UprootedPeople,
    HealthConditions,
    ChildrenU5,
    RecentShocks,
    FoodSecurity,
    Drr,
    Governance,
    Communication,
    PhysicalInfrastructure,
    AccessToHealthCare,
}

impl Component {
    /// Every component, in the order of the published columns.
    pub const ALL: [Component; 22] = [
        Component::Earthquake,
        Component::RiverFlood,
        Component::Tsunami,
        Component::TropicalCyclone,
        Component::CoastalFlood,
        Component::Drought,
        Component::Epidemic,
        Component::ProjectedConflict,
        Component::CurrentConflict,
        Component::DevelopmentDeprivation,
        Component::Inequality,
        Component::EconomicDependency,
        Component::UprootedPeople,
        Component::HealthConditions,
        Component::ChildrenU5,
        Component::RecentShocks,
        Component::FoodSecurity,
        Component::Drr,
        Component::Governance,
        Component::Communication,
        Component::PhysicalInfrastructure,
        Component::AccessToHealthCare,
    ];

    /// The column header of the published table ("INFORM Risk 2025 (a-z)").
    pub fn column(self) -> &'static str {
        match self {
            Component::Earthquake => "Earthquake",
            Component::RiverFlood => "River Flood",
            Component::Tsunami => "Tsunami",
            Component::TropicalCyclone => "Tropical Cyclone",
            Component::CoastalFlood => "Coastal flood",
            Component::Drought => "Drought",
            Component::Epidemic => "Epidemic",
            Component::ProjectedConflict => "Projected Conflict Probability",
            Component::CurrentConflict => "Current Conflict Intensity",
            Component::DevelopmentDeprivation => "Development & Deprivation",
            Component::Inequality => "Inequality",
            Component::EconomicDependency => "Economic Dependency",
            Component::UprootedPeople => "Uprooted people",
            Component::HealthConditions => "Health Conditions",
            Component::ChildrenU5 => "Children U5",
            Component::RecentShocks => "Recent Shocks",
            Component::FoodSecurity => "Food Security",
            Component::Drr => "DRR",
            Component::Governance => "Governance",
            Component::Communication => "Communication",
            Component::PhysicalInfrastructure => "Physical infrastructure",
            Component::AccessToHealthCare => "Access to health care",
        }
    }

    /// A name for a reader.
    pub fn label(self) -> &'static str {
        match self {
            Component::Earthquake => "earthquake",
            Component::RiverFlood => "river flood",
            Component::Tsunami => "tsunami",
            Component::TropicalCyclone => "tropical cyclone",
            Component::CoastalFlood => "coastal flood",
            Component::Drought => "drought",
            Component::Epidemic => "epidemic",
            Component::ProjectedConflict => "projected conflict probability",
            Component::CurrentConflict => "current conflict intensity",
            Component::DevelopmentDeprivation => "development & deprivation",
            Component::Inequality => "inequality",
            Component::EconomicDependency => "economic dependency",
            Component::UprootedPeople => "uprooted people",
            Component::HealthConditions => "health conditions",
            Component::ChildrenU5 => "children under 5",
            Component::RecentShocks => "recent shocks",
            Component::FoodSecurity => "food security",
            Component::Drr => "disaster risk reduction",
            Component::Governance => "governance",
            Component::Communication => "communication",
            Component::PhysicalInfrastructure => "physical infrastructure",
            Component::AccessToHealthCare => "access to health care",
        }
    }

    /// The dimension the component belongs to.
    pub fn dimension(self) -> Dimension {
        use Component::*;
        match self {
            Earthquake | RiverFlood | Tsunami | TropicalCyclone | CoastalFlood | Drought
            | Epidemic | ProjectedConflict | CurrentConflict => Dimension::HazardExposure,
            DevelopmentDeprivation
            | Inequality
            | EconomicDependency
            | UprootedPeople
            | HealthConditions
            | ChildrenU5
            | RecentShocks
            | FoodSecurity => Dimension::Vulnerability,
            Drr | Governance | Communication | PhysicalInfrastructure | AccessToHealthCare => {
                Dimension::LackOfCopingCapacity
            }
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One country's component scores (0-10); `None` is the workbook's missing `x`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Components {
    values: [Option<f64>; 22],
}

impl Components {
    /// No component known yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The score of `c`, or `None` where it is missing.
    pub fn get(&self, c: Component) -> Option<f64> {
        self.values[c.index()]
    }

    /// Sets (or, with `None`, clears) the score of `c`. Ranges are checked by [`compute`].
    pub fn set(&mut self, c: Component, value: Option<f64>) -> &mut Self {
        self.values[c.index()] = value;
        self
    }

    /// The same components with `c` set to `value`.
    pub fn with(&self, c: Component, value: Option<f64>) -> Self {
        let mut out = self.clone();
        out.set(c, value);
        out
    }

    /// Builds the components from a published row: `cell(column)` gives the text of a column
    /// (see [`Component::column`]); `x` or an empty cell is missing.
    pub fn from_cells<'a>(
        mut cell: impl FnMut(&str) -> Option<&'a str>,
    ) -> Result<Self, crate::IndexError> {
        let mut out = Self::new();
        for c in Component::ALL {
            let text = cell(c.column()).ok_or_else(|| {
                crate::IndexError::Invalid(format!("column {:?} not found", c.column()))
            })?;
            let text = text.trim();
            let value = if text.is_empty() || text.eq_ignore_ascii_case("x") {
                None
            } else {
                Some(text.parse::<f64>().map_err(|_| {
                    crate::IndexError::Invalid(format!("{}: {text:?} is not a number", c.column()))
                })?)
            };
            out.set(c, value);
        }
        Ok(out)
    }
}

/// INFORM's risk classes of the 2025 edition, from the workbook's thresholds on the rounded
/// risk: very high >= 6.9, high >= 5.1, medium >= 3.2, low >= 2.2, very low below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RiskClass {
    VeryLow,
    Low,
    Medium,
    High,
    VeryHigh,
}

impl RiskClass {
    /// The class of a (rounded) risk score.
    pub fn of(risk: f64) -> Self {
        if risk >= 6.9 {
            RiskClass::VeryHigh
        } else if risk >= 5.1 {
            RiskClass::High
        } else if risk >= 3.2 {
            RiskClass::Medium
        } else if risk >= 2.2 {
            RiskClass::Low
        } else {
            RiskClass::VeryLow
        }
    }

    /// The label the published table uses ("Very High", ...).
    pub fn label(self) -> &'static str {
        match self {
            RiskClass::VeryLow => "Very Low",
            RiskClass::Low => "Low",
            RiskClass::Medium => "Medium",
            RiskClass::High => "High",
            RiskClass::VeryHigh => "Very High",
        }
    }

    /// Parses a published label.
    pub fn parse(label: &str) -> Option<Self> {
        [
            RiskClass::VeryLow,
            RiskClass::Low,
            RiskClass::Medium,
            RiskClass::High,
            RiskClass::VeryHigh,
        ]
        .into_iter()
        .find(|c| c.label().eq_ignore_ascii_case(label.trim()))
    }
}
