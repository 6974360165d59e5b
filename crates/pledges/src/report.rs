//! Reports as plain data, for the CLI and the dashboard pages: the pledge comparison
//! (current policies, NDCs, user scenario), one country's page (history, target, gap, trend,
//! fair shares, bands) and a bloc comparison.

use std::collections::BTreeMap;

use crate::PledgeError;
use crate::aggregate::{
    ClimateSettings, NationalPaths, Outcome, Policy, climate_outcome, common_jump_off, global_path,
    national_paths,
};
use crate::input::World;
use crate::monitor::{BlocProgress, Progress, bloc_progress, progress};
use crate::ndc::{Pledge, apply_edit, split_edit};
use crate::pathway::{Pathway, Settings, current_policies, pledge_pathway};
use crate::rating::{Band, band};
use crate::series::Series;
use crate::sharing::{FairShare, FairShares, LEVELS, Universe, benchmark_ratio};

/// Year the ratings assess.
pub const RATING_YEAR: i32 = 2030;

/// Parses `ISO3=spec` edits against the world's pledges.
pub fn parse_edits(
    world: &World,
    edits: &[String],
) -> Result<BTreeMap<String, Pledge>, PledgeError> {
    let mut out = BTreeMap::new();
    for e in edits {
        let (code, spec) = split_edit(e)?;
        let c = world.country(&code).ok_or(PledgeError::Unknown {
            kind: "country (no emissions history)",
            name: code.clone(),
        })?;
        let prev = out.get(&code).cloned().or(c.pledge.clone());
        out.insert(code, apply_edit(prev.as_ref(), &spec)?);
    }
    Ok(out)
}

/// One policy scenario's result.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioResult {
    /// Which policy.
    pub policy: Policy,
    /// National pathways.
    pub national: NationalPaths,
    /// Global fossil CO2 from the jump-off year, Mt CO2/yr.
    pub global: Series,
    /// Climate outcome.
    pub outcome: Outcome,
}

/// The comparison of the three policies.
#[derive(Debug, Clone, PartialEq)]
pub struct PledgesReport {
    /// Jump-off year.
    pub jump_off: i32,
    /// Edits applied in the user scenario.
    pub edits: BTreeMap<String, Pledge>,
    /// Current policies, NDCs, user scenario.
    pub scenarios: Vec<ScenarioResult>,
}

/// Runs the three policies (the user scenario only when there are edits).
pub fn pledges_report(
    world: &World,
    edits: &BTreeMap<String, Pledge>,
    s: &Settings,
    cs: &ClimateSettings,
) -> Result<PledgesReport, PledgeError> {
    let mut policies = vec![Policy::CurrentPolicies, Policy::Ndcs];
    if !edits.is_empty() {
        policies.push(Policy::User);
    }
    let mut scenarios = Vec::new();
    let mut jump = None;
    for policy in policies {
        let national = national_paths(&world.countries, policy, edits, s);
        let global = global_path(&national, s).ok_or(PledgeError::NoHistory {
            iso3: "world".into(),
            detail: " (no country pathway)".into(),
        })?;
        jump = common_jump_off(&national);
        let outcome = climate_outcome(&global, s.horizon, cs)?;
        scenarios.push(ScenarioResult {
            policy,
            national,
            global,
            outcome,
        });
    }
    Ok(PledgesReport {
        jump_off: jump.unwrap_or(0),
        edits: edits.clone(),
        scenarios,
    })
}

/// Fair shares of every country, for the rating year.
pub fn fair_shares(world: &World, s: &Settings) -> Result<FairShares, PledgeError> {
    let cp = national_paths(
        &world.countries,
        Policy::CurrentPolicies,
        &BTreeMap::new(),
        s,
    );
    let y0 = common_jump_off(&cp).ok_or(PledgeError::NoHistory {
        iso3: "world".into(),
        detail: String::new(),
    })?;
    let countries: Vec<_> = world
        .countries
        .iter()
        .filter(|c| c.iso3 != crate::aggregate::BUNKERS)
        .cloned()
        .collect();
    FairShares::compute(Universe::new(&countries, &cp.paths, y0, RATING_YEAR))
}

