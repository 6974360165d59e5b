//! `attache climate warming`: one scenario through the emulator, optionally as an ensemble.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use attache_climate::calibration::ParamSet;
use attache_climate::constraint::{Constraint, Selection};
use attache_climate::ensemble::{LEVELS, Spread, all_threads, sampled_ensemble};
use attache_climate::{Emissions, Scenario, parse_rcmip_csv, parse_rcp_csv};
use clap::{Args, ValueEnum};

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
    /// Observational constraint on the ensemble (with --ensemble N). `none`: the N members
    /// are drawn around the parameter set. `observed`: candidates are drawn from the same
    /// stream and kept with probability exp(-z²/2), z = (their 2011-2020 warming vs
    /// 1850-1900 − 1.09 K) / 0.076 K (AR6 WG1 SPM A.1.2, very likely 0.95-1.20 K), until N
    /// are kept; the test runs the scenario's emissions up to 2020 only, so nothing later
    /// affects which members are kept (the scenario must reach 2020). `observed-co2`: also
    /// NOAA's CO2 in 2014, 397.15 ± 2 ppm (4-8 times the candidates). See
    /// docs/CLIMATE_METHOD.md, "Ensembles".
    #[arg(long, value_enum, default_value_t = ConstraintArg::None)]
    constraint: ConstraintArg,
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

/// Values of `--constraint`.
#[derive(Clone, Copy, Debug, ValueEnum, Default, PartialEq, Eq)]
pub enum ConstraintArg {
    /// Unconstrained.
    #[default]
    None,
    /// AR6 observed warming 2011-2020.
    Observed,
    /// AR6 observed warming 2011-2020 and NOAA CO2 2014.
    ObservedCo2,
}

impl ConstraintArg {
    fn id(self) -> &'static str {
        match self {
            ConstraintArg::None => "none",
            ConstraintArg::Observed => "observed",
            ConstraintArg::ObservedCo2 => "observed-co2",
        }
    }

    fn constraint(self) -> Option<Constraint> {
        match self {
            ConstraintArg::None => None,
            ConstraintArg::Observed => Some(Constraint::observed_warming()),
            ConstraintArg::ObservedCo2 => Some(Constraint::observed_warming_and_co2()),
        }
    }
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
    let constraint = args.constraint.constraint();
    if constraint.is_some() && args.ensemble.is_none() {
        bail!("--constraint {} needs --ensemble N", args.constraint.id());
    }
    let mut selection: Option<Selection> = None;
    let quantiles = match args.ensemble {
        Some(0) => bail!("--ensemble needs at least one member"),
        Some(n) => {
            let ens = match &constraint {
                None => sampled_ensemble(&e, &p, n, args.seed).context("running the ensemble")?,
                Some(c) => {
                    let ce = c
                        .run_ensemble(&e, &p, &Spread::default(), n, args.seed, all_threads())
                        .context("running the constrained ensemble")?;
                    selection = Some(ce.selection);
                    ce.ensemble
                }
            };
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
                    "constraint": args.constraint.id(),
                });
                if let (Some(c), Some(sel)) = (&constraint, &selection) {
                    doc["ensemble"]["observations"] = c
                        .observed
                        .iter()
                        .map(
                            |o| serde_json::json!({"label": o.label, "value": o.value, "sd": o.sd}),
                        )
                        .collect();
                    doc["ensemble"]["candidates"] = sel.candidates().into();
                    doc["ensemble"]["acceptance_rate"] = sel.acceptance_rate().into();
                    doc["ensemble"]["weighted_ess"] = sel.weighted_ess().into();
                }
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
            if let (Some(c), Some(sel)) = (&constraint, &selection) {
                let labels: Vec<String> = c
                    .observed
                    .iter()
                    .map(|o| format!("{} = {} ± {:.3}", o.label, o.value, o.sd))
                    .collect();
                let _ = writeln!(
                    s,
                    "ensemble constrained by {}: {} of {} candidates kept ({:.1}%)",
                    labels.join("; "),
                    sel.members.len(),
                    sel.candidates(),
                    100.0 * sel.acceptance_rate()
                );
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
