//! `attache climate pledges | country | bloc`: the policy reports of `attache-pledges`,
//! printed as text or JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use attache_climate::Scenario;
use attache_climate::calibration::ParamSet;
use attache_pledges::aggregate::{ClimateSettings, Outcome};
use attache_pledges::monitor::BlocProgress;
use attache_pledges::ndc::{Pledge, apply_edit};
use attache_pledges::pathway::Settings;
use attache_pledges::report::{
    CountryReport, PledgesReport, RATING_YEAR, bloc_report, country_report, fair_shares,
    largest_emitters, parse_edits, pledges_report,
};
use attache_pledges::{Series, World};
use clap::Args;
use serde_json::{Value, json};

use super::Format;
use crate::DataDir;

/// Pathway options shared by the policy commands.
#[derive(Args, Clone)]
pub struct PathwayArgs {
    /// Use the conditional (more ambitious) end of pledged ranges.
    #[arg(long)]
    conditional: bool,
    /// Years over which the current-policies trend fades to zero growth.
    #[arg(long, default_value_t = 30)]
    fade_years: i32,
    /// Output format (table or json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

impl PathwayArgs {
    fn settings(&self) -> Settings {
        Settings {
            conditional: self.conditional,
            fade_years: self.fade_years,
            ..Settings::default()
        }
    }
}

#[derive(Args)]
pub struct PledgesArgs {
    /// Edit a pledge for the user scenario: ISO3=spec (or a country name: India=...), spec = comma-separated base:YEAR,
    /// cut:PCT, by:YEAR | bau:PCT,by:YEAR | intensity:PCT,base:YEAR,by:YEAR | peak:YEAR |
    /// level:MTCO2,by:YEAR | none, plus netzero:YEAR, decline:PCT. Repeatable.
    #[arg(long = "edit")]
    edits: Vec<String>,
    /// Reference scenario for land-use CO2 and the other gases.
    #[arg(long, default_value = "ssp245", value_parser = |s: &str| s.parse::<Scenario>())]
    reference: Scenario,
    /// Emulator parameters.
    #[arg(long, default_value = "calibrated-hist", value_parser = |s: &str| s.parse::<ParamSet>())]
    params: ParamSet,
    /// Ensemble members for the likely range (0: none).
    #[arg(long, default_value_t = 200)]
    ensemble: usize,
    #[command(flatten)]
    pathway: PathwayArgs,
    #[command(flatten)]
    data: DataDir,
}

/// The ISO3 key of the country a user named, by the one resolver of every command
/// (`Crosswalk::find`: any code or name `attache country` understands, with "did you mean" when
/// nothing matches). A key of the policy world is taken as it is.
fn resolve(world: &World, query: &str) -> Result<String> {
    let key = query.trim().to_ascii_uppercase();
    if world.country(&key).is_some() {
        return Ok(key);
    }
    Ok(attache_core::Crosswalk::global().find(query)?.iso3.clone())
}

#[derive(Args)]
pub struct CountryArgs {
    /// The country: ISO alpha-3 code (CHN, USA, IND, ...) or any code or name `attache country`
    /// understands ("India", "Ivory Coast").
    #[arg(value_name = "COUNTRY")]
    country: String,
    /// Replace or amend the NDC pledge (same spec as `pledges --edit`, without `ISO3=`).
    #[arg(long)]
    edit: Option<String>,
    #[command(flatten)]
    pathway: PathwayArgs,
    #[command(flatten)]
    data: DataDir,
}

#[derive(Args)]
pub struct BlocArgs {
    /// Bloc id as in `country_groups.group_id` (european-union, g20, g7, aosis, ldc, brics,
    /// umbrella, ...); `list` prints them.
    id: String,
    #[command(flatten)]
    pathway: PathwayArgs,
    #[command(flatten)]
    data: DataDir,
}

fn gt(mt: f64) -> String {
    format!("{:.1}", mt / 1000.0)
}

fn opt_year(y: Option<i32>) -> String {
    y.map_or_else(|| "-".into(), |y| y.to_string())
}

fn series_json(s: &Series) -> Value {
    json!({"year": s.0.keys().collect::<Vec<_>>(), "mt_co2": s.0.values().collect::<Vec<_>>()})
}

fn outcome_json(o: &Outcome) -> Value {
    json!({
        "year": o.years,
        "temperature_c": o.temperature,
        "temperature_quantiles_5_17_50_83_95": o.temperature_quantiles,
        "co2_ppm": o.co2_ppm,
        "co2_emissions_gt": o.co2_emissions,
        "warming_end": o.warming_end,
        "peak": {"year": o.peak.0, "temperature_c": o.peak.1},
        "crosses_1_5": o.crosses[0],
        "crosses_2_0": o.crosses[1],
        "cumulative_co2_from_2020_gt": o.cumulative_from_2020,
        "budgets": o.budgets.iter().map(|b| json!({
            "limit_c": b.limit, "likelihood": b.likelihood, "budget_gt_from_2020": b.budget,
            "exhausted_in": b.exhausted_in,
        })).collect::<Vec<_>>(),
    })
}

fn pledges_text(r: &PledgesReport, world: &World, cs: &ClimateSettings) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Pledge aggregator: national fossil CO2 from {} (CDIAC), non-CO2 and land use from {}, emulator `{}`{}",
        r.jump_off,
        cs.reference.label(),
        cs.params.id(),
        if cs.ensemble > 0 {
            format!(", likely range from {} members", cs.ensemble)
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        s,
        "Warming vs 1850-1900; remaining budgets from 2020 (AR6 WG1 Table SPM.2)."
    );
    if cs.ensemble > 0 {
        let _ = writeln!(
            s,
            "Warming 2100: the central parameter set, then the ensemble median (the point a brief's climate outcome shows) and the likely range."
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{:<17} {:>6} {:>6} {:>6}  {:>24}  {:>12}  {:>8}  {:>9}  {:>12}  {:>12}",
        "scenario",
        "CO2 30",
        "2050",
        "2100",
        "warming 2100 (median; 17-83%)",
        "peak",
        "CO2 2100",
        "1.5/2 °C",
        "1.5°C 50% gone",
        "2°C 67% gone"
    );
    let _ = writeln!(s, "{:<17} {:>6} {:>6} {:>6}", "", "Gt/yr", "Gt/yr", "Gt/yr");
    for sc in &r.scenarios {
        let o = &sc.outcome;
        let at = |y| sc.global.get(y).map_or("-".into(), gt);
        let likely = o.temperature_quantiles.last().map_or(String::new(), |q| {
            format!(" ({:.2}; {:.1}-{:.1})", q[2], q[1], q[3])
        });
        let b = |lim: f64, lik: f64| {
            o.budgets
                .iter()
                .find(|b| b.limit == lim && b.likelihood == lik)
                .map_or("-".into(), |b| opt_year(b.exhausted_in))
        };
        let _ = writeln!(
            s,
            "{:<17} {:>6} {:>6} {:>6}  {:>24}  {:>12}  {:>8.0}  {:>9}  {:>12}  {:>12}",
            sc.policy.label(),
            at(2030),
            at(2050),
            at(2100),
            format!("{:.2}{likely}", o.warming_end),
            format!("{:.2} in {}", o.peak.1, o.peak.0),
            o.co2_ppm.last().copied().unwrap_or(f64::NAN),
            format!("{}/{}", opt_year(o.crosses[0]), opt_year(o.crosses[1])),
            b(1.5, 0.5),
            b(2.0, 0.67),
        );
    }
    if let Some(ndc) = r
        .scenarios
        .iter()
        .find(|x| x.policy == attache_pledges::aggregate::Policy::Ndcs)
    {
        let with: Vec<&String> = world
            .countries
            .iter()
            .filter(|c| c.pledge.as_ref().is_some_and(Pledge::is_quantified))
            .map(|c| &c.iso3)
            .collect();
        let _ = writeln!(
            s,
            "\nNDCs: {} of {} countries with a quantified pledge; {} countries without history left out{}",
            with.len(),
            world.countries.len(),
            ndc.national.skipped.len(),
            if ndc.national.skipped.is_empty() {
                String::new()
            } else {
                format!(
                    " ({})",
                    ndc.national
                        .skipped
                        .iter()
                        .map(|x| x.0.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        );
    }
    for (k, p) in &r.edits {
        let _ = writeln!(s, "edit {k}: {}", p.describe());
    }
    s
}

fn pledges_json(r: &PledgesReport) -> Value {
    json!({
        "jump_off": r.jump_off,
        "edits": r.edits.iter().map(|(k, p)| (k.clone(), json!(p.describe()))).collect::<serde_json::Map<_, _>>(),
        "scenarios": r.scenarios.iter().map(|sc| json!({
            "policy": sc.policy.label(),
            "global_fossil_co2": series_json(&sc.global),
            "outcome": outcome_json(&sc.outcome),
            "countries_skipped": sc.national.skipped,
        })).collect::<Vec<_>>(),
    })
}

pub fn run_pledges(a: PledgesArgs) -> Result<ExitCode> {
    if a.pathway.format == Format::Csv {
        bail!("`climate pledges` prints table or json");
    }
    let world = super::load_world(&a.data)?;
    let edits: Vec<String> = a
        .edits
        .iter()
        .map(|e| match e.split_once('=') {
            Some((who, spec)) => Ok(format!("{}={spec}", resolve(&world, who)?)),
            // parse_edits names what is wrong with it.
            None => Ok(e.clone()),
        })
        .collect::<Result<_>>()?;
    let edits = parse_edits(&world, &edits)?;
    let cs = ClimateSettings {
        params: a.params,
        reference: a.reference,
        ensemble: a.ensemble,
        ..ClimateSettings::default()
    };
    let r = pledges_report(&world, &edits, &a.pathway.settings(), &cs)
        .context("building the pledge scenarios")?;
    let out = match a.pathway.format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&pledges_json(&r))?),
        _ => pledges_text(&r, &world, &cs),
    };
    crate::emit(&out);
    Ok(ExitCode::SUCCESS)
}

/// The country report as JSON (the numbers the country page shows).
pub fn country_json(r: &CountryReport) -> Value {
    let p = &r.progress;
    json!({
        "iso3": p.iso3,
        "name": p.name,
        "unit": "Mt CO2 per year, fossil fuels and cement (CDIAC)",
        "history": series_json(&p.history),
        "jump_off": {"year": p.jump_off.0, "mt_co2": p.jump_off.1},
        "trend_per_year": p.trend,
        "arrow": p.arrow.glyph(),
        "pledge": p.pledge.as_ref().map(|x| json!({"text": x.describe(), "source": x.source})),
        "target": p.target.map(|(y, v)| json!({"year": y, "mt_co2": v})),
        "target_path": series_json(&p.target_path),
        "projected_at_target_year": p.projected,
        "gap_mt_co2": p.gap,
        "gap_share": p.gap_share(),
        "on_track": p.on_track(),
        "current_policies": series_json(&r.current_policies.series),
        "pledge_pathway": r.pledge_pathway.as_ref().map(|x| json!({"series": series_json(&x.series), "note": x.note})),
        "rating_year": RATING_YEAR,
        "fair_shares": r.fair_shares.as_ref().map(|fs| fs.iter().map(|f| json!({
            "level": f.level.label,
            "benchmark": f.level.scenario.label(),
            "global_mt_co2": f.global,
            "by_method": f.by_method.iter().map(|(m, v)| json!({"method": m.label(), "mt_co2": v})).collect::<Vec<_>>(),
            "range": [f.range.0, f.range.1],
        })).collect::<Vec<_>>()),
        "rating": r.rating.as_ref().map(|x| json!({
            "assessed_mt_co2": x.assessed,
            "fair_share_thresholds": x.fair_thresholds,
            "domestic_thresholds": x.domestic_thresholds,
            "fair_share": x.fair.label(),
            "domestic": x.domestic.label(),
            "overall": x.overall.label(),
        })),
    })
}

fn country_text(r: &CountryReport) -> String {
    let p = &r.progress;
    let mut s = String::new();
    let _ = writeln!(s, "{} ({})", p.name, p.iso3);
    let _ = writeln!(s, "Fossil CO2, Mt/yr (CDIAC, fossil fuels and cement):");
    let years: Vec<i32> = p
        .history
        .0
        .keys()
        .copied()
        .filter(|y| [1990, 2000, 2005, 2010].contains(y) || *y >= p.jump_off.0 - 4)
        .collect();
    let _ = writeln!(
        s,
        "  {}",
        years.iter().map(|y| format!("{y:>7}")).collect::<String>()
    );
    let _ = writeln!(
        s,
        "  {}",
        years
            .iter()
            .map(|y| format!("{:>7.0}", p.history.get(*y).unwrap_or(f64::NAN)))
            .collect::<String>()
    );
    let _ = writeln!(
        s,
        "Trend to {}: {:+.1}%/yr {}",
        p.jump_off.0,
        p.trend * 100.0,
        p.arrow.glyph()
    );
    match &p.pledge {
        Some(x) => {
            let _ = writeln!(s, "NDC: {}", x.describe());
            let _ = writeln!(s, "  read from {}", x.source);
        }
        None => {
            let _ = writeln!(s, "NDC: none in the NDC tables");
        }
    }
    match (p.target, p.projected, p.gap) {
        (Some((ty, tv)), Some(pr), Some(g)) => {
            let _ = writeln!(
                s,
                "Target {ty}: {tv:.0} Mt CO2 (pledge applied to fossil CO2)"
            );
            let _ = writeln!(
                s,
                "At the current trend {ty}: {pr:.0} Mt CO2; gap {g:+.0} Mt ({:+.0}%): {}",
                p.gap_share().unwrap_or(f64::NAN) * 100.0,
                if g <= 0.0 { "on track" } else { "off track" }
            );
        }
        _ => {
            let _ = writeln!(s, "Target: no quantified target; gap not defined");
        }
    }
    if let Some(pp) = &r.pledge_pathway {
        let _ = writeln!(
            s,
            "Pledge pathway ({}):",
            pp.note.trim_start_matches("pledge: ")
        );
        let _ = writeln!(
            s,
            "  {}",
            [2030, 2040, 2050, 2070, 2100]
                .iter()
                .map(|y| format!("{y}: {:.0}  ", pp.at(*y).unwrap_or(f64::NAN)))
                .collect::<String>()
        );
    }
    let _ = writeln!(
        s,
        "Current policies: {}",
        r.current_policies
            .note
            .trim_start_matches("current policies: ")
    );
    if let Some(fs) = &r.fair_shares {
        let _ = writeln!(
            s,
            "Fair share in {RATING_YEAR}, Mt CO2 (effort-sharing allocations of the global benchmark):"
        );
        let _ = writeln!(
            s,
            "  {:<6} {:>10} {:>10} {:>10} {:>10}   range",
            "level", "EPC", "C&C", "AP", "GDR"
        );
        for f in fs {
            let _ = writeln!(
                s,
                "  {:<6} {}   {:.0} to {:.0}",
                f.level.label,
                f.by_method
                    .iter()
                    .map(|(_, v)| format!("{v:>10.0} "))
                    .collect::<String>()
                    .trim_end(),
                f.range.0,
                f.range.1
            );
        }
    }
    match &r.rating {
        Some(x) => {
            let _ = writeln!(
                s,
                "Rating of the NDC ({RATING_YEAR} emissions {:.0} Mt):",
                x.assessed
            );
            let _ = writeln!(s, "  against fair share:         {}", x.fair.label());
            let _ = writeln!(s, "  against domestic pathways:  {}", x.domestic.label());
            let _ = writeln!(s, "  overall:                    {}", x.overall.label());
        }
        None => {
            let _ = writeln!(
                s,
                "Rating: not available (population or GDP per capita missing)"
            );
        }
    }
    s
}

pub fn run_country(a: CountryArgs) -> Result<ExitCode> {
    if a.pathway.format == Format::Csv {
        bail!("`climate country` prints table or json");
    }
    let world = super::load_world(&a.data)?;
    let s = a.pathway.settings();
    let iso3 = resolve(&world, &a.country)?;
    let c = world.country(&iso3).with_context(|| {
        let top: Vec<String> = largest_emitters(&world, &s, 10)
            .into_iter()
            .map(|x| x.0)
            .collect();
        format!(
            "no emissions history for `{iso3}` (largest emitters: {})",
            top.join(", ")
        )
    })?;
    let edit = match &a.edit {
        Some(spec) => Some(apply_edit(c.pledge.as_ref(), spec)?),
        None => None,
    };
    let shares = fair_shares(&world, &s).context("computing fair shares")?;
    let r = country_report(&world, &iso3, edit.as_ref(), &s, &shares)?;
    let out = match a.pathway.format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&country_json(&r))?),
        _ => country_text(&r),
    };
    crate::emit(&out);
    Ok(ExitCode::SUCCESS)
}

