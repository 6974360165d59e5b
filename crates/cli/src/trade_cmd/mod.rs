//! `attache trade`: structural gravity from the command line. `estimate` reads a panel
//! (`input.rs`: Stata `.dta`, CSV or Parquet), keeps the rows `--where` selects (`filter.rs`),
//! drops and counts rows with a missing value in a column the model uses, and fits PPML or OLS
//! with absorbed fixed effects by `attache-trade`; it prints one row per term plus the fit's
//! statistics as a table, CSV or JSON. `gaps` (`gaps.rs`) gives mirror statistics of a WITS
//! file. `simulate` (`simulate.rs`) solves a policy scenario's general equilibrium. The estimation and the mirror rules live in `attache-trade`.

mod filter;
mod gaps;
mod input;
mod simulate;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use attache_trade::{Column, Fit, Formula, Frame, Ols, Ppml, Vcov};
use clap::{Args, Subcommand, ValueEnum};

#[derive(Subcommand)]
pub enum TradeCommand {
    /// Estimate a gravity model: PPML (or OLS) with absorbed fixed effects.
    ///
    /// Rows with a missing value in a column the model uses are dropped and counted; PPML
    /// also drops observations separated by a fixed effect (a group whose dependent variable
    /// is all zero) or by the regressors (zeros a combination of regressors and fixed effects
    /// predicts perfectly, found by the ReLU method of Correia, Guimarães and Zylkin) and
    /// counts them.
    Estimate(EstimateArgs),
    /// Mirror statistics of a WITS reporter-partner file: each flow as both sides report it,
    /// the CIF/FOB-adjusted gap, flows reported by one side only, and flagged pairs with the
    /// file lines they come from.
    Gaps(gaps::GapsArgs),
    /// Simulate a trade-policy scenario: a tariff, a trade agreement added or removed, or a
    /// sanction, in general equilibrium on the gravity panel (the Advanced Guide's GE-PPML,
    /// solved exactly), per country with an interval for the estimated effects.
    Simulate(simulate::SimulateArgs),
}

/// The estimator.
#[derive(Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum Method {
    /// Poisson pseudo-maximum likelihood (as Stata's ppml / ppmlhdfe).
    #[default]
    Ppml,
    /// Least squares (the dependent variable as given: write `log(trade)` for log-linear).
    Ols,
}

/// How to print the result.
#[derive(Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum Format {
    /// For people: the coefficient table, then the fit's statistics.
    #[default]
    Table,
    /// One row per term; the fit's statistics repeated in trailing columns.
    Csv,
    /// One object: the fit's statistics and `coefficients`, an array of rows.
    Json,
}

#[derive(Args)]
pub struct EstimateArgs {
    /// The panel: a Stata .dta, a .csv (header line; a column is numeric when every non-empty
    /// cell is a number) or a .parquet file.
    #[arg(long)]
    input: PathBuf,
    /// fixest-style formula: `trade ~ log(DIST) + CNTG + RTA | exporter^year + importer^year +
    /// pair_id` (regressors: columns, log(column), or a 0/1 dummy I(column OP column|number|
    /// 'text') with OP one of == != < <= > >=, e.g. I(exporter != importer); after `|` the
    /// fixed effects, `a^b` interactions).
    #[arg(long)]
    formula: String,
    /// Keep only the rows where this holds: conditions `COL OP VALUE` (OP one of
    /// `== != < <= > >=`; VALUE a number, a 'quoted string' or another column) joined by
    /// `&&` and `||`, with parentheses, e.g. 'exporter != importer && year >= 1986'. A
    /// comparison with a missing value is false.
    #[arg(long = "where")]
    filter: Option<String>,
    /// Variance of the estimates: robust, iid, or cluster:COLUMN (e.g. cluster:pair_id).
    #[arg(long, default_value = "robust")]
    vcov: String,
    /// The estimator.
    #[arg(long, value_enum, default_value_t = Method::Ppml)]
    method: Method,
    /// PPML's convergence tolerance on the relative change in deviance.
    #[arg(long, default_value_t = 1e-8)]
    tolerance: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(cmd: TradeCommand) -> Result<ExitCode> {
    match cmd {
        TradeCommand::Estimate(args) => estimate(args),
        TradeCommand::Gaps(args) => gaps::gaps(args),
        TradeCommand::Simulate(args) => simulate::simulate(args),
    }
}

/// The error for a column that is not in the data: names it and lists the ones there are.
pub(crate) fn no_column(frame: &Frame, name: &str, wanted_by: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "no column `{name}` in the data (wanted by {wanted_by}); the columns are: {}",
        frame.names().join(", ")
    )
}

