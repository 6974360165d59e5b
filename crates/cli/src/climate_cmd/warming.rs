//! `attache climate warming`: one scenario through the emulator, optionally as an ensemble.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use attache_climate::calibration::ParamSet;
use attache_climate::ensemble::{LEVELS, Spread, run_ensemble, sample};
use attache_climate::{Emissions, Scenario, parse_rcmip_csv, parse_rcp_csv};
use clap::Args;

use super::Format;

#[derive(Args)]
pub struct WarmingArgs {
    /// A built-in scenario (rcp26, rcp45, rcp60, rcp85, ssp119, ssp126, ssp245, ssp370,
    /// ssp585) or a file: an RCP `*_EMISSIONS.csv` table or an RCMIP wide emissions table
    /// (with one scenario, or name it with --rcmip-scenario).
    #[arg(long)]
    scenario: String,
    /// The scenario to take from an RCMIP file with several.
    #[arg(long)]
    rcmip_scenario: Option<String>,
    /// Parameters: fair16 (FaIR 1.6.4 defaults), calibrated (TCR/ECS fitted to AR6 SPM.1),
    /// calibrated-hist (also fitted to observed warming and CO2), three-layer (FaIR 2 style
    /// energy balance).
    #[arg(long, default_value = "fair16", value_parser = |s: &str| s.parse::<ParamSet>())]
    params: ParamSet,
    /// Ensemble members (parameter uncertainty); adds the 5/17/50/83/95% quantile columns.
    #[arg(long)]
    ensemble: Option<usize>,
    /// Seed of the ensemble draws.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// First year printed.
    #[arg(long, default_value_t = 1850)]
    from: i32,
    /// Last year printed (default: 2100, or the scenario's last year if earlier).
    #[arg(long)]
    to: Option<i32>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// The scenario's emissions and its label.
fn scenario(args: &WarmingArgs) -> Result<(Emissions, String)> {
    if let Ok(s) = args.scenario.parse::<Scenario>() {
        return Ok((s.emissions()?, s.label().to_string()));
    }
    let path = PathBuf::from(&args.scenario);
    if !path.exists() {
        let ids: Vec<&str> = Scenario::ALL.iter().map(|s| s.id()).collect();
        bail!(
            "`{}` is neither a built-in scenario ({}) nor a file",
            args.scenario,
            ids.join(", ")
        );
    }
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    if text.starts_with("Model,Scenario,") {
        let table = parse_rcmip_csv(&text)
            .with_context(|| format!("parsing {} as an RCMIP table", path.display()))?;
        let names = table.scenarios();
        let name = match (&args.rcmip_scenario, names.as_slice()) {
            (Some(n), _) => n.clone(),
            (None, [one]) => one.to_string(),
            (None, many) => bail!(
                "{} holds several scenarios ({}): choose one with --rcmip-scenario",
                path.display(),
                many.join(", ")
            ),
        };
        let start = table.years().first().copied().unwrap_or(1750).max(1765);
        let e = table
            .emissions(&name, start)
            .with_context(|| format!("{}: scenario {name}", path.display()))?;
        return Ok((e, format!("{name} ({})", path.display())));
    }
    let e = parse_rcp_csv(&text)
        .with_context(|| format!("parsing {} as an RCP emissions table", path.display()))?;
    Ok((e, path.display().to_string()))
}

pub fn run_args(args: &WarmingArgs) -> Result<String> {
    let (e, label) = scenario(args)?;
    let p = args.params.params();
    let out = attache_climate::run(&e, &p)
        .context("running the emulator")?
        .rebased(1850..=1900)
        .context("rebasing to 1850-1900")?;
    let last = *out.years.last().unwrap_or(&2100.0) as i32;
    let to = args.to.unwrap_or(2100.min(last));
    let rows: Vec<usize> = (0..out.years.len())
        .filter(|i| out.years[*i] >= f64::from(args.from) && out.years[*i] <= f64::from(to))
        .collect();
    if rows.is_empty() {
        bail!(
            "no model years in {}..={to} (the scenario covers {}..={last})",
            args.from,
            out.years[0]
        );
    }
    let quantiles = match args.ensemble {
        Some(0) => bail!("--ensemble needs at least one member"),
        Some(n) => {
            let members = sample(&p, &Spread::default(), n, args.seed);
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            let ens = run_ensemble(&e, &members, (1850, 1900), threads)
                .context("running the ensemble")?;
            Some(ens.temperature_quantiles(&LEVELS))
        }
        None => None,
    };
    let mean = out.mean_temperature(2081..=2100);
    let mut s = String::new();
    match args.format {
        Format::Csv => {
            s.push_str("year,temperature_c,co2_ppm");
            if quantiles.is_some() {
                s.push_str(",temperature_p05,temperature_p17,temperature_p50,temperature_p83,temperature_p95");
            }
            s.push('\n');
            for i in &rows {
                let _ = write!(
                    s,
                    "{},{:.4},{:.3}",
                    out.years[*i], out.temperature[*i], out.concentration_co2_ppm[*i]
                );
                if let Some(q) = &quantiles {
                    for v in &q[*i] {
                        let _ = write!(s, ",{v:.4}");
                    }
                }
                s.push('\n');
            }
        }
        Format::Json => {
            let years: Vec<i64> = rows.iter().map(|i| out.years[*i] as i64).collect();
            let mut doc = serde_json::json!({
                "scenario": label,
                "params": args.params.id(),
                "baseline": "1850-1900",
                "warming_2081_2100": mean,
                "year": years,
                "temperature_c": rows.iter().map(|i| out.temperature[*i]).collect::<Vec<_>>(),
                "co2_ppm": rows.iter().map(|i| out.concentration_co2_ppm[*i]).collect::<Vec<_>>(),
            });
            if let Some(q) = &quantiles {
                doc["ensemble"] = serde_json::json!({
                    "members": args.ensemble,
                    "seed": args.seed,
                    "levels": LEVELS,
                    "temperature_quantiles": rows.iter().map(|i| q[*i].clone()).collect::<Vec<_>>(),
                });
            }
            s = serde_json::to_string_pretty(&doc)?;
            s.push('\n');
        }
        Format::Table => {
            let _ = writeln!(
                s,
                "{label}, parameters {}; temperature vs 1850-1900",
                args.params.id()
            );
            if let Some(m) = mean {
                let _ = writeln!(s, "2081-2100 mean warming: {m:.2} °C");
            }
            let _ = write!(s, "{:>6} {:>9} {:>9}", "year", "temp °C", "CO2 ppm");
            if quantiles.is_some() {
                let _ = write!(
                    s,
                    " {:>7} {:>7} {:>7} {:>7} {:>7}",
                    "5%", "17%", "50%", "83%", "95%"
                );
            }
            s.push('\n');
            for i in &rows {
                let _ = write!(
                    s,
                    "{:>6} {:>9.3} {:>9.1}",
                    out.years[*i], out.temperature[*i], out.concentration_co2_ppm[*i]
                );
                if let Some(q) = &quantiles {
                    for v in &q[*i] {
                        let _ = write!(s, " {v:>7.3}");
                    }
                }
                s.push('\n');
            }
        }
    }
    Ok(s)
}

pub fn run(args: WarmingArgs) -> Result<ExitCode> {
    crate::emit(&run_args(&args)?);
    Ok(ExitCode::SUCCESS)
}
