//! Paris progress monitor: a country's (or bloc's) emissions history against its NDC target,
//! the gap in the target year at the current trend, and a trend arrow.
//!
//! Current trend: the log-linear growth over the trend window ending at the jump-off year
//! ([`crate::pathway::trend`]), continued without fading to the target year. Gap =
//! projected − target (positive: off track). Arrow: ↓ below −0.5 %/yr, ↑ above +0.5 %/yr,
//! → between. Target path: a straight line from the jump-off year to the pledged level.
//!
//! Blocs are assessed in [`BLOC_YEAR`]: the target is the sum of the members' pledge
//! pathways in that year (members without a quantified pledge count with their
//! current-policies level, and are counted), the projection the sum of their trend
//! projections.

use crate::PledgeError;
use crate::ndc::Pledge;
use crate::pathway::{
    Country, Settings, current_policies, jump_off, pledge_pathway, target_level, trend,
};
use crate::series::Series;

/// Year in which blocs are compared.
pub const BLOC_YEAR: i32 = 2030;
/// Growth per year beyond which the arrow points up or down.
pub const ARROW_THRESHOLD: f64 = 0.005;

/// Direction of the recent trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arrow {
    /// Falling faster than 0.5 %/yr.
    Down,
    /// Within ±0.5 %/yr.
    Flat,
    /// Rising faster than 0.5 %/yr.
    Up,
}

impl Arrow {
    /// From a growth rate.
    pub fn of(g: f64) -> Self {
        if g < -ARROW_THRESHOLD {
            Arrow::Down
        } else if g > ARROW_THRESHOLD {
            Arrow::Up
        } else {
            Arrow::Flat
        }
    }

    /// The arrow glyph.
    pub fn glyph(self) -> &'static str {
        match self {
            Arrow::Down => "↓",
            Arrow::Flat => "→",
            Arrow::Up => "↑",
        }
    }
}

/// One country's progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// Country.
    pub iso3: String,
    /// Name.
    pub name: String,
    /// History, Mt CO2/yr.
    pub history: Series,
    /// Jump-off year and value.
    pub jump_off: (i32, f64),
    /// Recent growth per year.
    pub trend: f64,
    /// Arrow.
    pub arrow: Arrow,
    /// The pledge, if any.
    pub pledge: Option<Pledge>,
    /// Target year and level (Mt CO2), if quantified.
    pub target: Option<(i32, f64)>,
    /// Straight line from the jump-off to the target.
    pub target_path: Series,
    /// Emissions in the target year at the current trend.
    pub projected: Option<f64>,
    /// Projected minus target, Mt CO2 (positive: off track).
    pub gap: Option<f64>,
}

impl Progress {
    /// Gap as a share of the target level.
    pub fn gap_share(&self) -> Option<f64> {
        Some(self.gap? / self.target?.1)
    }

    /// True when the trend meets the target.
    pub fn on_track(&self) -> Option<bool> {
        Some(self.gap? <= 0.0)
    }
}

/// A country's progress against `pledge`.
pub fn progress(
    c: &Country,
    pledge: Option<&Pledge>,
    s: &Settings,
) -> Result<Progress, PledgeError> {
    let (y0, e0) = jump_off(c, s)?;
    let g = trend(c, s)?;
    let target = match pledge {
        Some(p) => target_level(c, p, s)?,
        None => None,
    };
    let mut target_path = Series::default();
    let (mut projected, mut gap) = (None, None);
    if let Some((t, level)) = target {
        if t > y0 {
            for y in y0..=t {
                let w = f64::from(y - y0) / f64::from(t - y0);
                target_path.0.insert(y, e0 + (level - e0) * w);
            }
        }
        let pr = e0 * (1.0 + g).powi(t - y0);
        let actual_or_projected = c.co2.get(t).filter(|_| t <= y0).unwrap_or(pr);
        projected = Some(actual_or_projected);
        gap = Some(actual_or_projected - level);
    }
    Ok(Progress {
        iso3: c.iso3.clone(),
        name: c.name.clone(),
        history: c.co2.clone(),
        jump_off: (y0, e0),
        trend: g,
        arrow: Arrow::of(g),
        pledge: pledge.cloned(),
        target,
        target_path,
        projected,
        gap,
    })
}