fn parse_vcov(text: &str) -> Result<Vcov> {
    match text {
        "robust" => Ok(Vcov::Robust),
        "iid" => Ok(Vcov::Iid),
        _ => match text.strip_prefix("cluster:") {
            Some(c) if !c.trim().is_empty() => Ok(Vcov::Cluster(c.trim().to_string())),
            _ => bail!("--vcov {text:?}: give robust, iid or cluster:COLUMN"),
        },
    }
}

/// A statistic of the fit: a name and a value (None when it does not apply).
enum Stat {
    Int(&'static str, Option<u64>),
    Num(&'static str, Option<f64>),
    Bool(&'static str, bool),
}

impl Stat {
    fn name(&self) -> &'static str {
        match self {
            Stat::Int(n, _) | Stat::Num(n, _) | Stat::Bool(n, _) => n,
        }
    }

    fn json(&self) -> serde_json::Value {
        match self {
            Stat::Int(_, v) => serde_json::json!(v),
            Stat::Num(_, v) => num_json(v.unwrap_or(f64::NAN)),
            Stat::Bool(_, v) => serde_json::json!(v),
        }
    }

    /// Full precision (machines).
    fn exact(&self) -> String {
        match self {
            Stat::Int(_, v) => v.map(|v| v.to_string()).unwrap_or_default(),
            Stat::Num(_, v) => v
                .filter(|v| v.is_finite())
                .map(|v| format!("{v:?}"))
                .unwrap_or_default(),
            Stat::Bool(_, v) => v.to_string(),
        }
    }
}

fn num_json(v: f64) -> serde_json::Value {
    if v.is_finite() {
        serde_json::json!(v)
    } else {
        serde_json::Value::Null
    }
}

/// How the rows went from the file to the estimation.
struct Accounting {
    read: usize,
    excluded: Option<usize>,
    /// Rows dropped for a missing value, per column (the first missing one in the model's
    /// order), in that order.
    missing: Vec<(String, usize)>,
}

impl Accounting {
    fn dropped(&self) -> usize {
        self.missing.iter().map(|m| m.1).sum()
    }

    fn sentence(&self) -> String {
        let mut s = format!("{} rows read", self.read);
        if let Some(x) = self.excluded {
            let _ = write!(s, ", {x} excluded by --where");
        }
        let _ = write!(s, ", {} dropped", self.dropped());
        if self.missing.is_empty() {
            s.push_str(" (no missing values in the model's columns)");
        } else {
            let parts: Vec<String> = self
                .missing
                .iter()
                .map(|(c, n)| format!("{c} ({n})"))
                .collect();
            let _ = write!(s, ": missing {}", parts.join(", "));
        }
        s
    }
}

fn estimate(args: EstimateArgs) -> Result<ExitCode> {
    let formula: Formula = args
        .formula
        .parse()
        .with_context(|| format!("parsing --formula {:?}", args.formula))?;
    let vcov = parse_vcov(&args.vcov)?;
    let filter = args.filter.as_deref().map(filter::parse).transpose()?;
    let input = input::read(&args.input)?;
    let frame = &input.frame;
    let file = input.path.display().to_string();

    // Every column the model uses, in order, with what wants it; numbers where a number is
    // needed.
    let mut used: Vec<(String, String, bool)> = Vec::new();
    let mut want = |c: &str, by: String, numeric: bool| {
        if let Some(u) = used.iter_mut().find(|u| u.0 == c) {
            u.2 |= numeric;
        } else {
            used.push((c.to_string(), by, numeric));
        }
    };
    for t in std::iter::once(&formula.lhs).chain(&formula.rhs) {
        for (c, numeric) in t.columns() {
            want(c, format!("the formula's `{t}`"), numeric);
        }
    }
    for fe in &formula.fixed_effects {
        for c in &fe.0 {
            want(c, format!("the fixed effect `{fe}`"), false);
        }
    }
    if let Vcov::Cluster(c) = &vcov {
        want(c, "--vcov".into(), false);
    }
    for (name, by, numeric) in &used {
        let col = match frame.column(name) {
            Ok(c) => c,
            Err(_) => {
                if let Some((_, ty)) = input.unsupported.iter().find(|u| &u.0 == name) {
                    bail!(
                        "{file}: column `{name}` (wanted by {by}) has type {ty}, neither numbers nor text"
                    );
                }
                return Err(no_column(frame, name, by)).with_context(|| format!("reading {file}"));
            }
        };
        if *numeric && matches!(col, Column::Text(_)) {
            match input.first_text.get(name) {
                Some((line, value)) => bail!(
                    "{file}, line {line}: {value:?} in column `{name}` is not a number ({by} needs numbers)"
                ),
                None => bail!("{file}: column `{name}` holds text; {by} needs numbers"),
            }
        }
    }

    let read = frame.rows();
    let (mut frame, excluded) = match &filter {
        Some(e) => {
            let text = args.filter.as_deref().unwrap_or_default();
            let keep = e.eval(frame, text)?;
            let kept = frame.filter(|i| keep[i]);
            let x = read - kept.rows();
            (kept, Some(x))
        }
        None => (input.frame.clone(), None),
    };

    // Drop and count rows with a missing value in a used column.
    let mut why: Vec<Option<usize>> = vec![None; frame.rows()];
    for (k, (name, _, _)) in used.iter().enumerate() {
        let col = frame.column(name)?;
        for (i, w) in why.iter_mut().enumerate() {
            if w.is_none() {
                let missing = match col {
                    Column::Num(v) => v[i].is_nan(),
                    Column::Text(v) => v[i].is_empty(),
                };
                if missing {
                    *w = Some(k);
                }
            }
        }
    }
    let mut counts = vec![0usize; used.len()];
    for k in why.iter().flatten() {
        counts[*k] += 1;
    }
    let accounting = Accounting {
        read,
        excluded,
        missing: used
            .iter()
            .zip(&counts)
            .filter(|(_, n)| **n > 0)
            .map(|(u, n)| (u.0.clone(), *n))
            .collect(),
    };
    if accounting.dropped() > 0 {
        frame = frame.filter(|i| why[i].is_none());
    }
    if frame.rows() == 0 {
        bail!("no rows left to estimate: {}", accounting.sentence());
    }
    // log() of a value that is not positive: refused by name, never turned into a silent drop.
    for t in std::iter::once(&formula.lhs).chain(&formula.rhs) {
        if let attache_trade::Term::Log(c) = t {
            let v = frame.num(c)?;
            let bad: Vec<f64> = v.iter().copied().filter(|x| *x <= 0.0).collect();
            if let Some(first) = bad.first() {
                bail!(
                    "{file}: `{t}` needs {c} > 0, but {} of the {} rows left have {c} <= 0 (the first: {first}); keep them out with --where '{c} > 0' if that is what you mean",
                    bad.len(),
                    frame.rows()
                );
            }
        }
    }

    let what = || format!("estimating {} on {file}", formula);
    let (coefs, stats) = match args.method {
        Method::Ppml => {
            let fit = Ppml::new(formula.clone())
                .vcov(vcov.clone())
                .tolerance(args.tolerance)
                .fit(&frame)
                .with_context(what)?;
            let stats = vec![
                Stat::Int("n", Some(fit.n_obs as u64)),
                Stat::Num("log_likelihood", Some(fit.log_likelihood)),
                Stat::Num("pseudo_r2", Some(fit.pseudo_r2)),
                Stat::Int("separated", Some(fit.separated as u64)),
                Stat::Int(
                    "separated_by_regressors",
                    Some(fit.separated_by_regressors as u64),
                ),
                Stat::Int("clusters", fit.clusters.map(|g| g as u64)),
                Stat::Int("iterations", Some(fit.iterations as u64)),
                // The estimator fails rather than return an iterate that has not converged.
                Stat::Bool("converged", true),
            ];
            (fit.coefficients, stats)
        }
        Method::Ols => {
            let fit = Ols::new(formula.clone())
                .vcov(vcov.clone())
                .fit(&frame)
                .with_context(what)?;
            let stats = vec![
                Stat::Int("n", Some(fit.n_obs as u64)),
                Stat::Num("r2", Some(fit.r2)),
                Stat::Num("r2_within", Some(fit.r2_within)),
                Stat::Num("rmse", Some(fit.rmse)),
                Stat::Int("clusters", fit.clusters.map(|g| g as u64)),
                // Least squares is solved directly.
                Stat::Int("iterations", None),
                Stat::Bool("converged", true),
            ];
            (fit.coefficients, stats)
        }
    };
    let out = match args.format {
        Format::Table => table(&formula, &args, &accounting, &coefs, &stats),
        Format::Csv => {
            eprintln!("{}", accounting.sentence());
            csv(&coefs, &stats)
        }
        Format::Json => {
            eprintln!("{}", accounting.sentence());
            json(&formula, &args, &accounting, &coefs, &stats)?
        }
    };
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("writing the result")?
        }
        _ => {}
    }
    Ok(ExitCode::SUCCESS)
}

