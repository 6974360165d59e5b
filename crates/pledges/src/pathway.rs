//! National fossil-CO2 pathways: history, "current policies" (the recent trend, fading out)
//! and the pathway implied by a pledge.
//!
//! Units: Mt CO2 per year of fossil fuel and cement CO2 (the national inventories in the
//! store). NDC percentages, which refer to total greenhouse gases, are applied to this
//! CO2 series: a stated approximation (docs/CLIMATE_METHOD.md).
//!
//! - Jump-off year `Y0`: the last year of history not in [`Settings::excluded_years`] (2020,
//!   the pandemic dip, by default).
//! - Trend `g`: log-linear least-squares growth over the [`Settings::trend_years`] years
//!   ending at `Y0` (excluded years skipped).
//! - Current policies: `E(t) = E(t-1) * (1 + g * max(0, 1 - (t - Y0) / fade_years))`: the
//!   trend continues and fades linearly to zero growth over `fade_years`.
//! - Business as usual (for BAU targets): the trend without fading, `E0 * (1+g)^(t-Y0)`.
//! - Pledge level in the target year `T`: base-year target `E(base) * (1 - cut)`; BAU
//!   target `BAU(T) * (1 - cut)`; intensity target `E(base)/GDP(base) * (1 - cut) * GDP(T)`
//!   with real GDP from the growth rates (projected at their mean of the last 10 years); a
//!   GHG level `E(ref) * level / GHG(ref)` for the last year with a total-GHG inventory; a CO2
//!   level as given. The unconditional (less ambitious) end unless `conditional`.
//! - Pledge pathway: linear from `E0` to the level at `T`, never above current policies (a
//!   weak target does not raise emissions); after `T` (or after a peak year), a net-zero year
//!   `N` gives a straight line to zero at `N`; else a stated decline rate; else a falling
//!   pathway keeps its average rate and a rising one follows current policies. A peak target
//!   follows current policies to the peak year, then declines at `decline` (default
//!   [`Settings::default_decline`]). Without a quantified target the pathway is current
//!   policies (with a straight line to net zero from 2030 if a net-zero year is known).

use crate::PledgeError;
use crate::ndc::{Pct, Pledge, Target};
use crate::series::Series;

/// One country's inputs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Country {
    /// ISO alpha-3 (or a pseudo-code such as `BUNKERS`).
    pub iso3: String,
    /// Display name.
    pub name: String,
    /// Fossil CO2 history, Mt CO2/yr.
    pub co2: Series,
    /// Population, persons.
    pub population: Series,
    /// GDP per person, PPP, current international $.
    pub gdp_ppp_pc: Series,
    /// Real GDP growth, percent per year.
    pub gdp_growth: Series,
    /// Total greenhouse gases, kt CO2e (for GHG level targets).
    pub ghg: Series,
    /// The NDC pledge, if any.
    pub pledge: Option<Pledge>,
}

/// Pathway settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Years left out of the jump-off and the trend.
    pub excluded_years: Vec<i32>,
    /// Length of the trend window, years.
    pub trend_years: i32,
    /// Years over which the current-policies trend fades to zero growth.
    pub fade_years: i32,
    /// Annual decline after a peak when the pledge states none.
    pub default_decline: f64,
    /// Last year of every pathway.
    pub horizon: i32,
    /// Use the conditional (more ambitious) end of pledged ranges.
    pub conditional: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            excluded_years: vec![2020],
            trend_years: 6,
            fade_years: 30,
            default_decline: 0.02,
            horizon: 2100,
            conditional: false,
        }
    }
}

/// A pathway from the jump-off year to the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct Pathway {
    /// Jump-off year and emissions, Mt CO2.
    pub jump_off: (i32, f64),
    /// Emissions from the jump-off year to the horizon, Mt CO2/yr.
    pub series: Series,
    /// Pledged level: (target year, Mt CO2), when the pledge is quantified.
    pub target: Option<(i32, f64)>,
    /// How the pathway was built, in words.
    pub note: String,
}

impl Pathway {
    /// Emissions in `year`.
    pub fn at(&self, year: i32) -> Option<f64> {
        self.series.get(year)
    }
}

/// The jump-off year and value.
pub fn jump_off(c: &Country, s: &Settings) -> Result<(i32, f64), PledgeError> {
    c.co2
        .0
        .iter()
        .rev()
        .find(|(y, _)| !s.excluded_years.contains(y))
        .map(|(y, v)| (*y, *v))
        .ok_or_else(|| PledgeError::NoHistory {
            iso3: c.iso3.clone(),
            detail: String::new(),
        })
}

