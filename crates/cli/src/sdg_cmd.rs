//! `attache sdg index` and `attache risk inform`: the SDG Index and INFORM Risk recomputed from
//! their published parts in the synced store (`attache_store::index_inputs`), with the
//! publisher's figure beside ours. The rules live in `attache-indices` (no IO).
//!
//! - `sdg index`: per country the index, its 17 goals, whether it is ranked (at most 20% of the
//!   goals missing, the SDR's coverage rule applied at goal level) and its rank. From the SDR
//!   2023 table (`--report sdr2023`) the index is the mean of the 17 goals with a missing goal
//!   filled by its SDR region's mean (which reproduces every published score); from the
//!   2000-2022 series (`--year`) a goal written as 0 is missing and the index is the mean of the
//!   others (see `attache_indices::sdg` for why, and the rows where the published index is
//!   neither).
//! - `risk inform`: per country INFORM Risk, its three dimensions and class computed from the
//!   22 components by the JRC's aggregation, the published risk and the lack-of-reliability
//!   index beside them.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use arrow::array::{ArrayRef, BooleanArray, Float64Array, Int64Array, StringArray};
use attache_indices::inform::{Rounding, compute};
use attache_indices::sdg::GOALS;
use clap::{Args, Subcommand, ValueEnum};

use crate::output::{OutputArgs, batch, write};

#[derive(Subcommand)]
pub enum SdgCommand {
    /// The SDG Index per country, recomputed from the goal scores, ranked.
    Index(SdgIndexArgs),
    /// Allocate a budget across countries and goals by linear programming on the SDR 2023
    /// goal scores: the weakest goals first, under the returns you state; prints the money and
    /// expected gains per country and what binds, with shadow prices.
    Allocate(AllocateArgs),
}

#[derive(Args)]
pub struct AllocateArgs {
    /// The plan: 'budget N; countries A,B,..; returns RATExWIDTH,..' and optionally '; cap N;
    /// goals G,..; floor N; objective weighted|unweighted', e.g. 'budget 100; countries
    /// TCD,NER,MLI; returns 0.5x10,0.25x10; cap 40'. The returns (score points per money unit,
    /// for so many units) are your judgement: the tool optimises them, it does not know them.
    #[arg(long)]
    plan: String,
    #[command(flatten)]
    out: OutputArgs,
    #[command(flatten)]
    data: crate::DataDir,
}

#[derive(Subcommand)]
pub enum RiskCommand {
    /// INFORM Risk per country, recomputed from its 22 components.
    Inform(InformArgs),
}

/// Which SDSN table.
#[derive(Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum Report {
    /// The SDG Index series 2000-2022 (one year: --year).
    #[default]
    Series,
    /// The Sustainable Development Report 2023 table.
    Sdr2023,
}

#[derive(Args)]
pub struct SdgIndexArgs {
    /// The table to read.
    #[arg(long, value_enum, default_value_t = Report::Series)]
    report: Report,
    /// The year of the series (default: its last).
    #[arg(long)]
    year: Option<i32>,
    #[command(flatten)]
    out: OutputArgs,
    #[command(flatten)]
    data: crate::DataDir,
}

#[derive(Args)]
pub struct InformArgs {
    /// Only this country (ISO3 or any code or name `attache country` knows).
    #[arg(long)]
    country: Option<String>,
    #[command(flatten)]
    out: OutputArgs,
    #[command(flatten)]
    data: crate::DataDir,
}

pub fn run_sdg(cmd: SdgCommand) -> Result<ExitCode> {
    match cmd {
        SdgCommand::Index(a) => sdg_index(a),
        SdgCommand::Allocate(a) => allocate(a),
    }
}

pub fn run_risk(cmd: RiskCommand) -> Result<ExitCode> {
    match cmd {
        RiskCommand::Inform(a) => inform(a),
    }
}

fn sdg_index(a: SdgIndexArgs) -> Result<ExitCode> {
    let store = a.data.store()?;
    let v = store.require_current()?;
    let rt = crate::runtime()?;
    let lines = match a.report {
        Report::Sdr2023 => {
            if a.year.is_some() {
                bail!("--year is for --report series; the SDR 2023 table has one year");
            }
            let rows = rt
                .block_on(attache_store::index_inputs::sdr_2023(&v))
                .with_context(|| format!("reading the SDR 2023 table of vintage {}", v.id))?;
            attache_store::index_inputs::sdr_lines(&rows).map_err(anyhow::Error::msg)?
        }
        Report::Series => {
            let all = rt
                .block_on(attache_store::index_inputs::sdg_series(&v))
                .with_context(|| format!("reading the SDG Index series of vintage {}", v.id))?;
            let last = all
                .iter()
                .map(|r| r.year)
                .max()
                .context("the series is empty")?;
            let year = a.year.unwrap_or(last);
            let lines =
                attache_store::index_inputs::series_lines(all.iter().filter(|r| r.year == year));
            if lines.is_empty() {
                bail!("--year {year}: the series has no row for it (its last year is {last})");
            }
            lines
        }
    };
    let mut fields: Vec<(String, ArrayRef)> = vec![
        (
            "iso3".into(),
            Arc::new(StringArray::from_iter_values(
                lines.iter().map(|l| l.iso3.as_str()),
            )),
        ),
        (
            "year".into(),
            Arc::new(Int64Array::from_iter_values(
                lines.iter().map(|l| i64::from(l.year)),
            )),
        ),
        (
            "index".into(),
            Arc::new(Float64Array::from(
                lines.iter().map(|l| l.index).collect::<Vec<_>>(),
            )),
        ),
        (
            "published_index".into(),
            Arc::new(Float64Array::from(
                lines.iter().map(|l| l.published).collect::<Vec<_>>(),
            )),
        ),
    ];
    for g in 0..GOALS {
        fields.push((
            format!("goal_{}", g + 1),
            Arc::new(Float64Array::from(
                lines.iter().map(|l| l.goals[g]).collect::<Vec<_>>(),
            )),
        ));
    }
    fields.push((
        "ranked".into(),
        Arc::new(BooleanArray::from(
            lines.iter().map(|l| l.ranked).collect::<Vec<_>>(),
        )),
    ));
    fields.push((
        "rank".into(),
        Arc::new(Int64Array::from(
            lines
                .iter()
                .map(|l| l.rank.map(|r| r as i64))
                .collect::<Vec<_>>(),
        )),
    ));
    write(&[batch(fields)?], &a.out)?;
    Ok(ExitCode::SUCCESS)
}

