//! `attache forecast tune`: the rolling-origin validation that chooses the model's mixture for
//! a window, printed as a table (the same fit `backtest` runs; see `attache_forecast::tune`).
//! Anyone can rerun it: it reads only the panel as of the window's cut-off.

use std::fmt::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use attache_forecast::GbtModel;
use attache_store::Vintage;
use clap::Args;

use super::Window;
use crate::DataDir;

#[derive(Args)]
pub struct TuneArgs {
    /// The window whose settings to show (Y2019, Y2020, Y2021).
    #[arg(long, value_parser = Window::parse)]
    window: Window,
    #[command(flatten)]
    data: DataDir,
}

/// The validation table of window `w` (markdown).
pub fn report(v: &Vintage, w: Window) -> Result<String> {
    let rt = crate::runtime()?;
    let panel = rt
        .block_on(attache_store::panel_inputs::build(v, w.as_of()))
        .with_context(|| format!("building the panel as of {}", w.as_of()))?;
    let fitted = GbtModel::default()
        .fit(&panel)
        .with_context(|| format!("fitting the model for {}", w.name()))?;
    let mut o = String::new();
    match fitted.validation() {
        None => writeln!(
            o,
            "- {}: the panel is too short to validate on; the default mixture is used.",
            w.name()
        )?,
        Some(val) => {
            writeln!(
                o,
                "{} (data to {}): fitted on the panel as of {}, scored on {} to {} ({} country-months, {} draws each).\n",
                w.name(),
                w.as_of(),
                val.origin,
                val.months.0,
                val.months.1,
                val.scored,
                attache_forecast::tune::VALIDATION_DRAWS
            )?;
            writeln!(
                o,
                "| w_emp | jitter | CRPS | IGN | MIS | criterion | |\n|---|---|---|---|---|---|---|"
            )?;
            for c in &val.candidates {
                let mark = if c.mixture == val.chosen {
                    "chosen"
                } else {
                    ""
                };
                writeln!(
                    o,
                    "| {:.2} | {:.2} | {:.3} | {:.3} | {:.2} | {:.4} | {mark} |",
                    c.mixture.w_emp, c.mixture.jitter, c.crps, c.ign, c.mis, c.criterion
                )?;
            }
        }
    }
    let t = fitted.tail_stats();
    let cal = fitted.platt();
    let (a, b) = (cal.a, cal.b);
    writeln!(
        o,
        "\nLearned tails: share of training pairs exceeding their worst recent month {:.3} (worst 0, {} pairs), {:.3} (1-24, {} pairs), {:.3} (25+, {} pairs); {} pooled onset magnitudes (median {}); threshold calibration a = {a:.3}, b = {b:.3}, offsets by worst recent month {:.3} (0), {:.3} (1-24), 0 (25+).",
        t.exceed[0].1,
        t.exceed[0].0,
        t.exceed[1].1,
        t.exceed[1].0,
        t.exceed[2].1,
        t.exceed[2].0,
        t.onset.len(),
        t.onset
            .get(t.onset.len() / 2)
            .map_or("-".to_string(), |v| format!("{v:.0}")),
        cal.offset[0],
        cal.offset[1],
    )?;
    writeln!(
        o,
        "Falling silent: {:.3} of the {} training pairs whose previous 12 months all had deaths had none in the outcome month.",
        t.zero.1, t.zero.0
    )?;
    Ok(o)
}

pub fn run(a: TuneArgs) -> Result<ExitCode> {
    let store = a.data.store()?;
    let v = store.require_current()?;
    crate::emit(&report(&v, a.window)?);
    Ok(ExitCode::SUCCESS)
}