/// One country's rating.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    /// Emissions in the rating year under the pledge pathway, Mt CO2.
    pub assessed: f64,
    /// Fair-share thresholds (upper end of each level's range).
    pub fair_thresholds: [f64; 4],
    /// Modelled domestic pathway thresholds.
    pub domestic_thresholds: [f64; 4],
    /// Band against fair shares.
    pub fair: Band,
    /// Band against the domestic pathways.
    pub domestic: Band,
    /// The worse of the two (a pledge must meet both benchmarks for a band).
    pub overall: Band,
}

/// Everything a country page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryReport {
    /// Progress against the NDC (history, target, gap, arrow).
    pub progress: Progress,
    /// Current-policies pathway.
    pub current_policies: Pathway,
    /// NDC (or edited) pledge pathway.
    pub pledge_pathway: Option<Pathway>,
    /// Fair shares in the rating year (None when the country lacks population or GDP).
    pub fair_shares: Option<Vec<FairShare>>,
    /// The rating (None without fair shares).
    pub rating: Option<Rating>,
}

/// A country's report; `edit` replaces or amends its NDC pledge; `shares` from
/// [`fair_shares`] (computed once for many countries).
pub fn country_report(
    world: &World,
    iso3: &str,
    edit: Option<&Pledge>,
    s: &Settings,
    shares: &FairShares,
) -> Result<CountryReport, PledgeError> {
    let c = world.country(iso3).ok_or(PledgeError::Unknown {
        kind: "country (no emissions history)",
        name: iso3.to_string(),
    })?;
    let pledge = edit.or(c.pledge.as_ref());
    let prog = progress(c, pledge, s)?;
    let cp = current_policies(c, s)?;
    let pp = match pledge {
        Some(p) => Some(pledge_pathway(c, p, s)?),
        None => None,
    };
    let fs = shares.of(iso3);
    let rating = match &fs {
        Some(fs) => {
            let assessed = pp
                .as_ref()
                .and_then(|p| p.at(RATING_YEAR))
                .or_else(|| cp.at(RATING_YEAR))
                .unwrap_or(cp.jump_off.1);
            let mut fair_thresholds = [0.0; 4];
            let mut domestic_thresholds = [0.0; 4];
            let y0 = shares.universe.y0;
            let e0 = c.co2.get(y0).unwrap_or(cp.jump_off.1);
            for (i, level) in LEVELS.iter().enumerate() {
                fair_thresholds[i] = fs[i].range.1;
                domestic_thresholds[i] = e0 * benchmark_ratio(level, y0, RATING_YEAR)?;
            }
            let fair = band(assessed, fair_thresholds);
            let domestic = band(assessed, domestic_thresholds);
            Some(Rating {
                assessed,
                fair_thresholds,
                domestic_thresholds,
                fair,
                domestic,
                overall: fair.max(domestic),
            })
        }
        None => None,
    };
    Ok(CountryReport {
        progress: prog,
        current_policies: cp,
        pledge_pathway: pp,
        fair_shares: fs,
        rating,
    })
}

/// Progress of a bloc from `country_groups` (e.g. `european-union`, `g20`, `aosis`, `ldc`).
pub fn bloc_report(world: &World, id: &str, s: &Settings) -> Result<BlocProgress, PledgeError> {
    let members = world.groups.get(id).ok_or(PledgeError::Unknown {
        kind: "bloc (country_groups.group_id)",
        name: id.to_string(),
    })?;
    bloc_progress(id, members, &world.countries, s)
}

/// The largest emitters in the jump-off year, largest first. States whose data end more than
/// [`STALE_YEARS`](crate::aggregate::STALE_YEARS) before the latest jump-off (the USSR,
/// Yugoslavia) are not among them, as they are not in the aggregator.
pub fn largest_emitters(world: &World, s: &Settings, n: usize) -> Vec<(String, f64)> {
    let latest = crate::aggregate::latest_jump_off(&world.countries, s);
    let mut v: Vec<(String, f64)> = world
        .countries
        .iter()
        .filter(|c| c.iso3 != crate::aggregate::BUNKERS)
        .filter_map(|c| {
            crate::aggregate::current_jump_off(c, s, latest)
                .ok()
                .map(|(_, e)| (c.iso3.clone(), e))
        })
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    v.truncate(n);
    v
}