/// The bloc report as JSON.
pub fn bloc_json(b: &BlocProgress) -> Value {
    json!({
        "id": b.id,
        "members": b.members,
        "missing": b.missing,
        "unpledged": b.unpledged,
        "pledge_not_applied": b.not_applied.iter().map(|(c, why)| json!({"iso3": c, "reason": why})).collect::<Vec<_>>(),
        "history": series_json(&b.history),
        "trend_per_year": b.trend,
        "arrow": b.arrow.glyph(),
        "year": attache_pledges::monitor::BLOC_YEAR,
        "target_mt_co2": b.target,
        "projected_mt_co2": b.projected,
        "gap_mt_co2": b.gap(),
    })
}

pub fn run_bloc(a: BlocArgs) -> Result<ExitCode> {
    let world = super::load_world(&a.data)?;
    if a.id == "list" {
        let sizes: BTreeMap<&String, usize> =
            world.groups.iter().map(|(k, v)| (k, v.len())).collect();
        let mut s = String::new();
        for (k, n) in sizes {
            let _ = writeln!(s, "{k}\t{n} members");
        }
        crate::emit(&s);
        return Ok(ExitCode::SUCCESS);
    }
    let b = bloc_report(&world, &a.id, &a.pathway.settings())?;
    let out = match a.pathway.format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&bloc_json(&b))?),
        _ => {
            let mut s = String::new();
            let y = attache_pledges::monitor::BLOC_YEAR;
            let _ = writeln!(s, "{}: {} members with data", b.id, b.members.len());
            if !b.missing.is_empty() {
                let _ = writeln!(s, "  without emissions data: {}", b.missing.join(", "));
            }
            if let Some((ly, lv)) = b.history.last() {
                let _ = writeln!(
                    s,
                    "Fossil CO2 {ly}: {lv:.0} Mt; trend {:+.1}%/yr {}",
                    b.trend * 100.0,
                    b.arrow.glyph()
                );
            }
            let _ = writeln!(
                s,
                "{y}: pledges sum to {:.0} Mt; at the current trend {:.0} Mt; gap {:+.0} Mt",
                b.target,
                b.projected,
                b.gap()
            );
            if !b.unpledged.is_empty() {
                let _ = writeln!(
                    s,
                    "  members without a quantified pledge (at current policies): {}",
                    b.unpledged.join(", ")
                );
            }
            for (c, why) in &b.not_applied {
                let _ = writeln!(s, "  {c}: pledge not applied ({why}), at current policies");
            }
            s
        }
    };
    crate::emit(&out);
    Ok(ExitCode::SUCCESS)
}
