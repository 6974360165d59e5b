//! `attache indices inform`: the INFORM Risk index of a country recomputed from the 22
//! published components (`attache_indices::inform`, which reproduces all 191 published risks),
//! with the published figure beside ours, the drivers in words (the fall in risk a one-point
//! improvement of each component would bring) and what-ifs on the three dimensions. Reads the
//! published table (`INFORM_Risk_2025_v070_main.csv`, the workbook's a-z sheet as CSV).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use attache_indices::inform::{
    Change, Components, Dimension, Rounding, compute, drivers, explain_drivers, what_if,
};
use clap::{Args, Subcommand};

#[derive(Subcommand)]
pub enum IndicesCommand {
    /// INFORM Risk of one country from its published components: our recomputation beside the
    /// published figure, the drivers in words, and what-ifs.
    Inform(InformArgs),
}

#[derive(Args)]
pub struct InformArgs {
    /// The published INFORM table as CSV (one row per country: ISO3, the components and the
    /// published aggregates), e.g. inform/INFORM_Risk_2025_v070_main.csv of the data mirror.
    #[arg(long)]
    input: PathBuf,
    /// The country (ISO3 or any code or name `attache country` knows).
    #[arg(long)]
    country: String,
    /// A dimension moved by DELTA points (negative: better), repeatable:
    /// hazard=-1, vulnerability=-0.5, coping=-1 (lack of coping capacity).
    #[arg(long = "what-if", value_name = "DIMENSION=DELTA")]
    what_if: Vec<String>,
    /// How many drivers to name.
    #[arg(long, default_value_t = 3)]
    drivers: usize,
}

pub fn run(cmd: IndicesCommand) -> Result<ExitCode> {
    match cmd {
        IndicesCommand::Inform(a) => inform(a),
    }
}

fn change(text: &str) -> Result<Change> {
    let (k, v) = text
        .split_once('=')
        .with_context(|| format!("--what-if {text:?}: expected DIMENSION=DELTA, e.g. coping=-1"))?;
    let d = match k.trim() {
        "hazard" => Dimension::HazardExposure,
        "vulnerability" => Dimension::Vulnerability,
        "coping" => Dimension::LackOfCopingCapacity,
        other => {
            bail!("--what-if {text:?}: dimension {other:?} is not hazard, vulnerability or coping")
        }
    };
    let delta: f64 = v
        .trim()
        .parse()
        .ok()
        .filter(|x: &f64| x.is_finite())
        .with_context(|| format!("--what-if {text:?}: {v:?} is not a number of points"))?;
    Ok(Change::Dimension(d, delta))
}

fn inform(a: InformArgs) -> Result<ExitCode> {
    let changes: Vec<Change> = a.what_if.iter().map(|t| change(t)).collect::<Result<_>>()?;
    let iso3 = attache_core::Crosswalk::global()
        .find(&a.country)?
        .iso3
        .clone();
    let mut r = csv::Reader::from_path(&a.input)
        .with_context(|| format!("reading {}", a.input.display()))?;
    let headers = r
        .headers()
        .with_context(|| format!("reading the header of {}", a.input.display()))?
        .clone();
    let iso_col = headers
        .iter()
        .position(|h| h == "ISO3")
        .with_context(|| format!("{}: no ISO3 column", a.input.display()))?;
    let mut found = None;
    for (i, rec) in r.records().enumerate() {
        let rec = rec.with_context(|| format!("{}: line {}", a.input.display(), i + 2))?;
        if rec.get(iso_col).map(str::trim) == Some(iso3.as_str()) {
            found = Some((i + 2, rec));
            break;
        }
    }
    let Some((line, rec)) = found else {
        bail!("{}: no row for {iso3}", a.input.display());
    };
    let cell = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .and_then(|j| rec.get(j))
    };
    let c = Components::from_cells(cell)
        .with_context(|| format!("{}: line {line} ({iso3})", a.input.display()))?;
    let s = compute(&c, Rounding::Published)
        .with_context(|| format!("computing INFORM risk for {iso3}"))?;
    let published = cell("INFORM RISK").map(str::trim).unwrap_or("not given");
    let mut out = String::new();
    out.push_str(&format!(
        "{iso3}: INFORM risk {:.1} ({}), recomputed from the published components; published {published}\n",
        s.risk,
        s.class.label()
    ));
    out.push_str(&format!(
        "  hazard & exposure {:.1}, vulnerability {:.1}, lack of coping capacity {:.1}\n",
        s.hazard_exposure, s.vulnerability, s.lack_of_coping_capacity
    ));
    out.push_str(&format!(
        "  {}\n",
        explain_drivers(&drivers(&c)?, a.drivers)
    ));
    if !changes.is_empty() {
        out.push_str(&format!("  {}\n", what_if(&c, &changes)?.explain()));
    }
    out.push_str("  (reference: INFORM is a composite of published indicators; the system advises, a person decides)\n");
    crate::emit(&out);
    Ok(ExitCode::SUCCESS)
}