const COLUMNS: [&str; 5] = ["term", "estimate", "std_error", "z", "p"];

fn method_name(m: Method) -> &'static str {
    match m {
        Method::Ppml => "ppml",
        Method::Ols => "ols",
    }
}

fn table(
    formula: &Formula,
    args: &EstimateArgs,
    acc: &Accounting,
    coefs: &[attache_trade::Coef],
    stats: &[Stat],
) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# {} {formula}, vcov {}",
        method_name(args.method).to_uppercase(),
        args.vcov
    );
    let _ = writeln!(s, "# {}", acc.sentence());
    let width = coefs.iter().map(|c| c.term.len()).max().unwrap_or(4).max(4);
    let _ = writeln!(
        s,
        "{:<width$}  {:>13}  {:>12}  {:>9}  {:>8}",
        COLUMNS[0], COLUMNS[1], COLUMNS[2], COLUMNS[3], COLUMNS[4]
    );
    for c in coefs {
        if c.omitted {
            let _ = writeln!(s, "{:<width$}  (omitted: collinear)", c.term);
        } else {
            let _ = writeln!(
                s,
                "{:<width$}  {:>13.7}  {:>12.7}  {:>9.3}  {:>8.4}",
                c.term, c.estimate, c.std_error, c.z, c.p
            );
        }
    }
    for st in stats {
        let v = match st {
            Stat::Num(_, Some(v)) if v.abs() >= 1e4 => format!("{v:.1}"),
            Stat::Num(_, Some(v)) => format!("{v:.6}"),
            Stat::Num(_, None) | Stat::Int(_, None) => continue,
            _ => st.exact(),
        };
        let _ = writeln!(s, "{:<16} {v}", st.name());
    }
    s
}