fn inform(a: InformArgs) -> Result<ExitCode> {
    let store = a.data.store()?;
    let v = store.require_current()?;
    let mut rows = crate::runtime()?
        .block_on(attache_store::index_inputs::inform(&v))
        .with_context(|| format!("reading INFORM Risk of vintage {}", v.id))?;
    if let Some(q) = &a.country {
        let iso3 = attache_core::Crosswalk::global().find(q)?.iso3.clone();
        rows.retain(|r| r.iso3 == iso3);
        if rows.is_empty() {
            bail!("--country {q:?}: {iso3} is not in INFORM Risk 2025");
        }
    }
    let scores = rows
        .iter()
        .map(|r| compute(&r.components, Rounding::Published).with_context(|| r.iso3.clone()))
        .collect::<Result<Vec<_>>>()?;
    let f = |get: &dyn Fn(usize) -> Option<f64>| -> ArrayRef {
        Arc::new(Float64Array::from(
            (0..rows.len()).map(get).collect::<Vec<_>>(),
        ))
    };
    let fields: Vec<(String, ArrayRef)> = vec![
        (
            "iso3".into(),
            Arc::new(StringArray::from_iter_values(
                rows.iter().map(|r| r.iso3.as_str()),
            )),
        ),
        ("risk".into(), f(&|i| Some(scores[i].risk))),
        (
            "hazard_exposure".into(),
            f(&|i| Some(scores[i].hazard_exposure)),
        ),
        (
            "vulnerability".into(),
            f(&|i| Some(scores[i].vulnerability)),
        ),
        (
            "lack_of_coping_capacity".into(),
            f(&|i| Some(scores[i].lack_of_coping_capacity)),
        ),
        (
            "class".into(),
            Arc::new(StringArray::from_iter_values(
                scores.iter().map(|s| s.class.label()),
            )),
        ),
        ("published_risk".into(), f(&|i| rows[i].risk)),
        (
            "published_hazard_exposure".into(),
            f(&|i| rows[i].hazard_exposure),
        ),
        (
            "published_vulnerability".into(),
            f(&|i| rows[i].vulnerability),
        ),
        (
            "published_lack_of_coping_capacity".into(),
            f(&|i| rows[i].lack_of_coping_capacity),
        ),
        (
            "published_class".into(),
            Arc::new(StringArray::from(
                rows.iter().map(|r| r.class.clone()).collect::<Vec<_>>(),
            )),
        ),
        (
            "lack_of_reliability".into(),
            f(&|i| rows[i].lack_of_reliability),
        ),
    ];
    write(&[batch(fields)?], &a.out)?;
    Ok(ExitCode::SUCCESS)
}

fn allocate(a: AllocateArgs) -> Result<ExitCode> {
    let plan: attache_indices::plan::Plan = a
        .plan
        .parse()
        .with_context(|| format!("--plan {:?}", a.plan))?;
    let store = a.data.store()?;
    let v = store.require_current()?;
    let rows = crate::runtime()?
        .block_on(attache_store::index_inputs::sdr_2023(&v))
        .with_context(|| format!("reading the SDR 2023 table of vintage {}", v.id))?;
    let scores: std::collections::BTreeMap<_, _> =
        rows.into_iter().map(|r| (r.iso3, r.goals)).collect();
    let p = attache_indices::plan::AllocationPredictor::new(scores, &v.id, 2023);
    let (problem, alloc) = p.solve(&plan).context("solving the allocation")?;
    let n = problem.countries.len();
    let (mut amount, mut gain) = (vec![0.0; n], vec![0.0; n]);
    for ((c, x), g) in problem.cells.iter().zip(&alloc.amounts).zip(&alloc.gains) {
        amount[c.country] += x;
        gain[c.country] += g;
    }
    let fields: Vec<(String, ArrayRef)> = vec![
        (
            "iso3".into(),
            Arc::new(StringArray::from_iter_values(
                problem.countries.iter().map(String::as_str),
            )),
        ),
        ("amount".into(), Arc::new(Float64Array::from(amount))),
        (
            "score_points".into(),
            Arc::new(Float64Array::from(gain.clone())),
        ),
        (
            "index_gain".into(),
            Arc::new(Float64Array::from(
                gain.iter().map(|g| g / GOALS as f64).collect::<Vec<_>>(),
            )),
        ),
    ];
    write(&[batch(fields)?], &a.out)?;
    if matches!(a.out.format, crate::output::Format::Table) {
        for line in alloc.explain(&problem) {
            println!("{line}");
        }
        println!("{}", attache_core::outcome::REFERENCE_LABEL);
    }
    Ok(ExitCode::SUCCESS)
}
