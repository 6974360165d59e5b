//! `attache forecast`: conflict early warning. Backtests in the ViEWS challenge format, their
//! evaluation against the benchmarks, the live forecast (`run`) and its display (`show`).

mod card;
mod evaluate;
pub mod live;
pub mod submission;
mod tune;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use attache_core::MonthId;
use attache_forecast::Forecaster;
use clap::{Args, Subcommand, ValueEnum};

use crate::DataDir;

#[derive(Subcommand)]
pub enum ForecastCommand {
    /// Forecast a challenge window out of sample and write the submission (and the benchmarks').
    Backtest(BacktestArgs),
    /// Score a window's submission (ours and every benchmark) against the actuals.
    Evaluate(evaluate::EvaluateArgs),
    /// Forecast the 14 months after an as-of month and store it for the dashboard and API.
    Run(live::RunArgs),
    /// Print a country's stored forecast: intervals, threshold probabilities, drivers, novelty.
    Show(live::ShowArgs),
    /// Write the model card (markdown): data, features and lags, training periods, scores, limits.
    Card(card::CardArgs),
    /// Show the rolling-origin validation that chooses the model's settings for a window.
    Tune(tune::TuneArgs),
}

/// A ViEWS challenge window: forecasts January-December of year Y with data up to October Y-1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Window(pub i32);

impl Window {
    pub fn parse(s: &str) -> Result<Window, String> {
        let y = s
            .strip_prefix('Y')
            .or_else(|| s.strip_prefix('y'))
            .unwrap_or(s);
        match y.parse::<i32>() {
            Ok(y) if (1990..=2100).contains(&y) => Ok(Window(y)),
            _ => Err(format!("{s:?} is not a window (expected e.g. Y2021)")),
        }
    }
    pub fn name(self) -> String {
        format!("Y{}", self.0)
    }
    /// The last month of data: October of the previous year.
    pub fn as_of(self) -> MonthId {
        MonthId::from_year_month(self.0 - 1, 10).expect("valid")
    }
    /// January..December of the window year.
    pub fn months(self) -> std::ops::RangeInclusive<MonthId> {
        let jan = MonthId::from_year_month(self.0, 1).expect("valid");
        jan..=jan.plus(11)
    }
}

/// The production seed.
pub const DEFAULT_SEED: u64 = 20231;

#[derive(Args)]
pub struct ModelArgs {
    /// Draws per country-month.
    #[arg(long, default_value_t = 1000)]
    pub draws: usize,
    /// Random seed: the same inputs and seed give byte-identical output.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
}

#[derive(Args)]
pub struct BacktestArgs {
    /// Window(s): Y2019, Y2020, Y2021 (comma-separated for several).
    #[arg(long, value_delimiter = ',', value_parser = Window::parse, required = true)]
    window: Vec<Window>,
    /// Submission root: writes OUT/cm/window=Y/forecasts.parquet, and each benchmark's under
    /// OUT/benchmarks/<name>/.
    #[arg(long)]
    out: PathBuf,
    /// Skip the benchmarks (write only our model's submission).
    #[arg(long)]
    no_benchmarks: bool,
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    data: DataDir,
}

/// Our model, as configured for production.
pub fn model() -> Box<dyn Forecaster> {
    Box::new(attache_forecast::GbtForecaster::default())
}

pub fn run(cmd: ForecastCommand) -> Result<ExitCode> {
    match cmd {
        ForecastCommand::Backtest(a) => backtest(a),
        ForecastCommand::Evaluate(a) => evaluate::run(a),
        ForecastCommand::Run(a) => live::run(a),
        ForecastCommand::Show(a) => live::show(a),
        ForecastCommand::Card(a) => card::run(a),
        ForecastCommand::Tune(a) => tune::run(a),
    }
}

fn backtest(a: BacktestArgs) -> Result<ExitCode> {
    let store = a.data.store()?;
    let v = store.require_current()?;
    let rt = crate::runtime()?;
    let ours = model();
    let benchmarks: Vec<(PathBuf, Box<dyn Forecaster>)> = if a.no_benchmarks {
        Vec::new()
    } else {
        attache_forecast::benchmarks::all()
            .into_iter()
            .map(|b| (a.out.join("benchmarks").join(b.name()), b))
            .collect()
    };
    let mut windows = a.window.clone();
    windows.sort();
    windows.dedup();
    for w in windows {
        let t0 = Instant::now();
        let panel = rt
            .block_on(attache_store::panel_inputs::build(&v, w.as_of()))
            .with_context(|| format!("building the panel as of {}", w.as_of()))?;
        if panel.countries().is_empty() {
            bail!("no countries in the panel for window {}", w.name());
        }
        // The benchmarks (cheap, one thread) run and write beside our model's fits; the lines
        // print in a fixed order once both are done.
        let one = |dir: &PathBuf, f: &dyn Forecaster| -> Result<String> {
            let t = Instant::now();
            let rows = f
                .forecast(&panel, w.months(), a.model.draws, a.model.seed)
                .with_context(|| format!("forecasting window {} with {}", w.name(), f.name()))?;
            let path = submission::write(dir, &w.name(), &rows)?;
            Ok(format!(
                "{} {:<24} {} country-months x {} draws -> {} ({:.2} s)",
                w.name(),
                f.name(),
                rows.len(),
                a.model.draws,
                path.display(),
                t.elapsed().as_secs_f64()
            ))
        };
        let (line, bench_lines) = std::thread::scope(|s| {
            let side = s.spawn(|| {
                benchmarks
                    .iter()
                    .map(|(dir, f)| one(dir, f.as_ref()))
                    .collect::<Result<Vec<String>>>()
            });
            let line = one(&a.out, ours.as_ref());
            let bench_lines = side.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            (line, bench_lines)
        });
        println!("{}", line?);
        for l in bench_lines? {
            println!("{l}");
        }
        println!(
            "{} done in {:.2} s (data to {}, vintage {})",
            w.name(),
            t0.elapsed().as_secs_f64(),
            w.as_of(),
            v.id
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Output format of reports.
#[derive(Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum ReportFormat {
    #[default]
    Table,
    Json,
}