/// Shortest text that reads back as the same number (exponent form when tiny or huge).
fn csv_cell(v: f64) -> String {
    if v.is_finite() {
        format!("{v:?}")
    } else {
        String::new()
    }
}

fn csv(coefs: &[attache_trade::Coef], stats: &[Stat]) -> String {
    let mut s = String::new();
    let mut head: Vec<&str> = COLUMNS.to_vec();
    head.extend(stats.iter().map(Stat::name));
    let _ = writeln!(s, "{}", head.join(","));
    let tail: Vec<String> = stats.iter().map(Stat::exact).collect();
    for c in coefs {
        let term = if c.term.contains([',', '"']) {
            format!("\"{}\"", c.term.replace('"', "\"\""))
        } else {
            c.term.clone()
        };
        let mut row = vec![
            term,
            csv_cell(c.estimate),
            csv_cell(c.std_error),
            csv_cell(c.z),
            csv_cell(c.p),
        ];
        row.extend(tail.iter().cloned());
        let _ = writeln!(s, "{}", row.join(","));
    }
    s
}

fn json(
    formula: &Formula,
    args: &EstimateArgs,
    acc: &Accounting,
    coefs: &[attache_trade::Coef],
    stats: &[Stat],
) -> Result<String> {
    let mut o = serde_json::Map::new();
    o.insert(
        "input".into(),
        serde_json::json!(args.input.display().to_string()),
    );
    o.insert("formula".into(), serde_json::json!(formula.to_string()));
    o.insert("where".into(), serde_json::json!(args.filter));
    o.insert("method".into(), serde_json::json!(method_name(args.method)));
    o.insert("vcov".into(), serde_json::json!(args.vcov));
    o.insert("rows_read".into(), serde_json::json!(acc.read));
    o.insert(
        "rows_excluded_by_where".into(),
        serde_json::json!(acc.excluded),
    );
    let missing: serde_json::Map<String, serde_json::Value> = acc
        .missing
        .iter()
        .map(|(c, n)| (c.clone(), serde_json::json!(n)))
        .collect();
    o.insert(
        "rows_dropped_missing".into(),
        serde_json::Value::Object(missing),
    );
    for st in stats {
        o.insert(st.name().into(), st.json());
    }
    let rows: Vec<serde_json::Value> = coefs
        .iter()
        .map(|c| {
            serde_json::json!({
                "term": c.term,
                "estimate": num_json(c.estimate),
                "std_error": num_json(c.std_error),
                "z": num_json(c.z),
                "p": num_json(c.p),
                "omitted": c.omitted,
            })
        })
        .collect();
    o.insert("coefficients".into(), serde_json::Value::Array(rows));
    let mut s = serde_json::to_string(&serde_json::Value::Object(o))?;
    s.push('\n');
    Ok(s)
}