/// Recent growth rate per year (0 when there are fewer than three usable years).
pub fn trend(c: &Country, s: &Settings) -> Result<f64, PledgeError> {
    let (y0, _) = jump_off(c, s)?;
    Ok(c.co2
        .trend(y0 - s.trend_years + 1, y0, &s.excluded_years)
        .unwrap_or(0.0))
}

/// Current policies: the recent trend fading to zero growth.
pub fn current_policies(c: &Country, s: &Settings) -> Result<Pathway, PledgeError> {
    let (y0, e0) = jump_off(c, s)?;
    let g = trend(c, s)?;
    let mut series = Series::default();
    let mut e = e0;
    series.0.insert(y0, e0);
    for t in y0 + 1..=s.horizon {
        let fade = (1.0 - f64::from(t - y0) / f64::from(s.fade_years.max(1))).max(0.0);
        e *= 1.0 + g * fade;
        series.0.insert(t, e);
    }
    Ok(Pathway {
        jump_off: (y0, e0),
        series,
        target: None,
        note: format!(
            "current policies: {:+.1}%/yr trend over {}-{y0}, fading to zero over {} years",
            g * 100.0,
            y0 - s.trend_years + 1,
            s.fade_years
        ),
    })
}

/// Business as usual in `year`: the trend without fading.
pub fn bau_level(c: &Country, s: &Settings, year: i32) -> Result<f64, PledgeError> {
    let (y0, e0) = jump_off(c, s)?;
    let g = trend(c, s)?;
    Ok(e0 * (1.0 + g).powi(year - y0))
}

/// Real GDP in `year` relative to `base` (growth rates compounded; beyond the data at the
/// mean growth of the last ten years with data).
pub fn gdp_ratio(c: &Country, base: i32, year: i32) -> Result<f64, PledgeError> {
    let (_, last) = c.gdp_growth.span().ok_or(PledgeError::Missing {
        iso3: c.iso3.clone(),
        what: "real GDP growth",
        year: base,
    })?;
    let recent: Vec<f64> = c
        .gdp_growth
        .0
        .range(last - 9..=last)
        .map(|(_, v)| *v)
        .collect();
    let mean = recent.iter().sum::<f64>() / recent.len() as f64;
    let growth = |y: i32| c.gdp_growth.get(y).unwrap_or(mean) / 100.0;
    let (lo, hi, invert) = if year >= base {
        (base, year, false)
    } else {
        (year, base, true)
    };
    let mut r = 1.0;
    for y in lo + 1..=hi {
        if y <= last && c.gdp_growth.get(y).is_none() {
            return Err(PledgeError::Missing {
                iso3: c.iso3.clone(),
                what: "real GDP growth",
                year: y,
            });
        }
        r *= 1.0 + growth(y);
    }
    Ok(if invert { 1.0 / r } else { r })
}

fn pick(p: Pct, s: &Settings) -> f64 {
    if s.conditional { p.high } else { p.low }
}

/// Years a base year may move forward when the inventory starts later (states formed
/// after 1990: Russia's series starts in 1992).
pub const BASE_YEAR_SLACK: i32 = 5;

/// Base-year emissions: the year itself, or the first year with data within
/// [`BASE_YEAR_SLACK`] after it. Returns the year used and the value.
pub fn base_emissions(c: &Country, year: i32) -> Result<(i32, f64), PledgeError> {
    c.co2
        .0
        .range(year..=year + BASE_YEAR_SLACK)
        .next()
        .map(|(y, v)| (*y, *v))
        .ok_or(PledgeError::Missing {
            iso3: c.iso3.clone(),
            what: "fossil CO2 emissions",
            year,
        })
}

fn history_at(c: &Country, year: i32) -> Result<f64, PledgeError> {
    base_emissions(c, year).map(|(_, v)| v)
}