/// A bloc's aggregate progress.
#[derive(Debug, Clone, PartialEq)]
pub struct BlocProgress {
    /// Bloc id (as in `country_groups.group_id`).
    pub id: String,
    /// Members in the data.
    pub members: Vec<String>,
    /// Members without history (left out).
    pub missing: Vec<String>,
    /// Members without a quantified pledge (counted at current policies).
    pub unpledged: Vec<String>,
    /// Members whose pledge cannot be applied, with the reason (counted at current policies).
    pub not_applied: Vec<(String, String)>,
    /// Summed history, Mt CO2/yr (years where every included member has data).
    pub history: Series,
    /// Growth of the summed history.
    pub trend: f64,
    /// Arrow.
    pub arrow: Arrow,
    /// Sum of pledge pathways in [`BLOC_YEAR`].
    pub target: f64,
    /// Sum of trend projections in [`BLOC_YEAR`].
    pub projected: f64,
}

impl BlocProgress {
    /// Projected minus target.
    pub fn gap(&self) -> f64 {
        self.projected - self.target
    }
}

/// Aggregates `members` (found in `countries` by code).
pub fn bloc_progress(
    id: &str,
    members: &[String],
    countries: &[Country],
    s: &Settings,
) -> Result<BlocProgress, PledgeError> {
    let mut included = Vec::new();
    let mut missing = Vec::new();
    for m in members {
        match countries.iter().find(|c| &c.iso3 == m) {
            Some(c) if jump_off(c, s).is_ok() => included.push(c),
            _ => missing.push(m.clone()),
        }
    }
    if included.is_empty() {
        return Err(PledgeError::NoHistory {
            iso3: id.to_string(),
            detail: " (no member has emissions data)".into(),
        });
    }
    let common: Vec<i32> = included[0]
        .co2
        .0
        .keys()
        .copied()
        .filter(|y| included.iter().all(|c| c.co2.get(*y).is_some()))
        .collect();
    let history = Series::from_pairs(common.iter().map(|y| {
        (
            *y,
            included.iter().map(|c| c.co2.get(*y).unwrap_or(0.0)).sum(),
        )
    }));
    let (mut target, mut projected) = (0.0, 0.0);
    let mut unpledged = Vec::new();
    let mut not_applied = Vec::new();
    for c in &included {
        let (y0, e0) = jump_off(c, s)?;
        projected += e0 * (1.0 + trend(c, s)?).powi(BLOC_YEAR - y0);
        let path = match &c.pledge {
            Some(p) if p.is_quantified() => match pledge_pathway(c, p, s) {
                Ok(path) => path,
                // As in the aggregator: a pledge that cannot be applied (its base year is not
                // in the inventory) counts at current policies, and is listed with the reason.
                Err(e) => {
                    not_applied.push((c.iso3.clone(), e.to_string()));
                    current_policies(c, s)?
                }
            },
            _ => {
                unpledged.push(c.iso3.clone());
                current_policies(c, s)?
            }
        };
        target += path.at(BLOC_YEAR).unwrap_or(e0);
    }
    let bloc = Country {
        iso3: id.to_string(),
        co2: history.clone(),
        ..Country::default()
    };
    let g = trend(&bloc, s).unwrap_or(0.0);
    Ok(BlocProgress {
        id: id.to_string(),
        members: included.iter().map(|c| c.iso3.clone()).collect(),
        missing,
        unpledged,
        not_applied,
        history,
        trend: g,
        arrow: Arrow::of(g),
        target,
        projected,
    })
}
