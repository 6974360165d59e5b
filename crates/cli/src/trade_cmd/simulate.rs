//! `attache trade simulate`: the general equilibrium of a trade-policy scenario
//! (`attache_trade::simulate`) on the store's gravity panel (`gravity_panel`, with GSDB's trade
//! sanctions as `SANCTION` when the vintage has them) or on a panel file. Prints the
//! scenario, the estimated effects it rests on and one row per country (changes in real GDP
//! and exports with their intervals, prices and resistances), as a table, CSV or JSON: the
//! same rows as the `/trade` page and `/api/v1/trade/simulate`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use attache_core::Crosswalk;
use attache_core::outcome::REFERENCE_LABEL;
use attache_trade::{Fit, Gravity, Scenario, SimRow, Simulation};
use clap::Args;

use super::Format;
use crate::DataDir;

#[derive(Args)]
pub struct SimulateArgs {
    #[command(flatten)]
    data: DataDir,
    /// The scenario, e.g. 'tariff USA on CHN 25%', 'rta-add CHN,JPN', 'rta-remove CAN,MEX,USA',
    /// 'border-remove DEU,FRA', 'sanction USA,GBR on IRN', 'sanction-lift USA on IRN' (ISO3
    /// codes; several shocks joined by ';').
    #[arg(long)]
    scenario: String,
    /// A panel file (.dta, .csv or .parquet with exporter, importer, year, trade, RTA, and
    /// optionally SANCTION, DIST, CNTG, LANG, CLNY) instead of the store's gravity panel.
    #[arg(long)]
    input: Option<PathBuf>,
    /// The baseline year (default: the panel's last).
    #[arg(long)]
    baseline_year: Option<i64>,
    /// First-stage years: the baseline and every N-th year from it (the Guide uses 4).
    #[arg(long, default_value_t = 4)]
    interval: i64,
    /// Elasticity of substitution.
    #[arg(long, default_value_t = 7.0)]
    sigma: f64,
    /// Only this country's row (ISO3 or any code or name `attache country` knows).
    #[arg(long)]
    country: Option<String>,
    /// Rows of the table format (largest change in real GDP first); csv and json give all.
    #[arg(long, default_value_t = 20)]
    top: usize,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// The columns of every view of a simulation, in order.
pub const COLUMNS: [&str; 12] = [
    "iso3",
    "country",
    "real_gdp_change",
    "real_gdp_p05",
    "real_gdp_p95",
    "exports_change",
    "exports_p05",
    "exports_p95",
    "exports_conditional",
    "price_change",
    "imr_change",
    "omr_change",
];

fn name(iso3: &str) -> String {
    Crosswalk::global().name_or_code(iso3)
}

fn cells(r: &SimRow) -> Vec<String> {
    let f = |v: f64| format!("{v:.6}");
    vec![
        r.country.clone(),
        name(&r.country),
        f(r.real_gdp.central),
        f(r.real_gdp.low),
        f(r.real_gdp.high),
        f(r.exports.central),
        f(r.exports.low),
        f(r.exports.high),
        f(r.exports_conditional),
        f(r.price),
        f(r.imr),
        f(r.omr),
    ]
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// What the effects rest on, in lines.
fn preamble(sim: &Simulation, f: &attache_trade::FittedGravity) -> Vec<String> {
    let mut out = vec![
        format!("scenario: {}", sim.scenario),
        format!(
            "baseline: {} flows of {} countries; {} flows change",
            sim.year,
            f.countries.len(),
            sim.pairs_changed
        ),
        format!(
            "RTA effect {:.4} (se {:.4}, clustered by pair), PPML on {} years ({} observations, {} separated)",
            f.rta.estimate,
            f.rta.std_error,
            f.years.len(),
            f.n_obs,
            f.separated
        ),
    ];
    if let Some(s) = &f.sanction {
        out.push(format!(
            "trade-sanction effect {:.4} (se {:.4}), same regression",
            s.estimate, s.std_error
        ));
    }
    if let Some(b) = &f.border {
        out.push(format!(
            "border effect {:.4} (robust se {:.4}), trade ~ log(DIST) + CNTG + I(exporter != importer) | exporter + importer on {}",
            b.estimate, b.std_error, sim.year
        ));
    }
    out.push(format!(
        "intervals: the effects at their 5th and 95th percentiles{}",
        if sim.scenario.has_tariff() {
            format!(
                ", sigma {} and {}",
                sim.params[1].sigma, sim.params[2].sigma
            )
        } else {
            String::new()
        }
    ));
    out.push(REFERENCE_LABEL.to_string());
    out
}

pub fn simulate(a: SimulateArgs) -> Result<ExitCode> {
    let scenario: Scenario = a
        .scenario
        .parse()
        .with_context(|| format!("--scenario {:?}", a.scenario))?;
    let (panel, from) = match &a.input {
        Some(p) => (super::input::read(p)?.frame, p.display().to_string()),
        None => {
            let store = a.data.store()?;
            let v = store.require_current()?;
            let panel = crate::runtime()?
                .block_on(attache_store::trade_inputs::gravity_panel(&v))
                .with_context(|| format!("reading the gravity panel of vintage {}", v.id))?;
            (panel, format!("vintage {}", v.id))
        }
    };
    let mut g = Gravity::new().interval(a.interval).sigma(a.sigma);
    if let Some(y) = a.baseline_year {
        g = g.baseline_year(y);
    }
    let fitted = g
        .fit(&panel)
        .with_context(|| format!("estimating the gravity baseline from {from}"))?;
    let sim = fitted.simulate(&scenario)?;
    let mut rows = sim.rows();
    if let Some(c) = &a.country {
        let iso3 = Crosswalk::global()
            .find(c)
            .map(|x| x.iso3.clone())
            .with_context(|| format!("--country {c:?}"))?;
        rows.retain(|r| r.country == iso3);
        if rows.is_empty() {
            anyhow::bail!(
                "--country {c:?}: {iso3} is not among the panel's {} countries",
                fitted.countries.len()
            );
        }
    }
    match a.format {
        Format::Table => {
            for l in preamble(&sim, &fitted) {
                println!("{l}");
            }
            println!();
            println!(
                "{:<5} {:<28} {:>24} {:>24} {:>8}",
                "iso3", "country", "real GDP % [5%, 95%]", "exports % [5%, 95%]", "price %"
            );
            for r in rows.iter().take(a.top) {
                let range = |x: &attache_trade::Ranged| {
                    format!("{:+.3} [{:+.3}, {:+.3}]", x.central, x.low, x.high)
                };
                let mut n = name(&r.country);
                n.truncate(28);
                println!(
                    "{:<5} {:<28} {:>24} {:>24} {:>8.3}",
                    r.country,
                    n,
                    range(&r.real_gdp),
                    range(&r.exports),
                    r.price
                );
            }
            if rows.len() > a.top {
                println!("({} more rows: --top or --format csv)", rows.len() - a.top);
            }
        }
        Format::Csv => {
            println!("{}", COLUMNS.join(","));
            for r in &rows {
                let c: Vec<String> = cells(r).iter().map(|s| csv_cell(s)).collect();
                println!("{}", c.join(","));
            }
        }
        Format::Json => {
            let rows: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    let c = cells(r);
                    let mut m = serde_json::Map::new();
                    for (k, (col, v)) in COLUMNS.iter().zip(c).enumerate() {
                        let v = if k < 2 {
                            serde_json::Value::String(v)
                        } else {
                            serde_json::json!(v.parse::<f64>().unwrap_or(f64::NAN))
                        };
                        m.insert(col.to_string(), v);
                    }
                    serde_json::Value::Object(m)
                })
                .collect();
            let out = serde_json::json!({
                "scenario": sim.scenario.to_string(),
                "baseline_year": sim.year,
                "countries": fitted.countries.len(),
                "flows_changed": sim.pairs_changed,
                "rta_effect": {"estimate": fitted.rta.estimate, "std_error": fitted.rta.std_error},
                "sanction_effect": fitted.sanction.as_ref().map(|s| serde_json::json!({"estimate": s.estimate, "std_error": s.std_error})),
                "border_effect": fitted.border.as_ref().map(|s| serde_json::json!({"estimate": s.estimate, "std_error": s.std_error})),
                "notes": preamble(&sim, &fitted),
                "rows": rows,
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}