/// The pledged level (target year, Mt CO2), or `None` for peak-only and unquantified
/// pledges.
pub fn target_level(
    c: &Country,
    p: &Pledge,
    s: &Settings,
) -> Result<Option<(i32, f64)>, PledgeError> {
    let Some(t) = p.target_year else {
        return Ok(None);
    };
    let level = match &p.target {
        Target::BaseYear { base_year, cut } => {
            history_at(c, *base_year)? * (1.0 - pick(*cut, s) / 100.0)
        }
        Target::Bau { cut } => bau_level(c, s, t)? * (1.0 - pick(*cut, s) / 100.0),
        Target::Intensity { base_year, cut } => {
            history_at(c, *base_year)?
                * (1.0 - pick(*cut, s) / 100.0)
                * gdp_ratio(c, *base_year, t)?
        }
        Target::GhgLevel { mt_co2e } => {
            let (y, ghg_kt) = c
                .ghg
                .0
                .iter()
                .rev()
                .find(|(y, _)| c.co2.get(**y).is_some())
                .map(|(y, v)| (*y, *v))
                .ok_or(PledgeError::Missing {
                    iso3: c.iso3.clone(),
                    what: "total greenhouse-gas inventory",
                    year: t,
                })?;
            history_at(c, y)? * pick(*mt_co2e, s) / (ghg_kt / 1000.0)
        }
        Target::Level { mt_co2 } => *mt_co2,
        Target::Peak { .. } | Target::Unquantified { .. } => return Ok(None),
    };
    Ok(Some((t, level.max(0.0))))
}

/// The pathway implied by `pledge` (see the module docs).
pub fn pledge_pathway(c: &Country, pledge: &Pledge, s: &Settings) -> Result<Pathway, PledgeError> {
    let cp = current_policies(c, s)?;
    let (y0, e0) = cp.jump_off;
    let cpv = |t: i32| cp.at(t).unwrap_or(e0);
    let mut series = Series::default();
    series.0.insert(y0, e0);
    let target = target_level(c, pledge, s)?;
    let mut note = format!("pledge: {}", pledge.describe());
    if let Target::BaseYear { base_year, .. } | Target::Intensity { base_year, .. } = pledge.target
    {
        let (used, _) = base_emissions(c, base_year)?;
        if used != base_year {
            note.push_str(&format!(
                "; no inventory for {base_year}, base taken from {used}"
            ));
        }
    }
    // Segment 1: up to the target or peak year.
    let (mut t_end, mut rate) = (y0, None);
    if let Some((t, level)) = target.filter(|(t, _)| *t > y0) {
        for y in y0 + 1..=t {
            let w = f64::from(y - y0) / f64::from(t - y0);
            series.0.insert(y, (e0 + (level - e0) * w).min(cpv(y)));
        }
        t_end = t;
        let reached = series.get(t).unwrap_or(level);
        rate = Some((reached / e0).powf(1.0 / f64::from(t - y0)) - 1.0);
        if level > cpv(t) {
            note.push_str("; target above current policies, which are kept");
        }
    } else if let Some((t, _)) = target {
        note.push_str(&format!(
            "; target year {t} is not after {y0}: treated as reached"
        ));
    }
    let peak = match pledge.target {
        Target::Peak { year } => Some(year),
        _ => pledge.peak_year,
    };
    if peak.is_some() {
        // A stated peak (at or before the target year) means decline afterwards.
        rate = Some(-pledge.decline.unwrap_or(s.default_decline));
    }
    if let Some(pk) = peak.filter(|pk| *pk > t_end) {
        for y in t_end + 1..=pk.min(s.horizon) {
            let prev = series.get(y - 1).unwrap_or(e0);
            series.0.insert(y, prev * cpv(y) / cpv(y - 1));
        }
        t_end = pk.min(s.horizon);
        rate = Some(-pledge.decline.unwrap_or(s.default_decline));
    }
    let quantified = target.is_some() || peak.is_some();
    if !quantified {
        let start = if pledge.net_zero_year.is_some() {
            2030.max(y0)
        } else {
            s.horizon
        };
        for y in y0 + 1..=start.min(s.horizon) {
            series.0.insert(y, cpv(y));
        }
        t_end = start.min(s.horizon);
        note.push_str("; no quantified target: current policies");
    }
    // Segment 2: after the target / peak.
    let from = series.get(t_end).unwrap_or(e0);
    for y in t_end + 1..=s.horizon {
        let prev = series.get(y - 1).unwrap_or(from);
        let v = if let Some(n) = pledge.net_zero_year.filter(|n| *n > t_end) {
            if y >= n {
                0.0
            } else {
                from * f64::from(n - y) / f64::from(n - t_end)
            }
        } else if pledge.net_zero_year.is_some() {
            0.0
        } else if let Some(d) = pledge.decline {
            prev * (1.0 - d)
        } else {
            match rate {
                Some(r) if r < 0.0 => prev * (1.0 + r),
                _ => prev * cpv(y) / cpv(y - 1),
            }
        };
        series.0.insert(y, v.max(0.0));
    }
    if let Some(n) = pledge.net_zero_year {
        note.push_str(&format!("; straight line to zero in {n}"));
    }
    Ok(Pathway {
        jump_off: (y0, e0),
        series,
        target,
        note,
    })
}
